"""What a build remembers: the project that built it (a changed model forces a full refresh) and
the loads whose rows passed the data tests (row-by-row tests read only later loads)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from scripts.build import pipeline as build_module
from scripts.build.dbt_command import run_dbt
from scripts.build.errors import BuildError
from scripts.build.pipeline import build
from scripts.build.warehouse import prepare_warehouse
from scripts.build.state import project_fingerprint, read_state, write_state
from scripts.build.publish import restore_marts

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"


def _execute(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run one statement on a DuckDB file and close it (dbt needs the file next); its rows."""
    con = duckdb.connect(str(db))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@contextmanager
def _planted(db: Path, table: str, rows_sql: str) -> Iterator[None]:
    """Insert the rows of ``rows_sql`` into ``table`` of the DuckDB file ``db``; restore the table after."""
    backup = f"{table}_backup"
    con = duckdb.connect(str(db))
    try:
        con.execute(f"create table {backup} as select * from {table}")
        con.execute(f"insert into {table} {rows_sql}")
    finally:
        con.close()
    try:
        yield
    finally:
        con = duckdb.connect(str(db))
        try:
            con.execute(f"delete from {table}")
            con.execute(f"insert into {table} select * from {backup}")
            con.execute(f"drop table {backup}")
        finally:
            con.close()


def _project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    for name in ("models", "macros", "seeds"):
        shutil.copytree(ROOT / name, copy / name)
    shutil.copy(ROOT / "dbt_project.yml", copy / "dbt_project.yml")
    return copy


def test_fingerprint_follows_sql_seeds_and_variables_not_descriptions(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    first = project_fingerprint(project)
    assert project_fingerprint(project) == first

    yml = project / "models" / "marts" / "_marts__models.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "description: >", "description: >\n      Edited.", 1), encoding="utf-8")
    assert project_fingerprint(project) == first, "a description edit must not force a rebuild"

    sql = project / "models" / "marts" / "speakers.sql"
    sql.write_text(sql.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    second = project_fingerprint(project)
    assert second != first

    seed = project / "seeds" / "speech_cues.csv"
    seed.write_text(seed.read_text(encoding="utf-8") + "opined,opine,speech\n", encoding="utf-8")
    third = project_fingerprint(project)
    assert third != second

    config = project / "dbt_project.yml"
    text = config.read_text(encoding="utf-8")
    assert "near_duplicate_threshold: 0.7" in text
    config.write_text(text.replace("near_duplicate_threshold: 0.7", "near_duplicate_threshold: 0.8"),
                      encoding="utf-8")
    assert project_fingerprint(project) != third


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("state") / "wh"
    build(SAMPLES, warehouse)
    paths = prepare_warehouse(warehouse)
    restore_marts(paths.published, paths.marts_db)  # the tests below change the marts file itself
    return warehouse


def test_a_build_by_another_project_is_rebuilt_whole(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    paths = prepare_warehouse(built)
    state = read_state(paths.build_db)
    assert state.project_fingerprint == project_fingerprint(ROOT) and state.tested_through_load_id >= 1

    calls: list[list[str]] = []
    real_run_dbt = build_module.run_dbt

    def recording_run_dbt(paths, args, *rest, **options):
        calls.append(list(args))
        return real_run_dbt(paths, args, *rest, **options)

    monkeypatch.setattr(build_module, "run_dbt", recording_run_dbt)
    build(SAMPLES, built)
    assert "--full-refresh" not in calls[-1]
    assert "path:seeds" in calls[-1], "an unchanged project keeps the seeds it loaded (and their tests passed)"

    write_state(paths.build_db, "built-by-an-older-version", state.tested_through_load_id)
    with caplog.at_level(logging.WARNING, logger="build"):
        build(SAMPLES, built)
    assert "--full-refresh" in calls[-1]
    assert "path:seeds" not in calls[-1]
    assert "rebuilding every model" in caplog.text
    assert read_state(paths.build_db).project_fingerprint == project_fingerprint(ROOT)


def test_a_failed_build_leaves_its_loads_untested(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    articles = tmp_path / "in"
    shutil.copytree(SAMPLES, articles)
    paths = prepare_warehouse(built)
    before = read_state(paths.build_db)

    def failing_dbt(paths, args, *rest, **options):
        raise BuildError("dbt build failed")

    monkeypatch.setattr(build_module, "run_dbt", failing_dbt)
    (articles / "new.txt").write_text("A headline\n\nOfficials said 300 trucks crossed.", encoding="utf-8")
    with pytest.raises(BuildError):
        build(articles, built)
    assert read_state(paths.build_db).tested_through_load_id == before.tested_through_load_id


def test_row_by_row_tests_read_only_untested_loads(built: Path) -> None:
    """A broken row of a tested load is not read again; once its load counts as untested, it is."""
    paths = prepare_warehouse(built)
    state = read_state(paths.build_db)
    first = "where paragraph_id = (select min(paragraph_id) from marts.paragraphs)"
    _execute(paths.marts_db, f"update marts.paragraphs set char_start = char_start + 1 {first}")
    try:
        run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets"])
        write_state(paths.build_db, None, -1)
        with pytest.raises(BuildError):
            run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets"])
    finally:
        write_state(paths.build_db, None, state.tested_through_load_id)
        _execute(paths.marts_db, f"update marts.paragraphs set char_start = char_start - 1 {first}")


CHUNKED = ["--vars", "{text_at_offsets_long_text_chars: 10, text_at_offsets_chunk_chars: 64}"]


@pytest.mark.parametrize("row", ["min", "max"])
def test_text_at_offsets_cuts_long_parents_in_chunks(built: Path, row: str) -> None:
    """With every article counted long and chunks of 64 characters, the chunked comparison passes
    the true offsets and catches one shifted paragraph: the shortest (inside a chunk pair) or the
    longest (over several chunks)."""
    paths = prepare_warehouse(built)
    state = read_state(paths.build_db)
    [(length,)] = _execute(paths.marts_db, f"select {row}(length(paragraph_text)) from marts.paragraphs")
    assert (length <= 64) == (row == "min")
    which = f"where paragraph_id = (select min(paragraph_id) from marts.paragraphs where length(paragraph_text) = {length})"
    shifted = False
    try:
        write_state(paths.build_db, None, -1)
        run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets", *CHUNKED])
        _execute(paths.marts_db, f"update marts.paragraphs set char_start = char_start + 1 {which}")
        shifted = True
        with pytest.raises(BuildError):
            run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets", *CHUNKED])
    finally:
        write_state(paths.build_db, None, state.tested_through_load_id)
        if shifted:
            _execute(paths.marts_db, f"update marts.paragraphs set char_start = char_start - 1 {which}")


def test_a_parent_row_outside_the_load_filter_fails_text_at_offsets(built: Path) -> None:
    """text_at_offsets filters the parent by load too (parent_where): a paragraph whose article row
    the filter leaves out is reported, never passed unread."""
    paths = prepare_warehouse(built)
    state = read_state(paths.build_db)
    [(article_id, load_id)] = _execute(
        paths.marts_db, "select article_id, load_id from marts.articles "
        "where article_id in (select article_id from marts.paragraphs) order by article_id limit 1")
    _execute(paths.marts_db, "update marts.articles set load_id = -5 where article_id = ?", [article_id])
    try:
        write_state(paths.build_db, None, -1)
        with pytest.raises(BuildError):
            run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets"])
    finally:
        write_state(paths.build_db, None, state.tested_through_load_id)
        _execute(paths.marts_db, "update marts.articles set load_id = ? where article_id = ?", [load_id, article_id])


# Edits of marts.paragraphs for canonical_has_same_text: a, b, d are three paragraphs of the samples
# that are their own canonical and no other paragraph's.
CANONICAL_CASES = {
    "missing canonical": (False, ["update marts.paragraphs set canonical_paragraph_id = 'no such id' where paragraph_id = $b"]),
    "canonical with another text": (False, ["update marts.paragraphs set canonical_paragraph_id = $a where paragraph_id = $b"]),
    "chained canonical": (False, [
        "update marts.paragraphs set paragraph_text = (select paragraph_text from marts.paragraphs where paragraph_id = $a) "
        "where paragraph_id in ($b, $d)",
        "update marts.paragraphs set canonical_paragraph_id = $a where paragraph_id = $b",
        "update marts.paragraphs set canonical_paragraph_id = $d where paragraph_id = $a"]),
    "copy word for word": (True, [
        "update marts.paragraphs set paragraph_text = (select paragraph_text from marts.paragraphs where paragraph_id = $a) "
        "where paragraph_id = $b",
        "update marts.paragraphs set canonical_paragraph_id = $a where paragraph_id = $b"]),
    "copy equal after normalising": (True, [
        "update marts.paragraphs set paragraph_text = upper((select paragraph_text from marts.paragraphs "
        "where paragraph_id = $a)) where paragraph_id = $b",
        "update marts.paragraphs set canonical_paragraph_id = $a where paragraph_id = $b"]),
}


@pytest.mark.parametrize("case", list(CANONICAL_CASES))
def test_canonical_has_same_text_fails_on_broken_links_only(built: Path, tmp_path: Path, case: str) -> None:
    """The grouped first step of canonical_has_same_text lets no broken link through."""
    passes, statements = CANONICAL_CASES[case]
    paths = prepare_warehouse(built)
    backup = tmp_path / "marts.duckdb"
    shutil.copy(paths.marts_db, backup)
    try:
        con = duckdb.connect(str(paths.marts_db))
        try:
            ids = [r[0] for r in con.execute(
                "select paragraph_id from marts.paragraphs where canonical_paragraph_id = paragraph_id "
                "and upper(paragraph_text) <> paragraph_text and paragraph_id not in (select "
                "canonical_paragraph_id from marts.paragraphs where canonical_paragraph_id <> paragraph_id) "
                "order by paragraph_id limit 3").fetchall()]
            params = dict(zip(("a", "b", "d"), ids))
            for statement in statements:
                con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
        finally:
            con.close()
        select = ["test", "--select", "paragraphs,test_name:canonical_has_same_text"]
        if passes:
            run_dbt(paths, select)
        else:
            with pytest.raises(BuildError):
                run_dbt(paths, select)
    finally:
        shutil.copy(backup, paths.marts_db)


def test_unique_combination_of_new_rows_catches_a_repeat_of_an_older_row(built: Path) -> None:
    """int_number_tokens_extracted' key test groups only the texts of untested loads, older rows included: a
    new row that repeats an older row's key fails it."""
    paths = prepare_warehouse(built)
    state = read_state(paths.build_db)
    select = ["test", "--select", "int_number_tokens_extracted,test_name:unique_combination"]
    with _planted(paths.build_db, "intermediate.int_number_tokens_extracted",
                  "select * replace (load_id + 1000 as load_id) from intermediate.int_number_tokens_extracted "
                  "order by text_id, token_index limit 1"):
        with pytest.raises(BuildError):
            run_dbt(paths, select)
    assert read_state(paths.build_db).tested_through_load_id == state.tested_through_load_id
    run_dbt(paths, select)


@pytest.mark.parametrize("case", ["repeats_an_older_key", "repeats_a_new_key", "null_key", "new_key"])
def test_primary_key_of_new_rows_checks_them_against_every_row(built: Path, case: str) -> None:
    """int_numeric_claims_assembled' key test reads the keys of untested loads only, but checks each against every
    row: a new row repeating an older row's key or another new row's, or with no key, fails it."""
    paths = prepare_warehouse(built)
    select = ["test", "--select", "int_numeric_claims_assembled,test_name:primary_key"]
    key = {"repeats_an_older_key": "claim_id", "repeats_a_new_key": "'planted'", "null_key": "null",
           "new_key": "'planted'"}[case]
    copies = 2 if case == "repeats_a_new_key" else 1
    with _planted(paths.build_db, "intermediate.int_numeric_claims_assembled", f"""
            select claims.* replace ({key} as claim_id, claims.load_id + 1000 as load_id)
            from intermediate.int_numeric_claims_assembled as claims, range({copies})
            order by claims.claim_id limit {copies}"""):
        if case == "new_key":
            run_dbt(paths, select)
        else:
            with pytest.raises(BuildError):
                run_dbt(paths, select)
