-- int_number_name_repeats_flagged: one row per occurrence of a number that repeats, in the same
-- article, a number the article uses as a name or code (int_number_names_flagged): a product or
-- model named once in full and then by its number alone (Boeing 737-800 ... the 737-800 had; Xbox 360
-- ... the 360 sold). Rule: a bare whole number of three digits or more (no unit, magnitude,
-- qualifier or counted noun, not after another number as in a table row, not itself excluded)
-- whose numeral is a name elsewhere in its article. Shorter numbers are
-- left alone: after Radio 4, G7 or Half-Life 2, a 4, 7 or 2 elsewhere is as likely a count.
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

names as (
    select * from {{ ref('int_number_names_flagged') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

excluded as (
    select * from {{ ref('int_number_mentions_excluded') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

mentions as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

qualifiers as (
    select * from {{ ref('int_number_mentions_qualified') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

article_names as (
    select distinct
        paragraphs.article_id,
        names.numeral_text
    from names
    inner join paragraphs
        on names.text_id = paragraphs.text_id
    where {{ regex_matches('names.numeral_text', sql_string("^[1-9]\\d{2,}$")) }}
),

bare_numbers as (
    select mentions.*
    from mentions
    inner join qualifiers
        on mentions.mention_id = qualifiers.mention_id
    left join excluded
        on mentions.mention_id = excluded.mention_id
    where
        excluded.mention_id is null
        and mentions.unit is null
        and mentions.magnitude_multiplier is null
        and qualifiers.qualifier = 'exact'
        and mentions.counted_noun is null
        and coalesce(mentions.prev1_token_kind, '') <> 'digits'
        and {{ regex_matches('mentions.numeral_text', sql_string("^[1-9]\\d{2,}$")) }}
),

repeats as (
    select
        paragraphs.article_id,
        paragraphs.paragraph_id,
        paragraphs.load_id,
        bare_numbers.mention_id,
        bare_numbers.numeral_text
    from bare_numbers
    inner join paragraphs
        on bare_numbers.text_id = paragraphs.text_id
    inner join article_names
        on
            paragraphs.article_id = article_names.article_id
            and bare_numbers.numeral_text = article_names.numeral_text
)

select * from repeats
