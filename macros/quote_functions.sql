{#-
  Engine-specific SQL and structural patterns for the quotes and speakers models, behind
  adapter.dispatch like macros/text_functions.sql: default__ is DuckDB, spark__ is dbt-spark.
  Patterns are constant literals (structural rules: quote-mark shapes, name shapes, sentence ends);
  word lists are seeds joined on tokens, never regexes built from seed rows.
-#}

{#- Any character that can be a quotation mark (curly, straight, low, guillemets, single). -#}
{% macro quote_mark_pattern() -%}
    {%- set pattern -%}
[“”„"«»‘’']
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}


{#-
  A run of capitalised words that may be a name: `Brig. Gen. Muqdad Miri`, `Thabet al-Abbasi`,
  `Martin O’Malley`, `James E. Clyburn`, `Abu al-Hassanein`. Possessives (`Rudaw’s`) end a run.
-#}
{% macro name_run_pattern() -%}
    {%- set pattern -%}
(?:\p{Lu}[\p{L}\-]*(?:[’']\p{Lu}[\p{L}\-]*)*(?:\.(?:\p{Lu}\.?)*)?|\b(?:al|el|ad|as|ash|an|ar|at|az|bin|ibn)-\p{L}[\p{L}\-]*)(?:[ \t\x{a0}]+(?:(?:bin|ibn|de|da|di|del|der|van|von|la|le|du|dos|das|bint|abu)[ \t\x{a0}]+)?(?:\p{Lu}[\p{L}\-]*(?:[’']\p{Lu}[\p{L}\-]*)*(?:\.(?:\p{Lu}\.?)*)?|(?:al|el|ad|as|ash|an|ar|at|az|bin|ibn)-\p{L}[\p{L}\-]*))*
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
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

{#-
  How many tokens two lists of distinct tokens share. DuckDB: a scan of the short list per token, several
  times faster than list_intersect's hash set on quote-sized lists; list_intersect beyond 256 tokens, so a
  pair of huge quotes stays linear.
-#}
{% macro token_intersection_size(left_list, right_list) -%}
    {{ return(adapter.dispatch('token_intersection_size', 'news_warehouse')(left_list, right_list)) }}
{%- endmacro %}

{% macro default__token_intersection_size(left_list, right_list) -%}
    case
        when len({{ right_list }}) <= 256
            then len(list_filter({{ left_list }}, token -> list_contains({{ right_list }}, token)))
        else len(list_intersect({{ left_list }}, {{ right_list }}))
    end
{%- endmacro %}

{% macro spark__token_intersection_size(left_list, right_list) -%}
    size(array_intersect({{ left_list }}, {{ right_list }}))
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



{#-
  Sentence ends (int_sentences_split): end punctuation, then any closing marks or brackets (the
  straight `'` too, as in the `''` of a quotation closed `.''`), then white space.
  `sentence_end_word_pattern` captures the word before the punctuation of a piece that ends with such
  a break (`Gen` in `Brig. Gen. `, `U.S` in `the U.S. `).
-#}
{% macro sentence_end_pattern() -%}
    {%- set pattern -%}
[.!?]+[”"’»)\]']*[\s\x{a0}]+
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{% macro sentence_end_word_pattern() -%}
    {%- set pattern -%}
([\p{L}\p{N}][\p{L}\p{N}.\-’']*?)[.!?]+[”"’»)\]']*[\s\x{a0}]+$
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{% macro sentence_end_at_end_pattern() -%}
    {%- set pattern -%}
[.!?]+[”"’»)\]']*[\s\x{a0}]+$
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}


{#-
  The last (first) non-null value of an expression in a window frame: `last_non_null('x') over (...)`.
-#}
{% macro last_non_null(expression) -%}
    {{ return(adapter.dispatch('last_non_null', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__last_non_null(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro spark__last_non_null(expression) -%}
    last({{ expression }}, true)
{%- endmacro %}

{% macro first_non_null(expression) -%}
    {{ return(adapter.dispatch('first_non_null', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__first_non_null(expression) -%}
    first_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro spark__first_non_null(expression) -%}
    first({{ expression }}, true)
{%- endmacro %}


{#-
  A token of the reporter's text (int_sentence_tokens_split), with the white space before it so that
  the pieces joined give the text back: a word (letters and digits with inner apostrophes, hyphens or
  periods: `al-Abbasi`, `Iraq’s`, `U.S`; digit groups `3,813`), else any one character.
-#}
{% macro sentence_token_pattern() -%}
    {%- set pattern -%}
[\s\x{a0}]*(?:[\p{L}\p{N}]+(?:[’'\-.][\p{L}\p{N}]+|,\d{3})*|[^\s\x{a0}])
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}


{#-
  A regular expression that matches any cue word of the speech_cues seed that can introduce speech,
  compiled from the seed when the model is compiled (macros/lexicons.sql): a cheap test that keeps
  the tokenisation to sentences that may hold an attribution.
-#}
{% macro speech_cue_word_pattern() -%}
    {{ sql_string('(?i)\\b(?:' ~ speech_cue_alternation() ~ ')\\b') }}
{%- endmacro %}


{#- A short attribution opening a text: at most five words, a speech cue, at most eight words and a
    sentence end (`Trump said.`, `said Smith, a lawyer for the firm.`), as a SQL literal. -#}
{% macro short_attribution_pattern() -%}
    {{ sql_string(cue_after_five_words() ~ '\\b(?:\\s+\\S+?){0,8}[.!?][”"’»)]*(?:\\s|$)') }}
{%- endmacro %}


{#- A text that opens with at most five words and a speech cue whose content clause follows: a
    subject pronoun (pronouns seed) or a complementizer (clause_words: `that`) right after the cue
    (`Mr Smith said he was confident …`), as a SQL literal. -#}
{% macro reported_clause_opening_pattern() -%}
    {%- set words = [] -%}
    {%- for row in lexicon_rows('pronouns', 'pronoun', {'pronoun': 'zzzzzz'}) -%}
        {%- do words.append(row['pronoun']) -%}
    {%- endfor -%}
    {%- for row in lexicon_rows('clause_words', 'word', {'word': 'zzzzzz', 'word_role': 'complementizer'}) -%}
        {%- if row['word_role'] == 'complementizer' -%}{%- do words.append(row['word']) -%}{%- endif -%}
    {%- endfor -%}
    {{ sql_string(cue_after_five_words() ~ '\\s+(?:' ~ (words | join('|')) ~ ')\\b') }}
{%- endmacro %}


{#- The opening both attribution patterns share: at most five words, then a speech cue (raw regex). -#}
{% macro cue_after_five_words() -%}
    {{ return('(?i)^\\s*(?:\\S+\\s+){0,5}(?:' ~ speech_cue_alternation() ~ ')') }}
{%- endmacro %}


{#- The cues of the speech_cues seed that can introduce speech (not `not_speech`, nor a `quoting`
    verb, whose cue is the `saying` after it), as a regex alternation. -#}
{% macro speech_cue_alternation() -%}
    {%- set rows = lexicon_rows('speech_cues', 'cue', {'cue': 'zzzzzz', 'cue_kind': 'speech'}) -%}
    {%- set words = [] -%}
    {%- for row in rows if row['cue_kind'] not in ('not_speech', 'quoting') -%}
        {%- do words.append(row['cue']) -%}
    {%- endfor -%}
    {{ return(words | join('|')) }}
{%- endmacro %}


{#-
  Source phrases (int_speech_source_segments_*, int_speech_source_phrases_cut), over the columns
  of int_sentence_tokens_marked and a window in token order over one cue's tokens. A token that ends
  a source phrase: an auxiliary, a lead-in verb (`went` of `Bryne went on to say`), a cue, a
  preposition (not `of` before a capital or after a lone determiner: `the Department of Defense`,
  `one of their lawyers`; not `for` or `to` before a capital, or a determiner and a capital: `a
  spokesman for Disney`, `a person close to the Clintons`), an adverb, time word or past form,
  except as a modifier after a determiner (`the first minister`, `The unidentified source`, `The
  Times`; not `four days`); never a capitalised word after a capitalised word other than a
  preposition (`the Sunday Times`, `Theresa May`; `On Monday` ends).
-#}
{% macro source_phrase_ends(window) -%}
    (
        (
            is_auxiliary
            or is_speech_lead_in
            or (cue_kind is not null and not cue_is_also_noun)
            or (
                is_preposition
                and not (
                    token_key = 'of'
                    and (
                        coalesce(lead(is_capitalised) over {{ window }}, false)
                        or coalesce(lag(is_determiner) over {{ window }}, false)
                    )
                )
                -- `a spokesman for Disney`, `a person close to the Clintons`: whom the source speaks for
                and not (
                    token_key in ('for', 'to')
                    and (
                        coalesce(lead(is_capitalised) over {{ window }}, false)
                        or coalesce(
                            lead(is_determiner) over {{ window }} and lead(is_capitalised, 2) over {{ window }}, false
                        )
                    )
                )
            )
            or (
                (is_adverb or is_time_word or is_past_form)
                and not (
                    (is_capitalised or not is_time_word)
                    and coalesce(lag(is_determiner and not is_time_word) over {{ window }}, false)
                )
            )
        )
        and not (is_capitalised and coalesce(lag(is_capitalised and not is_preposition) over {{ window }}, false))
    )
{%- endmacro %}


{#-
  A word a source phrase skips at its start: a linking word (`But`, `However`) or an opening time
  phrase (`Earlier this week`, `on Friday`; not `Sunday Times`, nor `this` before another word:
  `this senior citizen`).
-#}
{% macro source_phrase_opens(window) -%}
    (
        is_adverb or is_coordinator or is_subordinator
        or (
            is_time_word
            and not (is_capitalised and coalesce(lead(is_capitalised) over {{ window }}, false))
            and not (is_determiner and not coalesce(lead(is_time_word) over {{ window }}, false))
        )
        or (is_preposition and coalesce(lead(is_time_word) over {{ window }}, false))
    )
{%- endmacro %}


{#-
  A word that names no one on its own: a determiner, auxiliary, relative, preposition, adverb,
  linking word, pronoun, negation, time word or lead-in verb (`continued` of `…, continued to warn`),
  unless capitalised inside the sentence (`the US`, `the WHO`). A source phrase of such words only
  (`which`, `has`, `The`, `He`) names no one.
-#}
{% macro is_function_word() -%}
    (
        (
            is_determiner or is_auxiliary or is_relative_word or is_preposition or is_adverb
            or is_coordinator or is_subordinator or is_complementizer or is_object_word or is_negation
            or is_question_word or pronoun_refers_to is not null or is_time_word or is_speech_lead_in
        )
        and not (is_capitalised and not is_determiner and coalesce(previous_kind = 'word', false))
    )
{%- endmacro %}


{#-
  The quotes mart's attribution_method of a cue: `according_to`, `participle`, `pronoun` (a pronoun or
  a title phrase as source), `explicit_before` (the source comes before the content: `Miri said that …`,
  `Miri said: “…”`) or `explicit_after` (`…, Miri said`). Portable SQL: one definition for the direct
  and indirect quotes' models.
-#}
{% macro attribution_method(attribution_form, source_kind) -%}
    case
        when {{ attribution_form }} = 'according_to' then 'according_to'
        when {{ attribution_form }} = 'participle' then 'participle'
        when {{ source_kind }} in ('pronoun', 'title') then 'pronoun'
        when {{ attribution_form }} in ('source_verb_content', 'introduction') then 'explicit_before'
        else 'explicit_after'
    end
{%- endmacro %}


{#-
  Whether a cue's source is `he` or `she` after a reported content (`The image portrayed Mr Howard as a
  hypnotist, he argued.`; not after a quotation): such a pronoun refers to someone before the content
  (int_speech_antecedents_found) or to the person of a cue inside it (int_speech_sources_resolved).
  Portable SQL over the columns of int_speech_sources_found; one definition for both models.
-#}
{% macro is_pronoun_after_content(relation='') -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    ({{ prefix }}source_kind = 'pronoun'
    and {{ prefix }}pronoun_refers_to = 'person'
    and {{ prefix }}attribution_form = 'content_source_verb'
    and not {{ prefix }}is_quote_attribution)
{%- endmacro %}
