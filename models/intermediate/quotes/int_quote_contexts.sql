-- int_quote_contexts: one row per quote that is not nested in another, with the reporter's text around
-- it in the same sentence: `after_clause` runs from the closing mark to the end of the sentence or the
-- next quote; `before_clause` from the start of the sentence (or the previous quote's closing mark) to the
-- opening mark. A quote that opens its paragraph right after a paragraph ending in a colon
-- (`Miri said:`) takes that paragraph's last sentence as its before clause. Offsets (`*_start`) are
-- 0-based in the paragraph named by `*_paragraph_id`, so mentions can be matched by position.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

spans as (
    select * from {{ ref('int_quote_spans') }}
    where {{ from_new_loads() }}
),

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ in_batch('article_id', 'spans', 'load_id') }}
),

top_level as (
    select
        quote_id,
        paragraph_id,
        article_id,
        paragraph_index,
        open_position,
        close_position,
        last_paragraph_id,
        last_paragraph_index,
        ends_sentence,
        lag(close_position) over (
            partition by last_paragraph_id order by open_position
        ) as previous_close_in_paragraph,
        lag(quote_id) over (partition by article_id order by paragraph_index, open_position) as previous_quote_id,
        lag(last_paragraph_index) over (
            partition by article_id order by paragraph_index, open_position
        ) as previous_quote_paragraph_index,
        lead(open_position) over (
            partition by paragraph_id order by open_position
        ) as next_open_in_paragraph
    from spans
    where not is_nested
),

-- The next quote that starts in the paragraph where this one ends (quote rows only, no text yet).
after_limits as (
    select
        top_level.quote_id,
        min(later.open_position) as after_limit
    from top_level
    inner join top_level as later
        on
            top_level.last_paragraph_id = later.paragraph_id
            and top_level.close_position < later.open_position
    group by top_level.quote_id
),

-- Where the reporter's text before each quote starts: after the previous quote of the paragraph.
before_bounds as (
    select
        quote_id,
        case
            when previous_quote_paragraph_index = paragraph_index then previous_close_in_paragraph + 1
            else 0
        end as before_start
    from top_level
),

-- Paragraphs that end with a colon (`Miri said:`) and their last sentence, found once per paragraph.
colon_intros as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        length(paragraph_text) as text_length,
        right(
            paragraph_text,
            length({{ regex_replace_all(
                mask_abbreviations('paragraph_text'), "'^.*" ~ sentence_break_pattern()[1:-1] ~ "'", "''"
            ) }})
        ) as last_sentence
    from paragraphs
    where {{ regex_matches('paragraph_text', "':[\\s\\x{a0}]*$'") }}
),

-- The reporter's text before and after each quote, cut from its paragraphs right away: a paragraph's
-- text is never carried along in a row per quote (a paragraph of thousands of quotes would be copied
-- thousands of times).
raw_context as (
    select
        top_level.quote_id,
        top_level.article_id,
        top_level.paragraph_id,
        top_level.paragraph_index,
        top_level.open_position,
        top_level.last_paragraph_id,
        top_level.last_paragraph_index,
        top_level.ends_sentence,
        top_level.previous_quote_id,
        top_level.previous_quote_paragraph_index,
        before_bounds.before_start,
        substr(
            first_paragraph.paragraph_text,
            before_bounds.before_start + 1,
            top_level.open_position - before_bounds.before_start
        ) as before_text,
        top_level.close_position + 1 as after_start,
        substr(
            last_paragraph.paragraph_text,
            top_level.close_position + 2,
            coalesce(after_limits.after_limit, length(last_paragraph.paragraph_text)) - top_level.close_position - 1
        ) as after_text,
        colon_intros.paragraph_id as intro_paragraph_id,
        colon_intros.last_sentence as intro_clause,
        colon_intros.text_length as intro_end
    from top_level
    inner join before_bounds
        on top_level.quote_id = before_bounds.quote_id
    inner join paragraphs as first_paragraph
        on top_level.paragraph_id = first_paragraph.paragraph_id
    inner join paragraphs as last_paragraph
        on top_level.last_paragraph_id = last_paragraph.paragraph_id
    left join after_limits
        on top_level.quote_id = after_limits.quote_id
    left join colon_intros
        on
            top_level.article_id = colon_intros.article_id
            and top_level.paragraph_index - 1 = colon_intros.paragraph_index
),

clauses as (
    select
        *,
        right(
            before_text,
            length({{ regex_replace_all(
                mask_abbreviations('before_text'), "'^.*" ~ sentence_break_pattern()[1:-1] ~ "'", "''"
            ) }})
        ) as before_clause,
        left(
            after_text,
            length(coalesce(
                nullif({{ regex_extract(
                    mask_abbreviations('after_text'), "'^(.*?" ~ sentence_break_pattern()[1:-1] ~ ")'", 1
                ) }}, ''),
                after_text
            ))
        ) as after_clause,
        trim(before_text) = '' and open_position = 0 as opens_paragraph
    from raw_context
),

-- A quote opening its paragraph after a paragraph that ends with a colon: that paragraph's last
-- sentence introduces it.
introduced as (
    select
        quote_id,
        article_id,
        paragraph_id,
        paragraph_index,
        open_position,
        last_paragraph_id,
        last_paragraph_index,
        ends_sentence,
        previous_quote_id,
        previous_quote_paragraph_index,
        opens_paragraph,
        after_start,
        after_clause,
        before_text,
        coalesce(opens_paragraph and intro_paragraph_id is not null, false) as is_colon_introduced,
        case
            when opens_paragraph and intro_paragraph_id is not null then intro_paragraph_id
            else paragraph_id
        end as before_paragraph_id,
        case
            when opens_paragraph and intro_paragraph_id is not null then intro_clause
            else before_clause
        end as before_clause,
        case
            when opens_paragraph and intro_paragraph_id is not null then intro_end
            else before_start + length(before_text)
        end as before_end
    from clauses
),

located as (
    select
        quote_id,
        article_id,
        paragraph_id,
        paragraph_index,
        open_position,
        last_paragraph_id,
        last_paragraph_index,
        ends_sentence,
        previous_quote_id,
        previous_quote_paragraph_index,
        opens_paragraph,
        is_colon_introduced,
        before_paragraph_id,
        before_clause,
        cast(before_end - length(before_clause) as bigint) as before_clause_start,
        after_clause,
        cast(after_start as bigint) as after_clause_start,
        -- The previous quote ends in this sentence: no sentence break between them.
        previous_quote_paragraph_index = paragraph_index
        and before_clause = before_text
        and not is_colon_introduced as follows_quote_in_sentence
    from introduced
),

{{ load_id_ctes('located', 'spans', 'article_id') }}

select * from loaded
