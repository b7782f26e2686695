-- int_article_lines_classified: one row per body line with its kind: furniture, byline, contributor
-- or content.
--   byline: the first line of the header (the lines before the first sentence-like line) that is only a
--     person's name, optionally after `By`; furniture lines in between do not count.
--   contributor: a trailing line such as `X contributed to this article.` (contributor_patterns seed),
--     when only furniture or other contributor lines follow it. The seed's patterns are compiled into
--     the SQL as constants (see macros/lexicons.sql).
-- depends_on: {{ ref('contributor_patterns') }}
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
{%- set credit_patterns = lexicon_rows(
    'contributor_patterns', 'pattern_id',
    placeholder={'pattern_id': 'none', 'max_length': 0, 'pattern': '($^)'}
) %}
with

lines as (
    select * from {{ ref('int_article_lines_flagged') }}
    where {{ from_new_loads() }}
),

-- The first credit-line pattern (by id) that a non-furniture line matches, and the name it captures.
contributor_matches as (
    select
        article_id,
        line_index,
        case
            {%- for pattern in credit_patterns %}
                when
                    length(line_text) <= {{ pattern['max_length'] }}
                    and {{ regex_matches('line_text', sql_string(pattern['pattern'])) }}
                    then trim({{ regex_extract('line_text', sql_string(pattern['pattern']), 1) }})
            {%- endfor %}
        end as contributor_name
    from lines
    where not is_furniture
),

flagged as (
    select
        lines.*,
        contributor_matches.contributor_name,
        not lines.is_furniture and {{ sentence_like('lines.line_text') }} as is_sentence_like,
        not lines.is_furniture
        and length(lines.line_text) <= 80
        and {{ regex_matches('lines.line_text', byline_pattern()) }}
        and not {{ regex_matches('lines.line_text', sql_string('\\p{Lu}\\p{Lu}')) }} as is_name_line,
        {{ regex_matches('lines.line_text', sql_string('^[Bb][Yy]:?\\s')) }} as has_by_prefix
    from lines
    left join contributor_matches
        on
            lines.article_id = contributor_matches.article_id
            and lines.line_index = contributor_matches.line_index
),

article_marks as (
    select
        article_id,
        coalesce({{ aggregate_where('min', 'line_index', 'is_sentence_like') }}, 1e9) as first_sentence_index,
        coalesce(
            {{ aggregate_where('max', 'line_index', 'not is_furniture and contributor_name is null') }}, 0
        ) as last_text_index
    from flagged
    group by article_id
),

header_lines as (
    select
        flagged.article_id,
        flagged.line_index,
        flagged.is_name_line,
        flagged.has_by_prefix,
        {{ aggregate_where('count', '*', 'not flagged.is_furniture') }} over (
            partition by flagged.article_id
        ) as header_text_lines
    from flagged
    inner join article_marks
        on flagged.article_id = article_marks.article_id
    where flagged.line_index < article_marks.first_sentence_index
),

-- A name line in a header of at most two text lines (name, maybe a role), or any `By ...` line.
-- A longer header is a block of data (a venue, a date, a kick-off time; a table's column names).
bylines as (
    select
        article_id,
        min(line_index) as byline_index
    from header_lines
    where
        is_name_line
        and (header_text_lines <= 2 or has_by_prefix)
    group by article_id
),

classified as (
    select
        flagged.article_id,
        flagged.load_id,
        flagged.line_index,
        flagged.line_text,
        flagged.char_start,
        flagged.char_end,
        flagged.furniture_pattern_id,
        case
            when flagged.is_furniture then 'furniture'
            when flagged.line_index = bylines.byline_index then 'byline'
            when
                flagged.contributor_name is not null
                and flagged.line_index > article_marks.last_text_index
                then 'contributor'
            else 'content'
        end as line_kind,
        case
            when flagged.line_index = bylines.byline_index
                then {{ regex_extract('flagged.line_text', byline_pattern(), 1) }}
        end as byline_name,
        case
            when flagged.line_index > article_marks.last_text_index then flagged.contributor_name
        end as contributor_name
    from flagged
    inner join article_marks
        on flagged.article_id = article_marks.article_id
    left join bylines
        on flagged.article_id = bylines.article_id
)

select * from classified
