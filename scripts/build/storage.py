"""How the build file is opened: without row-group compaction at checkpoints, except on a full refresh.

At each checkpoint DuckDB "vacuums": it merges a table's small trailing row groups into full ones,
rewriting up to 122,880 rows of every column of every table an incremental build appended to. On a
100,000-article warehouse that was 1 to 1.8 s per table and about 13 s of a 25 s build adding 1%
(measured: insert 10,000 rows into int_paragraphs_deduped and checkpoint, 1.81 s with compaction,
0.05 s without). An incremental build therefore opens the build file with `max_vacuum_tasks = 0`
(dbt in an on-run-start hook, macros/incremental.sql `set_vacuum_tasks`, so the profile stays the
same and dbt's partial parsing holds; the Python steps through `connect_build_file`): new rows
land in row groups of their own and nothing already written is rewritten.

What that leaves: each load adds a partial row group per table, and space of deleted rows (articles
that changed) is not reclaimed until a full refresh, which rewrites every model (compaction is on
then, DuckDB's default). `NEWS_MAX_VACUUM_TASKS` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

VACUUM_ENV = "NEWS_MAX_VACUUM_TASKS"
DUCKDB_DEFAULT_VACUUM_TASKS = 100


def whole_number_setting(name: str, meaning: str) -> int | None:
    """The whole number in environment variable ``name``, or None when it is unset or empty;
    ValueError naming ``meaning`` (e.g. "tasks (0 turns compaction off)") for anything else."""
    configured = os.environ.get(name, "").strip()
    if not configured:
        return None
    if not configured.isdigit():
        raise ValueError(f"{name} must be a whole number of {meaning}, not {configured!r}")
    return int(configured)


def max_vacuum_tasks(full_refresh: bool = False) -> int:
    """Compaction tasks a checkpoint may run: none on incremental builds, DuckDB's default on a full refresh."""
    configured = whole_number_setting(VACUUM_ENV, "tasks (0 turns compaction off)")
    if configured is not None:
        return configured
    return DUCKDB_DEFAULT_VACUUM_TASKS if full_refresh else 0


def connect_build_file(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the build file for writing from Python (loader, build state): no compaction unless
    NEWS_MAX_VACUUM_TASKS says so (see the module docstring)."""
    return duckdb.connect(str(path), config={"max_vacuum_tasks": max_vacuum_tasks()})
