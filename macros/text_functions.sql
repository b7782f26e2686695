{#-
  Engine-specific SQL lives here, behind adapter.dispatch, so the models stay portable:
  the default__ implementations are DuckDB's, the spark__ ones are for dbt-spark.
-#}

{#- A short stable surrogate key from one or more column expressions. -#}
{% macro hash_key(expressions) -%}
    {{ return(adapter.dispatch('hash_key', 'news_warehouse')(expressions)) }}
{%- endmacro %}

{% macro default__hash_key(expressions) -%}
    substr(md5(concat_ws('|', {% for e in expressions %}coalesce(cast({{ e }} as varchar), ''){% if not loop.last %}, {% endif %}{% endfor %})), 1, 16)
{%- endmacro %}

{% macro spark__hash_key(expressions) -%}
    substr(md5(concat_ws('|', {% for e in expressions %}coalesce(cast({{ e }} as string), ''){% if not loop.last %}, {% endif %}{% endfor %})), 1, 16)
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


{#- The text of capture group `group` of the first match, '' when there is none. -#}
{% macro regex_extract(expression, pattern, group=0) -%}
    {{ return(adapter.dispatch('regex_extract', 'news_warehouse')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(expression, pattern, group) -%}
    regexp_extract({{ expression }}, {{ pattern }}, {{ group }})
{%- endmacro %}

{% macro spark__regex_extract(expression, pattern, group) -%}
    regexp_extract({{ expression }}, {{ pattern }}, {{ group }})
{%- endmacro %}


{#- Replace every match of the pattern. -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'news_warehouse')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{#- Number of word tokens (letters or digits, with inner apostrophes, hyphens and separators). -#}
{% macro word_count(expression) -%}
    {{ return(adapter.dispatch('word_count', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__word_count(expression) -%}
    len(regexp_extract_all({{ expression }}, '[\p{L}\p{N}]+(?:[''’.,\-][\p{L}\p{N}]+)*'))
{%- endmacro %}

{% macro spark__word_count(expression) -%}
    size(regexp_extract_all({{ expression }}, '[\\p{L}\\p{N}]+(?:[\'’.,\\-][\\p{L}\\p{N}]+)*', 0))
{%- endmacro %}


{#-
  Text normalised for comparison only (spec: NFKC, curly quotes to straight, whitespace runs to one
  space, lower case). DuckDB has NFC but not NFKC, so the compatibility mappings that occur in news
  text (no-break and other Unicode spaces, zero-width characters, the ellipsis character)
  are applied by hand after NFC.
-#}
{% macro normalize_text(expression) -%}
    {{ return(adapter.dispatch('normalize_text', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__normalize_text(expression) -%}
    trim(regexp_replace(
        lower(replace(translate(nfc_normalize({{ expression }}), '“”„‟«»‘’‚‛', '""""""'''''''''), '…', '...')),
        {{ whitespace_to_collapse() }}, ' ', 'g'
    ))
{%- endmacro %}

{% macro spark__normalize_text(expression) -%}
    trim(regexp_replace(
        lower(replace(translate({{ expression }}, '“”„‟«»‘’‚‛', '""""""\'\'\'\''), '…', '...')),
        '[\\s\\p{Z}\\x{200b}\\x{feff}\\x{000b}]+', ' '
    ))
{%- endmacro %}


{#-
  Whitespace that normalisation must touch: a run of two or more whitespace characters, or one that is
  not a plain space (tab, newline, no-break and other Unicode spaces, zero-width characters). Single
  spaces, the bulk of any text, do not match, which makes the replacement several times faster than
  replacing every whitespace run.
-#}
{% macro whitespace_to_collapse() -%}
    '[\s\p{Z}\x{200b}\x{feff}\x{000b}]{2,}|[\t\n\f\r\x{000b}\x{00a0}\x{1680}\x{2000}-\x{200b}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]'
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


{#- Concatenate a text column over a group in a given order. -#}
{% macro string_agg_ordered(expression, delimiter, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'news_warehouse')(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, delimiter, order_by) -%}
    string_agg({{ expression }}, {{ delimiter }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, delimiter, order_by) -%}
    array_join(transform(array_sort(collect_list(struct({{ order_by }} as k, {{ expression }} as v))), x -> x.v), {{ delimiter }})
{%- endmacro %}
