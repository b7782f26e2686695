"""What the build file remembers between builds: which project built it, and which loads are tested.

An incremental build applies the models to new articles only. After a change to a model, macro,
seed or project variable, the rows already built would silently keep the old rules, so the build
compares a fingerprint of the project with the one stored at the last successful build and runs a
full refresh when they differ (or when the file was built by a version that stored none).

`tested_through_load_id` is the last load whose rows passed every data test. Data tests that check
each row on its own, or each article on its own (offsets point at the text, one article's paragraphs
are numbered 1..n), read only the rows of later loads: the rows of earlier loads were tested when they
were built and no later build changes what these tests read in them (a relinked row keeps its text,
offsets and position). See macros/tests.sql. Tests that compare rows across articles (keys,
relationships, canonical links) always read whole tables. A full refresh sets it to -1, so that build
tests every row.

A build that stops half way (Ctrl-C, SIGTERM, a kill) leaves a mark saying what it was doing, so the
next build knows what is left: `building:<fingerprint>` for a first build or a full refresh asked for
on an unchanged project (the rows there are all this project's: the next build carries on
incrementally, loading the seeds again), `refreshing:<fingerprint>` for a full refresh that a changed
project required (some models still hold rows of the old rules: the next build refreshes again).

The state lives in `raw.build_state` in the build file (one row), next to the loads it describes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scripts.build.storage import connect_build_file

log = logging.getLogger("build")

# What decides the rows the models write. Documentation and tests in the yml files do not, so they
# are left out of the fingerprint: editing a description must not cost a full rebuild.
FINGERPRINTED = ("models", "macros", "seeds", "dbt_project.yml")
NOT_FINGERPRINTED_KEYS = frozenset({"description", "data_tests", "tests", "unit_tests", "docs", "meta"})

# libyaml's safe loader where PyYAML has it: the same documents, 0.04 s for the project's yml files
# instead of 0.23 s (the fingerprint is taken on every build, while the articles load).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STATE_DDL = """
create table if not exists raw.build_state (
    project_fingerprint varchar,
    tested_through_load_id bigint not null,
    updated_at timestamp not null
)
"""


BUILDING = "building:"
REFRESHING = "refreshing:"


@dataclass(frozen=True)
class BuildState:
    project_fingerprint: str | None
    tested_through_load_id: int
    has_models: bool

    def unfinished(self, fingerprint: str) -> str | None:
        """What a build of this project stopped half way through left: "build" (carry on incrementally),
        "refresh" (refresh again), or None."""
        if self.project_fingerprint == BUILDING + fingerprint:
            return "build"
        if self.project_fingerprint == REFRESHING + fingerprint:
            return "refresh"
        return None


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in NOT_FINGERPRINTED_KEYS}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def project_fingerprint(project_dir: Path) -> str:
    """A hash of the SQL, seeds, macros and configuration that decide what the models write."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for name in FINGERPRINTED:
        path = project_dir / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    for path in files:
        if path.suffix not in {".sql", ".csv", ".yml", ".yaml"}:
            continue
        data = path.read_bytes()
        if path.suffix in {".yml", ".yaml"}:
            data = json.dumps(_strip(yaml.load(data, Loader=_YAML_LOADER)), sort_keys=True, default=str).encode()
        digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def read_state(build_db: Path) -> BuildState:
    """The state stored in the build file; has_models says whether dbt has built into it before."""
    con = connect_build_file(build_db)
    try:
        has_models = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema in ('staging', 'intermediate')").fetchone()[0] > 0
        con.execute(STATE_DDL)
        row = con.execute("select project_fingerprint, tested_through_load_id from raw.build_state").fetchone()
    finally:
        con.close()
    if row is None:
        return BuildState(None, -1, has_models)
    return BuildState(row[0], int(row[1]), has_models)


def write_state(build_db: Path, fingerprint: str | None, tested_through_load_id: int) -> None:
    """Replace the stored state (one row). fingerprint None keeps the stored one."""
    con = connect_build_file(build_db)
    try:
        con.execute(STATE_DDL)
        stored = con.execute("select project_fingerprint from raw.build_state").fetchone()
        keep = stored[0] if stored else None
        con.execute("begin transaction")
        con.execute("delete from raw.build_state")
        con.execute("insert into raw.build_state values (?, ?, current_timestamp)",
                    [fingerprint if fingerprint is not None else keep, tested_through_load_id])
        con.execute("commit")
    finally:
        con.close()
