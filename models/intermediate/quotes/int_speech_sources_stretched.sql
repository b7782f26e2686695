-- int_speech_sources_stretched: one row per speech cue (int_speech_cues_found) with the stretch a
-- source phrase before its verb can take: after the last separator before the verb, or, when a
-- comma stands right before the verb, between the two separators before it; a role (`the
-- spokesperson for …`, `57`) after a comma takes the short capitalised name before it along (`Miqdad
-- Miri, the spokesperson …`, `Jim Bennett, 57, told …`; not `So “…,” the senator said`). Also:
-- whether the stretch holds a clause (`that`, an auxiliary, a cue or a quotation), opens with a
-- relative word (`The lawmaker, who …, said`) or with a word that can open a source (not a function
-- word: `…, as tensions continue` names no source), and whether the content before it is one
-- quotation that opens the sentence.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

cues as (
    select * from {{ ref('int_speech_cues_found') }}
    where {{ new_texts_only() }}
),

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ in_batch('text_id', 'cues', 'load_id') }}
),

-- Commas and quotations of each sentence, each with the two before it (appositives: `…, NAME, ROLE,
-- said`).
commas as (
    select
        text_id,
        sentence_number,
        token_number,
        coalesce(lag(token_number) over comma_order, 0) as previous_comma,
        coalesce(lag(token_number, 2) over comma_order, 0) as second_previous_comma
    from tokens
    where is_separator
    window comma_order as (partition by text_id, sentence_number order by token_number)
),

-- The stretch a source phrase before the verb can take: after the last comma (or quotation), or,
-- when a comma stands right before the verb, between the two commas before it; an appositive role
-- (`the spokesperson for …`) takes the short name before it along (`Miqdad Miri, the spokesperson …`).
source_stretches as (
    select
        candidates.text_id,
        candidates.sentence_number,
        candidates.cue_number,
        candidates.load_id,
        case
            when candidates.last_comma = candidates.cue_number - 1 then commas.previous_comma
            else candidates.last_comma
        end as stretch_comma,
        case
            when candidates.last_comma = candidates.cue_number - 1 then commas.second_previous_comma
            else commas.previous_comma
        end as name_comma
    from cues as candidates
    inner join commas
        on
            candidates.text_id = commas.text_id
            and candidates.sentence_number = commas.sentence_number
            and candidates.last_comma = commas.token_number
),

stretch_words as (
    select
        source_stretches.text_id,
        source_stretches.sentence_number,
        source_stretches.cue_number,
        source_stretches.load_id,
        source_stretches.stretch_comma,
        source_stretches.name_comma,
        sum(case
            when
                tokens.token_number > source_stretches.stretch_comma
                and tokens.token_number < source_stretches.cue_number
                then 1
            else 0
        end) as stretch_tokens,
        -- the content before the source is one quotation that opens the sentence
        coalesce(bool_or(
            tokens.token_number in (
                source_stretches.stretch_comma, source_stretches.stretch_comma - 1, source_stretches.name_comma
            )
            and tokens.token_kind = 'quote'
            and tokens.token_number = tokens.first_word_number
        ), false) as follows_quote,
        -- `The lawmaker, who represents …, said`: a relative clause, the appositive of a subject
        coalesce(bool_or(
            tokens.token_number = source_stretches.stretch_comma + 1 and tokens.is_relative_word
        ), false) as stretch_is_relative,
        coalesce(bool_or(
            (
                tokens.is_complementizer or tokens.is_auxiliary or tokens.cue_kind in ('speech', 'question')
                or tokens.token_kind = 'quote'
            )
            and tokens.token_number > source_stretches.stretch_comma
            and tokens.token_number < source_stretches.cue_number
        ), false) as stretch_has_clause,
        sum(case
            when tokens.token_number < source_stretches.stretch_comma and tokens.token_kind <> 'symbol' then 1 else 0
        end) as words_before_stretch,
        -- a role (`the spokesperson for …`, `57`), not a name: it takes the short name before it
        coalesce(bool_or(
            tokens.token_kind = 'word' and not tokens.is_capitalised
            and tokens.token_number > source_stretches.stretch_comma
            and tokens.token_number < source_stretches.cue_number
        ), false)
        or not coalesce(bool_or(
            tokens.is_capitalised
            and tokens.token_number > source_stretches.stretch_comma
            and tokens.token_number < source_stretches.cue_number
        ), false) as stretch_is_role,
        -- the stretch opens after a comma, not after a quotation (`So “…,” the senator said`)
        coalesce(bool_or(
            tokens.token_number = source_stretches.stretch_comma and tokens.token_key = ','
        ), false) as stretch_after_comma,
        sum(case
            when
                tokens.token_number > source_stretches.name_comma
                and tokens.token_number < source_stretches.stretch_comma
                then 1
            else 0
        end) as name_tokens,
        coalesce(bool_and(tokens.is_capitalised or tokens.token_kind <> 'word') filter (
            where tokens.token_number > source_stretches.name_comma
            and tokens.token_number < source_stretches.stretch_comma
        ), false) as name_is_capitalised
    from source_stretches
    inner join tokens
        on
            source_stretches.text_id = tokens.text_id
            and source_stretches.sentence_number = tokens.sentence_number
    group by
        source_stretches.text_id, source_stretches.sentence_number, source_stretches.cue_number,
        source_stretches.load_id, source_stretches.stretch_comma, source_stretches.name_comma
),

-- Where the source phrase starts, and whether it opens with a name, a noun or a determiner (not a
-- function word: `…, as tensions continue` names no source).
source_starts as (
    select
        stretch_words.*,
        case
            when
                stretch_words.stretch_is_role and stretch_words.name_tokens between 1 and 5
                and stretch_words.name_is_capitalised and stretch_words.stretch_after_comma
                then stretch_words.name_comma
            else stretch_words.stretch_comma
        end as source_comma
    from stretch_words
),

source_openers as (
    select
        source_starts.*,
        coalesce(
            tokens.token_kind = 'word' and not (
                tokens.is_preposition or tokens.is_coordinator or tokens.is_subordinator
                or tokens.is_complementizer or tokens.is_auxiliary or tokens.is_question_word
                or tokens.is_negation or tokens.cue_kind is not null or tokens.is_adverb
                or tokens.is_ing_preposition
            ),
            false
        ) as stretch_starts_source
    from source_starts
    left join tokens
        on
            source_starts.text_id = tokens.text_id
            and source_starts.sentence_number = tokens.sentence_number
            and source_starts.source_comma + 1 = tokens.token_number
)

select * from source_openers
