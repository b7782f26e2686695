-- Which numbers disagree? Precise claims about the same counted thing, in the same unit, made in more than
-- one article: disagreements first (1,000 troops in one article, 2,000 troops in another), then agreements.
with

claims as (
    select * from {{ ref('numeric_claims') }}
),

articles as (
    select * from {{ ref('articles') }}
),

precise as (
    select
        claims.claim_id,
        claims.article_id,
        claims.surface_text,
        claims.value,
        claims.unit_class,
        coalesce(claims.unit, '') as unit,
        lower(claims.counted_noun) as counted_noun
    from claims
    inner join articles
        on claims.article_id = articles.article_id
    where
        not claims.is_vague
        and claims.counted_noun is not null
        and articles.duplicate_of_article_id is null
),

compared as (
    select
        unit_class,
        unit,
        counted_noun,
        count(distinct article_id) as article_count,
        count(distinct value) as value_count,
        min(value) as min_value,
        max(value) as max_value
    from precise
    group by unit_class, unit, counted_noun
    having count(distinct article_id) > 1
),

final as (
    select
        compared.unit_class,
        compared.unit,
        compared.counted_noun,
        compared.article_count,
        compared.value_count,
        compared.min_value,
        compared.max_value,
        compared.value_count > 1 as disagrees,
        list(distinct precise.surface_text order by precise.surface_text) as surface_texts
    from compared
    inner join precise
        on
            compared.unit_class = precise.unit_class
            and compared.unit = precise.unit
            and compared.counted_noun = precise.counted_noun
    group by all
)

select * from final
order by disagrees desc, article_count desc, value_count desc, counted_noun asc
