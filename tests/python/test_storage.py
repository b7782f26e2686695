"""Checkpoint compaction: off on incremental builds (dbt and the Python steps), on for a full refresh."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scripts.build.dbt_command import DbtProcess
from scripts.build.errors import BuildError
from scripts.build.pipeline import build
from scripts.build.storage import DUCKDB_DEFAULT_VACUUM_TASKS, VACUUM_ENV, connect_build_file, max_vacuum_tasks

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "articles"


def test_compaction_is_off_except_on_a_full_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VACUUM_ENV, raising=False)
    assert max_vacuum_tasks() == 0
    assert max_vacuum_tasks(full_refresh=True) == DUCKDB_DEFAULT_VACUUM_TASKS
    monkeypatch.setenv(VACUUM_ENV, "7")
    assert max_vacuum_tasks() == 7
    assert max_vacuum_tasks(full_refresh=True) == 7
    monkeypatch.setenv(VACUUM_ENV, "lots")
    with pytest.raises(ValueError, match="whole number"):
        max_vacuum_tasks()


def test_a_bad_setting_stops_the_build_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VACUUM_ENV, "-1")
    with pytest.raises(BuildError, match=VACUUM_ENV):
        build(SAMPLES, tmp_path / "wh")
    assert not (tmp_path / "wh" / "news.duckdb").exists()


def test_the_python_steps_open_the_build_file_without_compaction(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VACUUM_ENV, raising=False)
    con = connect_build_file(tmp_path / "b.duckdb")
    try:
        assert con.execute("select current_setting('max_vacuum_tasks')").fetchone()[0] == 0
    finally:
        con.close()


def _table_row_groups(db: Path, table: str) -> int:
    con = duckdb.connect(str(db))
    try:
        return con.execute(f"select count(distinct row_group_id) from pragma_storage_info('{table}')").fetchone()[0]
    finally:
        con.close()


def test_without_compaction_a_checkpoint_leaves_written_row_groups_alone(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the setting buys: appending to a table does not merge (rewrite) its last row groups."""
    monkeypatch.delenv(VACUUM_ENV, raising=False)
    db = tmp_path / "b.duckdb"
    con = connect_build_file(db)
    con.execute("create table t as select range as i, repeat('x', 50) as s from range(100000)")
    con.close()
    for _load in range(3):  # each load (one session) adds a row group of its own
        con = connect_build_file(db)
        con.execute("insert into t select range, 'y' from range(5000)")
        con.close()
    assert _table_row_groups(db, "t") == 4
    con = duckdb.connect(str(db), config={"max_vacuum_tasks": DUCKDB_DEFAULT_VACUUM_TASKS})
    con.execute("insert into t select range, 'w' from range(5000)")
    con.close()
    assert _table_row_groups(db, "t") < 5  # DuckDB's default merges (rewrites) the small ones


@pytest.mark.parametrize(("full_refresh", "expected"), [(False, "0"), (True, str(DUCKDB_DEFAULT_VACUUM_TASKS))])
def test_dbt_gets_the_setting_of_its_build(full_refresh: bool, expected: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VACUUM_ENV, raising=False)
    seen: dict[str, str] = {}
    real_run = DbtProcess.run

    def recording_run(self, args, env, run_results=None):
        seen["tasks"] = env[VACUUM_ENV]
        return real_run(self, args, env, run_results)

    monkeypatch.setattr(DbtProcess, "run", recording_run)
    build(SAMPLES, tmp_path / "wh", full_refresh=full_refresh)
    assert seen["tasks"] == expected
    # dbt applies it to its session in an on-run-start hook (macros/incremental.sql)
    dbt_log = (tmp_path / "wh" / ".build" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert f"set global max_vacuum_tasks = {expected}" in dbt_log
