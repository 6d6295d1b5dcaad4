// Scheduler policies: KubeSchedulerConfiguration files and inline configurations with custom
// plugin modules (pluginModules), `--policy FILE` with a module alone, and the located errors.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile, loadSchedulerConfig, loadText } from '../../src/scenario/load.js';
import { PolicyError, adaptPlugin, loadPolicyFile, resolvePolicy, resolvePolicySync, schedulerSetup, toStatus } from '../../src/scenario/policy.js';
import { runScenario } from '../../src/scenario/run.js';
import { type LoadError, type SchedulerSpec, formatLoadError } from '../../src/scenario/types.js';
import { Code, Status } from '../../src/scheduler/framework/status.js';
import { type AnyPlugin, CycleState, PodInfo } from '../../src/scheduler/framework/types.js';
import { newNodeResourcesFit } from '../../src/scheduler/plugins/node_resources_fit.js';
import { fakeHandle, makeNode, makePod, nodeInfo, podWithRequests } from '../scheduler/fixtures.js';

const examples = new URL('../../examples/policies/', import.meta.url).pathname;
const API = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';

function ok(r: Awaited<ReturnType<typeof resolvePolicy>>): Extract<typeof r, { ok: true }>['setup'] {
  if (!r.ok) throw new Error(r.errors.map(formatLoadError).join('\n'));
  return r.setup;
}

function errors(r: Awaited<ReturnType<typeof resolvePolicy>>): string[] {
  return r.ok ? [] : r.errors.map(formatLoadError);
}

/** A scenario file `dir/name` whose cluster.scheduler is `scheduler` (YAML, indented under it),
 *  written to disk unless `onDisk` is false. */
function scenarioSpec(dir: string, name: string, scheduler: string, onDisk = true): SchedulerSpec {
  const file = join(dir, name);
  const text = `name: s\ncluster:\n  scheduler:\n${scheduler.replace(/^/gm, '    ')}\n`;
  if (onDisk) writeFileSync(file, text);
  const loaded = onDisk ? loadFile(file) : loadText(text, file);
  if (loaded.errors.length) throw new Error(loaded.errors.map(formatLoadError).join('\n'));
  return loaded.scenarios[0]!.cluster.scheduler;
}

const plugin = (factory: AnyPlugin | undefined): AnyPlugin => {
  if (!factory) throw new Error('no plugin');
  return factory;
};

t.test('examples/policies/bin-packing.yaml loads both example modules', async (t) => {
  const setup = ok(await loadPolicyFile(join(examples, 'bin-packing.yaml')));
  t.same([...(setup.plugins?.keys() ?? [])], ['BinPacking', 'GpuDedicatedNodes']);
  t.same(setup.profiles, [
    {
      schedulerName: 'default-scheduler',
      plugins: {
        multiPoint: { enabled: [{ name: 'BinPacking', weight: 2 }, { name: 'GpuDedicatedNodes' }] },
        score: { disabled: [{ name: 'NodeResourcesFit' }, { name: 'NodeResourcesBalancedAllocation' }, { name: 'PodTopologySpread' }] },
      },
    },
  ]);
  t.equal(setup.percentageOfNodesToScore, 0);
  t.notOk('podInitialBackoffSeconds' in setup, 'backoffs only when the configuration sets them');
});

t.test('BinPacking scores as NodeResourcesFit MostAllocated does', async (t) => {
  const setup = ok(await loadPolicyFile(join(examples, 'bin-packing.mjs')));
  t.same(setup.profiles, [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { enabled: [{ name: 'BinPacking' }] } } }], 'a module alone: the default profile plus its plugins in multiPoint');
  const nodes = [
    nodeInfo(makeNode('empty', { cpu: '4', memory: '8Gi', pods: '110' })),
    nodeInfo(makeNode('half', { cpu: '4', memory: '8Gi', pods: '110' }), podWithRequests('a', { cpu: '2', memory: '1Gi' })),
    nodeInfo(makeNode('full', { cpu: '4', memory: '8Gi', pods: '110' }), podWithRequests('b', { cpu: '3500m', memory: '7Gi' })),
    nodeInfo(makeNode('odd', { cpu: '3', memory: '5Gi', pods: '110' }), podWithRequests('c', { cpu: '700m', memory: '333Mi' }), makePod('d')),
  ];
  const handle = fakeHandle(nodes);
  const binPacking = setup.plugins!.get('BinPacking')!(undefined, handle);
  const mostAllocated = newNodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } }, handle);
  for (const pod of [podWithRequests('p', { cpu: '1', memory: '2Gi' }), makePod('besteffort'), podWithRequests('big', { cpu: '5', memory: '1Gi' })]) {
    for (const node of nodes) {
      const want = plugin(mostAllocated).score!(new CycleState(), PodInfo.of(pod), node);
      t.equal(plugin(binPacking).score!(new CycleState(), PodInfo.of(pod), node), want, `${pod.metadata.name} on ${node.name}: ${String(want)}`);
    }
  }
});

t.test('GpuDedicatedNodes (TypeScript) filters with a plain {code, reasons} status', async (t) => {
  const setup = ok(await loadPolicyFile(join(examples, 'gpu-dedicated.ts')));
  const gpuNode = nodeInfo(makeNode('gpu', { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '4' }, { labels: { gpu: 'true' } }));
  const plain = nodeInfo(makeNode('plain', { cpu: '8', memory: '32Gi' }));
  const p = setup.plugins!.get('GpuDedicatedNodes')!(undefined, fakeHandle([gpuNode, plain]));
  const cpuPod = PodInfo.of(podWithRequests('cpu', { cpu: '1' }));
  const gpuPod = PodInfo.of(podWithRequests('gpu', { cpu: '1', 'nvidia.com/gpu': '1' }));
  const s = p.filter!(new CycleState(), cpuPod, gpuNode);
  t.ok(s instanceof Status, 'adapted to a Status');
  t.equal(s?.code, Code.UnschedulableAndUnresolvable);
  t.equal(s?.withPlugin('GpuDedicatedNodes').message(), 'node(s) are dedicated to GPU workloads');
  t.equal(p.filter!(new CycleState(), gpuPod, gpuNode), null);
  t.equal(p.filter!(new CycleState(), cpuPod, plain), null);
  t.same(p.eventsToRegister!(), [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }]);
});

t.test('a scenario under the bin-packing policy packs pods and keeps them off the GPU node', async (t) => {
  const dir = t.testdir({
    'packing.yaml': `name: packing
until: 2m
cluster:
  scheduler: ${join(examples, 'bin-packing.yaml')}
  nodes:
    - {name: node-1, capacity: {cpu: "8", memory: 32Gi}}
    - {name: node-2, capacity: {cpu: "8", memory: 32Gi}}
    - {name: gpu-1, capacity: {cpu: "8", memory: 32Gi, nvidia.com/gpu: "4"}, labels: {gpu: "true"}}
  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: pinned}
      spec: {nodeName: node-1, containers: [{name: c, image: busybox, resources: {requests: {cpu: "1", memory: 1Gi}}}]}
    - apiVersion: v1
      kind: Pod
      metadata: {name: trainer}
      spec: {nodeName: gpu-1, containers: [{name: c, image: trainer, resources: {requests: {cpu: "6", memory: 8Gi, nvidia.com/gpu: "4"}, limits: {nvidia.com/gpu: "4"}}}]}
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: jobs}
      spec:
        replicas: 4
        selector: {matchLabels: {app: jobs}}
        template:
          metadata: {labels: {app: jobs}}
          spec:
            containers: [{name: c, image: busybox, resources: {requests: {cpu: "1", memory: 1Gi}}}]
expect:
  - at: 1m
    pods: {labels: {app: jobs}, phase: Running, on: [node-1], count: 4}
`,
  });
  const loaded = loadFile(join(dir, 'packing.yaml'));
  t.same(loaded.errors, []);
  const scenario = loaded.scenarios[0]!;
  const setup = ok(await resolvePolicy(scenario.cluster.scheduler));
  const r = runScenario(scenario, { scheduler: setup });
  t.same(r.failures, [], 'all four on node-1: the most requested node that is not dedicated to GPUs');
  t.ok(r.passed);
  t.equal(runScenario(scenario, { scheduler: ok(await resolvePolicy(scenario.cluster.scheduler)) }).digest, r.digest, 'same digest when loaded again');
});

t.test('examples/policies/most-allocated.yaml needs no module: the synchronous path', async (t) => {
  const { spec, errors: loadErrors } = loadSchedulerConfig(join(examples, 'most-allocated.yaml'));
  t.same(loadErrors, []);
  const setup = schedulerSetup(spec);
  t.same(setup.profiles[0]!.pluginConfig, [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } }]);
  t.same(ok(await resolvePolicy(spec)), setup, 'resolvePolicy agrees');
  t.same(schedulerSetup({ kind: 'default' }), { profiles: [], percentageOfNodesToScore: 0 });
  const withModules = loadSchedulerConfig(join(examples, 'bin-packing.yaml')).spec;
  t.throws(() => schedulerSetup(withModules), /bin-packing\.yaml:\d+:\d+: the scheduler configuration lists pluginModules, which load asynchronously: resolve it with resolvePolicy\(\)/);
});

t.test('a missing module, located at its entry', async (t) => {
  const dir = t.testdir({});
  const spec = scenarioSpec(dir, 's.yaml', `${API}pluginModules:\n  - ./plugins/nope.mjs\n`);
  t.same(errors(await resolvePolicy(spec)), [
    `${join(dir, 's.yaml')}:7:9: plugin module "./plugins/nope.mjs" not found (looked for ${join(dir, 'plugins/nope.mjs')}) (at cluster.scheduler.pluginModules[0])`,
  ]);
});

t.test('a module without `plugins`, one that throws, one that does not compile, a factory that is not a function', async (t) => {
  const dir = t.testdir({
    'empty.mjs': 'export const filter = () => null;\n',
    'boom.mjs': "throw new Error('boom');\n",
    'broken.ts': 'export const plugins = {\n  X: () => ({ name: "X", filter( }),\n};\n',
    'notfn.mjs': 'export const plugins = { X: { name: "X" } };\n',
    'ok.mjs': 'export default { Y: () => ({ score: () => 1 }) };\n',
    'intree.mjs': 'export const plugins = { NodeResourcesFit: () => ({}) };\n',
    'script.py': '',
  });
  const spec = scenarioSpec(dir, 's.yaml', `${API}pluginModules: [empty.mjs, boom.mjs, broken.ts, notfn.mjs, ok.mjs, intree.mjs, script.py]\n`);
  const file = join(dir, 's.yaml');
  t.same(errors(await resolvePolicy(spec)), [
    `${file}:6:21: plugin module "empty.mjs" must export "plugins": an object mapping plugin names to factory functions (args, handle) => plugin (at cluster.scheduler.pluginModules[0])`,
    `${file}:6:32: plugin module "boom.mjs" failed to load: Error: boom (at cluster.scheduler.pluginModules[1])`,
    `${file}:6:42: plugin module "broken.ts" does not compile: ${join(dir, 'broken.ts')}:2:34: Parameter declaration expected. (at cluster.scheduler.pluginModules[2])`,
    `${file}:6:53: plugin module "notfn.mjs": plugins.X must be a factory function (args, handle) => plugin, got an object (at cluster.scheduler.pluginModules[3])`,
    `${file}:6:84: plugin module "script.py": unsupported file type ".py"; use .js, .mjs, .cjs, .ts or .mts (at cluster.scheduler.pluginModules[6])`,
    `${file}:6:72: plugin module "intree.mjs": plugin "NodeResourcesFit" is an in-tree plugin; give the custom plugin another name (at cluster.scheduler.pluginModules[5])`,
  ]);
});

t.test('a TypeScript module may import local files, packages and builtins', async (t) => {
  const dir = t.testdir({
    lib: { 'score.mjs': 'export const fixed = 37;\n' },
    'p.ts': `import { fixed } from './lib/score.mjs';
import { basename } from 'node:path';
import { stringify } from 'yaml';
const label: string = basename('/x/' + stringify({ a: 1 }).trim());
export const plugins = { Fixed: () => ({ name: label, score: (): number => fixed }) };
`,
  });
  const setup = ok(await loadPolicyFile(join(dir, 'p.ts')));
  const p = setup.plugins!.get('Fixed')!(undefined, fakeHandle([]));
  t.equal(p.name, 'Fixed');
  t.equal(p.score!(new CycleState(), PodInfo.of(makePod('a')), nodeInfo(makeNode('n'))), 37);
});

t.test('a default export is accepted; a name defined by two modules is refused', async (t) => {
  const dir = t.testdir({
    'a.mjs': 'export default { Y: () => ({ score: () => 1 }) };\n',
    'b.mjs': 'export default { plugins: { Y: () => ({}) }, weights: { Y: 3 } };\n',
  });
  t.ok(ok(await resolvePolicy(scenarioSpec(dir, 's.yaml', `${API}pluginModules: [a.mjs]\nprofiles: [{plugins: {multiPoint: {enabled: [{name: Y}]}}}]\n`))).plugins?.has('Y'));
  t.same(errors(await resolvePolicy(scenarioSpec(dir, 's.yaml', `${API}pluginModules: [a.mjs, b.mjs]\n`))), [
    `${join(dir, 's.yaml')}:6:28: plugin module "b.mjs": plugin "Y" is already defined by plugin module "a.mjs" (at cluster.scheduler.pluginModules[1])`,
  ]);
});

t.test('an unknown plugin in a profile: the exact field, with a suggestion', async (t) => {
  const spec = scenarioSpec(
    examples,
    'not-a-file.yaml',
    `${API}pluginModules: [bin-packing.mjs]\nprofiles:\n  - plugins:\n      score:\n        enabled:\n          - name: BinPackin\n            weight: 3\n      multiPoint:\n        enabled: [{name: DynamicResources}]\n`,
    false,
  );
  // The scenario file does not exist on disk: errors sit at cluster.scheduler, with the full path.
  const file = join(examples, 'not-a-file.yaml');
  t.same(errors(await resolvePolicy(spec)), [
    `${file}:3:3: ScorePlugin "BinPackin" does not exist (did you mean "BinPacking"?) (at cluster.scheduler.profiles[0].plugins.score.enabled[0].name)`,
    `${file}:3:3: plugin "DynamicResources" does not exist (an in-tree plugin kubedrill does not model) (at cluster.scheduler.profiles[0].plugins.multiPoint.enabled[0].name)`,
  ]);
  const dir = t.testdir({ 'p.mjs': 'export const plugins = { BinPacking: () => ({ score: () => 0 }) };\n' });
  const onDisk = scenarioSpec(dir, 's.yaml', `${API}pluginModules: [p.mjs]\nprofiles:\n  - plugins:\n      score:\n        enabled:\n          - name: BinPackin\n`);
  t.same(errors(await resolvePolicy(onDisk)), [
    `${join(dir, 's.yaml')}:11:23: ScorePlugin "BinPackin" does not exist (did you mean "BinPacking"?) (at cluster.scheduler.profiles[0].plugins.score.enabled[0].name)`,
  ]);
});

t.test('bad NodeResourcesFit args: upstream messages at the field', async (t) => {
  const dir = t.testdir({});
  const spec = scenarioSpec(
    dir,
    's.yaml',
    `${API}profiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args:\n          scoringStrategy:\n            type: Most\n            resources:\n              - {name: cpu, weight: 101}\n            typo: 1\n`,
  );
  const file = join(dir, 's.yaml');
  t.same(errors(await resolvePolicy(spec)), [`${file}:14:17: strict decoding error: unknown field "scoringStrategy.typo" (at cluster.scheduler.profiles[0].pluginConfig[0].args.scoringStrategy.typo)`]);
  const spec2 = scenarioSpec(dir, 's.yaml', `${API}profiles:\n  - pluginConfig:\n      - name: NodeResourcesFit\n        args:\n          scoringStrategy:\n            type: Most\n            resources:\n              - {name: cpu, weight: 101}\n`);
  t.same(errors(await resolvePolicy(spec2)), [
    `${file}:11:23: Unsupported value: "Most": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio" (at cluster.scheduler.profiles[0].pluginConfig[0].args.scoringStrategy.type)`,
    `${file}:13:41: Invalid value: 101: resource weight of cpu not in valid range (0, 100] (at cluster.scheduler.profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight)`,
  ]);
  t.same(resolvePolicySync(spec2), await resolvePolicy(spec2), 'the synchronous path reports the same');
  t.throws(() => schedulerSetup(spec2), PolicyError);
});

t.test('unknown fields and wrong types in a policy file, with did-you-mean', async (t) => {
  const dir = t.testdir({ 'p.yaml': `${API}profile:\n  - schedulerName: a\npercentageOfNodesToScore: "50"\n` });
  const file = join(dir, 'p.yaml');
  t.same(errors(await loadPolicyFile(file)), [
    `${file}:3:1: unknown field "profile" (did you mean "profiles"?) (at profile)`,
    `${file}:5:27: json: cannot unmarshal string into Go struct field KubeSchedulerConfiguration.percentageOfNodesToScore of type int32 (at percentageOfNodesToScore)`,
  ]);
  t.same(errors(await loadPolicyFile(join(dir, 'none.yaml'))), [`${join(dir, 'none.yaml')}:1:1: scheduler configuration "${join(dir, 'none.yaml')}": no such file or directory`]);
  t.match(errors(await loadPolicyFile(join(dir, 'none.mjs'))), [/none\.mjs:1:1: plugin module ".*none\.mjs" not found/]);
});

t.test('--policy with a module alone: weights export', async (t) => {
  const dir = t.testdir({
    'w.mjs': 'export const plugins = { Packer: () => ({ score: () => 7 }) };\nexport const weights = { Packer: 5 };\n',
    'bad.mjs': 'export const plugins = { Packer: () => ({ score: () => 7 }) };\nexport const weights = { Packr: 5, Packer: 1.5 };\n',
  });
  t.same(ok(await loadPolicyFile(join(dir, 'w.mjs'))).profiles[0]!.plugins, { multiPoint: { enabled: [{ name: 'Packer', weight: 5 }] } });
  t.same(errors(await loadPolicyFile(join(dir, 'bad.mjs'))), [
    `${join(dir, 'bad.mjs')}:1:1: plugin module "${join(dir, 'bad.mjs')}": weights names "Packr", which is not one of its plugins (at weights.Packr)`,
    `${join(dir, 'bad.mjs')}:1:1: plugin module "${join(dir, 'bad.mjs')}": the weight of "Packer" must be an integer, got 1.5 (at weights.Packer)`,
  ]);
});

t.test('a factory that throws on its args, a plugin at a point it does not extend', async (t) => {
  const dir = t.testdir({
    'p.mjs': `export const plugins = {
  Strict: (args) => { if (args && args.level > 3) throw new Error('level must be at most 3'); return { filter: () => null }; },
  ScoreOnly: () => ({ score: () => 0 }),
};\n`,
  });
  const spec = scenarioSpec(dir, 's.yaml', `${API}pluginModules: [p.mjs]\nprofiles:\n  - plugins:\n      filter: {enabled: [{name: Strict}, {name: ScoreOnly}]}\n    pluginConfig:\n      - {name: Strict, args: {level: 4}}\n`);
  const file = join(dir, 's.yaml');
  t.same(errors(await resolvePolicy(spec)), [
    `${file}:11:28: initializing plugin "Strict": level must be at most 3 (at cluster.scheduler.profiles[0].pluginConfig[0].args)`,
    `${file}:9:53: plugin "ScoreOnly" does not extend FilterPlugin plugin (at cluster.scheduler.profiles[0].plugins.filter.enabled[1].name)`,
  ]);
});

t.test('the adapter: statuses, exceptions, scores, default events', async (t) => {
  t.equal(toStatus(null, 'filter'), null);
  t.equal(toStatus({ code: 0 }, 'filter'), null);
  t.equal(toStatus({ code: 'Unschedulable', reasons: 'one' }, 'filter')?.toString(), 'Unschedulable: one');
  t.equal(toStatus({ code: 9 }, 'filter')?.toString(), 'Error: filter returned a status with an invalid code 9');
  t.equal(toStatus(true, 'filter')?.toString(), 'Error: filter returned boolean, not a status (null, or {code, reasons})');
  const s = new Status(Code.Unschedulable, 'x');
  t.equal(toStatus(s, 'filter'), s);
  const p = adaptPlugin('P', {
    name: 'ignored',
    filter() {
      throw new TypeError('oops');
    },
    score: (_s: unknown, pod: PodInfo) => (pod.pod.metadata.name === 'half' ? 50.5 : pod.pod.metadata.name === 'err' ? { code: 1, reasons: ['no data'] } : 42),
    preFilter: () => ({ result: { nodeNames: ['a', 'b'] }, status: null }),
  });
  t.equal(p.name, 'P', 'the registered name');
  const state = new CycleState();
  const node = nodeInfo(makeNode('n', { cpu: '1' }));
  t.equal(p.filter!(state, PodInfo.of(makePod('a')), node)?.toString(), 'Error: filter threw TypeError: oops');
  t.equal(p.score!(state, PodInfo.of(makePod('a')), node), 42);
  t.equal(String(p.score!(state, PodInfo.of(makePod('half')), node)), 'Error: score returned 50.5, not an integer (use Math.trunc)');
  t.equal(String(p.score!(state, PodInfo.of(makePod('err')), node)), 'Error: no data');
  t.same([...p.preFilter!(state, PodInfo.of(makePod('a')), [node]).result!.nodeNames!], ['a', 'b']);
  t.same(
    p.eventsToRegister!().map((e) => e.resource),
    ['Pod', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'CSINode', 'StorageClass'],
    'a filter without eventsToRegister is retried on every event',
  );
  t.throws(() => adaptPlugin('Q', 3), /the factory of plugin "Q" returned number, not a plugin object/);
});

t.test('errors are LoadErrors', async (t) => {
  const dir = t.testdir({});
  const r = await resolvePolicy(scenarioSpec(dir, 's.yaml', `${API}podMaxBackoffSeconds: 0\n`));
  t.notOk(r.ok);
  const e = (r as { errors: LoadError[] }).errors[0]!;
  t.same(e, { file: join(dir, 's.yaml'), line: 6, column: 27, path: 'cluster.scheduler.podMaxBackoffSeconds', message: 'Invalid value: 0: must be greater than or equal to PodInitialBackoffSeconds' });
});

t.test("a custom plugin's queueingHintFn reaches the queue unchanged (docs/custom-plugins.md)", async (t) => {
  const seen: unknown[] = [];
  const p = adaptPlugin('Hinted', {
    filter: () => null,
    eventsToRegister: () => [{ resource: 'Node', actions: ['Add'], queueingHintFn: (_pod: unknown, oldObj: unknown, newObj: unknown) => (seen.push([oldObj, newObj]), 'QueueSkip') }],
  });
  const regs = p.eventsToRegister!();
  t.equal(regs.length, 1);
  t.equal(regs[0]!.queueingHintFn!({} as never, undefined, 'n'), 'QueueSkip');
  t.same(seen, [[undefined, 'n']]);
});
