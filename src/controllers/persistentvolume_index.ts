// The PersistentVolume controller's volume index: which pre-provisioned volume a claim gets.
// Follows pkg/controller/volume/persistentvolume/index.go (findByClaim,
// allPossibleMatchingAccessModes, byAccessModes) and staging/src/k8s.io/component-helpers/
// storage/volume/pv_helpers.go (FindMatchingVolume, CheckVolumeModeMismatches), v1.35, in the
// PV controller's path (no node: the scheduler's VolumeBinding path is not modelled yet).
//
// Where upstream's order is Go map order (the index's keys, and the volumes under one key), the
// order here is the store's (creation order): among equal candidates the first created wins.
import { labelSelectorAsSelector } from '../api/selector.js';
import { claimClass, isVolumeBoundToClaim, storageOf, volumeClass } from '../api/storage.js';
import type { PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim } from '../api/types.js';

/** v1helper.GetAccessModesAsString: the modes in a fixed order, abbreviated, comma-joined. */
const MODE_ORDER: ReadonlyArray<[PersistentVolumeAccessMode, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

export function accessModesAsString(modes: readonly PersistentVolumeAccessMode[] | undefined): string {
  const set = new Set(modes ?? []);
  return MODE_ORDER.filter(([m]) => set.has(m)).map(([, s]) => s).join(',');
}

function modesFromString(key: string): PersistentVolumeAccessMode[] {
  const parts = new Set(key.split(','));
  return MODE_ORDER.filter(([, s]) => parts.has(s)).map(([m]) => m);
}

/** AccessModesContainedInAll: every requested mode is among the indexed ones. */
function containedInAll(indexed: readonly PersistentVolumeAccessMode[], requested: readonly PersistentVolumeAccessMode[]): boolean {
  return requested.every((m) => indexed.includes(m));
}

/**
 * allPossibleMatchingAccessModes: the index keys (sets of access modes present among the volumes)
 * that contain every requested mode, fewest modes first.
 */
export function allPossibleMatchingAccessModes(volumes: readonly PersistentVolume[], requested: readonly PersistentVolumeAccessMode[]): string[] {
  const keys: string[] = [];
  for (const v of volumes) {
    const key = accessModesAsString(v.spec.accessModes);
    if (!keys.includes(key)) keys.push(key);
  }
  const matched = keys.filter((k) => containedInAll(modesFromString(k), requested));
  // Array.prototype.sort is stable: keys of equal length keep first-seen order.
  return matched.sort((a, b) => modesFromString(a).length - modesFromString(b).length);
}

/** CheckVolumeModeMismatches: an unset volumeMode counts as Filesystem on either side. */
function volumeModeMismatch(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (claim.spec.volumeMode ?? 'Filesystem') !== (pv.spec.volumeMode ?? 'Filesystem');
}

/**
 * FindMatchingVolume (PV controller path, node == nil): a volume pre-bound to the claim (claimRef
 * names it) wins outright; otherwise the smallest Available volume of the claim's class whose
 * labels match the claim's selector and whose capacity covers the request. With delayBinding
 * (WaitForFirstConsumer), only pre-bound volumes are returned.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const requested = storageOf(claim.spec.resources?.requests);
  const requestedClass = claimClass(claim);
  let selector: ReturnType<typeof labelSelectorAsSelector> | undefined;
  if (claim.spec.selector) {
    selector = labelSelectorAsSelector(claim.spec.selector);
    if (!selector.ok) return undefined;
  }
  let smallest: PersistentVolume | undefined;
  for (const volume of volumes) {
    if (volume.spec.claimRef && !isVolumeBoundToClaim(volume, claim)) continue;
    const qty = storageOf(volume.spec.capacity);
    if (qty.cmp(requested) < 0) continue;
    if (volumeModeMismatch(claim, volume)) continue;
    if (volume.metadata.deletionTimestamp !== undefined) continue;
    if (isVolumeBoundToClaim(volume, claim)) return volume;
    if (delayBinding) continue;
    // Volumes not yet Available are skipped: the controller will make them so, and binding them
    // now would likely conflict.
    if (volume.status?.phase !== 'Available') continue;
    if (selector?.ok && !selector.selector.matches(volume.metadata.labels ?? {})) continue;
    if (volumeClass(volume) !== requestedClass) continue;
    if (smallest === undefined || storageOf(smallest.spec.capacity).cmp(qty) > 0) smallest = volume;
  }
  return smallest;
}

/** findByClaim / findBestMatchForClaim: search the access-mode groups fewest modes first, and
 *  return the first group's best match. */
export function findBestMatchForClaim(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  for (const key of allPossibleMatchingAccessModes(volumes, claim.spec.accessModes ?? [])) {
    const group = volumes.filter((v) => accessModesAsString(v.spec.accessModes) === key);
    const best = findMatchingVolume(claim, group, delayBinding);
    if (best) return best;
  }
  return undefined;
}
