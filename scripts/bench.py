"""Benchmark the warehouse build on a corpus of N articles and print the figures.

    python -m scripts.bench --n 10000                 # corpus made from ../shared/corpora
    python -m scripts.bench --articles FOLDER_OR_JSONL  # an existing input

The generated corpus mixes the shared collections (BBC, Reuters-21578, PolNeAR): the first pass uses
their articles as they are; further articles are new combinations of their paragraphs under a title
of their own (so syndicated paragraphs recur, as in a real archive). About 1% are exact
re-publications of an earlier article under a new path and 1% near copies (a few words changed per
paragraph); the planted pairs are written to `planted.json` beside the corpus for recall checks.

Printed: wall time of the build, articles/s, MB/s, peak RSS of the build's processes, the slowest dbt
nodes (from run_results.json), and the build's time as a multiple of a bare DuckDB read of the input.
A benchmark prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

log = logging.getLogger("bench")

PROJECT_DIR = Path(__file__).resolve().parent.parent
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
    """The same paragraphs with about one word in twenty-five replaced: shingle Jaccard stays >= 0.8."""
    edited = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        for _ in range(max(1, len(words) // 25)):
            i = rng.randrange(len(words))
            words[i] = rng.choice(["reportedly", "officially", "again", "also"])
        edited.append(" ".join(words))
    return edited


def generate(sources: list[Source], n: int, seed: int) -> Iterator[tuple[str, str, str, str | None]]:
    """(name, title, body, planted kind) for N articles."""
    rng = random.Random(seed)
    made: list[tuple[str, list[str]]] = []
    for i in range(n):
        name = f"{i // 1000:04d}/{i:07d}"
        roll = rng.random()
        if made and roll < REPUBLISH_SHARE:
            j = rng.randrange(len(made))
            yield name, made[j][0], "\n\n".join(made[j][1]), f"republish:{j}"
            continue
        if made and roll < REPUBLISH_SHARE + NEAR_COPY_SHARE:
            j = rng.randrange(len(made))
            yield name, made[j][0] + " (updated)", "\n\n".join(near_copy(made[j][1], rng)), f"near_copy:{j}"
            continue
        if i < len(sources):
            title, paragraphs = sources[i].title, sources[i].paragraphs
        else:
            picks = [sources[rng.randrange(len(sources))] for _ in range(rng.randint(2, 4))]
            paragraphs = [p for s in picks for p in rng.sample(s.paragraphs, min(len(s.paragraphs), 4))]
            title = f"{picks[0].title} ({i})"
        made.append((title, paragraphs))
        yield name, title, "\n\n".join(paragraphs), None


def write_corpus(sources: list[Source], n: int, out: Path, fmt: str, seed: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    planted: list[dict[str, str]] = []
    names: list[str] = []
    target = out / "articles.jsonl" if fmt == "jsonl" else out / "articles"
    jsonl = open(target, "w", encoding="utf-8") if fmt == "jsonl" else None
    try:
        for name, title, body, kind in generate(sources, n, seed):
            names.append(name)
            if jsonl:
                jsonl.write(json.dumps({"id": name, "title": title, "body": body}, ensure_ascii=False) + "\n")
            else:
                path = target / f"{name}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
            if kind:
                what, index = kind.split(":")
                planted.append({"kind": what, "copy": name, "original": names[int(index)]})
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


def slowest_nodes(run_results: Path, top: int) -> list[tuple[float, str]]:
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    ranked = sorted(((r["execution_time"], r["unique_id"]) for r in results), reverse=True)
    return ranked[:top]


def run_build(articles: Path, warehouse: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (GB) of one `scripts.build` run and its children."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "scripts.build", "--articles", str(articles),
                             "--warehouse", str(warehouse), "-q"], cwd=PROJECT_DIR, check=False)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed (exit {result.returncode})")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kb / 1024 / 1024


def count_articles(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute("select count(*) from marts.articles").fetchone()[0]
    finally:
        con.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--articles", type=Path, help="benchmark this input instead of a generated corpus")
    parser.add_argument("--format", choices=("txt", "jsonl"), default="txt", help="generated corpus format")
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA, help="where the shared collections are")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/news-bench"), help="corpus and warehouse folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=10, help="how many slow dbt nodes to list")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.articles:
        articles = args.articles
    else:
        corpus_dir = args.workdir / f"corpus-{args.n}-{args.format}"
        articles = corpus_dir / ("articles.jsonl" if args.format == "jsonl" else "articles")
        if not articles.exists():
            log.info("generating %d articles (%s) in %s", args.n, args.format, corpus_dir)
            articles = write_corpus(read_sources(args.corpora), args.n, corpus_dir, args.format, args.seed)
    warehouse = args.workdir / f"warehouse-{articles.parent.name}"
    size_mb = input_size(articles) / 1e6
    bare = bare_read_seconds(articles)
    wall, peak_gb = run_build(articles, warehouse)
    n = count_articles(warehouse)
    print(f"input      {articles} ({n} articles, {size_mb:.1f} MB)")
    print(f"build      {wall:.1f} s wall, {n / wall:.0f} articles/s, {size_mb / wall:.2f} MB/s, "
          f"peak RSS {peak_gb:.2f} GB")
    print(f"bare read  {bare:.2f} s (DuckDB read of the same input); build = {wall / bare:.0f}x that")
    print("slowest dbt nodes:")
    for seconds, node in slowest_nodes(warehouse / ".build" / "target" / "run_results.json", args.top):
        print(f"  {seconds:8.2f} s  {node}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
