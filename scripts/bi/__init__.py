"""Tools on the published warehouse: Superset (`make bi`, superset/), the dbt docs site (`make docs`,
docs.py) and the Parquet export (`make export`, export_parquet.py)."""
