{#-
  Structural rules of an article's text, as RE2 patterns. They are rules, not lexicons: the word lists
  (page furniture, contributor lines, ...) are seeds. Kept in macros so the rule is written once and each
  model and test that needs it calls it.
-#}

{#- Whitespace, including Unicode spaces (no-break space and friends) and zero-width characters. -#}
{% macro whitespace_class() -%}
    [\s\p{Z}\x{200b}\x{feff}]
{%- endmacro %}

{#-
  A leading dateline, up to and including its separator:
    CITY[, Region][, Region] - ...          (ERBIL, Kurdistan Region - ; SALVADOR, Feb 26 - )
    CITY[, Region] (Agency) - ...           (DALLAS (AP) — ; NEW YORK, Nov. 19 (UPI) — )
  CITY is one or more upper-case words. Without an agency the dash must have spaces on both sides, so
  `U.S.-backed` is not a dateline.
-#}
{% macro dateline_pattern() -%}
    '^(\p{Lu}[\p{Lu}''’.\-]*\p{Lu}\.?(?:\s+\p{Lu}[\p{Lu}''’.\-]*)*(?:,\s*[^,()\n]{1,40}?){0,3}(?:\s*\([^()\n]{1,40}\)\s*(?:-{1,2}|–|—)\s*|\s+(?:-{1,2}|–|—)\s+))'
{%- endmacro %}

{#- The dash separator at the end of a matched dateline, to cut it off. -#}
{% macro dateline_separator_pattern() -%}
    '\s*(?:-{1,2}|–|—)\s*$'
{%- endmacro %}

{#-
  A byline: a short line that is only a person's name (or two), optionally after `By`.
  Capitalised words, with name particles (al-, bin, de, van, ...) allowed inside.
-#}
{% macro byline_pattern() -%}
    '^(?:[Bb][Yy]:?\s+)?(\p{Lu}[\p{L}''’.\-]*(?:\s+(?:\p{Lu}[\p{L}''’.\-]*|al-\p{L}+|el-\p{L}+|bin|ibn|de|da|di|del|der|van|von|la|le)){1,4}(?:\s*(?:,|and|&)\s*\p{Lu}[\p{L}''’.\-]*(?:\s+\p{Lu}[\p{L}''’.\-]*){1,3})?)$'
{%- endmacro %}

{#- A line that reads like running text: a sentence, not a label. -#}
{% macro sentence_like(expression) -%}
    ({{ word_count(expression) }} >= 8 or {{ regex_matches(expression, "'[.!?:;\"”’)]$'") }})
{%- endmacro %}
