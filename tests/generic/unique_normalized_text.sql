{#- Within each partition no two rows have the same normalised text (see the normalize_text macro). -#}
{% test unique_normalized_text(model, column_name, partition_by) %}

with

rows_ as (
    select * from {{ model }}
),

repeated as (
    select
        {{ partition_by }},
        {{ normalize_text(column_name) }} as normalized_text,
        count(*) as row_total
    from rows_
    group by {{ partition_by }}, {{ normalize_text(column_name) }}
    having count(*) > 1
)

select * from repeated

{% endtest %}
