"""Finding libgcounter and declaring its C ABI for ctypes.

The library is looked up once, at import, in this order:

1. ``GCOUNTER_LIB``: a path to the shared library. When set, it is the only candidate, so a
   wrong value fails loudly instead of silently loading another copy.
2. The package itself: ``libgcounter.so`` beside this file, which a wheel carries, built from
   the same sources as the package.
3. An installed library: ``ctypes.util.find_library("gcounter")``, then ``libgcounter.so.0`` and
   ``libgcounter.so`` through the dynamic loader's search path (``LD_LIBRARY_PATH``,
   ``/etc/ld.so.conf``, the system directories).
4. The source tree, when the package runs from ``bindings/python`` of a checkout:
   ``target/release/libgcounter.so`` at the root of the repository, as ``make lib`` builds it.

Every prototype is declared here, once, so that each call from the counter classes passes
through ctypes' fast path without per-call conversions being guessed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path

ENV_VAR = "GCOUNTER_LIB"

if sys.platform == "darwin":
    _FILE_NAME = "libgcounter.dylib"
    _INSTALLED_NAMES = ("libgcounter.0.dylib", "libgcounter.dylib")
elif sys.platform == "win32":
    _FILE_NAME = "gcounter.dll"
    _INSTALLED_NAMES = ("gcounter.dll",)
else:
    _FILE_NAME = "libgcounter.so"
    _INSTALLED_NAMES = ("libgcounter.so.0", "libgcounter.so")

_PACKAGE_DIR = Path(__file__).resolve().parent

#: The library a wheel carries, beside this file (setup.py puts it there).
PACKAGED_LIBRARY = _PACKAGE_DIR / _FILE_NAME


def _source_tree_library() -> "Path | None":
    """Where ``make lib`` puts the library, if this package is ``bindings/python/gcounter`` of a
    checkout; None for an installed package, which has no repository around it."""
    root = _PACKAGE_DIR.parent.parent.parent
    if _PACKAGE_DIR.parent != root / "bindings" / "python" or not (root / "Cargo.toml").is_file():
        return None
    return root / "target" / "release" / _FILE_NAME


#: The library of the checkout this package runs from, or None.
SOURCE_TREE_LIBRARY = _source_tree_library()


def candidates(environ: "os._Environ[str] | dict[str, str] | None" = None) -> list[str]:
    """Return the names or paths that :func:`load` tries, in order."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENV_VAR)
    if override:
        return [override]
    found: list[str] = []
    if PACKAGED_LIBRARY.is_file():
        found.append(str(PACKAGED_LIBRARY))
    system_name = ctypes.util.find_library("gcounter")
    if system_name:
        found.append(system_name)
    found.extend(name for name in _INSTALLED_NAMES if name not in found)
    if SOURCE_TREE_LIBRARY is not None and SOURCE_TREE_LIBRARY.is_file():
        found.append(str(SOURCE_TREE_LIBRARY))
    return found


def load(environ: "os._Environ[str] | dict[str, str] | None" = None) -> tuple[ctypes.CDLL, str]:
    """Load the first candidate that the dynamic loader accepts; return it and its name.

    Raises:
        ImportError: no candidate could be loaded; the message lists every attempt.
    """
    environ = os.environ if environ is None else environ
    attempts: list[str] = []
    for name in candidates(environ):
        try:
            return ctypes.CDLL(name), name
        except OSError as exc:
            attempts.append(f"  {name}: {exc}")
    if environ.get(ENV_VAR):
        hint = f"{ENV_VAR} is set but does not name a loadable libgcounter"
    else:
        hint = (
            "install a gcounter wheel for this platform (it carries the library), install "
            f"libgcounter where the dynamic loader looks, or set {ENV_VAR} to its path"
        )
        if SOURCE_TREE_LIBRARY is not None:
            hint = f"build it with `make lib` in the repository ({SOURCE_TREE_LIBRARY}), or " + hint
    raise ImportError("libgcounter could not be loaded: " + hint + ". Tried:\n" + "\n".join(attempts))


_STATUS = ctypes.c_int
_ORDER = ctypes.c_int
_PTR = ctypes.c_void_p  # gcounter_t *: a counter keeps its own as c_void_p.from_param(address)
_STR = ctypes.c_char_p
_SIZE = ctypes.c_size_t
_U64 = ctypes.c_uint64

# name: (restype, argtypes). Returned strings that the caller must free are read as a raw
# pointer (`c_void_p`), never as `c_char_p`, which would copy and lose the pointer.
PROTOTYPES: dict[str, tuple[object, list[object]]] = {
    "gcounter_version": (_STR, []),
    "gcounter_status_str": (_STR, [_STATUS]),
    "gcounter_last_error_message": (_STR, []),
    "gcounter_new": (_PTR, []),
    "gcounter_free": (None, [_PTR]),
    "gcounter_clone": (_PTR, [_PTR]),
    "gcounter_increment": (_STATUS, [_PTR, _STR, _U64]),
    "gcounter_increment_len": (_STATUS, [_PTR, _STR, _SIZE, _U64]),
    "gcounter_join": (_STATUS, [_PTR, _PTR]),
    "gcounter_join_json": (_STATUS, [_PTR, _STR, _SIZE]),
    "gcounter_value_exact": (_STATUS, [_PTR, ctypes.POINTER(_U64), ctypes.POINTER(_U64)]),
    "gcounter_value_for_len": (_STATUS, [_PTR, _STR, _SIZE, ctypes.POINTER(_U64)]),
    "gcounter_agent_count": (_SIZE, [_PTR]),
    # The id comes back as a raw pointer too: it is not NUL-terminated, and `c_char_p` would
    # stop at the first NUL byte of an id that holds one.
    "gcounter_slot_at": (_STATUS, [_PTR, _SIZE, ctypes.POINTER(_PTR), ctypes.POINTER(_SIZE), ctypes.POINTER(_U64)]),
    "gcounter_equivalent": (ctypes.c_bool, [_PTR, _PTR]),
    "gcounter_compare": (_STATUS, [_PTR, _PTR, ctypes.POINTER(_ORDER)]),
    "gcounter_to_json": (_STATUS, [_PTR, ctypes.POINTER(_PTR), ctypes.POINTER(_SIZE)]),
    "gcounter_string_free": (None, [_PTR]),
    "gcounter_from_json": (_STATUS, [_STR, _SIZE, ctypes.POINTER(_PTR)]),
    "gcounter_take_delta": (_STATUS, [_PTR, ctypes.POINTER(_PTR)]),
    "gcounter_delta_for": (_STATUS, [_PTR, _PTR, ctypes.POINTER(_PTR)]),
}


def declare(library: ctypes.CDLL) -> None:
    """Set ``restype``/``argtypes`` of every function the binding calls.

    Raises:
        ImportError: the library lacks one of them (an older or foreign build).
    """
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            function = getattr(library, name)
        except AttributeError:
            raise ImportError(f"{library._name} is not a compatible libgcounter: it has no {name}") from None
        function.restype = restype
        function.argtypes = argtypes


def raw_function(function):
    """A second object for the declared ``function``, for calls that take well under a
    microsecond: its result type, no ``argtypes``, and the GIL kept during the call.

    ctypes then converts no argument, so each must already be of its exact C type: a
    counter's handle, a ``c_size_t`` or ``c_uint64`` instance or ``from_param`` of one,
    ``byref()`` of the out-type, ``bytes`` for a ``const char *``; a wrong type would reach C unchecked, so only code that
    builds every argument itself may call it. The conversions are most of a short call's cost
    (an out-pointer ~0.15 µs each). Releasing the GIL for such a call costs more than it frees,
    and far more when another thread runs Python: taking the GIL back waits for that thread to
    give it up, once per call.
    """
    holding_gil = ctypes.PyDLL(lib._name, handle=lib._handle)
    raw = holding_gil[function.__name__]  # a new object: the declared one keeps its argtypes
    raw.restype = function.restype
    return raw


lib, library_path = load()
declare(lib)
