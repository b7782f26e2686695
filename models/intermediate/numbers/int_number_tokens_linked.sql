-- int_number_tokens_linked: one row per token near a number, tagged (int_number_tokens_tagged) and read
-- against its neighbours. Rule: a token continues the numeral before it when the two spell one
-- number: a slash fraction and its whole part (1/2, 35-3/4, 2 1/2), a digit group (10 000), a
-- magnitude after a numeral (13 million, 1.2bn, $5m; an attached `m` in a distance or sports context
-- is metres), tens and units (twenty-one), hundred (a hundred), connectors inside word numerals (a
-- hundred and two, two hundred & forty), `and a half`, fraction words (two thirds); `200 and 44` is
-- two. Digits, cardinals, tens, vague words and `a` before hundred or a magnitude can start one.
-- Every token stays: the next step reads five on each side of a numeral as its context.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

tokens as (
    select * from {{ ref('int_number_tokens_tagged') }}
    where {{ new_texts_only() }}
),

neighboured as (
    select
        *,
        {%- for k in range(1, 3) %}
            lag(token_text, {{ k }}) over w as prev{{ k }}_token_text,
            lag(has_space_before, {{ k }}) over w as prev{{ k }}_has_space_before,
            lead(token_text, {{ k }}) over w as next{{ k }}_token_text,
            lead(token_kind, {{ k }}) over w as next{{ k }}_token_kind,
            lead(has_space_before, {{ k }}) over w as next{{ k }}_has_space_before,
            lag(token_lower, {{ k }}) over w as prev{{ k }}_lower,
            lag(word_kind, {{ k }}) over w as prev{{ k }}_word_kind,
            lag(digits_value, {{ k }}) over w as prev{{ k }}_digits_value,
            lag(magnitude_multiplier, {{ k }}) over w as prev{{ k }}_magnitude,
            lead(token_lower, {{ k }}) over w as next{{ k }}_lower,
            lead(word_kind, {{ k }}) over w as next{{ k }}_word_kind,
            lead(digits_value, {{ k }}) over w as next{{ k }}_digits_value,
            lead(magnitude_multiplier, {{ k }}) over w as next{{ k }}_magnitude,
            lead(is_attached_only_magnitude, {{ k }}) over w as next{{ k }}_is_attached_only_magnitude,
        {%- endfor %}
        lead(token_lower, 3) over w as next3_lower,
        lag(is_money_word, 2) over w as prev2_is_money_word,
        lag(is_distance_word, 2) over w as prev2_is_distance_word,
        lag(is_distance_article, 2) over w as prev2_is_distance_article,
        lead(is_money_word) over w as next1_is_money_word,
        lead(is_distance_word) over w as next1_is_distance_word,
        lead(is_plural_noun) over w as next1_is_plural_noun
    from tokens
    window w as (partition by text_id order by token_index)
),

-- Structural roles of single tokens: fractions written with a slash (1/2, 35-3/4), digit groups
-- split by a space (10 000), and which words can stand in a word numeral.
roles as (
    select
        *,
        token_text = '/' and not has_space_before and not next1_has_space_before
        and prev1_digits_value is not null and next1_digits_value is not null
        and prev1_token_text not like '%.%' and next1_token_text not like '%.%' as is_fraction_slash,
        -- a fraction is whole over whole: 6.0800/30 (a rate and its last digits) is none
        digits_value is not null and next1_token_text = '/' and not next1_has_space_before
        and next2_digits_value is not null and not next2_has_space_before
        and token_text not like '%.%' and next2_token_text not like '%.%' as is_fraction_numerator,
        digits_value is not null and prev1_token_text = '/' and not has_space_before
        and prev2_digits_value is not null and not prev1_has_space_before
        and token_text not like '%.%' and prev2_token_text not like '%.%' as is_fraction_denominator,
        has_space_before and {{ regex_matches('token_text', sql_string("^\\d{3}$")) }}
        and {{ regex_matches('prev1_token_text', sql_string("^[1-9]\\d{0,2}$")) }} as is_digit_group,
        coalesce(word_kind in ('cardinal', 'tens', 'hundred'), false) as is_word_number,
        coalesce(prev1_word_kind in ('cardinal', 'tens', 'hundred'), false) as prev1_is_word_number,
        coalesce(next1_word_kind in ('cardinal', 'tens'), false) as next1_is_word_small,
        coalesce(next2_word_kind in ('cardinal', 'tens'), false) as next2_is_word_small,
        -- An attached `m` (magnitudes seed: may_be_unit) is metres, not millions, in a distance or sports
        -- context without money or a counted noun: a 400m race, women's 60m, the 4x100m relay, the 60m
        -- hurdles (a plural that is a sports word), and after `the` when no word follows (won the 100m.;
        -- not the 1.4m cash machines).
        may_be_unit and not has_space_before
        and not coalesce(
            prev2_is_money_word or next1_is_money_word or (next1_is_plural_noun and not next1_is_distance_word),
            false
        )
        and coalesce(
            next1_is_distance_word or prev2_is_distance_word or (prev2_lower = 'x' and not prev1_has_space_before)
            or (prev2_is_distance_article and coalesce(next1_token_kind, '') <> 'word'),
            false
        ) as is_metre_unit
    from neighboured
),

-- Whether a token continues the numeral of the token before it, and whether it can start one.
linked as (
    select
        *,
        case
            -- fractions: 1/2 (slash and denominator), 2 1/2 and 35-3/4 (whole, optional hyphen, fraction)
            when is_fraction_slash or is_fraction_denominator then true
            when
                is_fraction_numerator and prev1_digits_value is not null and has_space_before
                and prev1_token_text not like '%.%' then true
            when
                token_text = '-' and not has_space_before and prev1_digits_value is not null
                and next1_digits_value is not null and not next1_has_space_before
                and next2_lower = '/' then true
            when
                is_fraction_numerator and prev1_token_text = '-' and not has_space_before
                and prev2_digits_value is not null and not prev1_has_space_before then true
            -- digit groups split by a space: 10 000
            when is_digit_group then true
            -- a magnitude after a numeral: 13 million, 1.2bn, $5m (one-letter magnitudes attached only)
            when
                magnitude_multiplier is not null
                and (prev1_digits_value is not null or prev1_is_word_number or prev1_word_kind = 'article')
                and not (is_attached_only_magnitude and has_space_before)
                and not is_metre_unit then true
            -- word numerals: twenty-one, twenty one, three hundred, a hundred, two dozen
            when word_kind in ('cardinal', 'tens') and prev1_word_kind = 'tens' and word_value < 10 then true
            when word_kind = 'hundred' and prev1_word_kind in ('cardinal', 'tens', 'article') then true
            when word_kind = 'hundred' and prev1_digits_value is not null and prev1_token_text not like '%.%' then true
            when
                word_kind in ('cardinal', 'tens') and (prev1_word_kind = 'hundred' or prev1_magnitude is not null)
                and coalesce(prev1_word_kind, '') <> 'article' then true
            when
                token_text in ('-', '‐') and not has_space_before and not next1_has_space_before
                and (
                    (prev1_word_kind = 'tens' and next1_word_kind = 'cardinal')
                    or (prev1_is_word_number and next1_word_kind in ('fraction', 'fraction_hyphenated'))
                ) then true
            when
                word_kind in ('cardinal', 'tens', 'fraction', 'fraction_hyphenated') and prev1_token_text in ('-', '‐')
                and not has_space_before and not prev1_has_space_before
                and (
                    prev2_word_kind = 'tens'
                    or (word_kind like 'fraction%' and prev2_word_kind in ('cardinal', 'tens'))
                )
                then true
            -- connectors inside word numerals: a hundred and two ; three million, two hundred & forty
            when
                word_kind = 'connector' and next1_is_word_small
                and (prev1_word_kind = 'hundred' or (prev1_magnitude is not null and prev2_word_kind is not null))
                then true
            when
                token_text = ',' and not has_space_before and next1_is_word_small
                and prev1_magnitude is not null and prev2_word_kind in ('cardinal', 'tens', 'hundred') then true
            when
                word_kind in ('cardinal', 'tens') and (prev1_word_kind = 'connector' or prev1_token_text = ',')
                and (prev2_word_kind = 'hundred' or (prev2_magnitude is not null and prev2_word_kind is null))
                then true
            -- and a half: two and a half miles
            when
                word_kind = 'connector' and next1_word_kind = 'article' and next2_word_kind like 'fraction%'
                and (prev1_digits_value is not null or prev1_is_word_number) then true
            when
                word_kind = 'article' and prev1_word_kind = 'connector' and next1_word_kind like 'fraction%'
                and (prev2_digits_value is not null or prev2_word_kind in ('cardinal', 'tens', 'hundred')) then true
            when word_kind like 'fraction%' and prev1_word_kind = 'article' and prev2_word_kind = 'connector' then true
            -- fraction words after a numeral: one sixth, two thirds, three halves
            when
                word_kind = 'fraction' and has_space_before
                and (prev1_is_word_number or (prev1_digits_value is not null and prev1_token_text not like '%.%'))
                then true
            else false
        end as continues_previous,
        coalesce(
            digits_value is not null
            or word_kind in ('cardinal', 'tens', 'vague')
            or (
                word_kind = 'article' and (
                    next1_word_kind = 'hundred'
                    or (next1_magnitude is not null and next1_has_space_before and not next1_is_attached_only_magnitude)
                )
            ),
            false
        ) as can_start
    from roles
)

select
    text_id,
    load_id,
    token_index,
    token_text,
    token_kind,
    has_space_before,
    space_before,
    char_start,
    char_end,
    word_kind,
    word_value,
    is_standalone_word,
    magnitude_multiplier,
    digits_value,
    is_fraction_slash,
    is_fraction_numerator,
    is_fraction_denominator,
    is_digit_group,
    next1_word_kind,
    next2_digits_value,
    continues_previous,
    can_start
from linked
