-- int_number_mentions_parsed: one row per numeral written in a paragraph: a run of consecutive tokens
-- that int_number_tokens_linked links (446 ; 3,813 ; 2 1/2 ; 35-3/4 ; twenty-one ; a hundred and
-- two ; 13 million ; 1.2bn ; two and a half), or one vague amount word (dozens, thousands). Rule: the
-- value sums the run's segments, a magnitude closing each (three million | two hundred & forty); in
-- a segment, the words before `hundred` multiply it and those after are added; a slash fraction is
-- its numerator over its denominator; `and a half` and fraction words (two thirds) divide or add.
-- Carries the five tokens on each side of the run, which the later steps read (units, qualifiers,
-- exclusions).
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
{%- set context_width = 5 %}
with

tokens as (
    select * from {{ ref('int_number_tokens_linked') }}
    where {{ new_texts_only() }}
),

parts as (
    select
        *,
        not continues_previous
        or coalesce(
            lag(token_index) over (partition by text_id order by token_index), -1
        ) <> token_index - 1 as is_run_start
    from tokens
    where continues_previous or can_start
),

numbered_parts as (
    select
        *,
        sum(case when is_run_start then 1 else 0 end) over (
            partition by text_id order by token_index rows between unbounded preceding and current row
        ) as run_number
    from parts
),

-- A magnitude closes a segment (three million | two hundred & forty); segments are summed.
run_tokens as (
    select
        *,
        coalesce(sum(case when magnitude_multiplier is not null and continues_previous then 1 else 0 end) over (
            partition by text_id, run_number order by token_index
            rows between unbounded preceding and 1 preceding
        ), 0) as segment_number,
        lead(is_digit_group) over (partition by text_id, run_number order by token_index) as is_before_digit_group
    from numbered_parts
),

segment_tokens as (
    select
        *,
        coalesce(sum(case when word_kind = 'hundred' then 1 else 0 end) over (
            partition by text_id, run_number, segment_number order by token_index
            rows between unbounded preceding and 1 preceding
        ), 0) > 0 as is_after_hundred,
        coalesce(max(case when word_kind = 'connector' and next1_word_kind = 'article' then 1 else 0 end) over (
            partition by text_id, run_number, segment_number order by token_index
            rows between unbounded preceding and current row
        ), 0) = 1 as is_in_half_tail,
        case
            when is_fraction_numerator then digits_value / nullif(next2_digits_value, 0)
            when is_fraction_denominator then 0
            when digits_value is not null and coalesce(is_before_digit_group, false) then digits_value * 1000
            when digits_value is not null then digits_value
            when word_kind in ('cardinal', 'tens', 'article', 'vague') then word_value
        end as small_value
    from run_tokens
),

segments as (
    select
        text_id,
        run_number,
        segment_number,
        {{ aggregate_where('sum', 'small_value', "not is_after_hundred and not is_in_half_tail") }}
            as small_before_hundred,
        {{ aggregate_where('sum', 'small_value', "is_after_hundred and not is_in_half_tail") }} as small_after_hundred,
        {{ aggregate_where('max', 'word_value', "word_kind = 'hundred'") }} as hundred_value,
        {{ aggregate_where('max', 'word_value', "word_kind like 'fraction%'") }} as fraction_denominator,
        bool_or(is_in_half_tail) as has_half_tail,
        {{ aggregate_where('max', 'magnitude_multiplier', "continues_previous") }} as magnitude_multiplier
    from segment_tokens
    group by text_id, run_number, segment_number
),

segment_values as (
    select
        text_id,
        run_number,
        magnitude_multiplier,
        case
            when fraction_denominator is null then main_value
            when has_half_tail then main_value + 1 / fraction_denominator
            else main_value / fraction_denominator
        end * coalesce(magnitude_multiplier, 1) as segment_value
    from (
        select
            *,
            case
                when hundred_value is not null
                    then coalesce(small_before_hundred, 1) * hundred_value + coalesce(small_after_hundred, 0)
                else coalesce(small_before_hundred, 0)
            end as main_value
        from segments
    ) as with_main
),

run_values as (
    select
        text_id,
        run_number,
        sum(segment_value) as value,  -- noqa: RF04
        max(magnitude_multiplier) as magnitude_multiplier
    from segment_values
    group by text_id, run_number
),

runs as (
    select
        text_id,
        run_number,
        min(token_index) as start_token_index,
        max(token_index) as end_token_index,
        min(char_start) as char_start,
        max(char_end) as char_end,
        count(*) as token_count,
        {{ string_agg_ordered(
            "case when has_space_before then ' ' else '' end || token_text", "''", 'token_index'
        ) }} as numeral_text,
        {{ string_agg_ordered('space_before || token_text', "''", 'token_index') }} as numeral_pieces,
        coalesce(bool_or(word_kind = 'vague'), false) as is_vague,
        bool_or(is_fraction_slash) as has_fraction_slash,
        bool_or(word_kind is not null and word_kind <> 'vague') as has_number_word,
        bool_or(digits_value is not null) as has_digits,
        bool_and(is_standalone_word) as is_standalone
    from segment_tokens
    group by text_id, run_number
),

-- The five tokens before and after each run: one row per run and offset (an unnested list, not a
-- join: the plan stays hash joins), then one column each.
context_offsets as (
    select
        text_id,
        start_token_index,
        end_token_index,
        {{ explode_with_position(integer_range(-context_width, context_width), 'token_offset', 'offset_position') }}
    from runs
),

context_rows as (
    select
        context_offsets.text_id,
        context_offsets.start_token_index,
        context_offsets.token_offset,
        tokens.token_text,
        tokens.token_kind,
        tokens.char_start,
        tokens.char_end,
        tokens.has_space_before,
        tokens.space_before
    from context_offsets
    inner join tokens
        on
            context_offsets.text_id = tokens.text_id
            and case
                when context_offsets.token_offset < 0 then context_offsets.start_token_index
                else context_offsets.end_token_index
            end + context_offsets.token_offset = tokens.token_index
    where context_offsets.token_offset <> 0
),

context as (
    select
        text_id,
        start_token_index,
        {%- for k in range(1, context_width + 1) %}
            {%- for side, offset, char in [('prev', -k, 'char_start'), ('next', k, 'char_end')] %}
                max(case when token_offset = {{ offset }} then token_text end) as {{ side }}{{ k }}_token_text,
                max(case when token_offset = {{ offset }} then token_kind end) as {{ side }}{{ k }}_token_kind,
                max(case when token_offset = {{ offset }} then {{ char }} end) as {{ side }}{{ k }}_{{ char }},
                max(case when token_offset = {{ offset }} then has_space_before end)
                    as {{ side }}{{ k }}_has_space_before,
                max(case when token_offset = {{ offset }} then space_before end) as {{ side }}{{ k }}_space_before
                {%- if not (loop.last and k == context_width) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from context_rows
    group by text_id, start_token_index
),

mentions as (
    select
        {{ hash_key(['runs.text_id', 'runs.start_token_index']) }} as mention_id,
        runs.text_id,
        runs.start_token_index,
        runs.end_token_index,
        runs.char_start,
        runs.char_end,
        trim(runs.numeral_text) as numeral_text,
        -- as written (its inner whitespace kept), for the surface text
        substr(runs.numeral_pieces, length(first_token.space_before) + 1) as numeral_surface,
        run_values.value,
        run_values.magnitude_multiplier,
        runs.token_count,
        runs.is_vague,
        runs.has_fraction_slash,
        runs.has_number_word,
        runs.has_digits,
        runs.is_standalone,
        {%- for k in range(1, context_width + 1) %}
            context.prev{{ k }}_token_text,
            context.prev{{ k }}_token_kind,
            context.prev{{ k }}_char_start,
            context.prev{{ k }}_has_space_before,
            context.prev{{ k }}_space_before,
            context.next{{ k }}_token_text,
            context.next{{ k }}_token_kind,
            context.next{{ k }}_char_end,
            context.next{{ k }}_has_space_before,
            context.next{{ k }}_space_before,
        {%- endfor %}
        first_token.has_space_before,
        first_token.space_before
    from runs
    inner join run_values
        on
            runs.text_id = run_values.text_id
            and runs.run_number = run_values.run_number
    inner join segment_tokens as first_token
        on
            runs.text_id = first_token.text_id
            and runs.start_token_index = first_token.token_index
    left join context
        on
            runs.text_id = context.text_id
            and runs.start_token_index = context.start_token_index
    where first_token.can_start
),

{{ load_id_ctes('mentions', 'tokens', 'text_id') }}

select * from loaded
