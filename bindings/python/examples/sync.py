"""Two replicas of one counter, each counting its own agent, syncing over a (simulated) wire;
then anti-entropy in a fleet of 100 agents, replying to a peer's state with only what it lacks.

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
        for agent_id, count in replica_a.items():  # the slots, in the wire format's order
            print(f"  {agent_id}: {count}")

    # Anti-entropy: a replica that has just read its peer's whole state replies with only what
    # the peer lacks, not with everything it has.
    fleet = {f"agent-{i:03d}": 10 for i in range(100)}
    with MutableGCounter(fleet) as mine, MutableGCounter(fleet) as peer:
        mine.increment("agent-007")
        mine.increment("agent-042", 5)
        peer.increment("agent-099")
        theirs = GCounter.from_json(peer.to_json())  # what the peer sent
        reply = mine.delta_for(theirs)
        print(f"anti-entropy: sent {reply.agent_count()} of {mine.agent_count()} slots: {reply.to_json()}")
        peer.join_json(reply.to_json())
        assert peer.compare(mine) is Order.GREATER  # the peer now has all of mine, and its own
        print(f"peer value {peer.value()}, mine {mine.value()}")


if __name__ == "__main__":
    main()
