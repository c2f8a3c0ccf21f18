# Installing libgcounter as a C library, and the tests of what an install gives a C, C++ or
# CMake project. docs/install.md describes both for users.
#
#   make install     installs the shared and static libraries, gcounter.h, gcounter.hpp,
#                    gcounter.pc and the CMake package; options (absolute paths):
#                      PREFIX=/usr/local  LIBDIR=$(PREFIX)/lib  INCLUDEDIR=$(PREFIX)/include
#                      PKGCONFIGDIR=$(LIBDIR)/pkgconfig  CMAKEDIR=$(LIBDIR)/cmake/gcounter
#                      DESTDIR= (staging root, prepended to every path; not written in files)
#                      LDCONFIG=ldconfig (run after installing as root without DESTDIR;
#                      LDCONFIG= skips it)
#                    Every file, link and directory it creates is recorded in INSTALL_MANIFEST
#                    (build/install_manifest.txt).
#   make uninstall   removes exactly what the manifest records, then the manifest
#   make test-install  version and soname checks, then installs into a prefix under build/ and
#                    builds consumers against it: pkg-config shared and static (C), CMake
#                    shared and static targets (C++); then uninstalls

SUITES += install

PREFIX           ?= /usr/local
LIBDIR           ?= $(PREFIX)/lib
INCLUDEDIR       ?= $(PREFIX)/include
PKGCONFIGDIR     ?= $(LIBDIR)/pkgconfig
CMAKEDIR         ?= $(LIBDIR)/cmake/gcounter
DESTDIR          ?=
INSTALL_MANIFEST ?= $(BUILD)/install_manifest.txt
LDCONFIG         ?= ldconfig

INSTALL_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock

.PHONY: install uninstall test-install install-deps

# `make` also prepares what `make install` needs, so that `make && sudo make install` needs
# neither cargo nor rustc on root's PATH.
all: $(INSTALL_VARS)

# The library, rebuilt only when it is older than its sources (`make install` compiles only
# if necessary; the `lib` target always asks cargo).
$(LIB_DIR)/libgcounter.so: $(INSTALL_SOURCES)
	@command -v $(CARGO) >/dev/null 2>&1 || { \
	  echo "install: $@ is missing or older than its sources, and '$(CARGO)' is not on PATH:" \
	       "build it first with 'make' as the user who owns the Rust toolchain" >&2; exit 1; }
	$(build-lib)
	@touch -c $@

# What libgcounter.a needs from the system and the pointer size, from rustc (scripts/install.sh).
$(INSTALL_VARS): $(LIB_DIR)/libgcounter.so
	@GC_LIB_DIR=$(LIB_DIR) GC_VARS=$@ GC_RUSTC=$(RUSTC) scripts/install.sh probe

# --- make install / make uninstall: scripts/install.sh, with the options in its environment ---

install uninstall: export GC_VARS     = $(INSTALL_VARS)
install uninstall: export GC_LIB_DIR  = $(LIB_DIR)
install uninstall: export GC_MANIFEST = $(abspath $(INSTALL_MANIFEST))
install uninstall: export GC_VERSION  = $(GCOUNTER_VERSION)
install uninstall: export GC_LDCONFIG = $(LDCONFIG)
install uninstall: export GC_PREFIX       = $(PREFIX)
install uninstall: export GC_LIBDIR       = $(LIBDIR)
install uninstall: export GC_INCLUDEDIR   = $(INCLUDEDIR)
install uninstall: export GC_PKGCONFIGDIR = $(PKGCONFIGDIR)
install uninstall: export GC_CMAKEDIR     = $(CMAKEDIR)
install uninstall: export GC_DESTDIR      = $(DESTDIR)

install: $(LIB_DIR)/libgcounter.so $(INSTALL_VARS)
	@scripts/install.sh install

uninstall:
	@scripts/install.sh uninstall

# --- make test-install --------------------------------------------------------------------

install-deps:
	@missing=""; \
	command -v cmake >/dev/null 2>&1 || missing="$$missing cmake"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v readelf >/dev/null 2>&1 || missing="$$missing binutils"; \
	command -v $(CXX) >/dev/null 2>&1 || missing="$$missing g++"; \
	if [ -n "$$missing" ]; then scripts/apt_install.sh $$missing; fi

test-install: lib install-deps
	@MAKE="$(MAKE)" CC="$(CC)" CXX="$(CXX)" LIB_DIR="$(LIB_DIR)" \
	 WORK="$(abspath $(BUILD))/install-test" \
	 VERSION="$(GCOUNTER_VERSION)" MAJOR="$(GCOUNTER_MAJOR)" MINOR="$(GCOUNTER_MINOR)" \
	 bash tests/consumers/run.sh
