-- int_quote_cues_linked: one row per direct quote that a speech cue attributes, with that cue's
-- speaker (int_speech_sources_resolved). Rules:
--   the cue's content is the quotation itself, alone or with at most two words beside it
--   (`“…,” he added`, `said Ahmed Nasrullah`, `Miri said: “…”`, `said on Tuesday: “…”`): the cue
--   stands in the paragraph where the quote opens (at its opening mark) or where it closes (a quote
--   over several paragraphs attributed after its last part);
--   the quotation that opens the clause of a cue before its content is the cue's speaker's too:
--   when the cue's content is a quotation (`“…,” Tapper said, “…”`; not when a colon opens it: `“…”
--   Hobday said: “…”`), or when the quotation opens the sentence without ending it and the cue is
--   the first after it, a verb without a `that` clause of its own (`“…,” Rubio said Sunday in
--   Virginia as the crowd roared.`, `''…,'' Mrs. Clinton said on ''The Late Show'' last month`);
--   a sentence that ends its paragraph with a colon (`Karam told the visitors:`) introduces the quote
--   that opens the next paragraph, and a cue with nothing after it (`Dianne Bystrom agreed.`) the
--   quote that opens the next sentence of its paragraph;
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

sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ in_batch('text_id', 'sources') }}
),

quote_cues as (
    select *
    from sources
    where
        cue_kind in ('speech', 'adjacent', 'communication', 'according', 'question')
        and is_quote_attribution
        and speaker_name is not null
),

-- Cues that may attribute a quote outside their content (after a quotation that opens their clause,
-- or with no content at all), whether that quotation opens the sentence and whether the sentence is
-- a question: only these sentences are read.
outer_cues as (
    select *
    from sources
    where
        speaker_name is not null
        and cue_kind in ('speech', 'adjacent', 'question')
        and (preceding_quote_start is not null or content_total_words = 0)
),

ordered_cues as (
    select
        outer_cues.*,
        coalesce(outer_cues.preceding_quote_start = sentences.char_start, false) as quote_opens_sentence,
        coalesce(sentences.sentence_text like '%?', false) as is_in_question
    from outer_cues
    left join sentences
        on
            outer_cues.text_id = sentences.text_id
            and outer_cues.sentence_number = sentences.sentence_number
),

-- A cue whose content is a quotation; else a verb after a quotation that opens the sentence (not a
-- noun-like cue word, `said report author …`, nor one with its own `that` clause: `“…?” Mr Milburn
-- replied that …`): the first of them, if no cue's content is the quotation, and only when the
-- quotation does not end its own sentence (next steps).
clause_quote_cues as (
    select
        *,
        not is_quote_attribution as is_after_opening_quote
    from ordered_cues
    where
        preceding_quote_start is not null
        and (
            is_quote_attribution
            or (quote_opens_sentence and not has_that and not cue_is_also_noun)
        )
),

-- Cues that introduce the quote after them, with the paragraph and the positions where that quote
-- opens: a sentence ending its paragraph with a colon (`Karam told the visitors:`) the quote opening
-- the next paragraph; a person's cue with no content at all, in a sentence that is no question
-- (`Dianne Bystrom agreed.`; not `…, as Robert Kilroy-Silk once declared?`), the quote opening the
-- next sentence.
introducing_cues as (
    select
        sources.article_id,
        sources.speaker_name,
        sources.speaker_role,
        sources.is_person_speaker,
        sources.cue_text,
        sources.source_kind,
        paragraphs.paragraph_index + 1 as quote_paragraph_index,
        0 as quote_first_position,
        1 as quote_last_position
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
    union all
    select
        ordered_cues.article_id,
        ordered_cues.speaker_name,
        ordered_cues.speaker_role,
        ordered_cues.is_person_speaker,
        ordered_cues.cue_text,
        ordered_cues.source_kind,
        ordered_cues.paragraph_index as quote_paragraph_index,
        next_sentences.char_start as quote_first_position,
        next_sentences.char_start as quote_last_position
    from ordered_cues
    inner join sentences as next_sentences
        on
            ordered_cues.text_id = next_sentences.text_id
            and ordered_cues.sentence_number + 1 = next_sentences.sentence_number
    where
        ordered_cues.attribution_form = 'source_verb_content'
        and ordered_cues.content_total_words = 0
        and ordered_cues.is_person_speaker
        and not ordered_cues.is_in_question
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
    -- `“…,” Tapper said, “…”`, `“…,” Rubio said Sunday …`: the quotation that opens the verb's
    -- clause is the speaker's too (not after `said:`, int_speech_cues_formed)
    select
        spans.quote_id,
        spans.article_id,
        clause_quote_cues.speaker_name,
        clause_quote_cues.speaker_role,
        clause_quote_cues.is_person_speaker,
        lower(clause_quote_cues.cue_text) as attribution_verb,
        'content_source_verb' as attribution_form,
        clause_quote_cues.source_kind,
        -- the verbs after an opening quotation: the first one
        case when clause_quote_cues.is_after_opening_quote then clause_quote_cues.cue_number end as cue_after_quote
    from spans
    inner join clause_quote_cues
        on
            spans.paragraph_id = clause_quote_cues.paragraph_id
            and spans.open_position = clause_quote_cues.preceding_quote_start
    -- `“….” Mr Kruger is continuing …`: a quotation that ends its sentence is not the verb's
    where not (clause_quote_cues.is_after_opening_quote and spans.ends_sentence)
    union all
    select
        spans.quote_id,
        spans.article_id,
        introducing_cues.speaker_name,
        introducing_cues.speaker_role,
        introducing_cues.is_person_speaker,
        lower(introducing_cues.cue_text) as attribution_verb,
        'introduction' as attribution_form,
        introducing_cues.source_kind,
        null as cue_after_quote
    from spans
    inner join introducing_cues
        on
            spans.article_id = introducing_cues.article_id
            and spans.paragraph_index = introducing_cues.quote_paragraph_index
    where
        spans.open_position between introducing_cues.quote_first_position and introducing_cues.quote_last_position
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
