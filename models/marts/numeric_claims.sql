-- numeric_claims: one row per number an article asserts (see int_numeric_claims), with its value,
-- unit, qualifier and offsets in its paragraph. Vague amounts are left out unless the
-- `numeric_claims_include_vague` var is true (they are not scored and rarely comparable).
-- The parent marts its tests point at are built first:
-- depends_on: {{ ref('paragraphs') }}
-- depends_on: {{ ref('articles') }}
-- depends_on: {{ ref('quotes') }}
with

claims as (
    select * from {{ ref('int_numeric_claims') }}
),

final as (
    select
        claim_id,
        article_id,
        paragraph_id,
        surface_text,
        char_start,
        char_end,
        value,
        unit,
        unit_class,
        counted_noun,
        qualifier,
        is_vague,
        quote_id
    from claims
    where {{ 'true' if var('numeric_claims_include_vague', false) else 'not is_vague' }}
)

select * from final
