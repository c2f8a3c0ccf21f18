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
RUSTC            ?= rustc

# The version, from the [package] table of Cargo.toml; the soname carries its major number.
GCOUNTER_VERSION  := $(shell awk -F'"' '/^\[/ { pkg = ($$0 == "[package]") } \
                       pkg && /^version[ \t]*=/ { print $$2; exit }' Cargo.toml)
GCOUNTER_MAJOR    := $(word 1,$(subst ., ,$(GCOUNTER_VERSION)))
GCOUNTER_MINOR    := $(word 2,$(subst ., ,$(GCOUNTER_VERSION)))
GCOUNTER_SONAME   := libgcounter.so.$(GCOUNTER_MAJOR)
GCOUNTER_REALNAME := libgcounter.so.$(GCOUNTER_VERSION)

INSTALL_BUILD   := $(BUILD)/install
INSTALL_VARS    := $(INSTALL_BUILD)/install.vars
INSTALL_SOURCES := $(shell find src -name '*.rs') build.rs Cargo.toml Cargo.lock

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
	$(CARGO) build --release
	@touch -c $@

# What the Rust code in libgcounter.a needs from the system when linked statically, as rustc
# reports it for a static library made of the crate as built (its rlib and dependencies), and
# the target's pointer size (for the CMake version check). A few hundred milliseconds.
$(INSTALL_VARS): $(LIB_DIR)/libgcounter.so
	@mkdir -p $(@D)
	@printf 'extern crate gcounter;\n' > $(@D)/probe.rs
	@$(RUSTC) --edition 2021 --crate-type staticlib --crate-name gcounter_probe \
	  --print native-static-libs --extern gcounter=$(LIB_DIR)/libgcounter.rlib \
	  -L dependency=$(LIB_DIR)/deps $(@D)/probe.rs -o $(@D)/libgcounter_probe.a \
	  2> $(@D)/probe.log || { cat $(@D)/probe.log >&2; exit 1; }
	@rm -f $(@D)/libgcounter_probe.a
	@libs=$$(sed -n 's/^note: native-static-libs: //p' $(@D)/probe.log); \
	bits=$$($(RUSTC) --print cfg | sed -n 's/^target_pointer_width="\([0-9]*\)"$$/\1/p'); \
	if [ -z "$$libs" ] || [ -z "$$bits" ]; then \
	  echo "install: rustc did not report the native static libraries or the pointer width:" >&2; \
	  cat $(@D)/probe.log >&2; exit 1; fi; \
	printf "NATIVE_STATIC_LIBS='%s'\nSIZEOF_VOID_P=%s\n" "$$libs" "$$((bits / 8))" > $@; \
	echo "libgcounter.a needs: $$libs"

# --- make install / make uninstall --------------------------------------------------------

# The installer, run by bash with the options in its environment (see the install target).
define GCOUNTER_INSTALL_SH
set -euo pipefail
. "$$GC_VARS"
PREFIX=$$GC_PREFIX LIBDIR=$$GC_LIBDIR INCLUDEDIR=$$GC_INCLUDEDIR
PKGCONFIGDIR=$$GC_PKGCONFIGDIR CMAKEDIR=$$GC_CMAKEDIR DESTDIR=$$GC_DESTDIR

# Directories: absolute, without blanks or quotes, normalized without resolving links.
for name in PREFIX LIBDIR INCLUDEDIR PKGCONFIGDIR CMAKEDIR; do
  value=$${!name}
  case "$$value" in
    /*) ;;
    *) echo "install: $$name must be an absolute path, not '$$value'" >&2; exit 1 ;;
  esac
  case "$$value" in
    *[[:space:]\'\"\\]*) echo "install: $$name must not contain blanks or quotes: '$$value'" >&2; exit 1 ;;
  esac
  printf -v "$$name" '%s' "$$(realpath -sm "$$value")"
done
case "$$DESTDIR" in
  *[[:space:]\'\"\\]*) echo "install: DESTDIR must not contain blanks or quotes: '$$DESTDIR'" >&2; exit 1 ;;
esac

# The build must match the version in Cargo.toml.
if command -v readelf >/dev/null 2>&1; then
  soname=$$(readelf -d "$$GC_LIB_DIR/libgcounter.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
  if [ "$$soname" != "$$GC_SONAME" ]; then
    echo "install: $$GC_LIB_DIR/libgcounter.so has soname '$$soname', expected $$GC_SONAME: rebuild it" >&2
    exit 1
  fi
fi
for file in "$$GC_LIB_DIR/libgcounter.so" "$$GC_LIB_DIR/libgcounter.a" include/gcounter.h include/gcounter.hpp; do
  [ -f "$$file" ] || { echo "install: $$file is missing" >&2; exit 1; }
done

mkdir -p "$$(dirname "$$GC_MANIFEST")"
touch "$$GC_MANIFEST"
record() { printf '%s %s\n' "$$1" "$$2" >> "$$GC_MANIFEST"; }

# Creates a directory under DESTDIR, recording each level that did not exist.
make_dir() {
  local dir="$$DESTDIR$$1" missing=()
  while [ ! -e "$$dir" ] && [ ! -L "$$dir" ]; do
    missing=("$$dir" "$${missing[@]}")
    dir=$$(dirname "$$dir")
  done
  for dir in "$${missing[@]}"; do
    mkdir "$$dir"
    record dir "$$dir"
  done
  [ -d "$$DESTDIR$$1" ] || { echo "install: $$DESTDIR$$1 is not a directory" >&2; exit 1; }
}
put_file() {  # mode source destination
  install -m "$$1" "$$2" "$$DESTDIR$$3"
  record file "$$DESTDIR$$3"
  echo "installed $$DESTDIR$$3"
}
put_link() {  # target link
  ln -sfn "$$1" "$$DESTDIR$$2"
  record link "$$DESTDIR$$2"
  echo "installed $$DESTDIR$$2 -> $$1"
}
# A path in a generated file: relative to $${prefix} (pkg-config) when under PREFIX.
under_prefix() {
  case "$$1" in
    "$$PREFIX") printf '%s' '$${prefix}' ;;
    "$$PREFIX"/*) printf '%s' "\$${prefix}$${1#"$$PREFIX"}" ;;
    *) printf '%s' "$$1" ;;
  esac
}
# A path in the CMake package: relative to the package's own directory when both are under
# PREFIX, so that the installed tree can move.
from_cmake_dir() {
  case "$$1/:$$CMAKEDIR/" in
    "$$PREFIX"/*:"$$PREFIX"/*) printf '%s' "\$${CMAKE_CURRENT_LIST_DIR}/$$(realpath -sm --relative-to="$$CMAKEDIR" "$$1")" ;;
    *) printf '%s' "$$1" ;;
  esac
}
cmake_libs=""
for flag in $$NATIVE_STATIC_LIBS; do
  cmake_libs="$$cmake_libs$${cmake_libs:+;}$${flag#-l}"
done
generated=$$(mktemp -d)
trap 'rm -rf "$$generated"' EXIT
substitute() {  # template output
  sed -e "s|@VERSION@|$$GC_VERSION|g" \
      -e "s|@VERSION_MAJOR@|$$GC_MAJOR|g" \
      -e "s|@SONAME@|$$GC_SONAME|g" \
      -e "s|@PREFIX@|$$PREFIX|g" \
      -e "s|@LIBDIR@|$$(under_prefix "$$LIBDIR")|g" \
      -e "s|@INCLUDEDIR@|$$(under_prefix "$$INCLUDEDIR")|g" \
      -e "s|@CMAKE_LIBDIR@|$$(from_cmake_dir "$$LIBDIR")|g" \
      -e "s|@CMAKE_INCLUDEDIR@|$$(from_cmake_dir "$$INCLUDEDIR")|g" \
      -e "s|@NATIVE_STATIC_LIBS@|$$NATIVE_STATIC_LIBS|g" \
      -e "s|@NATIVE_STATIC_LIBS_CMAKE@|$$cmake_libs|g" \
      -e "s|@SIZEOF_VOID_P@|$$SIZEOF_VOID_P|g" \
      "$$1" > "$$generated/$$2"
  if grep -n '@[A-Z_]*@' "$$generated/$$2" >&2; then
    echo "install: $$1 has a placeholder that make install does not fill" >&2; exit 1
  fi
}

make_dir "$$LIBDIR"
put_file 0755 "$$GC_LIB_DIR/libgcounter.so" "$$LIBDIR/$$GC_REALNAME"
put_link "$$GC_REALNAME" "$$LIBDIR/$$GC_SONAME"
put_link "$$GC_SONAME" "$$LIBDIR/libgcounter.so"
put_file 0644 "$$GC_LIB_DIR/libgcounter.a" "$$LIBDIR/libgcounter.a"

make_dir "$$INCLUDEDIR"
put_file 0644 include/gcounter.h "$$INCLUDEDIR/gcounter.h"
put_file 0644 include/gcounter.hpp "$$INCLUDEDIR/gcounter.hpp"

make_dir "$$PKGCONFIGDIR"
substitute pkgconfig/gcounter.pc.in gcounter.pc
put_file 0644 "$$generated/gcounter.pc" "$$PKGCONFIGDIR/gcounter.pc"

make_dir "$$CMAKEDIR"
substitute cmake/gcounter-config.cmake.in gcounter-config.cmake
substitute cmake/gcounter-config-version.cmake.in gcounter-config-version.cmake
put_file 0644 "$$generated/gcounter-config.cmake" "$$CMAKEDIR/gcounter-config.cmake"
put_file 0644 "$$generated/gcounter-config-version.cmake" "$$CMAKEDIR/gcounter-config-version.cmake"

# One line per path, first record first (a reinstall records nothing new).
awk '!seen[$$0]++' "$$GC_MANIFEST" > "$$generated/manifest" && cat "$$generated/manifest" > "$$GC_MANIFEST"
echo "recorded in $$GC_MANIFEST (make uninstall removes exactly these)"

if [ -z "$$DESTDIR" ] && [ -n "$$GC_LDCONFIG" ] && [ "$$(id -u)" = 0 ]; then
  $$GC_LDCONFIG
fi
endef

define GCOUNTER_UNINSTALL_SH
set -euo pipefail
DESTDIR=$$GC_DESTDIR
if [ ! -f "$$GC_MANIFEST" ]; then
  echo "uninstall: $$GC_MANIFEST does not exist: nothing is recorded as installed from this tree" >&2
  exit 1
fi
while read -r kind path; do
  case "$$kind" in
    file|link)
      if [ -e "$$path" ] || [ -L "$$path" ]; then rm -f "$$path"; echo "removed $$path"; fi ;;
    dir) ;;
    *) echo "uninstall: unknown line in $$GC_MANIFEST: $$kind $$path" >&2; exit 1 ;;
  esac
done < "$$GC_MANIFEST"
# Directories that install created, deepest first; kept when something else is in them.
sed -n 's/^dir //p' "$$GC_MANIFEST" | sort -r | while read -r dir; do
  [ -d "$$dir" ] || continue
  if rmdir "$$dir" 2>/dev/null; then echo "removed $$dir/"; else echo "kept $$dir/ (not empty)"; fi
done
rm -f "$$GC_MANIFEST"
if [ -z "$$DESTDIR" ] && [ -n "$$GC_LDCONFIG" ] && [ "$$(id -u)" = 0 ]; then
  $$GC_LDCONFIG
fi
endef

install uninstall: export GC_VARS     = $(INSTALL_VARS)
install uninstall: export GC_LIB_DIR  = $(LIB_DIR)
install uninstall: export GC_MANIFEST = $(abspath $(INSTALL_MANIFEST))
install uninstall: export GC_VERSION  = $(GCOUNTER_VERSION)
install uninstall: export GC_MAJOR    = $(GCOUNTER_MAJOR)
install uninstall: export GC_SONAME   = $(GCOUNTER_SONAME)
install uninstall: export GC_REALNAME = $(GCOUNTER_REALNAME)
install uninstall: export GC_LDCONFIG = $(LDCONFIG)
install uninstall: export GC_PREFIX       = $(PREFIX)
install uninstall: export GC_LIBDIR       = $(LIBDIR)
install uninstall: export GC_INCLUDEDIR   = $(INCLUDEDIR)
install uninstall: export GC_PKGCONFIGDIR = $(PKGCONFIGDIR)
install uninstall: export GC_CMAKEDIR     = $(CMAKEDIR)
install uninstall: export GC_DESTDIR      = $(DESTDIR)
install: export GC_SCRIPT = $(GCOUNTER_INSTALL_SH)
uninstall: export GC_SCRIPT = $(GCOUNTER_UNINSTALL_SH)

install: $(LIB_DIR)/libgcounter.so $(INSTALL_VARS)
	@bash -c "$$GC_SCRIPT"

uninstall:
	@bash -c "$$GC_SCRIPT"

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
