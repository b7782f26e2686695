-- int_numeric_claims: one row per numeric claim: every number mention that no exclusion rule removes,
-- with range ends completed from the other end, and its surface text cut from the paragraph (from the
-- qualifier, or money sign, to the unit). Vague amounts (dozens, thousands) are here with is_vague.
with

mentions as (
    select * from {{ ref('int_number_mentions__units') }}
),

ranges as (
    select * from {{ ref('int_number_mentions__ranges') }}
),

excluded as (
    select * from {{ ref('int_number_mentions__excluded') }}
),

paragraphs as (
    select * from {{ ref('int_paragraphs__deduped') }}
),

kept as (
    select mentions.*
    from mentions
    left join excluded
        on mentions.mention_id = excluded.mention_id
    where excluded.mention_id is null
),

completed as (
    select
        kept.mention_id,
        kept.article_id,
        kept.paragraph_id,
        coalesce(kept.qualifier_char_start, kept.measure_char_start) as char_start,
        kept.measure_char_end as char_end,
        kept.value * coalesce(ranges.inherited_multiplier, 1) as value,  -- noqa: RF04
        coalesce(kept.unit, ranges.inherited_unit) as unit,
        case
            when kept.unit is null and ranges.inherited_unit_class is not null then ranges.inherited_unit_class
            else kept.unit_class
        end as unit_class,
        kept.counted_noun,
        kept.qualifier,
        kept.is_vague,
        ranges.range_end
    from kept
    left join ranges
        on kept.mention_id = ranges.mention_id
),

claims as (
    select
        completed.mention_id as claim_id,
        completed.article_id,
        completed.paragraph_id,
        substr(
            paragraphs.paragraph_text, completed.char_start + 1, completed.char_end - completed.char_start
        ) as surface_text,
        completed.char_start,
        completed.char_end,
        completed.value,
        completed.unit,
        completed.unit_class,
        case when completed.unit_class = 'count' then completed.counted_noun end as counted_noun,
        completed.qualifier,
        completed.is_vague,
        completed.range_end
    from completed
    inner join paragraphs
        on completed.paragraph_id = paragraphs.paragraph_id
)

select * from claims
