-- int_paragraph_texts_clustered: one row per distinct paragraph text that has at least one
-- near duplicate, with `near_duplicate_cluster_id`: the earliest text of its connected component in the
-- graph of verified near-duplicate pairs (A ~ B and B ~ C put A, B and C in one cluster).
with

pairs as (
    select * from {{ ref('int_paragraph_text_pairs_matched') }}
),

signatures as (
    select * from {{ ref('int_paragraph_texts_signed') }}
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

nodes as (
    select distinct node from edges
),

{{ connected_component_ctes('edges', 'nodes', 'components', var('near_duplicate_rounds')) }},

clusters as (
    select
        members.paragraph_id,
        cluster_first.paragraph_id as near_duplicate_cluster_id
    from {{ 'components_' ~ var('near_duplicate_rounds') }} as components
    inner join signatures as members
        on components.node = members.first_seen_rank
    inner join signatures as cluster_first
        on components.label = cluster_first.first_seen_rank
)

select * from clusters
