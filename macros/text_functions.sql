{#-
  Engine-specific SQL lives here, behind adapter.dispatch, so the models stay portable:
  the default__ implementations are DuckDB's, the spark__ ones are for dbt-spark.
  String literals that hold regular expressions are written with sql_string() (macros/lexicons.sql),
  which escapes them for each engine: DuckDB reads a backslash as itself and doubles a quote, Spark
  reads a backslash as an escape.
-#}

{#- A short stable surrogate key from one or more column expressions (the same on both engines). -#}
{% macro hash_key(expressions) -%}
    substr(md5(concat_ws('|', {% for e in expressions %}coalesce(cast({{ e }} as {{ type_name('varchar') }}), ''){% if not loop.last %}, {% endif %}{% endfor %})), 1, 16)
{%- endmacro %}


{#- Does the text match the (RE2 / Java) regular expression? -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'news_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike {{ pattern }})
{%- endmacro %}


{#- The text of capture group `group` of the first match, '' when there is none (both engines). -#}
{% macro regex_extract(expression, pattern, group=0) -%}
    regexp_extract({{ expression }}, {{ pattern }}, {{ group }})
{%- endmacro %}


{#- Replace every match of the pattern (a replacement names a group with regex_group()). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'news_warehouse')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{#- A reference to capture group n in a replacement, as raw text for sql_string(): RE2's \1, Java's $1. -#}
{% macro regex_group(n) -%}
    {{ return(adapter.dispatch('regex_group', 'news_warehouse')(n)) }}
{%- endmacro %}

{% macro default__regex_group(n) -%}
    {{ return('\\' ~ n) }}
{%- endmacro %}

{% macro spark__regex_group(n) -%}
    {{ return('$' ~ n) }}
{%- endmacro %}


{#-
  Text normalised for comparison only (spec: NFKC, curly quotes to straight, whitespace runs to one
  space, lower case). Neither engine has NFKC, so the compatibility mappings that occur in news text
  (no-break and other Unicode spaces, zero-width characters, the ellipsis character) are applied by
  hand after NFC. An ASCII-only text (most of them) skips NFC and the mappings, which change only
  characters outside ASCII: the same result without the costliest calls.
-#}
{% macro normalize_text(expression) -%}
    {%- set curly = sql_string('“”„‟«»‘’‚‛') -%}
    {%- set straight = sql_string('""""""' ~ "''''") -%}
    trim({{ regex_replace_all(
        "lower(case when " ~ is_ascii(expression) ~ " then " ~ expression
        ~ " else replace(translate(" ~ nfc(expression) ~ ", " ~ curly ~ ", " ~ straight ~ "), '…', '...') end)",
        whitespace_to_collapse(),
        "' '"
    ) }})
{%- endmacro %}


{#- True when a text has no character outside ASCII (as many bytes in UTF-8 as characters). -#}
{% macro is_ascii(expression) -%}
    {{ return(adapter.dispatch('is_ascii', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__is_ascii(expression) -%}
    strlen({{ expression }}) = length({{ expression }})
{%- endmacro %}

{% macro spark__is_ascii(expression) -%}
    octet_length({{ expression }}) = length({{ expression }})
{%- endmacro %}


{#-
  Unicode NFC. DuckDB has it built in. Spark SQL has no normalisation function: the Spark build
  registers `nfc_normalize` (Python's unicodedata.normalize('NFC', ...)) as a function of its session
  (scripts/build/spark.py); on a cluster, register a function of that name (docs/spark.md).
-#}
{% macro nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}


{#-
  Whitespace that normalisation must touch: a run of two or more whitespace characters, or one that is
  not a plain space (tab, newline, no-break and other Unicode spaces, zero-width characters). Single
  spaces, the bulk of any text, do not match, which makes the replacement several times faster than
  replacing every whitespace run.
-#}
{% macro whitespace_to_collapse() -%}
    {%- set pattern -%}
[\s\p{Z}\x{200b}\x{feff}\x{000b}]{2,}|[\t\n\f\r\x{000b}\x{00a0}\x{1680}\x{2000}-\x{200b}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}


{#- Number of space-separated tokens of text already normalised (single spaces, trimmed, not empty). -#}
{% macro count_tokens(normalized_expression) -%}
    (length({{ normalized_expression }}) - length(replace({{ normalized_expression }}, ' ', '')) + 1)
{%- endmacro %}


{#- Split a string on a literal one-character delimiter into a list/array. -#}
{% macro split_string(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_string', 'news_warehouse')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__split_string(expression, delimiter) -%}
    string_split({{ expression }}, {{ delimiter }})
{%- endmacro %}

{% macro spark__split_string(expression, delimiter) -%}
    split({{ expression }}, {{ delimiter }})
{%- endmacro %}


{#-
  Select-list fragment: one row per element of a list, with its 0-based position.
  Use as `select key, {{ explode_with_position('my_list', 'item', 'item_position') }} from t`.
  Pass a list column: DuckDB's variant names the list twice (unnest and generate_subscripts), so an
  expression (a regex split of a text) is evaluated twice; compute the list in a CTE first.
-#}
{% macro explode_with_position(list_expression, value_alias, position_alias) -%}
    {{ return(adapter.dispatch('explode_with_position', 'news_warehouse')(list_expression, value_alias, position_alias)) }}
{%- endmacro %}

{% macro default__explode_with_position(list_expression, value_alias, position_alias) -%}
    unnest({{ list_expression }}) as {{ value_alias }},
    generate_subscripts({{ list_expression }}, 1) - 1 as {{ position_alias }}
{%- endmacro %}

{% macro spark__explode_with_position(list_expression, value_alias, position_alias) -%}
    posexplode({{ list_expression }}) as ({{ position_alias }}, {{ value_alias }})
{%- endmacro %}


{#-
  Concatenate a text column over a group in a given order; `where`: only over the rows where that
  condition holds (DuckDB filters them out before its per-group sort, which costs much less than
  sorting nulls when few rows hold).
-#}
{% macro string_agg_ordered(expression, delimiter, order_by, where=none) -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'news_warehouse')(expression, delimiter, order_by, where)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, delimiter, order_by, where=none) -%}
    string_agg({{ expression }}, {{ delimiter }} order by {{ order_by }})
    {%- if where is not none %} filter (where {{ where }}){% endif %}
{%- endmacro %}

{#- Spark: the values sorted by the order key, joined (nulls skipped); null, as string_agg, when all are null. -#}
{% macro spark__string_agg_ordered(expression, delimiter, order_by, where=none) -%}
    {%- set value = expression if where is none else 'case when ' ~ where ~ ' then ' ~ expression ~ ' end' -%}
    case when count({{ value }}) > 0 then
        array_join(transform(array_sort(collect_list(struct({{ order_by }} as k, {{ value }} as v))), x -> x.v), {{ delimiter }})
    end
{%- endmacro %}


{#-
  An aggregate over the rows where a condition holds, as a plain or window aggregate:
  `{{ aggregate_where('min', 'line_index', 'is_sentence_like') }}`, `{{ aggregate_where('count', '*', 'c') }} over (...)`.
  DuckDB filters (`filter (where ...)`); Spark has no FILTER clause on window aggregates, so there the
  value is null on the other rows, which every aggregate but count(*) skips (count counts 1s).
-#}
{% macro aggregate_where(function, expression, condition) -%}
    {{ return(adapter.dispatch('aggregate_where', 'news_warehouse')(function, expression, condition)) }}
{%- endmacro %}

{% macro default__aggregate_where(function, expression, condition) -%}
    {{ function }}({{ expression }}) filter (where {{ condition }})
{%- endmacro %}

{% macro spark__aggregate_where(function, expression, condition) -%}
    {{ function }}(case when {{ condition }} then {{ '1' if expression == '*' else expression }} end)
{%- endmacro %}


{#- Does the text start with the prefix? -#}
{% macro starts_with(expression, prefix) -%}
    {{ return(adapter.dispatch('starts_with', 'news_warehouse')(expression, prefix)) }}
{%- endmacro %}

{% macro default__starts_with(expression, prefix) -%}
    starts_with({{ expression }}, {{ prefix }})
{%- endmacro %}

{% macro spark__starts_with(expression, prefix) -%}
    startswith({{ expression }}, {{ prefix }})
{%- endmacro %}


{#-
  The text with the given characters cut from both ends (trim_chars) or from the start (ltrim_chars).
  DuckDB takes trim(text, characters); Spark's two-argument trim takes them the other way round,
  trim(characters, text), so the DuckDB order runs on Spark without an error and trims the wrong string.
-#}
{% macro trim_chars(expression, characters) -%}
    {{ return(adapter.dispatch('trim_chars', 'news_warehouse')(expression, characters)) }}
{%- endmacro %}

{% macro default__trim_chars(expression, characters) -%}
    trim({{ expression }}, {{ characters }})
{%- endmacro %}

{% macro spark__trim_chars(expression, characters) -%}
    trim(both {{ characters }} from {{ expression }})
{%- endmacro %}

{% macro ltrim_chars(expression, characters) -%}
    {{ return(adapter.dispatch('ltrim_chars', 'news_warehouse')(expression, characters)) }}
{%- endmacro %}

{% macro default__ltrim_chars(expression, characters) -%}
    ltrim({{ expression }}, {{ characters }})
{%- endmacro %}

{% macro spark__ltrim_chars(expression, characters) -%}
    trim(leading {{ characters }} from {{ expression }})
{%- endmacro %}


{#- The whole numbers from floor(first) to floor(last), both included, as a list. -#}
{% macro integer_range(first, last) -%}
    {{ return(adapter.dispatch('integer_range', 'news_warehouse')(first, last)) }}
{%- endmacro %}

{% macro default__integer_range(first, last) -%}
    range(cast(floor({{ first }}) as bigint), cast(floor({{ last }}) as bigint) + 1)
{%- endmacro %}

{% macro spark__integer_range(first, last) -%}
    sequence(cast(floor({{ first }}) as bigint), cast(floor({{ last }}) as bigint))
{%- endmacro %}
