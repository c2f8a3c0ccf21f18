'use strict';
// Lifetime: close() twice, use after close, Symbol.dispose (finalizer.test.js: the safety net).

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Counter } = require('..');
const { nativeCalls } = require('./harness');

// Every method but close() and closed, with valid arguments.
const METHODS = {
  increment: (c, other) => c.increment('a'),
  join: (c, other) => c.join(other),
  joinJson: (c, other) => c.joinJson('{"a":1}'),
  value: (c, other) => c.value(),
  valueFor: (c, other) => c.valueFor('a'),
  agentCount: (c, other) => c.agentCount(),
  equivalent: (c, other) => c.equivalent(other),
  compare: (c, other) => c.compare(other),
  toJson: (c, other) => c.toJson(),
  toJSON: (c, other) => c.toJSON(),
  takeDelta: (c, other) => c.takeDelta(),
  deltaFor: (c, other) => c.deltaFor(other),
  entries: (c, other) => c.entries(),
  'Symbol.iterator': (c, other) => [...c],
  'for...of': (c, other) => {
    for (const slot of c) assert.fail(`yielded ${slot}`);
  },
  toMap: (c, other) => c.toMap(),
  clone: (c, other) => c.clone(),
};

function closedError(error) {
  assert.equal(error.code, 'ERR_GCOUNTER_CLOSED');
  assert.equal(error.message, 'operation on a closed Counter');
  return true;
}

describe('close', () => {
  it('frees the native counter once, however often it is called', () => {
    const c = new Counter().increment('a');
    const calls = nativeCalls(() => {
      c.close();
      c.close();
      c.close();
    });
    assert.deepEqual(calls, ['gcounter_free']);
    assert.equal(c.closed, true);
  });

  it('then every method throws, without a native call', () => {
    const other = new Counter();
    for (const [name, call] of Object.entries(METHODS)) {
      const c = new Counter();
      c.close();
      const calls = nativeCalls(() => assert.throws(() => call(c, other), closedError, name));
    assert.deepEqual(calls, [], name);
    }
  });

  it('a closed counter passed as the other argument throws too', () => {
    const c = new Counter().increment('a');
    const other = new Counter();
    other.close();
    for (const name of ['join', 'equivalent', 'compare', 'deltaFor']) {
      assert.throws(() => METHODS[name](c, other), closedError, name);
    }
    assert.equal(c.toJson(), '{"a":1}');
  });

  it('also for JSON.stringify and util.inspect', () => {
    const c = new Counter();
    c.close();
    assert.throws(() => JSON.stringify(c), closedError);
    assert.equal(require('node:util').inspect(c), 'Counter <closed>');
  });

  it('leaves the counters made from it alive', () => {
    const c = new Counter().increment('a', 2);
    const copies = [c.clone(), c.deltaFor(new Counter()), c.takeDelta(), Counter.fromJson(c.toJson())];
    c.close();
    for (const copy of copies) assert.equal(copy.toJson(), '{"a":2}');
  });
});

describe('Symbol.dispose', () => {
  it('closes the counter (what `using` calls at the end of its block)', () => {
    assert.equal(typeof Symbol.dispose, 'symbol');
    const c = new Counter();
    c[Symbol.dispose]();
    assert.equal(c.closed, true);
    c[Symbol.dispose]();
    assert.throws(() => c.value(), closedError);
  });
});

describe('threads', () => {
  it('a Counter cannot reach another thread: a structured clone is not a Counter', () => {
    const c = new Counter().increment('a');
    const copy = structuredClone(c);
    assert.ok(!(copy instanceof Counter));
    assert.throws(() => c.join(copy), TypeError);
    assert.throws(() => Counter.prototype.value.call(copy), TypeError);
  });
});
