-- int_quotes_collected: one row per quote of either kind, with what the quotes mart shows of it:
-- direct quotes (int_quote_spans_chained, attributed by int_quotes_attributed) and indirect quotes
-- (int_indirect_quotes_found). An indirect quote is one paragraph long, never nested nor partial;
-- a direct quote inside one points at it (`within_quote_id`).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

spans as (
    select * from {{ ref('int_quote_spans_chained') }}
    where {{ from_new_loads() }}
),

attributed as (
    select * from {{ ref('int_quotes_attributed') }}
    where {{ from_new_loads() }}
),

indirect as (
    select * from {{ ref('int_indirect_quotes_found') }}
    where {{ from_new_loads() }}
),

direct_quotes as (
    select
        spans.quote_id,
        spans.article_id,
        spans.paragraph_id,
        spans.paragraph_index,
        spans.open_position,
        'direct' as quote_type,
        spans.mark_family,
        spans.quote_text,
        spans.full_quote_text,
        spans.char_start,
        spans.char_end,
        spans.paragraph_count,
        spans.last_paragraph_index,
        spans.close_position,
        spans.is_nested,
        attributed.is_partial,
        attributed.within_quote_id,
        attributed.speaker_name,
        attributed.speaker_role,
        attributed.is_person_speaker,
        attributed.attribution_verb,
        attributed.attribution_method,
        spans.load_id
    from spans
    inner join attributed
        on spans.quote_id = attributed.quote_id
),

indirect_quotes as (
    select
        quote_id,
        article_id,
        paragraph_id,
        paragraph_index,
        char_start as open_position,
        'indirect' as quote_type,
        cast(null as {{ type_name('varchar') }}) as mark_family,
        quote_text,
        quote_text as full_quote_text,
        char_start,
        char_end,
        1 as paragraph_count,
        paragraph_index as last_paragraph_index,
        char_end as close_position,
        false as is_nested,
        false as is_partial,
        cast(null as {{ type_name('varchar') }}) as within_quote_id,
        speaker_name,
        speaker_role,
        coalesce(is_person_speaker, false) as is_person_speaker,
        attribution_verb,
        attribution_method,
        load_id
    from indirect
),

collected as (
    select * from direct_quotes
    union all
    select * from indirect_quotes
)

select * from collected
