-- Which paragraphs were published word for word in more than one article, and where first?
with

paragraphs as (
    select * from {{ ref('paragraphs') }}
),

articles as (
    select * from {{ ref('articles') }}
),

shared as (
    select
        canonical_paragraph_id,
        count(distinct article_id) as article_count
    from paragraphs
    group by canonical_paragraph_id
    having count(distinct article_id) > 1
),

described as (
    select
        shared.canonical_paragraph_id,
        shared.article_count,
        articles.source_path as first_published_in,
        paragraphs.paragraph_text
    from shared
    inner join paragraphs
        on shared.canonical_paragraph_id = paragraphs.paragraph_id
    inner join articles
        on paragraphs.article_id = articles.article_id
)

select * from described
order by article_count desc, first_published_in asc
