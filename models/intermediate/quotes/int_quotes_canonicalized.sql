-- int_quotes_canonicalized: one row per quote with `canonical_quote_id`, the earliest loaded occurrence
-- (int_quote_occurrences_ranked) of the same quote anywhere in the warehouse.
-- Two quotes are the same when their normalised texts are equal, or their word sets have Jaccard
-- similarity >= 0.8 (so `I want assure` meets `I want to assure`). Matching runs over distinct
-- normalised texts (int_quote_texts_normalized), each with its first occurrence: a quote republished in a
-- thousand articles is one text. Fuzzy candidates are blocked, never all pairs: texts sharing their
-- first three or last three normalised words, in blocks of at most 50 distinct texts (a bigger block
-- is a stock phrase). A quote with no match is its own canonical.
-- Incremental: the quotes of new loads come after every quote held (int_quote_occurrences_ranked). A
-- new quote of a text held takes the text's canonical; a new text is matched against every text. A
-- text whose canonical occurrence is gone (its article has a new version) is matched again, and its
-- held rows are rewritten; every other held row stays as it is (also when a block grows past 50 texts
-- later: its matches were made).
{%- set occurrence_columns = ['quote_id', 'article_id', 'load_id', 'text_key', 'occurrence_rank'] %}
{{ config(
    materialized='incremental',
    unique_key='quote_id',
    incremental_strategy='replace_articles_and_keys'
) }}
with

new_occurrences as (
    select * from {{ ref('int_quote_occurrences_ranked') }}
    where {{ from_new_loads() }}
),

quote_texts as (
    select * from {{ ref('int_quote_texts_normalized') }}
),

-- The rows this model holds, after its strategy dropped those of replaced articles (none on a full
-- build).
held as {{ inline_cte() }} (
    {%- if incremental_run() %}
        select * from {{ this }}
    {%- else %}
        select
            quote_id,
            article_id,
            load_id,
            cast(null as {{ type_name('varchar') }}) as text_key,
            cast(null as bigint) as occurrence_rank,
            quote_id as canonical_quote_id
        from new_occurrences
        where false
    {%- endif %}
),

occurrences as (
    select
        quote_id,
        text_key,
        occurrence_rank
    from held
    union all
    select
        quote_id,
        text_key,
        occurrence_rank
    from new_occurrences
),

-- One row per distinct normalised text present now, with its first occurrence.
text_firsts as (
    select
        text_key,
        min(occurrence_rank) as first_rank,
        {{ arg_min('quote_id', 'occurrence_rank') }} as first_quote_id
    from occurrences
    group by text_key
),

-- The canonical of each text held whose canonical occurrence is still there.
standing as (
    select distinct
        held.text_key,
        held.canonical_quote_id
    from held
    where held.canonical_quote_id in (select still_held.quote_id from held as still_held)
),

-- Texts to match: new texts, and texts held whose canonical occurrence is gone (usually none).
targets as (
    select text_firsts.text_key
    from text_firsts
    where text_firsts.text_key not in (select standing.text_key from standing)
),

-- Texts present now, with their tokens and blocks.
current_texts as (
    select
        quote_texts.text_key,
        quote_texts.token_set,
        quote_texts.head_key,
        quote_texts.tail_key,
        text_firsts.first_rank,
        text_firsts.first_quote_id
    from quote_texts
    inner join text_firsts
        on quote_texts.text_key = text_firsts.text_key
),

block_keys as (
    select
        text_key,
        head_key as block_key
    from current_texts
    where head_key is not null
    union
    select
        text_key,
        tail_key as block_key
    from current_texts
    where tail_key is not null
),

-- A block shared by very many texts is a stock phrase, not a sign of the same quote: skip it so the
-- pairs stay linear in the number of texts.
small_blocks as (
    select block_key
    from block_keys
    group by block_key
    having count(*) between 2 and 50
),

target_blocks as (
    select
        block_keys.text_key,
        block_keys.block_key
    from block_keys
    inner join small_blocks
        on block_keys.block_key = small_blocks.block_key
    where block_keys.text_key in (select targets.text_key from targets)
),

-- Each pair of texts that share a small block, once (the lesser text key first), when either is a target:
-- the similarity is symmetric, so it is computed once for both directions.
candidate_pairs as (
    select distinct
        least(target_blocks.text_key, other_key.text_key) as text_key,
        greatest(target_blocks.text_key, other_key.text_key) as other_text_key
    from target_blocks
    inner join block_keys as other_key
        on target_blocks.block_key = other_key.block_key
    where target_blocks.text_key <> other_key.text_key
),

-- Token sets are distinct, so the union's size is the sum of the sizes less the shared tokens.
compared_pairs as (
    select
        candidate_pairs.text_key,
        this.first_rank,
        this.first_quote_id,
        candidate_pairs.other_text_key,
        other.first_rank as other_first_rank,
        other.first_quote_id as other_first_quote_id,
        {{ list_length('this.token_set') }} + {{ list_length('other.token_set') }} as size_sum,
        {{ token_intersection_size('this.token_set', 'other.token_set') }} as shared_tokens
    from candidate_pairs
    inner join current_texts as this
        on candidate_pairs.text_key = this.text_key
    inner join current_texts as other
        on candidate_pairs.other_text_key = other.text_key
    where
        -- Jaccard cannot reach 0.8 when one set is under 0.8 times the other: skip those cheaply.
        least({{ list_length('this.token_set') }}, {{ list_length('other.token_set') }})
        >= 0.8 * greatest({{ list_length('this.token_set') }}, {{ list_length('other.token_set') }})
),

fuzzy_pairs as (
    select *
    from compared_pairs
    where shared_tokens / greatest(size_sum - shared_tokens, 1) >= 0.8
),

-- Both directions of each similar pair, from the side that is a target.
fuzzy_matches as (
    select
        text_key,
        other_first_rank as first_rank,
        other_first_quote_id as first_quote_id
    from fuzzy_pairs
    where text_key in (select targets.text_key from targets)
    union all
    select
        other_text_key as text_key,
        first_rank,
        first_quote_id
    from fuzzy_pairs
    where other_text_key in (select targets.text_key from targets)
),

-- Every target matches its own first occurrence and the first occurrences of its fuzzy matches.
matches as (
    select
        text_firsts.text_key,
        text_firsts.first_rank,
        text_firsts.first_quote_id
    from text_firsts
    where text_firsts.text_key in (select targets.text_key from targets)
    union all
    select
        text_key,
        first_rank,
        first_quote_id
    from fuzzy_matches
),

matched as (
    select
        text_key,
        {{ arg_min('first_quote_id', 'first_rank') }} as canonical_quote_id
    from matches
    group by text_key
),

text_canonical as (
    select
        text_key,
        canonical_quote_id
    from matched
    union all
    select
        text_key,
        canonical_quote_id
    from standing
),

-- The new quotes, and the held quotes of texts matched again.
written as (
    select {{ occurrence_columns | join(', ') }}
    from new_occurrences
    union all
    select {{ occurrence_columns | join(', ') }}
    from held
    where held.text_key in (select matched.text_key from matched)
),

final as (
    select
        written.quote_id,
        written.article_id,
        written.load_id,
        written.text_key,
        written.occurrence_rank,
        text_canonical.canonical_quote_id
    from written
    inner join text_canonical
        on written.text_key = text_canonical.text_key
)

select * from final
