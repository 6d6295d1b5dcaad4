// Which pre-provisioned volume a claim gets: the PersistentVolume controller's volume index and
// the matcher it shares with the scheduler's VolumeBinding plugin.
// Follows pkg/controller/volume/persistentvolume/index.go (findByClaim,
// allPossibleMatchingAccessModes, byAccessModes) and staging/src/k8s.io/component-helpers/
// storage/volume/pv_helpers.go (FindMatchingVolume, CheckVolumeModeMismatches, CheckNodeAffinity),
// v1.35: the PV controller's path (no node) and the scheduler's (a node: the volume's node
// affinity must hold there and its access modes must cover the claim's; volumes already chosen
// for the pod's other claims are excluded). Not modelled: the VolumeAttributesClass check.
//
// Where upstream's order is Go map order (the index's keys, and the volumes under one key), the
// order here is the store's (creation order): among equal candidates the first created wins.
import { RequiredNodeAffinity, labelSelectorAsSelector } from './selector.js';
import { checkAccessModes, claimClass, isVolumeBoundToClaim, storageOf, volumeClass } from './storage.js';
import type { PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim } from './types.js';

/** v1helper.GetAccessModesAsString: the modes in a fixed order, abbreviated, comma-joined. */
const MODE_ORDER: ReadonlyArray<[PersistentVolumeAccessMode, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

export function accessModesAsString(modes: readonly PersistentVolumeAccessMode[] | undefined): string {
  if (modes === undefined) return '';
  let key = modeKeys.get(modes);
  if (key === undefined) {
    const set = new Set(modes);
    modeKeys.set(modes, (key = MODE_ORDER.filter(([m]) => set.has(m)).map(([, s]) => s).join(',')));
  }
  return key;
}

/** accessModesAsString by list: a stored volume's list is never changed in place. */
const modeKeys = new WeakMap<readonly PersistentVolumeAccessMode[], string>();

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
 * CheckNodeAffinity (pv_helpers.go): a volume without spec.nodeAffinity.required fits every node;
 * otherwise its terms must match a node with these labels (MatchNodeSelectorTerms with the lazy
 * error selector: an invalid term never matches, a valid one still can). The node has only
 * labels there, so a matchFields term on metadata.name compares against "".
 */
export function checkNodeAffinity(pv: PersistentVolume, nodeLabels: Record<string, string> | undefined): boolean {
  const required = pv.spec.nodeAffinity?.required;
  if (required == null) return true;
  return RequiredNodeAffinity.ofNodeSelector(required).match({ name: '', labels: nodeLabels ?? {} });
}

/** The scheduler's side of FindMatchingVolume: the candidate node's labels, and the volumes
 *  already chosen for the pod's other claims (excludedVolumes). */
export interface SchedulerMatch {
  nodeLabels: Record<string, string>;
  excluded?: ReadonlySet<string>;
}

/**
 * FindMatchingVolume: a volume pre-bound to the claim (claimRef names it) wins outright (in the
 * scheduler's path only if its node affinity holds on the node, else nothing matches); otherwise
 * the smallest Available volume of the claim's class whose labels match the claim's selector and
 * whose capacity covers the request — in the scheduler's path also fitting the node and offering
 * the claim's access modes. In the PV controller's path (no node) with delayBinding
 * (WaitForFirstConsumer), only pre-bound volumes are returned.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean, node?: SchedulerMatch): PersistentVolume | undefined {
  const requested = storageOf(claim.spec.resources?.requests);
  const requestedClass = claimClass(claim);
  let selector: ReturnType<typeof labelSelectorAsSelector> | undefined;
  if (claim.spec.selector) {
    selector = labelSelectorAsSelector(claim.spec.selector);
    if (!selector.ok) return undefined;
  }
  let smallest: PersistentVolume | undefined;
  let smallestQty: ReturnType<typeof storageOf> | undefined;
  for (const volume of volumes) {
    if (node?.excluded?.has(volume.metadata.name)) continue;
    if (volume.spec.claimRef && !isVolumeBoundToClaim(volume, claim)) continue;
    const qty = storageOf(volume.spec.capacity);
    if (qty.cmp(requested) < 0) continue;
    if (volumeModeMismatch(claim, volume)) continue;
    if (volume.metadata.deletionTimestamp !== undefined) continue;
    // Scheduler path: the volume's node affinity must hold on the node.
    const nodeAffinityValid = node === undefined || checkNodeAffinity(volume, node.nodeLabels);
    if (isVolumeBoundToClaim(volume, claim)) return nodeAffinityValid ? volume : undefined;
    if (node === undefined && delayBinding) continue;
    // Volumes not yet Available are skipped: the controller will make them so, and binding them
    // now would likely conflict.
    if (volume.status?.phase !== 'Available') continue;
    if (selector?.ok && !selector.selector.matches(volume.metadata.labels ?? {})) continue;
    if (volumeClass(volume) !== requestedClass) continue;
    if (!nodeAffinityValid) continue;
    if (node !== undefined && !checkAccessModes(claim, volume)) continue;
    if (smallest === undefined || smallestQty!.cmp(qty) > 0) {
      smallest = volume;
      smallestQty = qty;
    }
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
