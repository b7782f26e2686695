"""`python -m scripts.build.load`: the loader on its own (see scripts/build/load/cli.py)."""

import sys

from scripts.build.load.cli import main

sys.exit(main())
