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
