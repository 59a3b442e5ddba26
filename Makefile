# poolbooks: `make demo` and `make test` are the whole setup on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME := $(VENV)/.installed-runtime

.PHONY: install test test-deploy lint fmt docs demo dev notebooks bench bench-deploy chaos clean \
	browser services

# The report's test opens it in Debian's Chromium; installed here when absent.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The deploy tests and benchmark start PostgreSQL and Redis from Debian's packages.
services:
	@{ ls /usr/lib/postgresql/*/bin/initdb && command -v redis-server; } >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			postgresql redis-server >/dev/null; }

install: $(STAMP)

# What the demo, `make dev` and `make notebooks` need: poolbooks and its runtime packages only.
$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

# The rest, for `make test`, lint and the benchmarks: test tools, type stubs, the deploy and
# benchmark extras.
$(STAMP): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pipelines/poolbooks assets/poolbooks_dagster benchmarks harness tests

# The warehouse reference, written from the SQL models' headers, and the columns section of
# docs/lake.md, from the lake's schemas and columns.py (a test fails when either is stale).
docs: $(RUNTIME)
	$(BIN)/python -m poolbooks.warehouse.reference docs/warehouse.md
	$(BIN)/python -m poolbooks.lake.reference docs/lake.md

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint browser
	POOLBOOKS_CONFIG=tests/fixtures/poolbooks.toml $(BIN)/dagster definitions validate \
		-w workspace.yaml --log-level warning
	$(BIN)/pytest -q -m "not deploy" -n 2 --dist loadfile --durations=25

# Dagster on PostgreSQL, dagster-daemon and two Celery workers on Redis, all on loopback
# (deploy/README.md); about five minutes, so .ci/run calls it beside `make test` (which runs
# the lake-on-S3 tests, tests/s3, with the rest).
test-deploy: install services
	$(BIN)/pytest -q tests/deploy

demo: $(RUNTIME)
	$(BIN)/poolbooks demo --dir demo

# `dg dev` at http://127.0.0.1:3000: with POOLBOOKS_CONFIG set, on your config; otherwise on the
# demo's (made first when missing), its work already recorded in demo/dagster_home, with the
# demo's simulator served again beside it. Ctrl-C or SIGTERM stops every process it started
# (assets/poolbooks_dagster/dev.py).
dev: $(RUNTIME)
	$(BIN)/python -m poolbooks_dagster.dev --dir demo

notebooks: $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	test -f demo/poolbooks.toml || $(BIN)/poolbooks demo --dir demo
	POOLBOOKS_CONFIG=$(CURDIR)/demo/poolbooks.toml $(BIN)/jupyter lab notebooks/

# Timed as installed: with the bytecode an install writes (even where PYTHONDONTWRITEBYTECODE
# keeps Python from writing it), so no run compiles poolbooks' modules again.
bench: install
	$(BIN)/python -m compileall -q pipelines > /dev/null
	$(BIN)/python -m benchmarks.run

# Backfill throughput with 1 and 2 Celery workers, and the build over S3 against local disk.
bench-deploy: install services
	$(BIN)/python -m benchmarks.deploy_bench

# The long adversarial loops: 50 kills, and a 200-account 10-year backfill.
chaos: install
	$(BIN)/python -m benchmarks.chaos

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
