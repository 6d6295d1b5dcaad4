// `kubedrill fuzz`, `kubedrill compare` and `--policy` through the command line: exit codes, the
// report's first and last lines, the written scenario, its replay, and bad options.
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, main } from '../../src/cli/main.js';

const root = new URL('../../', import.meta.url).pathname;
const IGNORE_TAINTS = join(root, 'test/fuzz/broken-policies/ignore-taints.yaml');
const BIN_PACKING = join(root, 'examples/policies/bin-packing.yaml');
const GPU_SCENARIOS = join(root, 'scenarios/custom-policy-gpu-bin-packing.yaml');

async function run(argv: string[], opts: { errIsTTY?: boolean; freshSeed?: () => number } = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), env: { NO_COLOR: '1' }, isTTY: false, nowMs: () => 0, ...opts });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'kubedrill-cli-fuzz-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('fuzz: a broken policy is caught, written, and replayed from the last line', async (t) => {
  const out = join(dir, 'out');
  const r = await run(['fuzz', '--policy', IGNORE_TAINTS, '--seed', '42', '--out', out]);
  t.equal(r.code, EXIT_FAILED, r.err);
  const lines = r.out.trimEnd().split('\n');
  t.equal(lines[0], `fuzz seed=42 runs=1000 size=small policy=${IGNORE_TAINTS} baseline=default`, 'the seed first');
  t.match(r.out, /✗ no-bind-to-failing-node broken at run \d+/);
  const files = readdirSync(out);
  t.same(files, ['fuzz-no-bind-to-failing-node-42.yaml'], 'one scenario written');
  const replay = lines.at(-1)!;
  t.match(replay, new RegExp(`^replay: kubedrill fuzz --policy ${IGNORE_TAINTS} --seed 42 --replay \\d+(:\\d+)*$`));

  // The written scenario fails under `kubedrill run` with the same invariant.
  const rerun = await run(['run', join(out, files[0]!)]);
  t.equal(rerun.code, EXIT_FAILED);
  t.match(rerun.out, /invariant no-bind-to-failing-node broken/);

  // The replay line reruns exactly that case, in one run, and writes beside the first file.
  const argv = replay.replace(/^replay: kubedrill /, '').split(' ');
  const again = await run([...argv, '--out', out]);
  t.equal(again.code, EXIT_FAILED);
  t.match(again.out, /✗ replayed case \d+(:\d+)* \(seed 42\): no-bind-to-failing-node broken at 1s virtual/);
  t.same(readdirSync(out).sort(), ['fuzz-no-bind-to-failing-node-42-2.yaml', 'fuzz-no-bind-to-failing-node-42.yaml'], 'never overwrites');
});

t.test('fuzz: the default profile holds; no --seed draws a fresh one and prints it', async (t) => {
  const r = await run(['fuzz', '--runs', '20', '--out', join(dir, 'none')], { freshSeed: () => 31337 });
  t.equal(r.code, EXIT_OK, r.out + r.err);
  t.match(r.out, /^fuzz seed=31337 runs=20 size=small policy=default baseline=none\n/);
  t.match(r.out, /✓ 20 runs, every invariant held/);
  t.match(r.out, /\nreplay: kubedrill fuzz --seed 31337 --runs 20\n$/);
  t.notOk(existsSync(join(dir, 'none')), 'nothing written when every run holds');
});

t.test('fuzz: --jobs does not change the report', async (t) => {
  const argv = ['fuzz', '--policy', IGNORE_TAINTS, '--seed', '7', '--runs', '200'];
  const one = await run([...argv, '--jobs', '1', '--out', join(dir, 'jobs-1')]);
  const two = await run([...argv, '--jobs', '2', '--out', join(dir, 'jobs-2')]);
  t.equal(one.code, EXIT_FAILED, one.err);
  t.equal(two.out.replaceAll('jobs-2', 'jobs-1').replace(/; [\d.]+s in all/, ''), one.out.replace(/; [\d.]+s in all/, ''));
});

t.test('fuzz: a progress line on a terminal (stderr), none otherwise', async (t) => {
  const tty = await run(['fuzz', '--runs', '5', '--seed', '1'], { errIsTTY: true });
  t.match(tty.err, /\r\x1b\[Krun 5\/5/);
  t.match(tty.err, /\r\x1b\[K$/, 'cleared at the end');
  t.equal((await run(['fuzz', '--runs', '5', '--seed', '1'])).err, '');
});

t.test('fuzz: bad options exit 2 with a message and no stack trace', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['fuzz', '--size', 'huge'], /--size must be small, medium or large/],
    [['fuzz', '--replay', '1:2'], /--replay needs the --seed/],
    [['fuzz', '--seed', '1', '--replay', 'x'], /--replay must be a fast-check path/],
    [['fuzz', '--faults', 'meteorStrike'], /unknown fault kind\(s\) meteorStrike/],
    [['fuzz', '--baseline', 'sometimes'], /--baseline must be default or none/],
    [['fuzz', '--runs', '0'], /--runs must be at least 1/],
    [['fuzz', '--jobs', '0'], /--jobs must be at least 1/],
    [['fuzz', '--invariants', 'no-such-rule', '--seed', '1'], /unknown invariant\(s\) no-such-rule/],
    [['fuzz', '--policy', join(dir, 'missing.yaml')], /missing\.yaml:1:1: scheduler configuration .*no such file/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    t.equal(r.code, EXIT_INVALID, argv.join(' '));
    t.match(r.err, message, argv.join(' '));
    t.notMatch(r.err, /\n\s+at /, 'no stack trace');
  }
});

t.test('compare: two policies side by side over the same random scenarios', async (t) => {
  const r = await run(['compare', '--policy', 'default', '--policy', join(root, 'examples/policies/most-allocated.yaml'), '--random', '5', '--seed', '1', '--size', 'small']);
  t.equal(r.code, EXIT_OK, r.err);
  t.match(r.out, /^5 scenarios\s+default\s+\S*most-allocated\.yaml\n/);
  t.match(r.out, /\npods scheduled \/ pending\s+\d+ \/ \d+\s+\d+ \/ \d+\n/);
  t.match(r.out, /\ninvariant violations\s+0\s+0\n/);
  const files = await run(['compare', '--policy', 'default', '--policy', BIN_PACKING, GPU_SCENARIOS]);
  t.equal(files.code, EXIT_OK, files.err);
  t.match(files.out, /^2 scenarios/);
  t.equal((await run(['compare', '--policy', 'default'])).code, EXIT_INVALID, 'one policy is a usage error');
});

t.test('run --policy replaces every scenario\'s scheduler', async (t) => {
  t.equal((await run(['run', GPU_SCENARIOS])).code, EXIT_OK);
  const r = await run(['run', GPU_SCENARIOS, '--grep', '^default-profile', '--policy', BIN_PACKING]);
  t.equal(r.code, EXIT_FAILED, 'the default-profile expectations fail under bin packing');
  t.match(r.out, /✗ FAIL default-profile-uses-gpu-node/);
  const v = await run(['validate', GPU_SCENARIOS, '--policy', join(dir, 'missing.mjs')]);
  t.equal(v.code, EXIT_INVALID);
  t.match(v.err, /missing\.mjs:1:1: plugin module .* not found/);
});

t.test('a scenario naming a plugin module that is not there: located error, exit 2', async (t) => {
  const file = join(dir, 'missing-module.yaml');
  writeFileSync(file, `name: missing-module\nuntil: 1m\ncluster:\n  scheduler: ./no-such-plugins.ts\n  nodes: [{name: n-1, capacity: {cpu: "2", memory: 4Gi}}]\n`);
  const r = await run(['run', file]);
  t.equal(r.code, EXIT_INVALID);
  t.match(r.out, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:14: plugin module ".*no-such-plugins\\.ts" not found`));
});

t.test('fuzz and compare: --max-nodes / --max-pods / --max-events bound the size preset', async (t) => {
  const r = await run(['fuzz', '--runs', '10', '--seed', '4', '--size', 'medium', '--max-nodes', '3', '--max-pods', '5']);
  t.equal(r.code, EXIT_OK, r.err);
  t.match(r.out, /^fuzz seed=4 runs=10 size=medium \(≤3 nodes, ≤5 pods, ≤20 events\) policy=default baseline=none\n/);
  t.match(r.out, /\nreplay: kubedrill fuzz --seed 4 --runs 10 --size medium --max-nodes 3 --max-pods 5\n$/, 'the bounds shape the cases, so the replay line keeps them');
  t.match((await run(['fuzz', '--runs', '10', '--seed', '4'])).out, /^fuzz seed=4 runs=10 size=small policy=/, 'no bounds shown without overrides');
  const bad = await run(['fuzz', '--max-nodes', '0']);
  t.equal(bad.code, EXIT_INVALID);
  t.match(bad.err, /--max-nodes must be at least 1, got 0/);
  t.equal((await run(['fuzz', '--max-events', 'many'])).code, EXIT_INVALID);
  const c = await run(['compare', '--policy', 'default', '--policy', 'default', '--random', '3', '--size', 'small', '--max-nodes', '2', '--max-events', '0']);
  t.equal(c.code, EXIT_OK, c.err);
  t.match(c.out, /\nnodes used\s+[0-6]\s+[0-6]\n/, 'at most 2 nodes in each of 3 scenarios');
});
