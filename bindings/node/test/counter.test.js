'use strict';
// Every method of Counter, on real counters.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { Counter } = require('..');

function counter(json) {
  return Counter.fromJson(json);
}

describe('a new counter', () => {
  it('is empty', () => {
    const c = new Counter();
    assert.equal(c.value(), 0n);
    assert.equal(c.agentCount(), 0);
    assert.equal(c.toJson(), '{}');
    assert.equal(c.valueFor('anyone'), 0n);
    assert.equal(c.closed, false);
  });

  it('takes no arguments', () => {
    assert.throws(() => new Counter({ a: 1 }), TypeError);
  });
});

describe('increment', () => {
  it('adds 1 by default, or the amount given, to the agent slot', () => {
    const c = new Counter();
    c.increment('a');
    c.increment('a', 2);
    c.increment('a', 3n);
    c.increment('b', 10);
    assert.equal(c.valueFor('a'), 6n);
    assert.equal(c.valueFor('b'), 10n);
    assert.equal(c.value(), 16n);
    assert.equal(c.agentCount(), 2);
  });

  it('returns the counter, so calls chain', () => {
    const c = new Counter();
    assert.equal(c.increment('a').increment('b', 2), c);
    assert.equal(c.toJson(), '{"a":1,"b":2}');
  });
});

describe('join', () => {
  it('takes the per-slot maximum and leaves the other counter alone', () => {
    const a = counter('{"x":5,"y":1}');
    const b = counter('{"y":7,"z":2}');
    assert.equal(a.join(b), a);
    assert.equal(a.toJson(), '{"x":5,"y":7,"z":2}');
    assert.equal(b.toJson(), '{"y":7,"z":2}');
  });

  it('is idempotent, commutative and allowed with itself', () => {
    const a = counter('{"x":5,"y":1}');
    const b = counter('{"y":7,"z":2}');
    const ab = a.clone().join(b);
    const ba = b.clone().join(a);
    assert.equal(ab.compare(ba), 'equal');
    assert.equal(ab.clone().join(b).join(b).toJson(), ab.toJson());
    ab.join(ab);
    assert.equal(ab.toJson(), '{"x":5,"y":7,"z":2}');
  });
});

describe('joinJson', () => {
  it('joins a document given as a string or as UTF-8 bytes', () => {
    const c = counter('{"a":1}');
    c.joinJson('{ "a": 3, "b": 1 }');
    c.joinJson(Buffer.from('{"c":2}'));
    c.joinJson(new TextEncoder().encode('{"d":4}'));
    assert.equal(c.toJson(), '{"a":3,"b":1,"c":2,"d":4}');
  });

  it('reads a view into a larger buffer from its own start and length', () => {
    const bytes = Buffer.from('xx{"a":9}yy');
    const c = new Counter().joinJson(bytes.subarray(2, 9));
    assert.equal(c.toJson(), '{"a":9}');
  });

  it('reads the seed module documents: whitespace, escapes, zero counts', () => {
    const c = new Counter().joinJson('{"agent-a": 3, "\\u00e9": 2, "gone": 0}');
    assert.equal(c.toJson(), '{"agent-a":3,"é":2}');
  });
});

describe('value, valueFor and agentCount', () => {
  it('count only slots above zero', () => {
    const c = counter('{"a":0,"b":2}');
    assert.equal(c.agentCount(), 1);
    assert.equal(c.valueFor('a'), 0n);
    assert.equal(c.value(), 2n);
  });

  it('return bigints', () => {
    const c = counter('{"a":2}');
    assert.equal(typeof c.value(), 'bigint');
    assert.equal(typeof c.valueFor('a'), 'bigint');
    assert.equal(typeof c.agentCount(), 'number');
  });
});

describe('equivalent and compare', () => {
  it('tell the four orders apart', () => {
    const base = counter('{"a":1,"b":2}');
    assert.equal(base.compare(counter('{"b":2,"a":1}')), 'equal');
    assert.equal(base.compare(counter('{"a":1,"b":3}')), 'less');
    assert.equal(base.compare(counter('{"a":1}')), 'greater');
    assert.equal(base.compare(counter('{"a":2,"b":1}')), 'concurrent');
    assert.equal(base.compare(base), 'equal');
  });

  it('treat an absent agent as zero', () => {
    const a = counter('{"a":1,"z":0}');
    const b = counter('{"a":1}');
    assert.equal(a.equivalent(b), true);
    assert.equal(b.equivalent(a), true);
    assert.equal(a.equivalent(counter('{"a":2}')), false);
    assert.equal(a.equivalent(a), true);
  });
});

describe('toJson and toJSON', () => {
  it('toJson is canonical: sorted by agent id, no whitespace, zero slots left out', () => {
    const c = counter('{ "b": 2, "a": 1, "c": 0 }');
    assert.equal(c.toJson(), '{"a":1,"b":2}');
  });

  it('toJSON makes JSON.stringify write the counter as an object', () => {
    const c = counter('{"b":2,"a":1}');
    assert.deepEqual(c.toJSON(), { a: 1, b: 2 });
    assert.equal(JSON.stringify(c), '{"a":1,"b":2}');
    assert.equal(JSON.stringify({ state: c, n: 1 }), '{"state":{"a":1,"b":2},"n":1}');
    assert.equal(JSON.stringify(new Counter()), '{}');
  });

  it('JSON.stringify output is a document fromJson reads back', () => {
    const c = counter('{"10":1,"9":2,"a\\"b":3,"\\u0000":4}');
    assert.equal(Counter.fromJson(JSON.stringify(c)).compare(c), 'equal');
  });

  it('a counter round-trips through its JSON', () => {
    const c = new Counter().increment('x', 3).increment('y', 1n << 63n);
    const copy = Counter.fromJson(c.toJson());
    assert.equal(copy.compare(c), 'equal');
    assert.equal(copy.toJson(), c.toJson());
  });
});

describe('takeDelta', () => {
  it('returns the slots that rose, at their current counts, and empties the record', () => {
    const c = counter('{"a":5,"b":1}');
    assert.equal(c.takeDelta().toJson(), '{}'); // a counter from JSON starts with an empty record
    c.increment('a');
    c.joinJson('{"b":4,"c":1}');
    c.join(counter('{"a":2}')); // no rise: not recorded
    const delta = c.takeDelta();
    assert.equal(delta.toJson(), '{"a":6,"b":4,"c":1}');
    assert.equal(c.takeDelta().toJson(), '{}');
    assert.equal(c.toJson(), '{"a":6,"b":4,"c":1}');
  });

  it('deltas joined in any order, any number of times, give the full state', () => {
    const replica = new Counter();
    const peer = replica.clone();
    const deltas = [];
    for (let round = 0; round < 5; round += 1) {
      replica.increment(`agent-${round % 3}`, round + 1);
      deltas.push(replica.takeDelta());
    }
    for (const delta of [...deltas].reverse().concat(deltas)) peer.join(delta);
    assert.equal(peer.compare(replica), 'equal');
  });

  it('the delta is a counter of its own with an empty record', () => {
    const c = new Counter().increment('a', 2);
    const delta = c.takeDelta();
    delta.increment('a');
    assert.equal(c.valueFor('a'), 2n);
    assert.equal(delta.takeDelta().toJson(), '{"a":3}');
  });
});

describe('deltaFor', () => {
  it('holds what the peer lacks, at this counter\'s counts, and nothing else', () => {
    const mine = counter('{"a":5,"b":1,"c":2}');
    const peer = counter('{"a":3,"b":4,"d":7}');
    const delta = mine.deltaFor(peer);
    assert.ok(delta instanceof Counter);
    assert.equal(delta.toJson(), '{"a":5,"c":2}');
    assert.equal(peer.deltaFor(mine).toJson(), '{"b":4,"d":7}');
  });

  it('joined into a copy of the peer, gives the same as joining the whole counter', () => {
    const mine = counter('{"a":5,"b":1,"c":2,"big":18446744073709551615,"a\\u0000b":3,"é":1}');
    const peer = counter('{"a":3,"b":4,"d":7,"big":1}');
    const whole = peer.clone().join(mine);
    assert.equal(peer.clone().join(mine.deltaFor(peer)).compare(whole), 'equal');
    assert.equal(peer.clone().joinJson(mine.deltaFor(peer).toJson()).toJson(), whole.toJson());
  });

  it('is empty when the peer is equal or ahead, or is the counter itself', () => {
    const mine = counter('{"a":1,"b":2}');
    assert.equal(mine.deltaFor(counter('{"b":2,"a":1}')).toJson(), '{}');
    assert.equal(mine.deltaFor(counter('{"a":1,"b":3,"c":1}')).toJson(), '{}');
    assert.equal(mine.deltaFor(mine).toJson(), '{}');
    assert.equal(new Counter().deltaFor(mine).toJson(), '{}');
    assert.equal(mine.deltaFor(new Counter()).toJson(), '{"a":1,"b":2}');
  });

  it('changes neither counter nor either delta record', () => {
    const mine = counter('{"a":5}').increment('b', 2);
    const peer = counter('{"a":1}').increment('c');
    mine.deltaFor(peer).close();
    assert.equal(mine.toJson(), '{"a":5,"b":2}');
    assert.equal(peer.toJson(), '{"a":1,"c":1}');
    assert.equal(mine.takeDelta().toJson(), '{"b":2}');
    assert.equal(peer.takeDelta().toJson(), '{"c":1}');
  });

  it('is a counter of its own, with an empty record', () => {
    const mine = counter('{"a":5}');
    const delta = mine.deltaFor(new Counter());
    assert.equal(delta.takeDelta().toJson(), '{}');
    delta.increment('a');
    mine.close();
    assert.equal(delta.value(), 6n);
  });
});

describe('clone', () => {
  it('copies the counts into an independent counter with an empty record', () => {
    const c = new Counter().increment('a', 2);
    const copy = c.clone();
    assert.equal(copy.toJson(), '{"a":2}');
    assert.equal(copy.takeDelta().toJson(), '{}');
    copy.increment('b');
    assert.equal(c.toJson(), '{"a":2}');
    c.close();
    assert.equal(copy.toJson(), '{"a":2,"b":1}');
  });
});

describe('fromJson', () => {
  it('parses any valid document, in any member order', () => {
    const c = Counter.fromJson(' {"b" : 2 ,\n"a":1} ');
    assert.equal(c.toJson(), '{"a":1,"b":2}');
    assert.ok(c instanceof Counter);
  });
});

describe('inspect', () => {
  it('shows the state, or that the counter is closed', () => {
    const { inspect } = require('node:util');
    const c = counter('{"a":1}');
    assert.equal(inspect(c), 'Counter {"a":1}');
    c.close();
    assert.equal(inspect(c), 'Counter <closed>');
  });
});
