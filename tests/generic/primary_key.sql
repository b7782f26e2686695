{#-
  The column is a key: no null and no value twice. One scan and one dbt node where dbt's `unique` and
  `not_null` take two (a build runs each data test as a query of its own).
  With `new_rows_where` (e.g. "load_id > __untested_loads__", see macros/tests.sql), only the values of
  the rows matching the filter are checked, against every row: a null among them, or a value that any
  other row, new or older, also has. A repeat between two older rows is left out, so this is only for a
  model whose older rows passed when they were new and are never written again under an older load
  (an append-only model: its strategy deletes a replaced article's rows and the new version's rows
  carry the new load). When the filter keeps every row (a full build: filter_keeps_every_load), all
  values are read directly.
-#}
{% test primary_key(model, column_name, new_rows_where=none) %}

with

{%- if new_rows_where %}

-- Every row untested (a full build): every value without the semi-join; only one branch reads rows.
all_new as (
    select {{ filter_keeps_every_load(new_rows_where) }} as is_all_new
),

new_values as (
    select {{ column_name }} as key_value
    from {{ model }}
    where
        not (select all_new.is_all_new from all_new)
        and {{ resolve_untested_loads(new_rows_where) }}
),
{%- endif %}

key_values as (
    select {{ column_name }} as key_value
    from {{ model }}
    {%- if new_rows_where %}
    where (select all_new.is_all_new from all_new)
    union all
    select {{ column_name }} as key_value
    from {{ model }}
    where
        not (select all_new.is_all_new from all_new)
        and {{ column_name }} in (select new_values.key_value from new_values)
    union all
    select new_values.key_value
    from new_values
    where new_values.key_value is null
    {%- endif %}
),

broken as (
    select
        key_value,
        count(*) as row_total
    from key_values
    group by key_value
    having count(*) > 1 or key_value is null
)

select * from broken

{% endtest %}
