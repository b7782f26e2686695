"""`python -m scripts.build`: load, dbt build, publish (see scripts/build/pipeline.py)."""

import sys

from scripts.build.pipeline import main

sys.exit(main())
