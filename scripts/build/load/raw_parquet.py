"""The raw tables as Parquet files, for an engine that reads files (Spark: scripts/build/spark.py).

    <raw_dir>/articles/load_<id>.parquet      the rows of raw.articles of load <id>
    <raw_dir>/load_errors/load_<id>.parquet   the rows of raw.load_errors of load <id>

Every column of the raw tables (raw_tables.py) is written but the loader's own bookkeeping, so a
column the loader adds reaches the other engine without a second list; timestamps are written with
their time zone (UTC), which Spark reads as its TIMESTAMP. A load's file is written once, and again
only when the table holds another number of that load's rows (a pruning load takes articles out).
Each file is written under a hidden name and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

RAW_TABLES = ("articles", "load_errors")
# Columns of the raw tables that only the loader reads (a file's size and time, to skip it unread).
LOADER_ONLY_COLUMNS = frozenset({"file_mtime_ns"})


def export_raw_parquet(build_db: Path, raw_dir: Path) -> int:
    """Write the file of every load and raw table that is missing or out of date; how many were written."""
    written = 0
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        loads = [row[0] for row in con.execute("select load_id from raw.loads order by load_id").fetchall()]
        for table in RAW_TABLES:
            folder = raw_dir / table
            folder.mkdir(parents=True, exist_ok=True)
            columns = _exported_columns(con, table)
            counts = dict(con.execute(f"select load_id, count(*) from raw.{table} group by load_id").fetchall())
            for load_id in loads:
                final = folder / f"load_{int(load_id)}.parquet"
                if final.exists() and _parquet_rows(con, final) == counts.get(load_id, 0):
                    continue
                hidden = folder / f".load_{int(load_id)}.parquet.tmp"
                con.execute(f"copy (select {columns} from raw.{table} where load_id = {int(load_id)}) "
                            f"to '{hidden}' (format parquet)")
                os.replace(hidden, final)
                written += 1
    finally:
        con.close()
    return written


def _exported_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    rows = con.execute("select column_name, data_type from duckdb_columns() where schema_name = 'raw' "
                       "and table_name = ? order by column_index", [table]).fetchall()
    return ", ".join(f'cast("{name}" as timestamptz) as "{name}"' if data_type == "TIMESTAMP" else f'"{name}"'
                     for name, data_type in rows if name not in LOADER_ONLY_COLUMNS)


def _parquet_rows(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Rows of a Parquet file, from its footer."""
    return con.execute(f"select coalesce(sum(num_rows), 0) from parquet_file_metadata('{path}')").fetchone()[0]
