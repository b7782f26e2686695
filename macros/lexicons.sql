{#-
  Lexicon seeds that hold regular expressions (page furniture, credit lines) are read when a model is
  compiled, and each pattern is written into the SQL as a constant. A regex whose pattern comes from a
  joined column is recompiled for every row (DuckDB: ~100x slower); a constant one is compiled once.
  The lexicon stays data: edit the seed CSV, not the SQL.
  The model must still `ref()` the seed so dbt builds the seed first.
-#}
{#-
  `placeholder`: the one row to return when the seed is not in the database (sqlfluff's in-memory lint
  target) or is empty, so the generated SQL stays valid; give it a pattern that never matches.
-#}
{% macro lexicon_rows(seed_name, order_by, placeholder) -%}
    {%- if not execute -%}
        {{ return([placeholder]) }}
    {%- endif -%}
    {#- Unit tests compile without the project graph: fall back to the seeds' configured database and
        schema (dbt_project.yml: the attached build file, news_build, schema lexicons). -#}
    {%- set node = (graph.get('nodes') or {}).get('seed.' ~ project_name ~ '.' ~ seed_name) -%}
    {%- if node -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- else -%}
        {%- set relation = adapter.get_relation(database='news_build', schema='lexicons', identifier=seed_name) -%}
    {%- endif -%}
    {%- if relation is none -%}
        {{ return([placeholder]) }}
    {%- endif -%}
    {%- set result = run_query('select * from ' ~ relation ~ ' order by ' ~ order_by) -%}
    {%- set rows = [] -%}
    {%- for row in result.rows -%}
        {%- do rows.append(row) -%}
    {%- endfor -%}
    {{ return(rows or [placeholder]) }}
{%- endmacro %}


{#- A string as a SQL literal of the engine. -#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'news_warehouse')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}


{#- The words of person_titles by key: lower case without an abbreviation's dots (`Gen.`, `gen`),
    as every model that meets a title word in the text compares it. -#}
{% macro person_title_keys(person_titles, kinds=none) -%}
    select
        lower({{ trim_chars('title', "'.'") }}) as title_key,
        min(title_kind) as title_kind,
        max(gender) as title_gender,
        max(addressed_by) as addressed_by
    from {{ person_titles }}
    {%- if kinds %}
    where title_kind in ({% for kind in kinds %}{{ sql_string(kind) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endif %}
    group by lower({{ trim_chars('title', "'.'") }})
{%- endmacro %}
