"""gcounter — a Grow-only Counter (G-Counter) CRDT backed by libgcounter.

A drop-in replacement for the pure-Python ``g_counter`` module::

    from gcounter import GCounter

    c1 = GCounter().increment("agent-1")
    c2 = GCounter().increment("agent-2").increment("agent-2")
    merged = c1.join(c2)
    assert merged.value() == 3

:class:`GCounter` keeps the seed's immutable API; :class:`MutableGCounter` updates in place
and hands out deltas. Both call the C library through ctypes: nothing to compile.

Public API
----------
- :class:`GCounter`, :class:`MutableGCounter` — the counters.
- :class:`GCounterDict` — ``TypedDict`` wire format ``{agent_id: count}``.
- :class:`Order` — result of :meth:`GCounter.compare`.
- :class:`GCounterError` and subclasses, :class:`Status` — errors.
- :func:`library_version`, :data:`library_path` — the loaded libgcounter.
"""

from __future__ import annotations

import importlib.metadata as _metadata

from ._counter import U64_MAX, GCounter, GCounterDict, MutableGCounter, Order
from ._errors import (
    CounterOverflowError,
    GCounterError,
    InternalError,
    InvalidArgumentError,
    InvalidJsonError,
    InvalidUtf8Error,
    Status,
)
from ._native import lib as _lib
from ._native import library_path


def _package_version() -> str:
    """The installed distribution's version; from a source tree, the library's (one version)."""
    try:
        return _metadata.version(__name__)
    except _metadata.PackageNotFoundError:
        return _lib.gcounter_version().decode("ascii")


__version__ = _package_version()

__all__ = [
    "GCounter",
    "MutableGCounter",
    "GCounterDict",
    "Order",
    "Status",
    "GCounterError",
    "InvalidArgumentError",
    "InvalidUtf8Error",
    "CounterOverflowError",
    "InvalidJsonError",
    "InternalError",
    "U64_MAX",
    "library_version",
    "library_path",
]


def library_version() -> str:
    """Return the version of the loaded libgcounter (``gcounter_version()``), e.g. ``"0.1.0"``."""
    return _lib.gcounter_version().decode("ascii")
