"""Build the warehouse end to end: load articles, run `dbt build`, publish the result.

    python -m scripts.build --articles data/articles --warehouse warehouse

The steps, each in its own module of scripts/build/: the warehouse folder and its lock
(warehouse.py), the loader (load/), dbt's command and process (dbt_command.py, dbt_process.py) with
its settings by size (settings.py), the build state (state.py), publishing (publish.py).

Readers never open the build file, so they never block dbt; the publisher never opens the
published file, so a reader holding it open never blocks a build and keeps its snapshot.
Only a build whose models and data tests all pass is published. The build file remembers which
project built it and which loads passed the data tests (scripts/build/state.py): a build by a changed
project rebuilds every model.

dbt's unit tests check the SQL of the extraction rules on fixed fixtures, not the data, so they do
not change with the input: as dbt advises, a production build leaves them out (`--unit-tests`, or
`make test`, runs them; they cost about a minute however small the input).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb

from scripts import PROJECT_DIR
from scripts.build.dbt_command import DbtProcess, dbt_build_args, run_dbt
from scripts.build.errors import BuildError, Interrupted
from scripts.build.failpoints import failpoint
from scripts.build.load import LoadError, LoadSummary, load_articles
from scripts.build.logs import configure_logging
from scripts.build.publish import PublishError, publish, restore_marts
from scripts.build.settings import dbt_memory_limit, dbt_threads, duckdb_threads
from scripts.build.state import BUILDING, REFRESHING, BuildState, project_fingerprint, read_state, write_state
from scripts.build.storage import max_vacuum_tasks
from scripts.build.warehouse import (PUBLISHED_SCHEMAS, WarehousePaths, build_lock, check_build_file,
                                     prepare_warehouse)

log = logging.getLogger("build")


def build(articles: Path, warehouse: Path, *, full_refresh: bool = False, wait: bool = False,
          unit_tests: bool = False, prune: bool = False) -> LoadSummary:
    paths = prepare_warehouse(warehouse)
    try:
        max_vacuum_tasks()
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    duckdb_threads(0, 0, "1", full_refresh=True)  # a bad NEWS_DUCKDB_THREADS fails before the load
    started = time.monotonic()
    with build_lock(paths, wait), DbtProcess() as dbt_process, ThreadPoolExecutor(2) as background:
        check_build_file(paths)
        # The last build moved the marts file to the published one: it is copied back meanwhile,
        # and the project's fingerprint (0.25 s of reading and hashing its files) is taken.
        restored = background.submit(restore_marts, paths.published, paths.marts_db)
        fingerprinted = background.submit(project_fingerprint, PROJECT_DIR)
        # A full refresh rebuilds everything, so the loader rereads every file too.
        summary = load_articles(articles, paths.build_db, verify_content=full_refresh, prune=prune)
        try:
            restored.result()
        except OSError as exc:
            raise BuildError(f"cannot copy {paths.published} back to {paths.marts_db}: {exc.strerror or exc}; "
                             "the published warehouse was left as it was") from None
        loaded = time.monotonic()
        failpoint("build.after_load")
        fingerprint = fingerprinted.result()
        state = read_state(paths.build_db)
        full_refresh = plan_refresh(paths, state, fingerprint, full_refresh, summary.retracted)
        articles_held = summary.loaded + summary.unchanged
        threads = dbt_threads(articles_held)
        memory_limit = dbt_memory_limit(articles_held)
        # The seeds are loaded as this project has them when the fingerprint (which covers them) matches.
        seeds = full_refresh or state.project_fingerprint != fingerprint
        query_threads = duckdb_threads(summary.loaded, articles_held, threads, full_refresh)
        run_dbt(paths, dbt_build_args(full_refresh=full_refresh, unit_tests=unit_tests, seeds=seeds), threads,
                memory_limit, max_vacuum_tasks(full_refresh), process=dbt_process, query_threads=query_threads)
        failpoint("build.after_dbt")
        write_state(paths.build_db, fingerprint, summary.load_id)
        built = time.monotonic()
        try:
            with deferred_signals():
                publish(paths.marts_db, paths.published, PUBLISHED_SCHEMAS, move=True)
        except Interrupted as stop:
            stop.published = True
            raise
    finished = time.monotonic()
    log.info("built %s in %.1f s (load %.1f s, dbt %.1f s, publish %.1f s): %s", paths.published,
             finished - started, loaded - started, built - loaded, finished - built, describe(paths.published))
    return summary


def plan_refresh(paths: WarehousePaths, state: BuildState, fingerprint: str, full_refresh: bool,
                 retracted: int = 0) -> bool:
    """Whether this build rebuilds every model, and the mark it leaves in case it is stopped half way
    (see scripts/build/state.py). Logs why when the build decides a full refresh itself. Retracted
    articles (--prune) need one: the incremental models only ever add or replace articles."""
    unfinished = state.unfinished(fingerprint)
    changed = (state.has_models and state.project_fingerprint != fingerprint and unfinished is None) or retracted > 0
    if retracted:
        log.warning("%d article%s retracted (their files are gone): rebuilding every model (full refresh)",
                    retracted, "" if retracted == 1 else "s")
    elif unfinished == "refresh" and not full_refresh:
        log.warning("the last build, a full refresh after a change to the models, stopped before it finished: "
                    "rebuilding every model again (full refresh)")
    elif changed and not full_refresh:
        log.warning("the models, macros, seeds or variables changed since this warehouse was last built "
                    "(or it was built by an older version): rebuilding every model (full refresh)")
    elif unfinished == "build":
        log.info("the last build stopped before it finished: carrying on from where it stopped")
    refresh = full_refresh or changed or unfinished == "refresh"
    if refresh:
        # Until it passes, no row counts as tested; a stopped refresh that a change required is done again.
        write_state(paths.build_db, (REFRESHING if changed or unfinished == "refresh" else BUILDING) + fingerprint, -1)
    elif not state.has_models and state.project_fingerprint is None:
        write_state(paths.build_db, BUILDING + fingerprint, -1)  # a first build: every row is this project's
    return refresh


class _Stops:
    """Whether a stop signal must wait (deferring), and the one that came meanwhile (pending)."""

    deferring = False
    pending: str | None = None


@contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (the move into place is not cut in two), then
    stop the build."""
    _Stops.deferring = True
    try:
        yield
    finally:
        _Stops.deferring = False
    if _Stops.pending is not None:
        raise Interrupted(_Stops.pending)


def describe(published: Path) -> str:
    """One line of row counts of the published marts."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
        ).fetchall()
        counts = [f"{name} {con.execute(f'select count(*) from marts.{name}').fetchone()[0]}"
                  for (name,) in tables]
    finally:
        con.close()
    return ", ".join(counts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build",
        description="Load articles, run dbt build on a private build file and publish "
                    "<warehouse>/news.duckdb atomically.",
    )
    parser.add_argument("--articles", type=Path, default=PROJECT_DIR / "data" / "articles",
                        help="folder of .txt / .jsonl articles, or one .jsonl[.gz] file (default: data/articles)")
    parser.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                        help="warehouse folder (default: warehouse/)")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from scratch")
    parser.add_argument("--unit-tests", action="store_true",
                        help="also run dbt's unit tests of the extraction rules (make test does)")
    parser.add_argument("--prune", action="store_true",
                        help="retract the articles whose files (or JSON Lines records) are no longer in the input; "
                             "they are listed in marts.load_errors, and every model is rebuilt")
    parser.add_argument("--wait", action="store_true",
                        help="wait for a running build on the same warehouse instead of exiting")
    parser.add_argument("--target", choices=("duckdb", "spark"), default="duckdb",
                        help="the engine: duckdb (publishes news.duckdb) or spark (dbt-spark on a local Spark "
                             "session; the marts are Spark tables under <warehouse>/.spark: scripts/build/spark.py)")
    parser.add_argument("--select", nargs="+", default=[],
                        help="with --target spark: build only these dbt nodes (dbt's selection syntax; "
                             "default: the marts the Spark build makes and their models)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def stop_on_signals() -> None:
    """SIGTERM (a CI timeout, systemctl stop, kill) and SIGINT (Ctrl-C) raise Interrupted, so the build
    unwinds: the load rolls back, dbt's process is ended, the lock is released."""
    def stop(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if _Stops.deferring:
            _Stops.pending = name
            return
        raise Interrupted(name)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)


def build_on_spark(args: argparse.Namespace) -> None:
    """The Spark build (scripts/build/spark.py): every Spark build is a full one, and dbt's unit tests
    run on DuckDB only."""
    if args.unit_tests:
        raise BuildError("dbt's unit tests run on DuckDB only: build without --target spark to run them")
    from scripts.build.spark import build_spark

    build_spark(args.articles, args.warehouse, wait=args.wait, prune=args.prune, select=args.select)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    stop_on_signals()
    try:
        if args.target == "spark":
            build_on_spark(args)
        else:
            build(args.articles, args.warehouse, full_refresh=args.full_refresh, wait=args.wait,
                  unit_tests=args.unit_tests, prune=args.prune)
    except (BuildError, LoadError, PublishError) as exc:
        log.error("%s", exc)
        return 2
    except (Interrupted, KeyboardInterrupt) as exc:
        name = exc.signal_name if isinstance(exc, Interrupted) else "SIGINT"
        if isinstance(exc, Interrupted) and exc.published:
            log.error("stopped by %s after the new warehouse was published", name)
        else:
            log.error("stopped by %s; the published warehouse was left as it was, and the next build carries "
                      "on from where this one stopped", name)
        return 128 + signal.Signals[name].value
    return 0


if __name__ == "__main__":
    sys.exit(main())
