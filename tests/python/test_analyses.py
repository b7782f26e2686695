"""The example queries in analyses/: `make analyses` compiles them, and each runs as written where the
README sends them: `make sql`, the DuckDB shell on the published file opened read-only (catalog `news`).

One build of the bundled samples is shared by the module (about 40 s).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.bi.analyses import compile_analyses
from scripts.build.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"
ANALYSES = sorted((ROOT / "analyses").glob("*.sql"))
DUCKDB_CLI = Path(sys.executable).with_name("duckdb")
PUBLISHED_CATALOG = "news"  # what `duckdb -readonly <warehouse>/news.duckdb` (make sql) calls the file


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("warehouse")
    build(SAMPLES, root)
    return root


@pytest.fixture(scope="module")
def compiled(warehouse: Path) -> Path:
    """What `make analyses` writes: <warehouse>/analyses/<name>.sql."""
    result = subprocess.run([sys.executable, "-m", "scripts.bi.analyses", "--warehouse", str(warehouse)],
                            cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return warehouse / "analyses"


@pytest.fixture(scope="module")
def con(warehouse: Path):
    """The published file opened as `make sql` opens it: read-only, under its own name."""
    connection = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    yield connection
    connection.close()


def _run(con, sql: str) -> tuple[list[str], list[tuple]]:
    result = con.execute(sql)
    return [d[0] for d in result.description], result.fetchall()


def _published(warehouse: Path, sql: str) -> list[tuple]:
    connection = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_at_least_eight_analyses() -> None:
    assert len(ANALYSES) >= 8, [p.name for p in ANALYSES]


@pytest.mark.parametrize("path", ANALYSES, ids=[p.stem for p in ANALYSES])
def test_analysis_states_its_question(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("-- ") and len(first) > 20, f"{path.name}: start with a comment saying what it answers"


@pytest.mark.parametrize("path", ANALYSES, ids=[p.stem for p in ANALYSES])
def test_analysis_runs_on_published_file(path: Path, compiled: Path, con) -> None:
    sql = (compiled / path.name).read_text(encoding="utf-8")
    assert "{{" not in sql and "ref(" not in sql
    assert f'"{PUBLISHED_CATALOG}"' in sql or f"{PUBLISHED_CATALOG}." in sql, "refs name the published catalog"
    columns, _ = _run(con, sql)
    assert columns, path.name


def test_most_quoted_speakers_matches_speakers(compiled: Path, con, warehouse: Path) -> None:
    _, rows = _run(con, (compiled / "most_quoted_speakers.sql").read_text(encoding="utf-8"))
    expected = _published(warehouse, "select speaker_name, quote_count from marts.speakers "
                                     "where quote_count > 0 order by quote_count desc, speaker_name")
    assert rows, "the samples have quoted speakers"
    assert rows[0][2] == expected[0][1], "the most quoted speaker comes first"
    assert sorted((r[1], r[2]) for r in rows) == sorted(expected)


def test_republished_quotes_match_canonical_ids(compiled: Path, con, warehouse: Path) -> None:
    _, rows = _run(con, (compiled / "republished_quotes.sql").read_text(encoding="utf-8"))
    expected = _published(warehouse, "select canonical_quote_id, count(distinct article_id) from marts.quotes "
                                     "group by 1 having count(distinct article_id) > 1")
    assert sorted((r[0], r[1]) for r in rows) == sorted(expected)


def test_duplicate_articles_match_articles(compiled: Path, con, warehouse: Path) -> None:
    _, rows = _run(con, (compiled / "duplicate_articles.sql").read_text(encoding="utf-8"))
    expected = _published(warehouse, "select count(*) from marts.articles where duplicate_of_article_id is not null")
    assert len(rows) == expected[0][0]


def test_claims_by_unit_over_load_time_adds_up(compiled: Path, con, warehouse: Path) -> None:
    columns, rows = _run(con, (compiled / "claims_by_unit_over_load_time.sql").read_text(encoding="utf-8"))
    total = _published(warehouse, """
        select count(*) from marts.numeric_claims c join marts.articles a using (article_id)
        where a.duplicate_of_article_id is null""")[0][0]
    assert sum(r[columns.index("claim_count")] for r in rows) == total


def test_disagreeing_numbers_really_disagree(compiled: Path, con) -> None:
    columns, rows = _run(con, (compiled / "disagreeing_numbers.sql").read_text(encoding="utf-8"))
    for row in rows:
        record = dict(zip(columns, row))
        assert record["article_count"] > 1
        assert record["disagrees"] == (record["min_value"] < record["max_value"])


def test_speaker_variable_narrows_to_one_speaker(warehouse: Path, con) -> None:
    top = _published(warehouse, "select speaker_name from marts.speakers order by quote_count desc, "
                                "speaker_name limit 1")[0][0]
    folder = warehouse / "analyses-one-speaker"
    compile_analyses(folder, "{speaker: '" + top.replace("'", "''") + "'}")
    sql = (folder / "speaker_quotes_across_outlets.sql").read_text(encoding="utf-8")
    columns, rows = _run(con, sql)
    assert {row[columns.index("speaker_name")] for row in rows} <= {top}


def test_analyses_run_in_the_pinned_duckdb_cli(compiled: Path, warehouse: Path) -> None:
    """What an analyst does: `make sql` (the pinned shell, the published file read-only), then each
    compiled analysis pasted in as it is."""
    script = []
    for path in ANALYSES:
        sql = re.sub(r";\s*$", "", (compiled / path.name).read_text(encoding="utf-8").strip())
        script.append(f"select '{path.stem}' as analysis, count(*) as result_rows from ({sql});")
    result = subprocess.run([str(DUCKDB_CLI), "-readonly", str(warehouse / "news.duckdb"), "-csv", "-noheader",
                             "-bail"], input="\n".join(script),
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    names = [line.split(",")[0] for line in result.stdout.splitlines() if line.strip()]
    assert names == [p.stem for p in ANALYSES]


def test_each_compiled_analysis_runs_as_written_in_make_sql(compiled: Path, warehouse: Path) -> None:
    """`.read warehouse/analyses/<name>.sql` in `make sql`: the file as it is, order by and all."""
    for path in ANALYSES:
        result = subprocess.run([str(DUCKDB_CLI), "-readonly", str(warehouse / "news.duckdb"), "-csv", "-bail"],
                                input=f".read {compiled / path.name}\n", capture_output=True, text=True,
                                check=False, timeout=120)
        assert result.returncode == 0 and "Error" not in result.stderr, f"{path.name}: {result.stderr}"


def test_compiling_the_analyses_leaves_nothing_in_the_build_folder(compiled: Path, warehouse: Path) -> None:
    assert not (warehouse / ".build" / "news_marts.duckdb").exists()
    assert sorted(p.name for p in compiled.glob("*.sql")) == [p.name for p in ANALYSES]


def test_numbers_by_who_claimed_them_names_indirect_speakers(compiled: Path, con) -> None:
    """`Sabah al-Numan … said on Saturday that about 80 percent of a concrete barrier … has been completed`:
    a number in reported speech is claimed by its speaker."""
    columns, rows = _run(con, (compiled / "numbers_by_who_claimed_them.sql").read_text(encoding="utf-8"))
    records = [dict(zip(columns, row)) for row in rows]
    assert all(r["speaker_name"] for r in records)
    assert {r["quote_type"] for r in records} == {"direct", "indirect"}
    assert any(r["value"] == 80 and r["unit"] == "percent" and "Numan" in r["speaker_name"]
               and r["quote_type"] == "indirect" for r in records), records
