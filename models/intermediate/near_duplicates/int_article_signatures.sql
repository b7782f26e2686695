-- int_article_signatures: one row per canonical article (not an exact duplicate) with at least one
-- shingled paragraph: its MinHash signature and LSH band keys. An article's shingle set is the union of
-- its paragraphs' word n-gram shingles, so its signature is the element-wise minimum of their
-- signatures (no text is hashed twice; syndicated paragraphs are hashed once for every article).
-- first_seen_rank orders all articles by load (loaded_at, load_id, source_path).
{%- set num_hashes = var('minhash_bands') * var('minhash_rows') %}
with

paragraphs as (
    select * from {{ ref('int_paragraphs__canonical') }}
),

paragraph_signatures as (
    select * from {{ ref('int_paragraph_signatures') }}
),

duplicates as (
    select * from {{ ref('int_articles__duplicates') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

ranked_articles as (
    select
        articles.article_id,
        duplicates.duplicate_of_article_id,
        row_number() over (
            order by articles.loaded_at asc, articles.load_id asc, articles.source_path asc
        ) as first_seen_rank
    from articles
    inner join duplicates
        on articles.article_id = duplicates.article_id
),

article_paragraph_signatures as (
    select
        paragraphs.article_id,
        {{ collect_list('paragraph_signatures.signature') }} as signatures
    from paragraphs
    inner join paragraph_signatures
        on paragraphs.canonical_paragraph_id = paragraph_signatures.paragraph_id
    group by paragraphs.article_id
),

signed as (
    select
        ranked_articles.article_id,
        ranked_articles.first_seen_rank,
        {{ signature_union('article_paragraph_signatures.signatures', num_hashes) }} as signature
    from ranked_articles
    inner join article_paragraph_signatures
        on ranked_articles.article_id = article_paragraph_signatures.article_id
    where ranked_articles.duplicate_of_article_id is null
),

banded as (
    select
        article_id,
        first_seen_rank,
        signature,
        {{ lsh_band_keys('signature', var('minhash_bands'), var('minhash_rows')) }} as band_keys
    from signed
)

select * from banded
