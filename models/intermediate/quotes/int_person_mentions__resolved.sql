-- int_person_mentions__resolved: one row per person mention outside quotation marks, with the fullest
-- form of the name in the article (`full_name`): a surname alone (`Miri`, `Mr. Clyburn`) resolves to the
-- closest earlier full name with the same surname key, else to the first full name after it.
-- `is_person` holds for full names, a name after an honorific or title, and surnames of a full name of
-- the article;
-- `is_sentence_subject` marks the first person of its sentence, the usual antecedent of `he`/`she`.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

mentions as (
    select * from {{ ref('int_person_mentions') }}
    where {{ from_new_loads() }}
),

spans as (
    select * from {{ ref('int_quote_segments') }}
    where {{ in_batch('article_id', 'mentions', 'load_id') }}
),

outside_quotes as (
    select mentions.*
    from mentions
    where not exists (
        select 1
        from spans
        where
            spans.paragraph_id = mentions.paragraph_id
            and mentions.char_start > spans.open_position
            and mentions.char_start < coalesce(spans.close_position, 1e9)
    )
),

full_names as (
    select
        article_id,
        paragraph_index,
        char_start,
        surname_key,
        person_name,
        name_word_count
    from (
        select
            article_id,
            paragraph_index,
            char_start,
            surname_key,
            person_name,
            length(person_name) - length(replace(person_name, ' ', '')) + 1 as name_word_count
        from outside_quotes
        where is_full_name
    ) as candidates
),

-- The closest earlier full name with the same surname (or the mention itself), else the first later one.
matched as (
    select
        outside_quotes.paragraph_id,
        outside_quotes.run_position,
        full_names.person_name as full_name,
        row_number() over (
            partition by outside_quotes.paragraph_id, outside_quotes.run_position
            order by
                (full_names.paragraph_index, full_names.char_start)
                <= (outside_quotes.paragraph_index, outside_quotes.char_start) desc,
                case
                    when
                        (full_names.paragraph_index, full_names.char_start)
                        <= (outside_quotes.paragraph_index, outside_quotes.char_start)
                        then -full_names.paragraph_index * 100000 - full_names.char_start
                    else full_names.paragraph_index * 100000 + full_names.char_start
                end
        ) as match_rank
    from outside_quotes
    inner join full_names
        on
            outside_quotes.article_id = full_names.article_id
            and outside_quotes.surname_key = full_names.surname_key
    where outside_quotes.is_name_like
),

resolved as (
    select
        outside_quotes.paragraph_id,
        outside_quotes.article_id,
        outside_quotes.paragraph_index,
        outside_quotes.run_position,
        outside_quotes.char_start,
        outside_quotes.char_end,
        outside_quotes.person_name,
        outside_quotes.title,
        outside_quotes.appositive_role,
        outside_quotes.surname_key,
        outside_quotes.sentence_number,
        outside_quotes.is_name_like,
        outside_quotes.is_possessive,
        coalesce(matched.full_name, outside_quotes.person_name) as full_name,
        outside_quotes.is_name_like
        and (
            outside_quotes.is_full_name
            or matched.full_name is not null
            or outside_quotes.has_honorific
            or outside_quotes.title is not null
        )
            as is_person
    from outside_quotes
    left join matched
        on
            outside_quotes.paragraph_id = matched.paragraph_id
            and outside_quotes.run_position = matched.run_position
            and matched.match_rank = 1
),

flagged as (
    select
        *,
        is_person and row_number() over (
            partition by paragraph_id, sentence_number, is_person
            order by char_start
        ) = 1 as is_sentence_subject
    from resolved
),

{{ load_id_ctes('flagged', 'mentions', 'article_id') }}

select * from loaded
