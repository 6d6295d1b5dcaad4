// VolumeZone: a pod fits a node only if the zone and region labels of the PersistentVolumes bound
// to its claims match the node's (a node with none of those labels fits any volume).
// Follows pkg/scheduler/framework/plugins/volumezone/volume_zone.go (v1.35): PreFilter (getPVbyPod:
// claims not bound yet are skipped when their class binds WaitForFirstConsumer, an error
// otherwise), Filter (the beta label of a volume matched against the node's GA label too), and
// k8s.io/cloud-provider/volume/helpers LabelZonesToSet ("__"-separated multi-zone values).
// A missing object is UnschedulableAndUnresolvable with the informer lister's NotFound text
// (client-go listers name the resource in the singular: persistentvolumeclaim "x" not found,
// storageclass.storage.k8s.io "x" not found). Not modelled: the queueing hints (isSchedulableAfterPersistentVolumeClaimChange, ...Change of
// PersistentVolumes and StorageClasses): eventsToRegister lists the events; the queue decides
// without the hint functions.
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types.js';
import { claimClass } from '../../api/storage.js';
import { type MaybeStatus, SKIP, type Status, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEvent, CycleState, Handle, NodeInfo, PodInfo, PreFilterResult } from '../framework/types.js';
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
   * With queueing hints on (v1.35's default): StorageClass Add (a WaitForFirstConsumer class),
   * Node Add and label updates, PersistentVolumeClaim Add/Update, PersistentVolume Add/Update.
   */
  eventsToRegister(): readonly ClusterEvent[] {
    return [
      { resource: 'StorageClass', actions: ['Add'] },
      { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] },
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] },
      { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
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
      const labels = pv.metadata.labels ?? {};
      for (const key of TOPOLOGY_LABELS) {
        const value = labels[key];
        if (value === undefined) continue;
        // A value that does not parse is ignored (upstream logs it).
        const values = labelZonesToSet(value);
        if (values !== undefined) out.push({ pvName: pv.metadata.name, key, values });
      }
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
