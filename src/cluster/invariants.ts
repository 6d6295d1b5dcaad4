// The invariant library: observers of every API write that never change the cluster. Each
// checks the scheduler's bindings and the controllers' writes on its own terms (not by calling
// the scheduler plugins or the controllers), so a broken policy, plugin or controller is caught.
// A violation names the instant, the objects and the rule; each invariant cites the upstream
// rule it follows. Safety invariants live here; the liveness ones, checked once after the
// settle phase, in liveness.ts (which also holds the catalog of both).
//
// They judge the API state at the write, which is the truth the scheduler's cache approximates:
// with a `watchLatency`, a binding the scheduler's stale cache allowed can break a bind-time rule,
// as it can upstream.
import type { Store, WatchEvent } from '../api/store.js';
import {
  type Deployment,
  type Namespace,
  type Node,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type Pod,
  type PodAffinityTerm,
  type ReplicaSet,
  type VolumeAttachment,
  controllerRef,
  getCondition,
  isControlledBy,
  podIsTerminal,
} from '../api/types.js';
import { type LabelSelector, type Labels, NOTHING, RequiredNodeAffinity, type Selector, labelSelectorAsSelector } from '../api/selector.js';
import { COMPONENT as REPLICASET_CONTROLLER } from '../controllers/replicaset.js';
import type { Simulation } from '../engine/sim.js';
import { formatDuration } from '../engine/time.js';
import { Resource, podRequests } from '../scheduler/framework/resource.js';
import { findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '../scheduler/plugins/helper/taints.js';

export type InvariantKind = 'safety' | 'liveness';

export interface InvariantViolation {
  invariant: string;
  timeMs: number;
  objects: string[];
  message: string;
  /** Set for liveness violations (checked at the end of the settle phase). */
  kind?: InvariantKind;
}

/** What a check reports: the objects involved and a sentence naming them and the rule. */
export interface ViolationReport {
  objects: string[];
  message: string;
}

/** What the README and the fuzzer list of an invariant. */
export interface InvariantInfo {
  name: string;
  kind: InvariantKind;
  description: string;
  /** The upstream source of the rule the check follows. */
  upstream: string;
}

export interface Invariant extends InvariantInfo {
  kind: 'safety';
  /** Called for every write, after it is applied; returns a violation, or undefined. `actor` is
   *  the writing component when the caller passes it. */
  check(ev: WatchEvent, verb: string, store: Store, actor?: string): ViolationReport | undefined;
  /** For rules that span several writes of one instant: called once the instant has settled
   *  (see watchInstantEnds). */
  instantEnd?(store: Store): ViolationReport | undefined;
}

const SCHEDULER_BIND = 'bind';

function bound(ev: WatchEvent, verb: string): { pod: Pod; node: string } | undefined {
  if (verb !== SCHEDULER_BIND || ev.object.kind !== 'Pod') return undefined;
  const pod = ev.object as Pod;
  return pod.spec.nodeName ? { pod, node: pod.spec.nodeName } : undefined;
}

const namespaceOf = (p: Pod): string => p.metadata.namespace ?? 'default';

export function podRef(p: Pod): string {
  return `Pod/${namespaceOf(p)}/${p.metadata.name}`;
}

function objectRef(o: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return o.metadata.namespace ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}` : `${o.kind}/${o.metadata.name}`;
}

const priorityOf = (p: Pod): number => p.spec.priority ?? 0;

/** A label's value; undefined when absent (inherited Object members do not count). */
function labelOf(labels: Labels, key: string): string | undefined {
  if (labels == null) return undefined;
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

/** Pods that hold a place on a node: bound, not terminal (the scheduler cache's assigned pods). */
function assignedPods(store: Store, except?: Pod): Pod[] {
  const out: Pod[] = [];
  for (const p of store.list<Pod>('Pod')) {
    if (!p.spec.nodeName || podIsTerminal(p)) continue;
    if (except !== undefined && p.metadata.uid === except.metadata.uid) continue;
    out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Node fit, as the Filter plugins define it (each written out here, not called)

/** Requests of the non-terminal pods on a node, and their number; `except` left out. */
function nodeUsage(store: Store, nodeName: string, except?: Pod): { used: Resource; count: number } {
  const used = new Resource();
  let count = 0;
  for (const p of store.list<Pod>('Pod')) {
    if (p.spec.nodeName !== nodeName || podIsTerminal(p)) continue;
    if (except !== undefined && p.metadata.uid === except.metadata.uid) continue;
    used.add(podRequests(p));
    count++;
  }
  return { used, count };
}

function allocatableOf(node: Node): Resource {
  return Resource.fromList(node.status.allocatable ?? node.status.capacity);
}

function overAllocatable(alloc: Resource, used: Resource, count: number): string[] {
  const over: string[] = [];
  if (count > alloc.allowedPodNumber) over.push(`pods ${count} > ${alloc.allowedPodNumber}`);
  if (used.milliCPU > alloc.milliCPU) over.push(`cpu ${used.milliCPU}m > ${alloc.milliCPU}m`);
  if (used.memory > alloc.memory) over.push(`memory ${used.memory} > ${alloc.memory}`);
  if (used.ephemeralStorage > alloc.ephemeralStorage && used.ephemeralStorage > 0) over.push(`ephemeral-storage ${used.ephemeralStorage} > ${alloc.ephemeralStorage}`);
  for (const [name, v] of used.scalar ?? []) if (v > alloc.getScalar(name)) over.push(`${name} ${v} > ${alloc.getScalar(name)}`);
  return over;
}

/**
 * noderesources Fit (fit.go fitsRequest) for a pod not yet on the node: one more pod than the
 * node holds, and each resource the pod requests (a zero request is not checked, as upstream)
 * within allocatable minus what the node's pods request.
 */
export function insufficientResources(pod: Pod, node: Node, store: Store, alsoCounted: readonly Pod[] = []): string | undefined {
  const alloc = allocatableOf(node);
  const usage = nodeUsage(store, node.metadata.name, pod);
  const used = usage.used;
  let count = usage.count;
  for (const p of alsoCounted) {
    used.add(podRequests(p));
    count++;
  }
  const req = podRequests(pod);
  const short: string[] = [];
  if (count + 1 > alloc.allowedPodNumber) short.push('pods');
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) short.push('cpu');
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) short.push('memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) short.push('ephemeral-storage');
  for (const [name, v] of req.scalar ?? []) if (v > 0 && v > alloc.getScalar(name) - used.getScalar(name)) short.push(name);
  return short.length === 0 ? undefined : `has too little ${short.join(', ')} left`;
}

/**
 * The node-local required filters: NodeAffinity (nodeSelector and required node affinity),
 * TaintToleration (NoSchedule / NoExecute), NodeUnschedulable (spec.unschedulable unless the
 * pod tolerates the unschedulable taint), NodePorts (host ports in use by the node's pods).
 * Returns why the node fails, or undefined.
 */
const LABEL_ZONES = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const LABEL_REGIONS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** Whether the volume can be used from the node: its required node affinity (volume_binding.go
 *  via CheckNodeAffinity) and its zone / region labels (volume_zone.go: a `__`-separated set the
 *  node's label must be in). */
export function volumeUsableFrom(pv: PersistentVolume, node: Node): boolean {
  const required = pv.spec.nodeAffinity?.required;
  if (required && !RequiredNodeAffinity.ofNodeSelector(required).match({ name: node.metadata.name, labels: node.metadata.labels })) return false;
  const labels = pv.metadata.labels;
  if (labels) {
    for (const keys of [LABEL_ZONES, LABEL_REGIONS]) {
      for (const key of keys) {
        const want = labels[key];
        if (want === undefined) continue;
        const have = node.metadata.labels?.[key] ?? node.metadata.labels?.[keys[0]!];
        if (have === undefined || !want.split('__').includes(have)) return false;
      }
    }
  }
  return true;
}

/** A claim of the pod bound (at bind time) to a volume the node cannot use. */
function unusableBoundVolume(pod: Pod, node: Node, store: Store): string | undefined {
  for (const v of pod.spec.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const claim = store.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace ?? 'default', name);
    const pvName = claim?.spec.volumeName;
    if (!pvName) continue;
    const pv = store.get<PersistentVolume>('PersistentVolume', undefined, pvName);
    if (pv && !volumeUsableFrom(pv, node)) return `cannot use PersistentVolume ${pvName} (bound to its claim ${name}): volume node affinity / zone conflict`;
  }
  return undefined;
}

export function failingFilter(pod: Pod, node: Node, store: Store): string | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  if (!RequiredNodeAffinity.ofPod(pod).match({ name: node.metadata.name, labels: node.metadata.labels })) return "does not match the pod's nodeSelector / required node affinity";
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return `has the untolerated taint ${taint.key}${taint.value ? '=' + taint.value : ''}:${taint.effect}`;
  }
  if (node.spec.unschedulable && !tolerationsTolerateTaint(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return 'is unschedulable (cordoned)';
  const volume = unusableBoundVolume(pod, node, store);
  if (volume) return volume;
  const wanted = hostPorts(pod);
  if (wanted.length === 0) return undefined;
  for (const other of store.list<Pod>('Pod')) {
    if (other === pod || other.metadata.uid === pod.metadata.uid || other.spec.nodeName !== node.metadata.name || podIsTerminal(other)) continue;
    for (const w of wanted) for (const u of hostPorts(other)) if (portsConflict(w, u)) return `already has host port ${u.protocol}/${u.port} in use by Pod/${other.metadata.namespace}/${other.metadata.name}`;
  }
  return undefined;
}

interface HostPortUse {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: Pod): HostPortUse[] {
  const out: HostPortUse[] = [];
  for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) for (const p of c.ports ?? []) if (p.hostPort) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
  return out;
}

function portsConflict(a: HostPortUse, b: HostPortUse): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

// ---------------------------------------------------------------------------------------------
// Inter-pod affinity, after pkg/scheduler/framework/plugins/interpodaffinity/filtering.go and
// pkg/scheduler/framework/types.go (AffinityTerm, getNamespacesFromPodAffinityTerm)

interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  /** NOTHING for a nil namespaceSelector, an empty selector ({}) for every namespace. */
  readonly namespaceSelector: Selector;
  readonly selector: Selector;
  readonly topologyKey: string;
  /** selector.toString(), for messages. */
  readonly text: string;
}

/** The API server's applyMatchLabelKeysAndMismatchLabelKeys (pkg/registry/core/pod/strategy.go):
 *  `key in (v)` / `key notin (v)` for each listed key the pod carries, when there is a selector. */
function mergedAffinitySelector(term: PodAffinityTerm, labels: Labels): LabelSelector | undefined {
  const sel = term.labelSelector;
  if (sel == null) return sel;
  const exprs = [...(sel.matchExpressions ?? [])];
  for (const key of term.matchLabelKeys ?? []) {
    const v = labelOf(labels, key);
    if (v !== undefined) exprs.push({ key, operator: 'In', values: [v] });
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    const v = labelOf(labels, key);
    if (v !== undefined) exprs.push({ key, operator: 'NotIn', values: [v] });
  }
  return { ...sel, matchExpressions: exprs };
}

const parsedTerms = new WeakMap<Pod, { affinity: AffinityTerm[]; antiAffinity: AffinityTerm[]; error?: string }>();

/** The pod's required affinity and anti-affinity terms, parsed once per pod object. */
function requiredTerms(pod: Pod): { affinity: AffinityTerm[]; antiAffinity: AffinityTerm[]; error?: string } {
  let t = parsedTerms.get(pod);
  if (t !== undefined) return t;
  const a = parseTerms(pod, pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const aa = parseTerms(pod, pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const error = typeof a === 'string' ? a : typeof aa === 'string' ? aa : undefined;
  t = { affinity: typeof a === 'string' ? [] : a, antiAffinity: typeof aa === 'string' ? [] : aa, ...(error !== undefined ? { error } : {}) };
  parsedTerms.set(pod, t);
  return t;
}

function parseTerms(pod: Pod, terms: readonly PodAffinityTerm[] | undefined): AffinityTerm[] | string {
  const out: AffinityTerm[] = [];
  for (const term of terms ?? []) {
    const selector = labelSelectorAsSelector(mergedAffinitySelector(term, pod.metadata.labels));
    if (!selector.ok) return selector.message;
    const nsSelector = labelSelectorAsSelector(term.namespaceSelector);
    if (!nsSelector.ok) return nsSelector.message;
    // No namespaces and no namespaceSelector: the pod's own namespace.
    const own = (term.namespaces?.length ?? 0) === 0 && term.namespaceSelector == null;
    const namespaces = new Set(own ? [namespaceOf(pod)] : term.namespaces ?? []);
    out.push({ namespaces, namespaceSelector: nsSelector.selector, selector: selector.selector, topologyKey: term.topologyKey, text: selector.selector.toString() });
  }
  return out;
}

function namespaceLabels(store: Store, ns: string): Labels | null {
  const n = store.get<Namespace>('Namespace', undefined, ns);
  return n === undefined ? null : n.metadata.labels;
}

/** A term of the pod being placed against another pod: listed namespaces, every namespace for
 *  `{}`, otherwise existing namespaces whose labels match (mergeAffinityTermNamespacesIfNotEmpty). */
function ownTermMatches(t: AffinityTerm, other: Pod, store: Store): boolean {
  const ns = namespaceOf(other);
  let nsOk = t.namespaces.has(ns);
  if (!nsOk && t.namespaceSelector !== NOTHING) {
    if (t.namespaceSelector.empty()) nsOk = true;
    else {
      const labels = namespaceLabels(store, ns);
      nsOk = labels !== null && t.namespaceSelector.matches(labels);
    }
  }
  return nsOk && t.selector.matches(other.metadata.labels);
}

/** AffinityTerm.Matches for an existing pod's term against the pod being placed, with the labels
 *  of that pod's namespace (GetNamespaceLabelsSnapshot: none when it does not exist). */
function existingTermMatches(t: AffinityTerm, pod: Pod, store: Store): boolean {
  const nsOk = t.namespaces.has(namespaceOf(pod)) || t.namespaceSelector.matches(namespaceLabels(store, namespaceOf(pod)) ?? undefined);
  return nsOk && t.selector.matches(pod.metadata.labels);
}

/**
 * InterPodAffinity Filter for `pod` on `node`, against the pods assigned to existing nodes:
 * satisfyPodAffinity (every term's topology key on the node, and a pod matching all the terms in
 * each term's domain, or else the "first pod of a group" case: no pod anywhere matches all the
 * terms and the pod matches them itself), satisfyPodAntiAffinity (no pod matching a term in the
 * term's domain), satisfyExistingPodsAntiAffinity (no pod whose required anti-affinity term
 * matches this pod in the domain the node shares with it). Returns why the node fails, and the
 * pods that make it fail.
 */
export function podAffinityFailure(pod: Pod, node: Node, store: Store): { reason: string; others: Pod[] } | undefined {
  const own = requiredTerms(pod);
  if (own.error !== undefined) return { reason: `cannot hold it: its required pod (anti-)affinity does not parse: ${own.error}`, others: [] };
  const assigned = assignedPods(store, pod);
  // Neither the pod nor any placed pod has a required term: nothing to judge (the usual bind).
  if (own.affinity.length === 0 && own.antiAffinity.length === 0 && !assigned.some((p) => requiredTerms(p).antiAffinity.length > 0)) return undefined;
  const nodes = new Map<string, Node>();
  for (const n of store.list<Node>('Node')) nodes.set(n.metadata.name, n);
  const placed = assigned.filter((p) => nodes.has(p.spec.nodeName!));
  const labels = node.metadata.labels;
  const domain = (key: string, n: Node | undefined) => (n === undefined ? undefined : labelOf(n.metadata.labels, key));
  if (own.affinity.length > 0) {
    const missing = own.affinity.find((t) => labelOf(labels, t.topologyKey) === undefined);
    if (missing) return { reason: `lacks the topology key ${missing.topologyKey} of its required pod affinity`, others: [] };
    const matchingAll = placed.filter((p) => own.affinity.every((t) => ownTermMatches(t, p, store)));
    const anyCounted = matchingAll.some((p) => own.affinity.some((t) => domain(t.topologyKey, nodes.get(p.spec.nodeName!)) !== undefined));
    const firstOfGroup = !anyCounted && own.affinity.every((t) => ownTermMatches(t, pod, store));
    for (const t of own.affinity) {
      const v = labelOf(labels, t.topologyKey)!;
      if (firstOfGroup || matchingAll.some((p) => domain(t.topologyKey, nodes.get(p.spec.nodeName!)) === v)) continue;
      const note = anyCounted ? '' : ', and the pod is not the first of its group (it does not match its own terms)';
      return { reason: `has no pod matching its required pod affinity (${describeTerm(t)}) in ${t.topologyKey}=${v}${note}`, others: [] };
    }
  }
  for (const t of own.antiAffinity) {
    const v = labelOf(labels, t.topologyKey);
    if (v === undefined) continue;
    const hit = placed.find((p) => domain(t.topologyKey, nodes.get(p.spec.nodeName!)) === v && ownTermMatches(t, p, store));
    if (hit) return { reason: `already has ${podRef(hit)} in ${t.topologyKey}=${v}, excluded by the pod's required pod anti-affinity (${describeTerm(t)})`, others: [hit] };
  }
  for (const other of placed) {
    for (const t of requiredTerms(other).antiAffinity) {
      const v = domain(t.topologyKey, nodes.get(other.spec.nodeName!));
      if (v === undefined || labelOf(labels, t.topologyKey) !== v || !existingTermMatches(t, pod, store)) continue;
      return { reason: `shares ${t.topologyKey}=${v} with ${podRef(other)}, whose required pod anti-affinity (${describeTerm(t)}) excludes it`, others: [other] };
    }
  }
  return undefined;
}

/**
 * Whether a required anti-affinity term of one of the two pods, placed on these nodes, excludes
 * the other: the term selects the other pod and the nodes share the term's topology domain (the
 * relation satisfyPodAntiAffinity and satisfyExistingPodsAntiAffinity check, in both directions).
 */
export function antiAffinityBetween(a: Pod, aNode: Node, b: Pod, bNode: Node, store: Store): boolean {
  const excludes = (x: Pod, xNode: Node, y: Pod, yNode: Node): boolean =>
    requiredTerms(x).antiAffinity.some((t) => {
      const v = labelOf(xNode.metadata.labels, t.topologyKey);
      return v !== undefined && labelOf(yNode.metadata.labels, t.topologyKey) === v && ownTermMatches(t, y, store);
    });
  return excludes(a, aNode, b, bNode) || excludes(b, bNode, a, aNode);
}

function describeTerm(t: AffinityTerm): string {
  return `topologyKey ${t.topologyKey}, selector ${t.text === '' ? '<none>' : t.text}`;
}

function hasRequiredPodAffinity(pod: Pod): boolean {
  const a = pod.spec.affinity;
  return (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 || (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Topology spread, after pkg/scheduler/framework/plugins/podtopologyspread/{common,filtering}.go

interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: 'Honor' | 'Ignore';
  readonly nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/** The pod's DoNotSchedule constraints with matchLabelKeys ANDed into the selector (a nil
 *  selector stays nil: matches nothing) and upstream's defaults; invalid selectors left out. */
function doNotScheduleConstraints(pod: Pod): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of pod.spec.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    let sel = c.labelSelector;
    if (sel != null) {
      const exprs = [...(sel.matchExpressions ?? [])];
      for (const key of c.matchLabelKeys ?? []) {
        const v = labelOf(pod.metadata.labels, key);
        if (v !== undefined) exprs.push({ key, operator: 'In', values: [v] });
      }
      sel = { ...sel, matchExpressions: exprs };
    }
    const parsed = labelSelectorAsSelector(sel);
    if (!parsed.ok) continue;
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: parsed.selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** matchNodeInclusionPolicies: does the node's domain count for the constraint? */
function nodeIncluded(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.match({ name: node.metadata.name, labels: node.metadata.labels })) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.spec.taints ?? [], pod.spec.tolerations ?? [], (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') !== undefined) return false;
  return true;
}

/**
 * PodTopologySpread Filter for `pod` on `node`: for each DoNotSchedule constraint, the node has
 * the topology key, and (matching pods in the node's domain) + (1 if the pod matches the
 * selector) − (the minimum over eligible domains, 0 when fewer than minDomains) ≤ maxSkew.
 * Eligible domains come from nodes carrying every constraint's key and passing the constraint's
 * inclusion policies; counted pods are assigned, not terminating, in the pod's namespace.
 */
export function topologySpreadFailure(pod: Pod, node: Node, store: Store): string | undefined {
  const constraints = doNotScheduleConstraints(pod);
  if (constraints.length === 0) return undefined;
  const missing = constraints.find((c) => labelOf(node.metadata.labels, c.topologyKey) === undefined);
  if (missing) return `lacks the topology key ${missing.topologyKey} of its DoNotSchedule topology spread constraint`;
  const ns = namespaceOf(pod);
  const podsByNode = new Map<string, Pod[]>();
  for (const p of assignedPods(store, pod)) {
    if (p.metadata.deletionTimestamp !== undefined || namespaceOf(p) !== ns) continue;
    const list = podsByNode.get(p.spec.nodeName!) ?? [];
    list.push(p);
    podsByNode.set(p.spec.nodeName!, list);
  }
  const required = RequiredNodeAffinity.ofPod(pod);
  const nodes = [...store.list<Node>('Node')].filter((n) => constraints.every((c) => labelOf(n.metadata.labels, c.topologyKey) !== undefined));
  for (const c of constraints) {
    const counts = new Map<string, number>();
    for (const n of nodes) {
      if (!nodeIncluded(c, pod, n, required)) continue;
      const v = labelOf(n.metadata.labels, c.topologyKey)!;
      const matching = c.selector.empty() ? 0 : (podsByNode.get(n.metadata.name) ?? []).filter((p) => c.selector.matches(p.metadata.labels)).length;
      counts.set(v, (counts.get(v) ?? 0) + matching);
    }
    const minMatch = counts.size === 0 || counts.size < c.minDomains ? 0 : Math.min(...counts.values());
    const value = labelOf(node.metadata.labels, c.topologyKey)!;
    const self = c.selector.matches(pod.metadata.labels) ? 1 : 0;
    const inDomain = (counts.get(value) ?? 0) + self;
    const skew = inDomain - minMatch;
    if (skew <= c.maxSkew) continue;
    const domains = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, n]) => `${k}=${n}`).join(', ');
    const minNote = counts.size < c.minDomains ? `0 (${counts.size} of minDomains ${c.minDomains} domains)` : String(minMatch);
    return `breaks its DoNotSchedule topology spread constraint on ${c.topologyKey} (selector ${c.selector.toString() || '<none>'}): skew ${skew} > maxSkew ${c.maxSkew}, with ${inDomain} matching pods in ${value} counting this one and a global minimum of ${minNote} (before the binding: ${domains || 'no eligible domain'})`;
  }
  return undefined;
}

function hasDoNotScheduleSpread(pod: Pod): boolean {
  return (pod.spec.topologySpreadConstraints ?? []).some((c) => c.whenUnsatisfiable === 'DoNotSchedule');
}

/** Pods whose fit depends on other pods' placement in ways "considered alone" cannot judge. */
export function hasInterPodConstraints(pod: Pod): boolean {
  return hasRequiredPodAffinity(pod) || hasDoNotScheduleSpread(pod);
}

// ---------------------------------------------------------------------------------------------
// The bind-time invariants

export const noNodeOverAllocatable: Invariant = {
  name: 'no-node-over-allocatable',
  kind: 'safety',
  description: 'after a scheduler binding, the non-terminal pods on the node request no more than its allocatable (every resource, and the pod count)',
  upstream: 'pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest)',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    const node = store.get<Node>('Node', undefined, b.node);
    if (!node) return undefined;
    const { used, count } = nodeUsage(store, b.node);
    const over = overAllocatable(allocatableOf(node), used, count);
    if (over.length === 0) return undefined;
    return { objects: [podRef(b.pod), `Node/${b.node}`], message: `binding ${podRef(b.pod)} put node ${b.node} over its allocatable: ${over.join(', ')}` };
  },
};

export const noBindToFailingNode: Invariant = {
  name: 'no-bind-to-failing-node',
  kind: 'safety',
  description: 'the scheduler never binds a pod to a node that fails a required filter at bind time: nodeSelector and required node affinity, an untolerated NoSchedule/NoExecute taint, spec.unschedulable, a host port in use, a bound volume the node cannot use (node affinity, zone)',
  upstream: 'pkg/scheduler/framework/plugins/{nodeaffinity,tainttoleration,nodeunschedulable,nodeports,volumebinding,volumezone}',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    const node = store.get<Node>('Node', undefined, b.node);
    if (!node) return undefined;
    const why = failingFilter(b.pod, node, store);
    return why ? { objects: [podRef(b.pod), `Node/${b.node}`], message: `${podRef(b.pod)} was bound to node ${b.node}, which ${why}` } : undefined;
  },
};

export const noDoubleBinding: Invariant = {
  name: 'no-double-binding',
  kind: 'safety',
  description: 'a pod is bound at most once, and only to a node that exists',
  upstream: 'pkg/registry/core/pod/storage/storage.go (BindingREST.assignPod)',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    if (ev.old && (ev.old as Pod).spec.nodeName) return { objects: [podRef(b.pod)], message: `${podRef(b.pod)} was bound to ${b.node} while already bound to ${(ev.old as Pod).spec.nodeName}` };
    if (!store.get<Node>('Node', undefined, b.node)) return { objects: [podRef(b.pod), `Node/${b.node}`], message: `${podRef(b.pod)} was bound to node ${b.node}, which does not exist` };
    return undefined;
  },
};

export const topologySpreadRespected: Invariant = {
  name: 'topology-spread-respected',
  kind: 'safety',
  description: "at each scheduler binding, every DoNotSchedule topology spread constraint of the pod holds: matching pods in the node's domain (the pod included) minus the minimum over eligible domains (0 below minDomains) is at most maxSkew",
  upstream: 'pkg/scheduler/framework/plugins/podtopologyspread/filtering.go (calPreFilterState, Filter)',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b || !hasDoNotScheduleSpread(b.pod)) return undefined;
    const node = store.get<Node>('Node', undefined, b.node);
    if (!node) return undefined;
    const why = topologySpreadFailure(b.pod, node, store);
    return why ? { objects: [podRef(b.pod), `Node/${b.node}`], message: `${podRef(b.pod)} was bound to node ${b.node}, which ${why}` } : undefined;
  },
};

export const podAffinityRespected: Invariant = {
  name: 'pod-affinity-respected',
  kind: 'safety',
  description: "at each scheduler binding, the pod's required pod affinity (unless it is the first pod of its group) and anti-affinity hold by topology domain, and no existing pod's required anti-affinity excludes it",
  upstream: 'pkg/scheduler/framework/plugins/interpodaffinity/filtering.go (satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity)',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    const node = store.get<Node>('Node', undefined, b.node);
    if (!node) return undefined;
    const why = podAffinityFailure(b.pod, node, store);
    if (!why) return undefined;
    return { objects: [podRef(b.pod), `Node/${b.node}`, ...why.others.map(podRef)], message: `${podRef(b.pod)} was bound to node ${b.node}, which ${why.reason}` };
  },
};

// ---------------------------------------------------------------------------------------------
// Preemption

const PREEMPTION_REASON = 'PreemptionByScheduler';

interface PreemptionInstant {
  instantMs: number;
  victims: Array<{ pod: Pod; node: string }>;
  /** Pods whose nomination to a node was written during the instant, or that were deleted
   *  during it while nominated, by node. */
  nominated: Map<string, Pod[]>;
}

/** One record per cluster (the invariant objects are shared by every run). */
const preemptionInstants = new WeakMap<Store, PreemptionInstant>();

function newlyPreempted(ev: WatchEvent): Pod | undefined {
  if (ev.type === 'DELETED' || ev.object.kind !== 'Pod') return undefined;
  const pod = ev.object as Pod;
  const cond = getCondition(pod.status.conditions, 'DisruptionTarget');
  if (cond?.status !== 'True' || cond.reason !== PREEMPTION_REASON || !pod.spec.nodeName) return undefined;
  const before = ev.old ? getCondition((ev.old as Pod).status.conditions, 'DisruptionTarget') : undefined;
  return before?.status === 'True' && before.reason === PREEMPTION_REASON ? undefined : pod;
}

/** The instant's victims, judged against the pods nominated to their nodes during the instant
 *  or still nominated there now; clears the record. */
function judgePreemptions(rec: PreemptionInstant, store: Store, late: boolean): ViolationReport | undefined {
  const victims = rec.victims;
  const nominatedDuring = rec.nominated;
  rec.victims = [];
  rec.nominated = new Map();
  for (const { pod: victim, node } of victims) {
    const nominated = new Map<string, Pod>();
    for (const p of nominatedDuring.get(node) ?? []) nominated.set(p.metadata.uid ?? podRef(p), p);
    for (const p of store.list<Pod>('Pod')) if (p.status.nominatedNodeName === node && !p.spec.nodeName) nominated.set(p.metadata.uid ?? podRef(p), p);
    nominated.delete(victim.metadata.uid ?? podRef(victim));
    const candidates = [...nominated.values()];
    if (candidates.some((p) => priorityOf(p) > priorityOf(victim))) continue;
    const listed = candidates.length === 0 ? 'none' : candidates.map((p) => `${podRef(p)} (priority ${priorityOf(p)})`).join(', ');
    const when = late ? ` (preempted at ${formatDuration(rec.instantMs)})` : '';
    return {
      objects: [podRef(victim), `Node/${node}`, ...candidates.map(podRef)],
      message: `${podRef(victim)} (priority ${priorityOf(victim)}) was preempted on node ${node}, but no pod nominated to ${node} at that instant has a higher priority (nominated: ${listed})${when}`,
    };
  }
  return undefined;
}

export const preemptionOnlyLowerPriority: Invariant = {
  name: 'preemption-only-lower-priority',
  kind: 'safety',
  description: 'every pod the scheduler preempts (DisruptionTarget condition, reason PreemptionByScheduler) has a lower priority than some pod nominated to its node at that instant',
  upstream: 'pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (SelectVictimsOnNode: only lower-priority pods are potential victims)',
  check(ev, _verb, store) {
    let rec = preemptionInstants.get(store);
    let late: ViolationReport | undefined;
    if (rec === undefined) {
      rec = { instantMs: store.nowMs, victims: [], nominated: new Map() };
      preemptionInstants.set(store, rec);
    } else if (rec.instantMs !== store.nowMs) {
      // Without watchInstantEnds, the previous instant is judged at the next write.
      late = judgePreemptions(rec, store, true);
      rec.instantMs = store.nowMs;
    }
    const victim = newlyPreempted(ev);
    if (victim) rec.victims.push({ pod: victim, node: victim.spec.nodeName! });
    if (ev.object.kind === 'Pod') {
      const pod = ev.object as Pod;
      const node = pod.status.nominatedNodeName;
      // A nomination written now, or one that held until the pod was deleted now (a preemptor
      // deleted right after it preempted is no longer in the store when the instant is judged).
      const fresh = ev.type === 'DELETED' ? !pod.spec.nodeName : node !== (ev.old as Pod | undefined)?.status.nominatedNodeName;
      if (node && fresh) rec.nominated.set(node, [...(rec.nominated.get(node) ?? []), pod]);
    }
    return late;
  },
  instantEnd(store) {
    const rec = preemptionInstants.get(store);
    if (rec === undefined || rec.instantMs !== store.nowMs) return undefined;
    return judgePreemptions(rec, store, false);
  },
};

// ---------------------------------------------------------------------------------------------
// Workload controllers

/** intstr.GetScaledValueFromIntOrPercent with rounding up (ResolveFenceposts' maxSurge). */
function surgeOf(d: Deployment, replicas: number): number {
  const v = d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * replicas) / 100) : Number(v) || 0;
}

const isActive = (p: Pod): boolean => !podIsTerminal(p) && p.metadata.deletionTimestamp === undefined;

function activePodsOf(store: Store, owners: ReadonlySet<string>): Pod[] {
  const out: Pod[] = [];
  for (const p of store.list<Pod>('Pod')) {
    const ref = controllerRef(p);
    if (ref && owners.has(ref.uid) && isActive(p)) out.push(p);
  }
  return out;
}

function replicaSetBound(pod: Pod, rs: ReplicaSet, store: Store): ViolationReport | undefined {
  const replicas = rs.spec.replicas ?? 1;
  const active = activePodsOf(store, new Set([rs.metadata.uid!]));
  if (active.length <= replicas) return undefined;
  return {
    objects: [objectRef(rs), podRef(pod)],
    message: `creating ${podRef(pod)} gave ${objectRef(rs)} ${active.length} active (non-terminating) pods, more than its spec.replicas ${replicas}`,
  };
}

function deploymentSurgeBound(pod: Pod, rs: ReplicaSet, store: Store): ViolationReport | undefined {
  const ref = controllerRef(rs);
  if (ref?.kind !== 'Deployment') return undefined;
  const d = store.get<Deployment>('Deployment', rs.metadata.namespace, ref.name);
  if (!d || d.metadata.uid !== ref.uid || (d.spec.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return undefined;
  // Until the Deployment controller has seen the latest spec (a scale-down, say), the ReplicaSets
  // legitimately follow the previous one.
  if ((d.status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return undefined;
  const replicas = d.spec.replicas ?? 1;
  const surge = surgeOf(d, replicas);
  const owned = new Set<string>();
  for (const r of store.list<ReplicaSet>('ReplicaSet')) if (r.metadata.namespace === d.metadata.namespace && isControlledBy(r, d.metadata.uid!)) owned.add(r.metadata.uid!);
  const active = activePodsOf(store, owned);
  if (active.length <= replicas + surge) return undefined;
  return {
    objects: [objectRef(d), objectRef(rs), podRef(pod)],
    message: `creating ${podRef(pod)} gave ${objectRef(d)} ${active.length} active (non-terminating) pods, more than spec.replicas ${replicas} + maxSurge ${surge}`,
  };
}

export const workloadWithinBounds: Invariant = {
  name: 'workload-within-bounds',
  kind: 'safety',
  description: "after each pod the ReplicaSet controller creates, the ReplicaSet has at most spec.replicas active pods, and a RollingUpdate Deployment's ReplicaSets together at most spec.replicas + maxSurge (a percentage rounded up), once the Deployment controller has observed that spec",
  upstream: 'pkg/controller/replicaset/replica_set.go (manageReplicas); pkg/controller/deployment/util/deployment_util.go (NewRSNewReplicas, ResolveFenceposts)',
  check(ev, verb, store, actor) {
    if (ev.type !== 'ADDED' || ev.object.kind !== 'Pod' || verb !== 'create') return undefined;
    if (actor !== undefined && actor !== REPLICASET_CONTROLLER) return undefined;
    const pod = ev.object as Pod;
    const ref = controllerRef(pod);
    if (ref?.kind !== 'ReplicaSet') return undefined;
    const rs = store.get<ReplicaSet>('ReplicaSet', pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    return replicaSetBound(pod, rs, store) ?? deploymentSurgeBound(pod, rs, store);
  },
};

// ---------------------------------------------------------------------------------------------
// Volumes

export const rwoVolumeSingleNode: Invariant = {
  name: 'rwo-volume-single-node',
  kind: 'safety',
  description:
    'a PersistentVolume whose access modes are only ReadWriteOnce and/or ReadWriteOncePod (no ReadWriteMany, no ReadOnlyMany) is attached, or being attached or detached — a VolumeAttachment exists for it — on at most one node at any time',
  upstream: 'pkg/controller/volume/attachdetach/reconciler/reconciler.go (attachDesiredVolumes: the Multi-Attach check); pkg/volume/util/util.go (IsMultiAttachAllowed)',
  check(ev, _verb, store) {
    if (ev.object.kind !== 'VolumeAttachment' || ev.type === 'DELETED') return undefined;
    const pvName = (ev.object as VolumeAttachment).spec.source.persistentVolumeName;
    if (!pvName) return undefined;
    const modes = store.get<PersistentVolume>('PersistentVolume', undefined, pvName)?.spec.accessModes ?? [];
    if (modes.length === 0 || modes.some((m) => m === 'ReadWriteMany' || m === 'ReadOnlyMany')) return undefined;
    const nodes = new Set<string>();
    const attachments: string[] = [];
    for (const va of store.list<VolumeAttachment>('VolumeAttachment')) {
      if (va.spec.source.persistentVolumeName !== pvName) continue;
      nodes.add(va.spec.nodeName);
      attachments.push(`VolumeAttachment/${va.metadata.name}`);
    }
    if (nodes.size <= 1) return undefined;
    return {
      objects: [`PersistentVolume/${pvName}`, ...attachments],
      message: `PersistentVolume ${pvName} (${modes.join(', ')}) is attached or attaching to ${nodes.size} nodes: ${[...nodes].join(', ')}`,
    };
  },
};

// ---------------------------------------------------------------------------------------------

/** The safety invariants, checked at every write (the `invariants: all` default). */
export const INVARIANTS: readonly Invariant[] = [
  noNodeOverAllocatable,
  noBindToFailingNode,
  noDoubleBinding,
  topologySpreadRespected,
  podAffinityRespected,
  preemptionOnlyLowerPriority,
  workloadWithinBounds,
  rwoVolumeSingleNode,
];

/** Names of the safety invariants (liveness.ts lists every invariant). */
export function invariantNames(): string[] {
  return INVARIANTS.map((i) => i.name);
}

/**
 * Runs the invariants' instant-end checks each time an instant settles; a violation is recorded
 * and stops the run, as one found at a write does (Cluster wires the per-write checks).
 */
export function watchInstantEnds(sim: Simulation, store: Store, invariants: readonly Invariant[], violations: InvariantViolation[]): void {
  const hooked = invariants.filter((i) => i.instantEnd !== undefined);
  if (hooked.length === 0) return;
  sim.onInstantEnd((timeMs) => {
    for (const inv of hooked) {
      const v = inv.instantEnd!(store);
      if (!v) continue;
      violations.push({ invariant: inv.name, timeMs, ...v });
      sim.stop(`invariant ${inv.name} broken: ${v.message}`);
    }
  });
}
