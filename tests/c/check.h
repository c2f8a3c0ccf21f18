/* A minimal test harness: TEST functions, CHECK assertions, one closing line
 * "c: N passed, N failed" counting tests (a test fails if any of its checks does). */
#ifndef GCOUNTER_TEST_CHECK_H
#define GCOUNTER_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures_in_test;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      check_failures_in_test++;                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
    }                                                                            \
  } while (0)

#define CHECK_STATUS(call, expected)                                             \
  do {                                                                           \
    gcounter_status check_status_ = (call);                                      \
    if (check_status_ != (expected)) {                                           \
      check_failures_in_test++;                                                  \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %s; message: %s\n",  \
              __FILE__, __LINE__, #call, (int)check_status_,                     \
              gcounter_status_str(check_status_), #expected,                     \
              gcounter_last_error_message());                                    \
    }                                                                            \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, GCOUNTER_OK)

#define CHECK_STR(actual, expected)                                              \
  do {                                                                           \
    const char *check_a_ = (actual), *check_e_ = (expected);                     \
    if (check_a_ == NULL || strcmp(check_a_, check_e_) != 0) {                   \
      check_failures_in_test++;                                                  \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,        \
              __LINE__, #actual, check_a_ ? check_a_ : "(null)", check_e_);      \
    }                                                                            \
  } while (0)

static int tests_passed, tests_failed;

static void run_test(const char *name, void (*test)(void)) {
  check_failures_in_test = 0;
  test();
  if (check_failures_in_test == 0) {
    tests_passed++;
  } else {
    tests_failed++;
    fprintf(stderr, "FAILED: %s\n", name);
  }
}

#define RUN(test) run_test(#test, test)

static int finish(void) {
  printf("c: %d passed, %d failed\n", tests_passed, tests_failed);
  return tests_failed == 0 ? 0 : 1;
}

#endif
