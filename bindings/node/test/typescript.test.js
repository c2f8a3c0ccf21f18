'use strict';
// index.d.ts against examples/typed.ts: checked by tsc --strict, then compiled and run, so the
// declarations and the runtime agree.

const { it } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PACKAGE_DIR } = require('./harness');

const TSC = path.join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
const { version } = require('../package.json');

function tsc(...args) {
  const run = spawnSync(process.execPath, [TSC, ...args], { cwd: PACKAGE_DIR, encoding: 'utf8' });
  assert.equal(run.status, 0, `tsc ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
}

it('tsc --strict --noEmit accepts examples/typed.ts against index.d.ts', () => {
  tsc('--strict', '--noEmit', '-p', 'tsconfig.json');
});

it('examples/typed.ts, compiled, runs and prints what its types promise', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gcounter-typed-'));
  try {
    // The compiled example requires 'gcounter' as an application would.
    fs.mkdirSync(path.join(out, 'node_modules'));
    fs.symlinkSync(PACKAGE_DIR, path.join(out, 'node_modules', 'gcounter'), 'dir');
    tsc('--strict', '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', out);
    const run = spawnSync(process.execPath, [path.join(out, 'examples', 'typed.js')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        '36893488147419103230n',
        "INVALID_ARGUMENT: increment 'by' must be at least 1, got 0",
        "RangeError: increment 'by' must be an integer, got 2.5",
        'both sides have news',
        '18n 13n 3 false {"worker-1":13,"worker-2":4,"worker-3":1} {"state":{"worker-1":13,"worker-2":4,"worker-3":1}} {"worker-1":13,"worker-2":4,"worker-3":1}',
        'worker-1 13',
        'worker-3 1',
        '2 13n',
        'OVERFLOW (4): the slot of agent "worker-1" would exceed UINT64_MAX',
        `${version} true`,
        '',
      ].join('\n'),
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
