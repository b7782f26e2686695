"""Concurrent use: readers during a rebuild see no error, and two builds on one warehouse never overlap."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from scripts.build.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"


def _build_process(warehouse: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.build", "--articles", str(SAMPLES), "--warehouse", str(warehouse), *extra],
        cwd=ROOT, env={**os.environ, "DO_NOT_TRACK": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_lock_holder(warehouse: Path, pid: int, timeout: float = 60) -> None:
    lock = warehouse / ".build" / "build.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(pid):
            return
        time.sleep(0.05)
    raise AssertionError("the first build never took the lock")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse for the module: every test leaves it complete and unlocked."""
    warehouse = tmp_path_factory.mktemp("concurrency") / "warehouse"
    build(SAMPLES, warehouse)
    return warehouse


def test_second_build_exits_at_once_naming_the_first(built: Path) -> None:
    first = _build_process(built)
    try:
        _wait_for_lock_holder(built, first.pid)
        second = _build_process(built)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert f"another build (pid {first.pid}) is running" in err
        assert "Traceback" not in err
    finally:
        _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err[-2000:]


def test_second_build_with_wait_runs_after_the_first(built: Path) -> None:
    first = _build_process(built)
    try:
        _wait_for_lock_holder(built, first.pid)
        second = _build_process(built, "--wait")
        _, second_err = second.communicate(timeout=900)
    finally:
        first.communicate(timeout=600)
    assert first.returncode == 0
    assert second.returncode == 0, second_err[-2000:]
    assert f"waiting for the build of pid {first.pid}" in second_err


def test_readers_see_no_error_during_a_rebuild(built: Path) -> None:
    published = built / "news.duckdb"
    expected = duckdb.connect(str(published), read_only=True).execute(
        "select count(*) from marts.paragraphs").fetchone()[0]
    errors: list[str] = []
    reads = 0
    stop = threading.Event()

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                con = duckdb.connect(str(published), read_only=True)
                try:
                    count = con.execute("select count(*) from marts.paragraphs").fetchone()[0]
                finally:
                    con.close()
                if count != expected:
                    errors.append(f"saw {count} paragraphs")
                reads += 1
            except duckdb.Error as exc:  # any error at all is a failure
                errors.append(str(exc).splitlines()[0])
            time.sleep(0.01)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        rebuild = _build_process(built)
        _, err = rebuild.communicate(timeout=600)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert rebuild.returncode == 0, err[-2000:]
    assert reads > 10
    assert errors == []
