#!/usr/bin/env bash
# make test-dist-c: the C tarball as a user gets it, unpacked into a temporary directory outside
# the repository and then moved (the tree is relocatable), used from C through pkg-config and
# from C++ through CMake, with the shared and with the static library. The programs are the
# install suite's consumers (tests/consumers), copied out; nothing points at this checkout.
#
# Run from the repository root with, in the environment: CC, CXX, VERSION (Cargo.toml's) and
# TARBALL (absolute path). Ends with "dist-c: N passed, N failed".
set -uo pipefail
: "${CC:?}" "${CXX:?}" "${VERSION:?}" "${TARBALL:?}"
. scripts/dist_checks.sh
dist_begin dist-c

MAJOR=${VERSION%%.*}
SONAME="libgcounter.so.$MAJOR"
EXPECTED='converged: {"agent-a":3,"agent-b":5} value 8'
PREFIX="$WORK/moved/gcounter"   # where the unpacked tree ends up
CFLAGS_STRICT=(-std=c11 -Wall -Wextra -Werror -pedantic)
cp -r tests/consumers "$WORK/consumers"

# Where the dynamic loader finds NAME for PROGRAM.
resolved() { ldd "$1" | awk -v lib="$2" '$1 == lib { print $3 }'; }
pc() { clean_env PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig" pkg-config "$@" gcounter; }

check_unpack_and_layout() {
  local top
  top=$(tar -tzf "$TARBALL" | sed -n '1s|/.*||p')
  [ "$top" = "$(basename "$TARBALL" .tar.gz)" ] || fail "the tarball's top directory is '$top'"
  mkdir -p "$WORK/unpacked"
  tar -xzf "$TARBALL" -C "$WORK/unpacked"
  ! grep -v "^$top/" <<<"$(tar -tzf "$TARBALL")" || fail "entries outside $top/"
  mkdir -p "$(dirname "$PREFIX")"
  mv "$WORK/unpacked/$top" "$PREFIX"
  local lib="$PREFIX/lib"
  [ "$(readlink "$lib/libgcounter.so")" = "$SONAME" ] || fail "libgcounter.so does not link to $SONAME"
  [ "$(readlink "$lib/$SONAME")" = "libgcounter.so.$VERSION" ] || fail "$SONAME does not link to libgcounter.so.$VERSION"
  [ -f "$lib/libgcounter.so.$VERSION" ] && [ ! -L "$lib/libgcounter.so.$VERSION" ] ||
    fail "libgcounter.so.$VERSION is not a regular file"
  [ "$(readelf -d "$lib/libgcounter.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" = "$SONAME" ] ||
    fail "the library's soname is not $SONAME"
  no_path_into_checkout "$lib/libgcounter.so.$VERSION"
  grep -Eq ' FUNC +GLOBAL +DEFAULT +[0-9]+ gcounter_new$' <<<"$(readelf -sW "$lib/libgcounter.a")" ||
    fail "libgcounter.a does not define gcounter_new"
  cmp include/gcounter.h "$PREFIX/include/gcounter.h"
  cmp include/gcounter.hpp "$PREFIX/include/gcounter.hpp"
  [ -f "$lib/cmake/gcounter/gcounter-config.cmake" ] && [ -f "$lib/cmake/gcounter/gcounter-config-version.cmake" ] ||
    fail "the CMake package is missing"
  ! grep -rn -e "$ROOT" -e '/usr' "$lib/pkgconfig" "$lib/cmake" || fail "an absolute path in the files above"
  ! grep -rlF "$ROOT" "$PREFIX" || fail "the files above record the checkout's path"
  find "$PREFIX" | sed "s|^$PREFIX|.|" | sort
}

check_pkg_config() {
  [ "$(pc --modversion)" = "$VERSION" ] || fail "pkg-config --modversion is '$(pc --modversion)', not $VERSION"
  # The prefix follows the moved tree.
  [ "$(realpath "$(pc --variable=libdir)")" = "$PREFIX/lib" ] || fail "libdir is '$(pc --variable=libdir)'"
  [ "$(realpath "$(pc --variable=includedir)")" = "$PREFIX/include" ] || fail "includedir is '$(pc --variable=includedir)'"
}

check_c_shared() {
  local program="$WORK/c-shared"
  # shellcheck disable=SC2046  # pkg-config's output is a list of words
  clean_env "$CC" "${CFLAGS_STRICT[@]}" "$WORK/consumers/c/consumer.c" -o "$program" \
    $(pc --cflags --libs) -Wl,-rpath,"$(pc --variable=libdir)"
  clean_env "$program" | tee "$WORK/c-shared.out"
  grep -qxF "$EXPECTED" "$WORK/c-shared.out"
  [ "$(realpath "$(resolved "$program" "$SONAME")")" = "$PREFIX/lib/libgcounter.so.$VERSION" ] ||
    fail "$SONAME resolves to '$(resolved "$program" "$SONAME")', not the unpacked tree"
  no_path_into_checkout "$program"
}

check_c_static() {
  local program="$WORK/c-static"
  # shellcheck disable=SC2046
  clean_env "$CC" "${CFLAGS_STRICT[@]}" "$WORK/consumers/c/consumer.c" -o "$program" \
    $(pc --cflags) $(pc --static --libs | sed 's/-lgcounter\b/-l:libgcounter.a/')
  clean_env "$program" | tee "$WORK/c-static.out"
  grep -qxF "$EXPECTED" "$WORK/c-static.out"
  ! grep -q libgcounter <<<"$(needed "$program")" || fail "the static program needs a shared libgcounter"
}

check_cxx_pkg_config() {
  local program="$WORK/cxx-shared"
  # shellcheck disable=SC2046
  clean_env "$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic \
    -DGCOUNTER_CONSUMER_EXPECTED_VERSION="\"$VERSION\"" "$WORK/consumers/cmake/consumer.cpp" -o "$program" \
    $(pc --cflags --libs) -Wl,-rpath,"$(pc --variable=libdir)"
  clean_env "$program" | tee "$WORK/cxx-shared.out"
  grep -qxF "$EXPECTED" "$WORK/cxx-shared.out"
}

check_cmake() {
  clean_env cmake -S "$WORK/consumers/cmake" -B "$WORK/cmake" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_PREFIX_PATH="$PREFIX" -DGCOUNTER_WANTED_VERSION="${VERSION%.*}"
  clean_env cmake --build "$WORK/cmake" -j 2
  clean_env "$WORK/cmake/consumer_shared" | tee "$WORK/cmake-shared.out"
  grep -qxF "$EXPECTED" "$WORK/cmake-shared.out"
  [ "$(realpath "$(resolved "$WORK/cmake/consumer_shared" "$SONAME")")" = "$PREFIX/lib/libgcounter.so.$VERSION" ] ||
    fail "$SONAME resolves to '$(resolved "$WORK/cmake/consumer_shared" "$SONAME")', not the unpacked tree"
  clean_env "$WORK/cmake/consumer_static" | tee "$WORK/cmake-static.out"
  grep -qxF "$EXPECTED" "$WORK/cmake-static.out"
  ! grep -q libgcounter <<<"$(needed "$WORK/cmake/consumer_static")" || fail "consumer_static needs a shared libgcounter"
}

run_check unpack-and-layout check_unpack_and_layout
run_check pkg-config-metadata check_pkg_config
run_check c-shared-pkg-config check_c_shared
run_check c-static-pkg-config check_c_static
run_check cxx-shared-pkg-config check_cxx_pkg_config
run_check cmake-shared-and-static check_cmake
dist_end
