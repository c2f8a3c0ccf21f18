# The JSONTestSuite conformance corpus (Nicolas Seriot, MIT License: LICENSE beside the files)
# through the C API, under valgrind: every n_ file refused with GCOUNTER_ERR_INVALID_JSON, each
# other file accepted exactly when it is an object of counts from 0 to UINT64_MAX (as Python's
# json module reads it: tests/corpus/oracle.py), no crash, and a refused join_json changes
# nothing (tests/corpus/test_corpus.c).
#
#   make test-corpus    CORPUS_DIR=... names another copy of the corpus (absolute, or relative
#                       to this directory); the suite fails, never skips, when it is missing

SUITES += corpus

CORPUS_DIR ?= ../shared/corpus/jsontestsuite

.PHONY: test-corpus

$(BUILD)/tests/test_corpus: tests/corpus/test_corpus.c include/gcounter.h lib | $(BUILD)/tests
	$(CC) $(C_FLAGS) $< -o $@ $(LINK)

test-corpus: c-deps $(BUILD)/tests/test_corpus
	@[ -d "$(CORPUS_DIR)/test_parsing" ] && [ -d "$(CORPUS_DIR)/test_transform" ] || { \
	  echo "test-corpus: the JSONTestSuite corpus is missing: no $(CORPUS_DIR)/test_parsing and" \
	       "test_transform; give its place with CORPUS_DIR=..." >&2; exit 1; }
	$(PYTHON) tests/corpus/oracle.py $(CORPUS_DIR) > $(BUILD)/tests/corpus_expected.txt
	$(VALGRIND) $(BUILD)/tests/test_corpus $(CORPUS_DIR) $(BUILD)/tests/corpus_expected.txt
