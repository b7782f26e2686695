-- int_speech_sources_resolved: one row per speech cue in a paragraph with its speaker. Rules:
--   named      the person named in the source phrase, in the fullest form of the article;
--   pronoun,   the person the pronoun or title refers to (int_speech_antecedents_found); a title
--   title      that refers to no one stays as written (`His lawyer`); `he` / `she` after a reported
--              content that holds a person's cue of its own takes that person (`…, says David
--              Palmiter, …. Sure, it can be challenging, but “…,” he says.`);
--   phrase     the source as written (`Iraq’s interior ministry`, `United Nations figures`); `the
--              company` (an organisation word that refers back) the organisation it refers to, if any;
--   participle `…, saying …` (and a verb coordinated with the one before: `… and said`): the speaker
--              of the cue before it in the same sentence, else the first person of the sentence,
--              else the person its opening `he` / `she` refers to, else its opening phrase (never a
--              pronoun or other function words: `It`, `He` unresolved name no one).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

-- Read twice below (every cue, and the sentences with a participle): inlined.
sources as {{ inline_cte() }} (
    select * from {{ ref('int_speech_sources_found') }}
    where {{ from_new_loads() }}
),

antecedents as (
    select * from {{ ref('int_speech_antecedents_found') }}
    where {{ in_batch('article_id', 'sources', 'load_id') }}
),

speakers as {{ inline_cte() }} (
    select
        sources.*,
        case
            when sources.source_kind = 'named' then sources.named_speaker
            when sources.source_kind = 'pronoun' then antecedents.antecedent_name
            -- a title no one holds stays as written (`His lawyer`)
            when sources.source_kind = 'title' then coalesce(antecedents.antecedent_name, sources.source_phrase)
            when sources.source_kind = 'phrase' then coalesce(antecedents.antecedent_name, sources.source_phrase)
        end as own_speaker,
        case
            when sources.source_kind = 'named' then sources.named_role
            when sources.source_kind in ('pronoun', 'title') then antecedents.antecedent_role
        end as own_role,
        sources.source_kind = 'named'
        or (sources.source_kind in ('pronoun', 'title') and coalesce(antecedents.antecedent_is_person, false))
            as own_is_person,
        -- a participle's sentence that opens with `he` / `she`: the person it refers to
        case when sources.source_kind = 'participle' then antecedents.antecedent_name end as subject_name,
        case when sources.source_kind = 'participle' then antecedents.antecedent_role end as subject_role,
        case when sources.source_kind = 'participle' then antecedents.antecedent_is_person end as subject_is_person,
        {{ is_pronoun_after_content('sources') }} as is_pronoun_after_content
    from sources
    left join antecedents
        on
            sources.paragraph_id = antecedents.paragraph_id
            and sources.sentence_number = antecedents.sentence_number
            and sources.cue_number = antecedents.cue_number
),

-- A participle, and a pronoun after a reported content, take the speaker of the cue before them in
-- their sentence: windows over the cues of the sentences that have one, kept at those cues.
participle_sentences as (
    select distinct
        paragraph_id,
        sentence_number
    from speakers
    where source_kind = 'participle' or is_pronoun_after_content
),

clauses as (
    select
        speakers.paragraph_id,
        speakers.sentence_number,
        speakers.cue_number,
        speakers.source_kind,
        speakers.is_pronoun_after_content,
        {{ last_non_null("case when speakers.source_kind <> 'participle' then speakers.own_speaker end") }}
            over sentence_before as clause_speaker,
        {{ last_non_null("case when speakers.source_kind <> 'participle' then coalesce(speakers.own_role, '') end") }}
            over sentence_before as clause_role,
        {{ last_non_null(
            "case when speakers.source_kind <> 'participle' and speakers.own_speaker is not null"
            ~ " then speakers.own_is_person end"
        ) }} over sentence_before as clause_is_person
    from speakers
    inner join participle_sentences
        on
            speakers.paragraph_id = participle_sentences.paragraph_id
            and speakers.sentence_number = participle_sentences.sentence_number
    window sentence_before as (
        partition by speakers.paragraph_id, speakers.sentence_number
        order by speakers.cue_number
        rows between unbounded preceding and 1 preceding
    )
),

resolved as (
    select
        speakers.*,
        clauses.clause_speaker,
        clauses.clause_role,
        clauses.clause_is_person
    from speakers
    left join clauses
        on
            speakers.paragraph_id = clauses.paragraph_id
            and speakers.sentence_number = clauses.sentence_number
            and speakers.cue_number = clauses.cue_number
            and (clauses.source_kind = 'participle' or clauses.is_pronoun_after_content)
),

final as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        text_id,
        sentence_number,
        cue_number,
        cue_text,
        cue_lemma,
        cue_kind,
        cue_form,
        cue_bare_content,
        cue_is_also_noun,
        attribution_form,
        has_that,
        source_kind,
        content_first,
        content_last,
        content_start_char,
        content_end_char,
        content_words,
        content_quotes,
        content_total_words,
        is_quote_attribution,
        is_one_quote,
        is_question,
        starts_with_preposition,
        content_first_key,
        is_clause,
        is_finite_clause,
        quote_start_char,
        quote_end_char,
        ends_with_colon,
        preceding_quote_start,
        case
            when source_kind = 'participle'
                then coalesce(clause_speaker, named_speaker, subject_name, source_phrase)
            when clause_is_person then clause_speaker
            else own_speaker
        end as speaker_name,
        case
            when source_kind = 'participle' and clause_speaker is not null then nullif(clause_role, '')
            when source_kind = 'participle' and named_speaker is not null then named_role
            when source_kind = 'participle' then subject_role
            when clause_is_person then nullif(clause_role, '')
            else own_role
        end as speaker_role,
        case
            when source_kind = 'participle'
                then coalesce(clause_is_person, named_speaker is not null or coalesce(subject_is_person, false))
            else coalesce(clause_is_person, false) or own_is_person
        end as is_person_speaker,
        load_id
    from resolved
)

select * from final
