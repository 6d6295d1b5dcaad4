// Admission and defaulting, as the API server applies them on create and update.
import { AdmissionDenied, type AdmissionPlugin } from './store.js';
import { aggregateContainerResources, hasResource } from './resources.js';
import { type AnyObject, type Container, type Deployment, type Pod, type PriorityClass, type ReplicaSet, type ResourceList, type Taint, type Toleration, isHugePageResource, isSupportedPodLevelResource } from './types.js';

// plugin/pkg/admission/defaulttolerationseconds/admission.go: flags
// --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds, both 300.
export const DEFAULT_NOT_READY_TOLERATION_SECONDS = 300;
export const DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300;
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** DefaultTolerationSeconds: a pod that does not tolerate not-ready / unreachable NoExecute
 *  taints gets a 300s toleration for each (on create and update of the pod itself; writes to a
 *  subresource, status or binding, are left alone). */
export function defaultTolerationSeconds(
  notReadySeconds = DEFAULT_NOT_READY_TOLERATION_SECONDS,
  unreachableSeconds = DEFAULT_UNREACHABLE_TOLERATION_SECONDS,
): AdmissionPlugin {
  const notReady: Toleration = Object.freeze({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReadySeconds });
  const unreachable: Toleration = Object.freeze({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachableSeconds });
  // Most pods list no toleration: they all get this one (frozen) list, which lets the scheduler's
  // per-list caches of tolerations serve every such pod at once.
  const defaultsOnly = Object.freeze([notReady, unreachable]) as Toleration[];
  return (_op, obj, _old, _store, subresource) => {
    if (obj.kind !== 'Pod' || subresource !== '') return obj;
    if (obj.spec.tolerations === undefined || obj.spec.tolerations.length === 0) return { ...obj, spec: { ...obj.spec, tolerations: defaultsOnly } };
    const tolerations = obj.spec.tolerations;
    const tolerates = (key: string) =>
      tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    const added: Toleration[] = [];
    if (!tolerates(TAINT_NODE_NOT_READY)) added.push(notReady);
    if (!tolerates(TAINT_NODE_UNREACHABLE)) added.push(unreachable);
    if (added.length === 0) return obj;
    return { ...obj, spec: { ...obj.spec, tolerations: [...tolerations, ...added] } };
  };
}

/**
 * TaintNodesByCondition (plugin/pkg/admission/nodetaint/admission.go, on by default): a Node
 * created through the API (not a subresource write) gets `node.kubernetes.io/not-ready:NoSchedule`
 * unless it already has a taint of that key and effect (Taint.MatchTaint), so no pod is scheduled
 * to a new node before the node lifecycle controller has seen it Ready and lifted the taint
 * (doNoScheduleTaintingPass). Updates are left alone.
 */
export const taintNodesByCondition: AdmissionPlugin = (op, obj, _old, _store, subresource) => {
  if (op !== 'CREATE' || obj.kind !== 'Node' || subresource !== '') return obj;
  const taints = obj.spec.taints ?? [];
  if (taints.some((t) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule')) return obj;
  const notReady: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' };
  return { ...obj, spec: { ...obj.spec, taints: [...taints, notReady] } };
};

// pkg/apis/scheduling/types.go: the two built-in system priority classes.
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/** Priority admission (plugin/pkg/admission/priority/admission.go): resolves
 *  priorityClassName to spec.priority and spec.preemptionPolicy; a pod without a class gets the
 *  globalDefault class's value, or 0. A class that does not exist is Forbidden. */
export const priorityAdmission: AdmissionPlugin = (op, obj, _old, store) => {
  if (obj.kind !== 'Pod' || op !== 'CREATE') return obj;
  const className = obj.spec.priorityClassName;
  let value = 0;
  let policy: PriorityClass['preemptionPolicy'] = 'PreemptLowerPriority';
  if (className) {
    const system = SYSTEM_PRIORITY_CLASSES[className];
    const pc = store.get<PriorityClass>('PriorityClass', undefined, className);
    if (system !== undefined) value = system;
    else if (pc) {
      value = pc.value;
      policy = pc.preemptionPolicy ?? policy;
    } else return forbidden(`pods "${obj.metadata.name}" is forbidden: no PriorityClass with name ${className} was found`);
  } else {
    // The global default class of lowest value, the first created among equals (a stable sort's [0]).
    let def: PriorityClass | undefined;
    for (const p of store.list<PriorityClass>('PriorityClass')) if (p.globalDefault && (def === undefined || p.value < def.value)) def = p;
    if (def) {
      value = def.value;
      policy = def.preemptionPolicy ?? policy;
    }
  }
  if (obj.spec.priority !== undefined && obj.spec.priority !== value) {
    return forbidden(`pods "${obj.metadata.name}" is forbidden: the integer value of priority (${obj.spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
  }
  return { ...obj, spec: { ...obj.spec, priority: value, preemptionPolicy: obj.spec.preemptionPolicy ?? policy } };
};

function forbidden(message: string): AdmissionDenied {
  return new AdmissionDenied('Forbidden', message);
}

/** Defaulting (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go) for the fields the
 *  model reads. */
export const defaulting: AdmissionPlugin = (op, obj) => {
  switch (obj.kind) {
    case 'Pod':
      // An update of a pod whose defaulted fields are all set would be copied unchanged.
      if (op === 'UPDATE' && podIsDefaulted(obj)) return obj;
      return defaultPod(obj);
    case 'ReplicaSet':
      // As for pods: an update of a defaulted object keeps its spec object, so the API server
      // sees at a glance that a status write left the spec alone (generation).
      if (op === 'UPDATE' && obj.spec.replicas !== undefined && obj.status !== undefined) return obj;
      return defaultReplicaSet(obj);
    case 'Deployment':
      if (op === 'UPDATE' && deploymentIsDefaulted(obj)) return obj;
      return defaultDeployment(obj);
    case 'Node':
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      if (obj.status?.allocatable !== undefined || obj.status?.capacity === undefined) return obj;
      return { ...obj, status: { ...obj.status, allocatable: { ...obj.status.capacity } } };
    default:
      return obj;
  }
};

function podIsDefaulted(pod: Pod): boolean {
  const spec = pod.spec;
  return (
    spec.schedulerName !== undefined &&
    spec.restartPolicy !== undefined &&
    spec.terminationGracePeriodSeconds !== undefined &&
    pod.status?.phase !== undefined &&
    podLevelDefaulted(spec) &&
    requestsCoverLimits(spec.containers) &&
    requestsCoverLimits(spec.initContainers) &&
    (spec.hostNetwork !== true || (hostPortsSet(spec.containers) && hostPortsSet(spec.initContainers)))
  );
}

/** Whether every container port has a host port (nothing for defaultHostNetworkPorts to set). */
function hostPortsSet(containers: readonly Container[] | undefined): boolean {
  return containers === undefined || containers.every((c) => (c.ports ?? []).every((p) => (p.hostPort ?? 0) !== 0));
}

/** defaultHostNetworkPorts (pkg/apis/core/v1/defaults.go): an unset (0) hostPort becomes the
 *  containerPort. */
function hostPortsFromContainerPorts(c: Container): Container {
  if (c.ports === undefined || c.ports.every((p) => (p.hostPort ?? 0) !== 0)) return c;
  return { ...c, ports: c.ports.map((p) => ((p.hostPort ?? 0) !== 0 ? p : { ...p, hostPort: p.containerPort })) };
}

function defaultPod(pod: Pod): AnyObject {
  const spec = {
    ...pod.spec,
    schedulerName: pod.spec.schedulerName ?? 'default-scheduler',
    restartPolicy: pod.spec.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds ?? 30,
  };
  // SetDefaults_Pod: a container's (and an init container's) limits fill the requests it does not
  // set. Only pods get this, not pod templates.
  if (!requestsCoverLimits(spec.containers)) spec.containers = spec.containers.map(requestsFromLimits);
  if (!requestsCoverLimits(spec.initContainers)) spec.initContainers = spec.initContainers!.map(requestsFromLimits);
  // PodLevelResources (beta, on by default since v1.34): pod-level requests and hugepage limits,
  // from the containers' requests and limits just defaulted.
  if (spec.resources !== undefined) spec.resources = defaultPodLevelResources(spec);
  // defaultHostNetworkPorts: on the host's network, a container port is also a host port.
  if (spec.hostNetwork === true) {
    if (!hostPortsSet(spec.containers)) spec.containers = spec.containers.map(hostPortsFromContainerPorts);
    if (!hostPortsSet(spec.initContainers)) spec.initContainers = spec.initContainers!.map(hostPortsFromContainerPorts);
  }
  const status = { ...(pod.status ?? {}), phase: pod.status?.phase ?? 'Pending' };
  return { ...pod, spec, status };
}

/**
 * SetDefaults_Pod's pod-level steps in v1.35 (pkg/apis/core/v1/defaults.go):
 * defaultHugePagePodLimits — with any pod-level request or limit set, each hugepages-* resource
 * the containers limit (AggregateContainerLimits) and the pod neither requests nor limits gets
 * the containers' aggregate as its pod-level limit; then defaultPodRequests — with pod-level
 * limits set, each of cpu and memory (supported at pod level and overcommittable) the containers
 * request gets their aggregate (AggregateContainerRequests) as its pod-level request, and every
 * other supported resource the pod limits but does not request gets its limit as request.
 * (v1.36's defaultPodLimits, from the containers' limits, is not in v1.35.)
 */
function defaultPodLevelResources(spec: Pod['spec']): NonNullable<Pod['spec']['resources']> {
  const res = spec.resources!;
  let limits = res.limits;
  const requests = res.requests;
  if (!isEmptyList(limits) || !isEmptyList(requests)) {
    const podLimits: ResourceList = { ...limits };
    for (const [name, q] of aggregateContainerResources(spec, 'limits')) {
      if (!isHugePageResource(name)) continue;
      if (requests !== undefined && hasResource(requests, name)) continue;
      if (!hasResource(podLimits, name)) podLimits[name] = q.toString();
    }
    if (Object.keys(podLimits).length > 0) limits = podLimits;
  }
  if (isEmptyList(limits)) return limits === res.limits ? res : { ...res, limits };
  const podRequests: ResourceList = { ...requests };
  for (const [name, q] of aggregateContainerResources(spec, 'requests')) {
    if ((name === 'cpu' || name === 'memory') && !hasResource(podRequests, name)) podRequests[name] = q.toString();
  }
  for (const [name, q] of Object.entries(limits!)) {
    if (isSupportedPodLevelResource(name) && !hasResource(podRequests, name)) podRequests[name] = q;
  }
  const out = { ...res, limits };
  if (Object.keys(podRequests).length > 0) out.requests = podRequests;
  return out;
}

/** Whether defaultPodLevelResources would leave the pod-level resources as they are (read off the
 *  resource names alone: a name is in the containers' aggregate when some container sets it). */
function podLevelDefaulted(spec: Pod['spec']): boolean {
  const res = spec.resources;
  if (res === undefined) return true;
  const limits = res.limits ?? {};
  const requests = res.requests ?? {};
  const containers = spec.initContainers === undefined ? spec.containers : [...spec.containers, ...spec.initContainers];
  const requestedBySome = (name: string) => containers.some((c) => c.resources?.requests !== undefined && hasResource(c.resources.requests, name));
  if (!isEmptyList(limits) || !isEmptyList(requests)) {
    for (const c of containers) {
      for (const name of Object.keys(c.resources?.limits ?? {})) if (isHugePageResource(name) && !hasResource(requests, name) && !hasResource(limits, name)) return false;
    }
  }
  if (isEmptyList(limits)) return true;
  for (const name of Object.keys(limits)) if (isSupportedPodLevelResource(name) && !hasResource(requests, name)) return false;
  for (const name of ['cpu', 'memory']) if (!hasResource(requests, name) && requestedBySome(name)) return false;
  return true;
}


function isEmptyList(list: ResourceList | undefined): boolean {
  return list === undefined || Object.keys(list).length === 0;
}

/** Whether every limit of every container has a request (nothing for SetDefaults_Pod to fill). */
function requestsCoverLimits(containers: readonly Container[] | undefined): boolean {
  if (containers === undefined) return true;
  for (const c of containers) {
    const limits = c.resources?.limits;
    if (limits === undefined) continue;
    const requests = c.resources!.requests;
    for (const key of Object.keys(limits)) if (requests === undefined || !Object.prototype.hasOwnProperty.call(requests, key)) return false;
  }
  return true;
}

/** A container with its unset requests defaulted to its limits (pkg/apis/core/v1/defaults.go
 *  SetDefaults_Pod). */
function requestsFromLimits(c: Container): Container {
  const limits = c.resources?.limits;
  if (limits === undefined) return c;
  const requests = { ...(c.resources!.requests ?? {}) };
  let changed = false;
  for (const [key, value] of Object.entries(limits)) {
    if (Object.prototype.hasOwnProperty.call(requests, key)) continue;
    requests[key] = value;
    changed = true;
  }
  return changed ? { ...c, resources: { ...c.resources, requests } } : c;
}

function defaultReplicaSet(rs: ReplicaSet): AnyObject {
  return { ...rs, spec: { ...rs.spec, replicas: rs.spec.replicas ?? 1 }, status: rs.status ?? { replicas: 0 } };
}

/** Whether defaultDeployment would give an equal object (its strategy has exactly the fields
 *  defaulting writes). */
function deploymentIsDefaulted(d: Deployment): boolean {
  const spec = d.spec;
  const strategy = spec.strategy;
  if (spec.replicas === undefined || spec.revisionHistoryLimit === undefined || spec.progressDeadlineSeconds === undefined || strategy === undefined || d.status === undefined) return false;
  if (strategy.type !== 'RollingUpdate') return strategy.type !== undefined && Object.keys(strategy).length === 1;
  const r = strategy.rollingUpdate;
  return Object.keys(strategy).length === 2 && r !== undefined && r.maxSurge !== undefined && r.maxUnavailable !== undefined && Object.keys(r).length === 2;
}

function defaultDeployment(d: Deployment): AnyObject {
  const strategy = d.spec.strategy ?? {};
  const type = strategy.type ?? 'RollingUpdate';
  const rollingUpdate = type === 'RollingUpdate' ? { maxSurge: strategy.rollingUpdate?.maxSurge ?? '25%', maxUnavailable: strategy.rollingUpdate?.maxUnavailable ?? '25%' } : undefined;
  const spec = {
    ...d.spec,
    replicas: d.spec.replicas ?? 1,
    revisionHistoryLimit: d.spec.revisionHistoryLimit ?? 10,
    progressDeadlineSeconds: d.spec.progressDeadlineSeconds ?? 600,
    strategy: rollingUpdate ? { type, rollingUpdate } : { type },
  };
  return { ...d, spec, status: d.status ?? {} };
}
