"""The loader's two failures: a load that cannot run (LoadError, one line to the user) and a file that
cannot be an article (RejectedFile, a row of raw.load_errors; the load goes on)."""

from __future__ import annotations


class LoadError(Exception):
    """An expected failure the user can fix (bad arguments, locked database...)."""


class RejectedFile(Exception):
    """A file that cannot be loaded as an article; ``reason`` goes to raw.load_errors."""

    def __init__(self, reason: str, content_sha256: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.content_sha256 = content_sha256
