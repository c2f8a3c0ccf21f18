/* Every function of the C API and every error path, run under valgrind by `make test-c`. */
#define _POSIX_C_SOURCE 200809L
#include "gcounter.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The canonical JSON of a counter, as a string to free(), for comparisons. */
static char *json_of(const gcounter_t *counter) {
  char *json = NULL;
  size_t len = 0;
  if (gcounter_to_json(counter, &json, &len) != GCOUNTER_OK) return NULL;
  char *copy = malloc(len + 1);
  memcpy(copy, json, len + 1);
  gcounter_string_free(json);
  return copy;
}

#define CHECK_JSON(counter, expected)         \
  do {                                        \
    char *check_json_ = json_of(counter);     \
    CHECK_STR(check_json_, expected);         \
    free(check_json_);                        \
  } while (0)

static gcounter_t *parse(const char *json) {
  gcounter_t *counter = NULL;
  if (gcounter_from_json(json, strlen(json), &counter) != GCOUNTER_OK) return NULL;
  return counter;
}

static uint64_t value_of(const gcounter_t *counter) {
  uint64_t value = 0;
  gcounter_value(counter, &value);
  return value;
}

static uint64_t count_of(const gcounter_t *counter, const char *agent_id) {
  uint64_t value = 0;
  gcounter_value_for(counter, agent_id, &value);
  return value;
}

static void test_version_and_status_names(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", GCOUNTER_VERSION_MAJOR,
           GCOUNTER_VERSION_MINOR, GCOUNTER_VERSION_PATCH);
  CHECK_STR(gcounter_version(), expected);
  CHECK(GCOUNTER_OK == 0 && GCOUNTER_ERR_NULL_POINTER == 1 && GCOUNTER_ERR_INVALID_ARGUMENT == 2 &&
        GCOUNTER_ERR_INVALID_UTF8 == 3 && GCOUNTER_ERR_OVERFLOW == 4 &&
        GCOUNTER_ERR_INVALID_JSON == 5 && GCOUNTER_ERR_PANIC == 6);
  CHECK(GCOUNTER_ORDER_EQUAL == 0 && GCOUNTER_ORDER_LESS == 1 && GCOUNTER_ORDER_GREATER == 2 &&
        GCOUNTER_ORDER_CONCURRENT == 3);
  CHECK_STR(gcounter_status_str(GCOUNTER_OK), "ok");
  CHECK_STR(gcounter_status_str(GCOUNTER_ERR_INVALID_JSON),
            "input is not the gcounter JSON wire format");
  CHECK_STR(gcounter_status_str(GCOUNTER_ERR_OVERFLOW),
            "a slot or the total would exceed UINT64_MAX");
  const char *names[7];
  for (int s = 0; s <= 6; s++) {
    names[s] = gcounter_status_str((gcounter_status)s);
    CHECK(names[s] != NULL && names[s][0] != '\0');
    for (int t = 0; t < s; t++) CHECK(strcmp(names[s], names[t]) != 0);
  }
  CHECK_STR(gcounter_status_str((gcounter_status)7), "unknown gcounter_status code");
  CHECK_STR(gcounter_status_str((gcounter_status)-1), "unknown gcounter_status code");
}

static void test_increment_value_and_agents(void) {
  gcounter_t *c = gcounter_new();
  CHECK(c != NULL);
  CHECK(gcounter_agent_count(c) == 0);
  CHECK(value_of(c) == 0);
  CHECK_OK(gcounter_increment(c, "agent-1", 1));
  CHECK_OK(gcounter_increment(c, "agent-2", 2));
  CHECK_OK(gcounter_increment(c, "agent-2", 3));
  CHECK_OK(gcounter_increment(c, "", 4));
  CHECK(value_of(c) == 10);
  CHECK(count_of(c, "agent-1") == 1);
  CHECK(count_of(c, "agent-2") == 5);
  CHECK(count_of(c, "") == 4);
  CHECK(count_of(c, "never-seen") == 0);
  CHECK(gcounter_agent_count(c) == 3);
  CHECK_STR(gcounter_last_error_message(), "");
  CHECK_JSON(c, "{\"\":4,\"agent-1\":1,\"agent-2\":5}");
  gcounter_free(c);
}

static void test_zero_increment_is_rejected(void) {
  gcounter_t *c = parse("{\"a\":1}");
  CHECK_STATUS(gcounter_increment(c, "a", 0), GCOUNTER_ERR_INVALID_ARGUMENT);
  CHECK(strstr(gcounter_last_error_message(), "at least 1") != NULL);
  CHECK_STATUS(gcounter_increment_len(c, "b", 1, 0), GCOUNTER_ERR_INVALID_ARGUMENT);
  CHECK_JSON(c, "{\"a\":1}");
  CHECK(gcounter_agent_count(c) == 1);
  gcounter_free(c);
}

static void test_ids_with_nul_bytes_and_empty_ids(void) {
  gcounter_t *c = gcounter_new();
  CHECK_OK(gcounter_increment_len(c, "a\0b", 3, 2));
  CHECK_OK(gcounter_increment_len(c, "a", 1, 1));
  CHECK_OK(gcounter_increment_len(c, NULL, 0, 7)); /* length 0: "" with any pointer */
  CHECK_OK(gcounter_increment_len(c, (const char *)1, 0, 1));
  uint64_t v = 0;
  CHECK_OK(gcounter_value_for_len(c, "a\0b", 3, &v));
  CHECK(v == 2);
  CHECK_OK(gcounter_value_for_len(c, "a", 1, &v));
  CHECK(v == 1);
  CHECK_OK(gcounter_value_for_len(c, NULL, 0, &v));
  CHECK(v == 8);
  CHECK(count_of(c, "") == 8);
  CHECK(gcounter_agent_count(c) == 3);
  CHECK_JSON(c, "{\"\":8,\"a\":1,\"a\\u0000b\":2}");
  gcounter_free(c);
}

static void test_invalid_utf8_is_rejected(void) {
  gcounter_t *c = parse("{\"a\":1}");
  const char *bad[] = {"\xff", "a\xc3", "\xed\xa0\x80" /* a surrogate */, "\xc0\xaf", "ok\x80"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK_STATUS(gcounter_increment(c, bad[i], 1), GCOUNTER_ERR_INVALID_UTF8);
    CHECK(strstr(gcounter_last_error_message(), "UTF-8") != NULL);
    CHECK_STATUS(gcounter_increment_len(c, bad[i], strlen(bad[i]), 1), GCOUNTER_ERR_INVALID_UTF8);
    uint64_t v = 42;
    CHECK_STATUS(gcounter_value_for(c, bad[i], &v), GCOUNTER_ERR_INVALID_UTF8);
    CHECK_STATUS(gcounter_value_for_len(c, bad[i], strlen(bad[i]), &v), GCOUNTER_ERR_INVALID_UTF8);
    CHECK(v == 42);
  }
  CHECK_JSON(c, "{\"a\":1}");
  gcounter_free(c);
}

static void test_slot_overflow(void) {
  gcounter_t *c = parse("{\"a\":18446744073709551615}");
  CHECK_STATUS(gcounter_increment(c, "a", 1), GCOUNTER_ERR_OVERFLOW);
  CHECK(strstr(gcounter_last_error_message(), "\"a\"") != NULL);
  CHECK(count_of(c, "a") == UINT64_MAX);
  CHECK_OK(gcounter_increment(c, "b", UINT64_MAX - 1));
  CHECK_OK(gcounter_increment(c, "b", 1));
  CHECK_STATUS(gcounter_increment(c, "b", UINT64_MAX), GCOUNTER_ERR_OVERFLOW);
  CHECK(count_of(c, "b") == UINT64_MAX);
  gcounter_free(c);
}

static void test_total_overflow_is_reported_not_wrapped(void) {
  gcounter_t *c = parse("{\"a\":18446744073709551615}");
  uint64_t v = 0;
  CHECK_OK(gcounter_value(c, &v));
  CHECK(v == UINT64_MAX);
  /* The total never makes an increment fail... */
  CHECK_OK(gcounter_increment(c, "b", 1));
  /* ...but a total above UINT64_MAX is not a uint64_t. */
  v = 42;
  CHECK_STATUS(gcounter_value(c, &v), GCOUNTER_ERR_OVERFLOW);
  CHECK(v == 42);
  CHECK(strstr(gcounter_last_error_message(), "18446744073709551616") != NULL);
  CHECK(count_of(c, "a") == UINT64_MAX && count_of(c, "b") == 1);
  CHECK_JSON(c, "{\"a\":18446744073709551615,\"b\":1}");
  gcounter_free(c);
}

static void test_join_takes_the_per_slot_maximum(void) {
  gcounter_t *a = parse("{\"x\":5,\"y\":1}");
  gcounter_t *b = parse("{\"y\":3,\"z\":2}");
  CHECK_OK(gcounter_join(a, b));
  CHECK_JSON(a, "{\"x\":5,\"y\":3,\"z\":2}");
  CHECK_JSON(b, "{\"y\":3,\"z\":2}");
  CHECK(value_of(a) == 10);
  CHECK_OK(gcounter_join(a, b)); /* idempotent */
  CHECK(value_of(a) == 10);
  CHECK_OK(gcounter_join(a, a)); /* self-join: allowed, no change */
  CHECK_JSON(a, "{\"x\":5,\"y\":3,\"z\":2}");
  CHECK_OK(gcounter_join(b, a));
  CHECK(gcounter_equivalent(a, b));
  gcounter_free(a);
  gcounter_free(b);
}

static void test_join_json(void) {
  gcounter_t *c = parse("{\"a\":2}");
  const char *seed_style = "{\"a\": 1, \"b\": 4}"; /* json.dumps(GCounter.to_dict()) */
  CHECK_OK(gcounter_join_json(c, seed_style, strlen(seed_style)));
  CHECK_JSON(c, "{\"a\":2,\"b\":4}");
  /* The 5th member is bad: none of the first 4 applies. */
  const char *bad = "{\"c\":1,\"d\":2,\"e\":3,\"f\":4,\"g\":-5}";
  CHECK_STATUS(gcounter_join_json(c, bad, strlen(bad)), GCOUNTER_ERR_INVALID_JSON);
  CHECK_JSON(c, "{\"a\":2,\"b\":4}");
  CHECK_STATUS(gcounter_join_json(c, NULL, 0), GCOUNTER_ERR_INVALID_JSON);
  CHECK(strstr(gcounter_last_error_message(), "empty input") != NULL);
  /* Only json_len bytes are read: the rest of the buffer is not part of the input. */
  const char *prefix = "{\"h\":1}garbage";
  CHECK_OK(gcounter_join_json(c, prefix, 7));
  CHECK(count_of(c, "h") == 1);
  gcounter_free(c);
}

/* Each malformed document, with the words its message must contain. */
static const struct {
  const char *json;
  size_t len; /* 0: strlen(json) */
  const char *reason;
} malformed[] = {
    {"", 0, "empty input"},
    {"   ", 0, "only whitespace, no JSON value"},
    {"\xff{}", 0, "not valid UTF-8"},
    {"{\"a\xc3\":1}", 0, "not valid UTF-8"},
    {"{\"a\":1}\xc3", 0, "not valid UTF-8"},
    {"[]", 0, "must be an object"},
    {"\"a\"", 0, "must be an object"},
    {"42", 0, "must be an object"},
    {"null", 0, "must be an object"},
    {"true", 0, "must be an object"},
    {"{\"a\":-1}", 0, "negative"},
    {"{\"a\":1.5}", 0, "without a fraction or exponent"},
    {"{\"a\":1.0}", 0, "without a fraction or exponent"},
    {"{\"a\":1e3}", 0, "without a fraction or exponent"},
    {"{\"a\":\"1\"}", 0, "found a string"},
    {"{\"a\":null}", 0, "found null"},
    {"{\"a\":true}", 0, "found true"},
    {"{\"a\":[1]}", 0, "found an array"},
    {"{\"a\":{\"b\":1}}", 0, "found an object"},
    {"{\"a\":18446744073709551616}", 0, "exceeds UINT64_MAX"},
    {"{\"a\":00}", 0, "leading zero"},
    {"{\"a\":1,\"a\":2}", 0, "duplicate agent id"},
    {"{\"a\":1,\"\\u0061\":1}", 0, "duplicate agent id"},
    {"{\"\\u00e9\":1,\"\xc3\xa9\":1}", 0, "duplicate agent id"},
    {"{\"\\ud800\":1}", 0, "lone surrogate"},
    {"{\"\\udfff\":1}", 0, "lone surrogate"},
    {"{\"\\ud83d\\u0041\":1}", 0, "lone surrogate"},
    {"{\"a\":1} x", 0, "after the object"},
    {"{\"a\":1}{}", 0, "after the object"},
    {"{\"a\":1", 0, "expected ',' or '}'"},
    {"{\"a\":1,}", 0, "expected an agent id"},
    {"{a:1}", 0, "expected an agent id"},
    {"{\"a\"1}", 0, "expected ':'"},
    {"{\"a", 0, "unterminated string"},
    {"{\"a\\q\":1}", 0, "invalid escape"},
    {"{\"a\\u00g0\":1}", 0, "four hex digits"},
    {"{\"a\nb\":1}", 0, "unescaped control character"},
    {"{\"a\":1}\0", 8, "after the object"},
    {"{\"a\0\":1}", 7, "unescaped control character"},
    {"{\"a\":+1}", 0, "found the character '+'"},
    {"{\"k\":-}", 0, "is a malformed number"},
    {"{\"k\":-Infinity}", 0, "is a malformed number"},
    {"{\"k\":1.}", 0, "is a malformed number"},
    {"{\"k\":0.e1}", 0, "is a malformed number"},
    {"{\"k\":1eE2}", 0, "is a malformed number"},
    {"\xef\xbb\xbf{}", 0, "byte order mark (U+FEFF)"},
};

static void test_malformed_json_changes_nothing(void) {
  size_t n = sizeof malformed / sizeof *malformed;
  CHECK(n >= 30);
  gcounter_t *c = parse("{\"keep\":3}");
  gcounter_t *delta = NULL;
  CHECK_OK(gcounter_increment(c, "mine", 1)); /* a pending delta that must survive */
  for (size_t i = 0; i < n; i++) {
    size_t len = malformed[i].len ? malformed[i].len : strlen(malformed[i].json);
    gcounter_t *out = (gcounter_t *)&n; /* a sentinel: must stay untouched */
    CHECK_STATUS(gcounter_from_json(malformed[i].json, len, &out), GCOUNTER_ERR_INVALID_JSON);
    CHECK(out == (gcounter_t *)&n);
    const char *message = gcounter_last_error_message();
    if (strstr(message, malformed[i].reason) == NULL || strncmp(message, "invalid JSON at byte ", 21) != 0) {
      fprintf(stderr, "input #%zu: message \"%s\" lacks \"%s\"\n", i, message, malformed[i].reason);
      CHECK(0);
    }
    CHECK_STATUS(gcounter_join_json(c, malformed[i].json, len), GCOUNTER_ERR_INVALID_JSON);
    CHECK(strstr(gcounter_last_error_message(), malformed[i].reason) != NULL);
    CHECK_JSON(c, "{\"keep\":3,\"mine\":1}");
  }
  CHECK_OK(gcounter_take_delta(c, &delta));
  CHECK_JSON(delta, "{\"mine\":1}");
  gcounter_free(delta);
  gcounter_free(c);
}

/* Messages a C user can read, in full: characters by code point (never a Rust escape),
 * whitespace-only input, malformed numbers, an unterminated string where it starts, and the
 * first problem in document order. */
static const struct {
  const char *json;
  size_t len; /* 0: strlen(json) */
  const char *message;
} readable[] = {
    {"\xef\xbb\xbf{}", 0,
     "invalid JSON at byte 0: the top-level value must be an object, found a byte order mark "
     "(U+FEFF)"},
    {"{\"a\":1}\v", 0,
     "invalid JSON at byte 7: expected the end of the input after the object, found the "
     "character U+000B"},
    {"{\"a\":\0}", 7,
     "invalid JSON at byte 5: the count of agent \"a\" must be a non-negative integer, found the "
     "character U+0000"},
    {" \t\r\n", 0,
     "invalid JSON at byte 4: the input holds only whitespace, no JSON value: expected an object"},
    {"", 0, "invalid JSON at byte 0: empty input: expected an object"},
    {"{\"k\":-}", 0,
     "invalid JSON at byte 5: the count of agent \"k\" is a malformed number: a '-' must be "
     "followed by a digit"},
    {"{\"k\":-Infinity}", 0,
     "invalid JSON at byte 5: the count of agent \"k\" is a malformed number: a '-' must be "
     "followed by a digit"},
    {"{\"k\":1.}", 0,
     "invalid JSON at byte 5: the count of agent \"k\" is a malformed number: a '.' must be "
     "followed by a digit"},
    {"{\"k\":0.e1}", 0,
     "invalid JSON at byte 5: the count of agent \"k\" is a malformed number: a '.' must be "
     "followed by a digit"},
    {"{\"k\":1eE2}", 0,
     "invalid JSON at byte 5: the count of agent \"k\" is a malformed number: an exponent must "
     "have a digit"},
    {"{\"a\":1,\"bcd", 0, "invalid JSON at byte 7: unterminated string: no closing '\"'"},
    {"{\"a\":0, \"a\":-0}", 0, "invalid JSON at byte 8: duplicate agent id \"a\""},
};

static void test_messages_a_c_user_can_read(void) {
  gcounter_t *c = parse("{\"keep\":3}");
  for (size_t i = 0; i < sizeof readable / sizeof *readable; i++) {
    size_t len = readable[i].len ? readable[i].len : strlen(readable[i].json);
    gcounter_t *out = NULL;
    CHECK_STATUS(gcounter_from_json(readable[i].json, len, &out), GCOUNTER_ERR_INVALID_JSON);
    CHECK(out == NULL);
    CHECK_STR(gcounter_last_error_message(), readable[i].message);
    CHECK_STATUS(gcounter_join_json(c, readable[i].json, len), GCOUNTER_ERR_INVALID_JSON);
    CHECK_STR(gcounter_last_error_message(), readable[i].message);
    CHECK(strstr(gcounter_last_error_message(), "\\u{") == NULL);
  }
  CHECK_JSON(c, "{\"keep\":3}");
  gcounter_free(c);
}

static void test_compare_and_equivalent(void) {
  gcounter_t *a = parse("{\"x\":1,\"y\":2}");
  gcounter_t *b = parse("{\"y\":2,\"x\":1,\"z\":0}");
  gcounter_t *c = parse("{\"x\":1,\"y\":3}");
  gcounter_t *d = parse("{\"x\":2,\"y\":1}");
  gcounter_t *empty = gcounter_new();
  gcounter_order order = GCOUNTER_ORDER_CONCURRENT;
  CHECK_OK(gcounter_compare(a, b, &order));
  CHECK(order == GCOUNTER_ORDER_EQUAL);
  CHECK(gcounter_equivalent(a, b));
  CHECK_OK(gcounter_compare(a, c, &order));
  CHECK(order == GCOUNTER_ORDER_LESS);
  CHECK_OK(gcounter_compare(c, a, &order));
  CHECK(order == GCOUNTER_ORDER_GREATER);
  CHECK_OK(gcounter_compare(c, d, &order));
  CHECK(order == GCOUNTER_ORDER_CONCURRENT);
  CHECK_OK(gcounter_compare(empty, a, &order));
  CHECK(order == GCOUNTER_ORDER_LESS);
  CHECK_OK(gcounter_compare(a, a, &order));
  CHECK(order == GCOUNTER_ORDER_EQUAL);
  CHECK(!gcounter_equivalent(a, c));
  CHECK(!gcounter_equivalent(c, d));
  CHECK(gcounter_equivalent(empty, empty));
  gcounter_free(a);
  gcounter_free(b);
  gcounter_free(c);
  gcounter_free(d);
  gcounter_free(empty);
}

static void test_clone_is_independent_with_an_empty_delta(void) {
  gcounter_t *c = gcounter_new();
  CHECK_OK(gcounter_increment(c, "a", 2));
  gcounter_t *copy = gcounter_clone(c);
  CHECK(copy != NULL && copy != c);
  CHECK(gcounter_equivalent(c, copy));
  CHECK_OK(gcounter_increment(copy, "b", 1));
  CHECK_JSON(c, "{\"a\":2}");
  CHECK_JSON(copy, "{\"a\":2,\"b\":1}");
  gcounter_t *delta = NULL;
  CHECK_OK(gcounter_take_delta(copy, &delta));
  CHECK_JSON(delta, "{\"b\":1}"); /* the clone's record started empty */
  gcounter_free(delta);
  CHECK_OK(gcounter_take_delta(c, &delta));
  CHECK_JSON(delta, "{\"a\":2}"); /* the original kept its own */
  gcounter_free(delta);
  gcounter_free(copy);
  gcounter_free(c);
}

static void test_to_json_and_from_json(void) {
  gcounter_t *c = gcounter_new();
  CHECK_OK(gcounter_increment(c, "b\"q", 2));
  CHECK_OK(gcounter_increment(c, "\xc3\xa9", 1));
  CHECK_OK(gcounter_increment(c, "a\n", 18446744073709551615ULL));
  char *json = NULL;
  size_t len = 0;
  CHECK_OK(gcounter_to_json(c, &json, &len));
  const char *expected = "{\"a\\n\":18446744073709551615,\"b\\\"q\":2,\"\xc3\xa9\":1}";
  CHECK_STR(json, expected);
  CHECK(len == strlen(expected));
  gcounter_t *back = NULL;
  CHECK_OK(gcounter_from_json(json, len, &back));
  CHECK(gcounter_equivalent(c, back));
  gcounter_string_free(json);
  json = NULL;
  CHECK_OK(gcounter_to_json(c, &json, NULL)); /* out_len may be NULL */
  CHECK_STR(json, expected);
  gcounter_string_free(json);
  gcounter_t *empty = gcounter_new();
  CHECK_JSON(empty, "{}");
  gcounter_free(empty);
  gcounter_free(back);
  gcounter_free(c);
}

static void test_take_delta(void) {
  gcounter_t *replica = gcounter_new();
  gcounter_t *peer = gcounter_new();
  gcounter_t *delta = NULL;
  CHECK_OK(gcounter_take_delta(replica, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);

  CHECK_OK(gcounter_increment(replica, "a", 5));
  CHECK_OK(gcounter_take_delta(replica, &delta));
  CHECK_JSON(delta, "{\"a\":5}");
  CHECK_OK(gcounter_join(peer, delta)); /* the peer now holds the earlier state */
  gcounter_t *first = delta;

  CHECK_OK(gcounter_increment(replica, "a", 1));
  CHECK_OK(gcounter_increment(replica, "b", 2));
  const char *incoming = "{\"c\":3,\"a\":1}"; /* c rises, a does not */
  CHECK_OK(gcounter_join_json(replica, incoming, strlen(incoming)));
  gcounter_t *other = parse("{\"d\":4}");
  CHECK_OK(gcounter_join(replica, other));
  gcounter_t *second = NULL;
  CHECK_OK(gcounter_take_delta(replica, &second));
  CHECK_JSON(second, "{\"a\":6,\"b\":2,\"c\":3,\"d\":4}");
  CHECK_OK(gcounter_take_delta(replica, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);

  /* Deltas joined in any order, repeated, give the full state. */
  CHECK_OK(gcounter_join(peer, second));
  CHECK_OK(gcounter_join(peer, first));
  CHECK_OK(gcounter_join(peer, second));
  CHECK(gcounter_equivalent(peer, replica));

  /* A counter from from_json, clone or take_delta starts with an empty record. */
  gcounter_t *parsed = parse("{\"x\":1}");
  CHECK_OK(gcounter_take_delta(parsed, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);
  CHECK_OK(gcounter_take_delta(second, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);

  gcounter_free(parsed);
  gcounter_free(other);
  gcounter_free(first);
  gcounter_free(second);
  gcounter_free(peer);
  gcounter_free(replica);
}

static void test_value_exact(void) {
  uint64_t high = 42, low = 42;
  gcounter_t *empty = gcounter_new();
  CHECK_OK(gcounter_value_exact(empty, &high, &low));
  CHECK(high == 0 && low == 0);
  gcounter_free(empty);

  gcounter_t *c = parse("{\"a\":3,\"b\":4}");
  CHECK_OK(gcounter_value_exact(c, &high, &low));
  CHECK(high == 0 && low == 7);
  CHECK_STR(gcounter_last_error_message(), "");
  /* At UINT64_MAX both calls agree; one more and only value_exact can say it. */
  CHECK_OK(gcounter_increment(c, "c", UINT64_MAX - 7));
  CHECK(value_of(c) == UINT64_MAX);
  CHECK_OK(gcounter_value_exact(c, &high, &low));
  CHECK(high == 0 && low == UINT64_MAX);
  CHECK_OK(gcounter_increment(c, "d", 1));
  CHECK_OK(gcounter_value_exact(c, &high, &low));
  CHECK(high == 1 && low == 0);
  gcounter_free(c);

  /* Three slots at UINT64_MAX: 3 * 2^64 - 3 = 2 * 2^64 + (2^64 - 3). */
  gcounter_t *big = parse("{\"a\":18446744073709551615,\"b\":18446744073709551615,"
                          "\"c\":18446744073709551615}");
  CHECK_OK(gcounter_value_exact(big, &high, &low));
  CHECK(high == 2 && low == UINT64_MAX - 2);
  CHECK_OK(gcounter_increment(big, "d", 3)); /* exactly 3 * 2^64 */
  CHECK_OK(gcounter_value_exact(big, &high, &low));
  CHECK(high == 3 && low == 0);
  gcounter_free(big);
}

/* The slots of a counter, walked with slot_at, as the JSON to_json would write for them
 * (ids here need no escape but NUL, written as \u0000). */
static char *walk_as_json(const gcounter_t *counter) {
  size_t n = gcounter_agent_count(counter), used = 0, size = 64;
  char *out = malloc(size);
  out[used++] = '{';
  for (size_t i = 0; i < n; i++) {
    const char *id = NULL;
    size_t len = 0;
    uint64_t count = 0;
    if (gcounter_slot_at(counter, i, &id, &len, &count) != GCOUNTER_OK) {
      free(out);
      return NULL;
    }
    while (used + 6 * len + 32 > size) out = realloc(out, size *= 2);
    if (i > 0) out[used++] = ',';
    out[used++] = '"';
    for (size_t k = 0; k < len; k++) {
      if (id[k] == '\0') {
        memcpy(out + used, "\\u0000", 6);
        used += 6;
      } else {
        out[used++] = id[k];
      }
    }
    used += (size_t)snprintf(out + used, size - used, "\":%llu", (unsigned long long)count);
  }
  out[used++] = '}';
  out[used] = '\0';
  return out;
}

static void test_slot_at_walks_the_canonical_order(void) {
  gcounter_t *c = gcounter_new();
  /* Added out of order: NUL inside ids, the empty id, 2-, 3- and 4-byte UTF-8, and ids long
   * enough to be stored apart from the short ones. */
  CHECK_OK(gcounter_increment(c, "\xf0\x9f\x98\x80", 7));      /* U+1F600 */
  CHECK_OK(gcounter_increment(c, "b", 2));
  CHECK_OK(gcounter_increment_len(c, "a\0b", 3, 3));
  CHECK_OK(gcounter_increment(c, "\xe2\x82\xac", 6));          /* U+20AC */
  CHECK_OK(gcounter_increment(c, "a-rather-long-agent-identifier", 9));
  CHECK_OK(gcounter_increment(c, "\xc3\xa9", 5));              /* U+00E9 */
  CHECK_OK(gcounter_increment_len(c, NULL, 0, 1));             /* "" */
  CHECK_OK(gcounter_increment(c, "a", 4));
  CHECK_OK(gcounter_increment_len(c, "\0", 1, 8));
  static const struct {
    const char *id;
    size_t len;
    uint64_t count;
  } expected[] = {
      {"", 0, 1},
      {"\0", 1, 8},
      {"a", 1, 4},
      {"a\0b", 3, 3},
      {"a-rather-long-agent-identifier", 30, 9},
      {"b", 1, 2},
      {"\xc3\xa9", 2, 5},
      {"\xe2\x82\xac", 3, 6},
      {"\xf0\x9f\x98\x80", 4, 7},
  };
  size_t n = sizeof expected / sizeof *expected;
  CHECK(gcounter_agent_count(c) == n);
  for (size_t i = 0; i < n; i++) {
    const char *id = NULL;
    size_t len = 99;
    uint64_t count = 0;
    CHECK_OK(gcounter_slot_at(c, i, &id, &len, &count));
    CHECK(id != NULL); /* also for the empty id */
    CHECK(len == expected[i].len);
    CHECK(id != NULL && len == expected[i].len && memcmp(id, expected[i].id, len) == 0);
    CHECK(count == expected[i].count);
    CHECK_STR(gcounter_last_error_message(), "");
  }
  /* The walk is to_json's member order. */
  char *walked = walk_as_json(c);
  CHECK_JSON(c, walked);
  free(walked);
  gcounter_free(c);

  /* A counter with many agents, some added after a first walk: still to_json's order. */
  gcounter_t *many = gcounter_new();
  char agent[32];
  for (int i = 0; i < 1500; i++) {
    snprintf(agent, sizeof agent, "agent-%d", (i * 7919) % 1500);
    CHECK_OK(gcounter_increment(many, agent, (uint64_t)i + 1));
  }
  walked = walk_as_json(many);
  CHECK_JSON(many, walked);
  free(walked);
  CHECK_OK(gcounter_increment(many, "agent-0000", 1));
  CHECK_OK(gcounter_increment(many, "zz", 1));
  walked = walk_as_json(many);
  CHECK_JSON(many, walked);
  free(walked);
  gcounter_free(many);
}

static void test_slot_at_out_of_range_writes_nothing(void) {
  gcounter_t *c = parse("{\"a\":1,\"b\":2}");
  const char *sentinel_id = "untouched";
  size_t indexes[] = {2, 3, 1000, SIZE_MAX};
  for (size_t i = 0; i < sizeof indexes / sizeof *indexes; i++) {
    const char *id = sentinel_id;
    size_t len = 77;
    uint64_t count = 88;
    CHECK_STATUS(gcounter_slot_at(c, indexes[i], &id, &len, &count), GCOUNTER_ERR_INVALID_ARGUMENT);
    CHECK(id == sentinel_id && len == 77 && count == 88);
    CHECK(strstr(gcounter_last_error_message(), "out of range") != NULL);
    CHECK(strstr(gcounter_last_error_message(), "2 slots") != NULL);
  }
  gcounter_t *empty = gcounter_new();
  const char *id = sentinel_id;
  size_t len = 77;
  uint64_t count = 88;
  CHECK_STATUS(gcounter_slot_at(empty, 0, &id, &len, &count), GCOUNTER_ERR_INVALID_ARGUMENT);
  CHECK(id == sentinel_id && len == 77 && count == 88);
  /* A zero count is absent: no slot to walk. */
  gcounter_t *zero = parse("{\"z\":0}");
  CHECK_STATUS(gcounter_slot_at(zero, 0, &id, &len, &count), GCOUNTER_ERR_INVALID_ARGUMENT);
  CHECK(id == sentinel_id);
  gcounter_free(zero);
  gcounter_free(empty);
  CHECK_JSON(c, "{\"a\":1,\"b\":2}");
  gcounter_free(c);
}

/* The id pointer borrows the counter's storage: every const call on the counter (and calls
 * that take it as the const side) leave it valid; valgrind would report a read of freed or
 * moved memory. */
static void test_slot_at_id_stays_valid_across_const_calls(void) {
  gcounter_t *c = parse("{\"short\":1,\"an-agent-id-longer-than-fifteen-bytes\":2,\"z\":3}");
  gcounter_t *other = parse("{\"short\":5,\"y\":1}");
  const char *ids[3];
  size_t lens[3];
  uint64_t count = 0;
  for (size_t i = 0; i < 3; i++) CHECK_OK(gcounter_slot_at(c, i, &ids[i], &lens[i], &count));

  uint64_t v = 0, high = 0, low = 0;
  gcounter_order order;
  gcounter_t *copy = gcounter_clone(c);
  gcounter_t *delta = NULL;
  char *json = NULL;
  CHECK_OK(gcounter_value(c, &v));
  CHECK_OK(gcounter_value_exact(c, &high, &low));
  CHECK_OK(gcounter_value_for(c, "short", &v));
  CHECK_OK(gcounter_value_for_len(c, "z", 1, &v));
  CHECK(gcounter_agent_count(c) == 3);
  CHECK(gcounter_equivalent(c, copy));
  CHECK_OK(gcounter_compare(c, other, &order));
  CHECK_OK(gcounter_to_json(c, &json, NULL));
  gcounter_string_free(json);
  CHECK_OK(gcounter_delta_for(c, other, &delta));
  gcounter_free(delta);
  CHECK_OK(gcounter_delta_for(other, c, &delta));
  gcounter_free(delta);
  CHECK_OK(gcounter_delta_for(c, c, &delta));
  gcounter_free(delta);
  CHECK_OK(gcounter_join(other, c)); /* c is the const side */
  CHECK_OK(gcounter_join(copy, other));
  for (size_t i = 0; i < 3; i++) {
    const char *again = NULL;
    size_t len = 0;
    CHECK_OK(gcounter_slot_at(c, 2 - i, &again, &len, &count));
  }
  CHECK(lens[0] == 37 && memcmp(ids[0], "an-agent-id-longer-than-fifteen-bytes", 37) == 0);
  CHECK(lens[1] == 5 && memcmp(ids[1], "short", 5) == 0);
  CHECK(lens[2] == 1 && memcmp(ids[2], "z", 1) == 0);
  gcounter_free(copy);
  gcounter_free(other);
  gcounter_free(c);
}

static void test_delta_for_sends_what_the_peer_lacks(void) {
  gcounter_t *mine = parse("{\"a\":5,\"b\":2,\"c\":1,\"\\u00e9\\u0000\":4}");
  CHECK_OK(gcounter_increment(mine, "b", 1));
  gcounter_t *theirs = parse("{\"a\":5,\"b\":2,\"d\":9,\"\\u00e9\\u0000\":7}");
  gcounter_t *delta = NULL;
  CHECK_OK(gcounter_delta_for(mine, theirs, &delta));
  CHECK_STR(gcounter_last_error_message(), "");
  CHECK_JSON(delta, "{\"b\":3,\"c\":1}");
  gcounter_order order;
  CHECK_OK(gcounter_compare(mine, theirs, &order));
  CHECK(order == GCOUNTER_ORDER_CONCURRENT);

  /* Joined into a copy of the peer, the delta does what the whole counter does. */
  gcounter_t *by_delta = gcounter_clone(theirs);
  gcounter_t *by_state = gcounter_clone(theirs);
  CHECK_OK(gcounter_join(by_delta, delta));
  CHECK_OK(gcounter_join(by_state, mine));
  CHECK(gcounter_equivalent(by_delta, by_state));
  gcounter_free(delta);

  /* The other way: what mine lacks of theirs. */
  CHECK_OK(gcounter_delta_for(theirs, mine, &delta));
  CHECK_JSON(delta, "{\"d\":9,\"\xc3\xa9\\u0000\":7}");
  gcounter_free(delta);

  /* Empty exactly when EQUAL or LESS. */
  CHECK_OK(gcounter_delta_for(mine, by_state, &delta)); /* LESS */
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);
  CHECK_OK(gcounter_delta_for(by_delta, by_state, &delta)); /* EQUAL */
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);
  gcounter_t *empty = gcounter_new();
  CHECK_OK(gcounter_delta_for(empty, mine, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);
  CHECK_OK(gcounter_delta_for(mine, empty, &delta)); /* an empty peer lacks everything */
  CHECK(gcounter_equivalent(delta, mine));
  gcounter_free(delta);

  /* Counts at the top of the range are sent exactly. */
  gcounter_t *top = parse("{\"a\":18446744073709551615,\"b\":1}");
  CHECK_OK(gcounter_delta_for(top, mine, &delta));
  CHECK_JSON(delta, "{\"a\":18446744073709551615}");
  gcounter_free(delta);
  gcounter_free(top);

  CHECK_JSON(mine, "{\"a\":5,\"b\":3,\"c\":1,\"\xc3\xa9\\u0000\":4}");
  CHECK_JSON(theirs, "{\"a\":5,\"b\":2,\"d\":9,\"\xc3\xa9\\u0000\":7}");
  gcounter_free(empty);
  gcounter_free(by_delta);
  gcounter_free(by_state);
  gcounter_free(theirs);
  gcounter_free(mine);
}

static void test_delta_for_itself_is_empty(void) {
  gcounter_t *c = parse("{\"a\":1,\"b\":2}");
  gcounter_t *delta = NULL;
  CHECK_OK(gcounter_delta_for(c, c, &delta));
  CHECK_JSON(delta, "{}");
  CHECK(gcounter_agent_count(delta) == 0);
  gcounter_free(delta);
  gcounter_t *empty = gcounter_new();
  CHECK_OK(gcounter_delta_for(empty, empty, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);
  gcounter_free(empty);
  gcounter_free(c);
}

/* Neither argument's delta record changes, and the new counter's record is empty. */
static void test_delta_for_touches_no_delta_record(void) {
  gcounter_t *mine = gcounter_new();
  gcounter_t *theirs = gcounter_new();
  CHECK_OK(gcounter_increment(mine, "a", 3));
  CHECK_OK(gcounter_increment(mine, "b", 1));
  CHECK_OK(gcounter_increment(theirs, "b", 2));
  CHECK_OK(gcounter_increment(theirs, "c", 4));
  gcounter_t *delta = NULL, *back = NULL, *self = NULL;
  CHECK_OK(gcounter_delta_for(mine, theirs, &delta));
  CHECK_OK(gcounter_delta_for(theirs, mine, &back));
  CHECK_OK(gcounter_delta_for(mine, mine, &self));
  CHECK_JSON(delta, "{\"a\":3}");
  CHECK_JSON(back, "{\"b\":2,\"c\":4}");

  gcounter_t *taken = NULL;
  CHECK_OK(gcounter_take_delta(mine, &taken));
  CHECK_JSON(taken, "{\"a\":3,\"b\":1}");
  gcounter_free(taken);
  CHECK_OK(gcounter_take_delta(theirs, &taken));
  CHECK_JSON(taken, "{\"b\":2,\"c\":4}");
  gcounter_free(taken);
  gcounter_t *made[] = {delta, back, self};
  for (size_t i = 0; i < 3; i++) {
    CHECK_OK(gcounter_take_delta(made[i], &taken));
    CHECK_JSON(taken, "{}");
    gcounter_free(taken);
    gcounter_free(made[i]);
  }
  /* After take_delta, a delta_for still sees the whole state, and records stay empty. */
  CHECK_OK(gcounter_delta_for(mine, theirs, &delta));
  CHECK_JSON(delta, "{\"a\":3}");
  gcounter_free(delta);
  CHECK_OK(gcounter_take_delta(mine, &taken));
  CHECK_JSON(taken, "{}");
  gcounter_free(taken);
  gcounter_free(theirs);
  gcounter_free(mine);
}

/* Runs strtok over the JSON of `counter` (which writes a NUL over each delimiter), clears
 * the rest, then frees it: the block must go back by its real size. Returns the tokens seen. */
static size_t strtok_then_free(const gcounter_t *counter) {
  char *json = NULL;
  size_t len = 0, tokens = 0;
  CHECK_OK(gcounter_to_json(counter, &json, &len));
  if (json == NULL) return 0;
  for (char *token = strtok(json, "{}\":,"); token != NULL; token = strtok(NULL, "{}\":,")) {
    tokens++;
  }
  CHECK(len < 3 || strlen(json) < len); /* NULs now stand inside the string */
  memset(json, 0, len + 1);             /* and the caller may clear it all */
  gcounter_string_free(json);
  CHECK_STR(gcounter_last_error_message(), "");
  return tokens;
}

/* The caller owns its string and may write into it; gcounter_string_free frees it whatever it
 * holds (small and large outputs are sized differently, so both are tried). */
static void test_string_free_after_strtok(void) {
  gcounter_t *c = gcounter_new();
  CHECK(strtok_then_free(c) == 0);
  CHECK_OK(gcounter_increment(c, "agent-a", 1));
  CHECK_OK(gcounter_increment(c, "agent-b", 22));
  CHECK(strtok_then_free(c) == 4);
  char agent[32];
  for (int i = 0; i < 20000; i++) {
    snprintf(agent, sizeof agent, "agent-%d", i);
    CHECK_OK(gcounter_increment(c, agent, 1));
  }
  CHECK(strtok_then_free(c) == 2 * 20002);
  gcounter_free(c);
}

/* Every pointer argument of every function, one at a time NULL. */
static void test_null_arguments(void) {
  gcounter_t *c = parse("{\"a\":1}");
  gcounter_t *sentinel = (gcounter_t *)&c;
  uint64_t v = 42;
  gcounter_order order = GCOUNTER_ORDER_CONCURRENT;
  char *json = (char *)&v;
  size_t len = 99;

  CHECK_STATUS(gcounter_increment(NULL, "a", 1), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'counter' is NULL") != NULL);
  CHECK_STATUS(gcounter_increment(c, NULL, 1), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'agent_id' is NULL") != NULL);
  CHECK_STATUS(gcounter_increment_len(NULL, "a", 1, 1), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_increment_len(c, NULL, 1, 1), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_join(NULL, c), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'into' is NULL") != NULL);
  CHECK_STATUS(gcounter_join(c, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'other' is NULL") != NULL);
  CHECK_STATUS(gcounter_join_json(NULL, "{}", 2), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_join_json(c, NULL, 2), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value(NULL, &v), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value(c, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_value' is NULL") != NULL);
  CHECK_STATUS(gcounter_value_for(NULL, "a", &v), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value_for(c, NULL, &v), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value_for(c, "a", NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value_for_len(NULL, "a", 1, &v), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value_for_len(c, NULL, 1, &v), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_value_for_len(c, "a", 1, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(v == 42);
  CHECK(gcounter_agent_count(NULL) == 0);
  CHECK(strstr(gcounter_last_error_message(), "'counter' is NULL") != NULL);
  CHECK(!gcounter_equivalent(NULL, c));
  CHECK(!gcounter_equivalent(c, NULL));
  CHECK(!gcounter_equivalent(NULL, NULL));
  CHECK_STATUS(gcounter_compare(NULL, c, &order), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_compare(c, NULL, &order), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_compare(c, c, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(order == GCOUNTER_ORDER_CONCURRENT);
  CHECK_STATUS(gcounter_to_json(NULL, &json, &len), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_to_json(c, NULL, &len), GCOUNTER_ERR_NULL_POINTER);
  CHECK(json == (char *)&v && len == 99);
  CHECK_STATUS(gcounter_from_json(NULL, 2, &sentinel), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_from_json("{}", 2, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(sentinel == (gcounter_t *)&c);
  CHECK_STATUS(gcounter_take_delta(NULL, &sentinel), GCOUNTER_ERR_NULL_POINTER);
  CHECK_STATUS(gcounter_take_delta(c, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(sentinel == (gcounter_t *)&c);
  uint64_t high = 42, low = 43;
  CHECK_STATUS(gcounter_value_exact(NULL, &high, &low), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'counter' is NULL") != NULL);
  CHECK_STATUS(gcounter_value_exact(c, NULL, &low), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_high' is NULL") != NULL);
  CHECK_STATUS(gcounter_value_exact(c, &high, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_low' is NULL") != NULL);
  CHECK(high == 42 && low == 43);
  CHECK_STATUS(gcounter_delta_for(NULL, c, &sentinel), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'counter' is NULL") != NULL);
  CHECK_STATUS(gcounter_delta_for(c, NULL, &sentinel), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'peer' is NULL") != NULL);
  CHECK_STATUS(gcounter_delta_for(c, c, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_delta' is NULL") != NULL);
  CHECK(sentinel == (gcounter_t *)&c);
  const char *id = "untouched";
  uint64_t count = 44;
  len = 99;
  CHECK_STATUS(gcounter_slot_at(NULL, 0, &id, &len, &count), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'counter' is NULL") != NULL);
  CHECK_STATUS(gcounter_slot_at(c, 0, NULL, &len, &count), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_agent_id' is NULL") != NULL);
  CHECK_STATUS(gcounter_slot_at(c, 0, &id, NULL, &count), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_agent_id_len' is NULL") != NULL);
  CHECK_STATUS(gcounter_slot_at(c, 0, &id, &len, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strstr(gcounter_last_error_message(), "'out_count' is NULL") != NULL);
  /* A NULL pointer outranks an index out of range: the same status either way. */
  CHECK_STATUS(gcounter_slot_at(c, 5, &id, &len, NULL), GCOUNTER_ERR_NULL_POINTER);
  CHECK(strcmp(id, "untouched") == 0 && len == 99 && count == 44);
  CHECK(gcounter_clone(NULL) == NULL);
  CHECK(strstr(gcounter_last_error_message(), "'counter' is NULL") != NULL);
  gcounter_free(NULL);
  gcounter_string_free(NULL);
  CHECK_STR(gcounter_last_error_message(), "");

  /* Nothing above changed the counter or its pending delta. */
  CHECK_JSON(c, "{\"a\":1}");
  gcounter_t *delta = NULL;
  CHECK_OK(gcounter_take_delta(c, &delta));
  CHECK_JSON(delta, "{}");
  gcounter_free(delta);
  gcounter_free(c);
}

static void test_last_error_is_cleared_by_a_success(void) {
  gcounter_t *c = gcounter_new();
  CHECK_STATUS(gcounter_increment(c, "a", 0), GCOUNTER_ERR_INVALID_ARGUMENT);
  const char *message = gcounter_last_error_message();
  CHECK(message[0] != '\0');
  /* version and status_str leave the message alone */
  (void)gcounter_version();
  (void)gcounter_status_str(GCOUNTER_OK);
  CHECK(strstr(gcounter_last_error_message(), "at least 1") != NULL);
  CHECK_OK(gcounter_increment(c, "a", 1));
  CHECK_STR(gcounter_last_error_message(), "");
  gcounter_free(c);
}

static void test_messages_never_hold_a_nul_early(void) {
  gcounter_t *c = parse("{\"a\\u0000b\":18446744073709551615}");
  CHECK_STATUS(gcounter_increment_len(c, "a\0b", 3, 1), GCOUNTER_ERR_OVERFLOW);
  CHECK(strstr(gcounter_last_error_message(), "would exceed UINT64_MAX") != NULL);
  gcounter_free(c);
}

/* 8 threads, each on its own handle, each failing its own way: every thread reads its own
 * message, never another's. */
enum { THREADS = 8, ROUNDS = 2000 };

static void *thread_errors(void *arg) {
  intptr_t id = (intptr_t)arg;
  gcounter_t *c = gcounter_new();
  char agent[16], expected_json[64], bad_json[32];
  snprintf(agent, sizeof agent, "t%d", (int)id);
  snprintf(bad_json, sizeof bad_json, "{\"t%d\":-%d}", (int)id, (int)id + 1);
  intptr_t failures = 0;
  for (int round = 0; round < ROUNDS; round++) {
    if (gcounter_increment(c, agent, 1) != GCOUNTER_OK) failures++;
    if (gcounter_last_error_message()[0] != '\0') failures++;
    gcounter_status expected;
    const char *needle;
    switch (id % 4) {
      case 0: expected = GCOUNTER_ERR_INVALID_ARGUMENT; needle = "at least 1";
        if (gcounter_increment(c, agent, 0) != expected) failures++;
        break;
      case 1: expected = GCOUNTER_ERR_INVALID_UTF8; needle = "UTF-8";
        if (gcounter_increment(c, "\xff", 1) != expected) failures++;
        break;
      case 2: expected = GCOUNTER_ERR_NULL_POINTER; needle = "'out_value' is NULL";
        if (gcounter_value(c, NULL) != expected) failures++;
        break;
      default: expected = GCOUNTER_ERR_INVALID_JSON; needle = agent;
        if (gcounter_join_json(c, bad_json, strlen(bad_json)) != expected) failures++;
        break;
    }
    const char *message = gcounter_last_error_message();
    if (strstr(message, needle) == NULL) failures++;
    /* The JSON case names this thread's agent and no other thread's count. */
    if (id % 4 == 3) {
      char own[32];
      snprintf(own, sizeof own, "agent \"t%d\"", (int)id);
      if (strstr(message, own) == NULL) failures++;
    }
  }
  snprintf(expected_json, sizeof expected_json, "{\"t%d\":%d}", (int)id, ROUNDS);
  char *json = json_of(c);
  if (json == NULL || strcmp(json, expected_json) != 0) failures++;
  free(json);
  gcounter_free(c);
  return (void *)failures;
}

static void test_error_messages_are_per_thread(void) {
  pthread_t threads[THREADS];
  for (intptr_t i = 0; i < THREADS; i++) {
    CHECK(pthread_create(&threads[i], NULL, thread_errors, (void *)i) == 0);
  }
  for (int i = 0; i < THREADS; i++) {
    void *failures = NULL;
    CHECK(pthread_join(threads[i], &failures) == 0);
    CHECK((intptr_t)failures == 0);
  }
}

/* A thread that fails once and exits holding its message. */
static void *fail_and_exit(void *arg) {
  (void)arg;
  gcounter_t *c = gcounter_new();
  intptr_t wrong = gcounter_increment(c, "a", 0) != GCOUNTER_ERR_INVALID_ARGUMENT ||
                   gcounter_last_error_message()[0] == '\0';
  gcounter_free(c);
  return (void *)wrong;
}

/* A success clears this thread's message whatever other threads did meanwhile: failed and
 * exited with a message, before and after this thread's own failure. */
static void test_success_clears_the_message_whatever_other_threads_did(void) {
  gcounter_t *c = gcounter_new();
  for (int round = 0; round < 3; round++) {
    pthread_t thread;
    void *wrong = NULL;
    if (round > 0) {
      CHECK(gcounter_increment(c, "a", 0) == GCOUNTER_ERR_INVALID_ARGUMENT);
    }
    CHECK(pthread_create(&thread, NULL, fail_and_exit, NULL) == 0);
    CHECK(pthread_join(thread, &wrong) == 0);
    CHECK(wrong == NULL);
    if (round == 2) {
      CHECK(strstr(gcounter_last_error_message(), "at least 1") != NULL);
    }
    CHECK(gcounter_increment(c, "a", 1) == GCOUNTER_OK);
    CHECK_STR(gcounter_last_error_message(), "");
  }
  gcounter_free(c);
}

/* Concurrent const calls on one shared handle (allowed by the threading rules). */
static const gcounter_t *shared_counter;

static void *thread_reader(void *arg) {
  (void)arg;
  intptr_t failures = 0;
  /* The first walk of the slots sorts them, in whichever thread comes first. */
  for (size_t i = 0; i < 100; i++) {
    const char *id = NULL;
    size_t len = 0;
    uint64_t count = 0;
    if (gcounter_slot_at(shared_counter, i, &id, &len, &count) != GCOUNTER_OK || count != 1 ||
        len < 2 || id[0] != 'a')
      failures++;
    if (i == 0 && !(len == 2 && memcmp(id, "a0", 2) == 0)) failures++;
  }
  gcounter_t *nothing = NULL;
  if (gcounter_delta_for(shared_counter, shared_counter, &nothing) != GCOUNTER_OK ||
      gcounter_agent_count(nothing) != 0)
    failures++;
  gcounter_free(nothing);
  for (int i = 0; i < 500; i++) {
    uint64_t high = 1, low = 0;
    if (gcounter_value_exact(shared_counter, &high, &low) != GCOUNTER_OK || high != 0 || low != 100)
      failures++;
    char *json = json_of(shared_counter);
    if (json == NULL || strncmp(json, "{\"a0\":1,", 8) != 0) failures++;
    free(json);
    if (value_of(shared_counter) != 100) failures++;
    if (gcounter_agent_count(shared_counter) != 100) failures++;
  }
  return (void *)failures;
}

static void test_concurrent_reads_of_one_handle(void) {
  gcounter_t *c = gcounter_new();
  char agent[16];
  for (int i = 0; i < 100; i++) {
    snprintf(agent, sizeof agent, "a%d", i);
    gcounter_increment(c, agent, 1);
  }
  shared_counter = c;
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) CHECK(pthread_create(&threads[i], NULL, thread_reader, NULL) == 0);
  for (int i = 0; i < 4; i++) {
    void *failures = NULL;
    pthread_join(threads[i], &failures);
    CHECK((intptr_t)failures == 0);
  }
  gcounter_free(c);
}

int main(void) {
  RUN(test_version_and_status_names);
  RUN(test_increment_value_and_agents);
  RUN(test_zero_increment_is_rejected);
  RUN(test_ids_with_nul_bytes_and_empty_ids);
  RUN(test_invalid_utf8_is_rejected);
  RUN(test_slot_overflow);
  RUN(test_total_overflow_is_reported_not_wrapped);
  RUN(test_join_takes_the_per_slot_maximum);
  RUN(test_join_json);
  RUN(test_malformed_json_changes_nothing);
  RUN(test_messages_a_c_user_can_read);
  RUN(test_compare_and_equivalent);
  RUN(test_clone_is_independent_with_an_empty_delta);
  RUN(test_to_json_and_from_json);
  RUN(test_string_free_after_strtok);
  RUN(test_take_delta);
  RUN(test_value_exact);
  RUN(test_slot_at_walks_the_canonical_order);
  RUN(test_slot_at_out_of_range_writes_nothing);
  RUN(test_slot_at_id_stays_valid_across_const_calls);
  RUN(test_delta_for_sends_what_the_peer_lacks);
  RUN(test_delta_for_itself_is_empty);
  RUN(test_delta_for_touches_no_delta_record);
  RUN(test_null_arguments);
  RUN(test_last_error_is_cleared_by_a_success);
  RUN(test_messages_never_hold_a_nul_early);
  RUN(test_error_messages_are_per_thread);
  RUN(test_success_clears_the_message_whatever_other_threads_did);
  RUN(test_concurrent_reads_of_one_handle);
  return finish();
}
