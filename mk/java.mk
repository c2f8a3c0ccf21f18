# Java binding (bindings/java): Maven project over JNA, JUnit 5 suite, JMH benchmarks.
#   make test-java    the JUnit suite (Surefire prints `Tests run: N, Failures: F, ...`)
#   make bench-java   JMH: the binding beside a HashMap<String, Long> G-Counter, medians in ns/op
#   make demo-java    two replicas syncing through JSON and deltas
# MVN_FLAGS passes options to Maven, e.g. MVN_FLAGS="-o" offline or -Dtest=JsonTest.

SUITES  += java
BENCHES += java

JAVA_DIR      := bindings/java
MVN           ?= mvn
MVN_FLAGS     ?=
JAVA_MVN      := $(MVN) -B -ntp -f $(JAVA_DIR)/pom.xml $(MVN_FLAGS)
JAVA_PACKAGES := openjdk-17-jdk-headless maven
JAVA_INSTALL_HINT := as root: apt-get update && apt-get install -y $(JAVA_PACKAGES)

.PHONY: java-deps test-java bench-java demo-java

# A JDK of version 17 or later and Maven. Installed from Debian when missing and we are root;
# otherwise stop with the command that installs them. Maven fetches the jars itself.
java-deps:
	@if javac -version >/dev/null 2>&1 && $(MVN) -v >/dev/null 2>&1; then \
	  release=$$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'); \
	  if [ "$${release:-0}" -ge 17 ]; then exit 0; fi; \
	  echo "java-deps: javac $$release is older than 17"; \
	fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "java-deps: a JDK 17+ and Maven are needed. Install them $(JAVA_INSTALL_HINT)" >&2; \
	  exit 1; \
	fi; \
	echo "java-deps: installing $(JAVA_PACKAGES) from Debian"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q && apt-get install -y -q $(JAVA_PACKAGES) || exit 1; \
	javac -version && $(MVN) -v >/dev/null || { \
	  echo "java-deps: still no working javac and mvn. Install them $(JAVA_INSTALL_HINT)" >&2; \
	  exit 1; }

test-java: lib java-deps
	$(JAVA_MVN) test

bench-java: lib java-deps
	$(JAVA_MVN) -Pbench test-compile exec:exec

demo-java: lib java-deps
	$(JAVA_MVN) -Pdemo test-compile exec:exec
