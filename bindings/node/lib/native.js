'use strict';
// Finding libgcounter and declaring its C ABI for koffi.
//
// The library is looked up once, when the package is first required, in this order:
//
// 1. GCOUNTER_LIB, when set: the path (or loader name) of the library. It is then the only
//    candidate, so a wrong value fails loudly instead of quietly loading another copy.
// 2. The copy inside the npm package: prebuilds/<platform>-<arch>/ next to index.js.
// 3. The source tree: target/release of the repository that holds bindings/node, as
//    `make lib` (cargo build --release) leaves it, so no variable is needed in a checkout.
// 4. An installed library, by name through the dynamic loader's search path
//    (LD_LIBRARY_PATH, the ldconfig cache, /usr/lib, ...).
//
// Every function the binding calls is declared once, below, with the header's own prototype, so
// the table reads against include/gcounter.h line by line (a test compares the two: the header's
// functions but those bindings/left-out.txt lists for node).

const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

const ENV_VAR = 'GCOUNTER_LIB';

// File names: the one `make lib` builds, and the ones an install provides (soname first).
const FILE_NAMES = {
  darwin: { built: ['libgcounter.dylib'], installed: ['libgcounter.0.dylib', 'libgcounter.dylib'] },
  win32: { built: ['gcounter.dll'], installed: ['gcounter.dll'] },
};
const { built: BUILT_NAMES, installed: INSTALLED_NAMES } = FILE_NAMES[process.platform] ?? {
  built: ['libgcounter.so.0', 'libgcounter.so'],
  installed: ['libgcounter.so.0', 'libgcounter.so'],
};

const PACKAGE_ROOT = path.resolve(__dirname, '..');
/** Where the npm package carries its own copy of the library. */
const PREBUILD_DIR = path.join(PACKAGE_ROOT, 'prebuilds', `${process.platform}-${process.arch}`);
/** Where `make lib` puts the library when the package runs from this repository. */
const SOURCE_TREE_DIR = path.resolve(PACKAGE_ROOT, '..', '..', 'target', 'release');

/** The names or paths that load() tries, in order. */
function candidates(env = process.env) {
  const override = env[ENV_VAR];
  if (override) return [override];
  const files = [
    ...INSTALLED_NAMES.map((name) => path.join(PREBUILD_DIR, name)),
    ...BUILT_NAMES.map((name) => path.join(SOURCE_TREE_DIR, name)),
  ].filter((file) => fs.existsSync(file));
  return [...new Set([...files, ...INSTALLED_NAMES])];
}

/** Loads the first candidate the dynamic loader accepts: { library, path }. */
function load(env = process.env) {
  const attempts = [];
  for (const name of candidates(env)) {
    try {
      return { library: koffi.load(name), path: name };
    } catch (error) {
      attempts.push(`  ${name}: ${error.message}`);
    }
  }
  const hint = env[ENV_VAR]
    ? `${ENV_VAR} is set but does not name a loadable libgcounter`
    : `build it with 'make lib' in the repository (${SOURCE_TREE_DIR}), install it where the ` +
      `dynamic loader looks, or set ${ENV_VAR} to its path`;
  throw new Error(`libgcounter could not be loaded: ${hint}. Tried:\n${attempts.join('\n')}`);
}

// The header's types. koffi keeps named types per thread, for the whole thread: a second copy
// of this package in the same thread finds them already there.
function namedType(name, make) {
  try {
    return koffi.type(name);
  } catch {
    return make();
  }
}
namedType('gcounter_t', () => koffi.opaque('gcounter_t'));
namedType('gcounter_status', () => koffi.alias('gcounter_status', 'uint32_t'));
namedType('gcounter_order', () => koffi.alias('gcounter_order', 'uint32_t'));

// Out-parameters are typed arrays that the binding owns (see counter.js), so the library
// writes straight into them; a pointer that must be freed is read as a number, never as a
// string, which would copy it and lose the pointer.
const PROTOTYPES = [
  'const char *gcounter_version(void)',
  'const char *gcounter_status_str(gcounter_status status)',
  'const char *gcounter_last_error_message(void)',
  'gcounter_t *gcounter_new(void)',
  'void gcounter_free(gcounter_t *counter)',
  'gcounter_t *gcounter_clone(const gcounter_t *counter)',
  'gcounter_status gcounter_increment(gcounter_t *counter, const char *agent_id, uint64_t by)',
  'gcounter_status gcounter_increment_len(gcounter_t *counter, const char *agent_id, size_t agent_id_len, uint64_t by)',
  'gcounter_status gcounter_join(gcounter_t *into, const gcounter_t *other)',
  'gcounter_status gcounter_join_json(gcounter_t *into, const char *json, size_t json_len)',
  'gcounter_status gcounter_value_exact(const gcounter_t *counter, uint64_t *out_high, uint64_t *out_low)',
  'gcounter_status gcounter_value_for(const gcounter_t *counter, const char *agent_id, uint64_t *out_value)',
  'gcounter_status gcounter_value_for_len(const gcounter_t *counter, const char *agent_id, size_t agent_id_len, uint64_t *out_value)',
  'size_t gcounter_agent_count(const gcounter_t *counter)',
  'gcounter_status gcounter_slot_at(const gcounter_t *counter, size_t index, const char **out_agent_id, size_t *out_agent_id_len, uint64_t *out_count)',
  'bool gcounter_equivalent(const gcounter_t *a, const gcounter_t *b)',
  'gcounter_status gcounter_compare(const gcounter_t *a, const gcounter_t *b, gcounter_order *out_order)',
  'gcounter_status gcounter_to_json(const gcounter_t *counter, char **out_json, size_t *out_len)',
  'void gcounter_string_free(char *json)',
  'gcounter_status gcounter_from_json(const char *json, size_t json_len, gcounter_t **out_counter)',
  'gcounter_status gcounter_take_delta(gcounter_t *counter, gcounter_t **out_delta)',
  'gcounter_status gcounter_delta_for(const gcounter_t *counter, const gcounter_t *peer, gcounter_t **out_delta)',
];

/** Declares every prototype: { gcounter_new: function, ... }. */
function declare(library, libraryPath) {
  const functions = {};
  for (const prototype of PROTOTYPES) {
    const name = /(gcounter_\w+)\(/.exec(prototype)[1];
    try {
      functions[name] = library.func(prototype);
    } catch (error) {
      throw new Error(`${libraryPath} is not a compatible libgcounter: ${name}: ${error.message}`);
    }
  }
  return functions;
}

const { library, path: libraryPath } = load();

module.exports = {
  ENV_VAR,
  PREBUILD_DIR,
  SOURCE_TREE_DIR,
  PROTOTYPES,
  candidates,
  libraryPath,
  /** The library's functions by their C names. Calls look them up here, so tests can wrap one. */
  functions: declare(library, libraryPath),
};
