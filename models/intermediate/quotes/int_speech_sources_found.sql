-- int_speech_sources_found: one row per speech cue in a paragraph (int_speech_contents_opened, given
-- to every paragraph that carries its text), with what its source phrase (int_speech_source_phrases_cut)
-- names. Rules, in order:
--   named    a person named in the source stretch (int_speech_source_names_chosen: `On Wednesday,
--            Iraqi National Security Advisor Qasim al-Araji warned` gives Qasim al-Araji, `Tad Devine,
--            a senior adviser to Mr. Sanders, said` Tad Devine);
--   pronoun  the phrase is `he`, `she` (`“…,” he added`) or `it` (an organisation: `“…,” it said in a
--            statement`): resolved in the next step;
--   title    the phrase is a determiner and title words (`the minister`, `the defense minister`):
--            resolved in the next step;
--   phrase   anything else, as written, without an opening time or linking phrase (`On Sunday,`,
--            `However,`) and cut before an auxiliary, adverb, time word or preposition
--            (`The Syrian army on Monday` gives `The Syrian army`; `of` before a capital stays:
--            `the Department of Defense`), at most twelve words; `they`, `we`, `I` name no one;
--            `the` and an organisation word that refers back (`the company`; entity_words.refers_back,
--            not `the government`) is a reference (is_reference) to an organisation named before.
-- A participle (`…, saying …`) has no source phrase of its own: the next step gives it the speaker of
-- the cue before it in the sentence, else the sentence's subject.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

contents as (
    select * from {{ ref('int_speech_contents_opened') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

phrases as (
    select * from {{ ref('int_speech_source_phrases_cut') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

-- The source phrase is cut from its sentence (cutting a huge paragraph once per cue would cost its
-- length each time).
sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

names as (
    select * from {{ ref('int_speech_source_names_chosen') }}
    where {{ in_batch('article_id', 'paragraphs', 'load_id') }}
),

entity_words as (
    select * from {{ ref('entity_words') }}
),

-- `the company`, `the committee`: phrases that refer back to an organisation named before.
reference_phrases as (
    select distinct concat('the ', word) as reference_phrase
    from entity_words
    where refers_back
),

-- Each cue of a text with its source phrase (once per text, then given to its paragraphs).
text_cues as (
    select
        contents.text_id,
        contents.sentence_number,
        contents.cue_number,
        contents.cue_text,
        contents.cue_lemma,
        contents.cue_kind,
        contents.cue_form,
        contents.cue_bare_content,
        contents.cue_is_also_noun,
        contents.cue_start_char,
        contents.attribution_form,
        contents.has_that,
        contents.content_first,
        contents.content_last,
        contents.content_start_char,
        contents.content_end_char,
        contents.content_words,
        contents.content_quotes,
        contents.content_total_words,
        contents.is_quote_attribution,
        contents.is_one_quote,
        contents.is_question,
        contents.starts_with_preposition,
        contents.content_first_key,
        contents.is_clause,
        contents.is_finite_clause,
        contents.quote_start_char,
        contents.quote_end_char,
        contents.ends_with_colon,
        contents.preceding_quote_start,
        phrases.stretch_start,
        phrases.stretch_end,
        phrases.phrase_start,
        phrases.phrase_end,
        phrases.phrase_word_count,
        phrases.pronoun_refers_to,
        phrases.pronoun_gender,
        phrases.is_title_phrase,
        phrases.title_key,
        case
            when phrases.phrase_word_count between 1 and 12
                then substr(
                    sentences.sentence_text,
                    phrases.phrase_start - sentences.char_start + 1,
                    phrases.phrase_end - phrases.phrase_start
                )
        end as source_phrase
    from contents
    left join phrases
        on
            contents.text_id = phrases.text_id
            and contents.sentence_number = phrases.sentence_number
            and contents.cue_number = phrases.cue_number
    left join sentences
        on
            phrases.text_id = sentences.text_id
            and phrases.sentence_number = sentences.sentence_number
),

occurrences as (
    select
        paragraphs.paragraph_id,
        paragraphs.article_id,
        paragraphs.paragraph_index,
        paragraphs.load_id,
        text_cues.*
    from paragraphs
    inner join text_cues
        on paragraphs.text_id = text_cues.text_id
),

final as (
    select
        occurrences.paragraph_id,
        occurrences.article_id,
        occurrences.paragraph_index,
        occurrences.text_id,
        occurrences.sentence_number,
        occurrences.cue_number,
        occurrences.cue_text,
        occurrences.cue_lemma,
        occurrences.cue_kind,
        occurrences.cue_form,
        occurrences.cue_bare_content,
        occurrences.cue_is_also_noun,
        occurrences.cue_start_char,
        occurrences.attribution_form,
        occurrences.has_that,
        occurrences.content_first,
        occurrences.content_last,
        occurrences.content_start_char,
        occurrences.content_end_char,
        occurrences.content_words,
        occurrences.content_quotes,
        occurrences.content_total_words,
        occurrences.is_quote_attribution,
        occurrences.is_one_quote,
        occurrences.is_question,
        occurrences.starts_with_preposition,
        occurrences.content_first_key,
        occurrences.is_clause,
        occurrences.is_finite_clause,
        occurrences.quote_start_char,
        occurrences.quote_end_char,
        occurrences.ends_with_colon,
        occurrences.preceding_quote_start,
        occurrences.stretch_start,
        occurrences.pronoun_gender,
        occurrences.pronoun_refers_to,
        occurrences.title_key,
        occurrences.load_id,
        names.named_speaker,
        names.named_role,
        case
            when occurrences.attribution_form = 'participle' then 'participle'
            when names.named_speaker is not null then 'named'
            -- `he`, `she` (a person of a gender) and `it` (an organisation); `they`, `we` name no one
            when
                occurrences.pronoun_refers_to = 'organisation'
                or (occurrences.pronoun_refers_to = 'person' and occurrences.pronoun_gender is not null)
                then 'pronoun'
            when occurrences.pronoun_refers_to is not null then 'unresolved'
            when occurrences.is_title_phrase then 'title'
            when occurrences.phrase_word_count between 1 and 12 then 'phrase'
            else 'unresolved'
        end as source_kind,
        occurrences.source_phrase,
        reference_phrases.reference_phrase is not null as is_reference
    from occurrences
    left join names
        on
            occurrences.paragraph_id = names.paragraph_id
            and occurrences.sentence_number = names.sentence_number
            and occurrences.cue_number = names.cue_number
    left join reference_phrases
        on lower(occurrences.source_phrase) = reference_phrases.reference_phrase
)

select * from final
