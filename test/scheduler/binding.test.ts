// The pods/binding subresource as the scheduler's DefaultBinder calls it
// (pkg/registry/core/pod/storage/storage.go setPodNodeAndMetadata, v1.35): it refuses a pod
// being deleted, already assigned, or still gated, and with ClearingNominatedNodeNameAfterBinding
// (beta, on in v1.35) clears status.nominatedNodeName as it binds.
import t from 'tap';
import type { Pod } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import { Code, type MaybeStatus, Status } from '../../src/scheduler/framework/status.js';
import type { AnyPlugin, Handle, PluginFactory } from '../../src/scheduler/framework/types.js';
import { makeNode, makePod } from './fixtures.js';

/** A PreBind plugin that tries handle.bind on other pods first and keeps the answers. */
class Prober implements AnyPlugin {
  readonly name = 'Prober';
  readonly answers: Record<string, string | null> = {};
  constructor(private readonly handle: Handle) {}
  preBind(): null {
    for (const name of ['gated', 'bound', 'leaving']) {
      const p = this.handle.getObject('Pod', 'default', name) as Pod | undefined;
      if (p !== undefined && !(name in this.answers)) this.answers[name] = this.handle.bind(p, 'n1');
    }
    return null;
  }
}

t.test('binding clears nominatedNodeName and refuses gated, assigned and terminating pods', async (t) => {
  let prober: Prober | undefined;
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: {
      profiles: [{ plugins: { preBind: { enabled: [{ name: 'Prober' }] } } }],
      percentageOfNodesToScore: 0,
      plugins: new Map<string, PluginFactory>([['Prober', (_a, h) => (prober = new Prober(h))]]),
    },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
  const spec = { containers: [{ name: 'c', image: 'img' }] };
  c.store.create(makeNode('n1', { cpu: '4', memory: '8Gi', pods: '110' }), 'test');
  c.store.create({ ...makePod('gated', { ...spec, schedulingGates: [{ name: 'wait' }] }), status: {} }, 'test');
  c.store.create({ ...makePod('bound', { ...spec, nodeName: 'n1' }), status: {} }, 'test');
  c.store.create({ ...makePod('leaving', { ...spec, terminationGracePeriodSeconds: 30 }), metadata: { name: 'leaving', namespace: 'default', finalizers: ['example.com/hold'] }, status: {} }, 'test');
  const leaving = c.store.get<Pod>('Pod', 'default', 'leaving')!;
  c.store.update<Pod>({ ...leaving, metadata: { ...leaving.metadata, deletionTimestamp: 0 } }, 'test');
  c.store.create({ ...makePod('p', spec), status: { nominatedNodeName: 'n1' } }, 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  const p = c.store.get<Pod>('Pod', 'default', 'p')!;
  t.equal(p.spec.nodeName, 'n1');
  t.equal(p.status.nominatedNodeName, undefined, 'nominatedNodeName cleared by the binding');
  t.same(prober!.answers, {
    gated: 'pod gated has non-empty .spec.schedulingGates',
    bound: 'pod bound is already assigned to node "n1"',
    leaving: 'pod leaving is being deleted, cannot be assigned to a host',
  });
});

t.test('PreBind and Bind failures: errors as "running ... plugin", rejections with their own message', async (t) => {
  const outcome = (label: string): MaybeStatus => (label === 'error' ? new Status(Code.Error, 'disk gone') : label === 'reject' ? new Status(Code.Unschedulable, 'not now') : null);
  // Binds as DefaultBinder does, unless the pod's label says how to fail.
  const failer = (handle: Handle): AnyPlugin => ({
    name: 'Failer',
    preBind: (_s, pod) => outcome(pod.pod.metadata.labels?.['prebind'] ?? ''),
    bind: (_s, pod, node) => {
      const label = pod.pod.metadata.labels?.['bind'];
      if (label !== undefined) return outcome(label);
      const err = handle.bind(pod.pod, node);
      return err === null ? null : new Status(Code.Error, err);
    },
  });
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: {
      profiles: [{ plugins: { preBind: { enabled: [{ name: 'Failer' }] }, bind: { disabled: [{ name: 'DefaultBinder' }], enabled: [{ name: 'Failer' }] } } }],
      percentageOfNodesToScore: 0,
      plugins: new Map<string, PluginFactory>([['Failer', (_a, h) => failer(h)]]),
    },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
  c.store.create(makeNode('n1', { cpu: '4', memory: '8Gi', pods: '110' }), 'test');
  const spec = { containers: [{ name: 'c', image: 'img' }] };
  for (const [name, labels] of [['pe', { prebind: 'error' }], ['pr', { prebind: 'reject' }], ['be', { bind: 'error' }], ['br', { bind: 'reject' }]] as const) {
    c.store.create({ ...makePod(name, spec, { labels }), status: {} }, 'test');
  }
  c.run({ untilMs: 500, maxSteps: 1e6 });
  const failure = (name: string) => {
    const p = c.store.get<Pod>('Pod', 'default', name)!;
    const cond = p.status.conditions?.find((x) => x.type === 'PodScheduled');
    return { bound: p.spec.nodeName ?? null, reason: cond?.reason, message: cond?.message };
  };
  t.same(failure('pe'), { bound: null, reason: 'SchedulerError', message: 'running PreBind plugin "Failer": disk gone' });
  t.same(failure('pr'), { bound: null, reason: 'Unschedulable', message: 'not now' });
  t.same(failure('be'), { bound: null, reason: 'SchedulerError', message: 'running Bind plugin "Failer": disk gone' });
  t.same(failure('br'), { bound: null, reason: 'Unschedulable', message: 'not now' });
  t.equal(c.scheduler.cache.get('n1')!.pods.length, 0, 'every assumed pod forgotten');
});

t.test('NominatedNodeNameForExpectation: nominatedNodeName is written before PreBind work or a wait at Permit', async (t) => {
  let preBinds = 0;
  const plugin: AnyPlugin = {
    name: 'Work',
    preBindPreFlight: (_s, pod) => (pod.pod.metadata.labels?.['work'] === 'yes' ? null : new Status(Code.Skip)),
    preBind: () => {
      preBinds++;
      return null;
    },
    permit: (_s, pod) => (pod.pod.metadata.labels?.['wait'] === 'yes' ? { status: new Status(Code.Wait), timeoutMs: 60_000 } : null),
  };
  const c = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: {
      profiles: [{ plugins: { preBind: { enabled: [{ name: 'Work' }] }, permit: { enabled: [{ name: 'Work' }] } } }],
      percentageOfNodesToScore: 0,
      plugins: new Map<string, PluginFactory>([['Work', () => plugin]]),
    },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
  const writes: string[] = [];
  c.store.observe((ev, verb) => {
    if (ev.object.kind === 'Pod') writes.push(`${ev.object.metadata.name} ${verb} ${(ev.object as Pod).status?.nominatedNodeName ?? '-'} ${(ev.object as Pod).spec.nodeName ?? '-'}`);
  });
  c.store.create(makeNode('n1', { cpu: '4', memory: '8Gi', pods: '110' }), 'test');
  const spec = { containers: [{ name: 'c', image: 'img' }] };
  c.store.create({ ...makePod('plain', spec), status: {} }, 'test');
  c.store.create({ ...makePod('work', spec, { labels: { work: 'yes' } }), status: {} }, 'test');
  c.store.create({ ...makePod('waits', spec, { labels: { wait: 'yes' } }), status: {} }, 'test');
  c.run({ untilMs: 1_000, maxSteps: 1e6 });
  t.same(writes, [
    'plain create - -',
    'work create - -',
    'waits create - -',
    'plain bind - n1',
    'waits status n1 -',
    'work status n1 -',
    'work bind - n1',
  ]);
  t.equal(preBinds, 1, 'a plugin whose PreBindPreFlight skipped does not run its PreBind');
  t.equal(c.scheduler.queue.where('default/work'), undefined, 'the write of an assumed pod does not queue it');
  t.same(c.scheduler.nominator.forNode('n1'), [], 'nor nominate it');
});
