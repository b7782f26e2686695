"""`make evaluate-project` (scripts/quality/project_evaluator.py): how it reads the package's findings and
judges them, what it says when a package is missing, and, where the packages' git clones are on this
machine (../.mirror), that the project has no finding left but the marts' names."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from scripts.quality import project_evaluator as evaluator


def _output(tests: list[dict]) -> str:
    return "\n".join(["12:00:00  Running with dbt=1.11", "[]", json.dumps(tests), "12:00:01  Done."])


MART_NAMES = {"test_name": "dbt_project_evaluator.marts.structure.is_empty_fct_model_naming_conventions_",
              "results": [{"resource_name": "quotes", "prefix": "quotes_", "model_type": "marts"}]}
TOO_MANY_JOINS = {"test_name": "dbt_project_evaluator.marts.dag.is_empty_fct_too_many_joins_",
                  "results": [{"resource_name": "int_x", "join_count": 7}]}
INTERMEDIATE_NAME = {"test_name": "dbt_project_evaluator.marts.structure.is_empty_fct_model_naming_conventions_",
                     "results": [{"resource_name": "x_found", "prefix": "x_", "model_type": "intermediate"}]}


def test_findings_are_read_from_the_last_json_list_with_their_rule() -> None:
    found = evaluator.findings(_output([MART_NAMES, TOO_MANY_JOINS]))
    assert [(finding.rule, finding.row["resource_name"]) for finding in found] == [
        ("fct_model_naming_conventions", "quotes"), ("fct_too_many_joins", "int_x")]


def test_only_the_marts_names_are_kept() -> None:
    assert evaluator.report(evaluator.findings(_output([MART_NAMES]))) == 0
    assert evaluator.report(evaluator.findings(_output([MART_NAMES, TOO_MANY_JOINS]))) == 1
    assert evaluator.report(evaluator.findings(_output([INTERMEDIATE_NAME]))) == 1


def test_no_findings_list_is_an_error() -> None:
    with pytest.raises(evaluator.EvaluatorError, match="no findings list"):
        evaluator.findings("12:00:00  Done.")


def test_a_missing_package_says_where_it_was_looked_for(tmp_path: Path) -> None:
    package = evaluator.Package("dbt_utils", "dbt-labs/dbt_utils", "1.4.1", tmp_path / "nowhere")
    with pytest.raises(evaluator.EvaluatorError, match=r"dbt-labs/dbt_utils not found at .*nowhere.*tag 1\.4\.1"):
        evaluator.extract_package(package, tmp_path / "dbt_packages" / "dbt_utils")


def test_every_exception_names_a_rule_column_and_gives_a_reason() -> None:
    with evaluator.EXCEPTIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["fct_name"].startswith("fct_") and row["column_name"] and row["id_to_exclude"], row
        assert len(row["comment"]) > 40, row


@pytest.mark.skipif(not (evaluator.MIRRORS / "dbt-labs+dbt-project-evaluator" / "repo").exists()
                    or not (evaluator.MIRRORS / "dbt-labs+dbt-utils" / "repo").exists(),
                    reason="no git clones of dbt-project-evaluator and dbt-utils in ../.mirror")
def test_the_project_has_no_finding_left_but_the_marts_names() -> None:
    assert evaluator.main([]) == 0
