-- int_person_mentions_found: one row per name cut from a run of capitalised words
-- (int_person_names_cut), per distinct paragraph text, with what it names. `entity_class`: person
-- when a title or honorific stands before the name or its first word is a given name (given_names
-- seed) and its last word is not an organisation or place word, or when it is two to four words
-- right after a lower-case role or title word with no entity word but the last (`co-chairman Liam
-- Fox`, though Fox is an organisation word), or a one-word run after a role noun that is no entity
-- word (`midfielder Edu`); else organisation, place, event or group when a word of
-- the run is such a word (entity_words seed) or an acronym, when it follows `of` after an
-- organisation word (`Ministry of Light Industry`) or stands right before or after a lower-case
-- organisation head (`the Trump campaign`, `anti-virus firm Trend Micro`); else unknown. One
-- capitalised word between a determiner (and maybe an adjective) and a lower-case word modifies it:
-- unknown before a role word (`the Tory leader`, `the local Tory co-chairman`), and no person for its
-- given name (`the Mac mini`, `the Milan side`).
--   `gender` from the given name (male / female when the census data is clear) or from a gendered
--   title (`Mrs.`, `Congresswoman`); `is_knighted`: `Sir` or `Dame` before it (person_titles
--   addressed_by: a later `Sir John` is `Sir John Bourn`); `is_bracketed`: the whole run in
--   brackets (`(Kurdistan 24)`); `is_possessive`, `appositive_role`, `is_in_opening_phrase` and
--   `opens_main_clause` are the run's.
-- Text-keyed: the mentions depend on the text alone.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

names as (
    select * from {{ ref('int_person_names_cut') }}
    where {{ new_texts_only() }}
),

classified as (
    select
        text_id,
        sentence_number,
        run_position,
        load_id,
        {{ regex_replace_all(
            'name_text', sql_string("(\\p{L}{2,})\\.$"), sql_string(regex_group(1))
        ) }} as person_name,
        title,
        has_honorific,
        is_knighted,
        name_word_count,
        cast(run_start + length(run_text) - length(name_text) as bigint) as char_start,
        cast(run_start + length(run_text) as bigint) as char_end,
        is_possessive,
        -- in brackets: `(Kurdistan 24)`
        length(name_text) = length(run_text)
        and char_before_run in ('(', '[') as is_bracketed,
        appositive_role,
        is_in_opening_phrase,
        opens_main_clause,
        case
            -- `The Tory leader said`, `a Clinton aide`: a modifier of a role word (person_titles)
            -- is no name
            when is_modifier and is_before_role_word then 'unknown'
            when (is_organisation_of or is_beside_organisation_head) and not has_title then 'organisation'
            -- `co-chairman Liam Fox`, `coach Wayne Bridge`: two to four words right after a lower-case
            -- role or title word name a person, even when the last is an organisation or place word;
            -- so does a whole one-word run right after a role noun (not a title: `miss Wimbledon`) that
            -- is no entity word or acronym (`midfielder Edu`, `boss Wenger`)
            when
                is_after_role_word and not has_title and name_word_count between 2 and 4
                and not has_inner_entity_word
                then 'person'
            when
                is_after_role_noun and not has_title and name_word_count = 1
                and {{ trim_chars('name_text', "'.'") }} = {{ trim_chars('run_text', "'.'") }}
                and head_entity_class is null and entity_word_class is null
                then 'person'
            when has_title and head_entity_class is null then 'person'
            -- a given name that modifies a noun is no person (`the Mac mini`)
            when given_name_gender is not null and head_entity_class is null and not is_modifier then 'person'
            when entity_word_class is not null then entity_word_class
            when event_class is not null then 'event'
            when is_group_or_event then 'group'
            else 'unknown'
        end as entity_class,
        coalesce(title_gender, nullif(given_name_gender, 'either')) as gender
    from names
)

select * from classified
