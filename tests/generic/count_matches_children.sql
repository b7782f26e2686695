{#- A stored count equals the number of child rows (zero when there are none). -#}
{% test count_matches_children(model, count_column, key, child_model, child_key) %}

with

parent as (
    select * from {{ model }}
),

child as (
    select * from {{ child_model }}
),

child_counts as (
    select
        {{ child_key }} as parent_key,
        count(*) as child_total
    from child
    group by {{ child_key }}
),

mismatched as (
    select
        parent.{{ key }},
        parent.{{ count_column }},
        coalesce(child_counts.child_total, 0) as child_total
    from parent
    left join child_counts
        on parent.{{ key }} = child_counts.parent_key
    where parent.{{ count_column }} is distinct from coalesce(child_counts.child_total, 0)
)

select * from mismatched

{% endtest %}
