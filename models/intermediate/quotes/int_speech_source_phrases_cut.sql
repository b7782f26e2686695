-- int_speech_source_phrases_cut: one row per speech cue with a source stretch (int_speech_cues_formed),
-- with the source phrase cut from it. Rules: it starts where int_speech_source_segments_chosen says
-- (`Beijing, which described …`), else after the last comma inside the stretch (`Asked about …,
-- Huckabee’s campaign`) and opening linking words and times (`However`, `Earlier this week`); it ends
-- before an auxiliary, adverb, time word, past form, cue or preposition (`The Syrian army on Monday`
-- gives `The Syrian army`; `of` stays before a capital or after a lone determiner: `the Department of
-- Defense`, `one of their lawyers`; so do `for` and `to` before a capital: `a spokesman for Disney`, `a
-- person close to the Clintons`; and a modifier after a determiner, `The Times`, and a capitalised
-- word after a capitalised word, `the New York Times`), except for an `according to` source, the whole
-- noun phrase. A phrase of function words only (`which`, `has`, `The`) or opening with a pronoun counts
-- no word: it names no one as written. One that opens with a pronoun, or is a definite determiner and
-- title words (`the minister`, `his spokesman`; not `a spokesman for Disney`), is marked for the next
-- steps. After its verb, a common-noun source, a comma and a short run of capitalised words that ends
-- the sentence take the run into the stretch (`said one of their lawyers, Michalis Dimitrakopoulos`).
-- Text-keyed.
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

-- `said one of their lawyers, Michalis Dimitrakopoulos`: after the verb, a common-noun phrase (no
-- capital after its first word) and a comma, a short run of capitalised words that ends the sentence
-- or its clause is the person the phrase describes; the stretch takes it along.
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
            tokens.is_capitalised and tokens.token_number > cues.source_first
            and tokens.token_number <= cues.source_last
        ), false) as stretch_has_capital,
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
        and not appositive_bounds.stretch_has_capital
    group by
        appositive_bounds.text_id, appositive_bounds.sentence_number, appositive_bounds.cue_number,
        appositive_bounds.name_end, appositive_bounds.sentence_last
    having
        bool_and(tokens.is_capitalised or tokens.token_kind = 'symbol')
        and not bool_or(tokens.is_time_word)
        and sum(case when tokens.token_kind = 'word' then 1 else 0 end) between 1 and 4
),

-- A chosen segment may start before the stretch (`Beijing, which described …`).
cue_texts as (
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
),

stretch_tokens as (
    select
        cue_texts.text_id,
        cue_texts.sentence_number,
        cue_texts.cue_number,
        cue_texts.source_first,
        cue_texts.source_last,
        cue_texts.phrase_from,
        cue_texts.phrase_to,
        tokens.token_number >= cue_texts.source_first as is_in_stretch,
        tokens.token_number,
        tokens.is_separator,
        tokens.token_key,
        tokens.token_kind,
        tokens.token_start,
        tokens.token_end,
        tokens.is_capitalised,
        tokens.is_title_word,
        tokens.is_determiner,
        tokens.is_definite_determiner,
        tokens.pronoun_refers_to,
        tokens.pronoun_gender,
        {{ source_phrase_opens('stretch_order') }} as is_opening_word,
        tokens.token_kind = 'word' and not {{ is_function_word() }} as is_name_word,
        tokens.token_kind = 'word' and (tokens.is_auxiliary or tokens.is_preposition) as is_clause_word,
        tokens.token_key in (',', ';', ':', '—', '–') or tokens.token_kind = 'quote'
        or (
            -- an `according to` source is the whole noun phrase (`a statement from his office`)
            cue_texts.attribution_form <> 'according_to'
            and {{ source_phrase_ends('stretch_order') }}
        ) as ends_phrase
    from cue_texts
    inner join tokens
        on
            cue_texts.text_id = tokens.text_id
            and cue_texts.sentence_number = tokens.sentence_number
            and tokens.token_number between cue_texts.tokens_first and cue_texts.source_last
    window stretch_order as (
        partition by cue_texts.text_id, cue_texts.sentence_number, cue_texts.cue_number order by tokens.token_number
    )
),

-- Without a chosen segment, the phrase starts after the last comma inside the stretch.
stretch_bounds as (
    select
        text_id,
        sentence_number,
        cue_number,
        min(token_start) as stretch_start,
        max(token_end) as stretch_end,
        coalesce(
            max(case when is_separator and is_in_stretch and token_number < source_last then token_number end) + 1,
            min(source_first)
        ) as after_last_comma
    from stretch_tokens
    group by text_id, sentence_number, cue_number, source_last
),

phrase_starts as (
    select
        stretch_bounds.text_id,
        stretch_bounds.sentence_number,
        stretch_bounds.cue_number,
        stretch_bounds.stretch_start,
        stretch_bounds.stretch_end,
        coalesce(min(stretch_tokens.phrase_from), min(stretch_tokens.token_number) filter (
            where
            stretch_tokens.token_number >= stretch_bounds.after_last_comma
            and stretch_tokens.token_kind <> 'symbol'
            and not stretch_tokens.is_opening_word
        )) as phrase_first,
        min(stretch_tokens.phrase_to) as phrase_to
    from stretch_bounds
    inner join stretch_tokens
        on
            stretch_bounds.text_id = stretch_tokens.text_id
            and stretch_bounds.sentence_number = stretch_tokens.sentence_number
            and stretch_bounds.cue_number = stretch_tokens.cue_number
    group by
        stretch_bounds.text_id, stretch_bounds.sentence_number, stretch_bounds.cue_number,
        stretch_bounds.stretch_start, stretch_bounds.stretch_end
),

phrases as (
    select
        phrase_starts.text_id,
        phrase_starts.sentence_number,
        phrase_starts.cue_number,
        phrase_starts.stretch_start,
        phrase_starts.stretch_end,
        {{ aggregate_where(
            'min', 'stretch_tokens.token_start', 'stretch_tokens.token_number = phrase_starts.phrase_first'
        ) }} as phrase_start,
        -- a phrase that opens with an auxiliary or preposition (`has`, `in Woodhill Prison`) is that word
        least(greatest(phrase_starts.phrase_first, coalesce({{ aggregate_where(
            'min',
            'stretch_tokens.token_number',
            'stretch_tokens.ends_phrase and (stretch_tokens.token_number > phrase_starts.phrase_first or ('
            ~ 'stretch_tokens.token_number = phrase_starts.phrase_first and stretch_tokens.is_clause_word))'
        ) }} - 1, max(stretch_tokens.token_number))), coalesce(phrase_starts.phrase_to, max(stretch_tokens.token_number)))
            as phrase_last,
        {{ aggregate_where(
            'max', 'stretch_tokens.pronoun_refers_to', 'stretch_tokens.token_number = phrase_starts.phrase_first'
        ) }} as pronoun_refers_to,
        {{ aggregate_where(
            'max', 'stretch_tokens.pronoun_gender', 'stretch_tokens.token_number = phrase_starts.phrase_first'
        ) }} as pronoun_gender,
        coalesce({{ aggregate_where(
            'bool_or', 'stretch_tokens.is_definite_determiner', 'stretch_tokens.token_number = phrase_starts.phrase_first'
        ) }}, false) as starts_with_definite_determiner
    from phrase_starts
    inner join stretch_tokens
        on
            phrase_starts.text_id = stretch_tokens.text_id
            and phrase_starts.sentence_number = stretch_tokens.sentence_number
            and phrase_starts.cue_number = stretch_tokens.cue_number
    group by
        phrase_starts.text_id, phrase_starts.sentence_number, phrase_starts.cue_number,
        phrase_starts.stretch_start, phrase_starts.stretch_end, phrase_starts.phrase_first, phrase_starts.phrase_to
),

phrase_words as (
    select
        phrases.*,
        -- the phrase ends at its last word or closing bracket (`United Nations figures.` loses its period)
        max(stretch_tokens.token_end) filter (
            where
            stretch_tokens.token_number <= phrases.phrase_last
            and stretch_tokens.token_start >= phrases.phrase_start
            and (stretch_tokens.token_kind <> 'symbol' or stretch_tokens.token_key = ')')
        ) as phrase_end,
        -- none when every word is a function word (`which`, `has`, `The`) or it opens with a pronoun
        -- (`It spent the`): it names no one
        case
            when
                phrases.pronoun_refers_to is null and bool_or(stretch_tokens.is_name_word) filter (
                    where
                    stretch_tokens.token_start >= phrases.phrase_start
                    and stretch_tokens.token_number <= phrases.phrase_last
                )
                then count(*) filter (
                    where
                    stretch_tokens.token_kind = 'word'
                    and stretch_tokens.token_start >= phrases.phrase_start
                    and stretch_tokens.token_number <= phrases.phrase_last
                )
            else 0
        end as phrase_word_count,
        -- `the minister`, `the defense minister`: a determiner, then title words and lower-case words.
        coalesce(bool_and(stretch_tokens.is_title_word or not stretch_tokens.is_capitalised) filter (
            where
            stretch_tokens.token_kind = 'word'
            and not stretch_tokens.is_determiner
            and stretch_tokens.token_start >= phrases.phrase_start
            and stretch_tokens.token_number <= phrases.phrase_last
        ), false)
        and coalesce(bool_or(stretch_tokens.is_title_word) filter (
            where stretch_tokens.token_start >= phrases.phrase_start
            and stretch_tokens.token_number <= phrases.phrase_last
        ), false)
        -- `the prime minister’s spokesperson` is someone else than the prime minister: no possessive
        and not coalesce(bool_or({{ regex_matches('stretch_tokens.token_key', sql_string("[’']s$")) }}) filter (
            where stretch_tokens.token_start >= phrases.phrase_start
            and stretch_tokens.token_number <= phrases.phrase_last
        ), false) as is_title_phrase,
        max(case
            when
                stretch_tokens.is_title_word and stretch_tokens.token_number <= phrases.phrase_last
                and (stretch_tokens.is_in_stretch or stretch_tokens.token_start >= phrases.phrase_start)
                then {{ regex_replace_all('stretch_tokens.token_key', "'[.]$'", "''") }}
        end) as title_key
    from phrases
    inner join stretch_tokens
        on
            phrases.text_id = stretch_tokens.text_id
            and phrases.sentence_number = stretch_tokens.sentence_number
            and phrases.cue_number = stretch_tokens.cue_number
    group by
        phrases.text_id, phrases.sentence_number, phrases.cue_number, phrases.stretch_start, phrases.stretch_end,
        phrases.phrase_start, phrases.phrase_last, phrases.pronoun_refers_to, phrases.pronoun_gender,
        phrases.starts_with_definite_determiner
),

cut as (
    select
        phrase_words.text_id,
        phrase_words.sentence_number,
        phrase_words.cue_number,
        phrase_words.stretch_start,
        phrase_words.stretch_end,
        phrase_words.phrase_start,
        phrase_words.phrase_end,
        phrase_words.phrase_word_count,
        phrase_words.pronoun_refers_to,
        phrase_words.pronoun_gender,
        phrase_words.starts_with_definite_determiner
        and phrase_words.is_title_phrase
        and phrase_words.phrase_word_count <= 5 as is_title_phrase,
        phrase_words.title_key,
        cue_texts.load_id
    from phrase_words
    inner join cue_texts
        on
            phrase_words.text_id = cue_texts.text_id
            and phrase_words.sentence_number = cue_texts.sentence_number
            and phrase_words.cue_number = cue_texts.cue_number
)

select * from cut
