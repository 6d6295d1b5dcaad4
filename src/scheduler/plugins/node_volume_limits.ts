// NodeVolumeLimits (upstream's CSILimits): a pod does not fit a node where, for some CSI driver,
// the unique volumes already in use there plus the pod's new ones would exceed what the node's
// CSINode allows (spec.drivers[].allocatable.count).
// Follows pkg/scheduler/framework/plugins/nodevolumelimits/csi.go (v1.35): PreFilter (Skip for a
// pod with no claim, generic ephemeral or in-tree inline volume), Filter (filterAttachableVolumes,
// getCSIDriverInfo, getCSIDriverInfoFromSC, getVolumeLimits; the VolumeAttachments of the node
// count too, after the pod's volumes have been matched against those of the node's pods, as
// csi_test.go TestCSILimits' VolumeAttachment rows require), EventsToRegister and the queueing hints
// isSchedulableAfterPodDeleted, isSchedulableAfterPVCAdded and
// isSchedulableAfterVolumeAttachmentDeleted. Read at csi.go 113b12c6 (the stored revision, from
// before VolumeAttachments counted) and csi_test.go 991b78f9 (whose tables count them and test the
// VolumeAttachment hint); where the two differ, the test tables decide. Counting, per driver:
//   - a claim bound to a CSI volume counts as driver/volumeHandle, so one volume used by several
//     pods of the node counts once;
//   - a claim not bound yet (or bound to a volume that does not exist) counts against its
//     StorageClass's provisioner, as a volume of its own (upstream: a random prefix, then
//     namespace/claim); a claim with no class, or whose class does not exist, counts nothing;
//   - a claim of the new pod that does not exist makes the node UnschedulableAndUnresolvable
//     (`looking up PVC ns/x: persistentvolumeclaim "x" not found`, the informer lister's text);
//     an existing pod's missing claim counts nothing;
//   - a generic ephemeral volume counts as its claim <pod>-<volume> (ephemeral.VolumeClaimName),
//     which must be controlled by the pod (ephemeral.VolumeIsForPod): a claim of another owner is
//     an Error, for the new pod and for a pod on the node alike;
//   - a VolumeAttachment on the node counts as attacher/volumeHandle of its PersistentVolume
//     unless a pod there already counted that volume.
// Not modelled:
//   - in-tree to CSI translation (csi-translation-lib, the CSINode migrated-plugins annotation):
//     an in-tree volume (inline or a PersistentVolume), and a claim whose class names an in-tree
//     provisioner (kubernetes.io/aws-ebs, ...), count nothing, as upstream does on a node where
//     that plugin's migration is off;
//   - limits from node.status.allocatable (attachable-volumes-csi-*): only CSINode is read.
// The events: KEP-4876 (mutable CSINode allocatable count: alpha in v1.33, beta but off by
// default in v1.34, its gate the API server's and the kubelet's) has the plugin register CSINode
// Update too; it is registered here without a hint function, so any CSINode update requeues
// (later upstream narrows it with isSchedulableAfterCSINodeUpdated). Registering it is a superset:
// at worst a pod is retried once more, never held back.
import type { CSINode, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, Volume, VolumeAttachment } from '../../api/types.js';
import { IN_TREE_TO_CSI_PROVISIONER, claimClass, csiNodeVolumeLimits, csiVolumeUniqueName, ephemeralVolumeIsForPod, volumeClaim } from '../../api/storage.js';
import { type MaybeStatus, SKIP, type Status, asError, unresolvable, unschedulable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, CycleState, Handle, NodeInfo, PodInfo, PreFilterResult, QueueingHint } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.NodeVolumeLimits;
/** ErrReasonMaxVolumeCountExceeded. */
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = 'node(s) exceed max volume count';
/**
 * randomVolumeIDPrefix: upstream draws rand.String(32) once, so that the made-up handle of an
 * unbound claim never equals a real one. Drawing from the scheduler's seeded stream would shift
 * every later tie-break; a fixed prefix no volume handle starts with does the same job.
 */
export const UNBOUND_VOLUME_ID_PREFIX = '\u0000unbound';
/** The cycle-state key of the node → VolumeAttachments index (built once per cycle). */
const ATTACHMENTS_STATE_KEY = 'PreFilter' + NAME + '/attachments';

/**
 * The in-tree volume sources csi-translation-lib can translate inline (IsInlineMigratable): AWS
 * EBS, GCE PD, Azure Disk, Azure File, Cinder, vSphere, Portworx.
 */
const INLINE_MIGRATABLE_SOURCES = ['awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'cinder', 'vsphereVolume', 'portworxVolume'] as const;

export function isInlineMigratable(v: Volume): boolean {
  return INLINE_MIGRATABLE_SOURCES.some((k) => v[k] != null);
}

/** A volume the limits may count: a claim, a generic ephemeral volume or an inline migratable one. */
function mayCount(v: Volume): boolean {
  return v.persistentVolumeClaim != null || v.ephemeral != null || isInlineMigratable(v);
}

/** isSchedulableAfterPodDeleted: only a deleted pod that was on a node and had such a volume. */
export function isSchedulableAfterPodDeleted(_pod: Pod, oldObj: unknown, _newObj: unknown): QueueingHint | Error {
  const deleted = oldObj as Pod | undefined;
  if (deleted?.kind !== 'Pod') return new Error('unexpected objects in isSchedulableAfterPodDeleted');
  if ((deleted.spec.volumes?.length ?? 0) === 0 || !deleted.spec.nodeName) return 'QueueSkip';
  return deleted.spec.volumes!.some(mayCount) ? 'Queue' : 'QueueSkip';
}

/** isSchedulableAfterPVCAdded: a claim of the pod's namespace that one of its volumes names. */
export function isSchedulableAfterPVCAdded(pod: Pod, _oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const added = newObj as PersistentVolumeClaim | undefined;
  if (added?.kind !== 'PersistentVolumeClaim') return new Error('unexpected objects in isSchedulableAfterPVCAdded');
  if ((added.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return 'QueueSkip';
  for (const v of pod.spec.volumes ?? []) {
    if (volumeClaim(pod, v)?.name === added.metadata.name) return 'Queue';
  }
  return 'QueueSkip';
}

export class NodeVolumeLimits implements AnyPlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  /**
   * CSINode Add (no hint: any new CSINode may make room) and Update (see the file comment), Pod
   * Delete, PersistentVolumeClaim Add and VolumeAttachment Delete, each with upstream's hint.
   */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'CSINode', actions: ['Add', 'Update'] },
      { resource: 'Pod', actions: ['Delete'], queueingHintFn: isSchedulableAfterPodDeleted },
      { resource: 'PersistentVolumeClaim', actions: ['Add'], queueingHintFn: isSchedulableAfterPVCAdded },
      { resource: 'VolumeAttachment', actions: ['Delete'], queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterVolumeAttachmentDeleted(pod, oldObj, newObj) },
    ];
  }

  /**
   * isSchedulableAfterVolumeAttachmentDeleted: the detached volume is the one a claim of the pod
   * is bound to. (Upstream also matches an inline migratable volume against the driver of an
   * attachment's inlineVolumeSpec; attachments here name PersistentVolumes only.)
   */
  isSchedulableAfterVolumeAttachmentDeleted(pod: Pod, oldObj: unknown, _newObj: unknown): QueueingHint | Error {
    const deleted = oldObj as VolumeAttachment | undefined;
    if (deleted?.kind !== 'VolumeAttachment') return new Error('unexpected objects in isSchedulableAfterVolumeAttachmentDeleted');
    const pvName = deleted.spec.source.persistentVolumeName;
    if (pvName === undefined) return 'QueueSkip';
    const namespace = pod.metadata.namespace ?? 'default';
    for (const v of pod.spec.volumes ?? []) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (claimName === undefined) continue;
      const pvc = this.handle.getObject('PersistentVolumeClaim', namespace, claimName) as PersistentVolumeClaim | undefined;
      if (pvc?.spec.volumeName === pvName) return 'Queue';
    }
    return 'QueueSkip';
  }

  preFilter(_state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    return { status: (pod.pod.spec.volumes ?? []).some(mayCount) ? null : SKIP };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    // A pod without volumes always fits.
    if ((pod.pod.spec.volumes?.length ?? 0) === 0) return null;
    const newVolumes = new Map<string, string>();
    const err = this.filterAttachableVolumes(pod.pod, true, newVolumes);
    if (err !== null) return err;
    // No new CSI volume: nothing to count.
    if (newVolumes.size === 0) return null;
    // A node without limits (no CSINode, or no driver with a count) fits.
    const limits = csiNodeVolumeLimits(this.handle.getObject('CSINode', undefined, node.name) as CSINode | undefined);
    if (limits.size === 0) return null;
    const attached = new Map<string, string>();
    for (const existing of node.pods) {
      const e = this.filterAttachableVolumes(existing.pod, false, attached);
      if (e !== null) return e;
    }
    const attachedCount = new Map<string, number>();
    for (const [unique, driver] of attached) {
      // A volume already used on the node is not counted again for the new pod.
      newVolumes.delete(unique);
      attachedCount.set(driver, (attachedCount.get(driver) ?? 0) + 1);
    }
    // The node's VolumeAttachments: volumes attached (or attaching, or detaching) there that no
    // pod of the node accounts for.
    for (const va of this.attachmentsOn(state, node.name)) {
      const found = this.attachmentVolume(va);
      if (found === undefined || attached.has(found.unique)) continue;
      attached.set(found.unique, found.driver);
      attachedCount.set(found.driver, (attachedCount.get(found.driver) ?? 0) + 1);
    }
    const newCount = new Map<string, number>();
    for (const driver of newVolumes.values()) newCount.set(driver, (newCount.get(driver) ?? 0) + 1);
    for (const [driver, count] of newCount) {
      const max = limits.get(driver);
      if (max !== undefined && (attachedCount.get(driver) ?? 0) + count > max) return unschedulable(ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED);
    }
    return null;
  }

  /**
   * filterAttachableVolumes: adds the pod's countable volumes to `result` (unique name → driver).
   * For the pod being scheduled (`newPod`) a missing claim is UnschedulableAndUnresolvable; for a
   * pod already on the node it is not counted.
   */
  filterAttachableVolumes(pod: Pod, newPod: boolean, result: Map<string, string>): Status | null {
    const namespace = pod.metadata.namespace ?? 'default';
    for (const v of pod.spec.volumes ?? []) {
      // In-tree inline volumes are not counted (file comment).
      const claim = volumeClaim(pod, v);
      if (claim === undefined) continue;
      const pvcName = claim.name;
      if (!pvcName) return asError('PersistentVolumeClaim had no name');
      const pvc = this.handle.getObject('PersistentVolumeClaim', namespace, pvcName) as PersistentVolumeClaim | undefined;
      if (pvc === undefined) {
        if (newPod) return unresolvable(`looking up PVC ${namespace}/${pvcName}: persistentvolumeclaim "${pvcName}" not found`);
        continue;
      }
      // The claim of an ephemeral volume must be owned by the pod.
      if (claim.ephemeral) {
        const err = ephemeralVolumeIsForPod(pod, pvc);
        if (err !== null) return asError(err);
      }
      const info = this.getCSIDriverInfo(pvc);
      if (info === undefined) continue;
      result.set(csiVolumeUniqueName(info.driver, info.volumeHandle), info.driver);
    }
    return null;
  }

  /** getCSIDriverInfo: a bound claim's CSI volume; an unbound one (or one whose volume is gone)
   *  by its StorageClass. */
  getCSIDriverInfo(pvc: PersistentVolumeClaim): { driver: string; volumeHandle: string } | undefined {
    const pvName = pvc.spec.volumeName ?? '';
    if (pvName === '') return this.getCSIDriverInfoFromSC(pvc);
    const pv = this.handle.getObject('PersistentVolume', undefined, pvName) as PersistentVolume | undefined;
    if (pv === undefined) return this.getCSIDriverInfoFromSC(pvc);
    const csi = pv.spec.csi;
    if (csi == null || !csi.driver || !csi.volumeHandle) return undefined;
    return { driver: csi.driver, volumeHandle: csi.volumeHandle };
  }

  /** getCSIDriverInfoFromSC: the class's provisioner, and a handle of the claim's own. */
  getCSIDriverInfoFromSC(pvc: PersistentVolumeClaim): { driver: string; volumeHandle: string } | undefined {
    const scName = claimClass(pvc);
    // No class, or a class that does not exist: the claim binds Immediate, so it is bound before
    // the pod is scheduled; not counted.
    if (scName === '') return undefined;
    const sc = this.handle.getObject('StorageClass', undefined, scName) as StorageClass | undefined;
    if (sc === undefined || !sc.provisioner) return undefined;
    // An in-tree provisioner needs translation to its CSI driver (not modelled: as if off).
    if (IN_TREE_TO_CSI_PROVISIONER.has(sc.provisioner)) return undefined;
    return { driver: sc.provisioner, volumeHandle: `${UNBOUND_VOLUME_ID_PREFIX}-${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name}` };
  }

  /** The node's VolumeAttachments (upstream: the informer's index on spec.nodeName), indexed once
   *  per scheduling cycle. */
  private attachmentsOn(state: CycleState, nodeName: string): readonly VolumeAttachment[] {
    let byNode = state.read<Map<string, VolumeAttachment[]>>(ATTACHMENTS_STATE_KEY);
    if (byNode === undefined) {
      byNode = new Map();
      for (const o of this.handle.listObjects('VolumeAttachment')) {
        const va = o as VolumeAttachment;
        const list = byNode.get(va.spec.nodeName);
        if (list === undefined) byNode.set(va.spec.nodeName, [va]);
        else list.push(va);
      }
      state.write(ATTACHMENTS_STATE_KEY, byNode);
    }
    return byNode.get(nodeName) ?? [];
  }

  /** An attachment's volume as the limits count it: attacher / the PersistentVolume's CSI handle. */
  private attachmentVolume(va: VolumeAttachment): { unique: string; driver: string } | undefined {
    const pvName = va.spec.source.persistentVolumeName;
    if (!va.spec.attacher || pvName === undefined) return undefined;
    const pv = this.handle.getObject('PersistentVolume', undefined, pvName) as PersistentVolume | undefined;
    const handle = pv?.spec.csi?.volumeHandle;
    if (!handle) return undefined;
    return { unique: csiVolumeUniqueName(va.spec.attacher, handle), driver: va.spec.attacher };
  }
}

export const newNodeVolumeLimits = (_args: unknown, handle: Handle): AnyPlugin => new NodeVolumeLimits(handle);
