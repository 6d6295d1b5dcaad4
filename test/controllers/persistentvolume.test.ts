// The PersistentVolume controller in a running cluster: binding (pv_controller.go bind and the
// scenarios of pv_controller_test.go's syncClaim / syncVolume tables that do not involve
// provisioning (provisioning: provisioner.test.ts): "1-1 - successful bind", "1-3 - bind to the smallest matching volume" style cases,
// pre-bound volumes and claims, claims bound elsewhere, lost claims, released volumes), the
// resync, WaitForFirstConsumer and the DefaultStorageClass admission.
import t from 'tap';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../src/api/types.js';
import { COMPONENT } from '../../src/controllers/persistentvolume.js';
import { get, must, podWithClaim, pv, pvc, run, storageClass, storageCluster } from './storage-fixtures.js';

const claimOf = (c: ReturnType<typeof storageCluster>, name: string) => get<PersistentVolumeClaim>(c, 'PersistentVolumeClaim', name, 'default');
const volumeOf = (c: ReturnType<typeof storageCluster>, name: string) => get<PersistentVolume>(c, 'PersistentVolume', name);

t.test('an Immediate claim binds to the smallest matching volume, in upstream four writes', async (t) => {
  const c = storageCluster();
  must(c.create(pv('big', '50Gi')));
  must(c.create(pv('small', '5Gi')));
  must(c.create(pv('fit', '10Gi')));
  run(c, 1000);
  const claim = must(c.create(pvc('data', '8Gi')));
  run(c, 2000);
  const bound = claimOf(c, 'data');
  t.equal(bound.spec.volumeName, 'fit');
  t.same(bound.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } });
  t.same(bound.metadata.annotations, { 'pv.kubernetes.io/bound-by-controller': 'yes', 'pv.kubernetes.io/bind-completed': 'yes' });
  const vol = volumeOf(c, 'fit');
  t.match(vol.spec.claimRef, { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: claim.metadata.uid });
  t.equal(vol.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  t.equal(vol.status.phase, 'Bound');
  t.equal(volumeOf(c, 'big').status.phase, 'Available');
  t.equal(volumeOf(c, 'small').status.phase, 'Available');
  const writes = c.sim.trace.records.filter((r) => r.component === COMPONENT && r.timeMs === 1000).map((r) => `${r.action} ${r.object}`);
  t.same(writes, ['bind PersistentVolume/fit', 'status PersistentVolume/fit', 'bind PersistentVolumeClaim/default/data', 'status PersistentVolumeClaim/default/data']);
});

t.test('a volume pre-bound by claimRef wins over a smaller one, and is not marked bound-by-controller', async (t) => {
  const c = storageCluster();
  must(c.create(pv('small', '8Gi')));
  must(c.create(pv('reserved', '100Gi', { claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' } })));
  run(c, 1000);
  t.equal(volumeOf(c, 'reserved').status.phase, 'Available', 'pre-bound without a UID: Available');
  must(c.create(pvc('data', '8Gi')));
  run(c, 2000);
  t.equal(claimOf(c, 'data').spec.volumeName, 'reserved');
  t.equal(volumeOf(c, 'reserved').metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
  t.equal(volumeOf(c, 'small').status.phase, 'Available');
});

t.test('a claim pre-bound by volumeName', async (t) => {
  t.test('to a free volume: bound, the claim not marked bound-by-controller', async (t) => {
    const c = storageCluster();
    must(c.create(pv('a', '10Gi')));
    must(c.create(pv('b', '20Gi')));
    run(c, 1000);
    must(c.create(pvc('data', '1Gi', { volumeName: 'b' })));
    run(c, 2000);
    t.equal(claimOf(c, 'data').status.phase, 'Bound');
    t.equal(claimOf(c, 'data').metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
    t.equal(volumeOf(c, 'b').spec.claimRef?.name, 'data');
  });
  t.test('to a volume bound to another claim: Pending, with a FailedBinding warning', async (t) => {
    const c = storageCluster();
    must(c.create(pv('a', '10Gi')));
    run(c, 1000);
    must(c.create(pvc('first', '1Gi')));
    run(c, 2000);
    must(c.create(pvc('second', '1Gi', { volumeName: 'a' })));
    run(c, 3000);
    t.equal(claimOf(c, 'second').status.phase, 'Pending');
    t.same(
      c.events.occurrences.filter((e) => e.involvedObject.name === 'second').map((e) => `${e.type} ${e.reason} ${e.message}`),
      ['Warning FailedBinding volume "a" already bound to a different claim.'],
    );
  });
  t.test('to a volume that does not exist: Pending until it appears', async (t) => {
    const c = storageCluster();
    must(c.create(pvc('data', '1Gi', { volumeName: 'later' })));
    run(c, 1000);
    t.equal(claimOf(c, 'data').status.phase, 'Pending');
    must(c.create(pv('later', '1Gi')));
    run(c, 16_000);
    t.equal(claimOf(c, 'data').status.phase, 'Bound', 'bound by the 15s resync');
  });
});

t.test('a claim with no match stays Pending and is retried on every resync (15s)', async (t) => {
  const c = storageCluster();
  must(c.create(pvc('data', '1Gi')));
  run(c, 20_000);
  must(c.create(pv('late', '1Gi')));
  run(c, 29_999);
  t.equal(claimOf(c, 'data').status.phase, 'Pending', 'a new volume does not wake the claim');
  t.equal(volumeOf(c, 'late').status.phase, 'Available');
  run(c, 30_000);
  t.equal(claimOf(c, 'data').status.phase, 'Bound', 'the resync at 30s binds it');
  const failed = c.events.occurrences.filter((e) => e.reason === 'FailedBinding').map((e) => `${e.timeMs} ${e.type} ${e.message}`);
  t.same(failed, [
    '0 Normal no persistent volumes available for this claim and no storage class is set',
    '15000 Normal no persistent volumes available for this claim and no storage class is set',
  ]);
});

t.test('a claim of a class with no matching volume is handed to the external provisioner (the rest is in provisioner.test.ts)', async (t) => {
  const c = storageCluster();
  must(c.create(storageClass('fast')));
  must(c.create(pvc('data', '1Gi', { className: 'fast' })));
  must(c.create(pv('slow', '1Gi', { className: 'slow' })));
  run(c, 500);
  t.equal(claimOf(c, 'data').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'ebs.csi.aws.com');
  t.equal(claimOf(c, 'data').metadata.annotations?.['volume.beta.kubernetes.io/storage-provisioner'], 'ebs.csi.aws.com');
  t.ok(c.events.occurrences.some((e) => e.reason === 'ExternalProvisioning' && e.source === COMPONENT), 'ExternalProvisioning from the PV controller');
  run(c, 20_000);
  t.equal(claimOf(c, 'data').status.phase, 'Bound');
  t.not(claimOf(c, 'data').spec.volumeName, 'slow', 'not the volume of another class');
});

t.test('WaitForFirstConsumer: the PV controller leaves an unbound claim to the scheduler', async (t) => {
  const c = storageCluster();
  must(c.create(storageClass('local', { mode: 'WaitForFirstConsumer' })));
  must(c.create(pv('disk', '1Gi', { className: 'local' })));
  run(c, 1000);
  must(c.create(pvc('data', '1Gi', { className: 'local' })));
  run(c, 2000);
  t.equal(claimOf(c, 'data').status.phase, 'Pending');
  t.same(c.events.occurrences.filter((e) => e.reason === 'WaitForFirstConsumer').map((e) => e.message), ['waiting for first consumer to be created before binding']);
  // A pod that uses the claim and is not scheduled yet (addressed to a scheduler nobody runs).
  for (const name of ['p1', 'p2']) {
    const pod = podWithClaim(name, '', 'data');
    must(c.create({ ...pod, spec: { ...pod.spec, nodeName: undefined, schedulerName: 'not-served' } } as Pod));
  }
  run(c, 15_000);
  t.same(c.events.occurrences.filter((e) => e.reason === 'WaitForPodScheduled').map((e) => e.message), ['waiting for pods p1,p2 to be scheduled'], 'on the next resync');
});

t.test('RetroactiveDefaultStorageClass: a claim with no class gets a default class created later', async (t) => {
  const c = storageCluster();
  must(c.create(pvc('data', '1Gi', { className: null })));
  run(c, 1000);
  t.equal(claimOf(c, 'data').spec.storageClassName, undefined);
  must(c.create(storageClass('standard', { isDefault: true })));
  must(c.create(pvc('explicit-none', '1Gi', { className: '' })));
  run(c, 15_000);
  t.equal(claimOf(c, 'data').spec.storageClassName, 'standard');
  t.equal(claimOf(c, 'explicit-none').spec.storageClassName, '', '"" is a choice, kept');
});

t.test('the claim is deleted: its volume is Released (Retain by default) and not bound again', async (t) => {
  const c = storageCluster();
  must(c.create(pv('a', '1Gi')));
  run(c, 1000);
  must(c.create(pvc('data', '1Gi')));
  run(c, 2000);
  t.equal(volumeOf(c, 'a').spec.persistentVolumeReclaimPolicy, 'Retain');
  must(c.delete('PersistentVolumeClaim', 'default', 'data'));
  run(c, 3000);
  t.equal(volumeOf(c, 'a').status.phase, 'Released');
  must(c.create(pvc('data', '1Gi')));
  run(c, 20_000);
  t.equal(claimOf(c, 'data').status.phase, 'Pending', "a new claim of the same name does not get the old claim's data");
});

t.test('the volume is deleted: the bound claim is Lost', async (t) => {
  const c = storageCluster();
  must(c.create(pv('a', '1Gi')));
  run(c, 1000);
  must(c.create(pvc('data', '1Gi')));
  run(c, 2000);
  must(c.delete('PersistentVolume', undefined, 'a'));
  run(c, 16_000);
  t.equal(claimOf(c, 'data').status.phase, 'Lost');
  t.same(
    c.events.occurrences.filter((e) => e.reason === 'ClaimLost').map((e) => `${e.type} ${e.message}`),
    ['Warning Bound claim has lost its PersistentVolume. Data on the volume is lost!'],
    'reported once',
  );
});

t.test('DefaultStorageClass admission and defaulting', async (t) => {
  const c = storageCluster();
  const sc = must(c.create(storageClass('standard', { isDefault: true })));
  t.equal((sc as { volumeBindingMode?: string }).volumeBindingMode, 'Immediate');
  t.equal((sc as { reclaimPolicy?: string }).reclaimPolicy, 'Delete');
  const defaulted = must(c.create(pvc('a', '1Gi', { className: null }))) as PersistentVolumeClaim;
  t.equal(defaulted.spec.storageClassName, 'standard', 'no storageClassName: the default class');
  t.equal(defaulted.spec.volumeMode, 'Filesystem');
  t.equal(defaulted.status.phase, 'Pending');
  const none = must(c.create(pvc('b', '1Gi', { className: '' }))) as PersistentVolumeClaim;
  t.equal(none.spec.storageClassName, '', '"" means no class');
  const vol = must(c.create(pv('v', '1Gi'))) as PersistentVolume;
  t.same([vol.spec.persistentVolumeReclaimPolicy, vol.spec.volumeMode, vol.status.phase], ['Retain', 'Filesystem', 'Pending']);
});

t.test('no storage objects: the controller writes nothing', async (t) => {
  const c = storageCluster({ nodes: ['n1'] });
  run(c, 60_000);
  t.same(c.sim.trace.records.filter((r) => r.component === COMPONENT), []);
});
