// VolumeBinding: a pod's claims must be bound, or bindable, on the node: a bound claim's volume
// must allow the node (its node affinity), and a WaitForFirstConsumer claim not yet bound needs an
// Available volume that fits the node. Reserve assumes the chosen volumes; PreBind writes them
// (claimRef), and the PV controller completes each binding.
// Follows pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (PreFilter, podHasPVCs,
// Filter, Reserve, PreBind, Unreserve, EventsToRegister) and binder.go (GetPodVolumeClaims,
// GetEligibleNodes, FindPodVolumes, checkBoundClaims, findMatchingVolumes, checkVolumeProvisions,
// AssumePodVolumes, RevertAssumedPodVolumes, bindAPIUpdate), with component-helpers/storage/volume
// pv_helpers.go (FindMatchingVolume, CheckNodeAffinity, GetBindVolumeToClaim, IsDelayBindingMode)
// and pkg/volume/util/util.go (GetLocalPersistentVolumeNodeNames), v1.35. A generic ephemeral
// volume is its claim <pod>-<volume>, which the pod must own (component-helpers/storage/ephemeral).
// Not modelled:
//   - dynamic provisioning: a WaitForFirstConsumer claim with no matching volume does not fit
//     (upstream: a class whose provisioner is "" or kubernetes.io/no-provisioner does not fit
//     either; any other provisioner would make the node fit and provision there), so there is no
//     AnnSelectedNode, no CSIStorageCapacity check and no ErrReasonNotEnoughSpace;
//   - Score (StorageCapacityScoring, formerly VolumeCapacityPriority, is alpha and off in v1.35:
//     upstream's PreScore returns Skip), so the plugin has no score extension here;
//   - BindPodVolumes' wait (checkBindings polling until the PV controller has bound every claim,
//     bindTimeoutSeconds 600): PreBind returns once the volumes are written, at the same instant
//     (the binding cycle is synchronous here); the kubelet keeps the pod in ContainerCreating
//     until its claims are Bound;
//   - in-tree to CSI translation (CSINode), the queueing hints
//     (eventsToRegister lists the events; the queue decides without the hint functions).
// Upstream's PV cache is an assume cache over the informer; here it is the API store read
// through the plugin's assumed volumes, which give way to any newer stored version. Volumes of a
// class are listed in store order (upstream: its index's order).
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types.js';
import { ANN_BIND_COMPLETED, claimClass, ephemeralVolumeIsForPod, getBindVolumeToClaim, storageOf, volumeClaim, volumeClass } from '../../api/storage.js';
import { checkNodeAffinity, findMatchingVolume } from '../../api/volume_index.js';
import { type MaybeStatus, SKIP, type Status, asError, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEvent, CycleState, Handle, NodeInfo, PodInfo, PreFilterResult } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.VolumeBinding;
/** stateKey. */
export const STATE_KEY = NAME;
/** ErrReasonBindConflict. */
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** ErrReasonNodeConflict (worded so since v1.33, kubernetes/kubernetes#129887; before: "node(s) had
 *  volume node affinity conflict"). */
export const ERR_REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";
/** ErrReasonNotEnoughSpace (storage capacity of dynamic provisioning: not reachable here). */
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
/** ErrReasonPVNotExist. */
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** The PreFilter reason for Immediate claims the PV controller has not bound yet. */
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** volume.NotSupportedProvisioner. */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';
const LABEL_HOSTNAME = 'kubernetes.io/hostname';

/** BindingInfo: a claim and the volume chosen for it. */
export interface BindingInfo {
  pv: PersistentVolume;
  pvc: PersistentVolumeClaim;
}

/** PodVolumes: what Filter found for one node. */
export interface PodVolumes {
  staticBindings: BindingInfo[] | undefined;
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

export class VolumeBinding implements AnyPlugin {
  readonly name = NAME;
  /** The assume cache's assumed volumes, by name. */
  private readonly assumed = new Map<string, PersistentVolume>();

  constructor(private readonly handle: Handle) {}

  /**
   * With queueing hints on (v1.35's default): StorageClass Add/Update, PersistentVolumeClaim
   * Add/Update, PersistentVolume Add/Update, Node Add and label updates (CSINode, CSIDriver and
   * CSIStorageCapacity events are not modelled).
   */
  eventsToRegister(): readonly ClusterEvent[] {
    return [
      { resource: 'StorageClass', actions: ['Add', 'Update'] },
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] },
      { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
      { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] },
    ];
  }

  // ---- the PV and PVC caches --------------------------------------------------------------

  /** pvCache.GetPV: the assumed version while no newer one is stored. */
  getPV(name: string): PersistentVolume | undefined {
    const stored = this.handle.getObject('PersistentVolume', undefined, name) as PersistentVolume | undefined;
    const assumed = this.assumed.get(name);
    if (assumed === undefined) return stored;
    if (stored !== undefined && rv(stored) <= rv(assumed)) return assumed;
    this.assumed.delete(name);
    return stored;
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

  private getPVC(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.handle.getObject('PersistentVolumeClaim', namespace, name) as PersistentVolumeClaim | undefined;
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
      const pvc = this.getPVC(namespace, name);
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
   *  space, PV missing), and the static bindings for the node. */
  findPodVolumes(_pod: PodInfo, claims: PodVolumeClaims, node: NodeInfo): { podVolumes: PodVolumes; reasons: string[] } {
    let unboundVolumesSatisfied = true;
    let boundVolumesSatisfied = true;
    const sufficientStorage = true;
    let boundPVsFound = true;
    let staticBindings: BindingInfo[] | undefined;
    const labels = node.labels ?? {};
    const done = () => {
      const reasons: string[] = [];
      if (!boundVolumesSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundVolumesSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
      if (!sufficientStorage) reasons.push(ERR_REASON_NOT_ENOUGH_SPACE);
      if (!boundPVsFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
      return { podVolumes: { staticBindings: staticBindings?.length ? staticBindings : undefined }, reasons };
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
      // AnnSelectedNode is set only for provisioning, which is not modelled: every claim is matched.
      const found = this.findMatchingVolumes(claims.unboundClaimsDelayBinding, claims.unboundVolumesDelayBinding, labels);
      unboundVolumesSatisfied = found.foundMatches;
      staticBindings = found.bindings;
      // checkVolumeProvisions for the claims left without a volume.
      if (found.unboundClaims.length > 0) unboundVolumesSatisfied = this.checkVolumeProvisions(found.unboundClaims);
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
   * checkVolumeProvisions: a claim with no class or a missing class is an error; a class whose
   * provisioner is "" or kubernetes.io/no-provisioner cannot provision (the node does not fit).
   * Dynamic provisioning is not modelled: any other provisioner does not fit either (upstream
   * would check allowedTopologies and storage capacity, then provision).
   */
  private checkVolumeProvisions(claims: readonly PersistentVolumeClaim[]): boolean {
    for (const claim of claims) {
      const className = claimClass(claim);
      const key = `${claim.metadata.namespace ?? 'default'}/${claim.metadata.name}`;
      if (className === '') throw new BinderError(`no class for claim "${key}"`);
      const sc = this.handle.getObject('StorageClass', undefined, className) as StorageClass | undefined;
      if (sc === undefined) throw new BinderError(`failed to find storage class "${className}"`);
      return false;
    }
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
    s.allBound = this.assumePodVolumes(pod, podVolumes);
    return null;
  }

  /** AssumePodVolumes: nothing to do when every claim is bound; otherwise each chosen volume, as
   *  GetBindVolumeToClaim would write it, goes into the assume cache. */
  private assumePodVolumes(pod: PodInfo, podVolumes: PodVolumes): boolean {
    if (this.arePodVolumesBound(pod)) return true;
    const newBindings: BindingInfo[] = [];
    for (const b of podVolumes.staticBindings ?? []) {
      const { volume, dirty } = getBindVolumeToClaim(b.pv, b.pvc);
      if (dirty) this.assumed.set(volume.metadata.name, volume);
      newBindings.push({ pv: volume, pvc: b.pvc });
    }
    podVolumes.staticBindings = newBindings.length > 0 ? newBindings : undefined;
    return false;
  }

  /** arePodVolumesBound: every claim of the pod is fully bound. */
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
    // RevertAssumedPodVolumes: the assumed volumes go back to the stored ones.
    for (const b of s.podVolumesByNode.get(nodeName)?.staticBindings ?? []) this.assumed.delete(b.pv.metadata.name);
  }

  preBind(state: CycleState, _pod: PodInfo, nodeName: string): MaybeStatus {
    const s = state.read<StateData>(STATE_KEY);
    if (s === undefined) return asError(`reading ${JSON.stringify(STATE_KEY)} from cycleState: not found`);
    if (s.skip || s.allBound) return null;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (podVolumes === undefined) return asError(`no pod volumes found for node "${nodeName}"`);
    // bindAPIUpdate: each volume's claimRef written; the PV controller does the rest. There is no
    // API rollback if a later write fails.
    for (const b of podVolumes.staticBindings ?? []) {
      const r = this.handle.updateObject(b.pv);
      if (!r.ok) return asError(r.message);
      b.pv = r.object;
    }
    return null;
  }
}

const SKIP_STATE = new StateData(true, undefined);

export const newVolumeBinding = (_args: unknown, handle: Handle): AnyPlugin => new VolumeBinding(handle);
