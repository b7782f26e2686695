"""The pinned DuckDB CLI (`make sql`, `.venv/bin/duckdb -readonly`) reads the published file.

The published file is made by the real publisher (scripts.build.publish) from a small build file holding
the types the marts use (lists, timestamps, comments), so these tests take a few seconds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from scripts.build.publish import publish

ROOT = Path(__file__).resolve().parents[2]
DUCKDB_CLI = Path(sys.executable).with_name("duckdb")


def _make_published(folder: Path, titles: list[str]) -> Path:
    build_db = folder / ".build" / "news_marts.duckdb"
    build_db.parent.mkdir(parents=True, exist_ok=True)
    build_db.unlink(missing_ok=True)
    con = duckdb.connect(str(build_db))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.articles (article_id varchar primary key, title varchar, "
                    "loaded_at timestamp, duplicate_of_article_id varchar)")
        con.execute("comment on column marts.articles.title is 'first non-empty line'")
        con.execute("create table marts.speakers (speaker_id varchar, speaker_name varchar, "
                    "name_variants varchar[], quote_count bigint)")
        for index, title in enumerate(titles):
            con.execute("insert into marts.articles values (?, ?, timestamp '2024-01-02 03:04:05', null)",
                        [f"{index:016x}", title])
        con.execute("insert into marts.speakers values ('s1', 'Muqdad Miri', ['Miqdad Miri', 'Muqdad Miri'], 5)")
    finally:
        con.close()
    target = folder / "news.duckdb"
    publish(build_db, target)
    return target


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DUCKDB_CLI), *args], input=stdin, capture_output=True, text=True,
                          check=False, timeout=60)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return _make_published(tmp_path, ["Iraq sends forces", "Border secured"])


def test_cli_is_the_pinned_duckdb_version() -> None:
    result = _cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0].lstrip("v") == duckdb.__version__


def test_cli_reads_published_file_read_only(published: Path) -> None:
    assert not os.access(published, os.W_OK) or os.geteuid() == 0  # mode 0444 (root can still write)
    assert oct(published.stat().st_mode & 0o777) == "0o444"
    result = _cli("-readonly", "-csv", "-noheader", str(published),
                  "-c", "select count(*) from marts.articles",
                  "-c", "select list_sort(name_variants)::varchar from marts.speakers",
                  "-c", "select comment from duckdb_columns() where table_name = 'articles' "
                        "and column_name = 'title'")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["2", "\"[Miqdad Miri, Muqdad Miri]\"", "first non-empty line"]


def test_cli_cannot_change_the_published_file(published: Path) -> None:
    before = (_digest(published), published.stat().st_mtime_ns)
    result = _cli("-readonly", str(published), "-c", "create table marts.scratch (x int)")
    assert result.returncode != 0
    assert "read-only" in (result.stderr + result.stdout).lower()
    assert (_digest(published), published.stat().st_mtime_ns) == before
    assert not published.with_name(published.name + ".wal").exists()


def _process_tree(pid: int) -> list[int]:
    """The pid and its descendants: the pip `duckdb` entry point runs the real binary as a child."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in children.read_text().split())
            except OSError:
                continue
    return found


def _has_open(pid: int, path: Path) -> bool:
    for process in _process_tree(pid):
        try:
            if any(os.readlink(fd).startswith(str(path)) for fd in Path(f"/proc/{process}/fd").iterdir()):
                return True
        except OSError:
            continue
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the shell's open file")
def test_cli_session_keeps_its_snapshot_while_a_build_publishes(published: Path, tmp_path: Path) -> None:
    """A shell opened before a publish keeps reading its file; a new shell sees the new one."""
    reader = subprocess.Popen([str(DUCKDB_CLI), "-readonly", "-csv", "-noheader", str(published)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):
            if _has_open(reader.pid, published):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the shell never opened the published file")
        _make_published(tmp_path, ["one", "two", "three"])  # replaces news.duckdb under the open shell
        out, err = reader.communicate("select count(*) from marts.articles;\n", timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    assert reader.returncode == 0, err
    assert out.split() == ["2"]
    fresh = _cli("-readonly", "-csv", "-noheader", str(published), "-c", "select count(*) from marts.articles")
    assert fresh.stdout.strip() == "3"


def test_make_sql_opens_the_published_file(published: Path) -> None:
    result = subprocess.run(["make", "--no-print-directory", "-s", "-C", str(ROOT), "sql",
                             f"WAREHOUSE={published.parent}"],
                            input=".mode csv\nselect title from marts.articles order by title;\n",
                            capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["Border secured", "Iraq sends forces"]
