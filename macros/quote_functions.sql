{#-
  Engine-specific SQL and structural patterns for the quotes and speakers models, behind
  adapter.dispatch like macros/text_functions.sql: default__ is DuckDB, spark__ is dbt-spark.
  Patterns are constant literals (structural rules: quote-mark shapes, name shapes, sentence ends);
  word lists are seeds joined on tokens, never regexes built from seed rows.
-#}

{#- Any character that can be a quotation mark (curly, straight, low, guillemets, single). -#}
{% macro quote_mark_pattern() -%}
    '[“”„"«»‘’'']'
{%- endmacro %}

{#-
  A sentence break: end punctuation (optionally followed by closing marks or brackets) and whitespace,
  after a word of two or more characters, a number or a bracket. A single capital (`J.`, the `S.` of
  `U.S.`) does not end a sentence; abbreviations (`Brig.`, `Sen.`, `Calif.`) are masked first with
  mask_abbreviations, which keeps every offset.
-#}
{% macro sentence_break_pattern() -%}
    '(?:^|[\s(\[])(?:[\p{L}\p{N}][\p{L}\p{N}''’\-]*[\p{L}\p{N}]|\p{N}|[\p{L}\p{N}]*[)\]])[.!?]+[”"’)]*\s+'
{%- endmacro %}

{#-
  The text with the period of common abbreviations (titles, months, US states, company suffixes)
  replaced by a middle dot: same length, so offsets found in it hold in the original.
-#}
{% macro mask_abbreviations(expression) -%}
    {{ regex_replace_all(
        expression,
        "'\\b(Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Reps|Gov|Lt|Col|Maj|Capt|Cpt|Sgt|Brig|Adm|Cmdr|Prof|Rev|Hon|Pres|Supt|Insp|No|Nos|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Calif|Fla|Ariz|Mass|Conn|Tenn|Penn|Ill|Ind|Mich|Minn|Wash|Wis|Va|Pa|Md|Mo|Ky|La|Ga|Ala|Ark|Colo|Del|Okla|Ore|Nev|Neb|Kan|Miss|Tex|Vt|Mont|Wyo|Inc|Corp|Co|Ltd|vs|etc|Ft|Mt)\\.'",
        "'\\1·'"
    ) }}
{%- endmacro %}

{#-
  A run of capitalised words that may be a name: `Brig. Gen. Muqdad Miri`, `Thabet al-Abbasi`,
  `Martin O’Malley`, `James E. Clyburn`, `Abu al-Hassanein`. Possessives (`Rudaw’s`) end a run.
-#}
{% macro name_run_pattern() -%}
    '(?:\p{Lu}[\p{L}\-]*(?:[’'']\p{Lu}[\p{L}\-]*)*(?:\.(?:\p{Lu}\.?)*)?|\b(?:al|el|ad|as|ash|an|ar|at|az|bin|ibn)-\p{L}[\p{L}\-]*)(?:[ \t\x{a0}]+(?:(?:bin|ibn|de|da|di|del|der|van|von|la|le|du|dos|das|bint|abu)[ \t\x{a0}]+)?(?:\p{Lu}[\p{L}\-]*(?:[’'']\p{Lu}[\p{L}\-]*)*(?:\.(?:\p{Lu}\.?)*)?|(?:al|el|ad|as|ash|an|ar|at|az|bin|ibn)-\p{L}[\p{L}\-]*))*'
{%- endmacro %}

{#- A word token for the attribution windows: words (with inner apostrophes, dots, hyphens) or , : ; -#}
{% macro attribution_token_pattern() -%}
    '[\p{L}\p{N}][\p{L}\p{N}''’.\-]*|[,:;—–]'
{%- endmacro %}

{#- All matches of a constant pattern, as a list. -#}
{% macro regex_extract_all_list(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_extract_all_list', 'news_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract_all_list(expression, pattern) -%}
    regexp_extract_all({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_extract_all_list(expression, pattern) -%}
    regexp_extract_all({{ expression }}, {{ pattern }}, 0)
{%- endmacro %}

{#- The pieces between matches of a constant pattern, as a list (one more than the matches). -#}
{% macro regex_split_list(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_split_list', 'news_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_split_list(expression, pattern) -%}
    regexp_split_to_array({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_split_list(expression, pattern) -%}
    split({{ expression }}, {{ pattern }}, -1)
{%- endmacro %}

{#-
  The text cut after every match of a constant one-character pattern, as a list: each piece but the
  last ends with its match, and the pieces joined give the text back. The cut marker is U+0001, a
  control character the loader never lets into stored text.
-#}
{% macro split_after_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('split_after_matches', 'news_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__split_after_matches(expression, pattern) -%}
    regexp_split_to_array(regexp_replace({{ expression }}, '(' || {{ pattern }} || ')', '\1' || chr(1), 'g'), chr(1))
{%- endmacro %}

{% macro spark__split_after_matches(expression, pattern) -%}
    split(regexp_replace({{ expression }}, concat('(', {{ pattern }}, ')'), concat('$1', char(1))), char(1), -1)
{%- endmacro %}

{#-
  The 0-based end offsets of the matches of a pattern in a text, from the text split on the pattern
  (`gaps_list`, one more element than the matches) and the matches (`matches_list`): match i ends
  after gaps 1..i and matches 1..i. Pass column names: the lists are read many times.
-#}
{% macro match_end_offsets(gaps_list, matches_list) -%}
    {{ return(adapter.dispatch('match_end_offsets', 'news_warehouse')(gaps_list, matches_list)) }}
{%- endmacro %}

{% macro default__match_end_offsets(gaps_list, matches_list) -%}
    list_transform(
        range(1, len({{ matches_list }}) + 1),
        i -> list_sum(list_transform(range(1, i + 1), j -> length({{ gaps_list }}[j]) + length({{ matches_list }}[j])))
    )
{%- endmacro %}

{% macro spark__match_end_offsets(gaps_list, matches_list) -%}
    transform(
        filter(sequence(1, greatest(size({{ matches_list }}), 1)), i -> i <= size({{ matches_list }})),
        i -> aggregate(sequence(1, i), 0L, (acc, j) -> acc + length(element_at({{ gaps_list }}, j)) + length(element_at({{ matches_list }}, j)))
    )
{%- endmacro %}

{#- How many elements of a list of numbers are at or below a value. -#}
{% macro count_at_or_below(list_expression, value_expression) -%}
    {{ return(adapter.dispatch('count_at_or_below', 'news_warehouse')(list_expression, value_expression)) }}
{%- endmacro %}

{% macro default__count_at_or_below(list_expression, value_expression) -%}
    len(list_filter({{ list_expression }}, x -> x <= {{ value_expression }}))
{%- endmacro %}

{% macro spark__count_at_or_below(list_expression, value_expression) -%}
    size(filter({{ list_expression }}, x -> x <= {{ value_expression }}))
{%- endmacro %}

{#- Number of elements of a list. -#}
{% macro list_length(expression) -%}
    {{ return(adapter.dispatch('list_length', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__list_length(expression) -%}
    len({{ expression }})
{%- endmacro %}

{% macro spark__list_length(expression) -%}
    size({{ expression }})
{%- endmacro %}

{#- The distinct values of an expression over a group, as a sorted list. -#}
{% macro collect_distinct_list(expression) -%}
    {{ return(adapter.dispatch('collect_distinct_list', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__collect_distinct_list(expression) -%}
    list_sort(list_distinct(list({{ expression }})))
{%- endmacro %}

{% macro spark__collect_distinct_list(expression) -%}
    array_sort(collect_set({{ expression }}))
{%- endmacro %}

{#- The distinct word tokens (a-z, 0-9, inner apostrophe) of an already normalised text, as a sorted list. -#}
{% macro word_token_set(expression) -%}
    {{ return(adapter.dispatch('word_token_set', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__word_token_set(expression) -%}
    list_sort(list_distinct(regexp_extract_all({{ expression }}, '[a-z0-9]+(?:''[a-z]+)?')))
{%- endmacro %}

{% macro spark__word_token_set(expression) -%}
    array_sort(array_distinct(regexp_extract_all({{ expression }}, {{ sql_string("[a-z0-9]+(?:'[a-z]+)?") }}, 0)))
{%- endmacro %}

{#- Jaccard similarity of two distinct-token lists. -#}
{% macro token_jaccard(left_list, right_list) -%}
    {{ return(adapter.dispatch('token_jaccard', 'news_warehouse')(left_list, right_list)) }}
{%- endmacro %}

{% macro default__token_jaccard(left_list, right_list) -%}
    (len(list_intersect({{ left_list }}, {{ right_list }}))
        / greatest(len(list_distinct(list_concat({{ left_list }}, {{ right_list }}))), 1))
{%- endmacro %}

{% macro spark__token_jaccard(left_list, right_list) -%}
    (size(array_intersect({{ left_list }}, {{ right_list }}))
        / greatest(size(array_union({{ left_list }}, {{ right_list }})), 1))
{%- endmacro %}

{#- Edit distance between two strings. -#}
{% macro edit_distance(left, right) -%}
    {{ return(adapter.dispatch('edit_distance', 'news_warehouse')(left, right)) }}
{%- endmacro %}

{% macro default__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro spark__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{#- The first / last n elements of a list of words, joined with spaces. -#}
{% macro list_head_words(expression, n) -%}
    {{ return(adapter.dispatch('list_head_words', 'news_warehouse')(expression, n)) }}
{%- endmacro %}

{% macro default__list_head_words(expression, n) -%}
    array_to_string(list_slice({{ expression }}, 1, {{ n }}), ' ')
{%- endmacro %}

{% macro spark__list_head_words(expression, n) -%}
    array_join(slice({{ expression }}, 1, {{ n }}), ' ')
{%- endmacro %}

{% macro list_tail_words(expression, n) -%}
    {{ return(adapter.dispatch('list_tail_words', 'news_warehouse')(expression, n)) }}
{%- endmacro %}

{% macro default__list_tail_words(expression, n) -%}
    array_to_string(list_slice({{ expression }}, -{{ n }}, -1), ' ')
{%- endmacro %}

{#- Spark's slice() rejects a start of 0, which -least(n, size) is for an empty list. -#}
{% macro spark__list_tail_words(expression, n) -%}
    array_join(slice({{ expression }}, greatest(size({{ expression }}) - {{ n }} + 1, 1), {{ n }}), ' ')
{%- endmacro %}

{#- The value of an expression on the row where order_expression is smallest (an aggregate). -#}
{% macro first_by(expression, order_expression) -%}
    {{ return(adapter.dispatch('first_by', 'news_warehouse')(expression, order_expression)) }}
{%- endmacro %}

{% macro default__first_by(expression, order_expression) -%}
    arg_min({{ expression }}, {{ order_expression }})
{%- endmacro %}

{% macro spark__first_by(expression, order_expression) -%}
    min_by({{ expression }}, {{ order_expression }})
{%- endmacro %}
