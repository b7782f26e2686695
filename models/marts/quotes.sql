-- quotes: one row per direct quotation, with its resolved speaker and its canonical occurrence.
-- Incremental: a build writes the quotes of the articles of new loads, and of the older articles a
-- quote of which has another canonical occurrence or speaker now (found by comparing the ids held
-- with the ones just computed); the other rows stay as they are.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

spans as (
    select * from {{ ref('int_quote_spans') }}
),

attributions as (
    select * from {{ ref('int_quote_attributions') }}
),

partials as (
    select * from {{ ref('int_quotes__partial') }}
),

speakers as (
    select * from {{ ref('int_speakers__resolved') }}
),

canonical as (
    select * from {{ ref('int_quotes__canonical') }}
),

-- The ids each quote links to, computed for every quote (narrow).
linked as (
    select
        spans.quote_id,
        spans.article_id,
        speakers.speaker_id,
        canonical.canonical_quote_id
    from spans
    inner join canonical
        on spans.quote_id = canonical.quote_id
    left join attributions
        on spans.quote_id = attributions.quote_id
    left join speakers
        on attributions.speaker_name = speakers.speaker_name
),

-- The rows this model holds (none on a full build).
held as (
    {%- if incremental_run() %}
        select
            quote_id,
            speaker_id,
            canonical_quote_id
        from {{ this }}
    {%- else %}
        select
            quote_id,
            speaker_id,
            canonical_quote_id
        from linked
        where false
    {%- endif %}
),

-- Articles held with a quote whose links are no longer right.
relinked as (
    select distinct linked.article_id
    from held
    inner join linked
        on held.quote_id = linked.quote_id
    where
        held.canonical_quote_id <> linked.canonical_quote_id
        or held.speaker_id is distinct from linked.speaker_id
),

final as (
    select
        spans.quote_id,
        spans.article_id,
        spans.paragraph_id,
        spans.quote_text,
        spans.full_quote_text,
        cast(spans.char_start as bigint) as char_start,
        cast(spans.char_end as bigint) as char_end,
        cast(spans.paragraph_count as integer) as paragraph_count,
        spans.is_nested,
        partials.is_partial,
        attributions.speaker_name,
        attributions.speaker_role,
        linked.speaker_id,
        attributions.attribution_verb,
        coalesce(attributions.attribution_method, 'none') as attribution_method,
        linked.canonical_quote_id,
        spans.load_id
    from spans
    inner join partials
        on spans.quote_id = partials.quote_id
    inner join linked
        on spans.quote_id = linked.quote_id
    left join attributions
        on spans.quote_id = attributions.quote_id
    where
        {{ from_new_loads('spans.load_id') }}
        or spans.article_id in (select relinked.article_id from relinked)
)

select * from final
