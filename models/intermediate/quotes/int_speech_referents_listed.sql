-- int_speech_referents_listed: one row per person or organisation a later pronoun of a speech cue
-- can refer to (int_speech_antecedents_found), in reading order. Rules:
--   a person who is the first person of a sentence (int_person_mentions_resolved.is_sentence_subject),
--   with the gender the name or a title tells; places, organisations, events and groups are never
--   persons (int_person_mentions_found.entity_class);
--   the source of a speech cue given as a phrase (int_speech_sources_found: source_kind `phrase`),
--   as written, when its last word heads it: a role or title word (person_titles, any case: `A
--   Network Rail spokesman`, gender from the word) makes a person unless the phrase is definite
--   without a possessive (`The Ohio governor` names someone met before; `the minister’s spokesman`
--   is someone new); an organisation word (entity_words, as written there: `The Teamsters Union`,
--   not `the polls`) an organisation, and so does a phrase that is a name of an organisation
--   (int_person_mentions_found.entity_class: `OII`, `The EIA`); `the company` (a phrase that refers
--   back: int_speech_sources_found.is_reference) names the one that spoke before it, and is a
--   candidate itself only when none did.
-- candidate_class is the person's gender (`male`, `female`, `unknown`) or `organisation`;
-- is_named tells a named person from a phrase.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

speech_sources as (
    select * from {{ ref('int_speech_sources_found') }}
    where {{ from_new_loads() }}
),

mentions as (
    select * from {{ ref('int_person_mentions_resolved') }}
    where {{ in_batch('article_id', 'speech_sources', 'load_id') }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

entity_words as (
    select * from {{ ref('entity_words') }}
),

-- Sources of speech cues given as a phrase (`A Network Rail spokesman`, `The Teamsters Union`), with
-- the word that heads them (their last word).
phrase_sources as (
    select
        article_id,
        paragraph_id,
        sentence_number,
        paragraph_index,
        coalesce(stretch_start, cue_start_char) as stream_position,
        source_phrase,
        {{ regex_extract('source_phrase', sql_string("(\\p{L}+)[^\\p{L}]*$"), 1) }} as head_word,
        {{ regex_replace_all('source_phrase', sql_string("^(?i:the) "), "''") }} as phrase_name,
        -- `The Ohio governor` names a person met before; `a spokesman`, `the minister’s spokesman` not
        {{ regex_matches('source_phrase', sql_string("^(?i:the|this|that) ")) }}
        and not {{ regex_matches('source_phrase', sql_string("[’']s? ")) }} as is_definite,
        is_reference,
        load_id
    from speech_sources
    where source_kind = 'phrase'
),

subjects as (
    select
        article_id,
        paragraph_index,
        char_start as stream_position,
        full_name,
        coalesce(appositive_role, title) as person_role,
        gender,
        load_id
    from mentions
    where is_sentence_subject
),

-- A phrase headed by a role word (person_titles, in any case) speaks for a person, one headed by an
-- organisation word (entity_words, as written there: `Union`, `union`, not `Polls` for `the polls`)
-- for the organisation.
role_heads as (
    {{ person_title_keys('person_titles', kinds=['title', 'role']) }}
),

organisation_heads as (
    select word as head_word
    from entity_words
    where entity_class = 'organisation'
),

-- Names of the sentence that name an organisation (`OII`, `American Honda Motor Co`).
organisation_names as (
    select distinct
        paragraph_id,
        sentence_number,
        person_name as organisation_name
    from mentions
    where entity_class = 'organisation'
),

phrase_candidates as (
    select
        phrase_sources.article_id,
        phrase_sources.paragraph_index,
        phrase_sources.stream_position,
        phrase_sources.source_phrase,
        phrase_sources.is_reference,
        phrase_sources.load_id,
        max(case when not phrase_sources.is_definite then role_heads.title_gender end) as gender,
        case
            when max(case when not phrase_sources.is_definite then role_heads.title_key end) is not null
                then 'person'
            when max(organisation_heads.head_word) is not null or max(organisation_names.organisation_name) is not null
                then 'organisation'
        end as candidate_kind
    from phrase_sources
    left join role_heads
        on lower(phrase_sources.head_word) = role_heads.title_key
    left join organisation_heads
        on phrase_sources.head_word = organisation_heads.head_word
    -- a phrase that is an organisation's name (after `the`) is that organisation
    left join organisation_names
        on
            phrase_sources.paragraph_id = organisation_names.paragraph_id
            and phrase_sources.sentence_number = organisation_names.sentence_number
            and phrase_sources.phrase_name = organisation_names.organisation_name
    group by
        phrase_sources.article_id, phrase_sources.paragraph_index, phrase_sources.stream_position,
        phrase_sources.source_phrase, phrase_sources.is_reference, phrase_sources.load_id
),

-- How many organisations spoke before each phrase (`the company` refers to the last one).
counted_candidates as (
    select
        *,
        coalesce(sum(case when candidate_kind = 'organisation' and not is_reference then 1 else 0 end) over (
            partition by article_id
            order by paragraph_index, stream_position
            rows between unbounded preceding and 1 preceding
        ), 0) as organisations_before
    from phrase_candidates
),

referents as (
    select
        article_id,
        paragraph_index,
        stream_position,
        full_name,
        person_role,
        coalesce(gender, 'unknown') as candidate_class,
        true as is_named,
        load_id
    from subjects
    union all
    select
        article_id,
        paragraph_index,
        stream_position,
        source_phrase as full_name,
        null as person_role,
        case when candidate_kind = 'organisation' then 'organisation' else coalesce(gender, 'unknown') end
            as candidate_class,
        false as is_named,
        load_id
    from counted_candidates
    where candidate_kind is not null and not (is_reference and organisations_before > 0)
)

select * from referents
