-- int_number_range_ends_paired: one row per number mention that is one end of a range, with what it
-- takes from the other end. Rule: two mentions joined by a dash or `to` (28-30 dlrs, 30 to 40 pct, six
-- to eight weeks), or by `and` after `between`, are two claims; the low end takes the unit and the
-- magnitude of the high end when it has none (5 to 6 million), the high end takes the money sign of
-- the low end ($28-30).
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

mentions as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ new_texts_only() }}
),

paired as (
    select
        mention_id as low_mention_id,
        text_id,
        lower(prev1_token_text) as low_prev_word,
        unit as low_unit,
        unit_class as low_unit_class,
        currency_before as low_currency,
        value as low_value,
        magnitude_multiplier as low_magnitude,
        end_token_index + after_token_count as low_end_token_index,
        lead(mention_id) over w as high_mention_id,
        lead(start_token_index - before_token_count) over w as high_start_token_index,
        lead(lower(prev1_token_text)) over w as high_prev1_word,
        lead(lower(prev2_token_text)) over w as high_prev2_word,
        lead(before_token_count) over w as high_before_token_count,
        lead(unit) over w as high_unit,
        lead(unit_class) over w as high_unit_class,
        lead(value) over w as high_value,
        lead(magnitude_multiplier) over w as high_magnitude
    from mentions
    where not is_vague
    window w as (partition by text_id order by start_token_index)
),

connector as (
    select
        *,
        case when high_before_token_count = 0 then high_prev1_word else high_prev2_word end as connector_word
    from paired
    where high_start_token_index = low_end_token_index + 2
),

ranges as (
    select *
    from connector
    where
        connector_word in ('-', '–', '—', 'to')
        or (connector_word = 'and' and low_prev_word = 'between')
),

ends as (
    select
        low_mention_id as mention_id,
        text_id,
        'low' as range_end,
        high_mention_id as other_mention_id,
        case when low_unit is null then high_unit end as inherited_unit,
        case when low_unit is null then high_unit_class end as inherited_unit_class,
        case
            -- `1.2 to 1.5 billion`, not `grew 12.7 pct to 627.7 billion baht` (the low end has its own unit).
            when
                low_magnitude is null and high_magnitude is not null and low_unit is null
                and low_value < high_value / high_magnitude
                then high_magnitude
        end as inherited_multiplier
    from ranges
    union all
    select
        high_mention_id as mention_id,
        text_id,
        'high' as range_end,
        low_mention_id as other_mention_id,
        case when high_unit is null then low_currency end as inherited_unit,
        case when high_unit is null and low_currency is not null then low_unit_class end as inherited_unit_class,
        null as inherited_multiplier
    from ranges
),

-- In a chain (1-2-3) a middle mention ends two ranges; it keeps its role as the low end of the next one.
ranked_ends as (
    select
        *,
        row_number() over (partition by mention_id order by range_end desc) as end_rank
    from ends
),

one_per_mention as (
    select
        mention_id,
        text_id,
        range_end,
        other_mention_id,
        inherited_unit,
        inherited_unit_class,
        inherited_multiplier
    from ranked_ends
    where end_rank = 1
),

{{ load_id_ctes('one_per_mention', 'mentions', 'text_id') }}

select * from loaded
