"""Random operation sequences, checked at every step against a dict model and the seed itself."""

from __future__ import annotations

import json
import random

import pytest

from gcounter import GCounter, MutableGCounter, Order, U64_MAX

AGENTS = ["agent-1", "agent-2", "agent-3", "", "é", "日本", "😀", "a\x00b", 'q"\\', "\n", "x" * 40]
REPLICAS = 3
STEPS = 150


def random_amount(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.6:
        return rng.randint(1, 5)
    if roll < 0.85:
        return rng.randint(1, 10**9)
    if roll < 0.95:
        return rng.randint(2**62, 2**63)
    return rng.randint(U64_MAX - 2**20, U64_MAX)  # soon overflows its slot


def model_join(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {agent: max(a.get(agent, 0), b.get(agent, 0)) for agent in a.keys() | b.keys()}


def model_order(a: dict[str, int], b: dict[str, int]) -> Order:
    agents = a.keys() | b.keys()
    less = any(a.get(x, 0) < b.get(x, 0) for x in agents)
    greater = any(a.get(x, 0) > b.get(x, 0) for x in agents)
    return {
        (False, False): Order.EQUAL,
        (True, False): Order.LESS,
        (False, True): Order.GREATER,
        (True, True): Order.CONCURRENT,
    }[less, greater]


def check_counter(seed, ours, theirs, model: dict[str, int], rng: random.Random) -> None:
    """``ours`` holds exactly ``model``, as the seed counter ``theirs`` does."""
    expected = dict(sorted((agent, count) for agent, count in model.items() if count))
    slots = ours.to_dict()
    assert slots == expected == theirs.to_dict()
    assert list(slots) == list(expected)  # sorted by agent id
    assert ours.value() == theirs.value() == sum(expected.values())
    agent = rng.choice(AGENTS)
    assert ours.value_for(agent) == theirs.value_for(agent) == model.get(agent, 0)
    assert ours.agent_count() == len(expected)
    assert ours.to_json() == json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
    shown = repr(seed.GCounter(expected))  # the seed's repr of the same slots, in sorted order
    assert repr(ours) == shown.replace("GCounter(", f"{type(ours).__name__}(", 1)


def check_pair(ours_a, ours_b, theirs_a, theirs_b, model_a, model_b) -> None:
    same = model_order(model_a, model_b) is Order.EQUAL
    assert ours_a.equivalent(ours_b) is theirs_a.equivalent(theirs_b) is same
    assert ours_a.compare(ours_b) is model_order(model_a, model_b)
    assert ours_b.compare(ours_a) is model_order(model_b, model_a)


@pytest.mark.parametrize("run", range(12))
def test_immutable_counters_follow_the_seed_and_a_dict_model(seed, run):
    rng = random.Random(run)
    ours = [GCounter() for _ in range(REPLICAS)]
    theirs = [seed.GCounter() for _ in range(REPLICAS)]
    model: list[dict[str, int]] = [{} for _ in range(REPLICAS)]
    for _ in range(STEPS):
        i, j = rng.randrange(REPLICAS), rng.randrange(REPLICAS)
        before, before_json = ours[i], ours[i].to_json()
        op = rng.choice(["increment"] * 4 + ["join", "join_json", "json", "dict"])
        if op == "increment":
            agent, by = rng.choice(AGENTS), random_amount(rng)
            if model[i].get(agent, 0) + by > U64_MAX:
                with pytest.raises(OverflowError):
                    ours[i].increment(agent, by)
            else:
                ours[i] = ours[i].increment(agent, by)
                theirs[i] = theirs[i].increment(agent, by)
                model[i][agent] = model[i].get(agent, 0) + by
        elif op == "join":
            ours[i] = ours[i].join(ours[j])
            theirs[i] = theirs[i].join(theirs[j])
            model[i] = model_join(model[i], model[j])
        elif op == "join_json":
            ours[i] = ours[i].join_json(json.dumps(theirs[j].to_dict()))
            theirs[i] = theirs[i].join(theirs[j])
            model[i] = model_join(model[i], model[j])
        elif op == "json":
            ours[i] = GCounter.from_json(ours[i].to_json())
            theirs[i] = seed.GCounter.from_dict(json.loads(json.dumps(theirs[i].to_dict())))
        else:
            ours[i] = GCounter.from_dict(theirs[i].to_dict())
        assert before.to_json() == before_json  # the old counter never changes
        check_counter(seed, ours[i], theirs[i], model[i], rng)
        check_pair(ours[i], ours[j], theirs[i], theirs[j], model[i], model[j])


@pytest.mark.parametrize("run", range(12))
def test_mutable_replicas_shipping_deltas_follow_the_seed_and_a_dict_model(seed, run):
    rng = random.Random(1000 + run)
    ours = [MutableGCounter() for _ in range(REPLICAS)]
    theirs = [seed.GCounter() for _ in range(REPLICAS)]
    model: list[dict[str, int]] = [{} for _ in range(REPLICAS)]
    dirty: list[set[str]] = [set() for _ in range(REPLICAS)]  # the delta record of each replica
    in_flight: list[tuple[int, GCounter, dict[str, int]]] = []

    def join_into(k: int, slots: dict[str, int]) -> None:
        dirty[k].update(agent for agent, count in slots.items() if count > model[k].get(agent, 0))
        model[k] = model_join(model[k], slots)
        theirs[k] = theirs[k].join(seed.GCounter(slots))

    for _ in range(STEPS):
        i, j = rng.randrange(REPLICAS), rng.randrange(REPLICAS)
        op = rng.choice(["increment"] * 4 + ["join", "join_json", "take_delta", "deliver"])
        if op == "increment":
            agent, by = rng.choice(AGENTS), random_amount(rng)
            if model[i].get(agent, 0) + by > U64_MAX:
                with pytest.raises(OverflowError):
                    ours[i].increment(agent, by)
            else:
                assert ours[i].increment(agent, by) is None
                theirs[i] = theirs[i].increment(agent, by)
                model[i][agent] = model[i].get(agent, 0) + by
                dirty[i].add(agent)
        elif op == "join":
            ours[i].join(ours[j])
            join_into(i, dict(model[j]))
        elif op == "join_json":
            ours[i].join_json(ours[j].to_json())
            join_into(i, dict(model[j]))
        elif op == "take_delta":
            delta = ours[i].take_delta()
            expected = {agent: model[i][agent] for agent in dirty[i]}
            assert delta.to_dict() == dict(sorted(expected.items()))
            dirty[i].clear()
            in_flight.append((rng.randrange(REPLICAS), delta, expected))
        elif in_flight:
            k, delta, expected = in_flight.pop(rng.randrange(len(in_flight)))
            ours[k].join(delta)
            join_into(k, expected)
            if rng.random() < 0.3:  # delivered again later: joins are idempotent
                in_flight.append((k, delta, expected))
        check_counter(seed, ours[i], theirs[i], model[i], rng)
        check_pair(ours[i], ours[j], theirs[i], theirs[j], model[i], model[j])

    # Everyone exchanges full state: all replicas converge to the join of all models.
    everything: dict[str, int] = {}
    for slots in model:
        everything = model_join(everything, slots)
    for counter in ours:
        for other in ours:
            counter.join(other)
    for counter in ours:
        assert counter.to_dict() == dict(sorted((a, c) for a, c in everything.items() if c))
