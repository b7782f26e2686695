"""Score the warehouse against a hand-labelled answer file (the format of tests/expected/*.json).

    python -m scripts.quality.evaluate --gold ANSWERS.json --articles FOLDER     # build into a temp warehouse, score
    python -m scripts.quality.evaluate --gold ANSWERS.json --db WAREHOUSE.duckdb # score an existing warehouse

Scoring rules (spec: "Scoring"):
- Quotes: a predicted quote matches an answer when their normalised word tokens have Jaccard >= 0.8, or
  one contains >= 80% of the other's tokens and is at least half its size. Scored per article over distinct
  predicted texts. Partial answers are neither missed nor required; answer files that label only
  attributed quotes (`quotes_complete: false`) count as false positives only attributed, whole predictions.
- Speaker accuracy: over matched, labelled quotes, the predicted name contains one of the alternatives.
- "Who said what": a whole quote counts only when found with the right speaker.
- Numeric claims: same article, same value (a percentage may be given as 80 or 0.8); predictions that
  match an optional number are ignored, the rest of the unmatched ones are false positives.
- Reported speech, when the answer file labels indirect quotes (`"type": "indirect"`): the quote
  figures above are over direct quotes; then indirect precision, recall and speaker accuracy, and
  "who said what" over direct and indirect quotes together, strict and lenient
  (scripts/quality/reported_speech.py, the semantics of ../shared/eval/score.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from scripts.quality.reported_speech import Prediction, ReportedCounts, precision_recall_f1, score_article

log = logging.getLogger("evaluate")

QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokens(text: str | None) -> set[str]:
    normalised = unicodedata.normalize("NFKC", text or "").translate(QUOTE_MARKS).lower()
    return set(TOKEN.findall(normalised))


def same_quote(a: str, b: str) -> bool:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    if len(ta & tb) / len(ta | tb) >= 0.8:
        return True
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(small & big) / len(small) >= 0.8 and len(small) >= 0.5 * len(big)


def same_value(gold: float, predicted: float | None, unit_class: str | None) -> bool:
    if predicted is None:
        return False
    tolerance = 1e-6 * max(1.0, abs(gold))
    if abs(predicted - gold) <= tolerance:
        return True
    return unit_class == "percent" and abs(predicted * 100 - gold) <= tolerance


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        return precision_recall_f1(self.tp, self.tp + self.fp, self.tp + self.fn)


@dataclass
class Score:
    quotes: Counts = field(default_factory=Counts)
    numbers: Counts = field(default_factory=Counts)
    attributed_right: int = 0
    attributed_predicted: int = 0
    attributed_gold: int = 0
    speaker_right: int = 0
    speaker_total: int = 0
    partial_found: int = 0
    partial_total: int = 0
    has_quotes: bool = False
    has_numbers: bool = False
    has_indirect: bool = False
    reported: ReportedCounts = field(default_factory=ReportedCounts)
    reported_lenient: ReportedCounts = field(default_factory=ReportedCounts)
    misses: list[str] = field(default_factory=list)

    @property
    def who_said_what(self) -> Counts:
        """Whole quotes with the right speaker, against every attributed whole prediction and answer."""
        return Counts(tp=self.attributed_right, fp=self.attributed_predicted - self.attributed_right,
                      fn=self.attributed_gold - self.attributed_right)

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speaker_right / self.speaker_total if self.speaker_total else None

    def figures(self) -> dict[str, float | None]:
        return {
            "quote_f1": self.quotes.prf()[2] if self.has_quotes else None,
            "speaker_accuracy": self.speaker_accuracy if self.has_quotes else None,
            "who_said_what_f1": self.who_said_what.prf()[2] if self.has_quotes else None,
            "number_f1": self.numbers.prf()[2] if self.has_numbers else None,
            "reported_speech": self.reported.figures() if self.has_indirect else None,
            "reported_speech_lenient": self.reported_lenient.figures() if self.has_indirect else None,
        }


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'marts' and table_name = ?", [name]
    ).fetchone()[0])


def _column_exists(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'marts' and table_name = ? and column_name = ?",
        [table, column],
    ).fetchone()[0])


def read_predictions(db: Path) -> tuple[dict[str, list[str]], dict[str, list[Prediction]] | None,
                                         dict[str, list[float]] | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        by_file: dict[str, list[str]] = defaultdict(list)
        for article_id, source_path in con.execute("select article_id, source_path from marts.articles").fetchall():
            by_file[re.split(r"[\\/]", source_path)[-1]].append(article_id)
        quotes = None
        if _table_exists(con, "quotes"):
            quotes = defaultdict(list)
            typed = "coalesce(quote_type, 'direct')" if _column_exists(con, "quotes", "quote_type") else "'direct'"
            for article_id, text, speaker, partial, kind in con.execute(
                    f"select article_id, quote_text, speaker_name, is_partial, {typed} from marts.quotes "
                    "order by article_id, paragraph_id, char_start").fetchall():
                quotes[article_id].append(Prediction(text, speaker, bool(partial), kind))
        numbers = None
        if _table_exists(con, "numeric_claims"):
            numbers = defaultdict(list)
            for article_id, value in con.execute(
                    "select article_id, value from marts.numeric_claims "
                    "order by article_id, paragraph_id, char_start").fetchall():
                numbers[article_id].append(value)
    finally:
        con.close()
    return by_file, quotes, numbers


def score_article_quotes(name: str, answer: dict, predicted: list[Prediction], score: Score) -> None:
    complete = answer.get("quotes_complete", True)
    distinct: list[Prediction] = []
    for quote in predicted:
        if quote.kind == "direct" and not any(same_quote(quote.text, kept.text) for kept in distinct):
            distinct.append(quote)
    used: set[int] = set()
    unlabelled: set[int] = set()
    for gold in answer["quotes"]:
        if gold.get("type", "direct") != "direct":
            continue
        speakers = [s.lower() for s in gold.get("speaker") or []]
        if speakers and not gold.get("partial"):
            score.attributed_gold += 1
        if gold.get("partial"):
            score.partial_total += 1
        hit = next((i for i, q in enumerate(distinct) if i not in used and same_quote(gold["text"], q.text)), None)
        if hit is None:
            if not gold.get("partial"):
                score.quotes.fn += 1
                score.misses.append(f"{name}: missed quote: {gold['text'][:70]}")
            continue
        used.add(hit)
        if gold.get("partial"):
            score.partial_found += 1
        else:
            score.quotes.tp += 1
        if not speakers:
            unlabelled.add(hit)
            continue
        score.speaker_total += 1
        found = (distinct[hit].speaker or "").lower()
        if any(alt in found for alt in speakers):
            score.speaker_right += 1
            if not gold.get("partial") and not distinct[hit].partial:
                score.attributed_right += 1
        else:
            score.misses.append(f"{name}: speaker {distinct[hit].speaker!r} for quote: {gold['text'][:50]}")
    score.attributed_predicted += sum(1 for i, q in enumerate(distinct)
                                      if q.speaker and not q.partial and i not in unlabelled)
    for i, quote in enumerate(distinct):
        if i in used or (not complete and (quote.partial or not quote.speaker)):
            continue
        score.quotes.fp += 1
        score.misses.append(f"{name}: extra quote: {quote.text[:70]}")


def score_article_numbers(name: str, answer: dict, predicted: list[float], score: Score) -> None:
    used: set[int] = set()
    for gold in answer["numeric_claims"]:
        hit = next((i for i, v in enumerate(predicted)
                    if i not in used and same_value(gold["value"], v, gold.get("unit_class"))), None)
        if hit is None:
            score.numbers.fn += 1
            score.misses.append(f"{name}: missed number: {gold['surface']}")
        else:
            used.add(hit)
            score.numbers.tp += 1
    for gold in answer.get("optional_numbers", []):
        hit = next((i for i, v in enumerate(predicted) if i not in used and same_value(gold["value"], v, None)), None)
        if hit is not None:
            used.add(hit)
    for i, value in enumerate(predicted):
        if i not in used:
            score.numbers.fp += 1
            score.misses.append(f"{name}: extra number: {value}")


def score_warehouse(gold: dict, db: Path) -> Score:
    by_file, quotes, numbers = read_predictions(db)
    score = Score()
    score.has_indirect = any(q.get("type") == "indirect" for a in gold["articles"].values() for q in a.get("quotes", []))
    for name, answer in gold["articles"].items():
        ids = by_file.get(name, [])
        if not ids:
            score.misses.append(f"{name}: article not found in marts.articles")
        if "quotes" in answer and quotes is not None:
            score.has_quotes = True
            predicted = [q for i in ids for q in quotes.get(i, [])]
            score_article_quotes(name, answer, predicted, score)
            if score.has_indirect:
                score_article(answer, predicted, score.reported, same_quote, tokens, 0.8, 0.5, score.misses, name)
                score_article(answer, predicted, score.reported_lenient, same_quote, tokens, 0.3, 0.3)
        if "numeric_claims" in answer and numbers is not None:
            score.has_numbers = True
            score_article_numbers(name, answer, [v for i in ids for v in numbers.get(i, [])], score)
    return score


def summary(score: Score) -> str:
    def fmt(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    parts = []
    if score.has_quotes:
        p, r, f = score.quotes.prf()
        wp, wr, wf = score.who_said_what.prf()
        partial = score.partial_found / score.partial_total if score.partial_total else None
        parts.append(f"quotes P={fmt(p)} R={fmt(r)} F1={fmt(f)} partial_recall={fmt(partial)} "
                     f"speaker_accuracy={fmt(score.speaker_accuracy)} "
                     f"who-said-what P={fmt(wp)} R={fmt(wr)} F1={fmt(wf)}")
    else:
        parts.append("quotes n/a (no marts.quotes or no quote answers)")
    if score.has_numbers:
        p, r, f = score.numbers.prf()
        parts.append(f"numeric claims P={fmt(p)} R={fmt(r)} F1={fmt(f)}")
    else:
        parts.append("numeric claims n/a (no marts.numeric_claims or no number answers)")
    if score.has_indirect:
        strict, lenient = score.reported.figures(), score.reported_lenient.figures()
        parts.append(f"reported speech: indirect P={fmt(strict['indirect_precision'])} "
                     f"R={fmt(strict['indirect_recall'])} speaker_accuracy={fmt(strict['indirect_speaker_accuracy'])}; "
                     f"all who-said-what P={fmt(strict['who_said_what_precision'])} "
                     f"R={fmt(strict['who_said_what_recall'])} F1={fmt(strict['who_said_what_f1'])} "
                     f"(lenient F1={fmt(lenient['who_said_what_f1'])})")
    return " | ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.quality.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True, help="answer file (JSON)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--articles", type=Path, help="build these articles into a temporary warehouse first")
    source.add_argument("--db", type=Path, help="score this already built warehouse file")
    parser.add_argument("--min-quote-f1", type=float, help="fail (exit 1) when quote F1 is below this")
    parser.add_argument("--min-speaker-accuracy", type=float, help="fail when speaker accuracy is below this")
    parser.add_argument("--min-who-said-what-f1", type=float,
                        help="fail when who-said-what F1 (whole quotes with the right speaker) is below this")
    parser.add_argument("--min-number-f1", type=float, help="fail when numeric-claim F1 is below this")
    parser.add_argument("--min-reported-who-said-what-f1", type=float,
                        help="fail when who-said-what F1 over all reported speech (direct and indirect, strict) is below this")
    parser.add_argument("--show-misses", action="store_true", help="list every miss and extra")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", stream=sys.stderr)
    try:
        gold = json.loads(args.gold.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        log.error("cannot read answer file %s: %s", args.gold, exc)
        return 2
    if args.db:
        score = score_warehouse(gold, args.db)
    else:
        from scripts.build.errors import BuildError
        from scripts.build.pipeline import build
        from scripts.build.load import LoadError
        from scripts.build.publish import PublishError

        with tempfile.TemporaryDirectory(prefix="news-eval-") as tmp:
            try:
                build(args.articles, Path(tmp), wait=False)
            except (BuildError, LoadError, PublishError) as exc:
                log.error("%s", exc)
                return 2
            score = score_warehouse(gold, Path(tmp) / "news.duckdb")
    if args.show_misses:
        for line in score.misses:
            print("  " + line)
    figures = score.figures()
    print(json.dumps(figures, indent=2) if args.json else summary(score))
    failed = []
    reported = figures["reported_speech"] or {}
    checks = (("quote_f1", figures["quote_f1"], args.min_quote_f1),
              ("speaker_accuracy", figures["speaker_accuracy"], args.min_speaker_accuracy),
              ("who_said_what_f1", figures["who_said_what_f1"], args.min_who_said_what_f1),
              ("number_f1", figures["number_f1"], args.min_number_f1),
              ("reported who_said_what_f1", reported.get("who_said_what_f1"), args.min_reported_who_said_what_f1))
    for name, value, limit in checks:
        if limit is None:
            continue
        if value is None:
            failed.append(f"{name} not measured (required >= {limit})")
        elif value < limit:
            failed.append(f"{name} {value:.3f} < {limit}")
    if failed:
        log.error("below target: %s", "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
