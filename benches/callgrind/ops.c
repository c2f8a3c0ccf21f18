/* Instruction counts of libgcounter's main calls at 100,000 agents, through the C ABI.
 *
 * Run under `valgrind --tool=callgrind --collect-atstart=no` (make bench-callgrind): each
 * measured call runs between CALLGRIND_TOGGLE_COLLECT requests and ends with a dump named
 * after it, so each dump's total is the instructions of that call alone. A count moves by
 * well under 1% between runs, where times move by 10-30% on a shared machine, so a
 * regression shows even when the times cannot tell it. Outside valgrind the requests do
 * nothing and the program only checks its calls.
 *
 * The counters are built as the Rust benchmarks build theirs (benches/peers): 14-byte ids,
 * `a` by increments in a random order, `reordered` with the same agents incremented in another
 * order and every other count higher, `disjoint` with as many other agents, interleaved with
 * `a`'s in id order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "gcounter.h"

#define AGENTS 100000
/* Increments are counted over this many calls, and the figure is per call. */
#define INCREMENTS 10000
#define ID_LEN 14

static void check(gcounter_status status, const char *what) {
    if (status != GCOUNTER_OK) {
        fprintf(stderr, "%s failed: %s\n", what, gcounter_last_error_message());
        exit(1);
    }
}

/* SplitMix64: the same shuffles on every run. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void shuffle(uint32_t *items, size_t len, uint64_t *state) {
    for (size_t i = len - 1; i > 0; i--) {
        size_t j = (size_t)(next_random(state) % (i + 1));
        uint32_t item = items[i];
        items[i] = items[j];
        items[j] = item;
    }
}

/* The id of agent number `number`: `prefix` and nine digits, 14 bytes. */
static void agent_id(char out[ID_LEN + 1], const char *prefix, uint32_t number) {
    snprintf(out, ID_LEN + 1, "%s%09u", prefix, (unsigned)number);
}

/* A counter of `agents[i]` (as numbers of `prefix` ids) at `1 + i % 1000 + extra * (i % 2)`. */
static gcounter_t *counter_of(const uint32_t *agents, const char *prefix, uint64_t extra) {
    gcounter_t *counter = gcounter_new();
    char id[ID_LEN + 1];
    for (uint32_t i = 0; i < AGENTS; i++) {
        agent_id(id, prefix, agents[i]);
        check(gcounter_increment_len(counter, id, ID_LEN, 1 + agents[i] % 1000 + extra * (i % 2)),
              "increment");
    }
    gcounter_t *delta = NULL;
    check(gcounter_take_delta(counter, &delta), "take_delta");
    gcounter_free(delta);
    return counter;
}

/* Starts counting instructions; `measured` stops and names the dump. */
static void measure(void) { CALLGRIND_TOGGLE_COLLECT; }

static void measured(const char *name) {
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(name);
}

int main(void) {
    uint64_t random = AGENTS;
    uint32_t *even = malloc(AGENTS * sizeof *even);
    uint32_t *odd = malloc(AGENTS * sizeof *odd);
    if (even == NULL || odd == NULL) {
        return 1;
    }
    for (uint32_t i = 0; i < AGENTS; i++) {
        even[i] = 2 * i;
        odd[i] = 2 * i + 1;
    }
    shuffle(even, AGENTS, &random);
    gcounter_t *a = counter_of(even, "node-", 0);
    shuffle(even, AGENTS, &random);
    gcounter_t *reordered = counter_of(even, "node-", 1);
    shuffle(odd, AGENTS, &random);
    gcounter_t *disjoint = counter_of(odd, "node-", 0);

    char (*ids)[ID_LEN + 1] = malloc(INCREMENTS * sizeof *ids);
    if (ids == NULL) {
        return 1;
    }
    for (uint32_t i = 0; i < INCREMENTS; i++) {
        agent_id(ids[i], "node-", even[i]);
    }
    measure();
    for (uint32_t i = 0; i < INCREMENTS; i++) {
        check(gcounter_increment_len(a, ids[i], ID_LEN, 1), "increment");
    }
    measured("increment_existing/" "10000");

    /* New agents, into a copy (as the Rust benchmark's increment_new). */
    gcounter_t *grown = gcounter_clone(a);
    check(gcounter_increment_len(grown, "warm-000000000", ID_LEN, 1), "increment");
    for (uint32_t i = 0; i < INCREMENTS; i++) {
        agent_id(ids[i], "late-", i);
    }
    measure();
    for (uint32_t i = 0; i < INCREMENTS; i++) {
        check(gcounter_increment_len(grown, ids[i], ID_LEN, 1), "increment");
    }
    measured("increment_new/" "10000");
    gcounter_free(grown);

    gcounter_t *into = gcounter_clone(a);
    measure();
    check(gcounter_join(into, reordered), "join");
    measured("join_reordered");
    gcounter_free(into);

    into = gcounter_clone(a);
    measure();
    check(gcounter_join(into, disjoint), "join");
    measured("join_disjoint");
    gcounter_free(into);

    char *json = NULL;
    size_t json_len = 0;
    measure();
    check(gcounter_to_json(a, &json, &json_len), "to_json");
    measured("to_json");

    gcounter_t *parsed = NULL;
    measure();
    check(gcounter_from_json(json, json_len, &parsed), "from_json");
    measured("from_json");
    if (!gcounter_equivalent(parsed, a)) {
        fprintf(stderr, "from_json(to_json(a)) is not a\n");
        return 1;
    }
    printf("ops: %d agents, %zu bytes of JSON, every call checked\n", AGENTS, json_len);

    gcounter_string_free(json);
    gcounter_free(parsed);
    gcounter_free(disjoint);
    gcounter_free(reordered);
    gcounter_free(a);
    free(ids);
    free(odd);
    free(even);
    return 0;
}
