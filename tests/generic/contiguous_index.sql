{#- Within each partition the index runs 1, 2, ..., n with no gap and no repeat. -#}
{% test contiguous_index(model, column_name, partition_by) %}

with

rows_ as (
    select * from {{ model }}
),

summary as (
    select
        {{ partition_by }},
        min({{ column_name }}) as first_index,
        max({{ column_name }}) as last_index,
        count(*) as row_total,
        count(distinct {{ column_name }}) as distinct_total
    from rows_
    group by {{ partition_by }}
),

broken as (
    select * from summary
    where
        first_index <> 1
        or last_index <> row_total
        or distinct_total <> row_total
)

select * from broken

{% endtest %}
