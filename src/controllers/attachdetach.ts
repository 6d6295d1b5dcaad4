// The attach/detach controller: a desired state of the world (which volume each node needs, from
// the scheduled pods that use bound, attachable claims), an actual state (what is attached), and
// a reconciler that detaches what is no longer needed, then attaches what is — refusing to attach
// a volume that is not multi-attachable to a second node (the Multi-Attach error).
// Follows pkg/controller/volume/attachdetach/attach_detach_controller.go (podAdd/podUpdate/
// podDelete, reconcilerLoopPeriod 100ms, reconcilerMaxWaitForUnmountDuration 6m),
// cache/desired_state_of_world.go, cache/actual_state_of_world.go (a volume is assumed mounted
// until the node reports otherwise), util/util.go (DetermineVolumeAction: a terminated pod's
// volumes are not desired), reconciler/reconciler.go (reconcile, attachDesiredVolumes,
// reportMultiAttachError; force detach from an unhealthy node once maxWaitForUnmountDuration
// has passed, or at once with the node.kubernetes.io/out-of-service taint),
// pkg/volume/util/operationexecutor (one pending operation per volume when the volume is not
// multi-attachable, per volume and node otherwise; the SuccessfulAttachVolume event) and
// pkg/volume/csi/csi_attacher.go (the VolumeAttachment object), v1.35.
// Simplifications: only CSI persistent volumes are attachable, every CSI driver requires attach
// (no CSIDriver objects), and the external attacher is a fixed delay (volumeAttachDelay) after
// which VolumeAttachment.status.attached is true, or the object goes. The kubelet's volumesInUse
// report is not modelled: a volume no pod needs any more counts as unmounted on a Ready node and
// as mounted on a node that is not Ready (which never reports), so its detach waits for the force
// detach. The reconciler runs at the next 100ms boundary after a change rather than every 100ms.
import type { EventRecorder } from '../api/events.js';
import { attacherOf, attachmentName, isMultiAttachAllowed, podClaimNames, uniqueVolumeName } from '../api/storage.js';
import type { Store, WatchEvent } from '../api/store.js';
import { type Node, type PersistentVolume, type PersistentVolumeClaim, type Pod, type VolumeAttachment, getCondition, podIsTerminal } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';

export const COMPONENT = 'attachdetach-controller';
/** attach_detach_controller.go reconcilerLoopPeriod. */
export const RECONCILER_LOOP_PERIOD_MS = 100;
/** attach_detach_controller.go reconcilerMaxWaitForUnmountDuration. */
export const MAX_WAIT_FOR_UNMOUNT_MS = 6 * 60_000;
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface AttachDetachOptions {
  /** Time the external attacher takes to attach or detach a volume. */
  attachDelayMs: number;
  /** Test-only: false disables the Multi-Attach rule (a deliberately broken controller). */
  multiAttachCheck?: boolean;
}

interface DesiredVolume {
  pv: PersistentVolume;
  /** Pods on the node that use the volume, by namespace/name. */
  pods: Map<string, Pod>;
  multiAttachErrorReported: boolean;
}

interface AttachedVolume {
  pvName: string;
  uniqueName: string;
  vaName: string;
  nodeName: string;
  /** Listed in node.status.volumesAttached (removed before a detach starts). */
  reported: boolean;
  detachRequestedAtMs: number | undefined;
  /** A reconcile is scheduled for when the unmount wait runs out. */
  retryScheduled: boolean;
}

export class AttachDetachController {
  /** node → PV name → desired volume. */
  private readonly desired = new Map<string, Map<string, DesiredVolume>>();
  /** `${pv}|${node}` → attached volume. */
  private readonly attached = new Map<string, AttachedVolume>();
  /** Operation keys (`pv` or `pv|node`) with an attach or detach in flight. */
  private readonly pending = new Set<string>();
  private reconcileScheduled = false;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly options: AttachDetachOptions,
  ) {}

  start(): void {
    this.store.watch<Pod>('Pod', COMPONENT, (ev) => this.onPod(ev));
    this.store.watch<PersistentVolumeClaim>('PersistentVolumeClaim', COMPONENT, (ev) => this.onClaim(ev));
    this.store.watch<Node>('Node', COMPONENT, (ev) => {
      for (const a of this.attached.values()) {
        if (a.nodeName !== ev.object.metadata.name) continue;
        this.markDirty();
        return;
      }
    });
  }

  // ---- desired state of the world --------------------------------------------------------------

  private onPod(ev: WatchEvent<Pod>): void {
    const pod = ev.object;
    if (!pod.spec.volumes?.length) return;
    if (ev.type === 'DELETED' || !pod.spec.nodeName || isPodTerminated(pod)) this.removePod(pod);
    else this.processPodVolumes(pod);
  }

  /** pvcUpdate → the scheduled pods using the claim are processed again. */
  private onClaim(ev: WatchEvent<PersistentVolumeClaim>): void {
    if (ev.type === 'DELETED') return;
    const claim = ev.object;
    for (const pod of this.store.list<Pod>('Pod')) {
      if (!pod.spec.nodeName || (pod.metadata.namespace ?? 'default') !== (claim.metadata.namespace ?? 'default')) continue;
      if (!podClaimNames(pod).includes(claim.metadata.name) || isPodTerminated(pod)) continue;
      this.processPodVolumes(pod);
    }
  }

  /** ProcessPodVolumes (add): each bound claim's attachable volume is desired on the pod's node. */
  private processPodVolumes(pod: Pod): void {
    const nodeName = pod.spec.nodeName!;
    if (!this.store.get<Node>('Node', undefined, nodeName)) return;
    const key = podKey(pod);
    let changed = false;
    for (const claimName of podClaimNames(pod)) {
      const pv = this.boundVolume(pod.metadata.namespace ?? 'default', claimName);
      if (!pv || attacherOf(pv) === undefined) continue;
      let node = this.desired.get(nodeName);
      if (!node) this.desired.set(nodeName, (node = new Map()));
      let dv = node.get(pv.metadata.name);
      if (!dv) node.set(pv.metadata.name, (dv = { pv, pods: new Map(), multiAttachErrorReported: false }));
      if (!dv.pods.has(key)) changed = true;
      dv.pods.set(key, pod);
    }
    if (changed) this.markDirty();
  }

  private boundVolume(namespace: string, claimName: string): PersistentVolume | undefined {
    const claim = this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', namespace, claimName);
    if (!claim || claim.status.phase !== 'Bound' || !claim.spec.volumeName) return undefined;
    return this.store.get<PersistentVolume>('PersistentVolume', undefined, claim.spec.volumeName);
  }

  private removePod(pod: Pod): void {
    const key = podKey(pod);
    let changed = false;
    for (const [nodeName, volumes] of this.desired) {
      for (const [pvName, dv] of volumes) {
        const cur = dv.pods.get(key);
        if (!cur || cur.metadata.uid !== pod.metadata.uid) continue;
        dv.pods.delete(key);
        changed = true;
        if (dv.pods.size === 0) volumes.delete(pvName);
      }
      if (volumes.size === 0) this.desired.delete(nodeName);
    }
    if (changed) this.markDirty();
  }

  // ---- reconciler ------------------------------------------------------------------------------

  private markDirty(): void {
    if (this.reconcileScheduled) return;
    this.reconcileScheduled = true;
    const at = Math.ceil(this.sim.nowMs / RECONCILER_LOOP_PERIOD_MS) * RECONCILER_LOOP_PERIOD_MS;
    this.sim.at(at, COMPONENT, () => {
      this.reconcileScheduled = false;
      this.reconcile();
    });
  }

  private exclusive(pv: PersistentVolume): boolean {
    return this.options.multiAttachCheck !== false && !isMultiAttachAllowed(pv);
  }

  private operationKey(pv: PersistentVolume, nodeName: string): string {
    return this.exclusive(pv) ? pv.metadata.name : `${pv.metadata.name}|${nodeName}`;
  }

  /** Detaches are triggered before attaches, so a volume moving between nodes is freed first. */
  private reconcile(): void {
    for (const av of [...this.attached.values()]) {
      if (this.desired.get(av.nodeName)?.has(av.pvName)) continue;
      this.maybeDetach(av);
    }
    for (const [nodeName, volumes] of this.desired) {
      for (const dv of volumes.values()) this.maybeAttach(nodeName, dv);
    }
  }

  private maybeDetach(av: AttachedVolume): void {
    const pv = this.store.get<PersistentVolume>('PersistentVolume', undefined, av.pvName);
    const opKey = pv ? this.operationKey(pv, av.nodeName) : av.pvName;
    if (this.pending.has(opKey) || this.pending.has(`${av.pvName}|${av.nodeName}`)) return;
    const now = this.sim.nowMs;
    av.detachRequestedAtMs ??= now;
    const expired = now - av.detachRequestedAtMs > MAX_WAIT_FOR_UNMOUNT_MS;
    const node = this.store.get<Node>('Node', undefined, av.nodeName);
    const healthy = node !== undefined && getCondition(node.status.conditions, 'Ready')?.status === 'True';
    const outOfService = (node?.spec.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
    const mounted = !healthy;
    if (mounted && !(expired && !healthy) && !outOfService) {
      // Look again once the unmount wait has run out (the loop would).
      if (!av.retryScheduled && !expired) {
        av.retryScheduled = true;
        const retryAt = av.detachRequestedAtMs + MAX_WAIT_FOR_UNMOUNT_MS + RECONCILER_LOOP_PERIOD_MS;
        this.sim.at(retryAt, COMPONENT, () => {
          av.retryScheduled = false;
          this.markDirty();
        });
      }
      return;
    }
    // RemoveVolumeFromReportAsAttached, then UpdateNodeStatusForNode: the kubelet must stop
    // trusting the attachment before the detach starts.
    av.reported = false;
    this.updateNodeStatus(av.nodeName);
    this.pending.add(opKey);
    const vaName = av.vaName;
    const va = this.store.get<VolumeAttachment>('VolumeAttachment', undefined, vaName);
    // csiAttacher.Detach deletes the VolumeAttachment; the external attacher's finalizer keeps it
    // (with a deletionTimestamp) until the volume is detached.
    if (va) this.store.update<VolumeAttachment>({ ...va, metadata: { ...va.metadata, deletionTimestamp: now } }, COMPONENT, 'detach');
    this.sim.after(this.options.attachDelayMs, COMPONENT, () => {
      if (this.store.get<VolumeAttachment>('VolumeAttachment', undefined, vaName)) this.store.delete('VolumeAttachment', undefined, vaName, COMPONENT);
      this.attached.delete(`${av.pvName}|${av.nodeName}`);
      this.pending.delete(opKey);
      this.markDirty();
    });
  }

  private maybeAttach(nodeName: string, dv: DesiredVolume): void {
    const pv = dv.pv;
    const opKey = this.operationKey(pv, nodeName);
    if (this.pending.has(opKey)) return;
    const av = this.attached.get(`${pv.metadata.name}|${nodeName}`);
    if (av) {
      av.detachRequestedAtMs = undefined;
      return;
    }
    if (this.exclusive(pv)) {
      const nodes = [...this.attached.values()].filter((a) => a.pvName === pv.metadata.name).map((a) => a.nodeName);
      if (nodes.length > 0) {
        if (!dv.multiAttachErrorReported) {
          this.reportMultiAttachError(nodeName, dv, nodes);
          dv.multiAttachErrorReported = true;
        }
        return;
      }
    }
    this.attach(nodeName, dv, opKey);
  }

  /** csiAttacher.Attach: create the VolumeAttachment; the external attacher marks it attached. */
  private attach(nodeName: string, dv: DesiredVolume, opKey: string): void {
    const pv = dv.pv;
    const name = attachmentName(pv, nodeName);
    this.pending.add(opKey);
    if (!this.store.get<VolumeAttachment>('VolumeAttachment', undefined, name)) {
      const va: VolumeAttachment = {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'VolumeAttachment',
        metadata: { name, finalizers: [`external-attacher/${attacherOf(pv)!.replace(/\//g, '-')}`] },
        spec: { attacher: attacherOf(pv)!, nodeName, source: { persistentVolumeName: pv.metadata.name } },
        status: { attached: false },
      };
      this.store.create(va, COMPONENT, 'attach');
    }
    this.sim.after(this.options.attachDelayMs, COMPONENT, () => this.attachDone(nodeName, dv, name, opKey));
  }

  private attachDone(nodeName: string, dv: DesiredVolume, vaName: string, opKey: string): void {
    this.pending.delete(opKey);
    const va = this.store.get<VolumeAttachment>('VolumeAttachment', undefined, vaName);
    if (va && va.metadata.deletionTimestamp === undefined) {
      this.store.update<VolumeAttachment>({ ...va, status: { ...va.status, attached: true } }, COMPONENT, 'attached');
      this.attached.set(`${dv.pv.metadata.name}|${nodeName}`, { pvName: dv.pv.metadata.name, uniqueName: uniqueVolumeName(dv.pv), vaName, nodeName, reported: true, detachRequestedAtMs: undefined, retryScheduled: false });
      this.updateNodeStatus(nodeName);
      const msg = `AttachVolume.Attach succeeded for volume "${dv.pv.metadata.name}" `;
      for (const pod of dv.pods.values()) this.events.record(pod, 'Normal', 'SuccessfulAttachVolume', msg, COMPONENT);
    }
    this.markDirty();
  }

  /** nodeStatusUpdater: node.status.volumesAttached lists the volumes reported attached, in
   *  attach order; no write when it is unchanged. */
  private updateNodeStatus(nodeName: string): void {
    const node = this.store.get<Node>('Node', undefined, nodeName);
    if (!node) return;
    const volumesAttached = [...this.attached.values()].filter((a) => a.nodeName === nodeName && a.reported).map((a) => ({ name: a.uniqueName, devicePath: '' }));
    if (JSON.stringify(volumesAttached) === JSON.stringify(node.status.volumesAttached ?? [])) return;
    const { volumesAttached: _old, ...rest } = node.status;
    this.store.update<Node>({ ...node, status: volumesAttached.length > 0 ? { ...rest, volumesAttached } : rest }, COMPONENT, 'status');
  }

  /** reportMultiAttachError: the scheduled pods learn which pods (in their namespace) hold the
   *  volume on the other nodes, or only that it is attached elsewhere. */
  private reportMultiAttachError(nodeName: string, dv: DesiredVolume, nodes: readonly string[]): void {
    const others = nodes.filter((n) => n !== nodeName);
    const pods: Pod[] = [];
    for (const n of others) for (const p of this.desired.get(n)?.get(dv.pv.metadata.name)?.pods.values() ?? []) pods.push(p);
    const prefix = `Multi-Attach error for volume "${dv.pv.metadata.name}" `;
    for (const scheduled of dv.pods.values()) {
      this.events.record(scheduled, 'Warning', 'FailedAttachVolume', prefix + multiAttachDetail(scheduled, pods), COMPONENT);
    }
  }
}

/** The detail of a Multi-Attach error for one scheduled pod (reconciler.go reportMultiAttachError). */
export function multiAttachDetail(scheduled: Pod, holders: readonly Pod[]): string {
  if (holders.length === 0) return "Volume is already exclusively attached to one node and can't be attached to another";
  const ns = scheduled.metadata.namespace ?? 'default';
  const local = holders.filter((p) => (p.metadata.namespace ?? 'default') === ns).map((p) => p.metadata.name);
  const otherPods = holders.length - local.length;
  if (local.length === 0) return `Volume is already used by ${otherPods} pod(s) in different namespaces`;
  const msg = `Volume is already used by pod(s) ${local.join(', ')}`;
  return otherPods > 0 ? `${msg} and ${otherPods} pod(s) in different namespaces` : msg;
}

/** IsPodTerminated (pkg/volume/util): Failed or Succeeded, or being deleted with no container
 *  running. */
export function isPodTerminated(pod: Pod): boolean {
  if (podIsTerminal(pod)) return true;
  if (pod.metadata.deletionTimestamp === undefined) return false;
  return (pod.status.containerStatuses ?? []).every((c) => c.state?.terminated !== undefined || c.state?.waiting !== undefined);
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}
