"""Load raw news articles (.txt files) from a folder into the DuckDB warehouse.

Every file becomes either a row of ``raw.articles`` (decoded text plus its content hash) or a row
of ``raw.load_errors`` (with the reason it was rejected); each run adds one row to ``raw.loads``.
Loading is idempotent: a file whose (source_path, content_sha256) is already stored is counted as
unchanged and adds nothing, and a changed file adds a new version row. A file whose size and
modification time (nanoseconds) equal those recorded for its newest version is counted as unchanged
without being read, as make and rsync do; ``--verify-content`` reads and hashes every file anyway.
A whole load is one transaction, so a failure or a kill mid-load leaves the previous committed
state intact.

Run from the repository root::

    python -m scripts.load_articles --articles data/articles --db warehouse/.build/news_build.duckdb
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from scripts.failpoints import failpoint
from scripts.jsonl_articles import JSONL_SUFFIXES, JsonlArticle, JsonlCheckpoint, JsonlScan, is_jsonl
from scripts.logs import configure_logging
from scripts.storage import connect_build_file

log = logging.getLogger("load_articles")

ARTICLE_SUFFIX = ".txt"
BATCH_MAX_FILES = 5_000
BATCH_MAX_BYTES = 200 * 1024 * 1024
PROGRESS_MIN_FILES = 1_000
CONTROL_CHAR_MAX_RATIO = 0.01

SCHEMA_SQL = """
create schema if not exists raw;
create table if not exists raw.articles (
    source_path VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    byte_size BIGINT NOT NULL,
    encoding VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    published_at TIMESTAMP,
    load_id BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
create table if not exists raw.load_errors (
    source_path VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    content_sha256 VARCHAR,
    load_id BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
create table if not exists raw.loads (
    load_id BIGINT primary key,
    input_path VARCHAR,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    files_seen BIGINT,
    loaded BIGINT,
    unchanged BIGINT,
    rejected BIGINT
);
alter table raw.articles add column if not exists file_mtime_ns BIGINT;
create table if not exists raw.jsonl_checkpoints (
    label VARCHAR NOT NULL,
    load_id BIGINT NOT NULL,
    prefix_bytes BIGINT NOT NULL,
    prefix_sha256 VARCHAR NOT NULL,
    lines BIGINT NOT NULL,
    articles BIGINT NOT NULL,
    errors BIGINT NOT NULL
);
create table if not exists raw.jsonl_checkpoint_ids (
    label VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    line BIGINT NOT NULL
);
"""

# Column types of the newline-delimited JSON batch file read back by read_json().
ARTICLE_JSON_COLUMNS = (
    "{source_path: 'VARCHAR', content_sha256: 'VARCHAR', byte_size: 'BIGINT', "
    "encoding: 'VARCHAR', text: 'VARCHAR', published_at: 'TIMESTAMP', file_mtime_ns: 'BIGINT'}"
)

# (magic bytes, format name); checked against the start of each file.
COMPRESSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
BZIP2_BLOCK_MAGIC = (b"\x31\x41\x59\x26\x53\x59", b"\x17\x72\x45\x38\x50\x90")

# BOMs in the order they must be tested (UTF-32 LE starts with the UTF-16 LE BOM).
UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
UTF8_BOM = b"\xef\xbb\xbf"
# C0 controls other than tab, newline, vertical tab and form feed (CR is already normalised away).
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\r]")
# A lead byte of a UTF-8 sequence seen through cp1252/latin-1 followed by a continuation byte seen the
# same way (`â€™` for `’`, `Ã©` for `é`): text that may be mojibake. Only such text is given to ftfy.
MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


class LoadError(Exception):
    """An expected failure the user can fix (bad arguments, locked database...)."""


class RejectedFile(Exception):
    """A file that cannot be loaded as an article; ``reason`` goes to raw.load_errors."""

    def __init__(self, reason: str, content_sha256: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.content_sha256 = content_sha256


@dataclass(frozen=True)
class Candidate:
    """A file found in the input folder."""

    source_path: str  # relative to the input folder, POSIX separators
    file: str  # its path on disk (a str: building 100,000 Path objects took about a second)

    @property
    def path(self) -> Path:
        return Path(self.file)


@dataclass
class LoadSummary:
    load_id: int
    loaded: int = 0
    unchanged: int = 0
    rejected: int = 0
    files_seen: int = 0


@dataclass
class _ReadFile:
    candidate: Candidate
    data: bytes
    content_sha256: str
    mtime_ns: int | None = None


# --------------------------------------------------------------------------- walking


def find_article_files(root: Path, suffix: str = ARTICLE_SUFFIX) -> list[Candidate]:
    """Every entry under ``root`` whose name ends in ``suffix`` (any case), sorted by source_path.

    Directories are walked recursively without following symlinked directories. Entries that are
    not regular files (directories, FIFOs, broken symlinks) are returned too so that the loader
    can record them as rejected.
    """
    return find_input_files(root, (suffix,))[0]


def find_input_files(root: Path, *suffix_groups: Sequence[str]) -> list[list[Candidate]]:
    """One walk of ``root``: for each group of suffixes, the entries whose name ends in one of them
    (any case), sorted by source_path. An entry goes to the first group it matches."""
    groups = [tuple(suffix.lower() for suffix in group) for group in suffix_groups]
    found: list[list[Candidate]] = [[] for _ in groups]
    for dirpath, dirnames, filenames in os.walk(root, onerror=_log_walk_error):
        dirnames.sort()
        relative = os.path.relpath(dirpath, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        # os.path.join(dirpath, name) for a plain entry name, without its per-call checks (a tenth
        # of a second over 100,000 files, on the way to dbt's start).
        base = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        for name in (*dirnames, *filenames):
            lowered = name.lower()
            for group, suffixes in zip(found, groups):
                if lowered.endswith(suffixes):
                    group.append(Candidate(prefix + name, base + name))
                    break
    for group in found:
        group.sort(key=lambda c: c.source_path)
    return found


def _log_walk_error(error: OSError) -> None:
    log.warning("cannot list %s: %s", error.filename, error.strerror or error)


# --------------------------------------------------------------------------- reading


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file; RejectedFile for anything else or an unreadable file."""
    try:
        # O_NONBLOCK: opening a FIFO must never hang the load; fstat then tells what we opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise RejectedFile("not a regular file") from None  # broken symlink or vanished file
    except IsADirectoryError:
        raise RejectedFile("not a regular file") from None
    except OSError as exc:
        if path.is_dir() or (path.exists() and not path.is_file()):
            raise RejectedFile("not a regular file") from None
        raise RejectedFile(f"unreadable: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise RejectedFile("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as exc:
        raise RejectedFile(f"unreadable: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- decoding


def compression_format(data: bytes) -> str | None:
    """The name of the compression/archive format ``data`` starts with, if any."""
    for magic, name in COMPRESSED_MAGIC:
        if data.startswith(magic):
            return name
    # "BZh" alone is plausible text, so also require the block size digit and block magic.
    if data[:3] == b"BZh" and data[3:4].isdigit() and data[4:10] in BZIP2_BLOCK_MAGIC:
        return "bzip2"
    return None


def decode_article(data: bytes) -> tuple[str, str]:
    """Decode the bytes of one article into (text, encoding name) or raise RejectedFile."""
    if not data:
        raise RejectedFile("empty file")
    compressed = compression_format(data)
    if compressed:
        raise RejectedFile(f"compressed file ({compressed})")
    text, encoding = _decode_bytes(data)
    text = _check_text(text)
    repaired = repair_mojibake(text)
    if repaired != text:
        return repaired, f"{encoding}+ftfy"
    return text, encoding


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252/latin-1 (`Iraqâ€™s` -> `Iraq’s`) where ftfy is sure; else unchanged.

    Only ftfy's encoding fix is applied (no quote or width changes), and only to text that shows the
    byte pattern of mojibake, so clean text is never touched and costs one regex search.
    """
    if not MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # imported lazily: only mojibake needs it

    return ftfy.fix_encoding(text)


def _decode_bytes(data: bytes) -> tuple[str, str]:
    for bom, codec in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                if codec == "utf-32":
                    continue  # e.g. UTF-16 LE whose first character is U+0000
                raise RejectedFile(f"undecodable ({codec} BOM but invalid {codec})") from None
    if data.startswith(UTF8_BOM):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            raise RejectedFile("undecodable (utf-8 BOM but invalid utf-8)") from None
    if b"\x00" in data:
        raise RejectedFile("binary file (NUL bytes)")
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    return _guess_legacy_encoding(data)


def _guess_legacy_encoding(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported lazily: slow import, rarely needed

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"


def _check_text(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise RejectedFile("binary file (NUL bytes)")
    controls = len(CONTROL_CHARS.findall(text))
    if controls > CONTROL_CHAR_MAX_RATIO * len(text):
        raise RejectedFile("binary file (control characters)")
    if not text.strip():
        raise RejectedFile("only whitespace")
    return text


# --------------------------------------------------------------------------- recording


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse file with the raw schema in place."""
    if db_path.is_dir():
        raise LoadError(f"--db {db_path} is a folder; pass the path of a .duckdb file")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = connect_build_file(db_path)
    except duckdb.IOException as exc:
        raise LoadError(
            f"cannot open {db_path}: {_first_line(exc)} "
            "(close any other program using it, e.g. dbt or a DuckDB shell, and retry)"
        ) from None
    except (duckdb.Error, OSError) as exc:
        raise LoadError(f"cannot open {db_path}: {_first_line(exc)}") from None
    try:
        con.execute(SCHEMA_SQL)
        _drop_articles_primary_key(con)
    except duckdb.Error:
        con.close()
        raise
    return con


def _drop_articles_primary_key(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild raw.articles without the primary key that earlier versions declared on it.

    DuckDB rewrites a table's whole index at every checkpoint that follows a change to the table:
    with 100,000 articles that was 2.3 s of every load, however few articles it added. The loader
    never inserts a stored (source_path, content_sha256) pair again (existing_keys), and the dbt
    source test unique_combination checks it at every build. DuckDB cannot drop a primary key in
    place, so the table is copied once.
    """
    has_key = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'raw' "
        "and table_name = 'articles' and constraint_type = 'PRIMARY KEY'").fetchone()[0]
    if not has_key:
        return
    log.info("rebuilding raw.articles without its primary key (once, for faster loads)")
    columns = [r[0] for r in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = 'articles' "
        "order by column_index").fetchall()]
    names = ", ".join(f'"{c}"' for c in columns)
    con.execute("begin transaction")
    try:
        con.execute("alter table raw.articles rename to articles_with_key")
        con.execute(SCHEMA_SQL)
        con.execute(f"insert into raw.articles ({names}) select {names} from raw.articles_with_key")
        con.execute("drop table raw.articles_with_key")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Recorder:
    """Writes one load's rows inside the caller's transaction, a batch at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, load_id: int, loaded_at: datetime,
                 tmp_dir: Path) -> None:
        self.con = con
        self.load_id = load_id
        self.loaded_at = loaded_at
        self.tmp_dir = tmp_dir

    def existing_keys(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """The subset of (source_path, content_sha256) pairs already in raw.articles."""
        if not keys:
            return set()
        rows = self.con.execute(
            """
            select a.source_path, a.content_sha256
            from raw.articles a
            join (select unnest($1::varchar[]) as source_path,
                         unnest($2::varchar[]) as content_sha256) k
              using (source_path, content_sha256)
            """,
            [[k[0] for k in keys], [k[1] for k in keys]],
        ).fetchall()
        return {(r[0], r[1]) for r in rows}

    def known_file_stats(self) -> dict[str, tuple[int, int]]:
        """source_path -> (byte_size, file_mtime_ns) of the newest stored version of each file."""
        rows = self.con.execute(
            """
            select source_path, byte_size, file_mtime_ns
            from raw.articles
            where file_mtime_ns is not null
            qualify row_number() over (partition by source_path order by loaded_at desc, load_id desc) = 1
            """
        ).fetchall()
        return {path: (size, mtime) for path, size, mtime in rows}

    def record_mtimes(self, keys: Sequence[tuple[str, str, int | None]]) -> None:
        """Remember the modification time of files found unchanged by their content hash."""
        keys = [k for k in keys if k[2] is not None]
        if not keys:
            return
        self.con.execute(
            """
            update raw.articles as a
            set file_mtime_ns = k.file_mtime_ns
            from (select unnest($1::varchar[]) as source_path, unnest($2::varchar[]) as content_sha256,
                         unnest($3::bigint[]) as file_mtime_ns) as k
            where a.source_path = k.source_path and a.content_sha256 = k.content_sha256
            """,
            [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
        )

    def jsonl_checkpoint(self, label: str) -> JsonlCheckpoint | None:
        """How far the last load read the JSON Lines file named ``label`` (None: never read)."""
        row = self.con.execute(
            "select prefix_bytes, prefix_sha256, lines, articles, errors from raw.jsonl_checkpoints "
            "where label = $1", [label]).fetchone()
        if row is None:
            return None
        ids = self.con.execute("select key, line from raw.jsonl_checkpoint_ids where label = $1",
                               [label]).fetchall()
        return JsonlCheckpoint(row[0], row[1], row[2], row[3], row[4], dict(ids))

    def save_jsonl_checkpoint(self, label: str, checkpoint: JsonlCheckpoint, after_line: int = 0) -> None:
        """Store ``checkpoint``; the ids of lines up to ``after_line`` are stored already (a resumed read)."""
        self.con.execute("delete from raw.jsonl_checkpoints where label = $1", [label])
        self.con.execute(
            "insert into raw.jsonl_checkpoints values ($1, $2, $3, $4, $5, $6, $7)",
            [label, self.load_id, checkpoint.prefix_bytes, checkpoint.prefix_sha256, checkpoint.lines,
             checkpoint.articles, checkpoint.errors])
        self.con.execute("delete from raw.jsonl_checkpoint_ids where label = $1 and line > $2", [label, after_line])
        new_ids = ({"key": key, "line": line} for key, line in checkpoint.ids.items() if line > after_line)
        # A list bound as one parameter took 100 s for a million ids: they go through a file.
        self._bulk_insert("raw.jsonl_checkpoint_ids", "{key: 'VARCHAR', line: 'BIGINT'}", new_ids,
                          "select $1, key, line", [label])

    def insert_articles(self, rows: Iterable[dict[str, object]]) -> int:
        """Bulk-insert article rows."""
        return self._bulk_insert(
            "raw.articles (source_path, content_sha256, byte_size, encoding, text, published_at, load_id, "
            "loaded_at, file_mtime_ns)",
            ARTICLE_JSON_COLUMNS, rows,
            "select source_path, content_sha256, byte_size, encoding, text, published_at, $1, $2, file_mtime_ns",
            [self.load_id, self.loaded_at])

    def _bulk_insert(self, target: str, columns: str, rows: Iterable[dict[str, object]], select: str,
                     params: list[object]) -> int:
        """Insert ``rows`` into ``target`` through a temporary newline-delimited JSON file read back
        with the given ``columns`` types by ``select ... from <the file>`` (never one INSERT per row)."""
        fd, name = tempfile.mkstemp(prefix=".load_articles-", suffix=".ndjson", dir=self.tmp_dir)
        tmp = Path(name)
        try:
            count = 0
            longest = 0
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                for row in rows:
                    line = json.dumps(row, ensure_ascii=False)
                    longest = max(longest, len(line))
                    out.write(line)
                    out.write("\n")
                    count += 1
            if count:
                # A line is at most 4 bytes per character; read_json needs the largest object size.
                max_object = max(16 * 1024 * 1024, 4 * longest + 1024)
                self.con.execute(
                    f"""
                    insert into {target}
                    {select}
                    from read_json({_sql_string(tmp)}, columns={columns},
                                   format='newline_delimited', maximum_object_size={max_object})
                    """,
                    params,
                )
            return count
        finally:
            tmp.unlink(missing_ok=True)

    def insert_errors(self, errors: Sequence[tuple[str, str, str | None]]) -> None:
        """Bulk-insert (source_path, reason, content_sha256) rows not already recorded."""
        if not errors:
            return
        self.con.execute(
            """
            insert into raw.load_errors (source_path, reason, content_sha256, load_id, loaded_at)
            select e.source_path, e.reason, e.content_sha256, $4, $5
            from (select unnest($1::varchar[]) as source_path,
                         unnest($2::varchar[]) as reason,
                         unnest($3::varchar[]) as content_sha256) e
            where not exists (
                select 1 from raw.load_errors o
                where o.source_path = e.source_path
                  and o.reason = e.reason
                  and o.content_sha256 is not distinct from e.content_sha256)
            """,
            [[e[0] for e in errors], [e[1] for e in errors], [e[2] for e in errors],
             self.load_id, self.loaded_at],
        )


def _sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _file_stat(path: str | Path) -> tuple[int, int] | None:
    """(size, mtime in ns) of a regular file, or None (not a regular file, or not readable)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None


def _read_batches(candidates: Sequence[Candidate], summary: LoadSummary,
                  errors: list[tuple[str, str, str | None]],
                  on_progress: Callable[[int], object],
                  known: dict[str, tuple[int, int]]) -> Iterator[list[_ReadFile]]:
    """Read files in batches bounded by file count and bytes; unreadable ones go to ``errors``.

    A file whose size and modification time match ``known`` (its newest stored version) is counted
    as unchanged and not read."""
    batch: list[_ReadFile] = []
    size = 0
    consumed = 0
    for candidate in candidates:
        consumed += 1
        on_progress(1)
        file_stat = _file_stat(candidate.file)
        if file_stat is not None and known.get(candidate.source_path) == file_stat:
            summary.unchanged += 1
            continue
        try:
            data = read_file_bytes(candidate.path)
        except RejectedFile as rejected:
            _reject(candidate, rejected, summary, errors)
        else:
            batch.append(_ReadFile(candidate, data, hashlib.sha256(data).hexdigest(),
                                   file_stat[1] if file_stat else None))
            size += len(data)
        if max(len(batch), len(errors)) >= BATCH_MAX_FILES or size >= BATCH_MAX_BYTES:
            yield batch
            batch, size, consumed = [], 0, 0
    if consumed:
        yield batch


def _reject(candidate: Candidate, rejected: RejectedFile, summary: LoadSummary,
            errors: list[tuple[str, str, str | None]]) -> None:
    summary.rejected += 1
    errors.append((candidate.source_path, rejected.reason, rejected.content_sha256))
    log.debug("rejected %s: %s", candidate.source_path, rejected.reason)


def _article_rows(files: Sequence[_ReadFile], summary: LoadSummary,
                  errors: list[tuple[str, str, str | None]]) -> Iterator[dict[str, object]]:
    for item in files:
        try:
            text, encoding = decode_article(item.data)
        except RejectedFile as rejected:
            rejected.content_sha256 = item.content_sha256
            _reject(item.candidate, rejected, summary, errors)
            continue
        summary.loaded += 1
        yield {
            "source_path": item.candidate.source_path,
            "content_sha256": item.content_sha256,
            "byte_size": len(item.data),
            "encoding": encoding,
            "text": text,
            "published_at": None,
            "file_mtime_ns": item.mtime_ns,
        }


def _record_load(recorder: _Recorder, candidates: Sequence[Candidate], summary: LoadSummary,
                 on_progress: Callable[[int], object], verify_content: bool = False) -> None:
    errors: list[tuple[str, str, str | None]] = []
    known = {} if verify_content else recorder.known_file_stats()
    for batch in _read_batches(candidates, summary, errors, on_progress, known):
        existing = recorder.existing_keys(
            [(f.candidate.source_path, f.content_sha256) for f in batch])
        new_files = []
        touched = []
        for item in batch:
            if (item.candidate.source_path, item.content_sha256) in existing:
                summary.unchanged += 1
                touched.append((item.candidate.source_path, item.content_sha256, item.mtime_ns))
            else:
                new_files.append(item)
        recorder.record_mtimes(touched)
        recorder.insert_articles(_article_rows(new_files, summary, errors))
        recorder.insert_errors(errors)
        errors.clear()
        failpoint("load.after_first_batch")


def _record_jsonl(recorder: _Recorder, path: Path, label: str, summary: LoadSummary,
                  on_progress: Callable[[int], object], verify_content: bool = False) -> None:
    """Load one JSON Lines file, a batch of articles at a time; bad lines go to load_errors.

    Unless ``verify_content``, the lines the last load read are skipped when the file still starts
    with the same bytes (see scripts/jsonl_articles.py): an appended-to archive costs its new lines."""
    errors: list[tuple[str, str, str | None]] = []
    batch: list[JsonlArticle] = []

    def flush() -> None:
        existing = recorder.existing_keys([(a.source_path, a.content_sha256) for a in batch])
        new = [a for a in batch if (a.source_path, a.content_sha256) not in existing]
        summary.unchanged += len(batch) - len(new)
        summary.loaded += len(new)
        recorder.insert_articles({
            "source_path": a.source_path, "content_sha256": a.content_sha256, "byte_size": a.byte_size,
            "encoding": "utf-8", "text": a.text,
            "published_at": a.published_at.isoformat(sep=" ") if a.published_at else None,
            "file_mtime_ns": None,
        } for a in new)
        recorder.insert_errors(errors)
        batch.clear()
        errors.clear()

    scan = JsonlScan(path, label, None if verify_content else recorder.jsonl_checkpoint(label))
    for item in scan:
        summary.files_seen += 1
        on_progress(1)
        if isinstance(item, JsonlArticle):
            batch.append(item)
        else:
            summary.rejected += 1
            errors.append((item.source_path, item.reason, item.content_sha256))
            log.debug("rejected %s: %s", item.source_path, item.reason)
        if len(batch) + len(errors) >= BATCH_MAX_FILES:
            flush()
    flush()
    start = scan.resumed_from
    if start is not None:  # the lines of the unchanged start, counted as read
        summary.files_seen += start.articles + start.errors
        summary.unchanged += start.articles
        summary.rejected += start.errors
        on_progress(start.articles + start.errors)
        log.info("%s: its first %d lines (%.1f MB) are as the last load read them; read the %d after them",
                 label, start.lines, start.prefix_bytes / 1e6, scan.checkpoint.lines - start.lines)
    recorder.save_jsonl_checkpoint(label, scan.checkpoint, start.lines if start is not None else 0)


def find_jsonl_files(root: Path) -> list[Candidate]:
    """JSON Lines files under ``root`` (any case of .jsonl, .ndjson, optionally .gz)."""
    return find_input_files(root, JSONL_SUFFIXES)[0]


# --------------------------------------------------------------------------- orchestration


def load_articles(input_path: Path, db_path: Path, *, progress: bool | None = None,
                  verify_content: bool = False) -> LoadSummary:
    """Load every ``*.txt`` file under ``input_path`` into the DuckDB file ``db_path``.

    ``progress``: True/False forces the progress bar on/off; None shows it only when stderr is a
    terminal and there are more than 1000 files.
    """
    input_path = Path(input_path)
    db_path = Path(db_path)
    if not input_path.exists():
        raise LoadError(f"articles folder {input_path} does not exist; "
                        "pass --articles with the folder holding the .txt files, or a .jsonl file")
    if input_path.is_dir():
        candidates, jsonl_candidates = find_input_files(input_path, (ARTICLE_SUFFIX,), JSONL_SUFFIXES)
        jsonl_files = [(c.path, c.source_path) for c in jsonl_candidates]
    elif input_path.is_file() and is_jsonl(input_path):
        candidates = []
        jsonl_files = [(input_path, input_path.name)]
    else:
        raise LoadError(f"articles path {input_path} is neither a folder nor a JSON Lines file "
                        "(.jsonl, .ndjson, optionally .gz); pass --articles with one of those")
    started_at = _utc_now()
    con = connect(db_path)
    try:
        con.execute("begin transaction")
        try:
            load_id = con.execute(
                "select coalesce(max(load_id), 0) + 1 from raw.loads").fetchone()[0]
            summary = LoadSummary(load_id=load_id, files_seen=len(candidates))
            recorder = _Recorder(con, load_id, started_at, db_path.parent)
            with _progress_bar(len(candidates), progress) as bar:
                _record_load(recorder, candidates, summary, bar.update, verify_content)
            for path, label in jsonl_files:
                with _progress_bar(None, progress) as bar:
                    _record_jsonl(recorder, path, label, summary, bar.update, verify_content)
            con.execute(
                "insert into raw.loads values ($1, $2, $3, $4, $5, $6, $7, $8)",
                [load_id, str(input_path.resolve()), started_at, _utc_now(), summary.files_seen,
                 summary.loaded, summary.unchanged, summary.rejected],
            )
            failpoint("load.before_commit")
            con.execute("commit")
        except BaseException:
            _rollback(con)
            raise
    finally:
        con.close()
    log.info("loaded %d, unchanged %d, rejected %d (of %d inputs: files or JSON lines) into %s",
             summary.loaded, summary.unchanged, summary.rejected, summary.files_seen, db_path)
    return summary


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass  # the transaction was already aborted


def _progress_bar(total: int | None, progress: bool | None):
    """A tqdm bar on stderr; ``total`` None for a stream of unknown length (JSON Lines)."""
    from tqdm import tqdm

    if progress is None:
        progress = (total is None or total > PROGRESS_MIN_FILES) and sys.stderr.isatty()
    return tqdm(total=total, disable=not progress, file=sys.stderr, unit="file",
                desc="loading articles", leave=False)


# --------------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.load_articles",
        description="Load the .txt articles of a folder (recursively) into raw.articles of a "
                    "DuckDB file. Idempotent: unchanged files add nothing; rejected files are "
                    "listed in raw.load_errors.",
    )
    parser.add_argument("--articles", type=Path, required=True,
                        help="folder holding the article files (*.txt and *.jsonl[.gz], any case, "
                             "recursively), or one JSON Lines file")
    parser.add_argument("--db", type=Path, required=True,
                        help="DuckDB file to load into (created with its folders if missing)")
    parser.add_argument("--verify-content", action="store_true",
                        help="read and hash every file, even one whose size and modification time "
                             "are those of its stored version")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true",
                           help="log every rejected file")
    verbosity.add_argument("-q", "--quiet", action="store_true",
                           help="only warnings and errors; no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    if args.verbose:
        log.setLevel(logging.DEBUG)  # only this module: libraries stay at INFO
    try:
        load_articles(args.articles, args.db, progress=False if args.quiet else None,
                      verify_content=args.verify_content)
    except LoadError as exc:
        log.error("%s", exc)
        return 2
    except duckdb.IOException as exc:
        log.error("cannot write %s: %s", args.db, _first_line(exc))
        return 2
    except KeyboardInterrupt:
        log.error("interrupted; nothing from this load was committed")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
