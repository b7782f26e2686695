-- int_number_tokens_extracted: one row per token of a distinct paragraph text (a digit run with inner
-- separators, a word, or one other character) that stands within `context_radius` tokens of a
-- number-like token (digits, a number word, a vague amount, a magnitude), with its offsets in the
-- text, whether whitespace stands before it, and that whitespace (a surface text is rebuilt from its
-- tokens rather than cut from the paragraph: a cut at a character offset reads a non-ASCII text from
-- its start, once per claim). Tokens far from any number are left out: they cannot be part of a
-- numeral nor of the five-token context the later steps read, and they are most of any text; a text
-- with no digit, number word or magnitude at all (number_word_pattern) is not cut into tokens.
-- Linear in the text: one regular-expression pass and one window over its pieces.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
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
    -- a text without a digit, number word or magnitude has no number-like token
    where {{ regex_matches('paragraph_text', number_word_pattern()) }}
),

pieces as (
    select
        text_id,
        load_id,
        {{ explode_with_position('pieces', 'piece', 'piece_position') }}
    from piece_lists
),

-- Whether each piece is number-like (digits, a cardinal, tens, hundred or vague number word, a
-- magnitude). Only the piece itself goes on through the window below: a window holds every column
-- it carries for the whole text, and carrying the token's derived columns as well cost a 50 MB text
-- 3 GB instead of 2.4 GB.
lowered as (
    select
        text_id,
        load_id,
        piece_position + 1 as token_index,
        piece,
        lower({{ regex_replace_all('piece', number_leading_space_pattern(), "''") }}) as token_lower
    from pieces
),

flagged as (
    select
        lowered.text_id,
        lowered.load_id,
        lowered.token_index,
        lowered.piece,
        {{ regex_matches('lowered.token_lower', sql_string("^\\p{Nd}")) }}
        or number_words.word_kind in ('cardinal', 'tens', 'hundred', 'vague')
        or magnitudes.token is not null as is_number_like
    from lowered
    left join number_words
        on lowered.token_lower = number_words.word
    left join magnitudes
        on lowered.token_lower = magnitudes.token
),

-- Where each piece starts (the lengths of the pieces before it), and the nearest number-like pieces
-- within the radius on each side: one window over the text, in token order.
windowed as (
    select
        *,
        coalesce(sum(length(piece)) over (
            partition by text_id order by token_index
            rows between unbounded preceding and 1 preceding
        ), 0) as piece_start,
        max(case when is_number_like then token_index end) over (
            partition by text_id order by token_index
            rows between {{ context_radius }} preceding and current row
        ) as previous_number_index,
        min(case when is_number_like then token_index end) over (
            partition by text_id order by token_index
            rows between current row and {{ context_radius }} following
        ) as next_number_index
    from flagged
),

near_numbers as (
    select
        text_id,
        load_id,
        token_index,
        piece,
        piece_start,
        {{ regex_replace_all('piece', number_leading_space_pattern(), "''") }} as token_text
    from windowed
    where previous_number_index is not null or next_number_index is not null
),

kept as (
    select
        text_id,
        load_id,
        token_index,
        token_text,
        lower(token_text) as token_lower,
        case
            when {{ regex_matches('token_text', sql_string("^\\p{Nd}")) }} then 'digits'
            when {{ regex_matches('token_text', sql_string("^[\\p{L}\\p{M}]")) }} then 'word'
            else 'symbol'
        end as token_kind,
        length(piece) > length(token_text) as has_space_before,
        substr(piece, 1, length(piece) - length(token_text)) as space_before,
        cast(piece_start + length(piece) - length(token_text) as bigint) as char_start,
        cast(piece_start + length(piece) as bigint) as char_end
    from near_numbers
)

select * from kept
