-- Which numbers were said by whom? Numeric claims made inside a quote, with the speaker and the quote.
with

claims as (
    select * from {{ ref('numeric_claims') }}
),

quotes as (
    select * from {{ ref('quotes') }}
),

articles as (
    select * from {{ ref('articles') }}
),

final as (
    select
        coalesce(quotes.speaker_name, '(unattributed)') as speaker_name,
        claims.surface_text,
        claims.value,
        claims.unit_class,
        claims.unit,
        claims.counted_noun,
        claims.is_vague,
        quotes.quote_text,
        articles.source_path
    from claims
    inner join quotes
        on claims.quote_id = quotes.quote_id
    inner join articles
        on claims.article_id = articles.article_id
)

select * from final
order by speaker_name asc, source_path asc, surface_text asc
