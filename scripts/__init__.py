"""The project's Python, grouped by what it is for:

- ``scripts/build/``: the build path (``make build``): load the articles, run dbt, publish the
  warehouse file; the loader is ``scripts/build/load/``.
- ``scripts/bi/``: the tools on the published file: Superset (``make bi``), the dbt docs site
  (``make docs``), the Parquet export (``make export``).
- ``scripts/quality/``: scoring a build against an answer file (``make eval``), making test cases, and
  dbt-project-evaluator on the project (``make evaluate-project``).
- ``scripts/bench/``: the benchmark (``make bench``) and its comparisons with peer tools.
"""

from pathlib import Path

# The repository root: dbt's project and profiles, data/articles, warehouse/.
PROJECT_DIR = Path(__file__).resolve().parent.parent
