{#-
  The text column equals the parent's text between the offsets (0-based start, exclusive end).
  `parent_where` filters the parent rows read, like the `where` config filters the model's (it may name
  `__untested_loads__`, see macros/tests.sql). It is for a model whose rows always share their
  parent row's load (a paragraph and its article): with the same load filter on both, the join reads
  the texts of the untested loads only, not the whole parent. A row whose parent the filter leaves
  out counts as mismatched, so the filter can make the test fail, never pass wrongly.
-#}
{% test text_at_offsets(model, column_name, start_column, end_column, key, parent_model, parent_key, parent_text_column, parent_where=none) %}

with

child as (
    select * from {{ model }}
),

parent as (
    select * from {{ parent_model }}
    {%- if parent_where %}
    where {{ resolve_untested_loads(parent_where) }}
    {%- endif %}
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
