-- int_numeric_claims_assembled: one row per numeric claim in a paragraph: every number mention of the
-- paragraph's text that no exclusion rule removes and that does not repeat a name of its article
-- (int_number_name_repeats_flagged), with range ends completed from the other end, its surface text
-- (from the qualifier, or money sign, to the unit; rebuilt from the tokens, not cut from the paragraph),
-- and the quote it stands in (the innermost quote, direct or indirect, whose span covers it, also in the
-- middle or last paragraph of a quote that runs over several), found with one sort per article rather than a join of
-- every claim with every quote. Vague amounts (dozens, thousands) are here with is_vague.
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

mentions as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ in_batch('text_id', 'paragraphs') }}
),

qualifiers as (
    select * from {{ ref('int_number_mentions_qualified') }}
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

name_repeats as (
    select * from {{ ref('int_number_name_repeats_flagged') }}
    where {{ in_batch('article_id', 'paragraphs', 'load_id') }}
),

quote_spans as (
    select * from {{ ref('int_quotes_collected') }}
    where {{ in_batch('article_id', 'paragraphs') }}
),

kept as (
    select
        mentions.*,
        qualifiers.qualifier,
        qualifiers.qualifier_char_start,
        qualifiers.surface_text
    from mentions
    inner join qualifiers
        on mentions.mention_id = qualifiers.mention_id
    left join excluded
        on mentions.mention_id = excluded.mention_id
    where excluded.mention_id is null
),

completed as (
    select
        kept.mention_id,
        kept.text_id,
        kept.surface_text,
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
        completed.surface_text,
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
    left join name_repeats
        on
            paragraphs.paragraph_id = name_repeats.paragraph_id
            and completed.mention_id = name_repeats.mention_id
    where name_repeats.mention_id is null
),

-- The quote a claim stands in. A quote reaches from (its first paragraph, char_start) to (its last
-- paragraph, char_end when it has one paragraph, else its closing mark), and covers a claim that lies
-- within. Quotes of one kind do not overlap, so the only quote of a kind that can cover a claim is
-- the last one to start before it: a running maximum of start keys over the article finds it, in one
-- sort (a join of every claim with every quote of its paragraph grew with the square of a long one).
-- Kinds: quotes inside another, other one-paragraph quotes of each mark family, quotes over several
-- paragraphs, indirect quotes, and indirect quotes that start inside an earlier one (`said that ...
-- told him that ...`). Of the quotes that cover a claim the innermost wins (fewest paragraphs, then
-- shortest).
indirect_ends_before as (
    select
        quote_id,
        max(char_end) over (
            partition by paragraph_id
            order by char_start asc, char_end desc
            rows between unbounded preceding and 1 preceding
        ) as earlier_end
    from quote_spans
    where quote_type = 'indirect'
),

quote_reaches as (
    select
        quote_spans.quote_id,
        quote_spans.article_id,
        case
            when quote_spans.paragraph_count > 1 then 'several_paragraphs'
            when quote_spans.is_nested then 'nested'
            when indirect_ends_before.earlier_end > quote_spans.char_start then 'indirect_nested'
            when quote_spans.quote_type = 'indirect' then 'indirect'
            else quote_spans.mark_family
        end as quote_kind,
        quote_spans.paragraph_count,
        quote_spans.char_end - quote_spans.char_start as quote_length,
        {{ number_position_key('quote_spans.paragraph_index', 'quote_spans.char_start') }} as start_key,
        {{ number_position_key(
            'quote_spans.last_paragraph_index',
            'case when quote_spans.paragraph_count = 1 then quote_spans.char_end'
            ~ ' else coalesce(quote_spans.close_position, 1e9) end'
        ) }} as end_key
    from quote_spans
    left join indirect_ends_before
        on quote_spans.quote_id = indirect_ends_before.quote_id
),

-- The kinds of quote each article has: a claim is looked up among the quotes of each.
quote_kinds as (
    select distinct
        article_id,
        quote_kind
    from quote_reaches
),

positions as (
    select
        quote_reaches.article_id,
        quote_reaches.quote_kind,
        quote_reaches.start_key as sort_key,
        0 as sort_order,
        cast(null as {{ type_name('varchar') }}) as claim_id,
        cast(null as bigint) as claim_end_key
    from quote_reaches
    union all
    select
        claims.article_id,
        quote_kinds.quote_kind,
        {{ number_position_key('claims.paragraph_index', 'claims.char_start') }} as sort_key,
        1 as sort_order,
        claims.claim_id,
        {{ number_position_key('claims.paragraph_index', 'claims.char_end') }} as claim_end_key
    from claims
    inner join quote_kinds
        on claims.article_id = quote_kinds.article_id
),

last_started as (
    select
        article_id,
        quote_kind,
        claim_id,
        sort_key as claim_start_key,
        claim_end_key,
        max(case when sort_order = 0 then sort_key end) over (
            partition by article_id, quote_kind
            order by sort_key, sort_order
            rows between unbounded preceding and current row
        ) as quote_start_key
    from positions
),

in_quotes as (
    select
        last_started.claim_id,
        quote_reaches.quote_id,
        row_number() over (
            partition by last_started.claim_id
            order by quote_reaches.paragraph_count asc, quote_reaches.quote_length asc
        ) as innermost_rank
    from last_started
    inner join quote_reaches
        on
            last_started.article_id = quote_reaches.article_id
            and last_started.quote_kind = quote_reaches.quote_kind
            and last_started.quote_start_key = quote_reaches.start_key
    where
        last_started.claim_id is not null
        and last_started.claim_end_key <= quote_reaches.end_key
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
