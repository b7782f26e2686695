"""Hostile input suite: whatever a scraper leaves behind, each file either loads correctly or is listed
in load_errors with a reason, the build finishes, and nothing good is lost. All files are made here.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import duckdb
import pytest

from scripts.build.pipeline import build

TITLE = "Border talks resume"
BODY = "Officials from both countries met on Monday to discuss the crossing.\nThey agreed to meet again."
ARTICLE = f"{TITLE}\n\n{BODY}\n"

# name -> bytes of files that must load, with the title they must have.
GOOD: dict[str, tuple[bytes, str]] = {
    "utf8.txt": (ARTICLE.encode("utf-8"), TITLE),
    "utf8 bom.txt": (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), TITLE),
    "utf16le.txt": (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), TITLE),
    "utf16be.txt": (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), TITLE),
    "utf32.txt": (codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"), TITLE),
    "cp1252.txt": ("Price of £300 “agreed”\n\nThe fee was £300.".encode("cp1252"), "Price of £300 “agreed”"),
    "crlf.txt": (ARTICLE.replace("\n", "\r\n").encode(), TITLE),
    "lone cr.txt": (ARTICLE.replace("\n", "\r").encode(), TITLE),
    "mixed endings.txt": (f"{TITLE}\r\n\r\nOne line.\rTwo line.\nThree line.".encode(), TITLE),
    "mojibake.txt": ("Iraqâ€™s border\n\nIraqâ€™s forces are on alert.".encode("utf-8"), "Iraq’s border"),
    "quote's \"name\".txt": (ARTICLE.encode(), TITLE),
    "日本語の記事.txt": ("東京で会議\n\n会議は月曜日に開かれた。".encode(), "東京で会議"),
    "مقالة.txt": ("محادثات الحدود\n\nالتقى المسؤولون يوم الاثنين.".encode(), "محادثات الحدود"),
    "UPPER CASE.TXT": (ARTICLE.encode(), TITLE),
    "-dash.leading.txt": (ARTICLE.encode(), TITLE),
    "nested/deeper/article.txt": (ARTICLE.encode(), TITLE),
    "title only.txt": (b"Only a headline here\n", "Only a headline here"),
    "leading blank lines.txt": (b"\n\n   \n" + ARTICLE.encode(), TITLE),
    "nbsp and tabs.txt": (f"\u00a0{TITLE}\t\n\u00a0\n\t{BODY}\u00a0\n".encode(), TITLE),
    "huge paragraph.txt": (("Huge story\n\n" + "word " * 700_000 + "end.").encode(), "Huge story"),
    "unbalanced quotes.txt": (("Quote storm\n\n" + "“open and never closed " * 30_000 + "\n"
                               + "\" stray straight " * 20_000 + "\nA last normal line.").encode(), "Quote storm"),
}

# name -> reason prefix of files that must be rejected.
BAD: dict[str, str] = {
    "empty.txt": "empty file",
    "blank.txt": "only whitespace",
    "binary.txt": "binary file",
    "controls.txt": "binary file",
    "gzipped.txt": "compressed file (gzip)",
    "folder.txt": "not a regular file",
    "broken link.txt": "not a regular file",
}


def _make_inputs(root: Path) -> None:
    for name, (data, _) in GOOD.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(" \n\t\n\u00a0\n".encode())
    (root / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (root / "controls.txt").write_bytes(b"Title\n" + b"\x01\x02\x03\x04abc" * 200)
    (root / "gzipped.txt").write_bytes(gzip.compress(ARTICLE.encode()))
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inside.txt").write_bytes(ARTICLE.encode())  # a good file in a folder named like a file
    os.symlink(root / "missing-target.txt.nope", root / "broken link.txt")
    lines = [json.dumps({"id": "ok", "title": "Feed story", "body": BODY}), "{broken json", "[1, 2]",
             json.dumps({"id": "nobody", "title": "No body"}), json.dumps({"title": "Second", "text": BODY})]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    inputs = root / "in"
    inputs.mkdir()
    _make_inputs(inputs)
    build(inputs, root / "warehouse")
    return root / "warehouse" / "news.duckdb"


@pytest.fixture(scope="module")
def con(published: Path):
    connection = duckdb.connect(str(published), read_only=True)
    yield connection
    connection.close()


def test_every_good_file_loads_with_its_title(con) -> None:
    titles = dict(con.execute("select source_path, title from marts.articles").fetchall())
    for name, (_, title) in GOOD.items():
        assert titles.get(name) == title, name
    assert titles.get("folder.txt/inside.txt") == TITLE


def test_every_bad_file_is_listed_with_a_reason(con) -> None:
    reasons = dict(con.execute("select source_path, rejection_reason from marts.load_errors").fetchall())
    for name, reason in BAD.items():
        assert reasons.get(name, "").startswith(reason), (name, reasons.get(name))


def test_nothing_is_lost_or_invented(con) -> None:
    loaded = {r[0] for r in con.execute("select source_path from marts.articles").fetchall()}
    rejected = {r[0] for r in con.execute("select source_path from marts.load_errors").fetchall()}
    expected_good = set(GOOD) | {"folder.txt/inside.txt", "feed.jsonl#ok", "feed.jsonl#5"}
    assert loaded == expected_good
    assert set(BAD) <= rejected
    assert {"feed.jsonl#2", "feed.jsonl#3", "feed.jsonl#nobody"} <= rejected


def test_encodings_are_recorded(con) -> None:
    encodings = dict(con.execute("select source_path, source_encoding from marts.articles").fetchall())
    assert encodings["utf8.txt"] == "utf-8"
    assert encodings["utf8 bom.txt"] == "utf-8-sig"
    assert encodings["utf16le.txt"] == encodings["utf16be.txt"] == "utf-16"
    assert encodings["cp1252.txt"] == "cp1252"
    assert encodings["mojibake.txt"] == "utf-8+ftfy"


def test_line_endings_and_odd_whitespace_give_clean_paragraphs(con) -> None:
    rows = con.execute("""
        select a.source_path, list(p.paragraph_text order by p.paragraph_index)
        from marts.articles a join marts.paragraphs p using (article_id)
        where a.source_path in ('crlf.txt', 'lone cr.txt', 'mixed endings.txt', 'nbsp and tabs.txt')
        group by 1
    """).fetchall()
    paragraphs = dict(rows)
    expected = BODY.split("\n")
    assert paragraphs["crlf.txt"] == expected
    assert paragraphs["lone cr.txt"] == expected
    assert paragraphs["nbsp and tabs.txt"] == expected
    assert paragraphs["mixed endings.txt"] == ["One line.", "Two line.", "Three line."]
    assert con.execute("select count(*) from marts.paragraphs where paragraph_text like '%' || chr(13) || '%'"
                       ).fetchone()[0] == 0


def test_huge_paragraph_and_quote_storm_are_kept_whole(con) -> None:
    rows = dict(con.execute("""
        select a.source_path, a.paragraph_count from marts.articles a
        where a.source_path in ('huge paragraph.txt', 'unbalanced quotes.txt', 'title only.txt')
    """).fetchall())
    assert rows == {"huge paragraph.txt": 1, "unbalanced quotes.txt": 3, "title only.txt": 0}
    longest = con.execute("select max(length(paragraph_text)) from marts.paragraphs").fetchone()[0]
    assert longest >= 3_500_000
