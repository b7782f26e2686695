"""The Spark target: the same models, built through dbt-spark on a local Spark session, give the same marts.

The equality tests are skipped unless NEWS_TEST_SPARK=1 (`make test-spark` sets it after installing
pyspark and dbt-spark into .venv). Each builds an input with the DuckDB build, then with the Spark
build into the same warehouse folder (the same loads, so the same load ids and load times), and
compares every mart and every seed row for row (scripts/quality/spark_compare.py). dbt's unit tests run on
DuckDB only; the Spark build runs the data tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.build.errors import BuildError
from scripts.build.spark import SPARK_MARTS, check_java, java_major_version
from scripts.quality.spark_compare import compare_marts

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"
CORPORA = ROOT.parent / "shared" / "corpora"
GENERATED_ARTICLES = 1000

spark_only = pytest.mark.skipif(
    os.environ.get("NEWS_TEST_SPARK") != "1",
    reason="Spark equality test (minutes, needs pyspark and Java): run `make test-spark` or set NEWS_TEST_SPARK=1",
)


# The near-duplicate links are found by MinHash and LSH, with DuckDB's hash() on DuckDB and xxhash64 on
# Spark: different minima, so a pair near the threshold can be a candidate on one engine and not on the
# other (each finds a pair at Jaccard 0.7 with probability 0.96 under the project's 12 bands of 4; at
# 1,000 articles one paragraph of 4,404 had a near-duplicate cluster on DuckDB only). The comparison
# runs both with settings under which every pair at the threshold is a candidate and verified
# (24 bands of 2: missed with probability 1e-7 at 0.7; no estimate cut, no star buckets), so the
# exact Jaccard decides on both and the links must be equal.
EXHAUSTIVE_NEAR_DUPLICATES = ("{minhash_bands: 24, minhash_rows: 2, near_duplicate_estimate_margin: 1, "
                              "near_duplicate_bucket_limit: 1000000}")


def run(module: str, *args: str) -> None:
    env = {**os.environ, "NEWS_DBT_VARS": EXHAUSTIVE_NEAR_DUPLICATES}
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, check=False,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{module} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


def build_both(articles: Path, warehouse: Path) -> None:
    run("scripts.build", "--articles", str(articles), "--warehouse", str(warehouse), "-q")
    run("scripts.build", "--target", "spark", "--articles", str(articles), "--warehouse", str(warehouse), "-q")


def assert_same_marts(warehouse: Path) -> None:
    results = compare_marts(warehouse / "news.duckdb", warehouse / ".spark" / "tables" / "marts.db", SPARK_MARTS)
    assert all(result.equal for result in results), "\n".join(result.line() for result in results)
    assert all(result.duckdb_rows for result in results if result.mart != "load_errors"), \
        "\n".join(result.line() for result in results)


def assert_same_seeds(warehouse: Path) -> None:
    """Every seed as Spark stored it equals DuckDB's (backslashes and quotes kept: the furniture
    patterns are regular expressions)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse / '.build' / 'news_build.duckdb'}' as built (read_only)")
        # The seeds the Spark build loaded (those its selected models need).
        seeds = sorted(path.name for path in (warehouse / ".spark" / "tables" / "lexicons.db").iterdir())
        assert "page_furniture_patterns" in seeds
        for seed in seeds:
            spark = f"read_parquet('{warehouse / '.spark' / 'tables' / 'lexicons.db' / seed}/*.parquet')"
            columns = ", ".join(f"cast({name} as varchar)" for (name,) in con.execute(
                "select column_name from duckdb_columns() where database_name = 'built' "
                "and schema_name = 'lexicons' and table_name = ? order by column_index", [seed]).fetchall())
            differing = con.execute(
                f"select count(*) from ((select {columns} from built.lexicons.{seed} except all "
                f"select {columns} from {spark}) union all (select {columns} from {spark} except all "
                f"select {columns} from built.lexicons.{seed}))").fetchone()[0]
            assert differing == 0, f"seed {seed}: {differing} rows differ between DuckDB and Spark"
    finally:
        con.close()


@spark_only
def test_sample_articles_build_the_same_marts_on_spark(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    build_both(SAMPLES, warehouse)
    assert_same_marts(warehouse)
    assert_same_seeds(warehouse)


@spark_only
@pytest.mark.skipif(not CORPORA.is_dir(), reason="needs ../shared/corpora to generate the corpus")
def test_generated_corpus_builds_the_same_marts_on_spark(tmp_path: Path) -> None:
    from scripts.bench.run import read_sources, write_corpus

    articles = write_corpus(read_sources(CORPORA), GENERATED_ARTICLES, tmp_path / "corpus", "txt", seed=7)
    warehouse = tmp_path / "warehouse"
    build_both(articles, warehouse)
    assert_same_marts(warehouse)


def test_missing_java_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    with pytest.raises(BuildError, match="needs Java"):
        check_java()


def test_java_version_is_read_from_its_banner(tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text('#!/bin/sh\necho \'openjdk version "1.8.0_392"\' >&2\n', encoding="utf-8")
    fake.chmod(0o755)
    assert java_major_version(str(fake)) == 8
    fake.write_text('#!/bin/sh\necho \'openjdk version "21.0.2" 2024-01-16\' >&2\n', encoding="utf-8")
    assert java_major_version(str(fake)) == 21


def test_each_load_is_exported_to_parquet_once(tmp_path: Path, write_file, articles_dir: Path) -> None:
    from scripts.build.load import load_articles
    from scripts.build.load.raw_parquet import export_raw_parquet

    build_db, raw = tmp_path / "build.duckdb", tmp_path / "raw"
    write_file("a.txt", "Title A\nBody \\s+ with a backslash and ‘quotes’.\n")
    write_file("empty.txt", "")
    load_articles(articles_dir, build_db)
    assert export_raw_parquet(build_db, raw) == 2  # the articles and the load errors of load 1
    assert export_raw_parquet(build_db, raw) == 0  # nothing new
    write_file("b.txt", "Title B\nAnother body.\n")
    load_articles(articles_dir, build_db)
    assert export_raw_parquet(build_db, raw) == 2  # load 2: one article, and a file without errors
    con = duckdb.connect()
    try:
        rows = con.execute(f"select source_path, text, load_id, typeof(loaded_at) from "
                           f"read_parquet('{raw}/articles/*.parquet') order by load_id").fetchall()
        columns = [row[0] for row in con.execute(f"describe select * from '{raw}/articles/load_1.parquet'").fetchall()]
        errors = con.execute(f"select source_path, load_id from read_parquet('{raw}/load_errors/*.parquet')").fetchall()
    finally:
        con.close()
    assert [(path, load_id) for path, _, load_id, _ in rows] == [("a.txt", 1), ("b.txt", 2)]
    assert rows[0][1] == "Title A\nBody \\s+ with a backslash and ‘quotes’.\n"
    assert rows[0][3] == "TIMESTAMP WITH TIME ZONE"  # Spark reads it as its TIMESTAMP, in UTC
    assert errors == [("empty.txt", 1)]
    assert "file_mtime_ns" not in columns and {"source_path", "content_sha256", "published_at"} <= set(columns)
    # A pruning load takes rows out of an earlier load: that load's file is written again.
    con = duckdb.connect(str(build_db))
    try:
        con.execute("delete from raw.articles where source_path = 'a.txt'")
    finally:
        con.close()
    assert export_raw_parquet(build_db, raw) == 1
    con = duckdb.connect()
    try:
        assert con.execute(f"select count(*) from read_parquet('{raw}/articles/load_1.parquet')").fetchone() == (0,)
    finally:
        con.close()


def test_spark_settings_follow_the_warehouse(tmp_path: Path) -> None:
    from scripts.build.spark import spark_settings

    settings = spark_settings(tmp_path / ".spark")
    assert settings["spark.master"] == "local[*]"
    assert settings["spark.sql.warehouse.dir"] == f"{tmp_path / '.spark'}/tables"
    assert f"databaseName={tmp_path / '.spark'}/metastore_db" in settings["spark.hadoop.javax.jdo.option.ConnectionURL"]


def test_dbt_vars_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.build.dbt_command import dbt_vars_args

    monkeypatch.delenv("NEWS_DBT_VARS", raising=False)
    assert dbt_vars_args() == []
    monkeypatch.setenv("NEWS_DBT_VARS", "{minhash_bands: 24}")
    assert dbt_vars_args() == ["--vars", "{minhash_bands: 24}"]
