"""Compare the marts of a DuckDB build with those of a Spark build of the same input, row for row.

    python -m scripts.quality.spark_compare --duckdb warehouse/news.duckdb --spark warehouse/.spark/tables/marts.db

Each mart is read on both sides by DuckDB (the Spark tables from their Parquet files) and compared as a
multiset of rows over the columns of the DuckDB table: every row of one side must be on the other as
often. Ids are equal on both engines (both hash with md5), so rows are compared whole; timestamps
are compared in UTC. Prints one line per mart and exits 1 when any differs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scripts.build.logs import configure_logging

log = logging.getLogger("spark_compare")

# The public marts (models/marts); a mart missing on one side is a difference.
MARTS = ("articles", "paragraphs", "load_errors", "quotes", "speakers", "numeric_claims")
SAMPLE_ROWS = 3


@dataclass(frozen=True)
class MartComparison:
    mart: str
    duckdb_rows: int
    spark_rows: int
    only_duckdb: list[tuple]
    only_spark: list[tuple]
    missing: str | None = None

    @property
    def equal(self) -> bool:
        return self.missing is None and not self.only_duckdb and not self.only_spark

    def line(self) -> str:
        if self.missing:
            return f"{self.mart}: DIFFERENT ({self.missing})"
        if self.equal:
            return f"{self.mart}: equal ({self.duckdb_rows} rows)"
        return (f"{self.mart}: DIFFERENT ({self.duckdb_rows} rows on DuckDB, {self.spark_rows} on Spark; "
                f"{len(self.only_duckdb)} only on DuckDB, e.g. {_sample(self.only_duckdb)}; "
                f"{len(self.only_spark)} only on Spark, e.g. {_sample(self.only_spark)})")


def _sample(rows: list[tuple]) -> str:
    """A few rows, each value cut to a readable length."""
    return "; ".join("(" + ", ".join(_short(value) for value in row) + ")" for row in rows[:SAMPLE_ROWS])


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def compare_marts(duckdb_file: Path, spark_marts: Path, marts: Sequence[str] = MARTS) -> list[MartComparison]:
    """Compare each mart of the published DuckDB file with the Spark table of the same name."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{duckdb_file}' as built (read_only)")
        return [_compare(con, mart, spark_marts / mart) for mart in marts]
    finally:
        con.close()


def _compare(con: duckdb.DuckDBPyConnection, mart: str, spark_table: Path) -> MartComparison:
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = 'built' and schema_name = 'marts' and table_name = ? order by column_index",
        [mart]).fetchall()
    files = sorted(spark_table.glob("*.parquet")) if spark_table.is_dir() else []
    if not columns:
        return MartComparison(mart, 0, 0, [], [], "no such table in the DuckDB build")
    if not spark_table.is_dir():
        return MartComparison(mart, 0, 0, [], [], f"no Spark table at {spark_table}")
    selected = ", ".join(_as_compared(name, data_type) for name, data_type in columns)
    duck = f"select {selected} from built.marts.{mart}"
    # A Spark table with no rows may have no data file at all.
    spark = (f"select {selected} from read_parquet('{spark_table}/*.parquet')" if files
             else f"select {selected} from built.marts.{mart} where false")
    counts = con.execute(f"select (select count(*) from ({duck})), (select count(*) from ({spark}))").fetchone()
    only_duckdb = con.execute(f"{duck} except all {spark}").fetchall()
    only_spark = con.execute(f"{spark} except all {duck}").fetchall()
    return MartComparison(mart, counts[0], counts[1], only_duckdb, only_spark)


def _as_compared(name: str, data_type: str) -> str:
    """A column as compared: timestamps as UTC wall time, whatever the Parquet writer stored."""
    if data_type.startswith("TIMESTAMP"):
        return f"cast({name} as timestamp) as {name}"
    return name


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.quality.spark_compare", description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="the published news.duckdb of the DuckDB build")
    parser.add_argument("--spark", type=Path, required=True,
                        help="the Spark build's marts folder (<warehouse>/.spark/tables/marts.db)")
    parser.add_argument("--marts", nargs="+", default=list(MARTS), help="marts to compare (default: all)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    results = compare_marts(args.duckdb, args.spark, args.marts)
    for result in results:
        print(result.line())
    return 0 if all(result.equal for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
