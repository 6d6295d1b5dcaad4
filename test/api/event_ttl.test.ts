// Events expire: kube-apiserver's --event-ttl (1h) on every Event write, through the etcd3
// store's shared leases (staging/src/k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go). The
// lease-reuse rows follow lease_manager_test.go (TestGetReuseDurationSeconds) and store_test.go
// (TestLeaseMaxObjectCount: with room for 2 objects, the third write gets a new lease).
import t from 'tap';
import { EventRecorder } from '../../src/api/events.js';
import { LEASE_MAX_OBJECT_COUNT, type Lease, LeaseManager } from '../../src/api/etcd_lease.js';
import { Store, type WatchEvent } from '../../src/api/store.js';
import type { Event, Pod } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import { Simulation } from '../../src/engine/sim.js';

const HOUR_S = 3600;

t.test('GetLease: ttl + min(5% of ttl, 60s); reused while it ends within (ttl, ttl + reuse] of now', async (t) => {
  const granted: Lease[] = [];
  const m = new LeaseManager((l) => granted.push(l));
  // TestGetReuseDurationSeconds: 5% of a 1h TTL is 180s, capped at 60s; 5% of 50s is 2s (truncated).
  t.equal(m.attach('a', 0, HOUR_S).expiresMs, 3_660_000);
  const small = new LeaseManager(() => {});
  t.equal(small.attach('x', 0, 50).expiresMs, 52_000);
  t.equal(m.attach('b', 59_999, HOUR_S).id, 1, 'at 59.999s the lease ends within (1h, 1h1m] of now: reused');
  t.equal(m.attach('c', 60_000, HOUR_S).id, 2, 'at 60s it ends exactly 1h from now: not valid, a new lease');
  t.equal(granted.length, 2);
  t.equal(granted[1]!.expiresMs, 60_000 + 3_660_000);
});

t.test('TestLeaseMaxObjectCount: every write counts against the shared lease', async (t) => {
  const m = new LeaseManager(() => {});
  const ids = [];
  for (let i = 0; i <= LEASE_MAX_OBJECT_COUNT; i++) ids.push(m.attach(`k${i}`, 0, HOUR_S).id);
  t.equal(ids[LEASE_MAX_OBJECT_COUNT - 1], 1, `the ${LEASE_MAX_OBJECT_COUNT}th object still shares it`);
  t.equal(ids[LEASE_MAX_OBJECT_COUNT], 2, 'the next one gets a new lease (its count starting at 1)');
});

t.test('a key written again moves to that write\'s lease', async (t) => {
  const m = new LeaseManager(() => {});
  const first = m.attach('k', 0, HOUR_S);
  const second = m.attach('k', 120_000, HOUR_S);
  t.not(first.id, second.id);
  t.same(m.expire(first), [], 'nothing left on the first lease');
  t.same(m.expire(second), ['k']);
});

function setup() {
  const sim = new Simulation(1, { keepTrace: false, digest: false });
  const store = new Store(sim, 0, { eventTtlSeconds: HOUR_S });
  const recorder = new EventRecorder(store, sim.stream('events/aggregator'));
  const deleted: Array<[number, string, string]> = [];
  store.observe((ev: WatchEvent, verb, actor) => {
    if (ev.type === 'DELETED') deleted.push([sim.nowMs, ev.object.metadata.name, `${actor} ${verb}`]);
  });
  const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: name }, spec: { containers: [] }, status: {} });
  const at = (ms: number, fn: () => void = () => {}) => {
    sim.at(ms, 'test', fn);
    sim.run({ untilMs: ms, maxSteps: 1e6 });
  };
  return { sim, store, recorder, deleted, pod, at };
}

t.test('an Event is deleted when its lease ends, 1h1m after the write that granted it', async (t) => {
  const { store, recorder, deleted, pod, at } = setup();
  at(0, () => recorder.record(pod('a'), 'Normal', 'Started', 'm', 'kubelet'));
  at(30_000, () => recorder.record(pod('b'), 'Normal', 'Started', 'm', 'kubelet'));
  at(3_659_999);
  t.equal(store.count('Event'), 2, 'still there a moment before');
  at(3_660_000);
  t.equal(store.count('Event'), 0, 'both shared the lease granted at 0');
  t.same(
    deleted.map((d) => d[2]),
    ['etcd expire', 'etcd expire'],
  );
});

t.test('an update renews the TTL; the recorder then creates the Event again, with its count', async (t) => {
  const { store, recorder, deleted, pod, at } = setup();
  const say = () => recorder.record(pod('a'), 'Warning', 'BackOff', 'm', 'kubelet');
  at(0, say);
  at(50 * 60_000, say); // count 2, on a lease granted at 50m (the first ends within 1h of now)
  at(3_660_000);
  t.equal(store.count('Event'), 1, 'the update moved it to the later lease');
  t.equal(deleted.length, 0);
  at(50 * 60_000 + 3_660_000);
  t.equal(store.count('Event'), 0, 'gone 1h1m after the update');
  at(2 * 3_600_000, say);
  const [again] = [...store.list<Event>('Event')];
  t.match(again, { count: 3, firstTimestamp: 0, lastTimestamp: 2 * 3_600_000 }, 'the eventLogger still remembers it: created again with count 3 (recordEvent: patch NotFound → Create)');
});

t.test('the cluster applies controlPlane.eventTTL', async (t) => {
  const firstEventAt = (eventTTLMs: number, ms: number) => {
    const c = new Cluster({ seed: 1, controlPlane: { ...DEFAULT_CONTROL_PLANE, eventTTLMs }, scheduler: { profiles: [], percentageOfNodesToScore: 0 }, invariants: [], keepTrace: false, components: 'scheduler-only' });
    c.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: {} } as Pod, 'test');
    c.run({ untilMs: 0, maxSteps: 1e6 });
    const [first] = [...c.store.list<Event>('Event')];
    c.run({ untilMs: ms, maxSteps: 1e6 });
    return c.store.get<Event>('Event', 'default', first!.metadata.name) !== undefined;
  };
  // A 10m TTL: leases of 10m30s (5% of 10m is 30s).
  t.equal(firstEventAt(10 * 60_000, 10 * 60_000 + 29_999), true);
  t.equal(firstEventAt(10 * 60_000, 10 * 60_000 + 30_000), false, 'the FailedScheduling Event written at 0 is gone at 10m30s');
  t.equal(firstEventAt(3_600_000, 20 * 60_000), true, 'the default 1h keeps it');
});
