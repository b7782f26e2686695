-- int_article_lines__furniture: one row per body line, flagged when it is page furniture.
-- A line is furniture when it matches a `line` pattern of the page_furniture_patterns seed, or when it
-- sits at or after a comment-section header (`section_start` pattern) in the second half of the article.
with

lines as (
    select * from {{ ref('int_article_lines') }}
),

patterns as (
    select * from {{ ref('page_furniture_patterns') }}
),

-- Only short lines can be furniture; the pattern's max_length keeps the regex off long paragraphs.
candidates as (
    select
        lines.article_id,
        lines.line_index,
        lines.line_text
    from lines
    where length(lines.line_text) <= (select max(patterns.max_length) from patterns)
),

matches as (
    select
        candidates.article_id,
        candidates.line_index,
        patterns.pattern_id,
        patterns.scope,
        row_number() over (
            partition by candidates.article_id, candidates.line_index
            order by patterns.scope desc, patterns.pattern_id asc
        ) as match_rank
    from candidates
    inner join patterns
        on
            length(candidates.line_text) <= patterns.max_length
            and {{ regex_matches('candidates.line_text', 'patterns.pattern') }}
),

line_counts as (
    select
        article_id,
        count(*) as line_total
    from lines
    group by article_id
),

comment_sections as (
    select
        matches.article_id,
        min(matches.line_index) as section_start_index
    from matches
    inner join line_counts
        on matches.article_id = line_counts.article_id
    where
        matches.scope = 'section_start'
        and matches.line_index > line_counts.line_total / 2.0
    group by matches.article_id
),

flagged as (
    select
        lines.article_id,
        lines.line_index,
        lines.line_text,
        lines.char_start,
        lines.char_end,
        (
            comment_sections.section_start_index is not null
            and lines.line_index >= comment_sections.section_start_index
        ) as is_in_comment_section,
        matches.pattern_id as line_pattern_id,
        matches.scope as line_pattern_scope
    from lines
    left join matches
        on
            lines.article_id = matches.article_id
            and lines.line_index = matches.line_index
            and matches.match_rank = 1
    left join comment_sections
        on lines.article_id = comment_sections.article_id
),

classified as (
    select
        article_id,
        line_index,
        line_text,
        char_start,
        char_end,
        (is_in_comment_section or coalesce(line_pattern_scope = 'line', false)) as is_furniture,
        case
            when line_pattern_scope = 'line' then line_pattern_id
            when is_in_comment_section then 'comment_section'
        end as furniture_pattern_id
    from flagged
)

select * from classified
