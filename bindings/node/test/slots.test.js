'use strict';
// The slots as JS iteration: for...of, entries(), toMap(), and a loop that changes its counter.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Counter, U64_MAX } = require('..');
const { nativeCalls } = require('./harness');

const IDS = ['', '\0', 'a', 'a\0', 'a\0b', 'ab', 'é', 'e\u0301', '日本', '\uFFFF', '😀', 'z'.repeat(300)];

/** The canonical order: UTF-8 bytes, which differs from JS's UTF-16 order. */
function utf8Order(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function counterOf(ids) {
  const c = new Counter();
  ids.forEach((id, index) => c.increment(id, index + 1));
  return c;
}

describe('iterating a counter', () => {
  it('gives [agentId, count] in canonical order, ids with NUL and non-ASCII ids included', () => {
    const c = counterOf([...IDS].reverse());
    const slots = [...c];
    assert.deepEqual(slots.map(([id]) => id), [...IDS].sort(utf8Order));
    assert.ok('😀' < '\uFFFF', 'UTF-16 order would put the emoji first');
    for (const [id, count] of slots) assert.equal(count, c.valueFor(id), JSON.stringify(id));
  });

  it('is the order and the counts of toJson', () => {
    const c = counterOf(IDS).increment('big', U64_MAX);
    const fromJson = [];
    for (const match of c.toJson().matchAll(/"((?:[^"\\]|\\.)*)":(\d+)/g)) {
      fromJson.push([JSON.parse(`"${match[1]}"`), BigInt(match[2])]);
    }
    assert.deepEqual([...c], fromJson);
  });

  it('counts are bigints over the whole uint64 range; ids are strings', () => {
    const c = Counter.fromJson(`{"a":${U64_MAX},"b":1}`);
    assert.deepEqual([...c], [['a', U64_MAX], ['b', 1n]]);
    for (const [id, count] of c) {
      assert.equal(typeof id, 'string');
      assert.equal(typeof count, 'bigint');
    }
  });

  it('an empty counter gives nothing; zero counts are no slots', () => {
    assert.deepEqual([...new Counter()], []);
    assert.deepEqual([...Counter.fromJson('{"a":0,"b":2}')], [['b', 2n]]);
  });

  it('entries() and Symbol.iterator give the same, and work with Array.from and Map', () => {
    const c = Counter.fromJson('{"b":2,"a":1}');
    assert.deepEqual(Array.from(c.entries()), [['a', 1n], ['b', 2n]]);
    assert.deepEqual(Array.from(c), [['a', 1n], ['b', 2n]]);
    assert.deepEqual(new Map(c), new Map([['a', 1n], ['b', 2n]]));
    const iterator = c.entries();
    assert.equal(iterator[Symbol.iterator](), iterator, 'an iterator that is its own iterable');
    assert.deepEqual(iterator.next(), { value: ['a', 1n], done: false });
    assert.deepEqual([...iterator], [['b', 2n]]);
  });

  it('a thousand shuffled agents come out sorted, and sum to value()', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `agent-${i}`);
    const c = new Counter();
    for (const id of [...ids].reverse()) c.increment(id, 3);
    const walked = [...c];
    assert.deepEqual(walked.map(([id]) => id), [...ids].sort(utf8Order));
    assert.equal(walked.reduce((sum, [, count]) => sum + count, 0n), c.value());
  });

  it('reads each slot with one gcounter_slot_at, all of them when the walk starts', () => {
    const c = Counter.fromJson('{"a":1,"b":2,"c":3}');
    let iterator;
    const calls = nativeCalls(() => {
      iterator = c.entries();
    });
    assert.deepEqual(calls, ['gcounter_agent_count', 'gcounter_slot_at', 'gcounter_slot_at', 'gcounter_slot_at']);
    assert.deepEqual(nativeCalls(() => [...iterator]), []);
  });
});

// The slots are copied out when iteration starts: a loop that changes or closes its counter
// walks on over the counter as it was, and never reads storage the change has moved.
describe('a counter changed during iteration', () => {
  it('the loop sees the slots as they were when it started; the next walk sees the change', () => {
    const c = Counter.fromJson('{"a":1,"b":2,"c":3}');
    const seen = [];
    for (const [id, count] of c) {
      seen.push([id, count, c.valueFor(id)]);
      c.increment(id, 10).increment(`z-${id}`).join(Counter.fromJson('{"0":1}'));
    }
    assert.deepEqual(seen, [['a', 1n, 1n], ['b', 2n, 2n], ['c', 3n, 3n]]);
    assert.deepEqual([...c].map(([id]) => id), ['0', 'a', 'b', 'c', 'z-a', 'z-b', 'z-c']);
  });

  it('the loop may close the counter and still ends its walk', () => {
    const c = Counter.fromJson('{"a":1,"b":2}');
    const seen = [];
    for (const slot of c) {
      seen.push(slot);
      c.close();
    }
    assert.deepEqual(seen, [['a', 1n], ['b', 2n]]);
    assert.equal(c.closed, true);
  });

  it('an iterator taken before a change keeps its slots; a new one has the change', () => {
    const c = Counter.fromJson('{"a":1}');
    const before = c.entries();
    c.increment('b');
    assert.deepEqual([...before], [['a', 1n]]);
    assert.deepEqual([...c.entries()], [['a', 1n], ['b', 1n]]);
  });

  it('ids stay whole when the slots they came from change', () => {
    const c = Counter.fromJson('{"agent-one":1}');
    const [[id]] = [...c];
    for (let i = 0; i < 1000; i += 1) c.increment(`agent-${i}`);
    c.close();
    assert.equal(id, 'agent-one');
  });
});

describe('toMap', () => {
  it('is a new Map of agentId to bigint count, in canonical order', () => {
    const c = Counter.fromJson(`{"b":2,"a\\u0000":1,"é":${U64_MAX}}`);
    const map = c.toMap();
    assert.ok(map instanceof Map);
    assert.deepEqual([...map], [['a\0', 1n], ['b', 2n], ['é', U64_MAX]]);
    map.set('b', 100n);
    assert.equal(c.valueFor('b'), 2n, 'the map belongs to the caller');
    assert.deepEqual(new Counter().toMap(), new Map());
  });
});
