-- int_quotes__canonical: one row per quote with `canonical_quote_id`, the earliest loaded occurrence
-- (article load time, then source path, then position) of the same quote anywhere in the warehouse.
-- Two quotes are the same when their normalised texts are equal, or their word sets have Jaccard
-- similarity >= 0.8 (so `I want assure` meets `I want to assure`). Matching runs over distinct
-- normalised texts, each with its first occurrence: a quote republished in a thousand articles is one
-- text. Fuzzy candidates are blocked, never all pairs: texts sharing their first three or last three
-- normalised words, in blocks of at most 50 distinct texts (a bigger block is a stock phrase). A quote
-- with no match is its own canonical.
with

spans as (
    select * from {{ ref('int_quote_spans') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

-- Each distinct quote text is normalised once (a republished quote occurs many times).
quote_texts as (
    select distinct full_quote_text
    from spans
),

normalized_texts as (
    select
        full_quote_text,
        {{ normalize_text('full_quote_text') }} as normalized_text
    from quote_texts
),

occurrences as (
    select
        spans.quote_id,
        normalized_texts.normalized_text,
        row_number() over (
            order by
                articles.loaded_at,
                articles.load_id,
                articles.source_path,
                spans.paragraph_index,
                spans.open_position
        ) as occurrence_rank
    from spans
    inner join articles
        on spans.article_id = articles.article_id
    inner join normalized_texts
        on spans.full_quote_text = normalized_texts.full_quote_text
),

keyed as (
    select
        quote_id,
        normalized_text,
        occurrence_rank,
        {{ hash_key(['normalized_text']) }} as text_key
    from occurrences
),

-- One row per distinct normalised text, with its first occurrence.
texts as (
    select
        text_key,
        min(normalized_text) as normalized_text,
        min(occurrence_rank) as first_rank,
        {{ arg_min('quote_id', 'occurrence_rank') }} as first_quote_id
    from keyed
    group by text_key
),

tokenized as (
    select
        text_key,
        first_rank,
        first_quote_id,
        {{ word_token_set('normalized_text') }} as token_set,
        {{ regex_extract_all_list('normalized_text', "'[a-z0-9]+(?:''[a-z]+)?'") }} as token_list
    from texts
),

blocked as (
    select
        text_key,
        first_rank,
        first_quote_id,
        token_set,
        'head:' || {{ list_head_words('token_list', 3) }} as head_key,
        'tail:' || {{ list_tail_words('token_list', 3) }} as tail_key
    from tokenized
    where {{ list_length('token_list') }} > 0
),

block_keys as (
    select
        text_key,
        head_key as block_key
    from blocked
    union
    select
        text_key,
        tail_key as block_key
    from blocked
),

-- A block shared by very many texts is a stock phrase, not a sign of the same quote: skip it so the
-- pairs stay linear in the number of texts.
small_blocks as (
    select block_key
    from block_keys
    group by block_key
    having count(*) between 2 and 50
),

-- Each unordered pair once (Jaccard is symmetric); fuzzy_matches below uses it both ways.
candidate_pairs as (
    select distinct
        left_key.text_key,
        right_key.text_key as other_text_key
    from block_keys as left_key
    inner join small_blocks
        on left_key.block_key = small_blocks.block_key
    inner join block_keys as right_key
        on left_key.block_key = right_key.block_key
    where left_key.text_key < right_key.text_key
),

fuzzy_pairs as (
    select
        candidate_pairs.text_key,
        candidate_pairs.other_text_key
    from candidate_pairs
    inner join blocked as this
        on candidate_pairs.text_key = this.text_key
    inner join blocked as other
        on candidate_pairs.other_text_key = other.text_key
    where
        -- Jaccard cannot reach 0.8 when one set is under 0.8 times the other: skip those cheaply.
        least({{ list_length('this.token_set') }}, {{ list_length('other.token_set') }})
        >= 0.8 * greatest({{ list_length('this.token_set') }}, {{ list_length('other.token_set') }})
        and {{ token_jaccard('this.token_set', 'other.token_set') }} >= 0.8
),

fuzzy_matches as (
    select
        fuzzy_pairs.text_key,
        other.first_rank,
        other.first_quote_id
    from fuzzy_pairs
    inner join blocked as other
        on fuzzy_pairs.other_text_key = other.text_key
    union all
    select
        fuzzy_pairs.other_text_key as text_key,
        this.first_rank,
        this.first_quote_id
    from fuzzy_pairs
    inner join blocked as this
        on fuzzy_pairs.text_key = this.text_key
),

-- Every text matches its own first occurrence and the first occurrences of its fuzzy matches.
matches as (
    select
        text_key,
        first_rank,
        first_quote_id
    from texts
    union all
    select
        text_key,
        first_rank,
        first_quote_id
    from fuzzy_matches
),

text_canonical as (
    select
        text_key,
        {{ arg_min('first_quote_id', 'first_rank') }} as canonical_quote_id
    from matches
    group by text_key
),

canonical as (
    select
        spans.quote_id,
        coalesce(text_canonical.canonical_quote_id, spans.quote_id) as canonical_quote_id
    from spans
    left join keyed
        on spans.quote_id = keyed.quote_id
    left join text_canonical
        on keyed.text_key = text_canonical.text_key
)

select * from canonical
