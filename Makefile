# `make` sets up what the build needs and builds all outputs into output/ (no npm, no browser);
# `make test` also installs the test tools (Python test packages, poppler-utils, qpdf, Chromium,
# the npm package axe-core), then runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# axe-core (package.json, package-lock.json) for the browser tests: reinstalled by `npm ci`
# when the lock file is newer than the stamp or axe.min.js is missing.
NODE_STAMP := node_modules/.installed
ifeq ($(wildcard node_modules/axe-core/axe.min.js),)
.PHONY: $(NODE_STAMP)
endif

.PHONY: all setup test-setup build test fuzz bench bench-clinics watch clean

all: build

# The build: runtime Python packages (requirements.txt) and Debian's libharfbuzz-subset0.
$(STAMP): requirements.txt scripts/system-packages.sh
	sh scripts/system-packages.sh build
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $(STAMP)

# The tests: the above plus requirements-test.txt, poppler-utils, qpdf, chromium, chromium-driver.
$(TEST_STAMP): $(STAMP) requirements-test.txt
	sh scripts/system-packages.sh test
	$(PIP) -r requirements-test.txt
	touch $(TEST_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	test -f node_modules/axe-core/axe.min.js
	touch $(NODE_STAMP)

setup: $(STAMP)

test-setup: $(TEST_STAMP) $(NODE_STAMP)

build: setup
	$(PY) build.py

test: test-setup
	$(PY) -m pytest -q -n auto --dist load tests

# A long run of the whole-build fuzz test (tests/test_fuzz.py); make test runs a few examples.
fuzz: test-setup
	PRESSROOM_FUZZ_EXAMPLES=$${EXAMPLES:-300} $(PY) -m pytest -q tests/test_fuzz.py tests/test_metadata_properties.py

watch: setup
	$(PY) build.py watch

bench: setup
	$(PY) bench/bench.py

bench-clinics: setup
	$(PY) bench/bench.py --clinics

clean:
	rm -rf output
