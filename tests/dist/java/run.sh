#!/usr/bin/env bash
# Compiles and runs Check.java in a temporary directory against dist/'s jar and JNA alone, with
# nothing that points at this checkout (no jna.library.path, gcounter.library.path or
# LD_LIBRARY_PATH). JNA is the dependency that dist/'s pom declares, copied from Maven's cache
# (or Maven Central) by the dependency plugin, which reads that pom as a consumer's build would.
# Environment: MVN, VERSION.
set -euo pipefail
checkout=$(pwd)
jar=dist/gcounter-$VERSION.jar
pom=dist/gcounter-$VERSION.pom
for file in "$jar" "$pom"; do
  [ -f "$file" ] || { echo "test-dist-java: $file is missing: run make dist-java" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$jar" "$pom" tests/dist/java/Check.java "$work"/
cd "$work"
unset LD_LIBRARY_PATH CLASSPATH JAVA_TOOL_OPTIONS
"$MVN" -B -ntp -q -Dstyle.color=never -f "gcounter-$VERSION.pom" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$work/lib" > maven.log 2>&1 || { cat maven.log >&2; exit 1; }
ls lib/jna-*.jar >/dev/null

classpath=$(printf '%s:' "gcounter-$VERSION.jar" lib/*.jar)
classpath=${classpath%:}
javac -Xlint:all -Werror -d classes -cp "$classpath" Check.java
installed=
if /sbin/ldconfig -p 2>/dev/null | grep -q 'libgcounter\.so\.0 '; then
  echo "note: this machine has an installed libgcounter.so.0, which JNA finds before the jar's"
  installed=installed
fi
mkdir jna
java -Djna.debug_load=true -Djna.tmpdir="$work/jna" -cp "classes:$classpath" Check "$VERSION" "$checkout" $installed
