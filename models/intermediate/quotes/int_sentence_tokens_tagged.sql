-- int_sentence_tokens_tagged: one row per token of int_sentence_tokens_split, tagged with what the
-- attribution rules read. Rule: tags come from seeds joined on the lower-case token: speech_cues
-- (lemma, form, kind, bare content, listener, noun homograph), pronouns (with gender), person_titles
-- and clause_words (that, whether, and, auxiliaries, prepositions, time words, ...: one flag per
-- role); a word is capitalised when it starts with a capital or is a name particle before one
-- (`Thabet`, `al-Abbasi`). Text-keyed: the tags depend on the token alone.
{{ config(
    materialized='incremental',
    unique_key='text_id',
    incremental_strategy='append'
) }}
with

tokens as (
    select * from {{ ref('int_sentence_tokens_split') }}
    where {{ new_texts_only() }}
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
        bool_or(word_role = 'negation') as is_negation,
        bool_or(word_role = 'speech_lead_in') as is_speech_lead_in
    from clause_words
    group by word
),

titles as (
    {{ person_title_keys('person_titles') }}
),

tagged as (
    select
        tokens.text_id,
        tokens.sentence_number,
        tokens.token_number,
        tokens.token,
        tokens.token_key,
        tokens.token_kind,
        tokens.token_start,
        tokens.token_end,
        tokens.quote_ends_with_comma,
        tokens.quote_ends_clause,
        tokens.word_count,
        -- `Thabet`, and name particles before a capital (`al-Abbasi`)
        tokens.token_kind = 'word'
        and {{ regex_matches('tokens.token', sql_string("^(?:\\p{Lu}|\\p{Ll}{1,3}-\\p{Lu})")) }} as is_capitalised,
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
        coalesce(word_roles.is_speech_lead_in, false) as is_speech_lead_in,
        tokens.load_id
    from tokens
    left join speech_cues
        on tokens.token_key = speech_cues.cue
    left join pronouns
        on tokens.token_key = pronouns.pronoun
    left join titles
        on {{ trim_chars('tokens.token_key', "'.'") }} = titles.title_key
    left join word_roles
        on tokens.token_key = word_roles.word
)

select * from tagged
