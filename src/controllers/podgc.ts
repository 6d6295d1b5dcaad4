// The pod garbage collector's orphan pass: a pod bound to a node that no longer exists is
// force-deleted once the node has been missing for the quarantine time.
// Follows pkg/controller/podgc/gc_controller.go (v1.35): gcCheckPeriod 20s, quarantineTime 40s,
// the DisruptionTarget condition (DeletionByPodGC). Not modelled: the terminated-pod threshold
// pass and the out-of-service taint pass (see README).
import type { Store } from '../api/store.js';
import { type Node, type Pod, setCondition } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';

export const COMPONENT = 'pod-garbage-collector';
const GC_CHECK_PERIOD_MS = 20_000;

export class PodGCController {
  /** Node name → when it was first seen missing while pods were still bound to it. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly quarantineMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.gcOrphaned();
      this.sim.after(GC_CHECK_PERIOD_MS, COMPONENT, tick);
    };
    this.sim.after(GC_CHECK_PERIOD_MS, COMPONENT, tick);
  }

  private gcOrphaned(): void {
    const now = this.sim.nowMs;
    const orphans = [...this.store.list<Pod>('Pod')].filter((p) => p.spec.nodeName && !this.store.get<Node>('Node', undefined, p.spec.nodeName));
    const missing = new Set(orphans.map((p) => p.spec.nodeName!));
    for (const name of [...this.missingSince.keys()]) if (!missing.has(name)) this.missingSince.delete(name);
    for (const name of missing) if (!this.missingSince.has(name)) this.missingSince.set(name, now);
    for (const pod of orphans) {
      if (now - this.missingSince.get(pod.spec.nodeName!)! < this.quarantineMs) continue;
      const conditions = setCondition(pod.status.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' }, now);
      this.store.update<Pod>({ ...pod, status: { ...pod.status, phase: pod.status.phase === 'Succeeded' ? 'Succeeded' : 'Failed', conditions } }, COMPONENT, 'status');
      this.store.delete('Pod', pod.metadata.namespace, pod.metadata.name, COMPONENT, { gracePeriodSeconds: 0 });
    }
  }
}
