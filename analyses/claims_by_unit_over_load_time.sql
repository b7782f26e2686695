-- How many numeric claims of each unit class arrived with each day's loads (canonical articles only)?
with

claims as (
    select * from {{ ref('numeric_claims') }}
),

articles as (
    select * from {{ ref('articles') }}
),

daily as (
    select
        claims.unit_class,
        date_trunc('day', articles.loaded_at) as load_day,
        count(*) as claim_count,
        count(distinct claims.article_id) as article_count,
        cast(count_if(claims.is_vague) as bigint) as vague_claim_count
    from claims
    inner join articles
        on claims.article_id = articles.article_id
    where articles.duplicate_of_article_id is null
    group by claims.unit_class, date_trunc('day', articles.loaded_at)
),

final as (
    select
        load_day,
        unit_class,
        claim_count,
        article_count,
        vague_claim_count,
        cast(sum(claim_count) over (
            partition by unit_class order by load_day
            rows between unbounded preceding and current row
        ) as bigint) as cumulative_claim_count
    from daily
)

select * from final
order by load_day asc, claim_count desc, unit_class asc
