{#-
  Incremental builds: after the first build, a build processes only the articles of new loads.

  Every row of an incremental model carries the load_id of the article version it comes from (for the
  models keyed by paragraph text: of the load that first brought the text). A model's watermark is the
  highest load_id it holds; on an incremental run it reads only upstream rows above its own watermark.
  Each model keeps its own watermark, so a build that stopped half way (a crash, a failed test) is
  caught up model by model on the next run, and running a model twice on the same rows changes
  nothing (article models replace an article's rows whole; text models skip texts they already hold).
  `--full-refresh` (make build FULL_REFRESH=1) rebuilds everything: do it after changing a lexicon
  seed or a model, which incremental runs do not apply to rows already built.
-#}

{#-
  is_incremental() for these macros: false where there is no model relation (dbt's unit tests render
  models without one), so a unit test always sees a full build, and false on Spark, where every build
  is a full one (macros/spark.sql: the incremental materialization).
-#}
{% macro incremental_run() -%}
    {{ return(target.type != 'spark' and this is not none and is_incremental()) }}
{%- endmacro %}


{#- The highest load_id this model holds; -1 when it is empty. Only call inside incremental_run(). -#}
{% macro load_watermark() -%}
    (select coalesce(max(load_id), -1) from {{ this }})
{%- endmacro %}


{#- Row filter for an import CTE: rows of loads this model has not processed yet (all rows on a full build). -#}
{% macro from_new_loads(load_id_column='load_id') -%}
    {%- if incremental_run() -%}
        {{ load_id_column }} > {{ load_watermark() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
  Row filter for a second input of an incremental model: only the articles (or texts) of this run's
  batch, taken from the model's main input CTE `batch_cte` (on a full build: every row).
  With `load_id_column`, for an input keyed by article like the batch: the batch's articles are all
  of loads above this model's watermark, and so are their rows here, so the same load filter is
  added. It changes no result, but lets the scan skip the row groups of older loads instead of
  reading every row of the input (texts included) to find the batch's.
-#}
{% macro in_batch(column, batch_cte, load_id_column=none) -%}
    {%- if incremental_run() -%}
        {%- if load_id_column is not none -%}
            {{ load_id_column }} > {{ load_watermark() }} and {% endif -%}
        {{ column }} in (select {{ batch_cte }}.{{ column }} from {{ batch_cte }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
  Row filter for a model keyed by text: texts of new loads that this model does not hold yet (a text
  already processed keeps its rows; its result depends on the text alone).
-#}
{% macro new_texts_only(text_id_column='text_id', load_id_column='load_id') -%}
    {%- if incremental_run() -%}
        {{ load_id_column }} > {{ load_watermark() }}
        and {{ text_id_column }} not in (select held.text_id from {{ this }} as held)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
  The project's incremental strategies: what a new load replaces in a model (docs/incremental.md).
  A model names one in its config (`incremental_strategy='replace_articles'`); the project-level
  pre-hook `delete_replaced_rows` (dbt_project.yml) deletes the replaced rows before the model's query
  runs (that query reads what the model still holds: its watermark, its held keys), and dbt-duckdb
  then writes the batch with the strategy's get_incremental_<strategy>_sql below.

    replace_articles                  the rows of articles that have a version newer than the model's
                                      watermark go; the batch is appended.
    replace_articles_and_keys         the same, then dbt's delete+insert on unique_key: for a model that
                                      also rewrites rows of older articles (relinked, re-ranked).
    replace_articles_and_duplicates   replace_articles, and the rows of articles that are now exact
                                      duplicates go (int_articles_signed).
    replace_stale_signatures          signatures that no longer describe their text's first occurrence
                                      go (int_paragraph_texts_signed).
    replace_pairs_of_stale_signatures pairs one of whose texts is no longer signed so go
                                      (int_paragraph_text_pairs_matched).
    replace_pairs_of_new_articles     pairs of articles signed again or no longer signed go
                                      (int_article_pairs_matched).

  Text-keyed models use dbt's `append`: a text already held keeps its rows (new_texts_only).
  Nothing is deleted on a full build, nor on Spark (incremental_run() is false there).
-#}
{% macro delete_replaced_rows() -%}
    {%- if not incremental_run() -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set strategy = config.get('incremental_strategy') -%}
    {%- if strategy in ('replace_articles', 'replace_articles_and_keys') -%}
        {{- delete_articles_of_new_loads(article_versions()) -}}
    {%- elif strategy == 'replace_articles_and_duplicates' -%}
        {{- delete_articles_of_new_loads(article_versions(), ref('int_articles_deduplicated')) -}}
    {%- elif strategy == 'replace_stale_signatures' -%}
        {{- delete_stale_signatures(ref('int_paragraphs_canonicalized')) -}}
    {%- elif strategy == 'replace_pairs_of_stale_signatures' -%}
        {{- delete_pairs_of_stale_signatures(ref('int_paragraph_texts_signed')) -}}
    {%- elif strategy == 'replace_pairs_of_new_articles' -%}
        {{- delete_pairs_of_new_loads(ref('int_articles_signed')) -}}
    {%- endif -%}
{%- endmacro %}

{% macro get_incremental_replace_articles_sql(arg_dict) -%}
    {{- get_incremental_append_sql(arg_dict) -}}
{%- endmacro %}

{% macro get_incremental_replace_articles_and_keys_sql(arg_dict) -%}
    {{- get_incremental_delete_insert_sql(arg_dict) -}}
{%- endmacro %}

{% macro get_incremental_replace_articles_and_duplicates_sql(arg_dict) -%}
    {{- get_incremental_append_sql(arg_dict) -}}
{%- endmacro %}

{% macro get_incremental_replace_stale_signatures_sql(arg_dict) -%}
    {{- get_incremental_append_sql(arg_dict) -}}
{%- endmacro %}

{% macro get_incremental_replace_pairs_of_stale_signatures_sql(arg_dict) -%}
    {{- get_incremental_append_sql(arg_dict) -}}
{%- endmacro %}

{% macro get_incremental_replace_pairs_of_new_articles_sql(arg_dict) -%}
    {{- get_incremental_append_sql(arg_dict) -}}
{%- endmacro %}


{#-
  The model holding every article's newest version with its load_id: int_articles_split, which dbt
  builds before every model keyed by article (they all descend from it), and for int_articles_split
  itself its parent stg_news__articles. Looked up in the graph, not with ref(): a ref here would make
  int_articles_split a direct parent of every such model (dbt-project-evaluator reads that as the
  models rejoining an upstream concept).
-#}
{% macro article_versions() -%}
    {%- set name = 'stg_news__articles' if model.name == 'int_articles_split' else 'int_articles_split' -%}
    {{- return(graph.nodes['model.' ~ project_name ~ '.' ~ name].relation_name) -}}
{%- endmacro %}


{#-
  Delete the rows of the articles that have a version newer than this model's watermark. `versions`
  holds every article's newest version with its load_id (article_versions()), already up to date in
  this run. Such an article is processed again whole from this model's parent, or, when its new
  version yields no row there (a body without quotes now), it loses its old rows here. Nothing else
  makes an article's rows go: raw versions are never deleted, so an article stays in staging, and an
  unchanged article keeps its rows in every parent. The test is a semi-join with the few new versions
  (row groups of older loads skipped), not an anti-join of this model's whole table with its
  parent's. With `duplicates` (int_articles_deduplicated), rows of articles that are now exact
  duplicates go as well. The batch is then appended (replace_articles): dbt's delete+insert would
  look for the same articles again in the whole table. The models that also rewrite older articles
  (relinked ones) use replace_articles_and_keys (delete+insert).
-#}
{% macro delete_articles_of_new_loads(versions, duplicates=none) -%}
    delete from {{ this }}
    where
        article_id in (
            select new_versions.article_id
            from {{ versions }} as new_versions
            where new_versions.load_id > {{ load_watermark() }}
        )
        {%- if duplicates is not none %}
        or article_id in (
            select copies.article_id from {{ duplicates }} as copies
            where copies.duplicate_of_article_id is not null
        )
        {%- endif %}
{%- endmacro %}


{#- Row filter: a key this model does not hold yet (all rows on a full build). -#}
{% macro not_held(column, held_column) -%}
    {%- if incremental_run() -%}
        {{ column }} not in (select held.{{ held_column }} from {{ this }} as held)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- The highest rank (`rank_column`) this model holds (0 on a full build): new rows are numbered after it. -#}
{% macro rank_offset(rank_column='first_seen_rank') -%}
    {%- if incremental_run() -%}
        (select coalesce(max(held.{{ rank_column }}), 0) from {{ this }} as held)
    {%- else -%}
        0
    {%- endif -%}
{%- endmacro %}


{#-
  replace_stale_signatures (int_paragraph_texts_signed): delete the signatures that no longer
  describe the first occurrence of a text: a paragraph id names a position in an article, so a new
  version of the article can put another text there (its row then carries the new load_id), and a
  text whose first occurrence changed is named by another paragraph now.
-#}
{% macro delete_stale_signatures(canonical) -%}
    delete from {{ this }}
    where (paragraph_id, load_id) not in (
        select (current_paragraphs.paragraph_id, current_paragraphs.load_id)
        from {{ canonical }} as current_paragraphs
        where current_paragraphs.paragraph_id = current_paragraphs.canonical_paragraph_id
    )
{%- endmacro %}


{#-
  replace_pairs_of_new_articles (int_article_pairs_matched): delete the pairs of articles signed
  again in this run (new versions) or no longer signed (now exact duplicates); their pairs are found
  again if they hold.
-#}
{% macro delete_pairs_of_new_loads(signatures) -%}
    delete from {{ this }}
    where
        article_id_a in (
            select signed.article_id from {{ signatures }} as signed
            where signed.load_id > {{ load_watermark() }}
        )
        or article_id_b in (
            select signed.article_id from {{ signatures }} as signed
            where signed.load_id > {{ load_watermark() }}
        )
        or article_id_a not in (select signed.article_id from {{ signatures }} as signed)
        or article_id_b not in (select signed.article_id from {{ signatures }} as signed)
{%- endmacro %}


{#-
  Row filter of int_paragraph_text_pairs_matched: a signature's rank (`rank_column`) above the
  latest text this model holds a pair of (all rows on a full build). Ranks only grow, also for a text
  signed again, so this takes every signature added since the last pair, and a pair it yields cannot
  be held already (its later text is above every held pair's).
-#}
{% macro signed_after_held_pairs(rank_column) -%}
    {%- if incremental_run() -%}
        {{ rank_column }} > (select coalesce(max(held.rank_b), 0) from {{ this }} as held)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
  replace_pairs_of_stale_signatures (int_paragraph_text_pairs_matched): delete the pairs one of whose texts is no longer
  signed under the same paragraph and rank (its first occurrence moved, or a new version of the
  article put another text at that position). A text signed again is found again with its pairs.
-#}
{% macro delete_pairs_of_stale_signatures(signatures) -%}
    delete from {{ this }}
    where
        (paragraph_id_a, rank_a) not in (
            select (signed.paragraph_id, signed.first_seen_rank) from {{ signatures }} as signed
        )
        or (paragraph_id_b, rank_b) not in (
            select (signed.paragraph_id, signed.first_seen_rank) from {{ signatures }} as signed
        )
{%- endmacro %}


{#-
  The last CTEs of an incremental model: `loaded` is `final_cte` with the load_id of each row's article
  (or text), taken from the model's main input `main_cte` by `key`. Use as
  `{{ load_id_ctes('final', 'paragraphs') }}` then `select * from loaded`.
-#}
{% macro load_id_ctes(final_cte, main_cte, key='article_id') -%}
-- The load of each row's {{ key.replace('_id', '') }} (incremental builds read only rows of loads they have not seen).
row_loads as (
    select distinct
        {{ main_cte }}.{{ key }},
        {{ main_cte }}.load_id
    from {{ main_cte }}
),

loaded as (
    select
        {{ final_cte }}.*,
        row_loads.load_id
    from {{ final_cte }}
    left join row_loads
        on {{ final_cte }}.{{ key }} = row_loads.{{ key }}
)
{%- endmacro %}


{#-
  on-run-start: how many row-group compaction tasks a checkpoint may run (scripts/build/storage.py: none on
  incremental builds, DuckDB's default on a full refresh), and, when NEWS_DUCKDB_THREADS is above 0,
  how many threads DuckDB gives one query (scripts/build/pipeline.py duckdb_threads: one on an incremental
  build of a small batch while dbt runs two models at once; DuckDB's default, one per core,
  otherwise). Set here rather than in profiles.yml: a profile that differs between builds makes dbt
  parse the whole project again (3 s).
-#}
{% macro set_vacuum_tasks() -%}
    {%- if target.type == 'duckdb' -%}
        set global max_vacuum_tasks = {{ env_var('NEWS_MAX_VACUUM_TASKS', '0') | int }}
        {%- if env_var('NEWS_DUCKDB_THREADS', '0') | int > 0 %};
        set global threads = {{ env_var('NEWS_DUCKDB_THREADS', '0') | int }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
  `name as {{ inline_cte() }} (...)`: a CTE that several parts of a query read is inlined into each
  of them. DuckDB otherwise materialises it once, whole and with every column, before the readers'
  filters and projections apply: an incremental model that joins a few new rows to a big table then
  copies the whole table first. `incremental_only=true` inlines only on incremental runs, for a CTE
  that a full build reads whole anyway (once is cheaper then).
-#}
{% macro inline_cte(incremental_only=false) -%}
    {%- if incremental_only and not incremental_run() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('inline_cte', 'news_warehouse')()) }}
{%- endmacro %}

{% macro default__inline_cte() -%}
    not materialized
{%- endmacro %}

{% macro spark__inline_cte() -%}
{%- endmacro %}


{#-
  For an incremental mart that stores links (the id of a duplicate's original, of a canonical
  occurrence, of a speaker): the articles it holds a row of whose links are no longer right, to be
  written again. `linked` is a CTE of the links computed now (`key`, article_id and `link_columns`);
  the held rows are this model's. None on a full build.
-#}
{% macro relinked_articles(linked, key, link_columns) -%}
    {%- if incremental_run() %}
    select distinct {{ linked }}.article_id
    from {{ this }} as held
    inner join {{ linked }}
        on held.{{ key }} = {{ linked }}.{{ key }}
    where
        {%- for column in link_columns %}
        {{ 'or ' if not loop.first }}held.{{ column }} is distinct from {{ linked }}.{{ column }}
        {%- endfor %}
    {%- else %}
    select {{ linked }}.article_id from {{ linked }}
    where false
    {%- endif %}
{%- endmacro %}


{#-
  For an incremental mart keyed by article: the rows of `relation` (a model or CTE keyed by article,
  with the article's load_id) for the articles the mart writes on this run: those of loads above its
  watermark and the older articles listed in the CTE `relinked_cte` (article_id). Two branches, not
  one `or`: the load filter of the first reaches the scan and skips the row groups of older loads
  (texts included), and the second reads the relinked articles' rows only. On a full build the
  first has every row and the second none (`not (true)`). `columns`: the columns to read (all).
-#}
{% macro rows_of_new_or_relinked_articles(relation, relinked_cte='relinked', columns=none) -%}
    {%- set selected = columns | join(', ') if columns else '*' -%}
    select {{ selected }} from {{ relation }}
    where {{ from_new_loads() }}
    union all
    select {{ selected }} from {{ relation }}
    where
        not ({{ from_new_loads() }})
        and article_id in (select {{ relinked_cte }}.article_id from {{ relinked_cte }})
{%- endmacro %}
