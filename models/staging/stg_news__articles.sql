-- stg_news__articles: one row per article path, the newest loaded version of it.
with

source as (
    select * from {{ source('news', 'articles') }}
),

versions as (
    select
        {{ hash_key(['source_path']) }} as article_id,
        source_path,
        content_sha256,
        byte_size,
        encoding as source_encoding,
        text as raw_text,
        cast(published_at as timestamp) as published_at,
        load_id,
        cast(loaded_at as timestamp) as loaded_at,
        row_number() over (
            partition by source_path
            order by loaded_at desc, load_id desc, content_sha256 asc
        ) as version_rank
    from source
),

newest as (
    select
        article_id,
        source_path,
        content_sha256,
        byte_size,
        source_encoding,
        raw_text,
        published_at,
        load_id,
        loaded_at
    from versions
    where version_rank = 1
)

select * from newest
