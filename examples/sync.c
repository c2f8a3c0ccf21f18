/* Two agents count on their own replicas, then converge: once by exchanging their whole
 * state as JSON, again by sending only deltas, and last by anti-entropy, where a replica that
 * has read its peer's state replies with only what the peer lacks.  Build and run: make demo */
#include <gcounter.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stops the demo with the library's message if a call failed. */
static void check(gcounter_status status, const char *what) {
  if (status != GCOUNTER_OK) {
    fprintf(stderr, "%s failed: %s (%s)\n", what, gcounter_status_str(status),
            gcounter_last_error_message());
    exit(1);
  }
}

static void show(const char *name, const gcounter_t *counter) {
  char *json = NULL;
  uint64_t value = 0;
  check(gcounter_to_json(counter, &json, NULL), "to_json");
  check(gcounter_value(counter, &value), "value");
  printf("  %-8s %s value %" PRIu64 "\n", name, json, value);
  gcounter_string_free(json);
}

/* What would travel over the network: the canonical JSON of `counter`. */
static char *send_json(const gcounter_t *counter, size_t *len) {
  char *json = NULL;
  check(gcounter_to_json(counter, &json, len), "to_json");
  return json;
}

int main(void) {
  gcounter_t *a = gcounter_new();
  gcounter_t *b = gcounter_new();

  printf("1. each agent increments its own slot\n");
  check(gcounter_increment(a, "agent-a", 2), "increment");
  check(gcounter_increment(b, "agent-b", 4), "increment");
  show("A", a);
  show("B", b);

  printf("2. they exchange full states as JSON and join\n");
  size_t len_a = 0, len_b = 0;
  char *from_a = send_json(a, &len_a);
  char *from_b = send_json(b, &len_b);
  check(gcounter_join_json(a, from_b, len_b), "join_json");
  check(gcounter_join_json(b, from_a, len_a), "join_json");
  gcounter_string_free(from_a);
  gcounter_string_free(from_b);
  show("A", a);
  show("B", b);

  /* From here on, only what changed travels: drop the records of what was already sent. */
  gcounter_t *delta = NULL;
  check(gcounter_take_delta(a, &delta), "take_delta");
  gcounter_free(delta);
  check(gcounter_take_delta(b, &delta), "take_delta");
  gcounter_free(delta);

  printf("3. more increments, then each sends only its delta\n");
  check(gcounter_increment(a, "agent-a", 1), "increment");
  check(gcounter_increment(b, "agent-b", 1), "increment");
  gcounter_t *delta_a = NULL, *delta_b = NULL;
  check(gcounter_take_delta(a, &delta_a), "take_delta");
  check(gcounter_take_delta(b, &delta_b), "take_delta");
  show("delta A", delta_a);
  show("delta B", delta_b);
  size_t len = 0;
  char *wire = send_json(delta_a, &len);
  check(gcounter_join_json(b, wire, len), "join_json");
  check(gcounter_join_json(b, wire, len), "join_json"); /* a duplicate delivery changes nothing */
  gcounter_string_free(wire);
  wire = send_json(delta_b, &len);
  check(gcounter_join_json(a, wire, len), "join_json");
  gcounter_string_free(wire);

  gcounter_order order;
  check(gcounter_compare(a, b, &order), "compare");
  if (order != GCOUNTER_ORDER_EQUAL) {
    fprintf(stderr, "the replicas did not converge\n");
    return 1;
  }
  char *json = send_json(a, NULL);
  uint64_t value = 0;
  check(gcounter_value(a, &value), "value");
  printf("converged: %s value %" PRIu64 "\n", json, value);

  printf("4. bad input is refused and changes nothing\n");
  const char *bad = "{\"agent-c\": 1.5}";
  gcounter_status status = gcounter_join_json(a, bad, strlen(bad));
  printf("  %s -> %s: %s\n", bad, gcounter_status_str(status), gcounter_last_error_message());
  show("A", a);

  printf("5. anti-entropy: B sends its whole state, A replies with only what B lacks\n");
  const char *fleet = "{\"worker-1\":1,\"worker-2\":2,\"worker-3\":3,\"worker-4\":4,"
                      "\"worker-5\":5,\"worker-6\":6,\"worker-7\":7,\"worker-8\":8}";
  check(gcounter_join_json(a, fleet, strlen(fleet)), "join_json"); /* both know the fleet */
  check(gcounter_join_json(b, fleet, strlen(fleet)), "join_json");
  check(gcounter_increment(a, "agent-a", 1), "increment");
  wire = send_json(b, &len);
  gcounter_t *theirs = NULL, *reply = NULL;
  check(gcounter_from_json(wire, len, &theirs), "from_json"); /* A reads B's state */
  gcounter_string_free(wire);
  check(gcounter_delta_for(a, theirs, &reply), "delta_for");
  for (size_t i = 0; i < gcounter_agent_count(reply); i++) {
    const char *agent_id = NULL; /* borrowed from `reply`: not NUL-terminated, never freed */
    size_t agent_id_len = 0;
    uint64_t count = 0;
    check(gcounter_slot_at(reply, i, &agent_id, &agent_id_len, &count), "slot_at");
    printf("  A sends %.*s = %" PRIu64 "\n", (int)agent_id_len, agent_id, count);
  }
  wire = send_json(reply, &len);
  printf("anti-entropy: sent %zu of %zu slots: %s\n", gcounter_agent_count(reply),
         gcounter_agent_count(a), wire);
  check(gcounter_join_json(b, wire, len), "join_json");
  gcounter_string_free(wire);
  if (!gcounter_equivalent(a, b)) {
    fprintf(stderr, "the reply did not bring B up to A\n");
    return 1;
  }
  uint64_t high = 0, low = 0; /* the exact total: high * 2^64 + low, never an overflow */
  check(gcounter_value_exact(b, &high, &low), "value_exact");
  if (high == 0) {
    printf("  B joined the reply and holds what A holds: value %" PRIu64 "\n", low);
  } else {
    printf("  B joined the reply and holds what A holds: value %" PRIu64 " * 2^64 + %" PRIu64 "\n",
           high, low);
  }

  gcounter_free(theirs);
  gcounter_free(reply);
  gcounter_string_free(json);
  gcounter_free(delta_a);
  gcounter_free(delta_b);
  gcounter_free(a);
  gcounter_free(b);
  return 0;
}
