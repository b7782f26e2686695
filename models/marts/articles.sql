-- articles: one row per article (the newest version of each source file), with its title, dateline,
-- byline, counts over its kept paragraphs and, for a duplicate, the canonical article it repeats.
-- Incremental: a build rewrites the articles of new loads, and the older articles whose duplicate or
-- near-duplicate link changed (found by comparing the links held with the ones just computed);
-- the other rows stay as they are.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

-- Each branch of `articles` below reads its input once: a CTE read twice is
-- materialised whole, text included, before any filter applies.
new_articles as (
    select * from {{ ref('stg_news__articles') }}
    where {{ from_new_loads() }}
),

older_articles as (
    select * from {{ ref('stg_news__articles') }}
    where not ({{ from_new_loads() }})
),

duplicates as (
    select * from {{ ref('int_articles_deduplicated') }}
),

near_duplicates as (
    select * from {{ ref('int_articles_near_matched') }}
),

-- The links this model holds (none on a full build).
held as (
    {%- if incremental_run() %}
        select
            article_id,
            duplicate_of_article_id,
            near_duplicate_of_article_id
        from {{ this }}
    {%- else %}
        select
            duplicates.article_id,
            duplicates.duplicate_of_article_id,
            near_duplicates.near_duplicate_of_article_id
        from duplicates
        inner join near_duplicates
            on duplicates.article_id = near_duplicates.article_id
        where false
    {%- endif %}
),

-- Articles held with links that are no longer right.
relinked as (
    select held.article_id
    from held
    inner join duplicates
        on held.article_id = duplicates.article_id
    inner join near_duplicates
        on held.article_id = near_duplicates.article_id
    where
        held.duplicate_of_article_id is distinct from duplicates.duplicate_of_article_id
        or held.near_duplicate_of_article_id is distinct from near_duplicates.near_duplicate_of_article_id
),

-- The articles to write: those of new loads and the relinked ones. Here and in the three inputs
-- below, two branches, not one `or`: the load_id filter of the first reaches the scan and skips the
-- row groups of older loads (texts included); the second reads the few relinked articles' rows.
{%- set article_columns = [
    'article_id', 'source_path', 'content_sha256', 'published_at', 'source_name', 'url', 'loaded_at',
    'source_encoding', 'load_id'
] %}
articles as (
    select {{ article_columns | join(', ') }}
    from new_articles
    union all
    select {{ article_columns | join(', ') }}
    from older_articles
    where older_articles.article_id in (select relinked.article_id from relinked)
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
        duplicates.duplicate_of_article_id,
        near_duplicates.near_duplicate_of_article_id,
        articles.loaded_at,
        articles.source_encoding,
        split.body_text,
        articles.load_id
    from articles
    inner join split
        on articles.article_id = split.article_id
    inner join duplicates
        on articles.article_id = duplicates.article_id
    inner join near_duplicates
        on articles.article_id = near_duplicates.article_id
    left join paragraph_stats
        on articles.article_id = paragraph_stats.article_id
    left join credits
        on articles.article_id = credits.article_id
)

select * from final
