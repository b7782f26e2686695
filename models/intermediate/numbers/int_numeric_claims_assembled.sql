-- int_numeric_claims_assembled: one row per numeric claim in a paragraph: every number mention of the paragraph's
-- text that no exclusion rule removes, with range ends completed from the other end, its surface text
-- cut from the paragraph (from the qualifier, or money sign, to the unit), and the quote it stands in
-- (the innermost quote whose span covers it, direct or indirect: `Sabah al-Numan … said that about 80
-- percent of a concrete barrier … has been completed`; also in the middle or last paragraph of a quote
-- that runs over several). Vague amounts (dozens, thousands) are here with is_vague.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

mentions as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

ranges as (
    select * from {{ ref('int_number_range_ends_paired') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

excluded as (
    select * from {{ ref('int_number_mentions_excluded') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

quote_spans as (
    select * from {{ ref('int_quotes_collected') }}
    where {{ in_batch('article_id', 'paragraphs') }}
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
        kept.text_id,
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
        {{ hash_key(['paragraphs.paragraph_id', 'completed.mention_id']) }} as claim_id,
        paragraphs.article_id,
        paragraphs.paragraph_id,
        paragraphs.paragraph_index,
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
        on completed.text_id = paragraphs.text_id
),

-- A quote covers [char_start, char_end) of its first paragraph, every paragraph between its first and
-- last, and its last paragraph up to its closing mark.
in_quotes as (
    select
        claims.claim_id,
        quote_spans.quote_id,
        row_number() over (
            partition by claims.claim_id
            order by quote_spans.paragraph_count asc, quote_spans.char_end - quote_spans.char_start asc
        ) as innermost_rank
    from claims
    inner join quote_spans
        on
            claims.article_id = quote_spans.article_id
            and claims.paragraph_index between quote_spans.paragraph_index and quote_spans.last_paragraph_index
    where
        (
            claims.paragraph_index > quote_spans.paragraph_index
            or (claims.char_start >= quote_spans.char_start and (
                quote_spans.paragraph_count > 1 or claims.char_end <= quote_spans.char_end
            ))
        )
        and (
            claims.paragraph_index < quote_spans.last_paragraph_index
            or quote_spans.paragraph_count = 1
            or claims.char_end <= coalesce(quote_spans.close_position, 1e18)
        )
),

quoted as (
    select
        claims.claim_id,
        claims.article_id,
        claims.paragraph_id,
        claims.surface_text,
        claims.char_start,
        claims.char_end,
        claims.value,
        claims.unit,
        claims.unit_class,
        claims.counted_noun,
        claims.qualifier,
        claims.is_vague,
        claims.range_end,
        in_quotes.quote_id
    from claims
    left join in_quotes
        on
            claims.claim_id = in_quotes.claim_id
            and in_quotes.innermost_rank = 1
),

{{ load_id_ctes('quoted', 'paragraphs', 'article_id') }}

select * from loaded
