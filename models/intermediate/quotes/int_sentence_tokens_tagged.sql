-- int_sentence_tokens_tagged: one row per token of a sentence that holds a speech cue word (a word of
-- the speech_cues seed that can introduce speech), in reading order, tagged with what the attribution
-- rules read. Rule: a token is a word (`al-Abbasi`, `Iraq’s`, `U.S`, `3,813`) or one other character;
-- every quotation (an opening mark to its closing mark, int_quote_regions_merged) is one token of
-- kind `quote`, so the words inside a quote are never read as the reporter's (`“…,” he said` is
-- QUOTE , he said). Tags come from seeds joined on the lower-case token: speech_cues, pronouns,
-- person_titles and clause_words (that, whether, and, auxiliaries, prepositions, time words, ...).
-- Text-keyed: the tokens depend on the text alone.
-- depends_on: {{ ref('speech_cues') }}
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

sentences as (
    select * from {{ ref('int_sentences_split') }}
    where
        {{ new_texts_only() }}
        and {{ regex_matches('sentence_text', speech_cue_word_pattern()) }}
),

speech_cues as (
    select * from {{ ref('speech_cues') }}
),

pronouns as (
    select * from {{ ref('pronouns') }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

clause_words as (
    select * from {{ ref('clause_words') }}
),

-- One row per word with each role it can play.
word_roles as (
    select
        word,
        bool_or(word_role = 'complementizer') as is_complementizer,
        bool_or(word_role = 'question') as is_question_word,
        bool_or(word_role = 'embedded_question') as is_embedding_word,
        bool_or(word_role = 'relative') as is_relative_word,
        bool_or(word_role = 'particle') as is_particle,
        bool_or(word_role = 'coordinator') as is_coordinator,
        bool_or(word_role = 'subordinator') as is_subordinator,
        bool_or(word_role = 'contrast_subordinator') as is_contrast_subordinator,
        bool_or(word_role = 'auxiliary') as is_auxiliary,
        bool_or(word_role = 'adverb') as is_adverb,
        bool_or(word_role = 'ing_preposition') as is_ing_preposition,
        bool_or(word_role = 'preposition') as is_preposition,
        bool_or(word_role = 'object_pronoun') as is_object_word,
        bool_or(word_role = 'determiner') as is_determiner,
        bool_or(word_role = 'definite_determiner') as is_definite_determiner,
        bool_or(word_role = 'article') as is_article,
        bool_or(word_role = 'time_word') as is_time_word,
        bool_or(word_role = 'setting_noun') as is_setting_noun,
        bool_or(word_role = 'passive_auxiliary') as is_passive_auxiliary,
        bool_or(word_role = 'negation') as is_negation
    from clause_words
    group by word
),

titles as (
    {{ person_title_keys('person_titles') }}
),

-- The quotations of each text, as spans of marks.
segments as (
    select * from {{ ref('int_quote_regions_merged') }}
    where {{ in_batch('text_id', 'sentences') }}
),

-- The sentence cut into pieces once (exploding an expression would evaluate it twice).
piece_lists as (
    select
        text_id,
        sentence_number,
        char_start as sentence_start,
        load_id,
        {{ regex_extract_all_list('sentence_text', sentence_token_pattern()) }} as piece_list
    from sentences
),

pieces as (
    select
        text_id,
        sentence_number,
        sentence_start,
        load_id,
        {{ explode_with_position('piece_list', 'piece', 'piece_position') }}
    from piece_lists
),

words as (
    select
        text_id,
        sentence_number,
        load_id,
        piece_position,
        {{ ltrim_chars('piece', sql_string(' \t\n\u00a0')) }} as token,
        cast(sentence_start + sum(length(piece)) over (
            partition by text_id, sentence_number
            order by piece_position
            rows between unbounded preceding and current row
        ) as bigint) as token_end
    from pieces
),

-- Words inside a quotation are dropped and each top-level quotation becomes one token: events in
-- text order (a quotation opens at its opening mark and closes after its closing mark) give each
-- word its depth, in one pass however many quotes a text holds.
events as (
    select
        text_id,
        token_end - length(token) as event_position,
        0 as depth_change,
        sentence_number,
        piece_position,
        cast(null as bigint) as close_position
    from words
    union all
    select
        text_id,
        open_position as event_position,
        1 as depth_change,
        null as sentence_number,
        null as piece_position,
        close_position
    from segments
    union all
    select
        text_id,
        close_position + 1 as event_position,
        -1 as depth_change,
        null as sentence_number,
        null as piece_position,
        null as close_position
    from segments
),

depths as (
    select
        text_id,
        event_position,
        depth_change,
        sentence_number,
        piece_position,
        close_position,
        sum(depth_change) over (
            partition by text_id
            -- at one position: a quotation closes, then one opens, then the word there is read
            order by event_position, case depth_change when -1 then 0 when 1 then 1 else 2 end
            rows between unbounded preceding and current row
        ) as quote_depth
    from events
),

quote_tokens as (
    select
        words.text_id,
        words.sentence_number,
        words.load_id,
        cast(depths.event_position as bigint) as token_start,
        cast(depths.close_position + 1 as bigint) as token_end,
        'QUOTE' as token,
        'quote' as token_kind,
        -- `“… history,” dismissing …`: the quotation holds the comma that ends the reporter's clause.
        substr(sentences.sentence_text, cast(depths.close_position - sentences.char_start as integer), 1) = ','
            as quote_ends_with_comma,
    -- the quotation ends its own clause or sentence (`“…,”`, `“…?”`, `“….”`)
        {{ regex_matches(
            "substr(sentences.sentence_text, cast(depths.close_position - sentences.char_start as integer), 1)",
            "'[,.!?…:;]'"
        ) }} as quote_ends_clause,
        -- the words the quotation holds
        {{ list_length(regex_extract_all_list(
            "substr(sentences.sentence_text, cast(depths.event_position - sentences.char_start + 1 as integer), cast(depths.close_position - depths.event_position as integer))",
            sql_string("[\\p{L}\\p{N}]+")
        )) }} as word_count
    from depths
    inner join words
        on
            depths.text_id = words.text_id
            and depths.event_position = words.token_end - length(words.token)
    inner join sentences
        on
            words.text_id = sentences.text_id
            and words.sentence_number = sentences.sentence_number
    where depths.depth_change = 1 and depths.quote_depth = 1
),

outside_words as (
    select
        words.text_id,
        words.sentence_number,
        words.load_id,
        words.token_end - length(words.token) as token_start,
        words.token_end,
        words.token,
        case
            when {{ regex_matches('words.token', sql_string("^[\\p{L}\\p{N}]")) }} then 'word' else 'symbol'
        end as token_kind,
        false as quote_ends_with_comma,
        false as quote_ends_clause,
        case when {{ regex_matches('words.token', sql_string("^[\\p{L}\\p{N}]")) }} then 1 else 0 end as word_count
    from words
    inner join depths
        on
            words.text_id = depths.text_id
            and words.sentence_number = depths.sentence_number
            and words.piece_position = depths.piece_position
            and depths.depth_change = 0
    where depths.quote_depth = 0
),

all_tokens as (
    select * from outside_words
    union all
    select * from quote_tokens
),

numbered as (
    select
        *,
        row_number() over (partition by text_id, sentence_number order by token_start) as token_number,
        lower(token) as token_key
    from all_tokens
),

tagged as (
    select
        numbered.text_id,
        numbered.sentence_number,
        numbered.token_number,
        numbered.token,
        numbered.token_key,
        numbered.token_kind,
        numbered.token_start,
        numbered.token_end,
        numbered.quote_ends_with_comma,
        numbered.quote_ends_clause
        or (numbered.token_kind = 'quote' and numbered.token_number = 1) as quote_ends_clause,
        numbered.word_count,
        -- `Thabet`, and name particles before a capital (`al-Abbasi`)
        numbered.token_kind = 'word'
        and {{ regex_matches('numbered.token', sql_string("^(?:\\p{Lu}|\\p{Ll}{1,3}-\\p{Lu})")) }} as is_capitalised,
        speech_cues.lemma as cue_lemma,
        speech_cues.cue_form,
        speech_cues.cue_kind,
        speech_cues.bare_content as cue_bare_content,
        coalesce(speech_cues.takes_object, false) as cue_takes_object,
        coalesce(speech_cues.is_also_noun, false) as cue_is_also_noun,
        pronouns.refers_to as pronoun_refers_to,
        pronouns.gender as pronoun_gender,
        titles.title_key is not null as is_title_word,
        coalesce(word_roles.is_complementizer, false) as is_complementizer,
        coalesce(word_roles.is_question_word, false) as is_question_word,
        coalesce(word_roles.is_embedding_word, false) as is_embedding_word,
        coalesce(word_roles.is_relative_word, false) as is_relative_word,
        coalesce(word_roles.is_particle, false) as is_particle,
        coalesce(word_roles.is_coordinator, false) as is_coordinator,
        coalesce(word_roles.is_subordinator, false) as is_subordinator,
        coalesce(word_roles.is_contrast_subordinator, false) as is_contrast_subordinator,
        coalesce(word_roles.is_auxiliary, false) as is_auxiliary,
        coalesce(word_roles.is_adverb, false) as is_adverb,
        coalesce(word_roles.is_ing_preposition, false) as is_ing_preposition,
        coalesce(word_roles.is_preposition, false) as is_preposition,
        coalesce(word_roles.is_object_word, false) as is_object_word,
        coalesce(word_roles.is_determiner, false) as is_determiner,
        coalesce(word_roles.is_definite_determiner, false) as is_definite_determiner,
        coalesce(word_roles.is_article, false) as is_article,
        coalesce(word_roles.is_time_word, false) as is_time_word,
        coalesce(word_roles.is_setting_noun, false) as is_setting_noun,
        coalesce(word_roles.is_passive_auxiliary, false) as is_passive_auxiliary,
        coalesce(word_roles.is_negation, false) as is_negation,
        numbered.load_id
    from numbered
    left join speech_cues
        on numbered.token_key = speech_cues.cue
    left join pronouns
        on numbered.token_key = pronouns.pronoun
    left join titles
        on {{ trim_chars('numbered.token_key', "'.'") }} = titles.title_key
    left join word_roles
        on numbered.token_key = word_roles.word
)

select * from tagged
