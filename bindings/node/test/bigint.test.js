'use strict';
// Counts are bigints, exact over the whole uint64 range; nothing returns a wrong number.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Counter, Status, U64_MAX } = require('..');
const { nativeCalls } = require('./harness');

describe('counts', () => {
  it('U64_MAX is 2^64 - 1', () => {
    assert.equal(U64_MAX, 18446744073709551615n);
  });

  it('are exact at every size, past 2^53 included', () => {
    const c = new Counter();
    const amounts = [1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, U64_MAX - 1n];
    amounts.forEach((by, index) => c.increment(`a${index}`, by));
    amounts.forEach((by, index) => assert.equal(c.valueFor(`a${index}`), by));
    const sum = amounts.reduce((a, b) => a + b, 0n);
    assert.ok(sum > U64_MAX);
    assert.equal(c.value(), sum);
    const json = c.toJson();
    assert.match(json, /"a5":18446744073709551614/);
    assert.match(json, /"a2":9007199254740992,"a3":9007199254740993/);
    assert.equal(Counter.fromJson(json).valueFor('a3'), 2n ** 53n + 1n);
  });

  it('the total is exact past 2^64 - 1: the carry reaches the high word, never wraps', () => {
    const c = new Counter().increment('a', U64_MAX - 10n).increment('b', 10);
    assert.equal(c.value(), U64_MAX);
    c.increment('c');
    assert.equal(c.value(), 2n ** 64n);
    const two = Counter.fromJson(`{"a":${U64_MAX},"b":${U64_MAX}}`);
    assert.equal(two.value(), 2n * U64_MAX);
    assert.equal(typeof two.value(), 'bigint');
    two.increment('c', U64_MAX).increment('d', U64_MAX);
    assert.equal(two.value(), 4n * U64_MAX);
  });

  it('the total comes from one native call, gcounter_value_exact', () => {
    const c = Counter.fromJson(`{"a":${U64_MAX},"b":1}`);
    const calls = nativeCalls(() => assert.equal(c.value(), U64_MAX + 1n));
    assert.deepEqual(calls, ['gcounter_value_exact']);
  });

  it('slots fill up to 2^64 - 1 by bigint steps, and refuse to go beyond', () => {
    const c = new Counter().increment('a', 2n ** 63n).increment('a', 2n ** 63n - 1n);
    assert.equal(c.valueFor('a'), U64_MAX);
    assert.throws(() => c.increment('a', 1n), { status: Status.OVERFLOW });
    assert.throws(() => c.joinJson('{"a":18446744073709551616}'), { status: Status.INVALID_JSON });
    assert.equal(c.valueFor('a'), U64_MAX);
  });

  it('join keeps the larger of two counts past 2^53', () => {
    const a = Counter.fromJson('{"x":9007199254740993}');
    const b = Counter.fromJson('{"x":9007199254740992}');
    assert.equal(b.compare(a), 'less');
    assert.equal(b.join(a).valueFor('x'), 9007199254740993n);
  });
});

describe('JSON.stringify of large counts', () => {
  const c = Counter.fromJson('{"big":18446744073709551615,"small":3}');
  if (typeof JSON.rawJSON === 'function') {
    it('writes them exactly (this runtime has JSON.rawJSON)', () => {
      assert.equal(JSON.stringify(c), '{"big":18446744073709551615,"small":3}');
      assert.equal(JSON.stringify([c]), '[{"big":18446744073709551615,"small":3}]');
    });
  } else {
    it('refuses them rather than rounding (this runtime has no JSON.rawJSON)', () => {
      assert.throws(() => JSON.stringify(c), (error) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /the count of agent "big" is above 2\^53 - 1.*use counter\.toJson\(\)/);
        return true;
      });
    });
  }

  it('writes counts up to 2^53 - 1 as numbers on every runtime', () => {
    const safe = Counter.fromJson('{"a":9007199254740991}');
    assert.equal(JSON.stringify(safe), '{"a":9007199254740991}');
  });
});
