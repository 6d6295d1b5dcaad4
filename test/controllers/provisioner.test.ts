// Dynamic provisioning: the PV controller's side (pv_controller.go syncUnboundClaim's "no volume
// found" branch: provisionClaim, findProvisionablePlugin, provisionClaimOperationExternal,
// setClaimProvisioner) and the external provisioner's (sig-storage-lib-external-provisioner
// controller.go shouldProvision / provisionClaimOperation; external-provisioner's Provision: the
// PersistentVolume it builds), in a running cluster.
import t from 'tap';
import type { CSINode, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../src/api/types.js';
import { COMPONENT as PV_CONTROLLER } from '../../src/controllers/persistentvolume.js';
import { pvcNameHashAndIndexOffset } from '../../src/controllers/provisioner.js';
import { get, must, podWithClaim, pvc, run, storageClass, storageCluster } from './storage-fixtures.js';

type TestCluster = ReturnType<typeof storageCluster>;
const claimOf = (c: TestCluster, name: string) => get<PersistentVolumeClaim>(c, 'PersistentVolumeClaim', name, 'default');
const volumes = (c: TestCluster) => [...c.store.list<PersistentVolume>('PersistentVolume')];
const claimEvents = (c: TestCluster) => c.events.occurrences.filter((e) => e.involvedObject.kind === 'PersistentVolumeClaim').map((e) => `${e.timeMs} ${e.source} ${e.type} ${e.reason}: ${e.message}`);

const WAITING = "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";

t.test('an Immediate claim: annotated, provisioned 1s later as pvc-<uid>, bound; the pod that waited for it runs', async (t) => {
  const c = storageCluster({ nodes: ['node-1'] });
  must(c.create(storageClass('gp3')));
  const claim = must(c.create(pvc('data', '10Gi', { className: 'gp3' })));
  must(c.create({ ...podWithClaim('db', '', 'data'), spec: { ...podWithClaim('db', '', 'data').spec, nodeName: undefined } } as Pod));
  run(c, 30_000);
  const name = `pvc-${claim.metadata.uid}`;
  const events = claimEvents(c);
  t.same(events.slice(0, 3), [
    `0 ${PV_CONTROLLER} Normal ExternalProvisioning: ${WAITING}`,
    '0 ebs.csi.aws.com Normal Provisioning: External provisioner is provisioning volume for claim "default/data"',
    `0 ${PV_CONTROLLER} Normal ExternalProvisioning: ${WAITING}`,
  ]);
  t.ok(events.includes(`1000 ebs.csi.aws.com Normal ProvisioningSucceeded: Successfully provisioned volume ${name}`));
  const pv = get<PersistentVolume>(c, 'PersistentVolume', name);
  t.same(pv.metadata.annotations, { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' }, 'pre-bound by its claimRef: not bound-by-controller');
  t.match(pv.spec, {
    capacity: { storage: '10Gi' },
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    persistentVolumeReclaimPolicy: 'Delete',
    storageClassName: 'gp3',
    claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: claim.metadata.uid },
    csi: { driver: 'ebs.csi.aws.com', fsType: 'ext4' },
  });
  t.equal(pv.spec.nodeAffinity, undefined, 'no topology for an Immediate claim');
  t.equal(pv.status.phase, 'Bound');
  t.equal(claimOf(c, 'data').spec.volumeName, name);
  t.equal(claimOf(c, 'data').status.phase, 'Bound');
  t.equal(get<Pod>(c, 'Pod', 'db', 'default').status.phase, 'Running');
  t.equal(volumes(c).length, 1, 'one volume, however many syncs');
});

t.test("the class's reclaim policy, mount options and fsType parameter go to the volume", async (t) => {
  const c = storageCluster();
  const sc: StorageClass = { ...storageClass('retained'), reclaimPolicy: 'Retain', mountOptions: ['noatime'], parameters: { 'csi.storage.k8s.io/fstype': 'xfs' } };
  must(c.create(sc));
  must(c.create(pvc('data', '5Gi', { className: 'retained', modes: ['ReadWriteMany'] })));
  run(c, 5_000);
  const [pv] = volumes(c);
  t.match(pv?.spec, { persistentVolumeReclaimPolicy: 'Retain', mountOptions: ['noatime'], accessModes: ['ReadWriteMany'], csi: { fsType: 'xfs' } });
});

t.test('a migrated in-tree provisioner is provisioned by its CSI driver', async (t) => {
  const c = storageCluster();
  must(c.create({ ...storageClass('legacy'), provisioner: 'kubernetes.io/aws-ebs' }));
  must(c.create(pvc('data', '1Gi', { className: 'legacy' })));
  run(c, 5_000);
  t.equal(claimOf(c, 'data').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'ebs.csi.aws.com');
  t.equal(volumes(c)[0]?.spec.csi?.driver, 'ebs.csi.aws.com');
  t.equal(claimOf(c, 'data').status.phase, 'Bound');
});

t.test('no provisioning: ProvisioningFailed at every sync, no volume', async (t) => {
  t.test('kubernetes.io/no-provisioner (an Immediate class of pre-provisioned volumes)', async (t) => {
    const c = storageCluster();
    must(c.create({ ...storageClass('local'), provisioner: 'kubernetes.io/no-provisioner' }));
    must(c.create(pvc('data', '1Gi', { className: 'local' })));
    run(c, 16_000);
    t.same(claimEvents(c), [`0 ${PV_CONTROLLER} Warning ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner`, `15000 ${PV_CONTROLLER} Warning ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner`]);
    t.same(volumes(c), []);
    t.equal(claimOf(c, 'data').metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], undefined);
  });
  t.test('a class that does not exist', async (t) => {
    const c = storageCluster();
    must(c.create(pvc('data', '1Gi', { className: 'missing' })));
    run(c, 1_000);
    t.same(claimEvents(c), [`0 ${PV_CONTROLLER} Warning ProvisioningFailed: storageclass.storage.k8s.io "missing" not found`]);
    t.same(volumes(c), []);
  });
  t.test('a claim with a selector: the provisioner refuses it once', async (t) => {
    const c = storageCluster();
    must(c.create(storageClass('gp3')));
    const claim = pvc('data', '1Gi', { className: 'gp3' });
    must(c.create({ ...claim, spec: { ...claim.spec, selector: { matchLabels: { tier: 'gold' } } } }));
    run(c, 20_000);
    const failures = claimEvents(c).filter((e) => e.includes('ProvisioningFailed'));
    t.same(failures, ['0 ebs.csi.aws.com Warning ProvisioningFailed: failed to provision volume with StorageClass "gp3": claim Selector is not supported']);
    t.same(volumes(c), []);
  });
});

t.test('WaitForFirstConsumer: nothing until a node is selected; then a volume with that node\'s topology', async (t) => {
  const c = storageCluster({ nodes: ['node-1'] });
  const node = get<Node>(c, 'Node', 'node-1');
  must(c.store.update({ ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, 'topology.ebs.csi.aws.com/zone': 'eu-west-1a' } } }, 'test'));
  const csiNode: CSINode = { apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name: 'node-1' }, spec: { drivers: [{ name: 'ebs.csi.aws.com', nodeID: 'i-1', topologyKeys: ['topology.ebs.csi.aws.com/zone'] }] } };
  must(c.create(csiNode));
  must(c.create(storageClass('gp3', { mode: 'WaitForFirstConsumer' })));
  must(c.create(pvc('data', '1Gi', { className: 'gp3' })));
  run(c, 20_000);
  t.same(volumes(c), [], 'no pod, no selected node: nothing provisioned');
  t.notOk(claimEvents(c).some((e) => e.includes('Provisioning')), 'no provisioning events');
  // What the scheduler's VolumeBinding PreBind writes for a pod it placed on node-1.
  c.sim.at(20_000, 'test', () => {
    const claim = claimOf(c, 'data');
    must(c.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, 'volume.kubernetes.io/selected-node': 'node-1' } } }, 'default-scheduler'));
  });
  run(c, 25_000);
  const [pv] = volumes(c);
  t.same(pv?.spec.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['eu-west-1a'] }] }] } });
  t.equal(claimOf(c, 'data').status.phase, 'Bound');
  t.ok(claimEvents(c).some((e) => e.startsWith('20000 ebs.csi.aws.com Normal Provisioning:')), 'provisioning starts when the node is selected');
});

t.test('reclaim policy Delete: the provisioner deletes the released volume once it is detached; Retain keeps it', async (t) => {
  const c = storageCluster({ nodes: ['node-1'] });
  must(c.create(storageClass('gp3')));
  must(c.create({ ...storageClass('kept'), reclaimPolicy: 'Retain' }));
  must(c.create(pvc('data', '1Gi', { className: 'gp3' })));
  must(c.create(pvc('logs', '1Gi', { className: 'kept' })));
  must(c.create(podWithClaim('app', 'node-1', 'data')));
  run(c, 10_000);
  const [dataPv, logsPv] = [claimOf(c, 'data').spec.volumeName!, claimOf(c, 'logs').spec.volumeName!];
  t.ok(c.store.list('VolumeAttachment').next().value, 'data is attached to node-1');
  const deletedAt: number[] = [];
  c.store.observe((ev, _verb, actor) => ev.type === 'DELETED' && ev.object.kind === 'PersistentVolume' && actor === 'external-provisioner' && deletedAt.push(c.sim.nowMs));
  // The claims go while the pod still runs (no pvc-protection finalizer here), then the pod.
  c.sim.at(10_000, 'test', () => {
    c.store.delete('PersistentVolumeClaim', 'default', 'data', 'test');
    c.store.delete('PersistentVolumeClaim', 'default', 'logs', 'test');
  });
  run(c, 20_000);
  t.equal(get<PersistentVolume>(c, 'PersistentVolume', dataPv).status.phase, 'Released');
  t.same(deletedAt, [], 'not deleted while attached');
  c.sim.at(20_000, 'test', () => c.store.delete('Pod', 'default', 'app', 'test', { gracePeriodSeconds: 0 }));
  run(c, 30_000);
  t.equal(deletedAt.length, 1, 'deleted once detached');
  t.equal(c.store.get('PersistentVolume', undefined, dataPv), undefined);
  t.equal(get<PersistentVolume>(c, 'PersistentVolume', logsPv).status.phase, 'Released', 'Retain: kept, Released');
});

t.test('Immediate claims: the volume goes to one requisite segment, shifted by the claim name hash and StatefulSet index', async (t) => {
  t.same(pvcNameHashAndIndexOffset('db'), { hash: 1836525763, index: 0 }, 'FNV-1 (Go fnv.New32), not FNV-1a');
  t.same(pvcNameHashAndIndexOffset('data-db-2'), { hash: 1836525763, index: 2 }, 'ClaimName-StatefulSetName-Id: the StatefulSet name hashed, Id the offset');
  t.same(pvcNameHashAndIndexOffset('data-db-x'), { hash: 4140752755, index: 0 }, 'no numeric suffix: the whole name hashed');

  const zoneOf = (pv: PersistentVolume | undefined) => pv?.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values?.[0];
  const withZones = (c: TestCluster) => {
    for (const [name, zone] of [['node-a', 'zone-a'], ['node-b', 'zone-b'], ['node-c', 'zone-c']] as const) {
      const n = get<Node>(c, 'Node', name);
      must(c.store.update({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, 'topology.ebs.csi.aws.com/zone': zone } } }, 'test'));
      must(c.create({ apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name }, spec: { drivers: [{ name: 'ebs.csi.aws.com', nodeID: name, topologyKeys: ['topology.ebs.csi.aws.com/zone'] }] } } as CSINode));
    }
  };

  t.test('every node\'s zone is requisite: data-db-0, -1, -2 go round the sorted zones from fnv("db") % 3 = 1', async (t) => {
    const c = storageCluster({ nodes: ['node-a', 'node-b', 'node-c'] });
    withZones(c);
    must(c.create(storageClass('gp3')));
    for (const i of [0, 1, 2]) must(c.create(pvc(`data-db-${i}`, '1Gi', { className: 'gp3' })));
    run(c, 5_000);
    t.same([0, 1, 2].map((i) => zoneOf(get<PersistentVolume>(c, 'PersistentVolume', claimOf(c, `data-db-${i}`).spec.volumeName!))), ['zone-b', 'zone-c', 'zone-a']);
  });
  t.test('allowedTopologies narrows the requisite segments', async (t) => {
    const c = storageCluster({ nodes: ['node-a', 'node-b', 'node-c'] });
    withZones(c);
    must(c.create({ ...storageClass('gp3'), allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', values: ['zone-c', 'zone-a'] }] }] }));
    for (const i of [0, 1]) must(c.create(pvc(`data-db-${i}`, '1Gi', { className: 'gp3' })));
    run(c, 5_000);
    t.same([0, 1].map((i) => zoneOf(get<PersistentVolume>(c, 'PersistentVolume', claimOf(c, `data-db-${i}`).spec.volumeName!))), ['zone-c', 'zone-a'], 'sorted [zone-a, zone-c], from (hash + i) % 2');
  });
  t.test('no CSINode topology and no allowedTopologies: no node affinity', async (t) => {
    const c = storageCluster({ nodes: ['node-a'] });
    must(c.create(storageClass('gp3')));
    must(c.create(pvc('data', '1Gi', { className: 'gp3' })));
    run(c, 5_000);
    t.equal(volumes(c)[0]?.spec.nodeAffinity, undefined);
  });
});
