import t from 'tap';
import type { Deployment, Pod, ReplicaSet } from '../../src/api/types.js';
import { classifyReference } from '../../src/controllers/garbagecollector.js';
import { create, harness, makeDeployment, makeReplicaSet } from './harness.js';

const LABELS = { app: 'web' };

function orphanPod(name: string, ownerReferences: Pod['metadata']['ownerReferences']): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences }, spec: { containers: [] }, status: {} };
}

t.test('deleting a Deployment removes its ReplicaSets and their pods', async (t) => {
  const h = harness({ deployments: true, gc: true, kubeletReadyMs: 500, kubeletTerminateMs: 3000 });
  create(h.store, makeDeployment('web', 3, LABELS));
  h.run(5000);
  const d = h.store.get<Deployment>('Deployment', 'default', 'web')!;
  h.store.update<Deployment>({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } }, 'test');
  h.run(30_000);
  t.equal(h.replicaSets().length, 2, 'an old and a new ReplicaSet');
  t.equal(h.pods().length, 3);

  h.store.delete('Deployment', 'default', 'web', 'test');
  h.run(30_001);
  t.equal(h.replicaSets().length, 0, 'ReplicaSets go in the same instant');
  t.equal(h.pods().length, 3, 'pods bound to a node terminate gracefully');
  t.ok(h.pods().every((p) => p.metadata.deletionTimestamp !== undefined));
  h.run(40_000);
  t.equal(h.pods().length, 0, 'and are gone once the kubelet confirms');
  t.notOk(h.events.occurrences.some((e) => e.reason === 'SuccessfulCreate' && e.timeMs > 30_000), 'nothing was recreated');
});

t.test('a dependent with one owner left loses only the reference to the gone owner', async (t) => {
  const h = harness({ replicaSets: false, gc: true });
  const a = create(h.store, makeReplicaSet('a', 0, LABELS));
  const b = create(h.store, makeReplicaSet('b', 0, { app: 'other' }));
  const refs = [a, b].map((rs) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid! }));
  create(h.store, orphanPod('shared', refs));
  h.run(10);
  h.store.delete('ReplicaSet', 'default', 'a', 'test');
  h.run(20);
  const pod = h.store.get<Pod>('Pod', 'default', 'shared');
  t.ok(pod, 'kept');
  t.same(pod!.metadata.ownerReferences, [refs[1]]);
  h.store.delete('ReplicaSet', 'default', 'b', 'test');
  h.run(30);
  t.equal(h.store.get<Pod>('Pod', 'default', 'shared'), undefined, 'collected with its last owner');
});

t.test('an object created with a reference to an owner that does not exist is collected', async (t) => {
  const h = harness({ replicaSets: false, gc: true });
  create(h.store, orphanPod('ghost-child', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'no-such-uid', controller: true }]));
  const rs = create(h.store, makeReplicaSet('real', 0, LABELS));
  // Same name, other uid: still dangling.
  create(h.store, orphanPod('stale-child', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'real', uid: 'old-uid' }]));
  create(h.store, orphanPod('live-child', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'real', uid: rs.metadata.uid! }]));
  h.run(10);
  t.same(h.pods().map((p) => p.metadata.name), ['live-child']);
});

t.test('an object updated to reference a gone owner is collected; updates that keep the references are not looked at', async (t) => {
  const h = harness({ replicaSets: false, gc: true });
  const rs = create(h.store, makeReplicaSet('real', 0, LABELS));
  const live = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'real', uid: rs.metadata.uid! }];
  create(h.store, orphanPod('a', live));
  create(h.store, orphanPod('b', live));
  h.run(10);
  const a = h.store.get<Pod>('Pod', 'default', 'a')!;
  h.store.update<Pod>({ ...a, metadata: { ...a.metadata, labels: { touched: 'yes' } } }, 'test');
  const b = h.store.get<Pod>('Pod', 'default', 'b')!;
  h.store.update<Pod>({ ...b, metadata: { ...b.metadata, ownerReferences: [...live, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'gone-uid' }] } }, 'test');
  h.run(20);
  t.same(h.pods().map((p) => [p.metadata.name, p.metadata.ownerReferences!.map((r) => r.name)]), [['a', ['real']], ['b', ['real']]], 'the dangling reference added by update is removed; the other owner stays');
  h.store.delete('ReplicaSet', 'default', 'real', 'test');
  h.run(30);
  t.same(h.pods().map((p) => p.metadata.name), [], 'both still known as dependents of the ReplicaSet');
});

t.test('references to kinds the store does not know are left alone', async (t) => {
  const h = harness({ replicaSets: false, gc: true });
  const pod = create(h.store, orphanPod('job-pod', [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }]));
  h.run(10);
  t.ok(h.store.get<Pod>('Pod', 'default', 'job-pod'));
  t.equal(classifyReference(h.store, pod, pod.metadata.ownerReferences![0]!), 'solid');
});

t.test('deleting a ReplicaSet alone removes its pods', async (t) => {
  const h = harness({ gc: true });
  create(h.store, makeReplicaSet('web', 4, LABELS));
  h.run(10);
  t.equal(h.pods().length, 4);
  h.store.delete('ReplicaSet', 'default', 'web', 'test');
  h.run(20);
  t.equal(h.pods().length, 0, 'unscheduled pods are deleted at once');
  t.equal([...h.store.list<ReplicaSet>('ReplicaSet')].length, 0);
});
