"""Hostile input suite: whatever a scraper leaves behind, each file either loads correctly or is listed
in load_errors with a reason, the build finishes, and nothing good is lost. All files are made here.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.build.pipeline import build

ROOT = Path(__file__).resolve().parents[2]

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

# Legacy encodings an outlet's CMS may write (name -> codec, text, codec recorded); each must read as its
# own script, not as cp1252 mojibake (`æÒÇÑÉ ÇáÏÇÎáíÉ` for Arabic).
LEGACY: dict[str, tuple[str, str, str]] = {
    "arabic cp1256.txt": ("cp1256", "وزارة الداخلية العراقية\n\nقال المتحدث باسم وزارة الداخلية إن القوات "
                          "الأمنية انتشرت في شوارع المدينة صباح الاثنين، وأضاف أن الوضع هادئ.", "cp1256"),
    "russian cp1251.txt": ("cp1251", "Министерство внутренних дел\n\nПредставитель министерства заявил, что "
                           "силы безопасности развернуты на улицах города.", "cp1251"),
    "french latin-1.txt": ("latin-1", "Le ministère de l'Intérieur\n\nLe porte-parole a déclaré que la "
                           "sécurité était assurée à Erbil lundi.", "cp1252"),
    "japanese shift_jis.txt": ("shift_jis", "内務省の発表\n\n内務省の報道官は、月曜日の朝、治安部隊が市内の"
                               "通りに配備されたと述べた。状況は落ち着いている。", "cp932"),
    "chinese gb18030.txt": ("gb18030", "内政部发言人表示\n\n内政部发言人表示，周一上午安全部队已部署在城市街道上。"
                            "他补充说，局势平静，政府正在努力恢复服务。", "gb18030"),
}
for _name, (_codec, _text, _) in LEGACY.items():
    GOOD[_name] = (_text.encode(_codec), _text.split("\n")[0])

# Files in the folder that are not articles: skipped, counted, listed in load_errors.
NOT_ARTICLES = {"page.html": "<html><p>Not an article</p></html>", "notes.md": "# Notes", "sub/index.HTML": "<p>x</p>"}

# name -> reason prefix of files that must be rejected.
BAD: dict[str, str] = {
    "empty.txt": "empty file",
    "blank.txt": "only whitespace",
    "binary.txt": "binary file",
    "controls.txt": "binary file",
    "gzipped.txt": "compressed file (gzip)",
    "folder.txt": "not a regular file",
    "broken link.txt": "not a regular file",
    "undecodable.txt": "undecodable (neither UTF-8 nor any legacy encoding",
    **{name: f"skipped: not an article file ({Path(name).suffix.lower()})" for name in NOT_ARTICLES},
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
    (root / "undecodable.txt").write_bytes(bytes(range(0x80, 0x100)) * 3 + b"abc")
    for name, text in NOT_ARTICLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    lines = [json.dumps({"id": "ok", "title": "Feed story", "body": BODY, "source": "Rudaw",
                         "url": "https://example.org/ok"}), "{broken json", "[1, 2]",
             json.dumps({"id": "nobody", "title": "No body"}), json.dumps({"title": "Second", "text": BODY}),
             json.dumps({"id": "nested", "title": "Nested", "body": {"text": BODY}}),
             json.dumps({"id": "outlet", "title": "Other outlet", "body": BODY, "source": {"name": "Kurdistan24"}})]
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
    expected_good = set(GOOD) | {"folder.txt/inside.txt", "feed.jsonl#ok", "feed.jsonl#5", "feed.jsonl#outlet"}
    assert loaded == expected_good
    assert set(BAD) <= rejected
    assert {"feed.jsonl#2", "feed.jsonl#3", "feed.jsonl#nobody", "feed.jsonl#nested"} <= rejected


def test_encodings_are_recorded(con) -> None:
    encodings = dict(con.execute("select source_path, source_encoding from marts.articles").fetchall())
    assert encodings["utf8.txt"] == "utf-8"
    assert encodings["utf8 bom.txt"] == "utf-8-sig"
    assert encodings["utf16le.txt"] == encodings["utf16be.txt"] == "utf-16"
    assert encodings["cp1252.txt"] == "cp1252"
    assert encodings["mojibake.txt"] == "utf-8+ftfy"
    for name, (_, _, recorded) in LEGACY.items():
        assert encodings[name] == recorded, name


def test_legacy_encodings_read_as_their_script(con) -> None:
    """Title, body and paragraphs of each legacy file are its own text, character for character."""
    bodies = dict(con.execute("select source_path, body_text from marts.articles").fetchall())
    for name, (_, text, _) in LEGACY.items():
        assert bodies[name].strip() == text.split("\n\n", 1)[1], name


def test_json_lines_source_and_url_reach_the_marts(con) -> None:
    rows = {r[0]: r[1:] for r in con.execute("select source_path, source_name, url from marts.articles").fetchall()}
    assert rows["feed.jsonl#ok"] == ("Rudaw", "https://example.org/ok")
    assert rows["feed.jsonl#outlet"] == ("Kurdistan24", None)
    assert rows["utf8.txt"] == (None, None)
    [reason] = con.execute("select rejection_reason from marts.load_errors where source_path = 'feed.jsonl#nested'"
                           ).fetchone()
    assert reason == "line 6: 'body' is a JSON object, not text (needs a non-empty string 'body' or 'text')"


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


def _run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.build", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "DO_NOT_TRACK": "1"})


def test_a_published_file_that_is_not_duckdb_is_one_line(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    (warehouse / "news.duckdb").write_text("<html>a web page saved under the warehouse's name</html>")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = _run_build("--articles", str(inputs), "--warehouse", str(warehouse))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "news.duckdb is not a DuckDB database" in line and "move it out of the warehouse folder" in line, line
    assert "Traceback" not in result.stdout + result.stderr


def test_prune_retracts_articles_whose_files_are_gone_from_the_marts(tmp_path: Path) -> None:
    """`make build PRUNE=1`: articles whose files were deleted leave every mart and are listed as retracted;
    without it they stay (the default keeps what was loaded)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "kept.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "gone.txt").write_text('Gone story\n\n"We will leave," the minister said.\n', encoding="utf-8")
    warehouse = tmp_path / "wh"
    build(inputs, warehouse)
    (inputs / "gone.txt").unlink()
    build(inputs, warehouse)
    published = warehouse / "news.duckdb"

    def marts(sql: str) -> list[tuple]:
        with duckdb.connect(str(published), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    assert marts("select source_path from marts.articles order by 1") == [("gone.txt",), ("kept.txt",)]
    result = _run_build("--articles", str(inputs), "--warehouse", str(warehouse), "--prune")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 article retracted (their files are gone)" in result.stderr
    assert marts("select source_path from marts.articles") == [("kept.txt",)]
    assert marts("select count(*) from marts.quotes q join marts.paragraphs p using (paragraph_id) "
                 "where p.article_id not in (select article_id from marts.articles)") == [(0,)]
    assert marts("select count(*) from marts.paragraphs where article_id not in "
                 "(select article_id from marts.articles)") == [(0,)]
    assert marts("select rejection_reason from marts.load_errors where source_path = 'gone.txt'") == [
        ("retracted: no longer in the input (build --prune)",)]
