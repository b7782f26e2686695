"""Build the warehouse's marts through dbt-spark on a local Spark session (`make build TARGET=spark`).

    python -m scripts.spark_build --articles data/articles --warehouse warehouse

The same loader as the DuckDB build reads the input into the build file (decoding and validation
stay the one path in); each load's raw rows are then exported to Parquet, and dbt runs the same
models with the `spark` target of profiles.yml. Layout under the warehouse folder:

    <warehouse>/.build/news_build.duckdb   the loader's raw tables (shared with the DuckDB build)
    <warehouse>/.spark/raw/<table>/load_<id>.parquet   the raw rows of each load, as Spark reads them
    <warehouse>/.spark/tables/<schema>.db/...          Spark's tables (marts.articles, ...), Parquet
    <warehouse>/.spark/metastore_db                    Spark's catalog (Derby)

Every Spark build rebuilds every model from the raw Parquet (see macros/spark.sql and the README,
"Scale out"). Spark runs in this process's JVM; Java is the one system requirement.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import duckdb
import jinja2
import yaml

from scripts.build import (DBT_NO_TRACKING, PROJECT_DIR, BuildError, build_lock, dbt_vars_args,
                           prepare_warehouse)
from scripts.load_articles import LoadError, load_articles
from scripts.logs import configure_logging

log = logging.getLogger("spark_build")

SPARK_DIR_NAME = ".spark"
# Spark 3.5 runs on Java 8, 11 and 17.
SUPPORTED_JAVA = (8, 11, 17)
# The raw tables Spark reads (the source of models/staging/news), and the columns of theirs that
# only the loader uses. Every other column is exported, so a column the loader adds reaches Spark.
RAW_TABLES = ("articles", "load_errors")
LOADER_ONLY_COLUMNS = {"file_mtime_ns"}


# The marts the Spark build makes (with everything upstream of them). quotes, speakers and
# numeric_claims are left out until their models are ported: they are being rewritten (the quote
# pipeline, the number models), and their engine-specific SQL goes through the dispatched macros after.
SPARK_MARTS = ("articles", "paragraphs", "load_errors")


def java_major_version(java: str) -> int | None:
    """The major version `java -version` reports (8 for 1.8.0_x), or None when it cannot be read."""
    try:
        output = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', output.stderr + output.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java() -> None:
    """Fail in one line unless a Java that Spark 3.5 runs on is found (JAVA_HOME, then PATH)."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise BuildError("the Spark target needs Java (8, 11 or 17) and none was found: install it "
                         "(Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    major = java_major_version(java)
    if major not in SUPPORTED_JAVA:
        raise BuildError(f"Spark 3.5 runs on Java 8, 11 or 17; {java} is "
                         f"{'of an unknown version' if major is None else f'Java {major}'}: "
                         "install Java 17 (Debian: openjdk-17-jre-headless) or point JAVA_HOME at one")


def export_raw_parquet(build_db: Path, raw_dir: Path) -> int:
    """Write the raw rows of every load not yet exported to <raw_dir>/<table>/load_<id>.parquet.

    A load's rows never change once written (the loader only appends), so each load is written once,
    one file per table (with no rows when the load brought none: Spark reads the schema from the
    files). Timestamps are written with their time zone (UTC), which Spark reads as its TIMESTAMP.
    Each file is written under a hidden name and renamed, so Spark never reads half of one.
    Returns the number of files written.
    """
    written = 0
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        loads = [row[0] for row in con.execute("select load_id from raw.loads order by load_id").fetchall()]
        for table in RAW_TABLES:
            columns = ", ".join(
                f"cast({name} as timestamptz) as {name}" if data_type == "TIMESTAMP" else name
                for name, data_type in con.execute(
                    "select column_name, data_type from duckdb_columns() where schema_name = 'raw' "
                    "and table_name = ? order by column_index", [table]).fetchall()
                if name not in LOADER_ONLY_COLUMNS)
            folder = raw_dir / table
            folder.mkdir(parents=True, exist_ok=True)
            for load_id in loads:
                final = folder / f"load_{int(load_id)}.parquet"
                if final.exists():
                    continue
                hidden = folder / f".load_{int(load_id)}.parquet.tmp"
                con.execute(f"copy (select {columns} from raw.{table} where load_id = {int(load_id)}) "
                            f"to '{hidden}' (format parquet)")
                os.replace(hidden, final)
                written += 1
    finally:
        con.close()
    return written


def spark_settings(spark_dir: Path) -> dict[str, str]:
    """The Spark settings of the profile's spark target, rendered for this warehouse."""
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    parameters = profiles["news_warehouse"]["outputs"]["spark"]["server_side_parameters"]
    environment = jinja2.Environment()
    env = {**os.environ, "NEWS_SPARK_DIR": str(spark_dir)}
    environment.globals["env_var"] = lambda name, default=None: env.get(name, default)
    return {key: environment.from_string(str(value)).render() for key, value in parameters.items()}


def nfc_normalize(text: str | None) -> str | None:
    """Unicode NFC, the `nfc_normalize` of DuckDB (Spark SQL has none)."""
    return None if text is None else unicodedata.normalize("NFC", text)


def start_session(spark_dir: Path):  # -> pyspark.sql.SparkSession
    """Start the local Spark session dbt-spark will use (it takes the running one), with the
    functions the models need that Spark SQL lacks."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the UDF's Python workers: this venv's
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_settings(spark_dir).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    session.udf.register("nfc_normalize", nfc_normalize, "string")
    return session


def run_dbt_spark(args: Sequence[str], spark_dir: Path, target_dir: Path) -> None:
    """Run `dbt <args>` on the spark target in this process (dbt-spark's session is this process's)."""
    os.environ.update({**DBT_NO_TRACKING, "NEWS_SPARK_DIR": str(spark_dir)})
    started = time.monotonic()
    start_session(spark_dir)
    log.info("Spark session started in %.1f s", time.monotonic() - started)
    from dbt.cli.main import dbtRunner

    arguments = [*args, *dbt_vars_args(), "--target", "spark", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
                 "--target-path", str(target_dir / "target"), "--log-path", str(target_dir / "logs")]
    log.info("running dbt %s on Spark", " ".join(args))
    result = dbtRunner().invoke(arguments)
    if not result.success:
        raise BuildError(f"dbt {args[0]} on Spark failed; see the messages above and {target_dir / 'logs'}")


def check_spark_installed() -> None:
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        raise BuildError("pyspark and dbt-spark are not installed: `make build TARGET=spark` installs "
                         "them (the `spark` group of pyproject.toml)") from None


def build_spark(articles: Path, warehouse: Path, *, wait: bool = False, unit_tests: bool = False,
                select: Sequence[str] = ()) -> Path:
    """Load, export the raw rows to Parquet and run dbt build on Spark; the folder of the marts' tables."""
    check_java()
    check_spark_installed()
    paths = prepare_warehouse(warehouse)
    spark_dir = paths.root / SPARK_DIR_NAME
    started = time.monotonic()
    with build_lock(paths, wait):
        summary = load_articles(articles, paths.build_db)
        exported = export_raw_parquet(paths.build_db, spark_dir / "raw")
        loaded = time.monotonic()
        log.info("exported %d load file%s to %s", exported, "" if exported == 1 else "s", spark_dir / "raw")
        excluded = [] if unit_tests else ["--exclude-resource-type", "unit_test"]
        # A test of a selected model that also refs one left out would fail: only tests whose models
        # are all selected run.
        select = select or [f"+{mart}" for mart in SPARK_MARTS]
        selected = ["--select", *select, "--indirect-selection", "cautious"]
        run_dbt_spark(["build", *excluded, *selected], spark_dir, spark_dir)
    marts = spark_dir / "tables" / "marts.db"
    log.info("built %s on Spark in %.1f s (load and export %.1f s, dbt %.1f s); %d articles loaded this time",
             marts, time.monotonic() - started, loaded - started, time.monotonic() - loaded, summary.loaded)
    return marts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.spark_build",
        description="Load articles and build the marts with dbt-spark on a local Spark session.")
    parser.add_argument("--articles", type=Path, default=PROJECT_DIR / "data" / "articles",
                        help="folder of .txt / .jsonl articles, or one .jsonl[.gz] file (default: data/articles)")
    parser.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                        help="warehouse folder (default: warehouse/); Spark's files go to <warehouse>/.spark")
    parser.add_argument("--wait", action="store_true",
                        help="wait for a running build on the same warehouse instead of exiting")
    parser.add_argument("--select", nargs="+", default=[],
                        help="build only these dbt nodes (dbt's selection syntax; default: the marts of SPARK_MARTS)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    try:
        build_spark(args.articles, args.warehouse, wait=args.wait, select=args.select)
    except (BuildError, LoadError) as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
