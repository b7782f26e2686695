-- Who said what, where, and who else said the same: every quote with its speaker, grouped with the
-- other occurrences of the same quote (canonical_quote_id) across articles.
with

quotes as (
    select * from {{ ref('quotes') }}
),

articles as (
    select * from {{ ref('articles') }}
),

speakers as (
    select * from {{ ref('speakers') }}
),

occurrences as (
    select
        quotes.canonical_quote_id,
        quotes.quote_id,
        quotes.quote_text,
        quotes.attribution_method,
        speakers.speaker_name,
        speakers.name_variants,
        articles.source_path,
        articles.title,
        count(*) over (partition by quotes.canonical_quote_id) as occurrence_count
    from quotes
    inner join articles
        on quotes.article_id = articles.article_id
    left join speakers
        on quotes.speaker_id = speakers.speaker_id
    where not quotes.is_partial
)

select * from occurrences
where occurrence_count > 1
order by canonical_quote_id, source_path
