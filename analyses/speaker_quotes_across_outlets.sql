-- What did one speaker say, and where? Every quote of each speaker quoted by more than one outlet.
-- The outlet is the article's source_name (a JSON Lines record's `source`); without one, the first folder
-- of source_path, or the JSON Lines file for `<file>#<id>` paths, or the file itself for a flat folder. Narrow it to one speaker with
-- `dbt compile --select speaker_quotes_across_outlets --vars '{speaker: "Thabet al-Abbasi"}'`.
{%- set speaker = var('speaker', none) %}
{%- if speaker %}
    {%- set speaker_condition = "lower(quotes.speaker_name) = lower('" ~ (speaker | replace("'", "''")) ~ "')" %}
{%- else %}
    {%- set speaker_condition = "true" %}
{%- endif %}
with

quotes as (
    select * from {{ ref('quotes') }}
),

articles as (
    select * from {{ ref('articles') }}
),

located as (
    select
        quotes.speaker_id,
        quotes.speaker_name,
        quotes.quote_text,
        quotes.attribution_verb,
        articles.title,
        articles.source_path,
        case
            when articles.source_name is not null then articles.source_name
            when articles.source_path like '%/%' then split_part(articles.source_path, '/', 1)
            when articles.source_path like '%#%' then split_part(articles.source_path, '#', 1)
            else articles.source_path
        end as outlet
    from quotes
    inner join articles
        on quotes.article_id = articles.article_id
    where
        quotes.speaker_id is not null
        and {{ speaker_condition }}
),

spread as (
    select
        speaker_id,
        count(distinct outlet) as outlet_count
    from located
    group by speaker_id
),

final as (
    select
        located.speaker_name,
        spread.outlet_count,
        located.outlet,
        located.title,
        located.attribution_verb,
        located.quote_text
    from located
    inner join spread
        on located.speaker_id = spread.speaker_id
    where spread.outlet_count > 1
)

select * from final
order by outlet_count desc, speaker_name asc, outlet asc, quote_text asc
