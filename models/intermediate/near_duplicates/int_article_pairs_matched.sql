-- int_article_pairs_matched: one row per pair of canonical articles whose shingle sets (the
-- union of their paragraphs' word n-gram shingles) have a Jaccard of at least
-- `near_duplicate_threshold`. Candidates share an LSH band key (buckets over
-- `near_duplicate_bucket_limit` pair with their first article only); each is verified exactly.
-- article_id_a is the earlier loaded article. Incremental: only candidates with an article of a new
-- load are checked; the pairs of articles signed again are dropped first.
{%- set num_hashes = var('minhash_bands') * var('minhash_rows') %}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_pairs_of_new_articles'
) }}
with

-- Inlined on an incremental run (each reader then reads only the rows it joins); a full build reads
-- every signature anyway, and once is cheaper.
signatures as {{ inline_cte(incremental_only=true) }} (
    select * from {{ ref('int_articles_signed') }}
),

new_signatures as (
    select * from {{ ref('int_articles_signed') }}
    where {{ from_new_loads() }}
),

bands as (
    select
        article_id,
        load_id,
        first_seen_rank,
        {{ explode_with_position('band_keys', 'band_key', 'band_index') }}
    from signatures
),

-- A new pair needs an article of a new load, so only the buckets those articles fall in are sized
-- and joined (every bucket on a full build, which does not read this CTE).
touched_buckets as (  -- noqa: ST03
    select {{ explode_with_position('band_keys', 'band_key', 'band_index') }}
    from new_signatures
),

-- Bucket sizes by aggregation (a hash, not a window's sort); a bucket of one text pairs nothing.
bucket_stats as (
    select
        band_key,
        count(*) as bucket_size,
        min(first_seen_rank) as bucket_first_rank
    from bands
    where {{ in_batch('band_key', 'touched_buckets') }}
    group by band_key
    having count(*) > 1
),

buckets as (
    select
        bands.article_id,
        bands.load_id,
        bands.first_seen_rank,
        bands.band_key,
        bucket_stats.bucket_size,
        bucket_stats.bucket_first_rank
    from bands
    inner join bucket_stats
        on bands.band_key = bucket_stats.band_key
),

candidates as (
    select distinct
        earlier.article_id as article_id_a,
        later.article_id as article_id_b,
        earlier.first_seen_rank as rank_a,
        later.first_seen_rank as rank_b,
        greatest(earlier.load_id, later.load_id) as load_id
    from buckets as earlier
    inner join buckets as later
        on
            earlier.band_key = later.band_key
            and earlier.first_seen_rank < later.first_seen_rank
    where
        (
            later.bucket_size <= {{ var('near_duplicate_bucket_limit') }}
            or earlier.first_seen_rank = later.bucket_first_rank
        )
        and {{ from_new_loads('greatest(earlier.load_id, later.load_id)') }}
),

-- Signature estimate first (cheap), then the exact Jaccard of the survivors' shingle sets.
estimated as (
    select
        candidates.article_id_a,
        candidates.article_id_b,
        candidates.rank_a,
        candidates.rank_b,
        candidates.load_id,
        signatures_a.shingles as shingles_a,
        signatures_b.shingles as shingles_b
    from candidates
    inner join signatures as signatures_a
        on candidates.article_id_a = signatures_a.article_id
    inner join signatures as signatures_b
        on candidates.article_id_b = signatures_b.article_id
    where
        {{ signature_agreement('signatures_a.signature', 'signatures_b.signature', num_hashes) }}
        >= {{ var('near_duplicate_threshold') }} - {{ var('near_duplicate_estimate_margin') }}
),

intersected as (
    select
        article_id_a,
        article_id_b,
        rank_a,
        rank_b,
        load_id,
        {{ list_length('shingles_a') }} as shingles_a,
        {{ list_length('shingles_b') }} as shingles_b,
        {{ shingle_intersection_size('shingles_a', 'shingles_b') }} as shared_shingles
    from estimated
),

scored as (
    select
        article_id_a,
        article_id_b,
        rank_a,
        rank_b,
        load_id,
        cast(shared_shingles as double) / (shingles_a + shingles_b - shared_shingles) as jaccard
    from intersected
),

verified as (
    select * from scored
    where jaccard >= {{ var('near_duplicate_threshold') }}
)

select * from verified
