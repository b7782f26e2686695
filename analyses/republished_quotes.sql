-- Which quotes were republished: the same words (same canonical quote) in more than one article?
with

quotes as (
    select * from {{ ref('quotes') }}
),

articles as (
    select * from {{ ref('articles') }}
),

republished as (
    select
        canonical_quote_id,
        count(distinct article_id) as article_count,
        count(distinct speaker_id) as speaker_count
    from quotes
    group by canonical_quote_id
    having count(distinct article_id) > 1
),

final as (
    select
        republished.canonical_quote_id,
        republished.article_count,
        republished.speaker_count,
        first_quote.speaker_name as first_speaker_name,
        first_quote.quote_text,
        articles.source_path as first_published_in,
        articles.loaded_at as first_loaded_at
    from republished
    inner join quotes as first_quote
        on republished.canonical_quote_id = first_quote.quote_id
    inner join articles
        on first_quote.article_id = articles.article_id
)

select * from final
order by article_count desc, first_published_in asc, canonical_quote_id asc
