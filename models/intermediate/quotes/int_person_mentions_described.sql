-- int_person_mentions_described: one row per person mention (int_person_mentions_found) with what
-- it is: `is_full_name` (2-4 words, a person or unknown), `is_name_like` (not in brackets, not an
-- organisation or place), `surname_key` (the last word in lower case without an `al-`/`el-` prefix,
-- so `Abbasi` meets `Thabet al-Abbasi`) and `is_quoted` (inside quotation marks: the depth of the
-- text's quotation regions at the mention, read in one pass in text order). Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

classified as (
    select * from {{ ref('int_person_mentions_found') }}
    where {{ new_texts_only() }}
),

-- What the name is: a full name, a name (not in brackets, not an organisation or place), and the
-- key its surname meets other mentions by.
described as (
    select
        classified.*,
        classified.name_word_count between 2 and 4
        and classified.entity_class in ('person', 'unknown') as is_full_name,
        classified.entity_class in ('person', 'unknown') and not classified.is_bracketed as is_name_like,
        lower({{ regex_replace_all(
            regex_extract('classified.person_name', sql_string("([^ \\t\\x{a0}]+)$"), 1),
            sql_string("^(?:al|el|Al|El)-|\\.$"),
            "''"
        ) }}) as surname_key
    from classified
),

-- Inside quotation marks or not: the depth of quotation marks at each mention (events in text order).
regions as (
    select * from {{ ref('int_quote_regions_merged') }}
    where {{ in_batch('text_id', 'classified') }}
),

events as (
    select
        text_id,
        char_start as event_position,
        0 as depth_change,
        sentence_number,
        run_position
    from described
    union all
    select
        text_id,
        open_position as event_position,
        1 as depth_change,
        null as sentence_number,
        null as run_position
    from regions
    union all
    select
        text_id,
        close_position + 1 as event_position,
        -1 as depth_change,
        null as sentence_number,
        null as run_position
    from regions
),

depths as (
    select
        text_id,
        sentence_number,
        run_position,
        depth_change,
        sum(depth_change) over (
            partition by text_id
            order by event_position, case depth_change when -1 then 0 when 1 then 1 else 2 end
            rows between unbounded preceding and current row
        ) as quote_depth
    from events
),

final as (
    select
        described.text_id,
        described.sentence_number,
        described.run_position,
        described.char_start,
        described.char_end,
        described.person_name,
        described.title,
        described.has_honorific,
        described.name_word_count,
        described.entity_class,
        described.gender,
        described.is_full_name,
        described.is_possessive,
        described.is_name_like,
        described.surname_key,
        described.appositive_role,
        depths.quote_depth > 0 as is_quoted,
        described.load_id
    from described
    inner join depths
        on
            described.text_id = depths.text_id
            and described.sentence_number = depths.sentence_number
            and described.run_position = depths.run_position
            and depths.depth_change = 0
)

select * from final
