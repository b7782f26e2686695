-- Every verified near-duplicate pair of paragraph texts ends in one cluster. Fails when label
-- propagation needed more rounds than the `near_duplicate_rounds` var gives: raise it.
with

pairs as (
    select * from {{ ref('int_paragraph_text_pairs_matched') }}
),

clusters as (
    select * from {{ ref('int_paragraph_texts_clustered') }}
),

split_pairs as (
    select
        pairs.paragraph_id_a,
        pairs.paragraph_id_b,
        clusters_a.near_duplicate_cluster_id as cluster_a,
        clusters_b.near_duplicate_cluster_id as cluster_b
    from pairs
    left join clusters as clusters_a
        on pairs.paragraph_id_a = clusters_a.paragraph_id
    left join clusters as clusters_b
        on pairs.paragraph_id_b = clusters_b.paragraph_id
    where
        clusters_a.near_duplicate_cluster_id is null
        or clusters_b.near_duplicate_cluster_id is null
        or clusters_a.near_duplicate_cluster_id <> clusters_b.near_duplicate_cluster_id
)

select * from split_pairs
