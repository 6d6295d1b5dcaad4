// The ReplicaSet controller: keeps spec.replicas active pods per ReplicaSet, adopting matching
// orphans, creating from the template in slow-start batches and deleting the lowest-ranked pods.
// Follows (v1.35) pkg/controller/replicaset/replica_set.go (syncReplicaSet, manageReplicas,
// slowStartBatch, getPodsToDelete, the pod/RS event handlers), replica_set_utils.go
// (calculateStatus, updateReplicaSetStatus), pkg/controller/controller_utils.go (ActivePods,
// ActivePodsWithRanks with LogarithmicScaleDown (GA) and PodDeletionCost (beta, on),
// GetPodFromTemplate, RealPodControl events), pkg/controller/controller_ref_manager.go (ClaimPods)
// and pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable).
// Reads go to the store, which is always current, so upstream's expectations (which wait for the
// informer to catch up with the controller's own writes) have nothing to guard and are left out.
import type { EventRecorder } from '../api/events.js';
import { labelSelectorAsSelector, type Selector, selectorFromSet } from '../api/selector.js';
import type { Store, WatchEvent } from '../api/store.js';
import { controllerRef, keyOf, type KubeObject, type OwnerReference, type Pod, type ReplicaSet, type ReplicaSetCondition, getCondition, podIsTerminal, sameControllerRef, sameLabels } from '../api/types.js';
import type { Prng } from '../engine/prng.js';
import type { Simulation } from '../engine/sim.js';
import { type ReconcileResult, WorkQueue } from './workqueue.js';

export const COMPONENT = 'replicaset-controller';
/** replica_set.go BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;
/** controller_utils.go SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** core.PodDeletionCost. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
/** utilrand alphanums: no vowels, so generated names do not spell words. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** names.SimpleNameGenerator: 5 random characters after a base of at most 63 − 5. */
const GENERATED_SUFFIX_LENGTH = 5;
const MAX_GENERATED_NAME_BASE_LENGTH = 58;
/** The API server retries a generateName collision (RetryGenerateName, GA in 1.32): 1 + 7 tries. */
const GENERATE_NAME_ATTEMPTS = 8;

// ---- pod predicates ---------------------------------------------------------------------------

/** metav1.Time is serialised with second precision, so every timestamp a controller reads from
 *  the API server has its milliseconds dropped. undefined is Go's zero time. */
export function apiTimeMs(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.floor(ms / 1000) * 1000;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getCondition(pod.status.conditions, 'Ready')?.status === 'True';
}

/** podutil.IsPodAvailable: ready, and for longer than minReadySeconds (strictly). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = apiTimeMs(getCondition(pod.status.conditions, 'Ready')?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** The first instant a ready pod passes isPodAvailable, or undefined if it never will by waiting. */
export function podAvailableAtMs(pod: Pod, minReadySeconds: number): number | undefined {
  if (!isPodReady(pod) || minReadySeconds === 0) return undefined;
  const since = apiTimeMs(getCondition(pod.status.conditions, 'Ready')?.lastTransitionTime);
  return since === undefined ? undefined : since + minReadySeconds * 1000 + 1;
}

/** controller.IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !podIsTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

// ---- ranking (controller_utils.go ActivePods, ActivePodsWithRanks) -------------------------------

/** podPhaseToOrdinal; phases not in the map (Succeeded, Failed, none) read as 0 like a Go map miss. */
function phaseOrdinal(pod: Pod): number {
  const phase = pod.status.phase;
  return phase === 'Unknown' ? 1 : phase === 'Running' ? 2 : 0;
}

function podReadyTimeMs(pod: Pod): number | undefined {
  return isPodReady(pod) ? apiTimeMs(getCondition(pod.status.conditions, 'Ready')?.lastTransitionTime) : undefined;
}

function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status.containerStatuses ?? []) max = Math.max(max, c.restartCount);
  return max;
}

/** afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: floor(log2) of each age in nanoseconds (−1 for no age), subtracted. */
function logarithmicRankDiff(t1Ms: number, t2Ms: number, nowMs: number): number {
  const rank = (t: number) => (nowMs - t > 0 ? Math.floor(Math.log2((nowMs - t) * 1e6)) : -1);
  return rank(t1Ms) - rank(t2Ms);
}

/** helper.GetDeletionCostFromPodAnnotations: an int32 without '+' or leading zeros, else 0. */
export function podDeletionCost(pod: Pod): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || value === '') return 0;
  // validFirstDigit, then strconv.ParseInt(value, 10, 32).
  const validFirst = value[0] === '-' || value === '0' || (value[0]! >= '1' && value[0]! <= '9');
  if (!validFirst || !/^-?[0-9]+$/.test(value)) return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** Compares two pods' UIDs as upstream does (`UID <`). Upstream UIDs are random, so the order is
 *  an arbitrary but fixed one; the controller passes a seeded order instead of the store's
 *  sequential UIDs (see ReplicaSetController). */
export type UidLess = (a: Pod, b: Pod) => boolean;
export const plainUidLess: UidLess = (a, b) => (a.metadata.uid ?? '') < (b.metadata.uid ?? '');

/** Rules 1–3, shared by ActivePods and ActivePodsWithRanks; undefined when they tie. */
function lessByStage(a: Pod, b: Pod): boolean | undefined {
  const nodeA = a.spec.nodeName ?? '';
  const nodeB = b.spec.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '';
  if (phaseOrdinal(a) !== phaseOrdinal(b)) return phaseOrdinal(a) < phaseOrdinal(b);
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  return undefined;
}

/** controller.ActivePods Less: true when `a` should be deleted before `b`. */
export function activePodsLess(a: Pod, b: Pod): boolean {
  const stage = lessByStage(a, b);
  if (stage !== undefined) return stage;
  const readyA = podReadyTimeMs(a);
  const readyB = podReadyTimeMs(b);
  if (isPodReady(a) && isPodReady(b) && readyA !== readyB) return afterOrZero(readyA, readyB);
  if (maxContainerRestarts(a) !== maxContainerRestarts(b)) return maxContainerRestarts(a) > maxContainerRestarts(b);
  const createdA = apiTimeMs(a.metadata.creationTimestamp);
  const createdB = apiTimeMs(b.metadata.creationTimestamp);
  if (createdA !== createdB) return afterOrZero(createdA, createdB);
  return false;
}

export interface RankedPod {
  pod: Pod;
  /** Active related pods on the same node (getPodsRankedByRelatedPodsOnSameNode). */
  rank: number;
}

/** Times compared on a logarithmic scale of their age (LogarithmicScaleDown); a tie goes by UID. */
function logarithmicLess(t1: number | undefined, t2: number | undefined, a: Pod, b: Pod, nowMs: number, uidLess: UidLess): boolean {
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, nowMs);
  return diff === 0 ? uidLess(a, b) : diff < 0;
}

/** controller.ActivePodsWithRanks Less (rules 1–8): true when `a` should be deleted before `b`. */
export function activePodsWithRanksLess(a: RankedPod, b: RankedPod, nowMs: number, uidLess: UidLess = plainUidLess): boolean {
  const stage = lessByStage(a.pod, b.pod);
  if (stage !== undefined) return stage;
  const costA = podDeletionCost(a.pod);
  const costB = podDeletionCost(b.pod);
  if (costA !== costB) return costA < costB;
  if (a.rank !== b.rank) return a.rank > b.rank;
  const readyA = podReadyTimeMs(a.pod);
  const readyB = podReadyTimeMs(b.pod);
  if (isPodReady(a.pod) && isPodReady(b.pod) && readyA !== readyB) return logarithmicLess(readyA, readyB, a.pod, b.pod, nowMs, uidLess);
  if (maxContainerRestarts(a.pod) !== maxContainerRestarts(b.pod)) return maxContainerRestarts(a.pod) > maxContainerRestarts(b.pod);
  const createdA = apiTimeMs(a.pod.metadata.creationTimestamp);
  const createdB = apiTimeMs(b.pod.metadata.creationTimestamp);
  if (createdA !== createdB) return logarithmicLess(createdA, createdB, a.pod, b.pod, nowMs, uidLess);
  return false;
}

/** Sorts with a Less function (stable, so ties keep the input order). */
export function sortByLess<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  return [...items].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
}

/** replica_set.go getPodsToDelete: the first `diff` pods by ActivePodsWithRanks, ranked by how
 *  many active related pods share each pod's node; no sort when all go. */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number, uidLess: UidLess = plainUidLess): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  const ranked = filteredPods.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  return sortByLess(ranked, (a, b) => activePodsWithRanksLess(a, b, nowMs, uidLess))
    .slice(0, diff)
    .map((r) => r.pod);
}

// ---- creating pods -------------------------------------------------------------------------------

/** replica_set.go slowStartBatch: batches of 1, 2, 4, ... calls; a batch with a failure (every call
 *  in it is still made, as upstream's goroutines are) ends the run. `fn` returns an error or
 *  undefined. */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => string | undefined): { successes: number; error: string | undefined } {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let error: string | undefined;
    let failures = 0;
    for (let i = 0; i < batch; i++) {
      const e = fn();
      if (e !== undefined) {
        failures++;
        error ??= e;
      }
    }
    successes += batch - failures;
    if (error !== undefined) return { successes, error };
    remaining -= batch;
  }
  return { successes, error: undefined };
}

/** utilrand.String: n characters of NAME_ALPHABET, 5 bits at a time with rejection (the stream's
 *  32-bit draws stand in for Int63, 6 characters' worth each). */
export function randomString(prng: Prng, n: number): string {
  let out = '';
  let bits = 0;
  let remaining = 0;
  while (out.length < n) {
    if (remaining === 0) {
      bits = prng.nextU32();
      remaining = 6;
    }
    const idx = bits & 31;
    if (idx < NAME_ALPHABET.length) out += NAME_ALPHABET[idx];
    bits >>>= 5;
    remaining--;
  }
  return out;
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** getPodsPrefix: "<name>-" (the name alone if that is not a valid pod name prefix). */
function podsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return /^[a-z0-9]([-a-z0-9.]*)?$/.test(prefix) && prefix.length <= 253 ? prefix : controllerName;
}

/** controller.GetPodFromTemplate with the controller's ownerReference, named by the caller. */
export function podFromTemplate(rs: ReplicaSet, name: string): Pod {
  const template = rs.spec.template;
  const labels = template.metadata?.labels;
  const annotations = template.metadata?.annotations;
  const finalizers = template.metadata?.finalizers;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: podsPrefix(rs.metadata.name),
      namespace: rs.metadata.namespace,
      ...(labels && Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ...(finalizers && finalizers.length > 0 ? { finalizers: [...finalizers] } : {}),
      ownerReferences: [newControllerRef(rs)],
    },
    spec: { ...template.spec },
    status: {},
  };
}

// ---- status ------------------------------------------------------------------------------------

export function replicasOf(obj: { spec: { replicas?: number } }): number {
  return obj.spec.replicas ?? 1;
}

/** replica_set_utils.go calculateStatus: counts, and the ReplicaFailure condition — added
 *  (FailedCreate when pods are missing, FailedDelete when there are too many, with the error's
 *  message) when manageReplicas failed and the condition is not there yet, removed once it
 *  succeeds. */
export function calculateReplicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], nowMs: number, manageError?: string): ReplicaSet['status'] {
  const templateLabels = selectorFromSet(rs.spec.template.metadata?.labels);
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (!isPodReady(pod)) continue;
    ready++;
    if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
  }
  const status: ReplicaSet['status'] = { ...rs.status, replicas: pods.length, fullyLabeledReplicas: fullyLabeled, readyReplicas: ready, availableReplicas: available };
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError !== undefined && failure === undefined) {
    const diff = pods.length - replicasOf(rs);
    const condition: ReplicaSetCondition = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: nowMs, reason: diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '', message: manageError };
    status.conditions = [...(rs.status?.conditions ?? []), condition];
  } else if (manageError === undefined && failure !== undefined) {
    const rest = rs.status.conditions!.filter((c) => c.type !== 'ReplicaFailure');
    if (rest.length > 0) status.conditions = rest;
    else delete status.conditions;
  }
  return status;
}

/** updateReplicaSetStatus's steady-state test: nothing to write. */
function statusUnchanged(rs: ReplicaSet, next: ReplicaSet['status']): boolean {
  const cur = rs.status ?? { replicas: 0 };
  return (
    cur.replicas === next.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === next.fullyLabeledReplicas &&
    (cur.readyReplicas ?? 0) === next.readyReplicas &&
    (cur.availableReplicas ?? 0) === next.availableReplicas &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    cur.conditions === next.conditions
  );
}

// ---- pod index -----------------------------------------------------------------------------------

/**
 * Pods by controller UID, and pods without a controller by namespace: the index upstream's pod
 * informer keeps (controller.PodControllerUIDIndex). A store observer keeps it equal to the store,
 * so reads through it are as current as store.list, without scanning every pod per sync.
 */
export class PodsByController {
  private readonly owned = new Map<string, Map<string, Pod>>();
  private readonly orphans = new Map<string, Map<string, Pod>>();

  constructor(store: Store) {
    for (const pod of store.list<Pod>('Pod')) this.bucket(pod, true).set(keyOf(pod), pod);
    store.observe((ev) => {
      if (ev.object.kind === 'Pod') this.apply(ev as WatchEvent<Pod>);
    });
  }

  ownedBy(uid: string): Iterable<Pod> {
    return this.owned.get(uid)?.values() ?? [];
  }

  orphansIn(namespace: string): Iterable<Pod> {
    return this.orphans.get(namespace)?.values() ?? [];
  }

  private apply(ev: WatchEvent<Pod>): void {
    const key = keyOf(ev.object);
    const before = ev.old === undefined ? undefined : this.bucket(ev.old, false);
    if (ev.type === 'DELETED') {
      before?.delete(key);
      return;
    }
    const after = this.bucket(ev.object, true);
    if (before !== undefined && before !== after) before.delete(key);
    after.set(key, ev.object);
  }

  private bucket(pod: Pod, create: boolean): Map<string, Pod> {
    const ref = controllerRef(pod);
    const index = ref === undefined ? this.orphans : this.owned;
    const id = ref === undefined ? pod.metadata.namespace ?? 'default' : ref.uid;
    let bucket = index.get(id);
    if (bucket === undefined) {
      bucket = new Map();
      if (create) index.set(id, bucket);
    }
    return bucket;
  }
}

// ---- the controller ------------------------------------------------------------------------------

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function rsKey(rs: ReplicaSet): string {
  return `${rs.metadata.namespace ?? 'default'}/${rs.metadata.name}`;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, mixed with a salt. */
function saltedHash(salt: number, s: string): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly names: Prng;
  private readonly uidLess: UidLess;
  private pods: PodsByController | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {
    this.queue = new WorkQueue(sim, COMPONENT, (key) => this.syncReplicaSet(key));
    this.names = sim.stream('replicaset/names');
    // Upstream breaks logarithmic-rank ties by comparing random UUIDs; a seeded hash of the
    // store's sequential UIDs gives the same kind of arbitrary but stable order.
    const salt = sim.stream('replicaset/uid-order').nextU32();
    this.uidLess = (a, b) => {
      const ha = saltedHash(salt, a.metadata.uid ?? '');
      const hb = saltedHash(salt, b.metadata.uid ?? '');
      return ha !== hb ? ha < hb : plainUidLess(a, b);
    };
  }

  start(): void {
    this.pods = new PodsByController(this.store);
    this.store.watch<ReplicaSet>('ReplicaSet', COMPONENT, (ev) => this.queue.add(rsKey(ev.object)));
    this.store.watch<Pod>('Pod', COMPONENT, (ev) => this.onPod(ev));
    for (const rs of this.store.list<ReplicaSet>('ReplicaSet')) this.queue.add(rsKey(rs));
  }

  // ---- event handlers (addPod, updatePod, deletePod) ----

  private onPod(ev: WatchEvent<Pod>): void {
    const pod = ev.object;
    if (ev.type === 'DELETED' || (ev.type === 'ADDED' && pod.metadata.deletionTimestamp !== undefined)) {
      this.enqueueOwner(pod);
      return;
    }
    if (ev.type === 'ADDED') {
      if (controllerRef(pod) !== undefined) this.enqueueOwner(pod);
      else this.enqueueMatching(pod);
      return;
    }
    this.onPodUpdate(ev.old!, pod);
  }

  private onPodUpdate(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = !sameLabels(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp !== undefined) {
      this.enqueueOwner(cur);
      if (labelsChanged) this.enqueueOwner(old);
      return;
    }
    const curRef = controllerRef(cur);
    const oldRef = controllerRef(old);
    const refChanged = !sameControllerRef(curRef, oldRef);
    if (refChanged && oldRef !== undefined) this.enqueueOwner(old);
    if (curRef === undefined) {
      if (labelsChanged || refChanged) this.enqueueMatching(cur);
      return;
    }
    const rs = this.resolveControllerRef(cur);
    if (rs === undefined) return;
    this.queue.add(rsKey(rs));
    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    // Availability is only re-evaluated on a sync: look again a second after minReadySeconds.
    if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) this.queue.addAfter(rsKey(rs), minReadySeconds * 1000 + 1000);
  }

  private resolveControllerRef(pod: Pod): ReplicaSet | undefined {
    const ref = controllerRef(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.store.get<ReplicaSet>('ReplicaSet', pod.metadata.namespace, ref.name);
    return rs !== undefined && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  private enqueueOwner(pod: Pod): void {
    const rs = this.resolveControllerRef(pod);
    if (rs !== undefined) this.queue.add(rsKey(rs));
  }

  /** getPodReplicaSets: every ReplicaSet in the namespace whose (non-empty) selector matches. */
  private enqueueMatching(pod: Pod): void {
    for (const rs of this.store.list<ReplicaSet>('ReplicaSet')) {
      if (rs.metadata.namespace !== pod.metadata.namespace) continue;
      const parsed = labelSelectorAsSelector(rs.spec.selector);
      if (parsed.ok && !parsed.selector.empty() && parsed.selector.matches(pod.metadata.labels)) this.queue.add(rsKey(rs));
    }
  }

  // ---- sync ----

  private syncReplicaSet(key: string): ReconcileResult {
    const [namespace, name] = splitKey(key);
    const rs = this.store.get<ReplicaSet>('ReplicaSet', namespace, name);
    if (rs === undefined) return 'done';
    const parsed = labelSelectorAsSelector(rs.spec.selector);
    if (!parsed.ok) return 'done'; // upstream logs the bad selector and does not requeue
    const claimed = this.claimPods(rs, parsed.selector, this.activeCandidates(rs));
    if (claimed.error !== undefined) return 'retry';
    const manageError = rs.metadata.deletionTimestamp === undefined ? this.manageReplicas(claimed.pods, rs) : undefined;
    const updated = this.updateStatus(rs, calculateReplicaSetStatus(rs, claimed.pods, this.sim.nowMs, manageError));
    if (updated === undefined) return 'retry';
    if (manageError === undefined) this.planAvailabilityCheck(key, updated, claimed.pods);
    return manageError === undefined ? 'done' : 'retry';
  }

  /** Active pods this ReplicaSet owns, then active orphans of its namespace (FilterActivePods). */
  private activeCandidates(rs: ReplicaSet): Pod[] {
    const namespace = rs.metadata.namespace ?? 'default';
    const pods: Pod[] = [];
    for (const pod of this.pods!.ownedBy(rs.metadata.uid ?? '')) if (pod.metadata.namespace === namespace && isPodActive(pod)) pods.push(pod);
    for (const pod of this.pods!.orphansIn(namespace)) if (isPodActive(pod)) pods.push(pod);
    return pods;
  }

  /** PodControllerRefManager.ClaimPods: keep owned matches, release owned non-matches, adopt
   *  matching orphans. Candidates are owned by this ReplicaSet or by nobody. */
  private claimPods(rs: ReplicaSet, selector: Selector, candidates: readonly Pod[]): { pods: Pod[]; error: string | undefined } {
    const pods: Pod[] = [];
    let error: string | undefined;
    const deleting = rs.metadata.deletionTimestamp !== undefined;
    for (const pod of candidates) {
      const matches = selector.matches(pod.metadata.labels);
      const owned = controllerRef(pod) !== undefined;
      if (owned && matches) pods.push(pod);
      else if (owned && !deleting) error ??= this.patchOwnerRefs(pod, rs, false).error;
      else if (!owned && matches && !deleting) {
        const adopted = this.patchOwnerRefs(pod, rs, true);
        if (adopted.pod !== undefined) pods.push(adopted.pod);
        error ??= adopted.error;
      }
    }
    return { pods, error };
  }

  /** AdoptPod / ReleasePod: add or drop this ReplicaSet's ownerReference (a NotFound is no error). */
  private patchOwnerRefs(pod: Pod, rs: ReplicaSet, adopt: boolean): { pod?: Pod; error?: string } {
    const others = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata.uid);
    const ownerReferences = adopt ? [...others, newControllerRef(rs)] : others;
    const result = this.store.update<Pod>({ ...pod, metadata: { ...pod.metadata, ownerReferences } }, COMPONENT, 'patch');
    if (result.ok) return { pod: result.object };
    return result.reason === 'NotFound' ? {} : { error: result.message };
  }

  private manageReplicas(pods: readonly Pod[], rs: ReplicaSet): string | undefined {
    const diff = pods.length - replicasOf(rs);
    if (diff < 0) return slowStartBatch(Math.min(-diff, BURST_REPLICAS), SLOW_START_INITIAL_BATCH_SIZE, () => this.createPod(rs)).error;
    if (diff > 0) return this.deletePods(rs, pods, Math.min(diff, BURST_REPLICAS));
    return undefined;
  }

  /** RealPodControl.CreatePods with the API server's generateName (and its collision retries). */
  private createPod(rs: ReplicaSet): string | undefined {
    if (Object.keys(rs.spec.template.metadata?.labels ?? {}).length === 0) return 'unable to create pods, no labels';
    const base = podsPrefix(rs.metadata.name).slice(0, MAX_GENERATED_NAME_BASE_LENGTH);
    let message = '';
    for (let attempt = 0; attempt < GENERATE_NAME_ATTEMPTS; attempt++) {
      const result = this.store.create(podFromTemplate(rs, base + randomString(this.names, GENERATED_SUFFIX_LENGTH)), COMPONENT);
      if (result.ok) {
        this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${result.object.metadata.name}`, COMPONENT);
        return undefined;
      }
      message = result.message;
      if (result.reason !== 'AlreadyExists') break;
    }
    this.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, COMPONENT);
    return message;
  }

  /** The delete half of manageReplicas; RealPodControl.DeletePod's events. */
  private deletePods(rs: ReplicaSet, pods: readonly Pod[], count: number): string | undefined {
    let error: string | undefined;
    for (const pod of getPodsToDelete(pods, this.relatedPods(rs), count, this.sim.nowMs, this.uidLess)) {
      const result = this.store.delete('Pod', pod.metadata.namespace, pod.metadata.name, COMPONENT);
      if (result.ok) this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
      else if (result.reason !== 'NotFound') {
        this.events.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${result.message}`, COMPONENT);
        error ??= `unable to delete pods: ${result.message}`;
      }
    }
    return error;
  }

  /**
   * getIndirectlyRelatedPods: pods selected by any ReplicaSet with the same controller (none when
   * this one has no controller). Upstream lists every pod matching each selector; here the
   * candidates are the pods those ReplicaSets own plus the namespace's orphans, which differs
   * only for pods owned elsewhere that match a sibling's selector (overlapping selectors).
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRef(rs);
    if (owner === undefined) return [];
    const namespace = rs.metadata.namespace ?? 'default';
    const seen = new Set<string>();
    const related: Pod[] = [];
    for (const sibling of this.store.list<ReplicaSet>('ReplicaSet')) {
      if (controllerRef(sibling)?.uid !== owner.uid) continue;
      const parsed = labelSelectorAsSelector(sibling.spec.selector);
      if (!parsed.ok) continue;
      for (const pod of [...this.pods!.ownedBy(sibling.metadata.uid ?? ''), ...this.pods!.orphansIn(namespace)]) {
        const uid = pod.metadata.uid ?? keyOf(pod);
        if (pod.metadata.namespace !== namespace || seen.has(uid) || !parsed.selector.matches(pod.metadata.labels)) continue;
        seen.add(uid);
        related.push(pod);
      }
    }
    return related;
  }

  /** updateReplicaSetStatus: write only on a change, stamping the generation acted on. */
  private updateStatus(rs: ReplicaSet, next: ReplicaSet['status']): ReplicaSet | undefined {
    if (statusUnchanged(rs, next)) return rs;
    const status = { ...next, observedGeneration: rs.metadata.generation ?? 0 };
    const result = this.store.update<ReplicaSet>({ ...rs, status }, COMPONENT, 'status');
    return result.ok ? result.object : undefined;
  }

  /** The sync after MinReadySeconds: look again when the next ready pod becomes available. */
  private planAvailabilityCheck(key: string, rs: ReplicaSet, pods: readonly Pod[]): void {
    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    if (minReadySeconds === 0 || rs.status.readyReplicas === rs.status.availableReplicas) return;
    let next = Infinity;
    for (const pod of pods) {
      const at = podAvailableAtMs(pod, minReadySeconds);
      if (at !== undefined && at > this.sim.nowMs) next = Math.min(next, at);
    }
    if (next !== Infinity) this.queue.addAfter(key, next - this.sim.nowMs);
  }
}
