"""JSON Lines input: one article per line, bad lines rejected with their line number."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

from scripts.jsonl_articles import parse_timestamp, read_jsonl
from scripts.load_articles import load_articles


def _lines(*records: object) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records)


GOOD = {"id": "a1", "title": "Border  closed", "body": "ERBIL - Iraq closed it.\n\nMore text.",
        "published_at": "2024-12-02T10:00:00+03:00", "url": "https://example.org/a1"}


def test_articles_errors_and_line_numbers(tmp_path: Path, query) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(
        GOOD,
        b"{not json",
        {"title": "No id", "text": "Body from the text key."},
        ["a", "list"],
        {"id": "empty", "title": "Nothing", "body": "  "},
        {"id": "a1", "title": "Same id again", "body": "Other body."},
    ) + b"\n")
    db = tmp_path / "w.duckdb"
    summary = load_articles(feed, db)
    assert (summary.loaded, summary.rejected) == (2, 4)
    rows = query(db, "select source_path, text, published_at from raw.articles order by 1")
    assert rows == [
        ("feed.jsonl#3", "No id\n\nBody from the text key.", None),
        ("feed.jsonl#a1", "Border closed\n\nERBIL - Iraq closed it.\n\nMore text.", datetime(2024, 12, 2, 7, 0)),
    ]
    errors = query(db, "select source_path, reason from raw.load_errors order by 1")
    reasons = dict(errors)
    assert reasons["feed.jsonl#2"].startswith("line 2: malformed JSON")
    assert reasons["feed.jsonl#4"] == "line 4: not a JSON object"
    assert reasons["feed.jsonl#empty"].startswith("line 5: no body")
    assert reasons["feed.jsonl#6"] == "line 6: duplicate id 'a1' (first on line 1)"


def test_reload_is_idempotent_and_changed_line_is_a_new_version(tmp_path: Path, query) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(GOOD, b"{broken"))
    db = tmp_path / "w.duckdb"
    load_articles(feed, db)
    again = load_articles(feed, db)
    assert (again.loaded, again.unchanged) == (0, 1)
    assert query(db, "select count(*) from raw.load_errors") == [(1,)]
    feed.write_bytes(_lines({**GOOD, "body": "Corrected body."}))
    changed = load_articles(feed, db)
    assert changed.loaded == 1
    assert query(db, "select count(*) from raw.articles where source_path = 'feed.jsonl#a1'") == [(2,)]


def test_gzip_file_and_folder_of_mixed_inputs(tmp_path: Path, query) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "wire.JSONL.gz").write_bytes(gzip.compress(_lines(GOOD)))
    (folder / "story.txt").write_text("Title\n\nBody.", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = load_articles(folder, db)
    assert summary.loaded == 2
    assert query(db, "select source_path from raw.articles order by 1") == [("story.txt",), ("sub/wire.JSONL.gz#a1",)]


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path: Path, query) -> None:
    data = gzip.compress(_lines(*({"id": str(i), "title": f"T{i}", "body": "x " * 2000} for i in range(50))))
    feed = tmp_path / "cut.jsonl.gz"
    feed.write_bytes(data[: len(data) * 2 // 3])
    db = tmp_path / "w.duckdb"
    summary = load_articles(feed, db)
    assert summary.loaded > 0 and summary.rejected == 1
    reason = query(db, "select reason from raw.load_errors")[0][0]
    assert reason.startswith("unreadable")


def test_parse_timestamp() -> None:
    assert parse_timestamp("2024-01-02") == datetime(2024, 1, 2)
    assert parse_timestamp("2024-01-02T03:04:05Z") == datetime(2024, 1, 2, 3, 4, 5)
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp(None) is None


def test_reader_streams_lines(tmp_path: Path) -> None:
    feed = tmp_path / "f.ndjson"
    feed.write_bytes(_lines(*({"title": "t", "body": f"b{i}"} for i in range(3))))
    items = list(read_jsonl(feed, "f.ndjson"))
    assert [i.source_path for i in items] == ["f.ndjson#1", "f.ndjson#2", "f.ndjson#3"]
