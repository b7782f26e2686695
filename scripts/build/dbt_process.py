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
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor


def main() -> int:
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
    result = dbtRunner().invoke(request["args"])
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
