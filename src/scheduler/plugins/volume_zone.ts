// VolumeZone: a pod fits a node only if the zone and region labels of the PersistentVolumes bound
// to its claims match the node's (a node with none of those labels fits any volume).
// Follows pkg/scheduler/framework/plugins/volumezone/volume_zone.go (v1.35): PreFilter (getPVbyPod:
// claims not bound yet are skipped when their class binds WaitForFirstConsumer, an error
// otherwise), Filter (the beta label of a volume matched against the node's GA label too), and
// k8s.io/cloud-provider/volume/helpers LabelZonesToSet ("__"-separated multi-zone values).
// A missing object is UnschedulableAndUnresolvable with the informer lister's NotFound text
// (client-go listers name the resource in the singular: persistentvolumeclaim "x" not found,
// storageclass.storage.k8s.io "x" not found). EventsToRegister is the one registered with queueing
// hints on (v1.35's default; read at volume_zone.go 02d7708a), with upstream's hint functions
// isSchedulableAfterPersistentVolumeClaimChange, isSchedulableAfterStorageClassAdded and
// isSchedulableAfterPersistentVolumeChange; the Node event has no hint function upstream either.
// Every object and field the hints read (claim name/namespace, a class's volumeBindingMode, a
// volume's labels) is modelled. A hint given an object of the wrong kind returns an Error (the
// queue then queues the pod, as upstream's (Queue, err)); an event with no object where upstream
// would dereference nil (a StorageClass Add without one; a PersistentVolume update without the
// new one) returns an Error too rather than failing.
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/types.js';
import { claimClass } from '../../api/storage.js';
import { type MaybeStatus, SKIP, type Status, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, CycleState, Handle, NodeInfo, PodInfo, PreFilterResult, QueueingHint } from '../framework/types.js';
import { asKind } from './helper/hints.js';
import * as names from './names.js';

export const NAME = names.VolumeZone;
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
/** ErrReasonConflict. */
export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone';

export const LABEL_FAILURE_DOMAIN_BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
export const LABEL_FAILURE_DOMAIN_BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';
/** topologyLabels, in upstream's order. */
const TOPOLOGY_LABELS = [LABEL_FAILURE_DOMAIN_BETA_ZONE, LABEL_FAILURE_DOMAIN_BETA_REGION, LABEL_TOPOLOGY_ZONE, LABEL_TOPOLOGY_REGION];

/** pvTopology: one topology label of a bound volume, its value split into a set. */
export interface PvTopology {
  pvName: string;
  key: string;
  values: ReadonlySet<string>;
}

function translateToGALabel(label: string): string {
  if (label === LABEL_FAILURE_DOMAIN_BETA_REGION) return LABEL_TOPOLOGY_REGION;
  if (label === LABEL_FAILURE_DOMAIN_BETA_ZONE) return LABEL_TOPOLOGY_ZONE;
  return label;
}

/** LabelZonesToSet: "__"-separated zones, trimmed; an empty element is an error (undefined). */
export function labelZonesToSet(value: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const zone of value.split('__')) {
    const z = zone.trim();
    if (z === '') return undefined;
    out.add(z);
  }
  return out;
}

export class VolumeZone implements AnyPlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  /**
   * EventsToRegister with queueing hints on (v1.35's default; preCheck is off, so Node
   * UpdateNodeTaint is not registered): StorageClass Add (a WaitForFirstConsumer class; class
   * updates are ignored, volumeBindingMode being immutable), Node Add and label updates (no hint),
   * PersistentVolumeClaim Add/Update and PersistentVolume Add/Update.
   */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'StorageClass', actions: ['Add'], queueingHintFn: isSchedulableAfterStorageClassAdded },
      { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] },
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'], queueingHintFn: isSchedulableAfterPersistentVolumeClaimChange },
      { resource: 'PersistentVolume', actions: ['Add', 'Update'], queueingHintFn: isSchedulableAfterPersistentVolumeChange },
    ];
  }

  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    // A pod without volumes has no topology (getPVbyPod returns none): Skip at once.
    if (pod.pod.spec.volumes === undefined || pod.pod.spec.volumes.length === 0) return { status: SKIP };
    const r = this.getPVbyPod(pod);
    if (!Array.isArray(r)) return { status: r };
    if (r.length === 0) return { status: SKIP };
    state.write(PRE_FILTER_STATE_KEY, r);
    return { status: null };
  }

  /** getPVbyPod: the topology labels of the volumes bound to the pod's claims. */
  getPVbyPod(pod: PodInfo): PvTopology[] | Status {
    const out: PvTopology[] = [];
    const namespace = pod.pod.metadata.namespace ?? 'default';
    for (const v of pod.pod.spec.volumes ?? []) {
      if (v.persistentVolumeClaim === undefined) continue;
      const pvcName = v.persistentVolumeClaim.claimName;
      if (!pvcName) return unresolvable('PersistentVolumeClaim had no name');
      const pvc = this.handle.getObject('PersistentVolumeClaim', namespace, pvcName) as PersistentVolumeClaim | undefined;
      if (pvc === undefined) return unresolvable(`persistentvolumeclaim "${pvcName}" not found`);
      const pvName = pvc.spec.volumeName ?? '';
      if (pvName === '') {
        const scName = claimClass(pvc);
        if (scName === '') return unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
        const sc = this.handle.getObject('StorageClass', undefined, scName) as StorageClass | undefined;
        if (sc === undefined) return unresolvable(`storageclass.storage.k8s.io "${scName}" not found`);
        if (sc.volumeBindingMode === undefined) return unresolvable(`VolumeBindingMode not set for StorageClass "${scName}"`);
        // Skip unbound volumes of a WaitForFirstConsumer class.
        if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue;
        return unresolvable('PersistentVolume had no name');
      }
      const pv = this.handle.getObject('PersistentVolume', undefined, pvName) as PersistentVolume | undefined;
      if (pv === undefined) return unresolvable(`persistentvolume "${pvName}" not found`);
      out.push(...getPVTopologies(pv));
    }
    return out;
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    // A pod without volumes always fits.
    if (pod.pod.spec.volumes === undefined || pod.pod.spec.volumes.length === 0) return null;
    let topologies = state.read<PvTopology[]>(PRE_FILTER_STATE_KEY);
    if (topologies === undefined) {
      // Fallback: compute the volumes here (PreFilter did not run).
      const r = this.getPVbyPod(pod);
      if (!Array.isArray(r)) return r;
      topologies = r;
    }
    return fitsZones(topologies, node.node);
  }
}

/**
 * getPVTopologies: the topology labels of a volume, in topologyLabels order, each value split by
 * LabelZonesToSet; a value that does not parse is ignored (upstream logs it).
 */
export function getPVTopologies(pv: PersistentVolume): PvTopology[] {
  const out: PvTopology[] = [];
  const labels = pv.metadata.labels ?? {};
  for (const key of TOPOLOGY_LABELS) {
    const value = labels[key];
    if (value === undefined) continue;
    const values = labelZonesToSet(value);
    if (values !== undefined) out.push({ pvName: pv.metadata.name, key, values });
  }
  return out;
}

/** reflect.DeepEqual of two []pvTopology: same length, and each entry's name, key and set equal. */
function samePVTopologies(a: readonly PvTopology[], b: readonly PvTopology[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.pvName === y.pvName && x.key === y.key && x.values.size === y.values.size && [...x.values].every((v) => y.values.has(v));
  });
}


/**
 * isPVCRequestedFromPod: the claim is in the pod's namespace and one of the pod's
 * persistentVolumeClaim volumes names it.
 */
function isPVCRequestedFromPod(pvc: PersistentVolumeClaim | undefined, pod: Pod): boolean {
  if (pvc === undefined || (pod.metadata.namespace ?? 'default') !== (pvc.metadata.namespace ?? 'default')) return false;
  return (pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim !== undefined && v.persistentVolumeClaim.claimName === pvc.metadata.name);
}

/**
 * isSchedulableAfterPersistentVolumeClaimChange (volume_zone.go): a claim added or updated queues
 * the pod only if the pod requests it (isPVCRequestedFromPod); the old object is not compared.
 */
export function isSchedulableAfterPersistentVolumeClaimChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const r = asKind<PersistentVolumeClaim>('PersistentVolumeClaim', oldObj, newObj, 'isSchedulableAfterPersistentVolumeClaimChange');
  if (r instanceof Error) return r;
  return isPVCRequestedFromPod(r.newObj, pod) ? 'Queue' : 'QueueSkip';
}

/**
 * isSchedulableAfterStorageClassAdded (volume_zone.go): only a new class whose volumeBindingMode
 * is WaitForFirstConsumer queues the pod (As is given nil for the old object).
 */
export function isSchedulableAfterStorageClassAdded(_pod: Pod, _oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const r = asKind<StorageClass>('StorageClass', undefined, newObj, 'isSchedulableAfterStorageClassAdded');
  if (r instanceof Error) return r;
  // Upstream dereferences the added class; an Add always carries one.
  if (r.newObj === undefined) return new Error('unexpected objects in isSchedulableAfterStorageClassAdded: no StorageClass');
  return r.newObj.volumeBindingMode === 'WaitForFirstConsumer' ? 'Queue' : 'QueueSkip';
}

/**
 * isSchedulableAfterPersistentVolumeChange (volume_zone.go): a new volume queues the pod; an
 * updated one only if its topology (getPVTopologies of the labels) changed.
 */
export function isSchedulableAfterPersistentVolumeChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const r = asKind<PersistentVolume>('PersistentVolume', oldObj, newObj, 'isSchedulableAfterPersistentVolumeChange');
  if (r instanceof Error) return r;
  if (r.oldObj === undefined) return 'Queue';
  // Upstream dereferences the updated volume; an Update always carries one.
  if (r.newObj === undefined) return new Error('unexpected objects in isSchedulableAfterPersistentVolumeChange: no new PersistentVolume');
  return samePVTopologies(getPVTopologies(r.oldObj), getPVTopologies(r.newObj)) ? 'QueueSkip' : 'Queue';
}

/** Filter's rule: a node with no topology label fits; otherwise each volume label must match. */
export function fitsZones(topologies: readonly PvTopology[], node: Node): MaybeStatus {
  const labels = node.metadata.labels ?? {};
  if (!TOPOLOGY_LABELS.some((l) => labels[l] !== undefined)) return null;
  for (const t of topologies) {
    // A volume's beta label also matches the node's GA label.
    const v = labels[t.key] ?? labels[translateToGALabel(t.key)];
    if (v === undefined || !t.values.has(v)) return unresolvable(ERR_REASON_CONFLICT);
  }
  return null;
}

export const newVolumeZone = (_args: unknown, handle: Handle): AnyPlugin => new VolumeZone(handle);
