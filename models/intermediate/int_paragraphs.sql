-- int_paragraphs: one row per content line of an article (furniture, byline and contributor lines
-- left out), before deduplication. The first one loses its dateline (`ERBIL, Kurdistan Region - `),
-- which is kept in `dateline`; offsets then point at the rest. `dedup_key` is the normalised text with
-- any leading dateline removed, so a repeated copy of the first paragraph is recognised as a repeat.
with

lines as (
    select * from {{ ref('int_article_lines__classified') }}
),

content as (
    select
        article_id,
        line_index,
        line_text,
        char_start,
        char_end,
        line_index = min(line_index) over (partition by article_id) as is_first_content_line
    from lines
    where line_kind = 'content'
),

datelined as (
    select
        *,
        case
            when is_first_content_line
                then {{ regex_extract('line_text', dateline_pattern(), 1) }}
            else ''
        end as dateline_prefix
    from content
),

split as (
    select
        article_id,
        line_index,
        nullif(
            trim({{ regex_replace_all('dateline_prefix', dateline_separator_pattern(), "''") }}), ''
        ) as dateline,
        substr(line_text, length(dateline_prefix) + 1) as paragraph_text,
        char_start + length(dateline_prefix) as char_start,
        char_end
    from datelined
),

keyed as (
    select
        article_id,
        line_index,
        dateline,
        paragraph_text,
        char_start,
        char_end,
        {{ word_count('paragraph_text') }} as word_count,
        {{ normalize_text('paragraph_text') }} as normalized_text,
        {{ normalize_text(regex_replace_all('paragraph_text', dateline_pattern(), "''")) }} as dedup_key
    from split
    where paragraph_text <> ''
)

select * from keyed
