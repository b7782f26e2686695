-- int_quote_cues_extended: one row per speech cue (its paragraph, sentence and number) and a direct
-- quote outside its content that the cue attributes, named by where that quote opens: its paragraph and
-- the first and last position its opening mark may take (int_speech_sources_resolved). Rules:
--   the quotation that opens the clause of a cue before its content is the cue's speaker's too:
--   when the cue's content is a quotation (`“…,” Tapper said, “…”`; not when a colon opens it: `“…”
--   Hobday said: “…”`), or when the quotation opens the sentence and the cue is a verb without a
--   `that` clause of its own (`“…,” Rubio said Sunday in Virginia as the crowd roared.`, `''…,''
--   Mrs. Clinton said on ''The Late Show'' last month`; not `said report author …`, a noun-like cue
--   word); such a cue carries its number (cue_after_quote: the first after the quotation wins) and
--   is_after_opening_quote (int_quote_cues_linked drops it when the quotation ends its own sentence);
--   a sentence that ends its paragraph with a colon (`Karam told the visitors:`) introduces the quote
--   that opens the next paragraph, and a person's cue with nothing after it, in a sentence that is no
--   question (`Dianne Bystrom agreed.`; not `…, as Robert Kilroy-Silk once declared?`), the quote that
--   opens the next sentence of its paragraph.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

sources as (
    select * from {{ ref('int_speech_sources_resolved') }}
    where {{ from_new_loads() }}
),

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ in_batch('article_id', 'sources', 'load_id') }}
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ in_batch('text_id', 'sources') }}
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

-- `“…,” Tapper said, “…”`, `“…,” Rubio said Sunday …`: the quotation that opens the verb's clause (not
-- after `said:`, int_speech_cues_formed).
clause_quotes as (
    select
        article_id,
        paragraph_id,
        sentence_number,
        cue_number,
        speaker_name,
        speaker_role,
        is_person_speaker,
        cue_text,
        'content_source_verb' as attribution_form,
        source_kind,
        load_id,
        paragraph_index as quote_paragraph_index,
        preceding_quote_start as quote_first_position,
        preceding_quote_start as quote_last_position,
        not is_quote_attribution as is_after_opening_quote,
        case when not is_quote_attribution then cue_number end as cue_after_quote
    from ordered_cues
    where
        preceding_quote_start is not null
        and (
            is_quote_attribution
            or (quote_opens_sentence and not has_that and not cue_is_also_noun)
        )
),

-- `Karam told the visitors:` ending its paragraph: the quote that opens the next paragraph.
colon_quotes as (
    select
        sources.article_id,
        sources.paragraph_id,
        sources.sentence_number,
        sources.cue_number,
        sources.speaker_name,
        sources.speaker_role,
        sources.is_person_speaker,
        sources.cue_text,
        'introduction' as attribution_form,
        sources.source_kind,
        sources.load_id,
        paragraphs.paragraph_index + 1 as quote_paragraph_index,
        0 as quote_first_position,
        1 as quote_last_position,
        false as is_after_opening_quote,
        cast(null as bigint) as cue_after_quote
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

-- `Dianne Bystrom agreed. “…”`: the quote that opens the next sentence.
next_sentence_quotes as (
    select
        ordered_cues.article_id,
        ordered_cues.paragraph_id,
        ordered_cues.sentence_number,
        ordered_cues.cue_number,
        ordered_cues.speaker_name,
        ordered_cues.speaker_role,
        ordered_cues.is_person_speaker,
        ordered_cues.cue_text,
        'introduction' as attribution_form,
        ordered_cues.source_kind,
        ordered_cues.load_id,
        ordered_cues.paragraph_index as quote_paragraph_index,
        next_sentences.char_start as quote_first_position,
        next_sentences.char_start as quote_last_position,
        false as is_after_opening_quote,
        cast(null as bigint) as cue_after_quote
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

extended as (
    select * from clause_quotes
    union all
    select * from colon_quotes
    union all
    select * from next_sentence_quotes
)

select * from extended
