// The ephemeral volume controller, after pkg/controller/volume/ephemeral/controller.go (v1.35):
// for every pod not being deleted, each generic ephemeral volume gets its PersistentVolumeClaim,
// named <pod>-<volume> (ephemeral.VolumeClaimName), with the template's labels, annotations and
// spec, controlled by the pod (so the garbage collector deletes it with the pod). A claim of that
// name the pod does not own is an error: a FailedBinding Warning on the pod, and the pod is
// retried with the workqueue's backoff. A deleted claim a live pod still needs is created again.
// Pod updates are ignored (a pod's volumes are immutable), as upstream.
import type { EventRecorder } from '../api/events.js';
import { ephemeralClaimName, ephemeralVolumeIsForPod, podClaimNames } from '../api/storage.js';
import type { Store, WatchEvent } from '../api/store.js';
import type { PersistentVolumeClaim, Pod, Volume } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import { type ReconcileResult, WorkQueue } from './workqueue.js';

export const COMPONENT = 'ephemeral-volume-controller';
/** The event source upstream's recorder uses. */
const EVENT_SOURCE = 'ephemeral_volume';

function hasEphemeral(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some((v) => v.ephemeral != null);
}

export class EphemeralVolumeController {
  private readonly queue: WorkQueue;

  constructor(
    sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {
    this.queue = new WorkQueue(sim, COMPONENT, (key) => this.sync(key));
  }

  start(): void {
    // AddFunc only: enqueuePod skips pods being deleted and pods without ephemeral volumes.
    this.store.watch<Pod>('Pod', COMPONENT, (ev) => this.enqueuePod(ev.object), (ev) => ev.type === 'ADDED' && hasEphemeral(ev.object));
    this.store.watch<PersistentVolumeClaim>('PersistentVolumeClaim', COMPONENT, (ev) => this.onPVCDelete(ev), (ev) => ev.type === 'DELETED');
  }

  private enqueuePod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp !== undefined || !hasEphemeral(pod)) return;
    this.queue.add(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`);
  }

  /** onPVCDelete: the pods that reference the claim (the PodPVC index) are synced again. */
  private onPVCDelete(ev: WatchEvent<PersistentVolumeClaim>): void {
    const ns = ev.object.metadata.namespace ?? 'default';
    const name = ev.object.metadata.name;
    for (const pod of this.store.list<Pod>('Pod')) {
      if ((pod.metadata.namespace ?? 'default') === ns && podClaimNames(pod).includes(name)) this.enqueuePod(pod);
    }
  }

  /** syncHandler: each ephemeral volume of the pod, in order; the first error stops the sync. */
  private sync(key: string): ReconcileResult {
    const slash = key.indexOf('/');
    const pod = this.store.get<Pod>('Pod', key.slice(0, slash), key.slice(slash + 1));
    if (pod === undefined || pod.metadata.deletionTimestamp !== undefined) return 'done';
    for (const vol of pod.spec.volumes ?? []) {
      const err = this.handleVolume(pod, vol);
      if (err === null) continue;
      this.events.record(pod, 'Warning', 'FailedBinding', `ephemeral volume ${vol.name}: ${err}`, EVENT_SOURCE);
      return 'retry';
    }
    return 'done';
  }

  /** handleVolume: nothing for other volume kinds or a claim the pod already owns; else create it. */
  private handleVolume(pod: Pod, vol: Volume): string | null {
    const template = vol.ephemeral?.volumeClaimTemplate;
    if (vol.ephemeral == null || template === undefined) return null;
    const namespace = pod.metadata.namespace ?? 'default';
    const name = ephemeralClaimName(pod, vol);
    const existing = this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', namespace, name);
    if (existing !== undefined) return ephemeralVolumeIsForPod(pod, existing);
    const meta = template.metadata ?? {};
    const pvc: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name,
        namespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true }],
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      },
      spec: structuredClone(template.spec),
      status: {},
    };
    const r = this.store.create(pvc, COMPONENT);
    return r.ok ? null : `create PVC ${name}: ${r.message}`;
  }
}
