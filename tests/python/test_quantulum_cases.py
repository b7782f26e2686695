"""Tests for scripts/quality/quantulum_cases.py: the news-like selection and the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.quality import quantulum_cases

CASES = [
    {"req": "OAO-1's battery failed after three days", "res": [{"value": 3, "unit": "day", "surface": "three days"}]},
    {"req": "It increased by 35% by the end of the 1960s", "res": [
        {"value": 35, "unit": "percentage", "surface": "35%"},
        {"value": 1960, "unit": "dimensionless", "surface": "1960"},
    ]},
    {"req": "I want a gallon of beer, and 3 to 4 L of wine", "res": [{"value": 3.5, "unit": "litre", "surface": "3 to 4 L"}]},
    {"req": "Google holds 10-15 exabytes", "res": [{"value": 12.5, "unit": "exabyte", "surface": "10-15 exabytes"}]},
    {"req": "They were given 44 mg to 50 mg ethanol.", "res": [{"value": 47, "unit": "milligram", "surface": "44 mg to 50 mg"}]},
    {"req": "Factor 2.48×10−5 here", "res": [{"value": 2.48e-05, "unit": "dimensionless", "surface": "2.48×10−5"}]},
    {"req": "At 2 pm everybody will be gone.", "res": []},
    {"req": "I have €10M", "res": [{"value": 10000000.0, "unit": "euro", "surface": "€10M"}]},
]


@pytest.fixture
def quantities(tmp_path: Path) -> Path:
    path = tmp_path / "quantities.json"
    path.write_text(json.dumps(CASES), encoding="utf-8")
    return path


def test_selection_keeps_news_like_cases_only() -> None:
    kept = quantulum_cases.select_cases(CASES)
    assert [c.number for c in kept] == [1, 2, 8]
    assert kept[1].claims == [{"surface": "35%", "value": 35, "unit_class": "percent"}]
    assert kept[1].excluded == [{"surface": "1960", "why": "year"}]
    assert kept[2].claims[0]["unit_class"] == "money"


def test_main_writes_articles_and_answer_file(quantities: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "q3"
    assert quantulum_cases.main([str(quantities), str(out_dir), "-q"]) == 0
    assert sorted(p.name for p in out_dir.glob("*.txt")) == ["case_001.txt", "case_002.txt", "case_008.txt"]
    assert (out_dir / "case_001.txt").read_text(encoding="utf-8") == (
        "Case 1\n\nOAO-1's battery failed after three days\n"
    )
    answers = json.loads((out_dir / "answers.json").read_text(encoding="utf-8"))
    article = answers["articles"]["case_002.txt"]
    assert set(article) == {"numeric_claims", "optional_numbers", "excluded_numbers"}
    assert article["numeric_claims"][0]["value"] == 35


def test_answers_path_can_be_outside_the_article_folder(quantities: Path, tmp_path: Path) -> None:
    answers = tmp_path / "elsewhere" / "answers.json"
    quantulum_cases.main([str(quantities), str(tmp_path / "q3"), "--answers", str(answers), "-q"])
    assert answers.exists()
    assert not (tmp_path / "q3" / "answers.json").exists()


def test_bad_input_tells_the_user_what_to_pass(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(SystemExit, match="quantulum3"):
        quantulum_cases.main([str(bad), str(tmp_path / "out")])
    with pytest.raises(SystemExit, match="not found"):
        quantulum_cases.main([str(tmp_path / "missing.json"), str(tmp_path / "out")])
