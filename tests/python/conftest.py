"""Shared fixtures for the Python tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


@pytest.fixture
def write_file(articles_dir: Path) -> Callable[[str, bytes | str], Path]:
    """Write bytes (or UTF-8 text) to a path relative to ``articles_dir``, creating folders."""

    def write(relative: str, content: bytes | str) -> Path:
        path = articles_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


@pytest.fixture
def query() -> Callable[..., list[tuple]]:
    """Run one query on a DuckDB file opened read-only and return all rows."""

    def run(db: Path, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    return run
