# libgcounter: the map of every build, demo and test suite.
#
#   make demo        build the library and run the C example
#   make test        run every suite (SUITES below) and end with "N passed, N failed"
#   make test-NAME   run one suite, e.g. make test-c
#   make lib         build the C library into target/release (libgcounter.so, .so.0, .a)
#   make bench       run every benchmark (BENCHES)
#   make header      regenerate include/gcounter.h from src/ffi.rs
#   make dist        build every package into dist/ (DISTS: a C tarball, .deb files, a Go
#                    module tree, the crate, and each binding's own package)
#   make test-dist   install each package in a clean place outside the repository and use it
#
# Each language binding adds its suite from mk/NAME.mk, and its package to DISTS. Every suite
# installs what it needs (from Debian or the language's registry) when it is missing, or fails
# saying how to.

SHELL    := /bin/bash
CARGO    ?= cargo
RUSTC    ?= rustc
CC       := $(if $(filter default,$(origin CC)),gcc,$(CC))
CXX      := $(if $(filter default,$(origin CXX)),g++,$(CXX))
PYTHON   ?= python3
VALGRIND := valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
            --errors-for-leak-kinds=all --track-origins=yes --quiet

LIB_DIR  := target/release
BUILD    := build
WARNINGS := -Wall -Wextra -Werror -pedantic
C_FLAGS  := -std=c11 $(WARNINGS) -g -Iinclude
CXX_FLAGS := -std=c++17 $(WARNINGS) -g -Iinclude
# Link the shared library found in the build tree, and find it again at run time.
LINK     := -L$(LIB_DIR) -Wl,-rpath,$(abspath $(LIB_DIR)) -lgcounter

CBINDGEN_VERSION := 0.29.4
CBINDGEN_LOCAL   := .tools/bin/cbindgen
CBINDGEN := $(shell command -v cbindgen >/dev/null 2>&1 && \
              cbindgen --version | grep -qx 'cbindgen $(CBINDGEN_VERSION)' && \
              echo cbindgen || echo $(CBINDGEN_LOCAL))

# The version, from the [package] table of Cargo.toml: every package carries it, and the
# soname carries its major number.
GCOUNTER_VERSION  := $(shell awk -F'"' '/^\[/ { pkg = ($$0 == "[package]") } \
                       pkg && /^version[ \t]*=/ { print $$2; exit }' Cargo.toml)
GCOUNTER_MAJOR    := $(word 1,$(subst ., ,$(GCOUNTER_VERSION)))
GCOUNTER_MINOR    := $(word 2,$(subst ., ,$(GCOUNTER_VERSION)))
GCOUNTER_SONAME   := libgcounter.so.$(GCOUNTER_MAJOR)
GCOUNTER_REALNAME := libgcounter.so.$(GCOUNTER_VERSION)

# What libgcounter.a needs from the system when linked statically, and the pointer size: written
# by `make` (mk/install.mk, from rustc), read by make install and the packages.
INSTALL_VARS := $(BUILD)/install/install.vars

SUITES  := rust lint header symbols c cxx examples
BENCHES :=
DISTS   :=

.PHONY: all lib demo test bench header clean $(addprefix test-,$(SUITES)) c-deps cxx-deps
all: lib

# The crate is a plain Rust library (Cargo.toml); the C library is built from it on request:
# libgcounter.so with its soname, libgcounter.a, and the rlib that mk/install.mk's probe reads.
# The checkout's path is remapped so that no package records where it was built. Programs
# linked in the build tree ask the loader for the soname, hence the link.
define build-lib
$(CARGO) rustc --release --lib --crate-type cdylib,staticlib,rlib -- \
  -C link-arg=-Wl,-soname,$(GCOUNTER_SONAME) --remap-path-prefix=$(CURDIR)=.
ln -sfn libgcounter.so $(LIB_DIR)/$(GCOUNTER_SONAME)
endef

lib:
	$(build-lib)

demo: lib $(BUILD)/examples/sync_c
	$(BUILD)/examples/sync_c

test:
	@$(PYTHON) scripts/run_suites.py $(SUITES)

bench: $(addprefix bench-,$(BENCHES))

# --- Rust: unit, property and doc tests; formatting and lints -----------------------------

test-rust:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

test-lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

# --- The header: generated, committed, and standalone -------------------------------------

$(CBINDGEN_LOCAL):
	$(CARGO) install --locked --quiet --version =$(CBINDGEN_VERSION) --root .tools cbindgen

header: $(if $(filter cbindgen,$(CBINDGEN)),,$(CBINDGEN_LOCAL))
	$(CBINDGEN) --quiet --config cbindgen.toml --crate gcounter --output include/gcounter.h

test-header: $(if $(filter cbindgen,$(CBINDGEN)),,$(CBINDGEN_LOCAL)) | $(BUILD)
	@$(CBINDGEN) --quiet --config cbindgen.toml --crate gcounter --output include/gcounter.h --verify \
	  || { echo "include/gcounter.h differs from what src/ffi.rs generates: run 'make header' and commit it"; exit 1; }
	printf '#include "gcounter.h"\n' > $(BUILD)/header_alone.c
	$(CC) $(C_FLAGS) -c $(BUILD)/header_alone.c -o $(BUILD)/header_alone_c.o
	$(CXX) $(CXX_FLAGS) -x c++ -c $(BUILD)/header_alone.c -o $(BUILD)/header_alone_cxx.o
	printf '#include "gcounter.hpp"\n' > $(BUILD)/wrapper_alone.cpp
	$(CXX) $(CXX_FLAGS) -c $(BUILD)/wrapper_alone.cpp -o $(BUILD)/wrapper_alone.o
	@for older in "-std=c++14" "-std=c++17 -D_MSVC_LANG=201402L"; do \
	  ! $(CXX) $(CXX_FLAGS) $$older -fsyntax-only $(BUILD)/wrapper_alone.cpp > $(BUILD)/wrapper_older.log 2>&1 \
	  && [ "$$(grep -c 'error:' $(BUILD)/wrapper_older.log)" = 1 ] \
	  && grep -q 'error: #error "gcounter.hpp needs C++17 or later' $(BUILD)/wrapper_older.log \
	  || { cat $(BUILD)/wrapper_older.log; \
	       echo "gcounter.hpp with $$older must stop at its own #error alone, which names C++17"; exit 1; }; \
	done
	@echo "header: up to date, compiles alone as C11 and C++17; the wrapper below C++17 says it needs C++17"

# Only the C API may be exported from the shared library.
test-symbols: lib
	@exported=$$(nm -D --defined-only $(LIB_DIR)/libgcounter.so | awk '{print $$3}'); \
	strays=$$(echo "$$exported" | grep -v '^gcounter_'); \
	if [ -n "$$strays" ]; then echo "exported symbols outside gcounter_*:"; echo "$$strays"; exit 1; fi; \
	declared=$$(grep -o 'gcounter_[a-z_]*(' include/gcounter.h | tr -d '(' | sort -u); \
	if [ "$$(echo "$$exported" | sort -u)" != "$$declared" ]; then \
	  echo "exported and declared functions differ:"; \
	  diff <(echo "$$exported" | sort -u) <(echo "$$declared") ; exit 1; fi; \
	echo "symbols: $$(echo "$$exported" | wc -l) exported, all gcounter_* and all in the header"

# --- C and C++ tests, run under valgrind ---------------------------------------------

$(BUILD) $(BUILD)/examples $(BUILD)/tests:
	mkdir -p $@

# valgrind and GoogleTest come from Debian when missing.
c-deps:
	@command -v valgrind >/dev/null 2>&1 || scripts/apt_install.sh valgrind
cxx-deps: c-deps
	@[ -f /usr/include/gtest/gtest.h ] || scripts/apt_install.sh libgtest-dev

$(BUILD)/tests/test_c: tests/c/test_gcounter.c tests/c/check.h include/gcounter.h lib | $(BUILD)/tests
	$(CC) $(C_FLAGS) -pthread $< -o $@ $(LINK)

$(BUILD)/tests/test_cxx: tests/cxx/test_wrapper.cpp include/gcounter.hpp include/gcounter.h lib | $(BUILD)/tests
	$(CXX) $(CXX_FLAGS) -pthread $< -o $@ $(LINK) -lgtest -lgtest_main

test-c: c-deps $(BUILD)/tests/test_c
	$(VALGRIND) $(BUILD)/tests/test_c

test-cxx: cxx-deps $(BUILD)/tests/test_cxx
	$(VALGRIND) $(BUILD)/tests/test_cxx

# --- Examples -----------------------------------------------------------------------------

$(BUILD)/examples/sync_c: examples/sync.c include/gcounter.h lib | $(BUILD)/examples
	$(CC) $(C_FLAGS) $< -o $@ $(LINK)

$(BUILD)/examples/sync_cpp: examples/sync.cpp include/gcounter.hpp include/gcounter.h lib | $(BUILD)/examples
	$(CXX) $(CXX_FLAGS) $< -o $@ $(LINK)

test-examples: c-deps $(BUILD)/examples/sync_c $(BUILD)/examples/sync_cpp
	$(VALGRIND) $(BUILD)/examples/sync_c > $(BUILD)/examples/sync_c.out
	$(VALGRIND) $(BUILD)/examples/sync_cpp > $(BUILD)/examples/sync_cpp.out
	grep -q '^converged: {"agent-a":3,"agent-b":5} value 8$$' $(BUILD)/examples/sync_c.out
	grep -q '^converged: {"agent-a":3,"agent-b":5} value 8$$' $(BUILD)/examples/sync_cpp.out
	grep -q '^anti-entropy: sent 1 of 10 slots: {"agent-a":4}$$' $(BUILD)/examples/sync_c.out
	grep -q '^anti-entropy: sent 1 of 10 slots: {"agent-a":4}$$' $(BUILD)/examples/sync_cpp.out
	@echo "examples: both converge, by state, deltas and anti-entropy, valgrind-clean"

clean:
	$(CARGO) clean
	rm -rf $(BUILD) dist

-include mk/*.mk

# --- Packages: every DISTS entry from the mk files above (dist-NAME, test-dist-NAME) ------------

.PHONY: dist test-dist
dist: $(addprefix dist-,$(DISTS))
test-dist: $(addprefix test-dist-,$(DISTS))

# Last in `make test`, after every package is built: each one carries Cargo.toml's version.
SUITES += versions
