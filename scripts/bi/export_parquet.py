"""Export the published marts as Parquet files, for tools that cannot open DuckDB (`make export`).

    python -m scripts.bi.export_parquet --warehouse warehouse [--output warehouse/parquet]

Writes ``<output>/<schema>/<table>.parquet`` for every table of the published file
(``<warehouse>/news.duckdb``, opened read-only, so a running build is never disturbed), plus
``<output>/<schema>/_columns.json`` with each column's type and description. All files come from
one snapshot of the published file (one read-only connection). Each file is written beside its
target and moved over it with ``os.replace``: a reader never sees half a file. Parquet files of
tables that no longer exist are removed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts import PROJECT_DIR
from scripts.build.logs import configure_logging

log = logging.getLogger("export")

PUBLISHED_NAME = "news.duckdb"


class ExportError(Exception):
    """An expected failure, reported in one line."""


@dataclass(frozen=True)
class Exported:
    schema: str
    table: str
    path: Path
    rows: int


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export(published: Path, output: Path, schemas: Sequence[str] = ("marts",)) -> list[Exported]:
    if not published.is_file():
        raise ExportError(f"no {published} yet: run `make build` first")
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error as exc:
        raise ExportError(f"cannot open {published} read-only: {str(exc).splitlines()[0]}") from None
    exported: list[Exported] = []
    try:
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            "where schema_name in (select unnest($1::varchar[])) order by schema_name, table_name",
            [list(schemas)],
        ).fetchall()
        if not tables:
            raise ExportError(f"{published} has no tables in {', '.join(schemas)}")
        for schema in sorted({row[0] for row in tables}):
            folder = output / schema
            folder.mkdir(parents=True, exist_ok=True)
            described: dict[str, object] = {}
            for _, table, comment in (row for row in tables if row[0] == schema):
                exported.append(_export_table(con, schema, table, folder))
                columns = con.execute(
                    "select column_name, data_type, comment from duckdb_columns() "
                    "where schema_name = $1 and table_name = $2 order by column_index",
                    [schema, table],
                ).fetchall()
                described[table] = {"description": comment,
                                    "columns": [{"name": n, "type": t, "description": c}
                                                for n, t, c in columns]}
            _write_atomic(folder / "_columns.json",
                          json.dumps(described, indent=2, ensure_ascii=False) + "\n")
            keep = {f"{table}.parquet" for s, table, _ in tables if s == schema}
            for stale in folder.glob("*.parquet"):
                if stale.name not in keep:
                    log.info("removing %s (no such table any more)", stale)
                    stale.unlink()
    finally:
        con.close()
    return exported


def _export_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, folder: Path) -> Exported:
    target = folder / f"{table}.parquet"
    tmp = folder / f".{table}.parquet.tmp-{os.getpid()}"
    qualified = f"{_quote_ident(schema)}.{_quote_ident(table)}"
    try:
        con.execute(f"copy (select * from {qualified}) to {_quote_literal(str(tmp))} "
                    "(format parquet, compression zstd)")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    rows = con.execute(f"select count(*) from {qualified}").fetchone()[0]
    log.info("exported %s.%s: %d rows to %s", schema, table, rows, target)
    return Exported(schema, table, target, rows)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bi.export_parquet",
                                     description="Write every table of the published warehouse as a Parquet file.")
    parser.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                        help="warehouse folder holding news.duckdb (default: warehouse/)")
    parser.add_argument("--output", type=Path, default=None,
                        help="folder for the Parquet files (default: <warehouse>/parquet)")
    parser.add_argument("--schema", dest="schemas", action="append", metavar="NAME",
                        help="schema to export (repeatable; default: marts)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    output = args.output or args.warehouse / "parquet"
    try:
        done = export(args.warehouse / PUBLISHED_NAME, output, tuple(args.schemas or ("marts",)))
    except ExportError as exc:
        log.error("%s", exc)
        return 2
    print(f"exported {len(done)} tables to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
