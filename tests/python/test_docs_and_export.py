"""`make docs` and `make export` on a built warehouse: the docs site and the Parquet copy of the marts."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from scripts.build.pipeline import build
from scripts.bi.docs import generate
from scripts.bi.export_parquet import export

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    build(SAMPLES, root)
    return root


def _tables(published: Path) -> dict[str, int]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()]
        return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names}
    finally:
        con.close()


def test_export_writes_every_mart_with_its_rows(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export(warehouse / "news.duckdb", out)
    expected = _tables(warehouse / "news.duckdb")
    assert set(expected) >= {"articles", "paragraphs", "quotes", "speakers", "numeric_claims", "load_errors"}
    for name, rows in expected.items():
        path = out / "marts" / f"{name}.parquet"
        assert duckdb.sql(f"select count(*) from '{path}'").fetchone()[0] == rows, name


def test_docs_catalog_describes_the_published_marts(warehouse: Path) -> None:
    docs = generate(warehouse)
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    quotes = next(node for key, node in catalog["nodes"].items() if key.endswith(".quotes"))
    assert {"quote_id", "speaker_name", "attribution_method"} <= {c.lower() for c in quotes["columns"]}
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False
    columns = next(node for key, node in manifest["nodes"].items() if key.endswith(".numeric_claims"))["columns"]
    assert all(column["description"] for column in columns.values())
    assert (docs / "index.html").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_docs_site_is_served_on_localhost_only(warehouse: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "scripts.bi.docs", "-q", "serve", "--warehouse", str(warehouse),
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5) as response:
                    body = response.read()
                    policy = response.headers["Content-Security-Policy"]
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"docs server exited: {server.stderr.read()}")
                time.sleep(0.2)
        else:
            pytest.fail("docs server never answered")
        assert b"dbt" in body.lower()
        assert "connect-src 'self'" in policy
        listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True, check=False).stdout
        assert f"0.0.0.0:{port}" not in listening and f"*:{port}" not in listening
    finally:
        server.terminate()
        server.wait(timeout=30)
