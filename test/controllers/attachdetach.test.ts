// The attach/detach controller and the kubelet's wait for attached volumes, in a running cluster.
// The Multi-Attach messages are transcribed from pkg/controller/volume/attachdetach/reconciler/
// reconciler_test.go Test_ReportMultiAttachError; the rest follows reconciler.go (detach before
// attach, force detach after maxWaitForUnmountDuration or with the out-of-service taint) and
// pkg/volume/util/util.go IsMultiAttachAllowed.
import t from 'tap';
import { isMultiAttachAllowed } from '../../src/api/storage.js';
import type { Node, Pod, PersistentVolumeAccessMode, VolumeAttachment } from '../../src/api/types.js';
import { COMPONENT, isPodTerminated, MAX_WAIT_FOR_UNMOUNT_MS, multiAttachDetail } from '../../src/controllers/attachdetach.js';
import { rwoVolumeSingleNode } from '../../src/cluster/invariants.js';
import { get, must, pv, pvc, podWithClaim, run, storageCluster } from './storage-fixtures.js';

function pod(name: string, namespace: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [] }, status: {} };
}

t.test('Test_ReportMultiAttachError (pod1 in ns1 is the one waiting)', async (t) => {
  const scheduled = pod('pod1', 'ns1');
  const rows: Array<[string, Pod[], string]> = [
    ['no pods use the volume', [], "Volume is already exclusively attached to one node and can't be attached to another"],
    ['pods in the same namespace use the volume', [pod('pod2', 'ns1')], 'Volume is already used by pod(s) pod2'],
    ['pods in another namespace use the volume', [pod('pod2', 'ns2')], 'Volume is already used by 1 pod(s) in different namespaces'],
    ['pods both in the same and another namespace use the volume', [pod('pod2', 'ns2'), pod('pod3', 'ns1')], 'Volume is already used by pod(s) pod3 and 1 pod(s) in different namespaces'],
  ];
  for (const [name, holders, want] of rows) t.equal(multiAttachDetail(scheduled, holders), want, name);
});

t.test('IsMultiAttachAllowed', async (t) => {
  const rows: Array<[PersistentVolumeAccessMode[], boolean]> = [
    [[], true],
    [['ReadWriteOnce'], false],
    [['ReadWriteOncePod'], false],
    [['ReadWriteOnce', 'ReadWriteOncePod'], false],
    [['ReadWriteOnce', 'ReadOnlyMany'], true],
    [['ReadWriteMany'], true],
  ];
  for (const [modes, want] of rows) t.equal(isMultiAttachAllowed(pv('v', '1Gi', { modes })), want, JSON.stringify(modes));
});

t.test('IsPodTerminated (DetermineVolumeAction)', async (t) => {
  const p = podWithClaim('p', 'n1', 'c');
  const running = { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: 0 } } };
  t.equal(isPodTerminated({ ...p, status: { phase: 'Failed' } }), true, 'Failed');
  t.equal(isPodTerminated({ ...p, status: { phase: 'Running', containerStatuses: [running] } }), false, 'Running');
  t.equal(isPodTerminated({ ...p, metadata: { ...p.metadata, deletionTimestamp: 5 }, status: { phase: 'Running', containerStatuses: [running] } }), false, 'terminating with a container still running');
  t.equal(isPodTerminated({ ...p, metadata: { ...p.metadata, deletionTimestamp: 5 }, status: { phase: 'Pending' } }), true, 'terminating with no container running');
});

function setup(modes: PersistentVolumeAccessMode[] = ['ReadWriteOnce'], o: Parameters<typeof storageCluster>[0] = {}) {
  const c = storageCluster({ nodes: ['n1', 'n2'], ...o });
  must(c.create(pv('disk', '10Gi', { modes })));
  must(c.create(pvc('data', '10Gi', { modes })));
  return c;
}

const podOf = (c: ReturnType<typeof storageCluster>, name: string) => get<Pod>(c, 'Pod', name, 'default');
const attachments = (c: ReturnType<typeof storageCluster>) =>
  [...c.store.list<VolumeAttachment>('VolumeAttachment')].map((va) => `${va.spec.nodeName} ${va.status?.attached}${va.metadata.deletionTimestamp !== undefined ? ' detaching' : ''}`);
const eventsOf = (c: ReturnType<typeof storageCluster>, reason: string) =>
  c.events.occurrences.filter((e) => e.reason === reason).map((e) => `${e.timeMs} ${e.involvedObject.name} ${e.message}`);

t.test('attach, then the kubelet starts the pod', async (t) => {
  const c = setup();
  must(c.create(podWithClaim('a', 'n1', 'data')));
  run(c, 999);
  t.same(attachments(c), ['n1 false'], 'a VolumeAttachment is created at once');
  run(c, 1000);
  const va = [...c.store.list<VolumeAttachment>('VolumeAttachment')][0]!;
  t.match(va, { spec: { attacher: 'ebs.csi.aws.com', nodeName: 'n1', source: { persistentVolumeName: 'disk' } }, status: { attached: true } });
  t.match(va.metadata.name, /^csi-[0-9a-f]{64}$/);
  t.equal(podOf(c, 'a').status.phase, 'Running');
  t.same(eventsOf(c, 'SuccessfulAttachVolume'), ['1000 a AttachVolume.Attach succeeded for volume "disk" ']);
  t.same(get<Node>(c, 'Node', 'n1').status.volumesAttached, [{ name: 'kubernetes.io/csi/ebs.csi.aws.com^vol-disk', devicePath: '' }], 'reported in the node status');
  t.equal(get<Node>(c, 'Node', 'n2').status.volumesAttached, undefined);
});

t.test('the kubelet waits in ContainerCreating while the claim is unbound, then while attaching', async (t) => {
  // No PV matches until one is created at 20s; the 30s resync binds the claim.
  const c2 = storageCluster({ nodes: ['n1'] });
  must(c2.create(pvc('data', '10Gi')));
  must(c2.create(podWithClaim('a', 'n1', 'data')));
  run(c2, 20_000);
  const waiting = podOf(c2, 'a');
  t.equal(waiting.status.phase, 'Pending');
  t.same(waiting.status.containerStatuses?.map((s) => s.state?.waiting?.reason), ['ContainerCreating']);
  must(c2.create(pv('disk', '10Gi')));
  run(c2, 30_999);
  t.equal(podOf(c2, 'a').status.phase, 'Pending', 'bound at 30s, attaching');
  run(c2, 31_000);
  t.equal(podOf(c2, 'a').status.phase, 'Running', 'attached at 31s, started');
});

t.test('a volume that is not attachable (no CSI source) needs no attach', async (t) => {
  const c = storageCluster({ nodes: ['n1'] });
  must(c.create(pv('local', '10Gi', { csi: false })));
  must(c.create(pvc('data', '10Gi')));
  must(c.create(podWithClaim('a', 'n1', 'data')));
  run(c, 1000);
  t.equal(podOf(c, 'a').status.phase, 'Running');
  t.same(attachments(c), []);
});

t.test('Multi-Attach: a ReadWriteOnce volume is not attached to a second node', async (t) => {
  const c = setup(['ReadWriteOnce'], { invariants: [rwoVolumeSingleNode] });
  must(c.create(podWithClaim('a', 'n1', 'data')));
  run(c, 5000);
  must(c.create(podWithClaim('b', 'n2', 'data')));
  run(c, 60_000);
  t.same(attachments(c), ['n1 true']);
  t.same(eventsOf(c, 'FailedAttachVolume'), ['5000 b Multi-Attach error for volume "disk" Volume is already used by pod(s) a'], 'one event, however long b waits');
  t.equal(podOf(c, 'b').status.phase, 'Pending');
  // a goes (its healthy kubelet stops it in podTerminationDelay, 1s): the volume is detached,
  // then attached to n2.
  must(c.delete('Pod', 'default', 'a'));
  run(c, 60_999);
  t.same(attachments(c), ['n1 true'], 'a is still terminating: the volume stays');
  run(c, 61_000);
  t.same(attachments(c), ['n1 true detaching'], 'detach starts on the next reconciler pass');
  t.equal(get<Node>(c, 'Node', 'n1').status.volumesAttached, undefined, 'no longer reported attached, before the detach');
  run(c, 62_000);
  t.same(attachments(c), ['n2 false'], 'detached after 1s; the attach to n2 starts');
  run(c, 63_000);
  t.equal(podOf(c, 'b').status.phase, 'Running');
  t.same(c.violations, []);
});

t.test('ReadWriteMany and ReadOnlyMany volumes attach to several nodes', async (t) => {
  for (const modes of [['ReadWriteMany'], ['ReadWriteOnce', 'ReadOnlyMany']] as PersistentVolumeAccessMode[][]) {
    const c = setup(modes, { invariants: [rwoVolumeSingleNode] });
    must(c.create(podWithClaim('a', 'n1', 'data')));
    must(c.create(podWithClaim('b', 'n2', 'data')));
    run(c, 2000);
    t.same(attachments(c), ['n1 true', 'n2 true'], JSON.stringify(modes));
    t.same(eventsOf(c, 'FailedAttachVolume'), []);
    t.equal(podOf(c, 'b').status.phase, 'Running');
  }
});

t.test('after a node failure the volume stays attached until the pod is gone, then 6m more', async (t) => {
  const c = setup();
  must(c.create(podWithClaim('a', 'n1', 'data')));
  run(c, 5000);
  c.failNode('n1');
  run(c, 120_000);
  must(c.delete('Pod', 'default', 'a', 0));
  must(c.create(podWithClaim('b', 'n2', 'data')));
  run(c, 120_000 + MAX_WAIT_FOR_UNMOUNT_MS);
  t.same(attachments(c), ['n1 true'], 'n1 is not Ready: the volume counts as mounted until the unmount wait runs out');
  t.same(eventsOf(c, 'FailedAttachVolume'), ["120000 b Multi-Attach error for volume \"disk\" Volume is already exclusively attached to one node and can't be attached to another"]);
  run(c, 120_000 + MAX_WAIT_FOR_UNMOUNT_MS + 100);
  t.same(attachments(c), ['n1 true detaching'], 'force detach on the first pass after 6m');
  run(c, 120_000 + MAX_WAIT_FOR_UNMOUNT_MS + 2100);
  t.equal(podOf(c, 'b').status.phase, 'Running');
});

t.test('the out-of-service taint detaches at once', async (t) => {
  const c = setup();
  must(c.create(podWithClaim('a', 'n1', 'data')));
  run(c, 5000);
  c.failNode('n1');
  run(c, 120_000);
  must(c.patch('Node', undefined, 'n1', { spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } }));
  must(c.delete('Pod', 'default', 'a', 0));
  run(c, 121_000);
  t.same(attachments(c), [], 'detached without the 6m wait');
});

t.test('rwo-volume-single-node catches a controller without the Multi-Attach rule, and holds with it', async (t) => {
  for (const check of [true, false]) {
    const c = setup(['ReadWriteOnce'], { invariants: [rwoVolumeSingleNode], multiAttachCheck: check });
    must(c.create(podWithClaim('a', 'n1', 'data')));
    must(c.create(podWithClaim('b', 'n2', 'data')));
    const outcome = c.run({ untilMs: 10_000, maxSteps: 1e6 });
    if (check) {
      t.equal(outcome.kind, 'completed');
      t.same(c.violations, [], 'the real controller keeps the rule');
    } else {
      t.equal(outcome.kind, 'stopped', 'the broken controller is stopped at the violation');
      t.same(
        c.violations.map((v) => `${v.timeMs} ${v.invariant}: ${v.message}`),
        ['0 rwo-volume-single-node: PersistentVolume disk (ReadWriteOnce) is attached or attaching to 2 nodes: n1, n2'],
      );
      t.equal(c.violations[0]!.objects[0], 'PersistentVolume/disk');
      t.equal(c.violations[0]!.objects.length, 3, 'the volume and both VolumeAttachments');
    }
  }
});

t.test('the PersistentVolume is deleted while attached: the VolumeAttachment still goes with the pod', async (t) => {
  const c = setup();
  must(c.create(podWithClaim('a', 'n1', 'data')));
  run(c, 2000);
  must(c.delete('PersistentVolume', undefined, 'disk'));
  must(c.delete('Pod', 'default', 'a'));
  run(c, 4000);
  t.same(attachments(c), []);
});

t.test('no pod uses a volume: the controller writes nothing', async (t) => {
  const c = storageCluster({ nodes: ['n1'] });
  run(c, 60_000);
  t.same(c.sim.trace.records.filter((r) => r.component === COMPONENT), []);
});
