-- int_speech_source_segments_chosen: one row per speech cue whose source comes before its verb and
-- whose last segment (int_speech_source_segments_found) names no one, with the tokens its source
-- phrase is cut from instead (int_speech_source_phrases_cut). Rules:
--   participle  the sentence's first segment that opens with a source word (`Many MPs, particularly
--               in …, have been pressing …, saying`);
--   relative    the last segment opens with a relative word: with a subject after it (`which he
--               said`) the phrase starts there; else it is the noun phrase before the comma (`Beijing,
--               which described …` gives Beijing; `an REM spokesman, who added …`);
--   preposition the last segment opens with a preposition: the noun phrase that ends it (`In a
--               statement the firms said`), else its closing name (`In 2004 IBM said`), never the
--               preposition's object (`in Woodhill Prison`);
--   insertion   else (only function words: `…, has said`, `…, however, has said`; or a comma before
--               the verb) the segment before it is an insertion: a relative one gives the noun phrase
--               before it (`Jack Straw, who argues …, has said`); else the nearest source segment
--               before it (`General Motors, the world's largest car maker, has confirmed`), unless the
--               insertion is a short name after a role (`The world's largest retailer, Wal-Mart, has
--               agreed`); with none, the insertion itself.
-- A noun phrase runs back from its end to a determiner or pronoun (kept) or to a separator, relative,
-- linking word or word that ends a source phrase (not kept). Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

segments as (
    select * from {{ ref('int_speech_source_segments_found') }}
    where {{ new_texts_only() }}
),

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ in_batch('text_id', 'segments', 'load_id') }}
),

-- The rule each cue takes, from its last segment, the insertion before it and the nearest source
-- segment before that.
choices as (
    select
        last_segments.text_id,
        last_segments.sentence_number,
        last_segments.cue_number,
        last_segments.clause_start,
        last_segments.load_id,
        case
            -- a participle: the subject of the sentence, in its first segment that opens with a source word
            when last_segments.is_participle then first_sources.lead_number
            when last_segments.is_relative and last_segments.relative_has_subject then last_segments.lead_number + 1
            when last_segments.is_relative or insertions.is_relative or sources_before.segment_number is null then null
            when insertions.is_short_name and sources_before.is_role then insertions.lead_number
            else sources_before.lead_number
        end as chosen_from,
        case
            when last_segments.is_participle then first_sources.segment_last
            when last_segments.is_relative and last_segments.relative_has_subject then last_segments.segment_last
            when last_segments.is_relative or insertions.is_relative or sources_before.segment_number is null then null
            when insertions.is_short_name and sources_before.is_role then insertions.segment_last
            else sources_before.segment_last
        end as chosen_to,
        -- a relative clause: the noun phrase ends before the comma that opens it; after an opening
        -- prepositional phrase, it ends the segment (`In a statement the firms said`)
        case
            when last_segments.is_participle then null
            when last_segments.is_relative and not last_segments.relative_has_subject
                then last_segments.segment_first - 2
            when last_segments.opens_with_preposition and last_segments.last_word > last_segments.lead_number
                then last_segments.last_word
            when not last_segments.is_relative and insertions.is_relative then insertions.segment_first - 2
        end as noun_phrase_end,
        not last_segments.is_relative and last_segments.opens_with_preposition as is_after_preposition,
        case
            when
                not last_segments.is_participle and not last_segments.is_relative and not insertions.is_relative
                and sources_before.segment_number is null and insertions.opens_source
                then insertions.lead_number
        end as insertion_from,
        insertions.segment_last as insertion_to
    from segments as last_segments
    left join segments as insertions
        on
            last_segments.text_id = insertions.text_id
            and last_segments.sentence_number = insertions.sentence_number
            and last_segments.cue_number = insertions.cue_number
            and last_segments.segment_number - 1 = insertions.segment_number
    left join segments as sources_before
        on
            insertions.text_id = sources_before.text_id
            and insertions.sentence_number = sources_before.sentence_number
            and insertions.cue_number = sources_before.cue_number
            and insertions.source_segment_before = sources_before.segment_number
    left join segments as first_sources
        on
            last_segments.text_id = first_sources.text_id
            and last_segments.sentence_number = first_sources.sentence_number
            and last_segments.cue_number = first_sources.cue_number
            and last_segments.first_source_segment = first_sources.segment_number
    where
        last_segments.segment_number = last_segments.last_segment
        and (last_segments.is_participle or last_segments.is_relative or not last_segments.opens_source)
),

-- The tokens a noun phrase may take, with what ends one.
phrase_tokens as (
    select
        choices.text_id,
        choices.sentence_number,
        choices.cue_number,
        tokens.token_number,
        tokens.token_kind,
        tokens.is_capitalised,
        tokens.is_determiner,
        tokens.is_relative_word,
        tokens.is_preposition,
        tokens.is_determiner or tokens.pronoun_refers_to is not null as opens_noun_phrase,
        tokens.is_separator or tokens.is_dash as is_boundary,
        {{ source_phrase_opens('cue_order') }} as is_opening_word,
        {{ source_phrase_ends('cue_order') }} or tokens.token_kind = 'quote' as ends_phrase
    from choices
    inner join tokens
        on
            choices.text_id = tokens.text_id
            and choices.sentence_number = tokens.sentence_number
            and tokens.token_number between choices.clause_start + 1 and choices.noun_phrase_end
    window cue_order as (
        partition by choices.text_id, choices.sentence_number, choices.cue_number order by tokens.token_number
    )
),

-- The noun phrase before a relative clause: back from its end to a determiner (kept) or a word
-- that cannot be inside it (not kept).
noun_phrases as (
    select
        choices.text_id,
        choices.sentence_number,
        choices.cue_number,
        coalesce(max(case
            when
                phrase_tokens.is_boundary or phrase_tokens.ends_phrase or phrase_tokens.is_opening_word
                or phrase_tokens.is_relative_word or phrase_tokens.token_kind = 'quote'
                then phrase_tokens.token_number + 1
            when phrase_tokens.opens_noun_phrase then phrase_tokens.token_number
        end), choices.clause_start + 1) as noun_phrase_start,
        -- the object of a preposition (`in Woodhill Prison`) is no subject; after an opening one, the
        -- name that ends the segment is (`In 2004 IBM said`)
        max(case
            when phrase_tokens.is_preposition and phrase_tokens.ends_phrase then phrase_tokens.token_number + 1
        end) as after_preposition,
        max(case
            when not phrase_tokens.is_capitalised or phrase_tokens.is_determiner then phrase_tokens.token_number + 1
        end) as name_start
    from choices
    inner join phrase_tokens
        on
            choices.text_id = phrase_tokens.text_id
            and choices.sentence_number = phrase_tokens.sentence_number
            and choices.cue_number = phrase_tokens.cue_number
    group by choices.text_id, choices.sentence_number, choices.cue_number, choices.clause_start
),

noun_phrase_starts as (
    select
        choices.*,
        case
            when
                noun_phrases.noun_phrase_start <= choices.noun_phrase_end
                and not (
                    choices.is_after_preposition and noun_phrases.noun_phrase_start = noun_phrases.after_preposition
                )
                then noun_phrases.noun_phrase_start
            when
                choices.is_after_preposition and noun_phrases.name_start <= choices.noun_phrase_end
                and noun_phrases.name_start > noun_phrases.after_preposition
                then noun_phrases.name_start
        end as noun_phrase_from
    from choices
    left join noun_phrases
        on
            choices.text_id = noun_phrases.text_id
            and choices.sentence_number = noun_phrases.sentence_number
            and choices.cue_number = noun_phrases.cue_number
),

chosen as (
    select
        text_id,
        sentence_number,
        cue_number,
        coalesce(noun_phrase_from, chosen_from, insertion_from) as phrase_from,
        case
            when noun_phrase_from is not null then noun_phrase_end
            when chosen_from is not null then chosen_to
            else insertion_to
        end as phrase_to,
        load_id
    from noun_phrase_starts
    where coalesce(noun_phrase_from, chosen_from, insertion_from) is not null
)

select * from chosen
