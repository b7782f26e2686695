"""Crash safety: `kill -9` a build at ten points; the published warehouse stays the last complete
build, and the next build finishes and equals a clean build (same rows in every mart).

Six points are failpoints in the code (scripts/build/failpoints.py: the process SIGKILLs itself there);
four are inside dbt, killed from outside when dbt announces a given step. A warehouse with a previous
complete build (four of the five samples) is copied for each point; the killed build then tries to
add the fifth.
"""

from __future__ import annotations

import os
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
