{#-
  Each row's canonical row has the same normalised text and is its own canonical (one hop, no chains).
  A row that is its own canonical passes by definition, so only the others are compared, against the
  rows that are their own canonical (a smaller join than the table with itself).
-#}
{% test canonical_has_same_text(model, column_name, key, text_column) %}

with

rows_ as (
    select * from {{ model }}
),

canonical_rows as (
    select * from {{ model }}
    where {{ column_name }} = {{ key }}
),

broken as (
    select
        rows_.{{ key }},
        rows_.{{ column_name }}
    from rows_
    left join canonical_rows as canonical
        on rows_.{{ column_name }} = canonical.{{ key }}
    where
        rows_.{{ column_name }} is distinct from rows_.{{ key }}
        and (
            canonical.{{ key }} is null
            -- Word-for-word copies (most syndicated text) need no normalising to compare.
            or (
                canonical.{{ text_column }} <> rows_.{{ text_column }}
                and {{ normalize_text('canonical.' ~ text_column) }} <> {{ normalize_text('rows_.' ~ text_column) }}
            )
        )
)

select * from broken

{% endtest %}
