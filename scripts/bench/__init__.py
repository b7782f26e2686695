"""The benchmark (`make bench`, run.py) and its comparisons with peer tools on the same data:
near duplicates against datasketch (near_duplicates.py), numbers against quantulum3 (numbers.py), and
the Spark build against the DuckDB build of the same input (`make bench TARGET=spark`, spark.py)."""
