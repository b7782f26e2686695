-- int_speech_source_phrases_cut: one row per speech cue with a source stretch, with the source phrase
-- cut from the stretch's tokens (int_speech_source_stretches_bounded). Rules: it starts where
-- int_speech_source_segments_chosen says (`Beijing, which described …`), else after the last comma
-- inside the stretch (`Asked about …, Huckabee’s campaign`) and opening linking words and times
-- (`However`, `Earlier this week`); it ends before an auxiliary, adverb, time word, past form, cue or
-- preposition (`The Syrian army on Monday` gives `The Syrian army`; `of` stays before a capital or
-- after a lone determiner: `the Department of Defense`, `one of their lawyers`; so do `for` and `to`
-- before a capital: `a spokesman for Disney`, `a person close to the Clintons`; and a modifier after a
-- determiner, `The Times`, and a capitalised word after a capitalised word, `the New York Times`),
-- except for an `according to` source, the whole noun phrase. A phrase of function words only
-- (`which`, `has`, `The`) or opening with a pronoun counts no word: it names no one as written. One
-- that opens with a pronoun, or is a definite determiner and title words (`the minister`, `his
-- spokesman`; not `a spokesman for Disney`), is marked for the next steps. Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

stretches as (
    select * from {{ ref('int_speech_source_stretches_bounded') }}
    where {{ new_texts_only() }}
),

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ in_batch('text_id', 'stretches', 'load_id') }}
),

stretch_tokens as (
    select
        stretches.text_id,
        stretches.sentence_number,
        stretches.cue_number,
        stretches.source_first,
        stretches.source_last,
        stretches.phrase_from,
        stretches.phrase_to,
        tokens.token_number >= stretches.source_first as is_in_stretch,
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
            stretches.attribution_form <> 'according_to'
            and {{ source_phrase_ends('stretch_order') }}
        ) as ends_phrase
    from stretches
    inner join tokens
        on
            stretches.text_id = tokens.text_id
            and stretches.sentence_number = tokens.sentence_number
            and tokens.token_number between stretches.tokens_first and stretches.source_last
    window stretch_order as (
        partition by stretches.text_id, stretches.sentence_number, stretches.cue_number order by tokens.token_number
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
        stretches.load_id
    from phrase_words
    inner join stretches
        on
            phrase_words.text_id = stretches.text_id
            and phrase_words.sentence_number = stretches.sentence_number
            and phrase_words.cue_number = stretches.cue_number
)

select * from cut
