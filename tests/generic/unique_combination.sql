{#- No two rows share the same values in all the given columns. -#}
{% test unique_combination(model, columns) %}

with

rows_ as (
    select * from {{ model }}
),

repeated as (
    select
        {{ columns | join(', ') }},
        count(*) as row_total
    from rows_
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from repeated

{% endtest %}
