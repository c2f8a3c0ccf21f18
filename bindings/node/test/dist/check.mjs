// Run by `make test-dist-node` in a temp project that has installed dist/gcounter-<v>.tgz:
// the package as a user gets it, with nothing pointing at the repository.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Counter, GCounterError, Status, libraryPath, libraryVersion } from 'gcounter';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('gcounter/package.json'));
let passed = 0;
let failed = 0;

function check(name, body) {
  try {
    body();
    passed += 1;
    console.log(`ok      ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAILED  ${name}\n${error.stack}`);
  }
}

check('the library is the copy inside the package, under its platform folder', () => {
  const expected = path.join(packageDir, 'prebuilds', `${process.platform}-${process.arch}`, 'libgcounter.so.0');
  assert.equal(libraryPath, expected);
  assert.ok(!fs.realpathSync(libraryPath).includes('target/release'));
  const { version } = require('gcounter/package.json');
  assert.equal(libraryVersion, version);
});

check('two replicas join into the canonical JSON', () => {
  const a = new Counter().increment('agent-a', 3).increment('é', 1n);
  const b = Counter.fromJson('{"agent-b": 5, "agent-a": 1}');
  a.join(b);
  assert.equal(a.toJson(), '{"agent-a":3,"agent-b":5,"é":1}');
  assert.equal(a.value(), 9n);
  assert.equal(a.compare(b), 'greater');
  const delta = b.increment('agent-b').takeDelta();
  assert.equal(a.join(delta).valueFor('agent-b'), 6n);
  for (const counter of [a, b, delta]) counter.close();
});

check('a bad document is refused, with the library message, and changes nothing', () => {
  const c = new Counter().increment('a');
  assert.throws(() => c.joinJson('{"a": 2, "b": -1}'), (error) => {
    assert.ok(error instanceof GCounterError);
    assert.equal(error.status, Status.INVALID_JSON);
    assert.match(error.message, /^invalid JSON at byte \d+: the count of agent "b" is negative/);
    return true;
  });
  assert.equal(c.toJson(), '{"a":1}');
});

check('counts are exact bigints up to 2^64 - 1', () => {
  const c = new Counter().increment('a', 2n ** 64n - 1n);
  assert.equal(c.valueFor('a'), 18446744073709551615n);
  assert.throws(() => c.increment('a'), { status: Status.OVERFLOW });
});

check('require() gives the same package, and its type declarations are there', () => {
  assert.equal(require('gcounter').Counter, Counter);
  assert.ok(fs.existsSync(path.join(packageDir, 'index.d.ts')));
});

console.log(`dist-node: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
