{#-
  No two rows share the same values in all the given columns.
  With `new_rows_where` (e.g. "load_id > __untested_loads__", see macros/tests.sql) and `scope_column`
  (one of the columns), only the rows that share their scope_column value with a row matching the
  filter are grouped: the new rows and every older row they could repeat. A repeat between two older
  rows is left out, so this is only for an append-only model whose older rows passed when they were
  new and are never written again under an older load (a text-keyed model: a text's rows are written
  once, by the load that first brought it; an article-keyed model that appends: a replaced article's
  rows are deleted and its new rows carry the new load; the raw articles, never updated). When the
  filter keeps every row (a full build: filter_keeps_every_load), all rows with a scope are read
  without the semi-join: the same rows.
-#}
{% test unique_combination(model, columns, new_rows_where=none, scope_column=none) %}

with

{%- if new_rows_where %}

-- Every row untested (a full build): the same rows without the semi-join; only one branch reads rows.
all_new as (
    select {{ filter_keeps_every_load(new_rows_where) }} as is_all_new
),

rows_ as (
    select * from {{ model }}
    where
        (select all_new.is_all_new from all_new)
        and {{ scope_column }} is not null
    union all
    select * from {{ model }}
    where
        not (select all_new.is_all_new from all_new)
        and {{ scope_column }} in (
            select new_rows.{{ scope_column }} from {{ model }} as new_rows
            where
                not (select all_new.is_all_new from all_new)
                and {{ resolve_untested_loads(new_rows_where) }}
        )
),
{%- else %}

rows_ as (
    select * from {{ model }}
),
{%- endif %}

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
