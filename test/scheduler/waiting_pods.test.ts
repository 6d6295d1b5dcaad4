// Pods held at Permit (src/scheduler/waiting_pods.ts, the scheduler's binding cycle): upstream's
// waiting_pods_map.go, RunPermitPlugins, WaitOnPermit and handleBindingCycleError (v1.35). A
// waiting pod is assumed on its node but not bound; it binds when every plugin that asked it to
// wait allows it, and is rejected by a plugin, a timeout, preemption or its deletion.
import t from 'tap';
import type { Event, Pod, PodCondition, PriorityClass } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import { adaptPlugin } from '../../src/scenario/policy.js';
import { Code, type MaybeStatus, Status } from '../../src/scheduler/framework/status.js';
import type { AnyPlugin, CycleState, Handle, PermitResult, PluginFactory, PodInfo } from '../../src/scheduler/framework/types.js';
import { makeNode, makePod } from './fixtures.js';

/** Permit by the pod's labels: gate=wait (for `timeout` ms), gate=reject, gate=error. */
class Gate implements AnyPlugin {
  readonly name = 'Gate';
  constructor(readonly handle: Handle) {}
  permit(_state: CycleState, pod: PodInfo): MaybeStatus | PermitResult {
    const labels = pod.pod.metadata.labels ?? {};
    if (labels['gate'] === 'wait') return { status: new Status(Code.Wait), timeoutMs: Number(labels['timeout'] ?? '60000') };
    if (labels['gate'] === 'reject') return new Status(Code.Unschedulable, 'gate closed');
    if (labels['gate'] === 'error') return new Status(Code.Error, 'boom');
    return null;
  }
}

/** A second waiter, so a pod can wait on two plugins. */
class Latch implements AnyPlugin {
  readonly name = 'Latch';
  permit(_state: CycleState, pod: PodInfo): MaybeStatus | PermitResult {
    return pod.pod.metadata.labels?.['latch'] === 'wait' ? { status: new Status(Code.Wait), timeoutMs: 20 * 60_000 } : null;
  }
}

function cluster(): { c: Cluster; gate: () => Gate } {
  let gate: Gate | undefined;
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: {
      profiles: [{ plugins: { permit: { enabled: [{ name: 'Gate' }, { name: 'Latch' }] } } }],
      percentageOfNodesToScore: 0,
      plugins: new Map<string, PluginFactory>([
        ['Gate', (_args, handle) => (gate = new Gate(handle))],
        ['Latch', () => new Latch()],
      ]),
    },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
  c.store.create(makeNode('n1', { cpu: '2', memory: '8Gi', pods: '110' }), 'test');
  return { c, gate: () => gate! };
}

function pod(name: string, labels: Record<string, string>, cpu = '1', extra: Partial<Pod['spec']> = {}): Pod {
  const p = makePod(name, { containers: [{ name: 'c', image: 'img', resources: { requests: { cpu } } }], ...extra }, { labels });
  delete p.metadata.uid;
  return p;
}

function stored(c: Cluster, name: string): Pod {
  return c.store.get<Pod>('Pod', 'default', name)!;
}

function events(c: Cluster, name: string, reason: string): Array<{ timeMs: number; message: string }> {
  return c.events.occurrences.filter((e) => e.involvedObject.name === name && e.reason === reason).map((e) => ({ timeMs: e.timeMs, message: e.message }));
}

t.test('a pod waits at Permit assumed on its node, and binds when allowed', async (t) => {
  const { c, gate } = cluster();
  c.store.create(pod('a', { gate: 'wait' }), 'test');
  c.run({ untilMs: 5_000, maxSteps: 1e6 });
  const uid = stored(c, 'a').metadata.uid!;
  const wp = gate().handle.getWaitingPod(uid);
  t.ok(wp, 'waiting');
  t.same(wp!.pendingPlugins(), ['Gate']);
  t.equal(wp!.pod.spec.nodeName, 'n1', 'the waiting pod is the assumed one');
  t.equal(stored(c, 'a').spec.nodeName, undefined, 'not bound');
  t.same(c.scheduler.cache.get('n1')!.pods.map((p) => p.pod.metadata.name), ['a'], 'its resources are held in the cache');
  const seen: string[] = [];
  gate().handle.iterateOverWaitingPods((w) => seen.push(w.pod.metadata.name));
  t.same(seen, ['a']);
  c.sim.at(5_000, 'test', () => gate().handle.getWaitingPod(uid)!.allow('Gate'));
  c.run({ untilMs: 6_000, maxSteps: 1e6 });
  t.equal(stored(c, 'a').spec.nodeName, 'n1', 'bound once allowed');
  t.same(events(c, 'a', 'Scheduled'), [{ timeMs: 5_000, message: 'Successfully assigned default/a to n1' }], 'at the instant it was allowed');
  t.equal(gate().handle.getWaitingPod(uid), undefined, 'no longer waiting');
});

t.test('a pod waiting on two plugins binds only when both allow it', async (t) => {
  const { c, gate } = cluster();
  c.store.create(pod('a', { gate: 'wait', latch: 'wait' }), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  const uid = stored(c, 'a').metadata.uid!;
  t.same(gate().handle.getWaitingPod(uid)!.pendingPlugins(), ['Gate', 'Latch']);
  c.sim.at(1_000, 'test', () => gate().handle.getWaitingPod(uid)!.allow('Gate'));
  c.run({ untilMs: 2_000, maxSteps: 1e6 });
  t.equal(stored(c, 'a').spec.nodeName, undefined, 'Latch still holds it');
  t.same(gate().handle.getWaitingPod(uid)!.pendingPlugins(), ['Latch']);
  c.sim.at(2_000, 'test', () => gate().handle.getWaitingPod(uid)!.allow('Latch'));
  c.run({ untilMs: 3_000, maxSteps: 1e6 });
  t.equal(stored(c, 'a').spec.nodeName, 'n1');
});

t.test('a timeout rejects the pod: unreserved, forgotten, back in the queue as unschedulable', async (t) => {
  const { c, gate } = cluster();
  c.store.create(pod('b', { gate: 'wait', timeout: '10000' }), 'test');
  c.run({ untilMs: 9_999, maxSteps: 1e6 });
  t.ok(gate().handle.getWaitingPod(stored(c, 'b').metadata.uid!), 'still waiting just before the timeout');
  c.run({ untilMs: 10_000, maxSteps: 1e6 });
  const b = stored(c, 'b');
  t.equal(b.spec.nodeName, undefined);
  t.same(events(c, 'b', 'FailedScheduling'), [{ timeMs: 10_000, message: '0/1 nodes are available: 1 rejected due to timeout after waiting 10s at plugin Gate.' }]);
  const cond = b.status.conditions?.find((x: PodCondition) => x.type === 'PodScheduled');
  t.match(cond, { status: 'False', reason: 'Unschedulable' });
  t.equal(c.scheduler.queue.where('default/b'), 'unschedulable');
  t.equal(c.scheduler.cache.get('n1')!.pods.length, 0, 'the cache forgot it');
  t.equal(gate().handle.getWaitingPod(b.metadata.uid!), undefined);
});

t.test('a timeout longer than 15 minutes waits 15 minutes (maxTimeout)', async (t) => {
  const { c } = cluster();
  c.store.create(pod('l', { latch: 'wait' }), 'test');
  c.run({ untilMs: 15 * 60_000, maxSteps: 1e6 });
  t.same(events(c, 'l', 'FailedScheduling'), [{ timeMs: 15 * 60_000, message: '0/1 nodes are available: 1 rejected due to timeout after waiting 15m0s at plugin Latch.' }]);
});

t.test('a waiting pod that is deleted is rejected, forgotten and not queued again', async (t) => {
  const { c, gate } = cluster();
  c.store.create(pod('d', { gate: 'wait' }), 'test');
  c.run({ untilMs: 2_000, maxSteps: 1e6 });
  const uid = stored(c, 'd').metadata.uid!;
  c.sim.at(2_000, 'test', () => void c.store.delete('Pod', 'default', 'd', 'test'));
  c.run({ untilMs: 3_000, maxSteps: 1e6 });
  t.equal(stored(c, 'd'), undefined);
  t.equal(gate().handle.getWaitingPod(uid), undefined);
  t.equal(c.scheduler.cache.get('n1')!.pods.length, 0);
  t.equal(c.scheduler.queue.where('default/d'), undefined, 'not queued');
  t.same(events(c, 'd', 'FailedScheduling'), [], 'no failure reported for a pod that is gone');
  // The freed node takes the next pod.
  c.store.create(pod('e', {}, '2'), 'test');
  c.run({ untilMs: 4_000, maxSteps: 1e6 });
  t.equal(stored(c, 'e').spec.nodeName, 'n1');
});

t.test('updates of a waiting pod are skipped (it is assumed): cache and nominations stay', async (t) => {
  const { c, gate } = cluster();
  c.store.create(pod('u', { gate: 'wait' }), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  c.sim.at(1_000, 'test', () => {
    const u = stored(c, 'u');
    c.store.update<Pod>({ ...u, metadata: { ...u.metadata, labels: { ...u.metadata.labels, team: 'ml' } }, status: { ...u.status, nominatedNodeName: 'n1' } }, 'test');
  });
  c.run({ untilMs: 2_000, maxSteps: 1e6 });
  t.ok(gate().handle.getWaitingPod(stored(c, 'u').metadata.uid!), 'still waiting');
  t.same(c.scheduler.cache.get('n1')!.pods.map((p) => p.pod.metadata.name), ['u'], 'still assumed');
  t.same(c.scheduler.nominator.forNode('n1'), [], 'not taken for a nominated pod as well');
  t.equal(c.scheduler.queue.where('default/u'), undefined, 'not queued');
});

t.test('a plugin, or the handle, rejects a waiting pod; later signals are dropped', async (t) => {
  const { c, gate } = cluster();
  c.store.create(pod('r', { gate: 'wait' }), 'test');
  c.store.create(pod('s', { gate: 'wait' }), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  const r = stored(c, 'r').metadata.uid!;
  const s = stored(c, 's').metadata.uid!;
  c.sim.at(1_000, 'test', () => {
    gate().handle.getWaitingPod(r)!.reject('Gate', 'not today');
    gate().handle.getWaitingPod(r)!.allow('Gate');
    t.equal(gate().handle.rejectWaitingPod(s), true);
    t.equal(gate().handle.rejectWaitingPod('no-such-uid'), false);
  });
  c.run({ untilMs: 2_000, maxSteps: 1e6 });
  t.same(events(c, 'r', 'FailedScheduling'), [{ timeMs: 1_000, message: '0/1 nodes are available: 1 not today.' }]);
  t.same(events(c, 's', 'FailedScheduling'), [{ timeMs: 1_000, message: '0/1 nodes are available: 1 removed.' }]);
  t.equal(stored(c, 'r').spec.nodeName, undefined, 'the allow after the rejection is dropped');
});

t.test('preemption rejects a waiting victim instead of deleting it', async (t) => {
  const { c } = cluster();
  const high: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 };
  c.store.create(high, 'test');
  c.store.create(pod('low', { gate: 'wait' }, '2'), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  c.sim.at(1_000, 'test', () => void c.store.create(pod('urgent', {}, '2', { priorityClassName: 'high' }), 'test'));
  c.run({ untilMs: 30_000, maxSteps: 1e6 });
  const low = stored(c, 'low');
  t.ok(low, 'the victim is not deleted');
  t.equal(low.metadata.deletionTimestamp, undefined);
  t.equal(low.spec.nodeName, undefined);
  t.match(events(c, 'low', 'Preempted'), [{ timeMs: 1_000 }]);
  t.same(events(c, 'low', 'FailedScheduling')[0], { timeMs: 1_000, message: '0/1 nodes are available: 1 preempted.' });
  t.equal(stored(c, 'urgent').spec.nodeName, 'n1', 'the preemptor binds on the freed node');
});

t.test('Permit rejections and errors in the scheduling cycle', async (t) => {
  const { c } = cluster();
  c.store.create(pod('no', { gate: 'reject' }), 'test');
  c.store.create(pod('err', { gate: 'error' }), 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  t.same(events(c, 'no', 'FailedScheduling'), [{ timeMs: 0, message: '0/1 nodes are available: 1 gate closed.' }]);
  t.match(stored(c, 'no').status.conditions?.find((x: PodCondition) => x.type === 'PodScheduled'), { reason: 'Unschedulable' });
  t.same(events(c, 'err', 'FailedScheduling'), [{ timeMs: 0, message: 'running Permit plugin "Gate": boom' }]);
  t.match(stored(c, 'err').status.conditions?.find((x: PodCondition) => x.type === 'PodScheduled'), { reason: 'SchedulerError' });
  t.equal(c.scheduler.cache.get('n1')!.pods.length, 0, 'both forgotten');
  const failed = c.store.list<Event>('Event');
  t.ok([...failed].length > 0);
});

t.test('a custom module: permit may return {status, timeoutMs}', async (t) => {
  const p = adaptPlugin('M', {
    permit: (_s: unknown, pod: PodInfo) => (pod.pod.metadata.name === 'bad' ? { status: { code: 'Wait' }, timeoutMs: 'soon' } : { status: { code: 'Wait' }, timeoutMs: 5000 }),
  });
  const info = (name: string) => ({ pod: makePod(name) }) as unknown as PodInfo;
  const ok = p.permit!({} as CycleState, info('good'), 'n1') as PermitResult;
  t.equal(ok.status?.code, Code.Wait);
  t.equal(ok.timeoutMs, 5000);
  const bad = p.permit!({} as CycleState, info('bad'), 'n1') as Status;
  t.equal(bad.code, Code.Error);
  t.match(bad.message(), /permit returned timeoutMs string, not a number of milliseconds/);
  const plain = adaptPlugin('P', { permit: () => ({ code: 'Unschedulable', reasons: ['no'] }) });
  t.equal((plain.permit!({} as CycleState, info('x'), 'n1') as Status).code, Code.Unschedulable);
});

t.test('a custom module: preBindPreFlight statuses are adapted too', async (t) => {
  const p = adaptPlugin('F', { preBind: () => null, preBindPreFlight: () => ({ code: 'Skip' }) });
  t.equal((p.preBindPreFlight!({} as CycleState, { pod: makePod('x') } as unknown as PodInfo, 'n1') as Status).code, Code.Skip);
  const q = adaptPlugin('G', { preBind: () => null });
  t.equal(q.preBindPreFlight, undefined, 'absent when the module has none');
});
