# `make` sets everything up and builds all outputs into output/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all setup build test bench clean

all: build

$(STAMP): requirements.txt scripts/system-packages.sh
	sh scripts/system-packages.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(PY) build.py

test: setup
	$(PY) -m pytest -q tests

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf output
