#!/usr/bin/env bash
# make test-dist-rust: the packaged crate (dist/gcounter-<v>.crate, what crates.io would serve)
# as a plain dependency of a separate cargo project in a temporary directory outside the
# repository: it builds and runs, and leaves no C library in the project's target/.
#
# Run from the repository root with, in the environment: CARGO, VERSION (Cargo.toml's) and
# CRATE (absolute path of the .crate). Ends with "dist-rust: N passed, N failed".
set -uo pipefail
: "${CARGO:?}" "${VERSION:?}" "${CRATE:?}"
. scripts/dist_checks.sh
dist_begin dist-rust

CRATE_DIR="gcounter-$VERSION"
EXPECTED='converged: {"agent-a":3,"agent-b":5} value 8'

check_crate_contents() {
  tar -xzf "$CRATE" -C "$WORK"
  [ -f "$WORK/$CRATE_DIR/src/lib.rs" ] && [ -f "$WORK/$CRATE_DIR/README.md" ] || fail "src/lib.rs or README.md is missing"
  [ ! -e "$WORK/$CRATE_DIR/build.rs" ] || fail "the crate has a build script"
  grep -qx "version = \"$VERSION\"" "$WORK/$CRATE_DIR/Cargo.toml" || fail "the crate's version is not $VERSION"
  grep -qx 'crate-type = \["rlib"\]' "$WORK/$CRATE_DIR/Cargo.toml" || fail "the crate builds more than an rlib"
  tar -tzf "$CRATE"
}

check_build_and_run() {
  [ -d "$WORK/$CRATE_DIR" ] || fail "the crate was not unpacked (see above)"
  mkdir -p "$WORK/app/src"
  cp tests/dist/rust/app/src/main.rs "$WORK/app/src/"
  sed "s|@CRATE_DIR@|$CRATE_DIR|" tests/dist/rust/app/Cargo.toml.in > "$WORK/app/Cargo.toml"
  (cd "$WORK/app" && clean_env "$CARGO" run --quiet) | tee "$WORK/app.out"
  grep -qxF "$EXPECTED" "$WORK/app.out"
}

check_target_holds_no_c_library() {
  [ -d "$WORK/app/target" ] || fail "the project was not built (see above)"
  local found
  found=$(find "$WORK/app/target" \( -name 'libgcounter*.so*' -o -name 'libgcounter*.a' -o -name 'gcounter*.dll' \))
  [ -z "$found" ] || fail "the consumer's target/ holds a C library: $found"
  # Nothing outside the build's own directories: no file or link at the top of the profile.
  found=$(find "$WORK/app/target/debug" -maxdepth 1 -name '*gcounter*' ! -name 'gcounter-app*')
  [ -z "$found" ] || fail "the crate left files in target/debug: $found"
  find "$WORK/app/target/debug" -maxdepth 2 -name '*gcounter*' | sed "s|^$WORK/||"
}

run_check crate-contents check_crate_contents
run_check build-and-run check_build_and_run
run_check target-holds-no-c-library check_target_holds_no_c_library
dist_end
