-- int_number_mentions_measured: one row per number mention with what it measures. Rules: a unit phrase of
-- the units seed right after the numeral, or after a hyphen (600-kilometer, three-meter-high), gives
-- unit and unit_class; a money sign or code before it ($5m, £1.2bn, US$) gives the currency when no
-- unit follows; the longest phrase wins. Otherwise the mention is a plain count (unit null), whose
-- counted noun is the first plural noun among the next three words (six PMF brigades -> brigades).
-- The qualifier is a phrase of the qualifiers seed just before the mention (nearly, more than, up to).
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

qualifiers as {{ materialized_cte() }} (
    select * from {{ ref('qualifiers') }}
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

qualifier_phrases as (
    select
        {{ number_phrase_key('phrase') }} as phrase_key,
        {{ number_phrase_length('phrase') }} as phrase_length,
        qualifier
    from qualifiers
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

-- Qualifier phrases ending just before the mention (before its money sign, when it has one).
qualifier_matches as (
    {%- for skip in [0, 1, 2] %}
        {%- for n in [1, 2, 3] %}
            select
                measured.mention_id,
                qualifier_phrases.qualifier,
                measured.prev{{ skip + n }}_char_start as qualifier_char_start,
                {{ n }} as phrase_length
            from measured
            inner join qualifier_phrases
                on
                    measured.before_token_count = {{ skip }}
                    and qualifier_phrases.phrase_length = {{ n }}
                    and qualifier_phrases.phrase_key = concat_ws(
                        ' ',
                        {% for k in range(skip + n, skip, -1) %}
                            lower(measured.prev{{ k }}_token_text){{ ', ' if not loop.last }}
                        {% endfor %}
                    )
            {%- if not (loop.last and skip == 2) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
),

ranked_qualifier_matches as (
    select
        *,
        row_number() over (partition by mention_id order by phrase_length desc) as match_rank
    from qualifier_matches
),

best_qualifier as (
    select
        mention_id,
        qualifier,
        qualifier_char_start,
        phrase_length as qualifier_token_count
    from ranked_qualifier_matches
    where match_rank = 1
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
        end as counted_noun,
        coalesce(best_qualifier.qualifier, 'exact') as qualifier,
        best_qualifier.qualifier_char_start,
        measured.before_token_count + coalesce(best_qualifier.qualifier_token_count, 0) as surface_before_count
    from measured
    left join noun_candidates
        on measured.mention_id = noun_candidates.mention_id
    left join best_qualifier
        on measured.mention_id = best_qualifier.mention_id
),

-- The surface text, qualifier to unit, rebuilt from the tokens with the whitespace written before them.
surfaced as (
    select
        *,
        concat(
            {%- for k in range(context_width, 0, -1) %}
                case
                    when surface_before_count = {{ k }} then prev{{ k }}_token_text
                    when surface_before_count > {{ k }}
                        then prev{{ k }}_space_before || prev{{ k }}_token_text
                    else ''
                end,
            {%- endfor %}
            case when surface_before_count > 0 then space_before else '' end,
            numeral_surface,
            {%- for k in range(1, context_width + 1) %}
                case
                    when after_token_count >= {{ k }} then next{{ k }}_space_before || next{{ k }}_token_text
                    else ''
                end
                {{- ',' if not loop.last }}
            {%- endfor %}
        ) as surface_text
    from counted
)

select * from surfaced  -- noqa: AM04
