# Reliability: sanitizers, fuzzing, hostile input and convergence across languages
# (docs/reliability.md). The model-based and fuzz-replay tests are Rust tests (tests/model.rs,
# tests/fuzz_replay.rs, tests/hostile.rs), run by `make test-rust`.
#
#   make test-sanitize-c    canaries that prove the sanitizers report a leak, a heap overflow and
#                           undefined behaviour; then the C tests built with
#                           -fsanitize=address,undefined, LeakSanitizer on
#   make test-sanitize-cxx  the C++ wrapper tests, built and run the same way

SUITES += sanitize-c sanitize-cxx

SAN_DIR   := $(BUILD)/sanitize
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 LSAN_OPTIONS=report_objects=1

.PHONY: sanitize-deps test-sanitize-c test-sanitize-cxx

$(SAN_DIR):
	mkdir -p $@

# gcc's sanitizer runtimes (libasan, libubsan) come with Debian's gcc; install them if a
# sanitized program does not link.
sanitize-deps: | $(SAN_DIR)
	@printf 'int main(void) { return 0; }\n' > $(SAN_DIR)/probe.c
	@$(CC) $(SAN_FLAGS) $(SAN_DIR)/probe.c -o $(SAN_DIR)/probe 2>/dev/null || \
	  { scripts/apt_install.sh libasan8 libubsan1 && $(CC) $(SAN_FLAGS) $(SAN_DIR)/probe.c -o $(SAN_DIR)/probe; } || \
	  { echo "sanitize-deps: $(CC) cannot build with $(SAN_FLAGS)" >&2; exit 1; }

$(SAN_DIR)/canary: tests/sanitizers/canary.c include/gcounter.h lib | $(SAN_DIR)
	$(CC) $(C_FLAGS) -O1 $(SAN_FLAGS) $< -o $@ $(LINK)

$(SAN_DIR)/test_c: tests/c/test_gcounter.c tests/c/check.h include/gcounter.h lib | $(SAN_DIR)
	$(CC) $(C_FLAGS) $(SAN_FLAGS) -pthread $< -o $@ $(LINK)

$(SAN_DIR)/test_cxx: tests/cxx/test_wrapper.cpp include/gcounter.hpp include/gcounter.h lib | $(SAN_DIR)
	$(CXX) $(CXX_FLAGS) $(SAN_FLAGS) -pthread $< -o $@ $(LINK) -lgtest -lgtest_main

test-sanitize-c: sanitize-deps $(SAN_DIR)/canary $(SAN_DIR)/test_c
	$(SAN_ENV) tests/sanitizers/run_canaries.sh $(SAN_DIR)/canary
	$(SAN_ENV) $(SAN_DIR)/test_c

test-sanitize-cxx: sanitize-deps cxx-deps $(SAN_DIR)/test_cxx
	$(SAN_ENV) $(SAN_DIR)/test_cxx

# --- Fuzzing ---------------------------------------------------------------------------------
#   make fuzz   each cargo-fuzz target in fuzz/ for FUZZ_SECONDS (default 60) under
#               AddressSanitizer, from the seeds in fuzz/seeds/<target>; the corpus grows in
#               build/fuzz/corpus, crashes land in build/fuzz/artifacts. Needs a nightly Rust
#               toolchain (installed with rustup when missing) and cargo-fuzz (installed from
#               crates.io when missing). The same bodies run on stable in `make test-rust`
#               (tests/fuzz_replay.rs); copy a crash into fuzz/regressions/<target>/ to keep it.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= json ops
FUZZ_DIR     := $(abspath $(BUILD))/fuzz

.PHONY: fuzz fuzz-deps

fuzz-deps:
	@rustup run nightly rustc --version >/dev/null 2>&1 || { \
	  echo "fuzz-deps: cargo-fuzz needs a nightly Rust toolchain; installing it with rustup"; \
	  rustup toolchain install nightly --profile minimal; } || { \
	  echo "fuzz-deps: no nightly toolchain, and rustup could not install one. make fuzz needs" \
	       "nightly Rust (cargo-fuzz builds with -Zsanitizer=address): rustup toolchain install nightly" >&2; \
	  exit 1; }
	@command -v cargo-fuzz >/dev/null 2>&1 || { \
	  echo "fuzz-deps: installing cargo-fuzz from crates.io"; $(CARGO) install --locked cargo-fuzz; } || { \
	  echo "fuzz-deps: cargo-fuzz is missing: cargo install --locked cargo-fuzz" >&2; exit 1; }

fuzz: fuzz-deps
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$target $(FUZZ_DIR)/artifacts/$$target; \
	  echo "== fuzz target $$target: $(FUZZ_SECONDS) s"; \
	  $(CARGO) +nightly fuzz run --fuzz-dir fuzz $$target \
	    $(FUZZ_DIR)/corpus/$$target $(abspath fuzz/seeds)/$$target \
	    -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	       -artifact_prefix=$(FUZZ_DIR)/artifacts/$$target/ || exit 1; \
	done

# --- Hostile input: sizes and times ------------------------------------------------------------
#   make bench-hostile   10^5 to 2*10^6 agents, 100 MB documents (agents, one id, escapes,
#                        whitespace, nesting) through the C API: times and peak memory

BENCHES += hostile

.PHONY: bench-hostile

$(BUILD)/hostile/measure: tests/hostile/measure.c include/gcounter.h lib
	@mkdir -p $(@D)
	$(CC) $(C_FLAGS) -O2 $< -o $@ $(LINK)

bench-hostile: $(BUILD)/hostile/measure
	$(PYTHON) tests/hostile/measure.py $(BUILD)/hostile/measure $(BUILD)/hostile

# --- Convergence across languages ------------------------------------------------------------
#   make test-convergence   replicas in C, Go, Java, Ruby and Python, separate processes each on
#                           its language's binding, converge over a network that delays,
#                           duplicates, reorders, cuts short and drops their messages
#                           (examples/convergence/README.md). CONVERGENCE_FLAGS passes options
#                           to the coordinator, e.g. "--seed 7 --rounds 100 --per-language 3".

SUITES += convergence

CONV_DIR          := $(BUILD)/convergence
CONV_SRC          := examples/convergence
CONVERGENCE_FLAGS ?=
CONV_JAVA_CP      := $(CONV_DIR)/java-classpath.txt

.PHONY: test-convergence

$(CONV_DIR)/replica-c: $(CONV_SRC)/c/replica.c include/gcounter.h lib
	@mkdir -p $(@D)
	$(CC) $(C_FLAGS) $< -o $@ $(LINK)

$(CONV_DIR)/replica-go: $(CONV_SRC)/go/main.go $(CONV_SRC)/go/go.mod $(wildcard $(GO_DIR)/*.go) lib go-deps
	@mkdir -p $(@D)
	cd $(CONV_SRC)/go && $(GO) vet . && $(GO) build -o $(abspath $@) .

# The Java binding's sources and the replica, compiled against the binding's runtime classpath
# (JNA) as Maven resolves it; bindings/java/target is left to the binding's own build.
$(CONV_DIR)/java/Replica.class: $(CONV_SRC)/java/Replica.java $(wildcard $(JAVA_DIR)/src/main/java/io/gcounter/*.java) lib java-deps
	@mkdir -p $(CONV_DIR)/java
	$(JAVA_MVN) -q dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=$(abspath $(CONV_JAVA_CP))
	javac -encoding UTF-8 -Xlint:all -Werror -d $(CONV_DIR)/java -cp "$$(cat $(CONV_JAVA_CP))" \
	  $(JAVA_DIR)/src/main/java/io/gcounter/*.java $<

# The Ruby and Python replicas load the build, not an installed library they would take first.
CONV_LIB := $(abspath $(LIB_DIR))/libgcounter.so

test-convergence: lib c-deps ruby-deps $(CONV_DIR)/replica-c $(CONV_DIR)/replica-go $(CONV_DIR)/java/Replica.class
	$(PYTHON) $(CONV_SRC)/coordinator.py --work $(CONV_DIR)/run $(CONVERGENCE_FLAGS) \
	  --replica "c=$(CONV_DIR)/replica-c" \
	  --replica "go=$(CONV_DIR)/replica-go" \
	  --replica "java=java -Dgcounter.library.path=$(abspath $(LIB_DIR)) -cp $(CONV_DIR)/java:$$(cat $(CONV_JAVA_CP)) Replica" \
	  --replica "ruby=env GCOUNTER_LIB=$(CONV_LIB) $(RUBY) -w -I $(RUBY_DIR)/lib $(CONV_SRC)/ruby/replica.rb" \
	  --replica "python=env GCOUNTER_LIB=$(CONV_LIB) PYTHONPATH=$(abspath $(PYTHON_DIR)) $(PYTHON) $(CONV_SRC)/python/replica.py"
