"""`python -m scripts.bench`: the benchmark (see scripts/bench/run.py)."""

import sys

from scripts.bench.run import main

sys.exit(main())
