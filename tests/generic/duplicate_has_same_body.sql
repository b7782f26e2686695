{#-
  A duplicate article points at a canonical article (one that is not itself a duplicate) whose
  normalised body, its paragraphs' normalised texts in order, is the same.
-#}
{% test duplicate_has_same_body(model, duplicate_column, key, paragraph_model) %}

with

articles as (
    select * from {{ model }}
),

paragraphs as (
    select * from {{ paragraph_model }}
),

-- Only the bodies of duplicates and of the articles they point at are compared.
involved as (
    select articles.{{ key }} as article_id
    from articles
    where articles.{{ duplicate_column }} is not null
    union
    select articles.{{ duplicate_column }} as article_id
    from articles
    where articles.{{ duplicate_column }} is not null
),

bodies as (
    select
        paragraphs.article_id,
        {{ string_agg_ordered(normalize_text('paragraphs.paragraph_text'), 'chr(10)', 'paragraphs.paragraph_index') }}
            as normalized_body
    from paragraphs
    inner join involved
        on paragraphs.article_id = involved.article_id
    group by paragraphs.article_id
),

broken as (
    select
        duplicate.{{ key }},
        duplicate.{{ duplicate_column }}
    from articles as duplicate
    left join articles as canonical
        on duplicate.{{ duplicate_column }} = canonical.{{ key }}
    left join bodies as duplicate_body
        on duplicate.{{ key }} = duplicate_body.article_id
    left join bodies as canonical_body
        on canonical.{{ key }} = canonical_body.article_id
    where
        duplicate.{{ duplicate_column }} is not null
        and (
            canonical.{{ key }} is null
            or canonical.{{ duplicate_column }} is not null
            or duplicate_body.normalized_body is distinct from canonical_body.normalized_body
        )
)

select * from broken

{% endtest %}
