# Java binding (bindings/java): Maven project over JNA, JUnit 5 suite, JMH benchmarks, jars.
#   make test-java       the JUnit suite (Surefire prints `Tests run: N, Failures: F, ...`)
#   make bench-java      JMH: the binding beside a HashMap<String, Long> G-Counter, medians in ns/op
#   make demo-java       two replicas syncing through JSON and deltas
#   make dist-java       dist/gcounter-<v>.jar with libgcounter.so at JNA's resource path
#                        (linux-x86-64/), -sources.jar, -javadoc.jar (javadoc fails on any
#                        warning) and gcounter-<v>.pom
#   make test-dist-java  compiles and runs tests/dist/java/Check.java outside the repository
#                        against the jar and JNA alone
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

.PHONY: java-deps test-java bench-java demo-java dist-java test-dist-java

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

test-java: lib java-deps
	$(JAVA_MVN) test

bench-java: lib java-deps
	$(JAVA_MVN) -Pbench test-compile exec:exec

demo-java: lib java-deps
	$(JAVA_MVN) -Pdemo test-compile exec:exec

# --- Jars ---------------------------------------------------------------------------------

# The jar carries a copy of the library without its debugging sections. Tests are the suite's
# business (make test-java); javadoc runs with failOnWarnings.
dist-java: lib java-deps
	@command -v strip >/dev/null 2>&1 || scripts/apt_install.sh binutils
	@rm -rf $(JAVA_NATIVE_STAGE) && mkdir -p $(JAVA_NATIVE_STAGE) dist
	strip --strip-debug -o $(JAVA_NATIVE_STAGE)/libgcounter.so $(LIB_DIR)/libgcounter.so
	$(JAVA_MVN) -q -Dstyle.color=never clean package -DskipTests -Dgcounter.native.dir=$(abspath $(JAVA_NATIVE_STAGE))
	@jar=$(JAVA_DIR)/target/gcounter-$(GCOUNTER_VERSION).jar; \
	[ -f $$jar ] || { echo "dist-java: Maven made no $$jar: is the version in $(JAVA_DIR)/pom.xml" \
	  "$(GCOUNTER_VERSION), as in Cargo.toml?" >&2; exit 1; }; \
	jar tf $$jar | grep -qx 'linux-x86-64/libgcounter.so' || { \
	  echo "dist-java: $$jar has no linux-x86-64/libgcounter.so" >&2; exit 1; }
	@for kind in "" -sources -javadoc; do \
	  cp $(JAVA_DIR)/target/gcounter-$(GCOUNTER_VERSION)$$kind.jar dist/ && \
	  echo "dist/gcounter-$(GCOUNTER_VERSION)$$kind.jar" || exit 1; \
	done
	cp $(JAVA_DIR)/pom.xml dist/gcounter-$(GCOUNTER_VERSION).pom

test-dist-java: dist-java
	@MVN="$(MVN)" VERSION="$(GCOUNTER_VERSION)" bash tests/dist/java/run.sh
