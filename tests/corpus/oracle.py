#!/usr/bin/env python3
"""Says which files of the JSONTestSuite corpus the wire format accepts, and what they hold.

Usage: oracle.py CORPUS_DIR  (the directory with test_parsing/ and test_transform/)

Prints one line per accepted file, "dir/name<TAB>canonical JSON", sorted by name: a file is
accepted exactly when it is UTF-8 JSON text (RFC 8259: no byte order mark, no NaN or Infinity)
whose value is one object of distinct keys (after unescaping, each valid UTF-8, so no lone
surrogate) with integer values from 0 to 2^64 - 1 written without a sign. Python's json module
reads the files, so the C suite checks libgcounter against a reader it shares nothing with.
The canonical JSON is the seed's json.dumps of the counts above 0, sorted, without spaces.
"""

import json
import os
import sys

U64_MAX = 2**64 - 1


class Refused(Exception):
    """The document is valid JSON but not the wire format."""


def count(text):
    if text.startswith("-"):
        raise Refused("a sign")  # -1, and -0 too: counts carry no sign
    return int(text)


def refuse(*_):
    raise Refused("not a count")


def members(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise Refused("duplicate key")
        seen[key] = value
    return seen


def wire_format(data):
    """The counts of `data` as the wire format reads them, or None if it refuses them."""
    try:
        text = data.decode("utf-8", errors="strict")
        value = json.loads(text, object_pairs_hook=members, parse_int=count,
                           parse_float=refuse, parse_constant=refuse)
    except (Refused, ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    for key, number in value.items():
        if type(number) is not int or not 0 <= number <= U64_MAX:
            return None
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            return None
    return value


def main(corpus):
    lines = []
    for folder in ("test_parsing", "test_transform"):
        for name in sorted(os.listdir(os.path.join(corpus, folder))):
            with open(os.path.join(corpus, folder, name), "rb") as f:
                counts = wire_format(f.read())
            if counts is not None:
                canonical = json.dumps({k: v for k, v in counts.items() if v > 0}, sort_keys=True,
                                       separators=(",", ":"), ensure_ascii=False)
                lines.append(f"{folder}/{name}\t{canonical}")
    sys.stdout.buffer.write("".join(line + "\n" for line in lines).encode("utf-8"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
