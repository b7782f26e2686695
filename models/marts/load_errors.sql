-- load_errors: one row per file a load rejected, so nothing is dropped without a trace.
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
