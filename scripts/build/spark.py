"""Build the warehouse's marts through dbt-spark on a local Spark session (`make build TARGET=spark`).

    python -m scripts.build --target spark --articles data/articles --warehouse warehouse

The same loader as the DuckDB build reads the input into the build file (decoding and validation
stay the one path in); each load's raw rows are then exported to Parquet (load/raw_parquet.py), and
dbt runs the same models with the `spark` target of profiles.yml, in this process. Under the
warehouse folder:

    <warehouse>/.build/news_build.duckdb   the loader's raw tables (shared with the DuckDB build)
    <warehouse>/.spark/raw/<table>/load_<id>.parquet   the raw rows of each load, as Spark reads them
    <warehouse>/.spark/tables/<schema>.db/...          Spark's tables (marts.articles, ...), Parquet
    <warehouse>/.spark/metastore_db                    Spark's catalog (Derby)

Every Spark build rebuilds every model from the raw Parquet (see macros/spark.sql and
docs/spark.md). Spark runs in this process's JVM; Java is the one system requirement.
"""

from __future__ import annotations

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

import jinja2
import yaml

from scripts import PROJECT_DIR
from scripts.build.dbt_command import DBT_NO_TRACKING, dbt_vars_args, forget_parse_of_other_checkout
from scripts.build.errors import BuildError
from scripts.build.load import load_articles
from scripts.build.load.raw_parquet import export_raw_parquet
from scripts.build.warehouse import build_lock, prepare_warehouse

log = logging.getLogger("spark_build")

SPARK_DIR_NAME = ".spark"
# Spark 3.5 runs on Java 8, 11 and 17.
SUPPORTED_JAVA = (8, 11, 17)



# The marts the Spark build makes (with everything upstream of them): every mart.
SPARK_MARTS = ("articles", "paragraphs", "load_errors", "quotes", "speakers", "numeric_claims")


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

    forget_parse_of_other_checkout(target_dir / "target")
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


def build_spark(articles: Path, warehouse: Path, *, wait: bool = False, prune: bool = False,
                select: Sequence[str] = ()) -> Path:
    """Load, export the raw rows to Parquet and run dbt build on Spark; the folder of the marts' tables.

    dbt's unit tests are left out: they test the rules' SQL on fixtures and run on DuckDB only."""
    check_java()
    check_spark_installed()
    paths = prepare_warehouse(warehouse)
    spark_dir = paths.root / SPARK_DIR_NAME
    started = time.monotonic()
    with build_lock(paths, wait):
        summary = load_articles(articles, paths.build_db, prune=prune)
        exported = export_raw_parquet(paths.build_db, spark_dir / "raw")
        loaded = time.monotonic()
        log.info("exported %d load file%s to %s", exported, "" if exported == 1 else "s", spark_dir / "raw")
        # A test of a selected model that also refs one left out would fail: only tests whose models
        # are all selected run.
        select = select or [f"+{mart}" for mart in SPARK_MARTS]
        run_dbt_spark(["build", "--exclude-resource-type", "unit_test", "--select", *select,
                       "--indirect-selection", "cautious"], spark_dir, spark_dir)
    marts = spark_dir / "tables" / "marts.db"
    log.info("built %s on Spark in %.1f s (load and export %.1f s, dbt %.1f s); %d articles loaded this time",
             marts, time.monotonic() - started, loaded - started, time.monotonic() - loaded, summary.loaded)
    return marts
