-- int_person_mentions_resolved: one row per mention outside quotation marks in a paragraph
-- (int_person_mentions_found, given to every paragraph that carries its text), with `full_name`, the
-- fullest form of the name in the article: a surname alone (`Miri`, `Mr. Clyburn`) takes the closest
-- earlier full name with the same surname key, else the first later one (a knight named by the
-- given name, `Sir John`, the one of a knight with that given name: `Sir John Bourn`). `is_person`
-- holds for a person (a title, an honorific or a given name) and for a full name or surname of a full
-- name that no entity word marks as an organisation, place, event or group; `gender` is the one any mention of
-- the same full name gives (male, female or null). `is_sentence_subject` marks the first person of
-- its sentence not in the possessive (`Clinton’s campaign manager Robby Mook` gives Mook) nor naming
-- an employer (`Clinton campaign manager Robby Mook` gives Mook) nor in an opening phrase before the
-- person who opens the clause (`After losing to Lleyton Hewitt, Safin said` gives Safin;
-- int_name_runs_found), the usual antecedent of `he`/`she`.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

found as (
    select * from {{ ref('int_person_mentions_described') }}
    where not is_quoted
),

-- Knights only (read apart, so the other mentions are read once)
knights_found as (
    select * from {{ ref('int_person_mentions_described') }}
    where not is_quoted and given_name_key is not null and is_name_like
),

-- Read twice below (names and the rest): inlined, each read filters `found` first.
mentions as {{ inline_cte() }} (
    select
        paragraphs.paragraph_id,
        paragraphs.article_id,
        paragraphs.paragraph_index,
        paragraphs.text_id,
        paragraphs.load_id,
        found.sentence_number,
        found.run_position,
        found.char_start,
        found.char_end,
        found.person_name,
        found.title,
        found.has_honorific,
        found.entity_class,
        found.gender,
        found.is_full_name and found.is_name_like as is_full_name,
        found.is_possessive,
        found.is_name_like,
        found.surname_key,
        found.appositive_role,
        found.employee_start,
        found.is_in_opening_phrase,
        found.opens_main_clause
    from paragraphs
    inner join found
        on paragraphs.text_id = found.text_id
),

-- The closest earlier full name of the same surname in the article (the mention itself when it is
-- one), else the first later one: windows over the article's names of that surname (only a name
-- takes a full name, and only names are full names, so the other mentions stay out of the sort).
matched as (
    select
        *,
        coalesce(
            {{ last_non_null('case when is_full_name then person_name end') }} over (
                partition by article_id, surname_key
                order by paragraph_index, char_start
                rows between unbounded preceding and current row
            ),
            {{ first_non_null('case when is_full_name then person_name end') }} over (
                partition by article_id, surname_key
                order by paragraph_index, char_start
                rows between current row and unbounded following
            )
        ) as matched_full_name
    from mentions
    where is_name_like
    union all
    select
        *,
        cast(null as {{ type_name('varchar') }}) as matched_full_name
    from mentions
    where not is_name_like
),

-- `Sir John` after `Sir John Bourn`: a knight named by the given name alone is the closest earlier
-- full name of a knight with that given name in the article, else the first later one.
knight_mentions as (
    select
        paragraphs.article_id,
        paragraphs.paragraph_id,
        knights_found.sentence_number,
        knights_found.run_position,
        knights_found.person_name,
        knights_found.is_full_name,
        knights_found.given_name_key,
        cast(paragraphs.paragraph_index as bigint) * 1000000000 + knights_found.char_start as text_position
    from paragraphs
    inner join knights_found
        on paragraphs.text_id = knights_found.text_id
),

knight_names as (
    select
        given_name.paragraph_id,
        given_name.sentence_number,
        given_name.run_position,
        {{ arg_min(
            'full_name.person_name',
            'case when full_name.text_position <= given_name.text_position '
            ~ 'then given_name.text_position - full_name.text_position '
            ~ 'else 1000000000000000000 - given_name.text_position + full_name.text_position end'
        ) }} as knight_full_name
    from knight_mentions as given_name
    inner join knight_mentions as full_name
        on
            given_name.article_id = full_name.article_id
            and given_name.given_name_key = full_name.given_name_key
    where not given_name.is_full_name and full_name.is_full_name
    group by given_name.paragraph_id, given_name.sentence_number, given_name.run_position
),

resolved as (
    select
        matched.*,
        case
            when matched.is_name_like
                then coalesce(knight_names.knight_full_name, matched.matched_full_name, matched.person_name)
            else matched.person_name
        end as full_name,
        matched.is_name_like
        and (
            matched.entity_class = 'person'
            or matched.is_full_name
            or (matched.matched_full_name is not null and matched.entity_class = 'unknown')
            or matched.has_honorific
            or matched.title is not null
        ) as is_person
    from matched
    left join knight_names
        on
            matched.paragraph_id = knight_names.paragraph_id
            and matched.sentence_number = knight_names.sentence_number
            and matched.run_position = knight_names.run_position
),

-- A person's gender, from any mention of the same full name in the article (none when they disagree).
genders as (
    select
        article_id,
        full_name,
        case when min(gender) = max(gender) then min(gender) end as full_name_gender
    from resolved
    where is_person and gender is not null
    group by article_id, full_name
),

-- The first person of each sentence not in the possessive and not naming whom the next one works
-- for: its start (mentions start at distinct characters of a paragraph); after an opening phrase
-- (`After losing to Lleyton Hewitt, Safin said`) the first person of the clause, where one opens it.
subject_candidates as (
    select
        paragraph_id,
        sentence_number,
        min(char_start) as first_start,
        {{ aggregate_where('min', 'char_start', 'not is_in_opening_phrase') }} as clause_first_start,
        coalesce(bool_or(opens_main_clause), false) as has_clause_subject
    from resolved
    where is_person and not is_possessive and employee_start is null
    group by paragraph_id, sentence_number
),

subjects as (
    select
        paragraph_id,
        sentence_number,
        case when has_clause_subject then clause_first_start else first_start end as subject_start
    from subject_candidates
),

flagged as (
    select
        resolved.paragraph_id,
        resolved.article_id,
        resolved.paragraph_index,
        resolved.text_id,
        resolved.sentence_number,
        resolved.run_position,
        resolved.char_start,
        resolved.char_end,
        resolved.person_name,
        resolved.full_name,
        resolved.title,
        resolved.appositive_role,
        resolved.employee_start,
        resolved.surname_key,
        resolved.entity_class,
        genders.full_name_gender as gender,
        resolved.is_person,
        resolved.is_possessive,
        resolved.is_person and not resolved.is_possessive
        and resolved.char_start = subjects.subject_start as is_sentence_subject,
        resolved.load_id
    from resolved
    left join subjects
        on
            resolved.paragraph_id = subjects.paragraph_id
            and resolved.sentence_number = subjects.sentence_number
    left join genders
        on
            resolved.article_id = genders.article_id
            and resolved.full_name = genders.full_name
)

select * from flagged
