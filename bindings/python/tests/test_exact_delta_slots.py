"""The exact total, the delta a given peer lacks, and the slots in canonical order."""

from __future__ import annotations

import random
import threading

import pytest

import gcounter._counter as counter_module
from gcounter import U64_MAX, GCounter, MutableGCounter, Order

COUNTERS = [GCounter, MutableGCounter]

# Ids whose UTF-8 byte order differs from naive expectations: NUL bytes, the empty id,
# non-ASCII letters, a character outside the BMP, upper case before lower case.
AWKWARD_IDS = ["b", "a", "", "a\x00", "a\x00b", "\x00", "é", "z", "Z", "日本", "\U0001f600", "ab"]


def utf8_order(ids):
    return sorted(ids, key=lambda agent_id: agent_id.encode("utf-8"))


def random_counts(rng: random.Random, agents: list[str]) -> dict[str, int]:
    return {agent: rng.choice([0, 1, 2, 5, 2**40, U64_MAX]) for agent in rng.sample(agents, rng.randint(0, len(agents)))}


# ----------------------------------------------------------------------
# value(): exact through the library
# ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", COUNTERS)
def test_two_agents_at_the_maximum_sum_past_64_bits(cls):
    c = cls({"a": U64_MAX, "b": U64_MAX})
    assert c.value() == 2 * U64_MAX == 2**65 - 2
    assert repr(c) == f"{cls.__name__}(value={2**65 - 2}, slots={{'a': {U64_MAX}, 'b': {U64_MAX}}})"


def test_in_place_increments_carry_the_total_past_64_bits():
    c = MutableGCounter()
    c.increment("a", U64_MAX)
    c.increment("b", U64_MAX)
    c.increment("c")
    assert c.value() == 2 * U64_MAX + 1
    assert c.value() > U64_MAX


def test_value_below_64_bits_and_of_an_empty_counter():
    assert GCounter().value() == 0
    assert GCounter({"a": U64_MAX}).value() == U64_MAX
    assert GCounter({"a": U64_MAX - 1, "b": 1}).value() == U64_MAX
    assert GCounter({"a": U64_MAX, "b": 1}).value() == 2**64


@pytest.mark.parametrize("cls", COUNTERS)
def test_value_items_and_repr_need_no_json(cls, monkeypatch):
    c = cls({"a": U64_MAX, "b": 3})

    def no_json(*args):
        raise AssertionError("gcounter_to_json called")

    monkeypatch.setattr(counter_module, "_to_json", no_json)
    assert c.value() == U64_MAX + 3
    assert c.items() == [("a", U64_MAX), ("b", 3)]
    assert repr(c) == f"{cls.__name__}(value={U64_MAX + 3}, slots={{'a': {U64_MAX}, 'b': 3}})"


# ----------------------------------------------------------------------
# delta_for(peer)
# ----------------------------------------------------------------------


@pytest.mark.parametrize("run", range(20))
def test_delta_for_is_minimal_and_joins_like_the_whole_counter(run):
    rng = random.Random(run)
    agents = [f"agent-{i}" for i in range(12)] + ["", "a\x00b", "é"]
    mine_counts, peer_counts = random_counts(rng, agents), random_counts(rng, agents)
    for mine_cls in COUNTERS:
        for peer_cls in COUNTERS:
            mine, peer = mine_cls(mine_counts), peer_cls(peer_counts)
            delta = mine.delta_for(peer)
            assert type(delta) is GCounter
            # Minimal: exactly the slots where mine counts more, with mine's count.
            expected = {a: n for a, n in mine_counts.items() if n > peer_counts.get(a, 0)}
            assert delta.to_dict() == dict(sorted(expected.items(), key=lambda kv: kv[0].encode()))
            # Joined into a copy of the peer, it gives what the whole counter gives.
            assert GCounter(peer_counts).join(delta).equivalent(GCounter(peer_counts).join(mine))
            # Empty exactly when mine has nothing the peer lacks.
            assert (delta.agent_count() == 0) is (mine.compare(peer) in (Order.EQUAL, Order.LESS))
            # Neither side changes.
            assert mine.to_dict() == GCounter(mine_counts).to_dict()
            assert peer.to_dict() == GCounter(peer_counts).to_dict()


def test_delta_for_when_less_equal_or_itself_is_empty():
    small, big = GCounter({"a": 1}), GCounter({"a": 2, "b": 1})
    assert small.compare(big) is Order.LESS
    assert small.delta_for(big).to_dict() == {}
    assert big.delta_for(GCounter({"a": 2, "b": 1})).to_dict() == {}
    assert big.delta_for(big).to_dict() == {}
    assert GCounter().delta_for(big).to_dict() == {}
    assert big.delta_for(small).to_json() == '{"a":2,"b":1}'
    assert big.delta_for(GCounter()).equivalent(big)


def test_delta_for_leaves_both_delta_records_alone():
    mine = MutableGCounter({"a": 5})
    mine.increment("b", 2)
    peer = MutableGCounter({"a": 1})
    peer.increment("c")
    assert mine.delta_for(peer).to_dict() == {"a": 5, "b": 2}
    assert peer.delta_for(mine).to_dict() == {"c": 1}
    assert mine.take_delta().to_dict() == {"b": 2}
    assert peer.take_delta().to_dict() == {"c": 1}
    # The delta is a fresh counter: what it holds is state, not a record.
    delta = mine.delta_for(peer)
    assert delta.to_mutable().take_delta().to_dict() == {}


def test_anti_entropy_over_the_wire_sends_only_what_the_peer_lacks():
    fleet = {f"agent-{i:03d}": i + 1 for i in range(200)}
    mine = MutableGCounter(fleet)
    theirs = MutableGCounter(fleet)
    mine.increment("agent-007", 3)
    theirs.increment("agent-150")
    reply = mine.delta_for(GCounter.from_json(theirs.to_json()))
    assert reply.to_json() == '{"agent-007":11}'
    theirs.join_json(reply.to_json())
    mine.join(theirs)
    assert theirs.compare(mine) is Order.EQUAL


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("peer", [None, {"a": 1}, "{}", 3])
def test_delta_for_refuses_a_non_counter(cls, peer, seed):
    with pytest.raises(TypeError, match="expected a GCounter or MutableGCounter"):
        cls({"a": 1}).delta_for(peer)
    with pytest.raises(TypeError):
        cls({"a": 1}).delta_for(seed.GCounter({"a": 1}))


# ----------------------------------------------------------------------
# items(): the slots in canonical order
# ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", COUNTERS)
def test_items_are_in_utf8_byte_order_with_nul_and_non_ascii_ids(cls):
    counts = {agent_id: i + 1 for i, agent_id in enumerate(AWKWARD_IDS)}
    c = cls(counts)
    pairs = c.items()
    assert [agent_id for agent_id, _ in pairs] == utf8_order(AWKWARD_IDS)
    assert pairs == [(agent_id, counts[agent_id]) for agent_id in utf8_order(AWKWARD_IDS)]
    assert all(type(agent_id) is str and type(count) is int for agent_id, count in pairs)
    assert list(c.to_dict().items()) == pairs
    assert pairs == sorted(counts.items())  # str order is the same as UTF-8 byte order


def test_items_leave_out_zero_slots_and_are_empty_for_an_empty_counter():
    assert GCounter().items() == []
    assert GCounter({"a": 0, "b": 2}).items() == [("b", 2)]
    assert GCounter({"a": U64_MAX}).items() == [("a", U64_MAX)]


def test_items_read_like_the_seeds_to_dict_items(seed):
    counts = {"agent-2": 2, "agent-1": 1, "agent-3": 7}
    ours = [pair for pair in GCounter(counts).items()]
    theirs = sorted(seed.GCounter(counts).to_dict().items())
    assert ours == theirs
    for agent_id, count in GCounter(counts).items():
        assert counts[agent_id] == count


def test_items_are_a_snapshot_that_later_changes_do_not_touch():
    c = MutableGCounter({"b": 1})
    pairs = c.items()
    c.increment("a")
    c.increment("b")
    assert pairs == [("b", 1)]
    assert c.items() == [("a", 1), ("b", 2)]


@pytest.mark.parametrize("cls", COUNTERS)
def test_a_counter_is_not_iterable_as_the_seeds_is_not(cls, seed):
    # Iterating a mapping-like object yields its keys in Python, and `in` falls back to
    # iteration: pairs from __iter__ would make `"a" in c` silently False. items() says it.
    for counter in (cls({"a": 1}), seed.GCounter({"a": 1})):
        with pytest.raises(TypeError):
            iter(counter)
        with pytest.raises(TypeError):
            "a" in counter  # noqa: B015


def test_items_after_an_in_place_join_and_a_new_agent_come_out_sorted_again():
    c = MutableGCounter({"m": 1})
    c.increment("z")
    c.join(GCounter({"a": 3, "m": 4}))
    c.increment("b")
    assert c.items() == [("a", 3), ("b", 1), ("m", 4), ("z", 1)]


# ----------------------------------------------------------------------
# Closed counters and threads
# ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", COUNTERS)
def test_the_new_calls_on_a_closed_counter_are_value_errors(cls):
    c, live = cls({"a": 1}), cls({"a": 1})
    c.close()
    for call in (c.items, c.value, lambda: c.delta_for(live), lambda: live.delta_for(c)):
        with pytest.raises(ValueError, match=f"closed {cls.__name__}"):
            call()
    assert live.items() == [("a", 1)]


def test_a_walk_never_sees_a_half_made_change():
    # One thread adds agents in falling id order, so each new one moves every slot up by one;
    # a walk on another thread must see, whatever the moment, the last ids in order, complete.
    counter = MutableGCounter()
    agents = [f"agent-{i:05d}" for i in range(2000)]
    done = threading.Event()
    failures: list[str] = []

    def walk() -> None:
        while not done.is_set():
            pairs = counter.items()
            if pairs != [(agent, 1) for agent in agents[len(agents) - len(pairs):]]:
                failures.append(f"torn walk of {len(pairs)} slots")
                return

    walkers = [threading.Thread(target=walk, daemon=True) for _ in range(3)]
    for walker in walkers:
        walker.start()
    try:
        for agent in reversed(agents):
            counter.increment(agent)
    finally:
        done.set()
        for walker in walkers:
            walker.join(60)
    assert not any(walker.is_alive() for walker in walkers)
    assert failures == []
    assert counter.items() == [(agent, 1) for agent in agents]
