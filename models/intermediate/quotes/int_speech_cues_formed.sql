-- int_speech_cues_formed: one row per speech cue in a sentence, with the form of the attribution it
-- opens, where its source phrase is and where its content starts (token numbers of the sentence,
-- int_sentence_tokens_tagged; a quotation is one token). A cue is a word of the speech_cues seed that
-- can introduce speech, in lower case, not after `to` (`declined to say`), a negation (`did not say`)
-- or a passive auxiliary (`was told`); `according` only before `to`. Forms:
--   source_verb_content  `Miri noted that …`, `Abbasi told Rudaw on Monday that …`, `Trump said he …`,
--                        `X said: “…”`: the source is the clause before the verb, the content follows
--                        (after `that`, else after an object and time or setting phrase);
--   content_source_verb  `…, Defense Minister Thabet al-Abbasi said on Monday.`, `“…,” he added.`:
--                        a short source phrase between a comma (or a quotation) and the verb, nothing
--                        but a few words after the verb; the content is the clause before the comma
--                        (after a quotation the name may take a relative clause: `“…,” Warren, who
--                        has not endorsed a candidate, told reporters`);
--   content_verb_source  `…, said Ahmed Nasrullah, top commander …`, `“…” said Pence.`; the source
--                        ends before a subordinate clause (`responded Abedin when …`);
--   participle           `…, saying such matters fall under state authority`, `adding that …`:
--                        the content follows; the source is the subject of the main clause;
--   and, after a quoting verb (`quoted`, `cited`), a participle after `as`: the speaker is the
--   verb's subject when it is passive (`X was quoted as saying …`), else its object (`Antara
--   quoted him as saying …`); the content follows, or comes before when only setting words or a
--   noun phrase follow (`…, X was quoted as saying by the agency.`, `“…,” the website quoted X as
--   saying.`): the forms source_verb_content and content_source_verb with these positions;
--   according_to         `…, according to United Nations figures.` and, after a clause of four
--                        words or more, `X leads, according to polls, but …` (content before), or
--                        `According to SOURCE, …` (content after, also a lone quotation:
--                        `According to the board, “…”`).
-- Where the content ends, and whether it is a direct quote's or an indirect one, is the next step's.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

cues as (
    select * from {{ ref('int_speech_cues_situated') }}
    where {{ new_texts_only() }}
),

stretches as (
    select * from {{ ref('int_speech_sources_stretched') }}
    where {{ in_batch('text_id', 'cues', 'load_id') }}
),

framed as (
    select
        cues.*,
        coalesce(stretches.stretch_comma, 0) as stretch_comma,
        coalesce(stretches.stretch_tokens, 0) as stretch_tokens,
        coalesce(stretches.stretch_has_clause, true) as stretch_has_clause,
        coalesce(stretches.words_before_stretch, 0) as words_before_stretch,
        coalesce(stretches.stretch_starts_source, false) as stretch_starts_source,
        coalesce(stretches.follows_quote, false) as stretch_follows_quote,
        coalesce(stretches.stretch_is_relative, false) as stretch_is_relative,
        coalesce(stretches.name_comma, 0) as name_comma,
        stretches.source_comma,
        cues.quoting_number is not null
        and not cues.has_that and not cues.quote_after_verb and cues.quoting_last_comma > 0
        and (cues.after_verb_is_setting or (cues.after_verb_is_noun_phrase and not cues.verb_soon_after))
            as is_quoted_before
    from cues
    left join stretches
        on
            cues.text_id = stretches.text_id
            and cues.sentence_number = stretches.sentence_number
            and cues.cue_number = stretches.cue_number
),

formed as (
    select
        *,
        case
            when is_quoted_before then 'content_source_verb'
            when quoting_number is not null then 'source_verb_content'
            when cue_kind = 'according' then 'according_to'
            when
                cue_form = 'participle'
                and (
                    previous_key in (',', 'and') or previous_is_dash or previous_kind = 'quote' or after_comma_adverb
                    or before_quote
                )
                then 'participle'
            -- `He called her … “extremely careless,” and said …`: the subject of the verb before
            when after_coordinator and cue_kind <> 'according' then 'participle'
            -- `…, Defense Minister Thabet al-Abbasi said on Monday.` / `“…,” he added.`
            when
                stretch_comma > 0
                and (stretch_tokens between 1 and 14 or (stretch_follows_quote and stretch_tokens <= 40))
                -- a relative clause after the name may hold a verb (`“…,” Warren, who has not endorsed a
                -- candidate, told reporters`)
                and (not stretch_has_clause or (stretch_is_relative and stretch_follows_quote))
                and stretch_starts_source
                and (words_before_stretch > 0 or stretch_comma = 1)
                and not has_that
                and not quote_after_verb
                -- only a few words after the verb, or any setting after a quotation's attribution
                -- (`Brazile said in a statement supplied to the press after the WikiLeaks release.`)
                and ((words_to_break <= 8 and after_verb_is_setting) or stretch_follows_quote)
                and not (content_follows_break and not stretch_follows_quote)
                then 'content_source_verb'
            -- `These sources of authority, the lawyers said, “all command …” that …`: an attribution
            -- inside its content, which takes the whole sentence
            when
                stretch_comma > 0
                and stretch_tokens between 1 and 14
                and not stretch_has_clause
                and stretch_starts_source
                and words_before_stretch > 0
                and not has_that
                and words_to_break <= 3
                and after_verb_is_setting
                and content_follows_break
                -- `Trump, who …, tweeted, “…”`: after a relative clause, a quotation after the verb is
                -- its content
                and not (quote_after_verb and stretch_is_relative)
                then 'parenthetical'
            -- `“…” said Pence.` / `…, said Ahmed Nasrullah, top commander …`
            when
                (previous_kind = 'quote' or (previous_key = ',' and last_comma > 1))
                and source_follows
                and (previous_kind = 'quote' or not cue_takes_object)
                and not has_that
                and not quote_after_verb
                and not (stretch_is_relative and words_before_stretch <= 5)
                -- a short source phrase, or a long one after a whole clause (`Defending that terrain
                -- is squarely within the Biden wheelhouse, said a handful of Democrats who …`)
                and (
                    (words_to_break <= 8 and after_verb_is_noun_phrase)
                    -- after a quotation that opens the sentence, any phrase: nothing before the verb
                    -- can be its subject (`“…,” said Atlantic City Mayor Don Guardian in a telephone
                    -- interview.`, `“…,” said one Republican involved in the planning, who …`)
                    or (previous_kind = 'quote' and cue_number = 2)
                    or (finite_before_last_comma and words_before_last_comma >= 5 and not verb_soon_after)
                )
                then 'content_verb_source'
            when subject_words > 0 then 'source_verb_content'
        end as attribution_form
    from framed
),

-- The source phrase's tokens, and where the content starts (its end is the next step's): -1 for a
-- content before the attribution.
spanned as (
    select
        text_id,
        sentence_number,
        cue_number,
        cue_text,
        cue_lemma,
        cue_kind,
        cue_form,
        cue_bare_content,
        cue_takes_object,
        attribution_form,
        cue_start_char,
        -- after a quoting verb `as saying` is the verb, never the noun
        cue_is_also_noun and quoting_number is null as cue_is_also_noun,
        case
            when quoting_number is not null and not quoting_is_passive then quoting_number + 1
            when is_quoted_before then quoting_last_comma + 1
            when quoting_number is not null then quoting_clause_boundary + 1
            when attribution_form = 'according_to' then cue_number + 2
            when attribution_form = 'participle' then 1
            when attribution_form = 'content_verb_source' then cue_number + 1
            when attribution_form in ('content_source_verb', 'parenthetical') then source_comma + 1
            when attribution_form = 'source_verb_content' then clause_boundary + 1
        end as source_first,
        case
            when quoting_number is not null and not quoting_is_passive then cue_number - 2
            when quoting_number is not null then quoting_number - 1
            when attribution_form = 'according_to' then coalesce(next_comma, sentence_length + 1) - 1
            -- up to the next break or subordinate clause (`responded Abedin when …`)
            when attribution_form = 'content_verb_source'
                then least(
                    coalesce(next_break, sentence_length + 1), coalesce(next_subordinator, sentence_length + 1)
                ) - 1
            when attribution_form in ('content_source_verb', 'source_verb_content', 'participle', 'parenthetical')
                then cue_number - 1
        end as source_last,
        case
            when attribution_form in ('content_source_verb', 'content_verb_source') then -1
            -- `…, according to X.` (content before); `According to X, “…”` opening the sentence: a
            -- quotation that ends the sentence right after the comma is the content
            when
                attribution_form = 'according_to' and coalesce(next_comma, sentence_length) >= sentence_length - 1
                and (cue_number > 1 or coalesce(next_quote <> next_comma + 1, true))
                then -1
            -- `X leads, according to polls, in …`: inside a sentence after a clause, the content is before
            when attribution_form = 'according_to' and cue_number > 2 and words_before_last_comma >= 4 then -1
            when attribution_form = 'according_to' then next_comma + 1
            -- the stretch between the comma before the source and the one before that, to the end
            when attribution_form = 'parenthetical' then name_comma + 1
            when has_that then that_number + 1
            else cue_number + 1
        end as content_first,
        case
            when is_quoted_before then quoting_last_comma
            when attribution_form = 'content_source_verb' then source_comma
            when attribution_form = 'content_verb_source' then cue_number - 1
            when attribution_form = 'according_to' then cue_number - 1
        end as content_before,
        has_that,
        ends_with_colon,
        -- `“…,” Tapper said, “…”`: the quotation before the clause is the cue's too, unless a colon is
        -- the first break after the verb and opens its quotation (`“…” Hobday said: “…”`; not a colon
        -- of a later verb: `“…,” Trump said before adding: “…”`)
        case
            when
                attribution_form = 'source_verb_content'
                and not coalesce(
                    next_colon = next_comma and next_quote = next_colon + 1 and coalesce(next_cue > next_colon, true),
                    false
                )
                then nullif(clause_quote_start, -1)
        end as preceding_quote_start,
        sentence_length,
        load_id
    from formed
    where attribution_form is not null
)

select * from spanned
