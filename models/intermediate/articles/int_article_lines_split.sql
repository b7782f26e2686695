-- int_article_lines_split: one row per non-blank line of an article body, with the character offsets
-- (0-based, end exclusive) of its trimmed text in the body.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

articles as (
    select * from {{ ref('int_articles_split') }}
    where {{ from_new_loads() }}
),

line_lists as (
    select
        article_id,
        load_id,
        {{ split_string('body_text', 'chr(10)') }} as line_list
    from articles
),

exploded as (
    select
        article_id,
        load_id,
        {{ explode_with_position('line_list', 'raw_line', 'line_position') }}
    from line_lists
),

positioned as (
    select
        article_id,
        load_id,
        line_position,
        raw_line,
        coalesce(
            sum(length(raw_line) + 1) over (
                partition by article_id
                order by line_position
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as line_offset,
        length({{ regex_extract('raw_line', sql_string('^' ~ whitespace_class() ~ '*')) }}) as leading_space,
        {{ regex_replace_all(
            regex_replace_all('raw_line', sql_string('^' ~ whitespace_class() ~ '+'), "''"),
            sql_string(whitespace_class() ~ '+$'),
            "''"
        ) }} as line_text
    from exploded
),

non_blank as (
    select
        article_id,
        load_id,
        row_number() over (partition by article_id order by line_position) as line_index,
        line_text,
        cast(line_offset + leading_space as bigint) as char_start,
        cast(line_offset + leading_space + length(line_text) as bigint) as char_end
    from positioned
    where line_text <> ''
)

select * from non_blank
