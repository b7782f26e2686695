{#-
  Engine-specific and structural pieces of the numeric-claims models, behind adapter.dispatch so the
  models stay portable: default__ is DuckDB, spark__ is dbt-spark. Word lists are seeds, not here;
  what is here is shape (digits, separators, fractions, token boundaries).
-#}

{#-
  One token of text with the whitespace before it (cut off with number_leading_space_pattern).
  A token is a run of digits with inner `.`/`,` separators (3,813 ; 2.5), a word (letters and marks,
  inner apostrophes: Iraq's), or any single other character (% $ - / ...). Every character of a text is
  in exactly one match, so summing match lengths gives offsets. No capturing groups: with them RE2
  runs its slower submatch engine, ten times slower on a large archive.
-#}
{% macro number_token_pattern() -%}
    '[\s\p{Z}]*(?:\p{Nd}+(?:[.,]\p{Nd}+)*|[\p{L}\p{M}]+(?:[''’][\p{L}\p{M}]+)*|[^\s\p{Z}\p{L}\p{M}\p{Nd}])'
{%- endmacro %}

{#- A digit token written as a plain number: 446, 3,813 (groups of three), 2.5, 30616.16. -#}
{% macro number_digits_shape() -%}
    '^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$'
{%- endmacro %}

{#- Leading whitespace of a match, to cut it off. -#}
{% macro number_leading_space_pattern() -%}
    '^[\s\p{Z}]+'
{%- endmacro %}


{#- Every match of a constant regular expression, as a list/array of strings (whole matches). -#}
{% macro number_regex_extract_all(expression, pattern) -%}
    {{ return(adapter.dispatch('number_regex_extract_all', 'news_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__number_regex_extract_all(expression, pattern) -%}
    regexp_extract_all({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__number_regex_extract_all(expression, pattern) -%}
    regexp_extract_all({{ expression }}, {{ pattern }}, 0)
{%- endmacro %}


{#- Join the tokens of a phrase with single spaces: the key seed phrases and token n-grams share. -#}
{% macro number_phrase_key(expression) -%}
    {{ return(adapter.dispatch('number_phrase_key', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__number_phrase_key(expression) -%}
    array_to_string(
        list_transform(
            regexp_extract_all(lower({{ expression }}), {{ number_token_pattern() }}),
            x -> regexp_replace(x, {{ number_leading_space_pattern() }}, '')
        ),
        ' '
    )
{%- endmacro %}

{% macro spark__number_phrase_key(expression) -%}
    array_join(
        transform(
            regexp_extract_all(lower({{ expression }}), {{ number_token_pattern() }}, 0),
            x -> regexp_replace(x, {{ number_leading_space_pattern() }}, '')
        ),
        ' '
    )
{%- endmacro %}


{#- Number of tokens in a phrase (same tokenisation). -#}
{% macro number_phrase_length(expression) -%}
    {{ return(adapter.dispatch('number_phrase_length', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__number_phrase_length(expression) -%}
    len(regexp_extract_all({{ expression }}, {{ number_token_pattern() }}))
{%- endmacro %}

{% macro spark__number_phrase_length(expression) -%}
    size(regexp_extract_all({{ expression }}, {{ number_token_pattern() }}, 0))
{%- endmacro %}


{#- A string cast to double, null when it is not a number. -#}
{% macro number_try_cast_double(expression) -%}
    {{ return(adapter.dispatch('number_try_cast_double', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__number_try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}

{% macro spark__number_try_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}
