'use strict';
// Every error: argument checks before any native call, and the library's failures as
// GCounterError with the status and the message of that very call.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Counter, GCounterError, Status, U64_MAX } = require('..');
const errors = require('../lib/errors');
const { REPO_ROOT, nativeCalls } = require('./harness');

/**
 * Asserts that `body` throws `type` (and matches `message`; has `status`, or none) without
 * calling the library.
 */
function refusedBeforeNative(body, type, message, status) {
  const calls = nativeCalls(() => assert.throws(body, (error) => {
    assert.equal(error.constructor, type);
    if (message) assert.match(error.message, message);
    assert.equal(error.status, status);
    return true;
  }));
  assert.deepEqual(calls, []);
}

function libraryError(body, status, message) {
  assert.throws(body, (error) => {
    assert.ok(error instanceof GCounterError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'GCounterError');
    assert.equal(error.status, status);
    assert.match(error.message, message);
    return true;
  });
}

describe('increment checks its amount before any native call', () => {
  const c = new Counter().increment('a', 5);
  // An integer the library refuses, or no slot can take, has the library's status and words.
  const { INVALID_ARGUMENT, OVERFLOW } = Status;
  const cases = [
    [0, RangeError, /^increment 'by' must be at least 1, got 0$/, INVALID_ARGUMENT],
    [-0, RangeError, /^increment 'by' must be at least 1, got 0$/, INVALID_ARGUMENT],
    [0n, RangeError, /^increment 'by' must be at least 1, got 0$/, INVALID_ARGUMENT],
    [-1, RangeError, /^increment 'by' must be at least 1, got -1$/, INVALID_ARGUMENT],
    [-1n, RangeError, /^increment 'by' must be at least 1, got -1$/, INVALID_ARGUMENT],
    [-(2 ** 60), RangeError, /^increment 'by' must be at least 1, got -1152921504606846976$/, INVALID_ARGUMENT],
    [U64_MAX + 1n, RangeError, /^increment 'by' must be at most 2\*\*64-1, got 18446744073709551616$/, OVERFLOW],
    [1.5, RangeError, /^increment 'by' must be an integer, got 1\.5$/],
    [-0.5, RangeError, /must be an integer, got -0\.5/],
    [Number.NaN, RangeError, /got NaN/],
    [Number.POSITIVE_INFINITY, RangeError, /got Infinity/],
    [Number.NEGATIVE_INFINITY, RangeError, /got -Infinity/],
    [2 ** 53, RangeError, /safe integer.*pass a bigint/],
    ['1', TypeError, /number or a bigint, got string "1"$/],
    [true, TypeError, /got boolean true/],
    [null, TypeError, /got null/],
    [{}, TypeError, /got an object \(Object\)/],
  ];
  for (const [by, type, message, status] of cases) {
    it(`refuses by = ${typeof by === 'bigint' ? `${by}n` : Object.is(by, -0) ? '-0' : JSON.stringify(by) ?? String(by)}`, () => {
      refusedBeforeNative(() => c.increment('a', by), type, message, status);
      assert.equal(c.valueFor('a'), 5n);
    });
  }

  it('the RangeError for 0 says what the library says when it is handed 0', () => {
    const counter = new Counter();
    // The library itself, called directly on a handle of its own, past the binding's check.
    const { functions } = require('../lib/native');
    const raw = functions.gcounter_new();
    const code = functions.gcounter_increment(raw, 'a', 0);
    const libraryMessage = functions.gcounter_last_error_message();
    functions.gcounter_free(raw);
    assert.equal(code, Status.INVALID_ARGUMENT.code);
    assert.throws(() => counter.increment('a', 0), (error) => {
      assert.ok(error instanceof RangeError);
      assert.equal(error.status, Status.INVALID_ARGUMENT);
      assert.equal(error.message, libraryMessage);
      return true;
    });
  });

  it('accepts the largest safe integer and the largest bigint', () => {
    const d = new Counter();
    d.increment('n', Number.MAX_SAFE_INTEGER);
    d.increment('b', U64_MAX);
    assert.equal(d.valueFor('n'), BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(d.valueFor('b'), U64_MAX);
  });
});

describe('other arguments are checked before any native call', () => {
  const c = new Counter().increment('a');
  it('a refused argument is described by its type and its value, a string in quotes', () => {
    refusedBeforeNative(() => c.increment(), TypeError, /^agentId must be a string, got undefined$/);
    refusedBeforeNative(() => c.increment(null), TypeError, /^agentId must be a string, got null$/);
    refusedBeforeNative(() => c.increment(7), TypeError, /^agentId must be a string, got number 7$/);
    refusedBeforeNative(() => c.increment('x', '1'), TypeError,
      /^increment 'by' must be a number or a bigint, got string "1"$/);
    refusedBeforeNative(() => c.increment('x', ''), TypeError,
      /^increment 'by' must be a number or a bigint, got string ""$/);
  });

  it('an agent id that is not a string is a TypeError', () => {
    for (const id of [1, null, undefined, Symbol('a'), ['a'], Buffer.from('a')]) {
      refusedBeforeNative(() => c.increment(id), TypeError, /agentId must be a string/);
      refusedBeforeNative(() => c.valueFor(id), TypeError, /agentId must be a string/);
    }
  });

  it('JSON that is neither a string nor a Uint8Array is a TypeError', () => {
    for (const json of [{ a: 1 }, 1, null, undefined, new ArrayBuffer(2), [123]]) {
      refusedBeforeNative(() => c.joinJson(json), TypeError, /json must be a string or a Uint8Array/);
      refusedBeforeNative(() => Counter.fromJson(json), TypeError, /json must be a string or a Uint8Array/);
    }
  });

  it('a counter argument that is not a Counter is a TypeError', () => {
    const lookalike = { toJson: () => '{}' };
    for (const other of [lookalike, null, undefined, '{}', structuredClone(c)]) {
      refusedBeforeNative(() => c.join(other), TypeError, /other must be a Counter/);
      refusedBeforeNative(() => c.equivalent(other), TypeError, /other must be a Counter/);
      refusedBeforeNative(() => c.compare(other), TypeError, /other must be a Counter/);
      refusedBeforeNative(() => c.deltaFor(other), TypeError, /peer must be a Counter/);
    }
    assert.equal(c.toJson(), '{"a":1}');
  });
});

describe('failures of the library are GCounterError with status and message', () => {
  it('a document that is not the wire format: INVALID_JSON, nothing applied', () => {
    const c = Counter.fromJson('{"a":1}');
    const cases = [
      ['{"b":2,"a":-1}', /invalid JSON at byte 11: the count of agent "a" is negative/],
      ['{"b":2,"b":3}', /invalid JSON at byte 7: duplicate agent id "b"/],
      ['{"b":1.5}', /must be an integer/],
      ['{"b":18446744073709551616}', /UINT64_MAX/],
      ['[1]', /object/],
      ['', /empty/],
      ['{"b":1} x', /after/],
      ['{"\\ud800":1}', /surrogate/],
      [Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /UTF-8/],
    ];
    for (const [json, message] of cases) {
      libraryError(() => c.joinJson(json), Status.INVALID_JSON, message);
      libraryError(() => Counter.fromJson(json), Status.INVALID_JSON, message);
    }
    assert.equal(c.toJson(), '{"a":1}');
    assert.equal(c.takeDelta().toJson(), '{}');
  });

  it('a slot above 2^64 - 1: OVERFLOW, the slot unchanged', () => {
    const c = new Counter().increment('a', U64_MAX - 1n);
    libraryError(() => c.increment('a', 2), Status.OVERFLOW, /the slot of agent "a" would exceed UINT64_MAX/);
    assert.equal(c.valueFor('a'), U64_MAX - 1n);
    c.increment('a');
    assert.equal(c.valueFor('a'), U64_MAX);
  });

  it('each error carries the message of its own call', () => {
    const c = new Counter();
    const errorsSeen = ['{"x":-1}', '{"longer-id":-1}'].map((json) => {
      try {
        c.joinJson(json);
      } catch (error) {
        return error;
      }
      return null;
    });
    c.increment('ok'); // a later successful call leaves the earlier errors as they were
    assert.match(errorsSeen[0].message, /agent "x"/);
    assert.match(errorsSeen[1].message, /agent "longer-id"/);
  });

  it('an agent id with a lone surrogate: INVALID_UTF8, without a native call', () => {
    const c = new Counter();
    const calls = nativeCalls(() =>
      libraryError(() => c.increment('ab\uD800'), Status.INVALID_UTF8, /lone surrogate \(U\+D800\) at index 2/),
    );
    assert.deepEqual(calls, []);
  });
});

describe('statuses', () => {
  it('Status matches the header enum, name for name and code for code', () => {
    const header = fs.readFileSync(path.join(REPO_ROOT, 'include', 'gcounter.h'), 'utf8');
    const declared = Object.fromEntries(
      [...header.matchAll(/^\s*GCOUNTER_(?:ERR_)?(\w+) = (\d+),$/gm)]
        .filter(([line]) => !line.includes('ORDER_'))
        .map(([, name, code]) => [name, Number(code)]),
    );
    const ours = Object.fromEntries(Object.values(Status).map((s) => [s.name, s.code]));
    assert.deepEqual(ours, declared);
    assert.ok(Object.isFrozen(Status) && Object.values(Status).every(Object.isFrozen));
  });

  it('every code becomes its status, and an unknown one says so', () => {
    for (const status of Object.values(Status).filter((s) => s !== Status.OK)) {
      assert.throws(() => errors.check(status.code), (error) => error.status === status);
    }
    assert.throws(() => errors.check(99), (error) => {
      assert.deepEqual({ ...error.status }, { name: 'UNKNOWN_99', code: 99 });
      assert.match(error.message, /99|unknown/i);
      return true;
    });
    assert.doesNotThrow(() => errors.check(0));
  });
});
