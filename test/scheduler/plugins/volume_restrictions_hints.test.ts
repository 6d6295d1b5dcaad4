// Tests for the VolumeRestrictions queueing hints and event registrations
// (src/scheduler/plugins/volume_restrictions.ts), transcribed from
// pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions_test.go:
// Test_isSchedulableAfterPodDeleted (every row) and
// Test_isSchedulableAfterPersistentVolumeClaimChange (every row; it calls
// isSchedulableAfterPersistentVolumeClaimAdded). Upstream builds the plugin with listers (existing
// pods, an empty claim) that neither hint reads; here the hints are plain functions.
// The registrations follow volume_restrictions.go EventsToRegister with queueing hints on; the rows
// marked "(ours)" are not upstream's: they pin the namespace rule and the error paths.
import t from 'tap';
import type { PersistentVolumeClaim, Pod, Volume } from '../../../src/api/types.js';
import {
  VolumeRestrictions,
  isSchedulableAfterPersistentVolumeClaimAdded,
  isSchedulableAfterPodDeleted,
} from '../../../src/scheduler/plugins/volume_restrictions.js';
import { fakeHandle, makePod, registrations } from '../fixtures.js';

type Hint = 'Queue' | 'QueueSkip';

let seq = 0;
/** st.MakePod().Volume(v): an unnamed pod (named uniquely here) with that one volume. */
const podWithVolume = (v: Volume): Pod => makePod(`p${seq++}`, { volumes: [v] });
/** st.MakePod().PVC(c)...: one volume per claim, named after it. */
const pvcVolumes = (...claims: string[]): Volume[] => claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } }));

t.test('eventsToRegister (queueing hints on): Pod Delete and PVC Add with hints, Node Add without', async (t) => {
  t.strictSame(registrations(new VolumeRestrictions(fakeHandle([])).eventsToRegister()), [
    { resource: 'Pod', actions: ['Delete'], hint: true },
    { resource: 'Node', actions: ['Add'], hint: false },
    { resource: 'PersistentVolumeClaim', actions: ['Add'], hint: true },
  ]);
  const events = new VolumeRestrictions(fakeHandle([])).eventsToRegister();
  t.equal(events[0]!.queueingHintFn, isSchedulableAfterPodDeleted, 'Pod Delete uses isSchedulableAfterPodDeleted');
  t.equal(events[2]!.queueingHintFn, isSchedulableAfterPersistentVolumeClaimAdded, 'PVC Add uses isSchedulableAfterPersistentVolumeClaimAdded');
});

t.test('volume_restrictions_test.go Test_isSchedulableAfterPodDeleted', async (t) => {
  const GCEDiskVolState: Volume = { name: '', gcePersistentDisk: { pdName: 'foo' } };
  const GCEDiskVolState2: Volume = { name: '', gcePersistentDisk: { pdName: 'bar' } };
  const AWSDiskVolState: Volume = { name: '', awsElasticBlockStore: { volumeID: 'foo' } };
  const AWSDiskVolState2: Volume = { name: '', awsElasticBlockStore: { volumeID: 'bar' } };
  const RBDDiskVolState: Volume = { name: '', rbd: { monitors: ['a', 'b'], pool: 'foo', image: 'bar', fsType: 'ext4' } };
  const RBDDiskVolState2: Volume = { name: '', rbd: { monitors: ['c', 'd'], pool: 'foo', image: 'bar', fsType: 'ext4' } };
  const ISCSIDiskVolState: Volume = { name: '', iscsi: { targetPortal: '127.0.0.1:3260', iqn: 'iqn.2016-12.server:storage.target01', fsType: 'ext4', lun: 0 } };
  const ISCSIDiskVolState2: Volume = { name: '', iscsi: { targetPortal: '127.0.0.1:3260', iqn: 'iqn.2017-12.server:storage.target01', fsType: 'ext4', lun: 0 } };

  // Per disk kind, upstream's three fixtures: the pod, a pod with the same disk, one with another.
  const fixtures = (disk: Volume, other: Volume) => [podWithVolume(disk), podWithVolume(disk), podWithVolume(other)] as const;
  const [podGCEDisk, podGCEDiskConflicts, podGCEDiskNoConflicts] = fixtures(GCEDiskVolState, GCEDiskVolState2);
  const [podAWSDisk, podAWSDiskConflicts, podAWSDiskNoConflicts] = fixtures(AWSDiskVolState, AWSDiskVolState2);
  const [podRBDDiskDisk, podRBDDiskDiskConflicts, podRBDDiskNoConflicts] = fixtures(RBDDiskVolState, RBDDiskVolState2);
  const [podISCSIDiskDisk, podISCSIDiskConflicts, podISCSIDiskNoConflicts] = fixtures(ISCSIDiskVolState, ISCSIDiskVolState2);

  const rows: Array<{ name: string; pod: Pod; oldObj: Pod; expectedHint: Hint }> = [
    { name: 'queue-new-object-gcedisk-conflict', pod: podGCEDisk, oldObj: podGCEDiskConflicts, expectedHint: 'Queue' },
    { name: 'skip-new-object-gcedisk-no-conflict', pod: podGCEDisk, oldObj: podGCEDiskNoConflicts, expectedHint: 'QueueSkip' },
    { name: 'queue-new-object-awsdisk-conflict', pod: podAWSDisk, oldObj: podAWSDiskConflicts, expectedHint: 'Queue' },
    { name: 'skip-new-object-awsdisk-no-conflict', pod: podAWSDisk, oldObj: podAWSDiskNoConflicts, expectedHint: 'QueueSkip' },
    { name: 'queue-new-object-rbddisk-conflict', pod: podRBDDiskDisk, oldObj: podRBDDiskDiskConflicts, expectedHint: 'Queue' },
    { name: 'skip-new-object-rbddisk-no-conflict', pod: podRBDDiskDisk, oldObj: podRBDDiskNoConflicts, expectedHint: 'QueueSkip' },
    { name: 'queue-new-object-iscsidisk-conflict', pod: podISCSIDiskDisk, oldObj: podISCSIDiskConflicts, expectedHint: 'Queue' },
    { name: 'skip-new-object-iscsidisk-no-conflict', pod: podISCSIDiskDisk, oldObj: podISCSIDiskNoConflicts, expectedHint: 'QueueSkip' },
    { name: 'queue-has-same-claim', pod: makePod('pod1', { volumes: pvcVolumes('claim-rwop') }), oldObj: makePod('pod2', { volumes: pvcVolumes('claim-rwop') }), expectedHint: 'Queue' },
    { name: 'skip-no-same-claim', pod: makePod('pod1', { volumes: pvcVolumes('claim-1-rwop') }), oldObj: makePod('pod2', { volumes: pvcVolumes('claim-2-rwop') }), expectedHint: 'QueueSkip' },
  ];
  for (const row of rows) t.equal(isSchedulableAfterPodDeleted(row.pod, row.oldObj, undefined), row.expectedHint, row.name);
});

t.test('isSchedulableAfterPodDeleted: namespace and error paths (ours)', async (t) => {
  const gce: Volume = { name: '', gcePersistentDisk: { pdName: 'foo' } };
  const target = makePod('target', { volumes: [gce, ...pvcVolumes('claim-rwop')] });
  t.equal(isSchedulableAfterPodDeleted(target, makePod('other-ns', { volumes: [gce] }, { namespace: 'ns2' }), undefined), 'QueueSkip', 'a conflicting disk in another namespace: QueueSkip');
  t.equal(isSchedulableAfterPodDeleted(target, makePod('other-ns-claim', { volumes: pvcVolumes('claim-rwop') }, { namespace: 'ns2' }), undefined), 'QueueSkip', 'the same claim name in another namespace: QueueSkip');
  t.equal(
    isSchedulableAfterPodDeleted(target, makePod('read-only', { volumes: [{ name: '', gcePersistentDisk: { pdName: 'foo', readOnly: true } }] }), undefined),
    'Queue',
    'a read-only mount of a disk the pod mounts read-write still conflicts: Queue',
  );
  t.equal(isSchedulableAfterPodDeleted(target, makePod('no-volumes'), undefined), 'QueueSkip', 'a deleted pod without volumes: QueueSkip');
  t.ok(isSchedulableAfterPodDeleted(target, { kind: 'Node' }, undefined) instanceof Error, 'an object of another kind: Error (Queue)');
  t.ok(isSchedulableAfterPodDeleted(target, undefined, undefined) instanceof Error, 'no deleted pod: Error (Queue)');
});

t.test('volume_restrictions_test.go Test_isSchedulableAfterPersistentVolumeClaimChange', async (t) => {
  const podWithOnePVC = makePod('pod-with-one-pvc', { volumes: pvcVolumes('claim-with-rwx-1'), nodeName: 'node-1' }, { namespace: 'default' });
  const podWithTwoPVCs = makePod('pod-with-two-pvcs', { volumes: pvcVolumes('claim-with-rwx-1', 'claim-with-rwx-2'), nodeName: 'node-1' }, { namespace: 'default' });
  const podWithNotEqualNamespace = makePod('pod-with-one-pvc', { volumes: pvcVolumes('claim-with-rwx-1'), nodeName: 'claim-with-rwx-2' }, { namespace: 'kube-system' });
  const pvc = (name: string): PersistentVolumeClaim => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { namespace: 'default', name },
    spec: { accessModes: ['ReadWriteMany'] },
    status: {},
  });
  const PVC1 = pvc('claim-with-rwx-1');
  const PVC2 = pvc('claim-with-rwx-2');

  const rows: Array<{ name: string; pod: Pod; newObj: PersistentVolumeClaim; expectedHint: Hint }> = [
    { name: 'queue-new-object-pvc-belong-pod', pod: podWithTwoPVCs, newObj: PVC1, expectedHint: 'Queue' },
    { name: 'skip-new-object-unused', pod: podWithOnePVC, newObj: PVC2, expectedHint: 'QueueSkip' },
    { name: 'skip-nil-old-object', pod: podWithOnePVC, newObj: PVC2, expectedHint: 'QueueSkip' },
    { name: 'skip-new-object-not-belong-pod', pod: podWithOnePVC, newObj: PVC2, expectedHint: 'QueueSkip' },
    { name: 'skip-new-object-namespace-not-equal-pod', pod: podWithNotEqualNamespace, newObj: PVC1, expectedHint: 'QueueSkip' },
  ];
  for (const row of rows) t.equal(isSchedulableAfterPersistentVolumeClaimAdded(row.pod, undefined, row.newObj), row.expectedHint, row.name);
});

t.test('isSchedulableAfterPersistentVolumeClaimAdded: error paths (ours)', async (t) => {
  const pod = makePod('p', { volumes: pvcVolumes('c') });
  t.ok(isSchedulableAfterPersistentVolumeClaimAdded(pod, undefined, makePod('not-a-claim')) instanceof Error, 'an object of another kind: Error (Queue)');
  t.ok(isSchedulableAfterPersistentVolumeClaimAdded(pod, undefined, undefined) instanceof Error, 'no added claim: Error (Queue)');
});
