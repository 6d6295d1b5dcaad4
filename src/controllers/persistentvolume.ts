// The PersistentVolume controller's binder: binds Immediate claims to pre-provisioned volumes,
// honours volumes pre-bound by claimRef and claims pre-bound by volumeName, and keeps the claim
// and volume phases (Pending/Bound/Lost; Pending/Available/Bound/Released).
// Follows pkg/controller/volume/persistentvolume/pv_controller.go (syncClaim, syncUnboundClaim,
// syncBoundClaim, syncVolume, bind, unbindVolume, updateClaimStatus, updateVolumePhase) and
// pv_controller_base.go (the claim and volume queues; resync every pvClaimBinderSyncPeriod), v1.35.
// A claim no volume matches, of a class with a provisioner, is handed to the external provisioner
// (provisionClaim, provisionClaimOperationExternal: the storage-provisioner annotations and an
// ExternalProvisioning event at every sync until a volume exists; src/controllers/provisioner.ts
// creates it); a WaitForFirstConsumer claim only once the scheduler has chosen its node
// (AnnSelectedNode, IsDelayBindingProvisioning).
// Reclaiming: a released volume of policy Delete that an external provisioner made is left to it
// (deleteVolumeOperation: "the volume waits for deletion by an external plugin"); any other
// released volume stays Released (Recycle and in-tree deleters are not modelled).
// Not modelled: the pvc-protection / pv-protection finalizers, volume expansion. The resync ticker starts with
// the first PersistentVolume or claim the controller sees (at k × the period), so a cluster
// without storage objects sees nothing of this controller.
import type { EventRecorder } from '../api/events.js';
import {
  ANN_BETA_STORAGE_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  defaultStorageClass,
  externalProvisioner,
  getBindVolumeToClaim,
  isVolumeBoundToClaim,
  podClaimNames,
} from '../api/storage.js';
import type { Store } from '../api/store.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import { findBestMatchForClaim } from '../api/volume_index.js';
import { type ReconcileResult, WorkQueue } from './workqueue.js';

export const COMPONENT = 'persistentvolume-controller';

export const MSG_NO_VOLUME_NO_CLASS = 'no persistent volumes available for this claim and no storage class is set';
export const MSG_WAIT_FOR_FIRST_CONSUMER = 'waiting for first consumer to be created before binding';

type ClaimPhase = NonNullable<PersistentVolumeClaim['status']['phase']>;
type VolumePhase = NonNullable<PersistentVolume['status']['phase']>;

export class PersistentVolumeController {
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private resyncStarted = false;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly syncPeriodMs: number,
  ) {
    this.claimQueue = new WorkQueue(sim, COMPONENT, (key) => this.syncClaimKey(key));
    this.volumeQueue = new WorkQueue(sim, COMPONENT, (key) => this.syncVolumeKey(key));
  }

  start(): void {
    this.store.watch<PersistentVolume>('PersistentVolume', COMPONENT, (ev) => {
      this.startResync();
      this.volumeQueue.add(ev.object.metadata.name);
    });
    this.store.watch<PersistentVolumeClaim>('PersistentVolumeClaim', COMPONENT, (ev) => {
      this.startResync();
      const claim = ev.object;
      if (ev.type !== 'DELETED') this.claimQueue.add(claimKey(claim));
      // deleteClaim: the volume the claim was bound to is synced at once (it becomes Released).
      else if (claim.spec.volumeName) this.volumeQueue.add(claim.spec.volumeName);
    });
  }

  /** resync(): every claim, then every volume, enqueued each period (pv_controller_base.go). */
  private startResync(): void {
    if (this.resyncStarted) return;
    this.resyncStarted = true;
    const tick = () => {
      for (const c of this.store.list<PersistentVolumeClaim>('PersistentVolumeClaim')) this.claimQueue.add(claimKey(c));
      for (const v of this.store.list<PersistentVolume>('PersistentVolume')) this.volumeQueue.add(v.metadata.name);
      this.sim.after(this.syncPeriodMs, COMPONENT, tick);
    };
    const next = (Math.floor(this.sim.nowMs / this.syncPeriodMs) + 1) * this.syncPeriodMs;
    this.sim.at(next, COMPONENT, tick);
  }

  // ---- claims ----------------------------------------------------------------------------------

  private syncClaimKey(key: string): ReconcileResult {
    const [namespace, name] = key.split('/') as [string, string];
    const claim = this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', namespace, name);
    if (!claim) return 'done';
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) this.syncUnboundClaim(claim);
    else this.syncBoundClaim(claim);
    return 'done';
  }

  private volumes(): PersistentVolume[] {
    return [...this.store.list<PersistentVolume>('PersistentVolume')];
  }

  /** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
  private isDelayBinding(claim: PersistentVolumeClaim): boolean {
    const name = claim.spec.storageClassName;
    if (!name) return false;
    return this.store.get<StorageClass>('StorageClass', undefined, name)?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  private syncUnboundClaim(claim: PersistentVolumeClaim): void {
    if (!claim.spec.volumeName) {
      const delayBinding = this.isDelayBinding(claim);
      const volume = findBestMatchForClaim(claim, this.volumes(), delayBinding);
      if (volume) return this.bind(volume, claim);
      // RetroactiveDefaultStorageClass (GA in v1.28): a claim with no class at all gets the
      // default class created after it.
      if (claim.spec.storageClassName === undefined && claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] === undefined && this.assignDefaultStorageClass(claim)) return;
      if (delayBinding && claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) this.emitEventForUnboundDelayBindingClaim(claim);
      else if (claimClass(claim) !== '') return this.provisionClaim(claim);
      else this.events.record(claim, 'Normal', 'FailedBinding', MSG_NO_VOLUME_NO_CLASS, COMPONENT);
      this.updateClaimStatus(claim, 'Pending', undefined);
      return;
    }
    // The user asked for a specific volume.
    const volume = this.store.get<PersistentVolume>('PersistentVolume', undefined, claim.spec.volumeName);
    if (!volume) {
      this.updateClaimStatus(claim, 'Pending', undefined);
      return;
    }
    if (!volume.spec.claimRef || isVolumeBoundToClaim(volume, claim)) return this.bind(volume, claim);
    if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) return; // upstream: an error, retried
    this.updateClaimStatus(claim, 'Pending', undefined);
    this.events.record(claim, 'Warning', 'FailedBinding', `volume "${volume.metadata.name}" already bound to a different claim.`, COMPONENT);
  }

  /**
   * provisionClaim → findProvisionablePlugin → provisionClaimOperationExternal: a missing class,
   * or an in-tree provisioner name with no CSI migration (kubernetes.io/no-provisioner among them),
   * is a ProvisioningFailed Warning; otherwise the claim gets the storage-provisioner annotations
   * (setClaimProvisioner: written once) and an ExternalProvisioning event (at every sync).
   */
  private provisionClaim(claim: PersistentVolumeClaim): void {
    const className = claimClass(claim);
    const sc = this.store.get<StorageClass>('StorageClass', undefined, className);
    if (sc === undefined) return this.events.record(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`, COMPONENT);
    const provisioner = externalProvisioner(sc);
    // An in-tree name with no provisionable plugin (all in-tree provisioners are gone in v1.35).
    if (provisioner === undefined) return this.events.record(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${sc.provisioner}`, COMPONENT);
    let current = claim;
    if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
      const annotations = { ...claim.metadata.annotations, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
      const r = this.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, annotations } }, COMPONENT, 'update');
      if (!r.ok) return;
      current = r.object;
    }
    this.events.record(
      current,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      COMPONENT,
    );
  }

  private assignDefaultStorageClass(claim: PersistentVolumeClaim): boolean {
    const def = defaultStorageClass([...this.store.list<StorageClass>('StorageClass')]);
    if (!def) return false;
    return this.store.update<PersistentVolumeClaim>({ ...claim, spec: { ...claim.spec, storageClassName: def.metadata.name } }, COMPONENT, 'update').ok;
  }

  /** emitEventForUnboundDelayBindingClaim: WaitForPodScheduled naming the unscheduled pods that
   *  use the claim (findNonScheduledPodsByPVC), else WaitForFirstConsumer. */
  private emitEventForUnboundDelayBindingClaim(claim: PersistentVolumeClaim): void {
    const namespace = claim.metadata.namespace ?? 'default';
    const podNames: string[] = [];
    for (const pod of this.store.list<Pod>('Pod')) {
      if ((pod.metadata.namespace ?? 'default') !== namespace || pod.spec.nodeName) continue;
      if (podClaimNames(pod).includes(claim.metadata.name)) podNames.push(pod.metadata.name);
    }
    if (podNames.length === 0) return this.events.record(claim, 'Normal', 'WaitForFirstConsumer', MSG_WAIT_FOR_FIRST_CONSUMER, COMPONENT);
    const message = podNames.length > 1 ? `waiting for pods ${podNames.join(',')} to be scheduled` : `waiting for pod ${podNames[0]} to be scheduled`;
    this.events.record(claim, 'Normal', 'WaitForPodScheduled', message, COMPONENT);
  }

  private syncBoundClaim(claim: PersistentVolumeClaim): void {
    if (!claim.spec.volumeName) return this.claimLost(claim, 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    const volume = this.store.get<PersistentVolume>('PersistentVolume', undefined, claim.spec.volumeName);
    if (!volume) return this.claimLost(claim, 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    if (!volume.spec.claimRef || isVolumeBoundToClaim(volume, claim)) return this.bind(volume, claim);
    this.claimLost(claim, 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  private claimLost(claim: PersistentVolumeClaim, reason: string, message: string): void {
    if (claim.status.phase === 'Lost') return;
    this.updateClaimStatus(claim, 'Lost', undefined);
    this.events.record(claim, 'Warning', reason, message, COMPONENT);
  }

  // ---- volumes ---------------------------------------------------------------------------------

  private syncVolumeKey(name: string): ReconcileResult {
    const volume = this.store.get<PersistentVolume>('PersistentVolume', undefined, name);
    if (volume) this.syncVolume(volume);
    return 'done';
  }

  private syncVolume(volume: PersistentVolume): void {
    const ref = volume.spec.claimRef;
    // Unused, or pre-bound by the user to a claim not yet bound: Available.
    if (!ref || !ref.uid) {
      this.updateVolumePhase(volume, 'Available');
      return;
    }
    let claim = this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', ref.namespace, ref.name);
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      // The claim is gone: Released (reclaimVolume: Retain keeps it so; Delete of a provisioned
      // volume is the external provisioner's).
      if (volume.status.phase !== 'Released' && volume.status.phase !== 'Failed') this.updateVolumePhase(volume, 'Released');
      return;
    }
    if (!claim.spec.volumeName) {
      this.claimQueue.add(claimKey(claim)); // the claim's sync finishes the binding
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      this.updateVolumePhase(volume, 'Bound');
      return;
    }
    this.unbindVolume(volume);
  }

  /** unbindVolume: a controller-made binding is removed; a user's pre-binding keeps its claimRef
   *  without the UID. Either way the volume is Available again. */
  private unbindVolume(volume: PersistentVolume): void {
    const annotations = { ...volume.metadata.annotations };
    let spec = volume.spec;
    if (annotations[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      delete annotations[ANN_BOUND_BY_CONTROLLER];
      const { claimRef: _ref, ...rest } = volume.spec;
      spec = rest;
    } else if (volume.spec.claimRef) {
      const { uid: _uid, ...ref } = volume.spec.claimRef;
      spec = { ...volume.spec, claimRef: ref };
    }
    const r = this.store.update<PersistentVolume>({ ...volume, metadata: { ...volume.metadata, annotations }, spec }, COMPONENT, 'unbind');
    if (r.ok) this.updateVolumePhase(r.object, 'Available');
  }

  // ---- binding ---------------------------------------------------------------------------------

  /** bind: the volume's claimRef, the volume's phase, the claim's volumeName and annotations,
   *  the claim's status — four writes, in upstream's order. */
  private bind(volume: PersistentVolume, claim: PersistentVolumeClaim): void {
    const boundVolume = this.bindVolumeToClaim(volume, claim);
    if (!boundVolume) return;
    const phased = this.updateVolumePhase(boundVolume, 'Bound');
    const boundClaim = this.bindClaimToVolume(claim, phased);
    if (!boundClaim) return;
    this.updateClaimStatus(boundClaim, 'Bound', phased);
  }

  /** GetBindVolumeToClaim: claimRef to the claim (with its UID); bound-by-controller unless the
   *  user pre-bound it. */
  private bindVolumeToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): PersistentVolume | undefined {
    const bound = getBindVolumeToClaim(volume, claim);
    if (!bound.dirty) return volume;
    const r = this.store.update<PersistentVolume>(bound.volume, COMPONENT, 'bind');
    return r.ok ? r.object : undefined;
  }

  /** bindClaimToVolume: volumeName, bound-by-controller (when the controller chose the volume)
   *  and bind-completed. */
  private bindClaimToVolume(claim: PersistentVolumeClaim, volume: PersistentVolume): PersistentVolumeClaim | undefined {
    const annotations = { ...claim.metadata.annotations };
    let dirty = false;
    if (claim.spec.volumeName !== volume.metadata.name) {
      if (annotations[ANN_BOUND_BY_CONTROLLER] === undefined) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      dirty = true;
    }
    if (annotations[ANN_BIND_COMPLETED] === undefined) {
      annotations[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    if (!dirty) return claim;
    const next: PersistentVolumeClaim = { ...claim, metadata: { ...claim.metadata, annotations }, spec: { ...claim.spec, volumeName: volume.metadata.name } };
    const r = this.store.update(next, COMPONENT, 'bind');
    return r.ok ? r.object : undefined;
  }

  /** updateClaimStatus: the phase, and for Bound the volume's access modes and capacity; no write
   *  when nothing changes. */
  private updateClaimStatus(claim: PersistentVolumeClaim, phase: ClaimPhase, volume: PersistentVolume | undefined): void {
    const status: PersistentVolumeClaim['status'] = { ...claim.status, phase };
    if (volume) {
      if (volume.spec.accessModes) status.accessModes = volume.spec.accessModes;
      if (volume.spec.capacity?.storage !== undefined) status.capacity = { storage: volume.spec.capacity.storage };
    }
    if (claimStatusKept(claim.status, phase, volume)) return;
    this.store.update<PersistentVolumeClaim>({ ...claim, status }, COMPONENT, 'status');
  }

  /** updateVolumePhase: no write when the phase is already right; lastPhaseTransitionTime moves
   *  with the phase (GA in v1.31). */
  private updateVolumePhase(volume: PersistentVolume, phase: VolumePhase): PersistentVolume {
    if (volume.status.phase === phase) return volume;
    const r = this.store.update<PersistentVolume>({ ...volume, status: { ...volume.status, phase, lastPhaseTransitionTime: this.sim.nowMs } }, COMPONENT, 'status');
    return r.ok ? r.object : volume;
  }
}

/** Whether updateClaimStatus's status would serialise as the current one does (no write): the
 *  same phase, and, with a volume, its access modes and a capacity of its storage alone. */
function claimStatusKept(old: PersistentVolumeClaim['status'] | undefined, phase: ClaimPhase, volume: PersistentVolume | undefined): boolean {
  if (old?.phase !== phase) return false;
  if (volume === undefined) return true;
  const modes = volume.spec.accessModes;
  if (modes !== undefined && (old.accessModes?.length !== modes.length || modes.some((m, i) => old.accessModes![i] !== m))) return false;
  const storage = volume.spec.capacity?.storage;
  if (storage === undefined) return true;
  const capacity = old.capacity as Record<string, unknown> | undefined;
  return capacity !== undefined && capacity.storage === storage && Object.keys(capacity).length === 1;
}

function claimKey(claim: PersistentVolumeClaim): string {
  return `${claim.metadata.namespace ?? 'default'}/${claim.metadata.name}`;
}
