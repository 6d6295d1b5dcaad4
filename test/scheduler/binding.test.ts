// The pods/binding subresource as the scheduler's DefaultBinder calls it
// (pkg/registry/core/pod/storage/storage.go setPodNodeAndMetadata, v1.35): it refuses a pod
// being deleted, already assigned, or still gated, and with ClearingNominatedNodeNameAfterBinding
// (beta, on in v1.35) clears status.nominatedNodeName as it binds.
import t from 'tap';
import type { Pod } from '../../src/api/types.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
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
