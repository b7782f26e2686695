-- int_quotes_attributed: one row per direct quote with its speaker. Precedence:
--   1. the speech cue that attributes it (int_quote_cues_linked: `“…,” he added`, `Miri said: “…”`);
--   2. a verbless attribution (`“…” ― NAME`, `NAME, ROLE: “…”`);
--   3. a quote inside an indirect quote speaks for that quote's speaker (`Abbasi told Rudaw that the
--      situation is “calm”`), and so does one inside any other cue's content (`sent a message …
--      “assuring” that …`, `Clinton said in the spring, when the story broke, “…”`);
--   4. a quote with none of these right after an attributed quote that ends in the same paragraph, or
--      opening its paragraph after one (`“…,” he said. “…”`), takes that quote's speaker; a whole quote
--      takes the speaker of a person's indirect quote the same way when that one is the later
--      (`Nielson said he had suspended him. “He will remain …”`) (`is_inherited`);
--   5. a quote nested in another takes the enclosing quote's speaker;
--   6. a partial quote belongs to the first person of its sentence (`Trump blasted Disney for its
--      “outrageous practices”`);
--   else `none`. A named person is stored in the fullest form of the article, another source as
--   written (`Iraq’s interior ministry`).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='replace_articles'
) }}
with

-- The placed quotes with the persons around them.
placed as (
    select * from {{ ref('int_quote_persons_found') }}
    where {{ from_new_loads() }}
),

linked as (
    select * from {{ ref('int_quote_cues_linked') }}
    where {{ in_batch('article_id', 'placed', 'load_id') }}
),

indirect as (
    select * from {{ ref('int_indirect_quotes_found') }}
    where {{ in_batch('article_id', 'placed', 'load_id') }} and is_person_speaker
),

own as (
    select
        placed.*,
        case
            when linked.speaker_name is not null then linked.speaker_name
            when placed.verbless_speaker is not null then placed.verbless_speaker
            when placed.within_speaker is not null then placed.within_speaker
            when placed.covering_speaker is not null then placed.covering_speaker
        end as own_speaker,
        case
            when linked.speaker_name is not null then linked.speaker_role
            when placed.verbless_speaker is not null then placed.verbless_role
            when placed.within_speaker is not null then placed.within_role
            when placed.covering_speaker is not null then placed.covering_role
        end as own_role,
        case
            when linked.speaker_name is not null then linked.attribution_verb
            when placed.verbless_speaker is not null then null
            when placed.within_speaker is not null then placed.within_verb
            when placed.covering_speaker is not null then placed.covering_verb
        end as own_verb,
        case
            when linked.speaker_name is not null then linked.attribution_method
            when placed.verbless_speaker is not null then placed.verbless_method
            when placed.within_speaker is not null then placed.within_method
            when placed.covering_speaker is not null then placed.covering_method
        end as own_method,
        case
            when linked.speaker_name is not null then linked.is_person_speaker
            when placed.verbless_speaker is not null then true
            when placed.within_speaker is not null then placed.within_is_person
            when placed.covering_speaker is not null then placed.covering_is_person
        end as own_is_person
    from placed
    left join linked
        on placed.quote_id = linked.quote_id
),

-- The last attributed quote before each quote in the article, and the enclosing quote of a nested one.
before_me as (
    select
        *,
        {{ last_non_null('case when own_method is not null then quote_id end') }}
            over article_before
            as source_quote_id,
        -- the paragraph where that quote ends (a quote over several paragraphs ends in a later one)
        {{ last_non_null('case when own_method is not null then last_paragraph_index end') }} over article_before
            as source_paragraph_index,
        {{ last_non_null('case when own_method is not null then close_position end') }} over article_before
            as source_close,
        {{ last_non_null('case when not is_nested then quote_id end') }} over paragraph_before as outer_quote_id,
        {{ last_non_null('case when not is_nested then close_position end') }} over paragraph_before as outer_close,
        {{ last_non_null('case when not is_nested then last_paragraph_id end') }} over paragraph_before
            as outer_last_paragraph_id
    from own
    window
        article_before as (
            partition by article_id order by paragraph_index, open_position
            rows between unbounded preceding and 1 preceding
        ),
        paragraph_before as (
            partition by paragraph_id order by open_position
            rows between unbounded preceding and 1 preceding
        )
),

-- The indirect quotes before a whole quote with no attribution of its own, ending in its paragraph or,
-- when the quote opens its paragraph, in the paragraph before (with the speakers it may inherit).
indirect_candidates as (
    select
        own.quote_id,
        indirect.quote_id as indirect_quote_id,
        indirect.paragraph_index as indirect_paragraph_index,
        indirect.char_start as indirect_start,
        indirect.speaker_name as indirect_speaker,
        indirect.speaker_role as indirect_role,
        indirect.attribution_verb as indirect_verb,
        indirect.attribution_method as indirect_method
    from own
    inner join indirect
        on own.article_id = indirect.article_id
    where
        own.own_method is null
        and not own.is_partial
        and (
            (indirect.paragraph_index = own.paragraph_index and indirect.char_end <= own.open_position)
            or (own.opens_paragraph and indirect.paragraph_index = own.paragraph_index - 1)
        )
),

indirect_before as (
    select
        *,
        row_number() over (
            partition by quote_id order by indirect_paragraph_index desc, indirect_start desc
        ) as recency
    from indirect_candidates
),

-- The enclosing quote of a nested one, and whether the last indirect quote before a quote is later
-- than the last attributed quote before it (an equality join; the comparison after it).
inherited as (
    select
        before_me.*,
        indirect_before.indirect_speaker,
        indirect_before.indirect_role,
        indirect_before.indirect_verb,
        indirect_before.indirect_method,
        indirect_before.quote_id is not null
        and (
            before_me.source_paragraph_index is null
            or before_me.source_paragraph_index < indirect_before.indirect_paragraph_index
            or (
                before_me.source_paragraph_index = indirect_before.indirect_paragraph_index
                and before_me.source_close < indirect_before.indirect_start
            )
        ) as is_after_indirect,
        case
            when
                before_me.is_nested
                and (
                    before_me.outer_close > before_me.close_position
                    or before_me.outer_last_paragraph_id <> before_me.paragraph_id
                )
                then before_me.outer_quote_id
        end as enclosing_quote_id
    from before_me
    left join indirect_before
        on
            before_me.quote_id = indirect_before.quote_id
            and indirect_before.recency = 1
),

-- The speech a quote inherits from: the later of the attributed quote and the indirect quote before it.
chosen as (
    select
        *,
        case
            when
                own_method is null
                and not is_after_indirect
                and (
                    source_paragraph_index = paragraph_index
                    or (opens_paragraph and source_paragraph_index = paragraph_index - 1)
                )
                then source_quote_id
        end as inherited_from,
        case when is_after_indirect then indirect_speaker end as indirect_speaker_inherited,
        case when is_after_indirect then indirect_role end as indirect_role_inherited,
        case when is_after_indirect then indirect_verb end as indirect_verb_inherited,
        case when is_after_indirect then indirect_method end as indirect_method_inherited
    from inherited
),

attributed as (
    select
        chosen.quote_id,
        chosen.article_id,
        chosen.paragraph_id,
        chosen.is_partial,
        chosen.within_quote_id,
        coalesce(
            chosen.own_speaker, enclosing.own_speaker, earlier.own_speaker, chosen.indirect_speaker_inherited,
            case when chosen.is_partial then chosen.subject_speaker end
        ) as speaker_name,
        case
            when chosen.own_speaker is not null then chosen.own_role
            when enclosing.own_speaker is not null then enclosing.own_role
            when earlier.own_speaker is not null then earlier.own_role
            when chosen.indirect_speaker_inherited is not null then chosen.indirect_role_inherited
            when chosen.is_partial then chosen.subject_role
        end as speaker_role,
        coalesce(chosen.own_verb, enclosing.own_verb, earlier.own_verb, chosen.indirect_verb_inherited)
            as attribution_verb,
        coalesce(
            chosen.own_method, enclosing.own_method, earlier.own_method, chosen.indirect_method_inherited,
            case when chosen.is_partial and chosen.subject_speaker is not null then 'explicit_before' end,
            'none'
        ) as attribution_method,
        coalesce(
            chosen.own_is_person, enclosing.own_is_person, earlier.own_is_person,
            chosen.indirect_speaker_inherited is not null or (chosen.is_partial and chosen.subject_speaker is not null)
        ) as is_person_speaker,
        chosen.own_method is null
        and coalesce(enclosing.own_method, earlier.own_method, chosen.indirect_method_inherited) is not null
            as is_inherited,
        chosen.load_id
    from chosen
    left join own as enclosing
        on chosen.enclosing_quote_id = enclosing.quote_id
    left join own as earlier
        on chosen.inherited_from = earlier.quote_id
)

select * from attributed
