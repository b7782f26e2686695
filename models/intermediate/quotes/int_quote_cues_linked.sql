-- int_quote_cues_linked: one row per direct quote that a speech cue attributes, with that cue's
-- speaker (int_speech_sources_resolved). Rules:
--   the cue's content is the quotation itself, alone or with at most two words beside it
--   (`“…,” he added`, `said Ahmed Nasrullah`, `Miri said: “…”`, `said on Tuesday: “…”`): the cue
--   stands in the paragraph where the quote opens (at its opening mark) or where it closes (a quote
--   over several paragraphs attributed after its last part);
--   the quotation that opens the clause of a cue before its content (`“…,” Tapper said, “…”`) is the
--   cue's speaker's too, unless a colon opens the cue's own quotation (`“…” Hobday said: “…”`);
--   a sentence that ends its paragraph with a colon (`Karam told the visitors:`) introduces the quote
--   that opens the next paragraph;
--   of several cues, a named speaker after the quote wins, then a named speaker before it, then a
--   pronoun or title after it, then any other before it, then `according to`, then a phrase after it.
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

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
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

-- A sentence ending its paragraph with a colon, and the paragraph after it.
colon_cues as (
    select
        sources.*,
        paragraphs.paragraph_index + 1 as next_paragraph_index
    from sources
    inner join paragraphs
        on sources.paragraph_id = paragraphs.paragraph_id
    where
        sources.ends_with_colon
        and sources.content_quotes = 0
        and sources.speaker_name is not null
        and sources.cue_kind in ('speech', 'question', 'communication')
        -- paragraphs are trimmed: a suffix test reads the end only, however long the paragraph
        and paragraphs.paragraph_text like '%:'
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
        quote_cues.source_kind
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
        quote_cues.source_kind
    from spans
    inner join quote_cues
        on
            spans.last_paragraph_id = quote_cues.paragraph_id
            and spans.close_position + 1 = quote_cues.quote_end_char
    where spans.last_paragraph_id <> spans.paragraph_id
    union all
    -- `“…,” Tapper said, “…”`: the quotation that opens the verb's clause is the speaker's too (not
    -- after `said:`, int_speech_cues_formed)
    select
        spans.quote_id,
        spans.article_id,
        sources.speaker_name,
        sources.speaker_role,
        sources.is_person_speaker,
        lower(sources.cue_text) as attribution_verb,
        'content_source_verb' as attribution_form,
        sources.source_kind
    from spans
    inner join sources
        on
            spans.paragraph_id = sources.paragraph_id
            and spans.open_position = sources.preceding_quote_start
    where
        sources.is_quote_attribution
        and sources.speaker_name is not null
        and sources.cue_kind in ('speech', 'adjacent', 'question')
    union all
    select
        spans.quote_id,
        spans.article_id,
        colon_cues.speaker_name,
        colon_cues.speaker_role,
        colon_cues.is_person_speaker,
        lower(colon_cues.cue_text) as attribution_verb,
        'colon' as attribution_form,
        colon_cues.source_kind
    from spans
    inner join colon_cues
        on
            spans.article_id = colon_cues.article_id
            and spans.paragraph_index = colon_cues.next_paragraph_index
    where spans.open_position <= 1
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
                    when attribution_form in ('source_verb_content', 'colon') and source_kind = 'named' then 2
                    when
                        attribution_form in ('content_source_verb', 'content_verb_source')
                        and source_kind in ('pronoun', 'title')
                        then 3
                    when attribution_form in ('source_verb_content', 'colon', 'participle') then 4
                    when attribution_form = 'according_to' then 5
                    else 6
                end,
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
