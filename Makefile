# The two commands of the README: `make report` renders every report, `make test` runs every check.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup report test test-fast lab strip benchmark clean

setup:
	@bash scripts/setup.sh

report: setup
	$(BIN)/maslihat render --all-regions --book

test: setup
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

lab: setup
	$(BIN)/jupyter lab notebooks/

strip: setup
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

benchmark: setup
	$(BIN)/python benchmarks/render_benchmark.py

clean:
	rm -rf $(VENV) reports build .pytest_cache .ruff_cache
