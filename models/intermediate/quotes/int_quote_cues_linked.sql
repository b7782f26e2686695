-- int_quote_cues_linked: one row per direct quote that a speech cue attributes, with that cue's
-- speaker (int_speech_sources_resolved). Rules:
--   the cue's content is the quotation itself, alone or with at most two words beside it
--   (`“…,” he added`, `said Ahmed Nasrullah`, `Miri said: “…”`, `said on Tuesday: “…”`): the cue
--   stands in the paragraph where the quote opens (at its opening mark) or where it closes (a quote
--   over several paragraphs attributed after its last part);
--   a cue attributes a quote outside its content where int_quote_cues_extended says it opens (the
--   quotation before the cue's clause, the quote after a colon paragraph or after a cue with nothing
--   after it), but a verb after a quotation that opens its sentence not when the quotation ends its
--   own sentence (`“….” Mr Kruger is continuing …`);
--   of several cues, a named speaker after the quote wins, then a named speaker before it, then a
--   pronoun or title after it, then any other before it, then `according to`, then a phrase after it;
--   of several verbs after an opening quotation, the first.
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

sources as (
    select * from {{ ref('int_speech_sources_resolved') }}
    where {{ in_batch('article_id', 'spans', 'load_id') }}
),

extended_cues as (
    select * from {{ ref('int_quote_cues_extended') }}
    where {{ in_batch('article_id', 'spans', 'load_id') }}
),

quote_cues as (
    select *
    from sources
    where
        cue_kind in ('speech', 'adjacent', 'communication', 'according', 'question')
        and is_quote_attribution
        and speaker_name is not null
),

candidates as (
    select
        spans.quote_id,
        spans.article_id,
        quote_cues.speaker_name,
        quote_cues.speaker_role,
        quote_cues.is_person_speaker,
        lower(quote_cues.cue_text) as attribution_verb,
        quote_cues.attribution_form,
        quote_cues.source_kind,
        cast(null as bigint) as cue_after_quote
    from spans
    inner join quote_cues
        on
            spans.paragraph_id = quote_cues.paragraph_id
            and spans.open_position = quote_cues.quote_start_char
    union all
    select
        spans.quote_id,
        spans.article_id,
        quote_cues.speaker_name,
        quote_cues.speaker_role,
        quote_cues.is_person_speaker,
        lower(quote_cues.cue_text) as attribution_verb,
        quote_cues.attribution_form,
        quote_cues.source_kind,
        null as cue_after_quote
    from spans
    inner join quote_cues
        on
            spans.last_paragraph_id = quote_cues.paragraph_id
            and spans.close_position + 1 = quote_cues.quote_end_char
    where spans.last_paragraph_id <> spans.paragraph_id
    union all
    select
        spans.quote_id,
        spans.article_id,
        extended_cues.speaker_name,
        extended_cues.speaker_role,
        extended_cues.is_person_speaker,
        lower(extended_cues.cue_text) as attribution_verb,
        extended_cues.attribution_form,
        extended_cues.source_kind,
        extended_cues.cue_after_quote
    from spans
    inner join extended_cues
        on
            spans.article_id = extended_cues.article_id
            and spans.paragraph_index = extended_cues.quote_paragraph_index
    where
        spans.open_position between extended_cues.quote_first_position and extended_cues.quote_last_position
        -- `“….” Mr Kruger is continuing …`: a quotation that ends its sentence is not the verb's
        and not (extended_cues.is_after_opening_quote and spans.ends_sentence)
),

ranked as (
    select
        *,
        row_number() over (
            partition by quote_id
            order by
                case
                    when
                        attribution_form in ('content_source_verb', 'content_verb_source') and source_kind = 'named'
                        then 1
                    when attribution_form in ('source_verb_content', 'introduction') and source_kind = 'named' then 2
                    when
                        attribution_form in ('content_source_verb', 'content_verb_source')
                        and source_kind in ('pronoun', 'title')
                        then 3
                    when attribution_form in ('source_verb_content', 'introduction', 'participle') then 4
                    when attribution_form = 'according_to' then 5
                    else 6
                end,
                cue_after_quote nulls first,
                speaker_name,
                -- two cues of one speaker (`issued …`, `said`): a total order, the same on every engine
                attribution_verb,
                speaker_role nulls last
        ) as cue_rank
    from candidates
),

linked as (
    select
        quote_id,
        article_id,
        speaker_name,
        speaker_role,
        is_person_speaker,
        attribution_verb,
        {{ attribution_method('attribution_form', 'source_kind') }} as attribution_method
    from ranked
    where cue_rank = 1
),

{{ load_id_ctes('linked', 'spans', 'article_id') }}

select * from loaded
