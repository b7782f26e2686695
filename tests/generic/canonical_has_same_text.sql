{#-
  Each row's canonical row has the same normalised text and is its own canonical (one hop, no chains).
-#}
{% test canonical_has_same_text(model, column_name, key, text_column) %}

with

rows_ as (
    select * from {{ model }}
),

broken as (
    select
        rows_.{{ key }},
        rows_.{{ column_name }}
    from rows_
    left join rows_ as canonical
        on rows_.{{ column_name }} = canonical.{{ key }}
    where
        canonical.{{ key }} is null
        or canonical.{{ column_name }} <> canonical.{{ key }}
        -- Word-for-word copies (most syndicated text) need no normalising to compare.
        or (
            canonical.{{ text_column }} <> rows_.{{ text_column }}
            and {{ normalize_text('canonical.' ~ text_column) }} <> {{ normalize_text('rows_.' ~ text_column) }}
        )
)

select * from broken

{% endtest %}
