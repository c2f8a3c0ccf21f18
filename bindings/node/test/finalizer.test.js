'use strict';
// The FinalizationRegistry frees every counter that is never closed, exactly once. Alone in
// its file (so in its own process), so that every native counter alive is one of this test's.

const { it } = require('node:test');
const assert = require('node:assert/strict');
const v8 = require('node:v8');
const vm = require('node:vm');
const { setImmediate: nextTask } = require('node:timers/promises');
const { Counter } = require('..');
const native = require('../lib/native');

// gc() on demand; the flag only adds the function.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** Wraps the functions that make and free native counters; returns what they saw. */
function watchHandles(fns) {
  const seen = { live: new Set(), made: 0, freed: 0, strayFrees: [], reused: [] };
  const made = (handle) => {
    if (seen.live.has(handle)) seen.reused.push(handle);
    seen.live.add(handle);
    seen.made += 1;
    return handle;
  };
  const { gcounter_new, gcounter_clone, gcounter_from_json, gcounter_take_delta, gcounter_free } = fns;
  fns.gcounter_new = () => made(gcounter_new());
  fns.gcounter_clone = (handle) => made(gcounter_clone(handle));
  fns.gcounter_from_json = (json, length, out) => {
    const status = gcounter_from_json(json, length, out);
    made(out[0]);
    return status;
  };
  fns.gcounter_take_delta = (handle, out) => {
    const status = gcounter_take_delta(handle, out);
    made(out[0]);
    return status;
  };
  fns.gcounter_free = (handle) => {
    seen.freed += 1;
    if (seen.live.delete(handle)) gcounter_free(handle);
    else seen.strayFrees.push(handle); // freed twice, or never made: not passed on
  };
  return seen;
}

it('frees every counter dropped without close(), once; a closed one is not freed again', async () => {
  const originals = { ...native.functions };
  const seen = watchHandles(native.functions);
  try {
    (() => {
      for (let i = 0; i < 500; i += 1) {
        const kept = new Counter().increment(`agent-${i}`);
        kept.clone();
        kept.takeDelta();
        Counter.fromJson(kept.toJson());
        kept.close(); // freed now; the other three are dropped
      }
    })();
    assert.equal(seen.made, 2000);
    assert.equal(seen.live.size, 1500);
    // Collection and its callbacks are asynchronous: collect, then let the callbacks run.
    for (let round = 0; round < 100 && seen.live.size > 0; round += 1) {
      gc();
      await nextTask();
    }
    assert.equal(seen.live.size, 0, 'counters left unfreed');
    assert.equal(seen.freed, 2000);
    assert.deepEqual(seen.strayFrees, []);
    assert.deepEqual(seen.reused, []);
  } finally {
    Object.assign(native.functions, originals);
  }
});
