#!/usr/bin/env python3
"""Prints the benchmark tables of `cargo bench --bench peers` as Markdown.

The first table: one row per operation and agent count, the median time of libgcounter (through
its C ABI), of the `crdts` crate's GCounter, and of a bare HashMap<String, u64> where that is the
floor, with the ratios and the goal each row is held to. The second: each call added in 0.2
beside what a caller would do without it, and beside crdts' nearest operation. Times are
criterion's medians, read from <criterion dir>/<operation>/<implementation>/<agents>/new/
estimates.json; memory per slot comes from <criterion dir>/memory.json, which the benchmark
writes.

Usage: scripts/bench_table.py [CRITERION_DIR]   (default: $CRITERION_HOME, else target/criterion)
"""

import json
import os
import pathlib
import sys

# (benchmark group, what the row measures)
OPERATIONS = [
    ("increment_existing", "increment, existing agent"),
    ("increment_new", "increment, new agent"),
    ("join_same", "join, same agents"),
    ("join_reordered", "join, same agents, other order"),
    ("join_disjoint", "join, disjoint agents"),
    ("join_into_empty", "join into an empty counter"),
    ("value", "value"),
    ("to_json", "to_json"),
    ("from_json", "from_json"),
    ("take_delta", "take_delta, 1/10 of slots rose"),
]

# The 0.2 calls: (title, ours, what a caller would do without the call, crdts' nearest), each
# a (benchmark group, implementation) or None.
ADDED = [
    ("delta_for, 1/100 of slots differ, peer read from JSON",
     ("delta_for", "ours"), ("to_json of the whole state", ("delta_for", "ours_to_json")),
     ("VClock::clone_without", ("delta_for", "crdts"))),
    ("delta_for, 1/100 of slots differ, peer sharing its history",
     ("delta_for", "ours_shared_history"),
     ("to_json of the whole state", ("delta_for", "ours_to_json")),
     ("VClock::clone_without", ("delta_for", "crdts"))),
    ("value_exact",
     ("value", "ours_exact"), ("value (u64)", ("value", "ours")),
     ("read (BigUint)", ("value", "crdts"))),
    ("walk all slots with slot_at",
     ("walk_slots", "ours"), ("to_json", ("to_json", "ours")),
     ("iterate the VClock", ("walk_slots", "crdts"))),
]

GB = 1e9
MB = 1e6


def goal_checks(operation, agents, row):
    """The goals of the issue for this row: a list of (text, met)."""
    speedup, over_floor, rate = row["speedup"], row["over_floor"], row["rate"]
    checks = []
    if operation == "increment_existing":
        checks.append(("<= 2x HashMap", over_floor is not None and over_floor <= 2))
        checks.append((">= 4x crdts", speedup is not None and speedup >= 4))
    elif operation == "join_same" and agents == 100_000:
        checks.append((">= 10x crdts (aim 30x)", speedup is not None and speedup >= 10))
    elif operation == "join_into_empty":
        checks.append((">= 3x crdts", speedup is not None and speedup >= 3))
    elif operation == "value" and agents == 100_000:
        checks.append((">= 1000x crdts", speedup is not None and speedup >= 1000))
    elif operation == "to_json":
        checks.append((">= 1 GB/s", rate is not None and rate >= 1 * GB))
        checks.append((">= 1.5x crdts", speedup is not None and speedup >= 1.5))
    elif operation == "from_json":
        checks.append((">= 300 MB/s", rate is not None and rate >= 300 * MB))
        checks.append((">= 2x crdts", speedup is not None and speedup >= 2))
    return checks


def median_ns(directory):
    """Criterion's median time in ns, and the bytes per iteration if it was given."""
    estimates = directory / "new" / "estimates.json"
    if not estimates.is_file():
        return None, None
    median = json.loads(estimates.read_text())["median"]["point_estimate"]
    benchmark = json.loads((directory / "new" / "benchmark.json").read_text())
    throughput = benchmark.get("throughput") or {}
    return median, throughput.get("Bytes")


def format_time(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def format_rate(bytes_per_second):
    if bytes_per_second >= GB:
        return f"{bytes_per_second / GB:.2f} GB/s"
    return f"{bytes_per_second / MB:.0f} MB/s"


def format_ratio(ratio):
    if ratio is None:
        return "-"
    return f"{ratio:.0f}x" if ratio >= 100 else f"{ratio:.3g}x"


def time_rows(root):
    rows = []
    for operation, title in OPERATIONS:
        ours_dir = root / operation / "ours"
        if not ours_dir.is_dir():
            continue
        for agents in sorted(int(p.name) for p in ours_dir.iterdir() if p.name.isdigit()):
            ours, ours_bytes = median_ns(ours_dir / str(agents))
            if ours is None:
                continue
            crdts, _ = median_ns(root / operation / "crdts" / str(agents))
            floor, _ = median_ns(root / operation / "hashmap" / str(agents))
            row = {
                "speedup": crdts / ours if crdts else None,
                "over_floor": ours / floor if floor else None,
                "rate": ours_bytes / (ours / 1e9) if ours_bytes else None,
            }
            ours_text = format_time(ours)
            if row["rate"] is not None:
                ours_text += f" ({format_rate(row['rate'])})"
            rows.append([
                title,
                f"{agents:,}",
                ours_text,
                format_time(crdts),
                format_ratio(row["speedup"]),
                format_time(floor),
                format_ratio(row["over_floor"]),
                goals_text(goal_checks(operation, agents, row)),
            ])
    return rows


def memory_rows(root):
    path = root / "memory.json"
    if not path.is_file():
        return []
    rows = []
    for agents, kinds in sorted(json.loads(path.read_text()).items(), key=lambda kv: int(kv[0])):
        agents = int(agents)
        ours = kinds["ours"]["footprint"]
        crdts = kinds["crdts"]["footprint"]
        floor = kinds["hashmap"]["footprint"]
        checks = [("<= 48 B", ours <= 48)] if agents == 1_000_000 else []
        rows.append([
            "memory per slot (heap)",
            f"{agents:,}",
            f"{ours:.1f} B",
            f"{crdts:.1f} B",
            format_ratio(crdts / ours),
            f"{floor:.1f} B",
            format_ratio(ours / floor),
            goals_text(checks),
        ])
    return rows


def added_rows(root):
    rows = []
    for title, (group, impl), (instead_name, instead), (peer_name, peer) in ADDED:
        ours_dir = root / group / impl
        if not ours_dir.is_dir():
            continue
        for agents in sorted(int(p.name) for p in ours_dir.iterdir() if p.name.isdigit()):
            ours, _ = median_ns(ours_dir / str(agents))
            if ours is None:
                continue
            other, _ = median_ns(root / instead[0] / instead[1] / str(agents))
            crdts, _ = median_ns(root / peer[0] / peer[1] / str(agents))
            rows.append([
                title,
                f"{agents:,}",
                format_time(ours),
                f"{instead_name}: {format_time(other)}",
                format_ratio(other / ours if other else None),
                f"{peer_name}: {format_time(crdts)}",
                format_ratio(crdts / ours if crdts else None),
            ])
    return rows


def markdown(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(row) for row in rows])


def goals_text(checks):
    return "; ".join(f"{text}: {'met' if met else 'MISSED'}" for text, met in checks)


def main():
    if len(sys.argv) > 1:
        root = pathlib.Path(sys.argv[1])
    else:
        root = pathlib.Path(os.environ.get("CRITERION_HOME", "target/criterion"))
    header = ["operation", "agents", "ours (C ABI)", "crdts 7.3", "crdts / ours",
              "HashMap floor", "ours / floor", "goal"]
    rows = time_rows(root) + memory_rows(root)
    added = added_rows(root)
    if not rows and not added:
        sys.exit(f"no benchmark results under {root}: run `cargo bench --bench peers` first")
    if rows:
        print(markdown(header, rows))
        missed = sum(row[-1].count("MISSED") for row in rows)
        print(f"\nTimes are criterion medians; ratios > 1x mean ours is faster (or smaller) than "
              f"crdts, and slower (or larger) than the floor. Goals missed: {missed}.")
    if added:
        if rows:
            print()
        print(markdown(["call (0.2)", "agents", "ours (C ABI)", "without it", "without / ours",
                        "crdts 7.3", "crdts / ours"], added))
        print("\nEach 0.2 call beside what a caller does without it and beside crdts' nearest "
              "operation; ratios > 1x mean the call is that many times faster.")


if __name__ == "__main__":
    main()
