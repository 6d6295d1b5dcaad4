// The external provisioner: the CSI external-provisioner sidecar of every CSI driver a StorageClass
// names, after sigs.k8s.io/sig-storage-lib-external-provisioner controller/controller.go
// (shouldProvision, provisionClaimOperation) and kubernetes-csi/external-provisioner
// pkg/controller/controller.go (Provision: the PersistentVolume it builds), v5 as paired with
// Kubernetes v1.35. A claim the PV controller has annotated with the driver
// (volume.kubernetes.io/storage-provisioner), not yet bound, of a class of that provisioner — and,
// for a WaitForFirstConsumer class, with the node the scheduler chose (volume.kubernetes.io/
// selected-node) — gets a Provisioning event, then, `volumeProvisionDelay` later (the driver's
// CreateVolume), its PersistentVolume `pvc-<claim uid>`: pre-bound to the claim (claimRef), the
// claim's request, access modes and volume mode, the class's reclaim policy (default Delete) and
// mount options, `spec.csi` of the driver, and node affinity on the segment of the driver's
// topology the volume is created in (see topology). A
// ProvisioningSucceeded event follows; the PV controller then binds the two.
// A volume it provisioned that the PV controller has marked Released, of reclaim policy Delete
// (shouldDelete), is deleted `volumeProvisionDelay` after (the driver's DeleteVolume), once no
// VolumeAttachment names it (upstream, the external-attacher's finalizer holds the deletion until
// the volume is detached).
// Not modelled: provisioning failures and rescheduling (removing selected-node), capacity, CSI
// parameters (fsType aside), drivers that pick another preferred segment, deletion failures, the provisioner's leader election. Every driver a class names is taken
// to be installed and running.
import type { EventRecorder } from '../api/events.js';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass, externalProvisioner } from '../api/storage.js';
import type { Store } from '../api/store.js';
import type { NodeSelectorTerm } from '../api/selector.js';
import type { CSINode, Node, PersistentVolume, PersistentVolumeClaim, StorageClass, VolumeAttachment } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';

export const COMPONENT = 'external-provisioner';

/** The fsType a CSI volume gets without `csi.storage.k8s.io/fstype` (external-provisioner's defaultFSType). */
const DEFAULT_FS_TYPE = 'ext4';

export class ExternalProvisioner {
  /** Volumes (by name) being deleted. */
  private readonly deleting = new Set<string>();
  /** Claims (by uid) whose volume is being created. */
  private readonly inFlight = new Set<string>();
  /** Claims (by uid) whose provisioning ended in a final error (ProvisioningFinished): not retried. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly provisionDelayMs: number,
  ) {}

  start(): void {
    this.store.watch<PersistentVolumeClaim>('PersistentVolumeClaim', COMPONENT, (ev) => this.maybeProvision(ev.object), (ev) => ev.type !== 'DELETED' && provisionerOf(ev.object) !== undefined && !ev.object.spec.volumeName);
    this.store.watch<PersistentVolume>('PersistentVolume', COMPONENT, (ev) => this.maybeDelete(ev.object.metadata.name), (ev) => ev.type !== 'DELETED' && shouldDelete(ev.object));
    this.store.watch<VolumeAttachment>('VolumeAttachment', COMPONENT, (ev) => this.maybeDelete(ev.object.spec.source.persistentVolumeName!), (ev) => ev.type === 'DELETED' && ev.object.spec.source.persistentVolumeName !== undefined);
  }

  /** shouldDelete, and no attachment left: DeleteVolume, then the PersistentVolume is deleted. */
  private maybeDelete(name: string): void {
    const pv = this.store.get<PersistentVolume>('PersistentVolume', undefined, name);
    if (pv === undefined || !shouldDelete(pv) || this.deleting.has(name) || this.attached(name)) return;
    this.deleting.add(name);
    this.sim.after(this.provisionDelayMs, COMPONENT, () => {
      this.deleting.delete(name);
      const current = this.store.get<PersistentVolume>('PersistentVolume', undefined, name);
      if (current !== undefined && current.metadata.uid === pv.metadata.uid && shouldDelete(current) && !this.attached(name)) this.store.delete('PersistentVolume', undefined, name, COMPONENT);
    });
  }

  private attached(pvName: string): boolean {
    for (const va of this.store.list<VolumeAttachment>('VolumeAttachment')) if (va.spec.source.persistentVolumeName === pvName) return true;
    return false;
  }

  /** shouldProvision, then provisionClaimOperation's start: the Provisioning event. */
  private maybeProvision(seen: PersistentVolumeClaim): void {
    const claim = this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', seen.metadata.namespace, seen.metadata.name);
    if (claim === undefined || claim.metadata.uid !== seen.metadata.uid) return;
    const uid = claim.metadata.uid!;
    if (this.inFlight.has(uid) || this.failed.has(uid)) return;
    const sc = this.shouldProvision(claim);
    if (sc === undefined) return;
    if (this.store.get<PersistentVolume>('PersistentVolume', undefined, volumeName(claim)) !== undefined) return;
    const key = `${claim.metadata.namespace ?? 'default'}/${claim.metadata.name}`;
    const driver = provisionerOf(claim)!;
    this.events.record(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`, driver);
    // csi-provisioner's Provision rejects a selector at once (a final error: no retry).
    if (claim.spec.selector != null) {
      this.failed.add(uid);
      this.events.record(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": claim Selector is not supported`, driver);
      return;
    }
    this.inFlight.add(uid);
    this.sim.after(this.provisionDelayMs, COMPONENT, () => {
      this.inFlight.delete(uid);
      this.createVolume(claim.metadata.namespace, claim.metadata.name, uid);
    });
  }

  /** shouldProvision: unbound, annotated with a provisioner whose class it is, and for a
   *  WaitForFirstConsumer class, with a selected node. Returns the class. */
  private shouldProvision(claim: PersistentVolumeClaim): StorageClass | undefined {
    if (claim.spec.volumeName) return undefined;
    const driver = provisionerOf(claim);
    const sc = this.store.get<StorageClass>('StorageClass', undefined, claimClass(claim));
    if (driver === undefined || sc === undefined || externalProvisioner(sc) !== driver) return undefined;
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) return undefined;
    return sc;
  }

  /** CreateVolume has returned: the PersistentVolume, if the claim still wants one. */
  private createVolume(namespace: string | undefined, name: string, uid: string): void {
    const claim = this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', namespace, name);
    if (claim === undefined || claim.metadata.uid !== uid) return;
    const sc = this.shouldProvision(claim);
    if (sc === undefined) return;
    const driver = provisionerOf(claim)!;
    const pvName = volumeName(claim);
    const affinity = this.topology(claim, driver, sc);
    const pv: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: driver } },
      spec: {
        capacity: { storage: claim.spec.resources?.requests?.storage ?? '0' },
        accessModes: [...(claim.spec.accessModes ?? [])],
        volumeMode: claim.spec.volumeMode ?? 'Filesystem',
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
        claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace ?? 'default', name, uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
        csi: { driver, volumeHandle: `${pvName}-handle`, fsType: sc.parameters?.['csi.storage.k8s.io/fstype'] ?? DEFAULT_FS_TYPE },
        ...(affinity ? { nodeAffinity: { required: { nodeSelectorTerms: [affinity] } } } : {}),
      },
      status: { phase: 'Pending' },
    };
    const r = this.store.create<PersistentVolume>(pv, COMPONENT);
    if (r.ok) this.events.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, driver);
  }

  /**
   * The volume's topology, as external-provisioner's GenerateAccessibilityRequirements (topology.go)
   * asks for it and a driver that takes the first preferred segment (as the EBS, GCE PD and Azure
   * disk drivers do) creates it: with a selected node, that node's values of the driver's topology
   * keys (its CSINode `topologyKeys`); without one (Immediate binding), one of the requisite
   * segments — the class's allowedTopologies, flattened, else every node's segment for the driver —
   * sorted, then shifted by the claim name's hash and StatefulSet index
   * (getPVCNameHashAndIndexOffset), so that a StatefulSet's claims go round the zones. None when
   * there is no segment.
   */
  private topology(claim: PersistentVolumeClaim, driver: string, sc: StorageClass): NodeSelectorTerm | undefined {
    const nodeName = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (nodeName) {
      const node = this.store.get<Node>('Node', undefined, nodeName);
      const segment = node && this.segmentOf(node, driver);
      return segment ? termOf(segment) : undefined;
    }
    const requisite = sc.allowedTopologies?.length ? flattenTopologies(sc.allowedTopologies) : this.aggregateTopologies(driver);
    const terms = [...new Map(requisite.map((t) => [segmentKey(t), t])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, t]) => t);
    if (terms.length === 0) return undefined;
    const { hash, index } = pvcNameHashAndIndexOffset(claim.metadata.name);
    return termOf(terms[((hash + index) >>> 0) % terms.length]!);
  }

  /** A node's segment for the driver: its values of the driver's CSINode topology keys (undefined
   *  when the node has no such CSINode entry, no keys, or lacks one of the labels). */
  private segmentOf(node: Node, driver: string): Record<string, string> | undefined {
    const keys = this.store.get<CSINode>('CSINode', undefined, node.metadata.name)?.spec.drivers.find((d) => d.name === driver)?.topologyKeys ?? [];
    const labels = node.metadata.labels ?? {};
    if (keys.length === 0 || keys.some((k) => labels[k] === undefined)) return undefined;
    return Object.fromEntries(keys.map((k) => [k, labels[k]!]));
  }

  /** aggregateTopologies without a selected node: the segment of every node that has one. */
  private aggregateTopologies(driver: string): Array<Record<string, string>> {
    const out: Array<Record<string, string>> = [];
    for (const node of this.store.list<Node>('Node')) {
      const segment = this.segmentOf(node, driver);
      if (segment) out.push(segment);
    }
    return out;
  }
}

/** flatten (topology.go): each allowedTopologies term becomes the segments of every combination
 *  of its expressions' values. */
function flattenTopologies(terms: NonNullable<StorageClass['allowedTopologies']>): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const term of terms) {
    let partial: Array<Record<string, string>> = [];
    for (const e of term.matchLabelExpressions ?? []) {
      const next: Array<Record<string, string>> = [];
      for (const v of e.values) {
        if (partial.length === 0) next.push({ [e.key]: v });
        else for (const old of partial) next.push({ ...old, [e.key]: v });
      }
      partial = next;
    }
    out.push(...partial);
  }
  return out;
}

/** topologyTerm.hash: "key#value" per segment, sorted, joined by ",": the order terms sort in. */
function segmentKey(t: Record<string, string>): string {
  return Object.keys(t)
    .map((k) => `${k}#${t[k]}`)
    .sort()
    .join(',');
}

function termOf(segment: Record<string, string>): NodeSelectorTerm {
  return { matchExpressions: Object.keys(segment).sort().map((key) => ({ key, operator: 'In' as const, values: [segment[key]!] })) };
}

/**
 * getPVCNameHashAndIndexOffset (external-provisioner topology.go, after pkg/volume/util/util.go):
 * a name ending in "-<n>" is a StatefulSet's claim: index n, and only the part after the dash
 * before it is hashed (ClaimName-StatefulSetName-Id hashes StatefulSetName); the hash is 32-bit
 * FNV-1 (Go's fnv.New32) of the UTF-8 bytes.
 */
export function pvcNameHashAndIndexOffset(pvcName: string): { hash: number; index: number } {
  let hashString = pvcName;
  let index = 0;
  const lastDash = pvcName.lastIndexOf('-');
  if (lastDash !== -1) {
    const id = pvcName.slice(lastDash + 1);
    if (/^\d+$/.test(id) && Number(id) <= 0xffffffff) {
      index = Number(id);
      hashString = pvcName.slice(0, lastDash);
      const dash = hashString.lastIndexOf('-');
      if (dash !== -1) hashString = hashString.slice(dash + 1);
    }
  }
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(hashString)) hash = (Math.imul(hash, 0x01000193) ^ byte) >>> 0;
  return { hash, index };
}

/** shouldDelete (the library's): Released, reclaim policy Delete, provisioned by a driver
 *  (every driver's provisioner runs here), not being deleted. */
function shouldDelete(pv: PersistentVolume): boolean {
  return pv.status.phase === 'Released' && pv.spec.persistentVolumeReclaimPolicy === 'Delete' && pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && pv.metadata.deletionTimestamp === undefined;
}

/** The provisioner a claim is annotated for (the GA annotation, else the beta one). */
function provisionerOf(claim: PersistentVolumeClaim): string | undefined {
  const a = claim.metadata.annotations;
  return a?.[ANN_STORAGE_PROVISIONER] ?? a?.[ANN_BETA_STORAGE_PROVISIONER];
}

/** external-provisioner's volume name: "pvc-" + the claim's uid (the default --volume-name-prefix). */
function volumeName(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid}`;
}
