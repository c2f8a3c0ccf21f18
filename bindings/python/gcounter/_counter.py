"""The counter types: thin Python objects over a ``gcounter_t *`` handle.

``GCounter`` keeps the seed's contract (every operation returns a new counter, ``self`` never
changes); ``MutableGCounter`` changes in place, for hot loops and for a replica that ships
deltas. Both share the read-only half of the API through ``_Counter``.

Every handle is owned by exactly one Python object and freed exactly once: by ``close()``
(or leaving a ``with`` block), or else by a ``weakref.finalize`` when the object is collected.
ctypes releases the GIL during a foreign call (all but the shortest ones), and the C library has
no lock inside a handle, so each object carries a ``threading.Lock`` that every call on its
handle holds; that also makes ``close()`` safe against a call running on another thread.
"""

from __future__ import annotations

import json
import operator
import re
import threading
import weakref
from ctypes import byref, c_int, c_size_t, c_uint64, c_void_p, string_at
from enum import IntEnum
from typing import Iterable, Mapping, TypedDict, Union

from . import _native
from ._errors import (
    CounterOverflowError,
    GCounterError,
    InternalError,
    InvalidArgumentError,
    InvalidUtf8Error,
    Status,
    error_for,
)

U64_MAX = 2**64 - 1
"""The largest count one slot can hold."""

# ctypes' own parameter objects (what `from_param` gives, as `byref` does): a call passes them
# without converting them again.
_Parameter = type(byref(c_int()))  # ctypes' CArgObject, which it does not export
_pointer_parameter = c_void_p.from_param
_u64_parameter = c_uint64.from_param
_ONE = 1
_ONE_U64 = _u64_parameter(1)

# Bound once, as module globals: no attribute lookup on the CDLL in any call.
_lib = _native.lib
_new = _lib.gcounter_new
_free = _lib.gcounter_free
_clone = _lib.gcounter_clone
_raw_increment = _native.raw_function(_lib.gcounter_increment)
_increment_len = _lib.gcounter_increment_len
_join = _lib.gcounter_join
_join_json = _lib.gcounter_join_json
_value_exact = _lib.gcounter_value_exact
_value_for_len = _lib.gcounter_value_for_len
_agent_count = _lib.gcounter_agent_count
_slot_at = _lib.gcounter_slot_at
_raw_slot_at = _native.raw_function(_slot_at)
_equivalent = _lib.gcounter_equivalent
_compare = _lib.gcounter_compare
_to_json = _lib.gcounter_to_json
_string_free = _lib.gcounter_string_free
_from_json = _lib.gcounter_from_json
_take_delta = _lib.gcounter_take_delta
_delta_for = _lib.gcounter_delta_for
_status_str = _lib.gcounter_status_str
_last_error_message = _lib.gcounter_last_error_message


class Order(IntEnum):
    """How two counters relate in the lattice (``gcounter_order``, same numeric values)."""

    EQUAL = 0
    """Same count in every slot."""
    LESS = 1
    """``self <= other`` in every slot, ``<`` in at least one: ``self`` has nothing to send."""
    GREATER = 2
    """``self >= other`` in every slot, ``>`` in at least one."""
    CONCURRENT = 3
    """Each holds increments the other lacks: a join is needed both ways."""

    def __str__(self) -> str:
        # IntEnum's str() is the number since Python 3.11; a printed order should say its name.
        return self.name


class GCounterDict(TypedDict, total=False):
    """Wire format for a :class:`GCounter` — ``{agent_id: count}``.

    ``total=False`` because absent keys are equivalent to ``0``. Serialise
    with :meth:`GCounter.to_dict` and deserialise with :meth:`GCounter.from_dict`.
    """


CounterLike = Union["GCounter", "MutableGCounter"]
JsonText = Union[str, bytes, bytearray, memoryview]


# ----------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------

def _last_error(status: int, given: object = None) -> GCounterError:
    """Return the exception for a failed call.

    The library's message is thread-local and overwritten by the next ``gcounter_`` call on
    the thread, so this must run straight after the failing call, on the same thread.

    ``given`` is the ``str`` the call passed as an agent id or a document, if any. The library
    sees its UTF-8 bytes, and a surrogate code point (which has no UTF-8 form) reaches it as
    bytes that are not UTF-8: the message then also names the code point and its index in the
    ``str``, which is what the caller can find.
    """
    raw = _last_error_message()
    message = raw.decode("utf-8", "replace") if raw else ""
    if not message:
        text = _status_str(status)
        message = text.decode("utf-8", "replace") if text else f"status {status}"
    if status in (Status.INVALID_UTF8, Status.INVALID_JSON) and isinstance(given, str):
        surrogate = _surrogate_in(given) if "UTF-8" in message else None
        if surrogate:
            message += f": {surrogate}"
    return error_for(status, message)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_in(text: str) -> str | None:
    """Name the first surrogate code point of ``text`` and its index; ``None`` if it has none.

    A ``str`` has a UTF-8 form exactly when it holds no surrogate code point.
    """
    surrogate = _SURROGATE.search(text)
    if surrogate is None:
        return None
    return (
        f"the str holds a surrogate code point, U+{ord(surrogate.group()):04X}, at index"
        f" {surrogate.start()}, which has no UTF-8 form"
    )


def _null_result(function: str) -> GCounterError:
    """Return the exception for a constructor that gave NULL (read straight after it)."""
    raw = _last_error_message()
    detail = raw.decode("utf-8", "replace") if raw else "out of memory or an internal error"
    return InternalError(Status.PANIC, f"{function} returned NULL: {detail}")


def _closed_error(counter: _Counter) -> ValueError:
    return ValueError(f"operation on a closed {type(counter).__name__}")


# ----------------------------------------------------------------------
# Argument conversion
# ----------------------------------------------------------------------

# Hot loops use few agent ids: keep their recent encodings, so that no call encodes an id it
# has seen before. Reads and writes of a dict are atomic under the GIL.
_AGENT_ID_CACHE_SIZE = 4096
_encoded_agent_ids: dict[str, bytes] = {}
# The ids without NUL bytes among them, for the NUL-terminated calls: ctypes converts each
# argument on every call, and one argument fewer is ~15% of an in-place increment.
_c_string_ids: dict[str, bytes] = {}


def _encode_agent_id(agent_id: object, where: str) -> bytes:
    """UTF-8 bytes of ``agent_id`` for the ``*_len`` functions (so ids may hold NUL bytes)."""
    if not isinstance(agent_id, str):
        raise TypeError(f"{where}: agent_id must be str, not {type(agent_id).__name__}")
    # 'surrogatepass' hands a lone surrogate to the library, which rejects it with
    # GCOUNTER_ERR_INVALID_UTF8 and its own message (which _last_error completes).
    encoded = agent_id.encode("utf-8", "surrogatepass")
    if type(agent_id) is str:
        if len(_encoded_agent_ids) >= _AGENT_ID_CACHE_SIZE:
            _encoded_agent_ids.clear()
            _c_string_ids.clear()
        _encoded_agent_ids[agent_id] = encoded
        if b"\0" not in encoded:
            _c_string_ids[agent_id] = encoded
    return encoded


def _checked_amount(by: object, where: str) -> int:
    """Convert an increment amount that is not a plain ``int`` in ``0..U64_MAX`` to one.

    The library decides which amounts are valid (0 is not: ``InvalidArgumentError``). Only an
    amount that ``uint64_t`` cannot hold is refused here, since ctypes would wrap it around,
    with the status the library gives the nearest case.
    """
    try:
        amount = operator.index(by)  # int, bool and integer types such as numpy.int64
    except TypeError:
        raise TypeError(f"{where}: 'by' must be an int, not {type(by).__name__}") from None
    if amount < 0:
        message = f"increment 'by' must be at least 1, got {amount}"
        raise InvalidArgumentError(Status.INVALID_ARGUMENT, message)
    if amount > U64_MAX:  # whatever the slot holds, it would exceed 2**64-1
        message = f"increment 'by' must be at most 2**64-1, got {amount}"
        raise CounterOverflowError(Status.OVERFLOW, message)
    return amount


def _checked_count(agent_id: object, count: object, where: str) -> int:
    """Validate one slot of a ``{agent_id: count}`` mapping given to a constructor."""
    if not isinstance(agent_id, str):
        raise TypeError(f"{where}: agent ids must be str, not {type(agent_id).__name__} ({agent_id!r})")
    try:
        value = operator.index(count)
    except TypeError:
        raise TypeError(
            f"{where}: the count of agent {agent_id!r} must be an int, not {type(count).__name__}"
        ) from None
    if value < 0:
        raise InvalidArgumentError(
            Status.INVALID_ARGUMENT, f"{where}: the count of agent {agent_id!r} must be non-negative, got {count}"
        )
    if value > U64_MAX:
        raise CounterOverflowError(
            Status.OVERFLOW, f"{where}: the count of agent {agent_id!r} must be at most 2**64-1, got {count}"
        )
    return value


def _json_input(text: object, where: str) -> bytes:
    if isinstance(text, str):
        # As for agent ids: a lone surrogate reaches the library, which says it is not UTF-8.
        return text.encode("utf-8", "surrogatepass")
    if isinstance(text, bytes):
        return text
    if isinstance(text, (bytearray, memoryview)):
        return bytes(text)
    raise TypeError(f"{where}: expected JSON as str or bytes, not {type(text).__name__}")


def _handle_from_counts(counts: object, where: str) -> int:
    """Build a handle holding ``counts`` (any mapping or iterable of pairs, as the seed takes).

    The slots go to the library as one wire-format document: a single C call, parsed by the
    library's own reader, instead of one call per agent.
    """
    slots = counts if type(counts) is dict else dict(counts)  # type: ignore[call-overload]
    fixed: dict[str, int] = {}
    for agent_id, count in slots.items():
        if type(agent_id) is not str or type(count) is not int or not 0 <= count <= U64_MAX:
            fixed[agent_id] = _checked_count(agent_id, count, where)
    if fixed:  # bool, numpy integers...: write them as plain ints
        slots = {**slots, **fixed}
    try:
        document = json.dumps(slots, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        bad, surrogate = next((agent_id, named) for agent_id in slots if (named := _surrogate_in(agent_id)))
        raise InvalidUtf8Error(
            Status.INVALID_UTF8, f"{where}: agent id {bad!r} is not valid UTF-8: {surrogate}"
        ) from None
    out = c_void_p()
    status = _from_json(document, len(document), byref(out))
    if status:
        raise _last_error(status)
    return out.value  # type: ignore[return-value]


def _require_counter(other: object, where: str) -> _Counter:
    if not isinstance(other, _Counter):
        raise TypeError(f"{where}: expected a GCounter or MutableGCounter, not {type(other).__name__}")
    return other


class _LockPair:
    """Holds the locks of two counters, taken in one global order (by ``id``).

    ``a.join(b)`` on one thread and ``b.join(a)`` on another therefore cannot deadlock, and
    ``a.join(a)`` takes its one lock once.
    """

    __slots__ = ("_first", "_second")

    def __init__(self, a: threading.Lock, b: threading.Lock) -> None:
        if a is b:
            self._first, self._second = a, None
        elif id(a) < id(b):
            self._first, self._second = a, b
        else:
            self._first, self._second = b, a

    def __enter__(self) -> None:
        self._first.acquire()
        if self._second is not None:
            self._second.acquire()

    def __exit__(self, *exc_info: object) -> None:
        if self._second is not None:
            self._second.release()
        self._first.release()


def _json_bytes(handle: _Parameter) -> bytes:
    """Canonical JSON of ``handle`` (caller holds its lock)."""
    out_json = c_void_p()
    out_len = c_size_t()
    status = _to_json(handle, byref(out_json), byref(out_len))
    if status:
        raise _last_error(status)
    try:
        return string_at(out_json.value, out_len.value)  # type: ignore[arg-type]
    finally:
        _string_free(out_json)


def _exact_value(handle: _Parameter) -> int:
    """The exact sum of the slots of ``handle``, from the library's two words (caller holds its lock)."""
    high = c_uint64()
    low = c_uint64()
    status = _value_exact(handle, byref(high), byref(low))
    if status:
        raise _last_error(status)
    return high.value << 64 | low.value


def _slots(handle: _Parameter) -> list[tuple[str, int]]:
    """Every ``(agent_id, count)`` of ``handle`` in canonical order (caller holds its lock).

    Each id is copied out at once: the library lends its bytes only until the next call that
    changes the counter, which the lock keeps away for the whole walk.
    """
    index = c_size_t()
    agent_id = c_void_p()
    length = c_size_t()
    count = c_uint64()
    out_agent_id, out_length, out_count = byref(agent_id), byref(length), byref(count)
    slots = []
    for position in range(_agent_count(handle)):
        index.value = position
        # The first call may sort the ids, which takes long enough to give up the GIL for;
        # every later one is a short read.
        call = _raw_slot_at if position else _slot_at
        status = call(handle, index, out_agent_id, out_length, out_count)
        if status:
            raise _last_error(status)
        slots.append((string_at(agent_id.value, length.value).decode("utf-8"), count.value))
    return slots


def _restore(cls: type[_Counter], document: str) -> _Counter:
    """Unpickle a counter from its wire format."""
    return cls.from_json(document)


# ----------------------------------------------------------------------
# Counters
# ----------------------------------------------------------------------

class _Counter:
    """What both counter types share: ownership of the handle, queries, serialisation."""

    __slots__ = ("_handle", "_lock", "_finalizer", "__weakref__")

    def __init__(self, counts: Mapping[str, int] | Iterable[tuple[str, int]] | None = None) -> None:
        # `if counts`, as the seed: None, {} and [] all give an empty counter.
        handle = _handle_from_counts(counts, type(self).__name__) if counts else _new()
        if not handle:
            raise _null_result("gcounter_new")
        self._adopt(handle)

    def _adopt(self, handle: int) -> None:
        """Own a fresh handle: freed exactly once, by close() or when self is collected."""
        # The parameter object ctypes would build for the handle in every call, built once:
        # calls with or without argtypes pass it as it is.
        self._handle: _Parameter | None = _pointer_parameter(handle)
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _free, handle)

    @classmethod
    def _from_handle(cls, handle: int | None, function: str = "gcounter_clone"):
        if not handle:
            raise _null_result(function)
        counter = cls.__new__(cls)
        counter._adopt(handle)
        return counter

    def _live(self) -> _Parameter:
        """The handle, or ValueError once closed. Call with the lock held."""
        handle = self._handle
        if handle is None:
            raise _closed_error(self)
        return handle

    def _clone_as(self, cls):
        with self._lock:
            return cls._from_handle(_clone(self._live()))

    # ------------------------------------------------------------------
    # Construction from the wire format
    # ------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, int]):
        """Reconstruct a counter from its wire representation (as the constructor).

        Args:
            data: ``{agent_id: count}`` mapping as produced by :meth:`to_dict`.

        Raises:
            TypeError: an agent id that is not ``str`` or a count that is not an ``int``.
            ValueError: a negative count, or an id that is not valid Unicode.
            OverflowError: a count above ``2**64 - 1``.
        """
        return cls(data)

    @classmethod
    def from_json(cls, text: JsonText):
        """Parse the JSON wire format (``str`` or UTF-8 ``bytes``) into a new counter.

        Accepts any JSON object of non-negative integer counts up to ``2**64 - 1`` (the seed's
        ``json.dumps(c.to_dict())`` included); members with count 0 mean "absent".

        Raises:
            TypeError: ``text`` is neither ``str`` nor bytes-like.
            ValueError: (:class:`~gcounter.InvalidJsonError`) anything else; the message is the
                library's and says where and why.
        """
        document = _json_input(text, f"{cls.__name__}.from_json")
        out = c_void_p()
        status = _from_json(document, len(document), byref(out))
        if status:
            raise _last_error(status, text)
        return cls._from_handle(out.value, "gcounter_from_json")

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def value(self) -> int:
        """Return the global counter value — the sum of all agent slots.

        Exact at any size, also above ``2**64 - 1``: the library adds the slots up in 128 bits.
        """
        with self._lock:
            return _exact_value(self._live())

    def value_for(self, agent_id: str) -> int:
        """Return the count of ``agent_id``, or ``0`` if it has never incremented.

        Raises:
            TypeError: ``agent_id`` is not a ``str``.
        """
        try:
            key = _encoded_agent_ids[agent_id]
        except (KeyError, TypeError):
            key = _encode_agent_id(agent_id, f"{type(self).__name__}.value_for")
        out = c_uint64()
        with self._lock:
            status = _value_for_len(self._live(), key, len(key), byref(out))
            if status:
                raise _last_error(status, agent_id)
        return out.value

    def agent_count(self) -> int:
        """Return the number of agents whose count is above zero."""
        with self._lock:
            return _agent_count(self._live())

    def equivalent(self, other: CounterLike) -> bool:
        """Return ``True`` if both counters hold identical per-agent counts.

        Absent agents count as ``0``. Either counter type may be on either side.
        """
        _require_counter(other, f"{type(self).__name__}.equivalent")
        with _LockPair(self._lock, other._lock):
            return _equivalent(self._live(), other._live())

    def compare(self, other: CounterLike) -> Order:
        """Return where ``self`` stands relative to ``other`` in the lattice.

        ``Order.LESS`` means ``self`` has nothing that ``other`` lacks.
        """
        _require_counter(other, f"{type(self).__name__}.compare")
        out = c_int()
        with _LockPair(self._lock, other._lock):
            status = _compare(self._live(), other._live(), byref(out))
            if status:
                raise _last_error(status)
        return Order(out.value)

    # ------------------------------------------------------------------
    # Serialisation
    # ------------------------------------------------------------------

    def to_json(self) -> str:
        """Return the canonical wire format: ``{"agent":count,...}``.

        No whitespace, agents sorted by UTF-8 bytes, zero slots left out; equal to
        ``json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)``.
        Two equivalent counters always give the same text.
        """
        with self._lock:
            document = _json_bytes(self._live())
        return document.decode("utf-8")

    def to_dict(self) -> dict[str, int]:
        """Return a JSON-serialisable ``{agent_id: count}`` mapping (a new dict).

        Holds the agents whose count is above zero, in UTF-8 byte order of their ids (the same
        order as ``sorted()`` on ``str``).
        """
        with self._lock:
            document = _json_bytes(self._live())
        return json.loads(document)

    def items(self) -> list[tuple[str, int]]:
        """Return every ``(agent_id, count)`` pair with a count above zero, in canonical order.

        The order is that of :meth:`to_json` and :meth:`to_dict` (ids sorted by UTF-8 bytes),
        so ``for agent_id, count in c.items()`` reads as it would on ``c.to_dict()``. The pairs
        are read in one pass under the counter's lock: a list, which later changes to the
        counter do not touch.
        """
        with self._lock:
            return _slots(self._live())

    def delta_for(self, peer: CounterLike) -> GCounter:
        """Return what *peer* lacks of ``self``: a :class:`GCounter` of the slots where
        ``self`` counts more than *peer*, with ``self``'s counts.

        Joining it into *peer* gives the same counter as joining ``self``; it is empty when
        ``self`` is ``Order.EQUAL`` or ``Order.LESS`` than *peer*. Neither counter changes (nor
        its delta record). A replica that has just read a peer's state replies with it::

            theirs = GCounter.from_json(received)
            send(mine.delta_for(theirs).to_json())   # only the slots the peer is missing

        Args:
            peer: The counter whose state is known (a :class:`GCounter` or
                :class:`MutableGCounter`; may be ``self``).
        """
        _require_counter(peer, f"{type(self).__name__}.delta_for")
        out = c_void_p()
        with _LockPair(self._lock, peer._lock):
            status = _delta_for(self._live(), peer._live(), byref(out))
            if status:
                raise _last_error(status)
        return GCounter._from_handle(out.value, "gcounter_delta_for")

    # ------------------------------------------------------------------
    # Lifetime
    # ------------------------------------------------------------------

    def close(self) -> None:
        """Free the native counter now. Safe to call more than once.

        Any later call other than ``close()``, ``closed`` and ``repr()`` raises ``ValueError``.
        Without it the counter is freed when the object is garbage-collected.
        """
        with self._lock:
            self._handle = None
            self._finalizer()  # runs gcounter_free once; later calls do nothing

    @property
    def closed(self) -> bool:
        """``True`` once :meth:`close` has run."""
        return self._handle is None

    def __enter__(self):
        with self._lock:
            self._live()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __reduce__(self):
        # Pickle and copy through the wire format; a MutableGCounter's delta record is not kept.
        return (_restore, (type(self), self.to_json()))

    def __repr__(self) -> str:
        with self._lock:
            if self._handle is None:
                return f"<closed {type(self).__name__}>"
            # The value and the slots from one reading.
            value = _exact_value(self._handle)
            slots = dict(_slots(self._handle))
        return f"{type(self).__name__}(value={value}, slots={slots!r})"


class GCounter(_Counter):
    """Grow-only Counter — a CRDT counter that only ever increases.

    Each agent increments its own private slot; the global value is the sum of
    all slots. Only the owning agent may increment a slot (this is enforced by
    convention — not cryptographically).

    All mutating methods return new :class:`GCounter` instances; ``self`` is
    never modified. For in-place updates use :class:`MutableGCounter`.

    Example::

        c1 = GCounter().increment("agent-1")
        c2 = GCounter().increment("agent-2").increment("agent-2")
        merged = c1.join(c2)
        assert merged.value() == 3  # 1 from agent-1 + 2 from agent-2
        assert merged.join(c1).value() == 3  # idempotent

    Args:
        counts: Initial ``{agent_id: count}`` mapping (or iterable of pairs); copied.
            Ids must be ``str``, counts ``int`` in ``0..2**64-1``; zero counts mean absent.
    """

    __slots__ = ()

    def increment(self, agent_id: str, by: int = 1) -> GCounter:
        """Return a new counter with *agent_id*'s slot incremented by *by*.

        Args:
            agent_id: The agent performing the increment (must be the caller's
                      own agent ID to maintain CRDT invariants).
            by:       Amount to increment; must be a positive integer.

        Raises:
            ValueError: (:class:`~gcounter.InvalidArgumentError`) If *by* is not a positive
                integer; the message is the library's.
            TypeError: If *agent_id* is not a ``str`` or *by* not an ``int``.
            OverflowError: If the slot would exceed ``2**64 - 1``.
        """
        if type(by) is not int or by < 0 or by > U64_MAX:
            by = _checked_amount(by, "GCounter.increment")
        try:
            key = _encoded_agent_ids[agent_id]
        except (KeyError, TypeError):
            key = _encode_agent_id(agent_id, "GCounter.increment")
        with self._lock:
            result = type(self)._from_handle(_clone(self._live()))
        # Nobody else holds `result` yet: no lock needed.
        status = _increment_len(result._handle, key, len(key), by)
        if status:
            raise _last_error(status, agent_id)
        return result

    def join(self, other: CounterLike) -> GCounter:
        """Return the lattice join — per-slot maximum of ``self`` and *other*.

        Args:
            other: The counter to merge with (a :class:`GCounter` or :class:`MutableGCounter`).
        """
        _require_counter(other, "GCounter.join")
        with _LockPair(self._lock, other._lock):
            other_handle = other._live()
            result = type(self)._from_handle(_clone(self._live()))
            status = _join(result._handle, other_handle)
            if status:
                raise _last_error(status)
        return result

    def join_json(self, text: JsonText) -> GCounter:
        """Return the join of ``self`` and a counter in the wire format.

        Same as ``self.join(GCounter.from_json(text))`` without the intermediate counter.

        Raises:
            ValueError: (:class:`~gcounter.InvalidJsonError`) ``text`` is not the wire format.
        """
        document = _json_input(text, "GCounter.join_json")
        with self._lock:
            result = type(self)._from_handle(_clone(self._live()))
        status = _join_json(result._handle, document, len(document))
        if status:
            raise _last_error(status, text)
        return result

    def to_mutable(self) -> MutableGCounter:
        """Return a :class:`MutableGCounter` holding the same counts (with an empty delta record)."""
        return self._clone_as(MutableGCounter)


class MutableGCounter(_Counter):
    """A G-Counter that changes in place: the replica a process keeps and ships deltas from.

    Same queries and serialisation as :class:`GCounter`, but :meth:`increment`, :meth:`join`
    and :meth:`join_json` update ``self`` and return ``None``, with no copy of the slots,
    and :meth:`take_delta` hands out what changed since the last call.

    Example::

        replica = MutableGCounter()
        for _ in range(1000):
            replica.increment("agent-1")
        delta = replica.take_delta()          # GCounter({"agent-1": 1000})
        peer = MutableGCounter()
        peer.join_json(delta.to_json())
        assert peer.value() == 1000

    Args:
        counts: Initial ``{agent_id: count}`` mapping, as for :class:`GCounter`. The delta
            record starts empty: the initial counts are not part of the first delta.
    """

    __slots__ = ()

    def increment(self, agent_id: str, by: int = 1) -> None:
        """Add *by* to *agent_id*'s slot, in place.

        Raises:
            ValueError: (:class:`~gcounter.InvalidArgumentError`) If *by* is not a positive
                integer; the message is the library's.
            TypeError: If *agent_id* is not a ``str`` or *by* not an ``int``.
            OverflowError: If the slot would exceed ``2**64 - 1`` (the counter is unchanged).
        """
        # The default amount is recognised by identity (CPython keeps one object for each small
        # int) and needs no check. Any other 1 takes the general path, with the same result.
        if by is _ONE:
            amount = _ONE_U64
        else:
            if type(by) is not int or by < 0 or by > U64_MAX:
                by = _checked_amount(by, "MutableGCounter.increment")
            amount = _u64_parameter(by)
        try:
            key = _c_string_ids[agent_id]
        except (KeyError, TypeError):  # first use of the id, an id with NUL bytes, not a str
            key = _encode_agent_id(agent_id, "MutableGCounter.increment")
            with self._lock:
                status = _increment_len(self._live(), key, len(key), by)
                if status:
                    raise _last_error(status, agent_id)
            return
        # acquire/release rather than `with`: half the cost of the lock on this path.
        lock = self._lock
        lock.acquire()
        try:
            handle = self._handle
            if handle is None:
                raise _closed_error(self)
            # Under the GIL (see _native.raw_function): O(1) amortized; a new agent may grow the
            # table, O(n), which the seed's increment pays every time by copying every slot.
            status = _raw_increment(handle, key, amount)
            if status:
                raise _last_error(status, agent_id)
        finally:
            lock.release()

    def join(self, other: CounterLike) -> None:
        """Raise every slot of ``self`` to its count in *other*, in place (``other`` may be ``self``)."""
        _require_counter(other, "MutableGCounter.join")
        with _LockPair(self._lock, other._lock):
            status = _join(self._live(), other._live())
            if status:
                raise _last_error(status)

    def join_json(self, text: JsonText) -> None:
        """Join a counter given in the wire format into ``self``, in place.

        Raises:
            ValueError: (:class:`~gcounter.InvalidJsonError`) ``text`` is not the wire format;
                ``self`` is unchanged.
        """
        document = _json_input(text, "MutableGCounter.join_json")
        with self._lock:
            status = _join_json(self._live(), document, len(document))
            if status:
                raise _last_error(status, text)

    def take_delta(self) -> GCounter:
        """Return the slots that rose since the last ``take_delta`` (or creation), and forget them.

        Joining every delta taken, in any order and any number of times, into a peer that had
        this replica's earlier state gives the same result as joining the full state.
        """
        out = c_void_p()
        with self._lock:
            status = _take_delta(self._live(), byref(out))
            if status:
                raise _last_error(status)
        return GCounter._from_handle(out.value, "gcounter_take_delta")

    def snapshot(self) -> GCounter:
        """Return an immutable :class:`GCounter` with the current counts."""
        return self._clone_as(GCounter)

    def copy(self) -> MutableGCounter:
        """Return an independent :class:`MutableGCounter` with the same counts and an empty delta record."""
        return self._clone_as(type(self))
