-- int_articles_near_matched: one row per article with both its links: `duplicate_of_article_id`
-- (int_articles_deduplicated) and `near_duplicate_of_article_id`, the earliest loaded article loaded
-- before it whose shingle Jaccard with it is at least `near_duplicate_threshold` (an exact duplicate's
-- canonical article counts, Jaccard 1); null when there is none. The relation is pairwise, not a
-- cluster: each article points at its own earliest near copy. Articles are ordered by
-- int_articles_deduplicated's load_rank.
with

duplicates as (
    select * from {{ ref('int_articles_deduplicated') }}
),

pairs as (
    select * from {{ ref('int_article_pairs_matched') }}
),

ranked as (
    select
        article_id,
        duplicate_of_article_id,
        coalesce(duplicate_of_article_id, article_id) as canonical_article_id,
        load_rank
    from duplicates
),

-- Near copies of each canonical article, with the article itself (its exact duplicates' match).
matches as (
    select
        article_id_a as canonical_article_id,
        article_id_b as match_article_id
    from pairs
    union all
    select
        article_id_b as canonical_article_id,
        article_id_a as match_article_id
    from pairs
    union all
    select distinct
        canonical_article_id,
        canonical_article_id as match_article_id
    from ranked
),

earlier_matches as (
    select
        ranked.article_id,
        match_rank.article_id as match_article_id,
        match_rank.load_rank as match_load_rank
    from ranked
    inner join matches
        on ranked.canonical_article_id = matches.canonical_article_id
    inner join ranked as match_rank
        on matches.match_article_id = match_rank.article_id
    where match_rank.load_rank < ranked.load_rank
),

resolved as (
    select
        ranked.article_id,
        ranked.duplicate_of_article_id,
        {{ arg_min(
            'earlier_matches.match_article_id', 'earlier_matches.match_load_rank'
        ) }} as near_duplicate_of_article_id
    from ranked
    left join earlier_matches
        on ranked.article_id = earlier_matches.article_id
    group by ranked.article_id, ranked.duplicate_of_article_id
)

select * from resolved
