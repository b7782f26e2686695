-- Numbers by who claimed them: every numeric claim made inside a quote, direct (`“The 3,813
-- kilometers of Iraqi borders are fully secured,” Miri said`) or indirect (`Sabah al-Numan said that
-- about 80 percent of a concrete barrier … has been completed`), with the speaker, the claim, its
-- unit and the article. Claims in the reporter's own words are left out.
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
        quotes.speaker_name,
        quotes.quote_type,
        claims.surface_text,
        claims.value,
        claims.unit,
        claims.unit_class,
        claims.counted_noun,
        articles.title,
        articles.source_path
    from claims
    inner join quotes
        on claims.quote_id = quotes.quote_id
    inner join articles
        on claims.article_id = articles.article_id
    where quotes.speaker_name is not null
)

select * from final
order by speaker_name asc, source_path asc, surface_text asc
