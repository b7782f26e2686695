-- stg_news__articles: one row per article path, the newest loaded version of it.
-- A version is superseded by a later one of the same path (later loaded_at, then higher load_id, then
-- the smaller content hash). The versions are ranked on their narrow keys only and the superseded
-- ones (usually none) anti-joined away, rather than ranking whole rows: a filter on load_id
-- (incremental models read only new loads) then reaches the scan of raw.articles, and a model that
-- does not use raw_text never reads it.
with

source as (
    select * from {{ source('news', 'articles') }}
),

version_keys as (
    select
        source_path,
        content_sha256,
        row_number() over (
            partition by source_path
            order by loaded_at desc, load_id desc, content_sha256 asc
        ) as version_rank
    from {{ source('news', 'articles') }}
),

superseded as (
    select
        source_path,
        content_sha256
    from version_keys
    where version_rank > 1
),

newest as (
    select
        {{ hash_key(['source.source_path']) }} as article_id,
        source.source_path,
        source.content_sha256,
        source.byte_size,
        source.encoding as source_encoding,
        source.text as raw_text,
        cast(source.published_at as timestamp) as published_at,
        source.source_name,
        source.url,
        source.load_id,
        cast(source.loaded_at as timestamp) as loaded_at
    from source
    left join superseded
        on
            source.source_path = superseded.source_path
            and source.content_sha256 = superseded.content_sha256
    where superseded.source_path is null
)

select * from newest
