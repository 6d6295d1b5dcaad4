// Tests for the VolumeBinding queueing hints (src/scheduler/plugins/volume_binding.ts), transcribed
// from pkg/scheduler/framework/plugins/volumebinding/volume_binding_test.go. The stored
// kubernetes/kubernetes copies of that file predate these tables (or hold an earlier draft whose
// hints read the PVC lister); the rows here are those of the fwk-era copy in the
// natasha41575/kubernetes fork at 9829b8d729c3, whose volume_binding.go hint functions are the
// v1.35 ones (identical to the stored kubernetes/kubernetes volume_binding.go 00fe7a377bc3).
// Taken, every row:
//   - TestIsSchedulableAfterCSINodeChange (5 rows; upstream's pod is makePod("pod-a"));
//   - TestIsSchedulableAfterPersistentVolumeClaimChange (7 rows);
//   - TestIsSchedulableAfterStorageClassChange (4 rows; its pvcLister is unused by the function).
// Left out: TestIsSchedulableAfterCSIStorageCapacityChange (12 rows) and
// TestIsSchedulableAfterCSIDriverChange (8 rows): kubedrill has no CSIStorageCapacity or CSIDriver
// objects, so neither hint nor its registration is modelled.
// Upstream's rows with err: true expect (Queue, err); here the hint function returns an Error,
// which the queue takes as Queue (framework/types.ts QueueingHintFn). Upstream's wrong objects are
// new(struct{}): here plain objects with no kind. Upstream's "type conversion error" rows have no
// pod (nil): here undefined, which the hint must not read before the type check.
// The registrations are checked against volume_binding.go EventsToRegister with queueing hints on.
// Below the tables, kubedrill's own checks (not upstream rows).
import t, { type Test } from 'tap';
import type { CSINode, PersistentVolumeClaim, Pod, StorageClass, Volume } from '../../../src/api/types.js';
import type { QueueingHint, QueueingHintFn } from '../../../src/scheduler/framework/types.js';
import {
  MIGRATED_PLUGINS_ANNOTATION_KEY,
  VolumeBinding,
  isSchedulableAfterCSINodeChange,
  isSchedulableAfterPersistentVolumeClaimChange,
  isSchedulableAfterStorageClassChange,
} from '../../../src/scheduler/plugins/volume_binding.js';
import { fakeHandle, makePod as basePod, makeStorageClass, registrations } from '../fixtures.js';

// ---- test_utils.go's builders ---------------------------------------------------------------------

/** makePod(name) with its volume builders (withNamespace, withPVCVolume(pvc, ""),
 *  withEmptyDirVolume, withGenericEphemeralVolume(name)). */
class PodBuilder {
  readonly volumes: Volume[] = [];
  private namespace = 'default';
  constructor(private readonly name: string) {}
  withNamespace(ns: string): this {
    this.namespace = ns;
    return this;
  }
  withPVCVolume(claimName: string, name: string): this {
    this.volumes.push({ name, persistentVolumeClaim: { claimName } });
    return this;
  }
  withEmptyDirVolume(): this {
    this.volumes.push({ name: '', emptyDir: {} });
    return this;
  }
  withGenericEphemeralVolume(name: string): this {
    this.volumes.push({ name, ephemeral: {} });
    return this;
  }
  get pod(): Pod {
    return basePod(this.name, { volumes: [...this.volumes] }, { namespace: this.namespace });
  }
}
const makePod = (name: string): PodBuilder => new PodBuilder(name);

/** makePVC(name, storageClassName): namespace default, the class set (even ""). */
const makePVC = (name: string, storageClassName: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { storageClassName },
  status: {},
});

/** A StorageClass of upstream's rows: a name (and allowedTopologies); no provisioner (""). */
const storageClass = (name: string, allowedTopologies?: StorageClass['allowedTopologies']): StorageClass =>
  makeStorageClass(name, allowedTopologies === undefined ? {} : { allowedTopologies });

/** A CSINode of upstream's rows: a name and its annotations; no drivers. */
const csiNode = (name: string, annotations?: Record<string, string>): CSINode => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'CSINode',
  metadata: annotations === undefined ? { name } : { name, annotations },
  spec: { drivers: [] },
});

/** new(struct{}): an object of no API kind. */
const emptyStruct = (): object => ({});
/** The nil pod of upstream's "type conversion error" rows. */
const nilPod = undefined as unknown as Pod;

interface Row {
  name: string;
  pod: Pod;
  oldObj?: unknown;
  newObj?: unknown;
  err: boolean;
  expect: QueueingHint;
}

/** Upstream's loop: the hint must equal expect; an error exactly where err. */
function run(t: Test, fn: QueueingHintFn, rows: Row[]): void {
  for (const row of rows) {
    const got = fn(row.pod, row.oldObj, row.newObj);
    t.equal(got instanceof Error, row.err, `${row.name}: error`);
    t.equal(got instanceof Error ? 'Queue' : got, row.expect, `${row.name}: hint`);
  }
}

t.test('volume_binding_test.go TestIsSchedulableAfterCSINodeChange', async (t) => {
  const pod = makePod('pod-a').pod;
  run(t, isSchedulableAfterCSINodeChange, [
    { name: 'unexpected objects are passed', pod, oldObj: emptyStruct(), newObj: emptyStruct(), err: true, expect: 'Queue' },
    { name: 'CSINode is newly created', pod, newObj: csiNode('csinode-a'), oldObj: undefined, err: false, expect: 'Queue' },
    {
      name: "CSINode's migrated-plugins annotations is added",
      pod,
      oldObj: csiNode('csinode-a', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test1' }),
      newObj: csiNode('csinode-a', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test1, test2' }),
      err: false,
      expect: 'Queue',
    },
    {
      name: "CSINode's migrated-plugins annotation is updated",
      pod,
      oldObj: csiNode('csinode-a', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test1' }),
      newObj: csiNode('csinode-a', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test2' }),
      err: false,
      expect: 'Queue',
    },
    {
      name: 'CSINode is updated but migrated-plugins annotation gets unchanged',
      pod,
      oldObj: csiNode('csinode-a', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test1' }),
      newObj: csiNode('csinode-a', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test1' }),
      err: false,
      expect: 'QueueSkip',
    },
  ]);
});

t.test('volume_binding_test.go TestIsSchedulableAfterPersistentVolumeClaimChange', async (t) => {
  run(t, isSchedulableAfterPersistentVolumeClaimChange, [
    {
      name: 'pod has no pvc or ephemeral volumes',
      pod: makePod('pod-a').withEmptyDirVolume().pod,
      oldObj: makePVC('pvc-b', 'sc-a'),
      newObj: makePVC('pvc-b', 'sc-a'),
      err: false,
      expect: 'QueueSkip',
    },
    {
      name: 'pvc with the same name as the one used by the pod in a different namespace is modified',
      pod: makePod('pod-a').withNamespace('ns-a').withPVCVolume('pvc-a', '').withPVCVolume('pvc-b', '').pod,
      oldObj: undefined,
      newObj: makePVC('pvc-b', ''),
      err: false,
      expect: 'QueueSkip',
    },
    {
      name: 'pod has no pvc that is being modified',
      pod: makePod('pod-a').withPVCVolume('pvc-a', '').withPVCVolume('pvc-c', '').pod,
      oldObj: makePVC('pvc-b', ''),
      newObj: makePVC('pvc-b', ''),
      err: false,
      expect: 'QueueSkip',
    },
    {
      name: 'pod has no generic ephemeral volume that is being modified',
      pod: makePod('pod-a').withGenericEphemeralVolume('ephemeral-a').withGenericEphemeralVolume('ephemeral-c').pod,
      oldObj: makePVC('pod-a-ephemeral-b', ''),
      newObj: makePVC('pod-a-ephemeral-b', ''),
      err: false,
      expect: 'QueueSkip',
    },
    {
      name: 'pod has the pvc that is being modified',
      pod: makePod('pod-a').withPVCVolume('pvc-a', '').withPVCVolume('pvc-b', '').pod,
      oldObj: makePVC('pvc-b', ''),
      newObj: makePVC('pvc-b', ''),
      err: false,
      expect: 'Queue',
    },
    {
      name: 'pod has the generic ephemeral volume that is being modified',
      pod: makePod('pod-a').withGenericEphemeralVolume('ephemeral-a').withGenericEphemeralVolume('ephemeral-b').pod,
      oldObj: makePVC('pod-a-ephemeral-b', ''),
      newObj: makePVC('pod-a-ephemeral-b', ''),
      err: false,
      expect: 'Queue',
    },
    { name: 'type conversion error', pod: nilPod, oldObj: emptyStruct(), newObj: emptyStruct(), err: true, expect: 'Queue' },
  ]);
});

t.test('volume_binding_test.go TestIsSchedulableAfterStorageClassChange', async (t) => {
  run(t, isSchedulableAfterStorageClassChange, [
    { name: 'When a new StorageClass is created, it returns Queue', pod: makePod('pod-a').pod, oldObj: undefined, newObj: storageClass('sc-a'), err: false, expect: 'Queue' },
    {
      name: 'When the AllowedTopologies are changed, it returns Queue',
      pod: makePod('pod-a').pod,
      oldObj: storageClass('sc-a'),
      newObj: storageClass('sc-a', [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['node-a'] }] }]),
      err: false,
      expect: 'Queue',
    },
    {
      name: 'When there are no changes to the StorageClass, it returns QueueSkip',
      pod: makePod('pod-a').pod,
      oldObj: storageClass('sc-a'),
      newObj: storageClass('sc-a'),
      err: false,
      expect: 'QueueSkip',
    },
    { name: 'type conversion error', pod: nilPod, oldObj: emptyStruct(), newObj: emptyStruct(), err: true, expect: 'Queue' },
  ]);
});

t.test('volume_binding.go EventsToRegister (queueing hints on; no CSIDriver / CSIStorageCapacity)', async (t) => {
  const events = new VolumeBinding(fakeHandle([])).eventsToRegister();
  t.strictSame(registrations(events), [
    { resource: 'StorageClass', actions: ['Add', 'Update'], hint: true },
    { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'], hint: true },
    { resource: 'PersistentVolume', actions: ['Add', 'Update'], hint: false },
    { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], hint: false },
    { resource: 'CSINode', actions: ['Add', 'Update'], hint: true },
  ]);
  // The registered functions are the hint functions tested above.
  const byResource = new Map(events.map((e) => [e.resource, e.queueingHintFn]));
  t.equal(byResource.get('StorageClass'), isSchedulableAfterStorageClassChange);
  t.equal(byResource.get('PersistentVolumeClaim'), isSchedulableAfterPersistentVolumeClaimChange);
  t.equal(byResource.get('CSINode'), isSchedulableAfterCSINodeChange);
});

// ---- kubedrill's own checks (not upstream rows) -------------------------------------------------

t.test('isSchedulableAfterStorageClassChange: allowedTopologies compared as apiequality.Semantic.DeepEqual', async (t) => {
  const pod = makePod('pod-a').withPVCVolume('pvc-a', '').pod;
  const hostA = [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['node-a'] }] }];
  // A nil list equals an empty one, at both levels.
  t.equal(isSchedulableAfterStorageClassChange(pod, storageClass('sc-a'), storageClass('sc-a', [])), 'QueueSkip', 'nil vs empty terms');
  t.equal(isSchedulableAfterStorageClassChange(pod, storageClass('sc-a', [{}]), storageClass('sc-a', [{ matchLabelExpressions: [] }])), 'QueueSkip', 'nil vs empty expressions');
  t.equal(isSchedulableAfterStorageClassChange(pod, storageClass('sc-a', hostA), storageClass('sc-a', hostA.map((term) => ({ ...term })))), 'QueueSkip', 'equal copies');
  t.equal(isSchedulableAfterStorageClassChange(pod, storageClass('sc-a', hostA), storageClass('sc-a')), 'Queue', 'topologies removed');
  t.equal(
    isSchedulableAfterStorageClassChange(pod, storageClass('sc-a', [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['node-a', 'node-b'] }] }]), storageClass('sc-a', [{ matchLabelExpressions: [{ key: 'kubernetes.io/hostname', values: ['node-b', 'node-a'] }] }])),
    'Queue',
    'values reordered (slices compare in order)',
  );
  // Only allowedTopologies counts: another field changing is skipped.
  t.equal(isSchedulableAfterStorageClassChange(pod, storageClass('sc-a'), { ...storageClass('sc-a'), parameters: { type: 'ssd' } }), 'QueueSkip', 'parameters changed');
  // An update with no new object (upstream would dereference nil) is an Error, so Queue.
  t.ok(isSchedulableAfterStorageClassChange(pod, storageClass('sc-a'), undefined) instanceof Error, 'no new class');
});

t.test('isSchedulableAfterPersistentVolumeClaimChange: namespace and claim name', async (t) => {
  const pod = makePod('pod-a').withNamespace('ns-a').withPVCVolume('pvc-a', 'vol-a').pod;
  const inNs = (name: string, namespace: string): PersistentVolumeClaim => ({ ...makePVC(name, ''), metadata: { name, namespace } });
  t.equal(isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, inNs('pvc-a', 'ns-a')), 'Queue', 'the claim added in the pod namespace');
  t.equal(isSchedulableAfterPersistentVolumeClaimChange(pod, inNs('pvc-a', 'ns-a'), inNs('pvc-a', 'ns-a')), 'Queue', 'the claim updated, unchanged');
  t.equal(isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, inNs('vol-a', 'ns-a')), 'QueueSkip', 'the volume name is not the claim name');
  t.ok(isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, undefined) instanceof Error, 'no new claim');
  t.ok(isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, storageClass('pvc-a')) instanceof Error, 'another kind');
});

t.test('isSchedulableAfterCSINodeChange: the annotation read as a Go map lookup', async (t) => {
  const pod = makePod('pod-a').pod;
  t.equal(isSchedulableAfterCSINodeChange(pod, csiNode('n'), csiNode('n', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: '' })), 'QueueSkip', 'missing vs empty annotation');
  t.equal(isSchedulableAfterCSINodeChange(pod, csiNode('n', { [MIGRATED_PLUGINS_ANNOTATION_KEY]: 'test1' }), csiNode('n')), 'Queue', 'annotation removed');
  t.equal(isSchedulableAfterCSINodeChange(pod, csiNode('n'), csiNode('n', { other: 'x' })), 'QueueSkip', 'another annotation added');
  // An Add queues before any kind check (upstream tests oldObj == nil first).
  t.equal(isSchedulableAfterCSINodeChange(pod, undefined, emptyStruct()), 'Queue', 'add of anything');
});
