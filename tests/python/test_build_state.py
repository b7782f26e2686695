"""What a build remembers: the project that built it (a changed model forces a full refresh) and
the loads whose rows passed the data tests (row-by-row tests read only later loads)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import duckdb
import pytest

from scripts import build as build_module
from scripts.build import BuildError, build, prepare_warehouse, run_dbt
from scripts.build_state import project_fingerprint, read_state, write_state

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"


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

    seed = project / "seeds" / "speech_verbs.csv"
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
    return warehouse


def test_a_build_by_another_project_is_rebuilt_whole(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    paths = prepare_warehouse(built)
    state = read_state(paths.build_db)
    assert state.project_fingerprint == project_fingerprint(ROOT) and state.tested_through_load_id >= 1

    calls: list[list[str]] = []
    real_run_dbt = build_module.run_dbt

    def recording_run_dbt(paths, args, *rest):
        calls.append(list(args))
        return real_run_dbt(paths, args, *rest)

    monkeypatch.setattr(build_module, "run_dbt", recording_run_dbt)
    build(SAMPLES, built)
    assert "--full-refresh" not in calls[-1]
    assert "seed" in calls[-1], "an unchanged project keeps the seeds it loaded"

    write_state(paths.build_db, "built-by-an-older-version", state.tested_through_load_id)
    with caplog.at_level(logging.WARNING, logger="build"):
        build(SAMPLES, built)
    assert "--full-refresh" in calls[-1]
    assert "seed" not in calls[-1]
    assert "rebuilding every model" in caplog.text
    assert read_state(paths.build_db).project_fingerprint == project_fingerprint(ROOT)


def test_a_failed_build_leaves_its_loads_untested(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    articles = tmp_path / "in"
    shutil.copytree(SAMPLES, articles)
    paths = prepare_warehouse(built)
    before = read_state(paths.build_db)

    def failing_dbt(paths, args, *rest):
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
    con = duckdb.connect(str(paths.marts_db))
    try:
        con.execute("update marts.paragraphs set char_start = char_start + 1 "
                    "where paragraph_id = (select min(paragraph_id) from marts.paragraphs)")
    finally:
        con.close()
    try:
        run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets"])
        write_state(paths.build_db, None, -1)
        with pytest.raises(BuildError):
            run_dbt(paths, ["test", "--select", "paragraphs,test_name:text_at_offsets"])
    finally:
        write_state(paths.build_db, None, state.tested_through_load_id)
        con = duckdb.connect(str(paths.marts_db))
        try:
            con.execute("update marts.paragraphs set char_start = char_start - 1 "
                        "where paragraph_id = (select min(paragraph_id) from marts.paragraphs)")
        finally:
            con.close()
