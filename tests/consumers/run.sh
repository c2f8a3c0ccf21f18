#!/usr/bin/env bash
# The install suite (make test-install): checks the version and the soname of the build, then
# installs into a prefix under build/ and builds separate C and C++ projects against the
# install as docs/install.md tells users to: pkg-config with the shared and the static library,
# CMake with gcounter::gcounter and gcounter::gcounter_static. Then uninstalls.
#
# Run from the repository root with, in the environment: MAKE, CC, CXX, LIB_DIR (the cargo
# output directory), WORK (an absolute scratch directory, emptied first), VERSION, MAJOR and
# MINOR (from Cargo.toml). Ends with "install: N passed, N failed".
set -uo pipefail

: "${MAKE:?}" "${CC:?}" "${CXX:?}" "${LIB_DIR:?}" "${WORK:?}" "${VERSION:?}" "${MAJOR:?}" "${MINOR:?}"

ROOT=$PWD
PREFIX="$WORK/prefix"            # the install the consumers use
MOVED="$WORK/moved-prefix"       # a copy of it elsewhere: the CMake package must follow
MANIFEST="$WORK/install_manifest.txt"
SONAME="libgcounter.so.$MAJOR"
CFLAGS_STRICT=(-std=c11 -Wall -Wextra -Werror -pedantic)

rm -rf "$WORK"
mkdir -p "$WORK"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"

# run_check NAME FUNCTION and fail MESSAGE, shared with the package tests.
# shellcheck source=scripts/dist_checks.sh
. scripts/dist_checks.sh

# The dynamic section's SONAME of an ELF file (needed, its NEEDED entries, comes with the
# helpers). (Tests on these outputs use here-strings, not `| grep -q`: grep -q exits at the
# first match, and with pipefail the writer's SIGPIPE would fail the check.)
soname_of() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'; }
# Where the dynamic loader finds NAME for PROGRAM.
resolved() { ldd "$1" | awk -v lib="$2" '$1 == lib { print $3 }'; }

install_into() {  # prefix manifest [extra make arguments]
  "$MAKE" --no-print-directory install PREFIX="$1" LIBDIR="$1/lib" INCLUDEDIR="$1/include" \
    PKGCONFIGDIR="$1/lib/pkgconfig" CMAKEDIR="$1/lib/cmake/gcounter" \
    INSTALL_MANIFEST="$2" LDCONFIG= "${@:3}"
}

# --- the build tree -----------------------------------------------------------------------

check_version_matches_cargo_toml() {
  "$CC" "${CFLAGS_STRICT[@]}" -Iinclude -DEXPECTED_VERSION="\"$VERSION\"" tests/version/version.c \
    -o "$WORK/version" -L"$LIB_DIR" -Wl,-rpath,"$ROOT/$LIB_DIR" -lgcounter
  "$WORK/version"
}

check_build_tree_soname() {
  local found
  found=$(soname_of "$LIB_DIR/libgcounter.so")
  [ "$found" = "$SONAME" ] || fail "$LIB_DIR/libgcounter.so has soname '$found', expected $SONAME"
  [ "$LIB_DIR/$SONAME" -ef "$LIB_DIR/libgcounter.so" ] ||
    fail "$LIB_DIR/$SONAME is not a link to libgcounter.so"
  # A program linked in the build tree needs the soname and finds it there.
  grep -qx "$SONAME" <<<"$(needed "$WORK/version")" || fail "the version program does not need $SONAME"
  [ "$(resolved "$WORK/version" "$SONAME")" -ef "$LIB_DIR/libgcounter.so" ] ||
    fail "$SONAME resolves to '$(resolved "$WORK/version" "$SONAME")', not $LIB_DIR/libgcounter.so"
  echo "$LIB_DIR/libgcounter.so: soname $found, $LIB_DIR/$SONAME -> libgcounter.so"
}

# --- make install -------------------------------------------------------------------------

check_install_layout() {
  install_into "$PREFIX" "$MANIFEST"
  local lib="$PREFIX/lib"
  [ "$(readlink "$lib/libgcounter.so")" = "$SONAME" ] || fail "libgcounter.so does not link to $SONAME"
  [ "$(readlink "$lib/$SONAME")" = "libgcounter.so.$VERSION" ] || fail "$SONAME does not link to libgcounter.so.$VERSION"
  [ -f "$lib/libgcounter.so.$VERSION" ] && [ ! -L "$lib/libgcounter.so.$VERSION" ] ||
    fail "libgcounter.so.$VERSION is not a regular file"
  [ "$(soname_of "$lib/libgcounter.so.$VERSION")" = "$SONAME" ] || fail "the installed library's soname is wrong"
  # readelf, not nm: the objects also carry LLVM bitcode, which nm hands to a linker plugin.
  grep -Eq ' FUNC +GLOBAL +DEFAULT +[0-9]+ gcounter_new$' <<<"$(readelf -sW "$lib/libgcounter.a")" ||
    fail "libgcounter.a does not define gcounter_new"
  cmp include/gcounter.h "$PREFIX/include/gcounter.h"
  cmp include/gcounter.hpp "$PREFIX/include/gcounter.hpp"
  [ "$(pkg-config --modversion gcounter)" = "$VERSION" ] || fail "pkg-config --modversion is not $VERSION"
  [ "$(pkg-config --variable=libdir gcounter)" = "$lib" ] || fail "pkg-config libdir is not $lib"
  [ -f "$lib/cmake/gcounter/gcounter-config.cmake" ] && [ -f "$lib/cmake/gcounter/gcounter-config-version.cmake" ] ||
    fail "the CMake package is missing"
  # Every installed path is in the manifest.
  local path
  while IFS= read -r path; do
    grep -qx "[a-z]* $path" "$MANIFEST" || fail "$path is installed but not in the manifest"
  done < <(find "$PREFIX")
  cat "$MANIFEST"
}

check_pkg_config_shared() {
  local program="$WORK/c-shared"
  # shellcheck disable=SC2046  # pkg-config's output is a list of words
  "$CC" "${CFLAGS_STRICT[@]}" tests/consumers/c/consumer.c -o "$program" \
    $(pkg-config --cflags --libs gcounter) -Wl,-rpath,"$(pkg-config --variable=libdir gcounter)"
  "$program" | tee "$WORK/c-shared.out"
  grep -qx 'converged: {"agent-a":3,"agent-b":5} value 8' "$WORK/c-shared.out"
  grep -qx "$SONAME" <<<"$(needed "$program")" || fail "the program does not need $SONAME"
  [ "$(resolved "$program" "$SONAME")" = "$PREFIX/lib/$SONAME" ] ||
    fail "$SONAME resolves to '$(resolved "$program" "$SONAME")', not the installed $PREFIX/lib/$SONAME"
}

check_pkg_config_static() {
  local program="$WORK/c-static"
  # -l:libgcounter.a makes the linker take the archive although libgcounter.so is beside it.
  # shellcheck disable=SC2046
  "$CC" "${CFLAGS_STRICT[@]}" tests/consumers/c/consumer.c -o "$program" \
    $(pkg-config --cflags gcounter) \
    $(pkg-config --static --libs gcounter | sed 's/-lgcounter\b/-l:libgcounter.a/')
  "$program" | tee "$WORK/c-static.out"
  grep -qx 'converged: {"agent-a":3,"agent-b":5} value 8' "$WORK/c-static.out"
  ! grep -q '^libgcounter' <<<"$(needed "$program")" || fail "the static program needs libgcounter"
  ! grep -q libgcounter <<<"$(ldd "$program")" || fail "the static program loads libgcounter"
  grep -q ' T gcounter_new$' <<<"$(nm "$program")" || fail "gcounter_new is not linked into the program"
}

# --- CMake --------------------------------------------------------------------------------

check_cmake_shared() {
  # From a copy of the install elsewhere: the package must find the copy, not the original.
  cp -a "$PREFIX" "$MOVED"
  cmake -S tests/consumers/cmake -B "$WORK/cmake" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_PREFIX_PATH="$MOVED" -DGCOUNTER_WANTED_VERSION="$MAJOR.$MINOR"
  cmake --build "$WORK/cmake" -j 2
  local program="$WORK/cmake/consumer_shared"
  "$program" | tee "$WORK/cmake-shared.out"
  grep -qx 'converged: {"agent-a":3,"agent-b":5} value 8' "$WORK/cmake-shared.out"
  [ "$(resolved "$program" "$SONAME")" = "$MOVED/lib/$SONAME" ] ||
    fail "$SONAME resolves to '$(resolved "$program" "$SONAME")', not $MOVED/lib/$SONAME"
}

check_cmake_static() {
  local program="$WORK/cmake/consumer_static"
  [ -x "$program" ] || fail "consumer_static was not built (see the CMake check above)"
  "$program" | tee "$WORK/cmake-static.out"
  grep -qx 'converged: {"agent-a":3,"agent-b":5} value 8' "$WORK/cmake-static.out"
  ! grep -q '^libgcounter' <<<"$(needed "$program")" || fail "the static program needs libgcounter"
}

check_cmake_refuses_next_major() {
  local next="$((MAJOR + 1)).0"
  if cmake -S tests/consumers/cmake -B "$WORK/cmake-next" -DCMAKE_CXX_COMPILER="$CXX" \
      -DCMAKE_PREFIX_PATH="$MOVED" -DGCOUNTER_WANTED_VERSION="$next" >"$WORK/cmake-next.log" 2>&1; then
    cat "$WORK/cmake-next.log"
    fail "find_package(gcounter $next) accepted version $VERSION"
  fi
  grep -q "compatible with requested version \"$next\"" "$WORK/cmake-next.log" ||
    { cat "$WORK/cmake-next.log"; fail "CMake failed for another reason"; }
  echo "find_package(gcounter $next) refuses $VERSION"
}

# --- DESTDIR and uninstall ----------------------------------------------------------------

check_destdir_staging() {
  local stage="$WORK/stage" manifest="$WORK/stage_manifest.txt" opt_existed=no
  [ ! -e /opt/gcounter ] || opt_existed=yes
  install_into /opt/gcounter "$manifest" DESTDIR="$stage"
  [ -f "$stage/opt/gcounter/lib/libgcounter.so.$VERSION" ] || fail "nothing installed under DESTDIR"
  [ "$opt_existed" = yes ] || [ ! -e /opt/gcounter ] || fail "install wrote to /opt/gcounter, outside DESTDIR"
  grep -qx 'prefix=/opt/gcounter' "$stage/opt/gcounter/lib/pkgconfig/gcounter.pc" ||
    fail "gcounter.pc does not say prefix=/opt/gcounter"
  ! grep -rq "$stage" "$stage/opt/gcounter/lib/pkgconfig" "$stage/opt/gcounter/lib/cmake" ||
    fail "an installed file mentions DESTDIR"
  "$MAKE" --no-print-directory uninstall INSTALL_MANIFEST="$manifest" LDCONFIG=
  [ ! -e "$stage" ] || { find "$stage"; fail "uninstall left the staging tree above"; }
}

check_uninstall() {
  local recorded="$WORK/recorded.txt" path
  cp "$MANIFEST" "$recorded"
  "$MAKE" --no-print-directory uninstall INSTALL_MANIFEST="$MANIFEST" LDCONFIG=
  while read -r _ path; do
    [ ! -e "$path" ] && [ ! -L "$path" ] || fail "uninstall left $path"
  done < "$recorded"
  [ ! -e "$PREFIX" ] || { find "$PREFIX"; fail "uninstall left the above in $PREFIX"; }
  [ ! -e "$MANIFEST" ] || fail "uninstall left the manifest"
}

run_check version-matches-cargo-toml check_version_matches_cargo_toml
run_check build-tree-soname check_build_tree_soname
run_check install-layout check_install_layout
run_check pkg-config-shared check_pkg_config_shared
run_check pkg-config-static check_pkg_config_static
run_check cmake-shared check_cmake_shared
run_check cmake-static check_cmake_static
run_check cmake-refuses-next-major check_cmake_refuses_next_major
run_check destdir-staging check_destdir_staging
run_check uninstall check_uninstall

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
