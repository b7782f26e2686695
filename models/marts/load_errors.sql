-- load_errors: one row per file a load rejected, so nothing is dropped without a trace.
-- Its rows depend on no article. The dependency below only orders it: dbt starts the nodes of
-- lowest depth first, so this model, two steps deep, took one of the two threads at the start of
-- every build while all the article models waited for the chain staging -> int_paragraphs_deduped
-- (its tests then ran one after the other; 0.2 s of a +1% build at 100k). It now runs after it.
-- depends_on: {{ ref('int_paragraphs_deduped') }}
with

load_errors as (
    select * from {{ ref('stg_news__load_errors') }}
),

final as (
    select
        source_path,
        rejection_reason,
        content_sha256,
        load_id,
        loaded_at
    from load_errors
)

select * from final
