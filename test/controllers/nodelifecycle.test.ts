// Node lifecycle, taint eviction and PodGC through small scenarios: the instants follow the
// v1.35 defaults (monitor period 5s, grace 50s, 100ms tainting pass, 300s toleration, PodGC
// 20s passes with a 40s quarantine). Rules: pkg/controller/nodelifecycle/node_lifecycle_controller.go,
// pkg/controller/tainteviction/taint_eviction.go, pkg/controller/podgc/gc_controller.go.
import t from 'tap';
import type { Node, Pod } from '../../src/api/types.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import { loadText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';

function run(yaml: string, watch?: (c: Cluster) => void) {
  const loaded = loadText(yaml, 'inline.yaml');
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  let cluster: Cluster | undefined;
  const result = runScenario(loaded.scenarios[0]!, { onCluster: (c) => ((cluster = c), watch?.(c)) });
  return { result, cluster: cluster! };
}

const base = (extra: string) => `
name: t
until: 10m
cluster:
  nodes:
    - name: node-{1..3}
      zone: zone-a
      capacity: {cpu: "4", memory: 8Gi}
  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: pinned}
      spec:
        nodeName: node-1
        containers: [{name: c, image: busybox}]
    - apiVersion: v1
      kind: Pod
      metadata: {name: tolerant}
      spec:
        nodeName: node-1
        tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]
        containers: [{name: c, image: busybox}]
${extra}`;

t.test('a partitioned node goes Unknown like a dead one, and recovers when healed', async (t) => {
  const readyAt: Array<[number, string]> = [];
  const { result, cluster } = run(base(`events:\n  - {at: 1m, partitionNode: node-1}\n  - {at: 3m, healNode: node-1}\n`), (c) =>
    c.store.observe((ev) => {
      if (ev.object.kind !== 'Node' || ev.object.metadata.name !== 'node-1') return;
      const ready = (ev.object as Node).status.conditions?.find((x) => x.type === 'Ready')?.status;
      if (ready && readyAt[readyAt.length - 1]?.[1] !== ready) readyAt.push([c.sim.nowMs, ready]);
    }),
  );
  t.same(result.failures, []);
  t.same(readyAt, [
    [0, 'True'],
    [105_000, 'Unknown'],
    [180_000, 'True'],
  ]);
  const node = cluster.store.get<Node>('Node', undefined, 'node-1')!;
  t.same(node.spec.taints ?? [], [], 'taints lifted after the heal');
  t.ok(cluster.store.get<Pod>('Pod', 'default', 'pinned'), 'healed before the 300s toleration ran out: the pod stays');
});

t.test('tolerationSeconds unset tolerates the unreachable taint forever; the default 300s does not', async (t) => {
  const deleted: Array<[number, string]> = [];
  const { cluster } = run(base(`events:\n  - {at: 1m, failNode: node-1}\n`), (c) =>
    c.store.observe((ev, verb, actor) => {
      if (ev.object.kind === 'Pod' && verb === 'delete-graceful' && actor === 'taint-eviction-controller') deleted.push([c.sim.nowMs, ev.object.metadata.name]);
    }),
  );
  t.same(deleted, [[405_100, 'pinned']]);
  t.ok(cluster.store.get<Pod>('Pod', 'default', 'tolerant')?.metadata.deletionTimestamp === undefined);
});

t.test('NoSchedule taints mirror the Ready condition', async (t) => {
  const { cluster } = run(base(`events:\n  - {at: 1m, failNode: node-2}\n`));
  const taints = cluster.store.get<Node>('Node', undefined, 'node-2')!.spec.taints!.map((x) => `${x.key}:${x.effect}`).sort();
  t.same(taints, ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
});

t.test('several failed nodes in one zone are tainted 10s apart (0.1 nodes/s)', async (t) => {
  const tainted: Array<[number, string]> = [];
  run(
    `
name: t
until: 4m
cluster:
  nodes:
    - name: node-{1..8}
      zone: zone-a
      capacity: {cpu: "4", memory: 8Gi}
events:
  - {at: 1m, failNode: node-1}
  - {at: 1m, failNode: node-2}
`,
    (c) =>
      c.store.observe((ev, verb, actor) => {
        if (ev.object.kind === 'Node' && verb === 'taint' && actor === 'node-controller' && (ev.object as Node).spec.taints?.some((x) => x.effect === 'NoExecute')) tainted.push([c.sim.nowMs, ev.object.metadata.name]);
      }),
  );
  t.same(tainted, [
    [105_100, 'node-1'],
    [115_100, 'node-2'],
  ]);
});

t.test('a whole zone down: full disruption stops NoExecute tainting there only while every zone is down', async (t) => {
  const tainted: string[] = [];
  run(
    `
name: t
until: 4m
cluster:
  nodes:
    - name: node-{1..2}
      zone: zone-a
      capacity: {cpu: "4", memory: 8Gi}
events:
  - {at: 1m, failNode: node-1}
  - {at: 1m, failNode: node-2}
`,
    (c) =>
      c.store.observe((ev, verb, actor) => {
        if (ev.object.kind === 'Node' && verb === 'taint' && actor === 'node-controller' && (ev.object as Node).spec.taints?.some((x) => x.effect === 'NoExecute')) tainted.push(ev.object.metadata.name);
      }),
  );
  t.same(tainted, [], 'all (one) zones fully disrupted: the controller does not evict');
});

t.test('PodGC force-deletes pods bound to a removed node after the 40s quarantine', async (t) => {
  const gone: Array<[number, string]> = [];
  run(base(`events:\n  - {at: 1m, removeNode: node-1}\n`), (c) =>
    c.store.observe((ev, _verb, actor) => {
      if (ev.object.kind === 'Pod' && ev.type === 'DELETED' && actor === 'pod-garbage-collector') gone.push([c.sim.nowMs, ev.object.metadata.name]);
    }),
  );
  // Passes at 20s multiples: the removal at 1m runs before the 1m pass, which first sees the node
  // missing; the quarantine is over at the 1m40s pass.
  t.same(gone, [
    [100_000, 'pinned'],
    [100_000, 'tolerant'],
  ]);
});

t.test('node events: RegisteredNode at the first pass that sees a node, RemovingNode once it is gone; NodeNotReady on each pod marked not Ready', async (t) => {
  const { cluster } = run(base(`events:\n  - {at: 1m, failNode: node-1}\n  - {at: 2m, addNode: {name: node-4, zone: zone-a, capacity: {cpu: \"4\", memory: 8Gi}}}\n  - {at: 3m, removeNode: node-2}\n`));
  const occ = (reason: string) => cluster.events.occurrences.filter((o) => o.reason === reason).map((o) => [o.timeMs, o.type, o.involvedObject.kind, o.involvedObject.name, o.message, o.source]);
  // controller/util/node RecordNodeEvent, from the monitor pass's classifyNodes (every 5s).
  t.same(occ('RegisteredNode'), [
    [5_000, 'Normal', 'Node', 'node-1', 'Node node-1 event: Registered Node node-1 in Controller', 'node-controller'],
    [5_000, 'Normal', 'Node', 'node-2', 'Node node-2 event: Registered Node node-2 in Controller', 'node-controller'],
    [5_000, 'Normal', 'Node', 'node-3', 'Node node-3 event: Registered Node node-3 in Controller', 'node-controller'],
    [120_000, 'Normal', 'Node', 'node-4', 'Node node-4 event: Registered Node node-4 in Controller', 'node-controller'],
  ]);
  t.same(occ('RemovingNode'), [[180_000, 'Normal', 'Node', 'node-2', 'Node node-2 event: Removing Node node-2 from Controller', 'node-controller']]);
  t.ok(cluster.events.occurrences.find((o) => o.reason === 'RegisteredNode')!.involvedObject.uid, 'about the Node by uid');
  // MarkPodsNotReady: node-1's last Lease renewal is at 50s (none at 1m, when it fails), so it is
  // Unknown at the first pass after 50s + the 50s grace: 1m45s.
  t.same(
    occ('NodeNotReady').filter((o) => o[2] === 'Pod'),
    [
      [105_000, 'Warning', 'Pod', 'pinned', 'Node is not ready', 'node-controller'],
      [105_000, 'Warning', 'Pod', 'tolerant', 'Node is not ready', 'node-controller'],
    ],
  );
});

t.test('a joining node is registered with the not-ready NoSchedule taint (TaintNodesByCondition), lifted once the controller sees it Ready; the nodes a scenario starts with have none', async (t) => {
  const nodeWrites: string[] = [];
  const podWrites: string[] = [];
  const extra = `events:
  - at: 1m
    create:
      apiVersion: v1
      kind: Pod
      metadata: {name: waits}
      spec:
        nodeSelector: {kubernetes.io/hostname: node-4}
        containers: [{name: c, image: busybox}]
  - {at: 2m, addNode: {name: node-4, zone: zone-a, capacity: {cpu: "4", memory: 8Gi}}}
`;
  const { result, cluster } = run(base(extra), (c) =>
    c.store.observe((ev, verb, actor) => {
      if (ev.object.kind === 'Node' && verb !== 'status') {
        const taints = ((ev.object as Node).spec.taints ?? []).map((x) => `${x.key}:${x.effect}`).join(',');
        nodeWrites.push(`${c.sim.nowMs} ${ev.object.metadata.name} ${actor} ${verb} [${taints}]`);
      }
      if (ev.object.kind === 'Pod' && ev.object.metadata.name === 'waits' && verb !== 'status') podWrites.push(`${c.sim.nowMs} ${actor} ${verb} ${(ev.object as Pod).spec.nodeName ?? '-'}`);
    }),
  );
  t.same(result.failures, []);
  t.same(nodeWrites, [
    '0 node-1 kubelet/node-1 register []',
    '0 node-2 kubelet/node-2 register []',
    '0 node-3 kubelet/node-3 register []',
    '120000 node-4 kubelet/node-4 register [node.kubernetes.io/not-ready:NoSchedule]',
    '120000 node-4 node-controller taint []',
  ]);
  t.same(podWrites, ['60000 kubectl create -', '120000 default-scheduler bind node-4']);
  const failed = cluster.events.occurrences.filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'waits').map((e) => `${e.timeMs} ${e.message}`);
  t.same(failed, [
    "60000 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    '120000 0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 node(s) didn\'t match Pod\'s node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
  ]);
});
