-- quotes: one row per direct quotation, with its resolved speaker and its canonical occurrence.
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
        speakers.speaker_id,
        attributions.attribution_verb,
        coalesce(attributions.attribution_method, 'none') as attribution_method,
        canonical.canonical_quote_id
    from spans
    inner join partials
        on spans.quote_id = partials.quote_id
    inner join canonical
        on spans.quote_id = canonical.quote_id
    left join attributions
        on spans.quote_id = attributions.quote_id
    left join speakers
        on attributions.speaker_name = speakers.speaker_name
)

select * from final
