"""JSON Lines input: one article per line, bad lines rejected with their line number."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import datetime
from pathlib import Path

import pytest

from scripts.build.load.jsonl import parse_timestamp, read_jsonl
from scripts.build.load import load_articles


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
    assert reasons["feed.jsonl#empty"].startswith("line 5: 'body' is empty")
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


# --------------------------------------------------------------------------- appended-to archives

BASE = [GOOD, b"{not json", {"title": "No id", "text": "Body one."}, {"id": "b2", "title": "B", "body": "Two."}]
APPENDED = [{"id": "c3", "title": "C", "body": "Three."}, {"id": "b2", "title": "Again", "body": "Dup id."},
            b"[1]", {"title": "Also no id", "body": "Body five."}]


def _loaded(db: Path, query) -> tuple[list[tuple], list[tuple]]:
    articles = query(db, "select source_path, content_sha256, text from raw.articles order by all")
    errors = query(db, "select source_path, reason from raw.load_errors order by all")
    return articles, errors


def _two_loads(tmp_path: Path, name: str, first: bytes, second: bytes, verify_content: bool):
    folder = tmp_path / ("full" if verify_content else "resumed")
    folder.mkdir()
    feed = folder / name
    db = folder / "w.duckdb"
    feed.write_bytes(first)
    load_articles(feed, db)
    feed.write_bytes(second)
    return load_articles(feed, db, verify_content=verify_content), db


CASES = {  # file name: (its bytes at the first load, at the second)
    "append.jsonl": (_lines(*BASE), _lines(*BASE, *APPENDED)),
    "nothing_new.jsonl": (_lines(*BASE), _lines(*BASE)),
    "edited.jsonl": (_lines(*BASE), _lines({**GOOD, "body": "Corrected."}, *BASE[1:], *APPENDED)),
    "no_last_newline.jsonl": (_lines(*BASE)[:-1], _lines(*BASE, *APPENDED)),
    "last_line_grew.jsonl": (_lines(*BASE) + b'{"id": "z", "body": "par',
                             _lines(*BASE) + b'{"id": "z", "body": "partial"}\n'),
    "shorter.jsonl": (_lines(*BASE, *APPENDED), _lines(*BASE)),
    "blank_lines.jsonl": (_lines(*BASE) + b"\n\n", _lines(*BASE) + b"\n\n" + _lines(*APPENDED)),
    "feed.jsonl.gz": (gzip.compress(_lines(*BASE)), gzip.compress(_lines(*BASE, *APPENDED))),
}


@pytest.mark.parametrize("name", CASES)
def test_a_reload_reads_only_the_lines_after_the_unchanged_start_and_loads_the_same(
        tmp_path: Path, query, name: str) -> None:
    """Whatever happened to the file, skipping its unchanged start gives what reading it all gives."""
    first, second = CASES[name]
    resumed, resumed_db = _two_loads(tmp_path, name, first, second, verify_content=False)
    full, full_db = _two_loads(tmp_path, name, first, second, verify_content=True)
    assert (resumed.files_seen, resumed.loaded, resumed.unchanged, resumed.rejected) == \
        (full.files_seen, full.loaded, full.unchanged, full.rejected)
    assert _loaded(resumed_db, query) == _loaded(full_db, query)


def test_an_appended_line_repeating_an_old_id_is_rejected_with_the_first_line(tmp_path: Path, query,
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    feed = tmp_path / "feed.jsonl"
    db = tmp_path / "w.duckdb"
    feed.write_bytes(_lines(*BASE))
    load_articles(feed, db)
    feed.write_bytes(_lines(*BASE, *APPENDED))
    with caplog.at_level(logging.INFO, logger="load_articles"):
        summary = load_articles(feed, db)
    assert "its first 4 lines" in caplog.text  # the start was skipped, not parsed again
    assert (summary.loaded, summary.unchanged, summary.rejected) == (2, 3, 3)
    reasons = dict(query(db, "select source_path, reason from raw.load_errors"))
    assert reasons["feed.jsonl#6"] == "line 6: duplicate id 'b2' (first on line 4)"
    assert reasons["feed.jsonl#7"] == "line 7: not a JSON object"
    assert query(db, "select lines, articles, errors from raw.jsonl_checkpoints") == [(8, 5, 3)]
    # A third load resumes after all eight lines and still knows the ids the second one added.
    feed.write_bytes(_lines(*BASE, *APPENDED, {"id": "c3", "title": "C again", "body": "Dup."}))
    third = load_articles(feed, db)
    assert (third.loaded, third.unchanged, third.rejected) == (0, 5, 4)
    reasons = dict(query(db, "select source_path, reason from raw.load_errors"))
    assert reasons["feed.jsonl#9"] == "line 9: duplicate id 'c3' (first on line 5)"
    assert query(db, "select count(*) from raw.jsonl_checkpoint_ids") == [(5,)]


def test_a_body_that_is_not_text_is_named_precisely(tmp_path: Path, query) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(
        {"id": "nested", "title": "Nested", "body": {"text": "Body inside an object."}},
        {"id": "listed", "title": "Listed", "text": ["a", "b"]},
        {"id": "none", "title": "No body at all"},
    ) + b"\n")
    db = tmp_path / "w.duckdb"
    assert load_articles(feed, db).rejected == 3
    reasons = dict(query(db, "select source_path, reason from raw.load_errors"))
    assert reasons == {
        "feed.jsonl#nested": "line 1: 'body' is a JSON object, not text (needs a non-empty string 'body' or 'text')",
        "feed.jsonl#listed": "line 2: 'text' is a JSON array, not text (needs a non-empty string 'body' or 'text')",
        "feed.jsonl#none": "line 3: no body (needs a non-empty string 'body' or 'text')",
    }


def test_source_and_url_are_kept(tmp_path: Path, query) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(
        {"id": "1", "title": "One", "body": "Body one.", "source": "Rudaw", "url": "https://example.org/1"},
        {"id": "2", "title": "Two", "body": "Body two.", "source": {"id": "k24", "name": "Kurdistan24"}},
        {"id": "3", "title": "Three", "body": "Body three.", "source": 7, "url": "  "},
    ) + b"\n")
    db = tmp_path / "w.duckdb"
    load_articles(feed, db)
    assert query(db, "select source_path, source_name, url from raw.articles order by 1") == [
        ("feed.jsonl#1", "Rudaw", "https://example.org/1"), ("feed.jsonl#2", "Kurdistan24", None),
        ("feed.jsonl#3", None, None)]
