-- int_paragraphs_deduped: one row per paragraph an article keeps: repeats inside the article are
-- dropped, the rest numbered 1..n in reading order. paragraph_id is stable for an article version;
-- text_id hashes the exact paragraph text, so extraction that depends on the text alone runs once per
-- distinct text however many articles carry it.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_flagged') }}
    where {{ from_new_loads() }}
),

kept as (
    select
        article_id,
        load_id,
        line_index,
        dateline,
        paragraph_text,
        char_start,
        char_end,
        word_count,
        normalized_text,
        dedup_key,
        row_number() over (partition by article_id order by line_index) as paragraph_index
    from paragraphs
    where not is_repeat
),

identified as (
    select
        {{ hash_key(['article_id', 'paragraph_index']) }} as paragraph_id,
        {{ hash_key(['paragraph_text']) }} as text_id,
        article_id,
        load_id,
        paragraph_index,
        line_index,
        dateline,
        paragraph_text,
        char_start,
        char_end,
        word_count,
        normalized_text,
        dedup_key
    from kept
)

select * from identified
