-- int_speech_contents_bounded: one row per speech cue (int_speech_cues_formed) with the stretch of the
-- sentence its content takes, as token numbers and as 0-based, end-exclusive offsets in the paragraph
-- text. Rules:
--   content after the cue starts after `that`, else after time words and adverbs (`said Tuesday …`)
--   and, for a verb that takes a listener (`told reporters he …`), after the listener; it ends before
--   the first of: `;`, `, saying`/`, adding` (a participle: a new attribution), `, according to`,
--   `and said` or `and others have said` (a second speech act; a clause after `, while`, `, although`
--   or `, which` stays in the content), a quotation closed by its own comma and followed by a participle (`“… history,”
--   dismissing …`), the comma that closes the subordinate clause the source opens (`While he has said
--   he opposes …, his administration …`), the content's first comma when a verb with no subject
--   follows it (`Sanders, who … said he would campaign with him, ultimately did not …`: it closes
--   the insertion the attribution stood in), the end of the sentence;
--   content before the attribution runs from the start of its clause (the sentence, or after `;` or
--   `:`) to the comma or quotation before the source phrase.
-- The content's words outside quotation marks and its quotations are counted, so the next step can
-- tell a direct quote's attribution (the content is one quotation) from an indirect quote.
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

-- Where each cue's content starts.
started as (
    select
        cues.*,
        case
            -- a quotation right before the attribution is the content alone (`… (“I want my dues
            -- back,” wrote Edward Nelson …)`)
            when
                cues.content_first = -1 and before_last.token_kind = 'quote'
                and (before_end.token_number is null or before_end.token_key in ('(', ':', ';'))
                then cues.content_before
            when cues.content_first = -1 then greatest(before_end.clause_start + 1, 1)
            when cues.has_that or cues.attribution_form in ('according_to', 'parenthetical') then cues.content_first
            when cues.cue_takes_object and not first_token.is_question_word
                then coalesce(
                    listener_end.next_non_adjunct,
                    cues.sentence_length + 1
                )
            else coalesce(first_token.next_non_adjunct, cues.sentence_length + 1)
        end as content_start,
        case
            when cues.content_first = -1 then
                case when before_last.token_kind = 'quote' then cues.content_before else cues.content_before - 1 end
        end as content_last_before
    from cues
    left join tokens as first_token
        on
            cues.text_id = first_token.text_id
            and cues.sentence_number = first_token.sentence_number
            and cues.content_first = first_token.token_number
    left join tokens as listener_end
        on
            cues.text_id = listener_end.text_id
            and cues.sentence_number = listener_end.sentence_number
            and first_token.next_after_listener = listener_end.token_number
    left join tokens as before_last
        on
            cues.text_id = before_last.text_id
            and cues.sentence_number = before_last.sentence_number
            and cues.content_before = before_last.token_number
    left join tokens as before_end
        on
            cues.text_id = before_end.text_id
            and cues.sentence_number = before_end.sentence_number
            and cues.content_before - 1 = before_end.token_number
),

-- Where it ends: before the next stop, or at the end of the sentence (without its full stop).
-- The next attribution of the sentence whose source phrase starts after this content does (`While
-- Sanders admitted that …, his campaign has argued that …`): the content ends before it.
next_sources as (
    select
        started.text_id,
        started.sentence_number,
        started.cue_number,
        min(later.source_first) as next_source_first
    from started
    inner join cues as later
        on
            started.text_id = later.text_id
            and started.sentence_number = later.sentence_number
            and started.cue_number < later.cue_number
            and later.attribution_form = 'source_verb_content'
            and started.content_start < later.source_first
    inner join tokens as opener
        on
            later.text_id = opener.text_id
            and later.sentence_number = opener.sentence_number
            and later.source_first - 1 = opener.token_number
    where opener.is_separator or opener.token_key = ';'
    group by started.text_id, started.sentence_number, started.cue_number
),

-- The first content stop (int_sentence_tokens_marked.ends_content) at or after the content's start.
next_stops as (
    select
        started.text_id,
        started.sentence_number,
        started.cue_number,
        min(stops.token_number) as next_stop
    from started
    inner join tokens as stops
        on
            started.text_id = stops.text_id
            and started.sentence_number = stops.sentence_number
            and started.content_start <= stops.token_number
    where
        stops.ends_content
        -- the comma that closes the subordinate clause the cue opens with its source (`While he has
        -- said he opposes …, his administration …`)
        or (
            started.attribution_form = 'source_verb_content' and stops.closed_subordinator = started.source_first - 1
            and started.content_start < stops.token_number
        )
    group by started.text_id, started.sentence_number, started.cue_number
),

-- `Clinton, though she praised Garland and said Republicans should give him a hearing, notably
-- stopped short …`: the first comma of a content after its verb, when a verb with no subject follows
-- it, closes the insertion the attribution stood in, and the main clause goes on after it.
insertion_ends as (
    select
        started.text_id,
        started.sentence_number,
        started.cue_number,
        min(stops.token_number) as first_comma,
        min(case when stops.closes_insertion then stops.token_number end) as first_insertion_close
    from started
    inner join tokens as stops
        on
            started.text_id = stops.text_id
            and started.sentence_number = stops.sentence_number
            and started.content_start < stops.token_number
    where started.attribution_form in ('source_verb_content', 'participle') and stops.token_key = ','
    group by started.text_id, started.sentence_number, started.cue_number
),

ended as (
    select
        started.*,
        coalesce(
            started.content_last_before,
            least(
                next_stops.next_stop - 1, started.sentence_length, next_sources.next_source_first - 1,
                case
                    when insertion_ends.first_comma = insertion_ends.first_insertion_close
                        then insertion_ends.first_comma - 1
                end
            )
        ) as content_end_token
    from started
    left join next_stops
        on
            started.text_id = next_stops.text_id
            and started.sentence_number = next_stops.sentence_number
            and started.cue_number = next_stops.cue_number
    left join next_sources
        on
            started.text_id = next_sources.text_id
            and started.sentence_number = next_sources.sentence_number
            and started.cue_number = next_sources.cue_number
    left join insertion_ends
        on
            started.text_id = insertion_ends.text_id
            and started.sentence_number = insertion_ends.sentence_number
            and started.cue_number = insertion_ends.cue_number
),

measured as (
    select
        ended.text_id,
        ended.sentence_number,
        ended.cue_number,
        ended.content_start,
        ended.content_end_token,
        sum(case when tokens.token_kind = 'word' and tokens.token_number <= ended.content_end_token then 1 else 0 end)
            as content_words,
        sum(case when tokens.token_kind = 'quote' and tokens.token_number <= ended.content_end_token then 1 else 0 end)
            as content_quotes,
        sum(case when tokens.token_number <= ended.content_end_token then tokens.word_count else 0 end)
            as content_total_words,
        min(case when tokens.token_kind <> 'symbol' then tokens.token_number end) as first_word_number,
        max(case
            when
                tokens.token_kind <> 'symbol' and tokens.token_number <= ended.content_end_token
                then tokens.token_number
        end) as last_word_number,
        -- a colon in the content (`told the BBC: “…”`)
        coalesce(bool_or(tokens.token_key = ':' and tokens.token_number <= ended.content_end_token), false)
            as has_colon,
        -- a question mark in the content or right after it
        coalesce(bool_or(tokens.token_key = '?'), false) as has_question_mark,
        -- a finite verb in the content (an auxiliary or a past form after its first word)
        coalesce(bool_or(
            tokens.token_number <= ended.content_end_token
            and (tokens.is_auxiliary or (tokens.is_past_form and tokens.token_number > ended.content_start))
        ), false) as has_finite_verb,
        -- a subject pronoun among its first words (`in politics it takes time …`)
        coalesce(bool_or(
            tokens.token_number <= least(ended.content_end_token, ended.content_start + 5)
            and tokens.pronoun_refers_to is not null
        ), false) as has_early_pronoun,
        min(case
            when tokens.token_kind = 'quote' and tokens.token_number <= ended.content_end_token then tokens.token_start
        end) as quote_start_char,
        max(case
            when tokens.token_kind = 'quote' and tokens.token_number <= ended.content_end_token then tokens.token_end
        end) as quote_end_char
    from ended
    inner join tokens
        on
            ended.text_id = tokens.text_id
            and ended.sentence_number = tokens.sentence_number
            and tokens.token_number between ended.content_start and ended.content_end_token + 1
    group by ended.text_id, ended.sentence_number, ended.cue_number, ended.content_start, ended.content_end_token
),

bounded as (
    select
        ended.text_id,
        ended.sentence_number,
        ended.cue_number,
        ended.cue_text,
        ended.cue_lemma,
        ended.cue_kind,
        ended.cue_form,
        ended.cue_bare_content,
        ended.cue_takes_object,
        ended.cue_is_also_noun,
        ended.cue_start_char,
        ended.attribution_form,
        ended.has_that,
        ended.source_first,
        ended.source_last,
        measured.first_word_number as content_first,
        measured.last_word_number as content_last,
        first_word.token_start as content_start_char,
        last_word.token_end as content_end_char,
        measured.quote_start_char,
        measured.quote_end_char,
        ended.ends_with_colon,
        ended.preceding_quote_start,
        coalesce(measured.content_words, 0) as content_words,
        coalesce(measured.content_quotes, 0) as content_quotes,
        coalesce(measured.content_total_words, 0) as content_total_words,
        -- a direct quote's attribution: the content is one quotation, alone or after a few words of
        -- setting (`said on Tuesday: “…”`), or after a colon and a listener or a setting with no verb
        -- (`told the BBC: “…”`, `wrote in an email: “…”`); not a clause that holds a quoted fragment
        coalesce(
            measured.content_quotes = 1
            and (
                (
                    measured.content_words <= 2
                    and (first_word.token_kind = 'quote' or (first_word.is_preposition and not ended.has_that))
                )
                or (
                    measured.has_colon and measured.content_words <= 4 and not ended.has_that
                    and not measured.has_finite_verb and (ended.cue_takes_object or first_word.is_preposition)
                )
            ),
            false
        ) as is_quote_attribution,
        first_word.token_kind = 'quote' and measured.first_word_number = measured.last_word_number as is_one_quote,
        -- a question: a question mark, or an embedded question after the cue (`said how …`)
        coalesce(measured.has_question_mark, false)
        or (ended.content_first > 0 and coalesce(first_word.is_question_word, false)) as is_question,
        coalesce(first_word.is_preposition and not ended.has_that, false) as starts_with_preposition,
        first_word.token_key as content_first_key,
        -- a clause: it opens with a subject, not an auxiliary or a verb form (`that helped lay …` is a
        -- relative clause) nor, without `that`, a conjunction or preposition
        coalesce(
            not (
                first_word.is_auxiliary or first_word.is_past_form
                -- a gerund subject stays (`said ending foreign fund-raising … could gut programs`)
                or (first_word.is_ing_form and not measured.has_finite_verb)
            )
            and (
                ended.has_that
                or not (first_word.is_coordinator or (first_word.is_preposition and first_word.token_key <> 'to'))
            ),
            false
        ) as is_clause,
        -- and a finite one: a pronoun subject or a finite verb (`added 255,000 jobs in July` is none)
        coalesce(first_word.pronoun_refers_to is not null or measured.has_finite_verb, false) as is_finite_clause,
        ended.load_id
    from ended
    left join measured
        on
            ended.text_id = measured.text_id
            and ended.sentence_number = measured.sentence_number
            and ended.cue_number = measured.cue_number
    left join tokens as first_word
        on
            ended.text_id = first_word.text_id
            and ended.sentence_number = first_word.sentence_number
            and measured.first_word_number = first_word.token_number
    left join tokens as last_word
        on
            ended.text_id = last_word.text_id
            and ended.sentence_number = last_word.sentence_number
            and measured.last_word_number = last_word.token_number
)

select * from bounded
