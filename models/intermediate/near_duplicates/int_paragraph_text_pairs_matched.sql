-- int_paragraph_text_pairs_matched: one row per pair of distinct paragraph texts whose word-shingle
-- Jaccard is at least `near_duplicate_threshold`. Candidates share an LSH band key; a bucket of more
-- than `near_duplicate_bucket_limit` texts pairs each member with the bucket's first text only (a star,
-- so boilerplate families cost their size, not its square). Every candidate is verified by the exact
-- Jaccard of the two shingle sets. paragraph_id_a is the earlier text.
-- Incremental: only candidates whose later text is signed after the last pair held are checked (a
-- signature's first_seen_rank only grows, also for a text signed again under an older load); the
-- strategy first drops the pairs of signatures that are gone. A held pair stays when its bucket grows
-- past the limit later (it was verified; a full build would pair that bucket as a star).
{%- set num_hashes = var('minhash_bands') * var('minhash_rows') %}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_pairs_of_stale_signatures'
) }}
with

-- Inlined on an incremental run (each reader then reads only the rows it joins); a full build reads
-- every signature anyway, and once is cheaper.
signatures as {{ inline_cte(incremental_only=true) }} (
    select * from {{ ref('int_paragraph_texts_signed') }}
),

new_signatures as (
    select * from {{ ref('int_paragraph_texts_signed') }}
    where {{ signed_after_held_pairs('first_seen_rank') }}
),

bands as (
    select
        paragraph_id,
        first_seen_rank,
        {{ explode_with_position('band_keys', 'band_key', 'band_index') }}
    from signatures
),

-- A new pair needs a newly signed text, so only the buckets those texts fall in are sized and
-- joined (every bucket on a full build, which does not read this CTE).
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
        bands.paragraph_id,
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
        earlier.paragraph_id as paragraph_id_a,
        later.paragraph_id as paragraph_id_b,
        earlier.first_seen_rank as rank_a,
        later.first_seen_rank as rank_b
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
        and {{ signed_after_held_pairs('later.first_seen_rank') }}
),

estimated as (
    select
        candidates.paragraph_id_a,
        candidates.paragraph_id_b,
        candidates.rank_a,
        candidates.rank_b
    from candidates
    inner join signatures as texts_a
        on candidates.paragraph_id_a = texts_a.paragraph_id
    inner join signatures as texts_b
        on candidates.paragraph_id_b = texts_b.paragraph_id
    where
        {{ signature_agreement('texts_a.signature', 'texts_b.signature', num_hashes) }}
        >= {{ var('near_duplicate_threshold') }} - {{ var('near_duplicate_estimate_margin') }}
),

intersected as (
    select
        estimated.paragraph_id_a,
        estimated.paragraph_id_b,
        estimated.rank_a,
        estimated.rank_b,
        {{ list_length('texts_a.shingles') }} as shingles_a,
        {{ list_length('texts_b.shingles') }} as shingles_b,
        {{ shingle_intersection_size('texts_a.shingles', 'texts_b.shingles') }} as shared_shingles
    from estimated
    inner join signatures as texts_a
        on estimated.paragraph_id_a = texts_a.paragraph_id
    inner join signatures as texts_b
        on estimated.paragraph_id_b = texts_b.paragraph_id
),

scored as (
    select
        paragraph_id_a,
        paragraph_id_b,
        rank_a,
        rank_b,
        cast(shared_shingles as double) / (shingles_a + shingles_b - shared_shingles) as jaccard
    from intersected
),

verified as (
    select * from scored
    where jaccard >= {{ var('near_duplicate_threshold') }}
)

select * from verified
