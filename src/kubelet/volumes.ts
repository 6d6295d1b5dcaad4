// The kubelet volume manager's gate before a pod's containers start: every persistentVolumeClaim
// volume must be bound, and an attachable (CSI) volume attached to this node — listed in
// node.status.volumesAttached by the attach/detach controller, and its VolumeAttachment reporting
// status.attached — before the pod leaves ContainerCreating. Follows pkg/kubelet/volumemanager/
// volume_manager.go (WaitForAttachAndMount), reconciler (VerifyControllerAttachedVolume) and
// pkg/volume/csi/csi_attacher.go (WaitForAttach), v1.35, at this level only: mounting takes
// no time. Like v1.35's SyncPod (pkg/kubelet/kubelet.go), a wait that merely times out (2m3s,
// wait.Interrupted) records no FailedMount event, so none is recorded here.
import { attacherOf, attachmentName, podClaimNames, uniqueVolumeName } from '../api/storage.js';
import type { Store } from '../api/store.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, VolumeAttachment } from '../api/types.js';

/** Whether the pod's claims are bound and their attachable volumes attached to `nodeName`. */
export function podVolumesReady(store: Store, pod: Pod, nodeName: string): boolean {
  for (const claimName of podClaimNames(pod)) {
    const claim = store.get<PersistentVolumeClaim>('PersistentVolumeClaim', pod.metadata.namespace, claimName);
    if (!claim || claim.status.phase !== 'Bound' || !claim.spec.volumeName) return false;
    const pv = store.get<PersistentVolume>('PersistentVolume', undefined, claim.spec.volumeName);
    if (!pv) return false;
    if (attacherOf(pv) === undefined) continue;
    const reported = store.get<Node>('Node', undefined, nodeName)?.status.volumesAttached ?? [];
    if (!reported.some((v) => v.name === uniqueVolumeName(pv))) return false;
    const va = store.get<VolumeAttachment>('VolumeAttachment', undefined, attachmentName(pv, nodeName));
    if (!va || va.spec.nodeName !== nodeName || va.status?.attached !== true || va.metadata.deletionTimestamp !== undefined) return false;
  }
  return true;
}
