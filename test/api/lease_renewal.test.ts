// Standing Lease renewals (Store.renewEvery): a read sees the Lease as of its latest renewal at or
// before the read, as if its holder had written each one; stopping keeps the last renewal before
// the stop (one due at that instant does not happen).
import t from 'tap';
import { Store } from '../../src/api/store.js';
import type { Lease } from '../../src/api/types.js';
import { Simulation } from '../../src/engine/sim.js';

function setup() {
  const sim = new Simulation(1, { keepTrace: true, digest: false });
  const store = new Store(sim, 0);
  const writes: string[] = [];
  store.observe((ev, verb) => writes.push(`${sim.nowMs} ${verb} ${ev.object.kind}`));
  const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: 0, acquireTime: 0 } };
  const at = (ms: number, fn: () => void) => sim.at(ms, 'test', fn);
  const read = () => store.get<Lease>('Lease', 'kube-node-lease', 'n1');
  return { sim, store, writes, lease, at, read };
}

t.test('reads see the latest renewal; no write, no resourceVersion per renewal', async (t) => {
  const { sim, store, writes, lease, at, read } = setup();
  const seen: Array<[number, number | undefined, string | undefined]> = [];
  at(3_000, () => {
    store.create(lease, 'kubelet/n1', 'renew');
    store.renewEvery('kube-node-lease', 'n1', 10_000);
  });
  const told: Array<[number, number | undefined]> = [];
  for (const ms of [3_000, 12_999, 13_000, 13_001, 27_500, 43_000]) {
    at(ms, () => told.push([ms, store.leaseRenewTime('kube-node-lease', 'n1')]));
    at(ms, () => seen.push([ms, read()?.spec.renewTime, read()?.metadata.resourceVersion]));
  }
  at(2_000, () => told.push([2_000, store.leaseRenewTime('kube-node-lease', 'n1')]));
  sim.run({ untilMs: 60_000, maxSteps: 100 });
  t.same(seen, [
    [3_000, 0, '1'],
    [12_999, 0, '1'],
    [13_000, 13_000, '1'],
    [13_001, 13_000, '1'],
    [27_500, 23_000, '1'],
    [43_000, 43_000, '1'],
  ]);
  t.same(
    told.sort((a, b) => a[0] - b[0]),
    [[2_000, undefined], ...seen.map(([ms, renewTime]): [number, number | undefined] => [ms, renewTime])],
    'leaseRenewTime tells what a read sees, before the read builds it',
  );
  t.same(writes, ['3000 renew Lease'], 'one write: the holder\'s own');
  t.equal([...store.list<Lease>('Lease')][0]!.spec.renewTime, 53_000, 'list sees the renewal too (at 60s: 53s)');
});

t.test('stopping keeps the last renewal before the stop; one due at that instant does not happen', async (t) => {
  for (const [stopMs, want] of [
    [33_000, 23_000],
    [33_001, 33_000],
    [3_000, 3_000],
    [8_000, 3_000],
  ] as const) {
    const { sim, store, lease, at, read } = setup();
    let after: number | undefined;
    at(3_000, () => {
      store.create({ ...lease, spec: { ...lease.spec, renewTime: 3_000 } }, 'kubelet/n1', 'renew');
      store.renewEvery('kube-node-lease', 'n1', 10_000);
    });
    at(stopMs, () => store.stopRenewing('kube-node-lease', 'n1'));
    at(90_000, () => (after = read()?.spec.renewTime));
    sim.run({ untilMs: 100_000, maxSteps: 100 });
    t.equal(after, want, `stopped at ${stopMs}ms`);
  }
});

t.test('an update starts from the renewed Lease; a delete ends the renewals', async (t) => {
  const { sim, store, lease, at, read } = setup();
  let updated: Lease | undefined;
  let recreated: Lease | undefined;
  at(0, () => {
    store.create(lease, 'kubelet/n1', 'renew');
    store.renewEvery('kube-node-lease', 'n1', 10_000);
  });
  at(25_000, () => {
    const cur = read()!;
    const r = store.update<Lease>({ ...cur, spec: { ...cur.spec, holderIdentity: 'other' } }, 'test');
    if (r.ok) updated = r.object;
  });
  at(31_000, () => {
    store.delete('Lease', 'kube-node-lease', 'n1', 'test');
    store.create(lease, 'test');
  });
  at(55_000, () => (recreated = read()));
  sim.run({ untilMs: 60_000, maxSteps: 100 });
  t.equal(updated?.spec.renewTime, 20_000);
  t.equal(updated?.spec.holderIdentity, 'other');
  t.equal(updated?.metadata.resourceVersion, '2');
  t.equal(recreated?.spec.renewTime, 0, 'a Lease created again is not renewed until its holder says so');
});
