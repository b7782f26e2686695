"""Logging set-up shared by the command-line scripts."""
from __future__ import annotations

import logging
import sys


def configure_logging(quiet: bool = False) -> None:
    """`LEVEL: message` lines on stderr; INFO and up, or WARNING and up when `quiet`."""
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
