-- int_number_mentions_excluded: one row per number mention that is not a claim, with the first rule
-- that excludes it (the spec's "Not claims"): ordinals (21st), decades and years (the 1960s, in 2014,
-- 1986/87, 2013-14; not 1500 votes), clock times (2 pm, 10:30, 1400 GMT), dates (December 3, June 8-10),
-- numbers inside names and codes (int_number_names_flagged; number 10), list markers (1. opening a paragraph),
-- `one` alone as a count (one of the, no one: a determiner or a pronoun), slash numbers that
-- are not fractions of a unit (9/11, 24/7), and numerals without a value.
-- The context words around each mention are read before (int_number_mentions_situated); this step
-- applies the rules in order, the first that holds giving the reason.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

measured as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ new_texts_only() }}
),

situations as (
    select * from {{ ref('int_number_mentions_situated') }}
    where {{ in_batch('text_id', 'measured') }}
),

ranges as (
    select * from {{ ref('int_number_range_ends_paired') }}
    where {{ in_batch('text_id', 'measured') }}
),

names as (
    select * from {{ ref('int_number_names_flagged') }}
    where {{ in_batch('text_id', 'measured') }}
),

-- Each mention with what the words around it say.
mentions as (
    select
        measured.*,
        situations.is_ordinal,
        situations.is_decade,
        situations.is_clock,
        situations.is_year_period,
        situations.is_month_after,
        situations.is_before_year_noun,
        situations.is_before_count_noun,
        situations.is_month_before_word,
        situations.is_month_before_abbreviation,
        situations.is_label_before,
        situations.is_after_year_word,
        situations.is_after_count_word
    from measured
    inner join situations
        on measured.mention_id = situations.mention_id
),

year_ranges as (
    select ranges.other_mention_id as mention_id
    from ranges
    inner join mentions
        on ranges.mention_id = mentions.mention_id
    where
        ranges.range_end = 'low'
        and {{ regex_matches('mentions.numeral_text', sql_string("^(1[89]|20)\\d\\d$")) }}
),

-- The other end of a range with a month beside it is a date too: 19-20 March, between 3 and 5 May,
-- June 8-10.
date_ranges as (
    select ranges.mention_id
    from ranges
    inner join mentions as other_end
        on ranges.other_mention_id = other_end.mention_id
    where
        ranges.range_end = 'low'
        and other_end.is_month_after
    union all
    select ranges.mention_id
    from ranges
    inner join mentions as other_end
        on ranges.other_mention_id = other_end.mention_id
    where
        ranges.range_end = 'high'
        and (other_end.is_month_before_word or other_end.is_month_before_abbreviation)
),

flagged as (
    select
        mentions.mention_id,
        mentions.text_id,
        mentions.numeral_text,
        case
            when mentions.value is null then 'no_value'
            when mentions.is_ordinal then 'ordinal'
            when mentions.is_clock then 'clock_time'
            when
                (
                    mentions.next1_token_text = ':' and not mentions.next1_has_space_before
                    and mentions.next2_token_kind = 'digits' and not mentions.next2_has_space_before
                )
                or (
                    mentions.prev1_token_text = ':' and not mentions.has_space_before
                    and mentions.prev2_token_kind = 'digits' and not mentions.prev1_has_space_before
                )
                then 'clock_time'
            when mentions.is_decade then 'year'
            -- A bare 1000-2099 is a year, unless it counts: a noun that counts people or things follows it
            -- (1500 votes, 1200 troops), or a count word stands before it and a plural noun a year does
            -- not qualify follows (about 1700 lawsuits; not about 1987 prospects), and no year word
            -- stands before it (in 1500, since 1999, the 2011 uprising, its 1986 losses).
            when
                mentions.unit is null and mentions.magnitude_multiplier is null
                and {{ regex_matches('mentions.numeral_text', sql_string("^(1\\d|20)\\d\\d(/\\d\\d)?$")) }}
                and not (
                    mentions.numeral_text not like '%/%'
                    and not mentions.is_after_year_word
                    and (
                        mentions.is_before_count_noun
                        or (
                            mentions.is_after_count_word
                            and coalesce(mentions.counted_noun = mentions.next1_token_text, false)
                            and not mentions.is_before_year_noun
                        )
                    )
                )
                then 'year'
            when year_ranges.mention_id is not null then 'year'
            -- `the 1986 second half`, `its 1987 first quarter` (`second` is no unit there)
            when
                mentions.is_year_period and mentions.magnitude_multiplier is null
                and {{ regex_matches('mentions.numeral_text', sql_string("^(1[89]|20)\\d\\d$")) }}
                then 'year'
            when
                mentions.unit is null and mentions.value between 1 and 31 and mentions.value = floor(mentions.value)
                and (
                    mentions.is_month_after
                    or mentions.is_month_before_word
                    or mentions.is_month_before_abbreviation
                    or date_ranges.mention_id is not null
                )
                then 'date'
            when mentions.has_fraction_slash and (mentions.value * 480) <> floor(mentions.value * 480)
                then 'not_a_fraction'
            when mentions.has_fraction_slash and mentions.numeral_text like '%/%/%' then 'not_a_fraction'
            when names.mention_id is not null then 'name_or_code'
            when
                not mentions.is_standalone and not mentions.is_vague
                and mentions.unit_class = 'count' and mentions.token_count = 1
                then 'determiner_one'
            when
                mentions.is_label_before
                and mentions.unit is null and mentions.magnitude_multiplier is null
                and mentions.value = floor(mentions.value)
                then 'name_or_code'
            when
                mentions.start_token_index = 1 and mentions.has_digits
                and mentions.next1_token_text in ('.', ')') and not mentions.next1_has_space_before
                and coalesce(mentions.next2_has_space_before, true)
                then 'list_marker'
            when
                mentions.start_token_index = 2 and mentions.prev1_token_text = '('
                and mentions.next1_token_text = ')'
                then 'list_marker'
        end as exclusion_reason
    from mentions
    left join year_ranges
        on mentions.mention_id = year_ranges.mention_id
    left join names
        on mentions.mention_id = names.mention_id
    left join date_ranges
        on mentions.mention_id = date_ranges.mention_id
),

excluded as (
    select
        mention_id,
        text_id,
        numeral_text,
        exclusion_reason
    from flagged
    where exclusion_reason is not null
),

{{ load_id_ctes('excluded', 'mentions', 'text_id') }}

select * from loaded
