-- int_speaker_names_clustered: one row per distinct speaker name (as stored on quotes) with its speaker_id.
-- A person's names that share the first letters of the surname and differ by a small edit
-- (`Miqdad Miri` / `Muqdad Miri`, `Halkawt Aziz` / `Halkawt Azeez`: edit distance <= 2, same first
-- letter, 8+ characters) are one speaker: the id hashes the alphabetically first of the similar names.
-- Sources that are not named persons (`Iraq’s interior ministry`) are keyed by their normalised text.
with

attributions as (
    select * from {{ ref('int_quotes_collected') }}
),

names as (
    select
        speaker_name,
        bool_or(is_person_speaker) as is_person_speaker,
        count(*) as quote_total
    from attributions
    where speaker_name is not null
    group by speaker_name
),

keyed as (
    select
        speaker_name,
        is_person_speaker,
        quote_total,
        {{ normalize_text('speaker_name') }} as normalized_name,
        substr(
            {{ regex_replace_all(
                regex_extract(normalize_text('speaker_name'), "'([^ ]+)$'", 1),
                "'^(?:al|el)-'",
                "''"
            ) }},
            1,
            2
        ) as surname_block
    from names
),

similar_names as (
    select
        keyed.speaker_name,
        other.normalized_name as other_name
    from keyed
    inner join keyed as other
        on
            keyed.is_person_speaker
            and other.is_person_speaker
            and keyed.surname_block = other.surname_block
            and left(keyed.normalized_name, 1) = left(other.normalized_name, 1)
            and keyed.normalized_name <> other.normalized_name
            and length(keyed.normalized_name) >= 8
            and length(other.normalized_name) >= 8
            and {{ edit_distance('keyed.normalized_name', 'other.normalized_name') }} <= 2
),

representatives as (
    select
        keyed.speaker_name,
        keyed.is_person_speaker,
        keyed.quote_total,
        least(keyed.normalized_name, coalesce(min(similar_names.other_name), keyed.normalized_name)) as cluster_name
    from keyed
    left join similar_names
        on keyed.speaker_name = similar_names.speaker_name
    group by keyed.speaker_name, keyed.is_person_speaker, keyed.quote_total, keyed.normalized_name
),

identified as (
    select
        speaker_name,
        is_person_speaker,
        quote_total,
        cluster_name,
        {{ hash_key(["case when is_person_speaker then 'person' else 'source' end", 'cluster_name']) }} as speaker_id
    from representatives
)

select * from identified
