// Admission as the API server applies it: DefaultTolerationSeconds
// (plugin/pkg/admission/defaulttolerationseconds/admission.go) runs on creates and updates of a
// pod itself, never on its subresources (status, binding); defaulting (pkg/apis/core/v1/defaults.go);
// TaintNodesByCondition (plugin/pkg/admission/nodetaint/admission.go) on Node creates.
import t from 'tap';
import { defaultTolerationSeconds, defaulting, taintNodesByCondition } from '../../src/api/admission.js';
import { Store } from '../../src/api/store.js';
import { limitRanger } from '../../src/api/limitranger.js';
import type { AnyObject, LimitRange, Node, NodeCondition, PersistentVolumeClaim, Pod, Taint } from '../../src/api/types.js';
import { Simulation } from '../../src/engine/sim.js';

function setup(): Store {
  const store = new Store(new Simulation(1), 0);
  store.addAdmission(defaultTolerationSeconds(300, 120));
  return store;
}

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: {} };
const keys = (p: Pod | undefined) => (p?.spec.tolerations ?? []).map((x) => `${x.key}:${x.effect}:${x.tolerationSeconds}`);
const DEFAULTS = ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:120'];

t.test('added on create, unless the pod tolerates the taint already', async (t) => {
  const store = setup();
  const r = store.create(pod, 'kubectl');
  t.ok(r.ok);
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), DEFAULTS);
  store.create({ ...pod, metadata: { name: 'q', namespace: 'default' }, spec: { ...pod.spec, tolerations: [{ operator: 'Exists' }] } }, 'kubectl');
  t.same(keys(store.get<Pod>('Pod', 'default', 'q')), ['undefined:undefined:undefined'], 'a toleration of everything covers both');
});

t.test('an update of the pod gets them again; a status or binding write does not', async (t) => {
  const store = setup();
  store.create(pod, 'kubectl');
  const stripped = (): Pod => {
    const cur = store.get<Pod>('Pod', 'default', 'p')!;
    return { ...cur, spec: { ...cur.spec, tolerations: [] } };
  };
  store.update(stripped(), 'kubectl', 'update');
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), DEFAULTS, 'update');
  store.update(stripped(), 'kubelet/n1', 'status');
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), [], 'pods/status');
  store.update(stripped(), 'default-scheduler', 'bind');
  t.same(keys(store.get<Pod>('Pod', 'default', 'p')), [], 'pods/binding');
});

// Defaulting (pkg/apis/apps/v1/defaults.go): an update of a ReplicaSet or Deployment that is
// defaulted already comes back as the same object (so a status write keeps its spec object),
// and any other comes back defaulted; either way the result equals defaulting from scratch.
t.test('defaulting an update: defaulted workloads pass through unchanged, others are defaulted', async (t) => {
  const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const selector = { matchLabels: { app: 'a' } };
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'default' }, spec: { selector, template } } as unknown as AnyObject;
  const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { selector, template } } as unknown as AnyObject;
  const withSpec = (o: AnyObject, spec: Record<string, unknown>, status?: object): AnyObject => ({ ...o, spec: { ...(o as { spec: object }).spec, ...spec }, ...(status ? { status } : {}) }) as AnyObject;
  const rows: Array<[string, AnyObject, boolean]> = [
    ['ReplicaSet without replicas', rs, false],
    ['ReplicaSet without status', withSpec(rs, { replicas: 2 }), false],
    ['ReplicaSet defaulted', withSpec(rs, { replicas: 2 }, { replicas: 0 }), true],
    ['Deployment without strategy', withSpec(d, { replicas: 1, revisionHistoryLimit: 10 }, {}), false],
    ['Deployment defaulted (RollingUpdate)', withSpec(d, { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } }, {}), true],
    ['Deployment defaulted (Recreate)', withSpec(d, { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'Recreate' } }, {}), true],
    ['Deployment without progressDeadlineSeconds', withSpec(d, { replicas: 1, revisionHistoryLimit: 10, strategy: { type: 'Recreate' } }, {}), false],
    ['Deployment, Recreate with a rollingUpdate left over', withSpec(d, { replicas: 1, revisionHistoryLimit: 10, strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }, {}), false],
    ['Deployment, RollingUpdate without maxUnavailable', withSpec(d, { replicas: 1, revisionHistoryLimit: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }, {}), false],
    ['Deployment without revisionHistoryLimit', withSpec(d, { replicas: 1, strategy: { type: 'Recreate' } }, {}), false],
  ];
  for (const [name, obj, same] of rows) {
    const fromScratch = defaulting('CREATE', obj, undefined, undefined as unknown as Store, '');
    const updated = defaulting('UPDATE', obj, obj, undefined as unknown as Store, '');
    t.same(updated, fromScratch, `${name}: as defaulted from scratch`);
    t.equal(updated === obj, same, `${name}: ${same ? 'the same object' : 'a defaulted copy'}`);
  }
});

t.test('SetDefaults_Pod: unset requests default to the limits, per container and init container', async (t) => {
  const c = (name: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }) => ({ name, image: 'x', ...(resources ? { resources } : {}) });
  const p = (containers: Pod['spec']['containers'], initContainers?: Pod['spec']['containers']): Pod => ({ ...pod, spec: { containers, ...(initContainers ? { initContainers } : {}) } });
  const resourcesOf = (o: AnyObject) => {
    const spec = (o as Pod).spec;
    return { containers: spec.containers.map((x) => x.resources), init: spec.initContainers?.map((x) => x.resources) };
  };
  const rows: Array<[string, Pod, ReturnType<typeof resourcesOf>]> = [
    ['limits only', p([c('a', { limits: { cpu: '2', memory: '1Gi' } })]), { containers: [{ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '2', memory: '1Gi' } }], init: undefined }],
    ['a request set is kept; the missing one comes from the limit', p([c('a', { requests: { cpu: '500m' }, limits: { cpu: '2', memory: '1Gi' } })]), { containers: [{ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } }], init: undefined }],
    ['no limits: nothing to default', p([c('a', { requests: { cpu: '1' } }), c('b')]), { containers: [{ requests: { cpu: '1' } }, undefined], init: undefined }],
    ['init containers too', p([c('a')], [c('init', { limits: { cpu: '3' } })]), { containers: [undefined], init: [{ limits: { cpu: '3' }, requests: { cpu: '3' } }] }],
    ['an extended resource limit', p([c('a', { limits: { 'nvidia.com/gpu': '1' } })]), { containers: [{ limits: { 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } }], init: undefined }],
  ];
  for (const [name, input, want] of rows) {
    const defaulted = defaulting('CREATE', input, undefined, undefined as unknown as Store, '') as AnyObject;
    t.same(resourcesOf(defaulted), want, `${name}: on create`);
    t.equal(defaulting('UPDATE', defaulted, defaulted, undefined as unknown as Store, ''), defaulted, `${name}: a defaulted pod's update passes through`);
  }
  // An update that drops a request the limit implies gets it back.
  const defaulted = defaulting('CREATE', rows[0]![1], undefined, undefined as unknown as Store, '') as Pod;
  const dropped: Pod = { ...defaulted, spec: { ...defaulted.spec, containers: [c('a', { limits: { cpu: '2' } })] } };
  t.same(resourcesOf(defaulting('UPDATE', dropped, defaulted, undefined as unknown as Store, '') as AnyObject).containers, [{ limits: { cpu: '2' }, requests: { cpu: '2' } }]);
  // Pod templates are not defaulted (SetDefaults_Pod is for pods only).
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'default' }, spec: { selector: { matchLabels: { a: 'a' } }, template: { metadata: { labels: { a: 'a' } }, spec: { containers: [c('a', { limits: { cpu: '2' } })] } } } } as unknown as AnyObject;
  const rsOut = defaulting('CREATE', rs, undefined, undefined as unknown as Store, '') as unknown as { spec: { template: { spec: Pod['spec'] } } };
  t.same(rsOut.spec.template.spec.containers[0]!.resources, { limits: { cpu: '2' } });
});

t.test('SetDefaults_NodeStatus: allocatable defaults to capacity', async (t) => {
  const node = (status: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: {}, status }) as unknown as AnyObject;
  const run = (o: AnyObject) => (defaulting('CREATE', o, undefined, undefined as unknown as Store, '') as unknown as { status: Record<string, unknown> }).status;
  t.same(run(node({ capacity: { cpu: '4', memory: '8Gi' } })), { capacity: { cpu: '4', memory: '8Gi' }, allocatable: { cpu: '4', memory: '8Gi' } });
  t.same(run(node({ capacity: { cpu: '4' }, allocatable: { cpu: '3500m' } })), { capacity: { cpu: '4' }, allocatable: { cpu: '3500m' } }, 'a set allocatable is kept');
  const none = node({});
  t.equal(defaulting('CREATE', none, undefined, undefined as unknown as Store, ''), none, 'no capacity: nothing to default');
});

t.test('defaultHostNetworkPorts: on the host network an unset hostPort becomes the containerPort', async (t) => {
  const withPorts = (hostNetwork: boolean | undefined, ports: Array<{ containerPort: number; hostPort?: number }>, init?: Array<{ containerPort: number; hostPort?: number }>): Pod => ({
    ...pod,
    spec: { ...(hostNetwork === undefined ? {} : { hostNetwork }), containers: [{ name: 'c', image: 'x', ports }], ...(init ? { initContainers: [{ name: 'i', image: 'x', ports: init }] } : {}) },
  });
  const out = (p: Pod) => defaulting('CREATE', p, undefined, undefined as unknown as Store, '') as Pod;
  const ports = (p: Pod) => ({ containers: p.spec.containers.map((c) => c.ports), init: p.spec.initContainers?.map((c) => c.ports) });
  t.same(ports(out(withPorts(true, [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }], [{ containerPort: 53 }]))), {
    containers: [[{ containerPort: 8080, hostPort: 8080 }, { containerPort: 9090, hostPort: 9090 }]],
    init: [[{ containerPort: 53, hostPort: 53 }]],
  });
  t.same(ports(out(withPorts(false, [{ containerPort: 8080 }]))), { containers: [[{ containerPort: 8080 }]], init: undefined }, 'not on the host network: unchanged');
  t.same(ports(out(withPorts(true, [{ containerPort: 8080, hostPort: 0 }]))), { containers: [[{ containerPort: 8080, hostPort: 8080 }]], init: undefined }, 'a hostPort of 0 is unset');
  const defaulted = out(withPorts(true, [{ containerPort: 8080 }]));
  t.equal(defaulting('UPDATE', defaulted, defaulted, undefined as unknown as Store, ''), defaulted, 'a defaulted pod passes through an update');
});

// plugin/pkg/admission/nodetaint/admission_test.go Test_nodeTaints, row by row (the row that
// disables the TaintNodesByCondition feature gate is left out: the gate is GA and locked on).
t.test('TaintNodesByCondition: Test_nodeTaints', async (t) => {
  const notReadyTaint: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
  const notReadyCondition: NodeCondition = { type: 'Ready', status: 'False' };
  const myNodeObj: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mynode' }, spec: {}, status: {} };
  const myTaintedNodeObj: Node = { ...myNodeObj, spec: { taints: [notReadyTaint] } };
  const myUnreadyNodeObj: Node = { ...myNodeObj, status: { conditions: [notReadyCondition] } };
  const rows: Array<{ name: string; node: Node; expectedTaints: Taint[] }> = [
    { name: 'notReady taint is added on creation', node: myNodeObj, expectedTaints: [notReadyTaint] },
    { name: 'already tainted node is not tainted again', node: myTaintedNodeObj, expectedTaints: [notReadyTaint] },
    { name: 'NotReady taint is added to an unready node as well', node: myUnreadyNodeObj, expectedTaints: [notReadyTaint] },
  ];
  for (const row of rows) {
    const store = new Store(new Simulation(1), 0);
    store.addAdmission(taintNodesByCondition);
    t.ok(store.create(row.node, 'kubelet/mynode', 'register').ok, row.name);
    t.same(store.get<Node>('Node', undefined, 'mynode')!.spec.taints, row.expectedTaints, row.name);
  }
});

t.test('TaintNodesByCondition: a taint of the same key and effect counts (Taint.MatchTaint); updates and subresources are left alone', async (t) => {
  const store = new Store(new Simulation(1), 0);
  store.addAdmission(taintNodesByCondition);
  const base: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' }, spec: {}, status: {} };
  store.create({ ...base, spec: { taints: [{ key: 'node.kubernetes.io/not-ready', value: 'x', effect: 'NoSchedule' }] } }, 'kubectl');
  t.same(store.get<Node>('Node', undefined, 'a')!.spec.taints, [{ key: 'node.kubernetes.io/not-ready', value: 'x', effect: 'NoSchedule' }], 'same key and effect, another value');
  store.create({ ...base, metadata: { name: 'b' }, spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] } }, 'kubectl');
  t.same(store.get<Node>('Node', undefined, 'b')!.spec.taints!.map((x) => `${x.key}:${x.effect}`), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule'], 'another effect');
  const b = store.get<Node>('Node', undefined, 'b')!;
  store.update({ ...b, spec: { taints: [] } }, 'node-lifecycle-controller', 'taint');
  t.same(store.get<Node>('Node', undefined, 'b')!.spec.taints, [], 'an update');
  store.update({ ...store.get<Node>('Node', undefined, 'b')!, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'kubelet/b', 'status');
  t.same(store.get<Node>('Node', undefined, 'b')!.spec.taints, [], 'a status write');
  store.create({ ...base, metadata: { name: 'c' } }, 'scenario', 'register', taintNodesByCondition);
  t.same(store.get<Node>('Node', undefined, 'c')!.spec.taints, undefined, 'a create that skips the plugin');
  store.create(pod, 'kubectl');
  t.same(store.get<Pod>('Pod', 'default', 'p')!.spec.tolerations, undefined, 'other kinds');
});

// LimitRanger (plugin/pkg/admission/limitranger/admission.go) in the store's admission chain:
// SupportsAttributes (pods on create only, claims on create and update, no subresources), the
// Forbidden message (admission.NewForbidden), and a LimitRange's own defaulting.
t.test('LimitRanger: which requests it handles, and how it refuses', async (t) => {
  const store = new Store(new Simulation(1), 0);
  store.addAdmission(defaulting);
  store.addAdmission(limitRanger);
  const lr: LimitRange = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'lr', namespace: 'default' },
    spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }, { type: 'PersistentVolumeClaim', max: { storage: '2Gi' } }] },
  };
  t.ok(store.create(lr, 'kubectl').ok);
  t.same(store.get<LimitRange>('LimitRange', 'default', 'lr')!.spec.limits[0], { type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '64Mi' } }, 'SetDefaults_LimitRangeItem');
  t.ok(store.create(pod, 'kubectl').ok);
  const created = store.get<Pod>('Pod', 'default', 'p')!;
  t.same(created.spec.containers[0]!.resources, { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1' } }, 'defaults merged on create');
  t.equal(created.metadata.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container c; cpu limit for container c');
  const stripped: Pod = { ...created, spec: { ...created.spec, containers: [{ name: 'c', image: 'x' }] } };
  t.ok(store.update(stripped, 'kubectl').ok);
  t.same(store.get<Pod>('Pod', 'default', 'p')!.spec.containers[0]!.resources, undefined, 'an update of the pod is not mutated');
  const big: Pod = { ...pod, metadata: { name: 'big', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '2' } } }] } };
  t.same(store.create(big, 'kubectl'), { ok: false, reason: 'Forbidden', message: 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2' });
  const other: Pod = { ...big, metadata: { name: 'big', namespace: 'other' } };
  t.ok(store.create(other, 'kubectl').ok, 'another namespace has no LimitRange');
  const claim: PersistentVolumeClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { resources: { requests: { storage: '1Gi' } } }, status: {} };
  t.ok(store.create(claim, 'kubectl').ok);
  const grown: PersistentVolumeClaim = { ...store.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'default', 'data')!, spec: { resources: { requests: { storage: '5Gi' } } } };
  t.same(store.update(grown, 'kubectl'), { ok: false, reason: 'Forbidden', message: 'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi' }, 'a claim update is checked');
  t.ok(store.update(grown, 'pv-controller', 'status').ok, 'a status write is not');
});

t.test('LimitRanger: a limit/request ratio of quantities too big for milli-values is judged on values; none is a crash', async (t) => {
  const store = new Store(new Simulation(1), 0);
  store.addAdmission(limitRanger);
  const lr: LimitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }] } };
  store.create(lr, 'kubectl');
  const withMemory = (name: string, request: string, limit: string): Pod => ({ ...pod, metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { memory: request }, limits: { memory: limit } } }] } });
  t.same(store.create(withMemory('big', '1Pi', '4Pi'), 'kubectl'), { ok: false, reason: 'Forbidden', message: 'pods "big" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 4.000000' });
  t.ok(store.create(withMemory('fits', '2Pi', '4Pi'), 'kubectl').ok, 'a ratio of 2');
  t.ok(store.create(withMemory('huge', '1Ei', '8Ei'), 'kubectl').ok, 'beyond 2^53 even as values: not checked');
});
