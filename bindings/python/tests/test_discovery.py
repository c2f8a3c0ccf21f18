"""How the package finds libgcounter: GCOUNTER_LIB, the source tree, an installed library.

Each case imports the package in a fresh interpreter, since the library is loaded at import.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gcounter
from gcounter import _native

PACKAGE_DIR = Path(gcounter.__file__).resolve().parent
SOURCE_LIBRARY = _native.SOURCE_TREE_LIBRARY
PROBE = "import gcounter; print(gcounter.library_path); print(gcounter.GCounter({'a': 2}).increment('a').value())"


def import_in_fresh_python(package_parent: Path, **env_changes: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GCOUNTER_LIB", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env.update(env_changes)
    env["PYTHONPATH"] = str(package_parent)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=package_parent, capture_output=True, text=True, timeout=60
    )


def copy_of_package(tmp_path: Path) -> Path:
    """The package alone, outside any source tree (as pip would install it)."""
    site = tmp_path / "site-packages"
    shutil.copytree(PACKAGE_DIR, site / "gcounter", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def test_source_tree_library_is_found_without_any_variable():
    assert SOURCE_LIBRARY.is_file(), "run `cargo build --release` (make lib) first"
    result = import_in_fresh_python(PACKAGE_DIR.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(SOURCE_LIBRARY), "3"]


def test_gcounter_lib_overrides_the_source_tree(tmp_path):
    elsewhere = tmp_path / "custom" / "libgcounter-copy.so"
    elsewhere.parent.mkdir()
    shutil.copy(SOURCE_LIBRARY, elsewhere)
    result = import_in_fresh_python(PACKAGE_DIR.parent, GCOUNTER_LIB=str(elsewhere))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(elsewhere), "3"]


def test_a_wrong_gcounter_lib_fails_loudly_instead_of_falling_back(tmp_path):
    missing = tmp_path / "nowhere" / "libgcounter.so"
    result = import_in_fresh_python(PACKAGE_DIR.parent, GCOUNTER_LIB=str(missing))
    assert result.returncode != 0
    assert "ImportError: libgcounter could not be loaded: GCOUNTER_LIB is set" in result.stderr
    assert str(missing) in result.stderr


def test_a_library_that_is_not_libgcounter_is_refused():
    libc = ctypes.util.find_library("c")
    assert libc, "no C library found to stand in for a wrong GCOUNTER_LIB"
    result = import_in_fresh_python(PACKAGE_DIR.parent, GCOUNTER_LIB=libc)
    assert result.returncode != 0
    assert f"{libc} is not a compatible libgcounter: it has no gcounter_version" in result.stderr


@pytest.mark.parametrize("installed_name", ["libgcounter.so.0", "libgcounter.so"])
def test_an_installed_library_is_found_through_the_loader_path(tmp_path, installed_name):
    site = copy_of_package(tmp_path)
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    shutil.copy(SOURCE_LIBRARY, lib_dir / installed_name)
    result = import_in_fresh_python(site, LD_LIBRARY_PATH=str(lib_dir))
    assert result.returncode == 0, result.stderr
    found, value = result.stdout.split()
    assert value == "3"
    assert Path(found).name.startswith("libgcounter.so") and not found.startswith(str(SOURCE_LIBRARY.parent))


def test_without_any_library_the_import_error_says_how_to_get_one(monkeypatch, tmp_path):
    absent = [str(tmp_path / "libgcounter.so"), "libgcounter-absent.so.0"]
    monkeypatch.setattr(_native, "candidates", lambda environ=None: absent)
    with pytest.raises(ImportError) as caught:
        _native.load({})
    message = str(caught.value)
    assert message.startswith("libgcounter could not be loaded: build it with `cargo build --release`")
    assert "GCOUNTER_LIB" in message
    assert all(f"  {name}: " in message for name in absent)


def test_candidates_order():
    assert _native.candidates({"GCOUNTER_LIB": "/opt/x/libgcounter.so"}) == ["/opt/x/libgcounter.so"]
    found = _native.candidates({})
    assert found[0] == str(SOURCE_LIBRARY)
    assert found[-2:] == ["libgcounter.so.0", "libgcounter.so"]
