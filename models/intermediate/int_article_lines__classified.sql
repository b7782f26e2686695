-- int_article_lines__classified: one row per body line with its kind: furniture, byline, contributor
-- or content.
--   byline: the first line of the header (the lines before the first sentence-like line) that is only a
--     person's name, optionally after `By`; furniture lines in between do not count.
--   contributor: a trailing line such as `X contributed to this article.` (contributor_patterns seed),
--     when only furniture or other contributor lines follow it.
with

lines as (
    select * from {{ ref('int_article_lines__furniture') }}
),

contributor_patterns as (
    select * from {{ ref('contributor_patterns') }}
),

contributor_matches as (
    select
        lines.article_id,
        lines.line_index,
        trim({{ regex_extract('lines.line_text', 'contributor_patterns.pattern', 1) }}) as contributor_name,
        row_number() over (
            partition by lines.article_id, lines.line_index
            order by contributor_patterns.pattern_id
        ) as match_rank
    from lines
    inner join contributor_patterns
        on
            not lines.is_furniture
            and length(lines.line_text) <= contributor_patterns.max_length
            and {{ regex_matches('lines.line_text', 'contributor_patterns.pattern') }}
),

flagged as (
    select
        lines.*,
        contributor_matches.contributor_name,
        not lines.is_furniture and {{ sentence_like('lines.line_text') }} as is_sentence_like,
        not lines.is_furniture
        and length(lines.line_text) <= 80
        and {{ regex_matches('lines.line_text', byline_pattern()) }} as is_name_line
    from lines
    left join contributor_matches
        on
            lines.article_id = contributor_matches.article_id
            and lines.line_index = contributor_matches.line_index
            and contributor_matches.match_rank = 1
),

article_marks as (
    select
        article_id,
        coalesce(min(line_index) filter (where is_sentence_like), 1e9) as first_sentence_index,
        coalesce(
            max(line_index) filter (where not is_furniture and contributor_name is null), 0
        ) as last_text_index
    from flagged
    group by article_id
),

bylines as (
    select
        flagged.article_id,
        min(flagged.line_index) as byline_index
    from flagged
    inner join article_marks
        on flagged.article_id = article_marks.article_id
    where
        flagged.is_name_line
        and flagged.line_index < article_marks.first_sentence_index
    group by flagged.article_id
),

classified as (
    select
        flagged.article_id,
        flagged.line_index,
        flagged.line_text,
        flagged.char_start,
        flagged.char_end,
        flagged.furniture_pattern_id,
        case
            when flagged.is_furniture then 'furniture'
            when flagged.line_index = bylines.byline_index then 'byline'
            when
                flagged.contributor_name is not null
                and flagged.line_index > article_marks.last_text_index
                then 'contributor'
            else 'content'
        end as line_kind,
        case
            when flagged.line_index = bylines.byline_index
                then {{ regex_extract('flagged.line_text', byline_pattern(), 1) }}
        end as byline_name,
        case
            when flagged.line_index > article_marks.last_text_index then flagged.contributor_name
        end as contributor_name
    from flagged
    inner join article_marks
        on flagged.article_id = article_marks.article_id
    left join bylines
        on flagged.article_id = bylines.article_id
)

select * from classified
