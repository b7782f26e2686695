"""Tests for scripts.build.load: decoding, rejection, idempotency, atomicity and the CLI."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.build.load import LoadError, RejectedFile, discovery, load_articles
from scripts.build.load import loader as la
from scripts.build.load.decoding import MOJIBAKE_HINT, decode_article

BBC_SAMPLE_CANDIDATES = (
    Path("/work/shared/corpora/bbc/sport/199.txt"),
    Path(__file__).resolve().parents[3] / "shared/corpora/bbc/sport/199.txt",
)


# --------------------------------------------------------------------------- decode_article


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Héllo — wörld\n".encode("utf-8"), "Héllo — wörld\n", "utf-8"),
        (b"\xef\xbb\xbfH\xc3\xa9llo", "Héllo", "utf-8-sig"),
        (b"\xff\xfe" + "Héllo £".encode("utf-16-le"), "Héllo £", "utf-16"),
        (b"\xfe\xff" + "Héllo £".encode("utf-16-be"), "Héllo £", "utf-16"),
        (b"\xff\xfe\x00\x00" + "Héllo".encode("utf-32-le"), "Héllo", "utf-32"),
        (b"\x00\x00\xfe\xff" + "Héllo".encode("utf-32-be"), "Héllo", "utf-32"),
        (b"\xa3300", "£300", "cp1252"),
        (b"Price \x80 5 \x93quoted\x94", "Price € 5 “quoted”", "cp1252"),
        (b"one\r\ntwo\rthree\n", "one\ntwo\nthree\n", "utf-8"),
        (b"\xef\xbb\xbf\xef\xbb\xbfdouble bom", "double bom", "utf-8-sig"),
        (b"tabs\tand\fform\vfeeds", "tabs\tand\fform\vfeeds", "utf-8"),
        (b"  keeps  spacing \n\n", "  keeps  spacing \n\n", "utf-8"),
    ],
)
def test_decode_article_good(data: bytes, text: str, encoding: str) -> None:
    assert decode_article(data) == (text, encoding)


def test_decode_article_falls_back_beyond_cp1252() -> None:
    # 0x81 and 0x8d are undefined in cp1252, so this is neither UTF-8 nor cp1252.
    data = "Привет, мир! Это проверка кодировки.".encode("cp866") + b"\x81\x8d"
    text, encoding = decode_article(data)
    assert text and encoding not in ("utf-8", "cp1252")


# Legacy files as an outlet's CMS writes them: (codec, text); each must read back exactly.
LEGACY_ARTICLES = {
    "cp1256": "وزارة الداخلية العراقية\n\nقال المتحدث باسم وزارة الداخلية إن القوات الأمنية انتشرت في شوارع "
              "المدينة صباح الاثنين. وأضاف أن الوضع هادئ وأن الحكومة تعمل على إعادة الخدمات إلى المناطق المتضررة.",
    "cp1251": "Министерство внутренних дел\n\nПредставитель министерства заявил, что силы безопасности были "
              "развернуты на улицах города в понедельник утром. Он добавил, что ситуация спокойная.",
    "latin-1": "Le ministère de l'Intérieur\n\nLe porte-parole du ministère a déclaré que les forces de sécurité "
               "étaient déployées dans les rues de la ville lundi matin. La situation était calme à Erbil.",
    "shift_jis": "内務省の発表\n\n内務省の報道官は、月曜日の朝、治安部隊が市内の通りに配備されたと述べた。"
                 "状況は落ち着いており、政府は被害を受けた地域へのサービス回復に取り組んでいると付け加えた。",
    "gb18030": "内政部发言人表示\n\n内政部发言人表示，周一上午安全部队已部署在城市街道上。他补充说，局势平静，"
               "政府正在努力恢复受影响地区的服务。谈判将于下周恢复。",
}
# The codec each is recorded under: latin-1 text reads the same in cp1252 (the Western default);
# charset-normalizer names Shift-JIS by its Microsoft superset.
LEGACY_RECORDED = {"cp1256": "cp1256", "cp1251": "cp1251", "latin-1": "cp1252", "shift_jis": "cp932",
                   "gb18030": "gb18030"}


@pytest.mark.parametrize("codec", sorted(LEGACY_ARTICLES))
def test_legacy_encodings_decode_to_their_script(codec: str) -> None:
    text = LEGACY_ARTICLES[codec]
    assert decode_article(text.encode(codec)) == (text, LEGACY_RECORDED[codec])


def test_western_cp1252_keeps_its_pound_signs() -> None:
    """charset-normalizer may answer cp1250 for Western text, where 0xA3 is `Ł`: cp1252 stays."""
    text = ("Transfer worth £8m agreed\n\nThe club paid £8m for the striker, said the café's owner, "
            "after a 12% rise. “It's fair,” he said; the fee rose from £6m.")
    assert decode_article(text.encode("cp1252")) == (text, "cp1252")


def test_bytes_no_codec_fits_are_rejected_with_a_reason() -> None:
    with pytest.raises(RejectedFile) as excinfo:
        decode_article(bytes(range(0x80, 0x100)) * 3 + b"abc")
    assert excinfo.value.reason.startswith("undecodable (neither UTF-8 nor any legacy encoding")


def test_an_uncertain_encoding_is_said_and_counted(articles_dir: Path, write_file, tmp_path: Path,
                                                  monkeypatch, query) -> None:
    """When the detector is not sure, the file loads, source_encoding says so, the summary counts it."""
    from scripts.build.load import decoding

    arabic = LEGACY_ARTICLES["cp1256"]
    monkeypatch.setattr(decoding, "CERTAIN_MAX_CHAOS", -1.0)  # nothing counts as sure
    write_file("arabic.txt", arabic.encode("cp1256"))
    write_file("plain.txt", "A title\n\nA body.")
    db = tmp_path / "w.duckdb"
    summary = load_articles(articles_dir, db, progress=False)
    assert (summary.loaded, summary.uncertain) == (2, 1)
    assert "1 loaded with an uncertain encoding" in summary.line()
    assert query(db, "select source_path, encoding, text from raw.articles order by 1") == [
        ("arabic.txt", "cp1256 (uncertain)", arabic), ("plain.txt", "utf-8", "A title\n\nA body.")]
    assert query(db, "select uncertain from raw.loads") == [(1,)]


def test_files_that_are_not_articles_are_counted_and_listed(articles_dir: Path, write_file, tmp_path: Path,
                                                           query) -> None:
    write_file("story.txt", "A title\n\nA body.")
    for name in ("page.html", "other/page.HTML", "index.html", "notes.md", "README"):
        write_file(name, "<p>not an article</p>")
    db = tmp_path / "w.duckdb"
    summary = load_articles(articles_dir, db, progress=False)
    assert (summary.loaded, summary.rejected) == (1, 0)
    assert summary.line().endswith("; skipped 3 .html, 1 .md, 1 no extension (not article files)")
    reasons = dict(query(db, "select source_path, reason from raw.load_errors"))
    assert sorted(reasons) == ["README", "index.html", "notes.md", "other/page.HTML", "page.html"]
    assert reasons["notes.md"].startswith("skipped: not an article file (.md); the loader reads .txt files")
    assert query(db, "select skipped from raw.loads") == [(5,)]
    load_articles(articles_dir, db, progress=False)
    assert query(db, "select count(*) from raw.load_errors") == [(5,)], "listed once, not at every load"


def test_prune_retracts_the_articles_whose_files_are_gone(articles_dir: Path, write_file, tmp_path: Path,
                                                         query) -> None:
    write_file("kept.txt", "Kept\n\nBody.")
    gone = write_file("gone.txt", "Gone\n\nBody.")
    write_file("feed.jsonl", '{"id": "a", "title": "A", "body": "Body a."}\n{"id": "b", "title": "B", "body": "Body b."}\n')
    db = tmp_path / "w.duckdb"
    load_articles(articles_dir, db, progress=False)
    gone.unlink()
    write_file("feed.jsonl", '{"id": "a", "title": "A", "body": "Body a."}\n')
    assert load_articles(articles_dir, db, progress=False).retracted == 0  # without --prune nothing goes
    assert query(db, "select count(distinct source_path) from raw.articles") == [(4,)]
    summary = load_articles(articles_dir, db, progress=False, prune=True)
    assert summary.retracted == 2 and "retracted 2 whose files are gone" in summary.line()
    assert query(db, "select distinct source_path from raw.articles order by 1") == [("feed.jsonl#a",), ("kept.txt",)]
    assert query(db, "select source_path, reason from raw.load_errors order by 1") == [
        ("feed.jsonl#b", "retracted: no longer in the input (build --prune)"),
        ("gone.txt", "retracted: no longer in the input (build --prune)")]


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\r\n  ", "only whitespace"),
        ("\u3000\u00a0".encode("utf-8"), "only whitespace"),
        (b"text\x00with nul", "binary file (NUL bytes)"),
        (b"\xff\xfe" + "a\x00b".encode("utf-16-le"), "binary file (NUL bytes)"),
        (b"ab\x01\x02cd" + b"x" * 50, "binary file (control characters)"),
        (gzip.compress(b"hello"), "compressed file (gzip)"),
        (_zip_bytes(), "compressed file (zip)"),
        (bz2.compress(b"hello"), "compressed file (bzip2)"),
        (lzma.compress(b"hello"), "compressed file (xz)"),
        (b"\x28\xb5\x2f\xfd\x00\x00", "compressed file (zstd)"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "compressed file (7z)"),
    ],
)
def test_decode_article_rejects(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedFile) as excinfo:
        decode_article(data)
    assert excinfo.value.reason == reason


def test_decode_article_text_starting_like_bzip2_is_text() -> None:
    assert decode_article(b"BZh is not always bzip2") == ("BZh is not always bzip2", "utf-8")


def test_decode_article_few_control_characters_are_kept() -> None:
    text = "x" * 200 + "\x1b"
    assert decode_article(text.encode()) == (text, "utf-8")


# --------------------------------------------------------------------------- loading a folder


GOOD_FILES: dict[str, tuple[bytes, str, str]] = {
    # source_path: (bytes, expected text, expected encoding)
    "plain.txt": ("Héllo wörld\n".encode(), "Héllo wörld\n", "utf-8"),
    "bom8.txt": (b"\xef\xbb\xbfwith bom", "with bom", "utf-8-sig"),
    "le16.txt": (b"\xff\xfe" + "little £".encode("utf-16-le"), "little £", "utf-16"),
    "be16.txt": (b"\xfe\xff" + "big £".encode("utf-16-be"), "big £", "utf-16"),
    "pound.txt": (b"\xa3300", "£300", "cp1252"),
    "crlf.txt": (b"a\r\nb\rc", "a\nb\nc", "utf-8"),
    "UPPER.TXT": (b"upper", "upper", "utf-8"),
    "Mixed.Txt": (b"mixed", "mixed", "utf-8"),
    "nested/deeper/inner.txt": (b"inner", "inner", "utf-8"),
    "nested/z.txt": (b"zed", "zed", "utf-8"),
}

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b" \n\t \r\n", "only whitespace"),
    "binary.txt": (b"abc\x00\x01\x02def", "binary file (NUL bytes)"),
    "packed.txt": (gzip.compress(b"some article"), "compressed file (gzip)"),
}


@pytest.fixture
def mixed_folder(articles_dir: Path, write_file) -> Path:
    for name, (data, _, _) in GOOD_FILES.items():
        write_file(name, data)
    for name, (data, _) in BAD_FILES.items():
        write_file(name, data)
    write_file("notes.md", "not an article")
    write_file("nested/readme.txt.bak", "not an article")
    (articles_dir / "folder.txt").mkdir()
    (articles_dir / "folder.txt" / "inside.txt").write_text("inside a folder named .txt")
    (articles_dir / "broken.txt").symlink_to(articles_dir / "does-not-exist")
    (articles_dir / "link.txt").symlink_to(articles_dir / "plain.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(articles_dir / "pipe.txt")
    return articles_dir


def _expected_errors(with_fifo: bool) -> dict[str, tuple[str, str | None]]:
    errors = {name: (reason, hashlib.sha256(data).hexdigest())
              for name, (data, reason) in BAD_FILES.items()}
    errors["folder.txt"] = ("not a regular file", None)
    errors["broken.txt"] = ("not a regular file", None)
    if with_fifo:
        errors["pipe.txt"] = ("not a regular file", None)
    return errors


def test_load_mixed_folder(mixed_folder: Path, tmp_path: Path, query) -> None:
    db = tmp_path / "new" / "dir" / "warehouse.duckdb"
    summary = load_articles(mixed_folder, db, progress=False)

    good = dict(GOOD_FILES)
    good["folder.txt/inside.txt"] = (b"inside a folder named .txt", "inside a folder named .txt",
                                     "utf-8")
    good["link.txt"] = GOOD_FILES["plain.txt"]
    errors = _expected_errors(hasattr(os, "mkfifo"))

    assert summary.load_id == 1
    assert (summary.loaded, summary.unchanged, summary.rejected) == (len(good), 0, len(errors))
    assert summary.files_seen == len(good) + len(errors)

    rows = query(db, "select source_path, content_sha256, byte_size, encoding, text, "
                     "published_at, load_id from raw.articles order by source_path")
    assert rows == sorted(
        (name, hashlib.sha256(data).hexdigest(), len(data), encoding, text, None, 1)
        for name, (data, text, encoding) in good.items()
    )
    error_rows = query(db, "select source_path, reason, content_sha256, load_id "
                           "from raw.load_errors where reason not like 'skipped:%' order by source_path")
    assert error_rows == sorted((name, reason, sha, 1) for name, (reason, sha) in errors.items())
    assert query(db, "select source_path from raw.load_errors where reason like 'skipped:%' order by 1") == [
        ("nested/readme.txt.bak",), ("notes.md",)]
    assert summary.skipped == {".bak": 1, ".md": 1}

    loads = query(db, "select load_id, input_path, files_seen, loaded, unchanged, rejected, "
                      "started_at <= finished_at from raw.loads")
    assert loads == [(1, str(mixed_folder.resolve()), summary.files_seen, len(good), 0,
                      len(errors), True)]


def test_loaded_at_is_one_naive_utc_value_per_load(articles_dir: Path, write_file,
                                                   tmp_path: Path, query) -> None:
    for i in range(5):
        write_file(f"a{i}.txt", f"article {i}")
    write_file("empty.txt", b"")
    db = tmp_path / "w.duckdb"
    before = datetime.now(timezone.utc).replace(tzinfo=None)
    load_articles(articles_dir, db, progress=False)
    after = datetime.now(timezone.utc).replace(tzinfo=None)
    stamps = query(db, "select distinct loaded_at from raw.articles "
                       "union select loaded_at from raw.load_errors")
    assert len(stamps) == 1
    assert before - timedelta(seconds=1) <= stamps[0][0] <= after
    types = dict(query(db, "select column_name, data_type from duckdb_columns() "
                           "where schema_name = 'raw' and table_name = 'articles'"))
    assert types["loaded_at"] == "TIMESTAMP" and types["published_at"] == "TIMESTAMP"


def test_unreadable_file_is_recorded(articles_dir: Path, write_file, tmp_path: Path,
                                     monkeypatch, query) -> None:
    write_file("ok.txt", "fine")
    secret = write_file("secret.txt", "locked")
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):
        if Path(path) == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(discovery.os, "open", fake_open)
    db = tmp_path / "w.duckdb"
    summary = load_articles(articles_dir, db, progress=False)
    assert (summary.loaded, summary.rejected) == (1, 1)
    assert query(db, "select source_path, reason, content_sha256 from raw.load_errors") == [
        ("secret.txt", "unreadable: Permission denied", None)]


def test_second_load_is_idempotent(mixed_folder: Path, tmp_path: Path, query) -> None:
    db = tmp_path / "w.duckdb"
    first = load_articles(mixed_folder, db, progress=False)
    articles = query(db, "select * from raw.articles order by all")
    errors = query(db, "select * from raw.load_errors order by all")

    second = load_articles(mixed_folder, db, progress=False)
    assert second.load_id == 2
    assert (second.loaded, second.unchanged, second.rejected) == (0, first.loaded, first.rejected)
    assert query(db, "select * from raw.articles order by all") == articles
    assert query(db, "select * from raw.load_errors order by all") == errors
    assert query(db, "select load_id, loaded, unchanged from raw.loads order by load_id") == [
        (1, first.loaded, 0), (2, 0, first.loaded)]


def test_changed_file_adds_a_new_version(articles_dir: Path, write_file, tmp_path: Path,
                                         query) -> None:
    write_file("story.txt", "first version")
    write_file("other.txt", "stays the same")
    db = tmp_path / "w.duckdb"
    load_articles(articles_dir, db, progress=False)
    write_file("story.txt", "second version")
    write_file("new.txt", "a new story")
    summary = load_articles(articles_dir, db, progress=False)

    assert (summary.loaded, summary.unchanged, summary.rejected) == (2, 1, 0)
    rows = query(db, "select source_path, text, load_id from raw.articles order by all")
    assert rows == [("new.txt", "a new story", 2), ("other.txt", "stays the same", 1),
                    ("story.txt", "first version", 1), ("story.txt", "second version", 2)]


def test_file_with_its_stored_size_and_mtime_is_not_read_again(articles_dir: Path, write_file,
                                                              tmp_path: Path, monkeypatch) -> None:
    write_file("a.txt", "alpha story")
    write_file("b.txt", "beta story")
    db = tmp_path / "w.duckdb"
    load_articles(articles_dir, db, progress=False)
    write_file("b.txt", "beta story, longer now")
    read = []
    original = la.read_file_bytes
    monkeypatch.setattr(la, "read_file_bytes", lambda path: read.append(path.name) or original(path))
    summary = load_articles(articles_dir, db, progress=False)
    assert (summary.loaded, summary.unchanged) == (1, 1)
    assert read == ["b.txt"]


def test_touched_file_is_hashed_once_then_skipped(articles_dir: Path, write_file, tmp_path: Path,
                                                  query, monkeypatch) -> None:
    path = write_file("a.txt", "alpha story")
    db = tmp_path / "w.duckdb"
    load_articles(articles_dir, db, progress=False)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    read = []
    original = la.read_file_bytes
    monkeypatch.setattr(la, "read_file_bytes", lambda p: read.append(p.name) or original(p))
    assert (load_articles(articles_dir, db, progress=False).unchanged, read) == (1, ["a.txt"])
    assert query(db, "select file_mtime_ns from raw.articles") == [(path.stat().st_mtime_ns,)]
    assert (load_articles(articles_dir, db, progress=False).unchanged, read) == (1, ["a.txt"])


def test_verify_content_finds_a_rewrite_that_kept_size_and_mtime(articles_dir: Path, write_file,
                                                                 tmp_path: Path, query) -> None:
    path = write_file("a.txt", "version one")
    db = tmp_path / "w.duckdb"
    load_articles(articles_dir, db, progress=False)
    stamp = path.stat().st_mtime_ns
    write_file("a.txt", "version two")  # same size
    os.utime(path, ns=(stamp, stamp))
    assert load_articles(articles_dir, db, progress=False).unchanged == 1  # trusted, like make
    summary = load_articles(articles_dir, db, progress=False, verify_content=True)
    assert (summary.loaded, summary.unchanged) == (1, 0)
    assert query(db, "select text from raw.articles order by load_id") == [("version one",), ("version two",)]


def test_many_batches_in_one_load(articles_dir: Path, write_file, tmp_path: Path,
                                  monkeypatch, query) -> None:
    monkeypatch.setattr(la, "BATCH_MAX_FILES", 3)
    for i in range(10):
        write_file(f"d{i % 3}/a{i:02}.txt", f"article {i}")
    write_file("d0/empty.txt", b"")
    write_file("d1/gone.txt", b"x").unlink()
    (articles_dir / "d1" / "gone.txt").symlink_to(articles_dir / "missing")
    db = tmp_path / "w.duckdb"
    first = load_articles(articles_dir, db, progress=True)
    assert (first.loaded, first.unchanged, first.rejected, first.files_seen) == (10, 0, 2, 12)
    write_file("d2/a02.txt", "changed")
    second = load_articles(articles_dir, db, progress=False)
    assert (second.loaded, second.unchanged, second.rejected) == (1, 9, 2)
    assert query(db, "select count(*) from raw.articles") == [(11,)]
    assert query(db, "select count(*) from raw.load_errors") == [(2,)]


def test_a_file_with_the_old_primary_key_is_rebuilt_without_it(mixed_folder: Path, tmp_path: Path,
                                                               query) -> None:
    """Earlier versions declared a primary key on raw.articles; every load then paid for rewriting
    its index at the checkpoint. Opening such a file drops the key and keeps every row."""
    db = tmp_path / "w.duckdb"
    load_articles(mixed_folder, db, progress=False)
    con = duckdb.connect(str(db))
    columns = con.execute("select column_name, data_type from duckdb_columns() "
                          "where schema_name = 'raw' and table_name = 'articles' order by column_index").fetchall()
    ddl = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    con.execute(f"create table raw.articles_old ({ddl}, primary key (source_path, content_sha256))")
    con.execute("insert into raw.articles_old select * from raw.articles")
    con.execute("drop table raw.articles")
    con.execute("alter table raw.articles_old rename to articles")
    con.close()
    rows = query(db, "select * from raw.articles order by all")
    assert query(db, "select count(*) from duckdb_constraints() where table_name = 'articles' "
                     "and constraint_type = 'PRIMARY KEY'") == [(1,)]

    second = load_articles(mixed_folder, db, progress=False)
    assert second.loaded == 0
    assert query(db, "select * from raw.articles order by all") == rows
    assert query(db, "select count(*) from duckdb_constraints() where table_name = 'articles' "
                     "and constraint_type = 'PRIMARY KEY'") == [(0,)]
    assert query(db, "select column_name from duckdb_columns() where schema_name = 'raw' "
                     "and table_name = 'articles' order by column_index") == [(name,) for name, _ in columns]


def test_find_input_files_walks_once_for_every_kind(articles_dir: Path, write_file) -> None:
    for name in ("a.txt", "b/feed.JSONL", "b/c.txt", "d.ndjson.gz", "notes.md"):
        write_file(name, "x")
    texts, feeds = discovery.find_input_files(articles_dir, (".txt",), (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"))
    assert [c.source_path for c in texts] == ["a.txt", "b/c.txt"]
    assert [c.source_path for c in feeds] == ["b/feed.JSONL", "d.ndjson.gz"]
    assert all(c.path == articles_dir / c.source_path for c in texts + feeds)
    assert all(c.file == str(articles_dir / c.source_path) for c in texts + feeds)


def test_sorted_posix_source_paths(articles_dir: Path, write_file) -> None:
    for name in ("b/2.txt", "a.txt", "b/1.TXT", "c/d/e.txt", "B.txt"):
        write_file(name, "x")
    found = [c.source_path for c in discovery.find_article_files(articles_dir)]
    assert found == sorted(found) == ["B.txt", "a.txt", "b/1.TXT", "b/2.txt", "c/d/e.txt"]


def test_failure_mid_load_keeps_previous_state(articles_dir: Path, write_file, tmp_path: Path,
                                               monkeypatch, query) -> None:
    for i in range(4):
        write_file(f"a{i}.txt", f"article {i}")
    write_file("empty.txt", b"")
    db = tmp_path / "w.duckdb"
    load_articles(articles_dir, db, progress=False)
    snapshot = [query(db, f"select * from raw.{t} order by all")
                for t in ("articles", "load_errors", "loads")]

    for i in range(4, 8):
        write_file(f"a{i}.txt", f"article {i}")
    write_file("a0.txt", "changed")
    write_file("blank.txt", "   ")
    real_read = la.read_file_bytes
    calls = 0

    def failing_read(path: Path) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk on fire")
        return real_read(path)

    monkeypatch.setattr(la, "BATCH_MAX_FILES", 2)  # the first batch is written before the error
    monkeypatch.setattr(la, "read_file_bytes", failing_read)
    with pytest.raises(RuntimeError, match="disk on fire"):
        load_articles(articles_dir, db, progress=False)

    assert [query(db, f"select * from raw.{t} order by all")
            for t in ("articles", "load_errors", "loads")] == snapshot
    monkeypatch.setattr(la, "read_file_bytes", real_read)
    summary = load_articles(articles_dir, db, progress=False)
    assert (summary.load_id, summary.loaded, summary.unchanged) == (2, 5, 3)


KILL_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import scripts.build.load.loader as la

    la.BATCH_MAX_FILES = 50
    real_insert = la.Recorder.insert_articles
    calls = 0

    def insert_then_hang(self, rows):
        global calls
        count = real_insert(self, rows)
        calls += 1
        if calls == 2:  # two batches written inside the open transaction
            Path(sys.argv[3]).write_text("ready")
            time.sleep(60)
        return count

    la.Recorder.insert_articles = insert_then_hang
    la.load_articles(Path(sys.argv[1]), Path(sys.argv[2]), progress=False)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_load_leaves_only_complete_loads(articles_dir: Path, write_file,
                                                     tmp_path: Path, repo_root: Path,
                                                     query) -> None:
    for i in range(20):
        write_file(f"first/{i:03}.txt", f"first load article {i}")
    db = tmp_path / "w.duckdb"
    first = load_articles(articles_dir, db, progress=False)
    for i in range(300):
        write_file(f"second/{i:03}.txt", f"second load article {i} " * 20)

    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_CHILD, str(articles_dir), str(db), str(ready)],
        cwd=repo_root, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while not ready.exists():
            assert child.poll() is None, child.stderr.read().decode()
            assert time.monotonic() < deadline, "the loader never reached the second batch"
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=10)
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    assert query(db, "select load_id, loaded from raw.loads") == [(1, first.loaded)]
    assert query(db, "select count(*), max(load_id) from raw.articles") == [(20, 1)]
    summary = load_articles(articles_dir, db, progress=False)
    assert (summary.load_id, summary.loaded, summary.unchanged) == (2, 300, 20)
    assert not list(db.parent.glob("*.wal"))


# --------------------------------------------------------------------------- errors and CLI


def test_missing_or_non_folder_input(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="does not exist"):
        load_articles(tmp_path / "nope", tmp_path / "w.duckdb")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(LoadError, match="neither a folder nor a JSON Lines file"):
        load_articles(tmp_path / "file.txt", tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()


def _run_cli(repo_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scripts.build.load", *args], cwd=repo_root,
                          capture_output=True, text=True, timeout=60)


def test_cli_help(repo_root: Path) -> None:
    result = _run_cli(repo_root, "--help")
    assert result.returncode == 0
    assert "--articles" in result.stdout and "--db" in result.stdout


def test_cli_missing_folder_exits_2(repo_root: Path, tmp_path: Path) -> None:
    result = _run_cli(repo_root, "--articles", str(tmp_path / "nope"),
                      "--db", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0]


def test_cli_db_is_a_folder_exits_2(repo_root: Path, articles_dir: Path, write_file,
                                    tmp_path: Path) -> None:
    write_file("a.txt", "x")
    result = _run_cli(repo_root, "--articles", str(articles_dir), "--db", str(tmp_path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_cli_loads_and_logs_summary(repo_root: Path, articles_dir: Path, write_file,
                                    tmp_path: Path) -> None:
    write_file("a.txt", "x")
    write_file("b.txt", b"")
    db = tmp_path / "w.duckdb"
    result = _run_cli(repo_root, "--articles", str(articles_dir), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"loaded 1, unchanged 0, rejected 1 (of 2 inputs: files or JSON lines) into {db}" in result.stderr
    quiet = _run_cli(repo_root, "--articles", str(articles_dir), "--db", str(db), "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""


def _bbc_sample() -> Path | None:
    return next((p for p in BBC_SAMPLE_CANDIDATES if p.is_file()), None)


@pytest.mark.skipif(_bbc_sample() is None, reason="shared BBC corpus not available")
def test_bbc_cp1252_sample(tmp_path: Path) -> None:
    data = _bbc_sample().read_bytes()
    text, encoding = decode_article(data)
    assert encoding == "cp1252"
    assert "£" in text and "\r" not in text


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_decode_article_never_fails_unexpectedly(data: bytes) -> None:
    try:
        text, encoding = decode_article(data)
    except RejectedFile as rejected:
        assert rejected.reason
    else:
        assert text.strip() and encoding
        assert "\r" not in text and "\x00" not in text and not text.startswith("\ufeff")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_decode_article_round_trips_utf8(text: str) -> None:
    # Text with the byte pattern of mojibake (`Â\xa0`) is ftfy's to judge: see the repair tests.
    if not text.strip() or text.startswith("\ufeff") or MOJIBAKE_HINT.search(text):
        return
    assert decode_article(text.encode("utf-8")) == (text, "utf-8")


@pytest.mark.parametrize(("broken", "fixed"), [
    ("Iraqâ€™s interior ministry", "Iraq’s interior ministry"),
    ("the situation is â€œcalmâ€\x9d", "the situation is “calm”"),
    ("CafÃ© owners in ZÃ¼rich", "Café owners in Zürich"),
])
def test_mojibake_is_repaired_and_marked(broken: str, fixed: str) -> None:
    assert decode_article(broken.encode("utf-8")) == (fixed, "utf-8+ftfy")


@pytest.mark.parametrize("clean", ["Café “fine” in Zürich — naïve", "£300, 5€ and ¥20", "Ål and Ñandú"])
def test_clean_text_is_not_touched_by_mojibake_repair(clean: str) -> None:
    assert decode_article(clean.encode("utf-8")) == (clean, "utf-8")
