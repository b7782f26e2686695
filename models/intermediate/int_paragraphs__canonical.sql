-- int_paragraphs__canonical: one row per kept paragraph with `canonical_paragraph_id`, the first
-- occurrence of the same normalised text anywhere in the warehouse (earliest loaded article, then
-- source path, then position); a paragraph that is the first occurrence points at itself.
with

paragraphs as (
    select * from {{ ref('int_paragraphs__deduped') }}
),

articles as (
    select * from {{ ref('stg_news__articles') }}
),

ordered as (
    select
        paragraphs.paragraph_id,
        paragraphs.article_id,
        paragraphs.load_id,
        paragraphs.text_id,
        paragraphs.paragraph_index,
        paragraphs.line_index,
        paragraphs.dateline,
        paragraphs.paragraph_text,
        paragraphs.char_start,
        paragraphs.char_end,
        paragraphs.word_count,
        paragraphs.normalized_text,
        first_value(paragraphs.paragraph_id) over (
            partition by paragraphs.normalized_text
            order by
                articles.loaded_at asc,
                articles.load_id asc,
                articles.source_path asc,
                paragraphs.paragraph_index asc
            rows between unbounded preceding and unbounded following
        ) as canonical_paragraph_id
    from paragraphs
    inner join articles
        on paragraphs.article_id = articles.article_id
)

select * from ordered
