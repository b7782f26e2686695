-- speakers: one row per speaker entity across articles, with every spelling and role seen and the
-- number of its direct and indirect quotes. The quotes are the quotes mart's rows
-- (int_quotes_collected), each with the speaker_id of its name (int_speaker_names_clustered), as the
-- mart links them; a data test checks that the counts match the mart's.
with

quotes as (
    select * from {{ ref('int_quotes_collected') }}
),

resolved as (
    select * from {{ ref('int_speaker_names_clustered') }}
),

quoted as (
    select
        resolved.speaker_id,
        quotes.speaker_name,
        quotes.speaker_role,
        quotes.article_id,
        quotes.quote_type,
        resolved.is_person_speaker
    from quotes
    inner join resolved
        on quotes.speaker_name = resolved.speaker_name
),

name_ranks as (
    select
        speaker_id,
        speaker_name,
        row_number() over (
            partition by speaker_id
            order by count(*) desc, length(speaker_name) desc, speaker_name asc
        ) as name_rank
    from quoted
    group by speaker_id, speaker_name
),

aggregated as (
    select
        quoted.speaker_id,
        {{ collect_distinct_list('quoted.speaker_name') }} as name_variants,
        {{ collect_distinct_list('quoted.speaker_role') }} as roles,  -- noqa: RF04
        bool_or(quoted.is_person_speaker) as is_person,
        count(*) as quote_count,
        sum(case when quoted.quote_type = 'direct' then 1 else 0 end) as direct_quote_count,
        sum(case when quoted.quote_type = 'indirect' then 1 else 0 end) as indirect_quote_count,
        count(distinct quoted.article_id) as article_count
    from quoted
    group by quoted.speaker_id
),

final as (
    select
        aggregated.speaker_id,
        name_ranks.speaker_name,
        aggregated.name_variants,
        aggregated.roles,  -- noqa: RF04
        aggregated.is_person,
        cast(aggregated.quote_count as bigint) as quote_count,
        cast(aggregated.direct_quote_count as bigint) as direct_quote_count,
        cast(aggregated.indirect_quote_count as bigint) as indirect_quote_count,
        cast(aggregated.article_count as bigint) as article_count
    from aggregated
    inner join name_ranks
        on
            aggregated.speaker_id = name_ranks.speaker_id
            and name_ranks.name_rank = 1
)

select * from final
