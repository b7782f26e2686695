"""The dbt command of a build: its arguments and environment, the process it runs in
(scripts/build/dbt_process.py, started before the load), and what its failure means.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from scripts import PROJECT_DIR
from scripts.build.errors import BuildError
from scripts.build.publish import restore_marts
from scripts.build.settings import DEFAULT_MEMORY_LIMIT_GB, DUCKDB_THREADS_ENV
from scripts.build.storage import VACUUM_ENV
from scripts.build.warehouse import WarehousePaths

log = logging.getLogger("build")

# How long a stopped build waits for dbt's process to end on SIGTERM before it sends SIGKILL.
STOP_TIMEOUT_SECONDS = 10
# No usage tracking from dbt, in every process that runs it.
DBT_NO_TRACKING = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
# The seeds and the data tests declared beside them (seeds/*.yml): dbt's path selector matches a
# generic test by the yml file that declares it.
SEED_PATH_SELECTOR = "path:seeds"


def models_out_of_memory(run_results: Path) -> list[str]:
    """The models of a dbt run that failed with DuckDB's out-of-memory error (none if unknown)."""
    try:
        results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []
    return [str(r.get("unique_id", "?")).rsplit(".", 1)[-1] for r in results
            if r.get("status") == "error" and "Out of Memory Error" in (r.get("message") or "")]


# The dbt process ends with os._exit rather than tear dbt down, so multiprocessing's resource tracker
# (a process of its own, which inherits this environment) would warn at every build that dbt's
# semaphores leaked; they end with the process.
QUIET_RESOURCE_TRACKER = {"PYTHONWARNINGS": ",".join(filter(None, [
    os.environ.get("PYTHONWARNINGS"), "ignore:resource_tracker:UserWarning"]))}


class DbtProcess:
    """A dbt process started before the load (scripts/build/dbt_process.py), which then runs one command.

    Python and dbt's modules load while the articles do. Unused (the load failed), it is stopped.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scripts.build.dbt_process"], stdin=subprocess.PIPE, text=True,
            cwd=PROJECT_DIR, env={**os.environ, **DBT_NO_TRACKING, **QUIET_RESOURCE_TRACKER})
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
        """Wait for the process; one still running (unused, or the build was stopped) is ended first."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process.wait()

    @property
    def pid(self) -> int:
        return self._process.pid

    def __enter__(self) -> DbtProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def forget_parse_of_other_checkout(target_dir: Path, project_dir: Path = PROJECT_DIR) -> None:
    """Drop dbt's saved parse when another copy of the project wrote it.

    dbt keeps absolute paths in target/partial_parse.msgpack and reuses them when the files are the
    same: a warehouse built from a checkout that has since moved (or from another checkout) would load
    its seeds from the old path. A stamp beside it names the project directory that wrote it; a parse
    without one (a warehouse older than the stamp) is parsed again once.
    """
    stamp = target_dir / "project_dir.txt"
    saved = target_dir / "partial_parse.msgpack"
    writer = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else None
    if saved.exists() and writer != str(project_dir):
        log.info("dbt's saved parse came from %s: parsing again", writer or "an unknown checkout")
        saved.unlink()
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(str(project_dir), encoding="utf-8")


def run_dbt(paths: WarehousePaths, args: Sequence[str], threads: str = "2",
            memory_limit: str | None = None, vacuum_tasks: int = 0, process: DbtProcess | None = None,
            query_threads: int = 0) -> None:
    """Run one dbt command against this warehouse's private build file (in `process` if given)."""
    memory_limit = memory_limit or os.environ.get("NEWS_MEMORY_LIMIT") or f"{DEFAULT_MEMORY_LIMIT_GB}GB"
    restore_marts(paths.published, paths.marts_db)  # after a build it is the published file
    arguments = [
        *args,
        *dbt_vars_args(),
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
    forget_parse_of_other_checkout(paths.build_dir / "target")
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


def dbt_vars_args() -> list[str]:
    """`--vars <NEWS_DBT_VARS>` when that is set (a YAML mapping that overrides dbt_project.yml's vars,
    e.g. the near-duplicate settings); the build's fingerprint does not cover it: change it with
    FULL_REFRESH=1."""
    configured = os.environ.get("NEWS_DBT_VARS", "").strip()
    return ["--vars", configured] if configured else []


def dbt_env(build_db: Path, marts_db: Path) -> dict[str, str]:
    """The environment dbt needs for the two files of a build (see profiles.yml)."""
    return {"NEWS_BUILD_DB": str(build_db), "NEWS_MARTS_DB": str(marts_db), **DBT_NO_TRACKING}


def dbt_build_args(*, full_refresh: bool = False, unit_tests: bool = False, seeds: bool = True) -> list[str]:
    """The `dbt build` command line: data tests always, unit tests only when asked for, seeds unless
    the build file holds them as this project has them (same fingerprint). Seeds left out take their
    data tests with them (the tests in seeds/*.yml, 24 nodes of about 210): those tests passed on the
    build that loaded these seeds, and nothing since has changed what they read."""
    return ["build",
            *(["--full-refresh"] if full_refresh else []),
            *(["--exclude-resource-type", "unit_test"] if not unit_tests else []),
            *([] if seeds else ["--exclude", SEED_PATH_SELECTOR])]
