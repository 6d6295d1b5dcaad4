// The safety invariants: for each, a small hand-built situation that breaks it and one that does
// not. Clusters are real Clusters; the writes are the components' own (actor and verb as the
// scheduler and the controllers write them), made directly on the store, so only the invariant
// under test judges them. Pods are addressed to a scheduler no profile serves, so the real one
// never acts on them when the simulation runs.
import t from 'tap';
import type { Store } from '../../src/api/store.js';
import type { Deployment, Node, PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, Pod, PodSpec, PriorityClass, ReplicaSet, VolumeAttachment } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import {
  INVARIANTS,
  type Invariant,
  invariantNames,
  noBindToFailingNode,
  noDoubleBinding,
  noNodeOverAllocatable,
  podAffinityRespected,
  preemptionOnlyLowerPriority,
  rwoVolumeSingleNode,
  topologySpreadRespected,
  watchInstantEnds,
  workloadWithinBounds,
} from '../../src/cluster/invariants.js';
import { loadText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';

const SCHEDULER = 'default-scheduler';
const RS_CONTROLLER = 'replicaset-controller';
const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

function newCluster(invariants: readonly Invariant[], instantEnds = true): Cluster {
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: { profiles: [], percentageOfNodesToScore: 0 },
    invariants,
    keepTrace: false,
    components: 'scheduler-only',
  });
  if (instantEnds) watchInstantEnds(c.sim, c.store, invariants, c.violations);
  return c;
}

function must<T>(r: { ok: true; object: T } | { ok: false; message: string }): T {
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

interface NodeOptions {
  labels?: Record<string, string>;
  allocatable?: Record<string, string>;
  taints?: Node['spec']['taints'];
  unschedulable?: boolean;
}

function addNode(store: Store, name: string, o: NodeOptions = {}): Node {
  const allocatable = o.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' };
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [HOST]: name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
  return must(store.create(node, `kubelet/${name}`, 'register'));
}

interface PodOptions {
  labels?: Record<string, string>;
  namespace?: string;
  cpu?: string;
  nodeName?: string;
  spec?: Partial<PodSpec>;
  owner?: ReplicaSet;
}

function createPod(store: Store, name: string, o: PodOptions = {}, actor = 'kubectl'): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner.metadata.name, uid: o.owner.metadata.uid!, controller: true }] } : {}),
    },
    spec: {
      schedulerName: 'not-served',
      containers: [{ name: 'c', image: 'app', resources: { requests: { cpu: o.cpu ?? '100m', memory: '64Mi' } } }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...o.spec,
    },
    status: {},
  };
  return must(store.create(pod, actor));
}

/** The pods/binding subresource as the scheduler writes it. */
function bind(store: Store, pod: Pod, nodeName: string): Pod {
  const current = store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name)!;
  return must(store.update<Pod>({ ...current, spec: { ...current.spec, nodeName } }, SCHEDULER, 'bind'));
}

function messages(c: Cluster): string[] {
  return c.violations.map((v) => `${v.invariant}: ${v.message}`);
}

t.test('the library', async (t) => {
  t.same(invariantNames(), [
    'no-node-over-allocatable',
    'no-bind-to-failing-node',
    'no-double-binding',
    'topology-spread-respected',
    'pod-affinity-respected',
    'preemption-only-lower-priority',
    'workload-within-bounds',
    'rwo-volume-single-node',
  ]);
  for (const inv of INVARIANTS) {
    t.equal(inv.kind, 'safety', inv.name);
    t.match(inv.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    t.ok(inv.description.length > 20 && inv.upstream.length > 10, `${inv.name} explains itself and cites upstream`);
  }
});

t.test('no-node-over-allocatable', async (t) => {
  t.test('cpu over allocatable after a binding', async (t) => {
    const c = newCluster([noNodeOverAllocatable]);
    addNode(c.store, 'n1', { allocatable: { cpu: '2', memory: '8Gi', pods: '110' } });
    createPod(c.store, 'a', { cpu: '1500m', nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'b', { cpu: '1' }), 'n1');
    t.same(messages(c), ['no-node-over-allocatable: binding Pod/default/b put node n1 over its allocatable: cpu 2500m > 2000m']);
    t.same(c.violations[0]!.objects, ['Pod/default/b', 'Node/n1']);
  });
  t.test('the pod count', async (t) => {
    const c = newCluster([noNodeOverAllocatable]);
    addNode(c.store, 'n1', { allocatable: { cpu: '2', memory: '8Gi', pods: '1' } });
    createPod(c.store, 'a', { nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'b'), 'n1');
    t.same(messages(c), ['no-node-over-allocatable: binding Pod/default/b put node n1 over its allocatable: pods 2 > 1']);
  });
  t.test('within allocatable; terminal pods do not count', async (t) => {
    const c = newCluster([noNodeOverAllocatable]);
    addNode(c.store, 'n1', { allocatable: { cpu: '2', memory: '8Gi', pods: '110' } });
    const done = createPod(c.store, 'done', { cpu: '2', nodeName: 'n1' });
    must(c.store.update<Pod>({ ...done, status: { ...done.status, phase: 'Succeeded' } }, 'kubelet/n1', 'status'));
    createPod(c.store, 'a', { cpu: '1500m', nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'b', { cpu: '500m' }), 'n1');
    t.same(messages(c), []);
  });
});

t.test('no-bind-to-failing-node', async (t) => {
  const cases: Array<{ name: string; node: NodeOptions; pod: PodOptions; want?: string }> = [
    { name: 'nodeSelector', node: { labels: { disk: 'hdd' } }, pod: { spec: { nodeSelector: { disk: 'ssd' } } }, want: "does not match the pod's nodeSelector / required node affinity" },
    { name: 'nodeSelector matches', node: { labels: { disk: 'ssd' } }, pod: { spec: { nodeSelector: { disk: 'ssd' } } } },
    { name: 'untolerated taint', node: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }, pod: {}, want: 'has the untolerated taint dedicated=db:NoSchedule' },
    { name: 'tolerated taint', node: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }, pod: { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] } } },
    { name: 'PreferNoSchedule is no filter', node: { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }, pod: {} },
    { name: 'unschedulable', node: { unschedulable: true }, pod: {}, want: 'is unschedulable (cordoned)' },
  ];
  for (const row of cases) {
    t.test(row.name, async (t) => {
      const c = newCluster([noBindToFailingNode]);
      addNode(c.store, 'n1', row.node);
      bind(c.store, createPod(c.store, 'p', row.pod), 'n1');
      t.same(messages(c), row.want ? [`no-bind-to-failing-node: Pod/default/p was bound to node n1, which ${row.want}`] : []);
    });
  }
  t.test('host ports', async (t) => {
    const c = newCluster([noBindToFailingNode]);
    addNode(c.store, 'n1');
    const port = (hostPort: number): Partial<PodSpec> => ({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort }] }] });
    createPod(c.store, 'a', { nodeName: 'n1', spec: port(8080) });
    bind(c.store, createPod(c.store, 'b', { spec: port(9090) }), 'n1');
    t.same(messages(c), []);
    bind(c.store, createPod(c.store, 'c', { spec: port(8080) }), 'n1');
    t.same(messages(c), ['no-bind-to-failing-node: Pod/default/c was bound to node n1, which already has host port TCP/8080 in use by Pod/default/a']);
  });
  t.test('a bound volume the node cannot use', async (t) => {
    const c = newCluster([noBindToFailingNode]);
    addNode(c.store, 'n1', { labels: { 'topology.kubernetes.io/zone': 'a' } });
    addNode(c.store, 'n2', { labels: { 'topology.kubernetes.io/zone': 'b' } });
    const pinned = (name: string, zone: string): PersistentVolume => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } } },
      status: { phase: 'Bound' },
    });
    const claim = (name: string, volumeName: string): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], volumeName, resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } });
    must(c.store.create(pinned('pv-b', 'b'), 'test'));
    must(c.store.create(claim('data', 'pv-b'), 'test'));
    must(c.store.create(claim('unbound', ''), 'test'));
    const withClaim = (claimName: string): PodOptions => ({ spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName } }] } });
    bind(c.store, createPod(c.store, 'ok', withClaim('data')), 'n2');
    bind(c.store, createPod(c.store, 'unbound-claim', withClaim('unbound')), 'n1');
    t.same(messages(c), [], 'the volume is usable from n2; an unbound claim is not judged');
    bind(c.store, createPod(c.store, 'p', withClaim('data')), 'n1');
    t.same(messages(c), ['no-bind-to-failing-node: Pod/default/p was bound to node n1, which cannot use PersistentVolume pv-b (bound to its claim data): volume node affinity / zone conflict']);
  });
});

t.test('no-double-binding', async (t) => {
  const c = newCluster([noDoubleBinding]);
  addNode(c.store, 'n1');
  addNode(c.store, 'n2');
  const p = bind(c.store, createPod(c.store, 'p'), 'n1');
  t.same(messages(c), []);
  bind(c.store, p, 'n2');
  t.same(messages(c), ['no-double-binding: Pod/default/p was bound to n2 while already bound to n1']);
  const d = newCluster([noDoubleBinding]);
  bind(d.store, createPod(d.store, 'q'), 'gone');
  t.same(messages(d), ['no-double-binding: Pod/default/q was bound to node gone, which does not exist']);
  t.same(d.violations[0]!.objects, ['Pod/default/q', 'Node/gone']);
});

t.test('topology-spread-respected', async (t) => {
  const spread = (extra: Record<string, unknown> = {}): Partial<PodSpec> => ({
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra }],
  });
  const web = { app: 'web' };
  function zones(c: Cluster, names = ['a', 'b']): void {
    names.forEach((z, i) => addNode(c.store, `n${i + 1}`, { labels: { [ZONE]: z, disk: 'ssd' } }));
  }

  t.test('skew over maxSkew', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    createPod(c.store, 'web-1', { labels: web, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'web-2', { labels: web, spec: spread() }), 'n1');
    t.same(messages(c), [
      'topology-spread-respected: Pod/default/web-2 was bound to node n1, which breaks its DoNotSchedule topology spread constraint on topology.kubernetes.io/zone (selector app=web): skew 2 > maxSkew 1, with 2 matching pods in a counting this one and a global minimum of 0 (before the binding: a=1, b=0)',
    ]);
  });
  t.test('the emptier domain', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    createPod(c.store, 'web-1', { labels: web, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'web-2', { labels: web, spec: spread() }), 'n2');
    t.same(messages(c), []);
  });
  t.test('terminating pods, other namespaces and non-matching pods do not count', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    createPod(c.store, 'web-1', { labels: web, nodeName: 'n1' });
    const old = createPod(c.store, 'web-old', { labels: web, nodeName: 'n2' });
    must(c.store.update<Pod>({ ...old, metadata: { ...old.metadata, deletionTimestamp: 30_000 } }, 'kubectl', 'delete-graceful'));
    createPod(c.store, 'web-elsewhere', { labels: web, nodeName: 'n2', namespace: 'other' });
    createPod(c.store, 'db', { labels: { app: 'db' }, nodeName: 'n2' });
    bind(c.store, createPod(c.store, 'web-2', { labels: web, spec: spread() }), 'n1');
    t.equal(c.violations.length, 1, 'zone b still counts 0');
  });
  t.test('minDomains: fewer eligible domains than minDomains make the minimum 0', async (t) => {
    const withMin = newCluster([topologySpreadRespected]);
    zones(withMin);
    createPod(withMin.store, 'web-1', { labels: web, nodeName: 'n1' });
    createPod(withMin.store, 'web-2', { labels: web, nodeName: 'n2' });
    bind(withMin.store, createPod(withMin.store, 'web-3', { labels: web, spec: spread({ minDomains: 3 }) }), 'n1');
    t.same(messages(withMin), [
      'topology-spread-respected: Pod/default/web-3 was bound to node n1, which breaks its DoNotSchedule topology spread constraint on topology.kubernetes.io/zone (selector app=web): skew 2 > maxSkew 1, with 2 matching pods in a counting this one and a global minimum of 0 (2 of minDomains 3 domains) (before the binding: a=1, b=1)',
    ]);
    const without = newCluster([topologySpreadRespected]);
    zones(without);
    createPod(without.store, 'web-1', { labels: web, nodeName: 'n1' });
    createPod(without.store, 'web-2', { labels: web, nodeName: 'n2' });
    bind(without.store, createPod(without.store, 'web-3', { labels: web, spec: spread() }), 'n1');
    t.same(messages(without), []);
  });
  t.test("nodeAffinityPolicy Honor: a domain the pod's nodeSelector excludes is not eligible", async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    addNode(c.store, 'n3', { labels: { [ZONE]: 'c' } });
    createPod(c.store, 'web-1', { labels: web, nodeName: 'n1' });
    createPod(c.store, 'web-2', { labels: web, nodeName: 'n2' });
    bind(c.store, createPod(c.store, 'web-3', { labels: web, spec: { ...spread(), nodeSelector: { disk: 'ssd' } } }), 'n1');
    t.same(messages(c), [], 'zone c (0 pods) is not a domain of this pod');
    const ignore = newCluster([topologySpreadRespected]);
    zones(ignore);
    addNode(ignore.store, 'n3', { labels: { [ZONE]: 'c' } });
    createPod(ignore.store, 'web-1', { labels: web, nodeName: 'n1' });
    createPod(ignore.store, 'web-2', { labels: web, nodeName: 'n2' });
    bind(ignore.store, createPod(ignore.store, 'web-3', { labels: web, spec: { ...spread({ nodeAffinityPolicy: 'Ignore' }), nodeSelector: { disk: 'ssd' } } }), 'n1');
    t.equal(ignore.violations.length, 1, 'with Ignore, zone c counts and its 0 is the minimum');
  });
  t.test('nodeTaintsPolicy Honor: a domain behind an untolerated taint is not eligible', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    addNode(c.store, 'n1', { labels: { [ZONE]: 'a' } });
    addNode(c.store, 'n2', { labels: { [ZONE]: 'b' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
    createPod(c.store, 'web-1', { labels: web, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'web-2', { labels: web, spec: spread({ nodeTaintsPolicy: 'Honor' }) }), 'n1');
    t.same(messages(c), []);
  });
  t.test('matchLabelKeys narrow the selector to the pod’s own values', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    createPod(c.store, 'web-v1', { labels: { app: 'web', version: 'v1' }, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'web-v2', { labels: { app: 'web', version: 'v2' }, spec: spread({ matchLabelKeys: ['version'] }) }), 'n1');
    t.same(messages(c), []);
  });
  t.test('a node without the topology key', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    addNode(c.store, 'bare');
    bind(c.store, createPod(c.store, 'web-1', { labels: web, spec: spread() }), 'bare');
    t.same(messages(c), ['topology-spread-respected: Pod/default/web-1 was bound to node bare, which lacks the topology key topology.kubernetes.io/zone of its DoNotSchedule topology spread constraint']);
  });
  t.test('ScheduleAnyway constraints are not checked', async (t) => {
    const c = newCluster([topologySpreadRespected]);
    zones(c);
    createPod(c.store, 'web-1', { labels: web, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'web-2', { labels: web, spec: spread({ whenUnsatisfiable: 'ScheduleAnyway' }) }), 'n1');
    t.same(messages(c), []);
  });
});

t.test('pod-affinity-respected', async (t) => {
  const term = (key: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({ topologyKey: key, labelSelector: { matchLabels: labels }, ...extra });
  const antiAffinity = (key: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): Partial<PodSpec> => ({
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(key, labels, extra)] } },
  });
  const affinity = (key: string, labels: Record<string, string>): Partial<PodSpec> => ({
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(key, labels)] } },
  });
  function twoZones(c: Cluster): void {
    addNode(c.store, 'n1', { labels: { [ZONE]: 'a' } });
    addNode(c.store, 'n2', { labels: { [ZONE]: 'b' } });
  }

  t.test("the pod's anti-affinity", async (t) => {
    const c = newCluster([podAffinityRespected]);
    twoZones(c);
    createPod(c.store, 'web-1', { labels: { app: 'web' }, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'web-2', { labels: { app: 'web' }, spec: antiAffinity(HOST, { app: 'web' }) }), 'n2');
    t.same(messages(c), []);
    bind(c.store, createPod(c.store, 'web-3', { labels: { app: 'web' }, spec: antiAffinity(HOST, { app: 'web' }) }), 'n1');
    t.same(messages(c), [
      'pod-affinity-respected: Pod/default/web-3 was bound to node n1, which already has Pod/default/web-1 in kubernetes.io/hostname=n1, excluded by the pod\'s required pod anti-affinity (topologyKey kubernetes.io/hostname, selector app=web)',
    ]);
    t.same(c.violations[0]!.objects, ['Pod/default/web-3', 'Node/n1', 'Pod/default/web-1']);
  });
  t.test("an existing pod's anti-affinity", async (t) => {
    const c = newCluster([podAffinityRespected]);
    twoZones(c);
    createPod(c.store, 'loner', { labels: { app: 'loner' }, nodeName: 'n1', spec: antiAffinity(ZONE, { app: 'noisy' }) });
    bind(c.store, createPod(c.store, 'noisy-1', { labels: { app: 'noisy' } }), 'n2');
    t.same(messages(c), []);
    bind(c.store, createPod(c.store, 'noisy-2', { labels: { app: 'noisy' } }), 'n1');
    t.same(messages(c), [
      'pod-affinity-respected: Pod/default/noisy-2 was bound to node n1, which shares topology.kubernetes.io/zone=a with Pod/default/loner, whose required pod anti-affinity (topologyKey topology.kubernetes.io/zone, selector app=noisy) excludes it',
    ]);
  });
  t.test('anti-affinity terms see their own namespace unless they say otherwise', async (t) => {
    const c = newCluster([podAffinityRespected]);
    twoZones(c);
    createPod(c.store, 'web-other', { labels: { app: 'web' }, nodeName: 'n1', namespace: 'other' });
    bind(c.store, createPod(c.store, 'web-1', { labels: { app: 'web' }, spec: antiAffinity(HOST, { app: 'web' }) }), 'n1');
    t.same(messages(c), [], 'Pod/other/web-other is in another namespace');
    bind(c.store, createPod(c.store, 'web-2', { labels: { app: 'web' }, spec: antiAffinity(HOST, { app: 'web' }, { namespaceSelector: {} }) }), 'n1');
    t.equal(c.violations.length, 1, 'an empty namespaceSelector means every namespace');
    t.match(c.violations[0]!.message, /Pod\/default\/web-2 was bound to node n1, which already has Pod\/(other\/web-other|default\/web-1) in kubernetes.io\/hostname=n1/);
  });
  t.test("the pod's affinity", async (t) => {
    const c = newCluster([podAffinityRespected]);
    twoZones(c);
    createPod(c.store, 'db', { labels: { app: 'db' }, nodeName: 'n1' });
    bind(c.store, createPod(c.store, 'app-1', { labels: { app: 'app' }, spec: affinity(ZONE, { app: 'db' }) }), 'n1');
    t.same(messages(c), []);
    bind(c.store, createPod(c.store, 'app-2', { labels: { app: 'app' }, spec: affinity(ZONE, { app: 'db' }) }), 'n2');
    t.same(messages(c), [
      'pod-affinity-respected: Pod/default/app-2 was bound to node n2, which has no pod matching its required pod affinity (topologyKey topology.kubernetes.io/zone, selector app=db) in topology.kubernetes.io/zone=b',
    ]);
  });
  t.test('the first pod of a group', async (t) => {
    const c = newCluster([podAffinityRespected]);
    twoZones(c);
    bind(c.store, createPod(c.store, 'cache-1', { labels: { app: 'cache' }, spec: affinity(ZONE, { app: 'cache' }) }), 'n2');
    t.same(messages(c), [], 'no pod matches yet, and the pod matches its own term');
    bind(c.store, createPod(c.store, 'odd-1', { labels: { app: 'odd' }, spec: affinity(ZONE, { app: 'other' }) }), 'n2');
    t.same(messages(c), [
      'pod-affinity-respected: Pod/default/odd-1 was bound to node n2, which has no pod matching its required pod affinity (topologyKey topology.kubernetes.io/zone, selector app=other) in topology.kubernetes.io/zone=b, and the pod is not the first of its group (it does not match its own terms)',
    ]);
  });
  t.test('a node without the topology key of an affinity term', async (t) => {
    const c = newCluster([podAffinityRespected]);
    addNode(c.store, 'bare');
    bind(c.store, createPod(c.store, 'cache-1', { labels: { app: 'cache' }, spec: affinity(ZONE, { app: 'cache' }) }), 'bare');
    t.same(messages(c), ['pod-affinity-respected: Pod/default/cache-1 was bound to node bare, which lacks the topology key topology.kubernetes.io/zone of its required pod affinity']);
  });
});

t.test('preemption-only-lower-priority', async (t) => {
  function setup(preemptorClass: string): { c: Cluster; victim: Pod; preemptor: Pod } {
    const c = newCluster([preemptionOnlyLowerPriority]);
    for (const [name, value] of [['low', 100], ['high', 1000]] as const) {
      const pc: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value };
      must(c.store.create(pc, 'kubectl'));
    }
    addNode(c.store, 'n1');
    const victim = createPod(c.store, 'victim', { nodeName: 'n1', spec: { priorityClassName: 'low' } });
    const preemptor = createPod(c.store, 'preemptor', { spec: { priorityClassName: preemptorClass } });
    return { c, victim, preemptor };
  }
  /** Evaluator.PreemptPod then handleSchedulingFailure, as the scheduler writes them at one instant. */
  function preempt(store: Store, victim: Pod, preemptor: Pod | undefined): void {
    const v = store.get<Pod>('Pod', 'default', victim.metadata.name)!;
    const conditions = [...(v.status.conditions ?? []), { type: 'DisruptionTarget', status: 'True' as const, reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }];
    must(store.update<Pod>({ ...v, status: { ...v.status, conditions } }, SCHEDULER, 'status'));
    must(store.delete('Pod', 'default', victim.metadata.name, SCHEDULER));
    if (!preemptor) return;
    const p = store.get<Pod>('Pod', 'default', preemptor.metadata.name)!;
    must(store.update<Pod>({ ...p, status: { ...p.status, nominatedNodeName: 'n1' } }, SCHEDULER, 'status'));
  }

  t.test('a lower-priority victim', async (t) => {
    const { c, victim, preemptor } = setup('high');
    c.sim.at(60_000, 'test', () => preempt(c.store, victim, preemptor));
    c.run({ untilMs: 120_000, maxSteps: 10_000 });
    t.same(messages(c), []);
  });
  t.test('a victim of equal priority', async (t) => {
    const { c, victim, preemptor } = setup('low');
    c.sim.at(60_000, 'test', () => preempt(c.store, victim, preemptor));
    c.run({ untilMs: 120_000, maxSteps: 10_000 });
    t.same(messages(c), [
      'preemption-only-lower-priority: Pod/default/victim (priority 100) was preempted on node n1, but no pod nominated to n1 at that instant has a higher priority (nominated: Pod/default/preemptor (priority 100))',
    ]);
    t.equal(c.violations[0]!.timeMs, 60_000);
    t.same(c.violations[0]!.objects, ['Pod/default/victim', 'Node/n1', 'Pod/default/preemptor']);
  });
  t.test('a victim with no nomination at all', async (t) => {
    const { c, victim } = setup('high');
    c.sim.at(60_000, 'test', () => preempt(c.store, victim, undefined));
    c.run({ untilMs: 120_000, maxSteps: 10_000 });
    t.same(messages(c), ['preemption-only-lower-priority: Pod/default/victim (priority 100) was preempted on node n1, but no pod nominated to n1 at that instant has a higher priority (nominated: none)']);
  });
  t.test('a nomination made at an earlier instant still counts', async (t) => {
    const { c, victim, preemptor } = setup('high');
    c.sim.at(10_000, 'test', () => {
      const p = c.store.get<Pod>('Pod', 'default', 'preemptor')!;
      must(c.store.update<Pod>({ ...p, status: { ...p.status, nominatedNodeName: 'n1' } }, SCHEDULER, 'status'));
    });
    c.sim.at(60_000, 'test', () => preempt(c.store, victim, undefined));
    c.run({ untilMs: 120_000, maxSteps: 10_000 });
    t.same(messages(c), []);
    t.ok(preemptor);
  });
  t.test('a preemptor nominated earlier and deleted at the instant of its preemption still counts', async (t) => {
    const { c, victim, preemptor } = setup('high');
    c.sim.at(10_000, 'test', () => {
      const p = c.store.get<Pod>('Pod', 'default', 'preemptor')!;
      must(c.store.update<Pod>({ ...p, status: { ...p.status, nominatedNodeName: 'n1' } }, SCHEDULER, 'status'));
    });
    c.sim.at(60_000, 'test', () => {
      preempt(c.store, victim, undefined);
      must(c.store.delete('Pod', 'default', preemptor.metadata.name, RS_CONTROLLER));
    });
    c.run({ untilMs: 120_000, maxSteps: 10_000 });
    t.same(messages(c), []);
  });
  t.test('a Cluster on its own judges the instant when it settles (no scenario runner needed)', async (t) => {
    const c = newCluster([preemptionOnlyLowerPriority], false);
    addNode(c.store, 'n1');
    const victim = createPod(c.store, 'victim', { nodeName: 'n1' });
    c.sim.at(60_000, 'test', () => preempt(c.store, victim, undefined));
    c.sim.at(70_000, 'test', () => createPod(c.store, 'later'));
    c.run({ untilMs: 120_000, maxSteps: 10_000 });
    t.same(messages(c), ['preemption-only-lower-priority: Pod/default/victim (priority 0) was preempted on node n1, but no pod nominated to n1 at that instant has a higher priority (nominated: none)']);
    t.same(c.violations.map((v) => v.timeMs), [60_000], 'reported at the instant of the preemption');
  });
});

t.test('rwo-volume-single-node', async (t) => {
  const AD = 'attachdetach-controller';
  function volume(store: Store, name: string, modes: PersistentVolumeAccessMode[]): void {
    const pv: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: modes, csi: { driver: 'd', volumeHandle: name } }, status: {} };
    must(store.create(pv, 'kubectl'));
  }
  function attach(store: Store, pvName: string, nodeName: string, attached = false): VolumeAttachment {
    const va: VolumeAttachment = { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: `va-${pvName}-${nodeName}` }, spec: { attacher: 'd', nodeName, source: { persistentVolumeName: pvName } }, status: { attached } };
    return must(store.create(va, AD, 'attach'));
  }

  t.test('a ReadWriteOnce volume attaching to a second node', async (t) => {
    const c = newCluster([rwoVolumeSingleNode]);
    volume(c.store, 'disk', ['ReadWriteOnce']);
    attach(c.store, 'disk', 'n1', true);
    t.same(messages(c), [], 'one node');
    attach(c.store, 'disk', 'n2');
    t.same(messages(c), ['rwo-volume-single-node: PersistentVolume disk (ReadWriteOnce) is attached or attaching to 2 nodes: n1, n2']);
    t.same(c.violations[0]!.objects, ['PersistentVolume/disk', 'VolumeAttachment/va-disk-n1', 'VolumeAttachment/va-disk-n2']);
  });

  t.test('ReadWriteOncePod counts; a detaching attachment still counts until it is gone', async (t) => {
    const c = newCluster([rwoVolumeSingleNode]);
    volume(c.store, 'disk', ['ReadWriteOncePod']);
    const first = attach(c.store, 'disk', 'n1', true);
    must(c.store.update<VolumeAttachment>({ ...first, metadata: { ...first.metadata, deletionTimestamp: 1 } }, AD, 'detach'));
    attach(c.store, 'disk', 'n2');
    t.equal(c.violations.length, 1);
  });

  t.test('detached first, then attached elsewhere: fine', async (t) => {
    const c = newCluster([rwoVolumeSingleNode]);
    volume(c.store, 'disk', ['ReadWriteOnce']);
    attach(c.store, 'disk', 'n1', true);
    must(c.store.delete('VolumeAttachment', undefined, 'va-disk-n1', AD));
    attach(c.store, 'disk', 'n2');
    t.same(messages(c), []);
  });

  t.test('multi-attachable volumes (ReadWriteMany, ReadOnlyMany among the modes, or none) may be on several nodes', async (t) => {
    const c = newCluster([rwoVolumeSingleNode]);
    volume(c.store, 'shared', ['ReadWriteMany']);
    volume(c.store, 'ro', ['ReadWriteOnce', 'ReadOnlyMany']);
    volume(c.store, 'unknown', []);
    for (const pv of ['shared', 'ro', 'unknown']) {
      attach(c.store, pv, 'n1', true);
      attach(c.store, pv, 'n2', true);
    }
    t.same(messages(c), []);
  });
});

t.test('workload-within-bounds', async (t) => {
  function replicaSet(store: Store, name: string, replicas: number, owner?: Deployment): ReplicaSet {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid!, controller: true }] } : {}) },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c' }] } } },
      status: { replicas: 0 },
    };
    return must(store.create(rs, owner ? 'deployment-controller' : 'kubectl'));
  }
  function deployment(store: Store, replicas: number, strategy?: Deployment['spec']['strategy']): Deployment {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } }, ...(strategy ? { strategy } : {}) },
      status: {},
    };
    const created = must(store.create(d, 'kubectl'));
    return must(store.update<Deployment>({ ...created, status: { observedGeneration: created.metadata.generation! } }, 'deployment-controller', 'status'));
  }

  t.test('a ReplicaSet over its replicas', async (t) => {
    const c = newCluster([workloadWithinBounds]);
    const rs = replicaSet(c.store, 'rs', 2);
    createPod(c.store, 'rs-1', { owner: rs }, RS_CONTROLLER);
    createPod(c.store, 'rs-2', { owner: rs }, RS_CONTROLLER);
    t.same(messages(c), []);
    createPod(c.store, 'rs-3', { owner: rs }, RS_CONTROLLER);
    t.same(messages(c), ['workload-within-bounds: creating Pod/default/rs-3 gave ReplicaSet/default/rs 3 active (non-terminating) pods, more than its spec.replicas 2']);
  });
  t.test('terminating pods are replaced, not counted', async (t) => {
    const c = newCluster([workloadWithinBounds]);
    const rs = replicaSet(c.store, 'rs', 1);
    const first = createPod(c.store, 'rs-1', { owner: rs, nodeName: 'n1' }, RS_CONTROLLER);
    must(c.store.delete('Pod', 'default', first.metadata.name, 'taint-eviction-controller'));
    createPod(c.store, 'rs-2', { owner: rs }, RS_CONTROLLER);
    t.same(messages(c), []);
  });
  t.test('a Deployment over replicas + maxSurge during a rolling update', async (t) => {
    const c = newCluster([workloadWithinBounds]);
    const d = deployment(c.store, 4);
    const old = replicaSet(c.store, 'web-old', 4, d);
    const next = replicaSet(c.store, 'web-new', 2, d);
    for (let i = 1; i <= 4; i++) createPod(c.store, `web-old-${i}`, { owner: old }, RS_CONTROLLER);
    createPod(c.store, 'web-new-1', { owner: next }, RS_CONTROLLER);
    t.same(messages(c), [], '5 = 4 + 25% of 4 rounded up');
    createPod(c.store, 'web-new-2', { owner: next }, RS_CONTROLLER);
    t.same(messages(c), ['workload-within-bounds: creating Pod/default/web-new-2 gave Deployment/default/web 6 active (non-terminating) pods, more than spec.replicas 4 + maxSurge 1']);
    t.same(c.violations[0]!.objects, ['Deployment/default/web', 'ReplicaSet/default/web-new', 'Pod/default/web-new-2']);
  });
  t.test('a spec the Deployment controller has not observed yet is not judged', async (t) => {
    const c = newCluster([workloadWithinBounds]);
    const d = deployment(c.store, 4);
    const old = replicaSet(c.store, 'web-old', 4, d);
    for (let i = 1; i <= 3; i++) createPod(c.store, `web-old-${i}`, { owner: old }, RS_CONTROLLER);
    must(c.store.update<Deployment>({ ...c.store.get<Deployment>('Deployment', 'default', 'web')!, spec: { ...d.spec, replicas: 1 } }, 'kubectl', 'scale'));
    createPod(c.store, 'web-old-4', { owner: old }, RS_CONTROLLER);
    t.same(messages(c), [], 'the ReplicaSet still follows replicas 4');
  });
  t.test('a percentage surge rounds up', async (t) => {
    const c = newCluster([workloadWithinBounds]);
    const d = deployment(c.store, 3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } });
    const old = replicaSet(c.store, 'web-old', 3, d);
    const next = replicaSet(c.store, 'web-new', 1, d);
    for (let i = 1; i <= 3; i++) createPod(c.store, `web-old-${i}`, { owner: old }, RS_CONTROLLER);
    createPod(c.store, 'web-new-1', { owner: next }, RS_CONTROLLER);
    t.same(messages(c), [], '10% of 3 rounds up to 1');
  });
  t.test('Recreate deployments are left to the ReplicaSet bound', async (t) => {
    const c = newCluster([workloadWithinBounds]);
    const d = deployment(c.store, 1, { type: 'Recreate' });
    const old = replicaSet(c.store, 'web-old', 1, d);
    const next = replicaSet(c.store, 'web-new', 1, d);
    createPod(c.store, 'web-old-1', { owner: old }, RS_CONTROLLER);
    createPod(c.store, 'web-new-1', { owner: next }, RS_CONTROLLER);
    t.same(messages(c), []);
  });
  t.test('only the ReplicaSet controller’s creates are judged when the writer is known', async (t) => {
    const c = newCluster([]);
    const rs = replicaSet(c.store, 'rs', 0);
    const pod = createPod(c.store, 'adopted', { owner: rs });
    const ev = { type: 'ADDED' as const, object: pod };
    t.equal(workloadWithinBounds.check(ev, 'create', c.store, 'kubectl'), undefined);
    t.match(workloadWithinBounds.check(ev, 'create', c.store, RS_CONTROLLER)?.message, /more than its spec\.replicas 0/);
  });
});

t.test('a violation stops the run at its instant', async (t) => {
  const c = newCluster(INVARIANTS);
  addNode(c.store, 'n1', { unschedulable: true });
  const p = createPod(c.store, 'p');
  c.sim.at(5_000, 'test', () => bind(c.store, p, 'n1'));
  c.sim.at(6_000, 'test', () => createPod(c.store, 'never'));
  const outcome = c.run({ untilMs: 60_000, maxSteps: 10_000 });
  t.equal(outcome.kind, 'stopped');
  t.equal(outcome.endMs, 5_000);
  t.same(messages(c), ['no-bind-to-failing-node: Pod/default/p was bound to node n1, which is unschedulable (cordoned)']);
  t.equal(c.store.get('Pod', 'default', 'never'), undefined);
});

t.test('a broken policy is caught in a whole run', async (t) => {
  const run = (name: string, disabledFilter: string, body: string) => {
    const text = `name: ${name}
until: 1m
cluster:
  scheduler:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - schedulerName: default-scheduler
        plugins:
          filter:
            disabled: [{name: ${disabledFilter}}]
${body}`;
    const loaded = loadText(text, `${name}.yaml`);
    t.same(loaded.errors, [], `${name} loads`);
    return runScenario(loaded.scenarios[0]!);
  };
  const deployment = (spec: string) => `    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
${spec}
            containers: [{name: c, image: web:1, resources: {requests: {cpu: "1", memory: 1Gi}}}]
`;

  const anti = run('anti-affinity-ignored', 'InterPodAffinity', `  nodes:
    - name: node-{1..3}
      capacity: {cpu: "4", memory: 16Gi}
  objects:
${deployment(`            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  - {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}`)}`);
  t.equal(anti.passed, false);
  t.match(anti.failures, [{ kind: 'invariant', violation: { invariant: 'pod-affinity-respected', message: /^Pod\/default\/web-\S+ was bound to node node-\d, which already has Pod\/default\/web-\S+ in kubernetes.io\/hostname=node-\d, excluded by the pod's required pod anti-affinity \(topologyKey kubernetes.io\/hostname, selector app=web\)$/ } }]);

  const spread = run('spread-ignored', 'PodTopologySpread', `  nodes:
    - {name: big, capacity: {cpu: "16", memory: 64Gi}, zone: a}
    - {name: small, capacity: {cpu: "4", memory: 16Gi}, zone: b}
  objects:
${deployment(`            topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}`)}`);
  t.equal(spread.passed, false);
  t.match(spread.failures, [{ kind: 'invariant', violation: { invariant: 'topology-spread-respected', message: /which breaks its DoNotSchedule topology spread constraint on topology.kubernetes.io\/zone \(selector app=web\): skew 2 > maxSkew 1/ } }]);

  const fit = run('fit-ignored', 'NodeResourcesFit', `  nodes:
    - {name: node-1, capacity: {cpu: "2", memory: 16Gi}}
  objects:
${deployment('')}`);
  t.equal(fit.passed, false);
  t.match(fit.failures, [{ kind: 'invariant', violation: { invariant: 'no-node-over-allocatable', message: /put node node-1 over its allocatable: cpu 3000m > 2000m$/ } }]);
});
