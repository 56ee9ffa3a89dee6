# Two commands on a fresh machine: `make demo` and `make test`. Each bootstraps .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint bench serve clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: $(STAMP)
	$(BIN)/wirehouse demo

test: $(STAMP) lint wordpress-deps
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# tests/wordpress runs a real WordPress: PHP and MariaDB from Debian (apt, as root) and Debian's WordPress
# unpacked into .venv/wordpress. Only installs what is missing; tests name anything still missing.
.PHONY: wordpress-deps
wordpress-deps:
	@sh tests/wordpress/install_deps.sh $(VENV)/wordpress

# The benchmark scripts, run in turn; each prints its own table (load.py: rows/s and peak RSS of warehouse loads).
# e2e.py: the backfill flow end to end under a real Prefect server, 1k/5k/10k articles (about 15 minutes).
BENCHMARKS := benchmarks/extraction.py benchmarks/load.py benchmarks/e2e.py
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@set -e; for script in $(BENCHMARKS); do echo "== $$script"; $(BIN)/python $$script; done

# Production on this machine: a Prefect server (SQLite under .prefect/), the deployments of prefect.yaml, and a
# process worker on the `wirehouse` pool, in the foreground. Schedules fire; the UI is at http://127.0.0.1:4200.
# Ctrl-C stops the worker, then the server (in its own session, so it outlives the worker's goodbye to it).
# `PREFECT_PORT=4300 make serve` for another port.
PREFECT_PORT ?= 4200
serve: $(STAMP)
	@mkdir -p .prefect
	@export PREFECT_HOME="$(CURDIR)/.prefect" PREFECT_API_URL="http://127.0.0.1:$(PREFECT_PORT)/api" \
	    PREFECT_SERVER_ANALYTICS_ENABLED=false; \
	setsid $(BIN)/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT) > .prefect/server.log 2>&1 & \
	server=$$!; trap 'kill -TERM -$$server 2>/dev/null; wait $$server 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	echo "Prefect server starting on $$PREFECT_API_URL (log: .prefect/server.log)"; \
	until $(BIN)/python -c "import urllib.request as u; u.urlopen('$$PREFECT_API_URL/health', timeout=2)" 2>/dev/null; do \
	    kill -0 $$server 2>/dev/null || { tail -20 .prefect/server.log; exit 1; }; sleep 1; done; \
	$(BIN)/prefect work-pool inspect wirehouse > /dev/null 2>&1 || $(BIN)/prefect work-pool create wirehouse --type process; \
	$(BIN)/prefect --no-prompt deploy --all || exit 1; \
	echo "UI: http://127.0.0.1:$(PREFECT_PORT)  worker on pool 'wirehouse' (Ctrl-C stops worker and server)"; \
	WIREHOUSE_HOME="$(CURDIR)" $(BIN)/prefect worker start --pool wirehouse --type process

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache wirehouse.duckdb wirehouse.duckdb.wal
