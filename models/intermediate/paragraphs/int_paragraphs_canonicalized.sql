-- int_paragraphs_canonicalized: one row per kept paragraph with `canonical_paragraph_id`, the first
-- occurrence of the same normalised text anywhere in the warehouse (earliest loaded article, then
-- source path, then position); a paragraph that is the first occurrence points at itself.
-- Incremental: loads are numbered in time order, so a paragraph of a new load takes the canonical
-- occurrence its text already has, or the first of its text among the new rows. A text whose canonical
-- occurrence is gone (its article has a new version, or no longer exists) has all its rows ranked
-- again, and they are rewritten; every other held row stays as it is.
{%- set paragraph_columns = [
    'paragraph_id', 'article_id', 'load_id', 'text_id', 'paragraph_index', 'line_index', 'dateline',
    'paragraph_text', 'char_start', 'char_end', 'word_count', 'normalized_text'
] %}
{{ config(
    materialized='incremental',
    unique_key='paragraph_id',
    incremental_strategy='replace_articles_and_keys'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

-- The rows this model holds, after its strategy dropped those of replaced articles (none on a full
-- build). Inlined: each reader below reads only the columns and rows it needs.
held as {{ inline_cte() }} (
    {%- if incremental_run() %}
        select * from {{ this }}
    {%- else %}
        select
            *,
            paragraph_id as canonical_paragraph_id
        from paragraphs
        where false
    {%- endif %}
),

-- The canonical occurrence of each text held: the row that is its own canonical.
held_canonicals as (
    select
        held.normalized_text,
        held.paragraph_id as canonical_paragraph_id
    from held
    where held.paragraph_id = held.canonical_paragraph_id
),

-- Canonical occurrences deleted before this run's query (usually none), and their texts.
orphaned_canonicals as (
    select distinct held.canonical_paragraph_id
    from held
    where held.canonical_paragraph_id not in (select held_canonicals.canonical_paragraph_id from held_canonicals)
),

orphaned_texts as (
    select distinct held.normalized_text
    from held
    where held.canonical_paragraph_id in (select orphaned_canonicals.canonical_paragraph_id from orphaned_canonicals)
),

-- The standing canonical occurrence of each text of the new rows that has one.
standing as (
    select
        held_canonicals.normalized_text,
        held_canonicals.canonical_paragraph_id
    from held_canonicals
    where held_canonicals.normalized_text in (select paragraphs.normalized_text from paragraphs)
),

-- Rows to rank: the new ones, and the held rows of orphaned texts.
candidates as (
    select {{ paragraph_columns | join(', ') }}
    from paragraphs
    union all
    select {{ paragraph_columns | join(', ') }}
    from held
    where held.normalized_text in (select orphaned_texts.normalized_text from orphaned_texts)
),

ordered as (
    select
        candidates.*,
        first_value(candidates.paragraph_id) over (
            partition by candidates.normalized_text
            order by
                articles.loaded_at asc,
                articles.load_id asc,
                articles.source_path asc,
                candidates.paragraph_index asc
            rows between unbounded preceding and unbounded following
        ) as first_paragraph_id
    from candidates
    inner join articles
        on candidates.article_id = articles.article_id
),

resolved as (
    select
        ordered.paragraph_id,
        ordered.article_id,
        ordered.load_id,
        ordered.text_id,
        ordered.paragraph_index,
        ordered.line_index,
        ordered.dateline,
        ordered.paragraph_text,
        ordered.char_start,
        ordered.char_end,
        ordered.word_count,
        ordered.normalized_text,
        coalesce(standing.canonical_paragraph_id, ordered.first_paragraph_id) as canonical_paragraph_id
    from ordered
    left join standing
        on ordered.normalized_text = standing.normalized_text
)

select * from resolved
