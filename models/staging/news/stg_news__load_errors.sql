-- stg_news__load_errors: one row per rejected file per load.
with

source as (
    select * from {{ source('news', 'load_errors') }}
),

renamed as (
    select
        source_path,
        reason as rejection_reason,
        content_sha256,
        load_id,
        cast(loaded_at as timestamp) as loaded_at
    from source
)

select * from renamed
