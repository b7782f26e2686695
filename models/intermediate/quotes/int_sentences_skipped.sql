-- int_sentences_skipped: one row per sentence whose speech cues were not read because it is longer
-- than `max_sentence_tokens` tokens of the reporter's text (a quotation counts one): not prose, but a
-- table, a list or a text without full stops. The text is kept and loaded (paragraphs, numbers);
-- only the attribution rules skip it, and this table says which sentence and why. Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ new_texts_only() }}
),

skipped as (
    select
        text_id,
        sentence_number,
        max(sentence_tokens) as sentence_tokens,
        'longer than max_sentence_tokens ({{ var("max_sentence_tokens") }}) tokens' as skip_reason,
        max(load_id) as load_id
    from tokens
    where sentence_tokens > {{ var('max_sentence_tokens') }}
    group by text_id, sentence_number
)

select * from skipped
