/* A replica of the convergence example in C, over the C API (gcounter.h).
 *
 * Usage: replica DIR SEED, then commands on standard input (see ../coordinator.py). */
#define _POSIX_C_SOURCE 200809L
#include "gcounter.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: the replica's own random choices, from its seed. */
static uint64_t rng_state;

static uint64_t below(uint64_t n) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (rng_state * 0x2545F4914F6CDD1DULL >> 32) % n;
}

static void fail(const char *what, gcounter_status status) {
  fprintf(stderr, "replica: %s: %s (%s)\n", what, gcounter_status_str(status),
          gcounter_last_error_message());
  exit(1);
}

static char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    exit(1);
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *bytes = malloc((size_t)size + 1);
  *len = fread(bytes, 1, (size_t)size, file);
  bytes[*len] = '\0';
  fclose(file);
  return bytes;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Joins every message in the inbox, in name order; returns how many were refused. */
static int drain(gcounter_t *counter, const char *inbox) {
  DIR *dir = opendir(inbox);
  if (dir == NULL) {
    perror(inbox);
    exit(1);
  }
  char **names = NULL;
  size_t count = 0;
  for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
    if (entry->d_name[0] == '.') continue;
    names = realloc(names, (count + 1) * sizeof *names);
    names[count++] = strdup(entry->d_name);
  }
  closedir(dir);
  qsort(names, count, sizeof *names, by_name);
  int refused = 0;
  for (size_t i = 0; i < count; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", inbox, names[i]);
    size_t len = 0;
    char *message = read_file(path, &len);
    remove(path);
    gcounter_status status = gcounter_join_json(counter, message, len);
    if (status == GCOUNTER_ERR_INVALID_JSON) {
      refused++; /* cut short in transit; the counter is unchanged */
    } else if (status != GCOUNTER_OK) {
      fail("join_json", status);
    }
    free(message);
    free(names[i]);
  }
  free(names);
  return refused;
}

/* Writes a message atomically: to a hidden name, then renamed. */
static void send_json(const char *outbox, const char *name, const gcounter_t *counter) {
  char *json = NULL;
  size_t len = 0;
  gcounter_status status = gcounter_to_json(counter, &json, &len);
  if (status != GCOUNTER_OK) fail("to_json", status);
  char temporary[4096], final[4096];
  snprintf(temporary, sizeof temporary, "%s/.%s", outbox, name);
  snprintf(final, sizeof final, "%s/%s", outbox, name);
  FILE *file = fopen(temporary, "wb");
  if (file == NULL || fwrite(json, 1, len, file) != len || fclose(file) != 0) {
    perror(temporary);
    exit(1);
  }
  if (rename(temporary, final) != 0) {
    perror(final);
    exit(1);
  }
  gcounter_string_free(json);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: replica DIR SEED\n");
    return 2;
  }
  const char *directory = argv[1];
  rng_state = strtoull(argv[2], NULL, 10) * 2654435761u + 1;
  char path[4096], inbox[4096], outbox[4096];
  snprintf(path, sizeof path, "%s/agent_id", directory);
  size_t agent_id_len = 0;
  char *agent_id = read_file(path, &agent_id_len);
  snprintf(inbox, sizeof inbox, "%s/inbox", directory);
  snprintf(outbox, sizeof outbox, "%s/outbox", directory);

  gcounter_t *counter = gcounter_new();
  uint64_t own = 0;
  int refused = 0;
  char line[256];
  while (fgets(line, sizeof line, stdin) != NULL) {
    char command[32] = "";
    int number = 0;
    sscanf(line, "%31s %d", command, &number);
    if (strcmp(command, "quit") == 0) break;
    refused += drain(counter, inbox);
    if (strcmp(command, "round") == 0) {
      for (uint64_t i = below(4); i > 0; i--) {
        uint64_t by = 1 + below(9);
        gcounter_status status = gcounter_increment_len(counter, agent_id, agent_id_len, by);
        if (status != GCOUNTER_OK) fail("increment", status);
        own += by;
      }
      char name[32];
      snprintf(name, sizeof name, "%04d.json", number);
      if (below(4) == 0) {
        send_json(outbox, name, counter); /* the full state */
      } else {
        gcounter_t *delta = NULL; /* what rose since the last delta */
        gcounter_status status = gcounter_take_delta(counter, &delta);
        if (status != GCOUNTER_OK) fail("take_delta", status);
        send_json(outbox, name, delta);
        gcounter_free(delta);
      }
    } else if (strcmp(command, "final") == 0) {
      send_json(outbox, "final.json", counter);
    } else if (strcmp(command, "report") == 0) {
      char *json = NULL;
      size_t len = 0;
      gcounter_to_json(counter, &json, &len);
      snprintf(path, sizeof path, "%s/state.json", directory);
      FILE *file = fopen(path, "wb");
      fwrite(json, 1, len, file);
      fclose(file);
      gcounter_string_free(json);
    }
    uint64_t value = 0;
    gcounter_status status = gcounter_value(counter, &value);
    if (status != GCOUNTER_OK) fail("value", status);
    printf("ok %" PRIu64 " %" PRIu64 " %d\n", own, value, refused);
    fflush(stdout);
  }
  gcounter_free(counter);
  free(agent_id);
  return 0;
}
