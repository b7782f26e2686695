-- int_number_names_flagged: one row per number mention that is part of a name or a code, not a claim,
-- with the rule that found it:
--   glued_code: glued to letters or digits (G20, 3G, 200LR); hyphen_code: after a word and a glued
--     hyphen (COVID-19, interleukin-2; not eight-12 months, 2-for-1); leading_zero: a leading zero (06F6);
--   capitalised_name: a bare whole number after a capitalised word in mid-sentence (Boeing 747,
--     Spider-Man 2), not after a possessive (Indonesia's 14 donor nations);
--   slash_name: a bare whole number after a slash glued to a capitalised word (OS/2, System/360; not
--     bid/107, Clear/40 degrees, Antwerp/1-3 ports);
--   hyphen_name: a whole number glued by a hyphen to a capitalised word that is no unit (the 3-Series,
--     3-D, form 10-K);
--   hash_number: after a glued # (#3);
--   capitalised_word_number: a capitalised number word in mid-sentence (BBC Three, Five Live);
--   code_partner: the other part, of three digits or more, of a code joined by a glued hyphen (the
--     800 of Boeing 737-800, the 777 of the 777-200LR).
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
{%- set sentence_marks = "('.', '!', '?', ':', ';', '\"', '“', '‘', '(', '[', '—', '–', '-')" %}
with

mentions as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ new_texts_only() }}
),

ranges as (
    select * from {{ ref('int_number_range_ends_paired') }}
    where {{ in_batch('text_id', 'mentions') }}
),

number_words as {{ materialized_cte() }} (
    select * from {{ ref('number_words') }}
),

magnitudes as {{ materialized_cte() }} (
    select * from {{ ref('magnitudes') }}
),

-- Words that spell a number or its magnitude (two, twenty, hundred, million, m).
numeric_words as (
    select
        word,
        false as is_magnitude
    from number_words
    where word_kind in ('cardinal', 'tens', 'hundred')
    union all
    select
        token as word,
        true as is_magnitude
    from magnitudes
),

-- A lower-case number word (eight-12 months), a magnitude word (1.5 million-2 million) or a magnitude
-- letter glued to a number ($779m-798m) is no code; a capitalised number word (Hawaii Five-0) or a
-- lone letter (K-12, B-52) may be.
with_words as (
    select
        mentions.*,
        case
            when prev2_words.word is null then false
            when prev2_words.is_magnitude
                then
                    length(mentions.prev2_token_text) > 1
                    or (mentions.prev3_token_kind = 'digits' and not mentions.prev2_has_space_before)
            else mentions.prev2_token_text = lower(mentions.prev2_token_text)
        end as prev2_is_number_word,
        prev4_words.word is not null as prev4_is_number_word
    from mentions
    left join numeric_words as prev2_words
        on lower(mentions.prev2_token_text) = prev2_words.word
    left join numeric_words as prev4_words
        on lower(mentions.prev4_token_text) = prev4_words.word
),

flagged as (
    select
        mention_id,
        text_id,
        numeral_text,
        case
            when prev1_token_kind = 'word' and not has_space_before then 'glued_code'
            when
                prev1_token_text in ('-', '‐') and not has_space_before
                and prev2_token_kind = 'word' and not prev1_has_space_before
                and has_digits
                -- not a number word (eight-12 months, million-2 million), nor a lower-case word joining
                -- two numbers (2-for-1, 13.50-to-14 dlrs, one-for-50; but F-110-GE-100 is a code)
                and not coalesce(prev2_is_number_word, false)
                and not coalesce(
                    prev3_token_text in ('-', '‐') and not prev2_has_space_before
                    and prev2_token_text = lower(prev2_token_text)
                    and (prev4_token_kind = 'digits' or prev4_is_number_word),
                    false
                )
                then 'hyphen_code'
            when
                next1_token_kind in ('word', 'digits') and not next1_has_space_before
                and after_token_count = 0
                then 'glued_code'
            when has_digits and {{ regex_matches('numeral_text', sql_string("^0\\d")) }} then 'leading_zero'
            when
                has_digits and not has_number_word
                and unit is null and magnitude_multiplier is null
                and {{ regex_matches('numeral_text', sql_string("^\\d+$")) }}
                and prev1_token_kind = 'word'
                and {{ regex_matches('prev1_token_text', sql_string("^\\p{Lu}")) }}
                and not {{ regex_matches('prev1_token_text', sql_string("['’]s$")) }}
                and prev2_token_text is not null
                and (
                    prev2_token_text not in {{ sentence_marks }}
                    or (
                        prev2_token_text = '-' and not prev1_has_space_before and length(prev1_token_text) > 1
                        and prev3_token_kind = 'word' and not prev2_has_space_before
                    )
                )
                then 'capitalised_name'
            when
                prev1_token_text = '/' and not has_space_before
                and prev2_token_kind = 'word' and not prev1_has_space_before
                and {{ regex_matches('prev2_token_text', sql_string("^\\p{Lu}")) }}
                and {{ regex_matches('numeral_text', sql_string("^\\d+$")) }}
                and unit is null and magnitude_multiplier is null
                and coalesce(next1_token_text, '') <> '-'
                then 'slash_name'
            when
                after_token_count = 0 and next1_token_text in ('-', '‐')
                and {{ regex_matches('numeral_text', sql_string("^\\d+$")) }}
                and not next1_has_space_before and not next2_has_space_before
                and next2_token_kind = 'word'
                and {{ regex_matches('next2_token_text', sql_string("^\\p{Lu}")) }}
                then 'hyphen_name'
            when prev1_token_text = '#' and not has_space_before then 'hash_number'
            when
                has_number_word and not has_digits and unit is null
                and {{ regex_matches('numeral_text', sql_string("^\\p{Lu}")) }}
                and prev1_token_text is not null
                and prev1_token_text not in {{ sentence_marks }}
                then 'capitalised_word_number'
        end as name_rule
    from with_words
),

-- The other end of a "range" joined by a glued hyphen to a name or code is part of the same code.
code_partners as (
    select
        ranges.mention_id,
        'code_partner' as name_rule
    from ranges
    inner join flagged as partner
        on ranges.other_mention_id = partner.mention_id
    inner join mentions
        on ranges.mention_id = mentions.mention_id
    where
        -- not from a word joined by the same hyphen (eight-12) nor a leading-zero part (98.05-06)
        partner.name_rule not in ('hyphen_code', 'leading_zero')
        -- a model number of three digits or more (737-800, 747-400), not a short range after a
        -- table's label (KNUCKLE 8-11)
        and {{ regex_matches('mentions.numeral_text', sql_string("^[1-9]\\d{2,}$")) }}
        and (
            (
                ranges.range_end = 'low' and mentions.next1_token_text = '-'
                and not mentions.next1_has_space_before and not mentions.next2_has_space_before
            )
            or (
                ranges.range_end = 'high' and mentions.prev1_token_text = '-'
                and not mentions.has_space_before and not mentions.prev1_has_space_before
            )
        )
),

named as (
    select
        flagged.mention_id,
        flagged.text_id,
        flagged.numeral_text,
        coalesce(flagged.name_rule, code_partners.name_rule) as name_rule
    from flagged
    left join code_partners
        on flagged.mention_id = code_partners.mention_id
    where flagged.name_rule is not null or code_partners.mention_id is not null
),

{{ load_id_ctes('named', 'mentions', 'text_id') }}

select * from loaded
