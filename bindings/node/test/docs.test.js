'use strict';
// README.md's examples work as written, and the demo converges.

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PACKAGE_DIR } = require('./harness');

const README = fs.readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8');

/** The first fenced block of `language` after `heading`. */
function block(heading, language) {
  const section = README.slice(README.indexOf(`\n${heading}\n`));
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  assert.ok(match, `no ${language} block under ${heading}`);
  return match[1];
}

let project;
before(() => {
  // A project that has the package installed, as the README's reader does.
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'gcounter-readme-'));
  fs.mkdirSync(path.join(project, 'node_modules'));
  fs.symlinkSync(PACKAGE_DIR, path.join(project, 'node_modules', 'gcounter'), 'dir');
});
after(() => fs.rmSync(project, { recursive: true, force: true }));

it("the README's example prints what the README says", () => {
  fs.writeFileSync(path.join(project, 'example.js'), block('## Example', 'js'));
  const run = spawnSync(process.execPath, ['example.js'], { cwd: project, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, block('It prints:', 'text'));
});

it("the README's TypeScript snippet type-checks with --strict", () => {
  fs.writeFileSync(path.join(project, 'snippet.ts'), block('## TypeScript', 'ts'));
  const tsc = path.join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--lib', 'es2022,esnext.disposable', 'snippet.ts'],
    { cwd: project, encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

it('the demo converges', () => {
  const run = spawnSync(process.execPath, [path.join(PACKAGE_DIR, 'examples', 'sync.js')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^refused a damaged message: invalid JSON at byte \d+: /m);
  assert.match(run.stdout, /\nconverged: \{"agent-a":3,"agent-b":5\} value 8\n/);
  assert.match(run.stdout, /\nanti-entropy alice -> bob: 3 of 102 slots \{"sensor-007":2,"sensor-042":2,"sensor-099":2\}\n/);
  assert.match(run.stdout, /\nafter anti-entropy: alice vs bob: equal\n$/);
});
