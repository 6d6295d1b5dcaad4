// Tests for the scheduling queue's QueueingHint handling (src/scheduler/queue.ts), after
// pkg/scheduler/backend/queue/scheduling_queue_test.go (v1.35):
//   - TestPriorityQueue_MoveAllToActiveOrBackoffQueueWithQueueingHint: rows "Queue queues pod to
//     activeQ" (Pending plugin), "Queue queues pod to backoffQ if Pod is backing off", "Queue
//     queues pod to activeQ if Pod is not backing off", "Skip queues pod to unschedulableEntities".
//     Left out: the wildcard-event rows (the only wildcard event here is the 5m flush, after which
//     no pod still backs off) and the gated rows (gated pods wait in their own pool here and are
//     re-checked by PreEnqueue on their own updates);
//   - TestPriorityQueue_MoveAllToActiveOrBackoffQueue, without its in-flight bookkeeping (a
//     scheduling cycle runs at one instant here, so no event arrives while a pod is in flight).
// The rest checks isPodWorthRequeuing's rules as scheduling_queue.go states them: only the
// rejecting plugins' hints count, the first Queue wins, an error means Queue, a nil hint means
// Queue, and ActionType matching is a bit-set intersection (ClusterEvent.Match).
import t from 'tap';
import type { Node, Pod } from '../../src/api/types.js';
import { PodInfo, type ClusterEventWithHint, type QueueingHintFn, type QueuedPodInfo } from '../../src/scheduler/framework/types.js';
import { type EventsByPlugin, QueueingStrategy, SchedulingQueue } from '../../src/scheduler/queue.js';
import { makeNode, makePod } from './fixtures.js';

/** A clock the test moves by hand; `at` callbacks run when `advance` passes them. */
class ManualClock {
  now = 0;
  private timers: Array<{ at: number; fn: () => void; seq: number }> = [];
  private seq = 0;
  nowMs(): number {
    return this.now;
  }
  at(timeMs: number, fn: () => void): void {
    this.timers.push({ at: timeMs, fn, seq: this.seq++ });
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (next === undefined || next.at > until) break;
      this.timers.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = until;
  }
}

const byPriority = (a: QueuedPodInfo, b: QueuedPodInfo) => (b.podInfo.pod.spec.priority ?? 0) - (a.podInfo.pod.spec.priority ?? 0) < 0 || ((a.podInfo.pod.spec.priority ?? 0) === (b.podInfo.pod.spec.priority ?? 0) && a.timestampMs < b.timestampMs);

function newQueue(byPlugin: Record<string, ClusterEventWithHint[]>, profiles: Record<string, Record<string, ClusterEventWithHint[]>> = {}): { q: SchedulingQueue; clock: ManualClock } {
  const clock = new ManualClock();
  const m = new Map<string, EventsByPlugin>([['default-scheduler', new Map(Object.entries(byPlugin))]]);
  for (const [name, regs] of Object.entries(profiles)) m.set(name, new Map(Object.entries(regs)));
  const q = new SchedulingQueue(byPriority, clock, { initialBackoffMs: 1000, maxBackoffMs: 10_000, maxInUnschedulableMs: 300_000 }, m);
  return { q, clock };
}

const queueHintReturnQueue: QueueingHintFn = () => 'Queue';
const queueHintReturnSkip: QueueingHintFn = () => 'QueueSkip';
const nodeAdd = (fn?: QueueingHintFn): ClusterEventWithHint => (fn ? { resource: 'Node', actions: ['Add'], queueingHintFn: fn } : { resource: 'Node', actions: ['Add'] });

/** Add, pop (one attempt) and fail the pod with the given rejecting plugins. */
function failOnce(q: SchedulingQueue, pod: Pod, unschedulable: string[], pending: string[] = []): void {
  q.add(PodInfo.of(pod), false);
  const popped = q.pop();
  if (popped?.podInfo.pod !== pod) throw new Error('expected to pop the pod just added');
  q.addUnschedulable(popped, new Set(unschedulable), false, new Set(pending));
}

const p = makePod('pod1', {}, { namespace: 'ns1', uid: '1', labels: { foo: 'bar' } });

t.test('scheduling_queue_test.go TestPriorityQueue_MoveAllToActiveOrBackoffQueueWithQueueingHint', async (t) => {
  const rows: Array<{ name: string; unschedulable: string[]; pending: string[]; hint: QueueingHintFn; durationMs: number; want: string }> = [
    // This pod has PendingPlugins and hence will be pushed directly to activeQ.
    { name: 'Queue queues pod to activeQ', unschedulable: [], pending: ['foo'], hint: queueHintReturnQueue, durationMs: 0, want: 'active' },
    { name: 'Queue queues pod to backoffQ if Pod is backing off', unschedulable: ['foo'], pending: [], hint: queueHintReturnQueue, durationMs: 0, want: 'backoff' },
    // One failed attempt backs off 1s; upstream waits 1s + 1s.
    { name: 'Queue queues pod to activeQ if Pod is not backing off', unschedulable: ['foo'], pending: [], hint: queueHintReturnQueue, durationMs: 2000, want: 'active' },
    { name: 'Skip queues pod to unschedulableEntities', unschedulable: ['foo'], pending: [], hint: queueHintReturnSkip, durationMs: 0, want: 'unschedulable' },
  ];
  for (const row of rows) {
    const { q, clock } = newQueue({ foo: [nodeAdd(row.hint)] });
    failOnce(q, p, row.unschedulable, row.pending);
    t.equal(q.where('ns1/pod1'), 'unschedulable', `${row.name}: waits in unschedulablePods first`);
    // Advance without running the 1s backoff flush (the pod is not in backoffQ yet anyway).
    clock.now += row.durationMs;
    q.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
    t.equal(q.where('ns1/pod1'), row.want, row.name);
  }
});

t.test('scheduling_queue_test.go TestPriorityQueue_MoveAllToActiveOrBackoffQueue (no in-flight pods)', async (t) => {
  const { q, clock } = newQueue({ fooPlugin: [nodeAdd(queueHintReturnQueue)] });
  const unschedulablePod = makePod('up', {}, { namespace: 'ns1', uid: 'upns1' });
  const highPriorityPod = makePod('hpp', { priority: 100 }, { namespace: 'ns1', uid: 'hppns1' });
  const medPriorityPod = makePod('mpp', { priority: 50 }, { namespace: 'ns2', uid: 'mppns2' });
  const hpp1 = makePod('hpp1', { priority: 100 }, { namespace: 'ns1', uid: 'hpp1' });
  const hpp2 = makePod('hpp2', { priority: 100 }, { namespace: 'ns1', uid: 'hpp2' });
  failOnce(q, unschedulablePod, ['fooPlugin']);
  failOnce(q, highPriorityPod, ['fooPlugin']);
  // No failure plugin: straight to backoffQ.
  failOnce(q, hpp1, []);
  t.equal(q.where('ns1/hpp1'), 'backoff', 'a pod no plugin rejected goes to backoffQ');
  // Rejected by barPlugin, which registered nothing: it stays.
  failOnce(q, hpp2, ['barPlugin']);
  // This NodeAdd moves unschedulablePod and highPriorityPod to backoffQ (fooPlugin's hint).
  q.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
  q.add(PodInfo.of(medPriorityPod), false);
  t.equal(q.activeCount, 1, 'only medPriorityPod in activeQ');
  t.equal(q.pop()?.podInfo.pod, medPriorityPod);
  t.same([q.where('ns1/up'), q.where('ns1/hpp'), q.where('ns1/hpp1'), q.where('ns1/hpp2')], ['backoff', 'backoff', 'backoff', 'unschedulable'], 'hpp2 was not moved');
  // After the maximum backoff every pod in backoffQ has reached activeQ.
  clock.advance(10_000);
  t.same([q.where('ns1/up'), q.where('ns1/hpp'), q.where('ns1/hpp1'), q.where('ns1/hpp2')], ['active', 'active', 'active', 'unschedulable']);
  // Fail them all again, then let their backoff pass while they wait: NodeAdd moves the two
  // fooPlugin pods straight to activeQ; hpp1 went to backoffQ (no plugin) and is flushed.
  while (q.activeCount > 0) {
    const qp = q.pop()!;
    const plugins = qp.podInfo.pod === hpp1 ? [] : ['fooPlugin'];
    q.addUnschedulable(qp, new Set(plugins), false);
  }
  q.add(PodInfo.of(medPriorityPod), false);
  t.same([q.where('ns1/up'), q.where('ns1/hpp'), q.where('ns1/hpp1'), q.where('ns1/hpp2'), q.where('ns2/mpp')], ['unschedulable', 'unschedulable', 'backoff', 'unschedulable', 'active']);
  clock.advance(10_000);
  q.onClusterEvent('Node', 'Add', undefined, makeNode('n2'));
  t.equal(q.activeCount, 4, '4 pods in activeQ');
  t.equal(q.where('ns1/hpp2'), 'unschedulable', 'hpp2 is never moved by NodeAdd');
});

t.test('isPodWorthRequeuing: only the hints of the rejecting plugins count', async (t) => {
  const calls: string[] = [];
  const spy =
    (name: string, hint: 'Queue' | 'QueueSkip'): QueueingHintFn =>
    () => {
      calls.push(name);
      return hint;
    };
  const { q } = newQueue({ a: [nodeAdd(spy('a', 'Queue'))], b: [nodeAdd(spy('b', 'QueueSkip'))] });
  failOnce(q, p, ['b']);
  q.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
  t.same(calls, ['b'], "a's hint is not called: a did not reject the pod");
  t.equal(q.where('ns1/pod1'), 'unschedulable', "b's QueueSkip keeps the pod");
});

t.test('isPodWorthRequeuing: the first Queue wins; QueueSkip from all keeps the pod', async (t) => {
  const { q } = newQueue({ a: [nodeAdd(queueHintReturnSkip)], b: [nodeAdd(queueHintReturnQueue)] });
  failOnce(q, p, ['a', 'b']);
  q.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
  t.equal(q.where('ns1/pod1'), 'backoff', "b's Queue moves the pod (still backing off)");
  const { q: q2 } = newQueue({ a: [nodeAdd(queueHintReturnSkip)], b: [nodeAdd(queueHintReturnSkip)] });
  failOnce(q2, p, ['a', 'b']);
  q2.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
  t.equal(q2.where('ns1/pod1'), 'unschedulable');
});

t.test('isPodWorthRequeuing: an error (returned or thrown) means Queue; no hint means Queue', async (t) => {
  for (const [name, reg] of [
    ['returned Error', nodeAdd(() => new Error('boom'))],
    ['thrown', nodeAdd(() => {
      throw new Error('boom');
    })],
    ['nil QueueingHintFn', nodeAdd()],
  ] as const) {
    const { q } = newQueue({ foo: [reg] });
    failOnce(q, p, ['foo']);
    q.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
    t.equal(q.where('ns1/pod1'), 'backoff', name);
  }
});

t.test('isPodWorthRequeuing: strategies (queueImmediately only from a Pending plugin)', async (t) => {
  const { q } = newQueue({ u: [nodeAdd(queueHintReturnQueue)], pend: [nodeAdd(queueHintReturnSkip)] });
  q.add(PodInfo.of(p), false);
  const qp = q.pop()!;
  const check = (unsched: string[], pending: string[]) => {
    qp.unschedulablePlugins = new Set(unsched);
    qp.pendingPlugins = new Set(pending);
    return q.isPodWorthRequeuing(qp, 'Node', 1, undefined, makeNode('n'));
  };
  t.equal(check([], []), QueueingStrategy.AfterBackoff, 'no rejecting plugin: queueAfterBackoff');
  t.equal(check(['u'], []), QueueingStrategy.AfterBackoff);
  t.equal(check(['u'], ['pend']), QueueingStrategy.AfterBackoff, 'the Pending plugin says QueueSkip');
  t.equal(check(['pend'], ['pend']), QueueingStrategy.Skip);
  const { q: q2 } = newQueue({ pend: [nodeAdd(queueHintReturnQueue)] });
  q2.add(PodInfo.of(p), false);
  const qp2 = q2.pop()!;
  qp2.unschedulablePlugins = new Set(['pend']);
  qp2.pendingPlugins = new Set(['pend']);
  t.equal(q2.isPodWorthRequeuing(qp2, 'Node', 1, undefined, makeNode('n')), QueueingStrategy.Immediately);
});

t.test('ClusterEvent.Match: bit sets, Pod matches AssignedPod and UnscheduledPod', async (t) => {
  const seen: string[] = [];
  const rec: QueueingHintFn = (_pod, oldObj, newObj) => {
    seen.push(`${(oldObj as Pod | undefined)?.metadata.name ?? '-'}>${(newObj as Pod | undefined)?.metadata.name ?? '-'}`);
    return 'QueueSkip';
  };
  const { q } = newQueue({ lbl: [{ resource: 'Pod', actions: ['UpdatePodLabel'], queueingHintFn: rec }], upd: [{ resource: 'Node', actions: ['Update'], queueingHintFn: rec }] });
  failOnce(q, p, ['lbl', 'upd']);
  const a = makePod('a', { nodeName: 'n' });
  const b = makePod('b', { nodeName: 'n' });
  q.onClusterEvent('AssignedPod', 'Update', a, b);
  q.onClusterEvent('AssignedPod', 'UpdatePodLabel', a, b);
  q.onClusterEvent('AssignedPod', 'UpdatePodScaleDown', a, b);
  q.onClusterEvent('AssignedPod', 'Delete', a, undefined);
  const n1: Node = makeNode('n1');
  const n2: Node = makeNode('n2');
  q.onClusterEvent('Node', 'UpdateNodeTaint', n1, n2);
  q.onClusterEvent('Node', 'Add', undefined, n2);
  t.same(seen, ['a>b', 'a>b', 'n1>n2'], 'a general Update matches UpdatePodLabel; UpdatePodLabel only itself; Node Update matches UpdateNodeTaint');
});

t.test('updatePodOther (a pod update no named ActionType covers) matches only registrations for every Update', async (t) => {
  const seen: string[] = [];
  const rec =
    (name: string): QueueingHintFn =>
    () => {
      seen.push(name);
      return 'QueueSkip';
    };
  const { q } = newQueue({
    tol: [{ resource: 'Pod', actions: ['UpdatePodToleration'], queueingHintFn: rec('tol') }],
    all: [{ resource: 'Pod', actions: ['Update'], queueingHintFn: rec('all') }],
  });
  failOnce(q, p, ['tol', 'all']);
  q.onClusterEvent('UnscheduledPod', 'updatePodOther', p, p);
  t.same(seen, ['all']);
});

t.test('each pod is judged by its own profile\'s registrations', async (t) => {
  const { q } = newQueue({ foo: [nodeAdd(queueHintReturnSkip)] }, { other: { foo: [nodeAdd(queueHintReturnQueue)] } });
  const mine = makePod('mine', {}, { namespace: 'ns1' });
  const theirs = makePod('theirs', { schedulerName: 'other' }, { namespace: 'ns1' });
  failOnce(q, mine, ['foo']);
  failOnce(q, theirs, ['foo']);
  q.onClusterEvent('Node', 'Add', undefined, makeNode('n'));
  t.same([q.where('ns1/mine'), q.where('ns1/theirs')], ['unschedulable', 'backoff']);
});

t.test('an update of an unschedulable pod goes through the hints (scheduling_queue.go Update)', async (t) => {
  const gatesHint: QueueingHintFn = (pod, _o, n) => ((n as Pod).metadata.uid === pod.metadata.uid ? 'Queue' : 'QueueSkip');
  const { q } = newQueue({ tol: [{ resource: 'Pod', actions: ['UpdatePodToleration'], queueingHintFn: gatesHint }] });
  failOnce(q, p, ['tol']);
  const relabelled: Pod = { ...p, metadata: { ...p.metadata, labels: { foo: 'baz' } } };
  q.update(PodInfo.of(relabelled), false, p, ['UpdatePodLabel']);
  t.equal(q.where('ns1/pod1'), 'unschedulable', 'a label update is of no interest to the rejecting plugin');
  const tolerating: Pod = { ...relabelled, spec: { ...relabelled.spec, tolerations: [{ key: 'k', operator: 'Exists' }] } };
  q.update(PodInfo.of(tolerating), false, relabelled, ['UpdatePodToleration']);
  t.equal(q.where('ns1/pod1'), 'backoff', 'the toleration update queues it (still backing off)');
});

t.test('the 5m flush still moves every pod', async (t) => {
  const { q, clock } = newQueue({ foo: [nodeAdd(queueHintReturnSkip)] });
  failOnce(q, p, ['foo']);
  clock.advance(300_000);
  t.equal(q.where('ns1/pod1'), 'unschedulable', 'not yet: strictly more than 5m');
  clock.advance(30_000);
  t.equal(q.where('ns1/pod1'), 'active');
});
