// The scheduler's events go through events.k8s.io/v1 (cmd/kube-scheduler: the
// EventBroadcasterAdapter's events.k8s.io recorder, one per profile named by its schedulerName):
// schedule_one.go's Eventf(pod, nil, Normal, "Scheduled", "Binding", ...) and
// Eventf(pod, nil, Warning, "FailedScheduling", "Scheduling", msg); preemption.go's
// Eventf(victim, preemptor, Normal, "Preempted", "Preempting", ...).
import t from 'tap';
import type { Event, Pod, PriorityClass } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import { makeNode, makePod } from './fixtures.js';

function cluster(): Cluster {
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: { profiles: [{}, { schedulerName: 'packer' }], percentageOfNodesToScore: 0 },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
  c.store.create(makeNode('n1', { cpu: '2', memory: '8Gi', pods: '110' }), 'test');
  return c;
}

function pod(name: string, cpu: string, extra: Partial<Pod['spec']> = {}): Pod {
  const p = makePod(name, { containers: [{ name: 'c', image: 'img', resources: { requests: { cpu } } }], ...extra });
  delete p.metadata.uid;
  return p;
}

const eventsFor = (c: Cluster, name: string, reason: string) => [...c.store.list<Event>('Event')].filter((e) => e.involvedObject.name === name && e.reason === reason);

t.test('Scheduled: action Binding, reported by the profile that bound the pod', async (t) => {
  const c = cluster();
  c.store.create(pod('a', '100m'), 'test');
  c.store.create(pod('b', '100m', { schedulerName: 'packer' }), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  t.match(eventsFor(c, 'a', 'Scheduled'), [
    { type: 'Normal', action: 'Binding', message: 'Successfully assigned default/a to n1', reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-control-plane', source: {}, eventTime: 0 },
  ]);
  t.match(eventsFor(c, 'b', 'Scheduled'), [{ reportingComponent: 'packer', reportingInstance: 'packer-control-plane' }]);
  t.equal(eventsFor(c, 'a', 'Scheduled')[0]!.count, undefined, 'no core/v1 count');
});

t.test('FailedScheduling: a retry of the unchanged pod joins a series; the pod\'s new resourceVersion starts a new Event', async (t) => {
  const c = cluster();
  c.store.create(pod('big', '4'), 'test');
  c.run({ untilMs: 20 * 60_000, maxSteps: 1e6 });
  // Tried at 0, then at each 5m flush (30s ticks): 5m30s, 11m, 16m30s. The first failure writes
  // the PodScheduled=False condition (a new resourceVersion); later ones change nothing.
  const tries = c.events.occurrences.filter((o) => o.involvedObject.name === 'big' && o.reason === 'FailedScheduling');
  t.same(
    tries.map((o) => [o.timeMs, o.involvedObject.resourceVersion]),
    [
      [0, '2'],
      [330_000, '4'],
      [660_000, '4'],
      [990_000, '4'],
    ],
  );
  const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
  const events = () => eventsFor(c, 'big', 'FailedScheduling');
  t.match(events(), [
    { type: 'Warning', action: 'Scheduling', message, eventTime: 0, involvedObject: { resourceVersion: '2' } },
    { message, eventTime: 330_000, involvedObject: { resourceVersion: '4' }, series: { count: 2, lastObservedTime: 660_000 } },
  ]);
  t.equal(events()[0]!.series, undefined, 'the first stays a singleton');
  // The third try of the series only counted in memory. With the pod gone (no more tries), the
  // finish pass at 24m (more than 6m after 16m30s) writes the final count.
  c.store.delete('Pod', 'default', 'big', 'test');
  c.run({ untilMs: 24 * 60_000, maxSteps: 1e6 });
  t.same(events()[1]!.series, { count: 3, lastObservedTime: 990_000 });
  t.equal(c.scheduler.recorder.cached, 0, 'both forgotten by then');
});

t.test('Preempted: regarding the victim, related the preemptor', async (t) => {
  const c = cluster();
  const high: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 };
  c.store.create(high, 'test');
  c.store.create(pod('low', '2'), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  c.store.create(pod('urgent', '2', { priorityClassName: 'high' }), 'test');
  c.run({ untilMs: 2_000, maxSteps: 1e6 });
  const urgent = c.store.get<Pod>('Pod', 'default', 'urgent')!;
  t.match(eventsFor(c, 'low', 'Preempted'), [
    { action: 'Preempting', message: `Preempted by pod ${urgent.metadata.uid} on node n1`, related: { kind: 'Pod', name: 'urgent', uid: urgent.metadata.uid }, reportingComponent: 'default-scheduler' },
  ]);
});
