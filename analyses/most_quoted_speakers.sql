-- Who is quoted most, directly (in quotation marks) and indirectly (reported speech), in how many
-- articles, and under which names and roles?
with

speakers as (
    select * from {{ ref('speakers') }}
),

ranked as (
    select
        speaker_id,
        speaker_name,
        quote_count,
        direct_quote_count,
        indirect_quote_count,
        article_count,
        name_variants,
        roles,
        rank() over (order by quote_count desc) as quote_rank
    from speakers
    where quote_count > 0
)

select * from ranked
order by quote_rank asc, article_count desc, speaker_name asc
