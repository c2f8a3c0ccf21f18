#!/usr/bin/env bash
# Installs libgcounter as a C library, removes such an install, and prepares what an install
# needs from the Rust toolchain. mk/install.mk runs it for `make install` and `make uninstall`;
# mk/dist.mk stages the C tarball and the Debian packages with `make install DESTDIR=...`, so
# every package holds what this script installs. docs/install.md describes it for users.
#
#   scripts/install.sh probe       writes GC_VARS: the system libraries that the Rust code in
#                                  libgcounter.a needs when linked statically, and the target's
#                                  pointer size (needs rustc; run by `make`, not by root)
#   scripts/install.sh install     installs into GC_DESTDIR + the directories below, recording
#                                  every file, link and directory it creates in GC_MANIFEST
#   scripts/install.sh uninstall   removes exactly what GC_MANIFEST records, then the manifest
#
# Run from the repository root. Its input is in the environment (mk/install.mk sets it from the
# make variables of the same names without GC_):
#   GC_LIB_DIR     the cargo output directory (target/release)
#   GC_VARS        the file `probe` writes and `install` reads
#   GC_VERSION     the version in Cargo.toml
#   GC_MANIFEST    absolute path of the manifest
#   GC_PREFIX GC_LIBDIR GC_INCLUDEDIR GC_PKGCONFIGDIR GC_CMAKEDIR   absolute directories
#   GC_DESTDIR     staging root, prepended to every path when copying; not written in files
#   GC_LDCONFIG    run after installing or uninstalling as root without DESTDIR; empty skips it
#   GC_RUSTC       the compiler `probe` asks (rustc)
set -euo pipefail

usage() { echo "usage: scripts/install.sh probe|install|uninstall (options in the environment)" >&2; exit 2; }

# What the Rust code in libgcounter.a needs from the system when linked statically, as rustc
# reports it for a static library made of the crate as built (its rlib and dependencies), and
# the target's pointer size (for the CMake version check). A few hundred milliseconds.
probe() {
  : "${GC_LIB_DIR:?}" "${GC_VARS:?}" "${GC_RUSTC:=rustc}"
  local work libs bits
  work=$(dirname "$GC_VARS")
  mkdir -p "$work"
  printf 'extern crate gcounter;\n' > "$work/probe.rs"
  "$GC_RUSTC" --edition 2021 --crate-type staticlib --crate-name gcounter_probe \
    --print native-static-libs --extern gcounter="$GC_LIB_DIR/libgcounter.rlib" \
    -L dependency="$GC_LIB_DIR/deps" "$work/probe.rs" -o "$work/libgcounter_probe.a" \
    2> "$work/probe.log" || { cat "$work/probe.log" >&2; exit 1; }
  rm -f "$work/libgcounter_probe.a"
  libs=$(sed -n 's/^note: native-static-libs: //p' "$work/probe.log")
  bits=$("$GC_RUSTC" --print cfg | sed -n 's/^target_pointer_width="\([0-9]*\)"$/\1/p')
  if [ -z "$libs" ] || [ -z "$bits" ]; then
    echo "install: rustc did not report the native static libraries or the pointer width:" >&2
    cat "$work/probe.log" >&2
    exit 1
  fi
  printf "NATIVE_STATIC_LIBS='%s'\nSIZEOF_VOID_P=%s\n" "$libs" "$((bits / 8))" > "$GC_VARS"
  echo "libgcounter.a needs: $libs"
}

install_library() {
  : "${GC_LIB_DIR:?}" "${GC_VARS:?}" "${GC_VERSION:?}" "${GC_MANIFEST:?}"
  : "${GC_PREFIX:?}" "${GC_LIBDIR:?}" "${GC_INCLUDEDIR:?}" "${GC_PKGCONFIGDIR:?}" "${GC_CMAKEDIR:?}"
  local GC_MAJOR=${GC_VERSION%%.*}
  local GC_SONAME="libgcounter.so.$GC_MAJOR" GC_REALNAME="libgcounter.so.$GC_VERSION"
  [ -f "$GC_VARS" ] || { echo "install: $GC_VARS is missing: run 'make' first" >&2; exit 1; }
  # shellcheck source=/dev/null  # written by probe
  . "$GC_VARS"
  PREFIX=$GC_PREFIX LIBDIR=$GC_LIBDIR INCLUDEDIR=$GC_INCLUDEDIR
  PKGCONFIGDIR=$GC_PKGCONFIGDIR CMAKEDIR=$GC_CMAKEDIR DESTDIR=${GC_DESTDIR:-}

  # Directories: absolute, without blanks or quotes, normalized without resolving links.
  for name in PREFIX LIBDIR INCLUDEDIR PKGCONFIGDIR CMAKEDIR; do
    value=${!name}
    case "$value" in
      /*) ;;
      *) echo "install: $name must be an absolute path, not '$value'" >&2; exit 1 ;;
    esac
    case "$value" in
      *[[:space:]\'\"\\]*) echo "install: $name must not contain blanks or quotes: '$value'" >&2; exit 1 ;;
    esac
    printf -v "$name" '%s' "$(realpath -sm "$value")"
  done
  case "$DESTDIR" in
    *[[:space:]\'\"\\]*) echo "install: DESTDIR must not contain blanks or quotes: '$DESTDIR'" >&2; exit 1 ;;
  esac

  # The build must match the version in Cargo.toml.
  if command -v readelf >/dev/null 2>&1; then
    soname=$(readelf -d "$GC_LIB_DIR/libgcounter.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
    if [ "$soname" != "$GC_SONAME" ]; then
      echo "install: $GC_LIB_DIR/libgcounter.so has soname '$soname', expected $GC_SONAME: rebuild it" >&2
      exit 1
    fi
  fi
  for file in "$GC_LIB_DIR/libgcounter.so" "$GC_LIB_DIR/libgcounter.a" include/gcounter.h include/gcounter.hpp; do
    [ -f "$file" ] || { echo "install: $file is missing" >&2; exit 1; }
  done

  mkdir -p "$(dirname "$GC_MANIFEST")"
  touch "$GC_MANIFEST"
  record() { printf '%s %s\n' "$1" "$2" >> "$GC_MANIFEST"; }

  # Creates a directory under DESTDIR, recording each level that did not exist.
  make_dir() {
    local dir="$DESTDIR$1" missing=()
    while [ ! -e "$dir" ] && [ ! -L "$dir" ]; do
      missing=("$dir" "${missing[@]}")
      dir=$(dirname "$dir")
    done
    for dir in "${missing[@]}"; do
      mkdir "$dir"
      record dir "$dir"
    done
    [ -d "$DESTDIR$1" ] || { echo "install: $DESTDIR$1 is not a directory" >&2; exit 1; }
  }
  put_file() {  # mode source destination
    install -m "$1" "$2" "$DESTDIR$3"
    record file "$DESTDIR$3"
    echo "installed $DESTDIR$3"
  }
  put_link() {  # target link
    ln -sfn "$1" "$DESTDIR$2"
    record link "$DESTDIR$2"
    echo "installed $DESTDIR$2 -> $1"
  }
  # A path in a generated file: relative to ${prefix} (pkg-config) when under PREFIX.
  under_prefix() {
    case "$1" in
      "$PREFIX") printf '%s' '${prefix}' ;;
      "$PREFIX"/*) printf '%s' "\${prefix}${1#"$PREFIX"}" ;;
      *) printf '%s' "$1" ;;
    esac
  }
  # A path in the CMake package: relative to the package's own directory when both are under
  # PREFIX, so that the installed tree can move.
  from_cmake_dir() {
    case "$1/:$CMAKEDIR/" in
      "$PREFIX"/*:"$PREFIX"/*) printf '%s' "\${CMAKE_CURRENT_LIST_DIR}/$(realpath -sm --relative-to="$CMAKEDIR" "$1")" ;;
      *) printf '%s' "$1" ;;
    esac
  }
  cmake_libs=""
  for flag in $NATIVE_STATIC_LIBS; do
    cmake_libs="$cmake_libs${cmake_libs:+;}${flag#-l}"
  done
  generated=$(mktemp -d)
  trap 'rm -rf "$generated"' EXIT
  substitute() {  # template output
    sed -e "s|@VERSION@|$GC_VERSION|g" \
        -e "s|@VERSION_MAJOR@|$GC_MAJOR|g" \
        -e "s|@SONAME@|$GC_SONAME|g" \
        -e "s|@PREFIX@|$PREFIX|g" \
        -e "s|@LIBDIR@|$(under_prefix "$LIBDIR")|g" \
        -e "s|@INCLUDEDIR@|$(under_prefix "$INCLUDEDIR")|g" \
        -e "s|@CMAKE_LIBDIR@|$(from_cmake_dir "$LIBDIR")|g" \
        -e "s|@CMAKE_INCLUDEDIR@|$(from_cmake_dir "$INCLUDEDIR")|g" \
        -e "s|@NATIVE_STATIC_LIBS@|$NATIVE_STATIC_LIBS|g" \
        -e "s|@NATIVE_STATIC_LIBS_CMAKE@|$cmake_libs|g" \
        -e "s|@SIZEOF_VOID_P@|$SIZEOF_VOID_P|g" \
        "$1" > "$generated/$2"
    if grep -n '@[A-Z_]*@' "$generated/$2" >&2; then
      echo "install: $1 has a placeholder that make install does not fill" >&2; exit 1
    fi
  }

  make_dir "$LIBDIR"
  put_file 0755 "$GC_LIB_DIR/libgcounter.so" "$LIBDIR/$GC_REALNAME"
  put_link "$GC_REALNAME" "$LIBDIR/$GC_SONAME"
  put_link "$GC_SONAME" "$LIBDIR/libgcounter.so"
  put_file 0644 "$GC_LIB_DIR/libgcounter.a" "$LIBDIR/libgcounter.a"

  make_dir "$INCLUDEDIR"
  put_file 0644 include/gcounter.h "$INCLUDEDIR/gcounter.h"
  put_file 0644 include/gcounter.hpp "$INCLUDEDIR/gcounter.hpp"

  make_dir "$PKGCONFIGDIR"
  substitute pkgconfig/gcounter.pc.in gcounter.pc
  put_file 0644 "$generated/gcounter.pc" "$PKGCONFIGDIR/gcounter.pc"

  make_dir "$CMAKEDIR"
  substitute cmake/gcounter-config.cmake.in gcounter-config.cmake
  substitute cmake/gcounter-config-version.cmake.in gcounter-config-version.cmake
  put_file 0644 "$generated/gcounter-config.cmake" "$CMAKEDIR/gcounter-config.cmake"
  put_file 0644 "$generated/gcounter-config-version.cmake" "$CMAKEDIR/gcounter-config-version.cmake"

  # One line per path, first record first (a reinstall records nothing new).
  awk '!seen[$0]++' "$GC_MANIFEST" > "$generated/manifest" && cat "$generated/manifest" > "$GC_MANIFEST"
  echo "recorded in $GC_MANIFEST (make uninstall removes exactly these)"

  if [ -z "$DESTDIR" ] && [ -n "${GC_LDCONFIG:-}" ] && [ "$(id -u)" = 0 ]; then
    $GC_LDCONFIG  # may carry options, e.g. LDCONFIG="ldconfig -v"
  fi
}

uninstall_library() {
  : "${GC_MANIFEST:?}"
  DESTDIR=${GC_DESTDIR:-}
  if [ ! -f "$GC_MANIFEST" ]; then
    echo "uninstall: $GC_MANIFEST does not exist: nothing is recorded as installed from this tree" >&2
    exit 1
  fi
  while read -r kind path; do
    case "$kind" in
      file|link)
        if [ -e "$path" ] || [ -L "$path" ]; then rm -f "$path"; echo "removed $path"; fi ;;
      dir) ;;
      *) echo "uninstall: unknown line in $GC_MANIFEST: $kind $path" >&2; exit 1 ;;
    esac
  done < "$GC_MANIFEST"
  # Directories that install created, deepest first; kept when something else is in them.
  sed -n 's/^dir //p' "$GC_MANIFEST" | sort -r | while read -r dir; do
    [ -d "$dir" ] || continue
    if rmdir "$dir" 2>/dev/null; then echo "removed $dir/"; else echo "kept $dir/ (not empty)"; fi
  done
  rm -f "$GC_MANIFEST"
  if [ -z "$DESTDIR" ] && [ -n "${GC_LDCONFIG:-}" ] && [ "$(id -u)" = 0 ]; then
    $GC_LDCONFIG  # may carry options, e.g. LDCONFIG="ldconfig -v"
  fi
}

case "${1:-}" in
  probe) probe ;;
  install) install_library ;;
  uninstall) uninstall_library ;;
  *) usage ;;
esac
