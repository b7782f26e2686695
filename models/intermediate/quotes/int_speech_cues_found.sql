-- int_speech_cues_found: one row per speech cue in a sentence (token numbers of the sentence,
-- int_sentence_tokens_marked; a quotation is one token), with the cue word and the tokens before it
-- that the next steps read. A cue is a word of the speech_cues seed that can introduce speech, in
-- lower case; not after `to` (`declined to say`; but a verb of speech after a lead-in word of
-- clause_words is: `went on to say`, `was quick to add`), a negation (`did not say`), a passive
-- auxiliary (`was told`) or an embedded question (`what he said`), nor in `That said, …`; an -ing
-- form only as a participle (after a comma, a dash, `and`, a quotation, an auxiliary, or before a
-- quotation; one that takes a bare clause also after a noun: `a statement saying …`); no word after
-- an article or possessive (`the alleged …`); a word that is also a noun not after a determiner or
-- a numeral or before a preposition (`a phone call`, `3 points`, `reports of …`, `in a Friday
-- tweet`), except an -ing form after a preposition before a quotation (`before saying, “…”`);
-- `according` only before `to`; never a tag name of markup (`<tweet …>`, `</tweet>`). A participle
-- right after `as` with a quoting verb before it in the sentence (`X was quoted as saying in …`,
-- `Antara quoted him as saying …`) is a cue before a preposition too, and carries that verb: its
-- number, whether it is passive (after a passive auxiliary, or right before `as`: the speaker is
-- its subject, else its object), its clause start and last separator. What stands around a cue is
-- the next step's (int_speech_cues_situated). Sentences over max_sentence_tokens tokens are not
-- read.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where
        {{ new_texts_only() }}
        and sentence_tokens <= {{ var('max_sentence_tokens') }}
),

cue_words as (
    select
        *,
        -- `X was quoted as saying`: a participle right after `as` reads the last quoting verb within
        -- 25 tokens (the join key of `quoting` below: an equality, so the join is a hash join)
        case
            when previous_key = 'as' and cue_form = 'participle' and last_quoting_verb >= token_number - 25
                then last_quoting_verb
        end as quoting_verb_number
    from tokens
    where
        cue_kind in ('speech', 'question', 'adjacent', 'communication', 'according')
        and (not is_capitalised or (token_number = 1 and cue_kind = 'according'))
        and (cue_kind <> 'according' or next_key = 'to')
        and (coalesce(previous_key, '') <> 'to' or (after_speech_lead_in and cue_kind = 'speech'))
        and not after_negation
        and not after_question_word
        and not (after_passive_auxiliary and cue_form <> 'participle')
        and not coalesce(previous_key = 'that' and next_key = ',' and token_number - 1 = first_word_number, false)
        -- `a man claiming allegiance …`: an -ing form is a cue as a participle after a comma, or
        -- after an auxiliary (`is saying`); `saying` and the like also after a noun
        and (
            cue_form <> 'participle' or cue_kind = 'according' or after_auxiliary or after_comma_adverb
            or previous_key in (',', 'and') or previous_is_dash or previous_kind = 'quote' or before_quote
            or cue_bare_content = 'clause'
        )
),

-- `quoted`, `cited`: the quoting verbs a participle after `as` may read
quoting_verbs as (
    select
        text_id,
        sentence_number,
        token_number,
        after_passive_auxiliary,
        clause_boundary,
        last_comma
    from tokens
    where cue_kind = 'quoting'
),

-- `a phone call`, `the reports of …`: a noun, not a verb; but an -ing form before a quotation is a
-- verb after a preposition (`before saying, “…”`), only not after a determiner (`an old saying, “…”`).
candidates as (
    select
        cue_words.*,
        quoting.token_number as quoting_number,
        coalesce(quoting.after_passive_auxiliary or quoting.token_number = cue_words.token_number - 2, false)
            as quoting_is_passive,
        quoting.clause_boundary as quoting_clause_boundary,
        quoting.last_comma as quoting_last_comma
    from cue_words
    left join tokens as previous
        on
            cue_words.text_id = previous.text_id
            and cue_words.sentence_number = previous.sentence_number
            and cue_words.token_number - 1 = previous.token_number
    -- `X was quoted as saying`, `Antara quoted him as saying`: the quoting verb of a participle after `as`
    left join quoting_verbs as quoting
        on
            cue_words.text_id = quoting.text_id
            and cue_words.sentence_number = quoting.sentence_number
            and cue_words.quoting_verb_number = quoting.token_number
    where
        -- `<tweet …>`, `</tweet>`: a tag name of markup left in the text, not a word of the sentence
        not coalesce(
            cue_words.previous_key = '<' or (cue_words.previous_key = '/' and previous.previous_key = '<'),
            false
        )
        -- `ahead 3 points`, `by 4.3 points`: after a numeral a word that is also a noun is the noun
        and not (
            cue_words.cue_is_also_noun
            and coalesce({{ regex_matches('cue_words.previous_key', sql_string("^\\p{N}")) }}, false)
        )
        -- `the alleged criminals`, `a pledged delegate`, `their say`: after an article or a possessive
        -- determiner any cue word is a noun or an adjective
        and not coalesce(previous.is_article, false)
        and not (
            cue_words.cue_is_also_noun
            and (cue_words.after_determiner or cue_words.before_preposition)
            and quoting.token_number is null
            and not (
                cue_words.cue_form = 'participle'
                and cue_words.before_quote
                and coalesce(previous.is_preposition and not previous.is_determiner, false)
            )
        )
),

found as (
    select
        text_id,
        sentence_number,
        token_number as cue_number,
        token as cue_text,
        token_start as cue_start_char,
        cue_lemma,
        cue_kind,
        cue_form,
        cue_bare_content,
        cue_takes_object,
        cue_is_also_noun,
        previous_key,
        previous_kind,
        previous_is_dash,
        after_comma_adverb,
        after_coordinator,
        before_quote,
        clause_boundary,
        clause_quote_start,
        last_comma,
        sentence_length,
        ends_with_colon,
        quoting_number,
        quoting_is_passive,
        quoting_clause_boundary,
        quoting_last_comma,
        load_id
    from candidates
)

select * from found
