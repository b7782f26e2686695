-- int_articles__split: one row per article; the first non-empty line is the title, the rest the body.
with

articles as (
    select * from {{ ref('stg_news__articles') }}
),

header as (
    select
        article_id,
        raw_text,
        {{ regex_extract('raw_text', "'^" ~ whitespace_class() ~ "*[^\\n]*\\n?'") }} as header_text,
        {{ regex_extract('raw_text', "'^" ~ whitespace_class() ~ "*([^\\n]*)'", 1) }} as title_line
    from articles
),

split as (
    select
        article_id,
        {{ regex_replace_all('title_line', "'" ~ whitespace_class() ~ "+$'", "''") }} as title,
        substr(raw_text, length(header_text) + 1) as body_text
    from header
)

select * from split
