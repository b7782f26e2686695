-- int_paragraphs_extracted: one row per content line of an article (furniture, byline and contributor lines
-- left out), before deduplication. The first one loses its dateline (`ERBIL, Kurdistan Region - `),
-- which is kept in `dateline`; offsets then point at the rest. `dedup_key` is the normalised text,
-- without the article's dateline where a later line repeats it (a repeated copy of the first paragraph).
-- word_count counts the space-separated tokens of the normalised text.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

lines as (
    select * from {{ ref('int_article_lines_classified') }}
    where {{ from_new_loads() }}
),

content as (
    select
        article_id,
        load_id,
        line_index,
        line_text,
        char_start,
        char_end,
        line_index = min(line_index) over (partition by article_id) as is_first_content_line
    from lines
    where line_kind = 'content'
),

-- The dateline pattern runs on each article's first content line only.
datelines as (
    select
        article_id,
        {{ regex_extract('line_text', dateline_pattern(), 1) }} as dateline_prefix
    from content
    where is_first_content_line
),

split as (
    select
        content.article_id,
        content.load_id,
        content.line_index,
        case
            when content.is_first_content_line
                then nullif(
                    trim({{ regex_replace_all('datelines.dateline_prefix', dateline_separator_pattern(), "''") }}),
                    ''
                )
        end as dateline,
        case
            when content.is_first_content_line
                then substr(content.line_text, length(datelines.dateline_prefix) + 1)
            else content.line_text
        end as paragraph_text,
        -- A later line that starts with the same dateline (a repeated copy of the first paragraph)
        -- is compared without it.
        case
            when
                datelines.dateline_prefix <> ''
                and {{ starts_with('content.line_text', 'datelines.dateline_prefix') }}
                then substr(content.line_text, length(datelines.dateline_prefix) + 1)
            else content.line_text
        end as key_text,
        content.char_start
        + case when content.is_first_content_line then length(datelines.dateline_prefix) else 0 end
            as char_start,
        content.char_end
    from content
    left join datelines
        on content.article_id = datelines.article_id
),

keyed as (
    select
        article_id,
        load_id,
        line_index,
        dateline,
        paragraph_text,
        key_text,
        char_start,
        char_end,
        {{ normalize_text('paragraph_text') }} as normalized_text
    from split
    where paragraph_text <> ''
),

counted as (
    select
        article_id,
        load_id,
        line_index,
        dateline,
        paragraph_text,
        char_start,
        char_end,
        {{ count_tokens('normalized_text') }} as word_count,
        normalized_text,
        -- the key is the text itself but for a repeated dateline: normalised once in the usual case
        case
            when key_text = paragraph_text then normalized_text else {{ normalize_text('key_text') }}
        end as dedup_key
    from keyed
)

select * from counted
