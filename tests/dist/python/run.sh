#!/usr/bin/env bash
# Installs dist/'s wheel into a fresh venv in a temporary directory, with nothing that points at
# this checkout (no PYTHONPATH, GCOUNTER_LIB or LD_LIBRARY_PATH), and runs check.py there, which
# also reads the sdist.
# Environment: PYTHON (the interpreter that makes the venv), VERSION (the wheel's version).
set -euo pipefail
checkout=$(pwd)
wheels=(dist/gcounter-"$VERSION"-py3-none-*.whl)
[ -f "${wheels[0]}" ] || { echo "test-dist-python: no dist/gcounter-$VERSION-py3-none-*.whl: run make dist-python" >&2; exit 1; }
sdist=dist/gcounter-$VERSION.tar.gz
[ -f "$sdist" ] || { echo "test-dist-python: no $sdist: run make dist-python" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "${wheels[0]}" "$sdist" tests/dist/python/check.py "$work"/
cd "$work"
unset PYTHONPATH GCOUNTER_LIB LD_LIBRARY_PATH PYTHONHOME
"$PYTHON" -m venv venv
# --no-index: the wheel has no dependency, so nothing comes from a registry.
venv/bin/python -m pip install --quiet --no-index --disable-pip-version-check ./"$(basename "${wheels[0]}")"
venv/bin/python check.py "$VERSION" "$checkout" "$(basename "$sdist")"
