# `make` sets everything up and builds all outputs into output/; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# axe-core (package.json, package-lock.json) for the browser tests: reinstalled by `npm ci`
# when the lock file is newer than the stamp or axe.min.js is missing.
NODE_STAMP := node_modules/.installed
ifeq ($(wildcard node_modules/axe-core/axe.min.js),)
.PHONY: $(NODE_STAMP)
endif

.PHONY: all setup build test fuzz bench watch clean

all: build

$(STAMP): requirements.txt scripts/system-packages.sh
	sh scripts/system-packages.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	test -f node_modules/axe-core/axe.min.js
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

build: setup
	$(PY) build.py

test: setup
	$(PY) -m pytest -q tests

# A long run of the whole-build fuzz test (tests/test_fuzz.py); make test runs a few examples.
fuzz: setup
	PRESSROOM_FUZZ_EXAMPLES=$${EXAMPLES:-300} $(PY) -m pytest -q tests/test_fuzz.py

watch: setup
	$(PY) build.py watch

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf output
