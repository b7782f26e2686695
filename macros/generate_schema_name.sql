{#- Schemas are named exactly as configured (raw, staging, intermediate, marts, lexicons),
    not prefixed with the target schema: the public contract is `marts.articles`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}


{#- The staging and intermediate models and the seeds live in the attached build file on DuckDB
    (`+database: news_build`, see profiles.yml). Spark has one catalog: a database there is a schema,
    so no model names one (dbt-spark stops at `Cannot set database in spark!` otherwise). -#}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {%- if target.type == 'spark' -%}
        {{ return(none) }}
    {%- elif custom_database_name is none -%}
        {{ target.database }}
    {%- else -%}
        {{ custom_database_name | trim }}
    {%- endif -%}
{%- endmacro %}
