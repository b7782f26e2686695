-- int_speech_contents_parsed: one row per speech cue content (int_speech_contents_opened) with how
-- its clause opens, read from its tokens (int_sentence_tokens_marked). Rules:
--   opens_with_subject_verb  the content opens with a subject pronoun that no object word follows
--                            (`announced he will step down`; not `explained it this way`), or a
--                            finite verb (an auxiliary, or a past form not after a determiner)
--                            stands among its second to fifth words with no preposition, relative
--                            or question word, subordinator, complementizer, -ing form, cue,
--                            punctuation or quotation before it (`noted the borders are secured`);
--                            `announced a revised plan`, `noted the decline in jobs` do not: so that
--                            a verb that takes no bare clause can take one that plainly is a clause;
--   is_adjunct               it opens with a subordinator and holds no comma: a subordinate clause
--                            alone (`said as she turned around`), not a content.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

contents as (
    select * from {{ ref('int_speech_contents_opened') }}
    where {{ new_texts_only() }}
),

tokens as (
    select * from {{ ref('int_sentence_tokens_marked') }}
    where {{ in_batch('text_id', 'contents', 'load_id') }}
),

-- In the content's first five tokens, the first finite verb after its first word and the first word
-- that shows no clause opens there; over the content, its first word and whether it holds a comma.
opening as (
    select
        contents.text_id,
        contents.sentence_number,
        contents.cue_number,
        min(case
            when
                tokens.token_number between contents.content_first + 1 and contents.content_first + 4
                and (tokens.is_auxiliary or (tokens.is_past_form and not tokens.after_determiner))
                then tokens.token_number
        end) as verb_number,
        min(case
            when
                tokens.token_number <= contents.content_first + 4
                and (
                    tokens.is_preposition or tokens.is_relative_word or tokens.is_complementizer
                    or tokens.is_question_word or tokens.is_embedding_word or tokens.is_subordinator
                    or tokens.is_ing_form or tokens.cue_kind is not null
                    or tokens.token_kind <> 'word'
                )
                then tokens.token_number
        end) as block_number,
        coalesce(bool_or(
            tokens.token_number = contents.content_first
            and tokens.pronoun_refers_to is not null and tokens.pronoun_refers_to <> 'expletive'
        ), false) as opens_with_pronoun,
        -- `explained it this way`, `called it “…”`: a pronoun before a determiner, a preposition, a
        -- name or a quotation is an object
        coalesce(bool_or(
            tokens.token_number = contents.content_first + 1
            and (
                tokens.is_determiner or tokens.is_preposition or tokens.is_capitalised
                or tokens.token_kind <> 'word'
            )
        ), false) as object_follows_first,
        coalesce(bool_or(tokens.token_number = contents.content_first and tokens.is_subordinator), false)
            as opens_with_subordinator,
        coalesce(bool_or(tokens.token_key = ','), false) as has_comma
    from contents
    inner join tokens
        on
            contents.text_id = tokens.text_id
            and contents.sentence_number = tokens.sentence_number
            and tokens.token_number between contents.content_first and contents.content_last
    group by contents.text_id, contents.sentence_number, contents.cue_number
),

parsed as (
    select
        contents.text_id,
        contents.sentence_number,
        contents.cue_number,
        coalesce(
            (opening.opens_with_pronoun and not opening.object_follows_first)
            or opening.verb_number < coalesce(opening.block_number, 1000000),
            false
        ) as opens_with_subject_verb,
        -- `said as she turned around`: a subordinate clause and nothing after it is an adjunct
        coalesce(opening.opens_with_subordinator and not opening.has_comma, false) as is_adjunct,
        contents.load_id
    from contents
    left join opening
        on
            contents.text_id = opening.text_id
            and contents.sentence_number = opening.sentence_number
            and contents.cue_number = opening.cue_number
)

select * from parsed
