"""Apache Superset on the published warehouse (`make bi`): see scripts/superset/bi.py."""
