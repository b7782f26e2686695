-- int_number_mentions_excluded: one row per number mention that is not a claim, with the first rule
-- that excludes it (the spec's "Not claims"): ordinals (21st), decades and years (the 1960s, in 2014,
-- 1986/87, 2013-14; not 1500 votes), clock times (2 pm, 10:30, 1400 GMT), dates (December 3, June 8-10),
-- numbers inside names and codes (int_number_names_flagged; number 10), list markers (1. opening a paragraph),
-- `one` alone as a count (one of the, no one: a determiner or a pronoun), slash numbers that
-- are not fractions of a unit (9/11, 24/7), and numerals without a value.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

mentions as (
    select * from {{ ref('int_number_mentions_qualified') }}
    where {{ new_texts_only() }}
),

ranges as (
    select * from {{ ref('int_number_range_ends_paired') }}
    where {{ in_batch('text_id', 'mentions') }}
),

names as (
    select * from {{ ref('int_number_names_flagged') }}
    where {{ in_batch('text_id', 'mentions') }}
),

context_words as {{ materialized_cte() }} (
    select * from {{ ref('number_context_words') }}
),

context_phrases as (
    select
        {{ number_phrase_key('word') }} as phrase_key,
        {{ number_phrase_length('word') }} as phrase_length,
        context_kind
    from context_words
),

-- Context words right after the numeral (clock markers, ordinal and decade suffixes, months).
after_context as (
    {%- for n in [1, 2, 3, 4] %}
        select
            mentions.mention_id,
            context_phrases.context_kind,
            not mentions.next1_has_space_before as is_attached,
            mentions.next1_token_text as first_token_text,
            context_phrases.phrase_length
        from mentions
        inner join context_phrases
            on
                context_phrases.phrase_length = {{ n }}
                and context_phrases.phrase_key = concat_ws(
                    ' ',
                    {% for k in range(1, n + 1) %}
                        lower(mentions.next{{ k }}_token_text){{ ', ' if not loop.last }}
                    {% endfor %}
                )
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

after_flags as (
    select
        mention_id,
        bool_or(context_kind = 'ordinal_suffix' and is_attached) as is_ordinal,
        bool_or(context_kind = 'decade_suffix' and is_attached) as is_decade,
        bool_or(context_kind = 'clock') as is_clock,
        bool_or(context_kind = 'year_period') as is_year_period,
        bool_or(context_kind = 'month' and first_token_text <> lower(first_token_text)) as is_month_after,
        bool_or(context_kind = 'year_noun' and phrase_length = 1) as is_before_year_noun,
        bool_or(context_kind = 'count_noun' and phrase_length = 1) as is_before_count_noun
    from after_context
    group by mention_id
),

-- Phrases matching the word before, or the one before that (two equality joins: an `or` in one join
-- condition would make a nested-loop join).
before_matches as (
    select
        mentions.mention_id,
        mentions.prev1_token_text,
        mentions.prev2_token_text,
        context_phrases.context_kind,
        context_phrases.phrase_key
    from mentions
    inner join context_phrases
        on
            context_phrases.phrase_length = 1
            and context_phrases.phrase_key = lower(mentions.prev1_token_text)
    union all
    select
        mentions.mention_id,
        mentions.prev1_token_text,
        mentions.prev2_token_text,
        context_phrases.context_kind,
        context_phrases.phrase_key
    from mentions
    inner join context_phrases
        on
            context_phrases.phrase_length = 1
            and context_phrases.phrase_key = lower(mentions.prev2_token_text)
),

before_flags as (
    select
        mention_id,
        bool_or(
            context_kind = 'month'
            and prev1_token_text <> lower(prev1_token_text)
        ) as is_month_before_word,
        bool_or(
            context_kind = 'month'
            and prev1_token_text = '.'
            and prev2_token_text <> lower(prev2_token_text)
        ) as is_month_before_abbreviation,
        bool_or(
            context_kind = 'label'
            and phrase_key = lower(prev1_token_text)
        ) as is_label_before,
        -- in 2014, since 1999, the 2011 uprising, its 1986 results, September 2001
        bool_or(
            (context_kind = 'year_before' or (context_kind = 'month' and prev1_token_text <> lower(prev1_token_text)))
            and phrase_key = lower(prev1_token_text)
        ) as is_after_year_word,
        bool_or(context_kind = 'count_before' and phrase_key = lower(prev1_token_text)) as is_after_count_word
    from before_matches
    group by mention_id
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
    inner join after_flags
        on ranges.other_mention_id = after_flags.mention_id
    where
        ranges.range_end = 'low'
        and after_flags.is_month_after
    union all
    select ranges.mention_id
    from ranges
    inner join before_flags
        on ranges.other_mention_id = before_flags.mention_id
    where
        ranges.range_end = 'high'
        and (before_flags.is_month_before_word or before_flags.is_month_before_abbreviation)
),

flagged as (
    select
        mentions.mention_id,
        mentions.text_id,
        mentions.numeral_text,
        case
            when mentions.value is null then 'no_value'
            when coalesce(after_flags.is_ordinal, false) then 'ordinal'
            when coalesce(after_flags.is_clock, false) then 'clock_time'
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
            when coalesce(after_flags.is_decade, false) then 'year'
            -- A bare 1000-2099 is a year, unless it counts: a noun that counts people or things follows it
            -- (1500 votes, 1200 troops), or a count word stands before it and a plural noun a year does
            -- not qualify follows (about 1700 lawsuits; not about 1987 prospects), and no year word
            -- stands before it (in 1500, since 1999, the 2011 uprising, its 1986 losses).
            when
                mentions.unit is null and mentions.magnitude_multiplier is null
                and {{ regex_matches('mentions.numeral_text', sql_string("^(1\\d|20)\\d\\d(/\\d\\d)?$")) }}
                and not (
                    mentions.numeral_text not like '%/%'
                    and not coalesce(before_flags.is_after_year_word, false)
                    and (
                        coalesce(after_flags.is_before_count_noun, false)
                        or (
                            coalesce(before_flags.is_after_count_word, false)
                            and coalesce(mentions.counted_noun = mentions.next1_token_text, false)
                            and not coalesce(after_flags.is_before_year_noun, false)
                        )
                    )
                )
                then 'year'
            when year_ranges.mention_id is not null then 'year'
            -- `the 1986 second half`, `its 1987 first quarter` (`second` is no unit there)
            when
                coalesce(after_flags.is_year_period, false) and mentions.magnitude_multiplier is null
                and {{ regex_matches('mentions.numeral_text', sql_string("^(1[89]|20)\\d\\d$")) }}
                then 'year'
            when
                mentions.unit is null and mentions.value between 1 and 31 and mentions.value = floor(mentions.value)
                and (
                    coalesce(after_flags.is_month_after, false)
                    or coalesce(before_flags.is_month_before_word, false)
                    or coalesce(before_flags.is_month_before_abbreviation, false)
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
                coalesce(before_flags.is_label_before, false)
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
    left join after_flags
        on mentions.mention_id = after_flags.mention_id
    left join before_flags
        on mentions.mention_id = before_flags.mention_id
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
