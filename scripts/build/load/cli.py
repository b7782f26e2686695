"""The loader's command line: `python -m scripts.build.load --articles FOLDER --db FILE`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from scripts.build.errors import first_line
from scripts.build.load.errors import LoadError
from scripts.build.load.loader import load_articles
from scripts.build.logs import add_verbosity_arguments, configure_verbosity

log = logging.getLogger("load_articles")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.build.load",
        description="Load the .txt articles of a folder (recursively) into raw.articles of a "
                    "DuckDB file. Idempotent: unchanged files add nothing; rejected files are "
                    "listed in raw.load_errors.",
    )
    parser.add_argument("--articles", type=Path, required=True,
                        help="folder holding the article files (*.txt and *.jsonl[.gz], any case, "
                             "recursively), or one JSON Lines file")
    parser.add_argument("--db", type=Path, required=True,
                        help="DuckDB file to load into (created with its folders if missing)")
    parser.add_argument("--verify-content", action="store_true",
                        help="read and hash every file, even one whose size and modification time "
                             "are those of its stored version")
    parser.add_argument("--prune", action="store_true",
                        help="retract from raw.articles the articles whose files are no longer in the input")
    add_verbosity_arguments(parser, verbose_help="log every rejected file",
                            quiet_help="only warnings and errors; no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_verbosity(args, log)
    try:
        load_articles(args.articles, args.db, progress=False if args.quiet else None,
                      verify_content=args.verify_content, prune=args.prune)
    except LoadError as exc:
        log.error("%s", exc)
        return 2
    except duckdb.IOException as exc:
        log.error("cannot write %s: %s", args.db, first_line(exc))
        return 2
    except KeyboardInterrupt:
        log.error("interrupted; nothing from this load was committed")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
