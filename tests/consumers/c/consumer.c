/*
 * A C program as a separate project would write it against an installed libgcounter:
 * two replicas count, exchange their state as JSON and a delta, converge, and refuse a bad
 * document without changing.
 * Prints "converged: <json> value <n>" and exits 0 when every check holds.
 *
 *   cc consumer.c -o consumer $(pkg-config --cflags --libs gcounter)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <gcounter.h>

static int failures = 0;

static void check(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "consumer: failed: %s (%s)\n", what, gcounter_last_error_message());
    failures++;
  }
}

int main(void) {
  gcounter_t *a = gcounter_new();
  gcounter_t *b = gcounter_new();
  check(a != NULL && b != NULL, "gcounter_new");

  check(gcounter_increment(a, "agent-a", 3) == GCOUNTER_OK, "increment a");
  check(gcounter_increment(b, "agent-b", 5) == GCOUNTER_OK, "increment b");
  check(gcounter_increment(a, "agent-a", 0) == GCOUNTER_ERR_INVALID_ARGUMENT, "increment by 0 is refused");

  /* a -> b as JSON, b -> a as a delta. */
  char *json = NULL;
  size_t len = 0;
  check(gcounter_to_json(a, &json, &len) == GCOUNTER_OK, "to_json");
  check(gcounter_join_json(b, json, len) == GCOUNTER_OK, "join_json");
  gcounter_string_free(json);

  gcounter_t *delta = NULL;
  check(gcounter_take_delta(b, &delta) == GCOUNTER_OK, "take_delta");
  check(gcounter_join(a, delta) == GCOUNTER_OK, "join delta");
  gcounter_free(delta);

  /* A bad document is refused whole: agent-a's 9 is not applied. */
  const char *bad = "{\"agent-a\": 9, \"agent-c\": -1}";
  check(gcounter_join_json(a, bad, strlen(bad)) == GCOUNTER_ERR_INVALID_JSON, "a bad document is refused");

  uint64_t value_a = 0, value_b = 0;
  check(gcounter_value(a, &value_a) == GCOUNTER_OK && value_a == 8, "a's value is 8");
  check(gcounter_value(b, &value_b) == GCOUNTER_OK && value_b == 8, "b's value is 8");
  check(gcounter_equivalent(a, b), "a and b are equivalent");

  json = NULL;
  check(gcounter_to_json(a, &json, NULL) == GCOUNTER_OK &&
            strcmp(json, "{\"agent-a\":3,\"agent-b\":5}") == 0,
        "canonical JSON");
  if (failures == 0) printf("converged: %s value %" PRIu64 "\n", json, value_a);
  gcounter_string_free(json);

  gcounter_free(a);
  gcounter_free(b);
  return failures == 0 ? 0 : 1;
}
