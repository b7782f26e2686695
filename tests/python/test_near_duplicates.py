"""Near duplicates end to end: a reworded copy of an article is found, an unrelated article is not.

The Jaccard figures are computed here, in Python, from the texts the test writes, so the test checks
the SQL's shingling and threshold against an independent count.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from scripts.bench.near_duplicates import jaccard, shingles
from scripts.build.pipeline import build

WORDS = ("border forces minister security officials said the army crossing trucks province report "
         "government talks ceasefire hospital police weather market prices election vote parliament").split()


def _paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    rng = random.Random(3)
    original = [_paragraph(rng, 60) for _ in range(5)]
    copy = [p.split(" ") for p in original]
    for words in copy[:2]:  # two paragraphs reworded slightly, three left as they are
        words[20] = "meanwhile"
    copy = [" ".join(words) for words in copy]
    unrelated = [_paragraph(rng, 60) for _ in range(5)]
    bodies = {"a_original.txt": original, "b_copy.txt": copy, "c_unrelated.txt": unrelated}
    root = tmp_path_factory.mktemp("near")
    (root / "in").mkdir()
    for name, paragraphs in bodies.items():
        (root / "in" / name).write_text(name + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    build(root / "in", root / "wh")
    return root / "wh" / "news.duckdb", bodies


def _article_shingles(paragraphs: list[str]) -> set:
    return set().union(*(shingles(p) for p in paragraphs))


def test_reworded_copy_points_at_the_original(warehouse) -> None:
    db, bodies = warehouse
    assert jaccard(_article_shingles(bodies["a_original.txt"]), _article_shingles(bodies["b_copy.txt"])) >= 0.7
    assert jaccard(_article_shingles(bodies["a_original.txt"]), _article_shingles(bodies["c_unrelated.txt"])) < 0.7
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = dict(con.execute("""
            select a.source_path, o.source_path
            from marts.articles a left join marts.articles o on a.near_duplicate_of_article_id = o.article_id
        """).fetchall())
    finally:
        con.close()
    assert rows == {"a_original.txt": None, "b_copy.txt": "a_original.txt", "c_unrelated.txt": None}


def test_reworded_paragraphs_join_the_original_cluster(warehouse) -> None:
    db, bodies = warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""
            select a.source_path, p.paragraph_index, p.canonical_paragraph_id, p.near_duplicate_cluster_id
            from marts.paragraphs p join marts.articles a using (article_id)
            order by a.source_path, p.paragraph_index
        """).fetchall()
    finally:
        con.close()
    by_file = {}
    for path, index, canonical, cluster in rows:
        by_file.setdefault(path, {})[index] = (canonical, cluster)
    for index in range(1, 6):
        original_canonical, original_cluster = by_file["a_original.txt"][index]
        copy_canonical, copy_cluster = by_file["b_copy.txt"][index]
        assert copy_cluster == original_cluster == original_canonical
        assert (copy_canonical == original_canonical) == (index > 2)  # edited ones are other texts
        assert by_file["c_unrelated.txt"][index][1] != original_cluster
