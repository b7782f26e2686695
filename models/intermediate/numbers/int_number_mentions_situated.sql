-- int_number_mentions_situated: one row per number mention (int_number_mentions_measured) with what
-- the context words around it say (number_context_words seed). Rule: a phrase of up to four words
-- right after the numeral can be an ordinal or decade suffix glued to it (21st, 1960s), a clock word
-- (2 pm, 1400 GMT), a year period (the 1986 second half), a capitalised month (3 December), a noun a
-- year qualifies (2004 earnings) or a noun that counts (1500 votes); the word before (or the one
-- before that) can be a capitalised month (December 3, Feb. 26), a label (number 10), a year word
-- (in 2014, since 1999, the 2011 uprising, September 2001) or a count word (about 1700 lawsuits).
-- The next step reads these flags to exclude what is not a claim.
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

situated as (
    select
        mentions.mention_id,
        mentions.text_id,
        mentions.numeral_text,
        coalesce(after_flags.is_ordinal, false) as is_ordinal,
        coalesce(after_flags.is_decade, false) as is_decade,
        coalesce(after_flags.is_clock, false) as is_clock,
        coalesce(after_flags.is_year_period, false) as is_year_period,
        coalesce(after_flags.is_month_after, false) as is_month_after,
        coalesce(after_flags.is_before_year_noun, false) as is_before_year_noun,
        coalesce(after_flags.is_before_count_noun, false) as is_before_count_noun,
        coalesce(before_flags.is_month_before_word, false) as is_month_before_word,
        coalesce(before_flags.is_month_before_abbreviation, false) as is_month_before_abbreviation,
        coalesce(before_flags.is_label_before, false) as is_label_before,
        coalesce(before_flags.is_after_year_word, false) as is_after_year_word,
        coalesce(before_flags.is_after_count_word, false) as is_after_count_word,
        mentions.load_id
    from mentions
    left join after_flags
        on mentions.mention_id = after_flags.mention_id
    left join before_flags
        on mentions.mention_id = before_flags.mention_id
)

select * from situated
