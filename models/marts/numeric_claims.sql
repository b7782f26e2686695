-- numeric_claims: one row per number an article asserts (see int_numeric_claims_assembled), with its value,
-- unit, qualifier and offsets in its paragraph. Vague amounts are left out unless the
-- `numeric_claims_include_vague` var is true (they are not scored and rarely comparable).
-- Its relationships tests wait for the marts they point at (a test runs after every model it
-- refs), so the model itself need not: it runs as soon as int_numeric_claims_assembled is built.
-- Incremental: a claim depends on its article alone, so a build replaces the rows of the articles of
-- new loads (and drops those of articles int_numeric_claims_assembled no longer has) instead of copying the
-- whole table again.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

claims as (
    select * from {{ ref('int_numeric_claims_assembled') }}
    where {{ from_new_loads() }}
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
        quote_id,
        load_id
    from claims
    where {{ 'true' if var('numeric_claims_include_vague', false) else 'not is_vague' }}
)

select * from final
