-- paragraphs: one row per paragraph an article keeps (furniture and in-article repeats dropped),
-- with its offsets in the article body and the canonical first occurrence of the same text.
with

paragraphs as (
    select * from {{ ref('int_paragraphs__canonical') }}
),

near_duplicate_clusters as (
    select * from {{ ref('int_paragraphs__near_duplicate_clusters') }}
),

final as (
    select
        paragraphs.paragraph_id,
        paragraphs.article_id,
        paragraphs.paragraph_index,
        paragraphs.paragraph_text,
        paragraphs.char_start,
        paragraphs.char_end,
        paragraphs.word_count,
        paragraphs.canonical_paragraph_id,
        coalesce(
            near_duplicate_clusters.near_duplicate_cluster_id, paragraphs.canonical_paragraph_id
        ) as near_duplicate_cluster_id
    from paragraphs
    left join near_duplicate_clusters
        on paragraphs.canonical_paragraph_id = near_duplicate_clusters.paragraph_id
)

select * from final
