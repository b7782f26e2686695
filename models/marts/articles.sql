-- articles: one row per article (the newest version of each source file), with its title, dateline,
-- byline, counts over its kept paragraphs and, for a duplicate, the canonical article it repeats.
-- Incremental: a build rewrites the articles of new loads, and the older articles whose duplicate or
-- near-duplicate link changed (found by comparing the links held with the ones just computed);
-- the other rows stay as they are.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles_and_keys'
) }}
with

-- Each article's duplicate and near-duplicate links.
links as (
    select * from {{ ref('int_articles_near_matched') }}
),

-- The articles written on this run: those of new loads, and the older ones held with links that are
-- no longer right (macros/incremental.sql).
relinked as (
    {{ relinked_articles('links', 'article_id', ['duplicate_of_article_id', 'near_duplicate_of_article_id']) }}
),

articles as (
    {{ rows_of_new_or_relinked_articles(ref('stg_news__articles'), columns=[
        'article_id', 'source_path', 'content_sha256', 'published_at', 'source_name', 'url', 'loaded_at',
        'source_encoding', 'load_id'
    ]) }}
),

split as (
    {{ rows_of_new_or_relinked_articles(ref('int_articles_split')) }}
),

lines as (
    {{ rows_of_new_or_relinked_articles(ref('int_article_lines_classified')) }}
),

paragraphs as (
    {{ rows_of_new_or_relinked_articles(ref('int_paragraphs_deduped')) }}
),

paragraph_stats as (
    select
        article_id,
        max(dateline) as dateline,
        count(*) as paragraph_count,
        cast(sum(word_count) as bigint) as word_count
    from paragraphs
    group by article_id
),

credits as (
    select
        article_id,
        min(byline_name) as byline,
        {{ string_agg_ordered('contributor_name', "'; '", 'line_index') }} as contributor
    from lines
    where byline_name is not null or contributor_name is not null
    group by article_id
),

final as (
    select
        articles.article_id,
        articles.source_path,
        split.title,
        paragraph_stats.dateline,
        credits.byline,
        credits.contributor,
        articles.published_at,
        articles.source_name,
        articles.url,
        coalesce(paragraph_stats.paragraph_count, 0) as paragraph_count,
        coalesce(paragraph_stats.word_count, 0) as word_count,
        articles.content_sha256,
        links.duplicate_of_article_id,
        links.near_duplicate_of_article_id,
        articles.loaded_at,
        articles.source_encoding,
        split.body_text,
        articles.load_id
    from articles
    inner join split
        on articles.article_id = split.article_id
    inner join links
        on articles.article_id = links.article_id
    left join paragraph_stats
        on articles.article_id = paragraph_stats.article_id
    left join credits
        on articles.article_id = credits.article_id
)

select * from final
