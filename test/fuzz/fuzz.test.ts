// The fuzzer against deliberately broken policies (test/fuzz/broken-policies/): each is caught
// from a fixed seed within 500 runs, shrunk to a small case, written out as a scenario that loads,
// fails with the same invariant and passes under the default profile. The default profile keeps
// every invariant over 1,000 random runs; the same seed gives the same report; a replay reruns
// exactly the shrunk case.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { SchedulerSetup } from '../../src/cluster/cluster.js';
import { FAULT_FAMILIES, caseSize, fuzzCaseArbitrary } from '../../src/fuzz/arbitraries.js';
import { type FuzzOptions, type FuzzReport, DEFAULT_SCHEDULER, failureOf, runFuzz } from '../../src/fuzz/fuzz.js';
import { caseToScenario, emitScenarioYaml, loadScenarioText } from '../../src/fuzz/scenario.js';
import { loadFile, loadText } from '../../src/scenario/load.js';
import { formatLoadError } from '../../src/scenario/types.js';
import { loadPolicyFile, resolvePolicy } from '../../src/scenario/policy.js';
import { runScenario } from '../../src/scenario/run.js';
import { writeNewFile } from '../../src/cli/main.js';

// The whole file replays a few thousand small simulations: about 30s alone on a 2-core machine.
t.setTimeout(180_000);

const SEED = 20261128;
const POLICY_DIR = new URL('./broken-policies/', import.meta.url).pathname;

/** A KubeSchedulerConfiguration of broken-policies/, loaded as `--policy FILE` loads it (its
 *  pluginModules included). */
async function brokenPolicy(name: string): Promise<SchedulerSetup> {
  const r = await loadPolicyFile(join(POLICY_DIR, `${name}.yaml`));
  if (!r.ok) throw new Error(r.errors.map(formatLoadError).join('\n'));
  return r.setup;
}

const outDir = mkdtempSync(join(tmpdir(), 'kubedrill-fuzz-'));
t.teardown(() => rmSync(outDir, { recursive: true, force: true }));

function fuzz(overrides: Partial<FuzzOptions> & Pick<FuzzOptions, 'scheduler'>): FuzzReport {
  return runFuzz({ runs: 500, seed: SEED, size: 'small', outDir, now: () => performance.now(), writeFile: writeNewFile, ...overrides });
}

const CASES: Array<{ policy: string; invariant: string; invariants?: string[] }> = [
  { policy: 'ignore-taints', invariant: 'no-bind-to-failing-node' },
  { policy: 'ignore-node-selector', invariant: 'no-bind-to-failing-node' },
  // With VolumeBinding's Filter off, its Reserve finds no volumes for the node and PreBind binds
  // none (volume_binding.go): a pod with an unbound WaitForFirstConsumer claim is bound and never
  // starts, which workloads-reach-replicas catches first. The run is about the topology check.
  { policy: 'ignore-volume-topology', invariant: 'no-bind-to-failing-node', invariants: ['no-bind-to-failing-node'] },
  { policy: 'ignore-host-ports', invariant: 'no-bind-to-failing-node' },
  { policy: 'ignore-topology-spread', invariant: 'topology-spread-respected' },
  { policy: 'ignore-inter-pod-affinity', invariant: 'pod-affinity-respected' },
  { policy: 'cpu-only-fit', invariant: 'no-node-over-allocatable' },
  // Binding elsewhere than the cycle chose also skews the scheduler's cache; the fuzz run is about
  // the binder's missing nil check, so it watches that one invariant.
  { policy: 'sticky-binder', invariant: 'no-double-binding', invariants: ['no-double-binding'] },
  { policy: 'eager-preemption', invariant: 'preemption-only-lower-priority' },
  { policy: 'sticky-cordon', invariant: 'pending-pods-bound' },
];

for (const c of CASES) {
  t.test(`${c.policy}: caught, shrunk, written, reproduced`, async (t) => {
    const scheduler = await brokenPolicy(c.policy);
    const policyPath = join(POLICY_DIR, `${c.policy}.yaml`);
    const report = fuzz({ scheduler, policyPath, baseline: DEFAULT_SCHEDULER, ...(c.invariants ? { invariants: c.invariants } : {}) });
    if (report.outcome !== 'failed') return t.fail(`not caught: ${JSON.stringify(report)}`);
    t.equal(report.invariant, c.invariant, 'the invariant the policy breaks');
    t.ok(report.runsDone <= 500, `caught at run ${report.runsDone}`);
    t.ok(report.caseSize.nodes <= 3, `shrunk to ${report.caseSize.nodes} node(s)`);
    t.ok(report.caseSize.pods <= 5, `shrunk to ${report.caseSize.pods} pod(s)`);
    t.match(report.path, /^\d+(:\d+)*$/, 'a fast-check path');
    t.same(report.verification, { loads: true, errors: [], reproduces: true, passesUnderDefault: true });

    // The file on disk, as `kubedrill run` would load it.
    t.ok(report.file && existsSync(report.file), 'written to the output folder');
    t.match(report.file!, new RegExp(`/fuzz-${c.invariant}-${SEED}(-\\d+)?\\.yaml$`), 'named after the invariant and the seed');
    const text = readFileSync(report.file!, 'utf8');
    t.match(text, /^# yaml-language-server: \$schema=\S*schemas\/scenario\.schema\.json\n/, 'modeline first');
    t.match(text, new RegExp(`invariants: \\[${c.invariant}\\]`), 'checks the broken invariant');
    const loaded = loadFile(report.file!);
    t.same(loaded.errors, [], 'loads with no errors');
    const scenario = loaded.scenarios[0]!;
    t.equal(scenario.cluster.scheduler.kind, 'config', 'names the policy file');
    // The file alone: its scheduler resolved as `kubedrill run` resolves it, plugin modules and all.
    const fromFile = await resolvePolicy(scenario.cluster.scheduler);
    if (!fromFile.ok) return t.fail(fromFile.errors.map(formatLoadError).join('\n'));
    t.equal(failureOf(runScenario(scenario, { scheduler: fromFile.setup }))?.invariant, c.invariant, 'fails with the same invariant');
    t.equal(failureOf(runScenario(scenario, { scheduler: DEFAULT_SCHEDULER })), undefined, 'passes under the default profile');
  });
}

// The attach/detach controller's Multi-Attach rule switched off through its test-only option (the
// production controller and the command line never set it): the fuzzer must draw a ReadWriteOnce
// volume wanted on two nodes — a Deployment's replicas sharing its claim on two nodes, or a
// replacement pod on another node while the volume is still attached where the old pod ran (seed
// 20261128 finds the latter: node-1 removed, its volume attached there until the 6m unmount wait
// runs out) — for rwo-volume-single-node to see it.
t.test('rwo-volume-single-node: an attach/detach controller without its Multi-Attach rule is caught', async (t) => {
  const attachDetach = { multiAttachCheck: false };
  const report = fuzz({ scheduler: DEFAULT_SCHEDULER, invariants: ['rwo-volume-single-node'], attachDetach, outDir: undefined });
  if (report.outcome !== 'failed') return t.fail(`not caught: ${JSON.stringify(report)}`);
  t.equal(report.invariant, 'rwo-volume-single-node');
  t.ok(report.runsDone <= 500, `caught at run ${report.runsDone}`);
  t.ok(report.caseSize.nodes <= 3, `shrunk to ${report.caseSize.nodes} node(s)`);
  t.ok(report.caseSize.pods <= 5, `shrunk to ${report.caseSize.pods} pod(s)`);
  t.ok(report.case.volumes.some((v) => v.accessMode === 'ReadWriteOnce' && v.source === 'csi'), 'a ReadWriteOnce CSI volume');
  t.same(report.verification, { loads: true, errors: [], reproduces: true, passesUnderDefault: false }, 'the bug is the controller\'s: every policy fails');
  t.match(report.yaml, /^invariants: \[rwo-volume-single-node\]$/m);
  const scenario = loadScenarioText(report.yaml, 'fuzz-rwo.yaml');
  t.equal(failureOf(runScenario(scenario, { scheduler: DEFAULT_SCHEDULER, attachDetach }))?.invariant, 'rwo-volume-single-node', 'the file fails with the broken controller');
  t.equal(failureOf(runScenario(scenario, { scheduler: DEFAULT_SCHEDULER })), undefined, 'and passes with the real one');
});

t.test('the default profile keeps every invariant over 1,000 random runs', async (t) => {
  const report = runFuzz({ scheduler: DEFAULT_SCHEDULER, runs: 1000, seed: SEED, size: 'small', now: () => performance.now(), writeFile: () => false });
  if (report.outcome === 'failed') t.fail(`${report.invariant}: ${report.failure.message}\n${report.yaml}`);
  t.equal(report.outcome, 'passed');
  t.equal(report.runsDone, 1000);
});

// The first thing this fuzzer found, fuzzing the default profile: after healNode the kubelet did
// not post Ready=True again for the pods the node lifecycle controller had marked not ready, so
// the Deployment stayed at 0 ready replicas (workloads-reach-replicas). Kept as its regression test.
t.test('a healed partition leaves the Deployment ready', async (t) => {
  const yaml = `
name: healed-partition
until: 5m
settle: 6m
cluster:
  nodes: [{name: node-1, capacity: {cpu: "4", memory: 8Gi}}]
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
events:
  - {at: 1s, partitionNode: node-1}
  - {at: 5m, healNode: node-1}
`;
  const [scenario] = loadText(yaml, 'healed-partition.yaml').scenarios;
  t.equal(failureOf(runScenario(scenario!))?.message, undefined);
});

// Found by fuzzing the default profile with volumes: a partition that began in the very instant
// the volume was attached (the kubelet, cut off, never saw the attachment) left the pod in
// ContainerCreating after the heal, for ever (workloads-reach-replicas). Upstream's volume manager
// polls; kubedrill's kubelet now checks its waiting pods again when it comes back.
t.test('a partition during the attach leaves the pod running once healed', async (t) => {
  const yaml = `
name: healed-partition-volume
until: 5m
settle: 6m
cluster:
  nodes: [{name: node-1, capacity: {cpu: "4", memory: 8Gi}}]
  objects:
    - apiVersion: v1
      kind: PersistentVolume
      metadata: {name: pv-1}
      spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], csi: {driver: ebs.csi.aws.com, volumeHandle: vol-1}}
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data-web}
      spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 1Gi}}}
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
            volumes: [{name: data, persistentVolumeClaim: {claimName: data-web}}]
events:
  - {at: 1s, partitionNode: node-1}
  - {at: 5m, healNode: node-1}
`;
  const [scenario] = loadText(yaml, 'healed-partition-volume.yaml').scenarios;
  t.equal(failureOf(runScenario(scenario!))?.message, undefined);
});

t.test('same seed, same report; a second report is written beside the first', async (t) => {
  const scheduler = await brokenPolicy('ignore-taints');
  const policyPath = join(POLICY_DIR, 'ignore-taints.yaml');
  const seed = 7;
  const a = fuzz({ scheduler, policyPath, seed });
  const b = fuzz({ scheduler, policyPath, seed });
  if (a.outcome !== 'failed' || b.outcome !== 'failed') return t.fail('not caught');
  const stable = (r: typeof a) => ({ ...r, wallMs: 0, file: undefined, yaml: r.yaml.replace(/^name: .*$/m, '') });
  t.same(stable(b), stable(a), 'the same case, path, failure and shrink steps');
  t.equal(a.file, join(outDir, `fuzz-no-bind-to-failing-node-${seed}.yaml`));
  t.equal(b.file, join(outDir, `fuzz-no-bind-to-failing-node-${seed}-2.yaml`), 'never overwrites');
  t.match(readFileSync(b.file!, 'utf8'), /^name: fuzz-no-bind-to-failing-node-7-2$/m);
});

t.test('a replay {seed, path} reruns exactly the shrunk case', async (t) => {
  const scheduler = await brokenPolicy('cpu-only-fit');
  const first = fuzz({ scheduler, seed: 3 });
  if (first.outcome !== 'failed') return t.fail('not caught');
  const replay = runFuzz({ scheduler, runs: 500, seed: 999, size: 'small', replay: { seed: 3, path: first.path }, now: () => 0, writeFile: () => true });
  if (replay.outcome !== 'failed') return t.fail('the replayed case passed');
  t.equal(replay.runsDone, 1, 'one run');
  t.equal(replay.shrinkSteps, 0, 'no shrinking');
  t.same(replay.case, first.case);
  t.same(replay.failure, first.failure);
  const passing = runFuzz({ scheduler: DEFAULT_SCHEDULER, runs: 500, seed: 999, size: 'small', replay: { seed: 3, path: first.path }, now: () => 0, writeFile: () => true });
  t.same({ outcome: passing.outcome, runsDone: passing.runsDone }, { outcome: 'passed', runsDone: 1 }, 'under the default profile the same case passes, in one run');
});

t.test('bad options are reported, not thrown', async (t) => {
  const base = { scheduler: DEFAULT_SCHEDULER, runs: 10, seed: 1, size: 'small' as const, now: () => 0, writeFile: () => true };
  const message = (r: FuzzReport) => (r.outcome === 'error' ? r.message : '');
  t.match(message(runFuzz({ ...base, invariants: ['no-such-rule'] })), /unknown invariant\(s\) no-such-rule/);
  t.match(message(runFuzz({ ...base, replay: { seed: 1, path: 'x' } })), /invalid replay path/);
  t.match(message(runFuzz({ ...base, size: 'huge' as 'small' })), /unknown size "huge"/);
  t.match(message(runFuzz({ ...base, faults: ['meteorStrike' as 'cordon'] })), /unknown fault kind\(s\) meteorStrike/);
  t.match(message(runFuzz({ ...base, scheduler: { profiles: [{ plugins: { filter: { enabled: [{ name: 'NoSuchPlugin' }] } } }], percentageOfNodesToScore: 0 } })), /does not load: .*NoSuchPlugin/);
});

t.test('every generated case loads, and its emitted YAML is the same scenario', async (t) => {
  const cases = fc.sample(fuzzCaseArbitrary('small'), { seed: SEED, numRuns: 150 });
  let checked = 0;
  for (const c of cases) {
    const fromJson = caseToScenario(c, { name: 'x' }, 'x.yaml');
    const fromYaml = loadScenarioText(emitScenarioYaml(c, { name: 'x', schemaPath: '../schemas/scenario.schema.json' }), 'x.yaml');
    const strip = (s: typeof fromJson) => JSON.parse(JSON.stringify({ ...s, loc: undefined, events: s.events.map((e) => ({ ...e, loc: undefined })), cluster: { ...s.cluster, nodes: s.cluster.nodes.map((n) => n.value), objects: s.cluster.objects.map((o) => o.value) } }));
    if (!t.same(strip(fromYaml), strip(fromJson), 'YAML and JSON forms agree')) break;
    const size = caseSize(c);
    if (size.nodes > 5 + 8 || size.pods > 10 || c.nodes.length > 5) t.fail(`size bounds: ${JSON.stringify(size)}`);
    checked++;
  }
  t.equal(checked, cases.length);
  const withVolumes = cases.filter((c) => c.claims.length > 0);
  t.ok(withVolumes.length > 30 && withVolumes.length < cases.length - 30, `${withVolumes.length} of ${cases.length} cases have volumes`);
  const modes = new Set(withVolumes.flatMap((c) => c.volumes.map((v) => `${v.accessMode} ${v.source}${v.nodeAffinity ? ' pinned' : ''}${v.storageClassName ? ' classed' : ''}`)));
  for (const kind of ['ReadWriteOnce csi', 'ReadWriteMany nfs', 'ReadWriteOnce local pinned', 'ReadWriteOnce csi pinned', 'ReadWriteOnce csi classed']) t.ok(modes.has(kind), `some volume is ${kind}`);
});

t.test('generated cases of every size pass the schema, so the runs may skip it: the same scenario either way', async (t) => {
  for (const size of ['small', 'medium', 'large'] as const) {
    let same = 0;
    const cases = fc.sample(fuzzCaseArbitrary(size), { seed: SEED + 1, numRuns: 60 });
    for (const c of cases) {
      const validated = caseToScenario(c, {}, 'x.yaml', true);
      const unvalidated = caseToScenario(c, {}, 'x.yaml', false);
      if (!t.same(unvalidated, validated, `${size}: the same scenario`)) break;
      same++;
    }
    t.equal(same, cases.length, `${size}: ${same} cases`);
  }
});

t.test('a case with volumes: the emitted file names them as a person would, and `kubedrill run` of it replays the case exactly', async (t) => {
  const cases = fc.sample(fuzzCaseArbitrary('small'), { seed: SEED, numRuns: 150 }).filter((c) => c.claims.length > 0 && c.events.length > 0);
  t.ok(cases.length >= 10);
  for (const c of cases.slice(0, 10)) {
    const yaml = emitScenarioYaml(c, { name: 'x' });
    for (const w of c.workloads.filter((w) => w.claim)) {
      if (c.claims.find((k) => k.name === w.claim)?.ephemeral) {
        t.notMatch(yaml, new RegExp(`name: data-${w.name}\\b`), `${w.name}'s pods each get their own claim: no claim data-${w.name}`);
        continue;
      }
      t.match(yaml, new RegExp(`persistentVolumeClaim: \\{claimName: data-${w.name}\\}`), `${w.name} mounts data-${w.name}`);
      t.match(yaml, new RegExp(`kind: PersistentVolumeClaim\\n\\s+metadata: \\{name: data-${w.name}\\}`), `the claim data-${w.name}`);
    }
    t.match(yaml, /kind: PersistentVolume\n\s+metadata: \{name: pv-1\}/, 'volumes pv-1, pv-2, …');
    const fuzzed = runScenario(caseToScenario(c, { name: 'x' }, 'x.yaml'));
    const fromFile = runScenario(loadScenarioText(yaml, 'x.yaml'));
    t.equal(fromFile.digest, fuzzed.digest, 'the same trace');
    t.same(fromFile.failures, fuzzed.failures);
  }
});

t.test('pod features: pod-level requests and generic ephemeral volumes are drawn, and such cases replay', async (t) => {
  const cases = fc.sample(fuzzCaseArbitrary('small'), { seed: SEED, numRuns: 300 });
  const podLevel = cases.filter((c) => c.workloads.some((w) => w.podLevelResources));
  const ephemeral = cases.filter((c) => c.claims.some((k) => k.ephemeral));
  t.ok(podLevel.length > 50 && podLevel.length < 250, `${podLevel.length} of 300 cases have pod-level requests`);
  t.ok(ephemeral.length > 10, `${ephemeral.length} of 300 cases have ephemeral volumes`);
  for (const c of ephemeral) {
    for (const k of c.claims.filter((k) => k.ephemeral)) {
      const w = c.workloads.find((w) => w.claim === k.name)!;
      const pods = w.kind === 'Pod' ? 1 : w.replicas ?? 1;
      const pool = c.volumes.filter((v) => v.capacity === c.volumes[c.claims.indexOf(k)]!.capacity && v.accessMode === k.accessMode && v.storageClassName === k.storageClassName);
      if (pool.length < pods + 1) t.fail(`${w.name}: ${pool.length} volumes for ${pods} pod(s) and a replacement`);
    }
  }
  const both = cases.find((c) => c.claims.some((k) => k.ephemeral && !c.events.length) && c.workloads.some((w) => w.podLevelResources));
  if (both === undefined) return t.fail('no case with both features and no events');
  const yaml = emitScenarioYaml(both, { name: 'x' });
  t.match(yaml, /ephemeral:\s*\{?volumeClaimTemplate:/, 'an ephemeral volume with its claim template');
  t.match(yaml, /\n( +)resources: \{requests: \{cpu: [^}]+\}\}\n\1containers:/, 'requests in the pod spec, beside the containers');
  const seen: string[] = [];
  const r = runScenario(loadScenarioText(yaml, 'x.yaml'), {
    onCluster: (cl) => cl.store.observe((ev, _verb, actor) => ev.type === 'ADDED' && ev.object.kind === 'PersistentVolumeClaim' && actor === 'ephemeral-volume-controller' && seen.push(ev.object.metadata.name)),
  });
  t.same(r.failures, [], 'the default profile keeps every invariant');
  t.ok(seen.length > 0 && seen.every((n) => n.endsWith('-data')), `the ephemeral volume controller created ${seen.join(', ')}`);
});

t.test('dynamic provisioning is drawn per run: class standard provisions through the CSI driver', async (t) => {
  const cases = fc.sample(fuzzCaseArbitrary('small'), { seed: SEED, numRuns: 300 }).filter((c) => c.storageClasses.includes('standard'));
  const dynamic = cases.filter((c) => c.swarm.storage.includes('dynamicProvisioning'));
  t.ok(dynamic.length > 10 && dynamic.length < cases.length - 10, `${dynamic.length} of ${cases.length} cases with class standard provision`);
  t.ok(cases.every((c) => c.swarm.storage.includes('storageClasses') || !c.swarm.storage.includes('dynamicProvisioning')), 'only with storage classes on');
  for (const c of cases.slice(0, 40)) {
    const yaml = emitScenarioYaml(c, { name: 'x' });
    const provisioner = /kind: StorageClass\n\s+metadata: \{name: standard\}\n\s+provisioner: (\S+)/.exec(yaml)?.[1];
    t.equal(provisioner, c.swarm.storage.includes('dynamicProvisioning') ? 'ebs.csi.aws.com' : 'kubernetes.io/no-provisioner');
  }
});

t.test('a case that draws no volumes builds no storage objects', async (t) => {
  const cases = fc.sample(fuzzCaseArbitrary('small'), { seed: SEED, numRuns: 150 });
  const none = cases.filter((c) => c.swarm.volumes === 0);
  t.ok(none.length > 10);
  for (const c of none) {
    if (c.claims.length + c.volumes.length + c.storageClasses.length > 0 || c.workloads.some((w) => w.claim)) t.fail('storage drawn with density 0');
    t.notMatch(emitScenarioYaml(c), /Persistent|StorageClass|volumes:/);
  }
});

t.test('a shrunk case reads like a scenario a person wrote', async (t) => {
  const report = fuzz({ scheduler: await brokenPolicy('sticky-cordon'), policyPath: join(POLICY_DIR, 'sticky-cordon.yaml'), baseline: DEFAULT_SCHEDULER, outDir: undefined });
  if (report.outcome !== 'failed') return t.fail('not caught');
  t.equal(report.file, undefined, 'nothing written without outDir');
  t.match(report.yaml, /^name: fuzz-pending-pods-bound-20261128$/m);
  t.match(report.yaml, /^description: >-?\n {2}At \d/m, 'says what broke first');
  t.match(report.yaml, /^ {2}scheduler: test\/fuzz\/broken-policies\/sticky-cordon\.yaml$/m, 'the policy, relative to the output folder');
  t.match(report.yaml, /^settle: 6m$/m, 'a liveness failure keeps its settle phase');
  t.match(report.yaml, /^events:\n {2}- \{at: \d/m, 'events in flow style, one a line');
  t.match(report.yaml, /^ {4}- \{?name: node-/m, 'node shorthand');
  t.notMatch(report.yaml, /&a\d|\*a\d/, 'no YAML anchors');
});

t.test('swarm testing: each case enables its own subset of fault kinds; `faults` bounds it', async (t) => {
  const cases = fc.sample(fuzzCaseArbitrary('small'), { seed: SEED, numRuns: 200 });
  const subsets = new Set(cases.map((c) => c.swarm.faults.join(',')));
  t.ok(subsets.size > 50, `${subsets.size} different subsets of ${FAULT_FAMILIES.length} fault kinds in 200 cases`);
  t.ok(cases.some((c) => c.swarm.faults.length === 0) && cases.some((c) => c.swarm.faults.length >= FAULT_FAMILIES.length - 1), 'from none to (nearly) all');
  t.same([...new Set(cases.map((c) => c.swarm.volumes))].sort(), [0, 1, 2, 3], 'volume density drawn per run, from none to every workload');
  t.ok(new Set(cases.map((c) => c.swarm.storage.join(','))).size >= 10, 'storage features drawn per run');
  const cordonOnly = fc.sample(fuzzCaseArbitrary('small', { faults: ['cordon'] }), { seed: SEED, numRuns: 200 });
  const types = new Set(cordonOnly.flatMap((c) => c.events.map((e) => e.action.type)));
  t.same([...types].sort(), ['cordon', 'create', 'uncordon'], 'only cordons (and late workloads)');
});
