'use strict';
// Agent ids: JS strings (UTF-16) reach the library as exactly their UTF-8 bytes.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Counter, GCounterError, Status } = require('..');
const { nativeCalls } = require('./harness');

const IDS = [
  '',
  'agent-1',
  'é',
  'ж-π-γ',
  '日本語',
  '😀', // astral: a surrogate pair in UTF-16, four bytes in UTF-8
  'e\u0301', // e + combining accent: not the same agent as 'é'
  '\uFFFF',
  'a\0b',
  '\0',
  'a\0',
  'quote " backslash \\ tab \t newline \n',
  '\u007f\u0080\u07ff\u0800',
];

/** The order of the wire format: UTF-8 bytes, which differs from JS's UTF-16 order. */
function utf8Order(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

describe('agent ids', () => {
  it('each id is its own slot, read back exactly through valueFor and toJson', () => {
    const c = new Counter();
    IDS.forEach((id, index) => c.increment(id, index + 1));
    assert.equal(c.agentCount(), IDS.length);
    IDS.forEach((id, index) => assert.equal(c.valueFor(id), BigInt(index + 1), JSON.stringify(id)));
    const slots = JSON.parse(c.toJson());
    assert.deepEqual(new Set(Object.keys(slots)), new Set(IDS));
    IDS.forEach((id, index) => assert.equal(slots[id], index + 1));
  });

  it('toJson orders ids by their UTF-8 bytes', () => {
    const c = new Counter();
    for (const id of IDS) c.increment(id);
    // '\uFFFF' sorts before '😀' in UTF-8 (EF BF BF < F0 9F 98 80), after it in UTF-16.
    assert.ok('😀' < '\uFFFF' && utf8Order('\uFFFF', '😀') < 0);
    const members = [...c.toJson().matchAll(/"((?:[^"\\]|\\.)*)":\d+/g)].map(([, key]) => JSON.parse(`"${key}"`));
    assert.deepEqual(members, [...IDS].sort(utf8Order));
  });

  it('ids with NUL characters go whole to the library, through the _len functions', () => {
    const c = new Counter().increment('a\0b', 2).increment('a', 1);
    const calls = nativeCalls(() => {
      c.increment('a\0b');
      assert.equal(c.valueFor('a\0b'), 3n);
    });
    assert.deepEqual(calls, ['gcounter_increment_len', 'gcounter_value_for_len']);
    assert.equal(c.valueFor('a'), 1n);
    assert.equal(c.valueFor('a\0'), 0n);
    assert.equal(c.toJson(), '{"a":1,"a\\u0000b":3}');
  });

  it('a long id (a million code points, astral ones included) arrives whole', () => {
    const id = 'é😀x'.repeat(250_000);
    const c = new Counter().increment(id, 7).increment(`${id}\0`, 1);
    assert.equal(c.valueFor(id), 7n);
    assert.equal(c.valueFor(id.slice(0, -1)), 0n);
    assert.equal(Object.keys(JSON.parse(c.toJson()))[0], id);
  });

  it('ids from JSON escapes and from JS strings name the same agents', () => {
    const c = Counter.fromJson('{"\\u00e9":1,"\\ud83d\\ude00":2,"a\\u0000b":3}');
    assert.equal(c.valueFor('é'), 1n);
    assert.equal(c.valueFor('😀'), 2n);
    assert.equal(c.valueFor('a\0b'), 3n);
  });
});

describe('lone surrogates', () => {
  const LONE = [
    ['\uD800', 0, 'D800'],
    ['x\uDC00', 1, 'DC00'],
    ['\uDE00\uD83D', 0, 'DE00'], // a pair in the wrong order
    ['ok😀\uD83D', 4, 'D83D'], // a high surrogate at the end
  ];

  it('an id with one is refused with INVALID_UTF8, and nothing changes', () => {
    const c = new Counter().increment('a');
    for (const [id, index, unit] of LONE) {
      for (const call of [() => c.increment(id), () => c.valueFor(id)]) {
        assert.throws(call, (error) => {
          assert.ok(error instanceof GCounterError);
          assert.equal(error.status, Status.INVALID_UTF8);
          assert.equal(error.message, `agentId has a lone surrogate (U+${unit}) at index ${index}: it has no UTF-8 form`);
          return true;
        });
      }
    }
    assert.equal(c.toJson(), '{"a":1}');
  });

  it('a JSON text with one is refused with INVALID_JSON', () => {
    const c = new Counter();
    assert.throws(() => c.joinJson('{"\uD800":1}'), (error) => {
      assert.equal(error.status, Status.INVALID_JSON);
      assert.match(error.message, /the JSON text has a lone surrogate \(U\+D800\) at index 2/);
      return true;
    });
    assert.throws(() => Counter.fromJson('{"a":1}\uDFFF'), { status: Status.INVALID_JSON });
    assert.equal(c.toJson(), '{}');
  });
});
