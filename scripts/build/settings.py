"""How a build sets dbt and DuckDB up for the size of the warehouse: models at once, threads per
query, memory cap. Each has an environment variable that wins (NEWS_THREADS, NEWS_DUCKDB_THREADS,
NEWS_MEMORY_LIMIT; NEWS_MAX_VACUUM_TASKS is in scripts/build/storage.py).
"""

from __future__ import annotations

import os

from scripts.build.errors import BuildError
from scripts.build.storage import whole_number_setting

# From this many articles on, dbt runs one model at a time unless NEWS_THREADS says otherwise: two
# heavy models at once share DuckDB's memory cap and both spill. Measured here: 100,000 articles build
# in 118 s with two threads and 136 s with one; 1,000,000 in 3,964 s with two and 1,419 s with one
# (NEWS_MEMORY_LIMIT=10GB). The crossover between them was not measured.
ONE_THREAD_FROM_ARTICLES = 250_000
# DuckDB's memory cap (NEWS_MEMORY_LIMIT wins): the default below ONE_THREAD_FROM_ARTICLES, the large
# one (at most half of the machine's RAM) from there on; see dbt_memory_limit.
DEFAULT_MEMORY_LIMIT_GB = 4
LARGE_MEMORY_LIMIT_GB = 10
# Threads DuckDB gives one query (NEWS_DUCKDB_THREADS wins; 0 is DuckDB's default, one per core). On
# an incremental build whose new articles are at most SMALL_BATCH_SHARE of the warehouse, the cores
# are shared out between the models dbt runs at once: its queries are small, and two models with two
# threads each on two cores spent the difference switching. Measured on a 1% build at 100,000
# articles: 8.8 to 9.0 s with one thread per query, 9.4 to 10.1 s with two.
DUCKDB_THREADS_ENV = "NEWS_DUCKDB_THREADS"
SMALL_BATCH_SHARE = 0.1


def dbt_threads(articles: int) -> str:
    """How many models dbt runs at once for a warehouse of this many articles (NEWS_THREADS wins)."""
    return os.environ.get("NEWS_THREADS") or ("1" if articles >= ONE_THREAD_FROM_ARTICLES else "2")


def duckdb_threads(new_articles: int, articles_held: int, model_threads: str, full_refresh: bool,
                   cpus: int | None = None) -> int:
    """Threads DuckDB gives one query on this build (0: DuckDB's default); NEWS_DUCKDB_THREADS wins."""
    try:
        configured = whole_number_setting(DUCKDB_THREADS_ENV, "threads (0: DuckDB's default)")
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    if configured is not None:
        return configured
    if full_refresh or new_articles > SMALL_BATCH_SHARE * articles_held:
        return 0
    cpus = cpus or os.cpu_count() or 1
    return max(1, cpus // max(1, int(model_threads)))


def physical_memory() -> int | None:
    """Bytes of RAM of this machine, if the OS says."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def dbt_memory_limit(articles: int, ram: int | None = None) -> str:
    """DuckDB's memory cap for a warehouse of this many articles (NEWS_MEMORY_LIMIT wins).

    4GB below ONE_THREAD_FROM_ARTICLES. From there on 10GB, but at most half of the machine's RAM and
    never under 4GB: at a million articles the per-article list aggregations (int_articles_signed)
    do not spill and ran out of memory under 4GB; under 10GB the build peaked at 10.5 GB RSS.
    """
    if os.environ.get("NEWS_MEMORY_LIMIT"):
        return os.environ["NEWS_MEMORY_LIMIT"]
    if articles < ONE_THREAD_FROM_ARTICLES:
        return f"{DEFAULT_MEMORY_LIMIT_GB}GB"
    ram = physical_memory() if ram is None else ram
    half = (ram or 0) // 2 // 2**30
    return f"{max(DEFAULT_MEMORY_LIMIT_GB, min(LARGE_MEMORY_LIMIT_GB, half))}GB"
