"""Build the warehouse end to end: load articles, run `dbt build`, publish the result.

    python -m scripts.build --articles data/articles --warehouse warehouse

Layout of a warehouse folder:

    <warehouse>/news.duckdb            the published, standalone file readers open (replaced atomically)
    <warehouse>/.build/news_build.duckdb   dbt's private build file (raw tables, seeds, staging and
                                           intermediate models: the incremental state)
    <warehouse>/.build/news_marts.duckdb   dbt's private marts file (the main database of the build,
                                           holding the marts only); publishing moves it to
                                           news.duckdb, and the next build copies it back while
                                           its articles load (scripts/publish.py)
    <warehouse>/.build/build.lock      held by the running build (pid inside)
    <warehouse>/.build/target, logs    dbt's artifacts and logs for this warehouse

Readers never open the build file, so they never block dbt; the publisher never opens the
published file, so a reader holding it open never blocks a build and keeps its snapshot.
Only a build whose models and data tests all pass is published. The build file remembers which
project built it and which loads passed the data tests (scripts/build_state.py): a build by a changed
project rebuilds every model.

dbt's unit tests check the SQL of the extraction rules on fixed fixtures, not the data, so they do
not change with the input: as dbt advises, a production build leaves them out (`--unit-tests`, or
`make test`, runs them; they cost about a minute however small the input).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.build_state import project_fingerprint, read_state, write_state
from scripts.failpoints import failpoint
from scripts.load_articles import LoadError, LoadSummary, load_articles
from scripts.logs import configure_logging
from scripts.publish import PublishError, make_writable, publish, restore_marts
from scripts.storage import VACUUM_ENV, max_vacuum_tasks, whole_number_setting

log = logging.getLogger("build")

PROJECT_DIR = Path(__file__).resolve().parent.parent
PUBLISHED_NAME = "news.duckdb"
BUILD_DIR_NAME = ".build"
BUILD_DB_NAME = "news_build.duckdb"
MARTS_DB_NAME = "news_marts.duckdb"
PUBLISHED_SCHEMAS = ("marts",)
# From this many articles on, dbt runs one model at a time unless NEWS_THREADS says otherwise: two
# heavy models at once share DuckDB's memory cap and both spill. Measured here: 100,000 articles build
# in 118 s with two threads and 136 s with one; 1,000,000 in 3,964 s with two and 1,419 s with one
# (NEWS_MEMORY_LIMIT=10GB). The crossover between them was not measured.
ONE_THREAD_FROM_ARTICLES = 250_000
# DuckDB's memory cap (NEWS_MEMORY_LIMIT wins): the default below ONE_THREAD_FROM_ARTICLES, the large
# one (at most half of the machine's RAM) from there on; see dbt_memory_limit.
DEFAULT_MEMORY_LIMIT_GB = 4
LARGE_MEMORY_LIMIT_GB = 10
# Threads DuckDB gives one query (NEWS_DUCKDB_THREADS wins; 0 is DuckDB's default, one per core). On
# an incremental build whose new articles are at most SMALL_BATCH_SHARE of the warehouse, the cores
# are shared out between the models dbt runs at once: its queries are small, and two models with two
# threads each on two cores spent the difference switching. Measured on a 1% build at 100,000
# articles: 8.8 to 9.0 s with one thread per query, 9.4 to 10.1 s with two.
DUCKDB_THREADS_ENV = "NEWS_DUCKDB_THREADS"
SMALL_BATCH_SHARE = 0.1


# No usage tracking from dbt, in every process that runs it.
DBT_NO_TRACKING = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


class BuildError(Exception):
    """An expected failure, reported as one line and a non-zero exit."""


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @property
    def build_dir(self) -> Path:
        return self.root / BUILD_DIR_NAME

    @property
    def build_db(self) -> Path:
        return self.build_dir / BUILD_DB_NAME

    @property
    def marts_db(self) -> Path:
        return self.build_dir / MARTS_DB_NAME

    @property
    def published(self) -> Path:
        return self.root / PUBLISHED_NAME

    @property
    def lock(self) -> Path:
        return self.build_dir / "build.lock"


def prepare_warehouse(root: Path) -> WarehousePaths:
    """Create the warehouse folders, or say in one line why they cannot be used."""
    paths = WarehousePaths(root.resolve())
    if paths.root.exists() and not paths.root.is_dir():
        raise BuildError(f"warehouse path {root} exists and is not a folder; pass WAREHOUSE=<folder>")
    try:
        paths.build_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create warehouse folder {paths.build_dir}: {exc.strerror}; "
                         "pass WAREHOUSE=<a writable folder>") from None
    if not os.access(paths.build_dir, os.W_OK) or not os.access(paths.root, os.W_OK):
        raise BuildError(f"warehouse folder {paths.root} is not writable; "
                         "pass WAREHOUSE=<a writable folder>")
    return paths


@contextmanager
def build_lock(paths: WarehousePaths, wait: bool) -> Iterator[None]:
    """Hold an exclusive lock on the warehouse for the whole build.

    A second build either waits (wait=True) or exits at once naming the process that holds it.
    The lock is an flock: the kernel drops it when the holder dies, even by kill -9.
    """
    handle = open(paths.lock, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            if not wait:
                raise BuildError(f"another build (pid {holder}) is running on {paths.root}; "
                                 "wait for it to finish, or run with --wait") from None
            log.info("waiting for the build of pid %s on %s to finish", holder, paths.root)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def dbt_threads(articles: int) -> str:
    """How many models dbt runs at once for a warehouse of this many articles (NEWS_THREADS wins)."""
    return os.environ.get("NEWS_THREADS") or ("1" if articles >= ONE_THREAD_FROM_ARTICLES else "2")


def duckdb_threads(new_articles: int, articles_held: int, model_threads: str, full_refresh: bool,
                   cpus: int | None = None) -> int:
    """Threads DuckDB gives one query on this build (0: DuckDB's default); NEWS_DUCKDB_THREADS wins."""
    try:
        configured = whole_number_setting(DUCKDB_THREADS_ENV, "threads (0: DuckDB's default)")
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    if configured is not None:
        return configured
    if full_refresh or new_articles > SMALL_BATCH_SHARE * articles_held:
        return 0
    cpus = cpus or os.cpu_count() or 1
    return max(1, cpus // max(1, int(model_threads)))


def physical_memory() -> int | None:
    """Bytes of RAM of this machine, if the OS says."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def dbt_memory_limit(articles: int, ram: int | None = None) -> str:
    """DuckDB's memory cap for a warehouse of this many articles (NEWS_MEMORY_LIMIT wins).

    4GB below ONE_THREAD_FROM_ARTICLES. From there on 10GB, but at most half of the machine's RAM and
    never under 4GB: at a million articles the per-article list aggregations (int_articles_signed)
    do not spill and ran out of memory under 4GB; under 10GB the build peaked at 10.5 GB RSS.
    """
    if os.environ.get("NEWS_MEMORY_LIMIT"):
        return os.environ["NEWS_MEMORY_LIMIT"]
    if articles < ONE_THREAD_FROM_ARTICLES:
        return f"{DEFAULT_MEMORY_LIMIT_GB}GB"
    ram = physical_memory() if ram is None else ram
    half = (ram or 0) // 2 // 2**30
    return f"{max(DEFAULT_MEMORY_LIMIT_GB, min(LARGE_MEMORY_LIMIT_GB, half))}GB"


def models_out_of_memory(run_results: Path) -> list[str]:
    """The models of a dbt run that failed with DuckDB's out-of-memory error (none if unknown)."""
    try:
        results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []
    return [str(r.get("unique_id", "?")).rsplit(".", 1)[-1] for r in results
            if r.get("status") == "error" and "Out of Memory Error" in (r.get("message") or "")]


class DbtProcess:
    """A dbt process started before the load (scripts/dbt_process.py), which then runs one command.

    Python and dbt's modules load while the articles do. Unused (the load failed), it is stopped.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scripts.dbt_process"], stdin=subprocess.PIPE, text=True,
            cwd=PROJECT_DIR, env={**os.environ, **DBT_NO_TRACKING})
        self._used = False

    def run(self, args: Sequence[str], env: dict[str, str], run_results: Path | None = None) -> int:
        """Run `dbt <args>` with this environment; dbt's exit status. With `run_results`, dbt writes
        no JSON artifact (--no-write-json) and the process writes the run results there."""
        if self._used or self._process.stdin is None:
            raise RuntimeError("a DbtProcess runs one command")
        self._used = True
        request = {"args": [*args, *(["--no-write-json"] if run_results else [])], "env": env,
                   "run_results": str(run_results) if run_results else None}
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # it ended early; wait() gives its status
        return self._process.wait()

    def close(self) -> None:
        if self._process.poll() is None and not self._used:
            self._process.kill()
        self._process.wait()

    def __enter__(self) -> DbtProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def run_dbt(paths: WarehousePaths, args: Sequence[str], threads: str = "2",
            memory_limit: str | None = None, vacuum_tasks: int = 0, process: DbtProcess | None = None,
            query_threads: int = 0) -> None:
    """Run one dbt command against this warehouse's private build file (in `process` if given)."""
    memory_limit = memory_limit or os.environ.get("NEWS_MEMORY_LIMIT") or f"{DEFAULT_MEMORY_LIMIT_GB}GB"
    restore_marts(paths.published, paths.marts_db)  # after a build it is the published file
    arguments = [
        *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(paths.build_dir / "target"),
        "--log-path", str(paths.build_dir / "logs"),
    ]
    env = {**os.environ, **dbt_env(paths.build_db, paths.marts_db), "NEWS_THREADS": threads,
           "NEWS_MEMORY_LIMIT": memory_limit, VACUUM_ENV: str(vacuum_tasks),
           DUCKDB_THREADS_ENV: str(query_threads)}
    log.info("running dbt %s (%s model%s at a time, %s, DuckDB memory cap %s)", " ".join(args), threads,
             "" if threads == "1" else "s",
             f"{query_threads} DuckDB thread{'' if query_threads == 1 else 's'} each" if query_threads
             else "DuckDB threads by default", memory_limit)
    run_results = paths.build_dir / "target" / "run_results.json"
    run_results.unlink(missing_ok=True)  # no stale results
    if process is not None:
        returncode = process.run(arguments, env, run_results)
    else:
        dbt = Path(sys.executable).with_name("dbt")
        command = [str(dbt) if dbt.exists() else "dbt", *arguments]
        returncode = subprocess.run(command, env=env, cwd=PROJECT_DIR, check=False).returncode
    if returncode != 0:
        out_of_memory = models_out_of_memory(run_results)
        if out_of_memory:
            raise BuildError(
                f"DuckDB ran out of memory in {', '.join(out_of_memory)} under its cap of "
                f"{memory_limit}; build again with a larger one, e.g. NEWS_MEMORY_LIMIT=10GB make "
                "build (a million articles need 10GB). The published warehouse was left as it was")
        raise BuildError(f"dbt {args[0]} failed (exit {returncode}); the published warehouse "
                         f"was left as it was. See the messages above and {paths.build_dir / 'logs'}")


def dbt_env(build_db: Path, marts_db: Path) -> dict[str, str]:
    """The environment dbt needs for the two files of a build (see profiles.yml)."""
    return {"NEWS_BUILD_DB": str(build_db), "NEWS_MARTS_DB": str(marts_db), **DBT_NO_TRACKING}


def check_build_file(paths: WarehousePaths) -> None:
    """Fail early, in one line, on a build or marts file that is not a readable DuckDB database."""
    for path in (paths.build_db, paths.marts_db):
        if not path.exists():
            continue
        if path == paths.marts_db:
            make_writable(path)  # checked before the background restore_marts would do it
        try:
            duckdb.connect(str(path)).close()
        except duckdb.IOException as exc:
            first = str(exc).splitlines()[0]
            raise BuildError(f"cannot open the build file {path}: {first}. If it is damaged, delete the "
                             "folder and build again (raw data is reloaded from the input)") from None
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise BuildError(f"the build file {path} is not a usable DuckDB database ({first}); "
                             "delete it and build again") from None


def dbt_build_args(*, full_refresh: bool = False, unit_tests: bool = False, seeds: bool = True) -> list[str]:
    """The `dbt build` command line: data tests always, unit tests only when asked for, seeds unless
    the build file holds them as this project has them (same fingerprint)."""
    excluded = [*([] if unit_tests else ["unit_test"]), *([] if seeds else ["seed"])]
    return ["build",
            *(["--full-refresh"] if full_refresh else []),
            *(["--exclude-resource-type", *excluded] if excluded else [])]


def build(articles: Path, warehouse: Path, *, full_refresh: bool = False, wait: bool = False,
          unit_tests: bool = False) -> LoadSummary:
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
        summary = load_articles(articles, paths.build_db, verify_content=full_refresh)
        try:
            restored.result()
        except OSError as exc:
            raise BuildError(f"cannot copy {paths.published} back to {paths.marts_db}: {exc.strerror or exc}; "
                             "the published warehouse was left as it was") from None
        loaded = time.monotonic()
        failpoint("build.after_load")
        fingerprint = fingerprinted.result()
        state = read_state(paths.build_db)
        if state.has_models and state.project_fingerprint != fingerprint and not full_refresh:
            log.warning("the models, macros, seeds or variables changed since this warehouse was last built "
                        "(or it was built by an older version): rebuilding every model (full refresh)")
            full_refresh = True
        if full_refresh:
            # Until it passes, no row counts as tested and the project counts as changed (so a
            # refresh that stopped half way is done again, seeds included).
            write_state(paths.build_db, "", -1)
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
        publish(paths.marts_db, paths.published, PUBLISHED_SCHEMAS, move=True)
    finished = time.monotonic()
    log.info("built %s in %.1f s (load %.1f s, dbt %.1f s, publish %.1f s): %s", paths.published,
             finished - started, loaded - started, built - loaded, finished - built, describe(paths.published))
    return summary


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
    parser.add_argument("--wait", action="store_true",
                        help="wait for a running build on the same warehouse instead of exiting")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    try:
        build(args.articles, args.warehouse, full_refresh=args.full_refresh, wait=args.wait,
              unit_tests=args.unit_tests)
    except (BuildError, LoadError, PublishError) as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        log.error("interrupted; the published warehouse was left as it was")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
