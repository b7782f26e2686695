"""Crash points for the crash-safety tests.

With NEWS_FAILPOINT=<name> in the environment, the process kills itself with SIGKILL when it reaches
the point of that name: no cleanup, no finally blocks, exactly like `kill -9` or a power cut at that
moment. Without the variable this is a dictionary lookup and nothing else.
"""

from __future__ import annotations

import os
import signal

ENV_VAR = "NEWS_FAILPOINT"

POINTS = (
    "load.after_first_batch",   # inside the load transaction, rows written but not committed
    "load.before_commit",       # every row written, commit not yet issued
    "build.after_load",         # load committed, dbt not started
    "build.after_dbt",          # dbt build done, nothing published
    "publish.after_copy",       # the new file synced and read-only, not yet renamed over the old file
    "publish.after_replace",    # renamed, folder not yet synced
)


def failpoint(name: str) -> None:
    if os.environ.get(ENV_VAR) == name:
        os.kill(os.getpid(), signal.SIGKILL)
