#!/usr/bin/env python3
"""A replica of the convergence example in Python, over the gcounter binding (ctypes).

Usage: replica.py DIR SEED, then commands on standard input (see ../coordinator.py).
"""

import os
import random
import sys

from gcounter import InvalidJsonError, MutableGCounter


def drain(counter, inbox):
    """Joins every message in the inbox, in name order; returns how many were refused."""
    refused = 0
    for name in sorted(os.listdir(inbox)):
        if name.startswith("."):
            continue
        path = os.path.join(inbox, name)
        with open(path, "rb") as file:
            message = file.read()
        os.remove(path)
        try:
            counter.join_json(message)
        except InvalidJsonError:
            refused += 1  # cut short in transit; the counter is unchanged
    return refused


def send(outbox, name, payload):
    """Writes a message atomically: to a hidden name, then renamed."""
    temporary = os.path.join(outbox, "." + name)
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(payload)
    os.rename(temporary, os.path.join(outbox, name))


def main(directory, seed):
    with open(os.path.join(directory, "agent_id"), encoding="utf-8") as file:
        agent_id = file.read()
    inbox, outbox = os.path.join(directory, "inbox"), os.path.join(directory, "outbox")
    rng = random.Random(seed)
    own = refused = 0
    with MutableGCounter() as counter:
        for line in sys.stdin:
            command = line.split()
            if command[0] == "quit":
                break
            refused += drain(counter, inbox)
            if command[0] == "round":
                for _ in range(rng.randrange(4)):
                    by = rng.randrange(1, 10)
                    counter.increment(agent_id, by)
                    own += by
                if rng.randrange(4) == 0:
                    payload = counter.to_json()  # the full state
                else:
                    with counter.take_delta() as delta:  # what rose since the last delta
                        payload = delta.to_json()
                send(outbox, f"{int(command[1]):04d}.json", payload)
            elif command[0] == "final":
                send(outbox, "final.json", counter.to_json())
            elif command[0] == "report":
                with open(os.path.join(directory, "state.json"), "w", encoding="utf-8") as file:
                    file.write(counter.to_json())
            print(f"ok {own} {counter.value()} {refused}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
