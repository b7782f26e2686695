-- int_number_tokens_extracted: one row per token of a distinct paragraph text (a digit run with inner separators,
-- a word, or one other character) that stands within `context_radius` tokens of a number-like token
-- (digits, a number word, a vague amount, a magnitude), with its offsets in the text and whether
-- whitespace stands before it (and that whitespace, so a surface text can be rebuilt from its tokens
-- without cutting the paragraph: a cut at a character offset reads the text from its start, which
-- on a long non-ASCII text costs a scan per claim). Tokens far from any number are left out: they cannot be part of a
-- numeral nor of the five-token context the later steps read, and they are most of any text.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append',
    on_schema_change='fail'
) }}
{%- set context_radius = 9 %}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ new_texts_only() }}
),

number_words as {{ materialized_cte() }} (
    select * from {{ ref('number_words') }}
),

magnitudes as {{ materialized_cte() }} (
    select * from {{ ref('magnitudes') }}
),

texts as (
    select
        text_id,
        min(paragraph_text) as paragraph_text,
        max(load_id) as load_id
    from paragraphs
    group by text_id
),

piece_lists as (
    select
        text_id,
        load_id,
        {{ number_regex_extract_all('paragraph_text', number_token_pattern()) }} as pieces
    from texts
),

pieces as (
    select
        text_id,
        load_id,
        {{ explode_with_position('pieces', 'piece', 'piece_position') }}
    from piece_lists
),

split_pieces as (
    select
        text_id,
        load_id,
        piece_position + 1 as token_index,
        {{ regex_replace_all('piece', number_leading_space_pattern(), "''") }} as token_text,
        piece,
        length(piece) as piece_length
    from pieces
),

positioned as (
    select
        text_id,
        load_id,
        token_index,
        token_text,
        lower(token_text) as token_lower,
        piece_length > length(token_text) as has_space_before,
        substr(piece, 1, piece_length - length(token_text)) as space_before,
        cast(coalesce(sum(piece_length) over (
            partition by text_id order by token_index
            rows between unbounded preceding and 1 preceding
        ), 0) + piece_length - length(token_text) as bigint) as char_start
    from split_pieces
),

classified as (
    select
        positioned.text_id,
        positioned.load_id,
        positioned.token_index,
        positioned.token_text,
        positioned.token_lower,
        case
            when {{ regex_matches('positioned.token_text', "'^\\p{Nd}'") }} then 'digits'
            when {{ regex_matches('positioned.token_text', "'^[\\p{L}\\p{M}]'") }} then 'word'
            else 'symbol'
        end as token_kind,
        positioned.has_space_before,
        positioned.space_before,
        positioned.char_start,
        positioned.char_start + length(positioned.token_text) as char_end,
        {{ regex_matches('positioned.token_text', "'^\\p{Nd}'") }}
        or number_words.word_kind in ('cardinal', 'tens', 'hundred', 'vague')
        or magnitudes.token is not null as is_number_like
    from positioned
    left join number_words
        on positioned.token_lower = number_words.word
    left join magnitudes
        on positioned.token_lower = magnitudes.token
),

near_numbers as (
    select
        *,
        max(case when is_number_like then token_index end) over (
            partition by text_id order by token_index
            rows between {{ context_radius }} preceding and current row
        ) as previous_number_index,
        min(case when is_number_like then token_index end) over (
            partition by text_id order by token_index
            rows between current row and {{ context_radius }} following
        ) as next_number_index
    from classified
),

kept as (
    select
        text_id,
        load_id,
        token_index,
        token_text,
        token_lower,
        token_kind,
        has_space_before,
        space_before,
        char_start,
        char_end
    from near_numbers
    where previous_number_index is not null or next_number_index is not null
)

select * from kept
