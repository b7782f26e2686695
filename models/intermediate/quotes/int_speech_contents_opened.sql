-- int_speech_contents_opened: one row per speech cue content (int_speech_contents_bounded) with what
-- it holds and how it opens. Rules:
--   content_first/last       its first and last word or quotation, and their 0-based, end-exclusive
--                            offsets in the paragraph text, with a money sign before the first
--                            and a percent sign after the last (units: `£2.6bn`, `20%`); the words
--                            outside quotation marks and the quotations are counted;
--   is_quote_attribution     the content is one quotation, alone or after a few words of setting
--                            (`said on Tuesday: “…”`), or after a colon and a listener or a setting
--                            with no verb (`told the BBC: “…”`): a direct quote's attribution, not a
--                            clause that holds a quoted fragment;
--   is_question              a question mark in it or right after it, or a question word opening it
--                            after the cue (`said how …`);
--   is_clause                it opens with a subject, not an auxiliary or a verb form (a gerund
--                            subject stays) nor, without `that`, a conjunction or preposition; and
--                            is_finite_clause when a pronoun subject or a finite verb follows.
-- Whether it opens with a subject and a finite verb, or is a subordinate clause alone, is the next
-- step's (int_speech_contents_parsed).
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

contents as (
    select * from {{ ref('int_speech_contents_bounded') }}
    where {{ new_texts_only() }}
),

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ in_batch('text_id', 'contents', 'load_id') }}
),

units as (
    select * from {{ ref('units') }}
),

-- Signs that belong to the number beside them (`£`, `$` before; `%` after): the symbols of the units.
signs as (
    select
        phrase,
        max(case when position = 'before' then 1 else 0 end) = 1 as is_before,
        max(case when position = 'after' then 1 else 0 end) = 1 as is_after
    from units
    where not {{ regex_matches('phrase', sql_string("^[\\p{L}\\p{N}]")) }}
    group by phrase
),

-- What the content holds: its words and quotations, a colon, a question mark, a finite verb.
measures as (
    select
        contents.text_id,
        contents.sentence_number,
        contents.cue_number,
        contents.content_start,
        contents.content_end_token,
        sum(case
            when tokens.token_kind = 'word' and tokens.token_number <= contents.content_end_token then 1 else 0
        end) as content_words,
        sum(case
            when tokens.token_kind = 'quote' and tokens.token_number <= contents.content_end_token then 1 else 0
        end) as content_quotes,
        sum(case when tokens.token_number <= contents.content_end_token then tokens.word_count else 0 end)
            as content_total_words,
        min(case when tokens.token_kind <> 'symbol' then tokens.token_number end) as first_word_number,
        min(case when tokens.token_kind <> 'symbol' or signs.is_before then tokens.token_start end)
            as first_char,
        max(case
            when
                (tokens.token_kind <> 'symbol' or signs.is_after)
                and tokens.token_number <= contents.content_end_token
                then tokens.token_end
        end) as last_char,
        max(case
            when
                tokens.token_kind <> 'symbol' and tokens.token_number <= contents.content_end_token
                then tokens.token_number
        end) as last_word_number,
        -- a colon in the content (`told the BBC: “…”`)
        coalesce(bool_or(tokens.token_key = ':' and tokens.token_number <= contents.content_end_token), false)
            as has_colon,
        -- a question mark in the content or right after it
        coalesce(bool_or(tokens.token_key = '?'), false) as has_question_mark,
        -- a finite verb in the content (an auxiliary or a past form after its first word)
        coalesce(bool_or(
            tokens.token_number <= contents.content_end_token
            and (tokens.is_auxiliary or (tokens.is_past_form and tokens.token_number > contents.content_start))
        ), false) as has_finite_verb,
        min(case
            when tokens.token_kind = 'quote' and tokens.token_number <= contents.content_end_token
                then tokens.token_start
        end) as quote_start_char,
        max(case
            when tokens.token_kind = 'quote' and tokens.token_number <= contents.content_end_token
                then tokens.token_end
        end) as quote_end_char
    from contents
    inner join tokens
        on
            contents.text_id = tokens.text_id
            and contents.sentence_number = tokens.sentence_number
            and tokens.token_number between contents.content_start and contents.content_end_token + 1
    left join signs
        on tokens.token_key = signs.phrase
    group by
        contents.text_id, contents.sentence_number, contents.cue_number, contents.content_start,
        contents.content_end_token
),

measured as (
    select
        contents.text_id,
        contents.sentence_number,
        contents.cue_number,
        contents.cue_text,
        contents.cue_lemma,
        contents.cue_kind,
        contents.cue_form,
        contents.cue_bare_content,
        contents.cue_takes_object,
        contents.cue_is_also_noun,
        contents.cue_start_char,
        contents.attribution_form,
        contents.has_that,
        contents.source_first,
        contents.source_last,
        measures.first_word_number as content_first,
        measures.last_word_number as content_last,
        measures.first_char as content_start_char,
        measures.last_char as content_end_char,
        measures.quote_start_char,
        measures.quote_end_char,
        contents.ends_with_colon,
        contents.preceding_quote_start,
        coalesce(measures.content_words, 0) as content_words,
        coalesce(measures.content_quotes, 0) as content_quotes,
        coalesce(measures.content_total_words, 0) as content_total_words,
        -- a direct quote's attribution: the content is one quotation, alone or after a few words of
        -- setting (`said on Tuesday: “…”`), or after a colon and a listener or a setting with no verb
        -- (`told the BBC: “…”`, `wrote in an email: “…”`); not a clause that holds a quoted fragment
        coalesce(
            measures.content_quotes = 1
            and (
                (
                    measures.content_words <= 2
                    and (first_word.token_kind = 'quote' or (first_word.is_preposition and not contents.has_that))
                )
                or (
                    measures.has_colon and measures.content_words <= 4 and not contents.has_that
                    and not measures.has_finite_verb and (contents.cue_takes_object or first_word.is_preposition)
                )
            ),
            false
        ) as is_quote_attribution,
        first_word.token_kind = 'quote' and measures.first_word_number = measures.last_word_number as is_one_quote,
        -- a question: a question mark, or an embedded question after the cue (`said how …`)
        coalesce(measures.has_question_mark, false)
        or (contents.cue_content_first > 0 and coalesce(first_word.is_question_word, false)) as is_question,
        coalesce(first_word.is_preposition and not contents.has_that, false) as starts_with_preposition,
        first_word.token_key as content_first_key,
        -- a clause: it opens with a subject, not an auxiliary or a verb form (`that helped lay …` is a
        -- relative clause) nor, without `that`, a conjunction or preposition
        coalesce(
            not (
                first_word.is_auxiliary or first_word.is_past_form
                -- a gerund subject stays (`said ending foreign fund-raising … could gut programs`)
                or (first_word.is_ing_form and not measures.has_finite_verb)
            )
            and (
                contents.has_that
                or not (first_word.is_coordinator or (first_word.is_preposition and first_word.token_key <> 'to'))
            ),
            false
        ) as is_clause,
        -- and a finite one: a pronoun subject or a finite verb (`added 255,000 jobs in July` is none)
        coalesce(first_word.pronoun_refers_to is not null or measures.has_finite_verb, false) as is_finite_clause,
        contents.load_id
    from contents
    left join measures
        on
            contents.text_id = measures.text_id
            and contents.sentence_number = measures.sentence_number
            and contents.cue_number = measures.cue_number
    left join tokens as first_word
        on
            contents.text_id = first_word.text_id
            and contents.sentence_number = first_word.sentence_number
            and measures.first_word_number = first_word.token_number
)

select * from measured
