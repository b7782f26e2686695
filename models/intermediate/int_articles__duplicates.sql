-- int_articles__duplicates: one row per article with `duplicate_of_article_id`, the earliest loaded
-- article whose normalised body (its kept paragraphs' normalised texts in order) is the same; null
-- when the article is itself the first (canonical) one or has no paragraphs.
with

paragraphs as (
    select * from {{ ref('int_paragraphs__deduped') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

bodies as (
    select
        article_id,
        {{ hash_key([string_agg_ordered('normalized_text', 'chr(10)', 'paragraph_index')]) }} as body_key
    from paragraphs
    group by article_id
),

ranked as (
    select
        articles.article_id,
        bodies.body_key,
        first_value(articles.article_id) over (
            partition by bodies.body_key
            order by articles.loaded_at asc, articles.load_id asc, articles.source_path asc
            rows between unbounded preceding and unbounded following
        ) as first_article_id
    from articles
    left join bodies
        on articles.article_id = bodies.article_id
),

resolved as (
    select
        article_id,
        body_key,
        case
            when body_key is not null and first_article_id <> article_id then first_article_id
        end as duplicate_of_article_id
    from ranked
)

select * from resolved
