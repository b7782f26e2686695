-- int_speech_cues_situated: one row per speech cue (int_speech_cues_found) with what stands around it
-- in its sentence (token numbers; a quotation is one token): the first `that` after it with only
-- setting words (or, after a verb with a listener, a noun phrase) between (not one before a verb after
-- a noun: `told a crowd that spilled out`, a relative clause), the next break, subordinate clause and
-- quotation, whether a source phrase follows it (`said Pence`), whether the words after it are setting
-- words or a noun phrase (up to the next break or subordinate clause; a past or -ing form before a
-- capitalised word is a modifier: `said retired neurosurgeon Ben Carson`) or hold a verb soon, and
-- whether more content follows the next comma (`X, the lawyers said, Y`). A quotation right after the
-- verb or its first break is its content, except after `“…,” said SOURCE,` (the quotation after the
-- comma goes on with the first); after a quoting verb (`was quoted as saying by the agency that …`) a
-- `that` within reach is the content's whatever stands before it. The cue's own columns pass
-- through. Text-keyed.
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

-- What stands around each cue in its sentence (the sentence's tokens joined to its cues).
surroundings as (
    select
        cues.text_id,
        cues.sentence_number,
        cues.cue_number,
        min(case
            when
                tokens.is_complementizer and tokens.token_number > cues.cue_number
                and tokens.token_number <= cues.cue_number + 12
                and not tokens.before_separator
                then tokens.token_number
        end) as that_number,
        min(case
            when
                tokens.token_number > cues.cue_number
                and (tokens.token_key in (',', ';', ':', '(') or tokens.is_dash or tokens.token_kind = 'quote')
                then tokens.token_number
        end) as next_break,
        min(case
            when
                tokens.token_number > cues.cue_number
                and (tokens.token_key in (',', ';', ':') or tokens.token_kind = 'quote')
                then tokens.token_number
        end) as next_comma,
        min(case when tokens.token_number > cues.cue_number and tokens.token_key = ':' then tokens.token_number end)
            as next_colon,
        -- (a cue word used as a noun is none: `said in a note that …`)
        min(case
            when
                tokens.token_number > cues.cue_number and tokens.cue_kind in ('speech', 'question')
                and not (tokens.cue_is_also_noun and tokens.after_determiner)
                then tokens.token_number
        end) as next_cue,
        -- a source phrase follows the verb (`said Pence`, `said spokesman Josh Schwerin`, `said former
        -- Obama adviser David Axelrod`), not a time word or a pronoun subject (`said Wednesday he …`)
        coalesce(bool_or(
            (
                tokens.token_number = cues.cue_number + 1
                and (tokens.is_capitalised or tokens.is_determiner or tokens.is_title_word)
                and not tokens.is_time_word
                and tokens.pronoun_refers_to is null
            )
            or (
                -- after a quotation a longer modifier may come first (`said 9/11 widow Terry Strada`)
                tokens.token_number between cues.cue_number + 2
                and cues.cue_number + case when cues.previous_kind = 'quote' then 5 else 3 end
                and tokens.is_capitalised
            )
        ), false) as source_follows,
        min(case
            when tokens.token_number > cues.cue_number and tokens.token_kind = 'quote'
                then tokens.token_number
        end) as next_quote,
        -- `said Abedin when …`, `said Ben Carson, who …`: a subordinate or relative clause after the verb
        min(case
            when tokens.token_number > cues.cue_number and (tokens.is_subordinator or tokens.is_relative_word)
                then tokens.token_number
        end) as next_subordinator,
        sum(case
            when
                tokens.token_number > cues.clause_boundary and tokens.token_number < cues.cue_number
                and tokens.token_kind = 'word'
                then 1
            else 0
        end) as subject_words,
        sum(case when tokens.token_number < cues.last_comma then tokens.word_count else 0 end)
            as words_before_last_comma,
        -- a clause with a finite verb stands before the comma (`Defending that terrain is squarely …`)
        coalesce(bool_or(
            tokens.token_number < cues.last_comma and (tokens.is_auxiliary or tokens.is_past_form)
        ), false) as finite_before_last_comma
    from cues
    inner join tokens
        on
            cues.text_id = tokens.text_id
            and cues.sentence_number = tokens.sentence_number
    group by
        cues.text_id, cues.sentence_number, cues.cue_number, cues.clause_boundary,
        cues.last_comma
),

-- What the words after the verb are, up to its `that`, the next break or the next subordinate clause.
settings as (
    select
        surroundings.text_id,
        surroundings.sentence_number,
        surroundings.cue_number,
        -- only setting words between the cue and its `that` (`said, in an email, that …`), or for a
        -- verb with a listener any noun phrase (`told an audience at a literary festival … that …`)
        coalesce(bool_and(tokens.is_setting_word) filter (
            where tokens.token_number < surroundings.that_number
        ), true) as that_is_set,
        not coalesce(bool_or(
            tokens.is_auxiliary or tokens.is_past_form or tokens.is_ing_form or tokens.pronoun_refers_to is not null
            or tokens.is_question_word or tokens.is_relative_word or tokens.cue_kind is not null
            or tokens.token_kind = 'quote' or tokens.token_key in (';', ':')
        ) filter (
            where tokens.token_number < surroundings.that_number
        ), false) as that_after_noun_phrase,
        -- `told a crowd at Hamburger Mary's that spilled out …`: after a noun, `that` before a verb opens
        -- a relative clause, not the content
        coalesce(bool_or(
            tokens.token_number = surroundings.that_number + 1 and (tokens.is_past_form or tokens.is_auxiliary)
        ), false)
        and surroundings.that_number > surroundings.cue_number + 1 as that_opens_relative,
        coalesce(bool_and(tokens.is_setting_word) filter (
            where tokens.token_number < coalesce(surroundings.next_break, 1000000)
        ), true) as after_verb_is_setting,
        -- a noun phrase, no verb in it (`said Republican party boss Reince Priebus`), up to the next
        -- break or subordinate clause (`responded Abedin when …`); a past or -ing form before a
        -- capitalised word is a modifier (`said retired neurosurgeon Ben Carson`, `said Oversight
        -- ranking Democrat Elijah Cummings`)
        not coalesce(bool_or(
            tokens.is_auxiliary or tokens.pronoun_refers_to is not null
            or tokens.is_complementizer or tokens.is_question_word
            -- a cue that is a noun here is none (`in a Friday tweet`)
            or (tokens.cue_kind is not null and not (tokens.cue_is_also_noun and tokens.after_determiner))
        ) filter (
            where tokens.token_number < least(
                coalesce(surroundings.next_break, 1000000), coalesce(surroundings.next_subordinator, 1000000)
            )
        ), false)
        and coalesce(max(tokens.token_number) filter (
            where (tokens.is_past_form or tokens.is_ing_form) and tokens.token_number < least(
                coalesce(surroundings.next_break, 1000000), coalesce(surroundings.next_subordinator, 1000000)
            )
        ), 0) < coalesce(max(tokens.token_number) filter (
            where tokens.is_capitalised and tokens.token_number < least(
                coalesce(surroundings.next_break, 1000000), coalesce(surroundings.next_subordinator, 1000000)
            )
        ), 1) as after_verb_is_noun_phrase,
        -- `…, said the party establishment had erred`: a finite verb within four words (a clause)
        coalesce(bool_or(tokens.is_auxiliary or tokens.is_past_form) filter (
            where tokens.token_number <= surroundings.cue_number + 4
        ), false) as verb_soon_after,
        -- `X, the lawyers said, Y`: after a comma the sentence goes on with more content
        coalesce(bool_or(
            tokens.token_number = surroundings.next_break and tokens.token_key = ','
        ), false)
        and coalesce(bool_or(
            tokens.token_number = surroundings.next_break + 1
            and not (tokens.is_ing_form or tokens.token_key = 'according' or tokens.is_subordinator)
        ), false)
        and sum(case when tokens.token_number > surroundings.next_break then tokens.word_count else 0 end) >= 3
            as content_follows_break
    from surroundings
    inner join tokens
        on
            surroundings.text_id = tokens.text_id
            and surroundings.sentence_number = tokens.sentence_number
            and surroundings.cue_number < tokens.token_number
    group by surroundings.text_id, surroundings.sentence_number, surroundings.cue_number, surroundings.that_number
),

facts as (
    select
        cues.*,
        surroundings.that_number,
        surroundings.next_break,
        surroundings.next_comma,
        surroundings.next_colon,
        surroundings.next_quote,
        surroundings.next_subordinator,
        surroundings.next_cue,
        coalesce(surroundings.source_follows, false) as source_follows,
        surroundings.subject_words,
        surroundings.words_before_last_comma,
        surroundings.finite_before_last_comma,
        coalesce(settings.content_follows_break, false) as content_follows_break,
        -- `said “…”`, `said: “…”`, `said, “…”`, `proclaimed at a press conference, “…”`: the
        -- quotation right after the verb, or right after the first break after it, is its content
        -- (`“…,” said an Iowa farmer, “…”`: after a quotation, a source phrase and a comma, the next
        -- quotation goes on with the first; the source is the verb's, the content the one before)
        coalesce(
            surroundings.next_quote <= cues.cue_number + 2
            or (
                surroundings.next_quote = surroundings.next_break + 1
                and not (cues.previous_kind = 'quote' and surroundings.source_follows)
            ),
            false
        ) as quote_after_verb,
        -- Nothing in the clause after the verb but a few words (`said on Monday.`).
        coalesce(surroundings.next_break, cues.sentence_length) - cues.cue_number as words_to_break,
        coalesce(settings.after_verb_is_setting, true) as after_verb_is_setting,
        coalesce(settings.after_verb_is_noun_phrase, true) as after_verb_is_noun_phrase,
        coalesce(settings.verb_soon_after, false) as verb_soon_after,
        surroundings.that_number is not null
        and coalesce(surroundings.next_cue > surroundings.that_number, true)
        and not coalesce(settings.that_opens_relative, false)
        and (
            coalesce(settings.that_is_set, true)
            or (cues.cue_takes_object and coalesce(settings.that_after_noun_phrase, true))
            -- `was quoted as saying by the official news agency that …`: the medium stands between
            or cues.quoting_number is not null
        ) as has_that
    from cues
    inner join surroundings
        on
            cues.text_id = surroundings.text_id
            and cues.sentence_number = surroundings.sentence_number
            and cues.cue_number = surroundings.cue_number
    left join settings
        on
            cues.text_id = settings.text_id
            and cues.sentence_number = settings.sentence_number
            and cues.cue_number = settings.cue_number
)

select * from facts  -- noqa: AM04
