#!/usr/bin/env bash
# Builds the Go module tree dist/go (make dist-go): the binding's sources with the library
# inside, so that a program builds and runs with only Go and a C compiler, as confluent-kafka-go
# and wasmtime-go ship theirs.
#
#   dist/go/go.mod, README.md, *.go       the binding (bindings/go), but for link_repo.go
#   dist/go/LICENSE-MIT, LICENSE-APACHE   the repository's license texts, at the module root
#   dist/go/link_bundled.go               links the archive below unless -tags gcounter_system
#   dist/go/platform_unsupported.go       a readable build error on a platform with no archive
#   dist/go/native/include/gcounter.h     the header, in a package of its own (include.go) ...
#   dist/go/native/linux_amd64/libgcounter.a   ... and the archive (archive.go), which
#                                         link_bundled.go imports, so `go mod vendor` keeps both
#
# Every path in the tree is relative (${SRCDIR}); the archive is libgcounter.a without its debug
# sections. Run from the repository root with, in the environment: LIB_DIR (target/release, built
# by make lib), VARS (the install probe's file: NATIVE_STATIC_LIBS), OUT (dist/go).
set -euo pipefail
: "${LIB_DIR:?}" "${VARS:?}" "${OUT:?}"

SRC=bindings/go
MODULE=$(sed -n 's/^module //p' "$SRC/go.mod")
host=$(rustc -vV | sed -n 's/^host: //p')
if [ "$host" != x86_64-unknown-linux-gnu ]; then
  echo "dist-go: the module carries the linux/amd64 archive; this toolchain builds for $host" >&2
  exit 1
fi
# shellcheck source=/dev/null
. "$VARS"

rm -rf "$OUT"
mkdir -p "$OUT/native/include" "$OUT/native/linux_amd64"
cp "$SRC/go.mod" "$SRC/README.md" LICENSE-MIT LICENSE-APACHE "$OUT/"
for file in "$SRC"/*.go; do
  [ "$(basename "$file")" = link_repo.go ] || cp "$file" "$OUT/"
done
cp include/gcounter.h "$OUT/native/include/"
strip --strip-debug -o "$OUT/native/linux_amd64/libgcounter.a" "$LIB_DIR/libgcounter.a"

cat > "$OUT/native/include/include.go" <<GO
// Package include holds gcounter.h, the C API of libgcounter, for the cgo preamble of package
// gcounter. It has no Go code: it exists so that \`go mod vendor\` copies this directory.
package include
GO

cat > "$OUT/native/linux_amd64/archive.go" <<GO
// Package linux_amd64 holds libgcounter.a for linux/amd64, which package gcounter links
// statically. It has no Go code: it exists so that \`go mod vendor\` copies this directory.
package linux_amd64
GO

cat > "$OUT/link_bundled.go" <<GO
//go:build !gcounter_system

package gcounter

// The library inside this module: the static archive for linux/amd64 and its header, found
// relative to this directory, so a program needs no installed library, no environment variable
// and no run-time search path. The system libraries after the archive are what its Rust code
// needs (rustc --print native-static-libs). With -tags gcounter_system the package uses an
// installed library through pkg-config instead (link_system.go).

// #cgo CFLAGS: -I\${SRCDIR}/native/include
// #cgo linux,amd64 LDFLAGS: \${SRCDIR}/native/linux_amd64/libgcounter.a $NATIVE_STATIC_LIBS
import "C"

import (
	// Imported for their files only, so that \`go mod vendor\` keeps the header and the archive.
	_ "$MODULE/native/include"
	_ "$MODULE/native/linux_amd64"
)
GO

cat > "$OUT/platform_unsupported.go" <<GO
//go:build cgo && !gcounter_system && !(linux && amd64)

package gcounter

// This module carries libgcounter only for linux/amd64. On another platform, install the
// library (make install, which writes gcounter.pc) and build with -tags gcounter_system. The
// type below names an undefined type on purpose: the compiler's first error says so.
type _ no_bundled_libgcounter_for_this_platform__install_it_and_build_with_tags_gcounter_system
GO

gofmt -l "$OUT" | { if read -r bad; then echo "dist-go: $bad is not gofmt-formatted" >&2; exit 1; fi; }
echo "dist-go: $OUT ($MODULE, $(du -sh "$OUT/native/linux_amd64/libgcounter.a" | cut -f1) archive)"
