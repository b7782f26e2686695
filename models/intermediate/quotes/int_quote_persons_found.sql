-- int_quote_persons_found: one row per direct quote (int_quotes_placed, with the columns of it that
-- int_quotes_attributed reads) and the persons around it that may have said it. Rules:
--   `subject_speaker`: the first person named in the quote's sentence before it (the speaker of a
--   partial quote that no cue attributes: `Trump blasted Disney for its “outrageous practices”`);
--   `verbless_speaker`: a person right after a dash that follows the quote (`“…” ― NAME`), or named
--   before a colon that introduces it (`NAME, ROLE: “…”`; after the clause's last comma first:
--   `When Wallace died, President Clinton released the following statement:` names Clinton).
-- Persons are read only in the quote's own sentence (and the few characters after it), and each
-- quote finds the next person after a point in one pass over the paragraph's mentions and quotes in
-- text order, so the cost stays linear however many quotes and names a paragraph holds.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

judged as (
    select * from {{ ref('int_quotes_placed') }}
    where {{ from_new_loads() }}
),

mentions as (
    select * from {{ ref('int_person_mentions_resolved') }}
    where {{ in_batch('article_id', 'judged', 'load_id') }}
),

persons as (
    select * from mentions
    where is_person
),

-- The first person of the quote's sentence, when it stands before the quote.
subjects as (
    select
        judged.quote_id,
        persons.full_name as subject_speaker,
        coalesce(persons.appositive_role, persons.title) as subject_role
    from judged
    inner join persons
        on
            judged.paragraph_id = persons.paragraph_id
            and judged.sentence_number = persons.sentence_number
            and persons.is_sentence_subject
    where persons.char_start < judged.open_position
),

-- Probes in text order: after the last comma before a colon-introduced quote (the first person
-- after it, before the quote, in its sentence, introduced it), and after a closing mark that a dash
-- follows (the first person within seven characters signed it).
dashed_quotes as (
    select
        quote_id,
        last_paragraph_id as paragraph_id,
        close_position
    from judged
    where has_dash_after
),

stream as (
    select
        paragraph_id,
        char_start as stream_position,
        0 as event_order,
        sentence_number,
        char_start as person_start,
        full_name as person_name,
        coalesce(appositive_role, title) as person_role,
        not is_possessive as is_speaker_form,
        cast(null as {{ type_name('varchar') }}) as quote_id,
        cast(null as {{ type_name('varchar') }}) as probe
    from persons
    union all
    select
        paragraph_id,
        clause_tail_start as stream_position,
        1 as event_order,
        null as sentence_number,
        null as person_start,
        null as person_name,
        null as person_role,
        null as is_speaker_form,
        quote_id,
        'colon' as probe
    from judged
    where is_colon_introduced
    union all
    select
        paragraph_id,
        close_position as stream_position,
        1 as event_order,
        null as sentence_number,
        null as person_start,
        null as person_name,
        null as person_role,
        null as is_speaker_form,
        quote_id,
        'dash' as probe
    from dashed_quotes
),

next_persons as (
    select
        quote_id,
        probe,
        -- a colon's speaker is no possessive (`Trump’s spokesman`); a dash signs with any name
        {{ first_non_null("case when is_speaker_form then person_start end") }} over after_me as speaker_start,
        {{ first_non_null("case when is_speaker_form then sentence_number end") }} over after_me as speaker_sentence,
        {{ first_non_null("case when is_speaker_form then person_name end") }} over after_me as speaker_name,
        {{ first_non_null('person_start') }} over after_me as signer_start,
        {{ first_non_null('person_name') }} over after_me as signer_name,
        {{ first_non_null('person_role') }} over after_me as signer_role
    from stream
    window after_me as (
        partition by paragraph_id
        order by stream_position, event_order
        rows between 1 following and unbounded following
    )
),

found as (
    select
        judged.quote_id,
        judged.article_id,
        judged.paragraph_id,
        judged.paragraph_index,
        judged.open_position,
        judged.close_position,
        judged.last_paragraph_id,
        judged.last_paragraph_index,
        judged.is_nested,
        judged.is_partial,
        judged.opens_paragraph,
        judged.within_quote_id,
        judged.within_speaker,
        judged.within_role,
        judged.within_verb,
        judged.within_method,
        judged.within_is_person,
        judged.covering_speaker,
        judged.covering_role,
        judged.covering_verb,
        judged.covering_method,
        judged.covering_is_person,
        subjects.subject_speaker,
        subjects.subject_role,
        coalesce(
            dashes.signer_name,
            case when judged.is_colon_introduced then coalesce(colons.speaker_name, subjects.subject_speaker) end
        ) as verbless_speaker,
        case when dashes.signer_name is not null then dashes.signer_role end as verbless_role,
        case
            when dashes.signer_name is not null then 'explicit_after'
            when
                judged.is_colon_introduced and coalesce(colons.speaker_name, subjects.subject_speaker) is not null
                then 'explicit_before'
        end as verbless_method,
        judged.load_id
    from judged
    left join subjects
        on judged.quote_id = subjects.quote_id
    left join next_persons as colons
        on
            judged.quote_id = colons.quote_id
            and colons.probe = 'colon'
            and judged.sentence_number = colons.speaker_sentence
            and judged.open_position > colons.speaker_start
    left join next_persons as dashes
        on
            judged.quote_id = dashes.quote_id
            and dashes.probe = 'dash'
            and judged.close_position + 7 >= dashes.signer_start
)

select * from found
