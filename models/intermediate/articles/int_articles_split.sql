-- int_articles_split: one row per article; the first non-empty line is the title, the rest the body.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

articles as (
    select * from {{ ref('stg_news__articles') }}
    where {{ from_new_loads() }}
),

header as (
    select
        article_id,
        load_id,
        raw_text,
        {{ regex_extract('raw_text', sql_string('^' ~ whitespace_class() ~ '*[^\\n]*\\n?')) }} as header_text,
        {{ regex_extract('raw_text', sql_string('^' ~ whitespace_class() ~ '*([^\\n]*)'), 1) }} as title_line
    from articles
),

split as (
    select
        article_id,
        load_id,
        {{ regex_replace_all('title_line', sql_string(whitespace_class() ~ '+$'), "''") }} as title,
        substr(raw_text, length(header_text) + 1) as body_text
    from header
)

select * from split
