'use strict';
// The statuses of the C ABI and the error they become.

const { functions: native } = require('./native');

function status(name, code) {
  return Object.freeze({ name, code });
}

/** gcounter_status, by name: the codes are part of the C ABI and never change. */
const Status = Object.freeze({
  OK: status('OK', 0),
  NULL_POINTER: status('NULL_POINTER', 1),
  INVALID_ARGUMENT: status('INVALID_ARGUMENT', 2),
  INVALID_UTF8: status('INVALID_UTF8', 3),
  OVERFLOW: status('OVERFLOW', 4),
  INVALID_JSON: status('INVALID_JSON', 5),
  PANIC: status('PANIC', 6),
});
const BY_CODE = new Map(Object.values(Status).map((s) => [s.code, s]));

/** A failure reported by libgcounter: its status and the library's explanation. */
class GCounterError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}
GCounterError.prototype.name = 'GCounterError';

/**
 * The error for a status other than OK, with the message of the call that just failed.
 *
 * Sound because koffi runs every call synchronously on the calling JS thread, which is one OS
 * thread for the life of the isolate (a worker is its own thread): nothing can call into the
 * library between the failing call and this read, not even a FinalizationRegistry callback,
 * which runs as a task of its own. So the message belongs to that call, as the header asks.
 */
function failure(code) {
  const status = BY_CODE.get(code) ?? Object.freeze({ name: `UNKNOWN_${code}`, code });
  const message = native.gcounter_last_error_message() || native.gcounter_status_str(code);
  return new GCounterError(status, message);
}

/** Throws the error for a status other than OK. */
function check(code) {
  if (code !== 0) throw failure(code);
}

module.exports = { Status, GCounterError, check, failure };
