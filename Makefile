# newsgraph: `make demo` and `make test` work on a fresh machine; everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := src/newsgraph/data/sample
SHARED ?= ../shared

.PHONY: install demo watch-demo test lint bench bench-big fuzz clean browser vendor java

install: $(STAMP)

# Idempotent: rebuilt only when the pins or the project metadata change.
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: install
	rm -f demo.duckdb demo.duckdb.wal
	$(BIN)/newsgraph ingest $(SAMPLE) --db demo.duckdb --meta $(SAMPLE)/meta.jsonl
	$(BIN)/newsgraph overview --db demo.duckdb
	$(BIN)/newsgraph export --db demo.duckdb --format json --output demo-export.json
	$(BIN)/newsgraph brief --db demo.duckdb --format html --output demo-brief.html
	@echo "Brief written to demo-brief.html. Browse the store with:"
	@echo "  $(BIN)/newsgraph serve --db demo.duckdb    # then open http://127.0.0.1:8000"

# A watch against a local fixture site (127.0.0.1 only): ends with alerts in /alerts.atom and at a webhook.
watch-demo: install
	$(PY) -m newsgraph.watch.demo --workdir watch-demo

test: install browser java
	$(BIN)/ruff check src tests
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests

# `make bench` measures N = 10k; the 100k forms: `make bench BIG=1`, `make bench-big` or `make bench -- --big`
# (make reads `--big` as one of its own options, so plain `make bench --big` cannot reach this file).
BENCH_BIG := $(if $(or $(BIG),$(filter --big,$(MAKECMDGOALS))),--big)
bench: install java
	$(PY) -m newsgraph.bench --shared $(SHARED) $(BENCH_BIG)

bench-big: install java
	$(PY) -m newsgraph.bench --shared $(SHARED) --big

# `make bench -- --big` names `--big` as a goal: it does nothing itself.
--big:
	@:

# Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# A Java runtime for Spark (local mode in the tests and `newsgraph spark`).
java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }

# Re-vendor the web UI's JS/CSS from npm (build time only; the vendored files are committed).
vendor:
	bash web/vendor.sh

# Long robustness runs: 100k generated inputs through the readers and cleaner, and the
# crash-safety test over 300 documents (`make test` runs the quick forms).
fuzz: install
	$(PY) -m newsgraph.fuzz --inputs 100000 --workers 2
	NEWSGRAPH_CRASH_DOCS=300 $(BIN)/pytest -q tests/test_crash_safety.py -k full

clean:
	rm -rf $(VENV) demo.duckdb demo.duckdb.wal demo-export.json watch-demo .pytest_cache .ruff_cache
