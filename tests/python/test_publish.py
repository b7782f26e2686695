"""Tests for scripts.build.publish: what is copied, atomic replacement and failure cleanup."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.build import publish as pub
from scripts.build.publish import PublishError, publish


def make_marts_db(path: Path, version: int = 1) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(
            f"""
            create schema if not exists marts;
            create or replace table marts.articles (
                article_id varchar primary key,
                title varchar not null,
                words integer check (words >= 0),
                version integer default {version}
            );
            insert into marts.articles values
                ('c', 'Third', 30, {version}), ('a', 'First', 10, {version}),
                ('b', 'Second', 20, {version});
            create or replace table marts."Quote Facts" ("Speaker Name" varchar, n bigint);
            insert into marts."Quote Facts" values ('O''Brien', 2), ('Ann', 1);
            comment on table marts.articles is 'One row per article (v{version}), it''s documented';
            comment on column marts.articles.title is 'Headline as published';
            comment on column marts."Quote Facts"."Speaker Name" is 'Who said it';
            """
        )
    finally:
        con.close()
    return path


@pytest.fixture
def build_db(tmp_path: Path) -> Path:
    """The marts file a build writes (named build_db in these tests: the file publish reads)."""
    (tmp_path / "build").mkdir()
    return make_marts_db(tmp_path / "build" / "news_marts.duckdb")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "published" / "news.duckdb"


def test_copies_tables_constraints_and_comments(build_db: Path, target: Path, query) -> None:
    publish(build_db, target)

    tables = query(target, "select database_name, schema_name, table_name, comment "
                           "from duckdb_tables() order by table_name")
    name = target.stem
    assert tables == [(name, "marts", "Quote Facts", None),
                      (name, "marts", "articles", "One row per article (v1), it's documented")]
    assert query(target, "select count(*) from duckdb_views() where not internal") == [(0,)]
    assert query(target, "select schema_name from duckdb_schemas() "
                         "where schema_name = 'staging'") == []
    comments = query(target, "select table_name, column_name, comment from duckdb_columns() "
                             "where comment is not null order by all")
    assert comments == [("Quote Facts", "Speaker Name", "Who said it"),
                        ("articles", "title", "Headline as published")]
    assert query(target, "select * from marts.articles order by all") == [
        ("a", "First", 10, 1), ("b", "Second", 20, 1), ("c", "Third", 30, 1)]
    assert query(target, 'select * from marts."Quote Facts" order by all') == [("Ann", 1), ("O'Brien", 2)]

    con = duckdb.connect(str(target))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.articles (article_id, title) values ('a', 'dup')")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.articles (article_id, title) values ('z', null)")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.articles values ('y', 'neg', -1, 1)")
        con.execute("insert into marts.articles (article_id, title) values ('x', 'defaulted')")
        assert con.execute("select version from marts.articles where article_id = 'x'"
                           ).fetchall() == [(1,)]
    finally:
        con.close()


def test_leaves_no_wal_or_temp_files(build_db: Path, target: Path) -> None:
    publish(build_db, target)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    assert sorted(p.name for p in build_db.parent.iterdir()) == [build_db.name]


def test_replaces_atomically_while_a_reader_is_open(build_db: Path, target: Path,
                                                    tmp_path: Path) -> None:
    publish(build_db, target)
    old_inode = target.stat().st_ino
    reader = duckdb.connect(str(target), read_only=True)
    try:
        assert reader.execute("select max(version) from marts.articles").fetchall() == [(1,)]
        make_marts_db(build_db, version=2)
        publish(build_db, target)
        assert target.stat().st_ino != old_inode
        # The open reader still sees the old file; a new reader sees the new one. The new reader
        # is another process: within one process duckdb.connect() reuses the open instance.
        assert reader.execute("select max(version) from marts.articles").fetchall() == [(1,)]
        assert reader.execute("select count(*) from marts.articles").fetchall() == [(3,)]
        fresh = subprocess.run(
            [sys.executable, "-c",
             "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
             "print(c.execute('select max(version) from marts.articles').fetchone()[0])",
             str(target)],
            capture_output=True, text=True, timeout=60)
        assert (fresh.returncode, fresh.stdout.strip()) == (0, "2"), fresh.stderr
    finally:
        reader.close()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_failure_removes_temp_and_keeps_target(build_db: Path, target: Path,
                                               monkeypatch) -> None:
    publish(build_db, target)
    before = target.read_bytes()

    def failing_copy(source: Path, destination: Path) -> None:
        destination.write_bytes(source.read_bytes()[:4096])  # half written, then the disk fails
        raise RuntimeError("boom")

    monkeypatch.setattr(pub, "_copy_bytes", failing_copy)
    make_marts_db(build_db, version=2)
    with pytest.raises(RuntimeError, match="boom"):
        publish(build_db, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_stale_temp_of_dead_process_is_removed(build_db: Path, target: Path) -> None:
    target.parent.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = target.with_name(f".{target.name}.tmp-{dead.stdout.strip()}")
    stale.write_bytes(b"half-written")
    publish(build_db, target)
    assert not stale.exists()


def test_foreign_keys_are_kept(tmp_path: Path, target: Path, query) -> None:
    build = tmp_path / "fk.duckdb"
    con = duckdb.connect(str(build))
    con.execute("""
        create schema marts;
        create table marts.z_parent (id integer primary key);
        create table marts.a_child (id integer references marts.z_parent (id));
        insert into marts.z_parent values (1), (2);
        insert into marts.a_child values (2);
    """)
    con.close()
    publish(build, target)
    assert query(target, "select * from marts.a_child") == [(2,)]
    assert query(target, "select count(*) from duckdb_constraints() "
                         "where constraint_type = 'FOREIGN KEY'") == [(1,)]


def test_missing_build_db_and_empty_schema(tmp_path: Path, build_db: Path, target: Path) -> None:
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "nope.duckdb", target)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(PublishError, match="no tables"):
        publish(empty, target)
    with pytest.raises(PublishError, match="outside the published schema"):
        publish(build_db, target, schemas=("nothing_here",))
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []


def test_a_file_with_other_schemas_is_refused(build_db: Path, target: Path, query) -> None:
    """The marts file is published whole: a table or view outside the published schemas stops it."""
    con = duckdb.connect(str(build_db))
    con.execute("create schema staging; create view staging.scratch as select 1 as x")
    con.close()
    with pytest.raises(PublishError, match="staging.scratch"):
        publish(build_db, target)
    assert not target.exists()
    publish(build_db, target, schemas=("marts", "staging"))
    assert query(target, "select schema_name, view_name from duckdb_views() where not internal") == [
        ("staging", "scratch")]


def test_a_pending_wal_is_published_too(build_db: Path, target: Path, query) -> None:
    """A marts file whose last writes are still in its WAL is checkpointed before the copy."""
    con = duckdb.connect(str(build_db))
    con.execute("set checkpoint_threshold = '1GB'")
    con.execute("insert into marts.articles values ('d', 'Fourth', 40, 1)")
    # A process that dies leaves the WAL beside the file: copy both, as a killed writer would.
    crashed = build_db.with_name("crashed.duckdb")
    shutil.copyfile(build_db, crashed)
    shutil.copyfile(str(build_db) + ".wal", str(crashed) + ".wal")
    con.close()
    publish(crashed, target)
    assert query(target, "select count(*) from marts.articles") == [(4,)]
    assert not Path(str(crashed) + ".wal").exists()


def _run_cli(repo_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scripts.build.publish", *args], cwd=repo_root,
                          capture_output=True, text=True, timeout=60)


def test_cli(repo_root: Path, build_db: Path, target: Path, tmp_path: Path, query) -> None:
    help_result = _run_cli(repo_root, "--help")
    assert help_result.returncode == 0 and "--marts-db" in help_result.stdout

    missing = _run_cli(repo_root, "--marts-db", str(tmp_path / "nope.duckdb"),
                       "--target", str(target))
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr

    empty = _run_cli(repo_root, "--marts-db", str(build_db), "--target", str(target),
                     "--schema", "nothing_here")
    assert empty.returncode == 2 and "outside the published schema" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1

    ok = _run_cli(repo_root, "--marts-db", str(build_db), "--target", str(target))
    assert ok.returncode == 0, ok.stderr
    assert query(target, "select count(*) from marts.articles") == [(3,)]
    assert not os.path.exists(str(target) + ".wal")


def test_a_build_moves_the_marts_file_and_the_next_one_copies_it_back(build_db: Path, target: Path,
                                                                      query) -> None:
    """move=True (what a build does): the marts file becomes the read-only published file, with no
    copy; restore_marts then makes a writable copy under the private name for the next build."""
    publish(build_db, target)
    reader = duckdb.connect(str(target), read_only=True)
    try:
        make_marts_db(build_db, version=2)
        inode = build_db.stat().st_ino
        publish(build_db, target, move=True)
        assert not build_db.exists()
        assert target.stat().st_ino == inode
        assert target.stat().st_mode & 0o777 == 0o444
        # A reader of the replaced file keeps its snapshot.
        assert reader.execute("select max(version) from marts.articles").fetchall() == [(1,)]
    finally:
        reader.close()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]

    assert pub.restore_marts(target, build_db) is True
    assert build_db.stat().st_ino != target.stat().st_ino
    assert build_db.stat().st_mode & 0o200
    assert query(build_db, "select max(version) from marts.articles") == [(2,)]
    assert sorted(p.name for p in build_db.parent.iterdir()) == [build_db.name]
    # Written again, it stays apart from the published file.
    make_marts_db(build_db, version=3)
    assert query(target, "select max(version) from marts.articles") == [(2,)]
    assert pub.restore_marts(target, build_db) is False  # an existing marts file is kept
    assert query(build_db, "select max(version) from marts.articles") == [(3,)]


def test_restore_makes_a_read_only_marts_file_writable_and_needs_a_published_file(
        build_db: Path, target: Path) -> None:
    build_db.chmod(0o444)  # a build killed after making it read-only, before moving it
    assert pub.restore_marts(target, build_db) is False
    assert build_db.stat().st_mode & 0o200
    build_db.unlink()
    assert pub.restore_marts(target, build_db) is False  # nothing published: nothing to copy
    assert not build_db.exists()
