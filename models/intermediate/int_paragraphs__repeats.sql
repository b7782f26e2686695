-- int_paragraphs__repeats: one row per paragraph, flagged `is_repeat` when the same normalised text
-- (dedup_key) already occurred earlier in the same article: a scraped page that holds its body twice.
with

paragraphs as (
    select * from {{ ref('int_paragraphs') }}
),

ranked as (
    select
        article_id,
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
