# Java binding (bindings/java): Maven project, JUnit 5 suite, JMH benchmarks, jars. The binding
# calls the library through java.lang.foreign on Java 22+ and through JNA on Java 17-21, so two
# JDKs take part: 17 (Debian's, runs Maven and the JNA half) and one of 22 or later (Temurin 25 on
# this project's machines, in /usr/lib/jvm; bindings/java/find-jdk.sh finds it, GCOUNTER_JDK may
# name it), which compiles and runs the java.lang.foreign half.
#   make test-java       the JUnit suite twice: through JNA on JDK 17, through java.lang.foreign
#                        on JDK 22+ (each closes with Surefire's `Tests run: N, Failures: F, ...`)
#   make bench-java      JMH on both: the binding beside a HashMap<String, Long> G-Counter,
#                        medians in ns/op, and the status of the goal for increments
#   make demo-java       two replicas syncing through JSON and deltas, then anti-entropy
#   make dist-java       dist/gcounter-<v>.jar (multi-release: META-INF/versions/22/ holds the
#                        java.lang.foreign classes) with libgcounter.so at JNA's resource path
#                        (linux-x86-64/), -sources.jar (src/main/java22 too), -javadoc.jar
#                        (javadoc fails on any warning) and gcounter-<v>.pom (the consumer pom
#                        that flatten-maven-plugin makes of pom.xml: no build, profiles or paths)
#   make test-dist-java  compiles tests/dist/java/Check.java outside the repository and runs it
#                        against the jar on JDK 17 with JNA, and on JDK 22+ alone
# MVN_FLAGS passes options to Maven, e.g. MVN_FLAGS="-o" offline or -Dtest=JsonTest.

SUITES  += java dist-java
BENCHES += java
DISTS   += java

JAVA_DIR      := bindings/java
MVN           ?= mvn
MVN_FLAGS     ?=
JAVA_MVN      := $(MVN) -B -ntp -f $(JAVA_DIR)/pom.xml $(MVN_FLAGS)
JAVA_PACKAGES := openjdk-17-jdk-headless maven
JAVA_INSTALL_HINT := as root: apt-get update && apt-get install -y $(JAVA_PACKAGES)

JAVA_NATIVE_STAGE := $(BUILD)/java-native
JAVA_FIND_JDK     := $(JAVA_DIR)/find-jdk.sh
JAVA_FFM_PACKAGE  := openjdk-25-jdk-headless

# Shell lines that set $$ffm to the home of a JDK 22+ and $$jna to one of 17-21 (empty: Maven's).
define java-jdks
ffm=$$($(JAVA_FIND_JDK) 22) || exit 1; \
jna=$$($(JAVA_FIND_JDK) 17 21 2>/dev/null) || jna=$$(dirname "$$(dirname "$$(readlink -f "$$(command -v java)")")")
endef

.PHONY: java-deps java-ffm-jdk test-java bench-java demo-java dist-java test-dist-java

# A JDK of version 17 or later and Maven, from Debian when missing (scripts/apt_install.sh,
# which says how to install them when it cannot). Maven fetches the jars itself.
java-deps:
	@if javac -version >/dev/null 2>&1 && $(MVN) -v >/dev/null 2>&1; then \
	  release=$$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'); \
	  if [ "$${release:-0}" -ge 17 ]; then exit 0; fi; \
	  echo "java-deps: javac $$release is older than 17"; \
	fi; \
	scripts/apt_install.sh $(JAVA_PACKAGES) || exit 1; \
	javac -version && $(MVN) -v >/dev/null || { \
	  echo "java-deps: still no working javac and mvn. Install them $(JAVA_INSTALL_HINT)" >&2; \
	  exit 1; }
	@$(MAKE) --no-print-directory java-ffm-jdk

# A JDK of release 22 or later: this project's machines have Temurin 25 in /usr/lib/jvm. Where
# there is none, Debian's openjdk-25-jdk-headless if this Debian has it (bookworm has not);
# otherwise the suite fails here, saying so: the java.lang.foreign half is not skipped.
java-ffm-jdk:
	@$(JAVA_FIND_JDK) 22 >/dev/null 2>&1 && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -q >/dev/null 2>&1 || true; \
	  if apt-cache show $(JAVA_FFM_PACKAGE) >/dev/null 2>&1; then scripts/apt_install.sh $(JAVA_FFM_PACKAGE); fi; \
	fi; \
	$(JAVA_FIND_JDK) 22 >/dev/null || { \
	  echo "java-ffm-jdk: the Java binding's java.lang.foreign half needs a JDK 22 or later to" \
	    "compile and test, and none is here. Install one (e.g. Temurin 25 in /usr/lib/jvm, as on" \
	    "this project's machines, or $(JAVA_FFM_PACKAGE) where Debian has it), or name its home" \
	    "with GCOUNTER_JDK=/path/to/jdk" >&2; exit 1; }

test-java: lib java-deps
	@$(java-jdks); \
	echo "test-java: JNA on $$jna, java.lang.foreign on $$ffm"; \
	$(JAVA_MVN) test -Dgcounter.ffm.jdk=$$ffm -Dgcounter.jna.java=$$jna/bin/java

# Twice: through JNA on JDK 17, then through java.lang.foreign on JDK 22+, where the goal for
# increments is judged. JAVA_BENCH narrows the cases, e.g. JAVA_BENCH=Increment.
JAVA_BENCH ?=
bench-java: lib java-deps
	@$(java-jdks); \
	for run in "jna $$jna" "ffm $$ffm"; do set -- $$run; \
	  $(JAVA_MVN) -Pbench test-compile exec:exec -Dgcounter.ffm.jdk=$$ffm \
	    -Dgcounter.native=$$1 -Dgcounter.exec.java=$$2/bin/java -Dgcounter.args='$(JAVA_BENCH)' || exit 1; \
	done

demo-java: lib java-deps
	@$(java-jdks); \
	$(JAVA_MVN) -Pdemo test-compile exec:exec -Dgcounter.ffm.jdk=$$ffm -Dgcounter.exec.java=$$ffm/bin/java

# --- Jars ---------------------------------------------------------------------------------

# The jar carries a copy of the library without its debugging sections. Tests are the suite's
# business (make test-java); javadoc runs with failOnWarnings.
dist-java: lib java-deps
	@command -v strip >/dev/null 2>&1 || scripts/apt_install.sh binutils
	@rm -rf $(JAVA_NATIVE_STAGE) && mkdir -p $(JAVA_NATIVE_STAGE) dist
	strip --strip-debug -o $(JAVA_NATIVE_STAGE)/libgcounter.so $(LIB_DIR)/libgcounter.so
	@$(java-jdks); \
	$(JAVA_MVN) -q -Dstyle.color=never clean package -DskipTests -Dgcounter.native.dir=$(abspath $(JAVA_NATIVE_STAGE)) \
	  -Dgcounter.ffm.jdk=$$ffm
	@jar=$(JAVA_DIR)/target/gcounter-$(GCOUNTER_VERSION).jar; \
	[ -f $$jar ] || { echo "dist-java: Maven made no $$jar: is the version in $(JAVA_DIR)/pom.xml" \
	  "$(GCOUNTER_VERSION), as in Cargo.toml?" >&2; exit 1; }; \
	jar tf $$jar | grep -qx 'linux-x86-64/libgcounter.so' || { \
	  echo "dist-java: $$jar has no linux-x86-64/libgcounter.so" >&2; exit 1; }; \
	jar tf $$jar | grep -qx 'META-INF/versions/22/io/gcounter/FfmLibgcounter.class' || { \
	  echo "dist-java: $$jar has no java.lang.foreign classes in META-INF/versions/22/" >&2; exit 1; }
	@for kind in "" -sources -javadoc; do \
	  cp $(JAVA_DIR)/target/gcounter-$(GCOUNTER_VERSION)$$kind.jar dist/ && \
	  echo "dist/gcounter-$(GCOUNTER_VERSION)$$kind.jar" || exit 1; \
	done
	cp $(JAVA_DIR)/target/gcounter-$(GCOUNTER_VERSION).pom dist/

test-dist-java: dist-java
	@$(java-jdks); \
	MVN="$(MVN)" VERSION="$(GCOUNTER_VERSION)" JNA_JDK=$$jna FFM_JDK=$$ffm bash tests/dist/java/run.sh
