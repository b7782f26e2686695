# The Spark target (included by the main Makefile).
#   make build TARGET=spark [ARTICLES=..] [WAREHOUSE=..]   the marts through dbt-spark on a local Spark session
#   make test-spark                                         the marts of both engines compared (samples, 1k corpus)
#   make bench TARGET=spark [N=10000]                       the Spark build of a generated corpus against DuckDB's
# pyspark and dbt-spark (the `spark` group of pyproject.toml) are installed into .venv on first use;
# Java (8, 11 or 17) is the one system requirement, checked with a clear message.

SPARK_STAMP := $(VENV)/.spark-installed

.PHONY: spark-venv build-spark test-spark bench-spark

$(SPARK_STAMP): pyproject.toml | venv
	@echo "installing pyspark and dbt-spark into $(VENV) (first time: up to a few minutes, 350 MB)"
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@

spark-venv: $(SPARK_STAMP)

build-spark: spark-venv
	$(BIN)/python -m scripts.build --target spark --articles "$(ARTICLES)" --warehouse "$(WAREHOUSE)" \
		$(if $(PRUNE),--prune)

# Builds the samples (and a generated 1,000-article corpus when ../shared/corpora is there) on both
# engines and asserts that every mart holds the same rows (tests/python/test_spark.py).
test-spark: spark-venv
	NEWS_TEST_SPARK=1 $(BIN)/python -m pytest -v tests/python/test_spark.py

bench-spark: spark-venv $(VENV)/.bench-installed
	$(BIN)/python -m scripts.bench.spark --n $(N) $(if $(filter command line,$(origin ARTICLES)),--articles "$(ARTICLES)") $(BENCH_ARGS)
