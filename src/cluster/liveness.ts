// Liveness invariants: checked once, on the settled cluster at the end of a scenario's settle
// phase (`settle:` — a stretch of virtual time after `until` with no scenario events), never
// during the run. Where a safety invariant says "nothing bad happened", these say "what should
// have happened did": once faults stop, the scheduler places every pod that fits somewhere, and
// the workload controllers reach their replicas. Like the safety invariants, each judges the
// API state on its own terms (no scheduler plugin is called).
//
// This file also holds the catalog of every invariant, safety and liveness, with its kind.
import { labelSelectorAsSelector } from '../api/selector.js';
import { ANN_SELECTED_NODE, IN_TREE_TO_CSI_PROVISIONER, externalProvisioner, matchTopologySelectorTerms, checkAccessModes, claimClass, csiNodeVolumeLimits, csiVolumeUniqueName, ephemeralVolumeIsForPod, isMultiAttachAllowed, isVolumeBoundToClaim, podClaimNames, storageOf, volumeClaim, volumeClass } from '../api/storage.js';
import type { CSINode, Deployment, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, StorageClass, VolumeAttachment } from '../api/types.js';
import { controllerRef, getCondition, isControlledBy, podIsTerminal } from '../api/types.js';
import { formatDuration } from '../engine/time.js';
import type { Cluster } from './cluster.js';
import {
  INVARIANTS,
  antiAffinityBetween,
  type InvariantInfo,
  type InvariantViolation,
  type ViolationReport,
  failingFilter,
  hasInterPodConstraints,
  insufficientResources,
  podAffinityFailure,
  podRef,
  topologySpreadFailure,
  volumeUsableFrom,
} from './invariants.js';

/** v1.DefaultSchedulerName: the schedulerName a pod without one gets. */
const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface LivenessInvariant extends InvariantInfo {
  kind: 'liveness';
  /** Called once on the settled cluster; one report per object that breaks the rule. */
  check(cluster: Cluster): ViolationReport[];
  /** Called before the run, for a rule that needs to have watched the writes (never acts). */
  watch?(cluster: Cluster): void;
}

/** At most this many objects are spelt out in one violation's message. */
const LISTED_MAX = 5;

// ---------------------------------------------------------------------------------------------
// Where a pod could go

function isReady(node: Node): boolean {
  return getCondition(node.status.conditions, 'Ready')?.status === 'True';
}

/** A pod the scheduler still owes a placement: unbound, not terminal, not being deleted, not
 *  held by scheduling gates, and addressed to one of this cluster's scheduler profiles. */
function awaitingScheduler(pod: Pod, schedulerNames: ReadonlySet<string>): boolean {
  if (pod.spec.nodeName || podIsTerminal(pod) || pod.metadata.deletionTimestamp !== undefined) return false;
  if ((pod.spec.schedulingGates?.length ?? 0) > 0) return false;
  return schedulerNames.has(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
}

/**
 * The first live node (Ready) that would take the pod on its own, in store order: the node-local
 * filters (resources, nodeSelector / required node affinity, taints, unschedulable, host ports),
 * the pod's volumes (volumeFitFailure), existing pods' required anti-affinity, and the pod's own
 * required pod (anti-)affinity and DoNotSchedule topology spread as if it were placed there now.
 */
export function nodeThatFits(pod: Pod, cluster: Cluster): Node | undefined {
  const memo = settled.get(cluster);
  if (memo === undefined) return findNodeThatFits(pod, cluster);
  if (memo.fits.has(pod)) return memo.fits.get(pod);
  const node = findNodeThatFits(pod, cluster);
  memo.fits.set(pod, node);
  return node;
}

/** What the liveness checks have found of the settled cluster, while checkLiveness runs (no
 *  write happens meanwhile): both invariants ask where the same pending pods fit. */
interface SettledMemo {
  fits: Map<Pod, Node | undefined>;
  nominated: Pod[] | undefined;
}
const settled = new WeakMap<Cluster, SettledMemo>();

function findNodeThatFits(pod: Pod, cluster: Cluster): Node | undefined {
  const store = cluster.store;
  const claims = podClaimNames(pod).length > 0;
  const nominated = nominatedAbove(pod, cluster);
  for (const node of store.list<Node>('Node')) {
    if (!isReady(node)) continue;
    if (failingFilter(pod, node, store) !== undefined || insufficientResources(pod, node, store, nominated.get(node.metadata.name)) !== undefined) continue;
    if (claims && volumeFitFailure(pod, node, cluster) !== undefined) continue;
    if (claims && volumeLimitFailure(pod, node, cluster) !== undefined) continue;
    if (podAffinityFailure(pod, node, store) !== undefined) continue;
    if (topologySpreadFailure(pod, node, store) !== undefined) continue;
    return node;
  }
  return undefined;
}

/**
 * Per node, the pending pods nominated to it (status.nominatedNodeName) with a priority at least
 * the pod's: the scheduler counts their requests there as if they ran
 * (schedule_one.go / framework runtime RunFilterPluginsWithNominatedPods, addGENominatedPods), so
 * the pod does not fit where only their reservation leaves too little.
 */
function nominatedAbove(pod: Pod, cluster: Cluster): Map<string, Pod[]> {
  const m = new Map<string, Pod[]>();
  const prio = pod.spec.priority ?? 0;
  for (const p of nominatedPendingPods(cluster)) {
    if (p.metadata.uid === pod.metadata.uid || (p.spec.priority ?? 0) < prio) continue;
    const node = p.status.nominatedNodeName!;
    const list = m.get(node);
    if (list) list.push(p);
    else m.set(node, [p]);
  }
  return m;
}

/** Pending pods (unbound, not terminal, not being deleted) with a status.nominatedNodeName. */
function nominatedPendingPods(cluster: Cluster): Pod[] {
  const memo = settled.get(cluster);
  if (memo === undefined) return listNominatedPendingPods(cluster);
  return (memo.nominated ??= listNominatedPendingPods(cluster));
}

function listNominatedPendingPods(cluster: Cluster): Pod[] {
  return [...cluster.store.list<Pod>('Pod')].filter((p) => p.status.nominatedNodeName && !p.spec.nodeName && !podIsTerminal(p) && p.metadata.deletionTimestamp === undefined);
}

// ---------------------------------------------------------------------------------------------
// Where a pod's claims let it go, judged on the API objects (no scheduler plugin is called)


function claimOf(pod: Pod, name: string, cluster: Cluster): PersistentVolumeClaim | undefined {
  return cluster.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace ?? 'default', name);
}

/** The volume a claim is bound to (spec.volumeName), when it exists. */
function claimVolume(claim: PersistentVolumeClaim, cluster: Cluster): PersistentVolume | undefined {
  return claim.spec.volumeName ? cluster.store.get<PersistentVolume>('PersistentVolume', undefined, claim.spec.volumeName) : undefined;
}

/**
 * Whether the PV controller could still bind this unbound claim to the volume (pv_controller.go
 * syncUnboundClaim, index.go findMatchingVolume): the volume the claim names, if it names one; not
 * bound to another claim nor failed or being deleted; the claim's class; every access mode the
 * claim asks for; the same volume mode; at least the requested storage; the claim's selector.
 */
function couldBind(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  if (claim.spec.volumeName && claim.spec.volumeName !== pv.metadata.name) return false;
  if (pv.metadata.deletionTimestamp !== undefined || pv.status.phase === 'Failed') return false;
  if (pv.spec.claimRef ? !isVolumeBoundToClaim(pv, claim) : pv.status.phase === 'Released') return false;
  if (volumeClass(pv) !== claimClass(claim) || !checkAccessModes(claim, pv)) return false;
  if ((pv.spec.volumeMode ?? 'Filesystem') !== (claim.spec.volumeMode ?? 'Filesystem')) return false;
  if (storageOf(pv.spec.capacity).cmp(storageOf(claim.spec.resources?.requests)) < 0) return false;
  if (claim.spec.selector) {
    const sel = labelSelectorAsSelector(claim.spec.selector);
    if (!sel.ok || !sel.selector.matches(pv.metadata.labels)) return false;
  }
  return true;
}

/**
 * The volumes that can serve one of the pod's claims, or why none ever can: a claim that does not
 * exist or is being deleted, or is bound to a volume that does not exist, has none; a bound claim
 * has its volume; an unbound one the volumes the PV controller could still bind it to, or, with
 * none, the nodes a provisioned volume would serve (provisionable); a claim neither can serve stays
 * unbound for ever.
 */
type ClaimVolumes = { volumes: PersistentVolume[] } | { never: string } | { provisionedFor: (node: Node) => boolean };

function claimVolumes(pod: Pod, name: string, cluster: Cluster): ClaimVolumes {
  const claim = claimOf(pod, name, cluster);
  if (!claim) return { never: `its claim ${name} does not exist` };
  // A generic ephemeral volume's claim must be the pod's own (ephemeral.VolumeIsForPod).
  const ephemeral = (pod.spec.volumes ?? []).some((v) => {
    const c = volumeClaim(pod, v);
    return c?.ephemeral === true && c.name === name;
  });
  if (ephemeral && ephemeralVolumeIsForPod(pod, claim) !== null) return { never: `its ephemeral volume's claim ${name} is not owned by it` };
  if (claim.metadata.deletionTimestamp !== undefined) return { never: `its claim ${name} is being deleted` };
  if (claim.status.phase === 'Bound' && claim.spec.volumeName) {
    const pv = claimVolume(claim, cluster);
    return pv ? { volumes: [pv] } : { never: `its claim ${name} is bound to PersistentVolume ${claim.spec.volumeName}, which does not exist` };
  }
  const candidates = [...cluster.store.list<PersistentVolume>('PersistentVolume')].filter((pv) => couldBind(claim, pv));
  if (candidates.length > 0) return { volumes: candidates };
  const provisionedFor = provisionable(claim, cluster);
  return provisionedFor ? { provisionedFor } : { never: `its claim ${name} is unbound and no PersistentVolume matches it` };
}

/**
 * For a claim no volume matches, the nodes a volume would be provisioned for, or undefined when
 * none would be (pv_controller.go provisionClaim, the external provisioner, VolumeBinding's
 * checkVolumeProvisions): its class must exist with a provisioner other than "" or an in-tree name
 * without CSI migration (kubernetes.io/no-provisioner), and the claim must have no selector. An
 * Immediate claim's volume can be used anywhere; a WaitForFirstConsumer one is provisioned for
 * its selected node if it has one, else for any node the class's allowedTopologies allow.
 */
function provisionable(claim: PersistentVolumeClaim, cluster: Cluster): ((node: Node) => boolean) | undefined {
  const sc = cluster.store.get<StorageClass>('StorageClass', undefined, claimClass(claim));
  if (!sc || externalProvisioner(sc) === undefined || claim.spec.selector) return undefined;
  if (sc.volumeBindingMode !== 'WaitForFirstConsumer') return () => true;
  const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
  if (selected) return (node) => node.metadata.name === selected;
  return (node) => matchTopologySelectorTerms(sc.allowedTopologies, node.metadata.labels ?? {});
}


/**
 * Why the pod's claims keep it off the node, or undefined, as upstream's VolumeBinding and
 * VolumeZone filters judge it (pkg/scheduler/framework/plugins/volumebinding/binder.go
 * FindPodVolumes, volumezone/volume_zone.go), on the API objects (claimVolumes): a claim with no
 * volume that can serve it fits nowhere; otherwise the node must be able to use one of them (for
 * an unbound claim, one the PV controller could still bind it to: it binds within a resync, and
 * the scheduler retries the pod on the claim's update).
 */
export function volumeFitFailure(pod: Pod, node: Node, cluster: Cluster): string | undefined {
  for (const name of podClaimNames(pod)) {
    const r = claimVolumes(pod, name, cluster);
    if ('never' in r) return r.never;
    if ('provisionedFor' in r) {
      if (!r.provisionedFor(node)) return `its claim ${name} is unbound, no PersistentVolume matches it, and its class would not provision one for node ${node.metadata.name}`;
      continue;
    }
    if (!r.volumes.some((pv) => volumeUsableFrom(pv, node))) {
      return r.volumes.length === 1 && r.volumes[0]!.metadata.name === claimOf(pod, name, cluster)?.spec.volumeName
        ? `its claim ${name} is bound to PersistentVolume ${r.volumes[0]!.metadata.name}, which node ${node.metadata.name} cannot use`
        : `its claim ${name} is unbound and no PersistentVolume that matches it can be used from node ${node.metadata.name}`;
    }
  }
  return undefined;
}

/**
 * The CSI volume a claim counts as against its node's limits, as upstream's NodeVolumeLimits
 * counts it (nodevolumelimits/csi.go getCSIDriverInfo, getCSIDriverInfoFromSC): a claim bound to
 * a CSI volume counts as driver/handle; one not bound (or bound to a volume that does not exist)
 * as a volume of its own of its class's provisioner; anything else counts nothing.
 */
function countedVolume(claim: PersistentVolumeClaim, cluster: Cluster): { unique: string; driver: string } | undefined {
  const pv = claimVolume(claim, cluster);
  if (pv !== undefined) return pv.spec.csi?.driver && pv.spec.csi.volumeHandle ? { unique: csiVolumeUniqueName(pv.spec.csi.driver, pv.spec.csi.volumeHandle), driver: pv.spec.csi.driver } : undefined;
  const className = claimClass(claim);
  const provisioner = className ? cluster.store.get<StorageClass>('StorageClass', undefined, className)?.provisioner : undefined;
  if (!provisioner || IN_TREE_TO_CSI_PROVISIONER.has(provisioner)) return undefined;
  return { unique: `${provisioner}/unbound:${claim.metadata.namespace ?? 'default'}/${claim.metadata.name}`, driver: provisioner };
}

/**
 * Why the node's CSI volume limits keep the pod off it, or undefined, as upstream's
 * NodeVolumeLimits filter judges it (nodevolumelimits/csi.go Filter), on the API objects: per
 * driver with a CSINode allocatable.count, the unique volumes of the node's pods and of its
 * VolumeAttachments, plus the pod's volumes not among them, must not exceed the count.
 */
export function volumeLimitFailure(pod: Pod, node: Node, cluster: Cluster): string | undefined {
  const store = cluster.store;
  const limits = csiNodeVolumeLimits(store.get<CSINode>('CSINode', undefined, node.metadata.name));
  if (limits.size === 0) return undefined;
  const volumesOf = (p: Pod, into: Map<string, string>): void => {
    for (const name of podClaimNames(p)) {
      const claim = claimOf(p, name, cluster);
      const v = claim && countedVolume(claim, cluster);
      if (v) into.set(v.unique, v.driver);
    }
  };
  const wanted = new Map<string, string>();
  volumesOf(pod, wanted);
  if (wanted.size === 0) return undefined;
  const used = new Map<string, string>();
  for (const p of store.list<Pod>('Pod')) if (p.spec.nodeName === node.metadata.name && !podIsTerminal(p)) volumesOf(p, used);
  for (const unique of used.keys()) wanted.delete(unique);
  for (const va of store.list<VolumeAttachment>('VolumeAttachment')) {
    if (va.spec.nodeName !== node.metadata.name || va.spec.source.persistentVolumeName === undefined) continue;
    const handle = store.get<PersistentVolume>('PersistentVolume', undefined, va.spec.source.persistentVolumeName)?.spec.csi?.volumeHandle;
    if (handle) used.set(csiVolumeUniqueName(va.spec.attacher, handle), va.spec.attacher);
  }
  for (const [driver, limit] of limits) {
    const want = [...wanted.values()].filter((d) => d === driver).length;
    const have = [...used.values()].filter((d) => d === driver).length;
    if (want > 0 && have + want > limit) return `its ${want} new ${driver} volume(s) would exceed node ${node.metadata.name}'s limit of ${limit} (${have} in use)`;
  }
  return undefined;
}

function schedulerNames(cluster: Cluster): ReadonlySet<string> {
  return new Set(cluster.scheduler.frameworks.keys());
}

// ---------------------------------------------------------------------------------------------
// pending-pods-bound

export const pendingPodsBound: LivenessInvariant = {
  name: 'pending-pods-bound',
  kind: 'liveness',
  description:
    'at the end of the settle phase, no pod is still pending that fits some live Ready node on its own (resources, counting those of pending pods of at least its priority nominated to the node, as the scheduler does; nodeSelector / node affinity, taints, unschedulable, host ports, existing pods\' anti-affinity, and its volumes: a claim that is missing or can never be bound fits nowhere, a bound one where its volume\'s node affinity and zone labels allow, and not where its new CSI volumes would exceed the CSINode limit of their driver); pods with required pod (anti-)affinity or DoNotSchedule spread constraints, gated pods and pods of other schedulers are not judged',
  upstream: 'pkg/scheduler/schedule_one.go and pkg/scheduler/backend/queue/scheduling_queue.go (unschedulable pods are retried on cluster events and flushed after podMaxInUnschedulablePodsDuration); pkg/scheduler/framework/plugins/volumebinding/binder.go, volumezone/volume_zone.go and nodevolumelimits/csi.go (where a pod\'s claims let it go)',
  check(cluster) {
    const names = schedulerNames(cluster);
    const reports: ViolationReport[] = [];
    for (const pod of cluster.store.list<Pod>('Pod')) {
      if (!awaitingScheduler(pod, names) || hasInterPodConstraints(pod)) continue;
      const node = nodeThatFits(pod, cluster);
      if (node === undefined) continue;
      reports.push({
        objects: [podRef(pod), `Node/${node.metadata.name}`],
        message: `${podRef(pod)} is still pending at ${formatDuration(cluster.sim.nowMs)} although it fits node ${node.metadata.name} on its own`,
      });
    }
    return reports;
  },
};

// ---------------------------------------------------------------------------------------------
// workloads-reach-replicas

function replicaSetsOf(cluster: Cluster, d: Deployment): ReplicaSet[] {
  return [...cluster.store.list<ReplicaSet>('ReplicaSet')].filter((rs) => rs.metadata.namespace === d.metadata.namespace && isControlledBy(rs, d.metadata.uid!));
}

function podsControlledBy(cluster: Cluster, owners: ReadonlySet<string>): Pod[] {
  return [...cluster.store.list<Pod>('Pod')].filter((p) => {
    const ref = controllerRef(p);
    return ref !== undefined && owners.has(ref.uid);
  });
}

// ---------------------------------------------------------------------------------------------
// Waits on a volume: when a scheduled pod may legitimately still be ContainerCreating
//
// Upstream's attach/detach reconciler (pkg/controller/volume/attachdetach/reconciler/reconciler.go,
// v1.35) makes a scheduled pod wait for its volume in two ways that are not failures:
//  - attachDesiredVolumes: a volume that is not multi-attachable (IsMultiAttachAllowed: neither
//    ReadWriteMany nor ReadOnlyMany) and is attached to another node is not attached here
//    (reportMultiAttachError) for as long as that attachment stays. It stays while a pod on the
//    other node still uses the volume (desired state: any pod there that is not terminated,
//    util.IsPodTerminated) — a Deployment's second replica on another node waits for ever, as it
//    does upstream;
//  - reconcile: once no pod on the other node uses it, the volume is detached at once from a
//    healthy node, but from an unhealthy one (not Ready, or gone) only once
//    maxWaitForUnmountDuration (reconcilerMaxWaitForUnmountDuration, 6m) has passed since the
//    detach was requested (or at once with the out-of-service taint): then the attach here, and
//    the kubelet starts the pod.
// The first wait is recognised whenever it holds. For the second, the settle phase cannot be long
// enough in general (a node removed near `until` leaves its volumes attached until PodGC deletes
// its pods and the 6m have passed), so the wait is recognised while it is bounded: no longer than
// 6m, plus the reconciler's 100ms loop period, a detach and an attach (volumeAttachDelay each) and
// a second of slack, after the last pod on the other node stopped using the volume. That moment
// is watched (trackVolumeReleases); a wait that outlasts the bound is a liveness failure.

/** reconcilerMaxWaitForUnmountDuration and reconcilerLoopPeriod (attach_detach_controller.go). */
export const MAX_WAIT_FOR_UNMOUNT_MS = 6 * 60_000;
const RECONCILER_LOOP_PERIOD_MS = 100;

/** When each volume stopped being used on each node: `${pv}|${node}` → time, per store. */
const releases = new WeakMap<object, Map<string, number>>();

/** IsPodTerminated (pkg/volume/util): terminal, or being deleted with no container running. */
function podTerminated(pod: Pod): boolean {
  if (podIsTerminal(pod)) return true;
  if (pod.metadata.deletionTimestamp === undefined) return false;
  return (pod.status.containerStatuses ?? []).every((c) => c.state?.running === undefined);
}

/** A scheduled pod that uses its volumes where it is (the attach/detach controller's desired state). */
function usesVolumesOnNode(pod: Pod | undefined): pod is Pod {
  return pod !== undefined && pod.spec.nodeName !== undefined && pod.spec.nodeName !== '' && !podTerminated(pod);
}

/**
 * Watches the writes for the moments a pod stops using its volumes on its node (deleted,
 * terminated, or deleting with no container running) and records them per volume and node. Only
 * pod writes of pods with claims are looked at.
 */
export function trackVolumeReleases(cluster: Cluster): void {
  const store = cluster.store;
  if (releases.has(store)) return;
  const released = new Map<string, number>();
  releases.set(store, released);
  store.observe((ev) => {
    if (ev.object.kind !== 'Pod') return;
    const before = ev.old as Pod | undefined;
    if (!usesVolumesOnNode(before) || podClaimNames(before).length === 0) return;
    if (ev.type !== 'DELETED' && usesVolumesOnNode(ev.object as Pod)) return;
    for (const name of podClaimNames(before)) {
      const claim = claimOf(before, name, cluster);
      if (claim?.spec.volumeName) released.set(`${claim.spec.volumeName}|${before.spec.nodeName}`, store.nowMs);
    }
  });
}

/** The volume's VolumeAttachment on the node, in whatever state (attaching, attached, detaching). */
function attachmentOn(pv: PersistentVolume, node: string, cluster: Cluster): VolumeAttachment | undefined {
  for (const va of cluster.store.list<VolumeAttachment>('VolumeAttachment')) if (va.spec.source.persistentVolumeName === pv.metadata.name && va.spec.nodeName === node) return va;
  return undefined;
}

/** Attached to the node and not being detached (what the kubelet waits for, besides the node's
 *  volumesAttached report). */
function attachedTo(pv: PersistentVolume, node: string, cluster: Cluster): boolean {
  const va = attachmentOn(pv, node, cluster);
  return va !== undefined && va.status?.attached === true && va.metadata.deletionTimestamp === undefined;
}

/**
 * Why a scheduled pod that is not ready may still be waiting for its volumes at the end of the
 * settle phase, or undefined when nothing upstream does explains a wait: a claim that does not
 * exist or can never be bound (upstream's VolumeBinding would have kept the pod pending, fitting
 * nowhere); a Multi-Attach wait on a pod that still uses the volume on another node; a detach
 * from another node within its bound (see above).
 */
function volumeWait(pod: Pod, cluster: Cluster): string | undefined {
  const nodeName = pod.spec.nodeName!;
  for (const name of podClaimNames(pod)) {
    const r = claimVolumes(pod, name, cluster);
    if ('never' in r) return r.never;
    // A volume still to be provisioned is the provisioner's to make: no excuse.
    if ('provisionedFor' in r) continue;
    const claim = claimOf(pod, name, cluster)!;
    // An unbound claim that a volume could still take is the PV controller's to bind: no excuse.
    if (claim.status.phase !== 'Bound') continue;
    const bound = r.volumes[0]!;
    if (bound.spec.csi === undefined || attachedTo(bound, nodeName, cluster)) continue;
    if (!isMultiAttachAllowed(bound)) {
      for (const other of cluster.store.list<Pod>('Pod')) {
        if (other.spec.nodeName === nodeName || !usesVolumesOnNode(other) || (other.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) continue;
        if (podClaimNames(other).includes(name) && attachmentOn(bound, other.spec.nodeName!, cluster)) return `its volume ${bound.metadata.name} (${(bound.spec.accessModes ?? []).join(', ')}) is in use by ${podRef(other)} on node ${other.spec.nodeName} (Multi-Attach)`;
      }
    }
    const cp = cluster.options.controlPlane;
    const bound_ms = MAX_WAIT_FOR_UNMOUNT_MS + RECONCILER_LOOP_PERIOD_MS + 2 * cp.volumeAttachDelayMs + 4 * cp.watchLatencyMs + 1_000;
    for (const [key, atMs] of releases.get(cluster.store) ?? []) {
      const [pvName, from] = key.split('|') as [string, string];
      if (pvName !== bound.metadata.name || from === nodeName || cluster.sim.nowMs > atMs + bound_ms) continue;
      return `its volume ${pvName} was released on node ${from} at ${formatDuration(atMs)} and may wait up to maxWaitForUnmountDuration (6m) to be detached there`;
    }
  }
  return undefined;
}

function isPodReady(pod: Pod): boolean {
  return getCondition(pod.status.conditions, 'Ready')?.status === 'True';
}

/**
 * Whether a scheduled pod is the next victim of a pending, nominated pod of higher priority: on
 * the nominated node itself, or in its way through required pod anti-affinity (either pod's term,
 * the pod's node sharing the term's domain with the nominated node). A replacement lands wherever
 * the preemptor is not yet, so a workload can lose that replica again and again, as upstream's
 * does (the scheduler weighs a nominated pod only on its own node: RunFilterPluginsWithNominatedPods).
 */
function nextPreemptionVictim(pod: Pod, cluster: Cluster): boolean {
  const store = cluster.store;
  const node = store.get<Node>('Node', undefined, pod.spec.nodeName!);
  const prio = pod.spec.priority ?? 0;
  for (const p of nominatedPendingPods(cluster)) {
    if ((p.spec.priority ?? 0) <= prio) continue;
    if (p.status.nominatedNodeName === pod.spec.nodeName) return true;
    const nominatedNode = store.get<Node>('Node', undefined, p.status.nominatedNodeName!);
    if (node !== undefined && nominatedNode !== undefined && antiAffinityBetween(p, nominatedNode, pod, node, store)) return true;
  }
  return false;
}

/**
 * Why a workload with `ready` of `want` replicas is short, or undefined when the shortfall is
 * bounded: each missing replica has a pending pod that fits no live node (capacity, not the
 * control plane, holds it back — pending-pods-bound's territory) or a scheduled pod that waits
 * for its volumes as upstream would (volumeWait), or is the next victim of a preemption
 * (nextPreemptionVictim), or (`refused`) was never created because the API server refuses it.
 */
function shortfall(cluster: Cluster, pods: readonly Pod[], ready: number, want: number, refused: boolean): string | undefined {
  const alive = pods.filter((p) => !podIsTerminal(p) && p.metadata.deletionTimestamp === undefined);
  const pending = alive.filter((p) => !p.spec.nodeName);
  for (const p of pending) {
    const node = nodeThatFits(p, cluster);
    if (node) return `its pending ${podRef(p)} fits node ${node.metadata.name}`;
  }
  if (ready > want) return 'more than desired';
  const waiting = alive.filter(
    (p) =>
      p.spec.nodeName &&
      !isPodReady(p) &&
      ((podClaimNames(p).length > 0 && volumeWait(p, cluster) !== undefined) || nextPreemptionVictim(p, cluster)),
  ).length;
  // Replicas the API server refuses to create (admission: a LimitRange, say) are held by policy.
  const uncreated = refused ? Math.max(0, want - alive.length) : 0;
  const held = pending.length + waiting + uncreated;
  if (held === 0) return 'none of its pods is pending';
  if (want - ready > held) {
    if (waiting === 0) return `only ${pending.length} of its pods ${pending.length === 1 ? 'is' : 'are'} pending, none of which fits a node`;
    return `only ${held} of its pods ${held === 1 ? 'is' : 'are'} pending (fitting no node) or waiting for their volumes`;
  }
  return undefined;
}

function workloadReport(cluster: Cluster, ref: string, want: number, ready: number, pods: readonly Pod[], replicaSets: readonly ReplicaSet[]): ViolationReport | undefined {
  if (ready === want) return undefined;
  const refused = replicaSets.some((rs) => rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True' && c.reason === 'FailedCreate'));
  const why = shortfall(cluster, pods, ready, want, refused);
  if (why === undefined) return undefined;
  return { objects: [ref], message: `${ref} has ${ready} ready replicas of ${want} at ${formatDuration(cluster.sim.nowMs)}: ${why}` };
}

export const workloadsReachReplicas: LivenessInvariant = {
  name: 'workloads-reach-replicas',
  kind: 'liveness',
  description:
    'at the end of the settle phase, every Deployment and ReplicaSet has status.readyReplicas equal to spec.replicas, unless the shortfall is bounded: each missing replica has a pending pod that fits no live Ready node (judged with its pod affinity, spread constraints and volumes too) or a scheduled pod that waits for its volume as upstream would (a claim that can never be bound, a Multi-Attach on a volume another node\'s pod still uses, a detach from another node within maxWaitForUnmountDuration, 6m) or that is not Ready on a node where a pending pod of higher priority is nominated, or in the way of such a pod through required pod anti-affinity (the next victim of its preemption), or is a pod the API server refuses to create (a ReplicaSet with the ReplicaFailure condition, reason FailedCreate: admission, a LimitRange say, holds it back)',
  upstream: 'pkg/controller/deployment/sync.go and pkg/controller/replicaset/replica_set.go (status.readyReplicas; manageReplicas); pkg/controller/volume/attachdetach/reconciler/reconciler.go (Multi-Attach; force detach after maxWaitForUnmountDuration)',
  watch: trackVolumeReleases,
  check(cluster) {
    const reports: ViolationReport[] = [];
    const reported = new Set<string>();
    for (const d of cluster.store.list<Deployment>('Deployment')) {
      const rss = replicaSetsOf(cluster, d);
      const pods = podsControlledBy(cluster, new Set(rss.map((rs) => rs.metadata.uid!)));
      const r = workloadReport(cluster, `Deployment/${d.metadata.namespace}/${d.metadata.name}`, d.spec.replicas ?? 1, d.status.readyReplicas ?? 0, pods, rss);
      if (!r) continue;
      reports.push(r);
      reported.add(d.metadata.uid!);
    }
    for (const rs of cluster.store.list<ReplicaSet>('ReplicaSet')) {
      const owner = controllerRef(rs);
      if (owner !== undefined && reported.has(owner.uid)) continue;
      const pods = podsControlledBy(cluster, new Set([rs.metadata.uid!]));
      const r = workloadReport(cluster, `ReplicaSet/${rs.metadata.namespace}/${rs.metadata.name}`, rs.spec.replicas ?? 1, rs.status.readyReplicas ?? 0, pods, [rs]);
      if (r) reports.push(r);
    }
    return reports;
  },
};

// ---------------------------------------------------------------------------------------------

export const LIVENESS_INVARIANTS: readonly LivenessInvariant[] = [pendingPodsBound, workloadsReachReplicas];

/** Every invariant, safety then liveness: name, kind, description, upstream rule. */
export const INVARIANT_CATALOG: readonly InvariantInfo[] = [...INVARIANTS, ...LIVENESS_INVARIANTS].map(({ name, kind, description, upstream }) => ({ name, kind, description, upstream }));

export function allInvariantNames(): string[] {
  return INVARIANT_CATALOG.map((i) => i.name);
}

/**
 * Runs liveness invariants on the settled cluster. One violation per invariant broken: the first
 * few offending objects are spelt out, every one is listed in `objects`.
 */
export function checkLiveness(cluster: Cluster, invariants: readonly LivenessInvariant[] = LIVENESS_INVARIANTS): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  settled.set(cluster, { fits: new Map(), nominated: undefined });
  try {
    for (const inv of invariants) violations.push(...violationOf(inv, cluster));
  } finally {
    settled.delete(cluster);
  }
  return violations;
}

function violationOf(inv: LivenessInvariant, cluster: Cluster): InvariantViolation[] {
  const reports = inv.check(cluster);
  if (reports.length === 0) return [];
  const shown = reports.slice(0, LISTED_MAX).map((r) => r.message);
  const more = reports.length > LISTED_MAX ? `; and ${reports.length - LISTED_MAX} more` : '';
  return [
    {
      invariant: inv.name,
      kind: 'liveness',
      timeMs: cluster.sim.nowMs,
      objects: [...new Set(reports.flatMap((r) => r.objects))],
      message: shown.join('; ') + more,
    },
  ];
}
