#!/usr/bin/env bash
# Prints the home of a JDK (one with javac) whose release is from MIN to MAX, the newest such,
# or says where it looked and exits 1. Usage: find-jdk.sh MIN [MAX]
# Looks at $GCOUNTER_JDK (if set, only there), $JAVA_HOME, the javac on PATH, /usr/lib/jvm/*,
# /opt/*, /opt/java/* and /usr/local/*: wherever Debian, Temurin's packages and tarballs put one.
set -euo pipefail
min=$1
max=${2:-999}

release_of() { # the feature release of the JDK at $1 ("17", "25"), from its release file
  sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" 2>/dev/null
}

if [ -n "${GCOUNTER_JDK:-}" ]; then
  candidates=("$GCOUNTER_JDK")
else
  candidates=("${JAVA_HOME:-}" /usr/lib/jvm/* /opt/* /opt/java/* /usr/local/*)
  if javac=$(command -v javac 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$javac")")")")
  fi
fi

best= best_release=0 seen=()
for home in "${candidates[@]}"; do
  [ -n "$home" ] && [ -x "$home/bin/javac" ] && [ -x "$home/bin/java" ] || continue
  release=$(release_of "$home")
  [ -n "$release" ] || continue
  seen+=("$home ($release)")
  if [ "$release" -ge "$min" ] && [ "$release" -le "$max" ] && [ "$release" -gt "$best_release" ]; then
    best=$(readlink -f "$home") best_release=$release
  fi
done

if [ -z "$best" ]; then
  range="$min or later"; [ "$max" = 999 ] || range="$min to $max"
  where=${GCOUNTER_JDK:+GCOUNTER_JDK=$GCOUNTER_JDK}
  echo "find-jdk.sh: no JDK of release $range ${where:-in JAVA_HOME, on PATH, in /usr/lib/jvm, /opt, /usr/local}" \
    "(JDKs seen: ${seen[*]:-none})" >&2
  exit 1
fi
echo "$best"
