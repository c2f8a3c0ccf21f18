/* Times the C API on one large document: gcounter_from_json, gcounter_to_json, and
 * gcounter_join_json into an empty counter and into a counter that already holds the same
 * slots. Prints one line of JSON; `make bench-hostile` runs it under /usr/bin/time -v for the
 * peak memory. Usage: measure FILE */
#define _POSIX_C_SOURCE 200809L
#include "gcounter.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) return NULL;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *bytes = malloc(size > 0 ? (size_t)size : 1);
  *len = fread(bytes, 1, (size_t)size, file);
  fclose(file);
  return bytes;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: measure FILE\n");
    return 2;
  }
  size_t len = 0;
  char *json = read_file(argv[1], &len);
  if (json == NULL) {
    perror(argv[1]);
    return 2;
  }

  double start = now();
  gcounter_t *counter = NULL;
  gcounter_status status = gcounter_from_json(json, len, &counter);
  double parse_s = now() - start;
  if (status != GCOUNTER_OK) {
    /* The message, cut short, with the characters JSON would need escaped replaced. */
    char message[81];
    snprintf(message, sizeof message, "%s", gcounter_last_error_message());
    for (char *c = message; *c; c++) {
      if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20) *c = '\'';
    }
    printf("{\"bytes\":%zu,\"status\":\"%s\",\"from_json_s\":%.3f,\"message\":\"%s\"}\n", len,
           gcounter_status_str(status), parse_s, message);
    free(json);
    return 0;
  }

  start = now();
  char *out = NULL;
  size_t out_len = 0;
  gcounter_to_json(counter, &out, &out_len);
  double write_s = now() - start;

  start = now();
  gcounter_t *empty = gcounter_new();
  gcounter_status join_status = gcounter_join_json(empty, json, len);
  double join_empty_s = now() - start;

  start = now();
  gcounter_status rejoin_status = gcounter_join_json(counter, json, len);
  double join_same_s = now() - start;

  uint64_t value = 0;
  gcounter_status value_status = gcounter_value(counter, &value);
  printf("{\"bytes\":%zu,\"status\":\"ok\",\"agents\":%zu,\"value_status\":%d,\"value\":%" PRIu64
         ",\"from_json_s\":%.3f,\"to_json_s\":%.3f,\"to_json_bytes\":%zu,"
         "\"join_json_empty_s\":%.3f,\"join_json_same_s\":%.3f,\"joins_ok\":%s}\n",
         len, gcounter_agent_count(counter), (int)value_status, value, parse_s, write_s, out_len,
         join_empty_s, join_same_s,
         join_status == GCOUNTER_OK && rejoin_status == GCOUNTER_OK &&
                 gcounter_equivalent(counter, empty)
             ? "true"
             : "false");
  gcounter_string_free(out);
  gcounter_free(empty);
  gcounter_free(counter);
  free(json);
  return 0;
}
