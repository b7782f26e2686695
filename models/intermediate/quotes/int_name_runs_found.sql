-- int_name_runs_found: one row per run of capitalised words in a sentence (name_run_pattern), per
-- distinct paragraph text, with its offset and what stands right around it. Rules:
--   runs are found per sentence (int_sentences_split), so none runs across a sentence end;
--   around the run, read from the text between runs (never cut from the sentence at an offset, which
--   reads a long sentence once per run): whether it opens its sentence (only spaces, quotation marks
--   or brackets before it) or follows `of`, the character and the 12 characters before it, the
--   lower-case words right before it (`co-chairman Liam Fox`; none after a determiner: `the official
--   Xinhua agency`) and right after it (`the Trump campaign`, `the Tory co-chairman`; a hyphenated
--   word by its last part), a possessive after it
--   (`Rudaw’s`) and the role between commas right after it, in the next 160 characters (`Qasim Muslih,
--   the PMF's Anbar operations commander,`);
--   in a sentence that opens with a subordinator, a preposition or an -ing word (clause_words seed:
--   `When`, `After`, `Despite`, `Speaking`; not an -ing preposition: `According to X,`), whether the
--   run stands in that opening phrase (before the sentence's first comma: `After losing to Lleyton
--   Hewitt,`), or opens the clause after it (right after the first comma, with a lower-case word
--   other than `and` or `or` after it: `, Safin said`).
-- Text-keyed: the runs depend on the text alone.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

sentences as (
    select * from {{ ref('int_sentences_split') }}
    where {{ new_texts_only() }}
),

clause_words as (
    select * from {{ ref('clause_words') }}
),

-- Words that open a phrase before a clause: subordinators and prepositions; and -ing words below,
-- but not the -ing prepositions (`According to Mandaric, Redknapp vowed …` is Mandaric's).
opening_words as (
    select
        word,
        bool_or(word_role <> 'ing_preposition') as opens_phrase
    from clause_words
    where word_role in ('subordinator', 'contrast_subordinator', 'preposition', 'ing_preposition')
    group by word
),

-- Runs and the gaps between them (gap i precedes run i), per sentence: each list computed once.
sentence_parts as (
    select
        text_id,
        sentence_number,
        char_start as sentence_start,
        load_id,
        {{ regex_split_list('sentence_text', name_run_pattern()) }} as gap_list,
        {{ regex_extract_all_list('sentence_text', name_run_pattern()) }} as run_list,
        lower({{ regex_extract('sentence_text', sql_string("^[^\\p{L}]*(\\p{L}+)[ \\t\\x{a0}]"), 1) }}) as first_word
    from sentences
),

-- Sentences that open with a phrase before a clause (`After losing to Lleyton Hewitt, Safin said`).
opening_sentences as (
    select
        sentence_parts.text_id,
        sentence_parts.sentence_number
    from sentence_parts
    left join opening_words
        on sentence_parts.first_word = opening_words.word
    where
        coalesce(
            opening_words.opens_phrase,
            {{ regex_matches('sentence_parts.first_word', sql_string("^\\p{Ll}{3,}ing$")) }}
        )
),

gaps as (
    select
        text_id,
        sentence_number,
        {{ explode_with_position('gap_list', 'gap', 'gap_position') }}
    from sentence_parts
),

runs as (
    select
        text_id,
        sentence_number,
        sentence_start,
        load_id,
        {{ explode_with_position('run_list', 'run_text', 'run_position') }}
    from sentence_parts
),

-- Each gap with the run after it (the last gap has none) and the text after that run.
run_offsets as (
    select
        gaps.text_id,
        gaps.sentence_number,
        gaps.gap_position as run_position,
        runs.run_text,
        runs.load_id,
        cast(
            runs.sentence_start
            + sum(length(gaps.gap) + coalesce(length(runs.run_text), 0)) over sentence_so_far
            - length(runs.run_text) as bigint
        ) as run_start,
        gaps.gap_position = 0 and {{ regex_matches('gaps.gap', sql_string("^[\\s“”\"‘’'«(\\[]*$")) }} as opens_sentence,
        -- commas in the sentence before the run, and one right before it
        sum(length(gaps.gap) - length(replace(gaps.gap, ',', ''))) over sentence_so_far as commas_before,
        {{ regex_matches('gaps.gap', sql_string(",[ \\t\\x{a0}]*$")) }} as follows_comma,
        right(gaps.gap, 1) as char_before_run,
        right(gaps.gap, 12) as gap_tail,
        -- the lower-case word right before the run, without a prefix (`co-chairman` gives `chairman`),
        -- unless a determiner stands before that word (`the official Xinhua agency`: an adjective)
        case
            when not {{ regex_matches(
                "right(concat(coalesce(lag(runs.run_text) over sentence_order, ''), gaps.gap), 40)",
                sql_string("(?i)(?:^|[^\\p{L}])(?:the|an?)[ \\t\\x{a0}]+[\\p{L}-]+[ \\t\\x{a0}]+$")
            ) }}
                then {{ regex_extract(
                    'right(gaps.gap, 40)', sql_string("(?:^|[^\\p{L}-])(?:\\p{Ll}+-)?(\\p{Ll}+)[ \\t\\x{a0}]+$"), 1
                ) }}
            else ''
        end as word_before_run,
        lower(trim(gaps.gap)) = 'of' as follows_of,
        left(concat(
            coalesce(lead(gaps.gap) over sentence_order, ''),
            coalesce(lead(runs.run_text) over sentence_order, ''),
            coalesce(lead(gaps.gap, 2) over sentence_order, ''),
            coalesce(lead(runs.run_text, 2) over sentence_order, ''),
            coalesce(lead(gaps.gap, 3) over sentence_order, ''),
            coalesce(lead(runs.run_text, 3) over sentence_order, ''),
            coalesce(lead(gaps.gap, 4) over sentence_order, '')
        ), 160) as text_after_run
    from gaps
    left join runs
        on
            gaps.text_id = runs.text_id
            and gaps.sentence_number = runs.sentence_number
            and gaps.gap_position = runs.run_position
    window
        sentence_order as (partition by gaps.text_id, gaps.sentence_number order by gaps.gap_position),
        sentence_so_far as (
            partition by gaps.text_id, gaps.sentence_number
            order by gaps.gap_position
            rows between unbounded preceding and current row
        )
),

found as (
    select
        text_id,
        sentence_number,
        run_position,
        run_text,
        run_start,
        opens_sentence,
        commas_before,
        follows_comma,
        char_before_run,
        gap_tail,
        follows_of,
        word_before_run,
        {{ regex_extract('text_after_run', sql_string("^[ \\t\\x{a0}]+(?:\\p{Ll}+-)?(\\p{Ll}+)"), 1) }}
            as word_after_run,
        {{ regex_matches('text_after_run', sql_string("^[’'](?:s|$|\\s)")) }} as is_possessive,
        nullif(trim({{ regex_extract(
            'text_after_run',
            sql_string("^,[\\s\\x{a0}]+((?:the |a |an |\\p{Ll}+[^\\sd,] |\\p{Lu}{2,} |\\p{Lu}[\\p{L}\\-]*[’']s )[^,;:“”\"()]{2,120}?),"),
            1
        ) }}), '') as appositive_role,
        load_id
    from run_offsets
    where run_text is not null
),

-- In a sentence that opens with a phrase: the runs of that phrase, and the one that opens the clause.
flagged as (
    select
        found.*,
        opening_sentences.text_id is not null and found.commas_before = 0 as is_in_opening_phrase,
        opening_sentences.text_id is not null
        and found.commas_before = 1
        and found.follows_comma
        and found.word_after_run not in ('', 'and', 'or')
        and not found.is_possessive as opens_main_clause
    from found
    left join opening_sentences
        on
            found.text_id = opening_sentences.text_id
            and found.sentence_number = opening_sentences.sentence_number
)

select * from flagged
