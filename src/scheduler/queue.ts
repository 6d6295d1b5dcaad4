// The scheduling queue, after pkg/scheduler/backend/queue/scheduling_queue.go (v1.35):
// activeQ ordered by the profile's QueueSort plugin; unschedulablePods, flushed after 5m; and the
// backoff queue of backoff_queue.go with SchedulerPopFromBackoffQ (beta, on by default since
// v1.33, KEP-5142): backoff (1s doubling to 10s by default) ends at the start of a 1s ordering
// window (alignToWindow) and a pod still backs off during that window (isPodBackingoff); pods
// rejected by plugins wait in podBackoffQ, ordered by window then as activeQ orders them, and
// when activeQ is empty the scheduler pops podBackoffQ's head at once (active_queue.go
// unlockedPop); pods that failed with an error wait in podErrorBackoffQ, which only the flush
// empties. Flushes run on the scheduler's 1s (window-aligned) and 30s tickers (k × period from
// start), scheduled only when something waits.
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

/** backoffQOrderingWindowDuration: backoff ends are truncated to whole windows. */
export const BACKOFF_ORDERING_WINDOW_MS = 1000;

/** alignToWindow: the start of the ordering window holding `ms`. */
function alignToWindow(ms: number): number {
  return Math.floor(ms / BACKOFF_ORDERING_WINDOW_MS) * BACKOFF_ORDERING_WINDOW_MS;
}

/**
 * backoff_queue.go with SchedulerPopFromBackoffQ: podBackoffQ (pods rejected by plugins; by
 * backoff window, then as activeQ orders them: lessBackoffCompletedWithPriority) and
 * podErrorBackoffQ (pods that failed with an error; by backoff window: lessBackoffCompleted).
 */
export class BackoffQueue {
  private readonly podBackoffQ: Heap;
  private readonly podErrorBackoffQ = new Heap((a, b) => a.backoffExpiryMs < b.backoffExpiryMs);

  constructor(
    activeQLess: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    private readonly initialBackoffMs: number,
    private readonly maxBackoffMs: number,
  ) {
    this.podBackoffQ = new Heap((a, b) => (a.backoffExpiryMs !== b.backoffExpiryMs ? a.backoffExpiryMs < b.backoffExpiryMs : activeQLess(a, b)));
  }

  get size(): number {
    return this.podBackoffQ.size + this.podErrorBackoffQ.size;
  }

  /** lenBackoff: the pods the scheduler may pop early (podBackoffQ's). */
  get backoffSize(): number {
    return this.podBackoffQ.size;
  }

  /** calculateBackoffDuration: initial × 2^(attempts−1), capped at max; 0 before any attempt. */
  backoffDurationMs(attempts: number): number {
    if (attempts === 0) return 0;
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (d > this.maxBackoffMs - d) return this.maxBackoffMs;
      d += d;
    }
    return d;
  }

  /** getBackoffTime: the start of the window the backoff ends in (timestamp and attempts do not
   *  change while the pod waits; upstream caches it until the next pop the same way). A pod never
   *  tried has none (Go's zero time). */
  backoffTimeMs(q: QueuedPodInfo): number {
    return q.attempts === 0 ? -Infinity : alignToWindow(q.timestampMs + this.backoffDurationMs(q.attempts));
  }

  /** isPodBackingoff: the backoff time is not before the current window's start. */
  isBackingOff(q: QueuedPodInfo, nowMs: number): boolean {
    return !(this.backoffTimeMs(q) < alignToWindow(nowMs));
  }

  /** add: a pod that no plugin rejected (an error) goes to podErrorBackoffQ. */
  add(q: QueuedPodInfo): void {
    q.backoffExpiryMs = this.backoffTimeMs(q);
    if (q.unschedulablePlugins.size === 0 && q.pendingPlugins.size === 0) this.podErrorBackoffQ.push(q);
    else this.podBackoffQ.push(q);
  }

  get(key: string): QueuedPodInfo | undefined {
    return this.podBackoffQ.get(key) ?? this.podErrorBackoffQ.get(key);
  }

  has(key: string): boolean {
    return this.podBackoffQ.has(key) || this.podErrorBackoffQ.has(key);
  }

  delete(key: string): QueuedPodInfo | undefined {
    return this.podBackoffQ.delete(key) ?? this.podErrorBackoffQ.delete(key);
  }

  /** The pod's fields changed (update): re-sort it. */
  fix(key: string): void {
    this.podBackoffQ.fix(key);
  }

  /** popBackoff: podBackoffQ's head, backing off or not (never podErrorBackoffQ's). */
  popBackoff(): QueuedPodInfo | undefined {
    return this.podBackoffQ.pop();
  }

  /** popEachBackoffCompleted: podBackoffQ's, then podErrorBackoffQ's pods done backing off. */
  popAllBackoffCompleted(nowMs: number): QueuedPodInfo[] {
    const done: QueuedPodInfo[] = [];
    for (const heap of [this.podBackoffQ, this.podErrorBackoffQ]) {
      for (let q = heap.peek(); q !== undefined && !this.isBackingOff(q, nowMs); q = heap.peek()) done.push(heap.pop()!);
    }
    return done;
  }

  /** The earliest backoff time waiting, if any. */
  nextBackoffTimeMs(): number | undefined {
    const a = this.podBackoffQ.peek()?.backoffExpiryMs;
    const b = this.podErrorBackoffQ.peek()?.backoffExpiryMs;
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }
}

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
  private readonly backoffQ: BackoffQueue;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods rejected by a PreEnqueue plugin (scheduling gates), by key. */
  private readonly gated = new Map<string, QueuedPodInfo>();
  private backoffFlushAt = -1;
  private leftoverFlushAt = -1;
  /** Called whenever the queue goes from nothing to pop to something to pop (see poppable). */
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
    this.backoffQ = new BackoffQueue(less, config.initialBackoffMs, config.maxBackoffMs);
    for (const [profile, byPlugin] of eventsByProfile) {
      const m = new Map<string, CompiledRegistration[]>();
      for (const [plugin, events] of byPlugin) m.set(plugin, events.map((e) => ({ resource: e.resource, mask: actionBits(e.actions), hint: e.queueingHintFn })));
      this.registrations.set(profile, m);
    }
  }

  get activeCount(): number {
    return this.activeQ.size;
  }

  /** Whether pop() has a pod to give: activeQ's head, or (activeQ empty) podBackoffQ's. */
  get poppable(): boolean {
    return this.activeQ.size > 0 || this.backoffQ.backoffSize > 0;
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
      this.backoffQ.fix(key);
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

  /** unlockedPop: activeQ's head; with activeQ empty, podBackoffQ's head, backing off or not. */
  pop(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop() ?? this.backoffQ.popBackoff();
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
    // An error leaves upstream's UnschedulablePlugins and PendingPlugins empty (cleared at pop;
    // only a FitError sets them), so the pod waits in podErrorBackoffQ.
    q.unschedulablePlugins = isError ? new Set() : plugins;
    q.pendingPlugins = isError ? new Set() : pendingPlugins;
    q.backoffExpiryMs = this.backoffQ.backoffTimeMs(q);
    if (isError) this.pushBackoff(q);
    else if (plugins.size === 0 && pendingPlugins.size === 0) this.requeue(q);
    else {
      this.unschedulable.set(q.podInfo.key, q);
      this.scheduleLeftoverFlush(q.timestampMs);
    }
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
    if (this.backoffQ.isBackingOff(q, this.clock.nowMs())) this.pushBackoff(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPodInfo): void {
    const wasIdle = !this.poppable;
    this.activeQ.push(q);
    if (wasIdle) this.onActive();
  }

  private pushBackoff(q: QueuedPodInfo): void {
    const wasIdle = !this.poppable;
    this.backoffQ.add(q);
    if (wasIdle && this.poppable) this.onActive();
    this.scheduleBackoffFlush(q.backoffExpiryMs);
  }

  /** flushBackoffQCompleted runs every 1s, aligned with the windows
   *  (waitUntilAlignedWithOrderingWindow): the first tick after the pod's window moves it. */
  private scheduleBackoffFlush(expiryMs: number): void {
    const tick = alignToWindow(expiryMs) + BACKOFF_ORDERING_WINDOW_MS;
    if (this.backoffFlushAt !== -1 && this.backoffFlushAt <= tick) return;
    this.backoffFlushAt = tick;
    this.clock.at(tick, () => this.flushBackoff(tick));
  }

  /** flushBackoffQCompleted: every pod done backing off to activeQ. */
  private flushBackoff(tick: number): void {
    if (this.backoffFlushAt !== tick) return;
    this.backoffFlushAt = -1;
    for (const q of this.backoffQ.popAllBackoffCompleted(this.clock.nowMs())) this.pushActive(q);
    const next = this.backoffQ.nextBackoffTimeMs();
    if (next !== undefined) this.scheduleBackoffFlush(next);
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
