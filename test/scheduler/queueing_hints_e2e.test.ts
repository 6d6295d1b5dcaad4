// The scheduler's event handlers hand each event's old and new objects to the queue, and the
// default profile's plugins' QueueingHint functions decide (src/scheduler/scheduler.ts,
// pkg/scheduler/eventhandlers.go with SchedulerQueueingHints on): a pod NodeAffinity rejected
// stays in unschedulablePods on an unrelated node label update (isSchedulableAfterNodeChange
// returns QueueSkip) and is retried when the node comes to match.
import t from 'tap';
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import type { Node, Pod } from '../../src/api/types.js';
import { makeNode, makePod } from './fixtures.js';

function cluster(): Cluster {
  return new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: { profiles: [], percentageOfNodesToScore: 0, plugins: new Map() },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
}

function must<T>(r: { ok: true; object: T } | { ok: false; message: string }): T {
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

t.test('NodeAffinity: unrelated label updates leave the pod waiting; a matching one retries it', async (t) => {
  const c = cluster();
  const store = c.store;
  must(store.create(makeNode('n1', { cpu: '4', memory: '8Gi', pods: '110' }), 'test'));
  const pod: Pod = { ...makePod('p', { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'img' }] }), metadata: { name: 'p', namespace: 'default' } };
  must(store.create(pod, 'test'));
  c.run({ untilMs: 20_000, maxSteps: 1e6 });
  const q = c.scheduler.queue;
  t.equal(q.where('default/p'), 'unschedulable', 'rejected by NodeAffinity');
  const attempts = c.scheduler.failedAttempts;

  const label = (labels: Record<string, string>) => {
    const n = store.get<Node>('Node', undefined, 'n1')!;
    must(store.update<Node>({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, ...labels } } }, 'test'));
  };
  label({ zone: 'a' });
  c.run({ untilMs: 40_000, maxSteps: 1e6 });
  t.equal(q.where('default/p'), 'unschedulable', 'an unrelated label: QueueSkip');
  t.equal(c.scheduler.failedAttempts, attempts, 'no new attempt');

  label({ disk: 'ssd' });
  c.run({ untilMs: 60_000, maxSteps: 1e6 });
  t.equal(store.get<Pod>('Pod', 'default', 'p')!.spec.nodeName, 'n1', 'the matching label queues the pod and it binds');
});
