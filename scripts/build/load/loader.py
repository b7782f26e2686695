"""Load raw news articles (.txt files) from a folder into the DuckDB warehouse.

Every file becomes either a row of ``raw.articles`` (decoded text plus its content hash) or a row
of ``raw.load_errors`` (with the reason it was rejected); each run adds one row to ``raw.loads``.
Loading is idempotent: a file whose (source_path, content_sha256) is already stored is counted as
unchanged and adds nothing, and a changed file adds a new version row. A file whose size and
modification time (nanoseconds) equal those recorded for its newest version is counted as unchanged
without being read, as make and rsync do; ``--verify-content`` reads and hashes every file anyway.
A whole load is one transaction, so a failure or a kill mid-load leaves the previous committed
state intact.

The steps live beside this module: discovery.py finds the files, decoding.py turns bytes into text,
jsonl.py reads JSON Lines, raw_tables.py defines the tables written and recorder.py writes them;
cli.py is the command line (`python -m scripts.build.load`).

Run from the repository root::

    python -m scripts.build.load --articles data/articles --db warehouse/.build/news_build.duckdb
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from scripts.build.failpoints import failpoint
from scripts.build.load.decoding import UNCERTAIN, decode_article
from scripts.build.load.discovery import (ARTICLE_SUFFIX, Candidate, extension, file_stat, find_input_files,
                                          read_file_bytes)
from scripts.build.load.errors import LoadError, RejectedFile
from scripts.build.load.jsonl import JSONL_SUFFIXES, JsonlArticle, JsonlScan, is_jsonl
from scripts.build.load.raw_tables import connect
from scripts.build.load.recorder import Recorder
from scripts.build.load.summary import LoadSummary

log = logging.getLogger("load_articles")

BATCH_MAX_FILES = 5_000
BATCH_MAX_BYTES = 200 * 1024 * 1024
PROGRESS_MIN_FILES = 1_000
# What the loader reads, said to the user about a skipped file.
LOADED_FILES = "the loader reads .txt files and JSON Lines (.jsonl, .ndjson, optionally .gz)"


@dataclass
class _ReadFile:
    candidate: Candidate
    data: bytes
    content_sha256: str
    mtime_ns: int | None = None


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
        stat_now = file_stat(candidate.file)
        if stat_now is not None and known.get(candidate.source_path) == stat_now:
            summary.unchanged += 1
            continue
        try:
            data = read_file_bytes(candidate.path)
        except RejectedFile as rejected:
            _reject(candidate, rejected, summary, errors)
        else:
            batch.append(_ReadFile(candidate, data, hashlib.sha256(data).hexdigest(),
                                   stat_now[1] if stat_now else None))
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
        summary.uncertain += encoding.endswith(UNCERTAIN)
        yield {
            "source_path": item.candidate.source_path,
            "content_sha256": item.content_sha256,
            "byte_size": len(item.data),
            "encoding": encoding,
            "text": text,
            "published_at": None,
            "file_mtime_ns": item.mtime_ns,
            "source_name": None,
            "url": None,
        }


def _record_load(recorder: Recorder, candidates: Sequence[Candidate], summary: LoadSummary,
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


def _record_jsonl(recorder: Recorder, path: Path, label: str, summary: LoadSummary,
                  on_progress: Callable[[int], object], verify_content: bool = False,
                  present: set[str] | None = None) -> None:
    """Load one JSON Lines file, a batch of articles at a time; bad lines go to load_errors. The
    source paths of its articles go to ``present`` when it is given.

    Unless ``verify_content``, the lines the last load read are skipped when the file still starts
    with the same bytes (see scripts/build/load/jsonl.py): an appended-to archive costs its new lines."""
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
            "file_mtime_ns": None, "source_name": a.source_name, "url": a.url,
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
            if present is not None:
                present.add(item.source_path)
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


# --------------------------------------------------------------------------- orchestration


def load_articles(input_path: Path, db_path: Path, *, progress: bool | None = None,
                  verify_content: bool = False, prune: bool = False) -> LoadSummary:
    """Load every ``*.txt`` file under ``input_path`` into the DuckDB file ``db_path``.

    ``progress``: True/False forces the progress bar on/off; None shows it only when stderr is a
    terminal and there are more than 1000 files. Other files are listed in raw.load_errors as skipped
    and counted by extension. ``prune``: articles whose file (or JSON Lines record) is no longer in
    the input are taken out of raw.articles, and listed in raw.load_errors as retracted.
    """
    input_path = Path(input_path)
    db_path = Path(db_path)
    if not input_path.exists():
        raise LoadError(f"articles folder {input_path} does not exist; "
                        "pass --articles with the folder holding the .txt files, or a .jsonl file")
    others: list[Candidate] = []
    if input_path.is_dir():
        candidates, jsonl_candidates = find_input_files(input_path, (ARTICLE_SUFFIX,), JSONL_SUFFIXES,
                                                        others=others)
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
            recorder = Recorder(con, load_id, started_at, db_path.parent)
            with _progress_bar(len(candidates), progress) as bar:
                _record_load(recorder, candidates, summary, bar.update, verify_content)
            present = {c.source_path for c in candidates} if prune else None
            for path, label in jsonl_files:
                with _progress_bar(None, progress) as bar:
                    _record_jsonl(recorder, path, label, summary, bar.update, verify_content or prune, present)
            _record_skipped(recorder, others, summary)
            if present is not None:
                summary.retracted = recorder.retract_missing(present, [label for _, label in jsonl_files])
            con.execute(
                "insert into raw.loads (load_id, input_path, started_at, finished_at, files_seen, loaded, "
                "unchanged, rejected, skipped, uncertain, retracted) "
                "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [load_id, str(input_path.resolve()), started_at, _utc_now(), summary.files_seen,
                 summary.loaded, summary.unchanged, summary.rejected, sum(summary.skipped.values()),
                 summary.uncertain, summary.retracted],
            )
            failpoint("load.before_commit")
            con.execute("commit")
        except BaseException:
            _rollback(con)
            raise
    finally:
        con.close()
    log.info("%s into %s", summary.line(), db_path)
    return summary


def _record_skipped(recorder: Recorder, others: Sequence[Candidate], summary: LoadSummary) -> None:
    """Files that are not articles (.html, .md, ...): counted by extension and listed in load_errors."""
    for candidate in others:
        summary.skipped[extension(candidate.source_path)] += 1
    for start in range(0, len(others), BATCH_MAX_FILES):
        recorder.insert_errors([(c.source_path, f"skipped: not an article file ({extension(c.source_path)}); "
                                 f"{LOADED_FILES}", None) for c in others[start:start + BATCH_MAX_FILES]])


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
