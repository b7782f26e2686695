"""The build path: files -> raw tables -> dbt build -> the published warehouse file.

    python -m scripts.build --articles data/articles --warehouse warehouse      (make build)

    pipeline.py      the build, step by step: lock, load, dbt build, publish (and its command line)
    spark.py         the same models on Spark (--target spark): load, raw tables as Parquet, dbt-spark
    warehouse.py     a warehouse folder's files, its build lock, the check of its private files
    load/            the loader: input files -> raw.articles, raw.load_errors, raw.loads
    dbt_command.py   dbt's command line and environment for a build; the process that runs it
    dbt_process.py   that process (started before the load, so dbt imports while articles load)
    settings.py      threads and memory by warehouse size
    state.py         what the build file remembers: the project's fingerprint, the tested loads
    publish.py       the marts file -> news.duckdb (checkpoint, read-only, atomic rename)
    storage.py       how Python opens the build file (no compaction on incremental builds)
    failpoints.py    crash points for the crash-safety tests
    logs.py          the command-line scripts' logging

The raw tables are the hand-off between the loader and dbt: `load/raw_tables.py` defines them. The
Spark build (spark.py) reuses `load/` for them and hands them over as Parquet files
(`load/raw_parquet.py`); the DuckDB-specific steps are dbt_command.py, dbt_process.py and publish.py.
"""
