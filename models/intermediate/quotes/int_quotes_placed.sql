-- int_quotes_placed: one row per direct quote with where it stands in the reporter's sentence. Rules:
--   `within_quote_id`: the indirect quote whose content holds the quotation (`… the situation at the
--   border is “calm” …`), with that quote's speaker (`within_speaker`, role, verb, method);
--   `is_partial`: a fragment embedded in the reporter's sentence: the quote starts in lower case,
--   or is nested in another quote, or stands inside an indirect quote, or the reporter's words before
--   it in its sentence do not end with a colon, comma, semicolon, dash or a speech cue (`said “…”`);
--   `covering_speaker`: the speaker of a cue whose content holds the quote among other words (`sent a
--   message … “assuring” that their “revolution” …`, `Clinton said in the spring, when …, “…”`);
--   `has_dash_after`: a dash and a capital follow the closing mark (`“…” ― NAME`);
-- The quotes, sentences and indirect quotes of a paragraph are read as one stream in text order, so
-- the cost is linear however many quotes a paragraph holds.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

spans as (
    select * from {{ ref('int_quote_spans_chained') }}
    where {{ from_new_loads() }}
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
),

-- The marks, with the text before and after them (never cut from the paragraph: that would read a
-- huge paragraph once per quote): a quote's opening mark, and its closing mark.
marks as (
    select * from {{ ref('int_quote_marks_found') }}
    where {{ in_batch('article_id', 'spans', 'load_id') }}
),

-- The paragraphs that open a quote, with their text (whose sentences are read).
quoted_paragraphs as (
    select distinct
        paragraph_id,
        text_id
    from marks
    where paragraph_id in (select spans.paragraph_id from spans)
),

indirect as (
    select * from {{ ref('int_indirect_quotes_found') }}
    where {{ in_batch('article_id', 'spans', 'load_id') }}
),

-- Cues whose content holds words and quotations (`sent a message … “assuring” that their
-- “revolution” …`): a partial quote there belongs to the cue's speaker.
covering_cues as (
    select
        *,
        {{ attribution_method('attribution_form', 'source_kind') }} as attribution_method
    from {{ ref('int_speech_sources_resolved') }}
    where
        {{ in_batch('article_id', 'spans', 'load_id') }}
        and content_quotes >= 1
        and content_words >= 1
        and speaker_name is not null
),

speech_cues as (
    select * from {{ ref('speech_cues') }}
),

-- Sentence starts, indirect quotes and quotes of each paragraph, in text order.
stream as (
    select
        quoted_paragraphs.paragraph_id,
        sentences.char_start as stream_position,
        0 as event_order,
        cast(null as bigint) as cue_order,
        sentences.sentence_number,
        sentences.char_start as sentence_start,
        cast(null as {{ type_name('varchar') }}) as indirect_quote_id,
        cast(null as bigint) as indirect_end,
        cast(null as bigint) as cue_end,
        cast(null as {{ type_name('varchar') }}) as cue_speaker,
        cast(null as {{ type_name('varchar') }}) as cue_role,
        cast(null as {{ type_name('varchar') }}) as cue_verb,
        cast(null as {{ type_name('varchar') }}) as cue_method,
        cast(null as boolean) as cue_is_person,
        cast(null as {{ type_name('varchar') }}) as quote_id
    from quoted_paragraphs
    inner join sentences
        on quoted_paragraphs.text_id = sentences.text_id
    union all
    select
        paragraph_id,
        char_start as stream_position,
        1 as event_order,
        null as cue_order,
        null as sentence_number,
        null as sentence_start,
        quote_id as indirect_quote_id,
        char_end as indirect_end,
        null as cue_end,
        null as cue_speaker,
        null as cue_role,
        null as cue_verb,
        null as cue_method,
        null as cue_is_person,
        null as quote_id
    from indirect
    union all
    select
        paragraph_id,
        content_start_char as stream_position,
        1 as event_order,
        cue_number as cue_order,
        null as sentence_number,
        null as sentence_start,
        null as indirect_quote_id,
        null as indirect_end,
        content_end_char as cue_end,
        speaker_name as cue_speaker,
        coalesce(speaker_role, '') as cue_role,
        lower(cue_text) as cue_verb,
        attribution_method as cue_method,
        is_person_speaker as cue_is_person,
        null as quote_id
    from covering_cues
    union all
    select
        paragraph_id,
        open_position as stream_position,
        2 as event_order,
        null as cue_order,
        null as sentence_number,
        null as sentence_start,
        null as indirect_quote_id,
        null as indirect_end,
        null as cue_end,
        null as cue_speaker,
        null as cue_role,
        null as cue_verb,
        null as cue_method,
        null as cue_is_person,
        quote_id
    from spans
),

streamed as (
    select
        quote_id,
        {{ last_non_null('sentence_number') }} over before_me as sentence_number,
        {{ last_non_null('sentence_start') }} over before_me as sentence_start,
        {{ last_non_null('indirect_quote_id') }} over before_me as indirect_quote_id,
        {{ last_non_null('indirect_end') }} over before_me as indirect_end,
        {{ last_non_null('cue_end') }} over before_me as cue_end,
        {{ last_non_null('cue_speaker') }} over before_me as cue_speaker,
        {{ last_non_null('cue_role') }} over before_me as cue_role,
        {{ last_non_null('cue_verb') }} over before_me as cue_verb,
        {{ last_non_null('cue_method') }} over before_me as cue_method,
        {{ last_non_null('cue_is_person') }} over before_me as cue_is_person
    from stream
    window before_me as (
        partition by paragraph_id
        -- two cues whose contents start together: the first cue of the sentence is read last, and wins
        order by stream_position asc, event_order asc, cue_order desc nulls last
        rows between unbounded preceding and 1 preceding
    )
),

placed as (
    select
        spans.*,
        streamed.sentence_number,
        coalesce(streamed.sentence_start, 0) as sentence_start,
        case when spans.open_position < streamed.indirect_end then streamed.indirect_quote_id end as within_quote_id,
        case when spans.open_position < streamed.cue_end then streamed.cue_speaker end as covering_speaker,
        case when spans.open_position < streamed.cue_end then nullif(streamed.cue_role, '') end as covering_role,
        case when spans.open_position < streamed.cue_end then streamed.cue_verb end as covering_verb,
        case when spans.open_position < streamed.cue_end then streamed.cue_method end as covering_method,
        case when spans.open_position < streamed.cue_end then streamed.cue_is_person end as covering_is_person,
        -- the reporter's words before the quote in its sentence (at most 200 characters)
        right(
            opening_marks.text_before,
            cast(least(200, spans.open_position - coalesce(streamed.sentence_start, 0)) as integer)
        ) as before_text
    from spans
    inner join streamed
        on spans.quote_id = streamed.quote_id
    inner join marks as opening_marks
        on
            spans.paragraph_id = opening_marks.paragraph_id
            and spans.open_position = opening_marks.mark_position
),

judged as (
    select
        placed.*,
        {{ regex_matches('placed.quote_text', sql_string("^[\\s.…(\\[]*\\p{Ll}")) }} as starts_lower,
        trim(placed.before_text) <> ''
        and not {{ regex_matches('placed.before_text', sql_string("[:,;—–\\-][\\s\\x{a0}]*$")) }}
        and coalesce(speech_cues.cue_kind not in ('speech', 'adjacent', 'question'), true) as is_embedded,
        {{ regex_matches('placed.before_text', sql_string(":[\\s\\x{a0}]*$")) }} as is_colon_introduced
    from placed
    left join speech_cues
        on lower({{ regex_extract('placed.before_text', sql_string("(\\p{L}+)[\\s\\x{a0}]*$"), 1) }}) = speech_cues.cue
),

final as (
    select
        judged.quote_id,
        judged.article_id,
        judged.paragraph_id,
        judged.paragraph_index,
        judged.sentence_number,
        judged.open_position,
        judged.close_position,
        judged.last_paragraph_id,
        judged.last_paragraph_index,
        judged.is_nested,
        judged.within_quote_id,
        judged.starts_lower or judged.is_nested or judged.within_quote_id is not null
        or (judged.is_embedded and not judged.is_colon_introduced) as is_partial,
        judged.is_colon_introduced,
        judged.open_position <= 1 as opens_paragraph,
        -- where the last clause of the words before the quote starts (after their last comma)
        -- (the sentence's start when none stands in the 200 characters before the quote)
        case
            when judged.before_text like '%,%'
                then judged.open_position - length({{ regex_extract('judged.before_text', "'[^,]*$'") }})
            else judged.sentence_start
        end as clause_tail_start,
        judged.covering_speaker,
        judged.covering_role,
        judged.covering_verb,
        judged.covering_method,
        judged.covering_is_person,
        holding.speaker_name as within_speaker,
        holding.speaker_role as within_role,
        holding.attribution_verb as within_verb,
        holding.attribution_method as within_method,
        holding.is_person_speaker as within_is_person,
        -- a dash and a capital right after the closing mark (`“…” ― NAME`)
        coalesce({{ regex_matches(
            'left(closing_marks.text_after, 8)', sql_string("^[\\s\\x{a0}]*[―—–\\-]{1,2}[\\s\\x{a0}]*\\p{Lu}")
        ) }}, false) as has_dash_after,
        judged.load_id
    from judged
    left join indirect as holding
        on judged.within_quote_id = holding.quote_id
    left join marks as closing_marks
        on
            judged.last_paragraph_id = closing_marks.paragraph_id
            and judged.close_position = closing_marks.mark_position
)

select * from final
