-- int_number_tokens: one row per token of a kept paragraph (a digit run with inner separators, a word,
-- or one other character), with its offsets in the paragraph and whether whitespace stands before it.
with

paragraphs as (
    select * from {{ ref('int_paragraphs__deduped') }}
),

piece_lists as (
    select
        paragraph_id,
        article_id,
        {{ number_regex_extract_all('paragraph_text', number_token_pattern()) }} as pieces
    from paragraphs
),

pieces as (
    select
        paragraph_id,
        article_id,
        {{ explode_with_position('pieces', 'piece', 'piece_position') }}
    from piece_lists
),

split_pieces as (
    select
        paragraph_id,
        article_id,
        piece_position + 1 as token_index,
        {{ regex_replace_all('piece', number_leading_space_pattern(), "''") }} as token_text,
        length(piece) as piece_length
    from pieces
),

positioned as (
    select
        paragraph_id,
        article_id,
        token_index,
        token_text,
        piece_length > length(token_text) as has_space_before,
        cast(coalesce(sum(piece_length) over (
            partition by paragraph_id order by token_index
            rows between unbounded preceding and 1 preceding
        ), 0) + piece_length - length(token_text) as bigint) as char_start
    from split_pieces
),

classified as (
    select
        paragraph_id,
        article_id,
        token_index,
        token_text,
        lower(token_text) as token_lower,
        case
            when {{ regex_matches('token_text', "'^\\p{Nd}'") }} then 'digits'
            when {{ regex_matches('token_text', "'^[\\p{L}\\p{M}]'") }} then 'word'
            else 'symbol'
        end as token_kind,
        has_space_before,
        char_start,
        char_start + length(token_text) as char_end
    from positioned
)

select * from classified
