{#- The text column equals the parent's text between the offsets (0-based start, exclusive end). -#}
{% test text_at_offsets(model, column_name, start_column, end_column, key, parent_model, parent_key, parent_text_column) %}

with

child as (
    select * from {{ model }}
),

parent as (
    select * from {{ parent_model }}
),

mismatched as (
    select
        child.{{ key }},
        child.{{ start_column }},
        child.{{ end_column }},
        child.{{ column_name }}
    from child
    left join parent
        on child.{{ key }} = parent.{{ parent_key }}
    where
        parent.{{ parent_key }} is null
        or child.{{ start_column }} < 0
        or child.{{ end_column }} < child.{{ start_column }}
        or substr(
            parent.{{ parent_text_column }},
            child.{{ start_column }} + 1,
            child.{{ end_column }} - child.{{ start_column }}
        ) is distinct from child.{{ column_name }}
)

select * from mismatched

{% endtest %}
