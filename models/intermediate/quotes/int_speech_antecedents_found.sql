-- int_speech_antecedents_found: one row per speech cue in a paragraph whose source is a pronoun or a
-- title phrase, or a participle in a sentence that opens with `he` or `she` (`He defended the
-- package, saying …`; int_speech_sources_found), with the person it refers to. Rules:
--   `he` / `she`: the most recent person before the cue (before its content, when a reported content
--   comes first: `…, he said`), in the same or earlier paragraphs, among
--   int_speech_referents_listed (sentence subjects and speaking phrases), whose gender, where the
--   name or role word tells it, agrees (`she` never resolves to a man, `he` may take a person of
--   unknown gender);
--   `it`, and a phrase that refers back (`the company`, not `the government`;
--   int_speech_sources_found.is_reference): the most recent organisation that spoke (`The Teamsters Union
--   said …. “…,” it said in a statement`; `Exxon Corp said …. The company said …`), else no one;
--   `the minister`: the most recent person with that title word in their title or role
--   (`Defense Minister Thabet al-Abbasi`); a title with none falls back to the pronoun rule, except
--   after a possessive (`His lawyer said`: someone else's lawyer, kept as written by the next step).
-- The people and the cues of an article are read as streams in reading order (windows), so the cost
-- stays linear in the article's length.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

sources as (
    select
        *,
        -- `his lawyer`, `her spokesman`: someone else's, never the person `his` refers to
        source_kind = 'title'
        and {{ regex_matches('source_phrase', sql_string("^(?i:his|her|its|their|our|my|your)[ \\t\\x{a0}]")) }}
            as is_possessed_title
    from {{ ref('int_speech_sources_found') }}
    where
        {{ from_new_loads() }}
        and (
            source_kind in ('pronoun', 'title')
            or (source_kind = 'participle' and pronoun_gender is not null)
            or (source_kind = 'phrase' and is_reference)
        )
),

mentions as (
    select * from {{ ref('int_person_mentions_resolved') }}
    where {{ in_batch('article_id', 'sources', 'load_id') }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

-- Which referents a pronoun can refer to (`she` a woman or a person of unknown gender, …).
agreements as (
    select * from {{ ref('pronoun_agreements') }}
),

referents as (
    select * from {{ ref('int_speech_referents_listed') }}
    where {{ in_batch('article_id', 'sources', 'load_id') }}
),

title_words as (
    {{ person_title_keys('person_titles', kinds=['title', 'role']) }}
),

-- Candidates (once per pronoun class they agree with) and pronoun cues in reading order; each cue
-- takes the last candidate of its class before it.
pronoun_stream as (
    select
        candidates.article_id,
        agreements.pronoun_class,
        candidates.paragraph_index,
        candidates.stream_position,
        candidates.full_name,
        candidates.person_role,
        candidates.is_named,
        cast(null as {{ type_name('varchar') }}) as paragraph_id,
        cast(null as integer) as sentence_number,
        cast(null as integer) as cue_number
    from referents as candidates
    inner join agreements
        on candidates.candidate_class = agreements.referent_class
    union all
    select
        article_id,
        case
            when pronoun_refers_to = 'organisation' or source_kind = 'phrase' then 'organisation'
            else coalesce(pronoun_gender, 'any')
        end as pronoun_class,
        paragraph_index,
        -- `The image portrayed Mr Howard as a hypnotist, he argued.`: `he` or `she` after a reported
        -- content refers to someone before it, not to a person the content names (a person's own cue
        -- inside the content is int_speech_sources_resolved's; a quotation names no referent); `it`
        -- may well be an organisation the content names (`The company's sales rose, it said`)
        case
            when {{ is_pronoun_after_content() }}
                then least(content_start_char, coalesce(stretch_start, cue_start_char))
            else coalesce(stretch_start, cue_start_char)
        end as stream_position,
        null as full_name,
        null as person_role,
        null as is_named,
        paragraph_id,
        sentence_number,
        cue_number
    from sources
),

pronoun_antecedents as (
    select
        paragraph_id,
        sentence_number,
        cue_number,
        antecedent_name,
        antecedent_role,
        antecedent_is_person
    from (
        select
            *,
            {{ last_non_null('full_name') }} over preceding as antecedent_name,
            {{ last_non_null("coalesce(person_role, '')") }} over preceding as antecedent_role,
            {{ last_non_null('is_named') }} over preceding as antecedent_is_person
        from pronoun_stream
        window preceding as (
            partition by article_id, pronoun_class
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
            when sources.source_kind = 'title' and title_antecedents.titled_name is not null
                then title_antecedents.titled_name
            when not sources.is_possessed_title then pronoun_antecedents.antecedent_name
        end as antecedent_name,
        nullif(case
            when sources.source_kind = 'title' and title_antecedents.titled_name is not null
                then title_antecedents.titled_role
            when not sources.is_possessed_title then pronoun_antecedents.antecedent_role
        end, '') as antecedent_role,
        case
            when sources.source_kind = 'title' and title_antecedents.titled_name is not null then true
            when sources.is_possessed_title then false
            else coalesce(pronoun_antecedents.antecedent_is_person, false)
        end as antecedent_is_person,
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
