"""How the build sets dbt up: models run at once by warehouse size, and NEWS_THREADS over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import build as build_module
from scripts.build import ONE_THREAD_FROM_ARTICLES, build, dbt_threads

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "articles"


def test_large_warehouses_run_one_model_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWS_THREADS", raising=False)
    assert dbt_threads(5) == "2"
    assert dbt_threads(ONE_THREAD_FROM_ARTICLES - 1) == "2"
    assert dbt_threads(ONE_THREAD_FROM_ARTICLES) == "1"
    monkeypatch.setenv("NEWS_THREADS", "2")
    assert dbt_threads(10 * ONE_THREAD_FROM_ARTICLES) == "2"
    monkeypatch.setenv("NEWS_THREADS", "1")
    assert dbt_threads(5) == "1"


def test_the_build_passes_the_choice_to_dbt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWS_THREADS", raising=False)
    monkeypatch.setattr(build_module, "ONE_THREAD_FROM_ARTICLES", 5)  # the five samples make it large
    build(SAMPLES, tmp_path / "wh")
    log = (tmp_path / "wh" / ".build" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Concurrency: 1 threads" in log
    assert "Concurrency: 2 threads" not in log
