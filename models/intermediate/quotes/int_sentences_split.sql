-- int_sentences_split: one row per sentence of the reporter's text in each distinct paragraph text.
-- Rule: a sentence ends at `.`, `!` or `?` (closing marks or brackets may follow) and white space,
-- unless
--   the period ends an abbreviation of the abbreviations seed (`Gen.`, `Calif.`, the `Conn.` of
--   `D-Conn.`), an initial or initialism (`J.`, `U.S.`), or the next word starts in lower case; or
--   the punctuation ends a quotation and its attribution follows: after `?` or `!` a speech cue
--   word in the next 150 characters (`“Is that all?” Trump said as he left.`), after a period a
--   short one (at most five words, the cue, at most eight words, the end: `“….” Trump said.`) and
--   no cue with a content clause of its own (`“….” Mr Smith said he was confident …`); or
--   the break falls inside a quotation: a quote of several sentences is one stretch of the reporter's
--   sentence (`“We are ready. We will win,” he said.` is one sentence).
-- Sentence boundaries are found here once, for every later step. Offsets are 0-based, end exclusive,
-- in the paragraph text. Text-keyed: each distinct text is split once, by the load that first brought it.
-- depends_on: {{ ref('speech_cues') }}, {{ ref('pronouns') }}, {{ ref('clause_words') }}
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ new_texts_only() }}
),

abbreviations as (
    select * from {{ ref('abbreviations') }}
),

texts as (
    select
        text_id,
        min(paragraph_text) as paragraph_text,
        max(load_id) as load_id
    from paragraphs
    group by text_id
),

-- The quotations of each text.
segments as (
    select * from {{ ref('int_quote_regions_merged') }}
    where {{ in_batch('text_id', 'texts') }}
),

-- The text cut after every candidate break: piece i ends with end punctuation and white space (cut
-- once here, not once per use below).
split_texts as (
    select
        text_id,
        {{ split_after_matches('paragraph_text', sentence_end_pattern()) }} as piece_list
    from texts
),

pieces as (
    select
        text_id,
        {{ explode_with_position('piece_list', 'piece', 'piece_position') }}
    from split_texts
),

positioned as (
    select
        text_id,
        piece_position,
        piece,
        cast(sum(length(piece)) over (
            partition by text_id
            order by piece_position
            rows between unbounded preceding and current row
        ) as bigint) as piece_end,
        {{ regex_extract('piece', sentence_end_word_pattern(), 1) }} as word_before,
        {{ regex_extract('piece', sentence_end_at_end_pattern(), 0) }} as break_text,
        lead(piece) over (partition by text_id order by piece_position) as next_piece,
        -- the next stretch of the text, across abbreviations (`Mr. Clyburn said, …`)
        left(concat(
            coalesce(lead(piece) over (partition by text_id order by piece_position), ''),
            coalesce(lead(piece, 2) over (partition by text_id order by piece_position), ''),
            coalesce(lead(piece, 3) over (partition by text_id order by piece_position), '')
        ), 200) as next_text
    from pieces
),

-- The next 150 characters, before any new quotation opens: where an attribution would stand.
stretched as (
    select
        *,
        {{ regex_replace_all('left(next_text, 150)', sql_string("(?:[“\"«]|'').*$"), "''") }} as next_stretch
    from positioned
),

-- A candidate break that ends a sentence as far as the words around it tell.
word_breaks as (
    select
        stretched.text_id,
        stretched.piece_position,
        stretched.piece_end,
        stretched.next_piece is not null
        and not (
            trim(stretched.break_text) like '.%'
            and trim(stretched.break_text) not like '..%'
            and (
                abbreviations.abbreviation is not null
                or {{ regex_matches('stretched.word_before', sql_string("^(?:\\p{L}[.])*\\p{L}$")) }}
            )
        )
        and not {{ regex_matches('stretched.next_piece', sql_string("^[\\s\\x{a0}]*[“”\"‘’'«(\\[]*\\p{Ll}")) }}
        -- `“Is that all there is?” Trump said.`: a quotation ending in its own punctuation, then its
        -- attribution, is one sentence: after `?` or `!` a cue word in the next 150 characters
        -- (before any new quotation opens), after a period a short attribution (`“….” Trump said.`;
        -- not `“….” Mr Smith said he was confident …`).
        and not (
            {{ regex_matches('stretched.break_text', sql_string("^[.!?]+[”\"’»']")) }}
            and (
                (
                    trim(stretched.break_text) like '.%'
                    and {{ regex_matches('stretched.next_stretch', short_attribution_pattern()) }}
                    and not {{ regex_matches('stretched.next_stretch', reported_clause_opening_pattern()) }}
                )
                or (
                    trim(stretched.break_text) not like '.%'
                    and {{ regex_matches('stretched.next_stretch', speech_cue_word_pattern()) }}
                )
            )
        ) as is_word_break
    from stretched
    left join abbreviations
        on
            {{ regex_extract('stretched.word_before', sql_string("([^\\-]+)$"), 1) }} = abbreviations.abbreviation
),

-- Inside a quotation or not: the running depth of quotation marks at each break (opening and closing
-- marks and breaks as events in text order), linear however many quotes and breaks a text has.
events as (
    select
        text_id,
        piece_end as event_position,
        0 as depth_change,
        piece_position,
        is_word_break
    from word_breaks
    union all
    select
        text_id,
        open_position + 1 as event_position,
        1 as depth_change,
        null as piece_position,
        false as is_word_break
    from segments
    union all
    select
        text_id,
        close_position + 1 as event_position,
        -1 as depth_change,
        null as piece_position,
        false as is_word_break
    from segments
),

depths as (
    select
        text_id,
        piece_position,
        is_word_break,
        sum(depth_change) over (
            partition by text_id
            order by event_position, depth_change
            rows between unbounded preceding and current row
        ) as quote_depth
    from events
),

-- Each piece, and whether the sentence ends after it (at a break outside quotations, or at the end).
breaks as (
    select
        positioned.text_id,
        positioned.piece_position,
        positioned.piece,
        positioned.piece_end,
        coalesce(depths.is_word_break and depths.quote_depth = 0, false) as is_break,
        positioned.next_piece is null as is_last
    from positioned
    inner join depths
        on
            positioned.text_id = depths.text_id
            and positioned.piece_position = depths.piece_position
),

numbered as (
    select
        text_id,
        piece_position,
        piece,
        piece_end,
        cast(1 + coalesce(sum(case when is_break then 1 else 0 end) over (
            partition by text_id
            order by piece_position
            rows between unbounded preceding and 1 preceding
        ), 0) as integer) as sentence_number,
        -- a sentence of one piece (most): the piece before it, if any, ends a sentence, and so does this one
        coalesce(lag(is_break) over (partition by text_id order by piece_position), true)
        and (is_break or is_last) as is_whole_sentence
    from breaks
),

-- A sentence's text is its pieces joined (cutting it from the paragraph instead would read the
-- paragraph from its start once per sentence: the square of a huge paragraph's length); only the
-- sentences of several pieces are aggregated.
sentences as (
    select
        text_id,
        sentence_number,
        cast(piece_end - length(piece) as bigint) as raw_start,
        piece as raw_text
    from numbered
    where is_whole_sentence
    union all
    select
        text_id,
        sentence_number,
        cast(min(piece_end - length(piece)) as bigint) as raw_start,
        {{ string_agg_ordered('piece', "''", 'piece_position') }} as raw_text
    from numbered
    where not is_whole_sentence
    group by text_id, sentence_number
),

trimmed as (
    select
        sentences.text_id,
        sentences.sentence_number,
        sentences.raw_start,
        length(sentences.raw_text) as raw_length,
        ltrim(sentences.raw_text) as left_trimmed,
        texts.load_id
    from sentences
    inner join texts
        on sentences.text_id = texts.text_id
),

final as (
    select
        text_id,
        sentence_number,
        cast(raw_start + raw_length - length(left_trimmed) as bigint) as char_start,
        cast(raw_start + raw_length - length(left_trimmed) + length(rtrim(left_trimmed)) as bigint) as char_end,
        rtrim(left_trimmed) as sentence_text,
        load_id
    from trimmed
    where left_trimmed <> ''
)

select * from final
