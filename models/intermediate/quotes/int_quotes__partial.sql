-- int_quotes__partial: one row per quote with `is_partial`: a fragment embedded in the reporter's
-- sentence (`secured “better than any point…”`, `the situation is “calm”`). A quote is partial when it
-- starts with a lower-case letter, or when the reporter's words right before it in the same sentence
-- do not end with a colon, a comma, a dash or a speech verb (`said “…”`). A quote nested in another
-- quote is always partial: it is a fragment of the enclosing speaker's words.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

spans as (
    select * from {{ ref('int_quote_spans') }}
    where {{ from_new_loads() }}
),

contexts as (
    select * from {{ ref('int_quote_contexts') }}
    where {{ in_batch('article_id', 'spans', 'load_id') }}
),

speech_verbs as (
    select * from {{ ref('speech_verbs') }}
),

last_before as (
    select
        contexts.quote_id,
        speech_verbs.verb_kind
    from contexts
    inner join speech_verbs
        on lower({{ regex_extract('contexts.before_clause', "'(\\p{L}+)[\\s\\x{a0}]*$'", 1) }}) = speech_verbs.verb
),

judged as (
    select
        spans.quote_id,
        spans.article_id,
        spans.is_nested,
        {{ regex_matches('spans.quote_text', "'^[\\s.…(\\[]*\\p{Ll}'") }} as starts_lower,
        coalesce(
            not contexts.is_colon_introduced
            and trim(contexts.before_clause) <> ''
            and not {{ regex_matches('contexts.before_clause', "'[:,;—–\\-][\\s\\x{a0}]*$'") }}
            and coalesce(last_before.verb_kind <> 'speech', true),
            false
        ) as is_embedded
    from spans
    left join contexts
        on spans.quote_id = contexts.quote_id
    left join last_before
        on spans.quote_id = last_before.quote_id
),

flagged as (
    select
        quote_id,
        article_id,
        starts_lower or is_embedded or is_nested as is_partial
    from judged
),

{{ load_id_ctes('flagged', 'spans', 'article_id') }}

select * from loaded
