-- int_person_mentions_found: one row per run of capitalised words in a sentence that may name a
-- person or another source (name_run_pattern), per distinct paragraph text. Rules:
--   leading titles, honorifics and sentence words are cut off (person_titles, speaker_stopwords seeds:
--   `Interior Ministry spokesperson Brig. Gen. Muqdad Miri` gives `Muqdad Miri`, title `Brig. Gen.`),
--   and so is the first word of a run that opens its sentence when it is a function word of the
--   clause_words seed or ends in -ing or -ed (`Speaking Tuesday`, `Asked whether`);
--   runs are found per sentence (int_sentences_split), so none runs across a sentence end;
--   `entity_class`: person when a title or honorific stands before the name or its first word is a
--   given name (given_names seed) and its last word is not an organisation or place word; else
--   organisation, place, event or group when a word of the run is such a word (entity_words seed) or
--   an acronym, when it follows `of` after an organisation word (`Ministry of Light Industry`) or
--   stands before a lower-case organisation head (`the Trump campaign`); else unknown; one
--   capitalised word between a determiner and a role word is a modifier, unknown (`the Tory
--   leader`, though Tory is a given name). `gender` from the given name (male / female when the
--   census data is clear) or from a gendered title (`Mrs.`, `Congresswoman`);
--   around the run: `is_possessive` (`Rudaw’s`), `is_bracketed` (`(Kurdistan 24)`) and
--   `appositive_role` (the role between commas right after the name: `Qasim Muslih, the PMF's Anbar
--   operations commander,`).
-- Text-keyed: the mentions depend on the text alone.
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

person_titles as (
    select * from {{ ref('person_titles') }}
),

speaker_stopwords as (
    select * from {{ ref('speaker_stopwords') }}
),

entity_words as (
    select * from {{ ref('entity_words') }}
),

given_names as (
    select * from {{ ref('given_names') }}
),

clause_words as (
    select * from {{ ref('clause_words') }}
),

titles as (
    select
        lower({{ trim_chars('title', "'.'") }}) as title_key,
        min(title_kind) as title_kind,
        max(gender) as title_gender
    from person_titles
    group by lower({{ trim_chars('title', "'.'") }})
),

stopwords as (
    select distinct lower({{ trim_chars('word', "'.'") }}) as word_key
    from speaker_stopwords
),

function_words as (
    select distinct word as word_key
    from clause_words
    where word_role in ('preposition', 'subordinator', 'coordinator', 'adverb', 'determiner', 'question')
),

-- Runs and the gaps between them (gap i precedes run i), per sentence: each list computed once.
sentence_parts as (
    select
        text_id,
        sentence_number,
        char_start as sentence_start,
        load_id,
        {{ regex_split_list('sentence_text', name_run_pattern()) }} as gap_list,
        {{ regex_extract_all_list('sentence_text', name_run_pattern()) }} as run_list
    from sentences
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

-- Each run with its offset and what stands right around it, read from the gaps beside it (never cut
-- from the sentence at an offset, which reads a long sentence once per name): the character before
-- it, a possessive `’s` after it, and a role between commas after it (`Qasim Muslih, the PMF's
-- Anbar operations commander,`), in the next 160 characters.
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
        right(gaps.gap, 1) as char_before_run,
        right(gaps.gap, 12) as gap_tail,
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

run_token_lists as (
    select
        text_id,
        sentence_number,
        run_position,
        opens_sentence,
        {{ regex_split_list('run_text', sql_string("[ \\t\\x{a0}]+")) }} as token_list
    from run_offsets
    where run_text is not null
),

run_tokens as (
    select
        text_id,
        sentence_number,
        run_position,
        opens_sentence,
        {{ list_length('token_list') }} - 1 as last_position,
        {{ explode_with_position('token_list', 'token', 'token_position') }}
    from run_token_lists
),

flagged_tokens as (
    select
        run_tokens.text_id,
        run_tokens.sentence_number,
        run_tokens.run_position,
        run_tokens.token_position,
        run_tokens.token,
        run_tokens.token_position = run_tokens.last_position as is_last_token,
        titles.title_key is not null as is_title,
        titles.title_kind,
        titles.title_gender,
        stopwords.word_key is not null
        or (
            run_tokens.opens_sentence and run_tokens.token_position = 0
            and (
                function_words.word_key is not null
                or {{ regex_matches('run_tokens.token', sql_string("^\\p{Lu}\\p{Ll}+(?:ing|ed)$")) }}
            )
        ) as is_stopword,
        entity_words.entity_class,
        given_names.gender as given_name_gender,
        {{ regex_matches('run_tokens.token', sql_string("^\\p{Lu}[\\p{Lu}\\p{N}]+$")) }} as is_acronym
    from run_tokens
    left join titles
        on lower({{ trim_chars('run_tokens.token', "'.'") }}) = titles.title_key
    left join stopwords
        on lower({{ trim_chars('run_tokens.token', "'.'") }}) = stopwords.word_key
    left join function_words
        on lower(run_tokens.token) = function_words.word_key
    left join entity_words
        on {{ regex_replace_all('run_tokens.token', sql_string("[’'][sS]?$|[.]$"), "''") }} = entity_words.word
    left join given_names
        on run_tokens.token = given_names.given_name
),

-- The name is what follows the last title or sentence word of the run (the cut).
cuts as (
    select
        *,
        coalesce(
            max(case when is_title or is_stopword then token_position end) over (
                partition by text_id, sentence_number, run_position
            ),
            -1
        ) as last_cut
    from flagged_tokens
),

named as (
    select
        *,
        token_position > last_cut as is_name_token,
        token_position = last_cut + 1 as is_first_name_token
    from cuts
),

names as (
    select
        text_id,
        sentence_number,
        run_position,
        -- the characters before the name in the run's words one space apart
        cast(sum(case when is_name_token then 0 else length(token) + 1 end) as bigint) as cut_length,
        -- (a title is never a name word: it is a cut)
        {{ string_agg_ordered('token', "' '", 'token_position', where="is_title and title_kind <> 'honorific'") }}
            as title,
        coalesce(bool_or(not is_name_token and is_title and title_kind = 'honorific'), false) as has_honorific,
        coalesce(bool_or(not is_name_token and is_title), false) as has_title,
        sum(case when is_name_token then 1 else 0 end) as name_word_count,
        max(case when is_first_name_token then nullif(given_name_gender, '') end) as given_name_gender,
        max(case when not is_name_token then nullif(title_gender, '') end) as title_gender,
        max(case when is_name_token and is_last_token then entity_class end) as head_entity_class,
        -- an organisation word or an acronym makes an organisation (`Health Canada`), else a place word
        -- a place
        case
            when bool_or(is_name_token and (entity_class = 'organisation' or is_acronym)) then 'organisation'
            when bool_or(is_name_token and entity_class = 'place') then 'place'
        end as entity_word_class,
        coalesce({{ aggregate_where('bool_and', "entity_class in ('group', 'event')", 'is_name_token') }}, false)
            as is_group_or_event,
        max(case when is_name_token and entity_class = 'event' then entity_class end) as event_class
    from named
    group by text_id, sentence_number, run_position
),

-- The name: the run's words after the cut, one space apart.
named_runs as (
    select
        run_offsets.*,
        names.title,
        names.has_honorific,
        names.has_title,
        names.name_word_count,
        names.given_name_gender,
        names.title_gender,
        names.head_entity_class,
        names.entity_word_class,
        names.is_group_or_event,
        names.event_class,
        -- a run after `of` that follows a run ending in an organisation word is part of that
        -- organisation's name (`the Ministry of Light Industry`), not a person
        coalesce(
            run_offsets.follows_of and lag(names.run_position) over runs_in_order = names.run_position - 1
            and lag(names.head_entity_class) over runs_in_order = 'organisation',
            false
        ) as is_organisation_of,
        -- a run right before a lower-case organisation head names that organisation (`the Economic
        -- Information newspaper`, `the Trump campaign`)
        heads.word is not null as is_organisation_modifier,
        substring(
            {{ regex_replace_all('run_offsets.run_text', sql_string("[ \\t\\x{a0}]+"), "' '") }},
            names.cut_length + 1
        ) as name_text
    from run_offsets
    inner join names
        on
            run_offsets.text_id = names.text_id
            and run_offsets.sentence_number = names.sentence_number
            and run_offsets.run_position = names.run_position
    left join entity_words as heads
        on
            {{ regex_extract('run_offsets.text_after_run', sql_string("^[ \\t\\x{a0}]+(\\p{Ll}+)"), 1) }} = heads.word
            and heads.entity_class = 'organisation'
    where names.name_word_count > 0
    window runs_in_order as (partition by names.text_id, names.sentence_number order by names.run_position)
),

-- `The Tory leader said`, `a Clinton aide`: one capitalised word between a determiner and a role word
-- (person_titles) is a modifier, not a name.
modified_runs as (
    select
        named_runs.*,
        coalesce(
            named_runs.name_word_count = 1 and not named_runs.has_title and role_after.title_key is not null
            and {{ regex_matches(
                "concat(named_runs.gap_tail, substr(named_runs.run_text, 1, length(named_runs.run_text) - length(named_runs.name_text)))",
                sql_string("(?i)(?:^|[^\\p{L}])(?:the|a|an|his|her|their|its|our|this|that)[ \\t\\x{a0}]+$")
            ) }},
            false
        ) as is_modifier
    from named_runs
    left join titles as role_after
        on
            lower({{ regex_extract('named_runs.text_after_run', sql_string("^[ \\t\\x{a0}]+(\\p{Ll}+)"), 1) }})
            = role_after.title_key
),

classified as (
    select
        text_id,
        sentence_number,
        run_position,
        load_id,
        {{ regex_replace_all(
            'name_text', sql_string("(\\p{L}{2,})\\.$"), sql_string(regex_group(1))
        ) }} as person_name,
        title,
        has_honorific,
        name_word_count,
        cast(run_start + length(run_text) - length(name_text) as bigint) as char_start,
        cast(run_start + length(run_text) as bigint) as char_end,
        {{ regex_matches('text_after_run', sql_string("^[’'](?:s|$|\\s)")) }} as is_possessive,
        -- in brackets: `(Kurdistan 24)`
        length(name_text) = length(run_text)
        and char_before_run in ('(', '[') as is_bracketed,
        nullif(trim({{ regex_extract(
            'text_after_run',
            sql_string("^,[\\s\\x{a0}]+((?:the |a |an |\\p{Ll}+[^\\sd,] |\\p{Lu}{2,} |\\p{Lu}[\\p{L}\\-]*[’']s )[^,;:“”\"()]{2,120}?),"),
            1
        ) }}), '') as appositive_role,
        case
            when is_modifier then 'unknown'
            when (is_organisation_of or is_organisation_modifier) and not has_title then 'organisation'
            when has_title and head_entity_class is null then 'person'
            when given_name_gender is not null and head_entity_class is null then 'person'
            when entity_word_class is not null then entity_word_class
            when event_class is not null then 'event'
            when is_group_or_event then 'group'
            else 'unknown'
        end as entity_class,
        coalesce(title_gender, nullif(given_name_gender, 'either')) as gender
    from modified_runs
)

select * from classified
