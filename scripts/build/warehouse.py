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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.build.errors import BuildError
from scripts.build.publish import make_writable

log = logging.getLogger("build")

PUBLISHED_NAME = "news.duckdb"
BUILD_DIR_NAME = ".build"
BUILD_DB_NAME = "news_build.duckdb"
MARTS_DB_NAME = "news_marts.duckdb"
PUBLISHED_SCHEMAS = ("marts",)


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


def check_build_file(paths: WarehousePaths) -> None:
    """Fail early, in one line, on a build or marts file that is not a readable DuckDB database."""
    for path in (paths.build_db, paths.marts_db):
        if not path.exists():
            continue
        if path == paths.marts_db:
            make_writable(path)  # checked before the background restore_marts would do it
        try:
            duckdb.connect(str(path)).close()
        except duckdb.IOException as exc:
            first = str(exc).splitlines()[0]
            raise BuildError(f"cannot open the build file {path}: {first}. If it is damaged, delete the "
                             "folder and build again (raw data is reloaded from the input)") from None
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise BuildError(f"the build file {path} is not a usable DuckDB database ({first}); "
                             "delete it and build again") from None
