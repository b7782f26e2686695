-- Which input files were rejected, why, and in which loads? The newest rejection per file first.
with

load_errors as (
    select * from {{ ref('load_errors') }}
),

per_file as (
    select
        source_path,
        rejection_reason,
        count(*) as rejection_count,
        min(loaded_at) as first_rejected_at,
        max(loaded_at) as last_rejected_at
    from load_errors
    group by source_path, rejection_reason
)

select * from per_file
order by last_rejected_at desc, source_path asc
