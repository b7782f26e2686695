"""Numeric-claim speed for `make bench`: the warehouse's SQL models against quantulum3 on the same paragraphs.

quantulum3 parses one sentence at a time in Python, far too slowly to run over a large benchmark
corpus, so it is timed on a random sample of the corpus's paragraphs and its rate (paragraphs per
second) is set beside the warehouse's, which is all paragraphs over the summed times of the numeric
models in dbt's run_results.json.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import duckdb

log = logging.getLogger("bench")

NUMERIC_MODELS = ("int_number_tokens_extracted", "int_number_tokens_tagged", "int_number_tokens_linked",
                  "int_number_mentions_parsed", "int_number_mentions_measured", "int_number_mentions_qualified",
                  "int_number_mentions_situated", "int_number_mentions_excluded", "int_number_range_ends_paired",
                  "int_numeric_claims_assembled", "numeric_claims")


@dataclass
class NumberSpeed:
    paragraphs: int
    sql_seconds: float
    claims: int
    sample: int
    quantulum_seconds: float | None
    quantulum_quantities: int | None
    skipped: bool = False

    def lines(self) -> list[str]:
        rate = self.paragraphs / self.sql_seconds if self.sql_seconds else float("nan")
        out = [f"numeric claims in SQL: {self.sql_seconds:.1f} s for {self.paragraphs} paragraphs "
               f"({rate:.0f} paragraphs/s, {self.claims} claims; dbt model times)"]
        if self.skipped:
            out.append("quantulum3: skipped (--no-compare)")
        elif self.quantulum_seconds is None:
            out.append("quantulum3: not installed (pip install '.[bench]')")
        else:
            q_rate = self.sample / self.quantulum_seconds
            out.append(f"quantulum3 on a sample of {self.sample} of the same paragraphs: {q_rate:.0f} paragraphs/s "
                       f"({self.quantulum_quantities} quantities); the SQL is {rate / q_rate:.0f}x faster")
        return out


def numeric_model_seconds(node_times: dict[str, float]) -> float:
    return sum(seconds for node, seconds in node_times.items()
               if node.startswith("model.") and node.rsplit(".", 1)[-1] in NUMERIC_MODELS)


def measure(published: Path, node_times: dict[str, float], sample: int = 1000, compare: bool = True) -> NumberSpeed:
    con = duckdb.connect(str(published), read_only=True)
    try:
        paragraphs = con.execute("select count(*) from marts.paragraphs").fetchone()[0]
        claims = con.execute("select count(*) from marts.numeric_claims").fetchone()[0]
        texts = [t for (t,) in con.execute(
            f"select paragraph_text from marts.paragraphs using sample reservoir({sample} rows) repeatable (1)"
        ).fetchall()]
    finally:
        con.close()
    speed = NumberSpeed(paragraphs, numeric_model_seconds(node_times), claims, len(texts), None, None)
    if not compare:
        speed.skipped = True
        return speed
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return speed
    started = time.monotonic()
    found = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:
            found += len(parser.parse(text))
    speed.quantulum_seconds = time.monotonic() - started
    speed.quantulum_quantities = found
    return speed
