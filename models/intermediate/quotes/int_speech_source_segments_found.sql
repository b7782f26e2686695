-- int_speech_source_segments_found: one row per segment of the clause before a speech cue's verb
-- (sources before their verb, int_speech_cues_formed): the clause (after the last `;` or `:`) is cut
-- at commas, clause-ending quotations and dashes, the last segment ending at the verb. Each segment
-- has its lead, the first word after opening linking and time words (`However`, `Earlier this week`;
-- in the last segment, inside the source stretch), and whether it opens with a relative word right
-- after its comma (`, which`; with a subject after it: `which he`), with a preposition, or with a
-- source word (not one that ends a source phrase, a relative, `including`); whether it opens a
-- subordinate clause (`after a woman …`), is a short name (at most five capitalised words) or opens
-- as a role (a determiner or lower-case word); the nearest source segment before it, and the first
-- of the main clause (not a subordinate one but the last: `While short on detail, he …`). Text-keyed.
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

cue_texts as (
    select
        text_id,
        sentence_number,
        cue_number,
        source_first,
        source_last,
        attribution_form = 'participle' as is_participle,
        load_id
    from cues
    where attribution_form in ('source_verb_content', 'content_source_verb', 'parenthetical', 'participle')
),

-- The sentence's tokens up to the verb, each with its segment (a separator or dash opens one).
sentence_tokens as (
    select
        cue_texts.text_id,
        cue_texts.sentence_number,
        cue_texts.cue_number,
        cue_texts.source_first,
        cue_texts.is_participle,
        cue_texts.load_id,
        tokens.token_number,
        tokens.token_kind,
        tokens.is_capitalised,
        tokens.is_determiner,
        tokens.is_relative_word,
        tokens.is_ing_preposition,
        tokens.is_preposition,
        tokens.is_separator or tokens.is_dash as is_boundary,
        tokens.is_subordinator,
        tokens.token_key in (';', ':') as is_clause_start,
        tokens.pronoun_refers_to is not null or tokens.is_determiner or tokens.is_capitalised as can_be_subject,
        {{ source_phrase_opens('cue_order') }} as is_opening_word,
        {{ source_phrase_ends('cue_order') }} or tokens.token_kind = 'quote' as ends_phrase,
        sum(case when tokens.is_separator or tokens.is_dash then 1 else 0 end) over cue_order as segment_number
    from cue_texts
    inner join tokens
        on
            cue_texts.text_id = tokens.text_id
            and cue_texts.sentence_number = tokens.sentence_number
            and cue_texts.source_last >= tokens.token_number
    window cue_order as (
        partition by cue_texts.text_id, cue_texts.sentence_number, cue_texts.cue_number order by tokens.token_number
    )
),

clause_tokens as (
    select
        *,
        coalesce(
            max(case when is_clause_start and token_number < source_first then token_number end) over whole_cue, 0
        ) as clause_start,
        max(segment_number) over whole_cue as last_segment
    from sentence_tokens
    window whole_cue as (partition by text_id, sentence_number, cue_number)
),

-- Each segment with its first word after opening linking and time words (in the last segment,
-- inside the source stretch, as int_speech_source_phrases_cut reads it).
segments as (
    select
        text_id,
        sentence_number,
        cue_number,
        segment_number,
        last_segment,
        clause_start,
        is_participle,
        load_id,
        {{ aggregate_where('min', 'token_number', 'not is_boundary') }} as segment_first,
        {{ aggregate_where('min', 'token_number', 'is_subordinator') }} as first_subordinator,
        {{ aggregate_where('max', 'token_number', 'not is_boundary') }} as segment_last,
        {{ aggregate_where(
            'max', 'token_number', "token_kind = 'word' and not is_opening_word and not ends_phrase"
        ) }} as last_word,
        {{ aggregate_where(
            'min',
            'token_number',
            "not is_boundary and not is_opening_word and token_kind <> 'symbol'"
            ~ ' and (token_number >= source_first or segment_number < last_segment)'
        ) }} as lead_number,
        {{ aggregate_where('count', '*', "token_kind = 'word' and not is_capitalised") }} as lower_words,
        {{ aggregate_where('count', '*', "token_kind = 'word'") }} as words
    from clause_tokens
    where token_number > clause_start
    group by text_id, sentence_number, cue_number, segment_number, last_segment, clause_start, is_participle, load_id
),

segment_leads as (
    select
        segments.*,
        coalesce(lead_tokens.is_relative_word and segments.lead_number = segments.segment_first, false)
            as is_relative,
        coalesce(next_tokens.can_be_subject, false) as relative_has_subject,
        coalesce(lead_tokens.is_preposition and lead_tokens.ends_phrase, false) as opens_with_preposition,
        segments.lead_number is not null
        and not lead_tokens.ends_phrase and not lead_tokens.is_relative_word and not lead_tokens.is_ing_preposition
            as opens_source,
        -- opens a subordinate clause (`While short on detail, …`, `after a woman …`)
        coalesce(segments.first_subordinator < segments.lead_number, false) as is_subordinate,
        segments.words between 1 and 5 and segments.lower_words = 0 as is_short_name,
        coalesce(lead_tokens.is_determiner or not lead_tokens.is_capitalised, false) as is_role
    from segments
    left join clause_tokens as lead_tokens
        on
            segments.text_id = lead_tokens.text_id
            and segments.sentence_number = lead_tokens.sentence_number
            and segments.cue_number = lead_tokens.cue_number
            and segments.lead_number = lead_tokens.token_number
    left join clause_tokens as next_tokens
        on
            segments.text_id = next_tokens.text_id
            and segments.sentence_number = next_tokens.sentence_number
            and segments.cue_number = next_tokens.cue_number
            and segments.lead_number + 1 = next_tokens.token_number
),

walked as (
    select
        *,
        max(case when opens_source then segment_number end) over (
            partition by text_id, sentence_number, cue_number
            order by segment_number
            rows between unbounded preceding and 1 preceding
        ) as source_segment_before,
        -- a participle's subject: the first source segment of the main clause
        min(case when opens_source and (not is_subordinate or segment_number = last_segment) then segment_number end)
            over (partition by text_id, sentence_number, cue_number) as first_source_segment
    from segment_leads
)

select * from walked
