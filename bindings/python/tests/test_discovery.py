"""How the package finds libgcounter: GCOUNTER_LIB, its own copy, an installed one, the source tree.

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


def system_library() -> "str | None":
    """An installed libgcounter the dynamic loader finds, if this machine has one."""
    return ctypes.util.find_library("gcounter")


def test_source_tree_library_is_found_without_any_variable():
    assert SOURCE_LIBRARY is not None and SOURCE_LIBRARY.is_file(), "run `make lib` first"
    result = import_in_fresh_python(PACKAGE_DIR.parent)
    assert result.returncode == 0, result.stderr
    found, value = result.stdout.split()
    assert value == "3"
    if system_library() is None:
        assert found == str(SOURCE_LIBRARY)
    else:  # an installed library comes before the source tree
        assert Path(found).name.startswith("libgcounter.so")


def test_the_library_inside_the_package_comes_first(tmp_path):
    site = copy_of_package(tmp_path)
    packaged = site / "gcounter" / SOURCE_LIBRARY.name
    shutil.copy(SOURCE_LIBRARY, packaged)
    elsewhere = tmp_path / "lib"
    elsewhere.mkdir()
    shutil.copy(SOURCE_LIBRARY, elsewhere / "libgcounter.so.0")
    result = import_in_fresh_python(site, LD_LIBRARY_PATH=str(elsewhere))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(packaged), "3"]


def test_a_package_outside_a_checkout_does_not_look_for_one_around_it(tmp_path):
    # The layout of a checkout, with a target/release library, but no Cargo.toml at its root.
    site = tmp_path / "bindings" / "python"
    shutil.copytree(PACKAGE_DIR, site / "gcounter", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "target" / "release").mkdir(parents=True)
    shutil.copy(SOURCE_LIBRARY, tmp_path / "target" / "release" / SOURCE_LIBRARY.name)
    probe = "from gcounter import _native; print(_native.SOURCE_TREE_LIBRARY)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", probe], env={**env, "PYTHONPATH": str(site), "GCOUNTER_LIB": str(SOURCE_LIBRARY)},
        cwd=site, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None"]


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
    assert message.startswith("libgcounter could not be loaded: build it with `make lib`")
    assert "GCOUNTER_LIB" in message
    assert all(f"  {name}: " in message for name in absent)


def test_candidates_order(monkeypatch, tmp_path):
    assert _native.candidates({"GCOUNTER_LIB": "/opt/x/libgcounter.so"}) == ["/opt/x/libgcounter.so"]
    found = _native.candidates({})
    assert found[-3:] == ["libgcounter.so.0", "libgcounter.so", str(SOURCE_LIBRARY)]
    packaged = tmp_path / "libgcounter.so"
    packaged.touch()
    monkeypatch.setattr(_native, "PACKAGED_LIBRARY", packaged)
    assert _native.candidates({})[0] == str(packaged)
