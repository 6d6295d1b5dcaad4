// `kubedrill explain`: the rendered explanation (key lines, 100 columns), --json, and the exit
// codes and messages of bad input.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_INVALID, EXIT_OK, main } from '../../src/cli/main.js';
import { explainPod } from '../../src/scenario/explain.js';
import { loadFile } from '../../src/scenario/load.js';

const root = new URL('../../', import.meta.url).pathname;
const PENDING = join(root, 'scenarios/pending-insufficient-cpu.yaml');
const TAINTS = join(root, 'scenarios/taints-and-tolerations.yaml');
const PREEMPTION = join(root, 'scenarios/preemption.yaml');

async function run(argv: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), env, isTTY: false, nowMs: () => 0 });
  return { code, out, err };
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length));
}

t.test('pending pod: outcome, every node with its filter verdicts, the reasons, PostFilter', async (t) => {
  const r = await run(['explain', PENDING, '--pod', 'big']);
  t.equal(r.code, EXIT_OK, r.err);
  t.equal(r.err, '');
  t.match(r.out, /^Pod default\/big {2}attempt 1 at 0s {2}\(scenario pending-insufficient-cpu, seed 0\)\n/);
  t.match(r.out, /\nProfile default-scheduler, priority 0; 3 node\(s\): 3 evaluated, 0 feasible\n/);
  t.match(r.out, /\nOutcome: unschedulable \(rejected by NodeResourcesFit, TaintToleration\); FailedScheduling:\n {2}0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient cpu\. preemption: 0\/3\n {2}nodes are available: 3 Preemption is not helpful for scheduling\.\n/);
  // Eleven filter columns would not fit in 100: those with no verdict on any node are named instead.
  t.match(r.out, /\n {2}NODE {5}RESULT {6}NodeUnsched {2}NodeName {2}Taint {2}Fit\n/);
  t.match(r.out, /\n {2}small-1 {2}infeasible {2}✓ +✓ +✓ +✗\*\n/);
  t.match(r.out, /\n {2}small-2 {2}infeasible {2}✓ +✓ +✓ +✗\*\n/);
  t.match(r.out, /\n {2}gpu-1 {4}infeasible {2}✓ +✓ +✗\* +✓\n/);
  t.match(r.out, /\n {2}not shown, no verdict on any node: NodeAffinity, NodePorts, VolumeRestrictions, NodeVolumeLimits,\n {2}VolumeBinding, VolumeZone, PodTopologySpread, InterPodAffinity\n/);
  t.match(r.out, /\n {2}✗\* NodeResourcesFit on small-1, small-2: Insufficient cpu \(UnschedulableAndUnresolvable\)\n/);
  t.match(r.out, /\n {2}✗\* TaintToleration on gpu-1: node\(s\) had untolerated taint\(s\) \(UnschedulableAndUnresolvable\)\n/);
  t.match(r.out, /\nPostFilter {2}DefaultPreemption\n {2}preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.\n {2}no nominated node\n/);
  t.notMatch(r.out, /\nScore/, 'no Score section without feasible nodes');
  t.notMatch(r.out, /\nDecision/);
  t.ok(widest(r.out) <= 100, `fits 100 columns (widest ${widest(r.out)})`);
});

t.test('taints: the Score table and why general-2 lost', async (t) => {
  // The web pods' names are drawn from the seed: the error for an unknown pod lists them.
  const unknown = await run(['explain', TAINTS, '--pod', 'web']);
  t.equal(unknown.code, EXIT_INVALID);
  const web = [...unknown.err.matchAll(/default\/web-[a-z0-9]{5}/g)].map((m) => m[0]);
  t.equal(web.length, 2, unknown.err);
  const r = await run(['explain', TAINTS, '--pod', web[0]!]);
  t.equal(r.code, EXIT_OK, r.err);
  t.match(r.out, /\nOutcome: bound to general-1\n/);
  t.match(r.out, /\n {2}db-1 {7}infeasible {2}✓ +✓ +✗\* /);
  t.match(r.out, /\n {2}general-1 {2}chosen {6}✓ /);
  t.match(r.out, /\n {2}general-2 {2}feasible {4}✓ /);
  t.match(r.out, /\nScore {2}2 feasible node\(s\); weighted = normalized × weight; total = sum of weighted\n +general-1 \(chosen\) +general-2\n/);
  t.match(r.out, /\n {2}PLUGIN +WEIGHT +RAW +NORM +WEIGHTED +RAW +NORM +WEIGHTED\n/);
  t.match(r.out, /\n {2}TaintToleration +3 +0 +100 +300 +1 +0 +0\n/);
  t.match(r.out, /\n {2}NodeAffinity +2 +skip \(PreScore skipped it\)\n/);
  t.match(r.out, /\n {2}PodTopologySpread +2 +2 +100 +200 +2 +100 +200\n/);
  t.match(r.out, /\n {2}TOTAL +692 +392\n/);
  t.match(r.out, /\nDecision {2}general-1 with total 692\n {2}general-2 {2}392 {2}lost by 300 on TaintToleration \(0 vs 300\)\n/);
  t.ok(widest(r.out) <= 100, `fits 100 columns (widest ${widest(r.out)})`);

  const second = await run(['explain', TAINTS, '--pod', web[1]!]);
  t.match(second.out, /\n {2}general-2 {2}392 {2}lost by 226 on TaintToleration \(0 vs 300\); ahead on\n {18}PodTopologySpread \(200 vs 132\), NodeResourcesFit \(95 vs 91\),\n {18}NodeResourcesBalancedAllocation \(97 vs 95\)\n/);
  t.ok(widest(second.out) <= 100);
});

t.test('preemption: message, nominated node and victim; the next attempt binds there', async (t) => {
  const r = await run(['explain', PREEMPTION, '--pod', 'default/payments']);
  t.equal(r.code, EXIT_OK, r.err);
  t.match(r.out, /attempt 1 at 1m0s {2}\(scenario preemption-of-a-low-priority-pod, seed 3\)\n/);
  t.match(r.out, /\nProfile default-scheduler, priority 1000000; 2 node\(s\): 2 evaluated, 0 feasible\n/);
  t.match(r.out, /\nOutcome: unschedulable \(rejected by NodeResourcesFit\); FailedScheduling:\n {2}0\/2 nodes are available: 2 Insufficient cpu\.\n/);
  t.match(r.out, /\n {2}✗\* NodeResourcesFit on node-1, node-2: Insufficient cpu \(Unschedulable\)\n/);
  t.match(r.out, /\nPostFilter {2}DefaultPreemption\n {2}succeeded\n {2}nominated node: node-1 \(a later attempt binds there once the victims are gone\)\n {2}victims: default\/batch-[a-z0-9]{5} on node-1\n/);
  const next = await run(['explain', PREEMPTION, '--pod', 'payments', '--attempt', '2']);
  t.equal(next.code, EXIT_OK);
  t.match(next.out, /attempt 2 at 1m1s/);
  t.match(next.out, /\nOutcome: bound to node-1\n/);
  t.match(next.out, /\nDecision {2}node-1: the only feasible node, so the cycle did not score\n/);
  // big-1 joins at 2m with the not-ready taint (TaintNodesByCondition): the first attempt it
  // triggers fails there too, the one after the node controller lifts the taint binds.
  const joined = await run(['explain', PENDING, '--pod', 'big', '--at', '2m']);
  t.match(joined.out, /attempt 2 at 2m0s .*\n[^]*\n {2}big-1 {4}infeasible {2}✓ +✓ +✗\* +✓\n/);
  t.match(joined.out, /\n {2}✗\* TaintToleration on gpu-1, big-1: node\(s\) had untolerated taint\(s\)\n/);
  const late = await run(['explain', PENDING, '--pod', 'big', '--at', '2m', '--attempt', '2']);
  t.match(late.out, /attempt 3 at 2m0s .*\n[^]*\n {2}big-1 {4}chosen {6}✓ /);
});

t.test('volume plugins: VolumeBinding keeps db off the node without a volume', async (t) => {
  const r = await run(['explain', join(root, 'scenarios/volume-topology-placement.yaml'), '--scenario', 'volume-topology-steers-placement', '--pod', 'db']);
  t.equal(r.code, EXIT_OK, r.err);
  t.match(r.out, /\nOutcome: bound to worker-3\n/);
  t.match(r.out, /\n {2}NODE {6}RESULT {6}NodeUnsched {2}NodeName {2}Taint {2}Fit {2}VolLimits {2}VolBinding\n {2}worker-1 {2}infeasible {2}✓ +✓ +✓ +✓ +✓ +✗\*\n/);
  t.match(r.out, /\n {2}✗\* VolumeBinding on worker-1: node\(s\) didn't find available persistent volumes to bind\n {5}\(UnschedulableAndUnresolvable\)\n/);
  t.ok(widest(r.out) <= 100, `fits 100 columns (widest ${widest(r.out)})`);
});

t.test('a seeded tie-break is named as such', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-explain-'));
  const file = join(dir, 'tie.yaml');
  writeFileSync(
    file,
    `name: tie
seed: 5
until: 1m
cluster:
  nodes:
    - name: n-{1..3}
      capacity: {cpu: "4", memory: 16Gi}
  objects:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
`,
  );
  const r = await run(['explain', file, '--pod', 'p']);
  t.equal(r.code, EXIT_OK, r.err);
  const chosen = /\nDecision {2}(n-\d) with total 474\n/.exec(r.out)?.[1];
  t.ok(chosen, 'decision line');
  const others = ['n-1', 'n-2', 'n-3'].filter((n) => n !== chosen);
  t.match(r.out, new RegExp(`\\n  ${others.join(', ')}: tied with ${chosen} at the top score 474; lost the seeded tie-break\\n`));
  t.match(r.out, /\(kubedrill draws ties from the scenario seed, here 5, in stream scheduler\/select-host, where\n {4}upstream draws at random: another seed may pick another of the 3\)/);
  t.match(r.out, /\nOutcome: bound to (n-\d)\n/);
  t.equal(/\nOutcome: bound to (n-\d)\n/.exec(r.out)?.[1], chosen);
});

t.test('--json is the explanation as data', async (t) => {
  const r = await run(['explain', PENDING, '--pod', 'big', '--json']);
  t.equal(r.code, EXIT_OK);
  const parsed = JSON.parse(r.out);
  t.same(parsed, explainPod(loadFile(PENDING).scenarios[0]!, { pod: 'big' }));
  t.equal(parsed.outcome.kind, 'unschedulable');
  t.equal(r.out, JSON.stringify(parsed, null, 2) + '\n');
  t.notMatch(r.out, /\x1b\[/);
});

t.test('--seed overrides the scenario seed', async (t) => {
  const r = await run(['explain', PREEMPTION, '--pod', 'payments', '--seed', '11', '--json']);
  t.equal(r.code, EXIT_OK);
  t.equal(JSON.parse(r.out).seed, 11);
});

t.test('colours follow NO_COLOR / FORCE_COLOR', async (t) => {
  t.match((await run(['explain', PENDING, '--pod', 'big'], { FORCE_COLOR: '1' })).out, /\x1b\[31m/);
  t.notMatch((await run(['explain', PENDING, '--pod', 'big'], {})).out, /\x1b\[/);
});

t.test('usage and input errors exit 2 with a clear message and no stack trace', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['explain', PENDING], /explain needs --pod/],
    [['explain', '--pod', 'big'], /explain takes exactly one scenario file, got 0/],
    [['explain', PENDING, TAINTS, '--pod', 'big'], /explain takes exactly one scenario file, got 2/],
    [['explain', PENDING, '--pod', 'a/b/c'], /--pod must be <namespace>\/<name> or <name>, got "a\/b\/c"/],
    [['explain', PENDING, '--pod', 'big', '--at', 'soon'], /--at: invalid duration "soon"/],
    [['explain', PENDING, '--pod', 'big', '--attempt', '0'], /--attempt counts from 1/],
    [['explain', PENDING, '--pod', 'big', '--attempt', 'x'], /--attempt must be a non-negative integer/],
    [['explain', PENDING, '--pod', 'big', '--bogus'], /Unknown option '--bogus'/],
    [['explain', PENDING, '--pod', 'ghost'], /^kubedrill: pod default\/ghost was never attempted by the scheduler in scenario "pending-insufficient-cpu" \(run until 5m0s\); pods attempted: default\/big\n$/],
    [['explain', PENDING, '--pod', 'big', '--at', '4m'], /^kubedrill: pod default\/big has no scheduling attempt at or after 4m0s; its \d+ attempt\(s\) were at 0s, /],
    [['explain', join(root, 'scenarios/missing.yaml'), '--pod', 'big'], /missing\.yaml/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    t.equal(r.code, EXIT_INVALID, argv.join(' '));
    t.match(r.err, message, argv.join(' '));
    t.notMatch(r.err, /\n\s+at /, 'no stack trace');
    t.equal(r.out, '');
  }
  t.match((await run(['explain', PENDING])).err, /Usage:[^]*kubedrill explain <scenario-file> --pod/);

  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-explain-'));
  const malformed = join(dir, 'malformed.yaml');
  writeFileSync(malformed, 'name: typo\nuntil: 1m\nclustr: {}\n');
  const bad = await run(['explain', malformed, '--pod', 'p']);
  t.equal(bad.code, EXIT_INVALID);
  t.match(bad.err, /malformed\.yaml:3:1: unknown field "clustr"/);

  const two = join(dir, 'two.yaml');
  const doc = (name: string) => `name: ${name}\nuntil: 1m\ncluster:\n  nodes: [{name: n-1, capacity: {cpu: "2", memory: 4Gi}}]\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox}]}}\n`;
  writeFileSync(two, doc('first') + '---\n' + doc('second'));
  const ambiguous = await run(['explain', two, '--pod', 'p']);
  t.equal(ambiguous.code, EXIT_INVALID);
  t.match(ambiguous.err, /holds 2 scenarios \(first, second\); pick one with --scenario NAME/);
  const picked = await run(['explain', two, '--pod', 'p', '--scenario', 'second']);
  t.equal(picked.code, EXIT_OK, picked.err);
  t.match(picked.out, /\(scenario second, seed 0\)/);
  t.match(picked.out, /\nOutcome: bound to n-1\n/);
  t.match((await run(['explain', two, '--pod', 'p', '--scenario', 'third'])).err, /has no scenario named "third" \(it has: first, second\)/);
});

t.test('a scenario whose policy loads plugin modules: their plugins are explained with the rest', async (t) => {
  const file = join(root, 'scenarios/custom-policy-gpu-bin-packing.yaml');
  const r = await run(['explain', file, '--scenario', 'custom-policy-gpu-bin-packing', '--pod', 'train']);
  t.equal(r.code, EXIT_OK, r.err);
  t.match(r.out, /Outcome: bound to gpu-1/);
  t.match(r.out, /GpuDedicate…=GpuDedicatedNodes/, 'the custom filter has its column');
  t.match(r.out, /✗\* NodeResourcesFit on cpu-2: Insufficient nvidia\.com\/gpu \(UnschedulableAndUnresolvable\)/);
  const json = JSON.parse((await run(['explain', file, '--scenario', 'custom-policy-gpu-bin-packing', '--pod', 'train', '--json'])).out);
  t.same(json.filterPlugins.includes('GpuDedicatedNodes'), true, JSON.stringify(Object.keys(json)));
});
