{#-
  The `where` config of a data test may name `__untested_loads__`: it stands for the load_id through
  which an earlier build's rows have all passed their data tests (raw.build_state, kept by
  scripts/build/state.py), so `where: "load_id > __untested_loads__"` reads only rows of later loads.
  Only tests that check each row, or each article, on its own use it: an earlier load's rows passed
  them when they were built and no later build changes what they read there. Where the build file has
  no state (dbt run by hand on a new file) and on a full refresh it is -1: every row is read.

  This is dbt's documented way to template a `where` with a value known only when the test runs (the
  yml can give it var() and env_var() only, read when the project is parsed: a value that changes on
  every build there would make dbt parse the whole project again each time). dbt's get_where_subquery
  dispatches to default__get_where_subquery; this one replaces dbt's default__ (a project macro of the
  same name comes first) and is dbt's own with the placeholder replaced; the same on every engine.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ resolve_untested_loads(where) }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{#-
  Whether a test's row filter keeps every row because no load has passed its tests yet (a full build),
  as a SQL boolean: then `load_id > __untested_loads__` is `load_id > -1`, true for every load (ids
  start at 1), and a test that reads the untested loads' rows and the older rows sharing their key can
  read all rows without building that semi-join. False for a filter without `__untested_loads__`.
-#}
{% macro filter_keeps_every_load(where) -%}
    {%- if '__untested_loads__' in where -%}
        {{ tested_through_load_id() }} < 0
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}


{#- A row filter with `__untested_loads__` replaced by tested_through_load_id(). -#}
{% macro resolve_untested_loads(where) -%}
    {{- where | replace('__untested_loads__', tested_through_load_id()) if '__untested_loads__' in where else where -}}
{%- endmacro %}


{#-
  The last load whose rows passed every data test, as a SQL expression (-1: none). raw.build_state is the
  build's own table (scripts/build/state.py), beside the raw tables of the `news` source, whose node
  gives their database and schema; no model reads it, so it is not a source itself.
-#}
{% macro tested_through_load_id() -%}
    {%- set node = (graph.get('sources') or {}).get('source.' ~ project_name ~ '.news.articles') -%}
    {%- set relation = none -%}
    {%- if execute and node and not flags.FULL_REFRESH -%}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier='build_state') -%}
    {%- endif -%}
    {%- if relation is none -%}
        {{- return('-1') -}}
    {%- endif -%}
    {{- return('(select coalesce(max(tested_through_load_id), -1) from ' ~ relation ~ ')') -}}
{%- endmacro %}


{#- A text cut into consecutive chunks of at most n characters (n <= 1000: RE2's repeat limit), as a list. -#}
{% macro test_text_chunks(text_expression, n) -%}
    {{ return(adapter.dispatch('test_text_chunks', 'news_warehouse')(text_expression, n)) }}
{%- endmacro %}

{% macro default__test_text_chunks(text_expression, n) -%}
    regexp_extract_all({{ text_expression }}, '(?s).{1,{{ n }}}')
{%- endmacro %}

{% macro spark__test_text_chunks(text_expression, n) -%}
    regexp_extract_all({{ text_expression }}, '(?s).{1,{{ n }}}', 0)
{%- endmacro %}

