#!/usr/bin/env bash
# Compiles Check.java in a temporary directory against dist/'s jar alone and runs it twice, with
# nothing that points at this checkout (no jna.library.path, gcounter.library.path or
# LD_LIBRARY_PATH): on JDK 17 with the jar and JNA (the binding calls through JNA), and on JDK
# 22+ with the jar alone (through java.lang.foreign: JNA is not needed there); then on JDK 17
# with the jar alone, where the error must say that JNA is missing. JNA is the
# dependency that dist/'s pom declares, copied from Maven's cache (or Maven Central) by the
# dependency plugin, which reads that pom as a consumer's build would. Last, the sources jar must
# hold the source of every class in the jar, and it and the javadoc jar both license texts, as
# the jar does (which Check.java checks); the pom must be the consumer's, flattened.
# Environment: MVN, VERSION, JNA_JDK (a JDK 17 home), FFM_JDK (a JDK 22+ home).
set -euo pipefail
checkout=$(pwd)
jar=dist/gcounter-$VERSION.jar
pom=dist/gcounter-$VERSION.pom
sources_jar=dist/gcounter-$VERSION-sources.jar
javadoc_jar=dist/gcounter-$VERSION-javadoc.jar
for file in "$jar" "$pom" "$sources_jar" "$javadoc_jar"; do
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
"$JNA_JDK/bin/javac" -Xlint:all -Werror -d classes -cp "gcounter-$VERSION.jar" Check.java
installed=
if /sbin/ldconfig -p 2>/dev/null | grep -q 'libgcounter\.so\.0 '; then
  echo "note: this machine has an installed libgcounter.so.0, which the binding finds before the jar's"
  installed=installed
fi
mkdir jna tmp
echo "== JDK $("$JNA_JDK/bin/java" -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p'), through JNA"
status=0
"$JNA_JDK/bin/java" -Djna.debug_load=true -Djna.tmpdir="$work/jna" -cp "classes:$classpath" \
  Check "$VERSION" "$checkout" jna $installed || status=1
echo "== JDK $("$FFM_JDK/bin/java" -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p'), through java.lang.foreign, no JNA"
"$FFM_JDK/bin/java" --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$work/tmp" \
  -cp "classes:gcounter-$VERSION.jar" Check "$VERSION" "$checkout" ffm $installed || status=1
echo "== JDK 17 with the jar alone: JNA missing must be said, not a bare NoClassDefFoundError"
cat > NoJna.java <<'JAVA'
public class NoJna {
  public static void main(String[] args) {
    try {
      new io.gcounter.GCounter().close();
      System.out.println("no error, though JNA is not on the classpath");
    } catch (Throwable thrown) {
      for (Throwable t = thrown; t != null; t = t.getCause()) System.out.println(t);
    }
  }
}
JAVA
"$JNA_JDK/bin/javac" -d classes -cp "gcounter-$VERSION.jar" NoJna.java
"$JNA_JDK/bin/java" -cp "classes:gcounter-$VERSION.jar" NoJna > nojna.log 2>&1 || true
passed=0 failed=0
# verdict PASS FAIL DETAIL: one check's line. It passes when DETAIL, what is wrong, is empty:
# "ok   PASS"; otherwise "FAIL FAIL" and DETAIL.
verdict() {
  if [ -z "$3" ]; then
    echo "ok   $1"
    passed=$((passed + 1))
  else
    echo "FAIL $2"
    echo "$3"
    failed=$((failed + 1))
  fi
}
if grep -q 'UnsatisfiedLinkError: gcounter calls the library through JNA on Java 17, and JNA is not on the classpath' nojna.log; then
  nojna=
else
  nojna=$(cat nojna.log)
  nojna=${nojna:-(no output)}
fi
verdict "JDK 17 without JNA: the error names the missing jar" \
  "JDK 17 without JNA: the error does not name the missing jar:" "$nojna"
echo "== the sources jar: a .java for each top-level class of the jar, META-INF/versions/22/ included"
classes=$("$JNA_JDK/bin/jar" tf "gcounter-$VERSION.jar" | sed -n 's|^\(META-INF/versions/[0-9]*/\)\{0,1\}\(io/gcounter/[^$]*\)\.class$|\2.java|p' | sort -u)
sources=$("$JNA_JDK/bin/jar" tf "$checkout/$sources_jar" | grep '\.java$' | sort -u)
missing=$(comm -23 <(echo "$classes") <(echo "$sources"))
[ -n "$classes" ] || missing="(the jar lists no classes)"
verdict "the sources jar holds the source of all $(echo "$classes" | wc -l) classes" \
  "the sources jar lacks:" "$missing"
# Sources only: no library, class or other output of the build.
built=$("$JNA_JDK/bin/jar" tf "$checkout/$sources_jar" |
  grep -vE '/$|\.java$|^META-INF/(MANIFEST\.MF|LICENSE-MIT|LICENSE-APACHE|maven/.*)$' || true)
verdict "the sources jar holds sources, licenses and Maven's metadata, nothing built" \
  "the sources jar holds files that are not sources:" "$built"
echo "== the license texts: META-INF/LICENSE-MIT and LICENSE-APACHE in the sources and javadoc jars too"
for packaged in "$sources_jar" "$javadoc_jar"; do
  unpacked="$work/licenses/$(basename "$packaged")"
  mkdir -p "$unpacked"
  (cd "$unpacked" && "$JNA_JDK/bin/jar" xf "$checkout/$packaged" META-INF/LICENSE-MIT META-INF/LICENSE-APACHE)
  wrong=
  for license in LICENSE-MIT LICENSE-APACHE; do
    cmp -s "$checkout/$license" "$unpacked/META-INF/$license" || wrong="$wrong META-INF/$license"
  done
  verdict "$(basename "$packaged") carries both license texts" \
    "$(basename "$packaged") lacks, or differs from the repository in:" "$wrong"
done
echo "== the pom: the consumer's, without the build of the repository"
leaked=$(grep -nE '<build>|<profiles>|<properties>|\.\./' "$checkout/$pom" || true)
verdict "gcounter-$VERSION.pom holds no build, profiles, properties or paths into the repository" \
  "gcounter-$VERSION.pom is not a consumer pom:" "$leaked"
echo "dist-java: $passed passed, $failed failed"
[ "$failed" = 0 ] || status=1
exit $status
