"""Compile the example queries of analyses/ so that each runs as written in `make sql`.

    python -m scripts.bi.analyses --warehouse warehouse [--vars '{speaker: "Thabet al-Abbasi"}']

`make sql` opens the published file read-only, so its catalog is `news` (the file's name). dbt
writes the catalog of the database it compiles against into every ref, so the analyses are compiled
against an empty stand-in named like the published file, in a temporary folder: nothing is opened or
created in the warehouse but the output folder, <warehouse>/analyses/ by default. In `make sql`,
`.read warehouse/analyses/most_quoted_speakers.sql` runs one, or paste its text.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scripts import PROJECT_DIR
from scripts.build.dbt_command import dbt_env
from scripts.build.logs import configure_logging
from scripts.build.warehouse import BUILD_DB_NAME, PUBLISHED_NAME

log = logging.getLogger("analyses")

PROJECT_NAME = "news_warehouse"


class AnalysesError(Exception):
    """dbt could not compile the analyses (one line)."""


def compile_analyses(output: Path, variables: str | None = None) -> list[Path]:
    """Write every analysis, compiled for the published file's catalog, into ``output``."""
    with tempfile.TemporaryDirectory(prefix="news-analyses-") as tmp:
        folder = Path(tmp)
        dbt = Path(sys.executable).with_name("dbt")
        command = [str(dbt) if dbt.exists() else "dbt", "compile", "--select", "resource_type:analysis",
                   *(["--vars", variables] if variables else []),
                   "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
                   "--target-path", str(folder / "target"), "--log-path", str(folder / "logs")]
        env = {**os.environ, **dbt_env(folder / BUILD_DB_NAME, folder / PUBLISHED_NAME)}
        result = subprocess.run(command, env=env, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AnalysesError(f"dbt compile failed (exit {result.returncode}): "
                                + (result.stdout + result.stderr).strip()[-2000:])
        compiled = sorted((folder / "target" / "compiled" / PROJECT_NAME / "analyses").glob("*.sql"))
        output.mkdir(parents=True, exist_ok=True)
        written = []
        for path in compiled:
            shutil.copyfile(path, output / path.name)
            written.append(output / path.name)
    return written


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bi.analyses", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                        help="warehouse folder; the compiled queries go to <warehouse>/analyses/")
    parser.add_argument("--output", type=Path, help="folder for the compiled queries instead")
    parser.add_argument("--vars", dest="variables", help="dbt variables, e.g. '{speaker: \"Thabet al-Abbasi\"}'")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    output = args.output or args.warehouse / "analyses"
    try:
        written = compile_analyses(output, args.variables)
    except AnalysesError as exc:
        log.error("%s", exc)
        return 2
    published = args.warehouse / PUBLISHED_NAME
    log.info("compiled %d analyses into %s; run one in `make sql` with `.read %s`", len(written), output,
             written[0] if written else output / "<name>.sql")
    if not published.exists():
        log.info("no %s yet: run make build first", published)
    return 0


if __name__ == "__main__":
    sys.exit(main())
