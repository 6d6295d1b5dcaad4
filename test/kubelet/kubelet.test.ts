// The kubelet model: start-up delay annotations, graceful stop, scripted exits and
// CrashLoopBackOff (10s doubling), predicate admission, restart after a machine failure.
import t from 'tap';
import type { Lease, Node, Pod } from '../../src/api/types.js';
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

function phases(c: Cluster, name: string, into: Array<[number, string, number]>) {
  c.store.observe((ev) => {
    if (ev.object.kind !== 'Pod' || ev.object.metadata.name !== name || ev.type === 'DELETED') return;
    const p = ev.object as Pod;
    const ready = p.status.conditions?.find((x) => x.type === 'Ready')?.status === 'True' ? 'ready' : (p.status.phase ?? 'Pending');
    const restarts = p.status.containerStatuses?.[0]?.restartCount ?? 0;
    const last = into[into.length - 1];
    if (!last || last[1] !== ready || last[2] !== restarts) into.push([c.sim.nowMs, ready, restarts]);
  });
}

const node = `  nodes: [{name: node-1, capacity: {cpu: "2", memory: 4Gi, pods: 3}}]`;

t.test('start-up delay annotation, then Running and Ready', async (t) => {
  const seen: Array<[number, string, number]> = [];
  run(`name: t\nuntil: 1m\ncluster:\n${node}\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {kubedrill.io/startup-delay: 7s}}, spec: {containers: [{name: c, image: x}]}}\n`, (c) => phases(c, 'p', seen));
  t.same(seen, [
    [0, 'Pending', 0],
    [7_000, 'ready', 0],
  ]);
});

t.test('scripted exit with restartPolicy Always: CrashLoopBackOff 10s, 20s, 40s', async (t) => {
  const seen: Array<[number, string, number]> = [];
  run(
    `name: t\nuntil: 3m\ncluster:\n${node}\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {kubedrill.io/run-for: 5s, kubedrill.io/exit-code: "1"}}, spec: {containers: [{name: c, image: x}]}}\n`,
    (c) => phases(c, 'p', seen),
  );
  // Running at 1s; exits at 6s; restarted 10s later (16s, restartCount 1), exits at 21s;
  // restarted 20s later (41s, restartCount 2) ...
  t.same(seen.slice(0, 6), [
    [0, 'Pending', 0],
    [1_000, 'ready', 0],
    [6_000, 'Running', 0],
    [16_000, 'ready', 1],
    [21_000, 'Running', 1],
    [41_000, 'ready', 2],
  ]);
});

t.test('restartPolicy Never: exit 0 Succeeded, exit 3 Failed', async (t) => {
  const yaml = (code: string) =>
    `name: t\nuntil: 1m\ncluster:\n${node}\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {kubedrill.io/run-for: 5s, kubedrill.io/exit-code: "${code}"}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}\n`;
  t.equal(run(yaml('0')).cluster.store.get<Pod>('Pod', 'default', 'p')!.status.phase, 'Succeeded');
  t.equal(run(yaml('3')).cluster.store.get<Pod>('Pod', 'default', 'p')!.status.phase, 'Failed');
});

t.test('graceful delete: the pod is Terminating for its stop delay, then gone', async (t) => {
  const gone: number[] = [];
  run(
    `name: t\nuntil: 2m\ncluster:\n${node}\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {kubedrill.io/stop-delay: 12s}}, spec: {containers: [{name: c, image: x}]}}\nevents:\n  - {at: 30s, delete: {kind: Pod, name: p}}\n`,
    (c) => c.store.observe((ev) => ev.type === 'DELETED' && ev.object.kind === 'Pod' && gone.push(c.sim.nowMs)),
  );
  t.same(gone, [42_000]);
});

t.test('graceful delete without a stop delay: gone after podTerminationDelay (1s, or as set), capped by the grace period', async (t) => {
  const goneAt = (controlPlane: string, spec: string) => {
    const gone: number[] = [];
    run(
      `name: t\nuntil: 2m\ncluster:\n${node}\n${controlPlane}  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {${spec}containers: [{name: c, image: x}]}}\nevents:\n  - {at: 30s, delete: {kind: Pod, name: p}}\n`,
      (c) => c.store.observe((ev) => ev.type === 'DELETED' && ev.object.kind === 'Pod' && gone.push(c.sim.nowMs)),
    );
    return gone;
  };
  t.same(goneAt('', ''), [31_000], 'the default, 1s');
  t.same(goneAt('  controlPlane: {podTerminationDelay: 4s}\n', ''), [34_000], 'as set');
  t.same(goneAt('  controlPlane: {podTerminationDelay: 4s}\n', 'terminationGracePeriodSeconds: 2, '), [32_000], 'capped by the grace period');
});

t.test('predicate admission: a pod pinned past allocatable fails with OutOfcpu', async (t) => {
  const { cluster } = run(
    `name: t\nuntil: 1m\ninvariants: none\ncluster:\n${node}\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: big}, spec: {nodeName: node-1, containers: [{name: c, image: x, resources: {requests: {cpu: "3"}}}]}}\n`,
  );
  const p = cluster.store.get<Pod>('Pod', 'default', 'big')!;
  t.equal(p.status.phase, 'Failed');
  t.equal(p.status.reason, 'OutOfcpu');
  t.equal(p.status.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000");
});

t.test('after a machine failure and recovery the containers restart (restartCount + 1)', async (t) => {
  const seen: Array<[number, string, number]> = [];
  run(`name: t\nuntil: 3m\ncluster:\n${node}\n  objects:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x}]}}\nevents:\n  - {at: 1m, failNode: node-1}\n  - {at: 2m, recoverNode: node-1}\n`, (c) => phases(c, 'p', seen));
  t.same(seen.at(-1), [121_000, 'ready', 1]);
  t.ok(seen.some(([tm, s]) => tm === 105_000 && s === 'Running'), 'marked not Ready by the node controller at 1m45s');
});

// kubelet_node_status.go: status recomputed every nodeStatusUpdateFrequency (10s), written on a
// change or every nodeStatusReportFrequency (5m); the Lease renewed every 40s × 0.25 = 10s.
function heartbeats(c: Cluster, into: { status: number[]; renewTimes: number[] }) {
  c.store.observe((ev, verb, actor) => {
    if (ev.object.kind === 'Node' && verb === 'status' && actor === 'kubelet/node-1') into.status.push(c.sim.nowMs);
  });
  for (let s = 5; s <= 65; s += 10) c.sim.at(s * 1000, 'test', () => into.renewTimes.push(c.store.get<Lease>('Lease', 'kube-node-lease', 'node-1')!.spec.renewTime!));
}

t.test('node status written at registration, then every 5m; the Lease renewed every 10s', async (t) => {
  const seen = { status: [] as number[], renewTimes: [] as number[] };
  run(`name: t\nuntil: 11m\ncluster:\n${node}\n`, (c) => heartbeats(c, seen));
  t.same(seen.status, [0, 300_000, 600_000]);
  t.same(seen.renewTimes, [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
});

t.test('conditions someone else wrote are written back at the next 10s period; the 5m count restarts there', async (t) => {
  const seen = { status: [] as number[], renewTimes: [] as number[] };
  run(`name: t\nuntil: 11m\ncluster:\n${node}\n`, (c) => {
    heartbeats(c, seen);
    c.sim.at(12_000, 'test', () => {
      const n = c.store.get<Node>('Node', undefined, 'node-1')!;
      const conditions = n.status.conditions!.map((x) => (x.type === 'MemoryPressure' ? { ...x, status: 'True' as const } : x));
      c.store.update<Node>({ ...n, status: { ...n.status, conditions } }, 'test', 'status');
    });
  });
  t.same(seen.status, [0, 20_000, 320_000, 620_000]);
});

t.test('a failed kubelet stops renewing: the Lease keeps the renewal before the failure', async (t) => {
  const seen = { status: [] as number[], renewTimes: [] as number[] };
  run(`name: t\nuntil: 2m\ncluster:\n${node}\nevents:\n  - {at: 30s, failNode: node-1}\n`, (c) => heartbeats(c, seen));
  t.same(seen.renewTimes, [0, 10_000, 20_000, 20_000, 20_000, 20_000, 20_000], 'the renewal due at 30s does not happen');
});

t.test('after a partition heals, the kubelet writes status and Lease at once and counts its periods from there', async (t) => {
  const seen = { status: [] as number[], renewTimes: [] as number[] };
  run(`name: t\nuntil: 7m\ncluster:\n${node}\nevents:\n  - {at: 22s, partitionNode: node-1}\n  - {at: 41s, healNode: node-1}\n`, (c) => heartbeats(c, seen));
  t.same(seen.renewTimes, [0, 10_000, 20_000, 20_000, 41_000, 51_000, 61_000]);
  t.same(seen.status, [0, 41_000, 341_000]);
});
