/// <reference lib="esnext.disposable" />
// Type declarations of the gcounter package (index.js and index.mjs).

/** The name of a gcounter_status. */
export type StatusName =
  | 'OK'
  | 'NULL_POINTER'
  | 'INVALID_ARGUMENT'
  | 'INVALID_UTF8'
  | 'OVERFLOW'
  | 'INVALID_JSON'
  | 'PANIC';

/** A gcounter_status: its name and its code in the C ABI. */
export interface Status {
  readonly name: StatusName;
  readonly code: number;
}

/** Every gcounter_status, by name; the codes never change. Compare with `===`. */
export declare const Status: {
  readonly OK: Status & { readonly name: 'OK'; readonly code: 0 };
  readonly NULL_POINTER: Status & { readonly name: 'NULL_POINTER'; readonly code: 1 };
  readonly INVALID_ARGUMENT: Status & { readonly name: 'INVALID_ARGUMENT'; readonly code: 2 };
  readonly INVALID_UTF8: Status & { readonly name: 'INVALID_UTF8'; readonly code: 3 };
  readonly OVERFLOW: Status & { readonly name: 'OVERFLOW'; readonly code: 4 };
  readonly INVALID_JSON: Status & { readonly name: 'INVALID_JSON'; readonly code: 5 };
  readonly PANIC: Status & { readonly name: 'PANIC'; readonly code: 6 };
};

/**
 * A failure reported by libgcounter (or an agent id or JSON text with no UTF-8 form): its
 * status, and as `message` the library's explanation of that very call.
 */
export declare class GCounterError extends Error {
  readonly name: 'GCounterError';
  readonly status: Status;
}

/** The lattice order of two counters, as `a.compare(b)` reports it. */
export type Order = 'equal' | 'less' | 'greater' | 'concurrent';

/** A wire-format document: a string, or its UTF-8 bytes. */
export type Json = string | Uint8Array;

/**
 * The RangeError that `increment` throws, before any native call, for an integer amount the
 * library refuses: below 1 (`status` INVALID_ARGUMENT, message
 * `increment 'by' must be at least 1, got 0`) or above 2^64 - 1 (`status` OVERFLOW), in the
 * library's own words. A number that is no safe integer is a plain RangeError, without `status`.
 */
export interface AmountRangeError extends RangeError {
  readonly status: Status;
}

/** One slot: the agent id and its count (above 0). */
export type Slot = [agentId: string, count: bigint];

/**
 * A grow-only counter (G-Counter CRDT) held by libgcounter.
 *
 * Counts are bigints, exact over the whole uint64 range; the total is exact at any size.
 * Wrong arguments throw a TypeError or a RangeError before any native call; failures of the
 * library throw a GCounterError; a call that throws changes nothing.
 *
 * Iterating a counter (`for (const [agentId, count] of counter)`) gives its slots in canonical
 * order, copied out when the loop starts.
 *
 * A Counter belongs to the thread (main thread or worker) that made it; send `toJson()` to
 * another thread. Free it with `close()` or `using`; otherwise the garbage collector does.
 * After `close()`, every method but `close()` and `closed` throws an Error whose `code` is
 * `'ERR_GCOUNTER_CLOSED'`.
 */
export declare class Counter implements Disposable, Iterable<Slot> {
  /** An empty counter. */
  constructor();

  /** A counter parsed from the wire format; GCounterError (INVALID_JSON) if it is not that. */
  static fromJson(json: Json): Counter;

  /**
   * Adds `by` to the agent's slot and returns this counter. `by` is a safe integer of at
   * least 1, or a bigint from 1n to 2n ** 64n - 1n; otherwise a RangeError (an
   * {@link AmountRangeError}, with the library's status and words, for an integer below 1 or
   * above 2^64 - 1), or a TypeError for neither a number nor a bigint. A slot that would
   * exceed 2^64 - 1 is a GCounterError (OVERFLOW). `agentId` may hold any character, NUL
   * included; a lone surrogate is a GCounterError (INVALID_UTF8).
   */
  increment(agentId: string, by?: number | bigint): this;

  /** Sets every slot to the maximum of this counter's and `other`'s; returns this counter. */
  join(other: Counter): this;

  /** `join` with a counter in the wire format; a bad document changes nothing. */
  joinJson(json: Json): this;

  /** The sum of all slots, exact at any size (above 2^64 - 1 too). */
  value(): bigint;

  /** The agent's slot: 0n for an agent never seen. */
  valueFor(agentId: string): bigint;

  /** How many agents have a count above 0. */
  agentCount(): number;

  /** Whether every agent has the same count in both (absent counts as 0). */
  equivalent(other: Counter): boolean;

  /** The lattice order; a counter that is `'less'` than its peer has nothing to send it. */
  compare(other: Counter): Order;

  /** The canonical wire format: no whitespace, members sorted by agent id, counts above 0. */
  toJson(): string;

  /**
   * For `JSON.stringify`: `{ agentId: count }`. Counts above 2^53 - 1 are written exactly
   * where the runtime has `JSON.rawJSON` (Node 21+), and are a RangeError elsewhere.
   */
  toJSON(): Record<string, unknown>;

  /**
   * A new counter with the slots that rose since the last `takeDelta()` (or since this counter
   * was made), at their current counts; the record starts again empty.
   */
  takeDelta(): Counter;

  /**
   * What `peer` lacks of this counter: a new counter with this counter's count for every agent
   * where it is above `peer`'s, and nothing else; empty when this counter is `'equal'` or
   * `'less'` than `peer`. Joining it into a copy of `peer` gives the same as joining this whole
   * counter. Neither counter, nor its delta record, changes. Anti-entropy: a replica that has
   * just read a peer's state replies with `mine.deltaFor(theirs).toJson()`.
   */
  deltaFor(peer: Counter): Counter;

  /**
   * The slots above 0 as `[agentId, count]` in canonical order (ids sorted by their UTF-8
   * bytes, as in `toJson()`), copied out when called: the loop may change or close the
   * counter, and the walk goes on over the counter as it was then.
   */
  entries(): IterableIterator<Slot>;

  /** `entries()`, for `for...of`, spreading and `Array.from`. */
  [Symbol.iterator](): IterableIterator<Slot>;

  /** The slots above 0 as a new Map of agentId to count, in canonical order. */
  toMap(): Map<string, bigint>;

  /** An independent copy with the same counts and an empty delta record. */
  clone(): Counter;

  /** Frees the native counter now; safe to call again. */
  close(): void;

  /** Whether `close()` has been called. */
  readonly closed: boolean;

  /** `close()`, for `using`. */
  [Symbol.dispose](): void;
}

/** 2n ** 64n - 1n, the largest count a slot holds. */
export declare const U64_MAX: bigint;

/** The version of the loaded library, e.g. "0.2.0". */
export declare const libraryVersion: string;

/** The path (or loader name) of the library that was loaded. */
export declare const libraryPath: string;
