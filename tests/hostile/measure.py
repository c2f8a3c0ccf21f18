#!/usr/bin/env python3
"""Measures libgcounter on hostile documents: 10^5, 10^6 and 2*10^6 agents (scaling), 100 MB
of agents, one 100 MB agent id (raw and all escapes), 100 MB of whitespace, 100 MB of nesting.
Each document is parsed by tests/hostile/measure (the C API) under /usr/bin/time -v; prints a
table of times and peak memory. Usage: measure.py MEASURE_BINARY WORK_DIR
"""

import json
import os
import random
import re
import subprocess
import sys

MB = 1 << 20


def agents(count, id_len, seed):
    rng = random.Random(seed)
    pad = "x" * max(0, id_len - 14)
    return "{" + ",".join(
        '"agent-%07d%s":%d' % (i, pad, rng.randrange(1, 1 << 40)) for i in range(count)) + "}"


def documents():
    yield "agents-1e5", lambda: agents(100_000, 14, 1)
    yield "agents-1e6", lambda: agents(1_000_000, 14, 2)
    yield "agents-2e6", lambda: agents(2_000_000, 14, 3)
    yield "agents-100MB", lambda: agents(1_100_000, 80, 4)
    yield "id-100MB", lambda: '{"' + "é" * (50 * MB) + '":1}'
    yield "id-100MB-escaped", lambda: '{"' + "\\u00e9" * (100 * MB // 6) + '":1}'
    yield "whitespace-100MB", lambda: " " * (100 * MB) + '{"a":1}'
    yield "nesting-100MB", lambda: '{"a":' + "[" * (100 * MB)


def measure(binary, path):
    run = subprocess.run(["/usr/bin/time", "-v", binary, path],
                         capture_output=True, text=True, check=True)
    result = json.loads(run.stdout)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", run.stderr)
    result["peak_rss_mb"] = int(rss.group(1)) / 1024
    result["wall"] = wall.group(1)
    return result


def main(binary, work):
    os.makedirs(work, exist_ok=True)
    print(f"{'document':<18} {'MB':>7} {'agents':>9} {'from_json':>9} {'to_json':>8} "
          f"{'join new':>8} {'join same':>9} {'peak RSS':>9}  result")
    for name, make in documents():
        path = os.path.join(work, name + ".json")
        with open(path, "w", encoding="utf-8") as file:
            file.write(make())
        r = measure(binary, path)
        os.remove(path)
        if r["status"] == "ok":
            verdict = "ok" if r["joins_ok"] == "true" or r["joins_ok"] is True else "JOIN MISMATCH"
            print(f"{name:<18} {r['bytes'] / MB:>7.1f} {r['agents']:>9} {r['from_json_s']:>8.3f}s "
                  f"{r['to_json_s']:>7.3f}s {r['join_json_empty_s']:>7.3f}s "
                  f"{r['join_json_same_s']:>8.3f}s {r['peak_rss_mb']:>7.0f}MB  {verdict}")
        else:
            print(f"{name:<18} {r['bytes'] / MB:>7.1f} {'-':>9} {r['from_json_s']:>8.3f}s "
                  f"{'-':>8} {'-':>8} {'-':>9} {r['peak_rss_mb']:>7.0f}MB  "
                  f"{r['status']}: {r['message']}")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
