"""Benchmark: the gcounter binding against the pure-Python seed module it replaces.

Run from the repository root::

    make bench-python
    # or: PYTHONPATH=bindings/python python3 bindings/python/bench/bench_vs_seed.py [--repeat 7]

Each case runs the same work through the seed's ``GCounter`` and through this package, several
times (``--repeat``, after an automatic choice of loop count, as ``timeit`` does; the loops of
the two alternate), and prints
the median time per operation of each and the speed-up (seed time / binding time). Times are
the process's CPU time by default (``--clock wall`` for elapsed time): on a machine shared with
other work, CPU time is what stays comparable between runs.
Targets from the project's requirements are marked where they apply.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Callable, NamedTuple

REPO_ROOT = Path(__file__).resolve().parents[3]
SEED_PATH = REPO_ROOT.parent / "shared" / "seed" / "g_counter.py"

import gcounter  # noqa: E402
from gcounter import GCounter, MutableGCounter  # noqa: E402


def load_seed():
    if not SEED_PATH.is_file():
        sys.exit(f"bench: the seed module g_counter.py is not at {SEED_PATH} (shared/ beside the repository)")
    spec = importlib.util.spec_from_file_location("g_counter_seed", SEED_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Case(NamedTuple):
    name: str
    seed: Callable[[], object]
    ours: Callable[[], object]
    target: float | None = None  # minimum speed-up required


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def median_seconds(cases: list[Callable[[], object]], repeat: int, clock: Callable[[], float]) -> list[float]:
    """Median time of one call of each of ``cases`` over ``repeat`` timed loops of >= 0.2 s.

    The loops of the cases alternate, so that a change in the machine's load hits them alike.
    """
    timers = [timeit.Timer(work, timer=clock) for work in cases]
    numbers = [timer.autorange()[0] for timer in timers]
    times: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat):
        for timer, number, samples in zip(timers, numbers, times):
            samples.append(timer.timeit(number) / number)
    return [statistics.median(samples) for samples in times]


def round_robin(agents: list[str], step: Callable[[str], None]) -> Callable[[], None]:
    """A callable that applies ``step`` to the next agent in turn, so every call costs the same."""
    position = [0]
    count = len(agents)

    def work() -> None:
        index = position[0]
        step(agents[index])
        position[0] = index + 1 if index + 1 < count else 0

    return work


def build_cases(seed) -> list[Case]:
    agents_1k = [f"agent-{i:04d}" for i in range(1_000)]
    start_1k = {agent: 1 for agent in agents_1k}

    # Seed-style increments replace the counter each time: keep the latest in a one-slot box.
    seed_box = [seed.GCounter(start_1k)]
    ours_box = [GCounter(start_1k)]
    live = MutableGCounter(start_1k)

    def seed_increment(agent: str) -> None:
        seed_box[0] = seed_box[0].increment(agent)

    def ours_increment(agent: str) -> None:
        ours_box[0] = ours_box[0].increment(agent)

    # Two replicas of one 100k-agent fleet: the same agents, each replica ahead on half of them.
    left = {f"agent-{i:06d}": i + 1 for i in range(100_000)}
    right = {agent: count + (1 if i % 2 else -1) for i, (agent, count) in enumerate(left.items())}
    seed_left, seed_right = seed.GCounter(left), seed.GCounter(right)
    ours_left, ours_right = GCounter(left), GCounter(right)
    live_left = MutableGCounter(left)
    # Two 100k-agent counters that share only half their agents (the join has 150k).
    shifted = {f"agent-{i:06d}": 2 * i + 1 for i in range(50_000, 150_000)}
    seed_shifted, ours_shifted = seed.GCounter(shifted), GCounter(shifted)

    text_100k = ours_left.to_json()
    seed_text_100k = json.dumps(seed_left.to_dict())

    # Anti-entropy: a replica that knows its peer's state, 1% of the slots ahead of it.
    ahead = {agent: count + (1 if i % 100 == 0 else 0) for i, (agent, count) in enumerate(left.items())}
    seed_ahead, ours_ahead = seed.GCounter(ahead), GCounter(ahead)

    def seed_delta_for(mine, peer) -> dict[str, int]:  # what a seed user writes for it
        theirs = peer.to_dict()
        return {agent: count for agent, count in mine.to_dict().items() if count > theirs.get(agent, 0)}

    return [
        Case("increment, 1k agents, returns a new counter", round_robin(agents_1k, seed_increment),
             round_robin(agents_1k, ours_increment)),
        Case("increment, 1k agents, in place (MutableGCounter)", round_robin(agents_1k, seed_increment),
             round_robin(agents_1k, live.increment), target=10),
        Case("join, 100k agents, same agents -> new counter", lambda: seed_left.join(seed_right),
             lambda: ours_left.join(ours_right), target=50),
        Case("join, 100k agents, half shared -> new counter", lambda: seed_left.join(seed_shifted),
             lambda: ours_left.join(ours_shifted), target=50),
        Case("join, 100k agents, same agents, in place", lambda: seed_left.join(seed_right),
             lambda: live_left.join(ours_right)),
        Case("from JSON, 100k agents", lambda: seed.GCounter.from_dict(json.loads(seed_text_100k)),
             lambda: GCounter.from_json(text_100k)),
        Case("to JSON, 100k agents", lambda: json.dumps(seed_left.to_dict()), ours_left.to_json),
        Case("from_dict, 100k agents", lambda: seed.GCounter.from_dict(left), lambda: GCounter.from_dict(left)),
        Case("to_dict, 100k agents", seed_left.to_dict, ours_left.to_dict),
        Case("items(), 100k agents (seed: to_dict().items())", lambda: list(seed_left.to_dict().items()),
             ours_left.items),
        Case("delta_for, 100k agents, 1% ahead (seed: a dict)", lambda: seed_delta_for(seed_ahead, seed_left),
             lambda: ours_ahead.delta_for(ours_left)),
        Case("value, 100k agents", seed_left.value, ours_left.value),
    ]


def format_time(seconds: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:8.2f} {unit}"
    return f"{seconds / 1e-9:8.1f} ns"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed loops per case (median of them)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time, steady on a shared machine (default); wall: elapsed")
    args = parser.parse_args()

    seed = load_seed()
    print(f"gcounter {gcounter.__version__} with libgcounter {gcounter.library_version()} "
          f"({gcounter.library_path})")
    print(f"Python {platform.python_version()} on {platform.machine()}; {args.clock} time, median of {args.repeat} runs; "
          "speed-up = seed time / binding time\n")
    header = f"{'case':<50} {'seed':>11} {'gcounter':>11} {'speed-up':>9}  target"
    print(header)
    print("-" * len(header))
    missed = []
    for case in build_cases(seed):
        seed_time, ours_time = median_seconds([case.seed, case.ours], args.repeat, CLOCKS[args.clock])
        ratio = seed_time / ours_time
        verdict = ""
        if case.target is not None:
            met = ratio >= case.target
            verdict = f">= {case.target:g}x {'met' if met else 'MISSED'}"
            if not met:
                missed.append(case.name)
        shown = f"{ratio:8.1f}x" if ratio >= 1 else f"{ratio:8.3f}x"
        print(f"{case.name:<50} {format_time(seed_time)} {format_time(ours_time)} {shown}  {verdict}",
              flush=True)
    print()
    print("all targets met" if not missed else "targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
