// Tests for the VolumeZone queueing hints (src/scheduler/plugins/volume_zone.ts), transcribed from
// pkg/scheduler/framework/plugins/volumezone/volume_zone_test.go: every row of
// TestIsSchedulableAfterPersistentVolumeClaimAdded, TestIsSchedulableAfterStorageClassAdded and
// TestIsSchedulableAfterPersistentVolumeChange. Upstream's rows with expectedErr (hint Queue plus
// an error) are rows whose hint function here returns an Error, which the queue takes as Queue
// (framework/types.ts QueueingHintFn); the wrong objects are strings, as upstream's. The
// registrations are checked against volume_zone.go EventsToRegister with queueing hints on.
import t, { type Test } from 'tap';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../src/api/types.js';
import type { QueueingHint, QueueingHintFn } from '../../../src/scheduler/framework/types.js';
import {
  VolumeZone,
  isSchedulableAfterPersistentVolumeChange,
  isSchedulableAfterPersistentVolumeClaimChange,
  isSchedulableAfterStorageClassAdded,
} from '../../../src/scheduler/plugins/volume_zone.js';
import { fakeHandle, makePod, makeStorageClass, registrations } from '../fixtures.js';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const ZONE = 'topology.kubernetes.io/zone';

/** createPodWithVolume(pod, pvc): st.MakePod().Name(pod).Namespace("default").PVC(pvc). */
const createPodWithVolume = (name: string, claimName: string): Pod => makePod(name, { volumes: [{ name: claimName, persistentVolumeClaim: { claimName } }] });
const pvc = (name: string, namespace: string, volumeName: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace },
  spec: { volumeName },
  status: {},
});
const pv = (name: string, labels?: Record<string, string>): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: labels === undefined ? { name } : { name, labels },
  spec: {},
  status: {},
});

interface Row {
  name: string;
  pod: Pod;
  oldObj?: unknown;
  newObj?: unknown;
  expectedHint: QueueingHint;
  expectedErr?: boolean;
}

/** Upstream's loop: the hint must equal expectedHint; an error only where expectedErr. */
function run(t: Test, fn: QueueingHintFn, rows: Row[]): void {
  for (const row of rows) {
    const got = fn(row.pod, row.oldObj, row.newObj);
    t.equal(got instanceof Error, row.expectedErr === true, `${row.name}: error`);
    t.equal(got instanceof Error ? 'Queue' : got, row.expectedHint, `${row.name}: hint`);
  }
}

t.test('volume_zone_test.go TestIsSchedulableAfterPersistentVolumeClaimAdded', async (t) => {
  run(t, isSchedulableAfterPersistentVolumeClaimChange, [
    { name: 'error-wrong-new-object', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: 'not-a-pvc', expectedHint: 'Queue', expectedErr: true },
    { name: 'pvc-was-added-but-pod-refers-no-pvc', pod: makePod('pod_1'), newObj: pvc('PVC_1', 'default', 'Vol_1'), expectedHint: 'QueueSkip' },
    { name: 'pvc-was-added-and-pod-was-bound-to-different-pvc', pod: createPodWithVolume('pod_1', 'PVC_2'), newObj: pvc('PVC_1', 'default', 'Vol_1'), expectedHint: 'QueueSkip' },
    { name: 'pvc-was-added-and-pod-was-bound-to-pvc-but-different-ns', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: pvc('PVC_1', 'ns1', 'Vol_1'), expectedHint: 'QueueSkip' },
    { name: 'pvc-was-added-and-pod-was-bound-to-the-pvc', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: pvc('PVC_1', 'default', 'Vol_1'), expectedHint: 'Queue' },
    { name: 'pvc-was-updated-and-pod-was-bound-to-the-pvc', pod: createPodWithVolume('pod_1', 'PVC_1'), oldObj: pvc('PVC_1', 'default', ''), newObj: pvc('PVC_1', 'default', 'Vol_1'), expectedHint: 'Queue' },
    { name: 'pvc-was-updated-but-pod-refers-no-pvc', pod: makePod('pod_1'), oldObj: pvc('PVC_1', 'default', ''), newObj: pvc('PVC_1', 'default', 'Vol_1'), expectedHint: 'QueueSkip' },
  ]);
});

t.test('volume_zone_test.go TestIsSchedulableAfterStorageClassAdded', async (t) => {
  run(t, isSchedulableAfterStorageClassAdded, [
    { name: 'error-wrong-new-object', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: 'not-a-storageclass', expectedHint: 'Queue', expectedErr: true },
    { name: "sc-doesn't-have-volume-binding-mode", pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: makeStorageClass('SC_1'), expectedHint: 'QueueSkip' },
    { name: 'new-sc-is-wait-for-first-consumer-mode', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: makeStorageClass('SC_1', { volumeBindingMode: 'WaitForFirstConsumer' }), expectedHint: 'Queue' },
  ]);
});

t.test('volume_zone_test.go TestIsSchedulableAfterPersistentVolumeChange', async (t) => {
  run(t, isSchedulableAfterPersistentVolumeChange, [
    { name: 'error-wrong-new-object', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: 'not-a-pv', expectedHint: 'Queue', expectedErr: true },
    { name: 'error-wrong-old-object', pod: createPodWithVolume('pod_1', 'PVC_1'), oldObj: 'not-a-pv', newObj: pv('Vol_1'), expectedHint: 'Queue', expectedErr: true },
    { name: 'new-pv-was-added', pod: createPodWithVolume('pod_1', 'PVC_1'), newObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-b' }), expectedHint: 'Queue' },
    {
      name: 'pv-was-updated-and-changed-topology',
      pod: createPodWithVolume('pod_1', 'PVC_1'),
      oldObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-a' }),
      newObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-b' }),
      expectedHint: 'Queue',
    },
    {
      name: 'pv-was-updated-and-added-topology-label',
      pod: createPodWithVolume('pod_1', 'PVC_1'),
      oldObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-a' }),
      newObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-a', [ZONE]: 'zone' }),
      expectedHint: 'Queue',
    },
    {
      name: 'pv-was-updated-but-no-topology-is-changed',
      pod: createPodWithVolume('pod_1', 'PVC_1'),
      oldObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-a', [ZONE]: 'zone' }),
      newObj: pv('Vol_1', { [BETA_ZONE]: 'us-west1-a', [ZONE]: 'zone' }),
      expectedHint: 'QueueSkip',
    },
    // Ours (not in upstream's table): a zone set that grows under the same label is a topology
    // change (reflect.DeepEqual of the sets); the same zones written in another order are not.
    {
      name: 'pv-was-updated-and-a-zone-was-added-to-the-label (ours)',
      pod: createPodWithVolume('pod_1', 'PVC_1'),
      oldObj: pv('Vol_1', { [ZONE]: 'zone-a' }),
      newObj: pv('Vol_1', { [ZONE]: 'zone-a__zone-b' }),
      expectedHint: 'Queue',
    },
    {
      name: 'pv-was-updated-and-its-zones-reordered (ours)',
      pod: createPodWithVolume('pod_1', 'PVC_1'),
      oldObj: pv('Vol_1', { [ZONE]: 'zone-a__zone-b' }),
      newObj: pv('Vol_1', { [ZONE]: 'zone-b__zone-a' }),
      expectedHint: 'QueueSkip',
    },
  ]);
});

t.test('volume_zone.go EventsToRegister (queueing hints on)', async (t) => {
  t.strictSame(registrations(new VolumeZone(fakeHandle([])).eventsToRegister()), [
    { resource: 'StorageClass', actions: ['Add'], hint: true },
    { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], hint: false },
    { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'], hint: true },
    { resource: 'PersistentVolume', actions: ['Add', 'Update'], hint: true },
  ]);
  // The registered functions are the hint functions tested above.
  const byResource = new Map(new VolumeZone(fakeHandle([])).eventsToRegister().map((e) => [e.resource, e.queueingHintFn]));
  t.equal(byResource.get('StorageClass'), isSchedulableAfterStorageClassAdded);
  t.equal(byResource.get('PersistentVolumeClaim'), isSchedulableAfterPersistentVolumeClaimChange);
  t.equal(byResource.get('PersistentVolume'), isSchedulableAfterPersistentVolumeChange);
});
