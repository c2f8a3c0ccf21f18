# Python binding (bindings/python): pytest suite, example, benchmark against the seed.
#   make test-python    every pytest test in bindings/python/tests (PYTEST_ARGS="-k join" passes options)
#   make demo-python    two replicas syncing through deltas and JSON
#   make bench-python   the binding against the pure-Python seed module: medians and ratios

SUITES  += python
BENCHES += python

PYTHON_DIR  := bindings/python
PYTEST_ARGS ?=
# Run from the source tree: the package is imported from here, the library from target/release.
PYTHON_ENV  := PYTHONPATH=$(PYTHON_DIR)$${PYTHONPATH:+:$$PYTHONPATH}

.PHONY: python-deps test-python demo-python bench-python

# pytest, from PyPI with pip; from Debian when pip cannot and we are root; otherwise stop
# with the command that installs it.
python-deps:
	@if $(PYTHON) -c 'import pytest' >/dev/null 2>&1; then exit 0; fi; \
	echo "python-deps: installing pytest"; \
	$(PYTHON) -m pip install --quiet pytest \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	       && export DEBIAN_FRONTEND=noninteractive && apt-get update -q \
	       && apt-get install -y -q python3-pytest; }; \
	$(PYTHON) -c 'import pytest' || { \
	  echo "python-deps: '$(PYTHON)' cannot import pytest. Install it: $(PYTHON) -m pip install pytest" >&2; \
	  exit 1; }

test-python: lib python-deps
	$(PYTHON_ENV) $(PYTHON) -m pytest -q $(PYTHON_DIR)/tests $(PYTEST_ARGS)

demo-python: lib
	$(PYTHON_ENV) $(PYTHON) $(PYTHON_DIR)/examples/sync.py

bench-python: lib
	$(PYTHON_ENV) $(PYTHON) $(PYTHON_DIR)/bench/bench_vs_seed.py
