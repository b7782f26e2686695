"""Near-duplicate quality and speed for `make bench`: the warehouse against the planted copies and datasketch.

Everything here is measured from outside the SQL: shingles and Jaccard are recomputed in Python from
the paragraph texts, so a mistake in the models' shingling or verification shows as lost precision.

* Article level: the benchmark corpus plants near copies (an earlier article with one word in 30 to 100
  replaced). Recall at Jaccard >= 0.8 is the share of planted pairs whose exact Jaccard is at least 0.8
  that the warehouse links (their canonical articles are one, or a verified near-duplicate pair).
  Precision is the share of the warehouse's verified article pairs whose exact Jaccard is at least the
  threshold.
* Paragraph level: the edited paragraphs of each planted copy against the original's paragraph at the
  same position; found when both have one near_duplicate_cluster_id. Precision as for articles.
* datasketch: MinHashLSH over the same distinct paragraph texts (the same shingles, the same number of
  hash functions), timed from MinHash creation to the last query, with its recall on the planted
  paragraph pairs (its candidates are not verified, so its precision is not comparable).
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.build.warehouse import PUBLISHED_NAME

log = logging.getLogger("bench")

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                        "‘": "'", "’": "'", "‚": "'", "‛": "'"})
SHINGLE = 5
PRECISION_SAMPLE = 5000


def normalise(text: str) -> list[str]:
    """The spec's comparison form (NFKC, straight quotes, lower case) split into words."""
    return unicodedata.normalize("NFKC", text).translate(QUOTES).lower().split()


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    words = normalise(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass
class Rate:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)

    def __str__(self) -> str:
        return f"{self.hits / self.total:.3f} ({self.hits}/{self.total})" if self.total else "n/a (0 pairs)"


@dataclass
class NearDuplicateFigures:
    article_recall: Rate
    article_precision: Rate
    paragraph_recall: Rate
    paragraph_precision: Rate
    sql_seconds: float
    distinct_paragraphs: int
    datasketch_seconds: float | None
    datasketch_recall: Rate | None
    compared: bool = True

    def lines(self, threshold: float, at: float) -> list[str]:
        out = [
            f"near-duplicate articles   recall at J>={at}: {self.article_recall}; "
            f"precision (J>={threshold}): {self.article_precision}",
            f"near-duplicate paragraphs recall at J>={at}: {self.paragraph_recall}; "
            f"precision (J>={threshold}): {self.paragraph_precision}",
            f"paragraph near duplicates in SQL: {self.sql_seconds:.1f} s for {self.distinct_paragraphs} distinct "
            f"texts (signatures, LSH candidates, exact verification, clusters; dbt model times)",
        ]
        if not self.compared:
            out.append("datasketch: skipped (--no-compare)")
        elif self.datasketch_seconds is None:
            out.append("datasketch: not installed (pip install '.[bench]')")
        else:
            ratio = self.datasketch_seconds / self.sql_seconds if self.sql_seconds else float("nan")
            out.append(f"datasketch MinHashLSH on the same texts: {self.datasketch_seconds:.1f} s "
                       f"({ratio:.1f}x the SQL), recall at J>={at}: {self.datasketch_recall} (unverified candidates)")
        return out


def _articles(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """source_path without extension -> (article_id, canonical article_id)."""
    rows = con.execute("""
        select source_path, article_id, coalesce(duplicate_of_article_id, article_id) from marts.articles
    """).fetchall()
    return {re.sub(r"\.txt$", "", path.split("#", 1)[-1]): (aid, canon) for path, aid, canon in rows}


def _paragraph_texts(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """article_id -> [(paragraph_text, near_duplicate_cluster_id)] in reading order."""
    con.execute("create or replace temp table wanted (article_id varchar)")
    con.executemany("insert into wanted values (?)", [(a,) for a in set(article_ids)])
    out: dict[str, list[tuple[str, str]]] = {}
    for article_id, text, cluster in con.execute("""
        select p.article_id, p.paragraph_text, p.near_duplicate_cluster_id
        from marts.paragraphs as p inner join wanted using (article_id)
        order by p.article_id, p.paragraph_index
    """).fetchall():
        out.setdefault(article_id, []).append((text, cluster))
    return out


def _article_shingles(paragraphs: list[tuple[str, str]]) -> set:
    return set().union(*(shingles(text) for text, _ in paragraphs)) if paragraphs else set()


def evaluate(build_db: Path, planted_file: Path, threshold: float, at: float,
             sql_seconds: float, compare: bool = True) -> NearDuplicateFigures:
    planted = [p for p in json.loads(planted_file.read_text(encoding="utf-8")) if p["kind"] == "near_copy"]
    # The published marts as the main database (a build moves the marts file there), the build file
    # attached as news_build, as dbt attaches it.
    con = duckdb.connect(str(build_db.parent.parent / PUBLISHED_NAME), read_only=True)
    try:
        con.execute(f"attach '{build_db}' as news_build (read_only)")
        articles = _articles(con)
        pairs = {(a, b) for a, b in con.execute(
            "select article_id_a, article_id_b from news_build.intermediate.int_article_pairs_matched").fetchall()}
        planted = [p for p in planted if p["copy"] in articles and p["original"] in articles]
        texts = _paragraph_texts(con, [articles[p[k]][0] for p in planted for k in ("copy", "original")])

        article_recall, paragraph_recall = Rate(), Rate()
        planted_paragraph_pairs: list[tuple[str, str]] = []
        for p in planted:
            (copy_id, copy_canon), (orig_id, orig_canon) = articles[p["copy"]], articles[p["original"]]
            copy_paragraphs, orig_paragraphs = texts.get(copy_id, []), texts.get(orig_id, [])
            if jaccard(_article_shingles(copy_paragraphs), _article_shingles(orig_paragraphs)) >= at:
                linked = copy_canon == orig_canon or (orig_canon, copy_canon) in pairs or (copy_canon, orig_canon) in pairs
                article_recall.add(linked)
            if len(copy_paragraphs) != len(orig_paragraphs):
                continue
            for (copy_text, copy_cluster), (orig_text, orig_cluster) in zip(copy_paragraphs, orig_paragraphs):
                if copy_text != orig_text and jaccard(shingles(copy_text), shingles(orig_text)) >= at:
                    paragraph_recall.add(copy_cluster == orig_cluster)
                    planted_paragraph_pairs.append((orig_text, copy_text))

        article_precision = _article_precision(con, pairs, threshold)
        paragraph_precision = _paragraph_precision(con, threshold)
        distinct = con.execute("select text from (select any_value(paragraph_text) as text from marts.paragraphs "
                               "group by canonical_paragraph_id)").fetchall()
    finally:
        con.close()
    distinct_texts = [t for (t,) in distinct if len(normalise(t)) >= SHINGLE]
    ds_seconds, ds_recall = (_datasketch(distinct_texts, planted_paragraph_pairs, threshold) if compare
                             else (None, None))
    return NearDuplicateFigures(article_recall, article_precision, paragraph_recall, paragraph_precision,
                                sql_seconds, len(distinct_texts), ds_seconds, ds_recall, compare)


def _article_precision(con: duckdb.DuckDBPyConnection, pairs: set[tuple[str, str]], threshold: float) -> Rate:
    sample = random.Random(1).sample(sorted(pairs), min(PRECISION_SAMPLE, len(pairs)))
    texts = _paragraph_texts(con, [a for pair in sample for a in pair])
    rate = Rate()
    for a, b in sample:
        rate.add(jaccard(_article_shingles(texts.get(a, [])), _article_shingles(texts.get(b, []))) >= threshold)
    return rate


def _paragraph_precision(con: duckdb.DuckDBPyConnection, threshold: float) -> Rate:
    rows = con.execute(f"""
        select a.paragraph_text, b.paragraph_text
        from news_build.intermediate.int_paragraph_text_pairs_matched as pairs
        inner join news_build.intermediate.int_paragraphs_deduped as a on pairs.paragraph_id_a = a.paragraph_id
        inner join news_build.intermediate.int_paragraphs_deduped as b on pairs.paragraph_id_b = b.paragraph_id
        using sample reservoir({PRECISION_SAMPLE} rows) repeatable (1)
    """).fetchall()
    rate = Rate()
    for a, b in rows:
        rate.add(jaccard(shingles(a), shingles(b)) >= threshold)
    return rate


def _datasketch(texts: list[str], planted: list[tuple[str, str]], threshold: float) -> tuple[float | None, Rate | None]:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None, None
    num_perm = 48
    keyed = {text: i for i, text in enumerate(texts)}
    started = time.monotonic()
    encoded = [[" ".join(s).encode("utf-8") for s in shingles(text)] for text in texts]
    hashes = MinHash.bulk(encoded, num_perm=num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, minhash in enumerate(hashes):
            session.insert(i, minhash)
    neighbours = [set(lsh.query(minhash)) for minhash in hashes]
    seconds = time.monotonic() - started
    recall = Rate()
    for original, copy in planted:
        a, b = keyed.get(original), keyed.get(copy)
        if a is not None and b is not None:
            recall.add(b in neighbours[a])
    return seconds, recall
