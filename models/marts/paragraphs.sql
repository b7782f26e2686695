-- paragraphs: one row per paragraph an article keeps (furniture and in-article repeats dropped),
-- with its offsets in the article body and the canonical first occurrence of the same text.
-- Incremental: a build rewrites the paragraphs of the articles of new loads, and of the older
-- articles a paragraph of which has another canonical occurrence or near-duplicate cluster now
-- (found by comparing the ids held with the ones just computed); the other rows stay as they are.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles_and_keys'
) }}
with

paragraphs as {{ inline_cte(incremental_only=true) }} (
    select * from {{ ref('int_paragraphs_canonicalized') }}
),

near_duplicate_clusters as (
    select * from {{ ref('int_paragraph_texts_clustered') }}
),

-- Inlined on an incremental run: finding the relinked articles reads only the ids, and only the
-- rows written read the texts (materialised, this copied every paragraph's text first).
linked as {{ inline_cte(incremental_only=true) }} (
    select
        paragraphs.paragraph_id,
        paragraphs.article_id,
        paragraphs.load_id,
        paragraphs.paragraph_index,
        paragraphs.paragraph_text,
        paragraphs.char_start,
        paragraphs.char_end,
        paragraphs.word_count,
        paragraphs.canonical_paragraph_id,
        coalesce(
            near_duplicate_clusters.near_duplicate_cluster_id, paragraphs.canonical_paragraph_id
        ) as near_duplicate_cluster_id
    from paragraphs
    left join near_duplicate_clusters
        on paragraphs.canonical_paragraph_id = near_duplicate_clusters.paragraph_id
),

-- Articles held with a paragraph whose links are no longer right (macros/incremental.sql).
relinked as (
    {{ relinked_articles('linked', 'paragraph_id', ['canonical_paragraph_id', 'near_duplicate_cluster_id']) }}
),

-- The paragraphs of new loads' articles and of the relinked ones (two branches, not one `or`: see
-- the macro).
written as (
    {{ rows_of_new_or_relinked_articles('linked') }}
),

final as (
    select
        paragraph_id,
        article_id,
        -- Spark numbers rows and counts characters as int: the contract's bigint on both engines.
        cast(paragraph_index as bigint) as paragraph_index,
        paragraph_text,
        char_start,
        char_end,
        cast(word_count as bigint) as word_count,
        canonical_paragraph_id,
        near_duplicate_cluster_id,
        load_id
    from written
)

select * from final
