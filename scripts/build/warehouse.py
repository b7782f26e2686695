"""A warehouse folder: where its files are, the lock one build holds on it, and the check that its
private files are DuckDB databases.

    <warehouse>/news.duckdb                the published, standalone file readers open (replaced atomically)
    <warehouse>/.build/news_build.duckdb   dbt's private build file (raw tables, seeds, staging and
                                           intermediate models: the incremental state)
    <warehouse>/.build/news_marts.duckdb   dbt's private marts file (the main database of the build,
                                           holding the marts only); publishing moves it to
                                           news.duckdb, and the next build copies it back while
                                           its articles load (scripts/build/publish.py)
    <warehouse>/.build/build.lock          held by the running build (pid inside)
    <warehouse>/.build/target, logs        dbt's artifacts and logs for this warehouse
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.build.errors import BuildError, first_line
from scripts.build.publish import make_writable

log = logging.getLogger("build")

PUBLISHED_NAME = "news.duckdb"
BUILD_DIR_NAME = ".build"
BUILD_DB_NAME = "news_build.duckdb"
MARTS_DB_NAME = "news_marts.duckdb"
PUBLISHED_SCHEMAS = ("marts",)
# A DuckDB database file carries "DUCK" at bytes 8 to 12.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_START, DUCKDB_MAGIC_END = 8, 12


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @property
    def build_dir(self) -> Path:
        return self.root / BUILD_DIR_NAME

    @property
    def build_db(self) -> Path:
        return self.build_dir / BUILD_DB_NAME

    @property
    def marts_db(self) -> Path:
        return self.build_dir / MARTS_DB_NAME

    @property
    def published(self) -> Path:
        return self.root / PUBLISHED_NAME

    @property
    def lock(self) -> Path:
        return self.build_dir / "build.lock"


def prepare_warehouse(root: Path) -> WarehousePaths:
    """Create the warehouse folders, or say in one line why they cannot be used."""
    paths = WarehousePaths(root.resolve())
    if paths.root.exists() and not paths.root.is_dir():
        raise BuildError(f"warehouse path {root} exists and is not a folder; pass WAREHOUSE=<folder>")
    try:
        paths.build_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create warehouse folder {paths.build_dir}: {exc.strerror}; "
                         "pass WAREHOUSE=<a writable folder>") from None
    if not os.access(paths.build_dir, os.W_OK) or not os.access(paths.root, os.W_OK):
        raise BuildError(f"warehouse folder {paths.root} is not writable; "
                         "pass WAREHOUSE=<a writable folder>")
    return paths


@contextmanager
def build_lock(paths: WarehousePaths, wait: bool) -> Iterator[None]:
    """Hold an exclusive lock on the warehouse for the whole build.

    A second build either waits (wait=True) or exits at once naming the process that holds it.
    The lock is an flock: the kernel drops it when the holder dies, even by kill -9.
    """
    handle = open(paths.lock, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            if not wait:
                raise BuildError(f"another build (pid {holder}) is running on {paths.root}; "
                                 "wait for it to finish, or run with --wait") from None
            log.info("waiting for the build of pid %s on %s to finish", holder, paths.root)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def is_duckdb_file(path: Path) -> bool:
    """Whether ``path`` starts like a DuckDB database (its magic bytes), without opening it."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(DUCKDB_MAGIC_END)
    except OSError:
        return False
    return header[DUCKDB_MAGIC_START:DUCKDB_MAGIC_END] == DUCKDB_MAGIC


def lock_holder(message: str) -> str | None:
    """The process DuckDB names as holding a file's lock ("... held in /usr/bin/python3 (PID 123)")."""
    found = re.search(r"held in (.*?) \(PID (\d+)\)", message)
    if found is None:
        return None
    return f"pid {found.group(2)} ({_command_line(int(found.group(2))) or found.group(1)})"


def _command_line(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:200] or None


def check_build_file(paths: WarehousePaths) -> None:
    """Fail early, in one line, on a warehouse file that is not a DuckDB database or that another
    process holds; say what to do, and what deleting what would cost where deleting is safe."""
    if paths.published.exists() and not is_duckdb_file(paths.published):
        raise BuildError(f"{paths.published} is not a DuckDB database (a build never writes such a file there); "
                         f"move it out of the warehouse folder and build again: the build publishes the marts "
                         f"again from {paths.build_dir}")
    remedies = {  # (what the file is, what to do when it is no database)
        paths.build_db: ("the build file", f"delete {paths.build_db} (that file only) and build again: every "
                         "article is then reloaded from the input and every model rebuilt (articles whose files "
                         "are no longer in the input are not restored)"),
        paths.marts_db: ("the build's marts file", f"delete {paths.marts_db} (that file only) and build again: "
                         f"the build copies it back from {paths.published}, or rebuilds the marts when there is none"),
    }
    for path, (what, remedy) in remedies.items():
        if not path.exists():
            continue
        if not is_duckdb_file(path):
            raise BuildError(f"{what} {path} is not a DuckDB database; {remedy}")
        if path == paths.marts_db:
            make_writable(path)  # checked before the background restore_marts would do it
        try:
            duckdb.connect(str(path)).close()
        except duckdb.IOException as exc:
            holder = lock_holder(str(exc))
            if holder is not None:
                raise BuildError(f"{what} {path} is in use by {holder}, which is still running (the file is "
                                 f"not damaged); wait for that process to end, or stop it (kill {holder.split()[1]}), "
                                 "then build again") from None
            raise BuildError(f"cannot open {what} {path}: {first_line(exc)}") from None
        except duckdb.Error as exc:
            raise BuildError(f"{what} {path} is not a usable DuckDB database ({first_line(exc)}); {remedy}") from None
