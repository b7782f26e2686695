-- int_paragraph_texts_clustered: one row per distinct paragraph text that has at least one
-- near duplicate, with `near_duplicate_cluster_id`: the earliest text of its connected component in the
-- graph of verified near-duplicate pairs (A ~ B and B ~ C put A, B and C in one cluster). The graph's
-- nodes are the texts' first_seen_ranks; each pair names its two texts, so the pairs alone map a rank
-- back to its paragraph.
with

pairs as (
    select * from {{ ref('int_paragraph_text_pairs_matched') }}
),

edges as (
    select
        rank_a as node,
        rank_b as neighbour
    from pairs
    union all
    select
        rank_b as node,
        rank_a as neighbour
    from pairs
),

-- The texts of the pairs, one row each (the pairs hold only texts signed now: a pair one of whose
-- texts is no longer signed is deleted, macros/incremental.sql).
texts as (
    select
        rank_a as node,
        paragraph_id_a as paragraph_id
    from pairs
    union
    select
        rank_b as node,
        paragraph_id_b as paragraph_id
    from pairs
),

nodes as (
    select node from texts
),

{{ connected_component_ctes('edges', 'nodes', 'components', var('near_duplicate_rounds')) }},

clusters as (
    select
        members.paragraph_id,
        cluster_first.paragraph_id as near_duplicate_cluster_id
    from {{ 'components_' ~ var('near_duplicate_rounds') }} as components
    inner join texts as members
        on components.node = members.node
    inner join texts as cluster_first
        on components.label = cluster_first.node
)

select * from clusters
