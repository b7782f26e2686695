"""Turn quantulum3's own test cases into scoreable articles for the numeric-claims models.

quantulum3 ships its test cases as a JSON list of ``{"req": sentence, "res": [{"value", "unit",
"surface"}, ...]}``. This script keeps the news-like part of them and writes, into an output folder,

* one ``.txt`` article per kept case (a title line ``Case N``, a blank line, then the sentence), and
* an answer file in the format of ``seed_articles.json``
  (``{"articles": {"<file name>": {"numeric_claims": [...], "optional_numbers": [], "excluded_numbers": [...]}}}``)

so that ``score.py`` can score a warehouse built from the folder. The input file is read where it lies;
nothing of it is copied into the project.

Selection rule (a case is kept or dropped as a whole, so every kept sentence is fully labelled):

1. Every quantity of the case has a news-like unit: a plain count (``dimensionless``), a percentage,
   money (dollar, euro, pound sterling, yen, cent, penny, dime), a length, a duration or a mass (see
   ``UNIT_CLASSES``). A case with any other unit (areas, volumes, energy, rates such as ``km/h``) is
   dropped.
2. No quantity is a range: quantulum3 reports a range (``3 to 4 L``, ``10-15``, ``between 44 and 50``)
   as one midpoint, while a news claim range is two claims, so such cases are dropped.
3. No quantity is written in scientific notation (``2.48×10−5``, ``4e14``): not news style; dropped.
4. A year-like value (a bare four-digit integer between 1000 and 2100 without a unit, such as
   ``1979``) is not a claim by the spec; it goes to ``excluded_numbers`` and the case is kept.
5. A case with no quantity left as a claim is dropped (it says nothing about recall).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("quantulum_cases")

ANSWER_FILE_NAME = "answers.json"

# quantulum3 unit name -> unit_class of the warehouse.
UNIT_CLASSES: dict[str, str] = {
    "dimensionless": "count",
    "percentage": "percent",
    "dollar": "money",
    "euro": "money",
    "pound sterling": "money",
    "yen": "money",
    "cent": "money",
    "penny": "money",
    "dime": "money",
    "metre": "distance",
    "kilometre": "distance",
    "centimetre": "distance",
    "millimetre": "distance",
    "mile": "distance",
    "inch": "distance",
    "foot": "distance",
    "second": "duration",
    "minute": "duration",
    "hour": "duration",
    "day": "duration",
    "week": "duration",
    "month": "duration",
    "year": "duration",
    "gram": "other",
    "kilogram": "other",
    "milligram": "other",
    "tonne": "other",
    "ton": "other",
    "pound-mass": "other",
    "ounce": "other",
}

RANGE_PATTERN = re.compile(r"\bbetween\b|\bto\b|\d\s*[-–]\s*\d|\d-\s")
SCIENTIFIC_PATTERN = re.compile(r"\d[eE][-+]?\d|×\s*10|\^")
YEAR_PATTERN = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Case:
    """One kept test case: the sentence and its labelled numbers."""

    number: int
    sentence: str
    claims: list[dict[str, Any]]
    excluded: list[dict[str, Any]]

    @property
    def file_name(self) -> str:
        return f"case_{self.number:03d}.txt"


def is_year_like(quantity: dict[str, Any]) -> bool:
    value = quantity["value"]
    return (
        quantity["unit"] == "dimensionless"
        and float(value).is_integer()
        and 1000 <= value <= 2100
        and bool(YEAR_PATTERN.match(quantity["surface"].strip()))
    )


def select_case(number: int, case: dict[str, Any]) -> Case | None:
    """The case as a kept Case, or None when the selection rule drops it."""
    claims: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for quantity in case["res"]:
        surface = quantity["surface"]
        if is_year_like(quantity):
            excluded.append({"surface": surface, "why": "year"})
            continue
        unit_class = UNIT_CLASSES.get(quantity["unit"])
        if unit_class is None or RANGE_PATTERN.search(surface) or SCIENTIFIC_PATTERN.search(surface):
            return None
        claims.append({"surface": surface, "value": quantity["value"], "unit_class": unit_class})
    if not claims:
        return None
    return Case(number=number, sentence=case["req"], claims=claims, excluded=excluded)


def select_cases(cases: Sequence[dict[str, Any]]) -> list[Case]:
    kept = [c for c in (select_case(i, case) for i, case in enumerate(cases, start=1)) if c is not None]
    log.info("kept %d of %d cases", len(kept), len(cases))
    return kept


def read_cases(path: Path) -> list[dict[str, Any]]:
    try:
        cases = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"{path}: not found; pass the path of quantulum3's quantities.json") from None
    except json.JSONDecodeError as error:
        raise SystemExit(f"{path}: not valid JSON ({error}); pass quantulum3's quantities.json") from None
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "req" in c and "res" in c for c in cases):
        raise SystemExit(f"{path}: expected a JSON list of {{'req', 'res'}} objects (quantulum3's test cases)")
    return cases


def write_cases(cases: Sequence[Case], out_dir: Path) -> Path:
    """Write one article per case and the answer file; return the answer file's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    answers: dict[str, Any] = {"articles": {}}
    for case in cases:
        (out_dir / case.file_name).write_text(f"Case {case.number}\n\n{case.sentence}\n", encoding="utf-8")
        answers["articles"][case.file_name] = {
            "numeric_claims": case.claims,
            "optional_numbers": [],
            "excluded_numbers": case.excluded,
        }
    answer_path = out_dir / ANSWER_FILE_NAME
    answer_path.write_text(json.dumps(answers, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return answer_path


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quantities", type=Path, help="quantulum3's quantities.json")
    parser.add_argument("out_dir", type=Path, help="folder for the .txt articles and answers.json")
    parser.add_argument(
        "--answers", type=Path, help=f"where to write the answer file (default: OUT_DIR/{ANSWER_FILE_NAME})"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s")
    cases = select_cases(read_cases(args.quantities))
    answer_path = write_cases(cases, args.out_dir)
    if args.answers is not None:
        args.answers.parent.mkdir(parents=True, exist_ok=True)
        answer_path.replace(args.answers)
        answer_path = args.answers
    log.info("wrote %d articles to %s and answers to %s", len(cases), args.out_dir, answer_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
