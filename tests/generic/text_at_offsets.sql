{#-
  The text column equals the parent's text between the offsets (0-based start, exclusive end).
  `parent_where` filters the parent rows read, like the `where` config filters the model's (it may name
  `__untested_loads__`, see macros/tests.sql). It is for a model whose rows always share their
  parent row's load (a paragraph and its article): with the same load filter on both, the join reads
  the texts of the untested loads only, not the whole parent. A row whose parent the filter leaves
  out counts as mismatched, so the filter can make the test fail, never pass wrongly.

  Cost stays linear in the texts: cutting a string at a character offset reads it from its start when
  it holds a multi-byte character, so one cut per row of a long parent (a 10 MB paragraph with 100,000
  claims) grew with the square of its length. A parent longer than `long_text_chars` is therefore cut
  once into chunks of `chunk_chars` characters; a row no longer than a chunk is compared with the cut
  of its chunk and the next one (one join, no copy of the text per row), a longer row with the
  chunks that hold its offsets, joined; shorter parents are cut directly. The two sizes default to the
  vars text_at_offsets_long_text_chars and text_at_offsets_chunk_chars (100,000 and 1,000), which a
  test sets small to run the chunked paths on short texts.
-#}
{% test text_at_offsets(model, column_name, start_column, end_column, key, parent_model, parent_key, parent_text_column, parent_where=none, long_text_chars=none, chunk_chars=none) %}
{%- set long_text_chars = long_text_chars or var('text_at_offsets_long_text_chars', 100000) %}
{%- set chunk_chars = chunk_chars or var('text_at_offsets_chunk_chars', 1000) %}

with

child as (
    select * from {{ model }}
),

parent as (
    select
        {{ parent_key }} as parent_key,
        {{ parent_text_column }} as parent_text,
        length({{ parent_text_column }}) as parent_length
    from {{ parent_model }}
    {%- if parent_where %}
    where {{ resolve_untested_loads(parent_where) }}
    {%- endif %}
),

rows_ as (
    select
        child.{{ key }} as row_key,
        child.{{ start_column }} as row_start,
        child.{{ end_column }} as row_end,
        child.{{ column_name }} as row_text,
        parent.parent_key,
        parent.parent_length,
        case
            when parent.parent_length <= {{ long_text_chars }}
                then substr(parent.parent_text, child.{{ start_column }} + 1, child.{{ end_column }} - child.{{ start_column }})
        end as short_cut
    from child
    left join parent
        on child.{{ key }} = parent.parent_key
),

-- Long parents, cut once into chunks (0-based chunk_position), and the chunks each of their rows spans.
chunks as (
    select
        parent_key,
        {{ explode_with_position(test_text_chunks('parent_text', chunk_chars), 'chunk_text', 'chunk_position') }}
    from parent
    where parent_length > {{ long_text_chars }}
),

-- Each chunk with the next one after it: any row no longer than a chunk lies inside the pair that
-- starts at its first chunk.
chunk_pairs as (
    select
        parent_key,
        chunk_position,
        chunk_text || coalesce(lead(chunk_text) over (
            partition by parent_key order by chunk_position
        ), '') as pair_text
    from chunks
),

long_parent_rows as (
    select *
    from rows_
    where parent_length > {{ long_text_chars }} and row_start >= 0 and row_end >= row_start
),

short_long_cuts as (
    select
        long_parent_rows.row_key,
        long_parent_rows.row_start,
        long_parent_rows.row_end,
        long_parent_rows.row_text,
        substr(
            chunk_pairs.pair_text,
            long_parent_rows.row_start - chunk_pairs.chunk_position * {{ chunk_chars }} + 1,
            long_parent_rows.row_end - long_parent_rows.row_start
        ) as cut
    from long_parent_rows
    left join chunk_pairs
        on
            long_parent_rows.row_key = chunk_pairs.parent_key
            and chunk_pairs.chunk_position = cast(floor(long_parent_rows.row_start / {{ chunk_chars }}) as bigint)
    where long_parent_rows.row_end - long_parent_rows.row_start <= {{ chunk_chars }}
),

long_rows as (
    select
        *,
        row_number() over (order by row_key, row_start, row_end) as long_row
    from long_parent_rows
    where row_end - row_start > {{ chunk_chars }}
),

row_chunks as (
    select
        long_row,
        row_key,
        row_start,
        {{ explode_with_position(integer_range(
            'row_start / ' ~ chunk_chars, 'greatest(row_end - 1, row_start) / ' ~ chunk_chars
        ), 'chunk_position', 'chunk_order') }}
    from long_rows
),

long_cuts as (
    select
        row_chunks.long_row,
        min(row_chunks.row_start) - min(row_chunks.chunk_position) * {{ chunk_chars }} as offset_in_joined,
        coalesce({{ string_agg_ordered('chunks.chunk_text', "''", 'row_chunks.chunk_position') }}, '') as joined
    from row_chunks
    left join chunks
        on
            row_chunks.row_key = chunks.parent_key
            and row_chunks.chunk_position = chunks.chunk_position
    group by row_chunks.long_row
),

mismatched as (
    select
        row_key as {{ key }},
        row_start as {{ start_column }},
        row_end as {{ end_column }},
        row_text as {{ column_name }}
    from rows_
    where
        parent_key is null
        or row_start < 0
        or row_end < row_start
        or (parent_length <= {{ long_text_chars }} and short_cut is distinct from row_text)
    union all
    select
        row_key as {{ key }},
        row_start as {{ start_column }},
        row_end as {{ end_column }},
        row_text as {{ column_name }}
    from short_long_cuts
    where cut is distinct from row_text
    union all
    select
        long_rows.row_key as {{ key }},
        long_rows.row_start as {{ start_column }},
        long_rows.row_end as {{ end_column }},
        long_rows.row_text as {{ column_name }}
    from long_rows
    inner join long_cuts
        on long_rows.long_row = long_cuts.long_row
    where
        substr(long_cuts.joined, long_cuts.offset_in_joined + 1, long_rows.row_end - long_rows.row_start)
        is distinct from long_rows.row_text
)

select * from mismatched

{% endtest %}
