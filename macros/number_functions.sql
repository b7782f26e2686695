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
    {%- set pattern -%}
[\s\p{Z}]*(?:\p{Nd}+(?:[.,]\p{Nd}+)*|[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|[^\s\p{Z}\p{L}\p{M}\p{Nd}])
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{#- A digit token written as a plain number: 446, 3,813 (groups of three), 2.5, 30616.16. -#}
{% macro number_digits_shape() -%}
    {%- set pattern -%}
^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{#-
  A text that may hold a number: a digit, or a number word or magnitude (seeds number_words and
  magnitudes) standing as a whole token (not inside a longer word: `one` but not `someone`). A text
  without one has no number-like token, so the numeric-claims models need not cut it into tokens.
-#}
{% macro number_word_pattern() -%}
    {%- set words = [] -%}
    {%- for row in lexicon_rows('number_words', 'word', {'word': 'zero', 'word_kind': 'cardinal'}) -%}
        {%- if row['word_kind'] in ('cardinal', 'tens', 'hundred', 'vague') -%}
            {%- do words.append(row['word']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for row in lexicon_rows('magnitudes', 'token', {'token': 'million'}) -%}
        {%- do words.append(row['token']) -%}
    {%- endfor -%}
    {{ sql_string('(?i)\\p{Nd}|(?:^|[^\\p{L}\\p{M}])(?:' ~ (words | unique | join('|')) ~ ')(?:$|[^\\p{L}\\p{M}])') }}
{%- endmacro %}

{#- Leading whitespace of a match, to cut it off. -#}
{% macro number_leading_space_pattern() -%}
    {%- set pattern -%}
^[\s\p{Z}]+
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
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


{#-
  Whether a token is a plural noun (the counted noun of a count): a lower-case word listed as plural in
  the claim_noun_words seed (people, children), or one of more than three letters ending in -s (not
  -ss, -us, -is: loss, surplus, crisis) that the seed does not list as no plural (was, this, overseas).
-#}
{% macro number_is_plural_noun(token_text, token_kind, is_listed_plural, is_listed_not_plural) -%}
    coalesce(
        {{ token_kind }} = 'word'
        and {{ token_text }} = lower({{ token_text }})
        and (
            coalesce({{ is_listed_plural }}, false)
            or (
                not coalesce({{ is_listed_not_plural }}, false)
                and length({{ token_text }}) > 3 and {{ token_text }} like '%s'
                and {{ token_text }} not like '%ss' and {{ token_text }} not like '%us' and {{ token_text }} not like '%is'
            )
        ),
        false
    )
{%- endmacro %}


{#-
  One sortable key for a position in an article: (paragraph, character offset) in that order, as one
  integer (a character offset stays below 10^9; a larger one, such as an open end, is capped there).
-#}
{% macro number_position_key(paragraph_index, char_offset) -%}
    cast({{ paragraph_index }} as bigint) * 1000000000 + cast(least({{ char_offset }}, 999999999) as bigint)
{%- endmacro %}


{#-
  `materialized` for a CTE that reads a lexicon seed: computed once and read by every branch that
  needs it. dbt's unit tests give a seed as a union of one select per row, and inlined into each of
  the many branches that match phrases it made DuckDB plan a union of hundreds of rows a dozen times
  (18 s to plan one unit test of int_number_mentions_excluded; 0.2 s materialized). Spark plans a CTE
  once: nothing to say there.
-#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'news_warehouse')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized_cte() -%}
{%- endmacro %}
