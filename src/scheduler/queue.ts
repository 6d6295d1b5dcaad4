// The scheduling queue, after pkg/scheduler/backend/queue/scheduling_queue.go (v1.35):
// activeQ ordered by the profile's QueueSort plugin; backoffQ ordered by backoff expiry (1s
// doubling to 10s by default); unschedulablePods, flushed after 5m. Flushes run on the
// scheduler's 1s and 30s tickers (k × period from start), scheduled only when something waits.
// QueueingHints (SchedulerQueueingHints, on by default in v1.35): a cluster event moves an
// unschedulable pod only when a plugin that rejected it (unschedulablePlugins ∪ pendingPlugins)
// registered for the event and that registration's QueueingHintFn returns Queue
// (isPodWorthRequeuing); a Queue from a Pending plugin skips backoff (queueImmediately), one from
// an Unschedulable plugin goes to backoffQ while the pod still backs off
// (requeuePodWithQueueingStrategy). A scheduling cycle runs at one instant here, so no event
// arrives while a pod is in flight: determineSchedulingHintForInFlightPod reduces to
// queueAfterBackoff for a pod no plugin rejected and queueSkip otherwise.
import type { Pod } from '../api/types.js';
import type { ActionType, ClusterEventResource, ClusterEventWithHint, PodInfo, QueuedPodInfo } from './framework/types.js';

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

/** Event registrations by plugin name, for one profile (upstream QueueingHintMap). */
export type EventsByPlugin = ReadonlyMap<string, readonly ClusterEventWithHint[]>;

/** upstream queueingStrategy. */
export const enum QueueingStrategy {
  Skip = 0,
  AfterBackoff = 1,
  Immediately = 2,
}

/**
 * ActionType as upstream's bit set (staging/src/k8s.io/kube-scheduler/framework/types.go):
 * Update is the union of every UpdateXYZ; All is Add | Delete | Update. A registration matches an
 * incoming event when the sets intersect (ClusterEvent.Match), so a registered UpdatePodLabel
 * matches an incoming general Pod Update and a registered Update matches every UpdateXYZ.
 */
const ACTION_BITS: Readonly<Record<ActionType, number>> = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdateNodeAnnotation: 64,
  UpdatePodLabel: 128,
  UpdatePodScaleDown: 256,
  UpdatePodToleration: 512,
  UpdatePodSchedulingGatesEliminated: 1024,
  updatePodOther: 2048,
  Update: 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048,
  All: 1 | 2 | (4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048),
};

export function actionBits(actions: readonly ActionType[]): number {
  let m = 0;
  for (const a of actions) m |= ACTION_BITS[a] ?? 0;
  return m;
}

/** EventResource.match: a registered Pod matches the incoming AssignedPod and UnscheduledPod. */
function resourceMatches(registered: ClusterEventResource, incoming: ClusterEventResource): boolean {
  return registered === incoming || (registered === 'Pod' && (incoming === 'AssignedPod' || incoming === 'UnscheduledPod'));
}

interface CompiledRegistration {
  resource: ClusterEventResource;
  mask: number;
  hint: ClusterEventWithHint['queueingHintFn'];
}

/** Runs a QueueingHintFn: a missing one, an Error result or an exception mean Queue
 *  (scheduling_queue.go isPodWorthRequeuing; defaultQueueingHintFn). */
function hintQueues(fn: CompiledRegistration['hint'], pod: Pod, oldObj: unknown, newObj: unknown): boolean {
  if (typeof fn !== 'function') return true;
  try {
    return fn(pod, oldObj, newObj) !== 'QueueSkip';
  } catch {
    return true;
  }
}

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
  /** Per profile (scheduler name), per plugin, the compiled registrations. */
  private readonly registrations = new Map<string, Map<string, CompiledRegistration[]>>();
  /** isEventOfInterest, memoised by resource and action bits. */
  private readonly interest = new Map<string, boolean>();

  /**
   * `eventsByProfile`: each profile's plugins' event registrations, keyed by scheduler name
   * (upstream QueueingHintMapPerProfile); a pod is judged by its own profile's plugins.
   */
  constructor(
    less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    private readonly clock: QueueClock,
    private readonly config: QueueConfig,
    eventsByProfile: ReadonlyMap<string, EventsByPlugin>,
    private readonly defaultSchedulerName = 'default-scheduler',
  ) {
    this.activeQ = new Heap(less);
    for (const [profile, byPlugin] of eventsByProfile) {
      const m = new Map<string, CompiledRegistration[]>();
      for (const [plugin, events] of byPlugin) m.set(plugin, events.map((e) => ({ resource: e.resource, mask: actionBits(e.actions), hint: e.queueingHintFn })));
      this.registrations.set(profile, m);
    }
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
    const q: QueuedPodInfo = { podInfo, timestampMs: now, initialAttemptTimestampMs: undefined, attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), backoffExpiryMs: 0 };
    if (gated) this.gated.set(podInfo.key, q);
    else this.pushActive(q);
  }

  /**
   * The pod object changed while pending (Update): keep its place, refresh the object. For a pod
   * in unschedulablePods, `oldPod` and `actions` (PodSchedulingPropertiesChange, resource
   * UnscheduledPod) go through the hints: the first event whose hint says Queue moves the pod;
   * with none, it stays (scheduling_queue.go Update). Without `actions` any update moves it.
   */
  update(podInfo: PodInfo, gated: boolean, oldPod?: Pod, actions?: readonly ActionType[]): void {
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
      if (actions === undefined) {
        this.unschedulable.delete(key);
        this.requeue(u);
        return;
      }
      for (const action of actions) {
        const strategy = this.isPodWorthRequeuing(u, 'UnscheduledPod', ACTION_BITS[action], oldPod, podInfo.pod);
        if (strategy === QueueingStrategy.Skip) continue;
        this.unschedulable.delete(key);
        this.requeueWithStrategy(u, strategy);
        return;
      }
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

  /**
   * After a failed attempt (AddUnschedulableIfNotPresent). Errors go to backoffQ; so does a
   * rejection that names no plugin (determineSchedulingHintForInFlightPod: queueAfterBackoff);
   * any other waits in unschedulablePods (no event can arrive while the cycle runs here).
   */
  addUnschedulable(q: QueuedPodInfo, plugins: Set<string>, isError: boolean, pendingPlugins: Set<string> = new Set()): void {
    q.timestampMs = this.clock.nowMs();
    q.unschedulablePlugins = plugins;
    q.pendingPlugins = pendingPlugins;
    q.backoffExpiryMs = q.timestampMs + this.backoffDurationMs(q.attempts);
    if (isError) this.pushBackoff(q);
    else if (plugins.size === 0 && pendingPlugins.size === 0) this.requeue(q);
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

  /**
   * MoveAllToActiveOrBackoffQueue for a cluster event (scheduling_queue.go
   * moveAllToActiveOrBackoffQueue / movePodsToActiveOrBackoffQueue): nothing when no plugin of any
   * profile registered for the event (isEventOfInterest); else each unschedulable pod that passes
   * `preCheck` moves as isPodWorthRequeuing decides. `oldObj` / `newObj` are the event's objects
   * (undefined for Add / Delete respectively).
   */
  onClusterEvent(resource: ClusterEventResource, action: ActionType, oldObj?: unknown, newObj?: unknown, preCheck?: (pod: Pod) => boolean): void {
    if (this.unschedulable.size === 0) return;
    const mask = ACTION_BITS[action];
    if (!this.isEventOfInterest(resource, mask)) return;
    for (const [key, q] of [...this.unschedulable]) {
      if (preCheck !== undefined && !preCheck(q.podInfo.pod)) continue;
      const strategy = this.isPodWorthRequeuing(q, resource, mask, oldObj, newObj);
      if (strategy === QueueingStrategy.Skip) continue;
      this.unschedulable.delete(key);
      this.requeueWithStrategy(q, strategy);
    }
  }

  /** isEventOfInterest: whether any plugin of any profile registered for the event. */
  private isEventOfInterest(resource: ClusterEventResource, mask: number): boolean {
    const k = `${resource}/${mask}`;
    let v = this.interest.get(k);
    if (v === undefined) {
      v = false;
      for (const byPlugin of this.registrations.values()) for (const regs of byPlugin.values()) for (const r of regs) if (resourceMatches(r.resource, resource) && (r.mask & mask) !== 0) v = true;
      this.interest.set(k, v);
    }
    return v;
  }

  /**
   * isPodWorthRequeuing: only the hints of the plugins that rejected the pod
   * (unschedulablePlugins ∪ pendingPlugins) for registrations matching the event count. No
   * rejecting plugin → queueAfterBackoff; a Queue from a Pending plugin → queueImmediately; a
   * Queue from another → queueAfterBackoff; QueueSkip from all → queueSkip.
   */
  isPodWorthRequeuing(q: QueuedPodInfo, resource: ClusterEventResource, mask: number, oldObj: unknown, newObj: unknown): QueueingStrategy {
    const unsched = q.unschedulablePlugins;
    const pending = q.pendingPlugins;
    if (unsched.size === 0 && pending.size === 0) return QueueingStrategy.AfterBackoff;
    const byPlugin = this.registrations.get(q.podInfo.pod.spec.schedulerName ?? this.defaultSchedulerName);
    // No registrations for the profile: upstream logs "shouldn't reach here" and queues.
    if (byPlugin === undefined) return QueueingStrategy.AfterBackoff;
    const pod = q.podInfo.pod;
    let strategy = QueueingStrategy.Skip;
    const judge = (plugin: string): QueueingStrategy => {
      const regs = byPlugin.get(plugin);
      if (regs === undefined) return QueueingStrategy.Skip;
      for (const r of regs) {
        if (!resourceMatches(r.resource, resource) || (r.mask & mask) === 0) continue;
        if (!hintQueues(r.hint, pod, oldObj, newObj)) continue;
        return pending.has(plugin) ? QueueingStrategy.Immediately : QueueingStrategy.AfterBackoff;
      }
      return QueueingStrategy.Skip;
    };
    for (const plugin of unsched) {
      const s = judge(plugin);
      if (s === QueueingStrategy.Immediately) return s;
      if (s === QueueingStrategy.AfterBackoff) {
        if (pending.size === 0) return s;
        strategy = s;
      }
    }
    for (const plugin of pending) {
      if (unsched.has(plugin)) continue;
      const s = judge(plugin);
      if (s === QueueingStrategy.Immediately) return s;
    }
    return strategy;
  }

  /** requeuePodWithQueueingStrategy for a pod taken out of unschedulablePods: backoffQ when the
   *  strategy is queueAfterBackoff and the pod still backs off, else activeQ; queueSkip puts it back. */
  private requeueWithStrategy(q: QueuedPodInfo, strategy: QueueingStrategy): void {
    if (strategy === QueueingStrategy.Skip) this.unschedulable.set(q.podInfo.key, q);
    else if (strategy === QueueingStrategy.AfterBackoff) this.requeue(q);
    else this.pushActive(q);
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
