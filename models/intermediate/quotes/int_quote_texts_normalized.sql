-- int_quote_texts_normalized: one row per distinct normalised quote text, with what int_quotes_canonicalized
-- matches texts by: its distinct word tokens and its two blocking keys (its first three and its last
-- three words). A text's row depends on the text alone, so it is written once, by the load that
-- first brought it, and later builds tokenise only the texts they have not seen.
{{ config(
    materialized='incremental',
    unique_key='text_key',
    incremental_strategy='append'
) }}
with

spans as (
    select * from {{ ref('int_quotes_collected') }}
    where {{ from_new_loads() }}
),

-- Each distinct quote text is normalised once (a republished quote occurs many times).
quote_texts as (
    select
        full_quote_text,
        min(load_id) as load_id
    from spans
    group by full_quote_text
),

normalized_texts as (
    select
        {{ normalize_text('full_quote_text') }} as normalized_text,
        load_id
    from quote_texts
),

keyed as (
    select
        {{ hash_key(['normalized_text']) }} as text_key,
        normalized_text,
        min(load_id) as load_id
    from normalized_texts
    group by normalized_text
),

new_texts as (
    select * from keyed
    where {{ not_held('text_key', 'text_key') }}
),

tokenized as (
    select
        text_key,
        normalized_text,
        load_id,
        {{ word_token_set('normalized_text') }} as token_set,
        {{ regex_extract_all_list('normalized_text', sql_string("[a-z0-9]+(?:'[a-z]+)?")) }} as token_list
    from new_texts
),

final as (
    select
        text_key,
        normalized_text,
        token_set,
        case
            when {{ list_length('token_list') }} > 0
                then 'head:' || {{ list_head_words('token_list', 3) }}
        end as head_key,
        case
            when {{ list_length('token_list') }} > 0
                then 'tail:' || {{ list_tail_words('token_list', 3) }}
        end as tail_key,
        load_id
    from tokenized
)

select * from final
