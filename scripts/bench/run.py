"""Benchmark the warehouse build on a corpus of N articles and print the figures.

    python -m scripts.bench --n 10000                   # corpus made from ../shared/corpora
    python -m scripts.bench --articles FOLDER_OR_JSONL  # an existing input

The generated corpus mixes the shared collections (BBC, Reuters-21578, PolNeAR): the first pass uses
their articles as they are; further articles are new combinations of their paragraphs under a title
of their own (so syndicated paragraphs recur, as in a real archive). About 1% are exact
re-publications of an earlier article under a new path and 1% near copies (one word in 30 to 100
replaced); the planted pairs are written to `planted.json` beside the corpus.

Printed, for the full build: wall time, articles/s, MB/s, peak RSS of the build's processes, the
slowest dbt nodes (from run_results.json) and the build's time as a multiple of a bare DuckDB read of
the input; then an incremental build after adding --add (default 1%) new articles to a generated
corpus, as a share of the full build's time; near-duplicate recall and precision against the planted
copies, and datasketch on the same paragraphs (scripts/bench/near_duplicates.py); the numeric models
against quantulum3 on a sample of the same paragraphs (scripts/bench/numbers.py).
A benchmark prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts import PROJECT_DIR
from scripts.build.settings import dbt_memory_limit, dbt_threads

log = logging.getLogger("bench")

SHARED_CORPORA = PROJECT_DIR.parent / "shared" / "corpora"
COLLECTIONS = ("bbc", "reuters21578", "polnear")
REPUBLISH_SHARE = 0.01
NEAR_COPY_SHARE = 0.01


@dataclass(frozen=True)
class Source:
    title: str
    paragraphs: list[str]


def read_sources(corpora: Path) -> list[Source]:
    sources: list[Source] = []
    for collection in COLLECTIONS:
        for path in sorted((corpora / collection).rglob("*.txt")):
            text = path.read_bytes().decode("utf-8", errors="replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if len(lines) >= 2:
                sources.append(Source(lines[0], lines[1:]))
    if not sources:
        raise SystemExit(f"no articles found under {corpora}; pass --articles or --corpora")
    return sources


def near_copy(paragraphs: list[str], rng: random.Random) -> list[str]:
    """The same paragraphs with one word in 30 to 100 replaced (spread over the article): a word 5-gram
    Jaccard of about 0.71 to 0.9, so the planted pairs straddle the 0.8 the recall target is set at."""
    rate = rng.uniform(1 / 100, 1 / 30)
    words = [paragraph.split(" ") for paragraph in paragraphs]
    positions = [(i, j) for i, paragraph in enumerate(words) for j in range(len(paragraph))]
    for i, j in rng.sample(positions, max(1, round(len(positions) * rate))):
        words[i][j] = rng.choice(["reportedly", "officially", "again", "also", "meanwhile", "still"])
    return [" ".join(paragraph) for paragraph in words]


def generate(sources: list[Source], n: int, seed: int, start: int = 0,
             made: list[tuple[str, list[str]]] | None = None) -> Iterator[tuple[str, str, str, str | None]]:
    """(name, title, body, planted kind) for articles start .. start + n - 1.

    `made` holds the (title, paragraphs) of the articles generated so far, so a later batch (an
    incremental load) can republish or copy earlier articles too."""
    rng = random.Random(seed + start)
    made = [] if made is None else made
    for i in range(start, start + n):
        name = f"{i // 1000:04d}/{i:07d}"
        roll = rng.random()
        if made and roll < REPUBLISH_SHARE:
            j = rng.randrange(len(made))
            made.append(made[j])
            yield name, made[j][0], "\n\n".join(made[j][1]), f"republish:{j}"
            continue
        if made and roll < REPUBLISH_SHARE + NEAR_COPY_SHARE:
            j = rng.randrange(len(made))
            title, paragraphs = made[j][0] + " (updated)", near_copy(made[j][1], rng)
            made.append((title, paragraphs))
            yield name, title, "\n\n".join(paragraphs), f"near_copy:{j}"
            continue
        if i < len(sources):
            title, paragraphs = sources[i].title, sources[i].paragraphs
        else:
            picks = [sources[rng.randrange(len(sources))] for _ in range(rng.randint(2, 4))]
            paragraphs = [p for s in picks for p in rng.sample(s.paragraphs, min(len(s.paragraphs), 4))]
            title = f"{picks[0].title} ({i})"
        made.append((title, paragraphs))
        yield name, title, "\n\n".join(paragraphs), None


def write_corpus(sources: list[Source], total: int, out: Path, fmt: str, seed: int, write_from: int = 0) -> Path:
    """Write articles write_from .. total - 1 of the generated sequence (the earlier ones are generated
    again, identically, so later ones can copy them) and planted.json for all of them."""
    out.mkdir(parents=True, exist_ok=True)
    planted: list[dict[str, str]] = []
    names: list[str] = []
    target = out / "articles.jsonl" if fmt == "jsonl" else out / "articles"
    jsonl = open(target, "a" if write_from else "w", encoding="utf-8") if fmt == "jsonl" else None
    try:
        for index, (name, title, body, kind) in enumerate(generate(sources, total, seed)):
            names.append(name)
            if kind:
                what, original = kind.split(":")
                planted.append({"kind": what, "copy": name, "original": names[int(original)]})
            if index < write_from:
                continue
            if jsonl:
                jsonl.write(json.dumps({"id": name, "title": title, "body": body}, ensure_ascii=False) + "\n")
            else:
                path = target / f"{name}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    finally:
        if jsonl:
            jsonl.close()
    (out / "planted.json").write_text(json.dumps(planted, indent=1), encoding="utf-8")
    return target


def input_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bare_read_seconds(path: Path) -> float:
    """Time DuckDB alone takes to read every article's text (the floor for any build)."""
    con = duckdb.connect()
    started = time.monotonic()
    if path.is_file():
        con.execute(f"select count(*), sum(length(body)) from read_json('{path}', format='newline_delimited')"
                    ).fetchall()
    else:
        con.execute(f"select count(*), sum(length(content)) from read_text('{path}/**/*.txt')").fetchall()
    elapsed = time.monotonic() - started
    con.close()
    return elapsed


@dataclass(frozen=True)
class BuildRun:
    wall: float
    peak_rss_gb: float


def run_build(articles: Path, warehouse: Path, full_refresh: bool = False) -> BuildRun:
    """Wall seconds and peak RSS (GB) of one `scripts.build` run and its children."""
    started = time.monotonic()
    command = [sys.executable, "-m", "scripts.build", "--articles", str(articles), "--warehouse", str(warehouse),
               "-q", *(["--full-refresh"] if full_refresh else [])]
    result = subprocess.run(command, cwd=PROJECT_DIR, check=False)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed (exit {result.returncode})")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return BuildRun(wall, peak_kb / 1024 / 1024)


def count_articles(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute("select count(*) from marts.articles").fetchone()[0]
    finally:
        con.close()


def node_times(run_results: Path) -> dict[str, float]:
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return {r["unique_id"]: r["execution_time"] for r in results}


def project_var(name: str) -> float:
    """A var's default from dbt_project.yml (the benchmark reports against the project's own setting)."""
    text = (PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    match = re.search(rf"^\s*{name}:\s*([0-9.]+)", text, re.MULTILINE)
    if not match:
        raise SystemExit(f"dbt_project.yml has no var {name}")
    return float(match.group(1))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--articles", type=Path, help="benchmark this input instead of a generated corpus")
    parser.add_argument("--format", choices=("txt", "jsonl"), default="txt", help="generated corpus format")
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA, help="where the shared collections are")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/news-bench"), help="corpus and warehouse folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=10, help="how many slow dbt nodes to list")
    parser.add_argument("--add", type=float, default=0.01,
                        help="share of new articles for the incremental build (generated corpora; 0: none)")
    parser.add_argument("--no-compare", action="store_true", help="skip datasketch and quantulum3")
    parser.add_argument("--quantulum-sample", type=int, default=1000, help="paragraphs quantulum3 parses")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    corpus_dir = None
    if args.articles:
        articles = args.articles
    else:
        corpus_dir = args.workdir / f"corpus-{args.n}-{args.format}"
        articles = corpus_dir / ("articles.jsonl" if args.format == "jsonl" else "articles")
        if corpus_dir.exists():
            log.info("removing the corpus of an earlier run in %s", corpus_dir)
            shutil.rmtree(corpus_dir)
        log.info("generating %d articles (%s) in %s", args.n, args.format, corpus_dir)
        sources = read_sources(args.corpora)
        articles = write_corpus(sources, args.n, corpus_dir, args.format, args.seed)
    warehouse = args.workdir / f"warehouse-{articles.parent.name}"
    if warehouse.exists():
        log.info("removing the warehouse of an earlier run in %s", warehouse)
        shutil.rmtree(warehouse)
    size_mb = input_size(articles) / 1e6
    bare = bare_read_seconds(articles)
    log.info("full build of %s into %s", articles, warehouse)
    full = run_build(articles, warehouse)
    n = count_articles(warehouse)
    run_results = warehouse / ".build" / "target" / "run_results.json"
    times = node_times(run_results)
    report = [
        f"input      {articles} ({n} articles, {size_mb:.1f} MB)",
        f"build      {full.wall:.1f} s wall, {n / full.wall:.0f} articles/s, {size_mb / full.wall:.2f} MB/s, "
        f"peak RSS {full.peak_rss_gb:.2f} GB",
        f"bare read  {bare:.2f} s (DuckDB read of the same input); build = {full.wall / bare:.0f}x that",
        f"settings   dbt runs {dbt_threads(n)} model(s) at a time, DuckDB memory limit "
        f"{dbt_memory_limit(n)} (NEWS_THREADS, NEWS_MEMORY_LIMIT)",
        "slowest dbt nodes:",
        *(f"  {seconds:8.2f} s  {node}" for node, seconds in
          sorted(times.items(), key=lambda item: -item[1])[:args.top]),
    ]

    from scripts.bench import near_duplicates as bench_near_duplicates, numbers as bench_numbers

    threshold = project_var("near_duplicate_threshold")
    sql_near = sum(t for node, t in times.items() if node.rsplit(".", 1)[-1] in (
        "int_paragraph_texts_signed", "int_paragraph_text_pairs_matched", "int_paragraph_texts_clustered"))
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        occurrences, distinct = con.execute(
            "select count(*), count(distinct canonical_paragraph_id) from marts.paragraphs").fetchone()
    finally:
        con.close()
    report.append(f"paragraphs {occurrences} in all, {distinct} distinct texts ({occurrences / max(distinct, 1):.1f} "
                  "occurrences per text: text-keyed models work once per distinct text)")
    numbers = bench_numbers.measure(warehouse / "news.duckdb", times, args.quantulum_sample, not args.no_compare)
    report += numbers.lines()
    if corpus_dir is not None:
        log.info("measuring near duplicates against the planted copies")
        near = bench_near_duplicates.evaluate(warehouse / ".build" / "news_build.duckdb",
                                              corpus_dir / "planted.json", threshold, 0.8, sql_near,
                                              compare=not args.no_compare)
        report += near.lines(threshold, 0.8)
    if corpus_dir is not None and args.add > 0:
        added = max(1, round(args.n * args.add))
        log.info("adding %d articles for an incremental build", added)
        write_corpus(read_sources(args.corpora), args.n + added, corpus_dir, args.format, args.seed,
                     write_from=args.n)
        incremental = run_build(articles, warehouse)
        report.append(f"incremental build after adding {added} articles ({args.add:.0%}): "
                      f"{incremental.wall:.1f} s wall = {incremental.wall / full.wall:.1%} of the full build")
        report.append("slowest dbt nodes of the incremental build:")
        report += [f"  {seconds:8.2f} s  {node}" for node, seconds in
                   sorted(node_times(run_results).items(), key=lambda item: -item[1])[:5]]
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
