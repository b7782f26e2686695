"""The build's expected failures: each reported as one line and a non-zero exit, never a traceback."""


class BuildError(Exception):
    """An expected failure, reported as one line and a non-zero exit."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (DuckDB's run to many), or its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Interrupted(BaseException):
    """The build was told to stop (SIGTERM, or SIGINT: Ctrl-C). A BaseException like KeyboardInterrupt,
    so that no `except Exception` swallows it; every `finally` on the way out runs (the load's
    rollback, dbt's process ended, the lock released)."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.published = False  # set when it came after the new file was published
