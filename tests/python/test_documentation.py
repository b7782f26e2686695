"""The documentation agrees with the project: the README's mart tables with models/marts/_marts__models.yml,
macros/_macros.yml with the macros in macros/*.sql, seeds/_seeds.yml with the seed CSVs, and
docs/architecture.md with the models in models/.

These read files only (no build, no ../shared).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ADAPTER_VARIANT = re.compile(r"^(default|duckdb|spark)__")
MACRO_HEAD = re.compile(r"{%-?\s*macro\s+(\w+)\s*\((.*?)\)\s*-?%}", re.S)


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- README mart tables ----------------------------------------------------------------------------

def readme_mart_tables(text: str) -> dict[str, list[tuple[str, str]]]:
    """(column, type) per mart, in order, from the README's `### marts.<name>` sections: the first table
    after each heading, whose first cell names one or more columns (`char_start, char_end`) and whose
    second cell gives one type for all of them or one per column."""
    tables: dict[str, list[tuple[str, str]]] = {}
    mart = None
    rows: list[tuple[str, str]] = []
    for line in text.splitlines() + [""]:
        heading = re.match(r"^#{2,3} `?marts\.(\w+)`?", line)
        if heading or (line.startswith("#") and mart):
            if mart:
                tables[mart] = rows
            mart, rows = (heading.group(1), []) if heading else (None, [])
            continue
        if mart is None or not line.startswith("|"):
            continue
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("column", "") or set(cells[0]) <= set("-: "):
            continue
        names = [name.strip().strip("`") for name in cells[0].split(",")]
        types = [kind.strip() for kind in cells[1].split(",")]
        if len(types) == 1:
            types *= len(names)
        assert len(types) == len(names), f"README, marts.{mart}: {line!r} names {len(names)} columns, {len(types)} types"
        rows.extend(zip(names, types))
    if mart:
        tables[mart] = rows
    return tables


def yml_mart_columns() -> dict[str, list[tuple[str, str]]]:
    models = _yaml(ROOT / "models" / "marts" / "_marts__models.yml")["models"]
    return {model["name"]: [(column["name"], column["data_type"]) for column in model["columns"]] for model in models}


def test_readme_tables_parse_names_and_types() -> None:
    text = """
### marts.things: one row per thing
| column | type | meaning |
|---|---|---|
| thing_id | varchar | key |
| char_start, char_end | bigint | offsets |
| load_id, loaded_at | bigint, timestamp | the load |

## Querying
| not | a | mart |
"""
    assert readme_mart_tables(text) == {"things": [("thing_id", "varchar"), ("char_start", "bigint"),
                                                   ("char_end", "bigint"), ("load_id", "bigint"),
                                                   ("loaded_at", "timestamp")]}


def test_readme_has_a_table_per_mart() -> None:
    readme = readme_mart_tables((ROOT / "README.md").read_text(encoding="utf-8"))
    assert sorted(readme) == sorted(yml_mart_columns())


@pytest.mark.parametrize("mart", sorted(yml_mart_columns()))
def test_readme_mart_table_matches_the_yml(mart: str) -> None:
    """Same columns, same order, same types as the mart's contract: edit both or neither."""
    readme = readme_mart_tables((ROOT / "README.md").read_text(encoding="utf-8"))
    assert readme.get(mart) == yml_mart_columns()[mart]


# --- macros --------------------------------------------------------------------------------------------

def _split_arguments(signature: str) -> list[str]:
    """Argument names of a Jinja macro signature, defaults dropped (commas inside brackets or quotes kept)."""
    names, depth, quote, current = [], 0, None, ""
    for char in signature + ",":
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            if current.strip():
                names.append(current.split("=")[0].strip())
            current = ""
            continue
        current += char
    return names


def public_macros() -> dict[str, list[str]]:
    """Every macro of macros/*.sql that is called by its own name (not an adapter's variant), with its arguments."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "macros").glob("*.sql")):
        for name, signature in MACRO_HEAD.findall(path.read_text(encoding="utf-8")):
            if not ADAPTER_VARIANT.match(name):
                found[name] = _split_arguments(signature)
    return found


def documented_macros() -> dict[str, dict]:
    return {entry["name"]: entry for entry in _yaml(ROOT / "macros" / "_macros.yml")["macros"]}


def test_macro_signatures_parse() -> None:
    assert _split_arguments("") == []
    assert _split_arguments("a, b='x, y', c=[1, 2], d=none") == ["a", "b", "c", "d"]
    assert public_macros()["in_batch"] == ["column", "batch_cte", "load_id_column"]


def test_every_public_macro_is_documented() -> None:
    missing = sorted(set(public_macros()) - set(documented_macros()))
    assert not missing, f"macros without an entry in macros/_macros.yml: {missing}"


def test_no_entry_for_a_macro_that_is_gone() -> None:
    stale = sorted(set(documented_macros()) - set(public_macros()))
    assert not stale, f"entries in macros/_macros.yml for no macro of macros/*.sql: {stale}"


def test_macro_entries_describe_the_macro_and_its_arguments() -> None:
    macros, wrong = public_macros(), []
    for name, entry in documented_macros().items():
        arguments = [argument["name"] for argument in entry.get("arguments", [])]
        if not (entry.get("description") or "").strip():
            wrong.append(f"{name}: no description")
        if name in macros and arguments != macros[name]:
            wrong.append(f"{name}: arguments {arguments}, the macro has {macros[name]}")
        wrong.extend(f"{name}({argument['name']}): no description"
                     for argument in entry.get("arguments", []) if not argument.get("description"))
    assert not wrong


# --- seeds ---------------------------------------------------------------------------------------------

def _has_key_test(entry: dict) -> bool:
    def names(tests: list) -> set[str]:
        return {test if isinstance(test, str) else next(iter(test)) for test in tests or []}
    if names(entry.get("data_tests")) & {"unique_combination"}:
        return True
    return any(names(column.get("data_tests")) & {"primary_key", "unique"} for column in entry.get("columns", []))


@pytest.mark.parametrize("seed", sorted(path.stem for path in (ROOT / "seeds").glob("*.csv")))
def test_every_seed_has_description_types_and_key_test(seed: str) -> None:
    entries = {entry["name"]: entry for entry in _yaml(ROOT / "seeds" / "_seeds.yml")["seeds"]}
    assert seed in entries, f"seeds/{seed}.csv has no entry in seeds/_seeds.yml"
    entry = entries[seed]
    with (ROOT / "seeds" / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert (entry.get("description") or "").strip()
    assert list(entry.get("config", {}).get("column_types", {})) == header
    assert _has_key_test(entry), f"{seed}: no primary_key, unique or unique_combination test"


# --- docs/architecture.md --------------------------------------------------------------------------

def test_architecture_names_every_model_and_only_models() -> None:
    models = {path.stem for path in (ROOT / "models").rglob("*.sql")}
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b((?:int|stg)_\w+)", text)) - {"int_", "stg_"}
    named = {name for name in named if not name.startswith(("int_<", "stg_<"))}
    intermediate_and_staging = {name for name in models if name.startswith(("int_", "stg_"))}
    assert sorted(intermediate_and_staging - named) == [], "models docs/architecture.md does not name"
    assert sorted(named - models) == [], "names in docs/architecture.md that are no model"
