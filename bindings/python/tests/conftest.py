"""Shared fixtures: the seed module (the reference semantics) and small helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
# The seed lives beside the checkout, in <repo>/../shared/seed, here and in CI alike.
SEED_PATH = REPO_ROOT.parent / "shared" / "seed" / "g_counter.py"


def load_seed():
    """Import the seed module from its file, or fail saying where it was expected."""
    if not SEED_PATH.is_file():
        pytest.fail(
            f"the reference module g_counter.py was not found at {SEED_PATH}: "
            "these tests compare the binding with it and need shared/seed/ beside the repository",
            pytrace=False,
        )
    name = "gcounter_seed_reference"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SEED_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seed():
    """The seed module ``g_counter``: ``seed.GCounter`` is the reference implementation."""
    return load_seed()
