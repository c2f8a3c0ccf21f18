"""Checks an installed gcounter wheel, run from a fresh venv outside the repository.

    python check.py VERSION CHECKOUT SDIST

VERSION is the version the wheel must carry; CHECKOUT is the repository it was built from,
which nothing in this process may load a file from (its license texts are read, to compare);
SDIST is a copy of the sdist built with the wheel. Prints one line per check and closes with
"dist-python: N passed, N failed".
"""

import json
import sys
import tarfile
from importlib import metadata
from pathlib import Path

version, checkout, sdist = sys.argv[1], str(Path(sys.argv[2]).resolve()), sys.argv[3]
results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + (f": {detail}" if detail and not condition else ""))


import gcounter  # noqa: E402  (after the helpers: an ImportError is the first thing to see)

package_dir = Path(gcounter.__file__).resolve().parent
check("the library is the one inside the package", Path(gcounter.library_path) == package_dir / "libgcounter.so",
      gcounter.library_path)
check("the package is installed in this venv", package_dir.is_relative_to(Path(sys.prefix).resolve()), package_dir)
check("the package and the library carry the version", gcounter.__version__ == version == gcounter.library_version(),
      f"{gcounter.__version__}, {gcounter.library_version()}")

a = gcounter.GCounter().increment("agent-a", 3)
b = gcounter.GCounter.from_json('{"agent-b": 4, "agent-a": 1}')
merged = a.join(b)
check("join takes the per-slot maximum", merged.value() == 7 and merged.value_for("agent-a") == 3, merged)
check("to_json is canonical", merged.to_json() == '{"agent-a":3,"agent-b":4}', merged.to_json())
check("the JSON round-trips", json.loads(merged.to_json()) == {"agent-a": 3, "agent-b": 4})

try:
    merged.join_json('{"agent-a": -1}')
    check("a bad document is refused", False, "no error")
except ValueError as error:
    check("a bad document is refused", "invalid JSON at byte" in str(error), error)
check("a refused document changes nothing", merged.to_json() == '{"agent-a":3,"agent-b":4}', merged.to_json())

big = gcounter.GCounter({"b": 2**64 - 1, "a\x00": 2**64 - 1, "é": 1})
check("value() is exact past 2**64 - 1", big.value() == 2**65 - 1, big.value())
check("items() gives the slots in UTF-8 byte order", big.items() == [("a\x00", 2**64 - 1), ("b", 2**64 - 1), ("é", 1)],
      big.items())
peer = gcounter.MutableGCounter({"a\x00": 2**64 - 1, "b": 5})
delta = big.delta_for(peer)
check("delta_for holds only what the peer lacks", delta.items() == [("b", 2**64 - 1), ("é", 1)], delta.items())
peer.join(delta)
check("the peer joined with the delta has all of the counter", peer.equivalent(big), peer)

# Both license texts, as the repository root has them: in the wheel's .dist-info/licenses/
# (PEP 639), named by the metadata, and at the top of the sdist.
licenses = {name: Path(checkout, name).read_text(encoding="utf-8") for name in ("LICENSE-MIT", "LICENSE-APACHE")}
installed = metadata.distribution("gcounter")
check("the metadata names the license and both texts",
      installed.metadata["License-Expression"] == "MIT OR Apache-2.0"
      and installed.metadata.get_all("License-File") == list(licenses),
      (installed.metadata["License-Expression"], installed.metadata.get_all("License-File")))
in_wheel = {name: installed.read_text(f"licenses/{name}") for name in licenses}
check("the wheel's .dist-info/licenses/ holds both texts", in_wheel == licenses,
      f"missing or different: {[name for name in licenses if in_wheel[name] != licenses[name]]}")


def sdist_text(archive, name):
    try:
        return archive.extractfile(f"gcounter-{version}/{name}").read().decode("utf-8")
    except KeyError:  # not in the sdist
        return None


with tarfile.open(sdist) as archive:
    in_sdist = {name: sdist_text(archive, name) for name in licenses}
check("the sdist holds both texts at its top", in_sdist == licenses,
      f"missing or different: {[name for name in licenses if in_sdist[name] != licenses[name]]}")

with open("/proc/self/maps", encoding="utf-8") as maps:
    from_checkout = sorted({line.split()[-1] for line in maps if checkout + "/" in line})
check("nothing is loaded from the checkout", not from_checkout, from_checkout)

passed = sum(results)
print(f"dist-python: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
