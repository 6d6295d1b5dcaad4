// Tests for the VolumeZone plugin (src/scheduler/plugins/volume_zone.ts), transcribed from
// pkg/scheduler/framework/plugins/volumezone/volume_zone_test.go: TestSingleZone, TestMultiZone and
// TestWithBinding (every row; each runs PreFilter, then Filter with whatever state PreFilter left,
// as upstream's loop does). One text differs: the "unbound volume no storage class" row's
// NotFound message comes from upstream's fake lister (`storageclasses.storage.k8s.io ...`); the
// scheduler's informer lister says `storageclass.storage.k8s.io "Class_0" not found`, which is
// what kubedrill reports. The queueing-hint tables (TestIsSchedulableAfter*) are in
// volume_zone_hints.test.ts. Left out: BenchmarkVolumeZone.
import t, { type Test } from 'tap';
import type { AnyObject, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../../src/api/types.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, PodInfo } from '../../../src/scheduler/framework/types.js';
import { ERR_REASON_CONFLICT, VolumeZone, labelZonesToSet } from '../../../src/scheduler/plugins/volume_zone.js';
import { fakeHandle, makeNode, makePod, makeStorageClass, nodeInfo } from '../fixtures.js';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';

const pv = (name: string, labels: Record<string, string>): PersistentVolume => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels }, spec: {}, status: {} });
const pvc = (name: string, spec: PersistentVolumeClaim['spec']): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec, status: {} });
let seq = 0;
/** createPodWithVolume(pod, pvc). */
const podWithVolume = (claimName: string): Pod => makePod(`pod_1-${seq++}`, { volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] });

type Want = { code: Code; reasons: string[] } | null;
interface Row {
  name: string;
  pod: Pod;
  labels: Record<string, string>;
  wantPreFilterStatus?: Want;
  wantFilterStatus?: Want;
}
const conflict: Want = { code: Code.UnschedulableAndUnresolvable, reasons: [ERR_REASON_CONFLICT] };
const plain = (s: MaybeStatus): Want => (s === null ? null : { code: s.code, reasons: [...s.reasons] });

function run(t: Test, objects: AnyObject[], rows: Row[]): void {
  for (const row of rows) {
    const ni = nodeInfo(makeNode('host1', {}, { labels: row.labels }));
    const p = new VolumeZone(fakeHandle([ni], {}, objects));
    const state = new CycleState();
    const info = PodInfo.of(row.pod);
    t.same(plain(p.preFilter(state, info, [ni]).status), row.wantPreFilterStatus ?? null, `${row.name}: PreFilter`);
    t.same(plain(p.filter(state, info, ni)), row.wantFilterStatus ?? null, `${row.name}: Filter`);
  }
}

t.test('TestSingleZone', async (t) => {
  const objects: AnyObject[] = [
    pv('Vol_1', { [BETA_ZONE]: 'us-west1-a' }),
    pv('Vol_2', { [BETA_REGION]: 'us-west1', uselessLabel: 'none' }),
    pv('Vol_3', { [BETA_REGION]: 'us-west1' }),
    pv('Vol_Stable_1', { [ZONE]: 'us-west1-a' }),
    pv('Vol_Stable_2', { [REGION]: 'us-west1', uselessLabel: 'none' }),
    pv('Vol_Stable_3', { [ZONE]: 'us-west1-a', [REGION]: 'us-west1-a' }),
    pvc('PVC_1', { volumeName: 'Vol_1' }),
    pvc('PVC_2', { volumeName: 'Vol_2' }),
    pvc('PVC_3', { volumeName: 'Vol_3' }),
    pvc('PVC_4', { volumeName: 'Vol_not_exist' }),
    pvc('PVC_Stable_1', { volumeName: 'Vol_Stable_1' }),
    pvc('PVC_Stable_2', { volumeName: 'Vol_Stable_2' }),
    pvc('PVC_Stable_3', { volumeName: 'Vol_Stable_3' }),
  ];
  run(t, objects, [
    { name: 'pod without volume', pod: makePod('pod_1'), labels: { [BETA_ZONE]: 'us-west1-a' }, wantPreFilterStatus: { code: Code.Skip, reasons: [] } },
    { name: 'node without labels', pod: podWithVolume('PVC_1'), labels: {} },
    { name: 'beta zone label matched', pod: podWithVolume('PVC_1'), labels: { [BETA_ZONE]: 'us-west1-a', uselessLabel: 'none' } },
    { name: 'beta region label matched', pod: podWithVolume('PVC_2'), labels: { [BETA_REGION]: 'us-west1', uselessLabel: 'none' } },
    { name: "beta region label doesn't match", pod: podWithVolume('PVC_2'), labels: { [BETA_REGION]: 'no_us-west1', uselessLabel: 'none' }, wantFilterStatus: conflict },
    { name: "beta zone label doesn't match", pod: podWithVolume('PVC_1'), labels: { [BETA_ZONE]: 'no_us-west1-a', uselessLabel: 'none' }, wantFilterStatus: conflict },
    { name: 'zone label matched', pod: podWithVolume('PVC_Stable_1'), labels: { [ZONE]: 'us-west1-a', uselessLabel: 'none' } },
    { name: 'region label matched', pod: podWithVolume('PVC_Stable_2'), labels: { [REGION]: 'us-west1', uselessLabel: 'none' } },
    { name: "region label doesn't match", pod: podWithVolume('PVC_Stable_2'), labels: { [REGION]: 'no_us-west1', uselessLabel: 'none' }, wantFilterStatus: conflict },
    { name: "zone label doesn't match", pod: podWithVolume('PVC_Stable_1'), labels: { [ZONE]: 'no_us-west1-a', uselessLabel: 'none' }, wantFilterStatus: conflict },
    { name: 'pv with zone and region, node with only zone', pod: podWithVolume('PVC_Stable_3'), labels: { [ZONE]: 'us-west1-a' }, wantFilterStatus: conflict },
    { name: 'pv with zone,node with beta zone', pod: podWithVolume('PVC_Stable_1'), labels: { [BETA_ZONE]: 'us-west1-a' }, wantFilterStatus: conflict },
    { name: 'pv with beta label,node with ga label, matched', pod: podWithVolume('PVC_1'), labels: { [ZONE]: 'us-west1-a' } },
    { name: "pv with beta label,node with ga label, don't match", pod: podWithVolume('PVC_1'), labels: { [ZONE]: 'us-west1-b' }, wantFilterStatus: conflict },
  ]);
});

t.test('TestMultiZone', async (t) => {
  const objects: AnyObject[] = [
    pv('Vol_1', { [BETA_ZONE]: 'us-west1-a' }),
    pv('Vol_2', { [BETA_ZONE]: 'us-west1-b', uselessLabel: 'none' }),
    pv('Vol_3', { [BETA_ZONE]: 'us-west1-c__us-west1-a' }),
    pv('Vol_Stable_1', { [ZONE]: 'us-west1-a' }),
    pv('Vol_Stable_2', { [ZONE]: 'us-west1-c__us-west1-a' }),
    pvc('PVC_1', { volumeName: 'Vol_1' }),
    pvc('PVC_2', { volumeName: 'Vol_2' }),
    pvc('PVC_3', { volumeName: 'Vol_3' }),
    pvc('PVC_4', { volumeName: 'Vol_not_exist' }),
    pvc('PVC_Stable_1', { volumeName: 'Vol_Stable_1' }),
    pvc('PVC_Stable_2', { volumeName: 'Vol_Stable_2' }),
  ];
  run(t, objects, [
    { name: 'node without labels', pod: podWithVolume('PVC_3'), labels: {} },
    { name: 'beta zone label matched', pod: podWithVolume('PVC_3'), labels: { [BETA_ZONE]: 'us-west1-a', uselessLabel: 'none' } },
    { name: "beta zone label doesn't match", pod: podWithVolume('PVC_1'), labels: { [BETA_ZONE]: 'us-west1-b', uselessLabel: 'none' }, wantFilterStatus: conflict },
    { name: 'zone label matched', pod: podWithVolume('PVC_Stable_2'), labels: { [ZONE]: 'us-west1-a', uselessLabel: 'none' } },
    { name: "zone label doesn't match", pod: podWithVolume('PVC_Stable_1'), labels: { [ZONE]: 'us-west1-b', uselessLabel: 'none' }, wantFilterStatus: conflict },
  ]);
});

t.test('TestWithBinding', async (t) => {
  const sc = (name: string, mode?: StorageClass['volumeBindingMode']): StorageClass => makeStorageClass(name, { provisioner: 'p', ...(mode ? { volumeBindingMode: mode } : {}) });
  const objects: AnyObject[] = [
    sc('Class_Immediate'),
    sc('Class_Wait', 'WaitForFirstConsumer'),
    pv('Vol_1', { [BETA_ZONE]: 'us-west1-a' }),
    pvc('PVC_1', { volumeName: 'Vol_1' }),
    pvc('PVC_NoSC', { storageClassName: 'Class_0' }),
    pvc('PVC_EmptySC', {}),
    pvc('PVC_WaitSC', { storageClassName: 'Class_Wait' }),
    pvc('PVC_ImmediateSC', { storageClassName: 'Class_Immediate' }),
  ];
  const labels = { [BETA_ZONE]: 'us-west1-a', uselessLabel: 'none' };
  const unresolvable = (reason: string): Want => ({ code: Code.UnschedulableAndUnresolvable, reasons: [reason] });
  run(t, objects, [
    { name: 'label zone failure domain matched', pod: podWithVolume('PVC_1'), labels },
    {
      name: 'unbound volume empty storage class',
      pod: podWithVolume('PVC_EmptySC'),
      labels,
      wantPreFilterStatus: unresolvable('PersistentVolumeClaim had no pv name and storageClass name'),
      wantFilterStatus: unresolvable('PersistentVolumeClaim had no pv name and storageClass name'),
    },
    {
      name: 'unbound volume no storage class',
      pod: podWithVolume('PVC_NoSC'),
      labels,
      wantPreFilterStatus: unresolvable('storageclass.storage.k8s.io "Class_0" not found'),
      wantFilterStatus: unresolvable('storageclass.storage.k8s.io "Class_0" not found'),
    },
    {
      name: 'unbound volume immediate binding mode',
      pod: podWithVolume('PVC_ImmediateSC'),
      labels,
      wantPreFilterStatus: unresolvable('VolumeBindingMode not set for StorageClass "Class_Immediate"'),
      wantFilterStatus: unresolvable('VolumeBindingMode not set for StorageClass "Class_Immediate"'),
    },
    { name: 'unbound volume wait binding mode', pod: podWithVolume('PVC_WaitSC'), labels, wantPreFilterStatus: { code: Code.Skip, reasons: [] } },
  ]);
});

t.test('missing claim or volume: the lister NotFound text; an Immediate class claim not yet bound', async (t) => {
  const objects: AnyObject[] = [
    pvc('PVC_4', { volumeName: 'Vol_not_exist' }),
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'imm' }, provisioner: 'p', volumeBindingMode: 'Immediate' },
    pvc('PVC_Imm', { storageClassName: 'imm' }),
  ];
  const unresolvable = (reason: string): Want => ({ code: Code.UnschedulableAndUnresolvable, reasons: [reason] });
  run(t, objects, [
    { name: 'claim missing', pod: podWithVolume('nope'), labels: {}, wantPreFilterStatus: unresolvable('persistentvolumeclaim "nope" not found'), wantFilterStatus: unresolvable('persistentvolumeclaim "nope" not found') },
    { name: 'volume missing', pod: podWithVolume('PVC_4'), labels: {}, wantPreFilterStatus: unresolvable('persistentvolume "Vol_not_exist" not found'), wantFilterStatus: unresolvable('persistentvolume "Vol_not_exist" not found') },
    { name: 'Immediate claim unbound', pod: podWithVolume('PVC_Imm'), labels: {}, wantPreFilterStatus: unresolvable('PersistentVolume had no name'), wantFilterStatus: unresolvable('PersistentVolume had no name') },
  ]);
});

t.test('LabelZonesToSet: "__"-separated, trimmed; an empty element makes the label ignored', async (t) => {
  t.same([...labelZonesToSet('a__ b ')!], ['a', 'b']);
  t.equal(labelZonesToSet('a____b'), undefined);
  const objects: AnyObject[] = [pv('bad', { [ZONE]: 'a____b' }), pvc('c', { volumeName: 'bad' })];
  run(t, objects, [{ name: 'unparsable label ignored: no topology, Skip', pod: podWithVolume('c'), labels: { [ZONE]: 'z' }, wantPreFilterStatus: { code: Code.Skip, reasons: [] } }]);
});
