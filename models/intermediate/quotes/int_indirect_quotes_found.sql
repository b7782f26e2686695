-- int_indirect_quotes_found: one row per indirect quote (reported speech), the content of a speech
-- cue that is not a direct quote's (int_speech_sources_resolved). Rules:
--   the cue is a verb of speech or writing (speech_cues: cue_kind speech) or `according to`, never a
--   verb of belief or perception, of questioning (`asked whether`) or a speech act whose object is a
--   noun phrase (`denied any direct coordination`, `reassured citizens of …`);
--   a content after its cue starts after `that`, or is a bare clause after a verb that takes one
--   (speech_cues.bare_content: `said PMF forces would …`; `vowed to limit …` for an infinitive), or
--   after any verb a clause that opens with a subject and a finite verb (int_speech_contents_parsed:
--   `announced he will step down`), the only content of an -ing form after a noun (`a statement
--   saying …`); a subordinate clause alone (`said as she turned around`) is no content;
--   the content has at least three words, some of them outside quotation marks (a content that is
--   one quotation, alone or after a few words of setting, is a direct quote's, never also an indirect
--   one), and is not a question; before its attribution it is no opening phrase without a verb (`In
--   the early 1990s, …`) and no subject with its apposition (`Hemsley, the co-author of …, said`);
--   `according to` after a content that another cue of the sentence already reports names the
--   channel, not a second quote; of two cues with the same content, the first is kept.
-- quote_text is the content as written, quoted fragments included (they are partial direct quotes);
-- char_start and char_end are its offsets in the paragraph text.
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

-- The content is cut from its sentence, not from the paragraph: cutting a string reads it from its
-- start, so cutting every content from a huge paragraph would cost its length once per content.
sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ in_batch('text_id', 'sources') }}
),

openings as (
    select * from {{ ref('int_speech_contents_parsed') }}
    where {{ in_batch('text_id', 'sources') }}
),

-- Each cue with how its content opens.
opened as (
    select
        sources.*,
        coalesce(openings.opens_with_subject_verb, false) as opens_with_subject_verb,
        coalesce(openings.is_adjunct, false) as is_adjunct
    from sources
    left join openings
        on
            sources.text_id = openings.text_id
            and sources.sentence_number = openings.sentence_number
            and sources.cue_number = openings.cue_number
),

eligible as (
    select
        *,
        count(*) over (partition by paragraph_id, sentence_number) as sentence_cues,
        min(cue_number) over (partition by paragraph_id, sentence_number) as first_cue_number
    from opened
    where
        cue_kind in ('speech', 'according')
        and content_words >= 1
        and content_total_words >= 3
        and not is_quote_attribution
        and not is_question
        and not (
            attribution_form in ('source_verb_content', 'participle')
            and not (has_that and is_clause)
            and not (cue_bare_content = 'clause' and is_clause)
            and not (cue_bare_content = 'finite_clause' and is_clause and is_finite_clause)
            and not (cue_bare_content = 'none' and is_clause and opens_with_subject_verb)
            and not (cue_bare_content = 'infinitive' and content_first_key = 'to')
        )
        -- `said as she turned around`: a subordinate clause alone is an adjunct, not content
        and not (attribution_form in ('source_verb_content', 'participle') and not has_that and is_adjunct)
        -- `a statement saying …`, `with 30 percent saying …`: after a noun, an -ing form opens a clause
        and not (
            cue_form = 'participle' and attribution_form = 'source_verb_content' and not has_that
            and not opens_with_subject_verb
        )
        and not (cue_is_also_noun and attribution_form = 'source_verb_content' and not has_that)
        -- before its attribution, an opening phrase with no verb and no quotation (`In the early
        -- 1990s, …`) is an adjunct, not a content
        and not (
            attribution_form in ('content_source_verb', 'content_verb_source')
            and starts_with_preposition and content_quotes = 0 and not is_finite_clause
        )
),

kept as (
    select
        *,
        row_number() over (
            partition by paragraph_id, content_start_char
            order by attribution_form = 'according_to', cue_number
        ) as content_rank
    from eligible
    where not (
        attribution_form = 'according_to'
        and content_first < cue_number
        and cue_number > first_cue_number
    )
),

-- The content as written: a content that runs to the sentence's end stops at its last character
-- (no white space).
cut as (
    select
        kept.*,
        substr(
            sentences.sentence_text,
            kept.content_start_char - sentences.char_start + 1,
            least(kept.content_end_char, sentences.char_end) - kept.content_start_char
        ) as quote_text,
        least(kept.content_end_char, sentences.char_end) as content_stop_char
    from kept
    inner join sentences
        on
            kept.text_id = sentences.text_id
            and kept.sentence_number = sentences.sentence_number
    where kept.content_rank = 1
),

-- Before its attribution, a name, a comma and a noun phrase with no verb (`Hemsley, the co-author of
-- “Going Viral,” said …`) is the verb's subject and its apposition, not a content.
contents as (
    select
        {{ hash_key(['paragraph_id', "'indirect'", 'content_start_char']) }} as quote_id,
        article_id,
        paragraph_id,
        paragraph_index,
        sentence_number,
        cue_number,
        quote_text,
        cast(content_start_char as bigint) as char_start,
        cast(content_stop_char as bigint) as char_end,
        speaker_name,
        speaker_role,
        is_person_speaker,
        lower(cue_text) as attribution_verb,
        {{ attribution_method('attribution_form', 'source_kind') }} as attribution_method,
        attribution_form,
        load_id
    from cut
    where not (
        attribution_form in ('content_source_verb', 'content_verb_source')
        and not is_finite_clause
        and {{ regex_matches(
            'quote_text', sql_string("^\\p{Lu}[\\p{L}.’'-]*(?: \\p{Lu}[\\p{L}.’'-]*)*, (?:the|a|an) ")
        ) }}
    )
)

select * from contents
