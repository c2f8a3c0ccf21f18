/* Canaries for the sanitizer suites: each mode makes one mistake on purpose, and
 * `make test-sanitize-c` checks that the sanitizers report it. A sanitizer build that stays
 * silent here would be silent about the library too, so the suite fails instead of passing.
 *
 *   canary leak      a counter from the library never freed (LeakSanitizer, through the
 *                    Rust allocator's calls to malloc)
 *   canary overflow  a read one byte past the JSON string the library returned
 *                    (AddressSanitizer, on memory the library allocated)
 *   canary ubsan     a signed integer overflow (UndefinedBehaviorSanitizer)
 *   canary clean     the same calls done right: must pass silently */
#include "gcounter.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static int leak(void) {
  gcounter_t *counter = gcounter_new();
  if (gcounter_increment(counter, "leaked", 1) != GCOUNTER_OK) return 2;
  counter = NULL; /* dropped without gcounter_free */
  return 0;
}

static int overflow(void) {
  gcounter_t *counter = gcounter_new();
  char *json = NULL;
  size_t len = 0;
  gcounter_increment(counter, "a", 1);
  gcounter_to_json(counter, &json, &len);
  volatile char past = json[len + 1]; /* one byte beyond the terminating NUL */
  printf("read %d\n", past);
  gcounter_string_free(json);
  gcounter_free(counter);
  return 0;
}

static int ubsan(int argc) {
  volatile int big = INT_MAX - 1 + argc; /* INT_MAX, unknown to the compiler */
  int sum = big + argc;                  /* signed overflow */
  printf("sum %d\n", sum);
  return 0;
}

static int clean(void) {
  gcounter_t *counter = gcounter_new();
  char *json = NULL;
  size_t len = 0;
  gcounter_increment(counter, "a", 1);
  gcounter_to_json(counter, &json, &len);
  int ok = len == strlen(json) && json[len] == '\0';
  gcounter_string_free(json);
  gcounter_free(counter);
  return ok ? 0 : 2;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "leak") == 0) return leak();
  if (strcmp(mode, "overflow") == 0) return overflow();
  if (strcmp(mode, "ubsan") == 0) return ubsan(argc - 1);
  if (strcmp(mode, "clean") == 0) return clean();
  fprintf(stderr, "usage: canary leak|overflow|ubsan|clean\n");
  return 2;
}
