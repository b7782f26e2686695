-- int_sentence_tokens_split: one row per token of a sentence that holds a speech cue word (a word of
-- the speech_cues seed that can introduce speech), in reading order. Rule: a token is a word
-- (`al-Abbasi`, `Iraq’s`, `U.S`, `3,813`) or one other character; every quotation (an opening mark to
-- its closing mark, int_quote_regions_merged) is one token of kind `quote`, so the words inside a
-- quote are never read as the reporter's (`“…,” he said` is QUOTE , he said). A quotation knows
-- whether its own comma ends the reporter's clause (`“… history,” dismissing …`), whether it ends its
-- clause or sentence (`“…,”`, `“…?”`, `“….”`, or it opens the sentence), and how many words it holds.
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

split as (
    select
        text_id,
        sentence_number,
        token_number,
        token,
        token_key,
        token_kind,
        token_start,
        token_end,
        quote_ends_with_comma,
        quote_ends_clause or (token_kind = 'quote' and token_number = 1) as quote_ends_clause,
        word_count,
        load_id
    from numbered
)

select * from split
