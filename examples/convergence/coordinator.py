#!/usr/bin/env python3
"""Replicas of one G-Counter in C, Go, Java, Ruby, Python and Node.js, each a separate process
using its language's binding, converge over a network that delays, duplicates, reorders,
corrupts and drops their messages.

Each replica owns one agent id. The coordinator runs rounds; in each, every replica joins the
messages in its inbox, increments its own slot a random number of times, and sends either its
full state or its delta (`take_delta`) as JSON through its outbox. The coordinator is the
network: it delivers each message to random peers, dropping some, duplicating some, holding
some back for a few rounds, cutting some short (which the receiver must refuse and survive),
and naming the files so that inboxes are read in random order. Delivery is write-then-rename,
so a replica never sees half a file.

After the last round, every late message is delivered, then one reliable round of full states
from everyone to everyone. Then every replica must hold the same canonical JSON, equal to
{agent: increments it reported}, and its value must be their sum; each must have refused
exactly the corrupted messages it was sent, and its value must never have gone down.

Replica protocol: started as `<command> DIR SEED`, the agent id in DIR/agent_id (UTF-8), the
inbox DIR/inbox and the outbox DIR/outbox; one command per line on standard input:
    round N   join the inbox, increment, write one message to the outbox; answer
              "ok OWN VALUE REJECTED" (its increments so far, its value, messages refused)
    final     join the inbox, write the full state to the outbox; answer "ok ..."
    report    join the inbox, write the canonical JSON to DIR/state.json; answer "ok ..."
    quit      free the counter and exit 0

Usage: coordinator.py --replica LANG=COMMAND ... [--seed N] [--rounds N] [--per-language N]
It prints a summary and closes with "convergence: N passed, N failed".
"""

import argparse
import json
import os
import queue
import random
import shlex
import shutil
import subprocess
import sys
import threading
import time

# Agent ids carry a letter of each language's own script, so every binding passes UTF-8 ids.
LETTERS = {"c": "ç", "go": "γ", "java": "ж", "node": "ν", "python": "π", "ruby": "ρ"}


class Replica:
    """One replica process, its directories and what it reported."""

    def __init__(self, language, index, command, work, seed):
        self.language = language
        self.name = f"{language}-{index}"
        self.agent_id = f"{language}-{LETTERS.get(language, '')}-{index}"
        self.dir = os.path.join(work, self.name)
        self.inbox = os.path.join(self.dir, "inbox")
        self.outbox = os.path.join(self.dir, "outbox")
        os.makedirs(self.inbox)
        os.makedirs(self.outbox)
        with open(os.path.join(self.dir, "agent_id"), "w", encoding="utf-8") as file:
            file.write(self.agent_id)
        self.process = subprocess.Popen(
            shlex.split(command) + [self.dir, str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.own = 0
        self.values = []
        self.rejected = 0
        self.corrupt_sent = 0

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def answer(self, deadline):
        """Reads "ok OWN VALUE REJECTED" and records it."""
        try:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise SystemExit(f"{self.name}: no answer in time") from None
        if line is None:
            raise SystemExit(f"{self.name}: exited with {self.process.wait()}")
        words = line.split()
        if len(words) != 4 or words[0] != "ok":
            raise SystemExit(f"{self.name}: unexpected answer {line!r}")
        self.own, value, self.rejected = int(words[1]), int(words[2]), int(words[3])
        self.values.append(value)


class Network:
    """Delivers messages between inboxes: late, twice, out of order, cut short, or never."""

    def __init__(self, rng, drop, duplicate, corrupt, max_delay):
        self.rng = rng
        self.drop, self.duplicate, self.corrupt, self.max_delay = drop, duplicate, corrupt, max_delay
        self.pending = []  # (due round, replica, payload, corrupted)
        self.stats = dict(sent=0, dropped=0, duplicated=0, delayed=0, corrupted=0, delivered=0)

    def collect(self, replicas, now):
        """Takes every replica's outbox and schedules its messages to random peers."""
        for sender in replicas:
            for name in sorted(os.listdir(sender.outbox)):
                if name.startswith("."):
                    continue
                path = os.path.join(sender.outbox, name)
                with open(path, "rb") as file:
                    payload = file.read()
                os.remove(path)
                peers = [r for r in replicas if r is not sender]
                for peer in self.rng.sample(peers, self.rng.randint(1, min(3, len(peers)))):
                    self.stats["sent"] += 1
                    if self.rng.random() < self.drop:
                        self.stats["dropped"] += 1
                        continue
                    copies = 2 if self.rng.random() < self.duplicate else 1
                    self.stats["duplicated"] += copies - 1
                    for _ in range(copies):
                        delay = self.rng.randint(0, self.max_delay)
                        self.stats["delayed"] += delay > 0
                        corrupted = self.rng.random() < self.corrupt
                        data = payload[:self.rng.randrange(len(payload))] if corrupted else payload
                        self.pending.append((now + 1 + delay, peer, data, corrupted))

    def deliver(self, now, everything=False):
        """Writes the messages due by round `now` into their inboxes, in random order."""
        due = [m for m in self.pending if everything or m[0] <= now]
        self.pending = [m for m in self.pending if not (everything or m[0] <= now)]
        for _, peer, data, corrupted in due:
            put(peer, data, f"{now:04d}-{self.rng.getrandbits(48):012x}.json")
            peer.corrupt_sent += corrupted
            self.stats["corrupted"] += corrupted
            self.stats["delivered"] += 1


def put(replica, data, name):
    """Atomic delivery: the replica never lists the temporary name (it starts with a dot)."""
    temporary = os.path.join(replica.inbox, "." + name)
    with open(temporary, "wb") as file:
        file.write(data)
    os.rename(temporary, os.path.join(replica.inbox, name))


def run_all(replicas, command, deadline):
    for replica in replicas:
        replica.send(command)
    for replica in replicas:
        replica.answer(deadline)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replica", action="append", required=True, metavar="LANG=COMMAND",
                        help="a language and the command that starts its replica")
    parser.add_argument("--per-language", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--drop", type=float, default=0.2)
    parser.add_argument("--duplicate", type=float, default=0.2)
    parser.add_argument("--corrupt", type=float, default=0.05)
    parser.add_argument("--max-delay", type=int, default=3)
    parser.add_argument("--work", default="build/convergence/run")
    parser.add_argument("--timeout", type=float, default=100.0, help="seconds for the whole run")
    args = parser.parse_args()

    started = time.monotonic()
    deadline = started + args.timeout
    rng = random.Random(args.seed)
    shutil.rmtree(args.work, ignore_errors=True)
    replicas = []
    for spec in args.replica:
        language, command = spec.split("=", 1)
        for index in range(1, args.per_language + 1):
            replicas.append(Replica(language, index, command, args.work, rng.getrandbits(31)))
    network = Network(rng, args.drop, args.duplicate, args.corrupt, args.max_delay)

    try:
        for round_number in range(1, args.rounds + 1):
            network.deliver(round_number)
            run_all(replicas, f"round {round_number}", deadline)
            network.collect(replicas, round_number)
        network.deliver(args.rounds + 1, everything=True)  # every late message, stale ones too
        before = {r.name: r.values[-1] for r in replicas}
        run_all(replicas, "final", deadline)
        for sender in replicas:  # one reliable exchange of full states
            [name] = [n for n in os.listdir(sender.outbox) if not n.startswith(".")]
            with open(os.path.join(sender.outbox, name), "rb") as file:
                state = file.read()
            for peer in replicas:
                if peer is not sender:
                    put(peer, state, f"final-{sender.name}.json")
        run_all(replicas, "report", deadline)
        for replica in replicas:
            replica.send("quit")
        exits = [r.process.wait(timeout=max(1, deadline - time.monotonic())) for r in replicas]
    finally:
        for replica in replicas:
            if replica.process.poll() is None:
                replica.process.kill()

    # The checks: one test per replica, and one for the agreement of all.
    expected_counts = {r.agent_id: r.own for r in replicas if r.own > 0}
    expected = json.dumps(expected_counts, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
    total = sum(r.own for r in replicas)
    states = {}
    passed = failed = 0
    print(f"\n{'replica':<10} {'agent id':<12} {'own':>6} {'value':>7} {'refused':>7} "
          f"{'cut short':>9} {'before final':>12}  result")
    for replica, code in zip(replicas, exits):
        with open(os.path.join(replica.dir, "state.json"), "rb") as file:
            states[replica.name] = file.read().decode("utf-8")
        problems = []
        if code != 0:
            problems.append(f"exit status {code}")
        if states[replica.name] != expected:
            problems.append(f"state {states[replica.name]}")
        if replica.values[-1] != total:
            problems.append(f"value {replica.values[-1]}, expected {total}")
        if replica.rejected != replica.corrupt_sent:
            problems.append(f"refused {replica.rejected} of {replica.corrupt_sent} cut messages")
        if any(b < a for a, b in zip(replica.values, replica.values[1:])):
            problems.append("its value went down")
        verdict = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print(f"{replica.name:<10} {replica.agent_id:<12} {replica.own:>6} {replica.values[-1]:>7} "
              f"{replica.rejected:>7} {replica.corrupt_sent:>9} {before[replica.name]:>12}  "
              f"{verdict}")
        passed, failed = (passed + 1, failed) if not problems else (passed, failed + 1)
    agree = len(set(states.values())) == 1
    passed, failed = (passed + 1, failed) if agree else (passed, failed + 1)
    print(f"\nnetwork: {network.stats}")
    print(f"all {len(replicas)} replicas hold the same state: {'yes' if agree else 'NO'}; "
          f"total {total}; {args.rounds} rounds in {time.monotonic() - started:.1f} s")
    print(f"state: {expected}")
    print(f"convergence: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
