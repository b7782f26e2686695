"""Incremental builds give what a full rebuild of the same loads gives.

A warehouse is built from part of an input, then grown (new files), then changed (a file rewritten, a
file stripped of its quotes, a file made a copy of another, a file emptied to its title). After each
incremental build its marts must equal those of a `--full-refresh` build of a copy of the same
warehouse (same raw loads, everything recomputed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from scripts.build.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"
MARTS = ("articles", "paragraphs", "quotes", "speakers", "numeric_claims", "load_errors")

EXTRA = {
    "wire_a.txt": "Talks resume\n\nOfficials said 300 trucks crossed on Monday.\n\n"
                  "\u201cWe expect more tomorrow,\u201d said Dana Reyes, a spokesperson for the border agency.\n\n"
                  "About 40 percent of the cargo was food.",
    "wire_b.txt": "Prices climb\n\nFuel prices rose 12 percent in March, the ministry said.\n\n"
                  "\u201cIt will not last,\u201d Omar Haddad told reporters.",
}


def _marts(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in MARTS:
            columns = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ? "
                "and column_name not in ('loaded_at', 'load_id') order by column_index", [table]).fetchall()]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f"select {select} from marts.{table} order by all").fetchall()
        return out
    finally:
        con.close()


def _full_refresh_of(warehouse: Path, articles: Path, tmp: Path) -> dict[str, list[tuple]]:
    copy = tmp / f"refresh-{len(list(tmp.iterdir()))}"
    shutil.copytree(warehouse, copy)
    (copy / "news.duckdb").unlink()
    build(articles, copy, full_refresh=True)
    return _marts(copy / "news.duckdb")


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("incremental")
    articles = tmp / "in"
    articles.mkdir()
    for path in sorted(SAMPLES.glob("*.txt"))[:3]:
        shutil.copy(path, articles / path.name)
    warehouse = tmp / "wh"
    build(articles, warehouse)
    for path in sorted(SAMPLES.glob("*.txt"))[3:]:
        shutil.copy(path, articles / path.name)
    for name, text in EXTRA.items():
        (articles / name).write_text(text, encoding="utf-8")
    build(articles, warehouse)
    return tmp, articles, warehouse


def test_new_files_are_added_as_a_full_build_would(grown) -> None:
    tmp, articles, warehouse = grown
    incremental = _marts(warehouse / "news.duckdb")
    assert len(incremental["articles"]) == 7
    assert incremental == _full_refresh_of(warehouse, articles, tmp)


def test_changed_files_replace_their_rows_as_a_full_build_would(grown) -> None:
    tmp, articles, warehouse = grown
    samples = sorted(articles.glob("0*.txt"))
    first = samples[0].read_text(encoding="utf-8")
    samples[0].write_text(first.replace("\n", "\nA new first paragraph says 42 people were there.\n", 1),
                          encoding="utf-8")
    quoted = samples[3].read_text(encoding="utf-8")
    samples[3].write_text(quoted.translate({ord(c): None for c in "\u201c\u201d\""}), encoding="utf-8")
    (articles / "wire_b.txt").write_text((articles / "wire_a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    samples[4].write_text(samples[4].read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    before = _marts(warehouse / "news.duckdb")
    build(articles, warehouse)
    incremental = _marts(warehouse / "news.duckdb")
    assert incremental != before
    assert incremental == _full_refresh_of(warehouse, articles, tmp)
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        assert con.execute("""
            select o.source_path from marts.articles a join marts.articles o on a.duplicate_of_article_id = o.article_id
            where a.source_path = 'wire_b.txt'
        """).fetchall() == [("wire_a.txt",)]
    finally:
        con.close()


def test_copies_of_a_rewritten_article_are_relinked_as_a_full_build_would(grown) -> None:
    """wire_b is a copy of wire_a, so its paragraphs point at wire_a's as canonical occurrences. When wire_a
    is rewritten, the held rows of wire_b (not loaded again) must change: wire_b becomes canonical."""
    tmp, articles, warehouse = grown

    def duplicate_of_and_canonicals() -> tuple[list[tuple], list[tuple]]:
        con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
        try:
            duplicate_of = con.execute("""
                select o.source_path from marts.articles a
                left join marts.articles o on a.duplicate_of_article_id = o.article_id
                where a.source_path = 'wire_b.txt'""").fetchall()
            canonicals = con.execute("""
                select distinct c.source_path from marts.paragraphs p
                join marts.articles a on p.article_id = a.article_id
                join marts.paragraphs cp on p.canonical_paragraph_id = cp.paragraph_id
                join marts.articles c on cp.article_id = c.article_id
                where a.source_path = 'wire_b.txt'""").fetchall()
            return duplicate_of, canonicals
        finally:
            con.close()

    (articles / "wire_b.txt").write_text(EXTRA["wire_a.txt"], encoding="utf-8")
    (articles / "wire_a.txt").write_text(EXTRA["wire_a.txt"], encoding="utf-8")
    build(articles, warehouse)
    assert duplicate_of_and_canonicals() == ([("wire_a.txt",)], [("wire_a.txt",)])
    (articles / "wire_a.txt").write_text(EXTRA["wire_a.txt"].replace("300 trucks", "310 trucks"),
                                         encoding="utf-8")
    build(articles, warehouse)
    # The rewritten paragraph is wire_a's own now; the others are first seen in wire_b.
    assert duplicate_of_and_canonicals() == ([(None,)], [("wire_b.txt",)])
    assert _marts(warehouse / "news.duckdb") == _full_refresh_of(warehouse, articles, tmp)


def test_a_quote_whose_first_occurrence_is_rewritten_away_is_relinked_as_a_full_build_would(grown) -> None:
    """quote_b and quote_c (a word missing) repeat a quote first seen in quote_a. When quote_a is rewritten
    without it, the held quotes of quote_b and quote_c (not loaded again) must point at quote_b's."""
    tmp, articles, warehouse = grown
    said = "\u201cThe bridge will reopen to traffic before the end of the month,\u201d said Lina Karam."
    texts = {
        "quote_a.txt": f"Bridge works\n\nThe ministry published a schedule.\n\n{said}",
        "quote_b.txt": f"Traffic update\n\nDrivers were told to plan ahead.\n\n{said}\n\nDetours stay in place.",
        "quote_c.txt": "Road news\n\nA reader asked about the works.\n\n"
                       + said.replace("reopen to traffic", "reopen traffic"),
    }
    for name, text in texts.items():
        (articles / name).write_text(text, encoding="utf-8")
    build(articles, warehouse)

    def canonical_sources() -> list[tuple]:
        con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
        try:
            return con.execute("""
                select a.source_path, ca.source_path from marts.quotes q
                join marts.articles a on q.article_id = a.article_id
                join marts.quotes c on q.canonical_quote_id = c.quote_id
                join marts.articles ca on c.article_id = ca.article_id
                where a.source_path like 'quote_%' order by 1""").fetchall()
        finally:
            con.close()

    assert canonical_sources() == [("quote_a.txt", "quote_a.txt"), ("quote_b.txt", "quote_a.txt"),
                                   ("quote_c.txt", "quote_a.txt")]
    (articles / "quote_a.txt").write_text("Bridge works\n\nThe ministry published a schedule.\n", encoding="utf-8")
    build(articles, warehouse)
    assert canonical_sources() == [("quote_b.txt", "quote_b.txt"), ("quote_c.txt", "quote_b.txt")]
    assert _marts(warehouse / "news.duckdb") == _full_refresh_of(warehouse, articles, tmp)
