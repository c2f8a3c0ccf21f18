'use strict';
// Which library is loaded, and that the binding declares exactly the header's functions.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const gcounter = require('..');
const native = require('../lib/native');
const { PACKAGE_DIR, REPO_ROOT } = require('./harness');

const PLATFORM_DIR = `${process.platform}-${process.arch}`;
const BUILT_LIBRARY = path.join(REPO_ROOT, 'target', 'release', 'libgcounter.so');

/** Requires the package at `packageDir` in a fresh process; what it loaded, or its error. */
function loadIn(packageDir, env = {}) {
  const script = `
    const g = require(${JSON.stringify(packageDir)});
    const c = new g.Counter().increment('a', 2);
    console.log(JSON.stringify({ path: g.libraryPath, version: g.libraryVersion, value: String(c.value()) }));`;
  const baseEnv = { ...process.env };
  delete baseEnv.GCOUNTER_LIB;
  delete baseEnv.LD_LIBRARY_PATH;
  const run = spawnSync(process.execPath, ['-e', script], { env: { ...baseEnv, ...env }, encoding: 'utf8' });
  if (run.status === 0) return JSON.parse(run.stdout);
  return { error: run.stderr };
}

function cargoVersion() {
  const cargo = fs.readFileSync(path.join(REPO_ROOT, 'Cargo.toml'), 'utf8');
  return /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(cargo)[1];
}

/** The header's prototypes, one line each, as the binding writes them. */
function headerPrototypes() {
  const header = fs
    .readFileSync(path.join(REPO_ROOT, 'include', 'gcounter.h'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  return [...header.matchAll(/^[a-z][\w ]*?[\w*]\s*\*?gcounter_\w+\([^)]*\);/gm)].map(([text]) =>
    text
      .replace(/\b(struct|enum) /g, '')
      .replace(/\s+/g, ' ')
      .replace(/\( /g, '(')
      .replace(/;$/, ''),
  );
}

/** The functions bindings/left-out.txt says this binding does not call. */
function leftOut() {
  const list = fs.readFileSync(path.join(REPO_ROOT, 'bindings', 'left-out.txt'), 'utf8');
  return list
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
    .map((line) => line.trim().split(/\s+/))
    .filter(([, bindings]) => bindings.split(',').includes('node'))
    .map(([name]) => name);
}

describe('the binding and the header', () => {
  it('declares every function of include/gcounter.h but those left out, with the same prototype, and no other', () => {
    const omitted = leftOut();
    const header = headerPrototypes();
    assert.ok(header.length >= 23, `found only ${header.length} prototypes in the header`);
    const declares = (name) => (prototype) => new RegExp(`\\b${name}\\(`).test(prototype);
    for (const name of omitted) {
      assert.ok(header.some(declares(name)), `left-out.txt names ${name}, which the header lacks`);
    }
    const expected = header.filter((prototype) => !omitted.some((name) => declares(name)(prototype)));
    assert.deepEqual([...native.PROTOTYPES].sort(), expected.sort());
  });

  it('the package carries the version of Cargo.toml, and so does the library', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
    assert.equal(pkg.version, cargoVersion());
    assert.equal(gcounter.libraryVersion, cargoVersion());
  });
});

describe('finding the library', () => {
  it('in this repository: target/release/libgcounter.so.0, with no variable', () => {
    const loaded = loadIn(PACKAGE_DIR);
    assert.equal(loaded.path, path.join(REPO_ROOT, 'target', 'release', 'libgcounter.so.0'));
    assert.equal(loaded.value, '2');
  });

  it('GCOUNTER_LIB overrides every other place', () => {
    const loaded = loadIn(PACKAGE_DIR, { GCOUNTER_LIB: BUILT_LIBRARY });
    assert.equal(loaded.path, BUILT_LIBRARY);
    assert.equal(loaded.value, '2');
  });

  it('a GCOUNTER_LIB that does not load fails, and no other copy is tried', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'libgcounter.so');
    const loaded = loadIn(PACKAGE_DIR, { GCOUNTER_LIB: missing });
    assert.match(loaded.error, /libgcounter could not be loaded: GCOUNTER_LIB is set but does not name a loadable libgcounter/);
    assert.match(loaded.error, new RegExp(`Tried:\\n  ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    assert.doesNotMatch(loaded.error, /target\/release/);
  });

  it('candidates() lists the override alone, else the package copy, the repository, the loader names', () => {
    assert.deepEqual(native.candidates({ GCOUNTER_LIB: '/x/libgcounter.so' }), ['/x/libgcounter.so']);
    const found = native.candidates({});
    assert.deepEqual(found.slice(-2), ['libgcounter.so.0', 'libgcounter.so']);
    assert.ok(found.indexOf(path.join(native.SOURCE_TREE_DIR, 'libgcounter.so.0')) <
      found.indexOf(path.join(native.SOURCE_TREE_DIR, 'libgcounter.so')));
  });

  describe('as an installed package, outside the repository', () => {
    let root;
    let packageDir;
    before(() => {
      // The package's files as npm installs them, with koffi beside them.
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'gcounter-node-'));
      packageDir = path.join(root, 'node_modules', 'gcounter');
      fs.mkdirSync(packageDir, { recursive: true });
      for (const file of ['package.json', 'index.js', 'index.mjs', 'index.d.ts']) {
        fs.copyFileSync(path.join(PACKAGE_DIR, file), path.join(packageDir, file));
      }
      fs.cpSync(path.join(PACKAGE_DIR, 'lib'), path.join(packageDir, 'lib'), { recursive: true });
      for (const dependency of ['koffi', '@koromix']) {
        fs.symlinkSync(path.join(PACKAGE_DIR, 'node_modules', dependency), path.join(root, 'node_modules', dependency));
      }
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('loads the copy under prebuilds/<platform>-<arch>/ first', () => {
      const prebuilds = path.join(packageDir, 'prebuilds', PLATFORM_DIR);
      fs.mkdirSync(prebuilds, { recursive: true });
      fs.copyFileSync(BUILT_LIBRARY, path.join(prebuilds, 'libgcounter.so.0'));
      try {
        const elsewhere = path.join(root, 'lib');
        fs.mkdirSync(elsewhere, { recursive: true });
        fs.copyFileSync(BUILT_LIBRARY, path.join(elsewhere, 'libgcounter.so.0'));
        const loaded = loadIn(packageDir, { LD_LIBRARY_PATH: elsewhere });
        assert.equal(loaded.path, path.join(prebuilds, 'libgcounter.so.0'));
        assert.equal(loaded.value, '2');
      } finally {
        fs.rmSync(path.join(packageDir, 'prebuilds'), { recursive: true });
      }
    });

    it('without a copy, an installed library through the loader search path', () => {
      const libdir = path.join(root, 'usr-local-lib');
      fs.mkdirSync(libdir, { recursive: true });
      fs.copyFileSync(BUILT_LIBRARY, path.join(libdir, 'libgcounter.so.0'));
      const loaded = loadIn(packageDir, { LD_LIBRARY_PATH: libdir });
      assert.equal(loaded.path, 'libgcounter.so.0');
      assert.equal(loaded.value, '2');
    });

    it('with no library anywhere, the error lists each attempt and how to get one', () => {
      const loaded = loadIn(packageDir);
      const installed = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' }).stdout ?? '';
      if (/libgcounter\.so\.0 /.test(installed)) {
        assert.equal(loaded.path, 'libgcounter.so.0'); // this machine has it installed
      } else {
        assert.match(loaded.error, /libgcounter could not be loaded: build it with 'make lib'/);
        assert.match(loaded.error, /Tried:\n {2}libgcounter\.so\.0: .*\n {2}libgcounter\.so: /);
      }
    });
  });
});
