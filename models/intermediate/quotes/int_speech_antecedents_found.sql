-- int_speech_antecedents_found: one row per speech cue in a paragraph whose source is a pronoun or a
-- title phrase, or a participle in a sentence that opens with `he` or `she` (`He defended the
-- package, saying …`; int_speech_sources_found), with the person it refers to. Rules:
--   `he` / `she`: the most recent person before the cue, in the same or earlier paragraphs, who was
--   the first person of a sentence (int_person_mentions_resolved.is_sentence_subject) and whose
--   gender, where the name or a title tells it, agrees (`she` never resolves to a man); places,
--   organisations, events and groups are never persons (int_person_mentions_found.entity_class);
--   `the minister`: the most recent person with that title word in their title or role
--   (`Defense Minister Thabet al-Abbasi`); a title with none falls back to the pronoun rule.
-- The people and the cues of an article are read as streams in reading order (windows), so the cost
-- stays linear in the article's length.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

sources as (
    select * from {{ ref('int_speech_sources_found') }}
    where
        {{ from_new_loads() }}
        and (source_kind in ('pronoun', 'title') or (source_kind = 'participle' and pronoun_gender is not null))
),

mentions as (
    select * from {{ ref('int_person_mentions_resolved') }}
    where {{ in_batch('article_id', 'sources', 'load_id') }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

title_words as (
    select distinct lower({{ trim_chars('title', "'.'") }}) as title_key
    from person_titles
    where title_kind in ('title', 'role')
),

subjects as (
    select
        article_id,
        paragraph_index,
        char_start as stream_position,
        full_name,
        coalesce(appositive_role, title) as person_role,
        gender
    from mentions
    where is_sentence_subject
),

-- Persons and pronoun cues in reading order; each cue takes the last agreeing person before it.
pronoun_stream as (
    select
        article_id,
        paragraph_index,
        stream_position,
        full_name,
        person_role,
        gender,
        cast(null as {{ type_name('varchar') }}) as paragraph_id,
        cast(null as integer) as sentence_number,
        cast(null as integer) as cue_number,
        cast(null as {{ type_name('varchar') }}) as pronoun_gender
    from subjects
    union all
    select
        article_id,
        paragraph_index,
        coalesce(stretch_start, cue_start_char) as stream_position,
        null as full_name,
        null as person_role,
        null as gender,
        paragraph_id,
        sentence_number,
        cue_number,
        coalesce(pronoun_gender, 'any') as pronoun_gender
    from sources
),

pronoun_antecedents as (
    select
        paragraph_id,
        sentence_number,
        cue_number,
        case pronoun_gender
            when 'male' then male_name
            when 'female' then female_name
            else any_name
        end as antecedent_name,
        case pronoun_gender
            when 'male' then male_role
            when 'female' then female_role
            else any_role
        end as antecedent_role
    from (
        select
            *,
            {{ last_non_null("case when gender is distinct from 'female' then full_name end") }}
                over preceding
                as male_name,
            {{ last_non_null("case when gender is distinct from 'female' then coalesce(person_role, '') end") }}
                over preceding
                as male_role,
            {{ last_non_null("case when gender is distinct from 'male' then full_name end") }}
                over preceding
                as female_name,
            {{ last_non_null("case when gender is distinct from 'male' then coalesce(person_role, '') end") }}
                over preceding
                as female_role,
            {{ last_non_null('full_name') }} over preceding as any_name,
            {{ last_non_null("coalesce(person_role, '')") }} over preceding as any_role
        from pronoun_stream
        window preceding as (
            partition by article_id
            order by paragraph_index, stream_position, sentence_number nulls first, cue_number nulls first
            rows between unbounded preceding and 1 preceding
        )
    ) as streamed
    where cue_number is not null
),

-- `the minister`: persons by each title word of their title or role, and the title cues.
role_words as (
    select
        article_id,
        paragraph_index,
        char_start,
        full_name,
        coalesce(appositive_role, title) as person_role,
        {{ explode_with_position(
            regex_split_list(
                "lower(concat(coalesce(title, ''), ' ', coalesce(appositive_role, '')))", sql_string("[^\\p{L}\\-]+")
            ),
            'role_word',
            'word_position'
        ) }}
    from mentions
    where is_person and not is_possessive and (title is not null or appositive_role is not null)
),

titled_persons as (
    select distinct
        role_words.article_id,
        role_words.paragraph_index,
        role_words.char_start as stream_position,
        role_words.full_name,
        role_words.person_role,
        title_words.title_key
    from role_words
    inner join title_words
        on role_words.role_word = title_words.title_key
),

title_stream as (
    select
        article_id,
        title_key,
        paragraph_index,
        stream_position,
        full_name,
        person_role,
        cast(null as {{ type_name('varchar') }}) as paragraph_id,
        cast(null as integer) as sentence_number,
        cast(null as integer) as cue_number
    from titled_persons
    union all
    select
        article_id,
        title_key,
        paragraph_index,
        stretch_start as stream_position,
        null as full_name,
        null as person_role,
        paragraph_id,
        sentence_number,
        cue_number
    from sources
    where source_kind = 'title'
),

title_antecedents as (
    select
        paragraph_id,
        sentence_number,
        cue_number,
        titled_name,
        titled_role
    from (
        select
            *,
            {{ last_non_null('full_name') }} over preceding as titled_name,
            {{ last_non_null("coalesce(person_role, '')") }} over preceding as titled_role
        from title_stream
        window preceding as (
            partition by article_id, title_key
            order by paragraph_index, stream_position, sentence_number nulls first, cue_number nulls first
            rows between unbounded preceding and 1 preceding
        )
    ) as streamed
    where cue_number is not null
),

antecedents as (
    select
        sources.paragraph_id,
        sources.article_id,
        sources.sentence_number,
        sources.cue_number,
        case
            when sources.source_kind = 'title'
                then coalesce(title_antecedents.titled_name, pronoun_antecedents.antecedent_name)
            else pronoun_antecedents.antecedent_name
        end as antecedent_name,
        nullif(case
            when sources.source_kind = 'title' and title_antecedents.titled_name is not null
                then title_antecedents.titled_role
            else pronoun_antecedents.antecedent_role
        end, '') as antecedent_role,
        sources.load_id
    from sources
    left join pronoun_antecedents
        on
            sources.paragraph_id = pronoun_antecedents.paragraph_id
            and sources.sentence_number = pronoun_antecedents.sentence_number
            and sources.cue_number = pronoun_antecedents.cue_number
    left join title_antecedents
        on
            sources.paragraph_id = title_antecedents.paragraph_id
            and sources.sentence_number = title_antecedents.sentence_number
            and sources.cue_number = title_antecedents.cue_number
)

select * from antecedents
