// The command line: exit codes, reporters, colours, and no stack trace for bad input.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, main } from '../../src/cli/main.js';

async function run(argv: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }) {
  let out = '';
  let err = '';
  let clock = 0;
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), env, isTTY: false, nowMs: () => (clock += 1) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'kubedrill-cli-'));
const passing = join(dir, 'passing.yaml');
writeFileSync(
  passing,
  `name: one-pod
until: 1m
cluster:
  nodes: [{name: n-1, capacity: {cpu: "2", memory: 4Gi}}]
  objects:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox}]}}
expect:
  - at: 10s
    pods: {names: [p], on: [n-1], phase: Running}
`,
);
const failing = join(dir, 'failing.yaml');
writeFileSync(
  failing,
  `name: wrong-node
until: 1m
cluster:
  nodes: [{name: n-1, capacity: {cpu: "2", memory: 4Gi}}]
  objects:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox}]}}
expect:
  - at: 10s
    object: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {nodeName: n-2}}
`,
);
const malformed = join(dir, 'malformed.yaml');
writeFileSync(malformed, `name: typo\nuntil: 1m\nclustr: {}\n`);

t.test('passing scenario: exit 0, seed and digest printed', async (t) => {
  const r = await run(['run', passing]);
  t.equal(r.code, EXIT_OK);
  t.match(r.out, /✓ pass one-pod .*seed=0 digest=[0-9a-f]{16}/);
  t.match(r.out, /1 passed/);
});

t.test('wrong expectation: exit 1 with a located failure and a unified diff', async (t) => {
  const r = await run(['run', failing]);
  t.equal(r.code, EXIT_FAILED);
  t.match(r.out, new RegExp(`${failing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8:5 expectation at 10s failed`));
  t.match(r.out, /--- expected\n\s+\+\+\+ actual/);
  t.match(r.out, /-\s+nodeName: n-2/);
  t.match(r.out, /\+\s+nodeName: n-1/);
  t.match(r.out, /replay: kubedrill run .*--seed 0/);
});

t.test('malformed scenario: exit 2, file:line:col, did-you-mean, no stack trace', async (t) => {
  const r = await run(['run', malformed]);
  t.equal(r.code, EXIT_INVALID);
  t.match(r.out, /malformed\.yaml:3:1: unknown field "clustr" \(did you mean "cluster"\?\)/);
  t.notMatch(r.out + r.err, /\n\s+at /, 'no stack trace');
});

t.test('invalid input is reported after the valid scenarios have run', async (t) => {
  const r = await run(['run', passing, malformed]);
  t.equal(r.code, EXIT_INVALID);
  t.ok(r.out.indexOf('✓ pass one-pod') < r.out.indexOf('malformed.yaml:3:1'));
});

t.test('--seed overrides the file seed; --grep filters', async (t) => {
  t.match((await run(['run', passing, '--seed', '42'])).out, /seed=42/);
  const r = await run(['run', passing, failing, '--grep', '^one-']);
  t.equal(r.code, EXIT_OK);
  t.notMatch(r.out, /wrong-node/);
});

t.test('usage errors exit 2', async (t) => {
  t.equal((await run(['frobnicate'])).code, EXIT_INVALID);
  t.equal((await run(['run', passing, '--reporter', 'xml'])).code, EXIT_INVALID);
  t.equal((await run(['run', passing, '--seed', '-1'])).code, EXIT_INVALID);
  t.equal((await run(['run', passing, '--bogus'])).code, EXIT_INVALID);
  t.equal((await run(['run', join(dir, 'missing.yaml')])).code, EXIT_INVALID);
  t.equal((await run([])).code, EXIT_INVALID);
});

t.test('--help and --version', async (t) => {
  for (const argv of [['--help'], ['run', '--help'], ['fuzz', passing, '-h'], ['explain', '--help']]) {
    const r = await run(argv);
    t.equal(r.code, EXIT_OK, argv.join(' '));
    t.match(r.out, /^Usage:\n {2}kubedrill run /, `${argv.join(' ')}: the usage on stdout`);
    t.equal(r.err, '');
  }
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const v = await run(['--version']);
  t.equal(v.code, EXIT_OK);
  t.equal(v.out, `kubedrill ${pkg.version}, modelling Kubernetes v1.35\n`);
  const afterDashes = await run(['run', '--', '--help']);
  t.equal(afterDashes.code, EXIT_INVALID, 'after --, --help is a path (here a missing one)');
});

t.test('tap reporter', async (t) => {
  const r = await run(['run', passing, failing, '--reporter', 'tap']);
  t.match(r.out, /^TAP version 14\n1\.\.2\n/);
  t.match(r.out, /\nok 1 - one-pod\n/);
  t.match(r.out, /\nnot ok 2 - wrong-node\n/);
});

t.test('colours follow NO_COLOR and FORCE_COLOR', async (t) => {
  t.notMatch((await run(['run', passing], { NO_COLOR: '1', FORCE_COLOR: '1' })).out, /\x1b\[/);
  t.match((await run(['run', passing], { FORCE_COLOR: '1' })).out, /\x1b\[32m/);
  t.notMatch((await run(['run', passing], {})).out, /\x1b\[/, 'no colour when not a terminal');
});

t.test('validate', async (t) => {
  t.equal((await run(['validate', passing])).code, EXIT_OK);
  const bad = await run(['validate', malformed]);
  t.equal(bad.code, EXIT_INVALID);
  t.match(bad.err, /malformed\.yaml:3:1/);
});

t.test('the built binary runs end to end (npm ci builds dist/ in prepare)', async (t) => {
  const bin = new URL('../../bin/kubedrill', import.meta.url).pathname;
  // tap injects its coverage loader into child node processes through NODE_OPTIONS; the binary
  // must run as a user runs it, so the shell drops that before starting node.
  const sh = (file: string) => spawnSync('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$0" "$@"', process.execPath, bin, 'run', file], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
  const ok = sh(passing);
  t.equal(ok.status, EXIT_OK, ok.stderr);
  const bad = sh(malformed);
  t.equal(bad.status, EXIT_INVALID);
  t.notMatch(bad.stdout + bad.stderr, /\n\s+at /);
});
