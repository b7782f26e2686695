{#- Schemas are named exactly as configured (raw, staging, intermediate, marts, lexicons),
    not prefixed with the target schema: the public contract is `marts.articles`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
