-- int_number_mentions_measured: one row per number mention with what it measures. Rules: a unit phrase of
-- the units seed right after the numeral, or after a hyphen (600-kilometer, three-meter-high), gives
-- unit and unit_class; a money sign or code before it ($5m, £1.2bn, US$) gives the currency when no
-- unit follows; the longest phrase wins. Otherwise the mention is a plain count (unit null), whose
-- counted noun is the first plural noun among the next three words (six PMF brigades -> brigades).
-- The qualifier and the surface text come next (int_number_mentions_qualified).
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
{%- set context_width = 5 %}
with

mentions as (
    select * from {{ ref('int_number_mentions_parsed') }}
    where {{ new_texts_only() }}
),

units as {{ materialized_cte() }} (
    select * from {{ ref('units') }}
),

noun_words as {{ materialized_cte() }} (
    select * from {{ ref('claim_noun_words') }}
),

unit_phrases as (
    select
        {{ number_phrase_key('phrase') }} as phrase_key,
        {{ number_phrase_length('phrase') }} as phrase_length,
        position,
        unit,
        unit_class
    from units
),

-- Unit phrases starting right after the numeral (offset 1) or after a hyphen glued to it (offset 2).
units_after as (
    {%- for offset in [1, 2] %}
        {%- for n in range(1, context_width + 2 - offset) %}
            select
                mentions.mention_id,
                unit_phrases.unit,
                unit_phrases.unit_class,
                mentions.next{{ offset + n - 1 }}_char_end as unit_char_end,
                {{ offset + n - 1 }} as unit_token_count,
                {{ n }} as phrase_length
            from mentions
            inner join unit_phrases
                on
                    unit_phrases.position = 'after'
                    and unit_phrases.phrase_length = {{ n }}
                    and unit_phrases.phrase_key = concat_ws(
                        ' ',
                        {% for k in range(offset, offset + n) %}
                            lower(mentions.next{{ k }}_token_text){{ ', ' if not loop.last }}
                        {% endfor %}
                    )
            {%- if offset == 2 %}
                where
                    mentions.next1_token_text in ('-', '‐')
                    and not mentions.next1_has_space_before
                    and not mentions.next2_has_space_before
            {%- endif %}
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

ranked_units_after as (
    select
        *,
        row_number() over (partition by mention_id order by phrase_length desc, unit_token_count asc) as match_rank
    from units_after
),

best_unit_after as (
    select
        mention_id,
        unit,
        unit_class,
        unit_char_end,
        unit_token_count
    from ranked_units_after
    where match_rank = 1
),

-- Money signs and codes just before the numeral: $, £, €, US$.
units_before as (
    {%- for n in [1, 2] %}
        select
            mentions.mention_id,
            unit_phrases.unit,
            unit_phrases.unit_class,
            mentions.prev{{ n }}_char_start as unit_char_start,
            {{ n }} as unit_token_count
        from mentions
        inner join unit_phrases
            on
                unit_phrases.position = 'before'
                and unit_phrases.phrase_length = {{ n }}
                and unit_phrases.phrase_key = concat_ws(
                    ' ',
                    {% for k in range(n, 0, -1) %}
                        lower(mentions.prev{{ k }}_token_text){{ ', ' if not loop.last }}
                    {% endfor %}
                )
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

ranked_units_before as (
    select
        *,
        row_number() over (partition by mention_id order by unit_token_count desc) as match_rank
    from units_before
),

best_unit_before as (
    select
        mention_id,
        unit,
        unit_class,
        unit_char_start,
        unit_token_count
    from ranked_units_before
    where match_rank = 1
),

measured as (
    select
        mentions.*,
        coalesce(best_unit_after.unit, best_unit_before.unit) as unit,
        coalesce(best_unit_after.unit_class, best_unit_before.unit_class, 'count') as unit_class,
        best_unit_before.unit as currency_before,
        coalesce(best_unit_before.unit_token_count, 0) as before_token_count,
        coalesce(best_unit_after.unit_token_count, 0) as after_token_count,
        coalesce(best_unit_before.unit_char_start, mentions.char_start) as measure_char_start,
        coalesce(best_unit_after.unit_char_end, mentions.char_end) as measure_char_end
    from mentions
    left join best_unit_after
        on mentions.mention_id = best_unit_after.mention_id
    left join best_unit_before
        on mentions.mention_id = best_unit_before.mention_id
),

-- The counted noun: among the next three words (no punctuation in between), the first lower-case
-- plural (ends in -s, or a plural of the claim_noun_words seed) that the seed does not rule out.
noun_candidates as (
    select
        measured.mention_id,
        {%- for k in [1, 2, 3] %}
            {{ number_is_plural_noun(
                'measured.next' ~ k ~ '_token_text', 'measured.next' ~ k ~ '_token_kind',
                'cast(noun' ~ k ~ '.is_plural_noun as boolean)', 'not cast(noun' ~ k ~ '.is_plural_noun as boolean)'
            ) }} as is_noun{{ k }},
        {%- endfor %}
        measured.next1_token_kind = 'word' and measured.next2_token_kind = 'word' as is_words_to2,
        measured.next1_token_kind = 'word' and measured.next2_token_kind = 'word'
        and measured.next3_token_kind = 'word' as is_words_to3
    from
        measured
    {%- for k in [1, 2, 3] %}
        left join noun_words as noun{{ k }}
            on lower(measured.next{{ k }}_token_text) = noun{{ k }}.word
    {%- endfor %}
    where measured.unit_class = 'count'
),

counted as (
    select
        measured.*,
        case
            when noun_candidates.is_noun1 then measured.next1_token_text
            when noun_candidates.is_words_to2 and noun_candidates.is_noun2 then measured.next2_token_text
            when noun_candidates.is_words_to3 and noun_candidates.is_noun3 then measured.next3_token_text
        end as counted_noun
    from measured
    left join noun_candidates
        on measured.mention_id = noun_candidates.mention_id
)

select * from counted  -- noqa: AM04
