#!/usr/bin/env python3
"""Runs each test suite (`make test-NAME`) and sums their tests into one closing line.

Each suite's output streams as it runs; its runner's own summary is read to count tests:
cargo, GoogleTest, go test -v, Maven Surefire, pytest, minitest, or a plain
"N passed, N failed" line. A suite whose output has none of these counts as one check,
passed or failed by its exit status, and a suite that exits non-zero always counts as failed
even if its runner reported no failing test.
"""

import re
import subprocess
import sys
import time


def count(output):
    """(passed, failed) from a runner's output, or None if no runner summary is in it."""
    cargo = re.findall(r"^test result: \w+\. (\d+) passed; (\d+) failed", output, re.M)
    if cargo:
        return sum(int(p) for p, _ in cargo), sum(int(f) for _, f in cargo)
    gtest_passed = re.findall(r"^\[  PASSED  \] (\d+) tests?", output, re.M)
    if gtest_passed:
        gtest_failed = re.findall(r"^\[  FAILED  \] (\d+) tests?, listed below", output, re.M)
        return sum(map(int, gtest_passed)), sum(map(int, gtest_failed))
    go_passed = len(re.findall(r"^\s*--- PASS: ", output, re.M))
    go_failed = len(re.findall(r"^\s*--- FAIL: ", output, re.M))
    if go_passed or go_failed:
        return go_passed, go_failed
    surefire = re.findall(
        r"^(?:\[\w+\] )?Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)$",
        output, re.M)
    if surefire:
        # One summary per Maven run (the Java suite runs once per JDK): sum them all.
        totals = [sum(int(row[i]) for row in surefire) for i in range(4)]
        run, failures, errors, skipped = totals
        return run - failures - errors - skipped, failures + errors
    minitest = re.findall(
        r"^(\d+) runs, \d+ assertions, (\d+) failures, (\d+) errors, (\d+) skips", output, re.M)
    if minitest:
        runs, failures, errors, skips = map(int, minitest[-1])
        return runs - failures - errors - skips, failures + errors
    pytest = re.findall(r"^(?:=+ )?(\d+ (?:passed|failed|error).*?) in [\d.]+s", output, re.M)
    if pytest:
        tally = dict((k, int(n)) for n, k in re.findall(r"(\d+) (passed|failed|error)", pytest[-1]))
        return tally.get("passed", 0), tally.get("failed", 0) + tally.get("error", 0)
    plain = re.findall(r"^(?:[\w-]+: )?(\d+) passed, (\d+) failed", output, re.M)
    if plain:
        return sum(int(p) for p, _ in plain), sum(int(f) for _, f in plain)
    return None


def run(suite):
    started = time.monotonic()
    print(f"\n===== suite {suite}: make test-{suite} =====", flush=True)
    process = subprocess.Popen(
        ["make", "--no-print-directory", f"test-{suite}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    status = process.wait()
    tally = count("".join(lines))
    if tally is None:
        tally = (1, 0) if status == 0 else (0, 1)
    passed, failed = tally
    if status != 0 and failed == 0:
        failed = 1
    return suite, passed, failed, status, time.monotonic() - started


def main(suites):
    if not suites:
        print("run_suites.py: no suite named", file=sys.stderr)
        return 2
    results = [run(suite) for suite in suites]
    print("\n===== summary =====")
    for suite, passed, failed, status, seconds in results:
        verdict = "ok" if status == 0 and failed == 0 else f"FAILED (exit {status})"
        print(f"{suite:<12} {passed:>6} passed {failed:>4} failed {seconds:>7.1f}s  {verdict}")
    total_passed = sum(r[1] for r in results)
    total_failed = sum(r[2] for r in results)
    print(f"{total_passed} passed, {total_failed} failed")
    return 0 if total_failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
