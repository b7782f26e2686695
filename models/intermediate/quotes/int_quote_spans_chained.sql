-- int_quote_spans_chained: one row per quote. A double-mark segment that is left open at the end of its
-- paragraph continues into the next paragraph when that paragraph starts with an opening mark (news
-- convention), and a segment cut by another opening mark continues there (a lost paragraph break);
-- the chain is one quote, stored on its first paragraph: quote_text/char_start/char_end are the part
-- in that paragraph (with any marks inside it), full_quote_text joins all parts with a space. A chain that never closes is
-- dropped, so an unbalanced mark never swallows the rest of the article. A segment inside another
-- quote of the same paragraph is `is_nested` (a quote within a quote, or an apostrophe-like mark pair).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

segments as (
    select * from {{ ref('int_quote_segments_paired') }}
    where {{ from_new_loads() }}
),

doubles as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        open_position,
        close_position,
        is_open_ended,
        cut_position,
        char_start,
        char_end,
        segment_text,
        lead_text,
        trail_text,
        ends_sentence,
        lag(is_open_ended)
            over (partition by article_id order by paragraph_index, open_position)
            as previous_open_ended,
        lag(cut_position)
            over (partition by article_id order by paragraph_index, open_position)
            as previous_cut_position,
        lag(paragraph_index) over (
            partition by article_id order by paragraph_index, open_position
        ) as previous_paragraph_index
    from segments
    where mark_family = 'double'
),

-- A part continues the quote before it when that one was left open at the end of the previous
-- paragraph and this paragraph opens with a mark, or when that one was cut by this part's mark.
linked as (
    select
        *,
        coalesce(
            (open_position = 0 and previous_open_ended and previous_paragraph_index = paragraph_index - 1)
            or (previous_cut_position = open_position and previous_paragraph_index = paragraph_index),
            false
        ) as is_continuation
    from doubles
),

chained as (
    select
        *,
        sum(case when is_continuation then 0 else 1 end) over (
            partition by article_id
            order by paragraph_index, open_position
            rows between unbounded preceding and current row
        ) as chain_number,
        not is_continuation
        and not coalesce(lead(is_continuation) over (
            partition by article_id order by paragraph_index, open_position
        ), false) as is_single_part
    from linked
),

-- Most chains are one part, closed in its paragraph: the quote is that part.
single_part_quotes as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        'double' as mark_family,
        open_position,
        char_start,
        char_end,
        segment_text as quote_text,
        segment_text as full_quote_text,
        1 as paragraph_count,
        paragraph_id as last_paragraph_id,
        paragraph_index as last_paragraph_index,
        close_position,
        ends_sentence,
        false as is_nested
    from chained
    where
        is_single_part
        and not is_open_ended
        and cut_position is null
),

-- The parts of the chains of several parts, in order.
ordered_parts as (
    select
        *,
        row_number() over (
            partition by article_id, chain_number order by paragraph_index, open_position
        ) as part_order
    from chained
    where not is_single_part
),

chains as (
    select
        article_id,
        chain_number,
        min(paragraph_index) as first_paragraph_index,
        max(paragraph_index) as last_paragraph_index,
        count(distinct paragraph_index) as paragraph_count,
        max(part_order) as part_total,
        {{ string_agg_ordered('segment_text', "' '", 'part_order') }} as full_quote_text
    from ordered_parts
    group by article_id, chain_number
),

-- The quote in its first paragraph, past the marks that cut it there: its parts there rejoined
-- with the marks and spaces between them (the text is never cut from the paragraph).
first_paragraph_extents as (
    select
        ordered_parts.article_id,
        ordered_parts.chain_number,
        max(ordered_parts.char_end) as char_end,
        {{ string_agg_ordered(
            "case when ordered_parts.part_order > 1 then ordered_parts.lead_text else '' end
            || ordered_parts.segment_text
            || case when ordered_parts.cut_position is not null then ordered_parts.trail_text else '' end",
            "''",
            'ordered_parts.part_order'
        ) }} as quote_text
    from ordered_parts
    inner join chains
        on
            ordered_parts.article_id = chains.article_id
            and ordered_parts.chain_number = chains.chain_number
            and ordered_parts.paragraph_index = chains.first_paragraph_index
    group by ordered_parts.article_id, ordered_parts.chain_number
),

double_quotes as (
    select
        first_part.paragraph_id,
        first_part.article_id,
        first_part.paragraph_index,
        'double' as mark_family,
        first_part.open_position,
        first_part.char_start,
        first_paragraph_extents.char_end,
        first_paragraph_extents.quote_text,
        chains.full_quote_text,
        chains.paragraph_count,
        last_part.paragraph_id as last_paragraph_id,
        last_part.paragraph_index as last_paragraph_index,
        last_part.close_position,
        last_part.ends_sentence,
        false as is_nested
    from ordered_parts as first_part
    inner join chains
        on
            first_part.article_id = chains.article_id
            and first_part.chain_number = chains.chain_number
            and first_part.part_order = 1
    inner join ordered_parts as last_part
        on
            chains.article_id = last_part.article_id
            and chains.chain_number = last_part.chain_number
            and chains.part_total = last_part.part_order
    inner join first_paragraph_extents
        on
            chains.article_id = first_paragraph_extents.article_id
            and chains.chain_number = first_paragraph_extents.chain_number
    where
        not last_part.is_open_ended
        and last_part.cut_position is null
),

-- A single-mark quote is nested when a double-mark segment of its paragraph opens before it and
-- closes after it: double segments never overlap, so the one that opened last before it is the only
-- candidate, and a running maximum of their ends over the paragraph's segments in text order finds it.
double_ends_before as (
    select
        paragraph_id,
        open_position,
        mark_family,
        max(case when mark_family = 'double' then coalesce(close_position, 1000000000) end) over (
            partition by paragraph_id
            order by open_position
            rows between unbounded preceding and 1 preceding
        ) as double_end_before
    from segments
),

singles as (
    select
        singles.paragraph_id,
        singles.article_id,
        singles.paragraph_index,
        'single' as mark_family,
        singles.open_position,
        singles.char_start,
        singles.char_end,
        singles.segment_text as quote_text,
        singles.segment_text as full_quote_text,
        1 as paragraph_count,
        singles.paragraph_id as last_paragraph_id,
        singles.paragraph_index as last_paragraph_index,
        singles.close_position,
        singles.ends_sentence,
        coalesce(double_ends_before.double_end_before > singles.close_position, false) as is_nested
    from segments as singles
    inner join double_ends_before
        on
            singles.paragraph_id = double_ends_before.paragraph_id
            and singles.open_position = double_ends_before.open_position
            and singles.mark_family = double_ends_before.mark_family
    where
        singles.mark_family = 'single'
        and not singles.is_open_ended
),

unioned as (
    select * from single_part_quotes
    union all
    select * from double_quotes
    union all
    select * from singles
),

identified as (
    select
        {{ hash_key(['paragraph_id', 'open_position']) }} as quote_id,
        paragraph_id,
        article_id,
        paragraph_index,
        mark_family,
        open_position,
        char_start,
        char_end,
        quote_text,
        full_quote_text,
        paragraph_count,
        last_paragraph_id,
        last_paragraph_index,
        close_position,
        ends_sentence,
        is_nested
    from unioned
),

{{ load_id_ctes('identified', 'segments', 'article_id') }}

select * from loaded
