-- int_paragraph_texts_signed: one row per distinct normalised paragraph text (its canonical paragraph)
-- of at least `shingle_size` words, with its word n-gram shingles (kept for the exact Jaccard of
-- candidate pairs), its MinHash signature and its LSH band keys. first_seen_rank orders the texts by
-- first occurrence (earliest loaded article first).
{%- set num_hashes = var('minhash_bands') * var('minhash_rows') %}
{{ config(
    materialized='incremental',
    unique_key='paragraph_id',
    incremental_strategy='replace_stale_signatures'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_canonicalized') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

-- On an incremental build only texts this model does not hold (any load: a text whose first occurrence
-- moved to an older article when the article that carried it first changed is new here too); their
-- ranks follow the ones it holds.
first_occurrences as (
    select
        paragraphs.paragraph_id,
        paragraphs.normalized_text,
        paragraphs.load_id,
        {{ rank_offset() }} + row_number() over (
            order by
                articles.loaded_at asc,
                articles.load_id asc,
                articles.source_path asc,
                paragraphs.paragraph_index asc
        ) as first_seen_rank
    from paragraphs
    inner join articles
        on paragraphs.article_id = articles.article_id
    where
        paragraphs.paragraph_id = paragraphs.canonical_paragraph_id
        and {{ not_held('paragraphs.paragraph_id', 'paragraph_id') }}
),

words as (
    select
        paragraph_id,
        load_id,
        first_seen_rank,
        {{ split_string('normalized_text', "' '") }} as words
    from first_occurrences
),

shingled as (
    select
        paragraph_id,
        load_id,
        first_seen_rank,
        {{ word_shingles('words', var('shingle_size')) }} as shingles
    from words
    where {{ list_length('words') }} >= {{ var('shingle_size') }}
),

-- One row per shingle: each hash function's minimum is then one min aggregate per text.
shingle_rows as (
    select
        paragraph_id,
        {{ explode_with_position('shingles', 'shingle', 'shingle_position') }}
    from shingled
),

signatures as (
    select
        paragraph_id,
        {{ minhash_signature_agg('shingle', num_hashes) }} as signature
    from shingle_rows
    group by paragraph_id
),

signed as (
    select
        shingled.paragraph_id,
        shingled.load_id,
        shingled.first_seen_rank,
        shingled.shingles,
        signatures.signature
    from shingled
    inner join signatures
        on shingled.paragraph_id = signatures.paragraph_id
),

banded as (
    select
        paragraph_id,
        load_id,
        first_seen_rank,
        shingles,
        signature,
        {{ lsh_band_keys('signature', var('minhash_bands'), var('minhash_rows')) }} as band_keys
    from signed
)

select * from banded
