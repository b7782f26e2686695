"""Read articles from JSON Lines files (`.jsonl`, `.ndjson`, optionally `.gz`).

One article per line: an object with `title` and `body` (or `text`), and optionally `id`, `url`,
`published_at` and `source`. Each article becomes the text `title + "\\n\\n" + body`, so the same
title/body rules apply as for .txt files, with `source_path` = `<file>#<id>` (or `<file>#<line>`
when there is no id). A line that is not a JSON object with a body is rejected with its line number;
the rest of the file loads. Lines are streamed: memory stays bounded whatever the file size.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

log = logging.getLogger("load_articles")

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
BODY_KEYS = ("body", "text")


@dataclass(frozen=True)
class JsonlArticle:
    source_path: str
    content_sha256: str
    byte_size: int
    text: str
    published_at: datetime | None


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


def read_jsonl(path: Path, label: str) -> Iterator[JsonlArticle | JsonlError]:
    """Every line of ``path`` as an article or an error; ``label`` names the file in source_path."""
    seen_ids: dict[str, int] = {}
    try:
        with _open(path) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.rstrip(b"\r\n")
                if not line.strip():
                    continue  # blank lines separate nothing in JSON Lines
                digest = hashlib.sha256(line).hexdigest()
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    yield JsonlError(f"{label}#{number}", f"line {number}: malformed JSON ({exc.__class__.__name__}: "
                                     f"{str(exc).splitlines()[0][:120]})", digest)
                    continue
                if not isinstance(record, dict):
                    yield JsonlError(f"{label}#{number}", f"line {number}: not a JSON object", digest)
                    continue
                text = _article_text(record)
                raw_id = record.get("id")
                key = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else str(number)
                source_path = f"{label}#{key}"
                if text is None:
                    yield JsonlError(source_path, f"line {number}: no body (needs a non-empty 'body' or 'text')",
                                     digest)
                    continue
                if key in seen_ids:
                    yield JsonlError(f"{label}#{number}", f"line {number}: duplicate id {key!r} "
                                     f"(first on line {seen_ids[key]})", digest)
                    continue
                seen_ids[key] = number
                if "\x00" in text:
                    yield JsonlError(source_path, f"line {number}: binary content (NUL characters)", digest)
                    continue
                yield JsonlArticle(source_path, digest, len(line), text, parse_timestamp(record.get("published_at")))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield JsonlError(label, f"unreadable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", None)
