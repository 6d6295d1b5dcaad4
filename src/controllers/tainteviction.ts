// The taint eviction controller: deletes pods from nodes with NoExecute taints they do not
// tolerate, at once or after the smallest tolerationSeconds of the tolerations in use, counted
// from when the controller observes the taint. Follows pkg/controller/tainteviction/
// taint_eviction.go (v1.35): processPodOnNode, getMinTolerationTime, the keep-the-earlier-
// schedule rule, the DisruptionTarget condition and the TaintManagerEviction events.
import type { EventRecorder } from '../api/events.js';
import type { Store, WatchEvent } from '../api/store.js';
import { type Node, type Pod, type Taint, type Toleration, podIsTerminal, setCondition } from '../api/types.js';
import type { QueueEntry } from '../engine/queue.js';
import type { Simulation } from '../engine/sim.js';
import { toleratesTaint } from '../scheduler/plugins/helper/taints.js';

export const COMPONENT = 'taint-eviction-controller';

interface ScheduledEviction {
  createdAtMs: number;
  fireAtMs: number;
  entry: QueueEntry;
}

/** getMatchingTolerations: whether every taint is tolerated, and the tolerations used. */
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((tol) => toleratesTaint(tol, taint));
    if (t === undefined) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

/** getMinTolerationTime: 0 with no tolerations or any ≤ 0; −1 (forever) when none has seconds. */
export function getMinTolerationTimeMs(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined) continue;
    if (t.tolerationSeconds <= 0) return 0;
    if (t.tolerationSeconds < min) min = t.tolerationSeconds;
  }
  return min === Infinity ? -1 : min * 1000;
}

export class TaintEvictionController {
  private readonly scheduled = new Map<string, ScheduledEviction>();
  /** NoExecute taints by node, as last observed. */
  private readonly nodeTaints = new Map<string, Taint[]>();

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {}

  start(): void {
    this.store.watch<Node>('Node', COMPONENT, (ev) => this.onNode(ev));
    this.store.watch<Pod>('Pod', COMPONENT, (ev) => this.onPod(ev));
  }

  private onNode(ev: WatchEvent<Node>): void {
    const name = ev.object.metadata.name;
    const taints = ev.type === 'DELETED' ? [] : (ev.object.spec.taints ?? []).filter((t) => t.effect === 'NoExecute');
    const before = this.nodeTaints.get(name) ?? [];
    if (ev.type === 'DELETED') this.nodeTaints.delete(name);
    else this.nodeTaints.set(name, taints);
    if (sameTaints(before, taints)) return;
    for (const pod of [...this.store.list<Pod>('Pod')]) if (pod.spec.nodeName === name) this.processPodOnNode(pod, taints);
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const pod = ev.object;
    const key = podKey(pod);
    if (ev.type === 'DELETED' || podIsTerminal(pod)) {
      this.cancel(key, undefined);
      return;
    }
    if (!pod.spec.nodeName) return;
    const oldTolerations = ev.old?.spec.tolerations;
    if (ev.type === 'MODIFIED' && ev.old?.spec.nodeName === pod.spec.nodeName && JSON.stringify(oldTolerations) === JSON.stringify(pod.spec.tolerations)) return;
    this.processPodOnNode(pod, this.nodeTaints.get(pod.spec.nodeName) ?? []);
  }

  private processPodOnNode(pod: Pod, taints: readonly Taint[]): void {
    const key = podKey(pod);
    if (taints.length === 0) return this.cancel(key, pod);
    const { allTolerated, used } = getMatchingTolerations(taints, pod.spec.tolerations ?? []);
    const now = this.sim.nowMs;
    if (!allTolerated) {
      this.cancel(key, pod);
      return this.schedule(pod, now, now);
    }
    const minMs = getMinTolerationTimeMs(used);
    if (minMs < 0) return this.cancel(key, pod);
    // As upstream: triggerTime = now + min; an eviction scheduled at an earlier instant is kept
    // (startTime.Add(min).Before(triggerTime)), one scheduled at this instant is replaced.
    let startMs = now;
    const existing = this.scheduled.get(key);
    if (existing) {
      startMs = existing.createdAtMs;
      if (startMs + minMs < now + minMs) return;
      this.cancel(key, pod);
    }
    this.schedule(pod, startMs, now + minMs);
  }

  private schedule(pod: Pod, createdAtMs: number, fireAtMs: number): void {
    const key = podKey(pod);
    const entry = this.sim.at(fireAtMs, COMPONENT, () => this.evict(key, pod));
    this.scheduled.set(key, { createdAtMs, fireAtMs, entry });
  }

  private cancel(key: string, pod: Pod | undefined): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.sim.cancel(s.entry);
    this.scheduled.delete(key);
    if (pod) this.events.record(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`, COMPONENT);
  }

  private evict(key: string, seen: Pod): void {
    this.scheduled.delete(key);
    const pod = this.store.get<Pod>('Pod', seen.metadata.namespace, seen.metadata.name);
    if (!pod || pod.metadata.uid !== seen.metadata.uid) return;
    this.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`, COMPONENT);
    const conditions = setCondition(pod.status.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, this.sim.nowMs);
    const r = this.store.update<Pod>({ ...pod, status: { ...pod.status, conditions } }, COMPONENT, 'status');
    const latest = r.ok ? r.object : pod;
    this.store.delete('Pod', latest.metadata.namespace, latest.metadata.name, COMPONENT);
  }
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i]!.key && t.value === b[i]!.value && t.effect === b[i]!.effect);
}
