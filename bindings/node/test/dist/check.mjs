// Run by `make test-dist-node` in a temp project that has installed dist/gcounter-<v>.tgz:
// the package as a user gets it, with nothing pointing at the repository.
//   node check.mjs CHECKOUT   (the repository, whose license texts are read, to compare)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Counter, GCounterError, Status, libraryPath, libraryVersion } from 'gcounter';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('gcounter/package.json'));
const checkout = process.argv[2];
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

check('the total is exact above 2^64 - 1', () => {
  const c = new Counter().increment('a', 2n ** 64n - 1n).increment('b', 2n ** 64n - 1n);
  assert.equal(c.value(), 36893488147419103230n);
  c.close();
});

check('deltaFor holds only what the peer lacks, and joined gives the whole join', () => {
  const mine = Counter.fromJson('{"a":5,"b":1,"c":2}');
  const peer = Counter.fromJson('{"a":3,"b":4}');
  const reply = mine.deltaFor(peer);
  assert.equal(reply.toJson(), '{"a":5,"c":2}');
  assert.equal(peer.clone().join(reply).compare(peer.clone().join(mine)), 'equal');
  for (const counter of [mine, peer, reply]) counter.close();
});

check('iteration gives the slots in canonical order, NUL characters kept', () => {
  const c = new Counter().increment('b').increment('a\0z', 2).increment('é', 3n);
  assert.deepEqual([...c], [['a\0z', 2n], ['b', 1n], ['é', 3n]]);
  assert.deepEqual(c.toMap(), new Map([['a\0z', 2n], ['b', 1n], ['é', 3n]]));
  c.close();
});

check('an amount of 0 is a RangeError with the library\'s status and words', () => {
  assert.throws(() => new Counter().increment('a', 0), {
    name: 'RangeError',
    status: Status.INVALID_ARGUMENT,
    message: "increment 'by' must be at least 1, got 0",
  });
});

check('require() gives the same package, and its type declarations are there', () => {
  assert.equal(require('gcounter').Counter, Counter);
  assert.ok(fs.existsSync(path.join(packageDir, 'index.d.ts')));
});

check('the package is MIT OR Apache-2.0 and carries both license texts, as the repository has them', () => {
  assert.equal(require('gcounter/package.json').license, 'MIT OR Apache-2.0');
  for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.ok(fs.readFileSync(path.join(packageDir, name)).equals(fs.readFileSync(path.join(checkout, name))), name);
  }
});

console.log(`dist-node: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
