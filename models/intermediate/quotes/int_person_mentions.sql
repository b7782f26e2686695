-- int_person_mentions: one row per mention of a possible person in a paragraph: a run of capitalised
-- words (name_run_pattern) with leading titles, honorifics and sentence words cut off (person_titles,
-- speaker_stopwords seeds): `Interior Ministry spokesperson Brig. Gen. Muqdad Miri` gives the name
-- `Muqdad Miri` with title `Brig. Gen.`. A role appositive right after the name (`Qasim Muslih, the
-- PMF's Anbar operations commander,`) is kept as `role`. `is_full_name` marks names of 2-4 words with no
-- organisation word (speaker_org_words seed) and no acronym; `surname_key` is the last word, lower case,
-- without an `al-`/`el-` prefix, so `Abbasi` meets `Thabet al-Abbasi`.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ from_new_loads() }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

speaker_stopwords as (
    select * from {{ ref('speaker_stopwords') }}
),

speaker_org_words as (
    select * from {{ ref('speaker_org_words') }}
),

-- Lexicon keys as tokens are compared: lower case, without a trailing period (`Gov` = `Gov.`).
titles as (
    select
        lower(trim(title, '.')) as title_key,
        min(title_kind) as title_kind
    from person_titles
    group by lower(trim(title, '.'))
),

stopwords as (
    select distinct lower(trim(word, '.')) as word_key
    from speaker_stopwords
),

org_words as (
    select distinct lower(word) as word_key
    from speaker_org_words
),

-- The mentions depend on the text alone: found once per distinct text (text_id), then given to every
-- paragraph that carries it.
texts as (
    select
        text_id,
        min(paragraph_text) as paragraph_text
    from paragraphs
    group by text_id
),

-- Runs and the gaps between them: gap i precedes run i. The paragraph text stays out of these rows
-- (one copy of a paragraph per run would be copied through the window below); it is joined back last.
gaps as (
    select
        text_id,
        {{ explode_with_position(
            regex_split_list('paragraph_text', name_run_pattern()), 'gap', 'gap_position'
        ) }}
    from texts
),

runs as (
    select
        text_id,
        {{ explode_with_position(
            regex_extract_all_list('paragraph_text', name_run_pattern()), 'run_text', 'run_position'
        ) }}
    from texts
),

run_offsets as (
    select
        runs.text_id,
        runs.run_position,
        runs.run_text,
        cast(
            sum(length(gaps.gap) + length(runs.run_text)) over (
                partition by runs.text_id
                order by runs.run_position
                rows between unbounded preceding and current row
            ) - length(runs.run_text) as bigint
        ) as run_start
    from runs
    inner join gaps
        on
            runs.text_id = gaps.text_id
            and runs.run_position = gaps.gap_position
),

-- Where each sentence of a paragraph ends (abbreviations masked), computed once per paragraph.
sentence_pieces as (
    select
        text_id,
        paragraph_text,
        {{ regex_split_list(mask_abbreviations('paragraph_text'), sentence_break_pattern()) }} as sentence_gaps,
        {{ regex_extract_all_list(mask_abbreviations('paragraph_text'), sentence_break_pattern()) }} as sentence_matches
    from texts
),

sentence_breaks as (
    select
        text_id,
        paragraph_text,
        {{ match_end_offsets('sentence_gaps', 'sentence_matches') }} as sentence_break_ends
    from sentence_pieces
),

run_tokens as (
    select
        text_id,
        run_position,
        {{ explode_with_position(regex_split_list('run_text', "'[ \\t\\x{a0}]+'"), 'token', 'token_position') }}
    from run_offsets
),

flagged_tokens as (
    select
        run_tokens.text_id,
        run_tokens.run_position,
        run_tokens.token_position,
        run_tokens.token,
        titles.title_key is not null as is_title,
        titles.title_kind,
        stopwords.word_key is not null as is_stopword,
        org_words.word_key is not null as is_org_word,
        {{ regex_matches('run_tokens.token', "'^\\p{Lu}[\\p{Lu}\\p{N}]+$'") }} as is_acronym
    from run_tokens
    left join titles
        on lower(trim(run_tokens.token, '.')) = titles.title_key
    left join stopwords
        on lower(trim(run_tokens.token, '.')) = stopwords.word_key
    left join org_words
        on lower(trim(run_tokens.token, '.')) = org_words.word_key
),

-- The name is what follows the last title or sentence word of the run.
cut_points as (
    select
        text_id,
        run_position,
        coalesce(max(token_position) filter (where is_title or is_stopword), -1) as last_cut,
        max(token_position) as last_token
    from flagged_tokens
    group by text_id, run_position
),

names as (
    select
        flagged_tokens.text_id,
        flagged_tokens.run_position,
        {{ string_agg_ordered('flagged_tokens.token', "' '", 'flagged_tokens.token_position') }} filter (
            where flagged_tokens.token_position > cut_points.last_cut
        ) as person_name,
        {{ string_agg_ordered('flagged_tokens.token', "' '", 'flagged_tokens.token_position') }} filter (
            where
            flagged_tokens.token_position <= cut_points.last_cut
            and flagged_tokens.is_title
            and flagged_tokens.title_kind <> 'honorific'
        ) as title,
        bool_or(flagged_tokens.is_title and flagged_tokens.title_kind = 'honorific') filter (
            where flagged_tokens.token_position <= cut_points.last_cut
        ) as has_honorific,
        count(*) filter (where flagged_tokens.token_position > cut_points.last_cut) as name_word_count,
        coalesce(
            bool_or(flagged_tokens.is_org_word or flagged_tokens.is_acronym) filter (
                where flagged_tokens.token_position > cut_points.last_cut
            ),
            false
        ) as has_org_word,
        coalesce(
            bool_or(flagged_tokens.is_title) filter (where flagged_tokens.token_position > cut_points.last_cut),
            false
        ) as has_title_word
    from flagged_tokens
    inner join cut_points
        on
            flagged_tokens.text_id = cut_points.text_id
            and flagged_tokens.run_position = cut_points.run_position
    group by flagged_tokens.text_id, flagged_tokens.run_position
),

mentions as (
    select
        run_offsets.text_id,
        run_offsets.run_position,
        {{ regex_replace_all('names.person_name', "'(\\p{L}{2,})\\.$'", "'\\1'") }} as person_name,
        names.title,
        coalesce(names.has_honorific, false) as has_honorific,
        names.name_word_count,
        names.has_org_word,
        cast(run_offsets.run_start + length(run_offsets.run_text) - length(names.person_name) as bigint) as char_start,
        cast(run_offsets.run_start + length(run_offsets.run_text) as bigint) as char_end,
        sentence_breaks.paragraph_text,
        sentence_breaks.sentence_break_ends
    from run_offsets
    inner join names
        on
            run_offsets.text_id = names.text_id
            and run_offsets.run_position = names.run_position
    inner join sentence_breaks
        on run_offsets.text_id = sentence_breaks.text_id
    where names.person_name is not null
),

described as (
    select
        text_id,
        run_position,
        person_name,
        title,
        has_honorific,
        char_start,
        char_end,
        name_word_count between 2 and 4 and not has_org_word as is_full_name,
        {{ regex_matches('substr(paragraph_text, char_end + 1, 2)', "'^[’''](?:s|$|\\s)'") }} as is_possessive,
        not has_org_word
        and not {{ regex_matches('substr(paragraph_text, greatest(char_start, 1), 1)', "'[(\\[]'") }} as is_name_like,
        lower({{ regex_replace_all(
            regex_extract('person_name', "'([^ \\t\\x{a0}]+)$'", 1),
            "'^(?:al|el|Al|El)-|\\.$'",
            "''"
        ) }}) as surname_key,
        nullif(trim({{ regex_extract(
            'substr(paragraph_text, char_end + 1, 160)',
            "'^,[\\s\\x{a0}]+((?:the |a |an |\\p{Ll}+[^\\sd,] |\\p{Lu}{2,} |\\p{Lu}[\\p{L}\\-]*[’'']s )[^,;:“”\"()]{2,120}?),'",
            1
        ) }}), '') as appositive_role,
        {{ count_at_or_below('sentence_break_ends', 'char_start') }} as sentence_number
    from mentions
),

-- Every paragraph that carries the text gets its mentions.
expanded as (
    select
        paragraphs.paragraph_id,
        paragraphs.article_id,
        paragraphs.paragraph_index,
        described.run_position,
        described.person_name,
        described.title,
        described.has_honorific,
        described.char_start,
        described.char_end,
        described.is_full_name,
        described.is_possessive,
        described.is_name_like,
        described.surname_key,
        described.appositive_role,
        described.sentence_number
    from described
    inner join paragraphs
        on described.text_id = paragraphs.text_id
),

{{ load_id_ctes('expanded', 'paragraphs', 'article_id') }}

select * from loaded
