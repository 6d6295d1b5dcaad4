// The scenario loader: values, defaults, node shorthand, includes, every event action and matcher
// shape, and the schema file itself.
import { join } from 'node:path';
import t from 'tap';
import type { Node } from '../../src/api/types.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import { expandGlob } from '../../src/scenario/include.js';
import { DEFAULT_UNTIL_MS, loadFile, loadPaths, loadSchedulerConfig, loadText } from '../../src/scenario/load.js';
import { expandNodeNames, MAX_NODES_PER_ENTRY } from '../../src/scenario/nodes.js';
import { formatLoadError, type EventAction, type LoadResult, type Matcher, type Scenario } from '../../src/scenario/types.js';
import { CHECK_NAMES, editDistance, formatPath, scenarioSchema, suggestClosest, SUPPORTED_KINDS } from '../../src/scenario/validate.js';

const FILE = '/virtual/scenario.yaml';

function load(text: string): LoadResult {
  return loadText(text, FILE);
}

/** The one scenario of `text`; throws (failing the test, with the errors) when it does not load. */
function one(text: string): Scenario {
  const result = load(text);
  if (result.errors.length > 0 || result.scenarios.length !== 1) throw new Error(`expected one scenario:\n${result.errors.map(formatLoadError).join('\n')}`);
  return result.scenarios[0]!;
}

function messages(text: string): string[] {
  return load(text).errors.map((e) => e.message);
}

const NODE = '{name: worker-1, capacity: {cpu: "4", memory: 16Gi}}';

t.test('durations', async (t) => {
  const rows: Array<{ until: string; ms: number }> = [
    { until: '500ms', ms: 500 },
    { until: '30s', ms: 30_000 },
    { until: '1m30s', ms: 90_000 },
    { until: '2h', ms: 7_200_000 },
    { until: '1.5s', ms: 1_500 },
  ];
  for (const row of rows) t.equal(one(`name: d\nuntil: ${row.until}\n`).untilMs, row.ms, row.until);
  const s = one(`name: d\nuntil: 2m\nevents: [{at: 0, cordon: worker-1}, {at: "0", uncordon: worker-1}, {at: 2m, cordon: worker-1}]\ncluster: {nodes: [${NODE}]}\n`);
  t.same(s.events.map((e) => e.atMs), [0, 0, 120_000]);
  t.matchOnly(messages('name: d\nuntil: 0\n'), ['until must be greater than 0']);
  t.matchOnly(messages('name: d\nuntil: 1us\n'), ['duration "1us" is finer than the 1ms clock resolution']);
  t.matchOnly(messages('name: d\nuntil: 90\n'), [/a duration must be a string/]);
  t.matchOnly(messages('name: d\nuntil: 5m\nexpect: [{at: 5m1s, pods: {}}]\n'), ['time 5m1s is after until (5m)']);
  t.matchOnly(messages('name: d\nexpect: [{at: 11m, pods: {}}]\n'), ['time 11m is after until (10m0s, the default)']);
  t.matchOnly(messages('name: d\nexpect: [{eventually: {from: 2m, by: 1m}, pods: {}}]\n'), ['from (2m) is after by (1m)']);
  t.matchOnly(messages('name: d\nevents: [{at: end, cordon: x}]\n'), [/invalid duration "end"/]);
});

t.test('defaults', async (t) => {
  const s = one('name: minimal\n');
  t.equal(s.seed, 0);
  t.equal(s.untilMs, DEFAULT_UNTIL_MS);
  t.equal(DEFAULT_UNTIL_MS, 600_000);
  t.same(s.cluster.scheduler, { kind: 'default' });
  t.same(s.invariants, { kind: 'all' });
  t.same(s.cluster.controlPlane, DEFAULT_CONTROL_PLANE);
  t.same([s.cluster.nodes, s.cluster.objects, s.events, s.expect], [[], [], [], []]);
  t.same(s.loc, { file: FILE, line: 1, column: 1, path: '' });
  t.equal(s.documentIndex, 0);
  t.equal(one('name: s\nseed: 42\n').seed, 42);
  t.equal(loadText('name: s\nseed: 42\n', FILE, { seed: 7 }).scenarios[0]!.seed, 7, '--seed overrides the file');
  t.same(one('name: s\ninvariants: none\n').invariants, { kind: 'none' });
  t.same(one('name: s\ninvariants: [no-node-over-allocatable, no-double-binding]\n').invariants, { kind: 'list', names: ['no-node-over-allocatable', 'no-double-binding'] });
  t.matchOnly(messages('name: s\ninvariants: some\n'), [/must be "all" or "none" or a list \(got "some"\)/]);
  t.matchOnly(messages('name: s\ninvariants: [NoOvercommit]\n'), [/must match the pattern/]);
  t.matchOnly(messages('description: no name\n'), ['missing required field "name"']);
  t.matchOnly(messages('name: ""\n'), ['must not be empty']);
});

t.test('controlPlane: field names without Ms; durations where the field is one', async (t) => {
  const s = one('name: cp\ncluster:\n  controlPlane: {nodeMonitorGracePeriod: 40s, watchLatency: 10ms, podStartupDelay: 2s, nodeEvictionRate: 0.5, podMaxBackoffSeconds: 20}\n');
  t.same(s.cluster.controlPlane, {
    ...DEFAULT_CONTROL_PLANE,
    nodeMonitorGracePeriodMs: 40_000,
    watchLatencyMs: 10,
    podStartupDelayMs: 2_000,
    nodeEvictionRate: 0.5,
    podMaxBackoffSeconds: 20,
  });
  t.matchOnly(messages('name: cp\ncluster: {controlPlane: {nodeMonitorGracePeriodMs: 40000}}\n'), ['unknown field "nodeMonitorGracePeriodMs" (did you mean "nodeMonitorGracePeriod"?)']);
  t.matchOnly(messages('name: cp\ncluster: {controlPlane: {watchLatency: fast}}\n'), [/invalid duration "fast"/]);
});

t.test('node names: brace ranges and count', async (t) => {
  t.same(expandNodeNames('worker-{1..3}'), { ok: true, names: ['worker-1', 'worker-2', 'worker-3'] });
  t.same(expandNodeNames('n{08..10}'), { ok: true, names: ['n08', 'n09', 'n10'] });
  t.same(expandNodeNames('n{3..1}'), { ok: true, names: ['n3', 'n2', 'n1'] });
  t.same(expandNodeNames('r{1..2}-n{1..2}'), { ok: true, names: ['r1-n1', 'r1-n2', 'r2-n1', 'r2-n2'] });
  t.same(expandNodeNames('solo'), { ok: true, names: ['solo'] });
  t.same(expandNodeNames('pool-{i}', 3), { ok: true, names: ['pool-1', 'pool-2', 'pool-3'] });
  t.same(expandNodeNames('pool', 3), { ok: false, message: 'with count, the name must contain {i} (e.g. "pool-{i}")' });
  t.same(expandNodeNames('pool-{i}'), { ok: false, message: 'the name uses {i} but count is not set' });
  t.same(expandNodeNames('p{1..2}-{i}', 2), { ok: false, message: 'use either count with {i} or a {a..b} range in the name, not both' });
  t.same(expandNodeNames('n{a,b}'), { ok: false, message: 'unsupported brace expression in "n{a,b}" (use {a..b}, or {i} with count)' });
  t.same(expandNodeNames('n{1..100000}'), { ok: false, message: `expands to 100000 nodes; at most ${MAX_NODES_PER_ENTRY} per entry` });
  t.same(expandNodeNames('n{1..1000}-{1..1000}'), { ok: false, message: `expands to 1000000 nodes; at most ${MAX_NODES_PER_ENTRY} per entry` });
  const s = one('name: n\ncluster:\n  nodes:\n    - {name: "a-{1..2}", capacity: {cpu: 1, memory: 1Gi}}\n    - {name: "b-{i}", count: 2, capacity: {cpu: 1, memory: 1Gi}}\n');
  t.same(s.cluster.nodes.map((n) => n.value.metadata.name), ['a-1', 'a-2', 'b-1', 'b-2']);
  t.same(s.cluster.nodes.map((n) => n.loc.path), ['cluster.nodes[0]', 'cluster.nodes[0]', 'cluster.nodes[1]', 'cluster.nodes[1]']);
  t.matchOnly(messages('name: n\ncluster: {nodes: [{name: "Worker-{1..2}", capacity: {cpu: 1, memory: 1Gi}}]}\n'), [/^invalid node name "Worker-1": a lowercase RFC 1123 subdomain/]);
});

t.test('node shorthand → Node objects', async (t) => {
  const s = one(`name: n
cluster:
  nodes:
    - name: big
      capacity: {cpu: "8", memory: 32Gi, nvidia.com/gpu: 2}
      allocatable: {cpu: 7500m}
      labels: {disktype: ssd}
      zone: zone-b
      taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
      unschedulable: true
      images: [nginx:1.27, {name: "redis:7", size: 100Mi}]
      podCIDR: 10.244.1.0/24
    - {name: small, capacity: {cpu: 1, memory: 1Gi, pods: 10}}
`);
  const expected: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'big',
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'big', 'kubernetes.io/os': 'linux', disktype: 'ssd', 'topology.kubernetes.io/zone': 'zone-b' },
    },
    spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: {
      capacity: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': 2, pods: 110 },
      allocatable: { cpu: '7500m', memory: '32Gi', 'nvidia.com/gpu': 2, pods: 110 },
      images: [{ names: ['nginx:1.27'] }, { names: ['redis:7'], sizeBytes: 104_857_600 }],
    },
  };
  t.same(s.cluster.nodes[0]!.value, expected);
  t.same(s.cluster.nodes[1]!.value.status, { capacity: { cpu: 1, memory: '1Gi', pods: 10 }, allocatable: { cpu: 1, memory: '1Gi', pods: 10 } }, 'numbers stay numbers');
  t.same(s.cluster.nodes[1]!.value.spec, {});
  t.matchOnly(messages('name: n\ncluster: {nodes: [{name: x, capacity: {cpu: 1, memory: 1Gi}, zone: "bad zone"}]}\n'), [/^invalid zone "bad zone": a valid label must be/]);
  t.matchOnly(messages('name: n\ncluster: {nodes: [{name: x, capacity: {cpu: -1, memory: 1Gi}}]}\n'), ['invalid quantity -1: must be greater than or equal to 0']);
  t.matchOnly(messages('name: n\ncluster: {nodes: [{name: x, capacity: {cpu: 1, memory: 1Gi}, images: [5]}]}\n'), ['must be a string or a map (got 5)']);
  t.matchOnly(messages('name: n\ncluster: {nodes: [{name: x, capacity: {cpu: 1, memory: 1Gi}, images: [{nam: y}]}]}\n'), ['unknown field "nam" (did you mean "name"?)']);
});

t.test('objects: namespace defaulted for namespaced kinds, quantities as written', async (t) => {
  const s = one(`name: o
cluster:
  objects:
    - {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, resources: {requests: {cpu: 0.5, memory: 1e3}}}]}}
    - {apiVersion: v1, kind: Pod, metadata: {name: q, namespace: team-a}, spec: {containers: [{name: c}]}}
    - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}
`);
  const [ns, p, q, pc] = s.cluster.objects.map((o) => o.value);
  t.same(ns!.metadata, { name: 'team-a' });
  t.same(p!.metadata, { name: 'p', namespace: 'default' });
  t.same(q!.metadata, { name: 'q', namespace: 'team-a' });
  t.same(pc!.metadata, { name: 'high' });
  t.same((p as { spec: { containers: Array<{ resources: unknown }> } }).spec.containers[0]!.resources, { requests: { cpu: 0.5, memory: 1000 } });
  t.same(s.cluster.objects.map((o) => `${o.loc.line}:${o.loc.column} ${o.loc.path}`), ['4:7 cluster.objects[0]', '5:7 cluster.objects[1]', '6:7 cluster.objects[2]', '7:7 cluster.objects[3]']);
  t.matchOnly(messages('name: o\ncluster: {objects: [{apiVersion: v1, kind: Pod, metadata: {}, spec: {containers: [{name: c}]}}]}\n'), ['name or generateName is required']);
  t.same(messages('name: o\ncluster: {objects: [{apiVersion: v1, kind: Pod, metadata: {generateName: web-}, spec: {containers: [{name: c}]}}]}\n'), []);
  t.matchOnly(messages('name: o\ncluster: {objects: [{apiVersion: v1, kind: Namespace, metadata: {name: a.b}}]}\n'), [/^invalid name "a.b": a lowercase RFC 1123 label/]);
  t.same(messages('name: o\ncluster: {objects: [{apiVersion: v1, kind: Deployment, metadata: {name: d}}]}\n'), ['missing required field "spec"', 'must be "apps/v1" (got "v1")']);
  t.matchOnly(messages('name: o\ncluster: {objects: [{apiVersion: apps/v1, kind: Deploymnet, metadata: {name: d}}]}\n'), [/^unsupported kind "Deploymnet" \(did you mean "Deployment"\?\); supported kinds: /]);
  t.matchOnly(messages('name: o\ncluster: {objects: [{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {"a b": x}}, spec: {containers: [{name: c}]}}]}\n'), [/^invalid label key "a b": name part must consist/]);
});

t.test('selectors in manifests', async (t) => {
  const pod = (spec: string): string => `name: s\ncluster: {objects: [{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}], ${spec}}}]}\n`;
  t.same(messages(pod('affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cpus, operator: Gt, values: ["4"]}]}]}}}')), []);
  t.matchOnly(messages(pod('affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cpus, operator: Gt, values: [four]}]}]}}}')), [
    `matchExpressions[0].values[0]: Invalid value: "four": for 'Gt', 'Lt' operators, the value must be an integer`,
  ]);
  t.matchOnly(messages(pod('topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: app, operator: In}]}}]')), [
    "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
  ]);
  t.matchOnly(messages(pod('topologySpreadConstraints: [{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: Sometimes}]')), [
    'must be greater than or equal to 1',
    'must be one of DoNotSchedule, ScheduleAnyway (got "Sometimes")',
  ]);
});

function actionsOf(events: string, extra = ''): EventAction[] {
  return one(`name: e\ncluster:\n  nodes: [${NODE}]\n${extra}events:\n${events}`).events.map((e) => e.action);
}

t.test('every event action', async (t) => {
  const actions = actionsOf(
    `  - {at: 1s, create: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}}}
  - {at: 2s, apply: {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}}
  - {at: 3s, delete: {kind: Pod, name: p, gracePeriod: 5s}}
  - {at: 3s, delete: {kind: Node, name: worker-1, namespace: ignored}}
  - {at: 4s, patch: {kind: Deployment, name: web, namespace: team-a, patch: {spec: {replicas: 5}}}}
  - {at: 5s, scale: {kind: ReplicaSet, name: web, replicas: 0}}
  - {at: 6s, addNode: {name: "late-{1..2}", capacity: {cpu: 1, memory: 1Gi}}}
  - {at: 7s, removeNode: late-1}
  - {at: 8s, failNode: worker-1}
  - {at: 9s, recoverNode: worker-1}
  - {at: 10s, partitionNode: late-2}
  - {at: 11s, healNode: late-2}
  - {at: 12s, cordon: worker-1}
  - {at: 13s, uncordon: worker-1}
  - {at: 14s, drain: {node: worker-1, gracePeriod: 1m}}
  - {at: 15s, drain: {node: worker-1}}
  - {at: 16s, crashContainer: {pod: p}}
  - {at: 17s, crashContainer: {pod: p, container: c, namespace: team-a, exitCode: 137}}
`,
  );
  const late = (name: string): unknown => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  t.match(actions[6], { type: 'addNode', nodes: [late('late-1'), late('late-2')] });
  actions[6] = { type: 'addNode', nodes: [] };
  t.same(actions, [
    { type: 'create', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } } },
    { type: 'apply', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } },
    { type: 'delete', ref: { kind: 'Pod', name: 'p', namespace: 'default' }, gracePeriodMs: 5_000 },
    { type: 'delete', ref: { kind: 'Node', name: 'worker-1' } },
    { type: 'patch', ref: { kind: 'Deployment', name: 'web', namespace: 'team-a' }, patch: { spec: { replicas: 5 } } },
    { type: 'scale', ref: { kind: 'ReplicaSet', name: 'web', namespace: 'default' }, replicas: 0 },
    { type: 'addNode', nodes: [] },
    { type: 'removeNode', node: 'late-1' },
    { type: 'failNode', node: 'worker-1' },
    { type: 'recoverNode', node: 'worker-1' },
    { type: 'partitionNode', node: 'late-2' },
    { type: 'healNode', node: 'late-2' },
    { type: 'cordon', node: 'worker-1' },
    { type: 'uncordon', node: 'worker-1' },
    { type: 'drain', node: 'worker-1', gracePeriodMs: 60_000 },
    { type: 'drain', node: 'worker-1' },
    { type: 'crashContainer', pod: 'p', namespace: 'default', exitCode: 1 },
    { type: 'crashContainer', pod: 'p', container: 'c', namespace: 'team-a', exitCode: 137 },
  ]);
});

t.test('event errors', async (t) => {
  t.matchOnly(messages('name: e\nevents: [{at: 1s}]\n'), [/^an event needs exactly one action, one of: create, apply, delete/]);
  t.same(messages('name: e\nevents: [{cordon: x}]\n'), ['missing required field "at"']);
  t.matchOnly(messages('name: e\nevents: [{at: 1s, scale: {kind: StatefulSet, name: s, replicas: 1}}]\n'), ['must be one of Deployment, ReplicaSet (got "StatefulSet")']);
  t.matchOnly(messages('name: e\nevents: [{at: 1s, delete: {kind: Service, name: s}}]\n'), [/^unsupported kind "Service"/]);
  t.matchOnly(messages('name: e\nevents: [{at: 1s, addNode: {name: n, capacity: {cpu: 1, memory: 1Gi}}}, {at: 2s, failNode: n}]\n'), []);
  t.same(
    messages('name: e\nevents: [{at: 1s, create: {apiVersion: v1, kind: Node, metadata: {name: node-a}}}, {at: 2s, cordon: node-a}, {at: 3s, cordon: node-b}, {at: 4s, cordon: x}]\n'),
    ['unknown node "node-b" (did you mean "node-a"?): no node of this scenario has that name', 'unknown node "x": no node of this scenario has that name'],
  );
  t.same(messages('name: e\ncluster: {objects: [{apiVersion: v1, kind: Node, metadata: {name: n}}]}\nevents: [{at: 1s, drain: {node: n}}]\n'), []);
  t.same(
    messages(`name: e\ncluster: {nodes: [${NODE}], objects: [{apiVersion: v1, kind: Node, metadata: {name: worker-1}}]}\n`),
    ['duplicate node name "worker-1" (also defined at line 2)'],
  );
});

function matchersOf(expect: string): Array<{ when: unknown; matcher: Matcher }> {
  return one(`name: m\nuntil: 15m\ncluster:\n  nodes: [${NODE}]\nexpect:\n${expect}`).expect.map((x) => ({ when: x.when, matcher: x.matcher }));
}

t.test('every time qualifier and matcher', async (t) => {
  const got = matchersOf(
    `  - {at: 30s, pods: {}}
  - {at: end, pods: {namespace: "*", labels: {app: web}, names: [a, b], phase: Running, ready: true, terminating: false, on: [worker-1], notOn: [worker-2], count: 3}}
  - {eventually: {by: 3m}, pods: {namespace: team-a, min: 1, max: 2}}
  - {eventually: {from: 1m, by: 3m}, event: {reason: NodeNotReady, type: Normal, involvedObject: {kind: Node, name: worker-1}}}
  - {always: true, pods: {labels: {app: web}, max: 4}}
  - {always: {from: 1m}, object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, status: {readyReplicas: 3}}}
  - {always: {until: 2m}, object: {kind: Node, spec: {unschedulable: false}}, absent: false}
  - {at: end, object: {kind: Pod, metadata: {namespace: team-a}}, absent: true}
  - {at: 5m, event: {reason: FailedScheduling, message: "0/3 nodes are available"}}
  - {at: end, event: {reason: FailedScheduling, message: "/^0\\\\/\\\\d+ nodes/i"}, absent: true}
`,
  );
  t.same(got, [
    { when: { kind: 'at', atMs: 30_000, end: false }, matcher: { kind: 'pods', namespace: 'default' } },
    {
      when: { kind: 'at', atMs: 900_000, end: true },
      matcher: { kind: 'pods', namespace: '*', labels: { app: 'web' }, names: ['a', 'b'], phase: 'Running', ready: true, terminating: false, on: ['worker-1'], notOn: ['worker-2'], count: 3 },
    },
    { when: { kind: 'eventually', fromMs: 0, byMs: 180_000 }, matcher: { kind: 'pods', namespace: 'team-a', min: 1, max: 2 } },
    {
      when: { kind: 'eventually', fromMs: 60_000, byMs: 180_000 },
      matcher: { kind: 'event', reason: 'NodeNotReady', type: 'Normal', involvedObject: { kind: 'Node', name: 'worker-1' }, absent: false },
    },
    { when: { kind: 'always', fromMs: 0, untilMs: 900_000 }, matcher: { kind: 'pods', namespace: 'default', labels: { app: 'web' }, max: 4 } },
    {
      when: { kind: 'always', fromMs: 60_000, untilMs: 900_000 },
      matcher: { kind: 'object', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, status: { readyReplicas: 3 } }, absent: false },
    },
    { when: { kind: 'always', fromMs: 0, untilMs: 120_000 }, matcher: { kind: 'object', object: { kind: 'Node', spec: { unschedulable: false } }, absent: false } },
    { when: { kind: 'at', atMs: 900_000, end: true }, matcher: { kind: 'object', object: { kind: 'Pod', metadata: { namespace: 'team-a' } }, absent: true } },
    { when: { kind: 'at', atMs: 300_000, end: false }, matcher: { kind: 'event', reason: 'FailedScheduling', message: { kind: 'substring', text: '0/3 nodes are available' }, absent: false } },
    {
      when: { kind: 'at', atMs: 900_000, end: true },
      matcher: { kind: 'event', reason: 'FailedScheduling', message: { kind: 'regex', source: '^0\\/\\d+ nodes', flags: 'i' }, absent: true },
    },
  ]);
});

t.test('expectation errors', async (t) => {
  t.same(messages('name: x\nexpect: [{pods: {}}]\n'), ['an expectation needs a time qualifier: at, eventually or always']);
  t.same(messages('name: x\nexpect: [{at: 1m, always: true, pods: {}}]\n'), ['an expectation takes exactly one time qualifier, but this one has at and always']);
  t.same(messages('name: x\nexpect: [{at: 1m, pods: {}, object: {kind: Pod}}]\n'), ['an expectation takes exactly one matcher, but this one has pods and object']);
  t.same(messages('name: x\nexpect: [{at: 1m, pods: {}, absent: true}]\n'), ['absent applies to the object and event matchers; for pods, use count: 0']);
  t.same(messages('name: x\nexpect: [{at: 1m, pods: {count: 1, min: 1}}]\n'), ['count cannot be combined with min or max']);
  t.same(messages('name: x\nexpect: [{at: 1m, pods: {min: 3, max: 2}}]\n'), ['min (3) is greater than max (2)']);
  t.same(messages('name: x\nexpect: [{at: 1m, pods: {phase: running}}]\n'), ['must be one of Pending, Running, Succeeded, Failed, Unknown (got "running", did you mean "Running"?)']);
  t.same(messages('name: x\nexpect: [{always: false, pods: {}}]\n'), ['must be true or a map (got false)']);
  t.same(messages('name: x\nexpect: [{always: {from: 1m, unti: 2m}, pods: {}}]\n'), ['unknown field "unti" (did you mean "until"?)']);
  t.same(messages('name: x\nexpect: [{eventually: {from: 1m}, pods: {}}]\n'), ['missing required field "by"']);
  t.same(messages('name: x\nexpect: [{at: 1m, object: {metadata: {name: a}}}]\n'), ['missing required field "kind"']);
  t.same(messages('name: x\nexpect: [{at: 1m, object: {kind: Pod, apiVersion: apps/v1}}]\n'), ['must be "v1" (got "apps/v1")']);
  t.same(messages('name: x\nexpect: [{at: 1m, event: {reason: X, message: "/not closed"}}]\n'), [], 'not a regex literal: a substring');
  t.same(messages('name: x\nexpect: [{at: 1m, event: {reason: X, message: "/a/Q"}}]\n'), ["Invalid flags supplied to RegExp constructor 'Q'"]);
  t.same(messages('name: x\nexpect: [{at: 1m, event: {reason: X, message: "/a/gg"}}]\n'), ["Invalid flags supplied to RegExp constructor 'gg'"]);
});

t.test('scheduler: default, inline, or a file', async (t) => {
  const dir = t.testdir({
    'inline.yaml': 'name: s\ncluster:\n  scheduler: {apiVersion: kubescheduler.config.k8s.io/v1, kind: KubeSchedulerConfiguration, percentageOfNodesToScore: 50}\n',
    'file.yaml': 'name: s\ncluster: {scheduler: policies/most.yaml}\n',
    'missing.yaml': 'name: s\ncluster: {scheduler: policies/none.yaml}\n',
    policies: {
      'most.yaml': 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: default-scheduler\n',
      'two.yaml': 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n---\nkind: x\n',
      'v1beta.yaml': 'apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n',
    },
  });
  const inline = loadFile(join(dir, 'inline.yaml')).scenarios[0]!.cluster.scheduler;
  t.same(inline, {
    kind: 'config',
    config: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', percentageOfNodesToScore: 50 },
    loc: { file: join(dir, 'inline.yaml'), line: 3, column: 3, path: 'cluster.scheduler' },
    baseDir: dir,
  });
  const fromFile = loadFile(join(dir, 'file.yaml')).scenarios[0]!.cluster.scheduler;
  t.same(fromFile, {
    kind: 'config',
    config: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', profiles: [{ schedulerName: 'default-scheduler' }] },
    loc: { file: join(dir, 'policies/most.yaml'), line: 1, column: 1, path: '' },
    baseDir: join(dir, 'policies'),
  });
  t.same(loadFile(join(dir, 'missing.yaml')).errors.map(formatLoadError), [
    `${join(dir, 'missing.yaml')}:2:22: scheduler configuration "${join(dir, 'policies/none.yaml')}": no such file or directory (at cluster.scheduler)`,
  ]);
  t.same(loadSchedulerConfig(join(dir, 'policies/two.yaml')).errors.map((e) => e.message), ['a scheduler configuration file must hold exactly one YAML document, found 2']);
  t.same(loadSchedulerConfig(join(dir, 'policies/v1beta.yaml')).errors.map(formatLoadError), [
    `${join(dir, 'policies/v1beta.yaml')}:1:13: must be "kubescheduler.config.k8s.io/v1" (got "kubescheduler.config.k8s.io/v1beta3") (at apiVersion)`,
  ]);
  t.matchOnly(messages('name: s\ncluster: {scheduler: {kind: KubeSchedulerConfiguration}}\n'), ['missing required field "apiVersion"']);
  t.matchOnly(messages('name: s\ncluster: {scheduler: ""}\n'), [/^must be "default", a path/]);
});

t.test('include: literal paths and globs, multi-document, own locations', async (t) => {
  const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c}]}\n`;
  const dir = t.testdir({
    scenarios: {
      's.yaml': 'name: inc\ncluster:\n  objects: [{apiVersion: v1, kind: Namespace, metadata: {name: first}}]\n  include: [../manifests/b.yaml, "../manifests/*.yaml", "../manifests/**/deep-?.yml"]\n',
      'none.yaml': 'name: inc\ncluster: {include: ["../manifests/*.json"]}\n',
    },
    manifests: {
      'a.yaml': `${pod('a1')}---\n${pod('a2')}`,
      'b.yaml': pod('b'),
      'notes.txt': 'not yaml',
      nested: { deeper: { 'deep-1.yml': pod('d1'), 'deep-10.yml': pod('d10') } },
    },
  });
  const s = loadFile(join(dir, 'scenarios/s.yaml'));
  t.same(s.errors, []);
  const objects = s.scenarios[0]!.cluster.objects;
  t.same(objects.map((o) => o.value.metadata.name), ['first', 'b', 'a1', 'a2', 'd1'], 'objects, then includes in entry order, each file once');
  t.same(objects[3]!.loc, { file: join(dir, 'scenarios/../manifests/a.yaml'), line: 6, column: 1, path: '' });
  t.same(objects[3]!.value.metadata.namespace, 'default');
  t.same(loadFile(join(dir, 'scenarios/none.yaml')).errors.map((e) => e.message), ['include "../manifests/*.json" matches no file']);
  const glob = expandGlob('**/*.yml', join(dir, 'manifests'));
  t.same(glob, { ok: true, files: [join(dir, 'manifests/nested/deeper/deep-1.yml'), join(dir, 'manifests/nested/deeper/deep-10.yml')] });
});

t.test('loadPaths: folders recursively, sorted, manifest files skipped', async (t) => {
  const dir = t.testdir({
    b: { 'z.yaml': 'name: z\n', 'a.yml': 'name: a\n---\nname: a2\n' },
    'a.yaml': 'name: top\n',
    'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n',
    'readme.md': 'not a scenario',
    '.hidden': { 'h.yaml': 'name: hidden\n' },
  });
  const result = loadPaths([dir, join(dir, 'a.yaml')]);
  t.same(result.errors, []);
  t.same(result.scenarios.map((s) => `${s.name}@${s.documentIndex}`), ['top@0', 'a@0', 'a2@1', 'z@0']);
  const missing = loadPaths([join(dir, 'nope')]);
  t.same(missing.errors, [{ file: join(dir, 'nope'), line: 1, column: 1, path: '', message: 'no such file or directory' }]);
  t.same(loadFile(join(dir, 'deploy.yaml')).errors.map((e) => e.message), [
    'this document is a Kubernetes manifest (kind Deployment), not a scenario; list it under cluster.objects or cluster.include',
  ]);
  t.same(loadText('', FILE).errors.map((e) => e.message), ['no scenario in this file']);
  t.same(loadText('# only a comment\n', FILE).errors.map((e) => e.message), ['no scenario in this file']);
  t.same(loadFile(dir).errors.map((e) => e.message), ['is a directory']);
});

t.test('multi-document files and YAML details', async (t) => {
  const r = load('# yaml-language-server: $schema=../schemas/scenario.schema.json\nname: one\n---\n---\nname: two\nuntil: 1m\n');
  t.same(r.errors, []);
  t.same(r.scenarios.map((s) => [s.name, s.documentIndex, s.loc.line]), [['one', 0, 2], ['two', 2, 5]]);
  t.same(load('name: a\n---\nname: [\n---\nname: c\n').scenarios.map((s) => s.name), ['a', 'c'], 'one broken document does not stop the others');
  t.same(messages('name: a\nname: b\n'), ['invalid YAML: Map keys must be unique']);
  t.same(load('name: a\nseed: *nope\n').errors.map(formatLoadError), [`${FILE}:2:7: invalid YAML: Unresolved alias (the anchor must be set before the alias): nope`]);
  const merged = one(`name: m\nx-base: &base {capacity: {cpu: 1, memory: 1Gi}}\n`.replace('x-base: &base {capacity: {cpu: 1, memory: 1Gi}}\n', '') + `cluster:\n  nodes:\n    - &n {name: a, capacity: {cpu: 1, memory: 1Gi}}\n    - {<<: *n, name: b}\n`);
  t.same(merged.cluster.nodes.map((n) => n.value.metadata.name), ['a', 'b'], 'merge keys');
  const e = load('name: m\ncluster:\n  nodes:\n    - &n {name: a, capacity: {cpu: 1, memory: 1Gi}}\n    - {<<: *n, name: "B"}\n').errors;
  t.same(e.map((x) => `${x.line}:${x.column} ${x.path}`), ['5:22 cluster.nodes[1].name']);
});

t.test('suggestions and paths', async (t) => {
  t.equal(editDistance('capcity', 'capacity'), 1);
  t.equal(editDistance('ab', 'ba'), 1, 'a transposition is one edit');
  t.equal(editDistance('', 'abc'), 3);
  t.equal(suggestClosest('capcity', ['name', 'capacity', 'count']), 'capacity');
  t.equal(suggestClosest('Capacity', ['capacity']), 'capacity');
  t.equal(suggestClosest('nodeMonitorGracePeriodSeconds', ['nodeMonitorGracePeriod']), 'nodeMonitorGracePeriod', 'within a third of the length');
  t.equal(suggestClosest('foo', ['capacity', 'count']), undefined, 'too far');
  t.equal(suggestClosest('x', ['at']), undefined);
  t.equal(suggestClosest('leaseDuration', ['nodeMonitorPeriod', 'nodeLeaseDuration', 'watchLatency']), 'nodeLeaseDuration', 'a key the word is part of');
  t.equal(suggestClosest('gracePeriod', ['nodeStartupGracePeriod', 'nodeMonitorGracePeriod']), 'nodeStartupGracePeriod', 'the nearest in length, then the first');
  t.equal(suggestClosest('replicasCount', ['replicas', 'selector']), 'replicas', 'a key that is part of the word');
  t.equal(suggestClosest('rep', ['replicas']), undefined, 'too short to be part of a word');
  t.equal(formatPath(['cluster', 'nodes', 0, 'labels', 'topology.kubernetes.io/zone']), 'cluster.nodes[0].labels["topology.kubernetes.io/zone"]');
  t.equal(formatPath([]), '');
});

interface SchemaNode {
  [key: string]: unknown;
}

function walkSchema(node: unknown, path: string, visit: (node: SchemaNode, path: string) => void): void {
  if (Array.isArray(node)) node.forEach((n, i) => walkSchema(n, `${path}/${i}`, visit));
  else if (typeof node === 'object' && node !== null) {
    visit(node as SchemaNode, path);
    for (const [k, v] of Object.entries(node)) walkSchema(v, `${path}/${k}`, visit);
  }
}

t.test('the schema file', async (t) => {
  const schema = scenarioSchema();
  t.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const undescribed: string[] = [];
  const open: string[] = [];
  const checks = new Set<string>();
  walkSchema(schema, '#', (node, path) => {
    if (typeof node['x-kubedrill-check'] === 'string') checks.add(node['x-kubedrill-check']);
    const props = node.properties as Record<string, SchemaNode> | undefined;
    if (props === undefined || path.endsWith('/properties') || /\/if(\/|$)/.test(path)) return;
    for (const [name, prop] of Object.entries(props)) if (typeof prop.description !== 'string') undescribed.push(`${path}/properties/${name}`);
    const inCondition = /\/(if|then)(\/|$)/.test(path);
    if (node.additionalProperties !== false && !inCondition && !path.includes('/volumes/')) open.push(path);
  });
  t.same(undescribed, [], 'every property has a description');
  // The manifest dispatcher delegates to the kinds; capacity admits extended resources (checked by
  // name); an object expectation is checked against the partial manifest schema.
  t.same(open, ['#/definitions/manifest', '#/definitions/nodeShorthand/properties/capacity', '#/definitions/objectMatcher'], 'additionalProperties: false elsewhere');
  t.same([...checks].filter((c) => !CHECK_NAMES.includes(c)), [], 'every x-kubedrill-check is implemented');
  const definitions = schema.definitions as Record<string, SchemaNode>;
  const controlPlaneKeys = Object.keys(definitions.controlPlane!.properties as object).sort();
  const configKeys = Object.keys(DEFAULT_CONTROL_PLANE).map((k) => k.replace(/Ms$/, '')).sort();
  t.same(controlPlaneKeys, configKeys, 'controlPlane lists every ControlPlaneConfig field');
  t.same(((definitions.manifest!.properties as Record<string, SchemaNode>).kind!.enum as string[]).slice().sort(), [...SUPPORTED_KINDS].sort());
  for (const kind of SUPPORTED_KINDS) t.ok(definitions[kind], `a definition for ${kind}`);
});
