-- int_quotes__canonical: one row per quote with `canonical_quote_id`, the earliest loaded occurrence
-- (article load time, then source path, then position) of the same quote anywhere in the warehouse.
-- Two quotes are the same when their normalised texts are equal, or their word sets have Jaccard
-- similarity >= 0.8 (so `I want assure` meets `I want to assure`). Fuzzy candidates are blocked, never all
-- pairs: quotes sharing their first three or last three normalised words, in blocks of at most 50
-- quotes (a bigger block is a stock phrase). A quote with no match is its own canonical.
with

spans as (
    select * from {{ ref('int_quote_spans') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

normalized as (
    select
        spans.quote_id,
        spans.article_id,
        spans.paragraph_index,
        spans.open_position,
        articles.loaded_at,
        articles.load_id,
        articles.source_path,
        {{ normalize_text('spans.full_quote_text') }} as normalized_text
    from spans
    inner join articles
        on spans.article_id = articles.article_id
),

tokenized as (
    select
        quote_id,
        article_id,
        paragraph_index,
        open_position,
        loaded_at,
        load_id,
        source_path,
        {{ hash_key(['normalized_text']) }} as text_key,
        {{ word_token_set('normalized_text') }} as token_set,
        {{ regex_extract_all_list('normalized_text', "'[a-z0-9]+(?:''[a-z]+)?'") }} as token_list
    from normalized
),

blocked as (
    select
        quote_id,
        article_id,
        paragraph_index,
        open_position,
        loaded_at,
        load_id,
        source_path,
        text_key,
        token_set,
        {{ list_length('token_list') }} as token_total,
        'head:' || {{ list_head_words('token_list', 3) }} as head_key,
        'tail:' || {{ list_tail_words('token_list', 3) }} as tail_key
    from tokenized
    where {{ list_length('token_list') }} > 0
),

block_keys as (
    select
        quote_id,
        head_key as block_key
    from blocked
    union
    select
        quote_id,
        tail_key as block_key
    from blocked
),

-- A block shared by very many quotes is a stock phrase, not a sign of the same quote: skip it so the
-- pairs stay linear in the number of quotes. Exact repeats are matched separately, without pairs.
small_blocks as (
    select block_key
    from block_keys
    group by block_key
    having count(*) between 2 and 50
),

candidate_pairs as (
    select distinct
        left_key.quote_id,
        right_key.quote_id as other_quote_id
    from block_keys as left_key
    inner join small_blocks
        on left_key.block_key = small_blocks.block_key
    inner join block_keys as right_key
        on left_key.block_key = right_key.block_key
    where left_key.quote_id <> right_key.quote_id
),

fuzzy_matches as (
    select
        candidate_pairs.quote_id,
        other.quote_id as other_quote_id,
        other.loaded_at,
        other.load_id,
        other.source_path,
        other.paragraph_index,
        other.open_position
    from candidate_pairs
    inner join blocked as this
        on candidate_pairs.quote_id = this.quote_id
    inner join blocked as other
        on candidate_pairs.other_quote_id = other.quote_id
    where {{ token_jaccard('this.token_set', 'other.token_set') }} >= 0.8
),

-- Every quote matches itself and the first occurrence of its exact normalised text.
exact_matches as (
    select
        quote_id,
        first_value(quote_id) over (
            partition by text_key
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as other_quote_id,
        first_value(loaded_at) over (
            partition by text_key
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as loaded_at,
        first_value(load_id) over (
            partition by text_key
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as load_id,
        first_value(source_path) over (
            partition by text_key
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as source_path,
        first_value(paragraph_index) over (
            partition by text_key
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as paragraph_index,
        first_value(open_position) over (
            partition by text_key
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as open_position
    from blocked
),

matches as (
    select * from exact_matches
    union all
    select * from fuzzy_matches
),

ranked as (
    select
        quote_id,
        other_quote_id,
        row_number() over (
            partition by quote_id
            order by loaded_at, load_id, source_path, paragraph_index, open_position
        ) as match_rank
    from matches
),

canonical as (
    select
        spans.quote_id,
        coalesce(ranked.other_quote_id, spans.quote_id) as canonical_quote_id
    from spans
    left join ranked
        on
            spans.quote_id = ranked.quote_id
            and ranked.match_rank = 1
)

select * from canonical
