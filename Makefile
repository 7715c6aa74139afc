# GridPulse — the interface between stages. `make` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GP := $(BIN)/gridpulse
export GRIDPULSE_HOME ?= $(CURDIR)/data

# Demo size: `make demo SCALE=0.1 DAYS=90`
SCALE ?= 1
DAYS ?= 365
SEED ?= 20250101
PORT ?= 8501

.DEFAULT_GOAL := help
.PHONY: help setup lock wheel wheelhouse browser-deps doc-deps spark-deps generate load status build serve demo test bench lint clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  data home: $$GRIDPULSE_HOME"

# Installs come from requirements.lock (every version pinned, every file's sha256): a fresh machine gets what
# was tested, never the newest release of the day. uv (itself pinned and hash-checked in the lock) installs it
# exactly — `uv pip sync` also removes what the lock does not list — then GridPulse itself, editable, no deps.
LOCK := requirements.lock
UV := $(BIN)/uv
UV_FLAGS := --python $(BIN)/python --quiet

$(UV): $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@awk '/^[^ #]/ {p = ($$0 ~ /^uv==/)} p' $(LOCK) > $(VENV)/uv-requirement.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	@touch $@

$(BIN)/.installed: $(UV) $(LOCK) pyproject.toml
	$(UV) pip sync $(UV_FLAGS) --require-hashes $(LOCK)
	$(UV) pip install $(UV_FLAGS) --no-deps --no-build-isolation -e .
	@$(UV) pip check $(UV_FLAGS) || { echo "the lock does not satisfy pyproject.toml: run 'make lock'"; exit 1; }
	@touch $@

setup: $(BIN)/.installed doc-deps ## create .venv and install GridPulse from requirements.lock (editable, dev tools)

# UPGRADE=1 moves every package to the newest version pyproject.toml allows; without it, versions already
# in the lock are kept and only what pyproject.toml added or changed is resolved.
lock: $(UV) ## re-resolve requirements.lock from pyproject.toml (UPGRADE=1: newest allowed versions)
	$(UV) pip compile pyproject.toml --extra dev --extra spark --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) --quiet -o $(LOCK)

wheel: $(BIN)/.installed ## build dist/gridpulse-*.whl (it carries the dbt project, the seeds and the profile schema)
	$(BIN)/hatchling build -t wheel -d dist

# Run on a connected host of the air-gapped one's kind (Linux x86_64, the same Python): pip picks each
# package's file for the Python running it and checks it against the lock's hashes.
wheelhouse: wheel ## download every locked package, plus the wheel and the lock, into wheelhouse/ (air-gapped installs)
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK) -d wheelhouse
	cp dist/gridpulse-*.whl $(LOCK) wheelhouse/

# The 通报 PDF: WeasyPrint lays it out with Debian's pango and embeds the CJK fonts (fonts-noto-cjk: Noto
# Serif CJK for the 仿宋/小标宋 faces where the official fonts are absent).
doc-deps:
	@if /sbin/ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi "Noto Serif CJK"; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian pango and fonts-noto-cjk for the PDF bulletins"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null; \
	else echo "PDF bulletins need pango: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk'"; fi

generate: setup ## write the demo city's exports to $GRIDPULSE_HOME/landing
	$(GP) generate --scale $(SCALE) --days $(DAYS) --seed $(SEED)

load: setup ## load every new export in the landing folder into the lake
	$(GP) load

status: setup ## show lake tables, files and quarantine
	$(GP) status

build: setup ## dbt build into a new release; it becomes current only if every test passed
	$(GP) build

serve: setup ## serve the dashboard on http://localhost:$(PORT)
	$(GP) serve --port $(PORT)

demo: setup ## generate the demo city (if landing is empty), load, build, serve
	$(GP) demo --scale $(SCALE) --days $(DAYS) --seed $(SEED) --port $(PORT)

# Browser tests drive Debian's chromium (never `playwright install`: it downloads) and need CJK fonts.
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian chromium and fonts-noto-cjk for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	else echo "browser tests will be skipped: run 'sudo apt-get install chromium fonts-noto-cjk' to enable them"; fi

# `gridpulse build --engine spark` and its parity test run pyspark's local JVM: Debian's Java 17 runtime.
spark-deps:
	@if command -v java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's Java 17 runtime for the Spark build"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null; \
	else echo "Spark builds need Java 17: run 'sudo apt-get install openjdk-17-jre-headless'"; fi

test: setup browser-deps spark-deps ## run every test (installs chromium + CJK fonts, and Java 17 for Spark, when root)
	$(BIN)/pytest -q

bench: setup ## benchmarks (scale 1, one year); figures in bench-results/
	$(BIN)/python -m tests.bench.run

# Scales 1, 10 and 30 take about an hour on two cores and ~40 GB of disk at the peak (BENCH_WORK: where).
.PHONY: bench-scale
bench-scale: setup ## the scale curve: generate, load, build (and Spark) at scales 1, 10, 30; bench-results/scale.json
	$(BIN)/python -m tests.bench.scale

# SQLFluff compiles the models with dbt (its dbt templater): an in-memory database and the data home's lake
# (it need not exist) stand in for a build's release and lake generation.
lint: setup ## ruff (check, format) and SQLFluff on the dbt models
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	GRIDPULSE_LAKE="$${GRIDPULSE_LAKE:-$$GRIDPULSE_HOME/lake}" GRIDPULSE_RELEASE_DB=:memory: DBT_SEND_ANONYMOUS_USAGE_STATS=false \
	  $(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

clean: ## remove the data home and caches (keeps .venv)
	rm -rf "$$GRIDPULSE_HOME" .pytest_cache .ruff_cache test-artifacts dist wheelhouse
