"""Crash safety: `kill -9` a build at ten points; the published warehouse stays the last complete
build, and the next build finishes and equals a clean build (same rows in every mart).

Six points are failpoints in the code (scripts/build/failpoints.py: the process SIGKILLs itself there);
four are inside dbt, killed from outside when dbt announces a given step. A warehouse with a previous
complete build (four of the five samples) is copied for each point; the killed build then tries to
add the fifth.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from scripts.build.pipeline import build
from scripts.build.warehouse import WarehousePaths
from scripts.build.state import read_state, write_state
from scripts.build.failpoints import ENV_VAR, POINTS

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"

# dbt steps at which the build is killed from outside, by a line dbt prints when it starts them.
DBT_MARKERS = {
    "dbt.seeding": "START seed file",
    "dbt.staging_view": "START sql view model news_build.staging.",
    "dbt.intermediate_table": "START sql incremental model news_build.intermediate.int_paragraphs_extracted ",
    "dbt.marts_tests": "START test unique_articles_article_id",
}
# Seeds are loaded only when the project changed since the last build (then every model is rebuilt):
# for this point the stored fingerprint is made stale first, as after an upgrade of the project.
STALE_PROJECT_POINTS = {"dbt.seeding"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table of the published file, rows sorted, loaded_at left out (it is the load's clock)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() order by 1").fetchall()]
        result = {}
        for table in tables:
            columns = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where schema_name || '.' || table_name = ? "
                "and column_name <> 'loaded_at' order by column_index", [table]).fetchall()]
            result[table] = con.execute(
                f"select {', '.join(columns)} from {table} order by all").fetchall()
        return result
    finally:
        con.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("inputs")
    first = root / "first"
    first.mkdir()
    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    for name in names[:-1]:
        shutil.copy(SAMPLES / name, first / name)
    return {"first": first, "all": SAMPLES}


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory, inputs: dict[str, Path]) -> Path:
    """A warehouse whose last complete build holds the first four samples."""
    root = tmp_path_factory.mktemp("previous")
    build(inputs["first"], root)
    return root


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, inputs: dict[str, Path]) -> dict[str, list[tuple]]:
    """What a clean build of the same loads gives: first four samples, then all five."""
    root = tmp_path_factory.mktemp("clean")
    build(inputs["first"], root)
    build(inputs["all"], root)
    return snapshot(root / "news.duckdb")


def _start_build(warehouse: Path, articles: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.build", "--articles", str(articles), "--warehouse", str(warehouse)],
        cwd=ROOT, env={**os.environ, "DO_NOT_TRACK": "1", **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _kill_at_marker(process: subprocess.Popen, marker: str, timeout: float = 300) -> bool:
    """Read the build's output until `marker` appears, then SIGKILL its whole process group."""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    for line in process.stdout:
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return True
        if time.monotonic() > deadline:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return False


@pytest.mark.parametrize("point", [*POINTS, *DBT_MARKERS])
def test_kill_leaves_last_complete_build_and_next_build_recovers(
        point: str, tmp_path: Path, inputs: dict[str, Path], previous: Path,
        clean: dict[str, list[tuple]]) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(previous, warehouse)
    before = snapshot(warehouse / "news.duckdb")

    if point in STALE_PROJECT_POINTS:
        build_db = WarehousePaths(warehouse).build_db
        write_state(build_db, "fingerprint of an older project", read_state(build_db).tested_through_load_id)
    if point in DBT_MARKERS:
        process = _start_build(warehouse, inputs["all"], {})
        assert _kill_at_marker(process, DBT_MARKERS[point]), f"dbt never printed {DBT_MARKERS[point]!r}"
    else:
        process = _start_build(warehouse, inputs["all"], {ENV_VAR: point})
        output, _ = process.communicate(timeout=300)
        assert process.returncode == -signal.SIGKILL, output[-2000:]

    published = snapshot(warehouse / "news.duckdb")
    if point == "publish.after_replace":
        assert published == clean  # the new file was already in place: the complete new build
    else:
        assert published == before  # still the last complete build

    recovery = _start_build(warehouse, inputs["all"], {})
    output, _ = recovery.communicate(timeout=600)
    assert recovery.returncode == 0, output[-3000:]
    assert snapshot(warehouse / "news.duckdb") == clean
    leftovers = [p.name for p in warehouse.iterdir() if p.name.startswith(".news.duckdb.tmp")]
    assert leftovers == []


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _read_until(process: subprocess.Popen, text: str, timeout: float = 300) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    for line in process.stdout:
        seen.append(line)
        if text in line or time.monotonic() > deadline:
            break
    output = "".join(seen)
    assert text in output, output[-3000:]
    return output


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_stopped_build_ends_dbt_and_the_next_build_works_first_time(
        signal_name: str, tmp_path: Path, inputs: dict[str, Path], previous: Path,
        clean: dict[str, list[tuple]]) -> None:
    """SIGTERM to the build's process alone (a CI timeout, systemctl stop, kill PID), or SIGINT to its
    whole process group (Ctrl-C in a terminal), mid-dbt: dbt's process ends too, the build prints one
    line and no traceback, the published file is as it was, and the next build needs nothing by hand.
    The build also reports its progress while dbt runs (here every second)."""
    warehouse = tmp_path / "warehouse"
    shutil.copytree(previous, warehouse)
    before = snapshot(warehouse / "news.duckdb")
    process = _start_build(warehouse, inputs["all"], {"NEWS_PROGRESS_SECONDS": "1"})
    output = _read_until(process, DBT_MARKERS["dbt.intermediate_table"])
    output += _read_until(process, "nodes done; running: ")  # a progress line naming what runs
    [dbt_process] = _children(process.pid)
    signum = getattr(signal, signal_name)
    if signum == signal.SIGTERM:
        os.kill(process.pid, signum)
    else:
        os.killpg(process.pid, signum)
    rest, _ = process.communicate(timeout=120)
    output += rest
    assert process.returncode == 128 + signum, output[-3000:]
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert [line for line in rest.splitlines() if "stopped by" in line] == [
        f"ERROR: stopped by {signal_name}; the published warehouse was left as it was, and the next build "
        "carries on from where this one stopped"]
    assert not _alive(dbt_process), "dbt's process outlived the build"
    assert re.search(r"nodes done; running: \w+ for \d+ s", output) or "running: between nodes" in output
    assert snapshot(warehouse / "news.duckdb") == before

    recovery = _start_build(warehouse, inputs["all"], {})
    output, _ = recovery.communicate(timeout=600)
    assert recovery.returncode == 0, output[-3000:]
    assert "rebuilding every model" not in output and "--full-refresh" not in output
    assert snapshot(warehouse / "news.duckdb") == clean


def test_a_first_build_stopped_by_ctrl_c_is_carried_on_not_rebuilt(tmp_path: Path, inputs: dict[str, Path]) -> None:
    """The first build of a warehouse, stopped half way: the next one carries on from where it stopped
    instead of taking the half-built file for an older project's and rebuilding every model."""
    warehouse = tmp_path / "warehouse"
    process = _start_build(warehouse, inputs["first"], {})
    _read_until(process, DBT_MARKERS["dbt.intermediate_table"])
    os.killpg(process.pid, signal.SIGINT)
    rest, _ = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGINT and "Traceback" not in rest, rest[-3000:]

    recovery = _start_build(warehouse, inputs["first"], {})
    output, _ = recovery.communicate(timeout=600)
    assert recovery.returncode == 0, output[-3000:]
    assert "carrying on from where it stopped" in output
    assert "changed since" not in output and "--full-refresh" not in output
    fresh = tmp_path / "fresh"
    build(inputs["first"], fresh)
    assert snapshot(warehouse / "news.duckdb") == snapshot(fresh / "news.duckdb")


def test_a_build_file_held_by_a_live_process_is_reported_with_its_pid(tmp_path: Path, previous: Path) -> None:
    """Another process holding the build file (an orphaned dbt, a DuckDB shell): one line naming its pid
    and what to do; the file is not called damaged and nothing says to delete anything."""
    warehouse = tmp_path / "warehouse"
    shutil.copytree(previous, warehouse)
    build_db = WarehousePaths(warehouse).build_db
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "time.sleep(120)", str(build_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = subprocess.run([sys.executable, "-m", "scripts.build", "--articles", str(SAMPLES),
                                 "--warehouse", str(warehouse)], cwd=ROOT, capture_output=True, text=True,
                                timeout=300, env={**os.environ, "DO_NOT_TRACK": "1"})
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert f"in use by pid {holder.pid}" in line and f"kill {holder.pid}" in line, line
    assert "delete" not in line and "damaged;" not in line
