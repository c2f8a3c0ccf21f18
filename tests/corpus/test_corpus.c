/* The JSONTestSuite corpus (test_parsing/ and test_transform/) through the C API, under
 * valgrind: `make test-corpus`.
 *
 * Usage: test_corpus CORPUS_DIR EXPECTED
 *   CORPUS_DIR  the corpus, with test_parsing/ and test_transform/
 *   EXPECTED    the files the wire format accepts, one "dir/name<TAB>canonical JSON" a line,
 *               as tests/corpus/oracle.py writes them from Python's json module
 *
 * Each file is one test. It passes when:
 * - gcounter_from_json accepts it exactly when EXPECTED lists it (never an n_ file: every n_
 *   file is refused), and then the counter's canonical JSON is the one listed;
 * - a refusal is GCOUNTER_ERR_INVALID_JSON with a message "invalid JSON at byte N: ..." where N
 *   is within the file, and the out-parameter is left alone;
 * - gcounter_join_json gives the same status and message, and a refused one changes nothing
 *   (the target's counts and its pending delta), while an accepted one equals gcounter_join
 *   with the parsed counter.
 * Every file is read into a block of exactly its size, so a read past the input shows under
 * valgrind. Closes with "corpus: N passed, N failed". */
#define _POSIX_C_SOURCE 200809L
#include "gcounter.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures_in_file;

static void fail(const char *file, const char *what, const char *detail) {
  failures_in_file++;
  fprintf(stderr, "FAILED %s: %s%s%s\n", file, what, detail ? ": " : "", detail ? detail : "");
}

/* The whole file in a block of exactly its size (no terminator), or NULL. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  char *data = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
      data = malloc(size > 0 ? (size_t)size : 1);
      if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
      }
      *len = (size_t)size;
    }
  }
  fclose(f);
  return data;
}

/* The canonical JSON of a counter, as a string to free(). */
static char *json_of(const gcounter_t *counter) {
  char *json = NULL;
  size_t len = 0;
  if (gcounter_to_json(counter, &json, &len) != GCOUNTER_OK) return NULL;
  char *copy = malloc(len + 1);
  if (copy != NULL) memcpy(copy, json, len + 1);
  gcounter_string_free(json);
  return copy;
}

static int same_json(const gcounter_t *counter, const char *expected) {
  char *json = json_of(counter);
  int same = json != NULL && strcmp(json, expected) == 0;
  free(json);
  return same;
}

/* A join target with counts and a pending delta: {"keep":3,"mine":1}, delta {"mine":1}. */
static gcounter_t *new_target(void) {
  gcounter_t *target = NULL;
  if (gcounter_from_json("{\"keep\":3}", 10, &target) != GCOUNTER_OK) return NULL;
  if (gcounter_increment(target, "mine", 1) != GCOUNTER_OK) return NULL;
  return target;
}

/* A refusal's message: "invalid JSON at byte N: ..." with N <= len, and no Rust escape. */
static void check_message(const char *file, const char *message, size_t len) {
  unsigned long long at = 0;
  char rest = 0;
  if (sscanf(message, "invalid JSON at byte %llu%c", &at, &rest) != 2 || rest != ':' || at > len) {
    fail(file, "the message does not name a byte of the input", message);
  }
  if (strstr(message, "\\u{") != NULL) fail(file, "the message holds a Rust escape", message);
}

static void check_file(const char *file, const char *data, size_t len, const char *expected) {
  int is_n = strncmp(strrchr(file, '/') + 1, "n_", 2) == 0;
  if (is_n && expected != NULL) fail(file, "EXPECTED lists a file that must be refused", NULL);

  gcounter_t *sentinel = (gcounter_t *)&failures_in_file, *parsed = sentinel;
  gcounter_status status = gcounter_from_json(data, len, &parsed);
  char *message = strdup(gcounter_last_error_message());
  if (status != GCOUNTER_OK && status != GCOUNTER_ERR_INVALID_JSON) {
    fail(file, "from_json returned neither OK nor INVALID_JSON", gcounter_status_str(status));
  }
  if (status == GCOUNTER_OK) {
    if (expected == NULL) fail(file, "accepted, but it is not an object of counts", NULL);
    else if (!same_json(parsed, expected)) fail(file, "accepted with other counts than", expected);
  } else {
    if (expected != NULL) fail(file, "refused, but it is an object of counts", message);
    if (parsed != sentinel) fail(file, "a refused from_json wrote its out-parameter", NULL);
    check_message(file, message, len);
  }

  gcounter_t *target = new_target(), *reference = gcounter_clone(target);
  gcounter_status joined = gcounter_join_json(target, data, len);
  if (joined != status) {
    fail(file, "join_json and from_json disagree", gcounter_last_error_message());
  }
  if (joined == GCOUNTER_OK && status == GCOUNTER_OK) {
    gcounter_join(reference, parsed);
    if (!gcounter_equivalent(target, reference)) fail(file, "join_json differs from join", NULL);
  } else if (joined != GCOUNTER_OK) {
    if (strcmp(gcounter_last_error_message(), message) != 0) {
      fail(file, "join_json and from_json give other messages", gcounter_last_error_message());
    }
    gcounter_t *delta = NULL;
    if (!same_json(target, "{\"keep\":3,\"mine\":1}")) {
      fail(file, "a refused join_json changed the counts", NULL);
    }
    if (gcounter_take_delta(target, &delta) != GCOUNTER_OK || !same_json(delta, "{\"mine\":1}")) {
      fail(file, "a refused join_json changed the pending delta", NULL);
    }
    gcounter_free(delta);
  }
  gcounter_free(reference);
  gcounter_free(target);
  if (parsed != sentinel) gcounter_free(parsed);
  free(message);
}

/* EXPECTED as parallel arrays of names and canonical JSON. */
static char **expected_names, **expected_json;
static size_t expected_count;

static int load_expected(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  char *line = NULL;
  size_t capacity = 0;
  ssize_t got;
  while ((got = getline(&line, &capacity, f)) > 0) {
    if (line[got - 1] == '\n') line[got - 1] = '\0';
    char *tab = strchr(line, '\t');
    if (tab == NULL) continue;
    *tab = '\0';
    expected_names = realloc(expected_names, (expected_count + 1) * sizeof *expected_names);
    expected_json = realloc(expected_json, (expected_count + 1) * sizeof *expected_json);
    expected_names[expected_count] = strdup(line);
    expected_json[expected_count] = strdup(tab + 1);
    expected_count++;
  }
  free(line);
  fclose(f);
  return 1;
}

static const char *expected_for(const char *file) {
  for (size_t i = 0; i < expected_count; i++) {
    if (strcmp(expected_names[i], file) == 0) return expected_json[i];
  }
  return NULL;
}

/* "a/b", to free(). */
static char *join_path(const char *a, const char *b) {
  size_t size = strlen(a) + 1 + strlen(b) + 1;
  char *path = malloc(size);
  if (path != NULL) snprintf(path, size, "%s/%s", a, b);
  return path;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every .json file of CORPUS_DIR/folder; adds to the tallies. 0 if the folder is missing. */
static int run_folder(const char *corpus, const char *folder, int *passed, int *failed,
                      int *n_files) {
  char *folder_path = join_path(corpus, folder);
  DIR *dir = opendir(folder_path);
  free(folder_path);
  if (dir == NULL) return 0;
  char **names = NULL;
  size_t count = 0;
  for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
    size_t n = strlen(entry->d_name);
    if (n < 5 || strcmp(entry->d_name + n - 5, ".json") != 0) continue;
    names = realloc(names, (count + 1) * sizeof *names);
    names[count++] = strdup(entry->d_name);
  }
  closedir(dir);
  qsort(names, count, sizeof *names, by_name);
  for (size_t i = 0; i < count; i++) {
    char *file = join_path(folder, names[i]), *path = join_path(corpus, file);
    failures_in_file = 0;
    size_t len = 0;
    char *data = read_file(path, &len);
    free(path);
    if (data == NULL) {
      fail(file, "cannot read the file", NULL);
    } else {
      check_file(file, data, len, expected_for(file));
      free(data);
    }
    if (strncmp(names[i], "n_", 2) == 0) (*n_files)++;
    if (failures_in_file == 0) (*passed)++;
    else (*failed)++;
    free(file);
    free(names[i]);
  }
  free(names);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_corpus CORPUS_DIR EXPECTED\n");
    return 2;
  }
  if (!load_expected(argv[2])) {
    fprintf(stderr, "test_corpus: cannot read %s\n", argv[2]);
    return 2;
  }
  int passed = 0, failed = 0, n_files = 0;
  int status = 0;
  for (int i = 0; i < 2; i++) {
    const char *folder = i == 0 ? "test_parsing" : "test_transform";
    if (!run_folder(argv[1], folder, &passed, &failed, &n_files)) {
      fprintf(stderr, "test_corpus: %s/%s is missing: is %s the JSONTestSuite corpus?\n", argv[1],
              folder, argv[1]);
      status = 1;
    }
  }
  /* Every listed file was seen; a corpus of a few files would prove little. */
  for (size_t i = 0; i < expected_count; i++) {
    char *path = join_path(argv[1], expected_names[i]);
    FILE *f = fopen(path, "rb");
    free(path);
    if (f == NULL) {
      fprintf(stderr, "FAILED %s: listed in EXPECTED but not in the corpus\n", expected_names[i]);
      failed++;
    } else {
      fclose(f);
    }
    free(expected_names[i]);
    free(expected_json[i]);
  }
  free(expected_names);
  free(expected_json);
  if (passed + failed < 300 || n_files < 150) {
    fprintf(stderr, "test_corpus: only %d files (%d n_ files): expected the whole corpus\n",
            passed + failed, n_files);
    status = 1;
  }
  printf("corpus: %zu files accepted as objects of counts, %d n_ files to refuse\n", expected_count,
         n_files);
  printf("corpus: %d passed, %d failed\n", passed, failed);
  return status != 0 || failed != 0 ? 1 : 0;
}
