"""Property-based test of paragraph splitting, through the real loader and dbt models.

Hypothesis writes batches of articles whose lines are plain sentences (no furniture, dateline or
byline shapes) decorated with every kind of whitespace, blank line and line ending. For every article
the paragraphs must be exactly its distinct non-blank lines, trimmed, in order, and each paragraph's
text must be the stored body at its offsets. One build per example keeps the cost to a few builds.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scripts.build.pipeline import build
from scripts.build.load.decoding import MOJIBAKE_HINT

WHITESPACE = [" ", "\t", "\u00a0", "\u2009", "\u3000", "\u200b", "\ufeff", "\f", "\v"]
NEWLINES = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n \n"]
WORDS = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lo", "Nd")), min_size=1, max_size=6)

sentence = st.lists(WORDS, min_size=9, max_size=11).map(lambda words: " ".join(words) + ".")
decorated = st.tuples(st.sampled_from(["", *WHITESPACE]), sentence, st.sampled_from(["", *WHITESPACE]))
article = st.tuples(sentence, st.lists(st.tuples(decorated, st.sampled_from(NEWLINES)), min_size=0, max_size=8))


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _expected_paragraphs(lines: list[str]) -> list[str]:
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        key = _normalise(line)
        if key not in seen:
            seen.add(key)
            kept.append(line)
    return kept


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(article, min_size=8, max_size=15))
def test_paragraphs_are_the_distinct_lines_at_their_offsets(articles: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "in"
        folder.mkdir()
        expected: dict[str, list[str]] = {}
        for number, (title, lines) in enumerate(articles):
            body = "".join(before + text + after + newline for (before, text, after), newline in lines)
            # Random letters can spell UTF-8-read-as-cp1252 (`âƒ ` is U+20E0 seen that way), which the loader
            # rightly repairs with ftfy; that repair is tested in test_hostile_inputs. Here: splitting only.
            assume(not MOJIBAKE_HINT.search(title + "\n" + body))
            (folder / f"a{number:03}.txt").write_text(title + "\n" + body, encoding="utf-8")
            expected[f"a{number:03}.txt"] = _expected_paragraphs([text for (_, text, _), _ in lines])
        build(folder, root / "warehouse")
        con = duckdb.connect(str(root / "warehouse" / "news.duckdb"), read_only=True)
        try:
            rows = con.execute("""
                select a.source_path, a.body_text,
                       list(struct_pack(t := p.paragraph_text, s := p.char_start, e := p.char_end)
                            order by p.paragraph_index) filter (where p.paragraph_id is not null)
                from marts.articles a left join marts.paragraphs p using (article_id)
                group by a.source_path, a.body_text
            """).fetchall()
        finally:
            con.close()
    assert {r[0] for r in rows} == set(expected)
    for source_path, body, paragraphs in rows:
        paragraphs = paragraphs or []
        assert [p["t"] for p in paragraphs] == expected[source_path], source_path
        previous_end = -1
        for p in paragraphs:
            assert body[p["s"]:p["e"]] == p["t"]
            assert p["s"] > previous_end
            previous_end = p["e"]
