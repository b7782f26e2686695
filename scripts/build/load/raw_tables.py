"""The raw tables: the loader's output and dbt's input (models/staging/news/_news__sources.yml).

`raw.articles` (one row per version of a file), `raw.load_errors` (one row per rejected file or line
per load), `raw.loads` (one row per load), and where each JSON Lines file was read up to
(`raw.jsonl_checkpoints`, `raw.jsonl_checkpoint_ids`). `connect` opens the build file with these
tables in place and migrates what earlier versions wrote.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from scripts.build.errors import first_line
from scripts.build.load.errors import LoadError
from scripts.build.storage import connect_build_file

log = logging.getLogger("load_articles")

SCHEMA_SQL = """
create schema if not exists raw;
create table if not exists raw.articles (
    source_path VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    byte_size BIGINT NOT NULL,
    encoding VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    published_at TIMESTAMP,
    load_id BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
create table if not exists raw.load_errors (
    source_path VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    content_sha256 VARCHAR,
    load_id BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
create table if not exists raw.loads (
    load_id BIGINT primary key,
    input_path VARCHAR,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    files_seen BIGINT,
    loaded BIGINT,
    unchanged BIGINT,
    rejected BIGINT
);
alter table raw.articles add column if not exists file_mtime_ns BIGINT;
alter table raw.articles add column if not exists source_name VARCHAR;
alter table raw.articles add column if not exists url VARCHAR;
alter table raw.loads add column if not exists skipped BIGINT;
alter table raw.loads add column if not exists uncertain BIGINT;
alter table raw.loads add column if not exists retracted BIGINT;
create table if not exists raw.jsonl_checkpoints (
    label VARCHAR NOT NULL,
    load_id BIGINT NOT NULL,
    prefix_bytes BIGINT NOT NULL,
    prefix_sha256 VARCHAR NOT NULL,
    lines BIGINT NOT NULL,
    articles BIGINT NOT NULL,
    errors BIGINT NOT NULL
);
create table if not exists raw.jsonl_checkpoint_ids (
    label VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    line BIGINT NOT NULL
);
"""

# Column types of the newline-delimited JSON batch file read back by read_json().
ARTICLE_JSON_COLUMNS = (
    "{source_path: 'VARCHAR', content_sha256: 'VARCHAR', byte_size: 'BIGINT', "
    "encoding: 'VARCHAR', text: 'VARCHAR', published_at: 'TIMESTAMP', file_mtime_ns: 'BIGINT', "
    "source_name: 'VARCHAR', url: 'VARCHAR'}"
)


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse file with the raw schema in place."""
    if db_path.is_dir():
        raise LoadError(f"--db {db_path} is a folder; pass the path of a .duckdb file")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = connect_build_file(db_path)
    except duckdb.IOException as exc:
        raise LoadError(
            f"cannot open {db_path}: {first_line(exc)} "
            "(close any other program using it, e.g. dbt or a DuckDB shell, and retry)"
        ) from None
    except (duckdb.Error, OSError) as exc:
        raise LoadError(f"cannot open {db_path}: {first_line(exc)}") from None
    try:
        con.execute(SCHEMA_SQL)
        _drop_articles_primary_key(con)
    except duckdb.Error:
        con.close()
        raise
    return con


def _drop_articles_primary_key(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild raw.articles without the primary key that earlier versions declared on it.

    DuckDB rewrites a table's whole index at every checkpoint that follows a change to the table:
    with 100,000 articles that was 2.3 s of every load, however few articles it added. The loader
    never inserts a stored (source_path, content_sha256) pair again (existing_keys), and the dbt
    source test unique_combination checks it at every build. DuckDB cannot drop a primary key in
    place, so the table is copied once.
    """
    has_key = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'raw' "
        "and table_name = 'articles' and constraint_type = 'PRIMARY KEY'").fetchone()[0]
    if not has_key:
        return
    log.info("rebuilding raw.articles without its primary key (once, for faster loads)")
    columns = [r[0] for r in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = 'articles' "
        "order by column_index").fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    con.execute("begin transaction")
    try:
        con.execute("alter table raw.articles rename to articles_with_key")
        con.execute(SCHEMA_SQL)
        con.execute(f"insert into raw.articles ({names}) select {names} from raw.articles_with_key")
        con.execute("drop table raw.articles_with_key")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
