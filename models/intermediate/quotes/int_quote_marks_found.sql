-- int_quote_marks_found: one row per quotation-mark character in a paragraph that can open or close a quote,
-- with its 0-based offset, family (double / single) and direction (open / close / either).
-- Apostrophes (a single mark between letters or digits: `Iraq’s`, `it's`, `'90s`) are left out.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

quotation_marks as (
    select * from {{ ref('quotation_marks') }}
),

-- Split the text after every mark character: piece i ends with mark i (the last piece has no mark).
-- Only the short pieces travel on; the paragraph text never goes through the window functions, so a
-- paragraph of tens of thousands of marks costs its own length, not marks times length.
pieces as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        {{ explode_with_position(
            split_after_matches('paragraph_text', quote_mark_pattern()), 'piece', 'piece_position'
        ) }}
    from paragraphs
    where {{ regex_matches('paragraph_text', quote_mark_pattern()) }}
),

positioned as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        piece_position,
        piece,
        cast(sum(length(piece)) over (
            partition by paragraph_id
            order by piece_position
            rows between unbounded preceding and current row
        ) - 1 as bigint) as mark_position,
        lag(piece) over (partition by paragraph_id order by piece_position) as previous_piece,
        lead(piece) over (partition by paragraph_id order by piece_position) as next_piece
    from pieces
),

marks as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_position,
        right(piece, 1) as mark,
        case
            when length(piece) >= 2 then substr(piece, length(piece) - 1, 1)
            else coalesce(right(previous_piece, 1), '')
        end as char_before,
        left(next_piece, 1) as char_after
    from positioned
    where next_piece is not null
),

classified as (
    select
        marks.paragraph_id,
        marks.article_id,
        marks.paragraph_index,
        marks.mark_position,
        marks.mark,
        quotation_marks.mark_family,
        {{ regex_matches('marks.char_before', "'^$|[\\s(\\[{—–/:“\"‘]'") }} as is_after_space,
        {{ regex_matches('marks.char_after', "'^$|[\\s.,;:!?)\\]}—–”\"’]'") }} as is_before_space,
        {{ regex_matches('marks.char_before', "'[\\p{L}\\p{N}]'") }}
        and {{ regex_matches('marks.char_after', "'[\\p{L}\\p{N}]'") }} as is_between_words,
        {{ regex_matches('marks.char_after', "'\\p{N}'") }} as is_before_digit,
        quotation_marks.direction as mark_direction
    from marks
    inner join quotation_marks
        on marks.mark = quotation_marks.mark
),

directed as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_position,
        mark,
        mark_family,
        case
            when mark_family = 'double' and mark_direction <> 'either' then mark_direction
            when mark_family = 'double' and is_after_space and not is_before_space then 'open'
            when mark_family = 'double' and is_before_space and not is_after_space then 'close'
            when mark_family = 'double' then 'either'
            when is_between_words then 'apostrophe'
            when mark_direction = 'open' and not is_before_space then 'open'
            when mark_direction = 'open' then 'apostrophe'
            when is_after_space and not is_before_space and not is_before_digit then 'open'
            when is_before_space and not is_after_space then 'close'
            else 'apostrophe'
        end as direction
    from classified
),

kept as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_position,
        mark,
        mark_family,
        direction
    from directed
    where direction <> 'apostrophe'
),

{{ load_id_ctes('kept', 'paragraphs', 'article_id') }}

select * from loaded
