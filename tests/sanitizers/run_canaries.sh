#!/usr/bin/env bash
# Runs each mistake of canary.c and checks that the sanitizers report it; then the clean run,
# which must pass silently. Usage: run_canaries.sh <canary binary>
set -u
canary=$1
passed=0
failed=0

# expect MODE PATTERN...: the run fails and its report holds every PATTERN.
expect() {
  local mode=$1 output status pattern missing=""
  shift
  output=$("$canary" "$mode" 2>&1)
  status=$?
  for pattern in "$@"; do
    grep -qF -- "$pattern" <<<"$output" || missing="$missing '$pattern'"
  done
  if [ "$status" -ne 0 ] && [ -z "$missing" ]; then
    passed=$((passed + 1))
    echo "canary $mode: reported as expected ($1)"
  else
    failed=$((failed + 1))
    echo "canary $mode: NOT reported as expected (exit $status, missing:$missing); its output:"
    echo "$output"
  fi
}

expect leak "ERROR: LeakSanitizer: detected memory leaks" "gcounter_new"
expect overflow "ERROR: AddressSanitizer: heap-buffer-overflow" "canary.c"
expect ubsan "runtime error: signed integer overflow"

if output=$("$canary" clean 2>&1) && [ -z "$output" ]; then
  passed=$((passed + 1))
  echo "canary clean: no report"
else
  failed=$((failed + 1))
  echo "canary clean: unexpected failure or report:"
  echo "$output"
fi

echo "canaries: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
