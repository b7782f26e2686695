-- int_quote_segments_paired: one row per quoted stretch inside one paragraph: an opening mark paired with the
-- next closing mark of the same family, or an opening mark left open at the end of the paragraph
-- (`is_open_ended`, a candidate for a quote continued in the next paragraph), or a double opening mark
-- followed by another opening one (`cut_position`: the quote continues at that mark).
-- Double marks (“” "" «») pair in order; a straight mark whose direction the neighbouring characters do
-- not tell takes it from its rank (odd opens, even closes). Single marks pair the same way among
-- themselves; an unmatched mark is dropped. Offsets are 0-based, end exclusive, in the paragraph text.
-- The text inside is joined from the marks' stretches (int_quote_marks_found.text_after), never cut
-- from the paragraph, so a huge paragraph costs its length, not its length times its quotes.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

marks as (
    select * from {{ ref('int_quote_marks_found') }}
    where {{ from_new_loads() }}
),

ranked as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_position,
        mark,
        mark_family,
        direction,
        row_number() over (partition by paragraph_id, mark_family order by mark_position) as family_rank
    from marks
),

resolved as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_position,
        mark,
        mark_family,
        case
            when direction <> 'either' then direction
            when family_rank % 2 = 1 then 'open'
            else 'close'
        end as direction
    from ranked
),

-- The text from each mark to the next mark of its family is its own stretch, then the stretches of the
-- marks of the other family that follow it (`“… ‘…’ …”`): each mark is placed after the last mark of
-- the other family before it (its anchor), and only these few marks are joined per anchor.
anchored as (
    select
        paragraph_id,
        mark_position,
        mark,
        text_after,
        case when mark_family = 'double' then 'single' else 'double' end as anchor_family,
        case
            when mark_family = 'double'
                then max(case when mark_family = 'single' then mark_position end) over running
            else max(case when mark_family = 'double' then mark_position end) over running
        end as anchor_position
    from marks
    window running as (
        partition by paragraph_id
        order by mark_position
        rows between unbounded preceding and current row
    )
),

inner_marks as (
    select
        paragraph_id,
        anchor_family as mark_family,
        anchor_position as open_position,
        {{ string_agg_ordered('mark || text_after', "''", 'mark_position') }} as inner_marks_text
    from anchored
    where anchor_position is not null
    group by paragraph_id, anchor_family, anchor_position
),

sequenced as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_position,
        mark,
        mark_family,
        direction,
        lead(direction) over (
            partition by paragraph_id, mark_family order by mark_position
        ) as next_direction,
        lead(mark_position) over (
            partition by paragraph_id, mark_family order by mark_position
        ) as next_position
    from resolved
),

paired as (
    select
        sequenced.paragraph_id,
        sequenced.article_id,
        sequenced.paragraph_index,
        sequenced.mark_family,
        sequenced.mark as open_mark,
        sequenced.mark_position as open_position,
        case when sequenced.next_direction = 'close' then sequenced.next_position end as close_position,
        sequenced.next_direction is null as is_open_ended,
        -- A double quote still open when the next one opens continues there: a paragraph break was
        -- lost (`…make-up. "In the HD version…," explains Mr Dean`) or a closing mark is missing.
        case when sequenced.next_direction = 'open' then sequenced.next_position end as cut_position
    from sequenced
    where
        sequenced.direction = 'open'
        and (
            sequenced.next_direction = 'close'
            or sequenced.next_direction is null
            or (sequenced.next_direction = 'open' and sequenced.mark_family = 'double')
        )
),

bounded as (
    select
        paired.*,
        marks.text_after || coalesce(inner_marks.inner_marks_text, '') as inner_text
    from paired
    inner join marks
        on
            paired.paragraph_id = marks.paragraph_id
            and paired.open_position = marks.mark_position
    left join inner_marks
        on
            paired.paragraph_id = inner_marks.paragraph_id
            and paired.mark_family = inner_marks.mark_family
            and paired.open_position = inner_marks.open_position
),

-- Trim the inner text: leading spaces; trailing spaces and a trailing comma that belongs to the
-- attribution (`…other borders,” he added`); the inner marks of `''…''`.
trimmed as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_family,
        open_position,
        close_position,
        is_open_ended,
        cut_position,
        open_mark,
        inner_text,
        -- a double mark of two straight single ones (`''`) keeps its inner one in the text
        case
            when mark_family = 'double' and open_mark = ''''
                then length({{ regex_extract('inner_text', sql_string("^'?[\\s\\x{a0}]*")) }})
            else length({{ regex_extract('inner_text', sql_string("^[\\s\\x{a0}]*")) }})
        end as lead_trim,
        case
            when mark_family = 'double' and open_mark = '''' and close_position is not null
                then length({{ regex_extract('inner_text', sql_string("[\\s\\x{a0},]*'?$")) }})
            else length({{ regex_extract('inner_text', sql_string("[\\s\\x{a0},]*$")) }})
        end as tail_trim
    from bounded
),

segments as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        mark_family,
        open_position,
        close_position,
        is_open_ended,
        cut_position,
        cast(open_position + 1 + lead_trim as bigint) as char_start,
        cast(open_position + 1 + length(inner_text) - tail_trim as bigint) as char_end,
        substr(inner_text, lead_trim + 1, length(inner_text) - lead_trim - tail_trim) as segment_text,
        -- the mark and spaces before the text, and the spaces and comma after it (a quote cut by the
        -- next opening mark is rejoined from these in int_quote_spans_chained)
        open_mark || left(inner_text, lead_trim) as lead_text,
        right(inner_text, tail_trim) as trail_text,
        {{ regex_matches('inner_text', sql_string("[.!?…][\\s\\x{a0}]*$")) }} as ends_sentence
    from trimmed
    where length(inner_text) > lead_trim + tail_trim
),

{{ load_id_ctes('segments', 'marks', 'article_id') }}

select * from loaded
