-- int_articles_deduplicated: one row per article with `duplicate_of_article_id`, the earliest loaded
-- article whose normalised body (its kept paragraphs' normalised texts in order) is the same; null
-- when the article is itself the first (canonical) one or has no paragraphs. The body keys are
-- built incrementally (int_articles_hashed); the ranking here is over all articles, whose earliest
-- copy an article of a new load may be, on narrow columns only. `load_rank` numbers the articles in
-- that order (loaded_at, load_id, source_path), for the near-duplicate links (int_articles_near_matched).
with

bodies as (
    select * from {{ ref('int_articles_hashed') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

ranked as (
    select
        articles.article_id,
        bodies.body_key,
        first_value(articles.article_id) over (
            partition by bodies.body_key
            order by articles.loaded_at asc, articles.load_id asc, articles.source_path asc
            rows between unbounded preceding and unbounded following
        ) as first_article_id,
        row_number() over (
            order by articles.loaded_at asc, articles.load_id asc, articles.source_path asc
        ) as load_rank
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
        end as duplicate_of_article_id,
        load_rank
    from ranked
)

select * from resolved
