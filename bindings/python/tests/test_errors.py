"""Every error: its builtin type, its status, its message, and that it changes nothing."""

from __future__ import annotations

import ctypes
import pickle

import pytest

import gcounter
from gcounter import (
    CounterOverflowError,
    GCounter,
    GCounterError,
    InvalidArgumentError,
    InvalidJsonError,
    InvalidUtf8Error,
    MutableGCounter,
    Status,
    U64_MAX,
)

COUNTERS = [GCounter, MutableGCounter]

BAD_JSON = [
    b"\xff{}",  # not UTF-8
    "not json",
    "",
    "   ",
    "[]",
    "1",
    '"a"',
    "null",
    '{"a": -1}',
    '{"a": 1.5}',
    '{"a": 1.0}',
    '{"a": 1e3}',
    '{"a": "1"}',
    '{"a": null}',
    '{"a": true}',
    '{"a": [1]}',
    '{"a": {}}',
    '{"a": 18446744073709551616}',
    '{"a": 1, "a": 2}',
    '{"\\ud800": 1}',
    "{} x",
    "{}{}",
    '{"a": 1',
    "\ud800",  # a Python str that is not valid Unicode text
]


def library_message(document: bytes) -> str:
    """What the C library itself says about ``document``: call it directly, read the message."""
    out = ctypes.c_void_p()
    status = gcounter._native.lib.gcounter_from_json(document, len(document), ctypes.byref(out))
    message = gcounter._native.lib.gcounter_last_error_message().decode()
    assert status == Status.INVALID_JSON and not out.value
    return message


# ----------------------------------------------------------------------
# TypeError
# ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("agent_id", [1, b"a", None, ("a",), ["a"]])
def test_non_str_agent_ids_are_type_errors(cls, agent_id):
    c = cls({"a": 1})
    with pytest.raises(TypeError, match="agent_id must be str"):
        c.increment(agent_id)
    with pytest.raises(TypeError, match="agent_id must be str"):
        c.value_for(agent_id)
    assert c.to_dict() == {"a": 1}


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("by", [1.0, 1.5, "1", None, [1]])
def test_non_int_amounts_are_type_errors(cls, by):
    c = cls({"a": 1})
    with pytest.raises(TypeError, match="'by' must be an int"):
        c.increment("a", by)
    assert c.to_dict() == {"a": 1}


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("counts", [{1: 1}, {b"a": 1}, {None: 1}, {"a": 1.0}, {"a": "1"}, {"a": None}])
def test_constructor_rejects_non_str_ids_and_non_int_counts(cls, counts):
    with pytest.raises(TypeError):
        cls(counts)
    with pytest.raises(TypeError):
        cls.from_dict(counts)


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("other", [None, {"a": 1}, "{}", 3])
def test_two_counter_methods_reject_non_counters(cls, other, seed):
    c = cls()
    for method in (c.join, c.equivalent, c.compare):
        with pytest.raises(TypeError, match="expected a GCounter or MutableGCounter"):
            method(other)
        with pytest.raises(TypeError):
            method(seed.GCounter())


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("text", [None, 1, {"a": 1}, ["{}"]])
def test_json_methods_reject_non_text(cls, text):
    with pytest.raises(TypeError, match="expected JSON as str or bytes"):
        cls.from_json(text)
    with pytest.raises(TypeError, match="expected JSON as str or bytes"):
        cls().join_json(text)


# ----------------------------------------------------------------------
# ValueError
# ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", COUNTERS)
def test_increment_by_zero_is_the_librarys_invalid_argument(cls):
    c = cls({"a": 1})
    with pytest.raises(InvalidArgumentError) as caught:
        c.increment("a", 0)
    assert caught.value.status is Status.INVALID_ARGUMENT
    assert str(caught.value) == "increment 'by' must be at least 1, got 0"  # the library's words
    assert c.to_dict() == {"a": 1}


@pytest.mark.parametrize("cls", COUNTERS)
@pytest.mark.parametrize("by", [-1, -(2**70)])
def test_a_negative_increment_is_refused_as_zero_is(cls, by):
    # uint64_t cannot hold it, so the binding refuses it before the call, as the library does 0.
    c = cls({"a": 1})
    with pytest.raises(InvalidArgumentError) as caught:
        c.increment("a", by)
    assert caught.value.status is Status.INVALID_ARGUMENT
    assert str(caught.value) == f"increment 'by' must be at least 1, got {by}"
    assert c.to_dict() == {"a": 1}


@pytest.mark.parametrize("cls", COUNTERS)
def test_negative_counts_are_value_errors(cls):
    with pytest.raises(ValueError, match="must be non-negative, got -1"):
        cls({"a": 1, "b": -1})


@pytest.mark.parametrize("cls", COUNTERS)
def test_lone_surrogate_agent_ids_are_invalid_utf8(cls):
    c = cls({"a": 1})
    with pytest.raises(InvalidUtf8Error) as caught:
        c.increment("bad\ud800")
    assert isinstance(caught.value, ValueError)
    assert caught.value.status is Status.INVALID_UTF8 and caught.value.message
    with pytest.raises(InvalidUtf8Error):
        c.value_for("\udfff")
    with pytest.raises(InvalidUtf8Error, match=r"'bad\\ud800' is not valid UTF-8: .* U\+D800, at index 3,"):
        cls({"ok": 1, "bad\ud800": 2})
    assert c.to_dict() == {"a": 1}


@pytest.mark.parametrize("cls", COUNTERS)
def test_a_surrogate_is_named_with_its_index_in_the_str(cls):
    c = cls({"a": 1})
    named = r": the str holds a surrogate code point, U\+D800, at index 3, which has no UTF-8 form$"
    # An id of this class alone: its first use, then the same id again (its bytes cached).
    agent_id = "bad\ud800" + cls.__name__
    for _ in range(2):
        with pytest.raises(InvalidUtf8Error, match=r"^agent_id is not valid UTF-8 \(.*\)" + named):
            c.increment(agent_id)
    with pytest.raises(InvalidUtf8Error, match=r"U\+DFFF, at index 0"):
        c.value_for("\udfff")
    in_json = named.replace("index 3", "index 4")
    with pytest.raises(InvalidJsonError, match=r"^invalid JSON at byte 4: input is not valid UTF-8" + in_json):
        c.join_json('{"ab\ud800": 1}')
    with pytest.raises(InvalidJsonError, match=in_json):
        cls.from_json('{"ab\ud800": 1}')
    # Bytes carry no code point to name: the library's words alone.
    with pytest.raises(InvalidJsonError) as caught:
        cls.from_json(b'{"ab\xed\xa0\x80": 1}')
    assert str(caught.value) == "invalid JSON at byte 4: input is not valid UTF-8"
    assert c.to_dict() == {"a": 1}


@pytest.mark.parametrize("text", BAD_JSON)
def test_bad_json_is_a_value_error_carrying_the_librarys_message(text):
    document = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    expected = library_message(document)
    assert expected
    if isinstance(text, str) and any("\ud800" <= char <= "\udfff" for char in text):
        # The library saw bytes that are not UTF-8; the binding names the code point behind them.
        expected += ": the str holds a surrogate code point, U+D800, at index 0, which has no UTF-8 form"
    with pytest.raises(ValueError) as caught:
        GCounter.from_json(text)
    assert isinstance(caught.value, InvalidJsonError)
    assert caught.value.status is Status.INVALID_JSON
    assert str(caught.value) == caught.value.message == expected


@pytest.mark.parametrize("text", ["[]", '{"a": 1, "b": -1}', '{"a": 99, "b": 1.5}', "{} x"])
def test_bad_json_join_changes_nothing(text):
    frozen = GCounter({"a": 1})
    live = MutableGCounter({"a": 1})
    live.take_delta()
    with pytest.raises(InvalidJsonError):
        frozen.join_json(text)
    with pytest.raises(InvalidJsonError):
        live.join_json(text)
    assert frozen.to_dict() == live.to_dict() == {"a": 1}
    assert live.take_delta().to_dict() == {}


# ----------------------------------------------------------------------
# OverflowError
# ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", COUNTERS)
def test_a_slot_above_u64_max_is_an_overflow_error(cls):
    c = cls({"a": U64_MAX - 1, "b": 1})
    with pytest.raises(OverflowError) as caught:
        c.increment("a", 2)
    assert isinstance(caught.value, CounterOverflowError)
    assert caught.value.status is Status.OVERFLOW and caught.value.message
    with pytest.raises(OverflowError):
        c.increment("b", U64_MAX)
    with pytest.raises(CounterOverflowError, match="at most 2\\*\\*64-1") as too_large:
        c.increment("new", U64_MAX + 1)
    assert too_large.value.status is Status.OVERFLOW
    assert c.to_dict() == {"a": U64_MAX - 1, "b": 1}


def test_in_place_increment_up_to_the_maximum_then_overflow():
    c = MutableGCounter({"a": U64_MAX - 1})
    c.increment("a")
    assert c.value_for("a") == U64_MAX
    with pytest.raises(CounterOverflowError):
        c.increment("a")
    assert c.value_for("a") == U64_MAX


@pytest.mark.parametrize("cls", COUNTERS)
def test_constructor_counts_above_u64_max_are_overflow_errors(cls):
    with pytest.raises(OverflowError, match="must be at most 2\\*\\*64-1"):
        cls({"a": U64_MAX + 1})


# ----------------------------------------------------------------------
# The hierarchy and closed counters
# ----------------------------------------------------------------------


def test_every_error_is_a_gcounter_error_and_a_builtin():
    assert issubclass(InvalidArgumentError, (GCounterError, ValueError))
    assert issubclass(InvalidUtf8Error, ValueError)
    assert issubclass(InvalidJsonError, ValueError)
    assert issubclass(CounterOverflowError, OverflowError)
    assert issubclass(gcounter.InternalError, RuntimeError)
    assert issubclass(GCounterError, Exception)


def test_errors_survive_pickling():
    try:
        GCounter.from_json("[]")
    except InvalidJsonError as error:
        clone = pickle.loads(pickle.dumps(error))
        assert type(clone) is InvalidJsonError
        assert clone.status is Status.INVALID_JSON and str(clone) == str(error)
    else:
        pytest.fail("from_json accepted an array")


def test_status_values_are_the_abi():
    assert [(s.name, s.value) for s in Status] == [
        ("OK", 0),
        ("NULL_POINTER", 1),
        ("INVALID_ARGUMENT", 2),
        ("INVALID_UTF8", 3),
        ("OVERFLOW", 4),
        ("INVALID_JSON", 5),
        ("PANIC", 6),
    ]


@pytest.mark.parametrize("cls", COUNTERS)
def test_every_call_on_a_closed_counter_is_a_value_error(cls):
    c = cls({"a": 1})
    live = cls({"a": 1})
    c.close()
    assert c.closed and not live.closed
    calls = [
        lambda: c.increment("a"),
        lambda: c.join(live),
        lambda: live.join(c),
        lambda: c.join_json("{}"),
        c.value,
        lambda: c.value_for("a"),
        c.agent_count,
        c.to_dict,
        c.to_json,
        lambda: c.equivalent(live),
        lambda: live.compare(c),
        lambda: c.__enter__(),
        lambda: pickle.dumps(c),
    ]
    calls += [c.take_delta, c.snapshot, c.copy] if cls is MutableGCounter else [c.to_mutable]
    for call in calls:
        with pytest.raises(ValueError, match=f"closed {cls.__name__}"):
            call()
    c.close()  # twice is fine
    assert repr(c) == f"<closed {cls.__name__}>"
    assert live.to_dict() == {"a": 1}
