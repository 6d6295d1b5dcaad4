// Tests for the NodeVolumeLimits plugin (src/scheduler/plugins/node_volume_limits.ts), transcribed
// from pkg/scheduler/framework/plugins/nodevolumelimits/csi_test.go (read at commit 991b78f9, the
// revision whose table counts VolumeAttachments): TestCSILimits, TestCSILimitsQHint,
// TestCSILimitsAddedPVCQHint and TestCSILimitsDeletedVolumeAttachmentQHint, with upstream's
// fixtures (getNodeWithPodAndVolumeLimits, getFakeCSIPVLister, getFakeCSIPVCLister,
// getFakeCSIStorageClassLister, getFakeVolumeAttachmentLister). Each TestCSILimits row runs
// PreFilter, then Filter unless PreFilter skipped, as upstream's loop does.
//
// TestCSILimits has 33 rows: 25 are transcribed whole, 1 for its PreFilter verdict only, 7 left out:
//   - in-tree volume migration (csi-translation-lib is not modelled; the model counts nothing
//     in-tree): "should count in-tree volumes if migration is enabled", "should count unbound
//     in-tree volumes if migration is enabled", "should count in-tree inline volumes if migration
//     is enabled", "should count in-tree and csi volumes if migration is enabled (when scheduling
//     in-tree volumes)", "should count in-tree, inline and csi volumes if migration is enabled
//     (when scheduling in-tree volumes)", "should not count in-tree, inline and csi volumes if
//     migration is enabled (when scheduling in-tree volumes)" (it would pass, but only because
//     nothing in-tree counts, not through the translated handle it is about), "should count
//     in-tree and csi volumes if migration is enabled (when scheduling csi volumes)";
//   - PreFilter only: "don't skip Filter when the pod has inline migratable volumes" (its Filter
//     wants the translated inline volume counted).
// "nil csi node" and "should not limit pod if volume used does not report limits" use in-tree
// volumes but hold for the reason they name (no CSINode; no limit reported), so they are kept.
// The generic ephemeral rows are all kept, "... ephemeral disabled" included: upstream's loop never
// reads the row's ephemeralEnabled (the GenericEphemeralVolume gate is GA and gone from csi.go), so
// that row runs as the others do and wants what its "enabled" twin wants.
// TestCSILimitsDeletedVolumeAttachmentQHint: 3 of 6 rows; the three whose VolumeAttachment has an
// inlineVolumeSpec (not modelled: attachments name PersistentVolumes only) are left out.
// Upstream's PVC NotFound texts come from its fake lister (`persistentvolumeclaims "x" not found`);
// the model's, which the rows want, is the informer lister's (`persistentvolumeclaim "x" not found`).
import t, { type Test } from 'tap';
import type { AnyObject, CSINode, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, Volume, VolumeAttachment } from '../../../src/api/types.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED,
  NodeVolumeLimits,
  isSchedulableAfterPVCAdded,
  isSchedulableAfterPodDeleted,
} from '../../../src/scheduler/plugins/node_volume_limits.js';
import { fakeHandle, makeNode, makePod, nodeInfo, registrations } from '../fixtures.js';

const EBS = 'ebs.csi.aws.com';
const GCE = 'pd.csi.storage.gke.io';
const AWS_IN_TREE = 'kubernetes.io/aws-ebs';
const HOSTPATH_IN_TREE = 'kubernetes.io/hostpath';
const SC_NAME = 'csi-sc';
const NODE = 'node-for-max-pd-test-1';

let seq = 0;
/** st.MakePod().PVC(a).PVC(b)...: one claim volume per name (pods get distinct names here, as the
 *  node's pod index is keyed by name; upstream's are all unnamed). */
const podWithPVCs = (...claims: string[]): Pod => makePod(`pod-${seq++}`, { volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) });
const podWithVolumes = (...volumes: Volume[]): Pod => makePod(`pod-${seq++}`, { volumes });

const runningPod = podWithPVCs('csi-ebs.csi.aws.com-3');
const pendingVolumePod = podWithPVCs('csi-4');
// Different pod than pendingVolumePod, but using the same unbound PVC.
const unboundPVCPod2 = podWithPVCs('csi-4');
const missingPVPod = podWithPVCs('csi-6');
const noSCPVCPod = podWithPVCs('csi-5');
const gceTwoVolPod = podWithPVCs('csi-pd.csi.storage.gke.io-1', 'csi-pd.csi.storage.gke.io-2');
const inTreeOneVolPod = podWithPVCs('csi-kubernetes.io/aws-ebs-0');
const inTreeTwoVolPod = podWithPVCs('csi-kubernetes.io/aws-ebs-1', 'csi-kubernetes.io/aws-ebs-2');
const csiEBSOneVolPod = podWithPVCs('csi-ebs.csi.aws.com-0');
const csiEBSTwoVolPod = podWithPVCs('csi-ebs.csi.aws.com-1', 'csi-ebs.csi.aws.com-2');
const inTreeNonMigratableOneVolPod = podWithPVCs('csi-kubernetes.io/hostpath-0');
const inTreeInlineVolPod = podWithVolumes({ name: 'aws', awsElasticBlockStore: { volumeID: 'aws-inline1' } });
const onlyConfigmapAndSecretVolPod = podWithVolumes({ name: 'cm', configMap: {} }, { name: 'secret', secret: {} });
const pvcPodWithConfigmapAndSecret = podWithVolumes({ name: 'cm', configMap: {} }, { name: 'secret', secret: {} }, { name: 'pvc', persistentVolumeClaim: { claimName: 'csi-ebs.csi.aws.com-0' } });
const ephemeralPodWithConfigmapAndSecret = makePod('abc', { volumes: [{ name: 'cm', configMap: {} }, { name: 'secret', secret: {} }, { name: 'xyz', ephemeral: {} }] }, { namespace: 'test' });
// Generic ephemeral volumes: the pods, and the claims <pod>-<volume> their controller would create.
const ephemeralVolumePod = makePod('abc', { volumes: [{ name: 'xyz', ephemeral: {} }] }, { namespace: 'test', uid: '12345' });
const ephemeralTwoVolumePod = makePod('abc', { volumes: [{ name: 'x', ephemeral: {} }, { name: 'y', ephemeral: {} }] }, { namespace: 'test', uid: '12345II' });
/** The claim of `pod`'s ephemeral volume `volume`: class csi-sc, unbound, controlled by the pod. */
function ephemeralClaimFor(pod: Pod, volume: string): PersistentVolumeClaim {
  const name = pod.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `${name}-${volume}`, namespace: pod.metadata.namespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid: pod.metadata.uid!, controller: true }] },
    spec: { storageClassName: SC_NAME },
    status: {},
  };
}
const ephemeralClaim = ephemeralClaimFor(ephemeralVolumePod, 'xyz');
// The same claim without ownerReferences.
const conflictingClaim: PersistentVolumeClaim = { ...ephemeralClaim, metadata: { name: ephemeralClaim.metadata.name, namespace: ephemeralClaim.metadata.namespace } };
const ephemeralClaimX = ephemeralClaimFor(ephemeralTwoVolumePod, 'x');
const ephemeralClaimY = ephemeralClaimFor(ephemeralTwoVolumePod, 'y');
const inlineMigratablePodWithConfigmapAndSecret = podWithVolumes({ name: 'cm', configMap: {} }, { name: 'secret', secret: {} }, { name: 'aws', awsElasticBlockStore: { volumeID: 'aws-inline1' } });

/** getFakeCSIPVLister("csi", drivers...): four volumes per driver; in-tree ones for the AWS and
 *  hostpath plugin names. */
function fakePVs(drivers: string[]): PersistentVolume[] {
  const out: PersistentVolume[] = [];
  for (const driver of drivers) {
    for (let j = 0; j < 4; j++) {
      const handle = `csi-${driver}-${j}`;
      const source = driver === AWS_IN_TREE ? { awsElasticBlockStore: { volumeID: handle } } : driver === HOSTPATH_IN_TREE ? { hostPath: { path: '/tmp' } } : { csi: { driver, volumeHandle: handle } };
      out.push({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: handle }, spec: { ...source }, status: {} });
    }
  }
  return out;
}

const claim = (name: string, spec: PersistentVolumeClaim['spec']): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec, status: {} });

/** getFakeCSIPVCLister("csi", "csi-sc", drivers...): each volume's claim, bound; csi-4 unbound
 *  with the class; csi-5 with neither; csi-6 with the class and a volume that does not exist. */
function fakePVCs(drivers: string[]): PersistentVolumeClaim[] {
  const out: PersistentVolumeClaim[] = [];
  for (const driver of drivers) for (let j = 0; j < 4; j++) out.push(claim(`csi-${driver}-${j}`, { volumeName: `csi-${driver}-${j}` }));
  out.push(claim('csi-4', { storageClassName: SC_NAME }));
  out.push(claim('csi-5', {}));
  out.push(claim('csi-6', { storageClassName: SC_NAME, volumeName: 'missing-in-action' }));
  return out;
}

/** getFakeCSIStorageClassLister: the class, provisioned by the first driver. */
const fakeSC = (provisioner: string): StorageClass => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: SC_NAME }, provisioner });

/** getFakeVolumeAttachmentLister: `count` attachments per driver, of its first volumes, on the node. */
function fakeVAs(count: number, drivers: string[]): VolumeAttachment[] {
  const out: VolumeAttachment[] = [];
  for (const driver of drivers) {
    for (let j = 0; j < count; j++) {
      out.push({ apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: `va-${driver}-${j}` }, spec: { nodeName: NODE, attacher: driver, source: { persistentVolumeName: `csi-${driver}-${j}` } } });
    }
  }
  return out;
}

type LimitSource = 'csinode' | 'csinode-with-no-limit' | 'no-csi-driver' | '';

/** getNodeWithPodAndVolumeLimits: the node's CSINode, with a count per driver or none. */
function fakeCSINode(limitSource: LimitSource, limit: number, drivers: string[]): CSINode | undefined {
  if (limitSource === '') return undefined;
  const withDrivers = limitSource !== 'no-csi-driver';
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSINode',
    metadata: { name: NODE },
    spec: { drivers: withDrivers ? drivers.map((name) => ({ name, nodeID: NODE, ...(limitSource === 'csinode' ? { allocatable: { count: limit } } : {}) })) : [] },
  };
}

type Want = { code: Code; reasons: string[] } | null;
const plain = (s: MaybeStatus): Want => (s === null ? null : { code: s.code, reasons: [...s.reasons] });
const exceeded: Want = { code: Code.Unschedulable, reasons: [ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED] };
const skip: Want = { code: Code.Skip, reasons: [] };
/** Upstream: `persistentvolumeclaims "abc-xyz" not found`, its fake lister's text (see the header). */
const ephemeralClaimNotFound: Want = { code: Code.UnschedulableAndUnresolvable, reasons: ['looking up PVC test/abc-xyz: persistentvolumeclaim "abc-xyz" not found'] };

interface Row {
  test: string;
  newPod: Pod;
  existingPods?: Pod[];
  /** Claims added to getFakeCSIPVCLister's, as upstream's extraClaims. */
  extraClaims?: PersistentVolumeClaim[];
  maxVols?: number;
  vaCount?: number;
  driverNames: string[];
  limitSource?: LimitSource;
  wantStatus?: Want;
  wantPreFilterStatus?: Want;
  /** Only the PreFilter verdict is transcribed (the Filter half needs what the model leaves out). */
  preFilterOnly?: boolean;
}

function check(t: Test, row: Row): void {
  const objects: AnyObject[] = [...fakePVs(row.driverNames), ...fakePVCs(row.driverNames), ...(row.extraClaims ?? []), fakeSC(row.driverNames[0]!), ...fakeVAs(row.vaCount ?? 0, row.driverNames)];
  const csiNode = fakeCSINode(row.limitSource ?? '', row.maxVols ?? 0, row.driverNames);
  if (csiNode) objects.push(csiNode);
  const ni = nodeInfo(makeNode(NODE), ...(row.existingPods ?? []));
  const p = new NodeVolumeLimits(fakeHandle([ni], {}, objects));
  const state = new CycleState();
  const info = PodInfo.of(row.newPod);
  const pre = p.preFilter(state, info, [ni]).status;
  t.same(plain(pre), row.wantPreFilterStatus ?? null, `${row.test}: PreFilter`);
  if (row.preFilterOnly || pre?.code === Code.Skip) return;
  t.same(plain(p.filter(state, info, ni)), row.wantStatus ?? null, `${row.test}: Filter`);
}

t.test('TestCSILimits', async (t) => {
  const rows: Row[] = [
    { test: 'should count VolumeAttachments towards volume limit when no pods exist', newPod: csiEBSOneVolPod, existingPods: [], maxVols: 2, driverNames: [EBS], vaCount: 2, limitSource: 'csinode', wantStatus: exceeded },
    { test: 'should schedule pod when VolumeAttachments count does not exceed limit', newPod: csiEBSOneVolPod, existingPods: [], maxVols: 2, driverNames: [EBS], vaCount: 1, limitSource: 'csinode' },
    { test: 'fits when node volume limit >= new pods CSI volume', newPod: csiEBSOneVolPod, existingPods: [runningPod, csiEBSTwoVolPod], maxVols: 4, driverNames: [EBS], limitSource: 'csinode' },
    { test: "doesn't when node volume limit <= pods CSI volume", newPod: csiEBSOneVolPod, existingPods: [runningPod, csiEBSTwoVolPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode', wantStatus: exceeded },
    { test: 'should when driver does not support volume limits', newPod: csiEBSOneVolPod, existingPods: [runningPod, csiEBSTwoVolPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode-with-no-limit' },
    // should count pending PVCs
    { test: 'count pending PVCs towards volume limit <= pods CSI volume', newPod: csiEBSOneVolPod, existingPods: [pendingVolumePod, csiEBSTwoVolPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode', wantStatus: exceeded },
    // two same pending PVCs should be counted as 1
    { test: 'count multiple pending pvcs towards volume limit >= pods CSI volume', newPod: csiEBSOneVolPod, existingPods: [pendingVolumePod, unboundPVCPod2, csiEBSTwoVolPod], maxVols: 4, driverNames: [EBS], limitSource: 'csinode' },
    // should count PVCs with invalid PV name but valid SC
    { test: 'should count PVCs with invalid PV name but valid SC', newPod: csiEBSOneVolPod, existingPods: [missingPVPod, csiEBSTwoVolPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode', wantStatus: exceeded },
    // don't count a volume which has storageclass missing
    { test: "don't count pvcs with missing SC towards volume limit", newPod: csiEBSOneVolPod, existingPods: [runningPod, noSCPVCPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode' },
    // don't count multiple volume types
    { test: 'count pvcs with the same type towards volume limit', newPod: csiEBSOneVolPod, existingPods: [gceTwoVolPod, csiEBSTwoVolPod], maxVols: 2, driverNames: [EBS, GCE], limitSource: 'csinode', wantStatus: exceeded },
    { test: "don't count pvcs with different type towards volume limit", newPod: gceTwoVolPod, existingPods: [csiEBSTwoVolPod, runningPod], maxVols: 2, driverNames: [EBS, GCE], limitSource: 'csinode' },
    // Tests for in-tree volume migration: the rows that hold without translation.
    { test: 'nil csi node', newPod: inTreeInlineVolPod, existingPods: [inTreeTwoVolPod], driverNames: [AWS_IN_TREE, EBS] },
    { test: 'should not limit pod if volume used does not report limits', newPod: inTreeOneVolPod, existingPods: [inTreeTwoVolPod], maxVols: 2, driverNames: [AWS_IN_TREE, EBS], limitSource: 'csinode-with-no-limit' },
    { test: 'should not count non-migratable in-tree volumes', newPod: inTreeNonMigratableOneVolPod, existingPods: [csiEBSTwoVolPod], maxVols: 2, driverNames: [HOSTPATH_IN_TREE, EBS], limitSource: 'csinode' },
    // ephemeral volumes
    { test: 'ephemeral volume missing', newPod: ephemeralVolumePod, driverNames: [EBS], limitSource: 'csinode-with-no-limit', wantStatus: ephemeralClaimNotFound },
    { test: 'ephemeral volume not owned', newPod: ephemeralVolumePod, extraClaims: [conflictingClaim], driverNames: [EBS], limitSource: 'csinode-with-no-limit', wantStatus: { code: Code.Error, reasons: ['PVC test/abc-xyz was not created for pod test/abc (pod is not owner)'] } },
    { test: 'ephemeral volume unbound', newPod: ephemeralVolumePod, extraClaims: [ephemeralClaim], driverNames: [EBS], limitSource: 'csinode-with-no-limit' },
    { test: "ephemeral doesn't when node volume limit <= pods CSI volume", newPod: ephemeralVolumePod, extraClaims: [ephemeralClaim], driverNames: [EBS], existingPods: [runningPod, csiEBSTwoVolPod], maxVols: 2, limitSource: 'csinode', wantStatus: exceeded },
    { test: "ephemeral doesn't when node volume limit <= pods ephemeral CSI volume", newPod: csiEBSOneVolPod, extraClaims: [ephemeralClaimX, ephemeralClaimY], driverNames: [EBS], existingPods: [runningPod, ephemeralTwoVolumePod], maxVols: 2, limitSource: 'csinode', wantStatus: exceeded },
    // Upstream's ephemeralEnabled: false, which its loop does not read (see the header).
    { test: "persistent doesn't when node volume limit <= pods ephemeral CSI volume + persistent volume, ephemeral disabled", newPod: csiEBSOneVolPod, extraClaims: [ephemeralClaim], driverNames: [EBS], existingPods: [runningPod, ephemeralVolumePod, csiEBSTwoVolPod], maxVols: 3, limitSource: 'csinode', wantStatus: exceeded },
    { test: "persistent doesn't when node volume limit <= pods ephemeral CSI volume + persistent volume", newPod: csiEBSOneVolPod, extraClaims: [ephemeralClaim], driverNames: [EBS], existingPods: [runningPod, ephemeralVolumePod, csiEBSTwoVolPod], maxVols: 3, limitSource: 'csinode', wantStatus: exceeded },
    { test: 'persistent okay when node volume limit > pods ephemeral CSI volume + persistent volume', newPod: csiEBSOneVolPod, extraClaims: [ephemeralClaim], driverNames: [EBS], existingPods: [runningPod, ephemeralVolumePod, csiEBSTwoVolPod], maxVols: 5, limitSource: 'csinode' },
    { test: 'skip Filter when the pod only uses secrets and configmaps', newPod: onlyConfigmapAndSecretVolPod, maxVols: 2, driverNames: [EBS], limitSource: 'csinode', wantPreFilterStatus: skip },
    { test: "don't skip Filter when the pod has pvcs", newPod: pvcPodWithConfigmapAndSecret, maxVols: 2, driverNames: [EBS], limitSource: 'csinode' },
    { test: "don't skip Filter when the pod has ephemeral volumes", newPod: ephemeralPodWithConfigmapAndSecret, driverNames: [EBS], limitSource: 'csinode-with-no-limit', wantStatus: ephemeralClaimNotFound },
    { test: "don't skip Filter when the pod has inline migratable volumes", newPod: inlineMigratablePodWithConfigmapAndSecret, existingPods: [inTreeTwoVolPod], maxVols: 2, driverNames: [AWS_IN_TREE, EBS], limitSource: 'csinode', preFilterOnly: true },
  ];
  for (const row of rows) check(t, row);
});

// Cases of kubedrill's own, for the paths upstream's table reaches only through in-tree or
// ephemeral volumes.
t.test('kubedrill: the rules the table does not reach with CSI volumes', async (t) => {
  const rows: Row[] = [
    { test: 'no CSINode: no limit', newPod: csiEBSOneVolPod, existingPods: [runningPod, csiEBSTwoVolPod], driverNames: [EBS], limitSource: '' },
    { test: 'a CSINode without drivers: no limit', newPod: csiEBSOneVolPod, existingPods: [runningPod, csiEBSTwoVolPod], maxVols: 1, driverNames: [EBS], limitSource: 'no-csi-driver' },
    { test: 'a missing claim of the new pod is unresolvable', newPod: podWithPVCs('nope'), maxVols: 2, driverNames: [EBS], limitSource: 'csinode', wantStatus: { code: Code.UnschedulableAndUnresolvable, reasons: ['looking up PVC default/nope: persistentvolumeclaim "nope" not found'] } },
    { test: "an existing pod's missing claim counts nothing", newPod: csiEBSOneVolPod, existingPods: [podWithPVCs('nope'), runningPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode' },
    { test: 'the exact limit fits (attached + new == count)', newPod: csiEBSOneVolPod, existingPods: [runningPod], maxVols: 2, driverNames: [EBS], limitSource: 'csinode' },
    { test: 'a volume already used on the node is not counted again', newPod: podWithPVCs('csi-ebs.csi.aws.com-3'), existingPods: [runningPod, csiEBSTwoVolPod], maxVols: 3, driverNames: [EBS], limitSource: 'csinode' },
    { test: 'an attachment of a volume a pod of the node uses counts once', newPod: csiEBSOneVolPod, existingPods: [podWithPVCs('csi-ebs.csi.aws.com-1')], maxVols: 3, vaCount: 2, driverNames: [EBS], limitSource: 'csinode' },
    { test: 'limit 0 rejects any new volume of the driver', newPod: csiEBSOneVolPod, maxVols: 0, driverNames: [EBS], limitSource: 'csinode', wantStatus: exceeded },
  ];
  for (const row of rows) check(t, row);
});

t.test('kubedrill: attachments on other nodes do not count', async (t) => {
  const objects: AnyObject[] = [...fakePVs([EBS]), ...fakePVCs([EBS]), fakeSC(EBS), fakeCSINode('csinode', 1, [EBS])!];
  objects.push({ apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-other' }, spec: { nodeName: 'other', attacher: EBS, source: { persistentVolumeName: 'csi-ebs.csi.aws.com-3' } } });
  const ni = nodeInfo(makeNode(NODE));
  const p = new NodeVolumeLimits(fakeHandle([ni], {}, objects));
  t.equal(p.filter(new CycleState(), PodInfo.of(csiEBSOneVolPod), ni), null);
});

t.test('eventsToRegister', async (t) => {
  t.strictSame(registrations(new NodeVolumeLimits(fakeHandle([])).eventsToRegister()), [
    { resource: 'CSINode', actions: ['Add', 'Update'], hint: false },
    { resource: 'Pod', actions: ['Delete'], hint: true },
    { resource: 'PersistentVolumeClaim', actions: ['Add'], hint: true },
    { resource: 'VolumeAttachment', actions: ['Delete'], hint: true },
  ]);
});

t.test('TestCSILimitsQHint', async (t) => {
  const podEbs = podWithPVCs('csi-ebs.csi.aws.com-2');
  const rows: Array<{ test: string; deletedPod: Pod; deletedPodNotScheduled?: boolean; wantQHint: string }> = [
    { test: 'return a Queue when a deleted pod has a PVC', deletedPod: podWithPVCs('placeholder'), wantQHint: 'Queue' },
    { test: 'return a Queue when a deleted pod has a inline migratable volume', deletedPod: podWithVolumes({ name: 'aws', awsElasticBlockStore: {} }), wantQHint: 'Queue' },
    { test: "return a QueueSkip when a deleted pod doesn't have any volume", deletedPod: makePod('no-volumes'), wantQHint: 'QueueSkip' },
    { test: 'return a QueueSkip when a deleted pod is not scheduled.', deletedPod: podWithPVCs('csi-ebs.csi.aws.com-0'), deletedPodNotScheduled: true, wantQHint: 'QueueSkip' },
  ];
  for (const row of rows) {
    const deleted: Pod = { ...row.deletedPod, spec: { ...row.deletedPod.spec, nodeName: row.deletedPodNotScheduled ? '' : NODE } };
    t.equal(isSchedulableAfterPodDeleted(podEbs, deleted, undefined), row.wantQHint, row.test);
  }
});

t.test('TestCSILimitsAddedPVCQHint', async (t) => {
  const pvcIn = (name: string, namespace: string): PersistentVolumeClaim => ({ ...claim(name, {}), metadata: { name, namespace } });
  const rows: Array<{ test: string; newPod: Pod; addedPvc: PersistentVolumeClaim; wantQHint: string }> = [
    { test: "a pod isn't in the same namespace as an added PVC", newPod: makePod('p', {}, { namespace: 'ns1' }), addedPvc: pvcIn('', 'ns2'), wantQHint: 'QueueSkip' },
    { test: 'a pod is in the same namespace as an added PVC', newPod: makePod('p', { volumes: [{ name: '', persistentVolumeClaim: { claimName: 'pvc1' } }] }, { namespace: 'ns1' }), addedPvc: pvcIn('pvc1', 'ns1'), wantQHint: 'Queue' },
    { test: 'a pod has an ephemeral volume related to an added PVC', newPod: makePod('pod1', { volumes: [{ name: 'ephemeral', ephemeral: {} }] }, { namespace: 'ns1' }), addedPvc: pvcIn('pod1-ephemeral', 'ns1'), wantQHint: 'Queue' },
    { test: "a pod doesn't have the same PVC as an added PVC", newPod: makePod('p', { volumes: [{ name: '', persistentVolumeClaim: { claimName: 'pvc1' } }] }, { namespace: 'ns1' }), addedPvc: pvcIn('pvc2', 'ns1'), wantQHint: 'QueueSkip' },
    { test: "a pod doesn't have any PVC attached", newPod: makePod('p', {}, { namespace: 'ns1' }), addedPvc: pvcIn('pvc2', 'ns1'), wantQHint: 'QueueSkip' },
  ];
  for (const row of rows) t.equal(isSchedulableAfterPVCAdded(row.newPod, undefined, row.addedPvc), row.wantQHint, row.test);
});

t.test('TestCSILimitsDeletedVolumeAttachmentQHint (the rows whose attachment names a PersistentVolume)', async (t) => {
  const pvc1: PersistentVolumeClaim = { ...claim('pvc1', { volumeName: 'pv1' }), metadata: { name: 'pvc1', namespace: 'ns1' } };
  const va = (attacher: string): VolumeAttachment => ({ apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'volumeattachment1' }, spec: { nodeName: 'fake-node', attacher, source: { persistentVolumeName: 'pv1' } } });
  const pvcVolume: Volume = { name: '', persistentVolumeClaim: { claimName: 'pvc1' } };
  const rows: Array<{ test: string; newPod: Pod; existingPVC?: PersistentVolumeClaim; deletedVA: VolumeAttachment; wantQHint: string }> = [
    { test: 'a pod has PVC when VolumeAttachment is deleting', newPod: makePod('p', { volumes: [pvcVolume] }, { namespace: 'ns1' }), existingPVC: pvc1, deletedVA: va('test.storage.gke.io'), wantQHint: 'Queue' },
    {
      test: 'a pod has an Inline Migratable volume (AWSEBSDriver) and PVC when VolumeAttachment (AWSEBSDriver)  is deleting',
      newPod: makePod('p', { volumes: [{ name: '', awsElasticBlockStore: { volumeID: 'test' } }, pvcVolume] }, { namespace: 'ns1' }),
      existingPVC: pvc1,
      deletedVA: va('test.storage.gke.io'),
      wantQHint: 'Queue',
    },
    { test: 'a pod has no PVC when VolumeAttachment is deleting', newPod: makePod('p', {}, { namespace: 'ns1' }), deletedVA: va('test.storage.gke.io'), wantQHint: 'QueueSkip' },
  ];
  for (const row of rows) {
    const p = new NodeVolumeLimits(fakeHandle([], {}, row.existingPVC ? [row.existingPVC] : []));
    t.equal(p.isSchedulableAfterVolumeAttachmentDeleted(row.newPod, row.deletedVA, undefined), row.wantQHint, row.test);
  }
});
