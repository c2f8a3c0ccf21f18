#!/usr/bin/env bash
# make test-dist-deb: the Debian packages libgcounter0 and libgcounter-dev, read with dpkg-deb
# (metadata and file lists) and unpacked with `dpkg-deb -x` into a temporary root outside the
# repository, where a C program is built against them through pkg-config (with the root as its
# sysroot) and a C++ program through CMake, and run. Nothing is installed on the system.
#
# Run from the repository root with, in the environment: CC, VERSION (Cargo.toml's),
# DEB_VERSION and DIST (absolute path of dist/). Ends with "dist-deb: N passed, N failed".
set -uo pipefail
: "${CC:?}" "${VERSION:?}" "${DEB_VERSION:?}" "${DIST:?}"
. scripts/dist_checks.sh
dist_begin dist-deb

MAJOR=${VERSION%%.*}
ARCH=$(dpkg --print-architecture)
# Debian's directory for the libraries of this architecture, e.g. /usr/lib/x86_64-linux-gnu.
LIBDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)
RUNTIME="$DIST/libgcounter${MAJOR}_${DEB_VERSION}_$ARCH.deb"
DEV="$DIST/libgcounter-dev_${DEB_VERSION}_$ARCH.deb"
ROOTFS="$WORK/root"
EXPECTED='converged: {"agent-a":3,"agent-b":5} value 8'
cp -r tests/consumers "$WORK/consumers"

field() { dpkg-deb -f "$1" "$2"; }
# The paths a package installs (files and links), without directories.
contents() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|' | LC_ALL=C sort; }

check_metadata() {
  [ "$(field "$RUNTIME" Package)" = "libgcounter$MAJOR" ] || fail "runtime package name: $(field "$RUNTIME" Package)"
  [ "$(field "$DEV" Package)" = libgcounter-dev ] || fail "dev package name: $(field "$DEV" Package)"
  # Debian's form of Cargo.toml's version ("~" for a pre-release's "-"), and a revision.
  [ "${DEB_VERSION%-*}" = "${VERSION//-/\~}" ] || fail "$DEB_VERSION is not Cargo.toml's $VERSION"
  local deb
  for deb in "$RUNTIME" "$DEV"; do
    [ "$(field "$deb" Version)" = "$DEB_VERSION" ] || fail "$deb: Version $(field "$deb" Version), not $DEB_VERSION"
    [ "$(field "$deb" Architecture)" = "$ARCH" ] || fail "$deb: Architecture $(field "$deb" Architecture)"
    # Co-installable with the same package of another architecture.
    [ "$(field "$deb" Multi-Arch)" = same ] || fail "$deb: Multi-Arch '$(field "$deb" Multi-Arch)', not same"
    [ -n "$(field "$deb" Maintainer)" ] && [ -n "$(field "$deb" Description)" ] || fail "$deb: no Maintainer or Description"
  done
  # The runtime package depends on what the library links (libc, libgcc_s for unwinding) ...
  grep -Eq '(^|, )libc6 \(>= [0-9.]+\)' <<<"$(field "$RUNTIME" Depends)" || fail "Depends lacks libc6: $(field "$RUNTIME" Depends)"
  grep -Eq '(^|, )libgcc-s1' <<<"$(field "$RUNTIME" Depends)" || fail "Depends lacks libgcc-s1: $(field "$RUNTIME" Depends)"
  # ... and the dev package on exactly this runtime package.
  [ "$(field "$DEV" Depends)" = "libgcounter$MAJOR (= $DEB_VERSION)" ] || fail "dev Depends: $(field "$DEV" Depends)"
  [ "$(field "$RUNTIME" Section)" = libs ] && [ "$(field "$DEV" Section)" = libdevel ] || fail "wrong sections"
  # The shlibs file tells packages built against this one what to depend on; ldconfig runs.
  mkdir -p "$WORK/control"
  dpkg-deb -e "$RUNTIME" "$WORK/control"
  grep -qx "libgcounter $MAJOR libgcounter$MAJOR (>= ${DEB_VERSION%-*})" "$WORK/control/shlibs" || fail "shlibs: $(cat "$WORK/control/shlibs")"
  grep -qx 'activate-noawait ldconfig' "$WORK/control/triggers" || fail "no ldconfig trigger"
  (cd "$WORK" && mkdir -p md5 && dpkg-deb -x "$RUNTIME" md5 && cd md5 && md5sum -c --quiet "$WORK/control/md5sums")
  dpkg-deb -I "$RUNTIME"; dpkg-deb -I "$DEV"
}

check_file_lists() {
  local expected_runtime expected_dev
  expected_runtime=$(printf '%s\n' \
    "$LIBDIR/libgcounter.so.$MAJOR" "$LIBDIR/libgcounter.so.$VERSION" \
    "/usr/share/doc/libgcounter$MAJOR/copyright" | LC_ALL=C sort)
  expected_dev=$(printf '%s\n' \
    /usr/include/gcounter.h /usr/include/gcounter.hpp \
    "$LIBDIR/cmake/gcounter/gcounter-config-version.cmake" "$LIBDIR/cmake/gcounter/gcounter-config.cmake" \
    "$LIBDIR/libgcounter.a" "$LIBDIR/libgcounter.so" "$LIBDIR/pkgconfig/gcounter.pc" \
    /usr/share/doc/libgcounter-dev/copyright | LC_ALL=C sort)
  diff <(echo "$expected_runtime") <(contents "$RUNTIME") || fail "libgcounter$MAJOR's files differ (< expected, > packaged)"
  diff <(echo "$expected_dev") <(contents "$DEV") || fail "libgcounter-dev's files differ (< expected, > packaged)"
  # Owned by root, links where the soname chain says.
  local deb
  for deb in "$RUNTIME" "$DEV"; do
    ! dpkg-deb -c "$deb" | awk '$2 != "root/root"' | grep . || fail "$deb: entries not owned by root"
  done
  grep -q "libgcounter.so.$MAJOR -> libgcounter.so.$VERSION" <<<"$(dpkg-deb -c "$RUNTIME")" || fail "no $MAJOR -> $VERSION link"
  grep -q "libgcounter.so -> libgcounter.so.$MAJOR" <<<"$(dpkg-deb -c "$DEV")" || fail "no .so -> .so.$MAJOR link"
}

check_unpacked() {
  dpkg-deb -x "$RUNTIME" "$ROOTFS"
  dpkg-deb -x "$DEV" "$ROOTFS"
  [ "$(readelf -d "$ROOTFS$LIBDIR/libgcounter.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" = "libgcounter.so.$MAJOR" ] ||
    fail "the library's soname is not libgcounter.so.$MAJOR"
  no_path_into_checkout "$ROOTFS$LIBDIR/libgcounter.so.$VERSION"
  grep -qx 'prefix=/usr' "$ROOTFS$LIBDIR/pkgconfig/gcounter.pc" || fail "gcounter.pc does not say prefix=/usr"
  grep -qx "libdir=\${prefix}${LIBDIR#/usr}" "$ROOTFS$LIBDIR/pkgconfig/gcounter.pc" || fail "gcounter.pc's libdir is not $LIBDIR"
  grep -qx "Version: $VERSION" "$ROOTFS$LIBDIR/pkgconfig/gcounter.pc" || fail "gcounter.pc's version is not $VERSION"
  cmp include/gcounter.h "$ROOTFS/usr/include/gcounter.h"
  ! grep -rlF "$ROOT" "$ROOTFS" || fail "the files above record the checkout's path"
}

# pkg-config as on a system with the packages installed, seen from the unpacked root.
pc() { clean_env PKG_CONFIG_SYSROOT_DIR="$ROOTFS" PKG_CONFIG_LIBDIR="$ROOTFS$LIBDIR/pkgconfig" pkg-config "$@" gcounter; }

check_build_against_unpacked() {
  [ -d "$ROOTFS$LIBDIR" ] || fail "the packages were not unpacked (see above)"
  [ "$(pc --modversion)" = "$VERSION" ] || fail "pkg-config --modversion: $(pc --modversion)"
  local program="$WORK/c-shared"
  # shellcheck disable=SC2046  # pkg-config's output is a list of words
  clean_env "$CC" -std=c11 -Wall -Wextra -Werror -pedantic "$WORK/consumers/c/consumer.c" -o "$program" \
    $(pc --cflags --libs) -Wl,-rpath,"$ROOTFS$LIBDIR"
  clean_env "$program" | tee "$WORK/c-shared.out"
  grep -qxF "$EXPECTED" "$WORK/c-shared.out"
  [ "$(ldd "$program" | awk '$1 == "libgcounter.so.'"$MAJOR"'" { print $3 }')" = "$ROOTFS$LIBDIR/libgcounter.so.$MAJOR" ] ||
    fail "libgcounter.so.$MAJOR does not resolve into the unpacked root"
  # shellcheck disable=SC2046
  clean_env "$CC" -std=c11 "$WORK/consumers/c/consumer.c" -o "$WORK/c-static" \
    $(pc --cflags) $(pc --static --libs | sed 's/-lgcounter\b/-l:libgcounter.a/')
  clean_env "$WORK/c-static" | tee "$WORK/c-static.out"
  grep -qxF "$EXPECTED" "$WORK/c-static.out"
  # CMake finds the package under the unpacked /usr, in lib/<multiarch>/cmake as on Debian.
  clean_env cmake -S "$WORK/consumers/cmake" -B "$WORK/cmake" -DCMAKE_PREFIX_PATH="$ROOTFS/usr" \
    -DGCOUNTER_WANTED_VERSION="${VERSION%.*}" >/dev/null
  clean_env cmake --build "$WORK/cmake" -j 2 >/dev/null
  clean_env "$WORK/cmake/consumer_shared" | tee "$WORK/cmake-shared.out"
  grep -qxF "$EXPECTED" "$WORK/cmake-shared.out"
  clean_env "$WORK/cmake/consumer_static" | tee "$WORK/cmake-static.out"
  grep -qxF "$EXPECTED" "$WORK/cmake-static.out"
}

run_check metadata check_metadata
run_check file-lists check_file_lists
run_check unpacked-tree check_unpacked
run_check build-against-unpacked check_build_against_unpacked
dist_end
