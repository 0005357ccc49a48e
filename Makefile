# The two commands of the README: `make report` renders every report, `make test` runs every check.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup report test test-fast lab kernel strip benchmark messages clean geometry

setup:
	@bash scripts/setup.sh

report: setup
	$(BIN)/maslihat render --all-regions --lang en kk ru --book

test: setup
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

# JupyterLab on notebooks/, for a headless machine too: `make lab PORT=8899` (default 8888).
PORT ?= 8888
lab: setup
	@PORT=$(PORT) VENV=$(VENV) bash scripts/lab.sh

# Point the user's kernel "maslihat" (the one your own JupyterLab/JupyterHub finds) at this checkout.
kernel: setup
	@MASLIHAT_USER_KERNEL=force bash scripts/setup.sh

# Outputs and volatile metadata out of the notebooks: nbstripout with the settings of maslihat.clean.
strip: setup
	$(BIN)/python -m maslihat.clean notebooks/*.ipynb

# Extract the reports' messages (package and notebooks) into the kk and ru catalogs; translate the
# new empty msgstr entries in src/maslihat/locale/*/LC_MESSAGES/maslihat.po, then `make test`.
messages: setup
	$(BIN)/python -m maslihat.i18n.catalogs update

benchmark: setup
	$(BIN)/python benchmarks/render_benchmark.py

clean:
	rm -rf $(VENV) reports build .pytest_cache .ruff_cache

# The map geometry (data/geo/) regenerated from its npm package: `make geometry` (needs npm).
geometry: setup
	$(BIN)/python scripts/update_geometry.py
