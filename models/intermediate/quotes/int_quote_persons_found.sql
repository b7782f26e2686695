-- int_quote_persons_found: one row per direct quote (int_quotes_placed) with the persons around it
-- that may have said it. Rules:
--   `subject_speaker`: the first person named in the quote's sentence before it (the speaker of a
--   partial quote that no cue attributes: `Trump blasted Disney for its “outrageous practices”`);
--   `verbless_speaker`: a person right after a dash that follows the quote (`“…” ― NAME`), or named
--   before a colon that introduces it (`NAME, ROLE: “…”`; after the clause's last comma first:
--   `When Wallace died, President Clinton released the following statement:` names Clinton).
-- Persons are read only in the quote's own sentence (and the few characters after it), so the cost
-- stays linear in the text.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

judged as (
    select * from {{ ref('int_quotes_placed') }}
    where {{ from_new_loads() }}
),

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ in_batch('article_id', 'judged', 'load_id') }}
),

mentions as (
    select * from {{ ref('int_person_mentions_resolved') }}
    where {{ in_batch('article_id', 'judged', 'load_id') }}
),

-- Persons of the quote's sentence before it (first one, and first after the clause's last comma),
-- and a person right after a dash that follows the quote.
sentence_persons as (
    select
        judged.quote_id,
        {{ first_by('mentions.full_name', 'mentions.char_start') }} as subject_speaker,
        {{ first_by('coalesce(mentions.appositive_role, mentions.title)', 'mentions.char_start') }} as subject_role,
        {{ first_by(
            'mentions.full_name',
            "case when mentions.char_start > judged.clause_tail_start then 0 else 1 end * 1000000 + mentions.char_start"
        ) }} as colon_speaker
    from judged
    inner join mentions
        on
            judged.paragraph_id = mentions.paragraph_id
            and judged.sentence_number = mentions.sentence_number
            and judged.open_position > mentions.char_start
    where mentions.is_person and not mentions.is_possessive
    group by judged.quote_id
),

dashed as (
    select
        judged.quote_id,
        {{ first_by('mentions.full_name', 'mentions.char_start') }} as dash_speaker,
        {{ first_by('coalesce(mentions.appositive_role, mentions.title)', 'mentions.char_start') }} as dash_role
    from judged
    inner join paragraphs
        on judged.last_paragraph_id = paragraphs.paragraph_id
    inner join mentions
        on
            judged.last_paragraph_id = mentions.paragraph_id
            and mentions.char_start between judged.close_position + 1 and judged.close_position + 7
    where
        mentions.is_person
        and {{ regex_matches(
            'substr(paragraphs.paragraph_text, judged.close_position + 2, 8)',
            "'^[\\s\\x{a0}]*[―—–\\-]{1,2}[\\s\\x{a0}]*\\p{Lu}'"
        ) }}
    group by judged.quote_id
),

found as (
    select
        judged.quote_id,
        judged.article_id,
        sentence_persons.subject_speaker,
        sentence_persons.subject_role,
        coalesce(
            dashed.dash_speaker,
            case when judged.is_colon_introduced then sentence_persons.colon_speaker end
        ) as verbless_speaker,
        case when dashed.dash_speaker is not null then dashed.dash_role end as verbless_role,
        case
            when dashed.dash_speaker is not null then 'explicit_after'
            when judged.is_colon_introduced and sentence_persons.colon_speaker is not null then 'explicit_before'
        end as verbless_method,
        judged.load_id
    from judged
    left join sentence_persons
        on judged.quote_id = sentence_persons.quote_id
    left join dashed
        on judged.quote_id = dashed.quote_id
)

select * from found
