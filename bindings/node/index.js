'use strict';
// gcounter: a grow-only counter (G-Counter CRDT) for Node.js, over libgcounter's C ABI (koffi).

const native = require('./lib/native');
const { Status, GCounterError } = require('./lib/errors');
const { Counter, U64_MAX } = require('./lib/counter');

module.exports = {
  Counter,
  GCounterError,
  Status,
  /** 2^64 - 1, the largest count a slot holds. */
  U64_MAX,
  /** The version of the loaded library, e.g. "0.2.0". */
  libraryVersion: native.functions.gcounter_version(),
  /** The path (or loader name) of the library that was loaded. */
  libraryPath: native.libraryPath,
};
