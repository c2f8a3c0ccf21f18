#!/usr/bin/env bash
# The C library's packages, each made from a staged install (mk/dist.mk: `make install
# DESTDIR=$STAGE PREFIX=/usr`, with LIBDIR=/usr/$LIB for the .deb files), so that the tarball and
# the .deb files hold the same files, the libraries in lib/ or in Debian's multiarch directory.
# LIB is the library directory under /usr: lib (the default), or lib/x86_64-linux-gnu.
#
#   STAGE=... [LIB=...] scripts/dist_native.sh strip
#       strips the staged libraries as Debian's dh_strip does: debug sections out, symbols kept
#   STAGE=... VERSION=... OUT=<file.tar.gz> scripts/dist_native.sh tarball
#       the staged /usr as a relocatable tree: gcounter.pc finds its prefix from its own place
#       (${pcfiledir}), the CMake package already does (CMAKE_CURRENT_LIST_DIR)
#   STAGE=... LIB=... VERSION=... DEB_VERSION=... MAINTAINER=... OUT=<dir> scripts/dist_native.sh deb
#       libgcounter0 (the shared library) and libgcounter-dev (the rest), with dpkg-deb, both
#       Multi-Arch: same
#
# Archives are reproducible: entries sorted, owned by root, dated from the last commit.
set -euo pipefail
: "${STAGE:?}"
USR="$STAGE/usr"
LIB=${LIB:-lib}
LICENSE_MIT="$(cd "$(dirname "$0")/.." && pwd)/LICENSE-MIT"
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH=$EPOCH

strip_libraries() {
  local lib
  for lib in "$USR/$LIB"/libgcounter.so.*.*.*; do
    strip --remove-section=.comment --remove-section=.note --strip-unneeded "$lib"
  done
  strip --strip-debug --remove-section=.comment --remove-section=.note \
    --enable-deterministic-archives "$USR/$LIB/libgcounter.a"
}

# pack DIR ARCHIVE: a gzip'd tar of DIR's contents under DIR's name.
pack() {
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" \
    -C "$(dirname "$1")" -cf - "$(basename "$1")" | gzip -9n > "$2"
}

tarball() {
  : "${VERSION:?}" "${OUT:?}"
  local name tree pc
  name=$(basename "$OUT" .tar.gz)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  tree="$work/$name"
  cp -a "$USR" "$tree"
  pc="$tree/lib/pkgconfig/gcounter.pc"
  grep -qx 'prefix=/usr' "$pc" || { echo "dist-c: $pc does not say prefix=/usr" >&2; exit 1; }
  sed -i 's|^prefix=/usr$|prefix=${pcfiledir}/../..|' "$pc"
  if grep -rn '/usr' "$tree/lib/pkgconfig" "$tree/lib/cmake"; then
    echo "dist-c: an absolute path is left in the files above" >&2; exit 1
  fi
  cat > "$tree/README" <<TEXT
libgcounter $VERSION, the C library of a Grow-only Counter (G-Counter) CRDT, for $(basename "$name" | sed "s/^libgcounter-$VERSION-//").

Unpack it anywhere; the tree can move. With DIR the absolute path of the unpacked directory:

  C, pkg-config:
    export PKG_CONFIG_PATH=DIR/lib/pkgconfig
    cc app.c -o app \$(pkg-config --cflags --libs gcounter) -Wl,-rpath,DIR/lib && ./app
  CMake:
    find_package(gcounter ${VERSION%.*} REQUIRED)
    target_link_libraries(app PRIVATE gcounter::gcounter)   # or gcounter::gcounter_static
    cmake -S . -B build -DCMAKE_PREFIX_PATH=DIR && cmake --build build

lib/libgcounter.so.$VERSION (soname libgcounter.so.${VERSION%%.*}), lib/libgcounter.a, include/gcounter.h (C),
include/gcounter.hpp (C++17 wrapper). Licensed MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).
TEXT
  cp "$LICENSE_MIT" "$(dirname "$LICENSE_MIT")/LICENSE-APACHE" "$tree"/
  mkdir -p "$(dirname "$OUT")"
  rm -f "$(dirname "$OUT")"/libgcounter-*.tar.gz
  pack "$tree" "$OUT"
  echo "dist-c: $OUT"
}

# The files of each package, relative to /usr: the runtime package has what a program needs to
# run, the -dev package what a build needs. Every staged file is in exactly one of them.
runtime_files() { (cd "$USR" && find "$LIB" -maxdepth 1 -name 'libgcounter.so.*'); }
dev_files() {
  (cd "$USR" && { echo "$LIB/libgcounter.so"; echo "$LIB/libgcounter.a"
    find include "$LIB/pkgconfig" "$LIB/cmake" \( -type f -o -type l \); })
}

# deb_tree PACKAGE FILES...: /usr/<files> and the copyright under usr/share/doc/PACKAGE.
deb_tree() {
  local package=$1 root="$WORK/$1" file
  shift
  for file in "$@"; do
    mkdir -p "$root/usr/$(dirname "$file")"
    cp -a "$USR/$file" "$root/usr/$file"
  done
  mkdir -p "$root/usr/share/doc/$package" "$root/DEBIAN"
  cat > "$root/usr/share/doc/$package/copyright" <<TEXT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: libgcounter
Source: https://github.com/libgcounter/gcounter

Files: *
Copyright: 2026 The libgcounter developers
License: MIT or Apache-2.0
 At your option.

License: Apache-2.0
 On Debian systems, the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0.

License: MIT
TEXT
  # The MIT text itself, as a copyright file's paragraph: each line indented, blank ones as " .".
  sed -e 's/^$/./' -e 's/^/ /' "$LICENSE_MIT" >> "$root/usr/share/doc/$package/copyright"
}

# control PACKAGE SECTION DEPENDS SUMMARY DESCRIPTION: DEBIAN/control and DEBIAN/md5sums.
control() {
  local root="$WORK/$1"
  (cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums)
  cat > "$root/DEBIAN/control" <<TEXT
Package: $1
Source: libgcounter
Version: $DEB_VERSION
Architecture: $ARCH
Multi-Arch: same
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $3
Section: $2
Priority: optional
Homepage: https://github.com/libgcounter/gcounter
Description: $4
$5
TEXT
}

debs() {
  : "${VERSION:?}" "${DEB_VERSION:?}" "${MAINTAINER:?}" "${OUT:?}"
  local major=${VERSION%%.*} depends staged packaged
  ARCH=$(dpkg --print-architecture)
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT

  # Every staged file or link lands in exactly one package.
  staged=$(cd "$USR" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)
  packaged=$({ runtime_files; dev_files; } | LC_ALL=C sort)
  if [ "$staged" != "$packaged" ]; then
    echo "dist-deb: the staged files and the packages' files differ:" >&2
    diff <(echo "$staged") <(echo "$packaged") >&2
    exit 1
  fi

  local runtime="libgcounter$major" dev=libgcounter-dev
  # shellcheck disable=SC2046  # one argument per file
  deb_tree "$runtime" $(runtime_files)
  # Depends from the symbols the library uses (libc6, libgcc-s1), as Debian's own packages get it.
  mkdir -p "$WORK/shlibdeps/debian"
  printf 'Source: libgcounter\n\nPackage: %s\nArchitecture: any\n' "$runtime" > "$WORK/shlibdeps/debian/control"
  depends=$(cd "$WORK/shlibdeps" && dpkg-shlibdeps -O "$WORK/$runtime/usr/$LIB/libgcounter.so.$VERSION" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
  [ -n "$depends" ] || { echo "dist-deb: dpkg-shlibdeps found no dependency" >&2; exit 1; }
  # Packages built against this one depend on this version or later; ldconfig runs on install.
  echo "libgcounter $major $runtime (>= ${DEB_VERSION%-*})" > "$WORK/$runtime/DEBIAN/shlibs"
  echo "activate-noawait ldconfig" > "$WORK/$runtime/DEBIAN/triggers"
  control "$runtime" libs "$depends" "Grow-only Counter (G-Counter) CRDT, C library" \
" A grow-only counter for fleets of agents that count on many machines and
 exchange their states as JSON: each agent increments its own slot, replicas
 merge by the per-slot maximum and converge whatever the order of messages.
 .
 This package holds the shared library libgcounter.so.$major."

  # shellcheck disable=SC2046
  deb_tree "$dev" $(dev_files)
  control "$dev" libdevel "$runtime (= $DEB_VERSION)" "Grow-only Counter (G-Counter) CRDT, development files" \
" A grow-only counter for fleets of agents that count on many machines and
 exchange their states as JSON.
 .
 This package holds the C header gcounter.h, the C++17 wrapper gcounter.hpp,
 the static library, the pkg-config file and the CMake package (gcounter)."

  mkdir -p "$OUT"
  rm -f "$OUT"/libgcounter*.deb
  local package
  for package in "$runtime" "$dev"; do
    find "$WORK/$package" -exec touch -h -d "@$EPOCH" {} +
    dpkg-deb --root-owner-group -Zxz --build "$WORK/$package" "$OUT/${package}_${DEB_VERSION}_$ARCH.deb" >/dev/null
    echo "dist-deb: $OUT/${package}_${DEB_VERSION}_$ARCH.deb"
  done
}

case "${1:-}" in
  strip) strip_libraries ;;
  tarball) tarball ;;
  deb) debs ;;
  *) echo "usage: scripts/dist_native.sh strip|tarball|deb (options in the environment)" >&2; exit 2 ;;
esac
