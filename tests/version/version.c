/*
 * Checks that the header's GCOUNTER_VERSION_MAJOR/MINOR/PATCH and gcounter_version() agree with
 * the version in Cargo.toml, which the build passes as EXPECTED_VERSION (e.g. "0.1.0"; a
 * pre-release or build suffix, "-rc.1" or "+build", is compared with gcounter_version() only).
 */
#include <stdio.h>
#include <string.h>

#include "gcounter.h"

#ifndef EXPECTED_VERSION
#error "compile with -DEXPECTED_VERSION='\"x.y.z\"', the version in Cargo.toml"
#endif

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define HEADER_VERSION                                                                  \
  STRINGIFY(GCOUNTER_VERSION_MAJOR) "." STRINGIFY(GCOUNTER_VERSION_MINOR) "." STRINGIFY( \
      GCOUNTER_VERSION_PATCH)

int main(void) {
  const char *expected = EXPECTED_VERSION;
  size_t numeric = strcspn(expected, "-+");
  int failures = 0;

  if (strlen(HEADER_VERSION) != numeric || strncmp(HEADER_VERSION, expected, numeric) != 0) {
    fprintf(stderr, "version: gcounter.h says %s, Cargo.toml says %s\n", HEADER_VERSION, expected);
    failures++;
  }
  if (strcmp(gcounter_version(), expected) != 0) {
    fprintf(stderr, "version: gcounter_version() is \"%s\", Cargo.toml says %s\n",
            gcounter_version(), expected);
    failures++;
  }
  if (failures == 0) printf("version: header, library and Cargo.toml all say %s\n", expected);
  return failures == 0 ? 0 : 1;
}
