-- int_articles_signed: one row per canonical article (not an exact duplicate) with at least one
-- shingled paragraph: its shingle set, MinHash signature and LSH band keys. An article's shingle set
-- is the union of its paragraphs' word n-gram shingles, so its signature is the element-wise minimum
-- of their signatures (no text is hashed twice; one min per position). The shingle set is kept for
-- the exact Jaccard of candidate pairs: computed once per article here, not again by every build that
-- finds it a candidate.
-- first_seen_rank orders all articles by load (loaded_at, load_id, source_path). Incremental: an
-- article of a new load is signed (again); one that became an exact duplicate loses its row.
{%- set num_hashes = var('minhash_bands') * var('minhash_rows') %}
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles_and_duplicates'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_canonicalized') }}
),

paragraph_signatures as (
    select * from {{ ref('int_paragraph_texts_signed') }}
),

duplicates as (
    select * from {{ ref('int_articles_deduplicated') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
    where {{ from_new_loads() }}
),

ranked_articles as (
    select
        articles.article_id,
        articles.load_id,
        duplicates.duplicate_of_article_id,
        {{ rank_offset() }} + row_number() over (
            order by articles.loaded_at asc, articles.load_id asc, articles.source_path asc
        ) as first_seen_rank
    from articles
    inner join duplicates
        on articles.article_id = duplicates.article_id
),

-- Only the paragraphs of this run's articles are aggregated (on an incremental build the filter
-- cannot be pushed through the group by from the join below).
batch_paragraphs as (
    select * from paragraphs
    where {{ in_batch('article_id', 'articles') }}
),

article_paragraph_signatures as (
    select
        batch_paragraphs.article_id,
        {{ signature_union_agg('paragraph_signatures.signature', num_hashes) }} as signature,
        {{ list_distinct_flatten(collect_list('paragraph_signatures.shingles')) }} as shingles
    from batch_paragraphs
    inner join paragraph_signatures
        on batch_paragraphs.canonical_paragraph_id = paragraph_signatures.paragraph_id
    group by batch_paragraphs.article_id
),

signed as (
    select
        ranked_articles.article_id,
        ranked_articles.load_id,
        ranked_articles.first_seen_rank,
        article_paragraph_signatures.shingles,
        article_paragraph_signatures.signature
    from ranked_articles
    inner join article_paragraph_signatures
        on ranked_articles.article_id = article_paragraph_signatures.article_id
    where ranked_articles.duplicate_of_article_id is null
),

banded as (
    select
        article_id,
        load_id,
        first_seen_rank,
        shingles,
        signature,
        {{ lsh_band_keys('signature', var('minhash_bands'), var('minhash_rows')) }} as band_keys
    from signed
)

select * from banded
