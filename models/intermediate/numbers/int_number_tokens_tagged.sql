-- int_number_tokens_tagged: one row per token near a number (int_number_tokens_extracted), tagged
-- from the number lexicons. Rule: a token's number word kind and value (number_words seed), the
-- magnitude it stands for and whether it counts only attached (magnitudes: 13 million, 1.2bn, $5m),
-- the value of digits with inner separators (3,813 ; 2.5), and what it can tell of an attached `m`
-- before or after it: a money word (units seed), a distance or sports word (number_context_words), a
-- plural noun (claim_noun_words: 3m viewers). The next step links the tokens that spell one number.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

tokens as (
    select * from {{ ref('int_number_tokens_extracted') }}
    where {{ new_texts_only() }}
),

number_words as {{ materialized_cte() }} (
    select * from {{ ref('number_words') }}
),

magnitudes as {{ materialized_cte() }} (
    select * from {{ ref('magnitudes') }}
),

units as {{ materialized_cte() }} (
    select * from {{ ref('units') }}
),

context_words as {{ materialized_cte() }} (
    select * from {{ ref('number_context_words') }}
),

noun_words as {{ materialized_cte() }} (
    select * from {{ ref('claim_noun_words') }}
),

-- Words that tell what an attached `m` means: money (a currency sign or word), a plural noun (3m
-- viewers: millions), or a distance or sports word (the 100m, a 400m race, women's 60m: metres).
word_classes as (
    select
        word,
        bool_or(word_class = 'money') as is_money_word,
        bool_or(word_class = 'distance') as is_distance_word,
        bool_or(word_class = 'distance_article') as is_distance_article,
        bool_or(word_class = 'plural_noun') as is_plural_word,
        bool_or(word_class = 'not_plural_noun') as is_not_plural_word
    from (
        select
            phrase as word,
            'money' as word_class
        from units
        where unit_class = 'money'
        union all
        select
            word,
            context_kind as word_class
        from context_words
        where context_kind in ('distance', 'distance_article')
        union all
        select
            word,
            case when cast(is_plural_noun as boolean) then 'plural_noun' else 'not_plural_noun' end as word_class
        from noun_words
    ) as classes
    group by word
),

tagged as (
    select
        tokens.text_id,
        tokens.load_id,
        tokens.token_index,
        tokens.token_text,
        tokens.token_lower,
        tokens.token_kind,
        tokens.has_space_before,
        coalesce(tokens.space_before, case when tokens.has_space_before then ' ' else '' end) as space_before,
        tokens.char_start,
        tokens.char_end,
        number_words.word_kind,
        cast(number_words.value as double) as word_value,
        coalesce(cast(number_words.is_standalone as boolean), true) as is_standalone_word,
        power(10.0, magnitudes.power_of_ten) as magnitude_multiplier,
        coalesce(cast(magnitudes.is_attached_only as boolean), false) as is_attached_only_magnitude,
        coalesce(cast(magnitudes.may_be_unit as boolean), false) as may_be_unit,
        coalesce(word_classes.is_money_word, false) as is_money_word,
        coalesce(word_classes.is_distance_word, false) as is_distance_word,
        coalesce(word_classes.is_distance_article, false) as is_distance_article,
        {{ number_is_plural_noun('tokens.token_text', 'tokens.token_kind', 'word_classes.is_plural_word',
                                 'word_classes.is_not_plural_word') }} as is_plural_noun,
        case
            when tokens.token_kind = 'digits' and {{ regex_matches('tokens.token_text', number_digits_shape()) }}
                then {{ number_try_cast_double("replace(tokens.token_text, ',', '')") }}
        end as digits_value
    from tokens
    left join number_words
        on tokens.token_lower = number_words.word
    left join magnitudes
        on tokens.token_lower = magnitudes.token
    left join word_classes
        on tokens.token_lower = word_classes.word
)

select * from tagged  -- noqa: AM04
