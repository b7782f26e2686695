"""Publish the warehouse: make the marts file dbt built the standalone read-only file readers open.

dbt builds the marts into their own DuckDB file (``<warehouse>/.build/news_marts.duckdb``, the main
database of the build; everything else is in the attached build file). Publishing checkpoints that
file (so it needs no WAL) and checks that it holds tables of the published schemas only. Then:

- a build *moves* it: the file is synced, made read-only and renamed over ``target`` with an atomic
  ``os.replace``. Nothing is copied after dbt, and the private file name is gone until the next
  build, which restores it as a copy of the published file (``restore_marts``) while its articles
  load, so no process ever writes the inode readers have open;
- ``python -m scripts.build.publish`` *copies* it: its bytes go to a temporary file beside ``target``,
  which is synced and moves over ``target`` the same way, and the marts file stays.

Either way readers that have the old file open keep reading it (the old inode), new readers see the
new file, and a failed publish leaves ``target`` untouched. The publisher never opens ``target`` as a
database, so a reader can never block a publish. A byte copy costs a fraction of a table-by-table copy
(which decodes and compresses every column again): 0.5 s against 7.9 s for the marts of 100,000
articles; a move costs nothing, and the copy back runs while the next build loads its articles.

Run from the repository root::

    python -m scripts.build.publish --marts-db warehouse/.build/news_marts.duckdb \\
        --target warehouse/news.duckdb
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from scripts.build.errors import first_line
from scripts.build.failpoints import failpoint
from scripts.build.logs import add_verbosity_arguments, configure_verbosity

log = logging.getLogger("publish")

DEFAULT_SCHEMAS = ("marts",)


class PublishError(Exception):
    """An expected failure the user can fix (missing build file, nothing to publish...)."""


def publish(marts_db: Path, target: Path, schemas: Sequence[str] = DEFAULT_SCHEMAS, *, move: bool = False) -> None:
    """Replace ``target`` atomically with ``marts_db`` (moved) or a copy of it; its tables must all be in
    ``schemas``."""
    marts_db = Path(marts_db)
    target = Path(target)
    if not marts_db.is_file():
        raise PublishError(f"marts database {marts_db} does not exist; build the warehouse "
                           "first (make build) or pass --marts-db with the right path")
    if target.is_dir():
        raise PublishError(f"--target {target} is a folder; pass the path of a .duckdb file")
    if target.resolve() == marts_db.resolve():
        raise PublishError("--target must differ from --marts-db")
    target.parent.mkdir(parents=True, exist_ok=True)

    count = _checkpoint_and_check(marts_db, schemas)
    if move:
        _move_into_place(marts_db, target)
        log.info("published %d tables of %s: moved %s to %s", count, ", ".join(schemas), marts_db, target)
        return
    _remove_stale_temp_files(target)
    tmp = _temp_path(target, os.getpid())
    _remove_database_file(tmp)
    try:
        _copy_bytes(marts_db, tmp)
        _move_into_place(tmp, target)
    except BaseException:
        _remove_database_file(tmp)
        raise
    log.info("published %d tables of %s from %s to %s", count, ", ".join(schemas), marts_db, target)


def _move_into_place(source: Path, target: Path) -> None:
    """Sync ``source``, make it read-only and rename it over ``target``."""
    _fsync_path(source)  # nearly free after a checkpoint, which DuckDB synced
    stale_wal = _wal_path(target)
    if stale_wal.exists():
        # A WAL beside the new file would be replayed into it; the published file has none.
        log.warning("removing stale %s", stale_wal)
        stale_wal.unlink()
    # The published file is read-only: tools must open it with read_only=True, and no reader can
    # take the write lock (which would make DuckDB write a WAL beside it).
    source.chmod(0o444)
    failpoint("publish.after_copy")
    os.replace(source, target)
    failpoint("publish.after_replace")
    _fsync_path(target.parent)


def restore_marts(published: Path, marts_db: Path) -> bool:
    """Make ``marts_db`` a writable copy of ``published`` when a build moved it there (True if copied).

    A marts file that exists is kept as it is (a build that failed after dbt left it newer than the
    published one), made writable again if a build was killed between making it read-only and moving it.
    Without a published file there is nothing to restore: dbt starts the marts from nothing. The copy
    is written beside ``marts_db`` and synced before it takes the name, so a killed copy never passes
    for a marts file.
    """
    marts_db = Path(marts_db)
    published = Path(published)
    _remove_stale_temp_files(marts_db)
    if marts_db.exists():
        make_writable(marts_db)
        return False
    if not published.is_file():
        return False
    tmp = _temp_path(marts_db, os.getpid())
    _remove_database_file(tmp)
    try:
        _copy_bytes(published, tmp)
        tmp.chmod(0o644)
        _fsync_path(tmp)
        os.replace(tmp, marts_db)
    except BaseException:
        _remove_database_file(tmp)
        raise
    log.info("restored %s from %s", marts_db, published)
    return True


def make_writable(marts_db: Path) -> None:
    """Give a marts file its write bit back: a build killed after making it read-only for publishing,
    before moving it, left it so."""
    if not Path(marts_db).stat().st_mode & 0o200:
        Path(marts_db).chmod(0o644)


def _checkpoint_and_check(marts_db: Path, schemas: Sequence[str]) -> int:
    """Write the WAL of ``marts_db`` into the file and count its tables; refuse tables outside ``schemas``."""
    try:
        con = duckdb.connect(str(marts_db))
    except duckdb.Error as exc:
        raise PublishError(f"cannot open marts database {marts_db}: {first_line(exc)} "
                           "(is a dbt run still writing it?)") from None
    try:
        rows = con.execute(
            """
            select schema_name, table_name from duckdb_tables()
            where database_name = current_database() and not temporary
            union all
            select schema_name, view_name from duckdb_views()
            where database_name = current_database() and not internal and not temporary
            order by all
            """
        ).fetchall()
        con.execute("checkpoint")
    finally:
        con.close()
    if _wal_path(marts_db).exists():
        raise PublishError(f"DuckDB left {_wal_path(marts_db)} after checkpoint; publish aborted")
    outside = [f"{schema}.{name}" for schema, name in rows if schema not in schemas]
    if outside:
        raise PublishError(f"{marts_db} holds {', '.join(outside[:5])}, outside the published "
                           f"schema(s) {', '.join(schemas)}; publish aborted")
    if not rows:
        raise PublishError(f"no tables in schema(s) {', '.join(schemas)} of {marts_db}; "
                           "run the dbt build first")
    return len(rows)


def _copy_bytes(source: Path, destination: Path) -> None:
    shutil.copyfile(source, destination)


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



def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build.publish",
        description="Copy the marts DuckDB file dbt built to a standalone file and move it "
                    "atomically over the target; readers of the old file are not disturbed.",
    )
    parser.add_argument("--marts-db", type=Path, required=True,
                        help="the DuckDB file dbt built the marts in (<warehouse>/.build/news_marts.duckdb)")
    parser.add_argument("--target", type=Path, required=True,
                        help="the published DuckDB file to create or replace")
    parser.add_argument("--schema", dest="schemas", action="append", metavar="NAME",
                        help="schema the file may hold tables in (repeatable; default: marts)")
    add_verbosity_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_verbosity(args, log)
    try:
        publish(args.marts_db, args.target, tuple(args.schemas or DEFAULT_SCHEMAS))
    except PublishError as exc:
        log.error("%s", exc)
        return 2
    except duckdb.IOException as exc:
        log.error("publish failed, %s left untouched: %s", args.target, first_line(exc))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
