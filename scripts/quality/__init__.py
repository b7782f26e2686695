"""Extraction quality: scoring a build against an answer file (`make eval`, evaluate.py), turning
quantulum3's test cases into articles and answers (quantulum_cases.py), and comparing the marts of a
DuckDB and a Spark build row for row (`make test-spark`, spark_compare.py)."""
