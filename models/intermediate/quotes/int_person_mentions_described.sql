-- int_person_mentions_described: one row per person mention (int_person_mentions_found) with what
-- it is: `is_full_name` (2-4 words, a person or unknown), `is_name_like` (not in brackets, not an
-- organisation or place), `surname_key` (the last word in lower case without an `al-`/`el-` prefix,
-- so `Abbasi` meets `Thabet al-Abbasi`), `given_name_key` (a knight's first name word, so `Sir
-- John` meets `Sir John Bourn`), `is_quoted` (inside quotation marks: the depth of the
-- text's quotation regions at the mention, read in one pass in text order) and `employee_start`: a
-- name followed by at most four lower-case words, one of them a role or title word (person_titles
-- seed; a hyphenated word by its parts: `co-chairman`), and then another name names whom that one
-- works for (`Huckabee campaign spokesman Hogan Gidley`: the column holds where `Hogan Gidley`
-- starts). Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

classified as (
    select * from {{ ref('int_person_mentions_found') }}
    where {{ new_texts_only() }}
),

-- What the name is: a full name, a name (not in brackets, not an organisation or place), and the
-- key its surname meets other mentions by.
described as (
    select
        classified.*,
        classified.name_word_count between 2 and 4
        and classified.entity_class in ('person', 'unknown') as is_full_name,
        classified.entity_class in ('person', 'unknown') and not classified.is_bracketed as is_name_like,
        lower({{ regex_replace_all(
            regex_extract('classified.person_name', sql_string("([^ \\t\\x{a0}]+)$"), 1),
            sql_string("^(?:al|el|Al|El)-|\\.$"),
            "''"
        ) }}) as surname_key,
        -- a knight's given name (`Sir John Bourn`, `Sir John`): a later `Sir John` meets him by it
        case
            when classified.is_knighted
                then lower({{ regex_extract('classified.person_name', sql_string("^([^ \\t\\x{a0}]+)"), 1) }})
        end as given_name_key
    from classified
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ in_batch('text_id', 'classified') }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

titles as (
    {{ person_title_keys('person_titles') }}
),

-- A name, lower-case words only, then another name not in the possessive: the words between them.
employer_gaps as (
    select
        employer.text_id,
        employer.sentence_number,
        employer.run_position,
        employee.char_start as employee_start,
        {{ regex_extract_all_list(
            "substr(sentences.sentence_text, employer.char_end - sentences.char_start + 1, "
            ~ "employee.char_start - employer.char_end)",
            sql_string("[a-z]+")
        ) }} as gap_word_list
    from described as employer
    inner join described as employee
        on
            employer.text_id = employee.text_id
            and employer.sentence_number = employee.sentence_number
            and employer.run_position + 1 = employee.run_position
    inner join sentences
        on
            employer.text_id = sentences.text_id
            and employer.sentence_number = sentences.sentence_number
    where
        employer.is_name_like
        and employee.is_name_like
        and not employer.is_possessive
        and not employee.is_possessive
        and {{ regex_matches(
            "substr(sentences.sentence_text, employer.char_end - sentences.char_start + 1, "
            ~ "employee.char_start - employer.char_end)",
            sql_string("^ +(?:[a-z][a-z-]* +){1,4}$")
        ) }}
),

gap_words as (
    select
        text_id,
        sentence_number,
        run_position,
        employee_start,
        {{ explode_with_position('gap_word_list', 'gap_word', 'gap_word_position') }}
    from employer_gaps
),

-- ... one of the words a role or title (an equality join: the words are few).
employers as (
    select
        gap_words.text_id,
        gap_words.sentence_number,
        gap_words.run_position,
        min(gap_words.employee_start) as employee_start
    from gap_words
    inner join titles
        on gap_words.gap_word = titles.title_key
    group by gap_words.text_id, gap_words.sentence_number, gap_words.run_position
),

-- Inside quotation marks or not: the depth of quotation marks at each mention (events in text order).
regions as (
    select * from {{ ref('int_quote_regions_merged') }}
    where {{ in_batch('text_id', 'classified') }}
),

events as (
    select
        text_id,
        char_start as event_position,
        0 as depth_change,
        sentence_number,
        run_position
    from described
    union all
    select
        text_id,
        open_position as event_position,
        1 as depth_change,
        null as sentence_number,
        null as run_position
    from regions
    union all
    select
        text_id,
        close_position + 1 as event_position,
        -1 as depth_change,
        null as sentence_number,
        null as run_position
    from regions
),

depths as (
    select
        text_id,
        sentence_number,
        run_position,
        depth_change,
        sum(depth_change) over (
            partition by text_id
            order by event_position, case depth_change when -1 then 0 when 1 then 1 else 2 end
            rows between unbounded preceding and current row
        ) as quote_depth
    from events
),

final as (
    select
        described.text_id,
        described.sentence_number,
        described.run_position,
        described.char_start,
        described.char_end,
        described.person_name,
        described.title,
        described.has_honorific,
        described.name_word_count,
        described.entity_class,
        described.gender,
        described.is_full_name,
        described.is_possessive,
        described.is_name_like,
        described.surname_key,
        described.given_name_key,
        described.appositive_role,
        described.is_in_opening_phrase,
        described.opens_main_clause,
        depths.quote_depth > 0 as is_quoted,
        employers.employee_start,
        described.load_id
    from described
    inner join depths
        on
            described.text_id = depths.text_id
            and described.sentence_number = depths.sentence_number
            and described.run_position = depths.run_position
            and depths.depth_change = 0
    left join employers
        on
            described.text_id = employers.text_id
            and described.sentence_number = employers.sentence_number
            and described.run_position = employers.run_position
)

select * from final
