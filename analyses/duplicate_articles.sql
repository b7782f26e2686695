-- Articles that repeat an earlier article's body, next to the article they copy.
with

articles as (
    select * from {{ ref('articles') }}
),

pairs as (
    select
        duplicate.source_path as duplicate_path,
        canonical.source_path as canonical_path,
        duplicate.title as duplicate_title,
        canonical.title as canonical_title,
        duplicate.loaded_at as duplicate_loaded_at
    from articles as duplicate
    inner join articles as canonical
        on duplicate.duplicate_of_article_id = canonical.article_id
)

select * from pairs
order by canonical_path asc, duplicate_path asc
