"""The seed's API and behaviour, method by method, checked against the seed module itself."""

from __future__ import annotations

import copy
import pickle
import re
import textwrap
import typing

import pytest

from gcounter import GCounter, GCounterDict, MutableGCounter, U64_MAX


def seed_example(seed) -> str:
    """The ``Example::`` block of the seed's GCounter docstring, as runnable code."""
    doc = seed.GCounter.__doc__
    match = re.search(r"Example::\n\n(.*?)(?:\n\s*\n|\Z)", doc, re.S)
    assert match, "the seed's GCounter docstring has no Example:: block"
    return textwrap.dedent(match.group(1))


def test_seed_docstring_example_runs_unchanged(seed):
    code = seed_example(seed)
    assert "merged.value() == 3" in code
    exec(code, {"GCounter": GCounter})  # noqa: S102 - the example's own asserts check it


def test_seed_docstring_example_fails_on_a_wrong_counter(seed):
    # The example's asserts can fail: it checks something, not nothing.
    class Doubling(GCounter):
        __slots__ = ()

        def value(self):
            return 2 * super().value()

    with pytest.raises(AssertionError):
        exec(seed_example(seed), {"GCounter": Doubling})  # noqa: S102


def test_own_docstring_examples_run():
    for cls in (GCounter, MutableGCounter):
        code = textwrap.dedent(re.search(r"Example::\n\n(.*?)\n\n", cls.__doc__, re.S).group(1))
        exec(code, {"GCounter": GCounter, "MutableGCounter": MutableGCounter})  # noqa: S102


def test_empty_counter():
    c = GCounter()
    assert c.value() == 0
    assert c.to_dict() == {}
    assert c.value_for("anyone") == 0


@pytest.mark.parametrize("empty", [None, {}, [], ()])
def test_falsy_counts_give_an_empty_counter_as_in_the_seed(seed, empty):
    assert GCounter(empty).to_dict() == seed.GCounter(empty).to_dict() == {}


def test_constructor_takes_a_mapping_or_pairs_and_copies_it(seed):
    counts = {"a": 2, "b": 5}
    c = GCounter(counts)
    counts["a"] = 100
    counts["z"] = 1
    assert c.to_dict() == {"a": 2, "b": 5}
    assert GCounter([("x", 1), ("y", 2)]).to_dict() == seed.GCounter([("x", 1), ("y", 2)]).to_dict()


def test_increment_returns_a_new_counter_and_leaves_self_unchanged():
    base = GCounter({"a": 1})
    bumped = base.increment("a")
    other = base.increment("b", 7)
    assert isinstance(bumped, GCounter) and bumped is not base
    assert base.to_dict() == {"a": 1}
    assert bumped.to_dict() == {"a": 2}
    assert other.to_dict() == {"a": 1, "b": 7}


def test_increment_default_and_explicit_amounts_match_the_seed(seed):
    ours, theirs = GCounter(), seed.GCounter()
    for agent_id, by in [("a", 1), ("b", 3), ("a", 10**12), ("", 2), ("a\x00b", 4)]:
        ours, theirs = ours.increment(agent_id, by), theirs.increment(agent_id, by)
        assert ours.to_dict() == theirs.to_dict()
    assert ours.increment("a").value_for("a") == theirs.increment("a").value_for("a") == 10**12 + 2


@pytest.mark.parametrize("by", [0, -1, -(10**30), False])
def test_non_positive_by_raises_a_value_error_as_the_seed_does(seed, by):
    with pytest.raises(ValueError):
        seed.GCounter().increment("a", by)
    with pytest.raises(ValueError) as ours:
        GCounter().increment("a", by)
    # The message is the library's, the same in every language.
    assert str(ours.value) == f"increment 'by' must be at least 1, got {int(by)}"


def test_bool_true_counts_as_one_as_in_the_seed(seed):
    assert GCounter().increment("a", True).to_dict() == seed.GCounter().increment("a", True).to_dict()
    assert GCounter({"a": True, "b": False}).value() == seed.GCounter({"a": True, "b": False}).value() == 1


def test_zero_counts_mean_absent():
    c = GCounter({"a": 0, "b": 3})
    assert c.to_dict() == {"b": 3}
    assert c.value_for("a") == 0
    assert c.agent_count() == 1
    assert c.equivalent(GCounter({"b": 3}))


def test_join_is_the_per_slot_maximum_and_changes_neither_side(seed):
    a = GCounter({"x": 5, "y": 1})
    b = GCounter({"y": 4, "z": 2})
    merged = a.join(b)
    assert merged.to_dict() == {"x": 5, "y": 4, "z": 2}
    assert a.to_dict() == {"x": 5, "y": 1} and b.to_dict() == {"y": 4, "z": 2}
    expected = seed.GCounter({"x": 5, "y": 1}).join(seed.GCounter({"y": 4, "z": 2}))
    assert merged.to_dict() == expected.to_dict()


def test_join_lattice_laws():
    a = GCounter({"x": 5, "y": 1})
    b = GCounter({"y": 4, "z": 2})
    c = GCounter({"x": 7, "w": 9})
    assert a.join(b).equivalent(b.join(a))
    assert a.join(b).join(c).equivalent(a.join(b.join(c)))
    assert a.join(a).equivalent(a)
    assert a.join(a).to_dict() == a.to_dict()


def test_value_is_the_sum_of_the_slots():
    assert GCounter({"a": 2, "b": 3, "c": 0}).value() == 5


def test_value_is_exact_beyond_64_bits_as_in_the_seed(seed):
    counts = {f"agent-{i}": U64_MAX - i for i in range(4)}
    expected = seed.GCounter(counts).value()
    assert expected > U64_MAX
    assert GCounter(counts).value() == expected
    assert MutableGCounter(counts).value() == expected


def test_value_for_returns_the_slot_or_zero():
    c = GCounter({"a": 4, "": 2, "a\x00": 9})
    assert c.value_for("a") == 4
    assert c.value_for("") == 2
    assert c.value_for("a\x00") == 9
    assert c.value_for("b") == 0


def test_to_dict_is_a_fresh_copy_in_sorted_order():
    c = GCounter({"b": 1, "a": 2, "é": 3, "Z": 4})
    d = c.to_dict()
    d["a"] = 99
    assert c.to_dict() == {"Z": 4, "a": 2, "b": 1, "é": 3}
    assert list(c.to_dict()) == sorted(c.to_dict())


def test_from_dict_round_trips_the_seeds_wire_format(seed):
    theirs = seed.GCounter().increment("a", 3).increment("b").increment("c", 2**63)
    ours = GCounter.from_dict(theirs.to_dict())
    assert isinstance(ours, GCounter)
    assert ours.to_dict() == theirs.to_dict()
    assert GCounter.from_dict(ours.to_dict()).equivalent(ours)
    assert isinstance(MutableGCounter.from_dict({"a": 1}), MutableGCounter)


def test_equivalent_treats_absent_as_zero(seed):
    assert GCounter({"a": 1, "b": 0}).equivalent(GCounter({"a": 1}))
    assert not GCounter({"a": 1}).equivalent(GCounter({"a": 2}))
    assert not GCounter({"a": 1}).equivalent(GCounter({"a": 1, "b": 1}))
    assert GCounter().equivalent(GCounter())
    assert seed.GCounter({"a": 1, "b": 0}).equivalent(seed.GCounter({"a": 1}))


def test_repr_has_the_seeds_format(seed):
    ours = GCounter().increment("agent-1").increment("agent-2", 2)
    theirs = seed.GCounter().increment("agent-1").increment("agent-2", 2)
    assert repr(ours) == repr(theirs) == "GCounter(value=3, slots={'agent-1': 1, 'agent-2': 2})"
    assert repr(GCounter()) == repr(seed.GCounter()) == "GCounter(value=0, slots={})"


def test_repr_lists_slots_sorted_by_agent_id():
    ours = GCounter().increment("b").increment("a", 2)
    assert repr(ours) == "GCounter(value=3, slots={'a': 2, 'b': 1})"
    assert repr(MutableGCounter({"b": 1})) == "MutableGCounter(value=1, slots={'b': 1})"


def test_gcounter_dict_is_the_seeds_typed_dict(seed):
    assert typing.is_typeddict(GCounterDict)
    assert GCounterDict.__total__ is seed.GCounterDict.__total__ is False
    assert GCounterDict.__annotations__ == seed.GCounterDict.__annotations__ == {}
    wire: GCounterDict = GCounter({"a": 1}).to_dict()  # type: ignore[assignment]
    assert GCounter.from_dict(wire).value() == 1


def test_identity_equality_and_hashing_as_in_the_seed(seed):
    a, b = GCounter({"a": 1}), GCounter({"a": 1})
    assert (a == b) is (seed.GCounter({"a": 1}) == seed.GCounter({"a": 1})) is False
    assert a == a and len({a, b, a}) == 2


@pytest.mark.parametrize("cls", [GCounter, MutableGCounter])
def test_pickle_and_copy_give_independent_equal_counters(cls):
    original = cls({"a": 2, "é\x00": U64_MAX})
    for clone in (pickle.loads(pickle.dumps(original)), copy.copy(original), copy.deepcopy(original)):
        assert type(clone) is cls and clone is not original
        assert clone.to_dict() == original.to_dict()
        clone.close()
        assert original.value_for("a") == 2
