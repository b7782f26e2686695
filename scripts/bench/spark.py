"""Benchmark the Spark build against the DuckDB build of the same input (`make bench TARGET=spark`).

    python -m scripts.bench.spark --n 10000                   # corpus made from ../shared/corpora
    python -m scripts.bench.spark --articles FOLDER_OR_JSONL  # an existing input

Builds the input with the DuckDB build (full), then with the Spark build into the same warehouse
folder (the same loads), and prints both wall times, their ratio, the Spark build's slowest dbt
nodes and whether the marts the Spark build makes are equal on both engines. The Spark build runs in
one local JVM on this machine's cores: the ratio shows Spark's overhead on one machine, not how a
cluster scales. A benchmark prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from scripts import PROJECT_DIR
from scripts.bench.run import SHARED_CORPORA, input_size, read_sources, run_build, write_corpus
from scripts.build.spark import SPARK_DIR_NAME, SPARK_MARTS
from scripts.quality.spark_compare import compare_marts

log = logging.getLogger("bench_spark")



def run_spark_build(articles: Path, warehouse: Path) -> float:
    """Wall seconds of one Spark build (`scripts.build --target spark`)."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "scripts.build", "--target", "spark", "--articles", str(articles),
                             "--warehouse", str(warehouse), "-q"], cwd=PROJECT_DIR, check=False)
    if result.returncode != 0:
        raise SystemExit(f"Spark build failed (exit {result.returncode})")
    return time.monotonic() - started


def node_times(run_results: Path) -> dict[str, float]:
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return {r["unique_id"]: r["execution_time"] for r in results}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.spark", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--articles", type=Path, help="benchmark this input instead of a generated corpus")
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA, help="where the shared collections are")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/news-bench-spark"),
                        help="corpus and warehouse folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=8, help="how many slow dbt nodes of the Spark build to list")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.articles:
        articles = args.articles
    else:
        corpus_dir = args.workdir / f"corpus-{args.n}"
        shutil.rmtree(corpus_dir, ignore_errors=True)
        log.info("generating %d articles in %s", args.n, corpus_dir)
        articles = write_corpus(read_sources(args.corpora), args.n, corpus_dir, "txt", args.seed)
    warehouse = args.workdir / f"warehouse-{articles.parent.name}"
    shutil.rmtree(warehouse, ignore_errors=True)
    log.info("DuckDB build of %s into %s", articles, warehouse)
    duck = run_build(articles, warehouse)
    log.info("Spark build of the same loads")
    spark = run_spark_build(articles, warehouse)
    spark_dir = warehouse / SPARK_DIR_NAME
    comparison = compare_marts(warehouse / "news.duckdb", spark_dir / "tables" / "marts.db", SPARK_MARTS)
    spark_nodes = node_times(spark_dir / "target" / "run_results.json")
    duck_nodes = node_times(warehouse / ".build" / "target" / "run_results.json")
    shared = [node for node in spark_nodes if node in duck_nodes]
    duck_shared = sum(duck_nodes[node] for node in shared)
    spark_shared = sum(spark_nodes[node] for node in shared)
    report = [
        f"input        {articles} ({input_size(articles) / 1e6:.1f} MB)",
        f"DuckDB build {duck.wall:.1f} s wall (every mart)",
        f"Spark build  {spark:.1f} s wall ({', '.join(SPARK_MARTS)} and their models; local[*], "
        f"one JVM) = {spark / duck.wall:.1f}x the DuckDB build",
        f"same nodes   {len(shared)} models, seeds and tests the Spark build ran: {duck_shared:.1f} s of dbt node "
        f"time on DuckDB, {spark_shared:.1f} s on Spark = {spark_shared / max(duck_shared, 1e-9):.1f}x",
        "Spark marts against DuckDB's:",
        *(f"  {result.line()}" for result in comparison),
        "slowest dbt nodes of the Spark build:",
        *(f"  {seconds:8.2f} s  {node}" for node, seconds in
          sorted(spark_nodes.items(), key=lambda item: -item[1])[:args.top]),
    ]
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
