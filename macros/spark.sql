{#-
  What the Spark target (dbt-spark) needs beyond the dispatched SQL of the models: the raw tables
  registered over the loader's Parquet files, type names Spark accepts, seeds loaded with their
  backslashes, and incremental models built whole. Nothing here renders anything on DuckDB.
-#}

{#-
  on-run-start on Spark: the raw tables over the Parquet files the build exported them to (one file per
  load and table under `raw_parquet_location`, default NEWS_SPARK_DIR/raw: scripts/build/load/raw_parquet.py).
  External tables, made again on every run: dropping them leaves the files, and the new table reads
  the files of every load so far, its columns from theirs (merged, so a column added by a later load
  is null in the earlier ones).
-#}
{% macro register_raw_parquet() -%}
    {%- if target.type == 'spark' and execute -%}
        {%- set location = var('raw_parquet_location', env_var('NEWS_SPARK_DIR', 'warehouse/.spark') ~ '/raw') -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for name in ['articles', 'load_errors'] -%}
            {%- do run_query('drop table if exists raw.' ~ name) -%}
            {%- do run_query('create table raw.' ~ name ~ " using parquet options (mergeSchema 'true') location "
                ~ sql_string(location ~ '/' ~ name)) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#-
  A column type of the yml contracts (DuckDB's names: varchar, varchar[], bigint, ...) as the engine
  spells it. Spark's varchar needs a length (DATATYPE_MISSING_SIZE); its unbounded text is string.
-#}
{% macro type_name(name) -%}
    {{ return(adapter.dispatch('type_name', 'news_warehouse')(name)) }}
{%- endmacro %}

{% macro default__type_name(name) -%}
    {{ return(name) }}
{%- endmacro %}

{% macro spark__type_name(name) -%}
    {%- set lowered = name | trim | lower -%}
    {%- if lowered.endswith('[]') -%}
        {{ return('array<' ~ spark__type_name(lowered[:-2]) ~ '>') }}
    {%- elif lowered in ('varchar', 'text') -%}
        {{ return('string') }}
    {%- else -%}
        {{ return(lowered) }}
    {%- endif -%}
{%- endmacro %}


{#-
  dbt's cast() on Spark, with the contract's type names translated: an enforced contract checks a
  model's columns against `cast(null as <data_type>)` of each yml column (dbt's get_empty_schema_sql),
  so the yml keeps one set of names for both engines.
-#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ type_name(type) }})
{%- endmacro %}


{#-
  Seeds on Spark, as dbt-spark's own loader but with each value written as a Spark SQL literal.
  dbt-spark binds seed values with `%s` placeholders that its session cursor fills in with Python's
  `%` operator (dbt/adapters/spark/session.py, Cursor.execute): a value is pasted between quotes with
  nothing escaped, so Spark's parser then drops every backslash (`\s+ago` is stored as `s+ago`) and
  a value with a quote breaks the statement (the quotation_marks seed did not load).
-#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- set column_type = column_override.get(
                        agate_table.column_names[loop.index0], adapter.convert_type(agate_table, loop.index0)
                    ) -%}
                    cast({{ seed_literal(value) }} as {{ type_name(column_type) }}){{ ', ' if not loop.last }}
                {%- endfor -%}
                ){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#-
  A seed's table on Spark, as dbt-spark's create_csv_table but with the seed's column_types (DuckDB's
  names in the yml: varchar) translated by type_name(): Spark's varchar needs a length.
-#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set column_type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type_name(column_type) }}
                {{- ', ' if not loop.last -}}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

{#- One seed value (as agate read it) as a SQL literal of the engine. -#}
{% macro seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {{ sql_string(value | string) }}
    {%- endif -%}
{%- endmacro %}


{#-
  Incremental models on Spark are built whole, as tables, on every build. The incremental path keeps
  its state with `delete` (the strategies' hook drops the rows of replaced articles) and dbt's delete+insert,
  and Spark runs neither on plain Parquet tables: DELETE needs a Delta Lake or Iceberg table, whose jars
  are not part of pyspark (see docs/spark.md). incremental_run() is false on Spark, so the
  models render their full-build SQL, the hook renders nothing, and this materialization hands
  the model to dbt-spark's table materialization.
-#}
{% materialization incremental, adapter='spark' -%}
    {{ return(materialization_table_spark()) }}
{%- endmaterialization %}
