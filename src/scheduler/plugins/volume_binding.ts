// VolumeBinding: a pod's claims must be bound, or bindable, on the node: a bound claim's volume
// must allow the node (its node affinity), and a WaitForFirstConsumer claim not yet bound needs an
// Available volume that fits the node or, failing that, a class that can provision one for the
// node. Reserve assumes the chosen volumes and the claims to provision (each with the
// volume.kubernetes.io/selected-node annotation); PreBind writes them (a volume's claimRef, a
// claim's selected node), and the PV controller and the external provisioner do the rest.
// Follows pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (PreFilter, podHasPVCs,
// Filter, Reserve, PreBind, Unreserve, EventsToRegister and its hint functions, see below) and
// binder.go (GetPodVolumeClaims, GetEligibleNodes, FindPodVolumes, checkBoundClaims,
// findMatchingVolumes, checkVolumeProvisions, hasEnoughCapacity, AssumePodVolumes,
// RevertAssumedPodVolumes, bindAPIUpdate), with
// pkg/scheduler/util/assumecache (Assume, Restore), component-helpers/storage/volume
// pv_helpers.go (FindMatchingVolume, CheckNodeAffinity, GetBindVolumeToClaim, IsDelayBindingMode),
// pkg/apis/core/v1/helper (MatchTopologySelectorTerms) and pkg/volume/util/util.go
// (GetLocalPersistentVolumeNodeNames), v1.35. The provisioning path was checked against the
// stored upstream copies binder.go 8af3934936bd, volume_binding.go 7ac2504c304c and binder_test.go
// f6ddee95f962; since v1.33 PodVolumes.DynamicProvisions holds DynamicProvision{PVC, NodeCapacity},
// the capacity only feeding the StorageCapacityScoring score (not modelled): here a provision is
// its claim. A generic ephemeral volume is its claim <pod>-<volume>, which the pod must own
// (component-helpers/storage/ephemeral).
// Dynamic provisioning: among the unbound delay-binding claims, one already carrying the selected
// node annotation is to be provisioned on that node only (any other node does not fit); the others
// are matched to volumes, and those left without one go to checkVolumeProvisions: no class or a
// missing class is an error; a provisioner "" or kubernetes.io/no-provisioner, or a node the
// class's allowedTopologies exclude, does not fit (ErrReasonBindConflict); otherwise the claim is
// provisioned for the node. Storage capacity (hasEnoughCapacity): kubedrill has no CSIDriver and no
// CSIStorageCapacity objects, so no driver opts into capacity tracking and capacity is always
// sufficient (upstream: the same when the provisioner has no CSIDriver or its
// spec.storageCapacity is unset/false) — ErrReasonNotEnoughSpace is never produced.
// Not modelled:
//   - storage capacity tracking (CSIDriver.spec.storageCapacity, CSIStorageCapacity objects,
//     ErrReasonNotEnoughSpace), and so the StorageCapacityScoring score;
//   - provisioning failures and rescheduling: upstream's checkBindings (in BindPodVolumes' wait)
//     fails the binding cycle, so the pod is scheduled again, when the provisioner removes the
//     selected-node annotation after a failed provisioning (or another node is set); here PreBind
//     does not wait and the pod is bound at once, so nothing reacts to that (a later pod using the
//     claim would find it without the annotation and choose a node afresh);
//   - Score (StorageCapacityScoring, formerly VolumeCapacityPriority, is alpha and off in v1.35:
//     upstream's PreScore returns Skip), so the plugin has no score extension here;
//   - BindPodVolumes' wait (checkBindings polling until the PV controller has bound every claim,
//     bindTimeoutSeconds 600): PreBind returns once the volumes and claims are written, at the
//     same instant (the binding cycle is synchronous here); the kubelet keeps the pod in
//     ContainerCreating until its claims are Bound;
//   - in-tree to CSI translation (CSINode; the CSINode hint below still queues on a change of
//     the migrated-plugins annotation, as upstream: at worst a pod is retried once more).
// Queueing hints: eventsToRegister is upstream's EventsToRegister with queueing hints on (v1.35's
// default), with its hint functions isSchedulableAfterStorageClassChange,
// isSchedulableAfterPersistentVolumeClaimChange and isSchedulableAfterCSINodeChange (the
// PersistentVolume and Node events have no hint function upstream either). Read at the stored
// volume_binding.go 00fe7a377bc3 (kubernetes/kubernetes; the stored 7ac2504c304c predates these
// hints) and the fwk-era copy in the natasha41575/kubernetes fork at 9829b8d729c3 (v1.34+ layout):
// the three functions are the same in both. Left out, as kubedrill has no such kinds: the
// CSIDriver Update event (isSchedulableAfterCSIDriverChange: a driver of one of the pod's inline
// CSI volumes turning spec.storageCapacity off) and the CSIStorageCapacity Add/Update event
// (isSchedulableAfterCSIStorageCapacityChange: a new capacity object, or a larger volumeLimit).
// A hint given an object of another kind returns an Error (the queue then queues the pod, as
// upstream's (Queue, err)); an update with no new object, which upstream would dereference,
// returns an Error too rather than failing.
// Upstream's PV and PVC caches are assume caches over the informers; here they are the API store
// read through the plugin's assumed volumes and claims, which give way to any newer stored
// version (assumecache add: an informer object replaces the latest one only when its
// resourceVersion is higher). podHasPVCs reads the stored claims (upstream: the PVC lister, not
// the assume cache); GetPodVolumeClaims and arePodVolumesBound read through the assumed ones.
// Volumes of a class are listed in store order (upstream: its index's order).
import type { CSINode, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/types.js';
import {
  ANN_BIND_COMPLETED,
  ANN_SELECTED_NODE,
  NOT_SUPPORTED_PROVISIONER,
  claimClass,
  ephemeralVolumeIsForPod,
  getBindVolumeToClaim,
  matchTopologySelectorTerms,
  storageOf,
  volumeClaim,
  volumeClass,
} from '../../api/storage.js';
import { checkNodeAffinity, findMatchingVolume } from '../../api/volume_index.js';
import { type MaybeStatus, SKIP, type Status, asError, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, CycleState, Handle, NodeInfo, PodInfo, PreFilterResult, QueueingHint } from '../framework/types.js';
import { asKind } from './helper/hints.js';
import * as names from './names.js';

export const NAME = names.VolumeBinding;
/** stateKey. */
export const STATE_KEY = NAME;
/** ErrReasonBindConflict. */
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** ErrReasonNodeConflict (worded so since v1.33, kubernetes/kubernetes#129887; before: "node(s) had
 *  volume node affinity conflict"). */
export const ERR_REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";
/** ErrReasonNotEnoughSpace (storage capacity of dynamic provisioning: never produced here, see
 *  hasEnoughCapacity). */
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
/** ErrReasonPVNotExist. */
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** The PreFilter reason for Immediate claims the PV controller has not bound yet. */
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** volume.NotSupportedProvisioner (defined in api/storage.ts; re-exported for this plugin's importers). */
export { NOT_SUPPORTED_PROVISIONER };
const LABEL_HOSTNAME = 'kubernetes.io/hostname';

/** BindingInfo: a claim and the volume chosen for it. */
export interface BindingInfo {
  pv: PersistentVolume;
  pvc: PersistentVolumeClaim;
}

/** PodVolumes: what Filter found for one node. */
export interface PodVolumes {
  /** Claims to bind to existing volumes (pre-provisioned). */
  staticBindings: BindingInfo[] | undefined;
  /** Claims to provision dynamically (upstream since v1.33: DynamicProvision{PVC, NodeCapacity};
   *  the capacity only serves the StorageCapacityScoring score, not modelled). */
  dynamicProvisions: PersistentVolumeClaim[] | undefined;
}

/** PodVolumeClaims (binder.go). */
export interface PodVolumeClaims {
  boundClaims: PersistentVolumeClaim[];
  unboundClaimsDelayBinding: PersistentVolumeClaim[];
  unboundClaimsImmediate: PersistentVolumeClaim[];
  /** Volumes by class name, for the delay-binding claims' classes. */
  unboundVolumesDelayBinding: Map<string, PersistentVolume[]>;
}

/** stateData: shared across the cycle (upstream's Clone returns the same pointer). */
export class StateData {
  allBound = false;
  hasStaticBindings = false;
  readonly podVolumesByNode = new Map<string, PodVolumes>();
  constructor(
    readonly skip: boolean,
    readonly podVolumeClaims: PodVolumeClaims | undefined,
  ) {}

  clone(): StateData {
    return this;
  }
}

/** Thrown by the binder for what upstream returns as an error (framework.AsStatus). */
class BinderError extends Error {}

/** resourceVersion as a number, for the assume cache's "newer" test. */
const rv = (o: { metadata: { resourceVersion?: string } }): number => Number(o.metadata.resourceVersion ?? '0') || 0;

/** The claim's cache key (getPVCName): namespace/name. */
const claimKey = (pvc: PersistentVolumeClaim): string => `${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name}`;

export { matchTopologySelectorTerms };

/** GetLocalPersistentVolumeNodeNames: per term, the intersection of its hostname In lists; the
 *  union over terms (terms without such an expression add nothing). */
export function localPersistentVolumeNodeNames(pv: PersistentVolume): string[] {
  const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms;
  if (terms == null) return [];
  const result = new Set<string>();
  for (const term of terms) {
    let nodes: Set<string> | undefined;
    for (const e of term.matchExpressions ?? []) {
      if (e.key !== LABEL_HOSTNAME || e.operator !== 'In') continue;
      const values = new Set(e.values ?? []);
      nodes = nodes === undefined ? values : new Set([...nodes].filter((n) => values.has(n)));
    }
    for (const n of nodes ?? []) result.add(n);
  }
  return [...result].sort();
}

/**
 * pkg/scheduler/util/assumecache: over the stored objects of one kind, the versions the scheduler
 * assumed (Assume), each shown until a newer one is stored (an informer object replaces the latest
 * one only when its resourceVersion is higher) or it is restored (Restore).
 */
class AssumeCache<T extends PersistentVolume | PersistentVolumeClaim> {
  private readonly assumed = new Map<string, T>();

  constructor(
    /** For messages: v1.PersistentVolume, v1.PersistentVolumeClaim. */
    private readonly description: string,
    private readonly keyOf: (obj: T) => string,
    private readonly stored: (key: string) => T | undefined,
  ) {}

  /** Get: the assumed version while no newer one is stored. */
  get(key: string): T | undefined {
    const stored = this.stored(key);
    const assumed = this.assumed.get(key);
    if (assumed === undefined) return stored;
    if (stored !== undefined && rv(stored) <= rv(assumed)) return assumed;
    this.assumed.delete(key);
    return stored;
  }

  /** Assume: the object must be known and not older than the cache's latest version. */
  assume(obj: T): void {
    const key = this.keyOf(obj);
    const latest = this.get(key);
    if (latest === undefined) throw new BinderError(`could not find ${this.description} "${key}"`);
    if (rv(obj) < rv(latest)) throw new BinderError(`${this.description} "${key}" is out of sync (stored: ${rv(latest)}, assume: ${rv(obj)})`);
    this.assumed.set(key, obj);
  }

  /** Restore: back to the stored version. */
  restore(obj: T): void {
    this.assumed.delete(this.keyOf(obj));
  }
}

// ---- queueing hints (volume_binding.go, v1.35) ---------------------------------------------------

/** v1.MigratedPluginsAnnotationKey (k8s.io/api/core/v1 annotation_key_constants.go). */
export const MIGRATED_PLUGINS_ANNOTATION_KEY = 'storage.alpha.kubernetes.io/migrated-plugins';


/**
 * apiequality.Semantic.DeepEqual of two allowedTopologies: terms and their expressions in order,
 * each expression's key and values (in order); a nil list equals an empty one at every level.
 */
function sameAllowedTopologies(a: StorageClass['allowedTopologies'], b: StorageClass['allowedTopologies']): boolean {
  const norm = (t: StorageClass['allowedTopologies']) => (t ?? []).map((term) => (term.matchLabelExpressions ?? []).map((e) => [e.key, e.values ?? []]));
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * isSchedulableAfterStorageClassChange (volume_binding.go): any new class queues the pod; an
 * updated one only if its allowedTopologies changed (apiequality.Semantic.DeepEqual). Upstream
 * notes that volumeBindingMode cannot be updated, so it is not compared.
 */
export function isSchedulableAfterStorageClassChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const r = asKind<StorageClass>('StorageClass', oldObj, newObj, 'isSchedulableAfterStorageClassChange');
  if (r instanceof Error) return r;
  // No further filtering can be made for a creation event.
  if (r.oldObj === undefined) return 'Queue';
  // Upstream dereferences the updated class; an Update always carries one.
  if (r.newObj === undefined) return new Error('unexpected objects in isSchedulableAfterStorageClassChange: no new StorageClass');
  return sameAllowedTopologies(r.newObj.allowedTopologies, r.oldObj.allowedTopologies) ? 'QueueSkip' : 'Queue';
}

/**
 * isSchedulableAfterPersistentVolumeClaimChange (volume_binding.go): a claim added or updated
 * queues the pod only if it is in the pod's namespace and one of the pod's volumes uses it: a
 * persistentVolumeClaim volume by claimName, a generic ephemeral volume by its claim
 * <pod>-<volume> (component-helpers/storage/ephemeral VolumeClaimName). The old object is not
 * compared: almost every update of the pod's claim may make it schedulable.
 */
export function isSchedulableAfterPersistentVolumeClaimChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const r = asKind<PersistentVolumeClaim>('PersistentVolumeClaim', oldObj, newObj, 'isSchedulableAfterPersistentVolumeClaimChange');
  if (r instanceof Error) return r;
  // Upstream dereferences the new claim; an Add or Update always carries one.
  if (r.newObj === undefined) return new Error('unexpected objects in isSchedulableAfterPersistentVolumeClaimChange: no new PersistentVolumeClaim');
  const newPVC = r.newObj;
  if ((pod.metadata.namespace ?? 'default') !== (newPVC.metadata.namespace ?? 'default')) return 'QueueSkip';
  for (const v of pod.spec.volumes ?? []) {
    if (volumeClaim(pod, v)?.name === newPVC.metadata.name) return 'Queue';
  }
  return 'QueueSkip';
}

/**
 * isSchedulableAfterCSINodeChange (volume_binding.go): a new CSINode queues the pod (checked
 * before the objects' kinds, as upstream tests oldObj == nil first); an updated one only if its
 * migrated-plugins annotation changed (a missing annotation reads as "", as a Go map lookup).
 */
export function isSchedulableAfterCSINodeChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  if (oldObj === undefined || oldObj === null) return 'Queue';
  const r = asKind<CSINode>('CSINode', oldObj, newObj, 'isSchedulableAfterCSINodeChange');
  if (r instanceof Error) return r;
  // Upstream dereferences the updated CSINode; an Update always carries one.
  if (r.oldObj === undefined || r.newObj === undefined) return new Error('unexpected objects in isSchedulableAfterCSINodeChange: no new CSINode');
  const oldValue = r.oldObj.metadata.annotations?.[MIGRATED_PLUGINS_ANNOTATION_KEY] ?? '';
  const newValue = r.newObj.metadata.annotations?.[MIGRATED_PLUGINS_ANNOTATION_KEY] ?? '';
  return oldValue !== newValue ? 'Queue' : 'QueueSkip';
}

export class VolumeBinding implements AnyPlugin {
  readonly name = NAME;
  /** The PV assume cache (by name) and the PVC assume cache (by namespace/name: claims to
   *  provision, with the selected node annotation). */
  private readonly pvCache: AssumeCache<PersistentVolume>;
  private readonly pvcCache: AssumeCache<PersistentVolumeClaim>;

  constructor(private readonly handle: Handle) {
    this.pvCache = new AssumeCache('v1.PersistentVolume', (pv) => pv.metadata.name, (name) => handle.getObject('PersistentVolume', undefined, name) as PersistentVolume | undefined);
    this.pvcCache = new AssumeCache('v1.PersistentVolumeClaim', claimKey, (key) => {
      const slash = key.indexOf('/');
      return handle.getObject('PersistentVolumeClaim', key.slice(0, slash), key.slice(slash + 1)) as PersistentVolumeClaim | undefined;
    });
  }

  /**
   * EventsToRegister (volume_binding.go) with queueing hints on (v1.35's default), in upstream's
   * order: StorageClass Add/Update (a missing or mis-configured class: allowedTopologies,
   * volumeBindingMode), PersistentVolumeClaim Add/Update, PersistentVolume Add/Update (no hint),
   * Node Add and label updates (no hint; with hints off upstream adds UpdateNodeTaint for its
   * preCheck), CSINode Add/Update (in-tree to CSI translation). Upstream's CSIDriver Update and
   * CSIStorageCapacity Add/Update registrations are left out: kubedrill has neither kind.
   */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'StorageClass', actions: ['Add', 'Update'], queueingHintFn: isSchedulableAfterStorageClassChange },
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'], queueingHintFn: isSchedulableAfterPersistentVolumeClaimChange },
      { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
      { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] },
      { resource: 'CSINode', actions: ['Add', 'Update'], queueingHintFn: isSchedulableAfterCSINodeChange },
    ];
  }

  // ---- the PV and PVC caches --------------------------------------------------------------

  /** pvCache.GetPV. */
  getPV(name: string): PersistentVolume | undefined {
    return this.pvCache.get(name);
  }

  /** pvCache.ListPVs(storageClassName). */
  private listPVs(className: string): PersistentVolume[] {
    const out: PersistentVolume[] = [];
    for (const o of this.handle.listObjects('PersistentVolume')) {
      const pv = this.getPV(o.metadata.name);
      if (pv !== undefined && volumeClass(pv) === className) out.push(pv);
    }
    return out;
  }

  /** The PVC lister (podHasPVCs): the stored claim. */
  private getStoredPVC(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.handle.getObject('PersistentVolumeClaim', namespace, name) as PersistentVolumeClaim | undefined;
  }

  /** pvcCache.GetPVC. */
  getPVC(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.pvcCache.get(`${namespace}/${name}`);
  }

  /** revertAssumedPVs / revertAssumedPVCs (AssumeCache.Restore): back to the stored versions. */
  private revertAssumedPVs(bindings: readonly BindingInfo[]): void {
    for (const b of bindings) this.pvCache.restore(b.pv);
  }

  private revertAssumedPVCs(claims: readonly PersistentVolumeClaim[]): void {
    for (const c of claims) this.pvcCache.restore(c);
  }

  /** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
  private isDelayBindingMode(claim: PersistentVolumeClaim): boolean {
    const className = claimClass(claim);
    if (className === '') return false;
    const sc = this.handle.getObject('StorageClass', undefined, className) as StorageClass | undefined;
    if (sc === undefined) return false;
    if (sc.volumeBindingMode === undefined) throw new BinderError(`VolumeBindingMode not set for StorageClass "${className}"`);
    return sc.volumeBindingMode === 'WaitForFirstConsumer';
  }

  // ---- PreFilter ------------------------------------------------------------------------------

  /** podHasPVCs: whether the pod uses claims; an error (as UnschedulableAndUnresolvable) for a
   *  missing claim, a Lost one or one being deleted. */
  private podHasPVCs(pod: PodInfo): boolean | Status {
    let hasPVC = false;
    const namespace = pod.pod.metadata.namespace ?? 'default';
    for (const v of pod.pod.spec.volumes ?? []) {
      const claim = volumeClaim(pod.pod, v);
      if (claim === undefined) continue;
      hasPVC = true;
      const name = claim.name;
      const pvc = this.getStoredPVC(namespace, name);
      if (pvc === undefined) {
        // Upstream words it better for a generic ephemeral volume, whose claim is normally
        // missing for a moment after the pod is created.
        if (claim.ephemeral) return unresolvable(`waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"`);
        return unresolvable(`persistentvolumeclaim "${name}" not found`);
      }
      if (pvc.status.phase === 'Lost') return unresolvable(`persistentvolumeclaim "${pvc.metadata.name}" bound to non-existent persistentvolume "${pvc.spec.volumeName ?? ''}"`);
      if (pvc.metadata.deletionTimestamp !== undefined) return unresolvable(`persistentvolumeclaim "${pvc.metadata.name}" is being deleted`);
      if (claim.ephemeral) {
        const err = ephemeralVolumeIsForPod(pod.pod, pvc);
        if (err !== null) return unresolvable(err);
      }
    }
    return hasPVC;
  }

  /** GetPodVolumeClaims: bound claims (volumeName and bind-completed), unbound delay-binding
   *  claims (a pre-bound claim counts as Immediate), unbound Immediate claims. */
  getPodVolumeClaims(pod: PodInfo): PodVolumeClaims {
    const c: PodVolumeClaims = { boundClaims: [], unboundClaimsDelayBinding: [], unboundClaimsImmediate: [], unboundVolumesDelayBinding: new Map() };
    const namespace = pod.pod.metadata.namespace ?? 'default';
    for (const v of pod.pod.spec.volumes ?? []) {
      // isVolumeBound: claims of persistentVolumeClaim and generic ephemeral volumes.
      const claim = volumeClaim(pod.pod, v);
      if (claim === undefined) continue;
      const key = `${namespace}/${claim.name}`;
      const pvc = this.getPVC(namespace, claim.name);
      if (pvc === undefined) throw new BinderError(`error getting PVC "${key}": persistentvolumeclaim "${claim.name}" not found`);
      if (claim.ephemeral) {
        const err = ephemeralVolumeIsForPod(pod.pod, pvc);
        if (err !== null) throw new BinderError(err);
      }
      // isPVCFullyBound.
      if (pvc.spec.volumeName && pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined) c.boundClaims.push(pvc);
      else if (this.isDelayBindingMode(pvc) && !pvc.spec.volumeName) c.unboundClaimsDelayBinding.push(pvc);
      else c.unboundClaimsImmediate.push(pvc);
    }
    for (const pvc of c.unboundClaimsDelayBinding) {
      const className = claimClass(pvc);
      c.unboundVolumesDelayBinding.set(className, this.listPVs(className));
    }
    return c;
  }

  /** GetEligibleNodes: the nodes the bound claims' local volumes pin (hostname In terms),
   *  intersected; undefined when none pins or a volume is missing. */
  getEligibleNodes(boundClaims: readonly PersistentVolumeClaim[]): Set<string> | undefined {
    let eligible: Set<string> | undefined;
    for (const pvc of boundClaims) {
      const pv = this.getPV(pvc.spec.volumeName ?? '');
      if (pv === undefined) return undefined;
      const nodeNames = localPersistentVolumeNodeNames(pv);
      if (nodeNames.length === 0) continue;
      eligible = eligible === undefined ? new Set(nodeNames) : new Set(nodeNames.filter((n) => eligible!.has(n)));
    }
    return eligible;
  }

  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    // A pod with no volumes at all: the cheapest Skip.
    const volumes = pod.pod.spec.volumes;
    if (volumes === undefined || volumes.length === 0) {
      state.write(STATE_KEY, SKIP_STATE);
      return { status: SKIP };
    }
    const has = this.podHasPVCs(pod);
    if (has !== true && has !== false) return { status: has };
    if (!has) {
      state.write(STATE_KEY, SKIP_STATE);
      return { status: SKIP };
    }
    let claims: PodVolumeClaims;
    try {
      claims = this.getPodVolumeClaims(pod);
    } catch (e) {
      if (e instanceof BinderError) return { status: asError(e.message) };
      throw e;
    }
    // Immediate claims are the PV controller's to bind: the pod waits for its event.
    if (claims.unboundClaimsImmediate.length > 0) return { status: unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
    const eligible = this.getEligibleNodes(claims.boundClaims);
    state.write(STATE_KEY, new StateData(false, { ...claims, unboundClaimsImmediate: [] }));
    return eligible !== undefined ? { result: { nodeNames: eligible }, status: null } : { status: null };
  }

  // ---- Filter ---------------------------------------------------------------------------------

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.read<StateData>(STATE_KEY);
    if (s === undefined) return asError(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    if (s.skip || s.podVolumeClaims === undefined) return null;
    let found: { podVolumes: PodVolumes; reasons: string[] };
    try {
      found = this.findPodVolumes(pod, s.podVolumeClaims, node);
    } catch (e) {
      if (e instanceof BinderError) return asError(e.message);
      throw e;
    }
    if (found.reasons.length > 0) return unresolvable(...found.reasons);
    s.podVolumesByNode.set(node.name, found.podVolumes);
    s.hasStaticBindings ||= (found.podVolumes.staticBindings?.length ?? 0) > 0;
    return null;
  }

  /** FindPodVolumes: the reasons, in upstream's order (node conflict, bind conflict, not enough
   *  space, PV missing), the static bindings and the claims to provision for the node. */
  findPodVolumes(_pod: PodInfo, claims: PodVolumeClaims, node: NodeInfo): { podVolumes: PodVolumes; reasons: string[] } {
    let unboundVolumesSatisfied = true;
    let boundVolumesSatisfied = true;
    let sufficientStorage = true;
    let boundPVsFound = true;
    let staticBindings: BindingInfo[] | undefined;
    let dynamicProvisions: PersistentVolumeClaim[] | undefined;
    const labels = node.labels ?? {};
    const done = () => {
      const reasons: string[] = [];
      if (!boundVolumesSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundVolumesSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
      if (!sufficientStorage) reasons.push(ERR_REASON_NOT_ENOUGH_SPACE);
      if (!boundPVsFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
      // Empty is normalized to nil upstream too.
      return {
        podVolumes: { staticBindings: staticBindings?.length ? staticBindings : undefined, dynamicProvisions: dynamicProvisions?.length ? dynamicProvisions : undefined },
        reasons,
      };
    };
    // checkBoundClaims: every bound volume exists and its node affinity holds on the node.
    for (const pvc of claims.boundClaims) {
      const pv = this.getPV(pvc.spec.volumeName ?? '');
      if (pv === undefined) {
        boundPVsFound = false;
        break;
      }
      if (!checkNodeAffinity(pv, labels)) {
        boundVolumesSatisfied = false;
        break;
      }
    }
    if (claims.unboundClaimsDelayBinding.length > 0) {
      // A claim that already has a selected node is being provisioned there: only that node fits.
      const claimsToFindMatching: PersistentVolumeClaim[] = [];
      const claimsToProvision: PersistentVolumeClaim[] = [];
      for (const claim of claims.unboundClaimsDelayBinding) {
        const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
        if (selectedNode !== undefined) {
          if (selectedNode !== node.name) {
            // Fast path, skip unmatched node.
            unboundVolumesSatisfied = false;
            return done();
          }
          claimsToProvision.push(claim);
        } else {
          claimsToFindMatching.push(claim);
        }
      }
      if (claimsToFindMatching.length > 0) {
        const found = this.findMatchingVolumes(claimsToFindMatching, claims.unboundVolumesDelayBinding, labels);
        unboundVolumesSatisfied = found.foundMatches;
        staticBindings = found.bindings;
        claimsToProvision.push(...found.unboundClaims);
      }
      // checkVolumeProvisions for the claims to provision.
      if (claimsToProvision.length > 0) {
        const provisions = this.checkVolumeProvisions(claimsToProvision, labels);
        unboundVolumesSatisfied = provisions.provisionSatisfied;
        sufficientStorage = provisions.sufficientStorage;
        dynamicProvisions = provisions.dynamicProvisions;
      }
    }
    return done();
  }

  /** findMatchingVolumes: claims by increasing request (stable), each to the smallest fitting
   *  volume of its class not chosen for an earlier claim. */
  private findMatchingVolumes(
    claimsToBind: readonly PersistentVolumeClaim[],
    volumesByClass: ReadonlyMap<string, PersistentVolume[]>,
    nodeLabels: Record<string, string>,
  ): { foundMatches: boolean; bindings: BindingInfo[]; unboundClaims: PersistentVolumeClaim[] } {
    // byPVCSize (sort.Sort, not stable upstream; ties keep the pod's volume order here).
    const sorted = [...claimsToBind].sort((a, b) => storageOf(a.spec.resources?.requests).cmp(storageOf(b.spec.resources?.requests)));
    const chosen = new Set<string>();
    const bindings: BindingInfo[] = [];
    const unboundClaims: PersistentVolumeClaim[] = [];
    let foundMatches = true;
    for (const pvc of sorted) {
      const pv = findMatchingVolume(pvc, volumesByClass.get(claimClass(pvc)) ?? [], true, { nodeLabels, excluded: chosen });
      if (pv === undefined) {
        unboundClaims.push(pvc);
        foundMatches = false;
        continue;
      }
      chosen.add(pv.metadata.name);
      bindings.push({ pv, pvc });
    }
    return { foundMatches, bindings, unboundClaims };
  }

  /**
   * checkVolumeProvisions: every claim must be provisionable for the node, the first that is not
   * ending the check: a claim with no class or a missing class is an error; a class whose
   * provisioner is "" or kubernetes.io/no-provisioner cannot provision, and a node outside the
   * class's allowedTopologies cannot be provisioned for (the node does not fit, with no claims
   * to provision); then the storage capacity (hasEnoughCapacity, always sufficient here).
   */
  private checkVolumeProvisions(
    claimsToProvision: readonly PersistentVolumeClaim[],
    nodeLabels: Record<string, string>,
  ): { provisionSatisfied: boolean; sufficientStorage: boolean; dynamicProvisions: PersistentVolumeClaim[] | undefined } {
    const dynamicProvisions: PersistentVolumeClaim[] = [];
    for (const claim of claimsToProvision) {
      const className = claimClass(claim);
      if (className === '') throw new BinderError(`no class for claim "${claimKey(claim)}"`);
      const sc = this.handle.getObject('StorageClass', undefined, className) as StorageClass | undefined;
      if (sc === undefined) throw new BinderError(`failed to find storage class "${className}"`);
      const provisioner = sc.provisioner ?? '';
      if (provisioner === '' || provisioner === NOT_SUPPORTED_PROVISIONER) return { provisionSatisfied: false, sufficientStorage: true, dynamicProvisions: undefined };
      // The node must satisfy the class's topology requirement.
      if (!matchTopologySelectorTerms(sc.allowedTopologies, nodeLabels)) return { provisionSatisfied: false, sufficientStorage: true, dynamicProvisions: undefined };
      if (!this.hasEnoughCapacity()) return { provisionSatisfied: true, sufficientStorage: false, dynamicProvisions: undefined };
      dynamicProvisions.push(claim);
    }
    return { provisionSatisfied: true, sufficientStorage: true, dynamicProvisions };
  }

  /**
   * hasEnoughCapacity: upstream checks CSIStorageCapacity objects only for a provisioner whose
   * CSIDriver sets spec.storageCapacity, and skips the check (sufficient) when the claim requests
   * no storage, the provisioner has no CSIDriver, or the driver does not opt in. kubedrill has no
   * CSIDriver or CSIStorageCapacity kinds, so no driver opts in: always sufficient, and
   * ErrReasonNotEnoughSpace is never produced.
   */
  private hasEnoughCapacity(): boolean {
    return true;
  }

  // ---- Reserve, Unreserve, PreBind --------------------------------------------------------------

  reserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    const s = state.read<StateData>(STATE_KEY);
    if (s === undefined) return asError(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    if (s.skip) return null;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (podVolumes === undefined) {
      // May not exist if the pod does not reference any PVC.
      s.allBound = true;
      return null;
    }
    try {
      s.allBound = this.assumePodVolumes(pod, nodeName, podVolumes);
    } catch (e) {
      if (e instanceof BinderError) return asError(e.message);
      throw e;
    }
    return null;
  }

  /**
   * AssumePodVolumes: nothing to do when every claim is bound; otherwise each chosen volume, as
   * GetBindVolumeToClaim would write it, goes into the PV assume cache, and a copy of each claim
   * to provision with the selected node annotation set to the node into the PVC assume cache. An
   * assume error (the object gone, or older than the cache's) reverts what was assumed and is
   * thrown. Returns false (not all bound) whenever there was something to bind or provision.
   */
  private assumePodVolumes(pod: PodInfo, nodeName: string, podVolumes: PodVolumes): boolean {
    if (this.arePodVolumesBound(pod)) return true;
    const newBindings: BindingInfo[] = [];
    for (const b of podVolumes.staticBindings ?? []) {
      const { volume, dirty } = getBindVolumeToClaim(b.pv, b.pvc);
      if (dirty) {
        try {
          this.pvCache.assume(volume);
        } catch (e) {
          this.revertAssumedPVs(newBindings);
          throw e;
        }
      }
      newBindings.push({ pv: volume, pvc: b.pvc });
    }
    const newProvisionedPVCs: PersistentVolumeClaim[] = [];
    for (const claim of podVolumes.dynamicProvisions ?? []) {
      // A copy: the claim may be the stored object.
      const clone: PersistentVolumeClaim = { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [ANN_SELECTED_NODE]: nodeName } } };
      try {
        this.pvcCache.assume(clone);
      } catch (e) {
        this.revertAssumedPVs(newBindings);
        this.revertAssumedPVCs(newProvisionedPVCs);
        throw e;
      }
      newProvisionedPVCs.push(clone);
    }
    // Upstream leaves both as (possibly empty) non-nil slices here.
    podVolumes.staticBindings = newBindings;
    podVolumes.dynamicProvisions = newProvisionedPVCs;
    return false;
  }

  /** arePodVolumesBound: every claim of the pod is fully bound (read through the assumed claims). */
  private arePodVolumesBound(pod: PodInfo): boolean {
    const namespace = pod.pod.metadata.namespace ?? 'default';
    for (const v of pod.pod.spec.volumes ?? []) {
      const claim = volumeClaim(pod.pod, v);
      if (claim === undefined) continue;
      const pvc = this.getPVC(namespace, claim.name);
      if (pvc === undefined || !pvc.spec.volumeName || pvc.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) return false;
    }
    return true;
  }

  unreserve(state: CycleState, _pod: PodInfo, nodeName: string): void {
    const s = state.read<StateData>(STATE_KEY);
    if (s === undefined || s.skip) return;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (podVolumes === undefined) return;
    // RevertAssumedPodVolumes: the assumed volumes and claims go back to the stored ones.
    this.revertAssumedPVs(podVolumes.staticBindings ?? []);
    this.revertAssumedPVCs(podVolumes.dynamicProvisions ?? []);
  }

  /** PreBindPreFlight: Skip when every claim is bound (or the pod has none), an error when no
   *  volumes were found for the node, Success otherwise (PreBind will write). */
  preBindPreFlight(state: CycleState, _pod: PodInfo, nodeName: string): MaybeStatus {
    const s = state.read<StateData>(STATE_KEY);
    if (s === undefined) return asError(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    if (s.skip || s.allBound) return SKIP;
    if (!s.podVolumesByNode.has(nodeName)) return asError(`no pod volumes found for node "${nodeName}"`);
    return null;
  }

  preBind(state: CycleState, _pod: PodInfo, nodeName: string): MaybeStatus {
    const s = state.read<StateData>(STATE_KEY);
    if (s === undefined) return asError(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    if (s.skip || s.allBound) return null;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (podVolumes === undefined) return asError(`no pod volumes found for node "${nodeName}"`);
    const message = this.bindAPIUpdate(podVolumes);
    return message === null ? null : asError(message);
  }

  /**
   * bindAPIUpdate: each volume's claimRef written, then each claim to provision written with its
   * selected node (the PV controller and the provisioner do the rest); the updated objects are
   * kept. The first failing update ends it with that error; the assumed objects not yet written
   * are reverted. There is no API rollback of the writes already made.
   */
  private bindAPIUpdate(podVolumes: PodVolumes): string | null {
    const bindings = podVolumes.staticBindings ?? [];
    const claims = podVolumes.dynamicProvisions ?? [];
    let lastProcessedBinding = 0;
    let lastProcessedProvisioning = 0;
    const fail = (message: string): string => {
      if (lastProcessedBinding < bindings.length) this.revertAssumedPVs(bindings.slice(lastProcessedBinding));
      if (lastProcessedProvisioning < claims.length) this.revertAssumedPVCs(claims.slice(lastProcessedProvisioning));
      return message;
    };
    for (const b of bindings) {
      const r = this.handle.updateObject(b.pv);
      if (!r.ok) return fail(r.message);
      b.pv = r.object;
      lastProcessedBinding++;
    }
    for (let i = 0; i < claims.length; i++) {
      const r = this.handle.updateObject(claims[i]!);
      if (!r.ok) return fail(r.message);
      claims[i] = r.object;
      lastProcessedProvisioning++;
    }
    return null;
  }
}

const SKIP_STATE = new StateData(true, undefined);

export const newVolumeBinding = (_args: unknown, handle: Handle): AnyPlugin => new VolumeBinding(handle);
