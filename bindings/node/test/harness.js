'use strict';
// What the tests share: the package and repository paths, and a record of native calls.

const path = require('node:path');
const native = require('../lib/native');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PACKAGE_DIR, '..', '..');

/**
 * Runs `body` while every native function is wrapped to record its name; returns the names
 * called, in order. The binding looks each function up at call time, so this sees every call.
 */
function nativeCalls(body) {
  const calls = [];
  const originals = { ...native.functions };
  for (const [name, fn] of Object.entries(originals)) {
    native.functions[name] = (...args) => {
      calls.push(name);
      return fn(...args);
    };
  }
  try {
    body();
  } finally {
    Object.assign(native.functions, originals);
  }
  return calls;
}

module.exports = { PACKAGE_DIR, REPO_ROOT, nativeCalls };
