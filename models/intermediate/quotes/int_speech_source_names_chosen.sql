-- int_speech_source_names_chosen: one row per speech cue in a paragraph whose source stretch
-- (int_speech_source_phrases_cut) names a person, with the person who is its source
-- (int_speech_sources_found). Rules: a person not in the possessive and not naming whom the next
-- person of the stretch works for (`said Huckabee campaign spokesman Hogan Gidley` gives Hogan
-- Gidley; int_person_mentions_described.employee_start); before the verb the one nearest it (`On
-- Wednesday, Iraqi National Security Advisor Qasim al-Araji warned` gives Qasim al-Araji; `Clinton
-- spokesman Josh Schwerin said` gives Josh Schwerin), after it the first (`said Ahmed Nasrullah, top
-- commander …`); but before the verb the first where it opens its comma segment (title words
-- allowed: after `Still,` or `In the interview,`) and a description between commas follows it up to
-- the verb (or up to one lower-case word before it: `Mr. Trump, asked about … Mr. Putin, had
-- said`): `Tad Devine, a senior adviser to Mr. Sanders, said` gives Tad Devine, not Bernie
-- Sanders; `After losing to Lleyton Hewitt, Safin said` stays Safin.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

mentions as (
    select * from {{ ref('int_person_mentions_resolved') }}
    where {{ from_new_loads() }}
),

contents as (
    select * from {{ ref('int_speech_contents_opened') }}
    where {{ in_batch('text_id', 'mentions') }}
),

phrases as (
    select * from {{ ref('int_speech_source_phrases_cut') }}
    where {{ in_batch('text_id', 'mentions') }}
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ in_batch('text_id', 'mentions') }}
),

-- The persons of each cue's source stretch, in every paragraph that carries the text.
stretch_persons as (
    select
        mentions.paragraph_id,
        mentions.article_id,
        mentions.load_id,
        contents.text_id,
        contents.sentence_number,
        contents.cue_number,
        contents.attribution_form,
        contents.cue_start_char,
        phrases.stretch_start,
        mentions.char_start,
        mentions.char_end,
        mentions.full_name,
        coalesce(mentions.appositive_role, mentions.title) as person_role,
        -- before the verb the person nearest it comes first, after it the first person
        case
            when contents.attribution_form in ('source_verb_content', 'content_source_verb') then -mentions.char_start
            else mentions.char_start
        end as nearness
    from contents
    inner join phrases
        on
            contents.text_id = phrases.text_id
            and contents.sentence_number = phrases.sentence_number
            and contents.cue_number = phrases.cue_number
    inner join mentions
        on
            phrases.text_id = mentions.text_id
            and phrases.sentence_number = mentions.sentence_number
            and phrases.stretch_start <= mentions.char_start
            and phrases.stretch_end > mentions.char_start
    where
        mentions.is_person
        and not mentions.is_possessive
        and coalesce(mentions.employee_start >= phrases.stretch_end, true)
),

-- The nearest person and the first one of each stretch (a role of '' for none, which arg_min keeps).
stretch_choices as (
    select
        paragraph_id,
        article_id,
        load_id,
        text_id,
        sentence_number,
        cue_number,
        attribution_form,
        cue_start_char,
        stretch_start,
        {{ arg_min('full_name', 'nearness') }} as nearest_name,
        {{ arg_min("coalesce(person_role, '')", 'nearness') }} as nearest_role,
        min(char_start) as first_start,
        {{ arg_min('char_end', 'char_start') }} as first_end,
        {{ arg_min('full_name', 'char_start') }} as first_name,
        {{ arg_min("coalesce(person_role, '')", 'char_start') }} as first_role
    from stretch_persons
    group by
        paragraph_id, article_id, load_id, text_id, sentence_number, cue_number, attribution_form,
        cue_start_char, stretch_start
),

-- Where the first person before the verb heads a description between commas.
described as (
    select
        stretch_choices.paragraph_id,
        stretch_choices.sentence_number,
        stretch_choices.cue_number
    from stretch_choices
    inner join sentences
        on
            stretch_choices.text_id = sentences.text_id
            and stretch_choices.sentence_number = sentences.sentence_number
    where
        stretch_choices.attribution_form = 'source_verb_content'
        -- it opens its comma segment: only capitalised (title) words after the last comma before it
        and {{ regex_matches(
            "substr(sentences.sentence_text, stretch_choices.stretch_start - sentences.char_start + 1,"
            ~ " stretch_choices.first_start - stretch_choices.stretch_start)",
            sql_string("^(?:.*,[ \\t\\x{a0}]+)?(?:\\p{Lu}[\\p{L}.\\-]*[ \\t\\x{a0}]+)*$")
        ) }}
        -- a comma, a description and a comma follow it up to the verb, or up to one lower-case word
        -- before it (`Mr. Trump, asked about …, had said`; not `…, who has said`)
        and {{ regex_matches(
            "substr(sentences.sentence_text, stretch_choices.first_end - sentences.char_start + 1,"
            ~ " stretch_choices.cue_start_char - stretch_choices.first_end)",
            sql_string("^,.*[^ ].*,(?:[ \\t\\x{a0}]+\\p{Ll}+)?[ \\t\\x{a0}]*$")
        ) }}
),

final as (
    select
        stretch_choices.paragraph_id,
        stretch_choices.article_id,
        stretch_choices.sentence_number,
        stretch_choices.cue_number,
        case
            when described.cue_number is not null then stretch_choices.first_name
            else stretch_choices.nearest_name
        end as named_speaker,
        nullif(case
            when described.cue_number is not null then stretch_choices.first_role
            else stretch_choices.nearest_role
        end, '') as named_role,
        stretch_choices.load_id
    from stretch_choices
    left join described
        on
            stretch_choices.paragraph_id = described.paragraph_id
            and stretch_choices.sentence_number = described.sentence_number
            and stretch_choices.cue_number = described.cue_number
)

select * from final
