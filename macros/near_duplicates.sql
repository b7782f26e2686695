{#-
  MinHash and LSH banding for near-duplicate detection (spec: word 5-gram shingles, Jaccard >= a
  threshold), behind adapter.dispatch: default__ is DuckDB, spark__ is dbt-spark.

  shingles:   the distinct hashes of the word n-grams of a normalised text (single spaces, lower case),
              as 32-bit integers (an article's list is kept for the exact verification: half the memory).
  signature:  num_hashes minima, one per hash function h_k(s) = hash(s + k * 2^32) over the shingles
              (s < 2^32, so each k gives a distinct input: k independent hash functions, not one hash
              xor-ed with k constants, which would correlate the minima); the high 32 bits are kept.
              The signature of a union of sets is the element-wise minimum of their signatures, so an
              article's signature comes from its paragraphs' without hashing the article again.
  band keys:  the signature cut into `bands` bands of `rows` minima, each band hashed with its index.
              Two texts whose Jaccard is J share at least one band key with probability
              1 - (1 - J^rows)^bands (12 x 4: 0.96 at J = 0.7, 0.998 at J = 0.8).
  agreement:  the share of equal minima of two signatures, an estimate of their Jaccard; a candidate
              whose estimate is more than `near_duplicate_estimate_margin` (0.2) under the threshold is
              not checked further (at J = 0.7 the estimate of 48 minima falls that low 0.13% of the time).
  verified:   every other candidate's exact Jaccard is computed from the two shingle lists.
-#}

{#-
  Distinct 32-bit hashes of the word n-grams of a list of words (the normalised text split on spaces);
  an empty list when there are fewer than n words.
-#}
{% macro word_shingles(words_expression, n=5) -%}
    {{ return(adapter.dispatch('word_shingles', 'news_warehouse')(words_expression, n)) }}
{%- endmacro %}

{% macro default__word_shingles(words_expression, n) -%}
    list_distinct(list_transform(
        range(greatest(len({{ words_expression }}) - {{ n - 1 }}, 0)),
        i -> cast(hash({% for j in range(1, n + 1) %}{{ words_expression }}[i + {{ j }}]{% if not loop.last %}, {% endif %}{% endfor %}) % 4294967291 as uinteger)
    ))
{%- endmacro %}

{% macro spark__word_shingles(words_expression, n) -%}
    array_distinct(transform(
        filter(sequence(0, greatest(size({{ words_expression }}) - {{ n }}, 0)), i -> i + {{ n }} <= size({{ words_expression }})),
        i -> pmod(xxhash64(concat_ws(' ', slice({{ words_expression }}, i + 1, {{ n }}))), 4294967291)
    ))
{%- endmacro %}


{#-
  Aggregate: the MinHash signature of a group's shingles (one row per shingle), a list of num_hashes
  minima (the high 32 bits of each), one plain min per hash function: the rows are hashed in vectors
  rather than through a lambda per text and function.
-#}
{% macro minhash_signature_agg(shingle_expression, num_hashes) -%}
    {{ return(adapter.dispatch('minhash_signature_agg', 'news_warehouse')(shingle_expression, num_hashes)) }}
{%- endmacro %}

{% macro default__minhash_signature_agg(shingle_expression, num_hashes) -%}
    list_value(
        {%- for k in range(num_hashes) %}
        cast(min(hash(cast({{ shingle_expression }} as ubigint) + (cast({{ k }} as ubigint) << 32))) >> 32 as uinteger)
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#-
  Spark's xxhash64 is signed, and so is min's order: the high 32 bits are kept with a signed
  shift, which keeps that order, so the minimum of two signatures is still the signature of the union
  (signature_union_agg). An unsigned shift, as before, put a positive minimum (a short text's, whose few
  hashes may all be positive) under every negative one: an article's signature then came from its
  shortest paragraphs, and at 100,000 articles Spark found 9,413 article pairs where DuckDB found 13,905.
-#}
{% macro spark__minhash_signature_agg(shingle_expression, num_hashes) -%}
    array(
        {%- for k in range(num_hashes) %}
        shiftright(min(xxhash64({{ shingle_expression }} + shiftleft(cast({{ k }} as bigint), 32))), 32)
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}


{#- The LSH band keys of a signature: a list of `bands` hashes, band i of minima i*rows+1 .. (i+1)*rows. -#}
{% macro lsh_band_keys(signature_expression, bands, rows) -%}
    {{ return(adapter.dispatch('lsh_band_keys', 'news_warehouse')(signature_expression, bands, rows)) }}
{%- endmacro %}

{% macro default__lsh_band_keys(signature_expression, bands, rows) -%}
    list_transform(
        range({{ bands }}),
        b -> hash(b, {{ signature_expression }}[b * {{ rows }} + 1:(b + 1) * {{ rows }}])
    )
{%- endmacro %}

{% macro spark__lsh_band_keys(signature_expression, bands, rows) -%}
    transform(
        sequence(0, {{ bands - 1 }}),
        b -> xxhash64(b, slice({{ signature_expression }}, b * {{ rows }} + 1, {{ rows }}))
    )
{%- endmacro %}


{#-
  Aggregate: the element-wise minimum of a group's equally long signatures (the signature of the union
  of their sets), one plain min per position: no list of the group's signatures is built.
-#}
{% macro signature_union_agg(signature_expression, num_hashes) -%}
    {{ return(adapter.dispatch('signature_union_agg', 'news_warehouse')(signature_expression, num_hashes)) }}
{%- endmacro %}

{% macro default__signature_union_agg(signature_expression, num_hashes) -%}
    list_value(
        {%- for k in range(num_hashes) %}
        min({{ signature_expression }}[{{ k + 1 }}]){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro spark__signature_union_agg(signature_expression, num_hashes) -%}
    array(
        {%- for k in range(num_hashes) %}
        min({{ signature_expression }}[{{ k }}]){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}


{#- The number of elements two lists of distinct shingles share (for their exact Jaccard). -#}
{% macro shingle_intersection_size(left_expression, right_expression) -%}
    {{ return(adapter.dispatch('shingle_intersection_size', 'news_warehouse')(left_expression, right_expression)) }}
{%- endmacro %}

{% macro default__shingle_intersection_size(left_expression, right_expression) -%}
    len(list_intersect({{ left_expression }}, {{ right_expression }}))
{%- endmacro %}

{% macro spark__shingle_intersection_size(left_expression, right_expression) -%}
    size(array_intersect({{ left_expression }}, {{ right_expression }}))
{%- endmacro %}


{#-
  The share of positions where two MinHash signatures agree: an unbiased estimate of the Jaccard
  similarity, 48 comparisons instead of hundreds of shingles. Used to skip the exact check of candidates
  that are clearly far below the threshold.
-#}
{% macro signature_agreement(left_expression, right_expression, num_hashes) -%}
    {{ return(adapter.dispatch('signature_agreement', 'news_warehouse')(left_expression, right_expression, num_hashes)) }}
{%- endmacro %}

{% macro default__signature_agreement(left_expression, right_expression, num_hashes) -%}
    (len(list_filter(range({{ num_hashes }}), k -> {{ left_expression }}[k + 1] = {{ right_expression }}[k + 1])) / {{ num_hashes }})
{%- endmacro %}

{% macro spark__signature_agreement(left_expression, right_expression, num_hashes) -%}
    (size(filter(sequence(0, {{ num_hashes - 1 }}), k -> {{ left_expression }}[k] = {{ right_expression }}[k])) / {{ num_hashes }})
{%- endmacro %}


{#-
  Connected components of an undirected graph as a chain of CTEs: min-label propagation with pointer
  jumping, `rounds` times. `edges` has columns node and neighbour (both directions); `nodes` has node,
  a number that orders the nodes (the component is labelled with its smallest). Emits the CTEs
  <prefix>_0 .. <prefix>_<rounds>, each (node, label); a data test checks that every edge's two ends
  end with one label, so a graph that needs more rounds fails the build instead of splitting silently.
-#}
{% macro connected_component_ctes(edges, nodes, prefix, rounds) -%}
    {{ return(adapter.dispatch('connected_component_ctes', 'news_warehouse')(edges, nodes, prefix, rounds)) }}
{%- endmacro %}

{% macro default__connected_component_ctes(edges, nodes, prefix, rounds) -%}
{{ prefix }}_0 as (
    select
        node,
        node as label
    from {{ nodes }}
),
{% for round in range(1, rounds + 1) %}
{{ prefix }}_hooked_{{ round }} as (
    select
        current_labels.node,
        least(min(current_labels.label), min(neighbour_labels.label)) as label
    from {{ prefix }}_{{ round - 1 }} as current_labels
    left join {{ edges }} as graph_edges
        on current_labels.node = graph_edges.node
    left join {{ prefix }}_{{ round - 1 }} as neighbour_labels
        on graph_edges.neighbour = neighbour_labels.node
    group by current_labels.node
),

{{ prefix }}_{{ round }} as (
    select
        hooked.node,
        least(hooked.label, coalesce(label_owner.label, hooked.label)) as label
    from {{ prefix }}_hooked_{{ round }} as hooked
    left join {{ prefix }}_hooked_{{ round }} as label_owner
        on hooked.label = label_owner.node
){% if not loop.last %},{% endif %}
{% endfor %}
{%- endmacro %}


{#-
  The same rounds for Spark, which inlines a CTE at every reference: above, each round reads the one
  before it four times (labels twice, hooked twice), so the plan of round 8 holds 4^8 copies of the
  first and the driver ran out of heap planning it. Here each round reads the one before it once:
    hook:  a node's smallest label over itself and its neighbours, one join of the edges (with a loop
           at every node, so every node has a row) to the labels;
    jump:  the label's own label, without a self-join: each hooked row is emitted twice, as
           (key = node, value = label, own) and (key = label, value = node, asking); in a window by
           key the own row's value is the key's label, which the asking rows take.
  The labels every round converges to are the same as above (each component's smallest node); the data
  test on the edges fails the build when the rounds were too few.
-#}
{% macro spark__connected_component_ctes(edges, nodes, prefix, rounds) -%}
{{ prefix }}_0 as (
    select
        node,
        node as label
    from {{ nodes }}
),

{{ prefix }}_edges as (
    select
        node,
        neighbour
    from {{ edges }}
    union all
    select
        node,
        node as neighbour
    from {{ nodes }}
),
{% for round in range(1, rounds + 1) %}
{{ prefix }}_hooked_{{ round }} as (
    select
        graph_edges.node,
        min(neighbour_labels.label) as label
    from {{ prefix }}_edges as graph_edges
    inner join {{ prefix }}_{{ round - 1 }} as neighbour_labels
        on graph_edges.neighbour = neighbour_labels.node
    group by graph_edges.node
),

{{ prefix }}_asked_{{ round }} as (
    select inline(array(
        named_struct('key', node, 'value', label, 'is_own', true),
        named_struct('key', label, 'value', node, 'is_own', false)
    ))
    from {{ prefix }}_hooked_{{ round }}
),

{{ prefix }}_answered_{{ round }} as (
    select
        value as node,
        key as label,
        min(case when is_own then value end) over (partition by key) as label_of_label,
        is_own
    from {{ prefix }}_asked_{{ round }}
),

{{ prefix }}_{{ round }} as (
    select
        node,
        least(label, coalesce(label_of_label, label)) as label
    from {{ prefix }}_answered_{{ round }}
    where not is_own
){% if not loop.last %},{% endif %}
{% endfor %}
{%- endmacro %}


{#- Aggregate: the values of a group as a list. -#}
{% macro collect_list(expression) -%}
    {{ return(adapter.dispatch('collect_list', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__collect_list(expression) -%}
    list({{ expression }})
{%- endmacro %}

{% macro spark__collect_list(expression) -%}
    collect_list({{ expression }})
{%- endmacro %}


{#- The distinct elements of a list of lists, as one list. -#}
{% macro list_distinct_flatten(expression) -%}
    {{ return(adapter.dispatch('list_distinct_flatten', 'news_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__list_distinct_flatten(expression) -%}
    list_distinct(flatten({{ expression }}))
{%- endmacro %}

{% macro spark__list_distinct_flatten(expression) -%}
    array_distinct(flatten({{ expression }}))
{%- endmacro %}


{#-
  Aggregate: the value of `expression` on the row with the smallest `order_expression`, among the rows
  where `expression` is not null (DuckDB's arg_min skips those; Spark's min_by does not, so its rows
  are left out there by a null order).
-#}
{% macro arg_min(expression, order_expression) -%}
    {{ return(adapter.dispatch('arg_min', 'news_warehouse')(expression, order_expression)) }}
{%- endmacro %}

{% macro default__arg_min(expression, order_expression) -%}
    arg_min({{ expression }}, {{ order_expression }})
{%- endmacro %}

{% macro spark__arg_min(expression, order_expression) -%}
    min_by({{ expression }}, case when {{ expression }} is not null then {{ order_expression }} end)
{%- endmacro %}
