// Storage API helpers and defaulting: what the API server fills in for PersistentVolumes,
// PersistentVolumeClaims and StorageClasses, and the small predicates the PV controller, the
// attach/detach controller, the kubelet, the scheduler's volume plugins and the invariants share.
// Follows pkg/apis/core/v1/defaults.go (SetDefaults_PersistentVolume, _PersistentVolumeClaim),
// pkg/apis/storage/v1/defaults.go (SetDefaults_StorageClass), plugin/pkg/admission/storage/
// storageclass/setdefault/admission.go (DefaultStorageClass), staging/src/k8s.io/component-helpers/
// storage/volume/pv_helpers.go and helpers.go (GetPersistentVolumeClaimClass, IsVolumeBoundToClaim,
// CheckAccessModes) and pkg/volume/util/util.go (IsMultiAttachAllowed), v1.35.
import { createHash } from 'node:crypto';
import { parseQuantityValue, Quantity } from './quantity.js';
import type { AdmissionPlugin } from './store.js';
import type { AnyObject, CSINode, PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, Pod, StorageClass, Volume } from './types.js';
import { isControlledBy } from './types.js';

/** storageclass.kubernetes.io/is-default-class (pkg/apis/storage/v1/util/helpers.go). */
export const ANN_IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_IS_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** The deprecated beta storage class annotation, still read before spec.storageClassName. */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** The node the scheduler chose for a WaitForFirstConsumer claim to be provisioned on
 *  (volume.AnnSelectedNode). */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The provisioner asked to provision a claim (the PV controller's setClaimProvisioner). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** The provisioner that made a volume (set by the external provisioner). */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** volume.NotSupportedProvisioner: a class of pre-provisioned volumes only. */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

/** Defaulting for the storage kinds, and the DefaultStorageClass admission plugin on claim creation. */
export const storageDefaulting: AdmissionPlugin = (op, obj, _old, store) => {
  switch (obj.kind) {
    case 'PersistentVolume':
      return defaultVolume(obj);
    case 'PersistentVolumeClaim': {
      const claim = defaultClaim(obj);
      if (op !== 'CREATE' || claim.spec.storageClassName !== undefined || claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return claim;
      const def = defaultStorageClass([...store.list<StorageClass>('StorageClass')]);
      return def ? { ...claim, spec: { ...claim.spec, storageClassName: def.metadata.name } } : claim;
    }
    case 'StorageClass':
      return { ...obj, reclaimPolicy: obj.reclaimPolicy ?? 'Delete', volumeBindingMode: obj.volumeBindingMode ?? 'Immediate' };
    default:
      return obj;
  }
};

function defaultVolume(pv: PersistentVolume): AnyObject {
  return {
    ...pv,
    spec: { ...pv.spec, persistentVolumeReclaimPolicy: pv.spec.persistentVolumeReclaimPolicy ?? 'Retain', volumeMode: pv.spec.volumeMode ?? 'Filesystem' },
    status: { ...pv.status, phase: pv.status?.phase ?? 'Pending' },
  };
}

function defaultClaim(pvc: PersistentVolumeClaim): PersistentVolumeClaim {
  return { ...pvc, spec: { ...pvc.spec, volumeMode: pvc.spec.volumeMode ?? 'Filesystem' }, status: { ...pvc.status, phase: pvc.status?.phase ?? 'Pending' } };
}

/** GetDefaultClass: among classes marked default, the newest; ties by name (upstream sorts by
 *  creationTimestamp, newest first, then name). */
export function defaultStorageClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const isDefault = (c: StorageClass) => c.metadata.annotations?.[ANN_IS_DEFAULT_CLASS] === 'true' || c.metadata.annotations?.[ANN_BETA_IS_DEFAULT_CLASS] === 'true';
  const defaults = classes.filter(isDefault);
  defaults.sort((a, b) => (b.metadata.creationTimestamp ?? 0) - (a.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return defaults[0];
}

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec.storageClassName ?? '';
}

/** GetPersistentVolumeClass: the beta annotation, else spec.storageClassName, else "". */
export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec.storageClassName ?? '';
}

/** IsVolumeBoundToClaim: claimRef names the claim (and its UID, when the ref has one). */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? '') !== (claim.metadata.namespace ?? 'default')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/**
 * GetBindVolumeToClaim (pv_helpers.go): the volume with its claimRef set to the claim (name,
 * namespace, UID, resourceVersion) and the bound-by-controller annotation unless the user had
 * pre-bound it; `dirty` when either changed. The PV controller's bind and the scheduler's
 * VolumeBinding (AssumePodVolumes) both build the volume they write with it.
 */
export function getBindVolumeToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): { volume: PersistentVolume; dirty: boolean } {
  const ref = volume.spec.claimRef;
  const namespace = claim.metadata.namespace ?? 'default';
  const setByController = !isVolumeBoundToClaim(volume, claim);
  const refDirty = !ref || ref.name !== claim.metadata.name || ref.namespace !== namespace || ref.uid !== claim.metadata.uid;
  const annDirty = setByController && volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined;
  if (!refDirty && !annDirty) return { volume, dirty: false };
  const annotations = { ...volume.metadata.annotations };
  if (annDirty) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
  const claimRef = refDirty
    ? { kind: 'PersistentVolumeClaim', namespace, name: claim.metadata.name, uid: claim.metadata.uid!, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion! }
    : ref!;
  return { volume: { ...volume, metadata: { ...volume.metadata, annotations }, spec: { ...volume.spec, claimRef } }, dirty: true };
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function checkAccessModes(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec.accessModes ?? []);
  return (claim.spec.accessModes ?? []).every((m) => offered.has(m));
}

const ZERO_STORAGE = Quantity.fromValue(0);
/** storageOf by resource list: stored objects are never changed in place, and a Quantity is
 *  immutable, so a list parses once (the PV controller and VolumeBinding compare the same
 *  volumes' capacities on every sync). */
const storageByList = new WeakMap<object, Quantity>();

/** A storage quantity (capacity.storage, requests.storage); zero when absent or invalid. */
export function storageOf(list: Record<string, string | number> | undefined): Quantity {
  if (list === undefined) return ZERO_STORAGE;
  let q = storageByList.get(list);
  if (q !== undefined) return q;
  const v = list.storage;
  const r = v === undefined ? undefined : parseQuantityValue(v);
  q = r?.ok ? r.quantity : ZERO_STORAGE;
  storageByList.set(list, q);
  return q;
}

/**
 * IsMultiAttachAllowed for a PersistentVolume (pkg/volume/util/util.go): a volume with no access
 * modes, or with ReadWriteMany or ReadOnlyMany among them, may be attached to several nodes;
 * ReadWriteOnce / ReadWriteOncePod alone may not.
 */
export function isMultiAttachAllowed(pv: PersistentVolume): boolean {
  const modes = pv.spec.accessModes ?? [];
  if (modes.length === 0) return true;
  return modes.some((m: PersistentVolumeAccessMode) => m === 'ReadWriteMany' || m === 'ReadOnlyMany');
}

/** Attachable volumes are those of a CSI driver here (in-tree attachable plugins are migrated to
 *  CSI upstream); the driver name is the VolumeAttachment's attacher. */
export function attacherOf(pv: PersistentVolume): string | undefined {
  return pv.spec.csi?.driver;
}

/** getAttachmentName (pkg/volume/csi/csi_attacher.go): "csi-" + hex SHA-256 of volume handle,
 *  driver and node name. */
export function attachmentName(pv: PersistentVolume, nodeName: string): string {
  const csi = pv.spec.csi;
  return `csi-${createHash('sha256').update(`${csi?.volumeHandle ?? pv.metadata.name}${csi?.driver ?? ''}${nodeName}`).digest('hex')}`;
}

/** The unique name of an attachable volume, as node.status.volumesAttached lists it
 *  (pkg/volume/csi/csi_plugin.go GetVolumeName: driver^volumeHandle, under kubernetes.io/csi/). */
export function uniqueVolumeName(pv: PersistentVolume): string {
  return `kubernetes.io/csi/${pv.spec.csi?.driver ?? ''}^${pv.spec.csi?.volumeHandle ?? pv.metadata.name}`;
}

/** Names of the claims a pod's volumes use, in volume order: persistentVolumeClaim volumes and
 *  generic ephemeral volumes (their claims are <pod>-<volume>). */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec.volumes ?? []) {
    const claim = volumeClaim(pod, v);
    if (claim?.name) out.push(claim.name);
  }
  return out;
}

/** The claim a volume uses, as upstream's volume code resolves it (binder.go isVolumeBound,
 *  volume_binding.go podHasPVCs, csi.go filterAttachableVolumes): a persistentVolumeClaim's, or a
 *  generic ephemeral volume's <pod>-<volume>; none for other sources. */
export function volumeClaim(pod: Pod, v: Volume): { name: string; ephemeral: boolean } | undefined {
  if (v.persistentVolumeClaim != null) return { name: v.persistentVolumeClaim.claimName, ephemeral: false };
  if (v.ephemeral != null) return { name: ephemeralClaimName(pod, v), ephemeral: true };
  return undefined;
}

/** ephemeral.VolumeClaimName (component-helpers/storage/ephemeral): the claim of a generic
 *  ephemeral volume is named <pod name>-<volume name>. */
export function ephemeralClaimName(pod: Pod, v: Volume): string {
  return `${pod.metadata.name}-${v.name}`;
}

/** ephemeral.VolumeIsForPod: the claim of a generic ephemeral volume must be controlled by the
 *  pod (same namespace, controller ownerReference with the pod's uid); the error text, or null. */
export function ephemeralVolumeIsForPod(pod: Pod, pvc: PersistentVolumeClaim): string | null {
  const ns = pod.metadata.namespace ?? 'default';
  const pvcNs = pvc.metadata.namespace ?? 'default';
  if (pvcNs !== ns || pod.metadata.uid === undefined || !isControlledBy(pvc, pod.metadata.uid)) return `PVC ${pvcNs}/${pvc.metadata.name} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`;
  return null;
}

/**
 * The per-driver volume limits of a node's CSINode (nodevolumelimits/csi.go getVolumeLimits):
 * driver name → spec.drivers[].allocatable.count, for the drivers that report one. No CSINode, or
 * no driver with a count, is no limit at all.
 */
export function csiNodeVolumeLimits(csiNode: CSINode | undefined): Map<string, number> {
  const limits = new Map<string, number>();
  for (const d of csiNode?.spec.drivers ?? []) {
    const count = d.allocatable?.count;
    if (typeof count === 'number') limits.set(d.name, count);
  }
  return limits;
}

/** The CSI driver each in-tree provisioner csi-translation-lib migrates stands for
 *  (IsMigratableIntreePluginByName, GetCSINameFromInTreeName; CSI migration is GA and always on
 *  for these in v1.35). Its keys are the migratable in-tree provisioners. */
export const IN_TREE_TO_CSI_PROVISIONER: ReadonlyMap<string, string> = new Map([
  ['kubernetes.io/aws-ebs', 'ebs.csi.aws.com'],
  ['kubernetes.io/gce-pd', 'pd.csi.storage.gke.io'],
  ['kubernetes.io/azure-disk', 'disk.csi.azure.com'],
  ['kubernetes.io/azure-file', 'file.csi.azure.com'],
  ['kubernetes.io/cinder', 'cinder.csi.openstack.org'],
  ['kubernetes.io/vsphere-volume', 'csi.vsphere.vmware.com'],
  ['kubernetes.io/portworx-volume', 'pxd.portworx.com'],
]);

/**
 * The external provisioner a class's claims go to (pv_controller.go findProvisionablePlugin with
 * provisionClaimOperationExternal's CSI name): a migrated in-tree name stands for its CSI driver;
 * undefined for "" and for any other in-tree name (kubernetes.io/no-provisioner among them: no
 * provisionable plugin in v1.35).
 */
export function externalProvisioner(sc: StorageClass): string | undefined {
  const name = IN_TREE_TO_CSI_PROVISIONER.get(sc.provisioner) ?? sc.provisioner;
  return name === '' || name.startsWith('kubernetes.io/') ? undefined : name;
}

/** The key under which the CSI limits count a volume: driver "/" volume handle (csi.go
 *  filterAttachableVolumes' volumeUniqueName). */
export function csiVolumeUniqueName(driver: string, volumeHandle: string): string {
  return `${driver}/${volumeHandle}`;
}

/**
 * v1helper.MatchTopologySelectorTerms (pkg/apis/core/v1/helper/helpers.go): an empty (or absent) list matches every node; otherwise
 * some term must match, a term with no expressions matching nothing, and a term's expressions
 * all holding (the node has the key, with a value among the expression's values). An expression
 * with no values cannot be made into a selector (labels.NewRequirement rejects an empty In): its
 * term matches nothing.
 */
export function matchTopologySelectorTerms(terms: StorageClass['allowedTopologies'], labels: Record<string, string>): boolean {
  if (terms === undefined || terms.length === 0) return true;
  return terms.some((term) => {
    const exprs = term.matchLabelExpressions ?? [];
    if (exprs.length === 0) return false;
    return exprs.every((e) => e.values.length > 0 && labels[e.key] !== undefined && e.values.includes(labels[e.key]!));
  });
}
