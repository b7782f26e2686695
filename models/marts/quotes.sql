-- quotes: one row per quote, direct (words in quotation marks) or indirect (reported speech: `Miri
-- noted that …`), with its resolved speaker and its canonical occurrence.
-- Incremental: a build writes the quotes of the articles of new loads, and of the older articles a
-- quote of which has another canonical occurrence or speaker now (found by comparing the ids held
-- with the ones just computed); the other rows stay as they are.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles_and_keys'
) }}
with

collected as (
    select * from {{ ref('int_quotes_collected') }}
),

speakers as (
    select * from {{ ref('int_speaker_names_clustered') }}
),

canonical as (
    select * from {{ ref('int_quotes_canonicalized') }}
),

-- The ids each quote links to, computed for every quote (narrow), to compare with the ids held.
linked as (
    select
        collected.quote_id,
        collected.article_id,
        speakers.speaker_id,
        canonical.canonical_quote_id
    from collected
    inner join canonical
        on collected.quote_id = canonical.quote_id
    left join speakers
        on collected.speaker_name = speakers.speaker_name
),

-- Articles held with a quote whose links are no longer right (macros/incremental.sql).
relinked as (
    {{ relinked_articles('linked', 'quote_id', ['canonical_quote_id', 'speaker_id']) }}
),

final as (
    select
        collected.quote_id,
        collected.article_id,
        collected.paragraph_id,
        collected.quote_type,
        collected.quote_text,
        collected.full_quote_text,
        cast(collected.char_start as bigint) as char_start,
        cast(collected.char_end as bigint) as char_end,
        cast(collected.paragraph_count as integer) as paragraph_count,
        collected.is_nested,
        collected.is_partial,
        collected.within_quote_id,
        collected.speaker_name,
        collected.speaker_role,
        speakers.speaker_id,
        collected.attribution_verb,
        coalesce(collected.attribution_method, 'none') as attribution_method,
        canonical.canonical_quote_id,
        collected.load_id
    from collected
    inner join canonical
        on collected.quote_id = canonical.quote_id
    left join speakers
        on collected.speaker_name = speakers.speaker_name
    where
        {{ from_new_loads('collected.load_id') }}
        or collected.article_id in (select relinked.article_id from relinked)
)

select * from final
