'use strict';
// Random operation sequences against a plain Map model of the G-Counter, with bigint counts.
// A failed call must change nothing; every query must agree with the model.

const { it } = require('node:test');
const assert = require('node:assert/strict');
const { Counter, GCounterError, Status, U64_MAX } = require('..');

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = ['a', 'b', 'é', '😀', 'x\0y', ''];

/** The model's slots above 0 in canonical order (by UTF-8 bytes). */
function modelSlots(model) {
  const slots = [...model].filter(([, count]) => count > 0n);
  return slots.sort(([x], [y]) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
}

function modelJson(model) {
  return `{${modelSlots(model).map(([id, count]) => `${JSON.stringify(id)}:${count}`).join(',')}}`;
}

function modelOrder(a, b) {
  let less = false;
  let greater = false;
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id) ?? 0n;
    const y = b.get(id) ?? 0n;
    if (x < y) less = true;
    if (x > y) greater = true;
  }
  if (less && greater) return 'concurrent';
  if (less) return 'less';
  return greater ? 'greater' : 'equal';
}

for (const seed of [1, 2, 3, 4, 5]) {
  it(`agrees with a Map model over 400 random operations (seed ${seed})`, () => {
    const next = random(seed);
    const pick = (list) => list[Math.floor(next() * list.length)];
    const replicas = [new Counter(), new Counter(), new Counter()];
    const models = [new Map(), new Map(), new Map()];
    for (let step = 0; step < 400; step += 1) {
      const i = Math.floor(next() * 3);
      const j = Math.floor(next() * 3);
      const [counter, model] = [replicas[i], models[i]];
      const before = counter.toJson();
      const operation = pick(['increment', 'increment', 'big', 'join', 'joinJson', 'deltaFor', 'bad', 'delta']);
      if (operation === 'increment' || operation === 'big') {
        const id = pick(AGENTS);
        const by = operation === 'big' ? U64_MAX / 3n : BigInt(1 + Math.floor(next() * 9));
        const after = (model.get(id) ?? 0n) + by;
        if (after > U64_MAX) {
          assert.throws(() => counter.increment(id, by), { status: Status.OVERFLOW });
          assert.equal(counter.toJson(), before);
        } else {
          counter.increment(id, by);
          model.set(id, after);
        }
      } else if (operation === 'join' || operation === 'joinJson') {
        if (operation === 'join') counter.join(replicas[j]);
        else counter.joinJson(replicas[j].toJson());
        for (const [id, count] of models[j]) if (count > (model.get(id) ?? 0n)) model.set(id, count);
      } else if (operation === 'deltaFor') {
        // What this replica lacks of replicas[j]: only slots above its own, at j's counts.
        const delta = replicas[j].deltaFor(counter);
        for (const [id, count] of delta) {
          assert.ok(count > (model.get(id) ?? 0n), `delta slot ${id} is not news`);
          assert.equal(count, models[j].get(id));
        }
        counter.join(delta);
        delta.close();
        for (const [id, count] of models[j]) if (count > (model.get(id) ?? 0n)) model.set(id, count);
      } else if (operation === 'bad') {
        const bad = `${replicas[j].toJson().slice(0, -1)},"${pick(AGENTS)}":-1}`;
        assert.throws(() => counter.joinJson(bad), (error) => error instanceof GCounterError);
        assert.equal(counter.toJson(), before);
      } else {
        counter.takeDelta().close();
      }
      assert.equal(counter.toJson(), modelJson(model));
      for (const id of AGENTS) assert.equal(counter.valueFor(id), model.get(id) ?? 0n);
      assert.equal(counter.agentCount(), [...model.values()].filter((c) => c > 0n).length);
      const total = [...model.values()].reduce((a, b) => a + b, 0n);
      assert.equal(counter.value(), total);
      assert.deepEqual([...counter], modelSlots(model));
      assert.equal(counter.compare(replicas[j]), modelOrder(model, models[j]));
      assert.equal(counter.equivalent(replicas[j]), modelOrder(model, models[j]) === 'equal');
    }
    for (const counter of replicas) counter.close();
  });
}
