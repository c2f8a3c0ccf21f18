# shellcheck shell=bash
# Helpers for the package tests (tests/dist/*/run.sh), sourced by them: a scratch directory
# outside the repository, an environment with no path into this checkout, and checks that
# count into the closing line "dist-NAME: N passed, N failed".
#
#   dist_begin NAME       makes WORK (mktemp -d, removed at exit unless KEEP_WORK=1)
#   run_check NAME FUNC   runs FUNC in a subshell with set -e, its output kept in a log shown
#                         only when it fails
#   dist_end              prints the closing line; returns non-zero when a check failed
#   clean_env CMD...      runs CMD with no variable that could point a compiler, a linker or
#                         the loader at this checkout

ROOT=${ROOT:-$PWD}
passed=0
failed=0

dist_begin() {
  DIST_NAME=$1
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gcounter-$1.XXXXXX")
  case "$WORK/" in
    "$ROOT"/*) echo "$1: the scratch directory $WORK is inside the repository" >&2; exit 1 ;;
  esac
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "$1: working in $WORK (kept)"; else trap 'rm -rf "$WORK"' EXIT; fi
}

run_check() {
  local name=$1 log="$WORK/$1.log" status
  # Not in an `if`: bash ignores set -e in the whole of an if's condition.
  ( set -e; "$2" ) >"$log" 2>&1
  status=$?
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    sed 's/^/     | /' "$log"
  fi
}

dist_end() {
  echo "$DIST_NAME: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

fail() { echo "$*" >&2; return 1; }

clean_env() {
  env -u LD_LIBRARY_PATH -u LIBRARY_PATH -u CPATH -u C_INCLUDE_PATH -u CPLUS_INCLUDE_PATH \
      -u PKG_CONFIG_PATH -u CMAKE_PREFIX_PATH -u CGO_CFLAGS -u CGO_LDFLAGS -u CARGO_TARGET_DIR \
      -u RUSTFLAGS -u GCOUNTER_LIB "$@"
}

# The dynamic section of an ELF file: NEEDED entries, RUNPATH/RPATH values.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
search_paths() { readelf -d "$1" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p'; }

# Fails when an ELF file has a run-time search path into this checkout.
no_path_into_checkout() {
  local paths
  paths=$(search_paths "$1")
  ! grep -qF "$ROOT" <<<"$paths" || fail "$1 has a search path into the checkout: $paths"
}
