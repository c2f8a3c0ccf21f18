"""Two replicas of one counter, each counting its own agent, syncing over a (simulated) wire.

Run from the repository root:  make demo-python
(or: PYTHONPATH=bindings/python python3 bindings/python/examples/sync.py)
"""

from gcounter import GCounter, MutableGCounter, Order


def main() -> None:
    # Seed-style: immutable counters, every operation returns a new one.
    a = GCounter().increment("agent-a").increment("agent-a", 2)
    b = GCounter().increment("agent-b", 4)
    print("a:", a)
    print("b:", b)
    print("a vs b:", a.compare(b).name)  # CONCURRENT: each has what the other lacks

    # Full-state sync: send the JSON, join it on the other side.
    wire = b.to_json()
    a = a.join_json(wire)
    print("a after joining b's state:", a.to_json())

    # Replicas that ship only what changed: MutableGCounter updates in place and records deltas.
    replica_a = a.to_mutable()
    replica_b = MutableGCounter.from_json(a.to_json())
    with replica_a, replica_b:  # both freed at the end of the block
        replica_b.increment("agent-b")
        delta = replica_b.take_delta()  # {"agent-b": 5}: only the slot that rose
        print("delta from b:", delta.to_json())
        replica_a.join_json(delta.to_json())

        assert replica_a.compare(replica_b) is Order.EQUAL
        print(f"converged: {replica_a.to_json()} value {replica_a.value()}")


if __name__ == "__main__":
    main()
