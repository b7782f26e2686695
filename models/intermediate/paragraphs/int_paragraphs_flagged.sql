-- int_paragraphs_flagged: one row per paragraph, flagged `is_repeat` when the same normalised text
-- (dedup_key) already occurred earlier in the same article: a scraped page that holds its body twice.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_extracted') }}
    where {{ from_new_loads() }}
),

ranked as (
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
        min(line_index) over (partition by article_id, dedup_key) as first_line_index
    from paragraphs
),

flagged as (
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
        first_line_index,
        line_index > first_line_index as is_repeat
    from ranked
)

select * from flagged
