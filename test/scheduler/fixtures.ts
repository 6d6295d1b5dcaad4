// Builders for scheduler unit tests: pods and nodes as upstream's st.MakePod()/st.MakeNode()
// tests write them, and runners for one extension point at a time.
import { Prng } from '../../src/engine/prng.js';
import type { AnyObject, Container, Node, Pod, PodSpec, ResourceList, StorageClass } from '../../src/api/types.js';
import { Code, type MaybeStatus, type Status } from '../../src/scheduler/framework/status.js';
import { type AnyPlugin, type ClusterEventWithHint, CycleState, type Handle, NodeInfo, type NodeLister, type NodeScore, PodInfo } from '../../src/scheduler/framework/types.js';

export function makePod(name: string, spec: Partial<PodSpec> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta },
    spec: { containers: [], ...spec },
    status: {},
  };
}

/** A pod whose containers request the given lists (one container per list). */
export function podWithRequests(name: string, ...requests: ResourceList[]): Pod {
  const containers: Container[] = requests.map((r, i) => ({ name: `c${i}`, image: 'img', resources: { requests: r } }));
  return makePod(name, { containers });
}

export function makeNode(name: string, allocatable: ResourceList = {}, extra: { labels?: Record<string, string>; taints?: Node['spec']['taints']; unschedulable?: boolean; images?: Node['status']['images'] } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: extra.labels ?? {}, uid: `uid-node-${name}` },
    spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable, ...(extra.images ? { images: extra.images } : {}) },
  };
}

/** NodeInfo with the given pods placed on it (their spec.nodeName is ignored). */
export function nodeInfo(node: Node, ...pods: Pod[]): NodeInfo {
  const ni = new NodeInfo(node);
  for (const p of pods) ni.addPod(PodInfo.of(p));
  return ni;
}

export function lister(nodes: NodeInfo[]): NodeLister {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    list: () => nodes,
    get: (name) => byName.get(name),
    havePodsWithAffinity: () => nodes.filter((n) => n.podsWithAffinity > 0),
    havePodsWithRequiredAntiAffinity: () => nodes.filter((n) => n.podsWithRequiredAntiAffinity > 0),
    get nodesVersion() {
      return nodes.reduce((v, n) => v + n.generation, nodes.length);
    },
  };
}

export function fakeHandle(nodes: NodeInfo[], namespaces: Record<string, Record<string, string>> = {}, objects: AnyObject[] = []): Handle {
  return {
    nodes: lister(nodes),
    bind: () => null,
    rng: new Prng(0, 'test'),
    namespaceLabels: (ns) => namespaces[ns],
    getObject: (kind, ns, name) => objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === (ns ?? undefined)),
    listObjects: (kind) => objects.filter((o) => o.kind === kind),
    // An API update with optimistic concurrency on resourceVersion, over the objects array.
    updateObject: (obj) => {
      const i = objects.findIndex((o) => o.kind === obj.kind && o.metadata.name === obj.metadata.name && o.metadata.namespace === obj.metadata.namespace);
      if (i < 0) return { ok: false, message: `${obj.kind} "${obj.metadata.name}" not found` };
      if (obj.metadata.resourceVersion !== objects[i]!.metadata.resourceVersion) return { ok: false, message: `${obj.kind} "${obj.metadata.name}": the object has been modified` };
      const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(Number(obj.metadata.resourceVersion ?? '0') + 1) } };
      objects[i] = stored;
      return { ok: true, object: stored };
    },
    nowMs: () => 0,
    schedulerName: 'default-scheduler',
    runFilterWithNominatedPods: unavailable,
    runPreFilterExtensionAddPod: unavailable,
    runPreFilterExtensionRemovePod: unavailable,
    nominatedPodsForNode: () => [],
    preemptPod: unavailable,
    clearNominatedNodeName: unavailable,
    getWaitingPod: () => undefined,
    iterateOverWaitingPods: () => {},
    rejectWaitingPod: () => false,
  };
}

function unavailable(): never {
  throw new Error('not available in this fake handle: build a Framework (see preemption tests)');
}

/** Runs PreFilter (if any) then Filter on one node; returns the first non-success status. */
export function runFilter(plugin: AnyPlugin, pod: Pod, node: NodeInfo, all: NodeInfo[] = [node]): MaybeStatus {
  const state = new CycleState();
  const info = PodInfo.of(pod);
  if (plugin.preFilter) {
    const { status } = plugin.preFilter(state, info, all);
    if (status !== null && status.code !== Code.Success) return status;
  }
  return plugin.filter ? plugin.filter(state, info, node) : null;
}

/** Runs PreScore, Score on every node and NormalizeScore; returns the final scores by node. */
export function runScore(plugin: AnyPlugin, pod: Pod, nodes: NodeInfo[]): { scores: NodeScore[]; status: Status | null } {
  const state = new CycleState();
  const info = PodInfo.of(pod);
  if (plugin.preScore) {
    const s = plugin.preScore(state, info, nodes);
    if (s !== null && s.code !== Code.Success) return { scores: [], status: s };
  }
  const scores: NodeScore[] = [];
  for (const n of nodes) {
    const r = plugin.score!(state, info, n);
    if (typeof r !== 'number') return { scores, status: r };
    scores.push({ name: n.name, score: r });
  }
  if (plugin.normalizeScore) {
    const s = plugin.normalizeScore(state, info, scores);
    if (s !== null && s.code !== Code.Success) return { scores, status: s };
  }
  return { scores, status: null };
}

/** A plugin's event registrations as upstream's EventsToRegister tests compare them: resource,
 *  actions, and whether a QueueingHintFn is set (hint: false stands for a nil QueueingHintFn). */
export function registrations(events: readonly ClusterEventWithHint[]): Array<{ resource: string; actions: readonly string[]; hint: boolean }> {
  return events.map((e) => ({ resource: e.resource, actions: e.actions, hint: typeof e.queueingHintFn === 'function' }));
}

/** A StorageClass with a name and the given fields; no provisioner ("") unless given. */
export function makeStorageClass(name: string, fields: Partial<Omit<StorageClass, 'apiVersion' | 'kind' | 'metadata'>> = {}): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: '', ...fields };
}
