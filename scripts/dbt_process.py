"""Run one dbt command in a process started ahead of time, so that Python and dbt load meanwhile.

`scripts.build` starts this process before it loads the articles. Starting Python and importing dbt
takes about 1.4 s on this machine, longer than loading 1% more articles into a large warehouse, and
it no longer waits for the load: the loader works in the build process meanwhile. The command comes
as one JSON line on stdin, `{"args": [...], "env": {...}}`, once the load is done; dbt then runs
in-process through its documented programmatic entry point (dbtRunner), exactly as the `dbt` command
would. End of input without a line (the load failed, the build was stopped) ends the process without
running dbt.

Exit status as the `dbt` command's: 0 success, 1 a model or test failed, 2 dbt could not run.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    from dbt.cli.main import dbtRunner  # the slow part: dbt's modules

    import dbt.adapters.duckdb  # noqa: F401  (dbt would import it after parsing the profile)

    line = sys.stdin.readline()
    if not line.strip():
        return 0
    request = json.loads(line)
    os.environ.update(request["env"])
    result = dbtRunner().invoke(request["args"])
    if result.success:
        return 0
    return 1 if result.exception is None else 2


if __name__ == "__main__":
    sys.exit(main())
