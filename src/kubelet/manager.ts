// All kubelets of the cluster, and the one pod watch they share: each pod event goes to the
// kubelet of the pod's node, as each kubelet's own field-selected watch (spec.nodeName=<node>)
// would deliver it. A kubelet that is down or partitioned gets nothing; it resyncs on return.
import type { EventRecorder } from '../api/events.js';
import type { Store } from '../api/store.js';
import type { Node, PersistentVolumeClaim, Pod, VolumeAttachment } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import { Kubelet, type KubeletOptions, conditionsDiffer } from './kubelet.js';

export class KubeletManager {
  readonly kubelets = new Map<string, Kubelet>();

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly options: KubeletOptions,
    private readonly parseDuration: (s: string) => number | undefined,
  ) {}

  start(): void {
    this.store.watch<Pod>('Pod', 'kubelet', (ev) => {
      const node = ev.object.spec.nodeName;
      if (!node) return;
      const k = this.kubelets.get(node);
      if (!k) return;
      k.onPod(ev.type === 'DELETED' ? undefined : ev.object, ev.object.metadata.uid!);
    });
    // The volume manager learns of attachments (and of claims getting bound) from its watches. The
    // attach/detach controller reports a volume in node.status.volumesAttached in the same step
    // as it marks the VolumeAttachment attached, so the VolumeAttachment event suffices.
    this.store.watch<VolumeAttachment>('VolumeAttachment', 'kubelet', (ev) => this.kubelets.get(ev.object.spec.nodeName)?.volumesChanged());
    this.store.watch<PersistentVolumeClaim>('PersistentVolumeClaim', 'kubelet', () => {
      for (const k of this.kubelets.values()) k.volumesChanged();
    });
    // Its own Node, for conditions someone else wrote (the kubelet writes them back).
    this.store.watch<Node>(
      'Node',
      'kubelet',
      (ev) => this.kubelets.get(ev.object.metadata.name)?.nodeConditionsChanged(),
      (ev) => ev.type === 'MODIFIED' && conditionsDiffer(ev.object.status.conditions ?? []),
    );
  }

  /** A node's kubelet starts (the Node object must exist). */
  add(nodeName: string): Kubelet {
    let k = this.kubelets.get(nodeName);
    if (!k) {
      k = new Kubelet(this.sim, this.store, this.events, nodeName, this.options, this.parseDuration);
      this.kubelets.set(nodeName, k);
    }
    k.start();
    return k;
  }

  get(nodeName: string): Kubelet | undefined {
    return this.kubelets.get(nodeName);
  }

  remove(nodeName: string): void {
    this.kubelets.get(nodeName)?.fail();
    this.kubelets.delete(nodeName);
  }
}
