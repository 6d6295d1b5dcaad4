// The scheduling queue, after pkg/scheduler/backend/queue/scheduling_queue.go (v1.35):
// activeQ ordered by the profile's QueueSort plugin; backoffQ ordered by backoff expiry (1s
// doubling to 10s by default); unschedulablePods, moved back when a cluster event that one of
// the rejecting plugins registered for happens, and flushed after 5m. Flushes run on the
// scheduler's 1s and 30s tickers (k × period from start), scheduled only when something waits.
// Simplification: plugins' QueueingHint functions are not modelled; any registered event moves
// a pod (upstream's behaviour with the SchedulerQueueingHints gate off).
import type { ActionType, ClusterEvent, ClusterEventResource, PodInfo, QueuedPodInfo } from './framework/types.js';

export interface QueueClock {
  nowMs(): number;
  /** Calls `fn` at the given instant. */
  at(timeMs: number, fn: () => void): void;
}

export interface QueueConfig {
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxInUnschedulableMs: number;
}

/** A binary heap over QueuedPodInfo with a caller-supplied order and removal by key. */
class Heap {
  private items: QueuedPodInfo[] = [];
  private readonly pos = new Map<string, number>();
  constructor(private readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean) {}

  get size(): number {
    return this.items.length;
  }
  has(key: string): boolean {
    return this.pos.has(key);
  }
  get(key: string): QueuedPodInfo | undefined {
    const i = this.pos.get(key);
    return i === undefined ? undefined : this.items[i];
  }
  peek(): QueuedPodInfo | undefined {
    return this.items[0];
  }
  push(q: QueuedPodInfo): void {
    this.items.push(q);
    this.pos.set(q.podInfo.key, this.items.length - 1);
    this.up(this.items.length - 1);
  }
  pop(): QueuedPodInfo | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }
  delete(key: string): QueuedPodInfo | undefined {
    const i = this.pos.get(key);
    if (i === undefined) return undefined;
    const q = this.items[i]!;
    this.removeAt(i);
    return q;
  }
  /** Re-sorts after the entry's fields changed. */
  fix(key: string): void {
    const i = this.pos.get(key);
    if (i !== undefined) this.down(this.up(i));
  }
  private removeAt(i: number): void {
    const q = this.items[i]!;
    const last = this.items.pop()!;
    this.pos.delete(q.podInfo.key);
    if (i < this.items.length) {
      this.items[i] = last;
      this.pos.set(last.podInfo.key, i);
      this.down(this.up(i));
    }
  }
  private up(i: number): number {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }
  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) return;
      const r = l + 1;
      const c = r < items.length && this.less(items[r]!, items[l]!) ? r : l;
      if (!this.less(items[c]!, items[i]!)) return;
      this.swap(i, c);
      i = c;
    }
  }
  private swap(a: number, b: number): void {
    const items = this.items;
    const t = items[a]!;
    items[a] = items[b]!;
    items[b] = t;
    this.pos.set(items[a]!.podInfo.key, a);
    this.pos.set(items[b]!.podInfo.key, b);
  }
}

export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

export class SchedulingQueue {
  private readonly activeQ: Heap;
  private readonly backoffQ = new Heap((a, b) => a.backoffExpiryMs < b.backoffExpiryMs);
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods rejected by a PreEnqueue plugin (scheduling gates), by key. */
  private readonly gated = new Map<string, QueuedPodInfo>();
  private backoffFlushAt = -1;
  private leftoverFlushAt = -1;
  /** Called whenever activeQ goes from empty to non-empty. */
  onActive: () => void = () => {};

  constructor(
    less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    private readonly clock: QueueClock,
    private readonly config: QueueConfig,
    private readonly eventsByPlugin: ReadonlyMap<string, readonly ClusterEvent[]>,
  ) {
    this.activeQ = new Heap(less);
  }

  get activeCount(): number {
    return this.activeQ.size;
  }

  where(key: string): QueueName | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.gated.has(key)) return 'gated';
    return undefined;
  }

  pendingCount(): number {
    return this.activeQ.size + this.backoffQ.size + this.unschedulable.size + this.gated.size;
  }

  /** A new pending pod (Add). `gated` is whether a PreEnqueue plugin rejected it. */
  add(podInfo: PodInfo, gated: boolean): void {
    const now = this.clock.nowMs();
    const q: QueuedPodInfo = { podInfo, timestampMs: now, initialAttemptTimestampMs: undefined, attempts: 0, unschedulablePlugins: new Set(), backoffExpiryMs: 0 };
    if (gated) this.gated.set(podInfo.key, q);
    else this.pushActive(q);
  }

  /** The pod object changed while pending (Update): keep its place, refresh the object.
   *  `updated` is isPodUpdated: something but the status (and resourceVersion) changed. */
  update(podInfo: PodInfo, gated: boolean, updated = true): void {
    const key = podInfo.key;
    const inGated = this.gated.get(key);
    if (inGated) {
      inGated.podInfo = podInfo;
      if (!gated) {
        this.gated.delete(key);
        inGated.timestampMs = this.clock.nowMs();
        this.pushActive(inGated);
      }
      return;
    }
    const q = this.activeQ.get(key) ?? this.backoffQ.get(key);
    if (q) {
      q.podInfo = podInfo;
      this.activeQ.fix(key);
      return;
    }
    const u = this.unschedulable.get(key);
    if (u) {
      u.podInfo = podInfo;
      // An update to an unschedulable pod may make it schedulable (upstream: isPodUpdated → move);
      // a status write (the scheduler's own PodScheduled=False, say) leaves it where it is.
      if (!updated) return;
      this.unschedulable.delete(key);
      this.requeue(u);
      return;
    }
    this.add(podInfo, gated);
  }

  delete(key: string): void {
    this.activeQ.delete(key) ?? this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
  }

  pop(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (q) {
      q.attempts++;
      if (q.initialAttemptTimestampMs === undefined) q.initialAttemptTimestampMs = this.clock.nowMs();
    }
    return q;
  }

  /** After a failed attempt (AddUnschedulableIfNotPresent). Errors go to backoffQ. */
  addUnschedulable(q: QueuedPodInfo, plugins: Set<string>, isError: boolean): void {
    q.timestampMs = this.clock.nowMs();
    q.unschedulablePlugins = plugins;
    q.backoffExpiryMs = q.timestampMs + this.backoffDurationMs(q.attempts);
    if (isError) this.pushBackoff(q);
    else {
      this.unschedulable.set(q.podInfo.key, q);
      this.scheduleLeftoverFlush(q.timestampMs);
    }
  }

  /** calculateBackoffDuration: initial × 2^(attempts−1), capped at max. */
  backoffDurationMs(attempts: number): number {
    let d = this.config.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (d > this.config.maxBackoffMs - d) return this.config.maxBackoffMs;
      d += d;
    }
    return d;
  }

  /** MoveAllToActiveOrBackoffQueue for a cluster event: each unschedulable pod whose rejecting
   *  plugins registered for the event goes to backoffQ (if still backing off) or activeQ. */
  onClusterEvent(resource: ClusterEventResource, action: ActionType): void {
    if (this.unschedulable.size === 0) return;
    for (const [key, q] of [...this.unschedulable]) {
      if (!this.interested(q, resource, action)) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
    }
  }

  private interested(q: QueuedPodInfo, resource: ClusterEventResource, action: ActionType): boolean {
    if (q.unschedulablePlugins.size === 0) return true;
    for (const plugin of q.unschedulablePlugins) {
      for (const ev of this.eventsByPlugin.get(plugin) ?? []) {
        const resourceMatch = ev.resource === resource || (ev.resource === 'Pod' && (resource === 'AssignedPod' || resource === 'UnscheduledPod'));
        if (resourceMatch && (ev.actions.includes('All') || ev.actions.includes(action) || (action !== 'Add' && action !== 'Delete' && ev.actions.includes('Update')))) return true;
      }
    }
    return false;
  }

  private requeue(q: QueuedPodInfo): void {
    if (q.backoffExpiryMs > this.clock.nowMs()) this.pushBackoff(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPodInfo): void {
    const wasEmpty = this.activeQ.size === 0;
    this.activeQ.push(q);
    if (wasEmpty) this.onActive();
  }

  private pushBackoff(q: QueuedPodInfo): void {
    this.backoffQ.push(q);
    this.scheduleBackoffFlush(q.backoffExpiryMs);
  }

  /** flushBackoffQCompleted runs every 1s; the first tick at or after expiry moves the pod. */
  private scheduleBackoffFlush(expiryMs: number): void {
    const tick = Math.ceil(expiryMs / 1000) * 1000;
    if (this.backoffFlushAt !== -1 && this.backoffFlushAt <= tick) return;
    this.backoffFlushAt = tick;
    this.clock.at(tick, () => this.flushBackoff(tick));
  }

  private flushBackoff(tick: number): void {
    if (this.backoffFlushAt !== tick) return;
    this.backoffFlushAt = -1;
    const now = this.clock.nowMs();
    for (let q = this.backoffQ.peek(); q !== undefined && q.backoffExpiryMs <= now; q = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(q);
    }
    const next = this.backoffQ.peek();
    if (next) this.scheduleBackoffFlush(next.backoffExpiryMs);
  }

  /** flushUnschedulablePodsLeftover runs every 30s and moves pods waiting longer than 5m. */
  private scheduleLeftoverFlush(sinceMs: number): void {
    const due = sinceMs + this.config.maxInUnschedulableMs;
    const tick = (Math.floor(due / 30_000) + 1) * 30_000; // strictly after `due` (upstream: Since(...) > max)
    if (this.leftoverFlushAt !== -1 && this.leftoverFlushAt <= tick) return;
    this.leftoverFlushAt = tick;
    this.clock.at(tick, () => this.flushLeftover(tick));
  }

  private flushLeftover(tick: number): void {
    if (this.leftoverFlushAt !== tick) return;
    this.leftoverFlushAt = -1;
    const now = this.clock.nowMs();
    let earliest = Infinity;
    for (const [key, q] of [...this.unschedulable]) {
      if (now - q.timestampMs > this.config.maxInUnschedulableMs) {
        this.unschedulable.delete(key);
        this.requeue(q);
      } else earliest = Math.min(earliest, q.timestampMs);
    }
    if (earliest !== Infinity) this.scheduleLeftoverFlush(earliest);
  }
}
