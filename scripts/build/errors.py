"""The build's expected failures: each reported as one line and a non-zero exit, never a traceback."""


class BuildError(Exception):
    """An expected failure, reported as one line and a non-zero exit."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (DuckDB's run to many), or its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
