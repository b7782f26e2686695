-- int_speech_contents_bounded: one row per speech cue (int_speech_cues_formed) with the stretch of the
-- sentence its content takes, as token numbers (content_start, content_end_token). Rules:
--   content after the cue starts after `that`, else after time words and adverbs (`said Tuesday …`)
--   and, for a verb that takes a listener (`told reporters he …`; a determiner and a name before a
--   pronoun: `told the BBC they …`), after the listener; it ends before the first of: `;`, `, saying`/
--   `, adding` (a participle: a new attribution), `, according to`,
--   `and said` or `and others have said` (a second speech act; a clause after `, while`, `, although`
--   or `, which` stays in the content unless it holds a later attribution: `…, while the Liberal
--   Democrats claimed …`), a quotation closed by its own comma and followed by a participle (`“…
--   history,” dismissing …`), the comma that closes the subordinate clause the source opens (`While he has said
--   he opposes …, his administration …`), the content's first comma when a verb with no subject
--   follows it (`Sanders, who … said he would campaign with him, ultimately did not …`: it closes
--   the insertion the attribution stood in), the end of the sentence;
--   content before the attribution runs from the start of its clause (the sentence, or after `;` or
--   `:`) to the comma or quotation before the source phrase.
-- Its first and last word, offsets, what it holds and how it opens are the next step's
-- (int_speech_contents_opened).
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
    -- a listener may be a determiner and a name when a pronoun follows it (`told the BBC they …`)
    left join tokens as second_token
        on
            cues.text_id = second_token.text_id
            and cues.sentence_number = second_token.sentence_number
            and cues.content_first + 1 = second_token.token_number
    left join tokens as after_name
        on
            cues.text_id = after_name.text_id
            and cues.sentence_number = after_name.sentence_number
            and second_token.next_after_listener = after_name.token_number
    left join tokens as listener_end
        on
            cues.text_id = listener_end.text_id
            and cues.sentence_number = listener_end.sentence_number
            and case
                when
                    first_token.is_determiner and second_token.is_capitalised
                    and after_name.pronoun_refers_to is not null
                    then second_token.next_after_listener
                else first_token.next_after_listener
            end = listener_end.token_number
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
-- Sanders admitted that …, his campaign has argued that …`, `…, while the Liberal Democrats claimed
-- …`): the content ends before it.
next_sources as (
    select
        started.text_id,
        started.sentence_number,
        started.cue_number,
        -- where the next attribution's clause opens: its separator, or its `while`/`but` after a comma
        min(
            case
                when opener.is_separator or opener.token_key = ';' then later.source_first
                else later.source_first - 1
            end
        ) as next_source_first
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
    left join tokens as before_opener
        on
            later.text_id = before_opener.text_id
            and later.sentence_number = before_opener.sentence_number
            and later.source_first - 2 = before_opener.token_number
    where
        opener.is_separator or opener.token_key = ';'
        -- `…, while the Liberal Democrats claimed …`, `…, but aides said …`
        or (
            (opener.is_contrast_subordinator or opener.token_key in ('but', 'yet'))
            and coalesce(before_opener.is_separator, false)
        )
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

bounded as (
    select
        text_id,
        sentence_number,
        cue_number,
        cue_text,
        cue_lemma,
        cue_kind,
        cue_form,
        cue_bare_content,
        cue_takes_object,
        cue_is_also_noun,
        cue_start_char,
        attribution_form,
        has_that,
        source_first,
        source_last,
        content_first as cue_content_first,
        ends_with_colon,
        preceding_quote_start,
        content_start,
        content_end_token,
        load_id
    from ended
)

select * from bounded
