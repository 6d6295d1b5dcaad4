import fc from 'fast-check';
import t from 'tap';
import type { Deployment, Pod, PodTemplateSpec, ReplicaSet } from '../../src/api/types.js';
import {
  calculateDeploymentStatus,
  canonicalJson,
  cleanupUnhealthyReplicas,
  computeHash,
  DESIRED_REPLICAS_ANNOTATION,
  deploymentComplete,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  getNonNegativeInt32FromAnnotation,
  getReplicaSetFraction,
  HASH_LABEL,
  isSaturated,
  MAX_REPLICAS_ANNOTATION,
  maxSurge,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  replicasAnnotationsNeedUpdate,
  resolveFenceposts,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  type Scaler,
  scaleDeployment,
  scaleDownOldReplicaSetsForRollingUpdate,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sameRecord,
} from '../../src/controllers/deployment.js';
import { create, harness, makeDeployment } from './harness.js';

// ---- fixtures as upstream's tests build them ----

type IntOrString = number | string;

/** deployment_controller_test.go newDeployment: RollingUpdate, maxSurge and maxUnavailable 0
 *  unless given. */
function newDeployment(name: string, replicas: number, revisionHistoryLimit?: number, surge?: IntOrString, unavailable?: IntOrString, selector?: Record<string, string>): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: { metadata: { labels: selector }, spec: { containers: [{ name: '', image: 'foo/bar' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge ?? 0, maxUnavailable: unavailable ?? 0 } },
      ...(revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit }),
    },
    status: {},
  };
}

/** deployment_controller_test.go rs(name, replicas, selector, timestamp). */
function rs(name: string, replicas: number, selector: Record<string, string> | undefined, createdMs: number | undefined): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: createdMs },
    spec: { replicas, selector: { matchLabels: selector }, template: { spec: { containers: [] } } },
    status: { replicas: 0 },
  };
}

function withAvailable(r: ReplicaSet, available: number): ReplicaSet {
  return { ...r, status: { ...r.status, availableReplicas: available } };
}

/** A Scaler standing in for the fake clientset: records each update, returns the scaled copy. */
function recordingScaler(): { scale: Scaler; calls: Array<[string, number]> } {
  const calls: Array<[string, number]> = [];
  const scale: Scaler = (r, n) => {
    calls.push([r.metadata.name, n]);
    return { ok: true, scaled: (r.spec.replicas ?? 1) !== n, rs: { ...r, spec: { ...r.spec, replicas: n } } };
  };
  return { scale, calls };
}

// ---- deployment_util_test.go ----

// pkg/controller/deployment/util/deployment_util_test.go TestResolveFenceposts
t.test('TestResolveFenceposts', async (t) => {
  const rows: Array<[string | undefined, string | undefined, number, number, number, boolean]> = [
    ['0%', '0%', 0, 0, 1, false],
    ['39%', '39%', 10, 4, 3, false],
    ['oops', '39%', 10, 0, 0, true],
    ['55%', 'urg', 10, 0, 0, true],
    [undefined, '39%', 10, 0, 3, false],
    ['39%', undefined, 10, 4, 0, false],
    [undefined, undefined, 10, 0, 1, false],
  ];
  for (const [i, [surge, unavailable, desired, wantSurge, wantUnavailable, wantError]] of rows.entries()) {
    const got = resolveFenceposts(surge, unavailable, desired);
    t.equal(!got.ok, wantError, `#${i} error`);
    const [s, u] = got.ok ? [got.value.surge, got.value.unavailable] : [0, 0];
    t.same([s, u], [wantSurge, wantUnavailable], `#${i}`);
  }
});

// pkg/controller/deployment/util/deployment_util_test.go TestNewRSNewReplicas
t.test('TestNewRSNewReplicas', async (t) => {
  const rows: Array<[string, 'RollingUpdate' | 'Recreate', number, number, number, number]> = [
    ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
    ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
    ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
  ];
  for (const [name, type, depReplicas, newRSReplicas, surge, expected] of rows) {
    const d = newDeployment('nginx', depReplicas);
    d.spec.strategy = { type, rollingUpdate: { maxUnavailable: 1, maxSurge: surge } };
    const got = newRSNewReplicas(d, [rs('rs5', 5, undefined, 0)], rs('new', newRSReplicas, undefined, 0));
    t.same(got, { ok: true, value: expected }, name);
  }
});

// pkg/controller/deployment/util/deployment_util_test.go TestMaxUnavailable
t.test('TestMaxUnavailable', async (t) => {
  const d = (replicas: number, unavailable: IntOrString) => newDeployment('foo', replicas, undefined, 1, unavailable);
  const recreate: Deployment = { ...newDeployment('foo', 1), spec: { ...newDeployment('foo', 1).spec, strategy: { type: 'Recreate' } } };
  const rows: Array<[string, Deployment, number]> = [
    ['maxUnavailable less than replicas', d(10, 5), 5],
    ['maxUnavailable equal replicas', d(10, 10), 10],
    ['maxUnavailable greater than replicas', d(5, 10), 5],
    ['maxUnavailable with replicas is 0', d(0, 10), 0],
    ['maxUnavailable with Recreate deployment strategy', recreate, 0],
    ['maxUnavailable less than replicas with percents', d(10, '50%'), 5],
    ['maxUnavailable equal replicas with percents', d(10, '100%'), 10],
    ['maxUnavailable greater than replicas with percents', d(5, '100%'), 5],
  ];
  for (const [name, dep, expected] of rows) t.equal(maxUnavailable(dep), expected, name);
});

// pkg/controller/deployment/util/deployment_util_test.go TestMinAvailable
t.test('TestMinAvailable', async (t) => {
  const d = (replicas: number, unavailable: IntOrString) => newDeployment('foo', replicas, undefined, 1, unavailable);
  const recreate: Deployment = { ...newDeployment('foo', 10), spec: { ...newDeployment('foo', 10).spec, strategy: { type: 'Recreate' } } };
  const rows: Array<[string, Deployment, number]> = [
    ['replicas greater than maxUnavailable', d(10, 5), 5],
    ['replicas equal maxUnavailable', d(10, 10), 0],
    ['replicas less than maxUnavailable', d(5, 10), 0],
    ['replicas is 0', d(0, 10), 0],
    ['minAvailable with Recreate deployment strategy', recreate, 0],
    ['replicas greater than maxUnavailable with percents', d(10, '60%'), 4],
    ['replicas equal maxUnavailable with percents', d(10, '100%'), 0],
    ['replicas less than maxUnavailable with percents', d(5, '100%'), 0],
  ];
  for (const [name, dep, expected] of rows) t.equal(minAvailable(dep), expected, name);
});

// pkg/controller/deployment/util/deployment_util_test.go TestGetReplicaSetFraction
t.test('TestGetReplicaSetFraction', async (t) => {
  const rows: Array<[string, number, number, number, number, Record<string, string> | undefined, number]> = [
    ['empty deployment always scales to 0', 0, 0, 0, 10, undefined, -10],
    ['unsynced deployment does not scale when max-replicas annotation is missing (removed by a 3rd party)', 10, 0, 0, 5, undefined, 0],
    ['unsynced deployment does not scale when max-replicas annotation is incorrectly set to 0 (by a 3rd party)', 10, 0, 0, 5, { [MAX_REPLICAS_ANNOTATION]: '0' }, 0],
    ['scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is missing (removed by a 3rd party)', 120, 100, 0, 50, undefined, 10],
    ['scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is incorrectly set to 0 (by a 3rd party)', 120, 100, 0, 50, { [MAX_REPLICAS_ANNOTATION]: '0' }, 10],
    ['scale up by 1/5 should increase RS replicas by 1/5', 120, 0, 0, 50, { [MAX_REPLICAS_ANNOTATION]: '100' }, 10],
    ['scale up with maxSurge by 1/5 should increase RS replicas approximately by 1/5', 120, 0, 10, 50, { [MAX_REPLICAS_ANNOTATION]: '110' }, 9],
    ['scale down by 1/6 should decrease RS replicas by 1/6', 10, 0, 0, 6, { [MAX_REPLICAS_ANNOTATION]: '12' }, -1],
    ['scale down with maxSurge by 1/6 should decrease RS replicas approximately by 1/6', 100, 0, 10, 50, { [MAX_REPLICAS_ANNOTATION]: '130' }, -8],
  ];
  for (const [name, dReplicas, dStatusReplicas, surge, rsReplicas, annotations, expected] of rows) {
    const d = newDeployment('nginx', dReplicas, undefined, surge, 1);
    d.status = { replicas: dStatusReplicas };
    const r = rs('nginx-rs', rsReplicas, undefined, 0);
    r.metadata.annotations = annotations;
    t.equal(getReplicaSetFraction(r, d), expected, name);
  }
});

function podTemplate(name: string, nodeName: string, annotations: Record<string, string>, labels: Record<string, string>): PodTemplateSpec {
  return { metadata: { name, annotations, labels }, spec: { nodeName, containers: [] } };
}

// pkg/controller/deployment/util/deployment_util_test.go TestEqualIgnoreHash
t.test('TestEqualIgnoreHash', async (t) => {
  const H = HASH_LABEL;
  const rows: Array<[string, PodTemplateSpec, PodTemplateSpec, boolean]> = [
    ['Same spec, same labels', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), true],
    ['Same spec, only pod-template-hash label value is different', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), true],
    ["Same spec, the former doesn't have pod-template-hash label", podTemplate('foo', 'foo-node', {}, { something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), true],
    ["Same spec, the label is different, the former doesn't have pod-template-hash label, same number of labels", podTemplate('foo', 'foo-node', {}, { something: 'else' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-2' }), false],
    ["Same spec, the label is different, the latter doesn't have pod-template-hash label, same number of labels", podTemplate('foo', 'foo-node', {}, { [H]: 'value-1' }), podTemplate('foo', 'foo-node', {}, { something: 'else' }), false],
    ['Same spec, the label is different, and the pod-template-hash label value is the same', podTemplate('foo', 'foo-node', {}, { [H]: 'value-1' }), podTemplate('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), false],
    ['Different spec, same labels', podTemplate('foo', 'foo-node', { former: 'value' }, { [H]: 'value-1', something: 'else' }), podTemplate('foo', 'foo-node', { latter: 'value' }, { [H]: 'value-1', something: 'else' }), false],
    ['Different spec, different pod-template-hash label value', podTemplate('foo-1', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), podTemplate('foo-2', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), false],
    ["Different spec, the former doesn't have pod-template-hash label", podTemplate('foo-1', 'foo-node-1', {}, { something: 'else' }), podTemplate('foo-2', 'foo-node-2', {}, { [H]: 'value-2', something: 'else' }), false],
    ['Different spec, different labels', podTemplate('foo', 'foo-node-1', {}, { something: 'else' }), podTemplate('foo', 'foo-node-2', {}, { nothing: 'else' }), false],
  ];
  for (const [name, former, latter, expected] of rows) {
    t.equal(equalIgnoreHash(former, latter), expected, name);
    t.equal(equalIgnoreHash(latter, former), expected, `${name} (reverse order)`);
  }
});

/** deployment_util_test.go generateDeployment / generateRS. */
function generateDeployment(image: string): Deployment {
  const d = makeDeployment(image, 1, { name: image });
  d.spec.template.spec.containers = [{ name: image, image }];
  return d;
}
function generateRS(d: Deployment, name: string, labels: Record<string, string>, createdMs: number, replicas = 0): ReplicaSet {
  const template = { ...d.spec.template, metadata: { labels } };
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, uid: `uid-${name}`, labels, creationTimestamp: createdMs }, spec: { replicas, template, selector: { matchLabels: labels } }, status: { replicas: 0 } };
}

// pkg/controller/deployment/util/deployment_util_test.go TestFindNewReplicaSet, TestFindOldReplicaSets
t.test('TestFindNewReplicaSet and TestFindOldReplicaSets', async (t) => {
  const now = 3_600_000;
  const d = generateDeployment('nginx');
  const newRS = generateRS(d, 'new', { name: 'nginx', [HASH_LABEL]: 'hash' }, now + 60_000, 1);
  const newRSDup = generateRS(d, 'dup', { name: 'nginx', [HASH_LABEL]: 'different-hash' }, now);
  const old = generateDeployment('nginx');
  old.spec.template.spec.containers = [{ name: 'nginx-old-1', image: 'nginx' }];
  const oldRS = generateRS(old, 'old', { name: 'nginx' }, now - 60_000);
  const name = (r: ReplicaSet | undefined) => r?.metadata.name;
  t.equal(name(findNewReplicaSet(d, [newRS, oldRS])), 'new', 'Get new ReplicaSet with the same template as Deployment spec but different pod-template-hash value');
  t.equal(name(findNewReplicaSet(d, [newRS, oldRS, newRSDup])), 'dup', 'Get the oldest new ReplicaSet when there are more than one ReplicaSet with the same template');
  t.equal(name(findNewReplicaSet(d, [oldRS])), undefined, 'Get nil new ReplicaSet');

  const rows: Array<[string, ReplicaSet[], string[], string[]]> = [
    ['Get old ReplicaSets', [newRS, oldRS], ['old'], []],
    ['Get old ReplicaSets with no new ReplicaSet', [oldRS], ['old'], []],
    ['Get old ReplicaSets with two new ReplicaSets, only the oldest new ReplicaSet is seen as new ReplicaSet', [oldRS, newRS, newRSDup], ['old', 'new'], ['new']],
    ['Get empty old ReplicaSets', [newRS], [], []],
  ];
  for (const [rowName, list, all, required] of rows) {
    const got = findOldReplicaSets(d, list);
    t.same(got.all.map(name), all, `${rowName}: all`);
    t.same(got.required.map(name), required, `${rowName}: required`);
  }
});

// pkg/controller/deployment/util/deployment_util_test.go TestDeploymentComplete
t.test('TestDeploymentComplete', async (t) => {
  const d = (desired: number, current: number, updated: number, available: number, unavailable: number, surge: number) => {
    const dep = newDeployment('foo', desired, undefined, surge, unavailable);
    dep.status = { replicas: current, updatedReplicas: updated, availableReplicas: available };
    return dep;
  };
  const rows: Array<[string, Deployment, boolean]> = [
    ['not complete: min but not all pods become available', d(5, 5, 5, 4, 1, 0), false],
    ['not complete: min availability is not honored', d(5, 5, 5, 3, 1, 0), false],
    ['complete', d(5, 5, 5, 5, 0, 0), true],
    ['not complete: all pods are available but not updated', d(5, 5, 4, 5, 0, 0), false],
    ['not complete: still running old pods', d(1, 2, 1, 1, 0, 1), false],
    ['not complete: one replica deployment never comes up', d(1, 1, 1, 0, 1, 1), false],
  ];
  for (const [name, dep, expected] of rows) t.equal(deploymentComplete(dep, dep.status), expected, name);
});

// pkg/controller/deployment/util/deployment_util_test.go TestGetNonNegativeInt32FromAnnotation
t.test('TestGetNonNegativeInt32FromAnnotation', async (t) => {
  const rows: Array<[string, Record<string, string> | undefined, number, boolean, string]> = [
    ['invalid empty', undefined, 0, false, ''],
    ['invalid', { test: 'invalid', foo: '2' }, 0, false, 'invalid syntax'],
    ['invalid negative ', { test: '-1', foo: '2' }, 0, false, 'invalid syntax'],
    ['valid zero', { test: '0', foo: '2' }, 0, true, ''],
    ['valid', { test: '13', foo: '2' }, 13, true, ''],
    ['valid max', { test: '2147483647', foo: '2' }, 2147483647, true, ''],
    ['invalid max out of range', { test: '2147483648', foo: '2' }, 0, false, 'out of range'],
    ['invalid max out of range 2', { test: '4294967296', foo: '2' }, 0, false, 'out of range'],
  ];
  for (const [name, annotations, value, valid, error] of rows) {
    const r = rs('nginx', 1, undefined, 0);
    r.metadata.annotations = annotations;
    const got = getNonNegativeInt32FromAnnotation(r, 'test');
    t.same([got.value, got.valid], [value, valid], name);
    if (error === '') t.equal(got.error, undefined, `${name}: no error`);
    else t.match(got.error, error, `${name}: error`);
  }
});

// pkg/controller/deployment/util/deployment_util_test.go TestAnnotationUtils
t.test('TestAnnotationUtils', async (t) => {
  const d = generateDeployment('nginx');
  d.metadata.annotations = { [REVISION_ANNOTATION]: '1' };
  const annotations: Record<string, string> = {};
  for (let i = 10; i < 20; i++) {
    const next = String(i + 1);
    setNewReplicaSetAnnotations(d, annotations, next, true, 5);
    if (i >= 12) t.equal(annotations[REVISION_HISTORY_ANNOTATION], `${i - 1},${i}`, `SetNewReplicaSetAnnotations history at ${next}`);
    t.equal(annotations[REVISION_ANNOTATION], next, `SetNewReplicaSetAnnotations revision ${next}`);
  }
  t.ok(setReplicasAnnotations(annotations, 10, 11), 'SetReplicasAnnotations');
  t.equal(annotations[DESIRED_REPLICAS_ANNOTATION], '10');
  t.equal(annotations[MAX_REPLICAS_ANNOTATION], '11');
  const r = rs('nginx', 1, undefined, 0);
  r.metadata.annotations = { ...annotations, [DESIRED_REPLICAS_ANNOTATION]: '1' };
  r.status = { replicas: 1, availableReplicas: 1 };
  t.ok(isSaturated(d, r), 'IsSaturated');
});

// pkg/controller/deployment/util/deployment_util_test.go TestReplicasAnnotationsNeedUpdate
t.test('TestReplicasAnnotationsNeedUpdate', async (t) => {
  const rows: Array<[string, Record<string, string> | undefined, boolean]> = [
    ['test Annotations nil', undefined, true],
    ['test desiredReplicas update', { [DESIRED_REPLICAS_ANNOTATION]: '8', [MAX_REPLICAS_ANNOTATION]: '20' }, true],
    ['test maxReplicas update', { [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '16' }, true],
    ["test needn't update", { [DESIRED_REPLICAS_ANNOTATION]: '10', [MAX_REPLICAS_ANNOTATION]: '20' }, false],
  ];
  for (const [name, annotations, expected] of rows) {
    const r = rs('hello', 1, { foo: 'bar' }, 0);
    r.metadata.annotations = annotations;
    t.equal(replicasAnnotationsNeedUpdate(r, 10, 20), expected, name);
  }
});

// pkg/controller/controller_utils_test.go TestComputeHash (and the format of the suffix)
t.test('TestComputeHash', async (t) => {
  const template: PodTemplateSpec = { spec: { containers: [] } };
  t.not(computeHash(template, 1), computeHash(template, 2), 'simple');
  t.not(computeHash(template, undefined), computeHash(template, 2147483647), 'using math.MaxInt32');
  t.match(computeHash(template, undefined), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  t.equal(computeHash({ spec: { containers: [{ image: 'a', name: 'b' }] } }, undefined), computeHash({ spec: { containers: [{ name: 'b', image: 'a' }] } }, undefined), 'key order does not matter');
});

// ---- rolling_test.go ----

// pkg/controller/deployment/rolling_test.go TestDeploymentController_reconcileNewReplicaSet (the
// rows without the alpha DeploymentPodReplacementPolicy gate)
t.test('TestDeploymentController_reconcileNewReplicaSet', async (t) => {
  const rows: Array<[string, number, number, number, number, boolean, number]> = [
    ['should not scale up when old replica set is fully saturated', 10, 0, 10, 0, false, 0],
    ['should scale up according to the maxSurge when old replica set is fully saturated', 10, 2, 10, 0, true, 2],
    ['should scale up according to the maxSurge', 10, 2, 5, 0, true, 7],
    ['should not scale when maxSurge is fully saturated', 10, 2, 10, 2, false, 0],
    ['should scale down when there are replicas above maxSurge', 10, 2, 2, 11, true, 10],
  ];
  for (const [name, dReplicas, surge, oldReplicas, newReplicas, scaleExpected, expected] of rows) {
    const newRS = rs('foo-v2', newReplicas, undefined, undefined);
    const oldRS = rs('foo-v1', oldReplicas, undefined, undefined);
    const d = newDeployment('foo', dReplicas, undefined, surge, 0, { foo: 'bar' });
    const { scale, calls } = recordingScaler();
    const got = reconcileNewReplicaSet([newRS, oldRS], newRS, d, scale);
    t.same(got, { ok: true, value: scaleExpected }, name);
    t.same(calls, scaleExpected ? [['foo-v2', expected]] : [], `${name}: updates`);
  }
});

// pkg/controller/deployment/rolling_test.go TestDeploymentController_reconcileOldReplicaSets
t.test('TestDeploymentController_reconcileOldReplicaSets', async (t) => {
  const rows: Array<[number, number, number, number, number, number, boolean, number?]> = [
    [10, 0, 10, 0, 10, 0, true, 9],
    [10, 2, 10, 0, 10, 0, true, 8],
    [10, 2, 10, 0, 8, 0, true, 8], // unhealthy replicas from old replica sets are cleaned up
    [10, 2, 10, 0, 9, 0, true, 8], // 1 unhealthy replica cleaned up, and 1 ready pod scaled down
    [10, 2, 8, 2, 8, 0, false], // the newRS's unavailable pods do not let old RSs scale down further
  ];
  for (const [i, [dReplicas, unavailable, oldReplicas, newReplicas, readyOld, readyNew, scaleExpected, expectedOld]] of rows.entries()) {
    const newRS = withAvailable(rs('foo-new', newReplicas, { foo: 'new' }, undefined), readyNew);
    const oldRS = withAvailable(rs('foo-old', oldReplicas, { foo: 'old' }, undefined), readyOld);
    const d = newDeployment('foo', dReplicas, undefined, 0, unavailable, { foo: 'new' });
    const { scale, calls } = recordingScaler();
    t.equal(reconcileOldReplicaSets([oldRS, newRS], [oldRS], newRS, d, scale), scaleExpected, `scenario ${i}`);
    if (expectedOld !== undefined) t.equal(calls.at(-1)?.[1], expectedOld, `scenario ${i}: old replicas`);
  }
});

// pkg/controller/deployment/rolling_test.go TestDeploymentController_cleanupUnhealthyReplicas
t.test('TestDeploymentController_cleanupUnhealthyReplicas', async (t) => {
  const rows: Array<[number, number, number, number]> = [
    [10, 8, 1, 1],
    [10, 8, 3, 2],
    [10, 8, 0, 0],
    [10, 10, 3, 0],
  ];
  for (const [i, [oldReplicas, readyPods, maxCleanupCount, expected]] of rows.entries()) {
    const oldRS = withAvailable(rs('foo-v2', oldReplicas, undefined, undefined), readyPods);
    const got = cleanupUnhealthyReplicas([oldRS], maxCleanupCount, recordingScaler().scale);
    t.equal(got.ok && got.value.cleaned, expected, `scenario ${i}`);
  }
});

// pkg/controller/deployment/rolling_test.go TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate
t.test('TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate', async (t) => {
  const rows: Array<[number, number, number, number, boolean, number?]> = [
    [10, 0, 10, 10, true, 9],
    [10, 2, 10, 10, true, 8],
    [10, 2, 8, 10, false],
    [10, 2, 10, 0, false],
    [10, 2, 1, 10, false],
  ];
  for (const [i, [dReplicas, unavailable, readyPods, oldReplicas, scaleExpected, expected]] of rows.entries()) {
    const oldRS = withAvailable(rs('foo-v2', oldReplicas, undefined, undefined), readyPods);
    const d = newDeployment('foo', dReplicas, undefined, 0, unavailable, { foo: 'bar' });
    const { scale, calls } = recordingScaler();
    const got = scaleDownOldReplicaSetsForRollingUpdate([oldRS], [oldRS], d, scale);
    t.equal(got.ok && got.value > 0, scaleExpected, `scenario ${i}`);
    t.same(calls, scaleExpected ? [['foo-v2', expected]] : [], `scenario ${i}: updates`);
  }
});

// ---- sync_test.go ----

// pkg/controller/deployment/sync_test.go TestScale (the rows without the alpha
// DeploymentPodReplacementPolicy gate)
t.test('TestScale', async (t) => {
  const newTs = 2 * 3_600_000;
  const oldTs = 3_600_000;
  const olderTs = 0;
  const updatedTemplate = (replicas: number) => {
    const d = newDeployment('foo', replicas, undefined, undefined, undefined, { foo: 'bar' });
    d.spec.template.metadata = { labels: { foo: 'bar', another: 'label' } };
    return d;
  };
  interface Row {
    name: string;
    deployment: Deployment;
    oldDeployment: Deployment;
    newRS?: ReplicaSet;
    oldRSs: ReplicaSet[];
    expectedNew?: number;
    expectedOld: number[];
    wasntUpdated?: string[];
    desiredReplicasAnnotations?: Record<string, number>;
  }
  const D = (replicas: number, surge?: number, unavailable?: number) => newDeployment('foo', replicas, undefined, surge, unavailable);
  const rows: Row[] = [
    { name: 'normal scaling event: 10 -> 12', deployment: D(12), oldDeployment: D(10), newRS: rs('foo-v1', 10, undefined, newTs), oldRSs: [], expectedNew: 12, expectedOld: [] },
    { name: 'normal scaling event: 10 -> 5', deployment: D(5), oldDeployment: D(10), newRS: rs('foo-v1', 10, undefined, newTs), oldRSs: [], expectedNew: 5, expectedOld: [] },
    { name: 'proportional scaling: 5 -> 10', deployment: D(10), oldDeployment: D(5), newRS: rs('foo-v2', 2, undefined, newTs), oldRSs: [rs('foo-v1', 3, undefined, oldTs)], expectedNew: 4, expectedOld: [6] },
    { name: 'proportional scaling: 5 -> 3', deployment: D(3), oldDeployment: D(5), newRS: rs('foo-v2', 2, undefined, newTs), oldRSs: [rs('foo-v1', 3, undefined, oldTs)], expectedNew: 1, expectedOld: [2] },
    { name: 'proportional scaling: 9 -> 4', deployment: D(4), oldDeployment: D(9), newRS: rs('foo-v2', 8, undefined, newTs), oldRSs: [rs('foo-v1', 1, undefined, oldTs)], expectedNew: 4, expectedOld: [0] },
    { name: 'proportional scaling: 7 -> 10', deployment: D(10), oldDeployment: D(7), newRS: rs('foo-v3', 2, undefined, newTs), oldRSs: [rs('foo-v2', 3, undefined, oldTs), rs('foo-v1', 2, undefined, olderTs)], expectedNew: 3, expectedOld: [4, 3] },
    { name: 'proportional scaling: 13 -> 8', deployment: D(8), oldDeployment: D(13), newRS: rs('foo-v3', 2, undefined, newTs), oldRSs: [rs('foo-v2', 8, undefined, oldTs), rs('foo-v1', 3, undefined, olderTs)], expectedNew: 1, expectedOld: [5, 2] },
    { name: 'leftover distribution: 3 -> 4', deployment: D(4), oldDeployment: D(3), newRS: rs('foo-v3', 1, undefined, newTs), oldRSs: [rs('foo-v2', 1, undefined, oldTs), rs('foo-v1', 1, undefined, olderTs)], expectedNew: 2, expectedOld: [1, 1] },
    { name: 'leftover distribution: 3 -> 2', deployment: D(2), oldDeployment: D(3), newRS: rs('foo-v3', 1, undefined, newTs), oldRSs: [rs('foo-v2', 1, undefined, oldTs), rs('foo-v1', 1, undefined, olderTs)], expectedNew: 1, expectedOld: [1, 0] },
    { name: 'proportional scaling (no new rs): 4 -> 5', deployment: D(5), oldDeployment: D(4), oldRSs: [rs('foo-v2', 2, undefined, oldTs), rs('foo-v1', 2, undefined, olderTs)], expectedOld: [3, 2] },
    { name: 'proportional scaling: 6 -> 0', deployment: D(0), oldDeployment: D(6), newRS: rs('foo-v3', 3, undefined, newTs), oldRSs: [rs('foo-v2', 2, undefined, oldTs), rs('foo-v1', 1, undefined, olderTs)], expectedNew: 0, expectedOld: [0, 0] },
    {
      name: 'proportional scaling: 0 -> 6',
      deployment: D(6),
      oldDeployment: D(6),
      newRS: rs('foo-v3', 0, undefined, newTs),
      oldRSs: [rs('foo-v2', 0, undefined, oldTs), rs('foo-v1', 0, undefined, olderTs)],
      expectedNew: 6,
      expectedOld: [0, 0],
      wasntUpdated: ['foo-v2', 'foo-v1'],
    },
    {
      name: 'failed rs update',
      deployment: D(5),
      oldDeployment: D(5),
      newRS: rs('foo-v3', 2, undefined, newTs),
      oldRSs: [rs('foo-v2', 1, undefined, oldTs), rs('foo-v1', 1, undefined, olderTs)],
      expectedNew: 2,
      expectedOld: [2, 1],
      wasntUpdated: ['foo-v3', 'foo-v1'],
      desiredReplicasAnnotations: { 'foo-v2': 3 },
    },
    { name: 'deployment with surge pods', deployment: D(20, 2), oldDeployment: D(10, 2), newRS: rs('foo-v2', 6, undefined, newTs), oldRSs: [rs('foo-v1', 6, undefined, oldTs)], expectedNew: 11, expectedOld: [11] },
    { name: 'change both surge and size', deployment: D(50, 6), oldDeployment: D(10, 3), newRS: rs('foo-v2', 5, undefined, newTs), oldRSs: [rs('foo-v1', 8, undefined, oldTs)], expectedNew: 22, expectedOld: [34] },
    {
      name: 'change both size and template',
      deployment: updatedTemplate(14),
      oldDeployment: newDeployment('foo', 10, undefined, undefined, undefined, { foo: 'bar' }),
      oldRSs: [rs('foo-v2', 7, undefined, newTs), rs('foo-v1', 3, undefined, oldTs)],
      expectedOld: [10, 4],
    },
    {
      name: 'saturated but broken new replica set does not affect old pods',
      deployment: D(2, 1, 1),
      oldDeployment: D(2, 1, 1),
      newRS: withAvailable(rs('foo-v2', 2, undefined, newTs), 0),
      oldRSs: [rs('foo-v1', 1, undefined, oldTs)],
      expectedNew: 2,
      expectedOld: [1],
    },
  ];
  for (const row of rows) {
    const annotate = (r: ReplicaSet) => {
      const desired = row.desiredReplicasAnnotations?.[r.metadata.name] ?? row.oldDeployment.spec.replicas!;
      r.metadata.annotations = {};
      setReplicasAnnotations(r.metadata.annotations, desired, desired + maxSurge(row.oldDeployment));
    };
    if (row.newRS) annotate(row.newRS);
    row.oldRSs.forEach(annotate);
    const { scale, calls } = recordingScaler();
    t.equal(scaleDeployment(row.deployment, row.newRS, row.oldRSs, scale), undefined, `${row.name}: no error`);
    const sizes = new Map<string, number>([...(row.newRS ? [row.newRS] : []), ...row.oldRSs].map((r) => [r.metadata.name, r.spec.replicas!]));
    for (const [name, size] of calls) if (!row.wasntUpdated?.includes(name)) sizes.set(name, size);
    if (row.newRS) t.equal(sizes.get(row.newRS.metadata.name), row.expectedNew, `${row.name}: new`);
    t.same(row.oldRSs.map((r) => sizes.get(r.metadata.name)), row.expectedOld, `${row.name}: old`);
  }
});

t.test('calculateDeploymentStatus sums the ReplicaSets', async (t) => {
  const d = newDeployment('foo', 4);
  d.metadata.generation = 3;
  const a: ReplicaSet = { ...rs('a', 3, undefined, 0), status: { replicas: 3, readyReplicas: 3, availableReplicas: 2 } };
  const b: ReplicaSet = { ...rs('b', 2, undefined, 1), status: { replicas: 1, readyReplicas: 0, availableReplicas: 0 } };
  t.same(calculateDeploymentStatus([a, b], b, d, 7000), {
    observedGeneration: 3,
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 3,
    availableReplicas: 2,
    unavailableReplicas: 3,
    conditions: [{ type: 'Available', status: 'False', lastUpdateTime: 7000, lastTransitionTime: 7000, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }],
  });
  const c: ReplicaSet = { ...b, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 } };
  const available = calculateDeploymentStatus([a, c], c, d, 9000);
  t.same(available.conditions, [{ type: 'Available', status: 'True', lastUpdateTime: 9000, lastTransitionTime: 9000, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }], '3 of 4 available: replicas − maxUnavailable (25% of 4 = 1)');
});

// ---- behaviour in a simulation ----

const LABELS = { app: 'web' };

function rsOf(h: ReturnType<typeof harness>): ReplicaSet[] {
  return h.replicaSets();
}

t.test('a new Deployment gets a ReplicaSet named by its template hash, revision 1, and pods', async (t) => {
  const h = harness({ deployments: true, kubeletReadyMs: 1000 });
  const d = create(h.store, makeDeployment('web', 3, LABELS));
  h.run(5000);
  const [only, ...others] = rsOf(h);
  t.equal(others.length, 0);
  const hash = computeHash(d.spec.template, undefined);
  t.equal(only!.metadata.name, `web-${hash}`);
  t.same(only!.metadata.labels, { ...LABELS, [HASH_LABEL]: hash });
  t.same(only!.spec.selector, { matchLabels: { ...LABELS, [HASH_LABEL]: hash } });
  t.same(only!.spec.template.metadata?.labels, { ...LABELS, [HASH_LABEL]: hash });
  t.same(only!.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  t.same(only!.metadata.annotations, { [DESIRED_REPLICAS_ANNOTATION]: '3', [MAX_REPLICAS_ANNOTATION]: '4', [REVISION_ANNOTATION]: '1' });
  const dep = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  t.equal(dep.metadata.annotations?.[REVISION_ANNOTATION], '1');
  t.same(dep.status, {
    observedGeneration: 1,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    unavailableReplicas: 0,
    // Available from the second its pods were; Progressing True since the ReplicaSet was created
    // (NewReplicaSetCreated at 0s), NewReplicaSetAvailable once the rollout completed.
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: 1000, lastTransitionTime: 1000, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', lastUpdateTime: 1000, lastTransitionTime: 0, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` },
    ],
  });
  t.same(h.eventMessages('ScalingReplicaSet'), [`Scaled up replica set web-${hash} from 0 to 3`]);
  t.equal(h.activePods().length, 3);
  t.ok(h.activePods().every((p) => p.metadata.labels?.[HASH_LABEL] === hash));
});

/** Rolls a 10-replica Deployment (25% surge and unavailability: at most 13 pods, at least 8
 *  available) to a new image, checking both bounds whenever an instant has settled. */
t.test('RollingUpdate stays within maxSurge and maxUnavailable', async (t) => {
  const h = harness({ deployments: true, kubeletReadyMs: 3000, kubeletTerminateMs: 2000 });
  create(h.store, makeDeployment('web', 10, LABELS));
  h.run(20_000);
  t.equal(h.activePods().filter((p) => p.status.phase === 'Running').length, 10);
  let maxActive = 0;
  let minAvailable = Infinity;
  h.sim.onInstantEnd(() => {
    const active = h.activePods();
    maxActive = Math.max(maxActive, active.length);
    minAvailable = Math.min(minAvailable, active.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length);
  });
  const d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  const template = { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ name: 'app', image: 'nginx:2' }] } };
  h.store.update<Deployment>({ ...d, spec: { ...d.spec, template } }, 'test');
  h.run(120_000);
  t.ok(maxActive <= 13, `never more than replicas+maxSurge pods (saw ${maxActive})`);
  t.ok(minAvailable >= 8, `never fewer than replicas-maxUnavailable available (saw ${minAvailable})`);
  t.equal(maxActive, 13, 'the surge was used');
  const pods = h.pods();
  t.equal(pods.length, 10);
  t.ok(pods.every((p) => p.spec.containers[0]!.image === 'nginx:2'));
  const dep = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  t.equal(dep.metadata.annotations?.[REVISION_ANNOTATION], '2');
  const [old, cur] = rsOf(h);
  t.same(dep.status, {
    observedGeneration: 2,
    replicas: 10,
    updatedReplicas: 10,
    readyReplicas: 10,
    availableReplicas: 10,
    unavailableReplicas: 0,
    // Available throughout the rollout (never below replicas − maxUnavailable); Progressing True
    // since 0s, through NewReplicaSetCreated and ReplicaSetUpdated to NewReplicaSetAvailable.
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: 3000, lastTransitionTime: 3000, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', lastUpdateTime: 26000, lastTransitionTime: 0, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${cur!.metadata.name}" has successfully progressed.` },
    ],
  });
  t.equal(old!.spec.replicas, 0);
  t.equal(cur!.spec.replicas, 10);
  t.equal(old!.metadata.annotations?.[REVISION_ANNOTATION], '1');
  t.equal(cur!.metadata.annotations?.[REVISION_ANNOTATION], '2');
  // Surge 3 first, then old pods down to minAvailable, and so on as new pods become ready.
  const [o, n] = [old!.metadata.name, cur!.metadata.name];
  t.same(h.eventMessages('ScalingReplicaSet'), [
    `Scaled up replica set ${o} from 0 to 10`,
    `Scaled up replica set ${n} from 0 to 3`,
    `Scaled down replica set ${o} from 10 to 8`,
    `Scaled up replica set ${n} from 3 to 5`,
    `Scaled down replica set ${o} from 8 to 3`,
    `Scaled up replica set ${n} from 5 to 10`,
    `Scaled down replica set ${o} from 3 to 0`,
  ]);
});

t.test('Recreate removes every old pod before creating new ones', async (t) => {
  const h = harness({ deployments: true, kubeletReadyMs: 1000, kubeletTerminateMs: 5000 });
  create(h.store, makeDeployment('web', 3, LABELS, { strategy: { type: 'Recreate' } }));
  h.run(10_000);
  let overlap = false;
  h.sim.onInstantEnd(() => {
    const images = new Set(h.pods().map((p) => p.spec.containers[0]!.image));
    if (images.size > 1) overlap = true;
  });
  const d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  h.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } }, 'test');
  h.run(12_000);
  t.equal(h.pods().length, 3, 'old pods are still terminating');
  t.ok(h.pods().every((p) => p.metadata.deletionTimestamp !== undefined));
  h.run(60_000);
  t.notOk(overlap, 'old and new pods never coexisted');
  t.equal(h.activePods().length, 3);
  t.ok(h.pods().every((p) => p.spec.containers[0]!.image === 'nginx:2'));
});

t.test('scaling mid-rollout resizes old and new ReplicaSets proportionally', async (t) => {
  // New pods never become ready (no kubelet), so the rollout stalls with both sets active.
  const h = harness({ deployments: true });
  create(h.store, makeDeployment('web', 10, LABELS, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
  h.run(1000);
  for (const p of h.pods()) {
    const conditions = [{ type: 'Ready', status: 'True' as const, lastTransitionTime: 1000 }];
    h.store.update<Pod>({ ...p, status: { ...p.status, phase: 'Running', conditions } }, 'test');
  }
  h.run(2000);
  let d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  h.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } }, 'test');
  h.run(3000);
  t.same(rsOf(h).map((r) => r.spec.replicas), [8, 5], 'stalled: old scaled to minAvailable, new to the surge');
  d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  h.store.update<Deployment>({ ...d, spec: { ...d.spec, replicas: 20 } }, 'test');
  h.run(4000);
  // 13 pods → 20 + maxSurge 3 = 23 allowed: 10 to add, each set growing by 23/13 of its size.
  t.same(rsOf(h).map((r) => r.spec.replicas), [14, 9]);
  t.same(rsOf(h).map((r) => r.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]), ['20', '20']);
});

t.test('revisionHistoryLimit keeps that many old, empty ReplicaSets', async (t) => {
  const h = harness({ deployments: true, kubeletReadyMs: 500, kubeletTerminateMs: 500 });
  create(h.store, makeDeployment('web', 2, LABELS, { revisionHistoryLimit: 1 }));
  h.run(5000);
  for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
    const d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
    h.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: 'app', image }] } } } }, 'test');
    h.run(h.sim.nowMs + 30_000);
  }
  const sets = rsOf(h);
  t.same(sets.map((r) => r.metadata.annotations?.[REVISION_ANNOTATION]), ['3', '4'], 'only the newest old revision is kept');
  t.same(sets.map((r) => r.spec.replicas), [0, 2]);
  t.equal(h.store.get<Deployment>('Deployment', 'default', 'web')!.metadata.annotations?.[REVISION_ANNOTATION], '4');
});

t.test('rolling back to an older template reuses its ReplicaSet with a new revision', async (t) => {
  const h = harness({ deployments: true, kubeletReadyMs: 500, kubeletTerminateMs: 500 });
  create(h.store, makeDeployment('web', 2, LABELS));
  h.run(5000);
  const first = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  const originalTemplate = first.spec.template;
  h.store.update<Deployment>({ ...first, spec: { ...first.spec, template: { ...originalTemplate, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } }, 'test');
  h.run(30_000);
  const second = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  h.store.update<Deployment>({ ...second, spec: { ...second.spec, template: originalTemplate } }, 'test');
  h.run(60_000);
  const sets = rsOf(h);
  t.equal(sets.length, 2);
  t.same(sets.map((r) => r.spec.replicas), [2, 0]);
  t.equal(sets[0]!.metadata.annotations?.[REVISION_ANNOTATION], '3');
  t.equal(sets[0]!.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '1');
});

t.test('same seed, same names; the trace repeats', async (t) => {
  const runOnce = (seed: number) => {
    const h = harness({ seed, deployments: true, kubeletReadyMs: 700, kubeletTerminateMs: 900 });
    create(h.store, makeDeployment('web', 4, LABELS));
    h.run(5000);
    const d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
    h.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } }, 'test');
    h.run(60_000);
    return { names: h.pods().map((p) => p.metadata.name), trace: JSON.stringify(h.sim.trace) };
  };
  const a = runOnce(9);
  const b = runOnce(9);
  t.same(a.names, b.names);
  t.equal(a.trace, b.trace);
  t.not(runOnce(10).names.join(), a.names.join());
});

t.test('sameRecord says what comparing canonicalJson texts says', async (t) => {
  const leaf = fc.oneof(fc.constant(undefined), fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', ''), fc.boolean(), fc.constant(null), fc.constant(Number.NaN));
  // Conditions-like values too: arrays of small records (undefined members and elements included),
  // drawn from a few values so that equal and unequal pairs of the same shape both come up.
  const small = fc.constantFrom<unknown>(undefined, 1, 'a', null);
  // (fast-check's records have no prototype; the store's objects are plain ones.)
  const condition = fc.record({ type: small, status: small }, { requiredKeys: [] }).map((o) => ({ ...o }));
  const value = fc.oneof(leaf, fc.constant([1]), fc.constant({ x: 1 }), fc.array(fc.oneof(condition, small), { maxLength: 2 }), condition);
  const record = fc.dictionary(fc.constantFrom('replicas', 'readyReplicas', 'observedGeneration', 'collisionCount', 'conditions'), value);
  fc.assert(
    fc.property(record, record, (a, b) => {
      t.equal(sameRecord(a, b), canonicalJson(a) === canonicalJson(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      t.ok(sameRecord(a, { ...a }), 'a copy is the same');
    }),
    { seed: 7, numRuns: 1000 },
  );
  // Statuses that differ, if at all, in their conditions only.
  const conditionsOnly = fc.record({ replicas: fc.constant(1), conditions: value }, { requiredKeys: ['replicas'] });
  fc.assert(
    fc.property(conditionsOnly, conditionsOnly, (a, b) => {
      t.equal(sameRecord(a, b), canonicalJson(a) === canonicalJson(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }),
    { seed: 8, numRuns: 500 },
  );
});
