-- int_person_names_cut: one row per run of capitalised words in a sentence (int_name_runs_found),
-- per distinct paragraph text, with the name left when its leading titles, honorifics and sentence
-- words are cut off (person_titles, speaker_stopwords seeds: `Interior Ministry spokesperson Brig.
-- Gen. Muqdad Miri` gives `Muqdad Miri`, title `Brig. Gen.`; the first word of a run that opens its
-- sentence when it is a function word of the clause_words seed or ends in -ing or -ed: `Speaking
-- Tuesday`, `Asked whether`), and what its words and neighbours say for the next step
-- (int_person_mentions_found) to classify it: the given name's gender (given_names), the title's
-- gender, the entity words in it (entity_words: the last word's class, an organisation or place word
-- before the last, any organisation word or acronym, all words group or event words); whether it
-- follows `of` after an organisation word (`Ministry of Light Industry`) or stands beside a
-- lower-case organisation head (`the Trump campaign`), right before or after a lower-case role word,
-- and whether it is one word modifying the next (`the Tory leader`, `the Mac mini`). Text-keyed.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

runs as (
    select * from {{ ref('int_name_runs_found') }}
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
    {{ person_title_keys('person_titles') }}
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

run_token_lists as (
    select
        text_id,
        sentence_number,
        run_position,
        opens_sentence,
        {{ regex_split_list('run_text', sql_string("[ \\t\\x{a0}]+")) }} as token_list
    from runs
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
        titles.addressed_by as title_addressed_by,
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
named as (
    select
        *,
        token_position > coalesce(max(case when is_title or is_stopword then token_position end) over run_words, -1)
            as is_name_token,
        token_position = coalesce(max(case when is_title or is_stopword then token_position end) over run_words, -1) + 1
            as is_first_name_token
    from flagged_tokens
    window run_words as (partition by text_id, sentence_number, run_position)
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
        coalesce(bool_or(not is_name_token and title_addressed_by = 'given_name'), false) as is_knighted,
        sum(case when is_name_token then 1 else 0 end) as name_word_count,
        max(case when is_first_name_token then nullif(given_name_gender, '') end) as given_name_gender,
        max(case when not is_name_token then nullif(title_gender, '') end) as title_gender,
        max(case when is_name_token and is_last_token then entity_class end) as head_entity_class,
        coalesce(bool_or(
            is_name_token and not is_last_token and (entity_class in ('organisation', 'place') or is_acronym)
        ), false) as has_inner_entity_word,
        -- an organisation word or an acronym makes an organisation (`Health Canada`), a place word a place
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
        names.*,
        runs.run_text,
        runs.run_start,
        runs.char_before_run,
        runs.is_possessive,
        runs.appositive_role,
        runs.is_in_opening_phrase,
        runs.opens_main_clause,
        runs.load_id,
        -- a run after `of` that follows a run ending in an organisation word is part of that
        -- organisation's name (`the Ministry of Light Industry`), not a person
        coalesce(
            runs.follows_of and lag(names.run_position) over runs_in_order = names.run_position - 1
            and lag(names.head_entity_class) over runs_in_order = 'organisation',
            false
        ) as is_organisation_of,
        -- a run right before or after a lower-case organisation head names that organisation (`the
        -- Economic Information newspaper`, `the Trump campaign`, `anti-virus firm Trend Micro`)
        heads.word is not null or heads_before.word is not null as is_beside_organisation_head,
        role_after.title_key is not null as is_before_role_word,
        role_before.title_key is not null as is_after_role_word,
        coalesce(role_before.title_kind = 'role', false) as is_after_role_noun,
        -- one word after a determiner (maybe and an adjective) and before a lower-case word modifies
        -- that word (`the Tory leader`, `the Mac mini`, `the Milan side`)
        names.name_word_count = 1 and not names.has_title and runs.word_after_run <> ''
        and {{ regex_matches(
            "concat(runs.gap_tail, substr(runs.run_text, 1, names.cut_length))",
            sql_string("(?i)(?:^|[^\\p{L}])(?:the|a|an|his|her|their|its|our|this|that)[ \\t\\x{a0}]+(?:\\p{Ll}+[ \\t\\x{a0}]+)?$")
        ) }} as is_modifier,
        substring(
            {{ regex_replace_all('runs.run_text', sql_string("[ \\t\\x{a0}]+"), "' '") }},
            names.cut_length + 1
        ) as name_text
    from runs
    inner join names
        on
            runs.text_id = names.text_id
            and runs.sentence_number = names.sentence_number
            and runs.run_position = names.run_position
    left join entity_words as heads
        on runs.word_after_run = heads.word and heads.entity_class = 'organisation'
    left join entity_words as heads_before
        on runs.word_before_run = heads_before.word and heads_before.entity_class = 'organisation'
    left join titles as role_after
        on lower(runs.word_after_run) = role_after.title_key
    left join titles as role_before
        on runs.word_before_run = role_before.title_key and role_before.title_kind <> 'modifier'
    where names.name_word_count > 0
    window runs_in_order as (partition by names.text_id, names.sentence_number order by names.run_position)
),

cut as (
    select
        text_id,
        sentence_number,
        run_position,
        load_id,
        name_text,
        run_text,
        run_start,
        char_before_run,
        title,
        has_honorific,
        has_title,
        is_knighted,
        name_word_count,
        given_name_gender,
        title_gender,
        head_entity_class,
        has_inner_entity_word,
        entity_word_class,
        is_group_or_event,
        event_class,
        is_possessive,
        appositive_role,
        is_in_opening_phrase,
        opens_main_clause,
        is_organisation_of,
        is_beside_organisation_head,
        is_before_role_word,
        is_after_role_word,
        is_after_role_noun,
        is_modifier
    from named_runs
)

select * from cut
