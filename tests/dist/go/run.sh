#!/usr/bin/env bash
# make test-dist-go: the Go module tree dist/go, used as a user of the module would, from a
# separate module in a temporary directory outside the repository, with no library installed
# and no variable pointing anywhere: only Go and a C compiler.
#
# Run from the repository root with, in the environment: GO, DIST (absolute path of dist/go),
# and TARBALL (the C tarball, for the gcounter_system check). Ends with "dist-go: N passed,
# N failed".
set -uo pipefail
: "${GO:?}" "${DIST:?}" "${TARBALL:?}"
. scripts/dist_checks.sh
dist_begin dist-go

MODULE=$(sed -n 's/^module //p' "$DIST/go.mod")
EXPECTED='converged: {"agent-a":3,"agent-b":5} value 8'
# Go's own variables: no workspace, no proxy (nothing is downloaded), this toolchain.
go_() { clean_env GOWORK=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local "$GO" "$@"; }

# new_app DIR REPLACEMENT: the consumer module, requiring the binding replaced by a directory.
new_app() {
  mkdir -p "$1"
  cp tests/dist/go/app/main.go "$1/"
  cat > "$1/go.mod" <<GOMOD
module example.com/gcounter-app

go 1.24

require $MODULE v0.0.0

replace $MODULE => $2
GOMOD
}

check_licenses() {
  # At the module root, where the module zip and `go mod vendor` keep them beside the package.
  cmp "$DIST/LICENSE-MIT" LICENSE-MIT
  cmp "$DIST/LICENSE-APACHE" LICENSE-APACHE
}

check_build_and_run() {
  new_app "$WORK/app" "$DIST"
  (cd "$WORK/app" && go_ build -trimpath -o app .)
  # A copy elsewhere: nothing it needs is beside it or in the checkout.
  mkdir "$WORK/elsewhere" && cp "$WORK/app/app" "$WORK/elsewhere/"
  (cd "$WORK/elsewhere" && clean_env ./app) | tee "$WORK/app.out"
  grep -qxF "$EXPECTED" "$WORK/app.out"
  ! grep -q libgcounter <<<"$(needed "$WORK/app/app")" || fail "the program needs a shared libgcounter"
  [ -z "$(search_paths "$WORK/app/app")" ] || fail "the program has a run-time search path: $(search_paths "$WORK/app/app")"
  # (The build information, `go version -m`, names the replacement directory: a record, not a path
  # that anything loads from.)
  echo "linked statically, no RUNPATH"
}

check_module_tree() {
  local archive="$DIST/native/linux_amd64/libgcounter.a"
  [ -f "$archive" ] && [ -f "$DIST/native/include/gcounter.h" ] || fail "the archive or the header is missing"
  cmp "$DIST/native/include/gcounter.h" include/gcounter.h
  [ ! -e "$DIST/link_repo.go" ] || fail "link_repo.go (the path into the clone) is in the module"
  # cgo directives stay inside the module: no build tree, no parent directory, no checkout path.
  ! grep -rn --include='*.go' -E '#cgo .*(target/|\.\./)' "$DIST" || fail "a cgo directive reaches outside the module"
  ! grep -rlF "$ROOT" "$DIST" || fail "the files above record the checkout's path"
  grep -Eq ' FUNC +GLOBAL +DEFAULT +[0-9]+ gcounter_new$' <<<"$(readelf -sW "$archive")" ||
    fail "the archive does not define gcounter_new"
}

check_vendor() {
  # The replacement is a sibling directory, so that the vendored copy can move away from it.
  cp -r "$DIST" "$WORK/gcounter-go"
  new_app "$WORK/vendoring/app" ../../gcounter-go
  (cd "$WORK/vendoring/app" && go_ mod vendor)
  local vendored="$WORK/vendoring/app/vendor/$MODULE"
  [ -f "$vendored/native/include/gcounter.h" ] || fail "go mod vendor dropped gcounter.h"
  [ -f "$vendored/native/linux_amd64/libgcounter.a" ] || fail "go mod vendor dropped libgcounter.a"
  [ -f "$vendored/LICENSE-MIT" ] && [ -f "$vendored/LICENSE-APACHE" ] || fail "go mod vendor dropped the license texts"
  # Moved where the replacement is not: the build must take everything from vendor/.
  mkdir -p "$WORK/moved" && mv "$WORK/vendoring/app" "$WORK/moved/app"
  rm -rf "$WORK/gcounter-go"
  (cd "$WORK/moved/app" && go_ build -mod=vendor -trimpath -o app . && clean_env ./app) | tee "$WORK/vendor.out"
  grep -qxF "$EXPECTED" "$WORK/vendor.out"
}

check_without_cgo() {
  new_app "$WORK/nocgo" "$DIST"
  if (cd "$WORK/nocgo" && CGO_ENABLED=0 go_ build -o app . ) > "$WORK/nocgo.out" 2>&1; then
    fail "CGO_ENABLED=0 built the program"
  fi
  cat "$WORK/nocgo.out"
  # The first error names the fix.
  sed -n 2p "$WORK/nocgo.out" | grep -q 'undefined: gcounter_needs_cgo__build_with_CGO_ENABLED_1' ||
    fail "the first error does not say that cgo is needed"
}

check_binding_tests() {
  # The binding's own tests, against the archive inside the module.
  (cd "$WORK/app" && go_ test -count=1 "$MODULE")
}

check_system_tag_with_tarball() {
  # An installed library instead (the C tarball, unpacked), as the README says: pkg-config for
  # the flags and, in the same step, an rpath for the run.
  mkdir -p "$WORK/prefix"
  tar -xzf "$TARBALL" -C "$WORK/prefix" --strip-components=1
  new_app "$WORK/system" "$DIST"
  (cd "$WORK/system" &&
    clean_env PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig" CGO_LDFLAGS="-Wl,-rpath,$WORK/prefix/lib" \
      GOWORK=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local "$GO" build -tags gcounter_system -o app . &&
    clean_env ./app) | tee "$WORK/system.out"
  grep -qxF "$EXPECTED" "$WORK/system.out"
  grep -qx libgcounter.so.0 <<<"$(needed "$WORK/system/app")" || fail "the program does not need libgcounter.so.0"
  [ "$(ldd "$WORK/system/app" | awk '$1 == "libgcounter.so.0" { print $3 }')" = "$WORK/prefix/lib/libgcounter.so.0" ] ||
    fail "libgcounter.so.0 does not resolve to the unpacked tarball"
}

run_check module-tree check_module_tree
run_check license-texts check_licenses
run_check build-and-run check_build_and_run
run_check go-mod-vendor check_vendor
run_check cgo-disabled-message check_without_cgo
run_check binding-tests-on-archive check_binding_tests
run_check system-tag-with-tarball check_system_tag_with_tarball
dist_end
