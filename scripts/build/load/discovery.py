"""Finding the input files under a folder and reading each one's bytes.

Every entry whose name ends in a wanted suffix is a candidate, regular file or not: an entry that
cannot be read as a file (a folder named `x.txt`, a FIFO, a broken symlink) is rejected with its
reason rather than skipped.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.build.load.errors import RejectedFile
from scripts.build.load.jsonl import JSONL_SUFFIXES

log = logging.getLogger("load_articles")

ARTICLE_SUFFIX = ".txt"


@dataclass(frozen=True)
class Candidate:
    """A file found in the input folder."""

    source_path: str  # relative to the input folder, POSIX separators
    file: str  # its path on disk (a str: building 100,000 Path objects took about a second)

    @property
    def path(self) -> Path:
        return Path(self.file)


def find_article_files(root: Path, suffix: str = ARTICLE_SUFFIX) -> list[Candidate]:
    """Every entry under ``root`` whose name ends in ``suffix`` (any case), sorted by source_path.

    Directories are walked recursively without following symlinked directories. Entries that are
    not regular files (directories, FIFOs, broken symlinks) are returned too so that the loader
    can record them as rejected.
    """
    return find_input_files(root, (suffix,))[0]


def find_input_files(root: Path, *suffix_groups: Sequence[str],
                     others: list[Candidate] | None = None) -> list[list[Candidate]]:
    """One walk of ``root``: for each group of suffixes, the entries whose name ends in one of them
    (any case), sorted by source_path. An entry goes to the first group it matches; the files that
    match none go to ``others`` when it is given."""
    groups = [tuple(suffix.lower() for suffix in group) for group in suffix_groups]
    found: list[list[Candidate]] = [[] for _ in groups]
    for dirpath, dirnames, filenames in os.walk(root, onerror=_log_walk_error):
        dirnames.sort()
        relative = os.path.relpath(dirpath, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        # os.path.join(dirpath, name) for a plain entry name, without its per-call checks (a tenth
        # of a second over 100,000 files, on the way to dbt's start).
        base = dirpath if dirpath.endswith(os.sep) else dirpath + os.sep
        for index, name in enumerate((*dirnames, *filenames)):
            lowered = name.lower()
            for group, suffixes in zip(found, groups):
                if lowered.endswith(suffixes):
                    group.append(Candidate(prefix + name, base + name))
                    break
            else:
                if others is not None and index >= len(dirnames):
                    others.append(Candidate(prefix + name, base + name))
    for group in found:
        group.sort(key=lambda c: c.source_path)
    return found


def extension(name: str) -> str:
    """How a skipped file is counted: its last suffix in lower case (`.html`), or `no extension`."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix else "no extension"


def _log_walk_error(error: OSError) -> None:
    log.warning("cannot list %s: %s", error.filename, error.strerror or error)


def find_jsonl_files(root: Path) -> list[Candidate]:
    """JSON Lines files under ``root`` (any case of .jsonl, .ndjson, optionally .gz)."""
    return find_input_files(root, JSONL_SUFFIXES)[0]


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


def file_stat(path: str | Path) -> tuple[int, int] | None:
    """(size, mtime in ns) of a regular file, or None (not a regular file, or not readable)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None
