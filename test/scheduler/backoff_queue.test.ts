// The backoff queue with SchedulerPopFromBackoffQ (on by default since v1.33), transcribed from
// pkg/scheduler/backend/queue/backoff_queue_test.go (v1.35): TestBackoffQueue_calculateBackoffDuration,
// TestBackoffQueue_popAllBackoffCompleted and TestBackoffQueueOrdering (the rows with the gate
// on); then the scheduling queue popping podBackoffQ's head when activeQ is empty
// (active_queue.go unlockedPop), never podErrorBackoffQ's.
import t from 'tap';
import type { QueuedPodInfo } from '../../src/scheduler/framework/types.js';
import { PodInfo } from '../../src/scheduler/framework/types.js';
import { PrioritySort } from '../../src/scheduler/plugins/priority_sort.js';
import { BackoffQueue, SchedulingQueue } from '../../src/scheduler/queue.js';
import { makePod } from './fixtures.js';

const less = (a: QueuedPodInfo, b: QueuedPodInfo) => new PrioritySort().less(a, b);
/** DefaultPodInitialBackoffDuration / DefaultPodMaxBackoffDuration. */
const INITIAL_MS = 1000;
const MAX_MS = 10_000;

function queued(name: string, o: { timestampMs: number; attempts: number; plugins?: string[]; priority?: number }): QueuedPodInfo {
  const pod = makePod(name, o.priority === undefined ? {} : { priority: o.priority });
  return { podInfo: PodInfo.of(pod), timestampMs: o.timestampMs, initialAttemptTimestampMs: undefined, attempts: o.attempts, unschedulablePlugins: new Set(o.plugins ?? []), pendingPlugins: new Set(), backoffExpiryMs: 0 };
}

t.test('TestBackoffQueue_calculateBackoffDuration', async (t) => {
  const rows = [
    { name: 'no backoff', initial: 1, max: 32, attempts: 0, want: 0 },
    { name: 'normal', initial: 1, max: 32, attempts: 16, want: 32 },
    { name: 'overflow_32bit', initial: 1, max: 2 ** 31 - 1, attempts: 32, want: 2 ** 31 - 1 },
    { name: 'overflow_64bit (to the largest safe integer here)', initial: 1, max: Number.MAX_SAFE_INTEGER, attempts: 64, want: Number.MAX_SAFE_INTEGER },
  ];
  for (const r of rows) t.equal(new BackoffQueue(less, r.initial, r.max).backoffDurationMs(r.attempts), r.want, r.name);
  // and the default doubling from 1s, capped at 10s
  t.same([1, 2, 3, 4, 5, 6].map((n) => new BackoffQueue(less, INITIAL_MS, MAX_MS).backoffDurationMs(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

t.test('TestBackoffQueue_popAllBackoffCompleted', async (t) => {
  const now = 1_000_000 + 437; // fakeClock.Now(): any instant
  const pods = () => ({
    pod0: queued('pod0', { timestampMs: now - 2000, attempts: 1, plugins: ['plugin'] }),
    pod1: queued('pod1', { timestampMs: now + 1000, attempts: 1, plugins: ['plugin'] }),
    pod2: queued('pod2', { timestampMs: now - 2000, attempts: 1 }),
    pod3: queued('pod3', { timestampMs: now + 1000, attempts: 1 }),
  });
  const rows: Array<{ name: string; podsInBackoff: Array<'pod0' | 'pod1' | 'pod2' | 'pod3'>; wantPods: string[] }> = [
    { name: 'Both queues empty, no pods moved to activeQ', podsInBackoff: [], wantPods: [] },
    { name: 'Pods only in backoffQ, some pods moved to activeQ', podsInBackoff: ['pod0', 'pod1'], wantPods: ['pod0'] },
    { name: 'Pods only in errorBackoffQ, some pods moved to activeQ', podsInBackoff: ['pod2', 'pod3'], wantPods: ['pod2'] },
    { name: 'Pods in both queues, some pods moved to activeQ', podsInBackoff: ['pod0', 'pod1', 'pod2', 'pod3'], wantPods: ['pod0', 'pod2'] },
    { name: 'Pods in both queues, all pods moved to activeQ', podsInBackoff: ['pod0', 'pod2'], wantPods: ['pod0', 'pod2'] },
    { name: 'Pods in both queues, no pods moved to activeQ', podsInBackoff: ['pod1', 'pod3'], wantPods: [] },
  ];
  for (const r of rows) {
    const bq = new BackoffQueue(less, INITIAL_MS, MAX_MS);
    const p = pods();
    for (const name of r.podsInBackoff) bq.add(p[name]);
    t.same(bq.popAllBackoffCompleted(now).map((q) => q.podInfo.pod.metadata.name), r.wantPods, r.name);
    t.equal(bq.size, r.podsInBackoff.length - r.wantPods.length, `${r.name}: the rest stay`);
  }
});

t.test('TestBackoffQueueOrdering: pods of one window are ordered by priority', async (t) => {
  const now = 2_000_000; // aligned with the ordering window
  const bq = new BackoffQueue(less, INITIAL_MS, MAX_MS);
  bq.add(queued('pod0', { timestampMs: now, attempts: 1, plugins: ['plugin'], priority: 1 }));
  bq.add(queued('pod1', { timestampMs: now - 1000, attempts: 1, plugins: ['plugin'], priority: 1 }));
  bq.add(queued('pod2', { timestampMs: now - 2000 + 1, attempts: 1, plugins: ['plugin'], priority: 2 }));
  bq.add(queued('pod3', { timestampMs: now - 2000, attempts: 1, plugins: ['plugin'], priority: 1 }));
  bq.add(queued('pod4', { timestampMs: now - 2000, attempts: 1, plugins: ['plugin'], priority: 2 }));
  bq.add(queued('pod5', { timestampMs: now - 3000, attempts: 1, plugins: ['plugin'], priority: 1 }));
  t.same(bq.popAllBackoffCompleted(now).map((q) => q.podInfo.pod.metadata.name), ['pod5', 'pod4', 'pod2', 'pod3']);
});

t.test('isPodBackingoff: a pod backs off through the window its backoff ends in', async (t) => {
  const bq = new BackoffQueue(less, INITIAL_MS, MAX_MS);
  const q = queued('p', { timestampMs: 10_000, attempts: 1, plugins: ['plugin'] }); // ends at 11.0s
  t.equal(bq.isBackingOff(q, 10_999), true);
  t.equal(bq.isBackingOff(q, 11_000), true, 'still in the window its backoff ends in');
  t.equal(bq.isBackingOff(q, 11_999), true);
  t.equal(bq.isBackingOff(q, 12_000), false);
  t.equal(bq.isBackingOff(queued('new', { timestampMs: 10_000, attempts: 0 }), 10_000), false, 'never tried: no backoff');
});

/** A queue on a hand-driven clock: `advance` runs the timers due. */
function harness() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  let woken = 0;
  const queue = new SchedulingQueue(less, { nowMs: () => now, at: (at, fn) => void timers.push({ at, fn }) }, { initialBackoffMs: INITIAL_MS, maxBackoffMs: MAX_MS, maxInUnschedulableMs: 300_000 }, new Map([['default-scheduler', new Map([['plugin', [{ resource: 'Node' as const, actions: ['Add' as const] }]]])]]));
  queue.onActive = () => woken++;
  return {
    queue,
    woken: () => woken,
    advance(to: number) {
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > to) break;
        timers.shift();
        now = next.at;
        next.fn();
      }
      now = to;
    },
    /** Adds, pops and fails a pod: rejected by `plugin`, or an error. */
    fail(name: string, how: 'rejected' | 'error', priority = 0): QueuedPodInfo {
      queue.add(PodInfo.of(makePod(name, { priority })), false);
      const q = queue.pop()!;
      queue.addUnschedulable(q, new Set(['plugin']), how === 'error');
      return q;
    },
  };
}

t.test('with activeQ empty, the scheduler pops podBackoffQ at once; podErrorBackoffQ waits for the flush', async (t) => {
  const h = harness();
  h.advance(5_300);
  h.fail('rejected', 'rejected');
  h.fail('failed', 'error');
  t.equal(h.queue.where('default/rejected'), 'unschedulable');
  t.equal(h.queue.where('default/failed'), 'backoff');
  t.equal(h.queue.poppable, false, 'an error backoff is not popped early');
  const wokenBefore = h.woken();
  h.advance(5_500);
  h.queue.onClusterEvent('Node', 'Add'); // moves `rejected`, still backing off, to podBackoffQ
  t.equal(h.queue.where('default/rejected'), 'backoff');
  t.equal(h.queue.poppable, true);
  t.equal(h.woken(), wokenBefore + 1, 'the scheduler is woken');
  const popped = h.queue.pop()!;
  t.equal(popped.podInfo.pod.metadata.name, 'rejected', 'popped before its backoff (6.0s window) is over');
  t.equal(popped.attempts, 2);
  t.equal(h.queue.pop(), undefined, 'the errored pod is not');
  h.advance(6_999);
  t.equal(h.queue.where('default/failed'), 'backoff', 'backing off through the 6s window');
  h.advance(7_000);
  t.equal(h.queue.where('default/failed'), 'active', 'flushed at the next window');
});

t.test('a pod whose backoff is over when the event comes goes straight to activeQ', async (t) => {
  const h = harness();
  h.advance(1_000);
  h.fail('p', 'rejected');
  h.advance(3_000); // backoff ended at 2.0s, in the 2s window; over from 3.0s
  h.queue.onClusterEvent('Node', 'Add');
  t.equal(h.queue.where('default/p'), 'active');
});
