-- int_sentence_tokens_marked: one row per token of a sentence that holds a speech cue word
-- (int_sentence_tokens_tagged), with what its shape and its neighbours say about it, for the
-- attribution rules to read:
--   shape: a past form (`-ed`) or an -ing form, a separator (a comma, or a quotation that ends its
--   clause: what parts a content from its attribution), a dash, a setting word (times, places,
--   names, settings, determiners, prepositions: what may stand between a verb and its content);
--   neighbours: the word before and after, whether it follows a negation, a passive or other
--   auxiliary, `to` after a lead-in word (`went on to say`), a coordinator, an embedded-question word
--   or a determiner, where its clause starts (after the last `;`, `:`, dash, quotation or
--   subordinator), its last separator and quoting verb (`quoted`, `cited`) and, for a comma, the
--   subordinator whose clause it may close;
--   content stops: a token a content does not run past (`;`, `, saying`, `, according to`, `and
--   said`, `and called him …`, `and others have said`, a quotation closed by its own comma before a participle or `as`;
--   a content goes on past `, while …` and `, which …`, whose clauses it holds), a comma before a
--   verb with no subject (it may close an insertion: `…, was just the latest`), and, by window, the
--   next word that is not a time word or adverb, and the next word that is not a listener (`told
--   reporters he …`).
-- The sentence's token count and its length limit (max_sentence_tokens) are here too. Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

tagged as (
    select * from {{ ref('int_sentence_tokens_tagged') }}
    where {{ new_texts_only() }}
),

shaped as (
    select
        *,
        token_kind = 'word' and {{ regex_matches('token', sql_string("^\\p{Ll}\\p{L}+ed$")) }} as is_past_form,
        token_kind = 'word' and {{ regex_matches('token', sql_string("^\\p{Ll}\\p{L}+ing$")) }}
        and not is_ing_preposition
            as is_ing_form,
        -- a comma, or a quotation that ends its clause: what separates a content from its attribution
        token_key = ',' or (token_kind = 'quote' and quote_ends_clause) as is_separator,
        token_key in ('-', '—', '–') as is_dash,
        token_key in (';', ':', '-', '—', '–') or token_kind = 'quote' or is_subordinator as is_clause_boundary,
        -- what may stand between a verb and its content without being content (`told Rudaw on Monday
        -- that`, `said in a statement`): times, places, names, settings, determiners, prepositions
        is_time_word or is_preposition or is_determiner or is_capitalised or is_setting_noun or is_adverb
        or is_object_word or is_title_word or is_particle or token_kind = 'symbol'
        or {{ regex_matches('token', sql_string("^\\p{N}")) }} as is_setting_word
    from tagged
),

-- One pass of windows over the sentence: every neighbour, running value and content stop reads the
-- tokens' own columns, so they share one sort. Running positions are running min/max of token numbers.
neighbours as (
    select
        *,
        lag(token_key) over sentence_order as previous_key,
        lag(token_kind) over sentence_order as previous_kind,
        coalesce(lag(is_dash) over sentence_order, false) as previous_is_dash,
        coalesce(lag(is_negation) over sentence_order, false) as after_negation,
        coalesce(lag(is_passive_auxiliary) over sentence_order, false) as after_passive_auxiliary,
        -- `was quick to add`, `went on to say`: after `to` and a lead-in word, a speech verb that happened
        coalesce(
            lag(token_key) over sentence_order = 'to'
            and (
                lag(is_speech_lead_in, 2) over sentence_order
                or (lag(token_key, 2) over sentence_order = 'on' and lag(is_speech_lead_in, 3) over sentence_order)
            ),
            false
        ) as after_speech_lead_in,
        lead(token_key) over sentence_order as next_key,
        coalesce(lead(token_key) over sentence_order = ',', false) as before_separator,
        min(case when token_kind <> 'symbol' then token_number end) over sentence_whole as first_word_number,
        count(*) over sentence_whole as sentence_tokens,
        max(token_number) over sentence_whole as sentence_length,
        coalesce(
            max(case when token_key = ':' then token_number end) over sentence_whole
            = max(token_number) over sentence_whole,
            false
        ) as ends_with_colon,
        -- `emailed supporters saying: “…”`: the cue opens a quotation
        coalesce(
            lead(token_kind) over sentence_order = 'quote'
            or (
                lead(token_key) over sentence_order in (':', ',') and lead(token_kind, 2) over sentence_order = 'quote'
            ),
            false
        ) as before_quote,
        coalesce(lag(is_auxiliary) over sentence_order, false) as after_auxiliary,
        -- `…, but now said …`, `… and said …`: a verb that shares the subject of the one before
        coalesce(lag(is_coordinator) over sentence_order, false)
        or (
            coalesce(lag(is_adverb) over sentence_order, false)
            and coalesce(lag(is_coordinator, 2) over sentence_order, false)
        )
            as after_coordinator,
        -- `what he said this week`, `how they say …`: an embedded question, not an attribution
        coalesce(lag(is_embedding_word) over sentence_order, false)
        or coalesce(lag(is_embedding_word, 2) over sentence_order, false) as after_question_word,
        coalesce(lag(is_adverb) over sentence_order, false) and lag(token_key, 2) over sentence_order = ','
            as after_comma_adverb,
        coalesce(lag(is_determiner or is_preposition or is_ing_preposition) over sentence_order, false)
        or coalesce(lag({{ regex_matches('token_key', sql_string("[’']s$")) }}) over sentence_order, false)
        -- `in a Friday tweet`: a capitalised modifier between a preposition's determiner and the noun
        or coalesce(
            lag(is_capitalised) over sentence_order and lag(is_determiner, 2) over sentence_order
            and lag(is_preposition, 3) over sentence_order,
            false
        )
            as after_determiner,
        coalesce(lead(is_preposition) over sentence_order, false) as before_preposition,
        -- The clause a token is in starts after the last `;`, `:`, dash, quotation or subordinator.
        coalesce(max(case when is_clause_boundary then token_number end) over before_token, 0) as clause_boundary,
        -- `“…,” Tapper said, “…”`: the quotation that opens the verb's clause (its start, else -1)
        coalesce({{ last_non_null(
            "case when is_clause_boundary then case when token_kind = 'quote' then token_start else -1 end end"
        ) }} over before_token, -1) as clause_quote_start,
        coalesce(max(case when is_separator then token_number end) over before_token, 0) as last_comma,
        -- `was quoted as saying`, `Antara quoted him as saying`: the last quoting verb before the token
        max(case when cue_kind = 'quoting' then token_number end) over before_token as last_quoting_verb,
        -- `While he has said he opposes …, his administration …`: a comma that may close the clause of
        -- the last subordinator before it (not before a coordinator, `that` or a quotation): where that
        -- subordinator stands
        case
            when
                token_key = ','
                and not coalesce(
                    lead(is_coordinator or is_complementizer or token_kind <> 'word') over sentence_order, true
                )
                then max(case when is_subordinator then token_number end) over before_token
        end as closed_subordinator,
        coalesce(max(case when token_key in (';', ':') then token_number end) over through_token, 0) as clause_start,
        -- `…, was just the latest`, `…, ultimately did not show up`: a comma before a verb with no subject
        -- (an auxiliary not before a pronoun, or an adverb and a finite verb) may close an insertion
        token_key = ','
        and (
            (
                coalesce(lead(is_auxiliary and not is_ing_form) over sentence_order, false)
                and lead(pronoun_refers_to, 2) over sentence_order is null
            )
            or (
                coalesce(lead(is_adverb) over sentence_order, false)
                and coalesce(lead(is_auxiliary or is_past_form, 2) over sentence_order, false)
            )
        ) as closes_insertion,
        min(case when not (is_time_word or is_adverb) then token_number end) over from_token as next_non_adjunct,
        min(case when not (is_capitalised or is_object_word) then token_number end) over from_token
            as next_after_listener,
        -- Content stops: a token a content does not run past.
        token_key = ';'
        or (
            token_key = ','
            and (
                -- `…, saying …`: a participle of speech
                (
                    coalesce(lead(is_ing_form) over sentence_order, false)
                    and lead(cue_kind) over sentence_order is not null
                )
                or lead(token_key) over sentence_order = 'according'
                -- `…, called her “third-rate” and …`: a second speech act of the same subject
                or coalesce(lead(cue_kind) over sentence_order = 'communication', false)
            )
        )
        or (
            token_key = ','
            and coalesce(lead(is_preposition) over sentence_order, false)
            and (
                coalesce(lead(is_setting_noun, 2) over sentence_order, false)
                or coalesce(lead(is_setting_noun, 3) over sentence_order, false)
            )
        )
        -- `“… history,” dismissing …`, `“under control,” as …`: the quotation holds the comma; the
        -- content ends after it.
        or (
            coalesce(lag(quote_ends_with_comma) over sentence_order, false)
            and (is_ing_form or token_key = 'according' or is_contrast_subordinator)
        )
        -- `… and said …`, `… and called him “…”`: a second speech act of the same subject
        or (is_coordinator and coalesce(lead(cue_kind) over sentence_order in ('speech', 'communication'), false))
        -- `… and one in four said …`, `… and others have said …`: a new subject of a speech verb within
        -- six words, no other verb, punctuation, `that` or clause word before it (not `and` before a
        -- past form: `he voted for Obama and backed Paul` goes on with the content)
        or (
            is_coordinator
            and coalesce(
                min(case when cue_kind = 'speech' and cue_form = 'finite' then token_number end) over next_six
                < coalesce(min(case
                    when
                        token_kind <> 'word' or (is_past_form and cue_kind is null) or is_complementizer
                        or is_relative_word or is_subordinator or is_ing_form
                        then token_number
                end) over next_six, 1000000),
                false
            )
        )
            as ends_content
    from shaped
    window
        sentence_order as (partition by text_id, sentence_number order by token_number),
        sentence_whole as (partition by text_id, sentence_number),
        before_token as (
            partition by text_id, sentence_number order by token_number
            rows between unbounded preceding and 1 preceding
        ),
        through_token as (
            partition by text_id, sentence_number order by token_number
            rows between unbounded preceding and current row
        ),
        from_token as (
            partition by text_id, sentence_number order by token_number
            rows between current row and unbounded following
        ),
        next_six as (
            partition by text_id, sentence_number order by token_number
            rows between 1 following and 6 following
        )
)

select * from neighbours  -- noqa: AM04
