"""Extraction quality: scoring a build against an answer file (`make eval`, evaluate.py), turning
quantulum3's test cases into articles and answers (quantulum_cases.py), comparing the marts of a
DuckDB and a Spark build row for row (`make test-spark`, spark_compare.py), and dbt-project-evaluator on
a scratch copy of the project (`make evaluate-project`, project_evaluator.py)."""
