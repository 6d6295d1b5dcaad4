// Upstream's test tables for the Deployment controller's status conditions (Progressing, Available,
// ReplicaFailure), transcribed row for row from kubernetes/kubernetes:
//   pkg/controller/deployment/progress_test.go — TestRequeueStuckDeployment, TestSyncRolloutStatus
//     (stored version id 134036433, 13,507 chars: apps/v1 types, ctx + ktesting, workqueue.NewNamedRateLimitingQueue)
//   pkg/controller/deployment/util/deployment_util_test.go — TestGetCondition, TestSetCondition, TestRemoveCondition,
//     TestDeploymentComplete, TestDeploymentProgressing, TestDeploymentTimedOut
//     (stored version id 695379464, 46,453 chars: apps/v1, ptr.To, TerminatingReplicas — a v1.33+ tree)
// The index names no repository/commit for those two ids; the versions it attributes to kubernetes/kubernetes
// (progress_test.go @ 60604f8818aecbc9c3736fbc32747cc0a535bc80, id 85458997; deployment_util_test.go @
// 977e6e96df24a5f9f81978c18afb97c72cc545f9, id 93857762) are older extensions/v1beta1 ones, so the newer text was used.
//
// Time: kubedrill has no wall clock. Upstream's fixed dates become fixed virtual milliseconds:
//   progress_test.go testTime 2017-02-15T18:49:00Z -> TEST_TIME; "18:49:30" -> TEST_TIME + 30_000, and so on.
//   deployment_util_test.go timeFn(min, sec) = 2016-01-01T00:min:secZ -> T2016 + (min * 60 + sec) * 1000.
// TestSyncRolloutStatus runs upstream with util's nowFn = time.Now (years after testTime, so any 60s deadline has
// passed) and metav1.Now() for new conditions: here SYNC_NOW = TEST_TIME + 1h plays that part.
// math.MaxInt32 progressDeadlineSeconds ("infinite") is passed as 2147483647, which means "no deadline" as upstream.
//
// Deviations from the letter of upstream, each so that the assertion can fail:
// - TestSyncRolloutStatus's time checks upstream read `!test.lastUpdate.IsZero() && test.lastUpdate != testTime`,
//   i.e. they compare the row's own field with testTime and never look at the condition. Here the condition's
//   lastUpdateTime / lastTransitionTime are compared with the row's value. The row "DeploymentTimedOut: do not update
//   status if deployment has existing timedOut condition" says testTime for both, but its input condition
//   (failedTimedOut) carries no times at all, so "not updated" means they stay unset: that row expects null (= unset).
// - TestSyncRolloutStatus's first row has no conditionType; upstream then looks up condition type "" (never present)
//   and passes trivially. The row's name says the Progressing condition is removed, so here that is asserted.
// - "failed deployment - less than a second => now" uses now = deadline - 1ns upstream; milliseconds are the
//   resolution here, so it is deadline - 1ms (after = 999ms < 1s -> 0, the same branch).
// - Go's nil vs empty condition slice (TestRemoveCondition "simple remove" expects a nil slice) is not distinguished:
//   an absent `conditions` and `[]` both count as "no conditions".
// - TestRequeueStuckDeployment checks only the returned duration (as upstream does); the enqueue side effect
//   (AddRateLimited / AddAfter(after+1s) on the controller's queue) is not part of the table and is not checked.
// No rows are left out: every row's expectation can be read off the returned value or status (upstream's fake
// clientset in TestSyncRolloutStatus only receives the Update; the table reads the status written back).
import t from 'tap';
import type { Deployment, DeploymentCondition, ReplicaSet } from '../../src/api/types.js';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  removeDeploymentCondition,
  requeueStuckDeploymentAfter,
  setDeploymentCondition,
  syncRolloutStatusOf,
} from '../../src/controllers/deployment.js';

// util constants (deployment_util.go)
const NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
const RS_UPDATED = 'ReplicaSetUpdated';
const TIMED_OUT = 'ProgressDeadlineExceeded';
const INFINITE = 2147483647; // math.MaxInt32

const TEST_TIME = 1_000_000; // 2017-02-15T18:49:00Z
const SYNC_NOW = TEST_TIME + 3_600_000; // upstream: the real clock, long after testTime
const T2016 = 1_000_000; // 2016-01-01T00:00:00Z
const timeFn = (min: number, sec: number): number => T2016 + (min * 60 + sec) * 1000;

type Status = Deployment['status'];
type Spec = Deployment['spec'];

function makeDeployment(spec: Partial<Spec>, status: Status, name = 'progress-test'): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } }, ...spec },
    status,
  };
}

/** progress_test.go newDeploymentStatus. */
function newDeploymentStatus(replicas: number, updatedReplicas: number, availableReplicas: number): Status {
  return { replicas, updatedReplicas, availableReplicas };
}

/** progress_test.go currentDeployment (Recreate strategy, name "progress-test"). */
function currentDeployment(
  pds: number | undefined,
  replicas: number,
  statusReplicas: number,
  updatedReplicas: number,
  availableReplicas: number,
  conditions: DeploymentCondition[] | undefined,
): Deployment {
  const status = newDeploymentStatus(statusReplicas, updatedReplicas, availableReplicas);
  if (conditions !== undefined) status.conditions = conditions.map((c) => ({ ...c }));
  return makeDeployment({ replicas, strategy: { type: 'Recreate' }, ...(pds !== undefined ? { progressDeadlineSeconds: pds } : {}) }, status);
}

/** progress_test.go newRSWithAvailable (rs(name, specReplicas, nil, metav1.Time{}) in the default namespace). */
function newRSWithAvailable(name: string, specReplicas: number, statusReplicas: number, availableReplicas: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas: specReplicas, selector: { matchLabels: {} }, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
    status: { replicas: statusReplicas, availableReplicas },
  };
}

/** The fields a DeploymentCondition comparison looks at, with the same keys on both sides. */
function view(c: DeploymentCondition | undefined) {
  if (c === undefined) return undefined;
  return { type: c.type, status: c.status, reason: c.reason, message: c.message, lastUpdateTime: c.lastUpdateTime, lastTransitionTime: c.lastTransitionTime };
}
const viewAll = (s: Status | undefined) => (s?.conditions ?? []).map(view);

// ---- progress_test.go ------------------------------------------------------------------------

t.test('TestRequeueStuckDeployment', async (t) => {
  const pds = 60;
  const failed: DeploymentCondition[] = [{ type: 'Progressing', status: 'False', reason: TIMED_OUT }];
  const stuck: DeploymentCondition[] = [{ type: 'Progressing', status: 'True', lastUpdateTime: TEST_TIME }];

  // nowMs absent: upstream leaves nowFn as it was; those rows return before reading the clock.
  const tests: { name: string; d: Deployment; status: Status; nowMs?: number; expected: number }[] = [
    {
      name: 'nil progressDeadlineSeconds specified',
      d: currentDeployment(undefined, 4, 3, 3, 2, undefined),
      status: newDeploymentStatus(3, 3, 2),
      expected: -1,
    },
    {
      name: 'infinite progressDeadlineSeconds specified',
      d: currentDeployment(INFINITE, 4, 3, 3, 2, undefined),
      status: newDeploymentStatus(3, 3, 2),
      expected: -1,
    },
    { name: 'no progressing condition found', d: currentDeployment(pds, 4, 3, 3, 2, undefined), status: newDeploymentStatus(3, 3, 2), expected: -1 },
    {
      name: 'complete deployment does not need to be requeued',
      d: currentDeployment(pds, 3, 3, 3, 3, undefined),
      status: newDeploymentStatus(3, 3, 3),
      expected: -1,
    },
    {
      name: 'already failed deployment does not need to be requeued',
      d: currentDeployment(pds, 3, 3, 3, 0, failed),
      status: newDeploymentStatus(3, 3, 0),
      expected: -1,
    },
    {
      name: 'stuck deployment - 30s',
      d: currentDeployment(pds, 3, 3, 3, 1, stuck),
      status: newDeploymentStatus(3, 3, 1),
      nowMs: TEST_TIME + 30_000,
      expected: 30_000,
    },
    {
      name: 'stuck deployment - 1s',
      d: currentDeployment(pds, 3, 3, 3, 1, stuck),
      status: newDeploymentStatus(3, 3, 1),
      nowMs: TEST_TIME + 59_000,
      expected: 1_000,
    },
    // upstream: 18:49:59 + 1ns; here + 1ms (see header)
    {
      name: 'failed deployment - less than a second => now',
      d: currentDeployment(pds, 3, 3, 3, 1, stuck),
      status: newDeploymentStatus(3, 3, 1),
      nowMs: TEST_TIME + 59_001,
      expected: 0,
    },
    {
      name: 'failed deployment - now',
      d: currentDeployment(pds, 3, 3, 3, 1, stuck),
      status: newDeploymentStatus(3, 3, 1),
      nowMs: TEST_TIME + 60_000,
      expected: 0,
    },
    {
      name: 'failed deployment - 1s after deadline',
      d: currentDeployment(pds, 3, 3, 3, 1, stuck),
      status: newDeploymentStatus(3, 3, 1),
      nowMs: TEST_TIME + 61_000,
      expected: 0,
    },
    {
      name: 'failed deployment - 60s after deadline',
      d: currentDeployment(pds, 3, 3, 3, 1, stuck),
      status: newDeploymentStatus(3, 3, 1),
      nowMs: TEST_TIME + 120_000,
      expected: 0,
    },
  ];

  for (const test of tests) {
    const got = requeueStuckDeploymentAfter(test.d, test.status, test.nowMs ?? TEST_TIME);
    t.equal(got, test.expected, test.name);
  }
});

t.test('TestSyncRolloutStatus', async (t) => {
  const pds = 60;
  const failedTimedOut: DeploymentCondition = { type: 'Progressing', status: 'False', reason: TIMED_OUT };
  const newRSAvailable: DeploymentCondition = {
    type: 'Progressing',
    status: 'True',
    reason: NEW_RS_AVAILABLE,
    lastUpdateTime: TEST_TIME,
    lastTransitionTime: TEST_TIME,
  };
  const replicaSetUpdated: DeploymentCondition = {
    type: 'Progressing',
    status: 'True',
    reason: RS_UPDATED,
    lastUpdateTime: TEST_TIME,
    lastTransitionTime: TEST_TIME,
  };

  // lastUpdate / lastTransition: a number = the condition must carry exactly that time; null = it must carry none;
  // absent = not checked (as upstream, where the field is zero).
  const tests: {
    name: string;
    d: Deployment;
    allRSs: ReplicaSet[];
    newRS?: ReplicaSet;
    conditionType?: 'Progressing';
    conditionStatus?: DeploymentCondition['status'];
    conditionReason?: string;
    lastUpdate?: number | null;
    lastTransition?: number | null;
  }[] = [
    {
      name: 'General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline',
      d: currentDeployment(undefined, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
    },
    {
      name: 'General: do not estimate progress of deployment with only one active ReplicaSet',
      d: currentDeployment(pds, 3, 3, 3, 3, [newRSAvailable]),
      allRSs: [newRSWithAvailable('bar', 3, 3, 3)],
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: NEW_RS_AVAILABLE,
      lastUpdate: TEST_TIME,
      lastTransition: TEST_TIME,
    },
    {
      name: 'DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True',
      d: currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: RS_UPDATED,
      lastTransition: TEST_TIME,
    },
    {
      name: 'DeploymentProgressing: update everything if deployment has Progressing=False',
      d: currentDeployment(pds, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: RS_UPDATED,
    },
    {
      name: 'DeploymentProgressing: create Progressing condition if it does not exist',
      d: currentDeployment(pds, 3, 2, 2, 2, []),
      allRSs: [newRSWithAvailable('bar', 0, 1, 1)],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: RS_UPDATED,
    },
    {
      name: 'DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True',
      d: currentDeployment(pds, 3, 3, 3, 3, [replicaSetUpdated]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 3, 3),
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: NEW_RS_AVAILABLE,
      lastTransition: TEST_TIME,
    },
    {
      name: 'DeploymentComplete: update everything if deployment has Progressing=False',
      d: currentDeployment(pds, 3, 3, 3, 3, [failedTimedOut]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 3, 3),
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: NEW_RS_AVAILABLE,
    },
    {
      name: 'DeploymentComplete: create Progressing condition if it does not exist',
      d: currentDeployment(pds, 3, 3, 3, 3, []),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 3, 3),
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: NEW_RS_AVAILABLE,
    },
    {
      name: 'DeploymentComplete: defend against NPE when newRS=nil',
      d: currentDeployment(pds, 0, 3, 3, 3, [replicaSetUpdated]),
      allRSs: [newRSWithAvailable('foo', 0, 0, 0)],
      conditionType: 'Progressing',
      conditionStatus: 'True',
      conditionReason: NEW_RS_AVAILABLE,
    },
    {
      name: 'DeploymentTimedOut: update status if rollout exceeds Progress Deadline',
      d: currentDeployment(pds, 3, 2, 2, 2, [replicaSetUpdated]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      conditionType: 'Progressing',
      conditionStatus: 'False',
      conditionReason: TIMED_OUT,
    },
    {
      name: 'DeploymentTimedOut: do not update status if deployment has existing timedOut condition',
      d: currentDeployment(pds, 3, 2, 2, 2, [failedTimedOut]),
      allRSs: [],
      newRS: newRSWithAvailable('foo', 3, 2, 2),
      conditionType: 'Progressing',
      conditionStatus: 'False',
      conditionReason: TIMED_OUT,
      // upstream: lastUpdate: testTime, lastTransition: testTime — but failedTimedOut has no times (see header)
      lastUpdate: null,
      lastTransition: null,
    },
  ];

  for (const test of tests) {
    const allRSs = test.newRS !== undefined ? [...test.allRSs, test.newRS] : test.allRSs;
    const status = syncRolloutStatusOf(allRSs, test.newRS, test.d, SYNC_NOW);
    if (test.conditionType === undefined) {
      t.equal(getDeploymentCondition(status, 'Progressing'), undefined, `${test.name}: no Progressing condition`);
      continue;
    }
    const newCond = getDeploymentCondition(status, test.conditionType);
    // upstream: a missing condition is an error unless the deployment has no (or an infinite) deadline
    const deadline = test.d.spec.progressDeadlineSeconds;
    if (newCond === undefined) {
      t.ok(deadline === undefined || deadline === INFINITE, `${test.name}: expected deployment condition ${test.conditionType}`);
      continue;
    }
    const got = { status: newCond.status, reason: newCond.reason };
    t.same(got, { status: test.conditionStatus, reason: test.conditionReason }, `${test.name}: status and reason`);
    if (test.lastUpdate !== undefined) t.equal(newCond.lastUpdateTime, test.lastUpdate ?? undefined, `${test.name}: lastUpdateTime`);
    if (test.lastTransition !== undefined) t.equal(newCond.lastTransitionTime, test.lastTransition ?? undefined, `${test.name}: lastTransitionTime`);
  }
});

// ---- util/deployment_util_test.go --------------------------------------------------------------

const condProgressing = (): DeploymentCondition => ({ type: 'Progressing', status: 'False', reason: 'ForSomeReason' });
const condProgressing2 = (): DeploymentCondition => ({ type: 'Progressing', status: 'True', reason: 'BecauseItIs' });
const condAvailable = (): DeploymentCondition => ({ type: 'Available', status: 'True', reason: 'AwesomeController' });
const status = (): Status => ({ conditions: [condProgressing(), condAvailable()] });

t.test('TestGetCondition', async (t) => {
  const exampleStatus = status();
  const tests: { name: string; status: Status; condType: DeploymentCondition['type']; expected: boolean }[] = [
    { name: 'condition exists', status: exampleStatus, condType: 'Available', expected: true },
    { name: 'condition does not exist', status: exampleStatus, condType: 'ReplicaFailure', expected: false },
  ];
  for (const test of tests) {
    const cond = getDeploymentCondition(test.status, test.condType);
    t.equal(cond !== undefined, test.expected, test.name);
  }
});

t.test('TestSetCondition', async (t) => {
  const tests: { name: string; status: Status; cond: DeploymentCondition; expectedStatus: Status }[] = [
    { name: 'set for the first time', status: {}, cond: condAvailable(), expectedStatus: { conditions: [condAvailable()] } },
    { name: 'simple set', status: { conditions: [condProgressing()] }, cond: condAvailable(), expectedStatus: status() },
    { name: 'overwrite', status: { conditions: [condProgressing()] }, cond: condProgressing2(), expectedStatus: { conditions: [condProgressing2()] } },
  ];
  for (const test of tests) {
    const got = setDeploymentCondition(test.status, test.cond);
    t.same(viewAll(got), viewAll(test.expectedStatus), test.name);
  }
});

t.test('TestRemoveCondition', async (t) => {
  const tests: { name: string; status: Status; condType: DeploymentCondition['type']; expectedStatus: Status }[] = [
    { name: 'remove from empty status', status: {}, condType: 'Progressing', expectedStatus: {} },
    { name: 'simple remove', status: { conditions: [condProgressing()] }, condType: 'Progressing', expectedStatus: {} },
    { name: "doesn't remove anything", status: status(), condType: 'ReplicaFailure', expectedStatus: status() },
  ];
  for (const test of tests) {
    const got = removeDeploymentCondition(test.status, test.condType);
    t.same(viewAll(got), viewAll(test.expectedStatus), test.name);
  }
});

t.test('TestDeploymentComplete', async (t) => {
  const deployment = (desired: number, current: number, updated: number, available: number, maxUnavailable: number, maxSurge: number): Deployment =>
    makeDeployment(
      { replicas: desired, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } },
      { replicas: current, updatedReplicas: updated, availableReplicas: available },
      'complete-test',
    );

  const tests: { name: string; d: Deployment; expected: boolean }[] = [
    { name: 'not complete: min but not all pods become available', d: deployment(5, 5, 5, 4, 1, 0), expected: false },
    { name: 'not complete: min availability is not honored', d: deployment(5, 5, 5, 3, 1, 0), expected: false },
    { name: 'complete', d: deployment(5, 5, 5, 5, 0, 0), expected: true },
    { name: 'not complete: all pods are available but not updated', d: deployment(5, 5, 4, 5, 0, 0), expected: false },
    // old replica set: spec.replicas=1, status.replicas=1, status.availableReplicas=1
    // new replica set: spec.replicas=1, status.replicas=1, status.availableReplicas=0
    { name: 'not complete: still running old pods', d: deployment(1, 2, 1, 1, 0, 1), expected: false },
    { name: 'not complete: one replica deployment never comes up', d: deployment(1, 1, 1, 0, 1, 1), expected: false },
  ];
  for (const test of tests) {
    t.equal(deploymentComplete(test.d, test.d.status), test.expected, test.name);
  }
});

t.test('TestDeploymentProgressing', async (t) => {
  const deployment = (current: number, updated: number, ready: number, available: number): Deployment =>
    makeDeployment({}, { replicas: current, updatedReplicas: updated, readyReplicas: ready, availableReplicas: available }, 'progressing-test');
  const newStatus = (current: number, updated: number, ready: number, available: number): Status => ({
    replicas: current,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
  });

  const tests: { name: string; d: Deployment; newStatus: Status; expected: boolean }[] = [
    { name: 'progressing: updated pods', d: deployment(10, 4, 4, 4), newStatus: newStatus(10, 6, 4, 4), expected: true },
    { name: 'not progressing', d: deployment(10, 4, 4, 4), newStatus: newStatus(10, 4, 4, 4), expected: false },
    { name: 'progressing: old pods removed', d: deployment(10, 4, 6, 6), newStatus: newStatus(8, 4, 6, 6), expected: true },
    { name: 'not progressing: less new pods', d: deployment(10, 7, 3, 3), newStatus: newStatus(10, 6, 3, 3), expected: false },
    { name: 'progressing: less overall but more new pods', d: deployment(10, 4, 7, 7), newStatus: newStatus(8, 8, 5, 5), expected: true },
    { name: 'progressing: more ready pods', d: deployment(10, 10, 9, 8), newStatus: newStatus(10, 10, 10, 8), expected: true },
    { name: 'progressing: more available pods', d: deployment(10, 10, 10, 9), newStatus: newStatus(10, 10, 10, 10), expected: true },
  ];
  for (const test of tests) {
    t.equal(deploymentProgressing(test.d, test.newStatus), test.expected, test.name);
  }
});

t.test('TestDeploymentTimedOut', async (t) => {
  const ten = 10;
  // from undefined = upstream's zero time.Time{}
  const deployment = (
    condType: DeploymentCondition['type'],
    status: DeploymentCondition['status'],
    reason: string,
    pds: number | undefined,
    from: number | undefined,
  ): Deployment =>
    makeDeployment(
      pds !== undefined ? { progressDeadlineSeconds: pds } : {},
      { conditions: [{ type: condType, status, reason, ...(from !== undefined ? { lastUpdateTime: from } : {}) }] },
      'timedout-test',
    );

  // nowMs absent: upstream sets nowFn = nil for that row (it returns before reading the clock).
  const tests: { name: string; d: Deployment; nowMs?: number; expected: boolean }[] = [
    {
      name: 'nil progressDeadlineSeconds specified - no timeout',
      d: deployment('Progressing', 'True', '', undefined, timeFn(1, 9)),
      nowMs: timeFn(1, 20),
      expected: false,
    },
    {
      name: 'infinite progressDeadlineSeconds specified - no timeout',
      d: deployment('Progressing', 'True', '', INFINITE, timeFn(1, 9)),
      nowMs: timeFn(1, 20),
      expected: false,
    },
    {
      name: 'progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s',
      d: deployment('Progressing', 'True', '', ten, timeFn(1, 9)),
      nowMs: timeFn(1, 20),
      expected: true,
    },
    {
      name: 'progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s',
      d: deployment('Progressing', 'True', '', ten, timeFn(1, 11)),
      nowMs: timeFn(1, 20),
      expected: false,
    },
    {
      name: 'previous status was a complete deployment',
      d: deployment('Progressing', 'True', NEW_RS_AVAILABLE, undefined, undefined),
      expected: false,
    },
  ];
  for (const test of tests) {
    t.equal(deploymentTimedOut(test.d, test.d.status, test.nowMs ?? T2016), test.expected, test.name);
  }
});
