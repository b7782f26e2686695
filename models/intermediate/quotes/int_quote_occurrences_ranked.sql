-- int_quote_occurrences_ranked: one row per quote (int_quotes_collected) with its normalised text
-- (int_quote_texts_normalized.text_key) and its occurrence_rank: the order of occurrence over the
-- warehouse, by article load time, load id and source path, then paragraph and position in the
-- article (a direct quote before an indirect one that opens with it). Incremental: loads are numbered
-- in time order, so the quotes of new loads come after every quote held, and their ranks continue the
-- ranks held (a replaced article's quotes go and leave gaps).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

spans as (
    select * from {{ ref('int_quotes_collected') }}
    where {{ from_new_loads() }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

quote_texts as (
    select * from {{ ref('int_quote_texts_normalized') }}
),

-- Each distinct quote text of the new quotes is normalised once, and named by its int_quote_texts_normalized key.
new_full_texts as (
    select
        distinct_texts.full_quote_text,
        quote_texts.text_key
    from (select distinct spans.full_quote_text from spans) as distinct_texts
    inner join quote_texts
        on {{ normalize_text('distinct_texts.full_quote_text') }} = quote_texts.normalized_text
),

-- The articles of the new quotes in load order, as one integer: the quotes' sort below then carries no
-- timestamps or paths (dense_rank: articles that tie stay tied, as in the order they stand for).
article_orders as (
    select
        article_id,
        dense_rank() over (order by loaded_at, load_id, source_path) as article_order
    from articles
    where article_id in (select spans.article_id from spans)
),

ranked as (
    select
        spans.quote_id,
        spans.article_id,
        spans.load_id,
        new_full_texts.text_key,
        {{ rank_offset('occurrence_rank') }} + row_number() over (
            order by
                article_orders.article_order,
                spans.paragraph_index,
                spans.open_position,
                -- a direct quote and an indirect one that open together: the direct one first
                spans.quote_type,
                spans.close_position
        ) as occurrence_rank
    from spans
    inner join article_orders
        on spans.article_id = article_orders.article_id
    inner join new_full_texts
        on spans.full_quote_text = new_full_texts.full_quote_text
)

select * from ranked
