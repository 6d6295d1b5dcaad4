// The controllers' work queue (src/controllers/workqueue.ts): de-duplication, and
// DefaultTypedControllerRateLimiter's retries — per item 5ms doubling, reset by a successful
// reconcile (Forget), and never faster than the queue's 10 qps bucket (burst 100) allows.
import t from 'tap';
import { Simulation } from '../../src/engine/sim.js';
import { type ReconcileResult, WorkQueue } from '../../src/controllers/workqueue.js';

function harness(reconcile: (key: string, q: WorkQueue, sim: Simulation) => ReconcileResult) {
  const sim = new Simulation(1);
  const seen: Array<[number, string]> = [];
  const q: WorkQueue = new WorkQueue(sim, 'test', (key) => {
    seen.push([sim.nowMs, key]);
    return reconcile(key, q, sim);
  });
  return { sim, q, seen };
}

t.test('a key waiting once is processed once', async (t) => {
  const h = harness(() => 'done');
  h.q.add('a');
  h.q.add('a');
  h.q.add('b');
  h.sim.run({ untilMs: 1000, maxSteps: 1000 });
  t.same(h.seen, [[0, 'a'], [0, 'b']]);
});

t.test('retries back off 5ms, 10ms, 20ms ...; a success forgets the failures', async (t) => {
  let failures = 4;
  const h = harness(() => (failures-- > 0 ? 'retry' : 'done'));
  h.q.add('a');
  h.sim.run({ untilMs: 1000, maxSteps: 1000 });
  t.same(h.seen.map(([ms]) => ms), [0, 5, 15, 35, 75]);
  failures = 1;
  h.q.add('a');
  h.sim.run({ untilMs: 2000, maxSteps: 1000 });
  t.same(h.seen.slice(5).map(([ms]) => ms), [1000, 1005], 'back to 5ms after the success');
});

t.test('addRateLimited from a successful reconcile: 5ms each time (Forget), until the bucket runs dry, then 10 a second', async (t) => {
  const h = harness((key, q) => {
    q.addRateLimited(key);
    return 'done';
  });
  h.q.add('a');
  h.sim.run({ untilMs: 1000, maxSteps: 10_000 });
  const times = h.seen.map(([ms]) => ms);
  t.same(times.slice(0, 3), [0, 5, 10], 'within the burst: the item delay');
  // The bucket refills 0.05 token per 5ms: after 105 requeues at 525ms it owes 0.75 token, due
  // 75ms later; from then on one token every 100ms.
  t.same(times.slice(104, 111), [520, 525, 600, 700, 800, 900, 1000]);
  t.equal(times.length, 111, 'up to 1s');
});
