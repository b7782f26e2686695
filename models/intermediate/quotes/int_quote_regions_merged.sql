-- int_quote_regions_merged: one row per top-level quotation of a distinct paragraph text: the stretch
-- from an opening mark to its closing mark (int_quote_segments_paired; to the end of the text for a
-- quote left open, to the next opening mark for one cut by it). Rules: a single-mark segment that
-- overlaps a double-mark one is no region (`‘20s` read as an opening mark inside “…”), and a
-- segment that opens inside an earlier region is none either: the regions never overlap, so the
-- later steps can read the reporter's text as what lies outside them. Text-keyed: the regions
-- depend on the text alone (the segments of one paragraph that carries it).
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ new_texts_only() }}
),

texts as (
    select
        text_id,
        min(paragraph_id) as paragraph_id,
        max(length(paragraph_text)) as text_length,
        max(load_id) as load_id
    from paragraphs
    group by text_id
),

segments as (
    select
        texts.text_id,
        texts.load_id,
        quote_segments.mark_family,
        quote_segments.open_position,
        coalesce(
            quote_segments.close_position, quote_segments.cut_position - 1, texts.text_length - 1
        ) as close_position
    from {{ ref('int_quote_segments_paired') }} as quote_segments
    inner join texts
        on quote_segments.paragraph_id = texts.paragraph_id
),

-- Double-mark depth and the count of double-mark openings at each single-mark segment's two ends.
events as (
    select
        text_id,
        open_position as event_position,
        case when mark_family = 'double' then 1 else 0 end as depth_change,
        case when mark_family = 'double' then 1 else 0 end as opening,
        mark_family,
        open_position,
        'open' as segment_end
    from segments
    union all
    select
        text_id,
        close_position + 1 as event_position,
        case when mark_family = 'double' then -1 else 0 end as depth_change,
        0 as opening,
        mark_family,
        open_position,
        'close' as segment_end
    from segments
),

counted as (
    select
        *,
        sum(depth_change) over running as double_depth,
        sum(opening) over running as double_openings
    from events
    window running as (
        partition by text_id
        order by event_position, depth_change, opening
        rows between unbounded preceding and current row
    )
),

crossing_singles as (
    select
        text_id,
        open_position,
        mark_family
    from counted
    where mark_family = 'single'
    group by text_id, open_position, mark_family
    having
        max(case when segment_end = 'open' then double_depth end) > 0
        or max(case when segment_end = 'close' then double_openings end)
        > max(case when segment_end = 'open' then double_openings end)
),

kept as (
    select segments.*
    from segments
    left join crossing_singles
        on
            segments.text_id = crossing_singles.text_id
            and segments.open_position = crossing_singles.open_position
            and segments.mark_family = crossing_singles.mark_family
    where crossing_singles.open_position is null
),

ordered as (
    select
        *,
        max(close_position) over (
            partition by text_id
            order by open_position asc, close_position desc
            rows between unbounded preceding and 1 preceding
        ) as earlier_close
    from kept
),

regions as (
    select
        text_id,
        cast(open_position as bigint) as open_position,
        cast(close_position as bigint) as close_position,
        load_id
    from ordered
    where earlier_close is null or open_position > earlier_close
)

select * from regions
