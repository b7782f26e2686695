"""How the build sets dbt up: models run at once by warehouse size, and NEWS_THREADS over it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from scripts.build import dbt_command, settings
from scripts.build.errors import BuildError
from scripts.build.pipeline import build
from scripts.build.settings import ONE_THREAD_FROM_ARTICLES, dbt_threads, duckdb_threads
from scripts.build.warehouse import prepare_warehouse

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "articles"


def test_large_warehouses_run_one_model_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWS_THREADS", raising=False)
    assert dbt_threads(5) == "2"
    assert dbt_threads(ONE_THREAD_FROM_ARTICLES - 1) == "2"
    assert dbt_threads(ONE_THREAD_FROM_ARTICLES) == "1"
    monkeypatch.setenv("NEWS_THREADS", "2")
    assert dbt_threads(10 * ONE_THREAD_FROM_ARTICLES) == "2"
    monkeypatch.setenv("NEWS_THREADS", "1")
    assert dbt_threads(5) == "1"


def test_small_incremental_batches_share_the_cores_out_between_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """One DuckDB thread per query when two models run at once on two cores and the new articles are at
    most a tenth of the warehouse; DuckDB's default (0) on a full refresh or a big batch."""
    monkeypatch.delenv("NEWS_DUCKDB_THREADS", raising=False)
    assert duckdb_threads(1_000, 101_000, "2", full_refresh=False, cpus=2) == 1
    assert duckdb_threads(1_000, 101_000, "2", full_refresh=True, cpus=2) == 0
    assert duckdb_threads(20_000, 120_000, "2", full_refresh=False, cpus=2) == 0
    assert duckdb_threads(1_000, 1_001_000, "1", full_refresh=False, cpus=2) == 2
    assert duckdb_threads(1_000, 101_000, "2", full_refresh=False, cpus=8) == 4
    monkeypatch.setenv("NEWS_DUCKDB_THREADS", "3")
    assert duckdb_threads(1_000, 101_000, "2", full_refresh=True, cpus=2) == 3
    monkeypatch.setenv("NEWS_DUCKDB_THREADS", "two")
    with pytest.raises(BuildError, match="NEWS_DUCKDB_THREADS"):
        duckdb_threads(1_000, 101_000, "2", full_refresh=False)


def test_an_incremental_build_of_a_small_batch_sets_duckdb_threads(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWS_DUCKDB_THREADS", raising=False)
    monkeypatch.setattr(settings, "SMALL_BATCH_SHARE", 0.5)  # one new article of six is small then
    articles = tmp_path / "in"
    articles.mkdir()
    for path in SAMPLES.glob("*.txt"):
        (articles / path.name).write_bytes(path.read_bytes())
    build(articles, tmp_path / "wh")
    (articles / "new.txt").write_text("A headline\n\nOfficials said 300 trucks crossed.", encoding="utf-8")
    build(articles, tmp_path / "wh")
    log = (tmp_path / "wh" / ".build" / "logs" / "dbt.log").read_text(encoding="utf-8")
    first, second = log.split("set global max_vacuum_tasks")[1:3]
    assert "set global threads" not in first.split("SQL status")[0]  # the full build: DuckDB's default
    expected = max(1, (os.cpu_count() or 1) // 2)
    assert f"set global threads = {expected}" in second.split("SQL status")[0]


def test_the_build_passes_the_choice_to_dbt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWS_THREADS", raising=False)
    monkeypatch.setattr(settings, "ONE_THREAD_FROM_ARTICLES", 5)  # the five samples make it large
    build(SAMPLES, tmp_path / "wh")
    log = (tmp_path / "wh" / ".build" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Concurrency: 1 threads" in log
    assert "Concurrency: 2 threads" not in log


def test_running_out_of_memory_says_which_model_and_what_to_do(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A million articles under the default 4GB cap ran out of memory in int_articles_deduplicated."""
    paths = prepare_warehouse(tmp_path / "wh")
    results = paths.build_dir / "target" / "run_results.json"

    def failing_dbt(*args, **kwargs):
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps({"results": [
            {"unique_id": "model.news_warehouse.int_paragraphs_extracted", "status": "success", "message": "OK"},
            {"unique_id": "model.news_warehouse.int_articles_deduplicated", "status": "error",
             "message": "Runtime Error\n  Out of Memory Error: failed to allocate data of size 326.5 KiB"},
        ]}), encoding="utf-8")
        return subprocess.CompletedProcess(args, 1)

    monkeypatch.setenv("NEWS_MEMORY_LIMIT", "4GB")
    monkeypatch.setattr(dbt_command.subprocess, "run", failing_dbt)
    with pytest.raises(BuildError, match=r"out of memory in int_articles_deduplicated under its cap of 4GB"
                                         r".*NEWS_MEMORY_LIMIT=10GB"):
        dbt_command.run_dbt(paths, ["build"])

    def other_failure(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1)  # a stale run_results.json must not be read

    monkeypatch.setattr(dbt_command.subprocess, "run", other_failure)
    with pytest.raises(BuildError, match="dbt build failed"):
        dbt_command.run_dbt(paths, ["build"])


def test_seeds_are_loaded_only_when_the_project_changed() -> None:
    from scripts.build.dbt_command import dbt_build_args
    assert dbt_build_args() == ["build", "--exclude-resource-type", "unit_test"]
    assert dbt_build_args(seeds=False) == ["build", "--exclude-resource-type", "unit_test", "--exclude", "path:seeds"]
    assert dbt_build_args(unit_tests=True) == ["build"]
    assert dbt_build_args(full_refresh=True, unit_tests=True, seeds=False) == [
        "build", "--full-refresh", "--exclude", "path:seeds"]


def test_large_warehouses_get_a_larger_memory_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.build.settings import dbt_memory_limit
    monkeypatch.delenv("NEWS_MEMORY_LIMIT", raising=False)
    gib = 2**30
    assert dbt_memory_limit(5, ram=24 * gib) == "4GB"
    assert dbt_memory_limit(ONE_THREAD_FROM_ARTICLES - 1, ram=24 * gib) == "4GB"
    assert dbt_memory_limit(ONE_THREAD_FROM_ARTICLES, ram=24 * gib) == "10GB"
    assert dbt_memory_limit(10 * ONE_THREAD_FROM_ARTICLES, ram=16 * gib) == "8GB"  # half the machine
    assert dbt_memory_limit(10 * ONE_THREAD_FROM_ARTICLES, ram=4 * gib) == "4GB"  # never below the default
    monkeypatch.setenv("NEWS_MEMORY_LIMIT", "6GB")
    assert dbt_memory_limit(5) == dbt_memory_limit(10 * ONE_THREAD_FROM_ARTICLES) == "6GB"


def test_the_build_passes_the_memory_cap_to_dbt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWS_MEMORY_LIMIT", raising=False)
    seen: list[str] = []

    def recording_run(command, env, **kwargs):
        seen.append(env["NEWS_MEMORY_LIMIT"])
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dbt_command.subprocess, "run", recording_run)
    paths = prepare_warehouse(tmp_path / "wh")
    dbt_command.run_dbt(paths, ["build"], "1", "7GB")
    dbt_command.run_dbt(paths, ["build"])
    assert seen == ["7GB", "4GB"]


def test_a_dbt_process_started_ahead_runs_one_command_or_none(tmp_path: Path) -> None:
    """The build starts dbt's process before loading: it runs the command it is then sent, with the
    command's exit status, and an unused one (a failed load) is stopped."""
    from scripts import PROJECT_DIR
    from scripts.build.dbt_command import DbtProcess, dbt_env

    with DbtProcess() as unused:
        pass
    assert unused._process.returncode is not None

    env = dbt_env(tmp_path / "build.duckdb", tmp_path / "marts.duckdb")
    common = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
              "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    with DbtProcess() as process:
        assert process.run(["ls", "--resource-type", "seed", "-q", *common], env) == 0
        with pytest.raises(RuntimeError):
            process.run(["ls"], env)
    with DbtProcess() as process:
        assert process.run(["no-such-command"], env) == 2


def test_a_dbt_process_writes_the_run_results_and_no_other_json_artifact(tmp_path: Path) -> None:
    """With a run_results path (as the build runs it), dbt runs with --no-write-json and the process
    writes the run results itself: they are all the build and the benchmark read."""
    from scripts import PROJECT_DIR
    from scripts.build.dbt_command import DbtProcess, dbt_env

    env = dbt_env(tmp_path / "build.duckdb", tmp_path / "marts.duckdb")
    target = tmp_path / "target"
    results = target / "run_results.json"
    with DbtProcess() as process:
        assert process.run(["seed", "--select", "quotation_marks", "--project-dir", str(PROJECT_DIR),
                            "--profiles-dir", str(PROJECT_DIR), "--target-path", str(target),
                            "--log-path", str(tmp_path / "logs")], env, results) == 0
    ran = json.loads(results.read_text(encoding="utf-8"))["results"]
    assert ("seed.news_warehouse.quotation_marks", "success") in [(r["unique_id"], r["status"]) for r in ran]
    assert not (target / "manifest.json").exists()


def test_a_parse_saved_by_another_checkout_is_dropped(tmp_path: Path) -> None:
    """dbt reuses the absolute seed paths of its saved parse: a warehouse built from a checkout that
    has moved (or an older build that left no stamp) must parse again; one built from this checkout
    keeps its parse."""
    target = tmp_path / "target"
    target.mkdir()
    saved = target / "partial_parse.msgpack"
    saved.write_bytes(b"parse")
    dbt_command.forget_parse_of_other_checkout(target, Path("/elsewhere/project"))
    assert not saved.exists()  # no stamp: written by an older build, from wherever
    saved.write_bytes(b"parse")
    dbt_command.forget_parse_of_other_checkout(target, Path("/elsewhere/project"))
    assert saved.exists()  # stamped by this checkout
    dbt_command.forget_parse_of_other_checkout(target, Path("/here/project"))
    assert not saved.exists()
    assert (target / "project_dir.txt").read_text(encoding="utf-8") == "/here/project"


def test_the_spark_build_drops_a_parse_saved_by_another_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Spark build keeps its own dbt target folder; it forgets another checkout's parse the same way."""
    import dbt.cli.main

    from scripts.build import spark

    class Runner:
        def invoke(self, arguments: list[str]) -> object:
            seen.append(arguments)
            return type("Result", (), {"success": True})()

    seen: list[list[str]] = []
    for key in (*dbt_command.DBT_NO_TRACKING, "NEWS_SPARK_DIR"):  # the run sets them; put them back after
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(spark, "start_session", lambda spark_dir: None)
    monkeypatch.setattr(dbt.cli.main, "dbtRunner", Runner)
    target = tmp_path / "spark" / "target"
    target.mkdir(parents=True)
    (target / "partial_parse.msgpack").write_bytes(b"parse")
    (target / "project_dir.txt").write_text("/elsewhere/project", encoding="utf-8")
    spark.run_dbt_spark(["run"], tmp_path / "spark", tmp_path / "spark")
    assert seen and seen[0][0] == "run"
    assert not (target / "partial_parse.msgpack").exists()
    assert (target / "project_dir.txt").read_text(encoding="utf-8") == str(dbt_command.PROJECT_DIR)
