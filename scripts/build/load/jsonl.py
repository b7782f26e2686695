"""Read articles from JSON Lines files (`.jsonl`, `.ndjson`, optionally `.gz`).

One article per line: an object with `title` and `body` (or `text`), and optionally `id`, `url`,
`published_at` and `source` (the outlet: a string, or an object with a `name`), kept as `url` and
`source_name`; other fields are ignored. Each article becomes the text `title + "\\n\\n" + body`,
so the same title/body rules apply as for .txt files, with `source_path` = `<file>#<id>` (or `<file>#<line>`
when there is no id). A line that is not a JSON object with a body is rejected with its line number;
the rest of the file loads. Lines are streamed: memory stays bounded whatever the file size.

Archives grow by appending. A read records a checkpoint of the file (`JsonlCheckpoint`: the SHA-256
of its bytes up to the end of its last complete line, and what those lines held), and the next read
given that checkpoint hashes the same number of bytes first: when they are unchanged it parses only
the lines after them. Hashing runs at disk speed; parsing a line in Python costs about 60x that.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

log = logging.getLogger("load_articles")

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
BODY_KEYS = ("body", "text")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
PREFIX_CHUNK = 1 << 20


@dataclass(frozen=True)
class JsonlArticle:
    source_path: str
    content_sha256: str
    byte_size: int
    text: str
    published_at: datetime | None
    source_name: str | None = None  # the record's `source` (a string, or an object's `name`)
    url: str | None = None


@dataclass(frozen=True)
class JsonlError:
    source_path: str
    reason: str
    content_sha256: str | None


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 date or time as naive UTC; None when absent or not understood."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _article_text(record: dict) -> str | None:
    body = next((record[k] for k in BODY_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)
    if body is None:
        return None
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        return " ".join(title.split()) + "\n\n" + body
    return body


def _text_field(value: object) -> str | None:
    """A string field, trimmed; None when absent, empty or not a string."""
    return value.strip() or None if isinstance(value, str) else None


def _source_name(value: object) -> str | None:
    """The outlet named by `source`: a string, or an object with a string `name` (as news APIs write it)."""
    if isinstance(value, dict):
        return _text_field(value.get("name"))
    return _text_field(value)


_JSON_TYPES = {dict: "a JSON object", list: "a JSON array", bool: "a boolean", int: "a number", float: "a number"}


def _missing_body(record: dict) -> str:
    """Why a record has no article text, as precisely as the record allows."""
    for key in BODY_KEYS:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return f"'{key}' is empty (needs a non-empty string 'body' or 'text')"
        return (f"'{key}' is {_JSON_TYPES.get(type(value), type(value).__name__)}, not text "
                "(needs a non-empty string 'body' or 'text')")
    return "no body (needs a non-empty string 'body' or 'text')"


@dataclass
class JsonlCheckpoint:
    """How far a file was read: its first `prefix_bytes` bytes (up to the end of its last complete
    line, `lines` lines), their SHA-256, how many articles and errors those lines gave, and the id
    (or line-number key) of each article with its line, which later lines must not repeat."""

    prefix_bytes: int = 0
    prefix_sha256: str = EMPTY_SHA256
    lines: int = 0
    articles: int = 0
    errors: int = 0
    ids: dict[str, int] = field(default_factory=dict)


class JsonlScan:
    """The lines of ``path`` as articles or errors; ``label`` names the file in source_path.

    Given ``resume`` (the checkpoint of an earlier read), a file whose first ``resume.prefix_bytes``
    bytes are unchanged yields only the items of the lines after them, and ``resumed_from`` is that
    checkpoint (None when the file was read whole). Once iterated, ``checkpoint`` describes this
    read (the resumed prefix included)."""

    def __init__(self, path: Path, label: str, resume: JsonlCheckpoint | None = None) -> None:
        self.path = path
        self.label = label
        self.resume = resume
        self.resumed_from: JsonlCheckpoint | None = None
        self.checkpoint = JsonlCheckpoint()

    def _prefix_matches(self, handle: IO[bytes], digest: hashlib._Hash, resume: JsonlCheckpoint) -> bool:
        remaining = resume.prefix_bytes
        try:
            while remaining:
                chunk = handle.read(min(PREFIX_CHUNK, remaining))
                if not chunk:
                    return False
                digest.update(chunk)
                remaining -= len(chunk)
        except (OSError, EOFError, gzip.BadGzipFile):
            return False
        return digest.hexdigest() == resume.prefix_sha256

    def __iter__(self) -> Iterator[JsonlArticle | JsonlError]:
        label = self.label
        try:
            handle = _open(self.path)
            prefix = hashlib.sha256()
            try:
                state = JsonlCheckpoint()
                resume = self.resume
                if resume is not None and resume.prefix_bytes > 0:
                    if self._prefix_matches(handle, prefix, resume):
                        self.resumed_from = resume
                        state = replace(resume, ids=dict(resume.ids))
                    else:
                        handle.close()
                        handle = _open(self.path)
                        prefix = hashlib.sha256()
                self.checkpoint = state
                seen_ids = state.ids
                number = state.lines
                for raw in handle:
                    number += 1
                    complete = raw.endswith(b"\n")
                    if complete:  # the checkpoint covers complete lines only: a last one may grow
                        prefix.update(raw)
                        state.prefix_bytes += len(raw)
                        state.lines = number
                    item = self._item(raw, number, seen_ids, complete)
                    if item is None:
                        continue
                    if complete:
                        if isinstance(item, JsonlArticle):
                            state.articles += 1
                        else:
                            state.errors += 1
                    yield item
            finally:
                handle.close()
                self.checkpoint.prefix_sha256 = prefix.hexdigest()
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            yield JsonlError(label, f"unreadable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                             None)

    def _item(self, raw: bytes, number: int, seen_ids: dict[str, int],
              complete: bool) -> JsonlArticle | JsonlError | None:
        label = self.label
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            return None  # blank lines separate nothing in JSON Lines
        digest = hashlib.sha256(line).hexdigest()
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return JsonlError(f"{label}#{number}", f"line {number}: malformed JSON ({exc.__class__.__name__}: "
                              f"{str(exc).splitlines()[0][:120]})", digest)
        if not isinstance(record, dict):
            return JsonlError(f"{label}#{number}", f"line {number}: not a JSON object", digest)
        text = _article_text(record)
        raw_id = record.get("id")
        key = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else str(number)
        source_path = f"{label}#{key}"
        if text is None:
            return JsonlError(source_path, f"line {number}: {_missing_body(record)}", digest)
        if key in seen_ids:
            return JsonlError(f"{label}#{number}", f"line {number}: duplicate id {key!r} "
                              f"(first on line {seen_ids[key]})", digest)
        if complete:
            seen_ids[key] = number
        if "\x00" in text:
            return JsonlError(source_path, f"line {number}: binary content (NUL characters)", digest)
        return JsonlArticle(source_path, digest, len(line), text, parse_timestamp(record.get("published_at")),
                            _source_name(record.get("source")), _text_field(record.get("url")))


def read_jsonl(path: Path, label: str) -> Iterator[JsonlArticle | JsonlError]:
    """Every line of ``path`` as an article or an error; ``label`` names the file in source_path."""
    return iter(JsonlScan(path, label))
