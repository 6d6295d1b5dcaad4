// VolumeRestrictions: a pod does not fit a node where another pod already uses the same inline
// GCE PD / AWS EBS / iSCSI / Ceph RBD disk in a conflicting way, and a pod whose
// ReadWriteOncePod claim is already used by a scheduled pod fits nowhere (preemption may help).
// Follows pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go (v1.35;
// read at the newest stored revision, 78fc8e44, whose rules match v1.35's): PreFilter, Filter,
// the AddPod/RemovePod extensions, EventsToRegister (as registered with SchedulerQueueingHints on,
// the v1.35 default) and its queueing hints isSchedulableAfterPodDeleted and
// isSchedulableAfterPersistentVolumeClaimAdded. The stored revision (and volume_restrictions_test.go
// as stored) predates the move of the framework types to k8s.io/kube-scheduler/framework (fwk); no
// v1.34/v1.35 revision is stored, and nothing found shows the hints changed before the later
// layout below, so they are taken as v1.35's. A later upstream layout (the package's AGENTS.md at 5f85d409: AssignedPod Delete with
// isSchedulableAfterAssignedPodDeleted, skipping a deleted pod neither bound nor nominated) is
// newer than v1.35 and not followed. Deviations in the hints: upstream's util.As leaves a missing
// object nil and the hint then dereferences it (a panic); here a missing deleted pod / added claim
// is an Error (the queue then queues the pod). Namespaces compare with an unset one read as
// "default", as elsewhere in this model (upstream compares the strings, which the API server has
// defaulted).
// The inline volume sources are kept as written by the pod model (no typed fields): the fields
// read here are those of core/v1 (gcePersistentDisk.pdName/readOnly, awsElasticBlockStore.volumeID,
// iscsi.iqn/readOnly, rbd.monitors/pool/image/readOnly, pool defaulted to "rbd" as
// SetDefaults_RBDVolumeSource does); a field of another type counts as unset.
import type { PersistentVolumeClaim, Pod, Volume } from '../../api/types.js';
import { type MaybeStatus, SKIP, asError, unresolvable, unschedulable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, CycleState, Handle, NodeInfo, PodInfo, PreFilterResult, QueueingHint } from '../framework/types.js';
import { asKind } from './helper/hints.js';
import * as names from './names.js';

export const NAME = names.VolumeRestrictions;
/** preFilterStateKey. */
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
/** ErrReasonDiskConflict. */
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
/** ErrReasonReadWriteOncePodConflict. */
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

/** preFilterState: the pod's ReadWriteOncePod claims and how many scheduled pods use them. */
export class PreFilterState {
  constructor(
    readonly readWriteOncePodPVCs: ReadonlySet<string>,
    public conflictingPVCRefCount: number,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.readWriteOncePodPVCs, this.conflictingPVCRefCount);
  }

  /** updateWithPod / conflictingPVCRefCountForPod. */
  updateWithPod(pod: Pod, multiplier: number): void {
    let conflicts = 0;
    for (const v of pod.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim !== undefined && this.readWriteOncePodPVCs.has(claim)) conflicts++;
    }
    this.conflictingPVCRefCount += multiplier * conflicts;
  }
}

type Source = Record<string, unknown> | undefined;
const source = (v: Volume, key: string): Source => {
  const s = v[key];
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : undefined;
};
const str = (s: Source, key: string): string => (typeof s?.[key] === 'string' ? (s[key] as string) : '');
const bool = (s: Source, key: string): boolean => s?.[key] === true;
const strings = (s: Source, key: string): string[] => (Array.isArray(s?.[key]) ? (s[key] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

/** needsRestrictionsCheck: a GCE PD, AWS EBS, RBD or iSCSI volume. */
export function needsRestrictionsCheck(v: Volume): boolean {
  return v.gcePersistentDisk != null || v.awsElasticBlockStore != null || v.rbd != null || v.iscsi != null;
}

/** haveOverlap: the two lists share an element. */
function haveOverlap(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return b.some((x) => set.has(x));
}

/** isVolumeConflict: whether `volume` conflicts with a volume of the existing pod. */
export function isVolumeConflict(volume: Volume, pod: Pod): boolean {
  const gce = source(volume, 'gcePersistentDisk');
  const ebs = source(volume, 'awsElasticBlockStore');
  const iscsi = source(volume, 'iscsi');
  const rbd = source(volume, 'rbd');
  for (const existing of pod.spec.volumes ?? []) {
    // Same GCE disk mounted by multiple pods conflicts unless all pods mount it read-only.
    const eGce = source(existing, 'gcePersistentDisk');
    if (gce && eGce && str(gce, 'pdName') === str(eGce, 'pdName') && !(bool(gce, 'readOnly') && bool(eGce, 'readOnly'))) return true;
    const eEbs = source(existing, 'awsElasticBlockStore');
    if (ebs && eEbs && str(ebs, 'volumeID') === str(eEbs, 'volumeID')) return true;
    // Two iSCSI volumes are the same if they share the IQN; only read-only mounts may share.
    const eIscsi = source(existing, 'iscsi');
    if (iscsi && eIscsi && str(iscsi, 'iqn') === str(eIscsi, 'iqn') && !(bool(iscsi, 'readOnly') && bool(eIscsi, 'readOnly'))) return true;
    // Two RBD images are the same if they share a monitor, the pool and the image name.
    const eRbd = source(existing, 'rbd');
    if (rbd && eRbd) {
      const pool = str(rbd, 'pool') || 'rbd';
      const ePool = str(eRbd, 'pool') || 'rbd';
      if (haveOverlap(strings(rbd, 'monitors'), strings(eRbd, 'monitors')) && pool === ePool && str(rbd, 'image') === str(eRbd, 'image') && !(bool(rbd, 'readOnly') && bool(eRbd, 'readOnly'))) return true;
    }
  }
  return false;
}

/** satisfyVolumeConflicts: no inline disk of the pod conflicts with a pod on the node. */
export function satisfyVolumeConflicts(pod: Pod, node: NodeInfo): boolean {
  for (const v of pod.spec.volumes ?? []) {
    if (!needsRestrictionsCheck(v)) continue;
    for (const ev of node.pods) if (isVolumeConflict(v, ev.pod)) return false;
  }
  return true;
}

/** Both hints' prologue: the event's object (`side`) as its kind (an Error for another kind, or
 *  when the event has none), or QueueSkip when it is in another namespace than the pod. */
function objectInPodNamespace<T extends Pod | PersistentVolumeClaim>(pod: Pod, kind: T['kind'], oldObj: unknown, newObj: unknown, side: 'oldObj' | 'newObj', fn: string, missing: string): T | 'QueueSkip' | Error {
  const objs = asKind<T>(kind, oldObj, newObj, fn);
  if (objs instanceof Error) return objs;
  const obj = objs[side];
  if (obj === undefined) return new Error(`unexpected objects in ${fn}: ${missing}`);
  return (obj.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default') ? 'QueueSkip' : obj;
}

/**
 * isSchedulableAfterPodDeleted (volume_restrictions.go): QueueSkip for a pod deleted from another
 * namespace; Queue when the deleted pod held an inline disk the pod's conflicts with
 * (satisfyVolumeConflicts against a NodeInfo holding only the deleted pod), or used a claim the
 * pod uses too (the claim's access mode is not fetched: it may be ReadWriteOncePod); else QueueSkip.
 */
export function isSchedulableAfterPodDeleted(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const deletedPod = objectInPodNamespace<Pod>(pod, 'Pod', oldObj, newObj, 'oldObj', 'isSchedulableAfterPodDeleted', 'no deleted pod');
  if (typeof deletedPod === 'string' || deletedPod instanceof Error) return deletedPod;
  // satisfyVolumeConflicts(pod, framework.NewNodeInfo(deletedPod)).
  for (const v of pod.spec.volumes ?? []) {
    if (needsRestrictionsCheck(v) && isVolumeConflict(v, deletedPod)) return 'Queue';
  }
  // A deleted pod using the same claim: the pod may have been rejected for its ReadWriteOncePod mode.
  const claims = new Set<string>();
  for (const v of pod.spec.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim !== undefined) claims.add(claim);
  }
  for (const v of deletedPod.spec.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim !== undefined && claims.has(claim)) return 'Queue';
  }
  return 'QueueSkip';
}

/**
 * isSchedulableAfterPersistentVolumeClaimAdded (volume_restrictions.go): Queue when the added
 * claim is in the pod's namespace and one of the pod's volumes names it; else QueueSkip.
 */
export function isSchedulableAfterPersistentVolumeClaimAdded(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const added = objectInPodNamespace<PersistentVolumeClaim>(pod, 'PersistentVolumeClaim', oldObj, newObj, 'newObj', 'isSchedulableAfterPersistentVolumeClaimChange', 'no added claim');
  if (typeof added === 'string' || added instanceof Error) return added;
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName === added.metadata.name) return 'Queue';
  }
  return 'QueueSkip';
}

export class VolumeRestrictions implements AnyPlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  /**
   * With queueing hints on (v1.35's default), as upstream's EventsToRegister:
   *   - Pod Delete, hint isSchedulableAfterPodDeleted (a pod holding the disk or the claim goes;
   *     spec.volumes is immutable, so pod updates are not registered);
   *   - Node Add, no hint (any new node may make the pod schedulable; with hints on, upstream
   *     drops UpdateNodeTaint / UpdateNodeLabel, needed only by preCheck);
   *   - PersistentVolumeClaim Add, hint isSchedulableAfterPersistentVolumeClaimAdded (a missing
   *     claim appears).
   */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Pod', actions: ['Delete'], queueingHintFn: isSchedulableAfterPodDeleted },
      { resource: 'Node', actions: ['Add'] },
      { resource: 'PersistentVolumeClaim', actions: ['Add'], queueingHintFn: isSchedulableAfterPersistentVolumeClaimAdded },
    ];
  }

  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    const volumes = pod.pod.spec.volumes;
    // No volumes: no inline disk, no claim (upstream reaches the same Skip through the loops).
    if (volumes === undefined || volumes.length === 0) return { status: SKIP };
    const needsCheck = volumes.some(needsRestrictionsCheck);
    // readWriteOncePodPVCsForPod: a missing claim is UnschedulableAndUnresolvable (its NotFound text).
    const namespace = pod.pod.metadata.namespace ?? 'default';
    const pvcs = new Set<string>();
    for (const v of volumes) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (claimName === undefined) continue;
      const pvc = this.handle.getObject('PersistentVolumeClaim', namespace, claimName) as PersistentVolumeClaim | undefined;
      if (pvc === undefined) return { status: unresolvable(`persistentvolumeclaim "${claimName}" not found`) };
      if (!(pvc.spec.accessModes ?? []).includes('ReadWriteOncePod')) continue;
      pvcs.add(pvc.metadata.name);
    }
    // calPreFilterState: IsPVCUsedByPods over the snapshot (every node's PVCRefCounts).
    let conflicting = 0;
    for (const claim of pvcs) if (this.isPVCUsedByPods(`${namespace}/${claim}`)) conflicting++;
    if (!needsCheck && conflicting === 0) return { status: SKIP };
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(pvcs, conflicting));
    return { status: null };
  }

  private isPVCUsedByPods(key: string): boolean {
    for (const n of this.handle.nodes.list()) if (n.pvcRefCounts?.has(key)) return true;
    return false;
  }

  addPod(state: CycleState, _pod: PodInfo, added: PodInfo, _node: NodeInfo): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`cannot read ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState`);
    s.updateWithPod(added.pod, 1);
    return null;
  }

  removePod(state: CycleState, _pod: PodInfo, removed: PodInfo, _node: NodeInfo): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`cannot read ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState`);
    s.updateWithPod(removed.pod, -1);
    return null;
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    if (!satisfyVolumeConflicts(pod.pod, node)) return unschedulable(ERR_REASON_DISK_CONFLICT);
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`cannot read ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState`);
    // satisfyReadWriteOncePod.
    return s.conflictingPVCRefCount > 0 ? unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT) : null;
  }
}

export const newVolumeRestrictions = (_args: unknown, handle: Handle): AnyPlugin => new VolumeRestrictions(handle);
