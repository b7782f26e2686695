-- int_article_lines_flagged: one row per body line, flagged when it is page furniture.
-- A line is furniture when it matches a `line` pattern of the page_furniture_patterns seed, or when it
-- sits at or after a comment-section header (`section_start` pattern) in the second half of the article.
-- The seed's patterns are compiled into the SQL as constants (see macros/lexicons.sql).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
{%- set furniture_patterns = lexicon_rows(
    'page_furniture_patterns', 'scope desc, pattern_id',
    placeholder={'pattern_id': 'none', 'scope': 'line', 'max_length': 0, 'pattern': '$^'}
) %}
with

lines as (
    select * from {{ ref('int_article_lines_split') }}
    where {{ from_new_loads() }}
),

patterns as (
    select * from {{ ref('page_furniture_patterns') }}
),

-- The first pattern (section headers first, then by id) that the line matches, if any.
matches as (
    select
        article_id,
        line_index,
        case
            {%- for pattern in furniture_patterns %}
                when
                    length(line_text) <= {{ pattern['max_length'] }}
                    and {{ regex_matches('line_text', sql_string(pattern['pattern'])) }}
                    then {{ sql_string(pattern['pattern_id']) }}
            {%- endfor %}
        end as pattern_id
    from lines
),

matched as (
    select
        matches.article_id,
        matches.line_index,
        patterns.pattern_id,
        patterns.scope
    from matches
    inner join patterns
        on matches.pattern_id = patterns.pattern_id
),

line_counts as (
    select
        article_id,
        count(*) as line_total
    from lines
    group by article_id
),

comment_sections as (
    select
        matched.article_id,
        min(matched.line_index) as section_start_index
    from matched
    inner join line_counts
        on matched.article_id = line_counts.article_id
    where
        matched.scope = 'section_start'
        and matched.line_index > line_counts.line_total / 2.0
    group by matched.article_id
),

flagged as (
    select
        lines.article_id,
        lines.load_id,
        lines.line_index,
        lines.line_text,
        lines.char_start,
        lines.char_end,
        (
            comment_sections.section_start_index is not null
            and lines.line_index >= comment_sections.section_start_index
        ) as is_in_comment_section,
        matched.pattern_id as line_pattern_id,
        matched.scope as line_pattern_scope
    from lines
    left join matched
        on
            lines.article_id = matched.article_id
            and lines.line_index = matched.line_index
    left join comment_sections
        on lines.article_id = comment_sections.article_id
),

classified as (
    select
        article_id,
        load_id,
        line_index,
        line_text,
        char_start,
        char_end,
        (is_in_comment_section or coalesce(line_pattern_scope = 'line', false)) as is_furniture,
        case
            when line_pattern_scope = 'line' then line_pattern_id
            when is_in_comment_section then 'comment_section'
        end as furniture_pattern_id
    from flagged
)

select * from classified
