# Two commands set up a fresh machine (only Python 3.11 needed):
#   make demo   install, then run the whole pipeline on the sample data
#   make test   install, then run every test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench dagster lock sample clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/uiv refresh

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/indicators.py
	$(BIN)/python bench/report.py

sample: install
	$(BIN)/uiv sample --out data_samples/exports

# The UI on the instance `uiv refresh` records into (.dagster/, or $$DAGSTER_HOME). dagster dev runs
# from inside that folder, where dagster.yaml is read, so the store, inbox and out are made absolute.
DAGSTER_ENV = DAGSTER_HOME=$(abspath $(or $(DAGSTER_HOME),.dagster)) \
	UIV_DB=$(abspath $(or $(UIV_DB),data/uiv.duckdb)) UIV_INBOX=$(abspath $(or $(UIV_INBOX),data_samples/exports)) \
	UIV_OUT=$(abspath $(or $(UIV_OUT),out))

dagster: install
	$(DAGSTER_ENV) $(BIN)/python -m pipelines.instance
	cd $(abspath $(or $(DAGSTER_HOME),.dagster)) && $(DAGSTER_ENV) PYTHONWARNINGS='ignore:Function `dev_command` is superseded' \
		$(CURDIR)/$(BIN)/dagster dev -h 127.0.0.1 -p 3000 \
		-m pipelines.definitions -d $(CURDIR)

# Re-resolve requirements.lock from pyproject.toml (needs network access to the registry).
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf data out .dagster .pytest_cache
