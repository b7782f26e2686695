"""The build path: files -> raw tables -> dbt build -> the published warehouse file.

    python -m scripts.build --articles data/articles --warehouse warehouse      (make build)

    pipeline.py      the build, step by step: lock, load, dbt build, publish (and its command line)
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

The raw tables are the hand-off between the loader and dbt: `load/raw_tables.py` defines them. A
second engine (Spark through dbt-spark) adds its own build path beside pipeline.py, reusing `load/`
for the raw tables and handing them over as files (for example Parquet) written next to
`load/raw_tables.py`; the DuckDB-specific steps are warehouse.py, dbt_command.py and publish.py.
"""
