{#-
  Structural rules of an article's text, as regular expressions that RE2 (DuckDB) and Java (Spark) read
  alike. A pattern is written once, as it is (in a set block: Jinja's string literals would turn `\b`
  into a backspace), and sql_string() makes it a string literal of the engine. They are rules, not lexicons: the word lists
  (page furniture, contributor lines, ...) are seeds. Kept in macros so the rule is written once and each
  model and test that needs it calls it.
-#}

{#- Whitespace, including Unicode spaces (no-break space and friends) and zero-width characters. -#}
{% macro whitespace_class() -%}
    [\s\p{Z}\x{200b}\x{feff}\x{000b}]
{%- endmacro %}

{#-
  A leading dateline, up to and including its separator:
    CITY[, Region][, Region] - ...          (ERBIL, Kurdistan Region - ; SALVADOR, Feb 26 - )
    CITY[, Region] (Agency) - ...           (DALLAS (AP) — ; NEW YORK, Nov. 19 (UPI) — )
    City[, Region], Month day - ...         (Calgary, Alberta, March 19 - ; wire copy in title case)
    City[, Region] (Agency) - ...           (New York (AFP) – ; a known news agency)
  CITY is one or more upper-case words; a title-case city needs the month and day or a news agency. A hyphen needs
  spaces (or no-break spaces) on both sides and an en dash on one, so `U.S.-backed` is not a dateline;
  an em dash may touch the text (`BOSTON —Standing`).
-#}
{% macro dateline_pattern() -%}
    {%- set pattern -%}
^((?:\p{Lu}[\p{Lu}'’.\-]*\p{Lu}\.?(?:\s+\p{Lu}[\p{Lu}'’.\-]*)*(?:,\s*[^,()\n]{1,40}?){0,3}|\p{L}[\p{L}'’.\-]*(?:\s+\p{L}[\p{L}'’.\-]*){0,3}(?:,\s*[^,()\n]{1,40}?){0,2},\s*(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{L}*\.?\s+\d{1,2}|\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){0,3}(?:,\s*[^,()\n]{1,40}?){0,2}\s*\((?:AP|AFP|Reuters|UPI|CNN|Bloomberg|dpa|Xinhua|IANS|PTI|ANI|AA|EFE|ANSA|Kyodo|Yonhap)\))(?:\s*\([^()\n]{1,40}\))?,?(?:[\s\p{Z}]+-{1,2}[\s\p{Z}]+|[\s\p{Z}]+–[\s\p{Z}]*|[\s\p{Z}]*–[\s\p{Z}]+|[\s\p{Z}]*—[\s\p{Z}]*|\s*\([^()\n]{1,40}\)\s*-{1,2}\s*))
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{#- The dash separator at the end of a matched dateline, to cut it off. -#}
{% macro dateline_separator_pattern() -%}
    {%- set pattern -%}
,?[\s\p{Z}]*(?:-{1,2}|–|—)[\s\p{Z}]*$
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{#-
  A byline: a short line that is only a person's name (or two), optionally after `By`.
  Capitalised words, with name particles (al-, bin, de, van, ...) allowed inside.
-#}
{% macro byline_pattern() -%}
    {%- set pattern -%}
^(?:[Bb][Yy]:?\s+)?(\p{Lu}[\p{L}'’.\-]*(?:\s+(?:\p{Lu}[\p{L}'’.\-]*|al-\p{L}+|el-\p{L}+|bin|ibn|de|da|di|del|der|van|von|la|le)){1,4}(?:\s*(?:,|and|&)\s*\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){1,3})?)$
    {%- endset -%}
    {{ return(sql_string(pattern)) }}
{%- endmacro %}

{#- A line that reads like running text: a sentence (8+ space-separated tokens, or a final stop), not a label. -#}
{% macro sentence_like(expression) -%}
    ({{ count_tokens(expression) }} >= 8 or {{ regex_matches(expression, sql_string('[.!?:;"”’)]$')) }})
{%- endmacro %}
