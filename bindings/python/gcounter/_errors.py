"""Statuses of the C ABI and the exceptions they become.

Every exception the library raises derives from :class:`GCounterError` *and* from the builtin
type a Python caller expects, so ``except ValueError`` and ``except OverflowError`` keep
working for code written against the pure-Python seed.
"""

from __future__ import annotations

from enum import IntEnum


class Status(IntEnum):
    """``gcounter_status``: the numeric values are part of the C ABI and never change."""

    OK = 0
    NULL_POINTER = 1
    INVALID_ARGUMENT = 2
    INVALID_UTF8 = 3
    OVERFLOW = 4
    INVALID_JSON = 5
    PANIC = 6


class GCounterError(Exception):
    """Base of every error from libgcounter or its argument checks.

    Attributes:
        status: the :class:`Status` (or the raw ``int`` for a code this binding does not know).
        message: the explanation; ``str(error)`` is exactly this text.
    """

    def __init__(self, status: Status | int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self):  # keep status across pickling (multiprocessing, logging handlers)
        return (type(self), (self.status, self.message))


class InvalidArgumentError(GCounterError, ValueError):
    """An argument out of its domain, e.g. an increment by ``0`` or a negative count."""


class InvalidUtf8Error(GCounterError, ValueError):
    """An agent id that is not valid Unicode text (a lone surrogate)."""


class CounterOverflowError(GCounterError, OverflowError):
    """A slot would exceed ``2**64 - 1``."""


class InvalidJsonError(GCounterError, ValueError):
    """Input that is not the wire format; the message says where and why."""


class InternalError(GCounterError, RuntimeError):
    """A bug caught at the C boundary (a panic, a NULL the binding never passes)."""


_ERROR_TYPES: dict[int, type[GCounterError]] = {
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.INVALID_UTF8: InvalidUtf8Error,
    Status.OVERFLOW: CounterOverflowError,
    Status.INVALID_JSON: InvalidJsonError,
}


def error_for(status: int, message: str) -> GCounterError:
    """Build the exception for a non-OK ``status`` returned by the library."""
    try:
        known: Status | int = Status(status)
    except ValueError:
        known = status
    return _ERROR_TYPES.get(status, InternalError)(known, message)
