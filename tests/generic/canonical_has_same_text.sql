{#-
  Each row's canonical row exists, has the same normalised text and is its own canonical (one hop, no
  chains): a relationships test of the same column would repeat the first of these.
  A row that is its own canonical passes by definition, so only the others are compared, against the
  rows that are their own canonical.
  Two steps, so that the join with texts runs on a few rows, not the whole table: rows are grouped by
  their canonical, and a group passes when exactly one of its rows is the canonical itself and all its
  texts are the same word for word (min = max: exact, and most syndicated text is). Only the rows of
  the other groups (a missing or chained canonical, texts that differ before normalising) and rows
  without a canonical are joined to their canonical and compared after normalising.
-#}
{% test canonical_has_same_text(model, column_name, key, text_column) %}

with

rows_ as (
    select * from {{ model }}
),

canonical_groups as (
    select
        {{ column_name }},
        sum(case when {{ key }} = {{ column_name }} then 1 else 0 end) as canonical_rows,
        min({{ text_column }}) <> max({{ text_column }}) as texts_differ
    from rows_
    where {{ column_name }} is not null
    group by {{ column_name }}
),

suspect_groups as (
    select {{ column_name }} from canonical_groups
    where canonical_rows <> 1 or texts_differ
),

suspect_rows as (
    select * from rows_
    where
        {{ column_name }} is null
        or {{ column_name }} in (select suspect_groups.{{ column_name }} from suspect_groups)
),

canonical_rows as (
    select * from rows_
    where
        {{ column_name }} = {{ key }}
        and {{ key }} in (select suspect_groups.{{ column_name }} from suspect_groups)
),

broken as (
    select
        suspect_rows.{{ key }},
        suspect_rows.{{ column_name }}
    from suspect_rows
    left join canonical_rows as canonical
        on suspect_rows.{{ column_name }} = canonical.{{ key }}
    where
        suspect_rows.{{ column_name }} is distinct from suspect_rows.{{ key }}
        and (
            canonical.{{ key }} is null
            -- Word-for-word copies (most syndicated text) need no normalising to compare.
            or (
                canonical.{{ text_column }} <> suspect_rows.{{ text_column }}
                and {{ normalize_text('canonical.' ~ text_column) }}
                <> {{ normalize_text('suspect_rows.' ~ text_column) }}
            )
        )
)

select * from broken

{% endtest %}
