"""Apache Superset on the published warehouse (`make bi`): see scripts/bi/superset/bi.py."""
