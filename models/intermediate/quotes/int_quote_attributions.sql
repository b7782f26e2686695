-- int_quote_attributions: one row per quote that is not nested in another, with its speaker as found by
-- the rules of the spec. The words of the quote's after and before clauses (int_quote_contexts) are
-- tokenised and joined to the lexicon seeds (speech_verbs, pronouns, person_titles); then:
--   explicit_after   `“…,” NAME[, ROLE,] VERB` or `“…,” VERB NAME[, ROLE]` or `“…” ― NAME`;
--   pronoun          `“…,” he added` / `“…,” the minister said`: the most recent person who was the
--                    subject of a sentence before the pronoun, same or earlier paragraphs of the article;
--   according_to     `“…,” according to the official readout`: that source phrase;
--   explicit_before  `NAME VERB: “…”`, `NAME VERB that … “…”`, `NAME, ROLE: “…”` in the same sentence,
--                    or the sentence ending the previous paragraph with a colon; a pronoun resolves as above;
--   inherited        no attribution of its own, right after an attributed quote of the same paragraph
--                    (`“…,” he said. “…”`): that quote's speaker and method;
--   none             no speaker.
-- Precedence: after clause, before clause, after clause of a quote that closed its own sentence,
-- `according to`. A named person is stored in the fullest form of the article; a source that is not a
-- named person (`Iraq’s interior ministry`, `a spokesman for Disney`) as written.
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_articles_of_new_loads(ref('int_articles_split')) }}"
) }}
with

contexts as (
    select * from {{ ref('int_quote_contexts') }}
    where {{ from_new_loads() }}
),

spans as (
    select * from {{ ref('int_quote_spans') }}
    where {{ in_batch('article_id', 'contexts', 'load_id') }}
),

mentions as (
    select * from {{ ref('int_person_mentions__resolved') }}
    where {{ in_batch('article_id', 'contexts', 'load_id') }}
),

paragraphs as (
    select * from {{ ref('int_paragraphs_deduped') }}
    where {{ in_batch('article_id', 'contexts', 'load_id') }}
),

speech_verbs as (
    select * from {{ ref('speech_verbs') }}
),

pronouns as (
    select * from {{ ref('pronouns') }}
),

person_titles as (
    select * from {{ ref('person_titles') }}
),

titles as (
    select distinct lower(trim(title, '.')) as title_key
    from person_titles
),

partials as (
    select * from {{ ref('int_quotes__partial') }}
),

clauses as (
    select
        quote_id,
        'after' as clause_side,
        last_paragraph_id as clause_paragraph_id,
        after_clause_start as clause_start,
        after_clause as clause_text,
        ends_sentence,
        {{ regex_matches('after_clause', "'^[\\s,\\x{a0}]*\\p{Lu}[^,;.“”\"]{0,40},'") }} as has_leading_appositive
    from contexts
    union all
    select
        quote_id,
        'before' as clause_side,
        before_paragraph_id as clause_paragraph_id,
        before_clause_start as clause_start,
        before_clause as clause_text,
        ends_sentence,
        false as has_leading_appositive
    from contexts
),

-- Tokens and the gaps before them give each token's offset in the paragraph.
gaps as (
    select
        quote_id,
        clause_side,
        {{ explode_with_position(
            regex_split_list('clause_text', attribution_token_pattern()), 'gap', 'gap_position'
        ) }}
    from clauses
),

words as (
    select
        quote_id,
        clause_side,
        clause_paragraph_id,
        clause_start,
        ends_sentence,
        has_leading_appositive,
        {{ explode_with_position(
            regex_extract_all_list('clause_text', attribution_token_pattern()), 'token', 'token_position'
        ) }}
    from clauses
),

positioned as (
    select
        words.quote_id,
        words.clause_side,
        words.clause_paragraph_id,
        words.ends_sentence,
        words.has_leading_appositive,
        words.token_position,
        words.token,
        cast(
            words.clause_start
            + sum(length(gaps.gap) + length(words.token))
                over (
                    partition by words.quote_id, words.clause_side
                    order by words.token_position
                    rows between unbounded preceding and current row
                )
            - length(words.token) as bigint
        ) as token_start
    from words
    inner join gaps
        on
            words.quote_id = gaps.quote_id
            and words.clause_side = gaps.clause_side
            and words.token_position = gaps.gap_position
),

tokens as (
    select
        positioned.quote_id,
        positioned.clause_side,
        positioned.clause_paragraph_id,
        positioned.ends_sentence,
        positioned.has_leading_appositive,
        positioned.token_position,
        positioned.token,
        positioned.token_start,
        cast(positioned.token_start + length(positioned.token) as bigint) as token_end,
        {{ regex_matches('positioned.token', "'^[\\p{L}\\p{N}]'") }} as is_word,
        sum(case when {{ regex_matches('positioned.token', "'^[\\p{L}\\p{N}]'") }} then 1 else 0 end) over (
            partition by positioned.quote_id, positioned.clause_side
            order by positioned.token_position
            rows between unbounded preceding and current row
        ) as word_number,
        speech_verbs.verb_kind,
        {{ regex_matches('positioned.token', "'^\\p{Ll}'") }} as is_lower,
        lag(lower(positioned.token)) over (
            partition by positioned.quote_id, positioned.clause_side
            order by positioned.token_position
        ) as previous_token,
        count(*) over (
            partition by positioned.quote_id, positioned.clause_side
            order by positioned.token_position desc
            rows between unbounded preceding and current row
        ) <= 3 as is_last_words,
        -- `…, and the ministry said`: a comma + conjunction or a semicolon starts a new clause.
        positioned.token = ';' or (
            lower(positioned.token) in ('and', 'but', 'while', 'whereas', 'although', 'because')
            and lag(positioned.token) over (
                partition by positioned.quote_id, positioned.clause_side
                order by positioned.token_position
            ) = ','
        ) as is_clause_boundary,
        pronouns.refers_to as pronoun_refers_to,
        titles.title_key is not null as is_title_word,
        lead(lower(positioned.token)) over (
            partition by positioned.quote_id, positioned.clause_side
            order by positioned.token_position
        ) as next_token
    from positioned
    left join speech_verbs
        on lower(trim(positioned.token, '.')) = speech_verbs.verb
    left join pronouns
        on lower(trim(positioned.token, '.')) = pronouns.pronoun
    left join titles
        on lower(trim(positioned.token, '.')) = titles.title_key
),

-- Candidate verbs, each with the stretch of words it owns as subject: from the previous candidate verb
-- of the clause (or the clause start) up to it.
verb_candidates as (
    select
        quote_id,
        clause_side,
        clause_paragraph_id,
        ends_sentence,
        has_leading_appositive,
        token_position,
        lower({{ regex_replace_all('token', "'[^\\p{L}]+$'", "''") }}) as verb_token,
        verb_kind,
        token_start as verb_start,
        token_end as verb_end,
        word_number as verb_word_number,
        -- `X urged …, saying “…”`: a participle shares the subject of the clause's main verb, so its
        -- subject stretch starts at the clause start.
        clause_side = 'before' and lower(token) like '%ing' and word_number > 1 as is_participle,
        case
            when clause_side = 'before' and lower(token) like '%ing' and word_number > 1 then -1
            else greatest(
                coalesce(
                    lag(
                        case when not (clause_side = 'before' and lower(token) like '%ing') then token_end end
                        ignore nulls
                    ) over (partition by quote_id, clause_side order by token_position),
                    -1
                ),
                coalesce(last_boundary_end, -1)
            )
        end as previous_verb_end
    from (
        select
            *,
            last_value(case when is_clause_boundary then token_end end ignore nulls) over (
                partition by quote_id, clause_side
                order by token_position
                rows between unbounded preceding and current row
            ) as last_boundary_end
        from tokens
    ) as bounded_tokens
    where
        (verb_kind = 'according' and next_token = 'to')
        or (
            (is_lower or word_number = 1)
            and (
                (clause_side = 'after' and verb_kind in ('speech', 'adjacent'))
                or (clause_side = 'before' and verb_kind in ('speech', 'communication'))
                -- `Hillary shot back, “…”`: a verb that is speech only next to the quote.
                or (clause_side = 'before' and verb_kind = 'adjacent' and is_last_words)
            )
            -- `… and said, “…”`: a coordinated verb shares the subject of the verb before it.
            and coalesce(previous_token not in ('and', 'but', 'then'), true)

        )
),

verb_subjects as (
    select
        verb_candidates.quote_id,
        verb_candidates.clause_side,
        verb_candidates.token_position,
        count(tokens.token_position) filter (where tokens.is_word) as subject_words,
        max(tokens.pronoun_refers_to) filter (where tokens.word_number <= 2) as subject_pronoun,
        nullif({{ first_by('coalesce(tokens.pronoun_refers_to, \'\')', 'tokens.token_start') }} filter (
            where tokens.is_word
        ), '') as first_word_pronoun,
        min(tokens.token_start) filter (where tokens.pronoun_refers_to is not null) as pronoun_start,
        coalesce(bool_or(tokens.is_title_word), false) as subject_has_title_word,
        min(tokens.token_start) filter (where tokens.is_word) as subject_start,
        min(tokens.token_start) filter (where tokens.token = ',' and tokens.word_number >= 1) as first_comma_start,
        max(tokens.token_end) filter (where tokens.token = ',') as last_comma_end,
        max(verb_candidates.clause_paragraph_id) as clause_paragraph_id,
        max(verb_candidates.previous_verb_end) as previous_verb_end,
        max(verb_candidates.verb_start) as verb_start
    from verb_candidates
    left join tokens
        on
            verb_candidates.quote_id = tokens.quote_id
            and verb_candidates.clause_side = tokens.clause_side
            and verb_candidates.previous_verb_end < tokens.token_start
            and verb_candidates.verb_start > tokens.token_start
    group by verb_candidates.quote_id, verb_candidates.clause_side, verb_candidates.token_position
),

-- After the quote: the first speech verb among the first twelve words (four when the quote closed its
-- own sentence) or `according to` anywhere. Before it: the last verb that has a subject of its own,
-- speech verbs before communication verbs (`sent a message`), `according to` last.
subject_persons as (
    select distinct
        verb_subjects.quote_id,
        verb_subjects.clause_side,
        verb_subjects.token_position
    from verb_subjects
    inner join mentions
        on
            verb_subjects.clause_paragraph_id = mentions.paragraph_id
            and verb_subjects.previous_verb_end < mentions.char_start
            and verb_subjects.verb_start > mentions.char_start
    where
        verb_subjects.clause_side = 'before'
        and mentions.is_person
        and not mentions.is_possessive
),

chosen_verbs as (
    select
        verb_candidates.*,
        case
            when verb_candidates.clause_side = 'after' then 0
            else verb_subjects.subject_words
        end as own_subject_words,
        verb_subjects.subject_pronoun,
        verb_subjects.first_word_pronoun,
        verb_subjects.pronoun_start,
        verb_subjects.subject_has_title_word,
        verb_subjects.subject_start,
        verb_subjects.first_comma_start,
        verb_subjects.last_comma_end,
        row_number() over (
            partition by verb_candidates.quote_id, verb_candidates.clause_side
            order by
                case
                    when verb_candidates.clause_side = 'after' then verb_candidates.token_position
                    else 0
                end,
                verb_subjects.subject_words = 0,
                subject_persons.quote_id is null and verb_subjects.subject_pronoun is null,
                verb_candidates.verb_kind = 'according',
                verb_candidates.verb_kind = 'communication',
                verb_candidates.is_participle asc,
                verb_candidates.token_position desc
        ) as verb_rank
    from verb_candidates
    inner join verb_subjects
        on
            verb_candidates.quote_id = verb_subjects.quote_id
            and verb_candidates.clause_side = verb_subjects.clause_side
            and verb_candidates.token_position = verb_subjects.token_position
    left join subject_persons
        on
            verb_candidates.quote_id = subject_persons.quote_id
            and verb_candidates.clause_side = subject_persons.clause_side
            and verb_candidates.token_position = subject_persons.token_position
    where
        verb_candidates.clause_side = 'before'
        or verb_candidates.verb_kind = 'according'
        or verb_candidates.verb_word_number <= case
            when verb_candidates.ends_sentence then 4
            when verb_candidates.verb_kind = 'adjacent' then 4
            when verb_candidates.has_leading_appositive then 30
            else 12
        end
),

-- Where the chosen verb's clause starts and ends, and what stands around the verb.
clause_bounds as (
    select
        tokens.quote_id,
        tokens.clause_side,
        min(tokens.token_start) as clause_start,
        max(tokens.token_end) as clause_end,
        max(tokens.pronoun_refers_to) filter (
            where tokens.word_number <= 2 and tokens.token_start < verbs.verb_start
        ) as first_pronoun,
        max(tokens.pronoun_refers_to) filter (
            where tokens.word_number = 1 and tokens.token_start < verbs.verb_start
        ) as first_word_pronoun,
        min(tokens.token_start) filter (
            where tokens.pronoun_refers_to is not null and tokens.token_start < verbs.verb_start
        ) as first_pronoun_start,
        coalesce(bool_or(tokens.is_title_word) filter (where tokens.token_start < verbs.verb_start), false)
            as title_before_verb,
        min(tokens.token_start) filter (
            where tokens.token = ',' and tokens.word_number >= 1 and tokens.token_start < verbs.verb_start
        ) as first_comma_start,
        min(tokens.token_start) filter (
            where tokens.is_word and tokens.token_start > verbs.verb_end
            and not (verbs.verb_kind = 'according' and lower(tokens.token) = 'to')
        ) as object_start,
        min(tokens.token_start) filter (
            where tokens.token = ',' and tokens.token_start > verbs.verb_end
        ) as object_first_comma_start
    from tokens
    inner join chosen_verbs as verbs
        on
            tokens.quote_id = verbs.quote_id
            and tokens.clause_side = verbs.clause_side
            and verbs.verb_rank = 1
    group by tokens.quote_id, tokens.clause_side
),

-- For the after clause the subject runs from the clause start (nothing is skipped).
clause_parts as (
    select
        chosen_verbs.quote_id,
        chosen_verbs.clause_side,
        chosen_verbs.clause_paragraph_id,
        chosen_verbs.verb_token,
        chosen_verbs.verb_kind,
        chosen_verbs.verb_start,
        chosen_verbs.verb_end,
        chosen_verbs.is_participle,
        clause_bounds.clause_start,
        clause_bounds.clause_end,
        case
            when chosen_verbs.clause_side = 'after' then chosen_verbs.verb_word_number - 1
            else chosen_verbs.own_subject_words
        end as subject_words,
        case
            when chosen_verbs.clause_side = 'after' then clause_bounds.clause_start
            else greatest(chosen_verbs.previous_verb_end, clause_bounds.clause_start)
        end as subject_start,
        case
            when chosen_verbs.clause_side = 'after' then clause_bounds.first_pronoun
            else chosen_verbs.subject_pronoun
        end as subject_pronoun,
        case
            when chosen_verbs.clause_side = 'after' then clause_bounds.first_pronoun_start
            else chosen_verbs.pronoun_start
        end as pronoun_start,
        case
            when chosen_verbs.clause_side = 'after' then clause_bounds.first_word_pronoun
            else chosen_verbs.first_word_pronoun
        end as first_word_pronoun,
        case
            when chosen_verbs.clause_side = 'after' then clause_bounds.title_before_verb
            else chosen_verbs.subject_has_title_word
        end as subject_has_title_word,
        case
            when chosen_verbs.clause_side = 'after' then clause_bounds.first_comma_start
            else chosen_verbs.first_comma_start
        end as first_comma_start,
        chosen_verbs.last_comma_end,
        clause_bounds.object_start,
        clause_bounds.object_first_comma_start
    from chosen_verbs
    inner join clause_bounds
        on
            chosen_verbs.quote_id = clause_bounds.quote_id
            and chosen_verbs.clause_side = clause_bounds.clause_side
    where chosen_verbs.verb_rank = 1
),

-- A named person in the subject (after: the last one before the first comma, `Trump adviser Paul
-- Manafort, …`; before: the one closest to the verb) or, for `said NAME`, in the first words after it.
named as (
    select
        clause_parts.quote_id,
        clause_parts.clause_side,
        mentions.full_name,
        mentions.char_end as mention_end,
        coalesce(mentions.appositive_role, mentions.title) as mention_role,
        row_number() over (
            partition by clause_parts.quote_id, clause_parts.clause_side
            order by
                clause_parts.clause_side = 'after'
                and clause_parts.subject_words > 0
                and mentions.char_start > coalesce(clause_parts.first_comma_start, clause_parts.verb_start),
                -- `said Ayotte campaign manager Jon Kohan, …`: the last person before the object's comma.
                clause_parts.subject_words = 0
                and mentions.char_start > coalesce(clause_parts.object_first_comma_start, clause_parts.clause_end),
                case
                    when clause_parts.subject_words = 0
                        then -mentions.char_start
                    when clause_parts.is_participle then mentions.char_start
                    when
                        clause_parts.clause_side = 'after'
                        and mentions.char_start > coalesce(clause_parts.first_comma_start, clause_parts.verb_start)
                        then mentions.char_start
                    else -mentions.char_start
                end
        ) as mention_rank
    from clause_parts
    inner join mentions
        on clause_parts.clause_paragraph_id = mentions.paragraph_id
    where
        (
            mentions.is_person
            or (
                -- A single name right before the verb (`When Clinton said`) names the speaker too.
                mentions.is_name_like
                and mentions.char_end between clause_parts.verb_start - 2 and clause_parts.verb_start
            )
        )
        and not mentions.is_possessive
        and (
            (
                clause_parts.subject_words > 0
                and mentions.char_start >= clause_parts.subject_start
                and mentions.char_start < clause_parts.verb_start
            )
            or (
                clause_parts.subject_words = 0
                and clause_parts.verb_kind <> 'according'
                and mentions.char_start >= clause_parts.verb_end
                and mentions.char_start <= clause_parts.verb_end + 60
            )
        )
),

clause_rules as (
    select
        clause_parts.*,
        named.full_name as named_speaker,
        named.mention_end,
        named.mention_role,
        paragraphs.paragraph_text,
        paragraphs.article_id,
        paragraphs.paragraph_index,
        case
            when clause_parts.verb_kind = 'according' then 'according_to'
            when
                clause_parts.subject_pronoun = 'person'
                and (clause_parts.subject_words <= 3 or clause_parts.first_word_pronoun = 'person')
                and named.full_name is null
                then 'pronoun'
            when named.full_name is not null then 'named'
            when
                clause_parts.subject_words between 1 and 3
                and clause_parts.subject_has_title_word
                and {{ regex_matches(
                    'substr(paragraphs.paragraph_text, clause_parts.subject_start + 1, 4)', "'^[Tt]he '"
                ) }}
                then 'title'
            when clause_parts.subject_words between 1 and 20 and clause_parts.subject_pronoun is null then 'phrase'
            when clause_parts.subject_words = 0 and clause_parts.object_start is not null then 'object_phrase'
        end as clause_rule
    from clause_parts
    inner join paragraphs
        on clause_parts.clause_paragraph_id = paragraphs.paragraph_id
    left join named
        on
            clause_parts.quote_id = named.quote_id
            and clause_parts.clause_side = named.clause_side
            and named.mention_rank = 1
),

-- The source phrase as written, when it is not a named person.
phrased as (
    select
        *,
        trim({{ regex_replace_all(
            "case
                when clause_rule = 'according_to'
                    then substr(paragraph_text, object_start + 1, clause_end - object_start)
                when clause_rule = 'object_phrase'
                    then substr(
                        paragraph_text,
                        object_start + 1,
                        coalesce(object_first_comma_start, clause_end) - object_start
                    )
                when clause_side = 'before'
                    then substr(
                        paragraph_text,
                        greatest(coalesce(last_comma_end, subject_start), subject_start) + 1,
                        verb_start - greatest(coalesce(last_comma_end, subject_start), subject_start)
                    )
                else substr(
                    paragraph_text,
                    subject_start + 1,
                    coalesce(first_comma_start, verb_start) - subject_start
                )
            end",
            "'^[\\s,—–:]+|[\\s,.;:—–]+$'",
            "''"
        ) }}) as source_phrase,
        nullif(trim({{ regex_replace_all(
            "case
                when named_speaker is null then ''
                when clause_side = 'after' and subject_words > 0 and mention_end < verb_start
                    then substr(paragraph_text, mention_end + 1, verb_start - mention_end)
                when subject_words = 0
                    then " ~ regex_extract(
                        'substr(paragraph_text, mention_end + 1, clause_end - mention_end)',
                        "'^,[\\s\\x{a0}]*([^,;:“”\"]+)'",
                        1
                    ) ~ "
                else ''
            end",
            "'^[\\s,—–]+|[\\s,.;—–]+$'",
            "''"
        ) }}), '') as clause_role
    from clause_rules
    where clause_rule is not null
),

-- A source phrase must read like a noun phrase: capitalised, or after a determiner (`the ministry`).
checked as (
    select *
    from phrased
    where
        clause_rule not in ('phrase', 'object_phrase')
        or length(source_phrase) - length(replace(source_phrase, ' ', '')) < 8
        and {{ regex_matches(
            'source_phrase',
            "'^(?:\\p{Lu}|(?:the|a|an|his|her|its|their|one|two|three|several|some|many|both|another)\\s)'"
        ) }}
),

-- Clauses without a verb: `“…” ― NAME` after the quote, `NAME[, ROLE]: “…”` before it. Each quote's
-- candidate clause is found first (the regex runs once per quote), then joined to the persons of that
-- clause's paragraph by an equality: a join key computed from two tables at once let the optimizer
-- pick a cross product (7.5 billion rows on 100,000 articles).
verbless_clauses as (
    select
        quote_id,
        'after' as clause_side,
        last_paragraph_id as clause_paragraph_id,
        after_clause_start as window_start,
        after_clause_start + 6 as window_last,
        before_clause_start as comma_cut
    from contexts
    where {{ regex_matches('after_clause', "'^[\\s\\x{a0}]*[―—–\\-]{1,2}[\\s\\x{a0}]*\\p{Lu}'") }}
    union all
    select
        quote_id,
        'before' as clause_side,
        before_paragraph_id as clause_paragraph_id,
        before_clause_start as window_start,
        before_clause_start + length(before_clause) - 1 as window_last,
        -- `When Wallace died, President Clinton released the following statement:` names Clinton: a
        -- person after the clause's last comma first, else the first person (`Jeremy Lott, author:`).
        before_clause_start + length({{ regex_replace_all('before_clause', "',[^,]*$'", "''") }}) as comma_cut
    from contexts
    where {{ regex_matches('before_clause', "':[\\s\\x{a0}]*$'") }}
),

verbless as (
    select
        verbless_clauses.quote_id,
        verbless_clauses.clause_side,
        mentions.full_name,
        coalesce(mentions.appositive_role, mentions.title) as mention_role,
        row_number() over (
            partition by verbless_clauses.quote_id, verbless_clauses.clause_side
            order by
                verbless_clauses.clause_side = 'before' and mentions.char_start > verbless_clauses.comma_cut desc,
                mentions.char_start asc
        ) as mention_rank
    from verbless_clauses
    inner join mentions
        on verbless_clauses.clause_paragraph_id = mentions.paragraph_id
    where
        mentions.is_person
        and not mentions.is_possessive
        and mentions.char_start between verbless_clauses.window_start and verbless_clauses.window_last
),

-- Pronouns and titles resolve to the most recent sentence-subject person before them.
antecedents as (
    select
        phrased.quote_id,
        phrased.clause_side,
        mentions.full_name,
        coalesce(mentions.appositive_role, mentions.title) as mention_role,
        row_number() over (
            partition by phrased.quote_id, phrased.clause_side
            order by mentions.paragraph_index desc, mentions.char_start desc
        ) as antecedent_rank
    from checked as phrased
    inner join mentions
        on phrased.article_id = mentions.article_id
    where
        (
            phrased.paragraph_index > mentions.paragraph_index
            or (
                phrased.paragraph_index = mentions.paragraph_index
                and mentions.char_start < coalesce(phrased.pronoun_start, phrased.subject_start)
            )
        )
        and phrased.clause_rule in ('pronoun', 'title')
        and mentions.is_person
        and mentions.is_sentence_subject
),

clause_speakers as (
    select
        phrased.quote_id,
        phrased.clause_side,
        phrased.verb_token,
        case
            when phrased.clause_rule = 'according_to' then 'according_to'
            when phrased.clause_rule in ('pronoun', 'title') then 'pronoun'
            when phrased.clause_side = 'after' then 'explicit_after'
            else 'explicit_before'
        end as attribution_method,
        case
            when phrased.clause_rule in ('pronoun', 'title') then antecedents.full_name
            when phrased.clause_rule = 'named' then phrased.named_speaker
            else nullif(phrased.source_phrase, '')
        end as speaker_name,
        case
            when phrased.clause_rule in ('pronoun', 'title') then antecedents.mention_role
            when phrased.clause_rule = 'named' then coalesce(phrased.clause_role, phrased.mention_role)
        end as speaker_role,
        phrased.clause_rule in ('pronoun', 'title', 'named') as is_person
    from checked as phrased
    left join antecedents
        on
            phrased.quote_id = antecedents.quote_id
            and phrased.clause_side = antecedents.clause_side
            and antecedents.antecedent_rank = 1
    union all
    select
        verbless.quote_id,
        verbless.clause_side,
        null as verb_token,
        case when verbless.clause_side = 'after' then 'explicit_after' else 'explicit_before' end
            as attribution_method,
        verbless.full_name as speaker_name,
        verbless.mention_role as speaker_role,
        true as is_person
    from verbless
    where
        verbless.mention_rank = 1
        and not exists (
            select 1
            from checked as phrased
            where
                phrased.quote_id = verbless.quote_id
                and phrased.clause_side = verbless.clause_side
        )
),

-- A partial quote with no speech verb belongs to the subject of its sentence (`In March, Trump blasted
-- Disney for its “outrageous practices”`): the first person named in the sentence before it.
sentence_subjects as (
    select
        contexts.quote_id,
        'sentence' as clause_side,
        null as verb_token,
        'explicit_before' as attribution_method,
        mentions.full_name as speaker_name,
        coalesce(mentions.appositive_role, mentions.title) as speaker_role,
        true as is_person,
        row_number() over (partition by contexts.quote_id order by mentions.char_start) as mention_rank
    from contexts
    inner join partials
        on contexts.quote_id = partials.quote_id
    inner join mentions
        on contexts.before_paragraph_id = mentions.paragraph_id
    where
        partials.is_partial
        and mentions.is_person
        and not mentions.is_possessive
        and mentions.char_start >= contexts.before_clause_start
        and mentions.char_start < contexts.before_clause_start + length(contexts.before_clause)
),

all_speakers as (
    select * from clause_speakers
    union all
    select
        quote_id,
        clause_side,
        verb_token,
        attribution_method,
        speaker_name,
        speaker_role,
        is_person
    from sentence_subjects
    where mention_rank = 1
),

-- One attribution per quote, by precedence.
ranked_speakers as (
    select
        all_speakers.*,
        row_number() over (
            partition by all_speakers.quote_id
            order by
                case
                    when all_speakers.attribution_method = 'according_to' then 6
                    when
                        all_speakers.clause_side = 'after'
                        and not contexts.ends_sentence
                        and all_speakers.attribution_method <> 'pronoun'
                        then 1
                    -- `X said “…,” she said`: the named speaker before wins over the pronoun after.
                    when
                        all_speakers.clause_side = 'before'
                        and all_speakers.verb_token is not null
                        and all_speakers.attribution_method = 'explicit_before'
                        then 2
                    when all_speakers.clause_side = 'after' and not contexts.ends_sentence then 3
                    when all_speakers.clause_side = 'before' then 4
                    when all_speakers.clause_side = 'after' then 5
                    else 7
                end
        ) as speaker_rank
    from all_speakers
    inner join contexts
        on all_speakers.quote_id = contexts.quote_id
    where all_speakers.speaker_name is not null
),

combined as (
    select
        contexts.quote_id,
        contexts.article_id,
        contexts.paragraph_id,
        contexts.paragraph_index,
        contexts.open_position,
        contexts.opens_paragraph,
        ranked_speakers.speaker_name,
        ranked_speakers.speaker_role,
        ranked_speakers.verb_token as attribution_verb,
        ranked_speakers.attribution_method as own_method,
        coalesce(ranked_speakers.is_person, false) as is_person_speaker
    from contexts
    left join ranked_speakers
        on
            contexts.quote_id = ranked_speakers.quote_id
            and ranked_speakers.speaker_rank = 1
),

-- A quote without its own attribution takes the speaker of the last attributed quote when that quote
-- is in the same paragraph (`“…,” he said. “…”`), or in the paragraph just before when the quote opens
-- its paragraph (a speaker's words running on into a new paragraph).
inherited as (
    select
        *,
        last_value(case when own_method is not null then quote_id end ignore nulls) over (
            partition by article_id
            order by paragraph_index, open_position
            rows between unbounded preceding and 1 preceding
        ) as source_quote_id,
        last_value(case when own_method is not null then paragraph_index end ignore nulls) over (
            partition by article_id
            order by paragraph_index, open_position
            rows between unbounded preceding and 1 preceding
        ) as source_paragraph_index
    from combined
),

attributed as (
    select
        inherited.quote_id,
        inherited.article_id,
        inherited.paragraph_id,
        coalesce(inherited.speaker_name, source_quote.speaker_name) as speaker_name,
        coalesce(inherited.speaker_role, source_quote.speaker_role) as speaker_role,
        coalesce(inherited.attribution_verb, source_quote.attribution_verb) as attribution_verb,
        coalesce(inherited.own_method, source_quote.own_method, 'none') as attribution_method,
        case
            when inherited.own_method is not null then inherited.is_person_speaker
            else coalesce(source_quote.is_person_speaker, false)
        end as is_person_speaker,
        inherited.own_method is null and source_quote.quote_id is not null as is_inherited
    from inherited
    -- The conditions sit in the join key, not beside it: a condition on the left side alone, or an
    -- `or`, makes DuckDB fall back to a nested-loop join (minutes on 100,000 articles).
    left join combined as source_quote
        on
            source_quote.quote_id = case
                when
                    inherited.own_method is null
                    and (
                        inherited.source_paragraph_index = inherited.paragraph_index
                        or (
                            inherited.opens_paragraph
                            and inherited.source_paragraph_index = inherited.paragraph_index - 1
                        )
                    )
                    then inherited.source_quote_id
            end
),

-- A quote nested in another (`“… someone says, ‘We …’ ”`) is reported by the enclosing quote's speaker.
nested as (
    select
        inner_quote.quote_id,
        inner_quote.article_id,
        inner_quote.paragraph_id,
        outer_speaker.speaker_name,
        outer_speaker.speaker_role,
        outer_speaker.attribution_verb,
        outer_speaker.attribution_method,
        outer_speaker.is_person_speaker,
        true as is_inherited,
        row_number() over (
            partition by inner_quote.quote_id order by outer_quote.open_position desc
        ) as enclosing_rank
    from spans as inner_quote
    inner join spans as outer_quote
        on
            inner_quote.paragraph_id = outer_quote.paragraph_id
            and inner_quote.open_position > outer_quote.open_position
    inner join attributed as outer_speaker
        on outer_quote.quote_id = outer_speaker.quote_id
    where
        (
            inner_quote.close_position < outer_quote.close_position
            or outer_quote.last_paragraph_id <> outer_quote.paragraph_id
        )
        and inner_quote.is_nested
        and not outer_quote.is_nested
),

unioned as (
    select * from attributed
    union all
    select
        quote_id,
        article_id,
        paragraph_id,
        speaker_name,
        speaker_role,
        attribution_verb,
        attribution_method,
        is_person_speaker,
        is_inherited
    from nested
    where enclosing_rank = 1
),

{{ load_id_ctes('unioned', 'contexts', 'article_id') }}

select * from loaded
