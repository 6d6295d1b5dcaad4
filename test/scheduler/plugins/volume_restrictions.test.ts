// Tests for the VolumeRestrictions plugin (src/scheduler/plugins/volume_restrictions.ts),
// transcribed from pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions_test.go:
// TestGCEDiskConflicts, TestAWSDiskConflicts, TestRBDDiskConflicts, TestISCSIDiskConflicts (every
// row: nothing, one state, same state, different state) and TestAccessModeConflicts (every row).
// The stored test file checks the ReadWriteOncePod conflict at PreFilter (an older layout); the
// verdicts below are those of the current code, which keeps PreFilter's not-found and Skip and
// moves the conflict to Filter (Unschedulable, so preemption may help) — as v1.35's test does.
// The queueing-hint tables are in volume_restrictions_hints.test.ts.
import t from 'tap';
import type { PersistentVolumeClaim, Pod, PodSpec } from '../../../src/api/types.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  ERR_REASON_DISK_CONFLICT,
  ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT,
  PRE_FILTER_STATE_KEY,
  type PreFilterState,
  VolumeRestrictions,
  newVolumeRestrictions,
} from '../../../src/scheduler/plugins/volume_restrictions.js';
import { fakeHandle, makeNode, makePod, nodeInfo, runFilter } from '../fixtures.js';

let seq = 0;
/** runFilter returns PreFilter's Skip: the plugin then never rejects, as a nil Filter status. */
const verdict = (s: MaybeStatus): MaybeStatus => (s !== null && s.code === Code.Skip ? null : s);
const pod = (spec: Partial<PodSpec> = {}): Pod => makePod(`p${seq++}`, spec);

const diskTables: Array<{ test: string; volState: PodSpec['volumes']; volState2: PodSpec['volumes'] }> = [
  { test: 'TestGCEDiskConflicts', volState: [{ name: 'v', gcePersistentDisk: { pdName: 'foo' } }], volState2: [{ name: 'v', gcePersistentDisk: { pdName: 'bar' } }] },
  { test: 'TestAWSDiskConflicts', volState: [{ name: 'v', awsElasticBlockStore: { volumeID: 'foo' } }], volState2: [{ name: 'v', awsElasticBlockStore: { volumeID: 'bar' } }] },
  {
    test: 'TestRBDDiskConflicts',
    volState: [{ name: 'v', rbd: { monitors: ['a', 'b'], pool: 'foo', image: 'bar', fsType: 'ext4' } }],
    volState2: [{ name: 'v', rbd: { monitors: ['c', 'd'], pool: 'foo', image: 'bar', fsType: 'ext4' } }],
  },
  {
    test: 'TestISCSIDiskConflicts',
    volState: [{ name: 'v', iscsi: { targetPortal: '127.0.0.1:3260', iqn: 'iqn.2016-12.server:storage.target01', fsType: 'ext4', lun: 0 } }],
    volState2: [{ name: 'v', iscsi: { targetPortal: '127.0.0.1:3260', iqn: 'iqn.2017-12.server:storage.target01', fsType: 'ext4', lun: 0 } }],
  },
];

for (const table of diskTables) {
  t.test(table.test, async (t) => {
    const rows: Array<{ name: string; pod: Pod; existing: Pod[]; wantFail: boolean }> = [
      { name: 'nothing', pod: pod(), existing: [], wantFail: false },
      { name: 'one state', pod: pod(), existing: [pod({ volumes: table.volState })], wantFail: false },
      { name: 'same state', pod: pod({ volumes: table.volState }), existing: [pod({ volumes: table.volState })], wantFail: true },
      { name: 'different state', pod: pod({ volumes: table.volState2 }), existing: [pod({ volumes: table.volState })], wantFail: false },
    ];
    for (const row of rows) {
      const ni = nodeInfo(makeNode('node'), ...row.existing);
      const status = verdict(runFilter(newVolumeRestrictions(undefined, fakeHandle([ni])), row.pod, ni));
      if (row.wantFail) t.same([status?.code, status?.reasons], [Code.Unschedulable, [ERR_REASON_DISK_CONFLICT]], row.name);
      else t.equal(status, null, row.name);
    }
  });
}

t.test('disk conflicts: read-only mounts share a GCE PD, iSCSI or RBD disk; EBS never; RBD pool defaults to "rbd"', async (t) => {
  const cases: Array<[string, PodSpec['volumes'], PodSpec['volumes'], boolean]> = [
    ['GCE both read-only', [{ name: 'v', gcePersistentDisk: { pdName: 'foo', readOnly: true } }], [{ name: 'v', gcePersistentDisk: { pdName: 'foo', readOnly: true } }], false],
    ['GCE one read-write', [{ name: 'v', gcePersistentDisk: { pdName: 'foo', readOnly: true } }], [{ name: 'v', gcePersistentDisk: { pdName: 'foo' } }], true],
    ['EBS both read-only', [{ name: 'v', awsElasticBlockStore: { volumeID: 'foo', readOnly: true } }], [{ name: 'v', awsElasticBlockStore: { volumeID: 'foo', readOnly: true } }], true],
    ['iSCSI both read-only', [{ name: 'v', iscsi: { iqn: 'x', readOnly: true } }], [{ name: 'v', iscsi: { iqn: 'x', readOnly: true } }], false],
    ['RBD default pool vs "rbd"', [{ name: 'v', rbd: { monitors: ['a'], image: 'i' } }], [{ name: 'v', rbd: { monitors: ['a'], pool: 'rbd', image: 'i' } }], true],
    ['RBD other pool', [{ name: 'v', rbd: { monitors: ['a'], image: 'i' } }], [{ name: 'v', rbd: { monitors: ['a'], pool: 'p', image: 'i' } }], false],
  ];
  for (const [name, mine, theirs, wantFail] of cases) {
    const ni = nodeInfo(makeNode('node'), pod({ volumes: theirs }));
    const status = verdict(runFilter(newVolumeRestrictions(undefined, fakeHandle([ni])), pod({ volumes: mine }), ni));
    t.equal(status?.code, wantFail ? Code.Unschedulable : undefined, name);
  }
});

// TestAccessModeConflicts.
const claim = (name: string, mode: 'ReadWriteOncePod' | 'ReadWriteMany'): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: [mode] },
  status: {},
});
const podWithReadWriteOncePodPVC = makePod('pod-with-rwop', { nodeName: 'node-1', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'claim-with-rwop' } }] });
const podWithReadWriteManyPVC = makePod('pod-with-rwx', { nodeName: 'node-1', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'claim-with-rwx' } }] });
const readWriteOncePodPVC = claim('claim-with-rwop', 'ReadWriteOncePod');
const readWriteManyPVC = claim('claim-with-rwx', 'ReadWriteMany');

t.test('TestAccessModeConflicts', async (t) => {
  const rows: Array<{
    name: string;
    pod: Pod;
    existingPods: Pod[];
    existingNodes: string[];
    existingPVCs: PersistentVolumeClaim[];
    wantPreFilter: { code: Code; reasons: string[] } | null;
    wantFilter?: { code: Code; reasons: string[] } | null;
  }> = [
    { name: 'nothing', pod: makePod('empty'), existingPods: [], existingNodes: [], existingPVCs: [], wantPreFilter: { code: Code.Skip, reasons: [] } },
    {
      name: 'failed to get PVC',
      pod: podWithReadWriteOncePodPVC,
      existingPods: [],
      existingNodes: [],
      existingPVCs: [],
      wantPreFilter: { code: Code.UnschedulableAndUnresolvable, reasons: ['persistentvolumeclaim "claim-with-rwop" not found'] },
    },
    {
      name: 'no access mode conflict',
      pod: podWithReadWriteOncePodPVC,
      existingPods: [podWithReadWriteManyPVC],
      existingNodes: ['node-1'],
      existingPVCs: [readWriteOncePodPVC, readWriteManyPVC],
      wantPreFilter: { code: Code.Skip, reasons: [] },
    },
    {
      name: 'access mode conflict',
      pod: podWithReadWriteOncePodPVC,
      existingPods: [podWithReadWriteOncePodPVC, podWithReadWriteManyPVC],
      existingNodes: ['node-1'],
      existingPVCs: [readWriteOncePodPVC, readWriteManyPVC],
      wantPreFilter: null,
      wantFilter: { code: Code.Unschedulable, reasons: [ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT] },
    },
  ];
  for (const row of rows) {
    const nodes = row.existingNodes.map((n) => nodeInfo(makeNode(n), ...row.existingPods.filter((p) => p.spec.nodeName === n)));
    const plugin = new VolumeRestrictions(fakeHandle(nodes, {}, row.existingPVCs));
    const state = new CycleState();
    const info = PodInfo.of(row.pod);
    const pre = plugin.preFilter(state, info, nodes).status;
    t.same(pre === null ? null : { code: pre.code, reasons: pre.reasons }, row.wantPreFilter, `${row.name}: PreFilter`);
    if (row.wantFilter !== undefined) {
      const f = plugin.filter(state, info, nodes[0]!);
      t.same(f === null ? null : { code: f.code, reasons: f.reasons }, row.wantFilter, `${row.name}: Filter`);
    }
  }
});

t.test('AddPod/RemovePod move the ReadWriteOncePod conflict count (preemption dry runs)', async (t) => {
  const ni = nodeInfo(makeNode('node-1'), podWithReadWriteOncePodPVC);
  const plugin = new VolumeRestrictions(fakeHandle([ni], {}, [readWriteOncePodPVC]));
  const incoming = makePod('incoming', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'claim-with-rwop' } }] });
  const state = new CycleState();
  t.equal(plugin.preFilter(state, PodInfo.of(incoming), [ni]).status, null);
  const copy = state.clone();
  t.equal(plugin.removePod(copy, PodInfo.of(incoming), PodInfo.of(podWithReadWriteOncePodPVC), ni), null);
  t.equal(plugin.filter(copy, PodInfo.of(incoming), ni), null, 'the victim holding the claim is removed: fits');
  t.equal(plugin.filter(state, PodInfo.of(incoming), ni)?.code, Code.Unschedulable, 'the original state is untouched by the clone');
  t.equal(copy.read<PreFilterState>(PRE_FILTER_STATE_KEY)?.conflictingPVCRefCount, 0);
  plugin.addPod(copy, PodInfo.of(incoming), PodInfo.of(podWithReadWriteOncePodPVC), ni);
  t.equal(plugin.filter(copy, PodInfo.of(incoming), ni)?.code, Code.Unschedulable, 'added back: conflict again');
});

t.test('Filter without PreFilter state is an error', async (t) => {
  const ni = nodeInfo(makeNode('n'));
  const s = new VolumeRestrictions(fakeHandle([ni])).filter(new CycleState(), PodInfo.of(pod()), ni);
  t.same([s?.code, s?.reasons], [Code.Error, ['cannot read "PreFilterVolumeRestrictions" from cycleState']]);
});
