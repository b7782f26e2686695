-- int_quote_segments_paired: one row per quoted stretch inside one paragraph: an opening mark paired with the
-- next closing mark of the same family, or an opening mark left open at the end of the paragraph
-- (`is_open_ended`, a candidate for a quote continued in the next paragraph), or a double opening mark
-- followed by another opening one (`cut_position`: the quote continues at that mark).
-- Double marks (“” "" «») pair in order; a straight mark whose direction the neighbouring characters do
-- not tell takes it from its rank (odd opens, even closes). Single marks pair the same way among
-- themselves; an unmatched mark is dropped. Offsets are 0-based, end exclusive, in the paragraph text.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

marks as (
    select * from {{ ref('int_quote_marks_found') }}
    where {{ from_new_loads() }}
),

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ in_batch('article_id', 'marks', 'load_id') }}
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
        sequenced.mark_position as open_position,
        case when sequenced.next_direction = 'close' then sequenced.next_position end as close_position,
        sequenced.next_direction is null as is_open_ended,
        -- A double quote still open when the next one opens continues there: a paragraph break was
        -- lost (`…make-up. "In the HD version…," explains Mr Dean`) or a closing mark is missing.
        case when sequenced.next_direction = 'open' then sequenced.next_position end as cut_position,
        paragraphs.paragraph_text
    from sequenced
    inner join paragraphs
        on sequenced.paragraph_id = paragraphs.paragraph_id
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
        paragraph_id,
        article_id,
        paragraph_index,
        mark_family,
        open_position,
        close_position,
        is_open_ended,
        cut_position,
        paragraph_text,
        substr(
            paragraph_text,
            open_position + 2,
            coalesce(close_position, cut_position, length(paragraph_text)) - open_position - 1
        ) as inner_text
    from paired
),

-- Trim the inner text: leading spaces; trailing spaces and a trailing comma that belongs to the
-- attribution (`…other borders,” he added`).
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
        inner_text,
        length({{ regex_extract('inner_text', "'^[\\s\\x{a0}]*'") }}) as lead_trim,
        length({{ regex_extract('inner_text', "'[\\s\\x{a0},]*$'") }}) as tail_trim
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
        {{ regex_matches('inner_text', "'[.!?…][\\s\\x{a0}]*$'") }} as ends_sentence
    from trimmed
    where length(inner_text) > lead_trim + tail_trim
),

{{ load_id_ctes('segments', 'marks', 'article_id') }}

select * from loaded
