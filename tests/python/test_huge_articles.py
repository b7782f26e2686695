"""Huge articles (issue 17, item 1): a 10 MB and a 50 MB single-paragraph article beside a normal one
are built by every model and test in bounded time and memory. Several minutes: `make test-huge` (which
`make test` runs) or NEWS_TEST_HUGE=1.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import duckdb
import pytest

from scripts.build.dbt_command import run_dbt
from scripts.build.load import load_articles
from scripts.build.pipeline import build
from scripts.build.warehouse import prepare_warehouse

pytestmark = pytest.mark.skipif(
    os.environ.get("NEWS_TEST_HUGE") != "1",
    reason="huge-article build (several minutes): run `make test-huge` or set NEWS_TEST_HUGE=1",
)

ARTICLE = "Border talks resume\n\nOfficials from both countries met on Monday to discuss the crossing.\n"

# One huge article beside normal ones (issue 17, item 1). A scraped feed can hold a page whose
# whole body is one line of many megabytes. Every step is linear in its input, so a 10 MB and a
# 50 MB single-paragraph article load and are extracted (quotes and numbers) in minutes, and
# an ordinary article of the same load comes out as it does alone. The limits are generous: they
# catch a stall (the quadratic steps ran for hours), not a slowdown.

HUGE_WORDS = (
    'Officials said the talks would resume next week. "We are ready to meet again," said Ahmed '
    "Nasrullah, the commander of the border forces. Two convoys crossed on Monday and three more "
    "waited, according to a statement from the ministry. The minister said the situation was "
    '"calm" and that the units stationed there were on high alert. '
)
HUGE_DIGITS = (
    "About 1,200 people crossed the 600 km border in 5 days, a rise of 12.5% since 2019. "
    "The ministry paid $3m for 40 trucks and 2 planes, and nearly 300 troops stayed. "
)
NORMAL_TEXT = (
    "Convoy crosses the border\n\n"
    "Nearly 300 troops and 12 tanks crossed the 600 km border on Monday, a 5% rise.\n"
    '"We paid $2m for the new trucks," the minister said, "and 40 more are coming."\n'
)
# Loose limits: they catch a stall (the quadratic steps ran for hours), not a slowdown. Measured
# here: about 10 minutes on a quiet 2-core machine, 17 minutes beside other builds.
HUGE_BUILD_SECONDS = 40 * 60
HUGE_BUILD_RSS_BYTES = 8 * 2**30


def _huge_unit(digits: bool) -> str:
    return HUGE_WORDS + (HUGE_DIGITS if digits else "")


def _huge_body(size: int, digits: bool) -> str:
    return (_huge_unit(digits) * (size // len(_huge_unit(digits)) + 1))[:size].rstrip()


def _write_huge_inputs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "normal.txt").write_text(NORMAL_TEXT, encoding="utf-8")
    line = json.dumps({"id": "huge", "title": "Ten megabytes", "body": _huge_body(10_000_000, digits=False)})
    (folder / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    (folder / "fifty.txt").write_text("Fifty megabytes\n\n" + _huge_body(50_000_000, digits=True) + "\n", encoding="utf-8")


def _peak_child_rss() -> int:
    """Largest resident set of any child process waited for so far (dbt runs in one), in bytes."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


# Quotes of each kind in the given articles.
QUOTES_BY_ARTICLE = """
    select q.quote_type, count(*) from marts.quotes q join marts.articles a using (article_id)
    where list_contains(?, a.source_path) group by 1
"""
CLAIMS_OF = """
    select c.surface_text, c.value, c.unit, c.unit_class, c.counted_noun, c.qualifier, c.char_start,
        c.quote_id is not null as in_quote
    from marts.numeric_claims c join marts.articles a using (article_id)
    where a.source_path = ? order by c.paragraph_id, c.char_start
"""


@pytest.fixture(scope="module")
def huge_build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("huge")
    # Alone: the normal article, and one repeat unit of each huge body as a short article.
    alone = root / "alone"
    alone.mkdir()
    (alone / "normal.txt").write_text(NORMAL_TEXT, encoding="utf-8")
    for digits in (False, True):
        (alone / f"unit_{digits}.txt").write_text(f"Unit\n\n{_huge_unit(digits).strip()}\n", encoding="utf-8")
    build(alone, root / "alone_warehouse")
    con = duckdb.connect(str(root / "alone_warehouse" / "news.duckdb"), read_only=True)
    expected = con.execute(CLAIMS_OF, ["normal.txt"]).fetchall()
    per_unit = {digits: len(con.execute(CLAIMS_OF, [f"unit_{digits}.txt"]).fetchall()) for digits in (False, True)}
    quotes_per_unit = dict(con.execute(QUOTES_BY_ARTICLE, [["unit_False.txt"]]).fetchall())
    con.close()

    # A warehouse with one small article, then the huge ones and the normal one in one new load.
    inputs = root / "in"
    inputs.mkdir()
    (inputs / "first.txt").write_text(ARTICLE, encoding="utf-8")
    warehouse = root / "warehouse"
    build(inputs, warehouse)
    _write_huge_inputs(inputs)
    paths = prepare_warehouse(warehouse)
    started = time.monotonic()
    summary = load_articles(inputs, paths.build_db)
    run_dbt(paths, ["build", "--exclude-resource-type", "unit_test"])
    seconds = time.monotonic() - started
    con = duckdb.connect(str(paths.marts_db), read_only=True)
    try:
        result = {
            "expected": expected,
            "per_unit": per_unit,
            "normal": con.execute(CLAIMS_OF, ["normal.txt"]).fetchall(),
            "huge_claims": dict(con.execute("""
                select a.source_path, count(c.claim_id) from marts.articles a
                left join marts.numeric_claims c using (article_id)
                where a.source_path in ('feed.jsonl#huge', 'fifty.txt') group by 1
            """).fetchall()),
            "huge_quotes": dict(con.execute(QUOTES_BY_ARTICLE, [["feed.jsonl#huge"]]).fetchall()),
            "longest_paragraph": con.execute("select max(length(paragraph_text)) from marts.paragraphs").fetchone()[0],
        }
    finally:
        con.close()
    return {**result, "quotes_per_unit": quotes_per_unit, "loaded": summary.loaded, "seconds": seconds, "peak_rss": _peak_child_rss()}


def test_huge_articles_are_extracted_in_bounded_time_and_memory(huge_build: dict) -> None:
    assert huge_build["loaded"] == 3
    assert huge_build["seconds"] < HUGE_BUILD_SECONDS, huge_build["seconds"]
    assert huge_build["peak_rss"] < HUGE_BUILD_RSS_BYTES, huge_build["peak_rss"]
    # kept whole, one paragraph each, and their numbers extracted
    assert huge_build["longest_paragraph"] >= 49_000_000
    # as many claims as the repeated unit has alone, times the repeats (the last one is cut short)
    claims, per_unit = huge_build["huge_claims"], huge_build["per_unit"]
    for source, size, digits in (("feed.jsonl#huge", 10_000_000, False), ("fifty.txt", 50_000_000, True)):
        repeats = size // len(_huge_unit(digits))
        assert per_unit[digits] > 0
        assert repeats * per_unit[digits] <= claims[source] <= (repeats + 1) * per_unit[digits], source


def test_a_normal_article_beside_huge_ones_is_extracted_as_alone(huge_build: dict) -> None:
    assert huge_build["expected"], "the normal article has claims of its own"
    assert huge_build["normal"] == huge_build["expected"]


def test_huge_articles_get_their_quotes(huge_build: dict) -> None:
    # the 10 MB body repeats its unit: as many direct and indirect quotes as the unit has alone
    # (the cut-off last repeat may hold a few more or fewer)
    repeats = 10_000_000 // len(_huge_unit(False))
    per_unit, huge = huge_build["quotes_per_unit"], huge_build["huge_quotes"]
    assert per_unit.get("direct", 0) > 0 and per_unit.get("indirect", 0) > 0, per_unit
    for quote_type, count in per_unit.items():
        assert (repeats - 1) * count <= huge.get(quote_type, 0) <= (repeats + 1) * count, (quote_type, huge)
