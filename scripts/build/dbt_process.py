"""Run one dbt command in a process started ahead of time, so that Python and dbt load meanwhile.

`scripts.build` starts this process before it loads the articles. Starting Python and importing dbt
takes about 1.4 s on this machine, longer than loading 1% more articles into a large warehouse, and
it no longer waits for the load: the loader works in the build process meanwhile. The command comes
as one JSON line on stdin, `{"args": [...], "env": {...}, "run_results": "<path>"}`, once the load is
done; dbt then runs in-process through its documented programmatic entry point (dbtRunner), as the
`dbt` command would. With "run_results" the command has --no-write-json: dbt then skips its JSON
artifacts (the manifest alone, 0.2 s at the start of a run and again at its end), and this process
writes the run results, the only artifact the build and the benchmark read, to that path. End of
input without a line (the load failed, the build was stopped) ends the process without running dbt.

Exit status as the `dbt` command's: 0 success, 1 a model or test failed, 2 dbt could not run. The
process checkpoints DuckDB and flushes its logs, then ends at once (os._exit) rather than tear dbt down.

It never outlives the build: it ignores Ctrl-C (the build, which gets it too, stops it and prints one
line), ends with the build's process (the kernel sends it SIGKILL when its parent dies, on Linux;
elsewhere a thread watches the parent), and SIGTERM ends it at once (DuckDB's files are safe at any
instant: what a model had not committed is rolled back when the next build opens them).

While dbt runs, every NEWS_PROGRESS_SECONDS (30 by default; 0 turns it off) it prints which models
and tests are running and for how long, so a long or stalled build is visible.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

PROGRESS_ENV = "NEWS_PROGRESS_SECONDS"
DEFAULT_PROGRESS_SECONDS = 30
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def follow_parent() -> None:
    """End this process when the build's process ends, however it ends (even by SIGKILL)."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        watched = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        watched = False
    if os.getppid() != parent:  # the parent died before the kernel was told
        os._exit(1)
    if not watched:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _elapsed(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


class Progress:
    """The nodes dbt is running, from its events; every `interval` seconds a line on stderr."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.started = time.monotonic()
        self.running: dict[str, float] = {}
        self.done = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def on_event(self, event: object) -> None:
        name = event.info.name  # type: ignore[attr-defined]
        if name not in ("NodeStart", "NodeFinished"):
            return
        node = event.data.node_info  # type: ignore[attr-defined]
        key = node.unique_id.split(".", 2)[-1] if node.unique_id.startswith("model.") else node.node_name
        with self._lock:
            if name == "NodeStart":
                self.running[key] = time.monotonic()
            elif self.running.pop(key, None) is not None:
                self.done += 1

    def line(self) -> str:
        now = time.monotonic()
        with self._lock:
            running = sorted(self.running.items(), key=lambda item: item[1])
            done = self.done
        if not running and not done:
            return f"dbt build running for {_elapsed(now - self.started)}: parsing the project, connecting"
        nodes = ", ".join(f"{key} for {_elapsed(now - since)}" for key, since in running) or "between nodes"
        return f"dbt build running for {_elapsed(now - self.started)}, {done} nodes done; running: {nodes}"

    def start(self) -> None:
        if self.interval > 0:
            threading.Thread(target=self._report, name="progress", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _report(self) -> None:
        while not self._stop.wait(self.interval):
            print(f"INFO: {self.line()}", file=sys.stderr, flush=True)


def progress_interval() -> float:
    configured = os.environ.get(PROGRESS_ENV, "").strip()
    try:
        return float(configured) if configured else DEFAULT_PROGRESS_SECONDS
    except ValueError:
        return DEFAULT_PROGRESS_SECONDS


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the build stops this process
    follow_parent()
    # Importing dbt allocates some hundred thousand objects, and the cyclic garbage collector kept
    # scanning them: without it the imports take 0.83 s instead of 0.92 to 1.0 s. Frozen, they are
    # not scanned again by the collections during the run either.
    gc.disable()
    from dbt.cli.main import dbtRunner  # the slow part: dbt's modules

    import dbt.adapters.duckdb  # noqa: F401  (dbt would import it after parsing the profile)

    gc.freeze()
    gc.enable()

    line = sys.stdin.readline()
    if not line.strip():
        return 0
    request = json.loads(line)
    os.environ.update(request["env"])
    progress = Progress(progress_interval())
    progress.start()
    try:
        result = dbtRunner(callbacks=[progress.on_event]).invoke(request["args"])
    finally:
        progress.stop()
    run_results = request.get("run_results")
    if run_results and hasattr(result.result, "write"):
        # The command ran with --no-write-json: of dbt's JSON artifacts only the run results are
        # used (by the build and the benchmark), so only they are written.
        result.result.write(run_results)
    return 0 if result.success else 1 if result.exception is None else 2


def close_duckdb() -> None:
    """Write dbt-duckdb's databases to their files now, so that the process can end at once.

    Both files (the build file and the marts file) are checkpointed at the same time, one thread
    each: a checkpoint is what a clean close would do, one file after the other, and after it the
    files need nothing more (the WAL is empty, the data synced), so ending without closing them is
    safe. Closing would also have to wait for a garbage collection to drop dbt's last cursors
    (0.1 s). If a checkpoint fails, the databases are closed the ordinary way instead.
    """
    import duckdb
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager._ENV = None
    connection = getattr(environment, "conn", None)
    if connection is None:
        return
    try:
        databases = [row[0] for row in connection.execute(
            "select database_name from duckdb_databases() "
            "where not internal and not readonly and type = 'duckdb'").fetchall()]
        with ThreadPoolExecutor(max(1, len(databases))) as pool:
            list(pool.map(lambda name: _checkpoint(connection, name), databases))
    except duckdb.Error as exc:
        logging.getLogger("dbt_process").warning("checkpoint failed (%s); closing the databases", exc)
        environment.close()
        gc.collect()  # the threads' cursors too: the database closes with its last connection


def _checkpoint(connection: object, database: str) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute(f'checkpoint "{database}"')
    finally:
        cursor.close()


if __name__ == "__main__":
    status = main()
    # Checkpoint the databases, flush the logs, and end without tearing dbt's objects down one by
    # one: the build waits for this process, and an orderly exit took 0.6 s after dbt was done
    # (0.35 s of it the checkpoints). Nothing is lost: the files are checkpointed and the log
    # handlers flushed first.
    close_duckdb()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
