"""Reported-speech scoring: direct and indirect quotes together, "who said what" over all of them.

The semantics follow the reference scorer (../shared/eval/score.py, spec "Indirect quote" and
"Scoring"):
- An answer quote is direct unless it says `"type": "indirect"`; a predicted quote has the
  `quote_type` of marts.quotes. Partial quotes (fragments) are left out on both sides, and predicted
  quotes with the same text (same_quote) count once.
- A direct answer matches a direct prediction as a quote does (same_quote). Any other pair matches
  when the prediction holds at least `cover` of the answer's words and at least `own` (capped at
  `cover`) of its own words are the answer's: strict is 0.8 / 0.5, lenient (the GenderGapTracker
  evaluation's looser match, for comparison) 0.3 / 0.3.
- Indirect precision: indirect predictions that matched an answer, over all indirect predictions.
  Indirect recall: indirect answers matched. Indirect speaker accuracy: over matched indirect answers
  that name a speaker, the predicted speaker contains one of the names.
- "Who said what": a matched answer with a speaker counts when the predicted speaker contains one of
  its names; every prediction with a speaker counts against precision, except one matched to an
  answer that names no speaker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    """A quote of marts.quotes as the scorers read it; `kind` is its quote_type."""
    text: str
    speaker: str | None
    partial: bool
    kind: str = "direct"


def precision_recall_f1(right: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """right / predicted, right / gold (0.0 where there is nothing to divide by) and their F1."""
    precision = right / predicted if predicted else 0.0
    recall = right / gold if gold else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


@dataclass
class ReportedCounts:
    direct_gold: int = 0
    direct_found: int = 0
    indirect_gold: int = 0
    indirect_found: int = 0
    indirect_predicted: int = 0
    indirect_predicted_matched: int = 0
    indirect_speaker_total: int = 0
    indirect_speaker_right: int = 0
    attributed_gold: int = 0
    attributed_right: int = 0
    attributed_predicted: int = 0

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        precision, recall, f1 = precision_recall_f1(self.attributed_right, self.attributed_predicted,
                                                    self.attributed_gold)
        return {
            "indirect_precision": ratio(self.indirect_predicted_matched, self.indirect_predicted),
            "indirect_recall": ratio(self.indirect_found, self.indirect_gold),
            "indirect_speaker_accuracy": ratio(self.indirect_speaker_right, self.indirect_speaker_total),
            "direct_recall": ratio(self.direct_found, self.direct_gold),
            "who_said_what_precision": precision,
            "who_said_what_recall": recall,
            "who_said_what_f1": f1,
        }


def content_match(tokens: Callable[[str], set[str]], answer: str, predicted: str, cover: float, own: float) -> bool:
    """The prediction holds `cover` of the answer's words and `own` (at most `cover`) of its words are the answer's."""
    gold, pred = tokens(answer), tokens(predicted)
    if not gold or not pred:
        return False
    shared = len(gold & pred)
    return shared / len(gold) >= cover and shared / len(pred) >= min(own, cover)


def _names_speaker(names: Sequence[str], speaker: str | None) -> bool:
    found = (speaker or "").lower()
    return any(name.lower() in found for name in names)


def score_article(answer: dict, predicted: Sequence[Prediction], counts: ReportedCounts,
                  same_quote: Callable[[str, str], bool], tokens: Callable[[str], set[str]],
                  cover: float, own: float, misses: list[str] | None = None, name: str = "") -> None:
    """Add one article's reported speech to `counts` (see the module docstring)."""
    distinct: list[Prediction] = []
    for quote in predicted:
        if not quote.partial and not any(same_quote(quote.text, kept.text) for kept in distinct):
            distinct.append(quote)
    used: set[int] = set()
    unlabelled: set[int] = set()
    for gold in answer["quotes"]:
        if gold.get("partial"):
            continue
        kind = gold.get("type", "direct")
        names = gold.get("speaker") or []

        def matches(prediction: Prediction) -> bool:
            if kind == "direct" and prediction.kind == "direct":
                return same_quote(gold["text"], prediction.text)
            return content_match(tokens, gold["text"], prediction.text, cover, own)

        hit = next((i for i, p in enumerate(distinct) if i not in used and matches(p)), None)
        setattr(counts, f"{kind}_gold", getattr(counts, f"{kind}_gold") + 1)
        counts.attributed_gold += bool(names)
        if hit is None:
            if misses is not None and kind == "indirect":
                misses.append(f"{name}: missed indirect quote: {gold['text'][:70]}")
            continue
        used.add(hit)
        setattr(counts, f"{kind}_found", getattr(counts, f"{kind}_found") + 1)
        if not names:
            unlabelled.add(hit)
            continue
        right = _names_speaker(names, distinct[hit].speaker)
        counts.attributed_right += right
        if kind == "indirect":
            counts.indirect_speaker_total += 1
            counts.indirect_speaker_right += right
            if misses is not None and not right:
                misses.append(f"{name}: speaker {distinct[hit].speaker!r} for indirect quote: {gold['text'][:50]}")
    for i, prediction in enumerate(distinct):
        if prediction.kind == "indirect":
            counts.indirect_predicted += 1
            counts.indirect_predicted_matched += i in used
            if misses is not None and i not in used:
                misses.append(f"{name}: extra indirect quote: {prediction.text[:70]}")
        if prediction.speaker and i not in unlabelled:
            counts.attributed_predicted += 1
