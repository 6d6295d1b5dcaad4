// Store watches: delivery after the watch latency, in write order, and a watch's `relevant`
// filter, which spends no step on the events it leaves out.
import t from 'tap';
import type { Lease } from '../../src/api/types.js';
import { Store, type WatchEvent } from '../../src/api/store.js';
import { Simulation } from '../../src/engine/sim.js';

function lease(name: string, holder: string, owner?: string): Lease {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: owner, uid: owner }] } : {}) }, spec: { holderIdentity: holder } };
}

t.test('a filtered watch gets only the events it asks for, and no step for the others', async (t) => {
  const sim = new Simulation(1);
  const store = new Store(sim, 100);
  const all: string[] = [];
  const some: string[] = [];
  const label = (ev: WatchEvent) => `${ev.type} ${ev.object.metadata.name} ${(ev.object as Lease).spec.holderIdentity}`;
  store.watch<Lease>('Lease', 'everything', (ev) => all.push(label(ev)));
  store.watch<Lease>('Lease', 'owned', (ev) => some.push(label(ev)), (ev) => ev.type === 'DELETED' || (ev.object.metadata.ownerReferences ?? []).length > 0);
  sim.at(0, 'test', () => {
    store.create(lease('a', 'x'), 'test');
    store.create(lease('b', 'x', 'node-1'), 'test');
    const a = store.get<Lease>('Lease', 'default', 'a')!;
    store.update<Lease>({ ...a, spec: { holderIdentity: 'y' } }, 'test');
    store.delete('Lease', 'default', 'a', 'test');
  });
  const outcome = sim.run({ untilMs: 1000, maxSteps: 100 });
  t.same(all, ['ADDED a x', 'ADDED b x', 'MODIFIED a y', 'DELETED a y']);
  t.same(some, ['ADDED b x', 'DELETED a y']);
  // one step writing, four deliveries to `everything`, two to `owned`
  t.equal(outcome.steps, 1 + 4 + 2);
});

t.test('a component with a filtered and an unfiltered handler on one kind: one step per event, each handler its own events', async (t) => {
  const sim = new Simulation(1);
  const store = new Store(sim, 100);
  const all: string[] = [];
  const deletes: string[] = [];
  store.watch<Lease>('Lease', 'c', (ev) => all.push(`${ev.type} ${ev.object.metadata.name}`));
  store.watch<Lease>('Lease', 'c', (ev) => deletes.push(ev.object.metadata.name), (ev) => ev.type === 'DELETED');
  sim.at(0, 'test', () => {
    store.create(lease('a', 'x'), 'test');
    store.delete('Lease', 'default', 'a', 'test');
  });
  const outcome = sim.run({ untilMs: 1000, maxSteps: 100 });
  t.same(all, ['ADDED a', 'DELETED a']);
  t.same(deletes, ['a']);
  t.equal(outcome.steps, 1 + 2);
});

t.test('membershipVersion moves on creates and deletes of the kind, not on updates', async (t) => {
  const sim = new Simulation(1);
  const store = new Store(sim, 0);
  const v0 = store.membershipVersion('Lease');
  store.create(lease('a', 'x'), 'test');
  const v1 = store.membershipVersion('Lease');
  t.not(v1, v0, 'a create moves it');
  store.update({ ...store.get<Lease>('Lease', 'default', 'a')!, spec: { holderIdentity: 'y' } }, 'test');
  t.equal(store.membershipVersion('Lease'), v1, 'an update does not');
  t.equal(store.membershipVersion('Node'), 0, 'nor do writes of another kind');
  store.delete('Lease', 'default', 'a', 'test');
  t.not(store.membershipVersion('Lease'), v1, 'a delete moves it');
});
