-- int_quote_marks_found: one row per quotation-mark character in a paragraph that can open or close a quote,
-- with its 0-based offset, family (double / single) and direction (open / close / either).
-- Apostrophes (a single mark between letters or digits: `Iraq’s`, `it's`, `'90s`) are left out.
-- Two straight single marks in a row (`''…''`, the New York Times' double quotes) are one double
-- mark, kept at its outer character (the inner one is text, trimmed in int_quote_segments_paired);
-- a third one beside them is a single mark nested inside (`''… 'Hey, …,''' he said`: `,'` closes
-- the inner quote, `''` the outer).
-- Each mark carries the text around it, so later steps never cut the paragraph at an offset (which
-- reads a non-ASCII text from its start, once per cut): `text_after`, from the mark to the next
-- mark kept here or the paragraph's end, and `text_before`, at most 200 characters before it; and
-- the paragraph's text_id (its sentences are text-keyed: int_sentences_split).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

quotation_marks as (
    select * from {{ ref('quotation_marks') }}
),

-- Only paragraphs with a mark that can open or close a quote: a double mark (the seed's double family),
-- or a single one not between two letters or digits (a paragraph whose marks are all apostrophes,
-- `it’s`, has none).
quoted_paragraphs as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        load_id,
        text_id,
        -- the text split after every mark character: piece i ends with mark i (the last piece has no
        -- mark); split once here, not once per use below
        {{ split_after_matches('paragraph_text', quote_mark_pattern()) }} as piece_list
    from paragraphs
    where {{ regex_matches(
        'paragraph_text',
        sql_string("[“”„\"«»]|(?:^|[^\\p{L}\\p{N}])[‘’']|[‘’'](?:[^\\p{L}\\p{N}]|$)")
    ) }}
),

-- Only the short pieces travel on; the paragraph text never goes through the window functions, so a
-- paragraph of tens of thousands of marks costs its own length, not marks times length.
pieces as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        load_id,
        text_id,
        {{ explode_with_position('piece_list', 'piece', 'piece_position') }}
    from quoted_paragraphs
),

positioned as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        load_id,
        text_id,
        piece_position,
        piece,
        cast(sum(length(piece)) over (
            partition by paragraph_id
            order by piece_position
            rows between unbounded preceding and current row
        ) - 1 as bigint) as mark_position,
        lag(piece) over (partition by paragraph_id order by piece_position) as previous_piece,
        lead(piece) over (partition by paragraph_id order by piece_position) as next_piece,
        lead(piece, 2) over (partition by paragraph_id order by piece_position) is null as next_is_last,
        right(concat(
            coalesce(lag(piece, 3) over (partition by paragraph_id order by piece_position), ''),
            coalesce(lag(piece, 2) over (partition by paragraph_id order by piece_position), ''),
            coalesce(lag(piece) over (partition by paragraph_id order by piece_position), ''),
            left(piece, length(piece) - 1)
        ), 200) as text_before
    from pieces
),

marks as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        load_id,
        text_id,
        mark_position,
        right(piece, 1) as mark,
        case
            when length(piece) >= 2 then substr(piece, length(piece) - 1, 1)
            else coalesce(right(previous_piece, 1), '')
        end as char_before,
        left(next_piece, 1) as char_after,
        -- a straight single mark right after another one goes on its run
        piece <> '''' or coalesce(right(previous_piece, 1), '') <> '''' as is_run_start,
        -- the text up to the next mark of any kind (apostrophes included)
        case when next_is_last then next_piece else left(next_piece, length(next_piece) - 1) end as following_text,
        text_before
    from positioned
    where next_piece is not null
),

classified as (
    select
        marks.paragraph_id,
        marks.article_id,
        marks.paragraph_index,
        marks.load_id,
        marks.text_id,
        marks.mark_position,
        marks.mark,
        quotation_marks.mark_family,
        {{ regex_matches('marks.char_before', sql_string("^$|[\\s(\\[{—–/:“\"‘]")) }} as is_after_space,
        {{ regex_matches('marks.char_after', sql_string("^$|[\\s.,;:!?)\\]}—–”\"’]")) }} as is_before_space,
        {{ regex_matches('marks.char_before', sql_string("[\\p{L}\\p{N}]")) }}
        and {{ regex_matches('marks.char_after', sql_string("[\\p{L}\\p{N}]")) }} as is_between_words,
        {{ regex_matches('marks.char_after', sql_string("\\p{N}")) }} as is_before_digit,
        quotation_marks.direction as mark_direction,
        marks.is_run_start,
        marks.following_text,
        marks.text_before
    from marks
    inner join quotation_marks
        on marks.mark = quotation_marks.mark
),

-- Runs of straight single marks side by side, numbered, with the characters around the whole run.
straight_runs as (
    select
        *,
        sum(case when is_run_start then 1 else 0 end) over (
            partition by paragraph_id
            order by mark_position
            rows between unbounded preceding and current row
        ) as run_number
    from classified
),

run_shapes as (
    select
        *,
        count(*) over whole_run as run_length,
        row_number() over (partition by paragraph_id, run_number order by mark_position) as run_rank,
        first_value(is_after_space) over whole_run as is_run_after_space,
        last_value(is_before_space) over whole_run as is_run_before_space
    from straight_runs
    window whole_run as (
        partition by paragraph_id, run_number
        order by mark_position
        rows between unbounded preceding and unbounded following
    )
),

-- In a run of two or three that opens a quote, the first two marks are the double one (kept at the
-- first) and a third opens a single quote; in one that closes a quote, the last two are the double
-- one (kept at the last) and a first one closes a single quote.
doubled as (
    select
        *,
        case
            when mark <> '''' or run_length not in (2, 3) then null
            when is_run_after_space and not is_run_before_space then 'open'
            when is_run_before_space and not is_run_after_space then 'close'
        end as run_direction
    from run_shapes
),

directed as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        load_id,
        text_id,
        mark_position,
        mark,
        case
            when run_direction = 'open' and run_rank = 1 then 'double'
            when run_direction = 'close' and run_rank = run_length then 'double'
            else mark_family
        end as mark_family,
        case
            when run_direction = 'open' and run_rank = 2 then 'apostrophe'
            when run_direction = 'close' and run_rank = run_length - 1 then 'apostrophe'
            when run_direction is not null then run_direction
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
        end as direction,
        following_text,
        text_before
    from doubled
),

-- The marks kept, numbered in text order; an apostrophe belongs to the stretch of the kept mark
-- before it.
numbered as (
    select
        *,
        sum(case when direction <> 'apostrophe' then 1 else 0 end) over (
            partition by paragraph_id
            order by mark_position
            rows between unbounded preceding and current row
        ) as kept_number
    from directed
),

-- The apostrophes after each kept mark, joined (most kept marks have none: only these are aggregated).
apostrophe_texts as (
    select
        paragraph_id,
        kept_number,
        {{ string_agg_ordered('mark || following_text', "''", 'mark_position') }} as apostrophe_text
    from numbered
    where direction = 'apostrophe' and kept_number > 0
    group by paragraph_id, kept_number
),

kept as (
    select
        numbered.paragraph_id,
        numbered.article_id,
        numbered.paragraph_index,
        numbered.mark_position,
        numbered.mark,
        numbered.mark_family,
        numbered.direction,
        numbered.following_text || coalesce(apostrophe_texts.apostrophe_text, '') as text_after,
        numbered.text_before,
        numbered.text_id,
        numbered.load_id
    from numbered
    left join apostrophe_texts
        on
            numbered.paragraph_id = apostrophe_texts.paragraph_id
            and numbered.kept_number = apostrophe_texts.kept_number
    where numbered.direction <> 'apostrophe'
)

select * from kept
