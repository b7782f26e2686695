"""Logging set-up shared by the command-line scripts."""
from __future__ import annotations

import argparse
import logging
import sys


def configure_logging(quiet: bool = False) -> None:
    """`LEVEL: message` lines on stderr; INFO and up, or WARNING and up when `quiet`."""
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)


def add_verbosity_arguments(parser: argparse.ArgumentParser, verbose_help: str = "more logging",
                            quiet_help: str = "only warnings and errors") -> None:
    """`-v/--verbose` and `-q/--quiet`, one or the other."""
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help=verbose_help)
    verbosity.add_argument("-q", "--quiet", action="store_true", help=quiet_help)


def configure_verbosity(args: argparse.Namespace, log: logging.Logger) -> None:
    """Logging as the arguments of add_verbosity_arguments ask: `--verbose` turns on DEBUG for `log`
    only (libraries stay at INFO)."""
    configure_logging(args.quiet)
    if args.verbose:
        log.setLevel(logging.DEBUG)
