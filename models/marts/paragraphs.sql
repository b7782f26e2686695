-- paragraphs: one row per paragraph an article keeps (furniture and in-article repeats dropped),
-- with its offsets in the article body and the canonical first occurrence of the same text.
with

paragraphs as (
    select * from {{ ref('int_paragraphs__canonical') }}
),

final as (
    select
        paragraph_id,
        article_id,
        paragraph_index,
        paragraph_text,
        char_start,
        char_end,
        word_count,
        canonical_paragraph_id
    from paragraphs
)

select * from final
