-- int_number_mentions_qualified: one row per measured number mention (int_number_mentions_measured) with
-- its qualifier and its surface text. Rule: a phrase of the qualifiers seed ending just before the
-- mention, or before its money sign when it has one (nearly 600 km, more than 115,000 people, up to
-- $5m), gives the qualifier, the longest phrase winning; without one the qualifier is `exact`. The
-- surface text runs from the qualifier (or money sign) to the unit as written, rebuilt from the
-- tokens and the whitespace before them.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
{%- set context_width = 5 %}
with

mentions as (
    select * from {{ ref('int_number_mentions_measured') }}
    where {{ new_texts_only() }}
),

qualifiers as {{ materialized_cte() }} (
    select * from {{ ref('qualifiers') }}
),

qualifier_phrases as (
    select
        {{ number_phrase_key('phrase') }} as phrase_key,
        {{ number_phrase_length('phrase') }} as phrase_length,
        qualifier
    from qualifiers
),

-- Qualifier phrases ending just before the mention (before its money sign, when it has one).
qualifier_matches as (
    {%- for skip in [0, 1, 2] %}
        {%- for n in [1, 2, 3] %}
            select
                mentions.mention_id,
                qualifier_phrases.qualifier,
                mentions.prev{{ skip + n }}_char_start as qualifier_char_start,
                {{ n }} as phrase_length
            from mentions
            inner join qualifier_phrases
                on
                    mentions.before_token_count = {{ skip }}
                    and qualifier_phrases.phrase_length = {{ n }}
                    and qualifier_phrases.phrase_key = concat_ws(
                        ' ',
                        {% for k in range(skip + n, skip, -1) %}
                            lower(mentions.prev{{ k }}_token_text){{ ', ' if not loop.last }}
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

qualified as (
    select
        mentions.*,
        coalesce(best_qualifier.qualifier, 'exact') as qualifier,
        best_qualifier.qualifier_char_start,
        mentions.before_token_count + coalesce(best_qualifier.qualifier_token_count, 0) as surface_before_count
    from mentions
    left join best_qualifier
        on mentions.mention_id = best_qualifier.mention_id
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
    from qualified
),

narrowed as (
    select
        mention_id,
        text_id,
        numeral_text,
        qualifier,
        qualifier_char_start,
        surface_text,
        load_id
    from surfaced
)

select * from narrowed
