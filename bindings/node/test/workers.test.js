'use strict';
// Worker threads: each worker loads the package and makes its own counters; they all count,
// and fail, at the same time, and each error carries its own thread's message.

const { it } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { Counter } = require('..');
const { PACKAGE_DIR } = require('./harness');

function run(workerData) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'fixtures', 'worker.js'), { workerData });
    let result;
    worker.on('message', (message) => {
      result = message;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve(result) : reject(new Error(`worker exited with ${code}`))));
  });
}

it('counters in several workers work at once', async () => {
  const workers = 4;
  const rounds = 20_000;
  const ready = new SharedArrayBuffer(4); // a barrier: no worker counts before all are up
  const results = await Promise.all(
    Array.from({ length: workers }, (_, index) =>
      run({ packageDir: PACKAGE_DIR, index, workers, rounds, ready }),
    ),
  );
  const merged = new Counter();
  for (const [index, result] of results.entries()) {
    assert.equal(result.wrongMessages, 0, `worker ${index} saw another call's message`);
    assert.equal(result.json, `{"worker-${index}-ж":${rounds}}`);
    assert.equal(result.sent, result.json); // its deltas add up to its state
    merged.joinJson(result.json);
  }
  assert.equal(merged.agentCount(), workers);
  assert.equal(merged.value(), BigInt(workers * rounds));
});
