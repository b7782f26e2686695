-- int_articles_hashed: one row per article with at least one kept paragraph: `body_key`, a hash of
-- its kept paragraphs' normalised texts in reading order. Each text is hashed on its own first and the
-- article's ordered list of paragraph hashes is hashed again, so the aggregation holds 16 characters per
-- paragraph, not the paragraph (at a million articles the whole texts did not fit in a 4 GB cap).
-- Incremental: only the articles of new loads are hashed; an article that lost all its paragraphs
-- loses its row.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

paragraph_hashes as (
    select
        article_id,
        load_id,
        paragraph_index,
        {{ hash_key(['normalized_text']) }} as text_hash
    from paragraphs
),

bodies as (
    select
        article_id,
        load_id,
        {{ hash_key([string_agg_ordered('text_hash', "','", 'paragraph_index')]) }} as body_key
    from paragraph_hashes
    group by article_id, load_id
)

select * from bodies
