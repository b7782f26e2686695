"""The loader: input files -> raw.articles, raw.load_errors, raw.loads (see loader.py).

    loader.py      one load, start to end: walk, read, decode, record, in one transaction
    discovery.py   finding the input files and reading their bytes
    decoding.py    bytes -> text: BOMs, legacy encodings, mojibake repair, binary and empty files
    jsonl.py       JSON Lines files: one article per line, read from where the last load stopped
    raw_tables.py  the raw tables' DDL and the migrations of what earlier versions wrote
    raw_parquet.py the raw tables as Parquet files, a file per load, for Spark
    recorder.py    writing a load's rows, a batch at a time
    summary.py     what a load did, counted
    cli.py         `python -m scripts.build.load`
"""

from scripts.build.load.errors import LoadError, RejectedFile
from scripts.build.load.loader import load_articles
from scripts.build.load.summary import LoadSummary

__all__ = ["LoadError", "LoadSummary", "RejectedFile", "load_articles"]
