-- int_speech_source_stretches_bounded: one row per speech cue with a source stretch
-- (int_speech_cues_formed), with the tokens its source phrase is cut from. Rules: they start at the
-- stretch, or before it where int_speech_source_segments_chosen says (`Beijing, which described …`);
-- they end with the stretch, except that after its verb a source with a lower-case word (not a name
-- alone), a comma and a short run of capitalised words (one to four, no time word) that ends the
-- sentence or its clause take the run along: it is the person the source describes (`said one of
-- their lawyers, Michalis Dimitrakopoulos`, `said another Twitter user, Johanna Bayer`). Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

cues as (
    select * from {{ ref('int_speech_cues_formed') }}
    where {{ new_texts_only() }}
),

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ in_batch('text_id', 'cues', 'load_id') }}
),

segments as (
    select * from {{ ref('int_speech_source_segments_chosen') }}
    where {{ in_batch('text_id', 'cues', 'load_id') }}
),

-- After the verb: where a run after the stretch's comma would end (the next break), and what the
-- stretch holds.
appositive_bounds as (
    select
        cues.text_id,
        cues.sentence_number,
        cues.cue_number,
        cues.source_last,
        min(tokens.token_number) filter (
            where
            tokens.token_number > cues.source_last + 1
            and (
                tokens.token_kind not in ('word', 'symbol') or tokens.token_key in (',', ';', ':', '(', '.', '!', '?')
            )
        ) as name_end,
        max(tokens.token_number) as sentence_last,
        coalesce(bool_or(tokens.token_number = cues.source_last + 1 and tokens.token_key = ','), false)
            as comma_after,
        coalesce(bool_or(
            tokens.token_number between cues.source_first and cues.source_last
            and tokens.token_kind = 'word' and not tokens.is_capitalised
        ), false) as stretch_has_lower
    from cues
    inner join tokens
        on
            cues.text_id = tokens.text_id
            and cues.sentence_number = tokens.sentence_number
            and cues.source_first <= tokens.token_number
    where cues.attribution_form = 'content_verb_source'
    group by cues.text_id, cues.sentence_number, cues.cue_number, cues.source_first, cues.source_last
),

appositives as (
    select
        appositive_bounds.text_id,
        appositive_bounds.sentence_number,
        appositive_bounds.cue_number,
        coalesce(appositive_bounds.name_end - 1, appositive_bounds.sentence_last) as appositive_last
    from appositive_bounds
    inner join tokens
        on
            appositive_bounds.text_id = tokens.text_id
            and appositive_bounds.sentence_number = tokens.sentence_number
            and tokens.token_number > appositive_bounds.source_last + 1
            and tokens.token_number < coalesce(appositive_bounds.name_end, appositive_bounds.sentence_last + 1)
    where
        appositive_bounds.comma_after
        and appositive_bounds.stretch_has_lower
    group by
        appositive_bounds.text_id, appositive_bounds.sentence_number, appositive_bounds.cue_number,
        appositive_bounds.name_end, appositive_bounds.sentence_last
    having
        bool_and(tokens.is_capitalised or tokens.token_kind = 'symbol')
        and not bool_or(tokens.is_time_word)
        and sum(case when tokens.token_kind = 'word' then 1 else 0 end) between 1 and 4
),

-- From a chosen segment's start (it may stand before the stretch) to the stretch's end or the appositive's.
stretches as (
    select
        cues.text_id,
        cues.sentence_number,
        cues.cue_number,
        cues.source_first,
        coalesce(appositives.appositive_last, cues.source_last) as source_last,
        cues.attribution_form,
        segments.phrase_from,
        segments.phrase_to,
        least(cues.source_first, coalesce(segments.phrase_from, cues.source_first)) as tokens_first,
        cues.load_id
    from cues
    left join segments
        on
            cues.text_id = segments.text_id
            and cues.sentence_number = segments.sentence_number
            and cues.cue_number = segments.cue_number
    left join appositives
        on
            cues.text_id = appositives.text_id
            and cues.sentence_number = appositives.sentence_number
            and cues.cue_number = appositives.cue_number
    where cues.source_first is not null
)

select * from stretches
