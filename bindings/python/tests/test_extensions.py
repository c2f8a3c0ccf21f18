"""Beyond the seed: JSON, deltas, compare, agent_count, the in-place MutableGCounter."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gcounter
from gcounter import GCounter, MutableGCounter, Order, U64_MAX

AWKWARD_IDS = ["", "a", "é", "日本", "😀", "a\x00b", 'quote"', "back\\slash", "\n\t\x01\x1f", "\x7f", "z" * 300]


def canonical(slots: dict[str, int]) -> str:
    """The wire format as API.md defines it, written by Python's json module."""
    nonzero = {agent_id: count for agent_id, count in slots.items() if count}
    return json.dumps(nonzero, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_to_json_is_the_canonical_wire_format():
    slots = {agent_id: i + 1 for i, agent_id in enumerate(AWKWARD_IDS)}
    slots["max"] = U64_MAX
    slots["zero"] = 0
    c = GCounter(slots)
    assert c.to_json() == canonical(slots)
    assert GCounter().to_json() == "{}"
    assert isinstance(c.to_json(), str)


def test_equivalent_counters_serialise_to_the_same_text():
    a = GCounter().increment("b").increment("a", 2)
    b = GCounter({"a": 2}).join(GCounter({"b": 1, "c": 0}))
    assert a.to_json() == b.to_json() == '{"a":2,"b":1}'


@pytest.mark.parametrize("wrap", [str, str.encode, lambda s: bytearray(s.encode()), lambda s: memoryview(s.encode())])
def test_from_json_accepts_text_and_bytes(wrap):
    c = GCounter.from_json(wrap('{"é": 3, "a\\u0000b": 18446744073709551615, "z": 0}'))
    assert type(c) is GCounter
    assert c.to_dict() == {"a\x00b": U64_MAX, "é": 3}


def test_from_json_reads_the_seeds_json_dumps(seed):
    theirs = seed.GCounter().increment("b", 2).increment("a").increment("日本", 7)
    text = json.dumps(theirs.to_dict())  # whitespace, ASCII escapes, insertion order
    assert GCounter.from_json(text).to_dict() == theirs.to_dict()
    assert type(MutableGCounter.from_json(text)) is MutableGCounter


def test_json_round_trip_of_awkward_ids():
    slots = {agent_id: len(agent_id) + 1 for agent_id in AWKWARD_IDS}
    assert GCounter.from_json(GCounter(slots).to_json()).to_dict() == slots


def test_join_json_of_an_immutable_counter_returns_a_new_one():
    base = GCounter({"a": 5, "b": 1})
    merged = base.join_json('{"b": 4, "c": 2}')
    assert type(merged) is GCounter
    assert merged.to_dict() == {"a": 5, "b": 4, "c": 2}
    assert base.to_dict() == {"a": 5, "b": 1}
    assert base.join_json(b'{"a":1}').to_dict() == {"a": 5, "b": 1}


def test_join_json_of_a_mutable_counter_changes_it_in_place():
    c = MutableGCounter({"a": 5})
    assert c.join_json('{"a": 2, "b": 3}') is None
    assert c.to_dict() == {"a": 5, "b": 3}


def test_compare_gives_each_order():
    low = GCounter({"a": 1})
    high = GCounter({"a": 2, "b": 1})
    side = GCounter({"c": 1})
    assert low.compare(GCounter({"a": 1, "z": 0})) is Order.EQUAL
    assert low.compare(high) is Order.LESS
    assert high.compare(low) is Order.GREATER
    assert low.compare(side) is Order.CONCURRENT
    assert GCounter().compare(GCounter()) is Order.EQUAL
    assert high.compare(high) is Order.EQUAL
    assert [order.value for order in Order] == [0, 1, 2, 3]


def test_an_order_prints_as_its_name():
    assert str(GCounter({"a": 1}).compare(GCounter({"b": 1}))) == "CONCURRENT"
    assert f"{Order.LESS}" == "LESS" and Order.LESS == 1


def test_compare_and_equivalent_across_counter_types():
    frozen = GCounter({"a": 1})
    live = MutableGCounter({"a": 1})
    assert frozen.equivalent(live) and live.equivalent(frozen)
    live.increment("a")
    assert frozen.compare(live) is Order.LESS
    assert live.compare(frozen) is Order.GREATER


def test_agent_count_counts_slots_above_zero():
    assert GCounter().agent_count() == 0
    assert GCounter({"a": 1, "b": 0, "": 2}).agent_count() == 2
    assert GCounter({"a": 1}).increment("a").increment("b").agent_count() == 2


# ----------------------------------------------------------------------
# MutableGCounter
# ----------------------------------------------------------------------


def test_mutable_increment_changes_self_and_returns_none():
    c = MutableGCounter()
    assert c.increment("a") is None
    c.increment("a", 4)
    c.increment("b", True)
    assert c.to_dict() == {"a": 5, "b": 1}
    assert c.value() == 6


def test_mutable_join_in_place_with_either_type_and_with_itself():
    c = MutableGCounter({"a": 1, "b": 5})
    other = GCounter({"a": 3})
    c.join(other)
    assert c.to_dict() == {"a": 3, "b": 5}
    assert other.to_dict() == {"a": 3}
    c.join(MutableGCounter({"c": 2}))
    c.join(c)
    assert c.to_dict() == {"a": 3, "b": 5, "c": 2}


def test_immutable_join_takes_a_mutable_counter():
    live = MutableGCounter({"a": 2})
    merged = GCounter({"b": 1}).join(live)
    assert type(merged) is GCounter and merged.to_dict() == {"a": 2, "b": 1}
    live.increment("a")
    assert merged.value_for("a") == 2


def test_snapshot_copy_and_to_mutable_are_independent():
    live = MutableGCounter({"a": 1})
    frozen = live.snapshot()
    twin = live.copy()
    live.increment("a")
    twin.increment("b")
    assert type(frozen) is GCounter and frozen.to_dict() == {"a": 1}
    assert type(twin) is MutableGCounter and twin.to_dict() == {"a": 1, "b": 1}
    assert live.to_dict() == {"a": 2}
    thawed = frozen.to_mutable()
    thawed.increment("c")
    assert type(thawed) is MutableGCounter and frozen.to_dict() == {"a": 1}


def test_take_delta_returns_what_rose_since_the_last_take():
    c = MutableGCounter({"seeded": 9})
    assert c.take_delta().to_dict() == {}  # initial counts are state, not a change
    c.increment("a")
    c.increment("a", 2)
    c.increment("b")
    delta = c.take_delta()
    assert type(delta) is GCounter
    assert delta.to_dict() == {"a": 3, "b": 1}
    assert c.take_delta().to_dict() == {}
    c.join(GCounter({"b": 7, "seeded": 1, "new": 4}))  # only b and new rise
    assert c.take_delta().to_dict() == {"b": 7, "new": 4}
    c.join_json('{"a": 10}')
    assert c.take_delta().to_dict() == {"a": 10}
    assert c.to_dict() == {"a": 10, "b": 7, "new": 4, "seeded": 9}


def test_deltas_in_any_order_converge_to_the_full_state():
    replica = MutableGCounter({"a": 1})
    peer = replica.copy()
    deltas = []
    for step in range(6):
        replica.increment(f"agent-{step % 3}", step + 1)
        deltas.append(replica.take_delta())
    for delta in reversed(deltas + deltas[:2]):  # reordered and duplicated
        peer.join(delta)
    assert peer.equivalent(replica)
    assert peer.to_json() == replica.to_json()


def test_copies_start_with_an_empty_delta_record():
    c = MutableGCounter()
    c.increment("a")
    assert c.copy().take_delta().to_dict() == {}
    assert c.snapshot().to_mutable().take_delta().to_dict() == {}
    assert c.take_delta().to_dict() == {"a": 1}


def test_library_version_and_path():
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", gcounter.library_version())
    assert "gcounter" in os.path.basename(gcounter.library_path)


def test_the_example_converges():
    example = Path(__file__).resolve().parents[1] / "examples" / "sync.py"
    env = dict(os.environ, PYTHONPATH=str(Path(gcounter.__file__).resolve().parents[1]))
    result = subprocess.run([sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "a vs b: CONCURRENT" in lines
    assert 'converged: {"agent-a":3,"agent-b":5} value 8' in lines
    assert lines[-2:] == [
        'anti-entropy: sent 2 of 100 slots: {"agent-007":11,"agent-042":15}',
        "peer value 1007, mine 1006",
    ]


def test_the_readme_example_runs():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Example\n\n```python\n(.*?)```", readme, re.S).group(1)
    exec(code, {})  # noqa: S102 - its asserts check the results
