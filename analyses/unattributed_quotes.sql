-- How well are quotes attributed? Per article: quotes, quotes without a speaker, and how speakers were found.
with

quotes as (
    select * from {{ ref('quotes') }}
),

articles as (
    select * from {{ ref('articles') }}
),

per_article as (
    select
        article_id,
        count(*) as quote_count,
        cast(count_if(speaker_id is null) as bigint) as unattributed_count,
        cast(count_if(is_partial) as bigint) as partial_count,
        list(distinct attribution_method order by attribution_method) as attribution_methods
    from quotes
    group by article_id
),

final as (
    select
        articles.source_path,
        articles.title,
        per_article.quote_count,
        per_article.unattributed_count,
        per_article.partial_count,
        per_article.attribution_methods,
        round(per_article.unattributed_count / per_article.quote_count, 3) as unattributed_share
    from per_article
    inner join articles
        on per_article.article_id = articles.article_id
)

select * from final
order by unattributed_share desc, quote_count desc, source_path asc
