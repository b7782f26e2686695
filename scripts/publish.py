"""Publish the warehouse: copy the tables of the build DuckDB file into a standalone read-only file.

The copy is written to a temporary file beside ``target`` and then moved over it with an atomic
``os.replace``: readers that have the old file open keep reading it (the old inode), new readers
see the new file, and a failed publish leaves ``target`` untouched. The publisher never opens
``target`` itself, so a reader can never block a publish.

Run from the repository root::

    python -m scripts.publish --build-db warehouse/.build/news_build.duckdb \\
        --target warehouse/news.duckdb
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.failpoints import failpoint
from scripts.logs import configure_logging

log = logging.getLogger("publish")

BUILD_ALIAS = "build"
DEFAULT_SCHEMAS = ("marts",)


class PublishError(Exception):
    """An expected failure the user can fix (missing build file, nothing to publish...)."""


@dataclass(frozen=True)
class TableInfo:
    schema: str
    name: str
    create_sql: str
    comment: str | None


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def publish(build_db: Path, target: Path, schemas: Sequence[str] = DEFAULT_SCHEMAS) -> None:
    """Replace ``target`` atomically with a copy of every table of ``schemas`` in ``build_db``."""
    build_db = Path(build_db)
    target = Path(target)
    if not build_db.is_file():
        raise PublishError(f"build database {build_db} does not exist; build the warehouse "
                           "first (dbt build) or pass --build-db with the right path")
    if target.is_dir():
        raise PublishError(f"--target {target} is a folder; pass the path of a .duckdb file")
    if target.resolve() == build_db.resolve():
        raise PublishError("--target must differ from --build-db")
    target.parent.mkdir(parents=True, exist_ok=True)

    _remove_stale_temp_files(target)
    tmp = _temp_path(target, os.getpid())
    _remove_database_file(tmp)
    try:
        count = _write_copy(build_db, tmp, schemas)
        _fsync_path(tmp)
        stale_wal = _wal_path(target)
        if stale_wal.exists():
            # A WAL beside the new file would be replayed into it; the published file has none.
            log.warning("removing stale %s", stale_wal)
            stale_wal.unlink()
        # The published file is read-only: tools must open it with read_only=True, and no reader
        # can take the write lock (which would make DuckDB write a WAL beside it).
        tmp.chmod(0o444)
        failpoint("publish.after_copy")
        os.replace(tmp, target)
        failpoint("publish.after_replace")
        _fsync_path(target.parent)
    except BaseException:
        _remove_database_file(tmp)
        raise
    log.info("published %d tables of %s from %s to %s", count, ", ".join(schemas), build_db, target)


def _write_copy(build_db: Path, tmp: Path, schemas: Sequence[str]) -> int:
    con = duckdb.connect(str(tmp))
    try:
        try:
            con.execute(f"attach {quote_literal(str(build_db))} as {BUILD_ALIAS} (read_only)")
        except duckdb.Error as exc:
            raise PublishError(
                f"cannot open build database {build_db} read-only: {_first_line(exc)} "
                "(is a dbt run still writing it?)") from None
        tables = _list_tables(con, schemas)
        if not tables:
            raise PublishError(f"no tables in schema(s) {', '.join(schemas)} of {build_db}; "
                               "run the dbt build first")
        con.execute("begin transaction")
        for schema in sorted({t.schema for t in tables}):
            con.execute(f"create schema if not exists {quote_ident(schema)}")
        for table in tables:
            _copy_table(con, table)
        con.execute("commit")
        con.execute(f"detach {BUILD_ALIAS}")
        con.execute("checkpoint")
    finally:
        con.close()
    if _wal_path(tmp).exists():
        raise PublishError(f"DuckDB left {_wal_path(tmp)} after checkpoint; publish aborted")
    return len(tables)


def _list_tables(con: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> list[TableInfo]:
    """The tables of ``schemas`` in the attached build db, referenced tables before referencing."""
    rows = con.execute(
        """
        select schema_name, table_name, sql, comment
        from duckdb_tables()
        where database_name = $1 and schema_name in (select unnest($2::varchar[]))
          and not temporary
        order by schema_name, table_name
        """,
        [BUILD_ALIAS, list(schemas)],
    ).fetchall()
    tables = [TableInfo(r[0], r[1], r[2], r[3]) for r in rows]
    references = _foreign_key_references(con)
    return _dependency_order(tables, references)


def _foreign_key_references(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], set[str]]:
    """(schema, table) -> tables it references by foreign key (same schema in DuckDB)."""
    rows = con.execute(
        """
        select schema_name, table_name, referenced_table
        from duckdb_constraints()
        where database_name = $1 and constraint_type = 'FOREIGN KEY'
        """,
        [BUILD_ALIAS],
    ).fetchall()
    references: dict[tuple[str, str], set[str]] = {}
    for schema, table, referenced in rows:
        if referenced and referenced != table:
            references.setdefault((schema, table), set()).add(referenced)
    return references


def _dependency_order(tables: list[TableInfo],
                      references: dict[tuple[str, str], set[str]]) -> list[TableInfo]:
    ordered: list[TableInfo] = []
    done: set[tuple[str, str]] = set()
    pending = list(tables)
    while pending:
        ready = [t for t in pending
                 if all((t.schema, r) in done or not any(p.schema == t.schema and p.name == r
                                                         for p in pending)
                        for r in references.get((t.schema, t.name), ()))]
        if not ready:  # a reference cycle: keep the name order and let DuckDB report it
            ready = pending[:1]
        for t in ready:
            ordered.append(t)
            done.add((t.schema, t.name))
        pending = [t for t in pending if (t.schema, t.name) not in done]
    return ordered


def _copy_table(con: duckdb.DuckDBPyConnection, table: TableInfo) -> None:
    qualified = f"{quote_ident(table.schema)}.{quote_ident(table.name)}"
    # duckdb_tables().sql names the table as schema.table without a catalog, so it is created in
    # the connection's default database: the new file, never the attached build db.
    con.execute(table.create_sql)
    exists = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = $1 and table_name = $2",
        [table.schema, table.name],
    ).fetchone()[0]
    if not exists:
        raise PublishError(f"could not recreate {qualified} in the published file")
    # No order by: sorting every row (article bodies included) cost a third of the publish time of a
    # large warehouse; readers that need an order ask for it.
    con.execute(f"insert into {qualified} select * from {BUILD_ALIAS}.{qualified}")
    if table.comment:
        con.execute(f"comment on table {qualified} is {quote_literal(table.comment)}")
    for column, comment in con.execute(
        """
        select column_name, comment from duckdb_columns()
        where database_name = $1 and schema_name = $2 and table_name = $3 and comment is not null
        order by column_index
        """,
        [BUILD_ALIAS, table.schema, table.name],
    ).fetchall():
        con.execute(f"comment on column {qualified}.{quote_ident(column)} "
                    f"is {quote_literal(comment)}")


def _temp_path(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}.tmp-{pid}")


def _remove_stale_temp_files(target: Path) -> None:
    """Remove temp files left by killed publishes (their process is gone)."""
    prefix = f".{target.name}.tmp-"
    for path in target.parent.glob(f"{prefix}*"):
        pid_text = path.name[len(prefix):].removesuffix(".wal")
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            log.info("removing %s left by an interrupted publish", path)
            path.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but belongs to someone else
    return True


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove_database_file(path: Path) -> None:
    path.unlink(missing_ok=True)
    _wal_path(path).unlink(missing_ok=True)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.publish",
        description="Copy the tables of the build DuckDB file into a standalone file and move it "
                    "atomically over the target; readers of the old file are not disturbed.",
    )
    parser.add_argument("--build-db", type=Path, required=True,
                        help="the DuckDB file dbt built (opened read-only)")
    parser.add_argument("--target", type=Path, required=True,
                        help="the published DuckDB file to create or replace")
    parser.add_argument("--schema", dest="schemas", action="append", metavar="NAME",
                        help="schema to publish (repeatable; default: marts)")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="more logging")
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    if args.verbose:
        log.setLevel(logging.DEBUG)  # only this module: libraries stay at INFO
    try:
        publish(args.build_db, args.target, tuple(args.schemas or DEFAULT_SCHEMAS))
    except PublishError as exc:
        log.error("%s", exc)
        return 2
    except duckdb.IOException as exc:
        log.error("publish failed, %s left untouched: %s", args.target, _first_line(exc))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
