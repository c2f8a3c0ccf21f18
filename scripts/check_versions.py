#!/usr/bin/env python3
"""Fails when a package or a binding does not carry the version of Cargo.toml (make test-versions).

Cargo.toml's [package] version is the one version. It is checked against where each other copy
lives in the sources (the header, cbindgen.toml, the Python, Ruby, Java and Node.js project files, the Go
module's README, the pkg-config and CMake templates), then against every package found in
dist/: its file name and, where the package records it inside, that record (the .deb control
file, the tarball's gcounter.pc and CMake package, the crate's Cargo.toml, a wheel's METADATA, the npm package's package.json).
A package of another version left in dist/ fails too: `make dist` again.

Ends with "versions: N passed, N failed".
"""

import json
import re
import subprocess
import sys
import tarfile
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"

results = []


def check(name, found, expected):
    """One comparison; `found` None means the version could not be read at all."""
    ok = found == expected
    results.append(ok)
    shown = "not found" if found is None else found
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {shown}" + ("" if ok else f" (expected {expected})"))


def search(path, pattern, flags=0):
    match = re.search(pattern, (ROOT / path).read_text(encoding="utf-8"), flags)
    return match.group(1) if match else None


def cargo_version():
    return tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))["package"]["version"]


# Each ecosystem's spelling of a pre-release: Cargo/SemVer 0.2.0-rc.1 is 0.2.0rc1 for Python,
# 0.2.0.rc.1 for RubyGems, 0.2.0~rc.1 for Debian; a release is spelled the same everywhere.
def pep440(version):
    match = re.fullmatch(r"(\d+\.\d+\.\d+)-(alpha|beta|rc)\.?(\d+)", version)
    if not match:
        return version
    return match.group(1) + {"alpha": "a", "beta": "b", "rc": "rc"}[match.group(2)] + match.group(3)


def rubygems(version):
    return version.replace("-", ".")


def debian(version):
    return version.replace("-", "~")


def check_sources(version):
    numeric = re.match(r"\d+\.\d+\.\d+", version).group(0)
    for path in ("include/gcounter.h", "cbindgen.toml"):
        parts = [search(path, rf"#define GCOUNTER_VERSION_{part} (\d+)") for part in ("MAJOR", "MINOR", "PATCH")]
        check(f"{path} GCOUNTER_VERSION_*", None if None in parts else ".".join(parts), numeric)

    project = tomllib.loads((ROOT / "bindings/python/pyproject.toml").read_text(encoding="utf-8"))["project"]
    if "version" in project.get("dynamic", []):
        print("     bindings/python/pyproject.toml: the version is dynamic; the wheel in dist/ is checked")
    else:
        check("bindings/python/pyproject.toml [project] version", project.get("version"), pep440(version))

    check("bindings/ruby/lib/gcounter/version.rb VERSION",
          search("bindings/ruby/lib/gcounter/version.rb", r'VERSION\s*=\s*"([^"]+)"'), rubygems(version))

    pom = ET.parse(ROOT / "bindings/java/pom.xml").getroot()
    node = pom.find("{http://maven.apache.org/POM/4.0.0}version")
    check("bindings/java/pom.xml <version>", None if node is None else node.text.strip(), version)

    package = json.loads((ROOT / "bindings/node/package.json").read_text(encoding="utf-8"))
    check("bindings/node/package.json version", package.get("version"), version)

    # The Go module's README names the release tag of this version (bindings/go/vX.Y.Z) and
    # `go get ...bindings/go@vX.Y.Z`; v0.0.0 is the placeholder a replace directive needs.
    readme = (ROOT / "bindings/go/README.md").read_text(encoding="utf-8")
    tags = set(re.findall(r"bindings/go[/@]v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)", readme)) - {"0.0.0"}
    check("bindings/go/README.md release tag", ", ".join(sorted(tags)) or None, version)

    # The installed .pc and CMake package take the version from make; the templates hold none.
    check("pkgconfig/gcounter.pc.in Version", search("pkgconfig/gcounter.pc.in", r"^Version: (.*)$", re.M), "@VERSION@")
    check("cmake/gcounter-config-version.cmake.in PACKAGE_VERSION",
          search("cmake/gcounter-config-version.cmake.in", r'set\(PACKAGE_VERSION "([^"]*)"\)'), "@VERSION@")


def tar_member(archive, suffix):
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.name.endswith(suffix):
                return tar.extractfile(member).read().decode()
    return None


def deb_field(deb, field):
    out = subprocess.run(["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def check_dist(version):
    if not DIST.is_dir():
        print("     dist/ does not exist: no package to check (make dist builds them)")
        return
    packages = sorted(p for p in DIST.rglob("*") if p.is_file() and not p.relative_to(DIST).parts[0] == "go")
    checked = 0
    for path in packages:
        name = path.name
        shown = str(path.relative_to(ROOT))
        if match := re.fullmatch(r"libgcounter-(.+?)-[^-]+-linux-gnu\.tar\.gz", name):
            check(f"{shown} (name)", match.group(1), version)
            pc = tar_member(path, "/lib/pkgconfig/gcounter.pc") or ""
            check(f"{shown} gcounter.pc", (re.search(r"^Version: (.*)$", pc, re.M) or [None, None])[1], version)
            cmake = tar_member(path, "/gcounter-config-version.cmake") or ""
            check(f"{shown} CMake package",
                  (re.search(r'set\(PACKAGE_VERSION "([^"]*)"\)', cmake) or [None, None])[1], version)
        elif name.endswith(".deb"):
            upstream = (deb_field(path, "Version") or "").rsplit("-", 1)[0] or None
            check(f"{shown} Version (upstream part)", upstream, debian(version))
        elif match := re.fullmatch(r"gcounter-(.+)\.crate", name):
            check(f"{shown} (name)", match.group(1), version)
            manifest = tar_member(path, "/Cargo.toml") or ""
            check(f"{shown} Cargo.toml", (re.search(r'^version = "([^"]*)"', manifest, re.M) or [None, None])[1], version)
        elif match := re.fullmatch(r"gcounter-([^-]+)-[^-]+-[^-]+-[^-]+\.whl", name):
            check(f"{shown} (name)", match.group(1), pep440(version))
            with zipfile.ZipFile(path) as wheel:
                metadata = next((wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".dist-info/METADATA")), "")
            check(f"{shown} METADATA", (re.search(r"^Version: (.*)$", metadata, re.M) or [None, None])[1], pep440(version))
        elif match := re.fullmatch(r"gcounter-(\d[^-]*)\.tar\.gz", name):
            check(f"{shown} (sdist name)", match.group(1), pep440(version))
        elif match := re.fullmatch(r"gcounter-(\d[^-]*(?:\.[a-z]+\.\d+)?)(?:-[a-z0-9_]+-[a-z0-9_]+)?\.gem", name):
            check(f"{shown} (name)", match.group(1), rubygems(version))
        elif match := re.fullmatch(r"gcounter-(\d.*)\.tgz", name):
            check(f"{shown} (name)", match.group(1), version)
            manifest = json.loads(tar_member(path, "package/package.json") or "{}")
            check(f"{shown} package.json", manifest.get("version"), version)
        elif match := re.fullmatch(r"gcounter-(.+?)(?:-sources|-javadoc)?\.jar", name):
            check(f"{shown} (name)", match.group(1), version)
        else:
            continue
        checked += 1
    print(f"     {checked} package(s) in dist/ checked")


def main():
    version = cargo_version()
    print(f"Cargo.toml: version {version}")
    check_sources(version)
    check_dist(version)
    passed = sum(results)
    failed = len(results) - passed
    print(f"versions: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
