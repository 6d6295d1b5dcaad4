import t from 'tap';
import { AdmissionDenied, type AdmissionPlugin } from '../../src/api/store.js';
import type { Pod, ReplicaSet } from '../../src/api/types.js';
import {
  activePodsLess,
  activePodsWithRanksLess,
  getPodsToDelete,
  isPodActive,
  NAME_ALPHABET,
  POD_DELETION_COST_ANNOTATION,
  randomString,
  type RankedPod,
  slowStartBatch,
  sortByLess,
} from '../../src/controllers/replicaset.js';
import { Prng } from '../../src/engine/prng.js';
import { create, harness, makeReplicaSet, markRunningReady } from './harness.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const NOW = 400 * DAY;

interface PodShape {
  node?: string;
  phase?: Pod['status']['phase'];
  ready?: boolean;
  readySince?: number;
  created?: number;
  restarts?: number[];
  annotations?: Record<string, string>;
  uid?: string;
}

function pod(name: string, s: PodShape = {}): Pod {
  const conditions = s.ready === undefined ? undefined : [{ type: 'Ready', status: s.ready ? 'True' : 'False', lastTransitionTime: s.readySince } as const];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: s.created, annotations: s.annotations, uid: s.uid },
    spec: { containers: [], nodeName: s.node },
    status: { phase: s.phase, conditions, containerStatuses: s.restarts?.map((n, i) => ({ name: `c${i}`, ready: true, restartCount: n })) },
  };
}

function shuffled<T>(items: readonly T[], prng: Prng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.intn(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// pkg/controller/controller_utils_test.go TestSortingActivePods
t.test('TestSortingActivePods', async (t) => {
  const then = NOW - 30 * DAY;
  const pods = [
    pod('unscheduled', { node: '', phase: 'Pending' }),
    pod('scheduledButPending', { node: 'bar', phase: 'Pending' }),
    pod('unknownPhase', { node: 'foo', phase: 'Unknown' }),
    pod('runningButNotReady', { node: 'foo', phase: 'Running' }),
    pod('runningNoLastTransitionTime', { node: 'foo', phase: 'Running', ready: true, restarts: [3, 0] }),
    pod('runningWithLastTransitionTime', { node: 'foo', phase: 'Running', ready: true, readySince: NOW, restarts: [3, 0] }),
    pod('runningLongerTime', { node: 'foo', phase: 'Running', ready: true, readySince: then, restarts: [3, 0] }),
    pod('lowerContainerRestartCount', { node: 'foo', phase: 'Running', ready: true, readySince: then, restarts: [2, 1], created: NOW }),
    pod('oldest', { node: 'foo', phase: 'Running', ready: true, readySince: then, restarts: [2, 1], created: then }),
  ];
  const want = pods.map((p) => p.metadata.name);
  const prng = new Prng(7);
  for (let i = 0; i < 20; i++) t.same(sortByLess(shuffled(pods, prng), activePodsLess).map((p) => p.metadata.name), want);
});

// pkg/controller/controller_utils_test.go TestSortingActivePodsWithRanks
t.test('TestSortingActivePodsWithRanks', async (t) => {
  const then1Month = NOW - 30 * DAY;
  const then2Hours = NOW - 2 * HOUR;
  const then5Hours = NOW - 5 * HOUR;
  const then8Hours = NOW - 8 * HOUR;
  const p = (name: string, node: string, phase: Pod['status']['phase'], ready: boolean, restarts: number, readySince: number | undefined, created: number | undefined, annotations?: Record<string, string>) =>
    pod(name, { node, phase, ...(ready ? { ready, readySince, restarts: [restarts] } : {}), created, annotations });
  const unscheduledPod = p('unscheduled', '', 'Pending', false, 0, undefined, undefined);
  const scheduledPendingPod = p('pending', 'node', 'Pending', false, 0, undefined, undefined);
  const unknownPhasePod = p('unknown-phase', 'node', 'Unknown', false, 0, undefined, undefined);
  const runningNotReadyPod = p('not-ready', 'node', 'Running', false, 0, undefined, undefined);
  const runningReadyNoLastTransitionTimePod = p('ready-no-last-transition-time', 'node', 'Running', true, 0, undefined, undefined);
  const runningReadyNow = p('ready-now', 'node', 'Running', true, 0, NOW, NOW);
  const runningReadyThen = p('ready-then', 'node', 'Running', true, 0, then1Month, then1Month);
  const runningReadyNowHighRestarts = p('ready-high-restarts', 'node', 'Running', true, 9001, NOW, NOW);
  const runningReadyNowCreatedThen = p('ready-now-created-then', 'node', 'Running', true, 0, NOW, then1Month);
  const lowPodDeletionCost = p('low-deletion-cost', 'node', 'Running', true, 0, NOW, then1Month, { [POD_DELETION_COST_ANNOTATION]: '10' });
  const highPodDeletionCost = p('high-deletion-cost', 'node', 'Running', true, 0, NOW, then1Month, { [POD_DELETION_COST_ANNOTATION]: '100' });
  const unscheduled5Hours = p('unscheduled-5-hours', '', 'Pending', false, 0, then5Hours, then5Hours);
  const unscheduled8Hours = p('unscheduled-10-hours', '', 'Pending', false, 0, then8Hours, then8Hours);
  const ready2Hours = p('ready-2-hours', '', 'Running', true, 0, then2Hours, then1Month);
  const ready5Hours = p('ready-5-hours', '', 'Running', true, 0, then5Hours, then1Month);
  const ready10Hours = p('ready-10-hours', '', 'Running', true, 0, then8Hours, then1Month);

  const equalityTests: Array<[Pod, Pod?]> = [
    [unscheduledPod],
    [scheduledPendingPod],
    [unknownPhasePod],
    [runningNotReadyPod],
    [runningReadyNowCreatedThen],
    [runningReadyNow],
    [runningReadyThen],
    [runningReadyNowHighRestarts],
    [runningReadyNowCreatedThen],
    [unscheduled5Hours, unscheduled8Hours],
    [ready5Hours, ready10Hours],
  ];
  for (const [i, [p1, p2 = p1]] of equalityTests.entries()) {
    const a: RankedPod = { pod: p1, rank: 1 };
    const b: RankedPod = { pod: p2, rank: 1 };
    t.ok(!activePodsWithRanksLess(a, b, NOW) && !activePodsWithRanksLess(b, a, NOW), `Equality tests ${i}: ${p1.metadata.name} ~ ${p2.metadata.name}`);
  }

  // The row that disables the PodDeletionCost gate is left out: the gate is on in v1.35.
  const inequalityTests: Array<[Pod, number, Pod, number]> = [
    [unscheduledPod, 1, scheduledPendingPod, 2],
    [unscheduledPod, 2, scheduledPendingPod, 1],
    [scheduledPendingPod, 1, unknownPhasePod, 2],
    [unknownPhasePod, 1, runningNotReadyPod, 2],
    [runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNoLastTransitionTimePod, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNow, 1, runningReadyThen, 1],
    [runningReadyNow, 2, runningReadyThen, 1],
    [runningReadyNowHighRestarts, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNowHighRestarts, 1],
    [runningReadyNow, 1, runningReadyNowCreatedThen, 1],
    [runningReadyNowCreatedThen, 2, runningReadyNow, 1],
    [lowPodDeletionCost, 2, highPodDeletionCost, 1],
    [ready2Hours, 1, ready5Hours, 1],
  ];
  for (const [i, [lesser, lr, greater, gr]] of inequalityTests.entries()) {
    const a: RankedPod = { pod: lesser, rank: lr };
    const b: RankedPod = { pod: greater, rank: gr };
    t.ok(activePodsWithRanksLess(a, b, NOW), `Inequality tests ${i}: ${lesser.metadata.name}/${lr} < ${greater.metadata.name}/${gr}`);
    t.notOk(activePodsWithRanksLess(b, a, NOW), `Inequality tests ${i}: not ${greater.metadata.name}/${gr} < ${lesser.metadata.name}/${lr}`);
  }
});

// pkg/controller/controller_utils_test.go TestActivePodFiltering
t.test('TestActivePodFiltering', async (t) => {
  const pods = [pod('pod-1', { phase: 'Succeeded' }), pod('pod-2', { phase: 'Failed' }), pod('pod-3', { phase: 'Running' }), pod('pod-4', { phase: 'Running' }), pod('pod-5', { phase: 'Running' })];
  t.same(pods.filter(isPodActive).map((p) => p.metadata.name), ['pod-3', 'pod-4', 'pod-5']);
});

// pkg/controller/replicaset/replica_set_test.go TestGetPodsToDelete
t.test('TestGetPodsToDelete', async (t) => {
  // newPod: a Running pod is Ready unless its conditions say otherwise.
  const unscheduledPendingPod = pod('unscheduled-pending-pod', { phase: 'Pending' });
  const scheduledPendingPod = pod('scheduled-pending-pod', { phase: 'Pending', node: 'fake-node' });
  const scheduledRunningNotReadyPod = pod('scheduled-running-not-ready-pod', { phase: 'Running', node: 'fake-node', ready: false });
  const scheduledRunningReadyPodOnNode1 = pod('scheduled-running-ready-pod-on-node-1', { phase: 'Running', node: 'fake-node-1', ready: true });
  const scheduledRunningReadyPodOnNode2 = pod('scheduled-running-ready-pod-on-node-2', { phase: 'Running', node: 'fake-node-2', ready: true });
  const rows: Array<{ name: string; pods: Pod[]; related?: Pod[]; diff: number; want: Pod[] }> = [
    { name: 'len(pods) = 0 (i.e., diff = 0 too)', pods: [], diff: 0, want: [] },
    { name: 'diff = len(pods)', pods: [scheduledRunningNotReadyPod, scheduledRunningReadyPodOnNode1], diff: 2, want: [scheduledRunningNotReadyPod, scheduledRunningReadyPodOnNode1] },
    { name: 'diff < len(pods)', pods: [scheduledRunningReadyPodOnNode1, scheduledRunningNotReadyPod], diff: 1, want: [scheduledRunningNotReadyPod] },
    {
      name: 'various pod phases and conditions, diff = len(pods)',
      pods: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2, scheduledRunningNotReadyPod, scheduledPendingPod, unscheduledPendingPod],
      diff: 6,
      want: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2, scheduledRunningNotReadyPod, scheduledPendingPod, unscheduledPendingPod],
    },
    {
      name: 'various pod phases and conditions, diff = len(pods), relatedPods empty',
      pods: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2, scheduledRunningNotReadyPod, scheduledPendingPod, unscheduledPendingPod],
      related: [],
      diff: 6,
      want: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2, scheduledRunningNotReadyPod, scheduledPendingPod, unscheduledPendingPod],
    },
    { name: 'scheduled vs unscheduled, diff < len(pods)', pods: [scheduledPendingPod, unscheduledPendingPod], diff: 1, want: [unscheduledPendingPod] },
    { name: 'ready vs not-ready, diff < len(pods)', pods: [scheduledRunningReadyPodOnNode1, scheduledRunningNotReadyPod, scheduledRunningNotReadyPod], diff: 2, want: [scheduledRunningNotReadyPod, scheduledRunningNotReadyPod] },
    {
      name: 'ready and colocated with another ready pod vs not colocated, diff < len(pods)',
      pods: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2],
      related: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2, scheduledRunningReadyPodOnNode2],
      diff: 1,
      want: [scheduledRunningReadyPodOnNode2],
    },
    { name: 'pending vs running, diff < len(pods)', pods: [scheduledPendingPod, scheduledRunningNotReadyPod], diff: 1, want: [scheduledPendingPod] },
    {
      name: 'various pod phases and conditions, diff < len(pods)',
      pods: [scheduledRunningReadyPodOnNode1, scheduledRunningReadyPodOnNode2, scheduledRunningNotReadyPod, scheduledPendingPod, unscheduledPendingPod],
      diff: 3,
      want: [unscheduledPendingPod, scheduledPendingPod, scheduledRunningNotReadyPod],
    },
  ];
  for (const row of rows) {
    const got = getPodsToDelete(row.pods, row.related ?? row.pods, row.diff, NOW);
    t.same(got.map((p) => p.metadata.name), row.want.map((p) => p.metadata.name), row.name);
  }
});

// pkg/controller/replicaset/replica_set_test.go TestSlowStartBatch
t.test('TestSlowStartBatch', async (t) => {
  const rows = [
    { name: 'callLimit = 0 (all fail)', count: 10, callLimit: 0, successes: 0, failed: true, callCnt: 1 },
    { name: 'callLimit = count (all succeed)', count: 10, callLimit: 10, successes: 10, failed: false, callCnt: 10 },
    { name: 'callLimit < count (some succeed)', count: 10, callLimit: 5, successes: 5, failed: true, callCnt: 7 },
  ];
  for (const row of rows) {
    let callCnt = 0;
    const got = slowStartBatch(row.count, 1, () => (++callCnt > row.callLimit ? 'fake error' : undefined));
    t.equal(got.successes, row.successes, `${row.name}: successes`);
    t.equal(got.error !== undefined, row.failed, `${row.name}: error`);
    t.equal(callCnt, row.callCnt, `${row.name}: calls`);
  }
});

t.test('randomString draws the upstream alphabet', async (t) => {
  const s = randomString(new Prng(3), 200);
  t.equal(s.length, 200);
  t.ok([...s].every((c) => NAME_ALPHABET.includes(c)));
  t.equal(randomString(new Prng(3), 5), s.slice(0, 5), 'same seed, same string');
});

// ---- behaviour in a simulation ----

const LABELS = { app: 'web' };

function podsOf(pods: Pod[], rs: ReplicaSet): Pod[] {
  return pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.controller));
}

t.test('creates the missing pods from the template and replaces a deleted one', async (t) => {
  const h = harness();
  const rs = create(h.store, makeReplicaSet('web', 3, LABELS));
  h.run(1000);
  const pods = h.pods();
  t.equal(pods.length, 3);
  for (const p of pods) {
    t.match(p.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    t.equal(p.metadata.generateName, 'web-');
    t.same(p.metadata.labels, LABELS);
    t.same(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    t.same(p.spec.containers, rs.spec.template.spec.containers);
  }
  t.same(h.eventMessages('SuccessfulCreate'), pods.map((p) => `Created pod: ${p.metadata.name}`));
  const status = h.store.get<ReplicaSet>('ReplicaSet', 'default', 'web')!.status;
  t.same(status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });

  h.store.delete('Pod', 'default', pods[1]!.metadata.name, 'test');
  h.run(2000);
  const after = h.pods();
  t.equal(after.length, 3, 'a replacement was created');
  t.notOk(after.some((p) => p.metadata.name === pods[1]!.metadata.name));
});

t.test('slow start: creates in batches of 1, 2, 4 and stops at the first failing batch', async (t) => {
  let allowed = 4;
  const quota: AdmissionPlugin = (op, obj) => (obj.kind === 'Pod' && op === 'CREATE' && allowed-- <= 0 ? new AdmissionDenied('Forbidden', 'exceeded quota') : obj);
  const h = harness({ admission: [quota] });
  create(h.store, makeReplicaSet('web', 10, LABELS));
  h.run(0);
  // The first sync: batches of 1 and 2 succeed, of the batch of 4 one succeeds and three fail,
  // and the remaining batches are skipped. Later syncs retry with a batch of 1, which fails.
  t.equal(h.pods().length, 4);
  const reasons = h.events.occurrences.map((e) => e.reason);
  t.same(reasons.slice(0, 7), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate', 'FailedCreate', 'FailedCreate', 'FailedCreate']);
  t.ok(reasons.slice(7).every((r) => r === 'FailedCreate'));
  t.equal(h.eventMessages('FailedCreate')[0], 'Error creating: exceeded quota');
});

t.test('scale down deletes the lowest-ranked pods first', async (t) => {
  const h = harness();
  create(h.store, makeReplicaSet('web', 5, LABELS));
  h.run(1000);
  const [p0, p1, p2, p3, p4] = h.pods();
  // p4 stays unscheduled; p1 is bound but Pending; p0, p3, p2 become Running+Ready at 1s, 1h
  // and 2h. Every bound pod shares its node with another active pod (rank 2).
  markRunningReady(h.store, p0!, 1000, 'node-1');
  h.store.update<Pod>({ ...p1!, spec: { ...p1!.spec, nodeName: 'node-2' } }, 'test');
  h.run(HOUR);
  markRunningReady(h.store, p3!, HOUR, 'node-2');
  h.run(2 * HOUR);
  markRunningReady(h.store, p2!, 2 * HOUR, 'node-1');
  h.run(2 * HOUR + 1000);
  const rs = h.store.get<ReplicaSet>('ReplicaSet', 'default', 'web')!;
  h.store.update<ReplicaSet>({ ...rs, spec: { ...rs.spec, replicas: 1 } }, 'test');
  h.run(2 * HOUR + 2000);
  // Unassigned first, then Pending, then the ready pods by how long they have been ready.
  t.same(h.eventMessages('SuccessfulDelete'), [p4, p1, p2, p3].map((p) => `Deleted pod: ${p!.metadata.name}`));
  t.same(h.activePods().map((p) => p.metadata.name), [p0!.metadata.name]);
  t.equal(h.pods().length, 4, 'bound pods terminate gracefully; the unscheduled one went at once');
});

t.test('adopts a matching orphan and releases a pod whose labels stop matching', async (t) => {
  const h = harness();
  create(h.store, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default', labels: LABELS }, spec: { containers: [] }, status: {} } as Pod);
  const rs = create(h.store, makeReplicaSet('web', 2, LABELS));
  h.run(1000);
  const orphan = h.store.get<Pod>('Pod', 'default', 'orphan')!;
  t.equal(orphan.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid, 'adopted');
  t.equal(h.pods().length, 2, 'only one more was created');

  h.store.update<Pod>({ ...orphan, metadata: { ...orphan.metadata, labels: { app: 'other' } } }, 'test');
  h.run(2000);
  t.same(h.store.get<Pod>('Pod', 'default', 'orphan')!.metadata.ownerReferences, [], 'released');
  t.equal(podsOf(h.pods(), rs).length, 2, 'replaced');
});

t.test('availableReplicas counts pods ready for minReadySeconds', async (t) => {
  const h = harness();
  create(h.store, makeReplicaSet('web', 1, LABELS, { minReadySeconds: 5 }));
  h.run(1000);
  markRunningReady(h.store, h.pods()[0]!, 1000);
  h.run(2000);
  const status = () => h.store.get<ReplicaSet>('ReplicaSet', 'default', 'web')!.status;
  t.equal(status().readyReplicas, 1);
  t.equal(status().availableReplicas, 0);
  h.run(6000);
  t.equal(status().availableReplicas, 0, 'exactly minReadySeconds is not yet available');
  h.run(6001);
  t.equal(status().availableReplicas, 1, 'available once minReadySeconds has passed');
});

t.test('pods from a terminating set are not counted and are replaced', async (t) => {
  const h = harness({ kubeletReadyMs: 500, kubeletTerminateMs: 10_000 });
  create(h.store, makeReplicaSet('web', 2, LABELS));
  h.run(1000);
  const victim = h.pods()[0]!;
  h.store.delete('Pod', 'default', victim.metadata.name, 'test');
  h.run(2000);
  t.equal(h.pods().length, 3, 'the terminating pod lingers');
  t.equal(h.activePods().length, 2, 'and a replacement runs');
  t.equal(h.store.get<ReplicaSet>('ReplicaSet', 'default', 'web')!.status.replicas, 2);
  h.run(20_000);
  t.equal(h.pods().length, 2);
});

t.test('same seed, same pod names; another seed, other names', async (t) => {
  const names = (seed: number) => {
    const h = harness({ seed });
    create(h.store, makeReplicaSet('web', 5, LABELS));
    h.run(1000);
    return h.pods().map((p) => p.metadata.name);
  };
  t.same(names(42), names(42));
  t.not(names(42).join(), names(43).join());
});

t.test('a generated name that is taken is drawn again', async (t) => {
  // The controller's names come from the 'replicaset/names' stream of the run's seed.
  const names = new Prng(5, 'replicaset/names');
  const first = `web-${randomString(names, 5)}`;
  const second = `web-${randomString(names, 5)}`;
  const h = harness({ seed: 5 });
  create(h.store, { apiVersion: 'v1', kind: 'Pod', metadata: { name: first, namespace: 'default', labels: { app: 'unrelated' } }, spec: { containers: [] }, status: {} } as Pod);
  create(h.store, makeReplicaSet('web', 1, LABELS));
  h.run(10);
  t.same(h.pods().map((p) => p.metadata.name), [first, second]);
  t.same(h.eventMessages('FailedCreate'), [], 'a collision is retried, not reported');
});
