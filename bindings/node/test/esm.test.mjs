// The package as an ES module: `import` gives the same objects as `require`.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import gcounter, { Counter, GCounterError, Status, U64_MAX, libraryVersion, libraryPath } from 'gcounter';

const require = createRequire(import.meta.url);

it('named and default imports are the CommonJS exports themselves', () => {
  const cjs = require('gcounter');
  assert.equal(gcounter, cjs);
  assert.equal(Counter, cjs.Counter);
  assert.equal(GCounterError, cjs.GCounterError);
  assert.equal(Status, cjs.Status);
  assert.equal(U64_MAX, cjs.U64_MAX);
  assert.equal(libraryVersion, cjs.libraryVersion);
  assert.equal(libraryPath, cjs.libraryPath);
});

it('a counter made through the ES module joins one made through require', () => {
  const { Counter: RequiredCounter } = require('gcounter');
  const a = new Counter().increment('esm', 2);
  const b = new RequiredCounter().increment('cjs', 3);
  assert.equal(a.join(b).toJson(), '{"cjs":3,"esm":2}');
});
