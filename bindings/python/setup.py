"""Builds gcounter with libgcounter inside: the ctypes package and the C library it loads.

setuptools-rust compiles the library with cargo, with no Python binding (the package reaches
it through ctypes), and puts it in the package as ``gcounter/libgcounter.so``, where the
loader looks first. The Rust sources are the crate at the root of the repository when this
runs from a checkout; an sdist carries them in ``rust/``, as ``cargo package`` packs the crate.
pyproject.toml holds everything else.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.sdist import sdist
from setuptools_rust import Binding, RustExtension, Strip, build_rust

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
IN_REPOSITORY = HERE == REPOSITORY / "bindings" / "python" and (REPOSITORY / "Cargo.toml").is_file()
CRATE = HERE / "rust" if (HERE / "rust" / "Cargo.toml").is_file() else REPOSITORY if IN_REPOSITORY else None
if CRATE is None:
    sys.exit(
        f"setup.py: the Rust sources of libgcounter are neither in {HERE / 'rust'} (an sdist) nor in "
        "the repository around bindings/python: build from a checkout or from the sdist "
        "(make dist-python at the repository root makes both)"
    )

# The license texts that pyproject.toml's license-files names: the repository root holds them,
# so a build from a checkout copies them here first (they are git-ignored); an sdist has them.
LICENSE_FILES = ("LICENSE-MIT", "LICENSE-APACHE")
if IN_REPOSITORY:
    for name in LICENSE_FILES:
        shutil.copyfile(REPOSITORY / name, HERE / name)

# The name the loader (gcounter/_native.py) looks for in the package.
LIBRARY_FILE = {"darwin": "libgcounter.dylib", "win32": "gcounter.dll"}.get(sys.platform, "libgcounter.so")


def crate_version(manifest: Path) -> str:
    """The [package] version of Cargo.toml: the one version of the library and its packages."""
    section = None
    for line in manifest.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[package]":
            found = re.match(r'version\s*=\s*"([^"]+)"', line)
            if found:
                return found.group(1)
    sys.exit(f"setup.py: {manifest} has no version in its [package] table")


def pack_crate(destination: Path) -> None:
    """Writes the crate, as `cargo package` packs it for crates.io, into ``destination``."""
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [os.environ.get("CARGO", "cargo"), "package", "--quiet", "--no-verify", "--allow-dirty",
             "--manifest-path", str(REPOSITORY / "Cargo.toml"), "--target-dir", scratch],
            check=True,
        )
        (crate,) = Path(scratch, "package").glob("*.crate")
        with tarfile.open(crate) as archive:
            top = archive.getnames()[0].split("/")[0]
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(scratch, **safe)
        shutil.copytree(Path(scratch, top), destination)


class sdist_with_crate(sdist):
    """An sdist that builds anywhere cargo runs: the crate travels in rust/."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        if CRATE == REPOSITORY:
            pack_crate(Path(base_dir, "rust"))
        else:
            shutil.copytree(CRATE, Path(base_dir, "rust"))


class build_library(build_rust):
    """Names the library as the loader expects it: a C library, not an extension module, so
    its file name carries no Python ABI tag."""

    def get_dylib_ext_path(self, ext, target_fname):
        return os.path.join(os.path.dirname(super().get_dylib_ext_path(ext, target_fname)), LIBRARY_FILE)


class bdist_platform_wheel(bdist_wheel):
    """Tags the wheel py3-none-<platform>: it depends on the platform, for the library, but not
    on the Python version or ABI, since ctypes makes every call."""

    def get_tag(self):
        return "py3", "none", super().get_tag()[2]


setup(
    version=crate_version(CRATE / "Cargo.toml"),
    rust_extensions=[
        RustExtension(
            "gcounter.libgcounter",
            path=str(CRATE / "Cargo.toml"),
            binding=Binding.NoBinding,
            debug=False,
            strip=Strip.Debug,
            # The lock file is the one tested; a separate target directory keeps the
            # repository's target/release as `make lib` left it.
            cargo_manifest_args=["--locked"],
            args=["--target-dir", str(HERE / "build" / "cargo")],
        )
    ],
    cmdclass={"sdist": sdist_with_crate, "build_rust": build_library, "bdist_wheel": bdist_platform_wheel},
    zip_safe=False,
)
