'use strict';
// Counter: one native gcounter_t, owned by one JS object on one thread.

const { inspect } = require('node:util');
const koffi = require('koffi');
const { functions: native } = require('./native');
const { Status, GCounterError, check, failure } = require('./errors');

const U64_MAX = (1n << 64n) - 1n;
const ORDERS = ['equal', 'less', 'greater', 'concurrent'];

// Out-parameters the library writes into. One set per module instance, so per thread (a worker
// loads its own copy of the package), and never used by two calls at once: calls are
// synchronous and the library calls nothing back. Each is read right after its call.
const Words = koffi.sizeof('void *') === 8 ? BigUint64Array : Uint32Array;
const outValue = new BigUint64Array(1); // uint64_t *
const outHigh = new BigUint64Array(1); // uint64_t * (value_exact's high word)
const outOrder = new Uint32Array(1); // gcounter_order *
const outWords = new Words(2);
const outPointer = outWords.subarray(0, 1); // char **, const char ** and gcounter_t **
const outLength = outWords.subarray(1, 2); // size_t *

// --- Argument checks: all of them before any native call ---------------------------------

// What a refused argument is, for an error message: `undefined`, `null`, `string "1"`,
// `number 1`, `an object (Array)`.
function describe(value) {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

// A lone surrogate has no UTF-8 form; the UTF-8 encoders of V8 and Buffer would write U+FFFD
// in its place, silently naming another agent. So it is refused.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = String.prototype.isWellFormed
  ? (text) => text.isWellFormed()
  : (text) => !LONE_SURROGATE.test(text);

function loneSurrogate(status, what, text) {
  const index = text.search(LONE_SURROGATE);
  const unit = text.charCodeAt(index).toString(16).toUpperCase();
  return new GCounterError(status, `${what} has a lone surrogate (U+${unit}) at index ${index}: it has no UTF-8 form`);
}

function checkAgentId(agentId) {
  if (typeof agentId !== 'string') throw new TypeError(`agentId must be a string, got ${describe(agentId)}`);
  if (!isWellFormed(agentId)) throw loneSurrogate(Status.INVALID_UTF8, 'agentId', agentId);
}

/** The id's UTF-8 bytes when it holds a NUL (for the _len functions); otherwise null. */
function bytesWithNul(agentId) {
  return agentId.includes('\0') ? Buffer.from(agentId, 'utf8') : null;
}

/** A RangeError for an amount the library refuses (or would): its status and its words. */
function refusedAmount(status, message) {
  const error = new RangeError(message);
  error.status = status;
  return error;
}

// Every amount is checked here, before any native call. An integer the library refuses (0, and
// below 0, which uint64_t cannot carry, as 0 is) or no slot can take (above 2^64 - 1) gets the
// library's status and words, as in every binding; a number that is no exact integer is JS's
// own concern, a RangeError without a status.
function amount(by) {
  if (typeof by === 'bigint') {
    if (by >= 1n && by <= U64_MAX) return by;
  } else if (typeof by === 'number') {
    if (Number.isSafeInteger(by) && by >= 1) return by;
    if (!Number.isInteger(by)) throw new RangeError(`increment 'by' must be an integer, got ${by}`);
    if (by >= 1) {
      throw new RangeError(`increment 'by' must be a safe integer when it is a number, got ${by}: pass a bigint`);
    }
  } else {
    throw new TypeError(`increment 'by' must be a number or a bigint, got ${describe(by)}`);
  }
  const exact = BigInt(by); // the integer's own digits (-0 is 0), as the library would print them
  if (exact < 1n) throw refusedAmount(Status.INVALID_ARGUMENT, `increment 'by' must be at least 1, got ${exact}`);
  throw refusedAmount(Status.OVERFLOW, `increment 'by' must be at most 2**64-1, got ${exact}`);
}

function jsonBytes(json) {
  if (typeof json === 'string') {
    if (!isWellFormed(json)) throw loneSurrogate(Status.INVALID_JSON, 'the JSON text', json);
    return Buffer.from(json, 'utf8');
  }
  if (json instanceof Uint8Array) return json;
  throw new TypeError(`json must be a string or a Uint8Array, got ${describe(json)}`);
}

function closedError() {
  const error = new Error('operation on a closed Counter');
  error.code = 'ERR_GCOUNTER_CLOSED';
  return error;
}

// JSON.stringify(counter) writes the counter's object. A count above 2^53 - 1 is no JS number:
// it goes out as its own digits where the runtime has JSON.rawJSON (Node 21+), and is refused
// elsewhere rather than rounded.
function exactCount(agentId, value, context) {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  if (typeof JSON.rawJSON === 'function' && context?.source) return JSON.rawJSON(context.source);
  throw new RangeError(
    `the count of agent ${JSON.stringify(agentId)} is above 2^53 - 1, which JSON.stringify ` +
      'cannot write exactly on this runtime: use counter.toJson()',
  );
}

// --- Lifetime -----------------------------------------------------------------------------

// The safety net for a counter that is never closed. It holds the handle, not the counter, so
// it does not keep the counter alive. Its callbacks run on this thread as tasks of their own,
// never inside another call.
const registry = new FinalizationRegistry((handle) => native.gcounter_free(handle));

// A handle for the next constructor call to take over: how clone, fromJson and takeDelta wrap
// the counters the library returns, without a public constructor that takes a raw pointer.
let adopted = null;

function adopt(handle) {
  adopted = handle;
  return new Counter();
}

/**
 * A grow-only counter (G-Counter CRDT) held by libgcounter. Counts are bigints, exact over the
 * whole uint64 range. A Counter belongs to the thread that made it (workers cannot share it;
 * send toJson() instead). close() it, or `using` it, to free it at once.
 */
class Counter {
  #handle;

  constructor() {
    if (arguments.length > 0) {
      throw new TypeError('new Counter() takes no arguments: use Counter.fromJson(json) to start from a state');
    }
    let handle = adopted;
    adopted = null;
    if (handle === null) {
      handle = native.gcounter_new();
      if (!handle) throw failure(Status.PANIC.code);
    }
    this.#handle = handle;
    registry.register(this, handle, this);
  }

  /** A counter parsed from the wire format (a string, or UTF-8 bytes). */
  static fromJson(json) {
    const bytes = jsonBytes(json);
    check(native.gcounter_from_json(bytes, bytes.length, outPointer));
    return adopt(outPointer[0]);
  }

  #live() {
    if (this.#handle === null) throw closedError();
    return this.#handle;
  }

  static #handleOf(other, what) {
    if (typeof other !== 'object' || other === null || !(#handle in other)) {
      throw new TypeError(`${what} must be a Counter, got ${describe(other)}`);
    }
    return other.#live();
  }

  /** Adds `by` (1 to 2^64 - 1, a safe-integer number or a bigint) to the agent's slot. */
  increment(agentId, by = 1n) {
    const handle = this.#live();
    checkAgentId(agentId);
    const count = amount(by);
    const bytes = bytesWithNul(agentId);
    check(
      bytes === null
        ? native.gcounter_increment(handle, agentId, count)
        : native.gcounter_increment_len(handle, bytes, bytes.length, count),
    );
    return this;
  }

  /** Sets every slot to the maximum of this counter's and `other`'s. */
  join(other) {
    const handle = this.#live();
    check(native.gcounter_join(handle, Counter.#handleOf(other, 'other')));
    return this;
  }

  /** join() with a counter in the wire format; a bad document changes nothing. */
  joinJson(json) {
    const handle = this.#live();
    const bytes = jsonBytes(json);
    check(native.gcounter_join_json(handle, bytes, bytes.length));
    return this;
  }

  /** The sum of all slots, exact at any size (above 2^64 - 1 too). */
  value() {
    check(native.gcounter_value_exact(this.#live(), outHigh, outValue));
    return (outHigh[0] << 64n) | outValue[0];
  }

  /** The agent's slot: 0n for an agent never seen. */
  valueFor(agentId) {
    const handle = this.#live();
    checkAgentId(agentId);
    const bytes = bytesWithNul(agentId);
    check(
      bytes === null
        ? native.gcounter_value_for(handle, agentId, outValue)
        : native.gcounter_value_for_len(handle, bytes, bytes.length, outValue),
    );
    return outValue[0];
  }

  /** How many agents have a count above 0. */
  agentCount() {
    return Number(native.gcounter_agent_count(this.#live()));
  }

  /** Whether every agent has the same count in both (absent counts as 0). */
  equivalent(other) {
    const handle = this.#live();
    return native.gcounter_equivalent(handle, Counter.#handleOf(other, 'other'));
  }

  /** The lattice order: 'equal', 'less', 'greater' or 'concurrent'. */
  compare(other) {
    const handle = this.#live();
    check(native.gcounter_compare(handle, Counter.#handleOf(other, 'other'), outOrder));
    return ORDERS[outOrder[0]];
  }

  /** The canonical wire format: no whitespace, members sorted by agent id, counts above 0. */
  toJson() {
    check(native.gcounter_to_json(this.#live(), outPointer, outLength));
    const json = outPointer[0];
    try {
      return koffi.decode.string(json, Number(outLength[0]));
    } finally {
      native.gcounter_string_free(json);
    }
  }

  /** For JSON.stringify: the counter as an object { agentId: count }. */
  toJSON() {
    return JSON.parse(this.toJson(), exactCount);
  }

  /** The slots that rose since the last takeDelta() (or since this counter was made). */
  takeDelta() {
    check(native.gcounter_take_delta(this.#live(), outPointer));
    return adopt(outPointer[0]);
  }

  /**
   * What `peer` lacks of this counter: a new counter with this counter's count for every agent
   * where it is above `peer`'s, and nothing else. Neither counter, nor its delta record, changes.
   */
  deltaFor(peer) {
    const handle = this.#live();
    check(native.gcounter_delta_for(handle, Counter.#handleOf(peer, 'peer'), outPointer));
    return adopt(outPointer[0]);
  }

  /**
   * The slots above 0 as [agentId, count] pairs in canonical order (ids sorted by their UTF-8
   * bytes, as in toJson()). The pairs are copied out when this is called, so the loop may
   * change or close the counter: the walk goes on over the counter as it was, and the change
   * shows in the next one.
   */
  entries() {
    return this.#slots()[Symbol.iterator]();
  }

  [Symbol.iterator]() {
    return this.entries();
  }

  /** The slots above 0 as a new Map of agentId => count, in canonical order. */
  toMap() {
    return new Map(this.#slots());
  }

  // Each id is decoded at once: the library lends its bytes only until the next change.
  #slots() {
    const handle = this.#live();
    const slots = new Array(Number(native.gcounter_agent_count(handle)));
    for (let index = 0; index < slots.length; index += 1) {
      check(native.gcounter_slot_at(handle, index, outPointer, outLength, outValue));
      const length = Number(outLength[0]);
      slots[index] = [length === 0 ? '' : koffi.decode.string(outPointer[0], length), outValue[0]];
    }
    return slots;
  }

  /** An independent copy with the same counts and an empty delta record. */
  clone() {
    const copy = native.gcounter_clone(this.#live());
    if (!copy) throw failure(Status.PANIC.code);
    return adopt(copy);
  }

  /** Frees the native counter now. Safe to call again; every other method then throws. */
  close() {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    registry.unregister(this);
    native.gcounter_free(handle);
  }

  get closed() {
    return this.#handle === null;
  }

  [inspect.custom](depth, options) {
    if (this.#handle === null) return 'Counter <closed>';
    const agents = this.agentCount();
    if (agents > 20) return `Counter <${agents} agents>`;
    return `Counter ${options.stylize(this.toJson(), 'string')}`;
  }
}

// `using counter = ...` closes it at the end of the block (where the runtime has the symbol).
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(Counter.prototype, Symbol.dispose, {
    value: function dispose() {
      this.close();
    },
    writable: true,
    configurable: true,
  });
}

module.exports = { Counter, U64_MAX };
