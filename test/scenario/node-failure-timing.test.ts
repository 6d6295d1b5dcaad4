// The node-failure example happens at upstream's instants (v1.35 defaults): the last Lease
// renewal before the failure at 1m is at 50s; the node controller's 5s pass first sees
// now > probe + 50s (nodeMonitorGracePeriod) at 1m45s and marks the node Unknown; the
// unreachable NoExecute taint is added on the next 100ms tainting pass (1m45.1s); the pods'
// 300s DefaultTolerationSeconds toleration runs out 300s after the taint eviction controller
// observes the taint (6m45.1s), when it marks the pod for deletion.
import t from 'tap';
import { loadPaths } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import type { Node, Pod } from '../../src/api/types.js';

const file = new URL('../../scenarios/deployment-survives-node-failure.yaml', import.meta.url).pathname;
const [scenario] = loadPaths([file]).scenarios;

t.test('eviction timeline', async (t) => {
  let cluster: Cluster | undefined;
  const unknownAt: number[] = [];
  const taintedAt: number[] = [];
  const evictedAt: number[] = [];
  runScenario(scenario!, {
    keepTrace: true,
    onCluster: (c) => {
      cluster = c;
      c.store.observe((ev, verb, actor) => {
        if (ev.object.kind === 'Node' && ev.object.metadata.name === 'worker-1' && actor === 'node-controller') {
          const n = ev.object as Node;
          if (verb === 'status' && n.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'Unknown')) unknownAt.push(c.sim.nowMs);
          if (verb === 'taint' && n.spec.taints?.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute')) taintedAt.push(c.sim.nowMs);
        }
        if (ev.object.kind === 'Pod' && verb === 'delete-graceful' && actor === 'taint-eviction-controller') evictedAt.push(c.sim.nowMs);
      });
    },
  });
  t.ok(cluster);
  t.same(unknownAt, [105_000], 'Ready=Unknown at 50s (last lease) + 50s grace, on the 5s monitor pass at 1m45s');
  t.same(taintedAt.slice(0, 1), [105_100], 'unreachable:NoExecute on the next 100ms tainting pass');
  t.same(evictedAt, [405_100], 'the one pod on worker-1 evicted 300s after the taint');
  const survivors = [...cluster!.store.list<Pod>('Pod')].filter((p) => p.metadata.deletionTimestamp === undefined);
  t.equal(survivors.length, 3);
  t.ok(survivors.every((p) => p.spec.nodeName !== 'worker-1'));
});

t.test('a shorter grace period moves every instant by the difference', async (t) => {
  const s = { ...scenario!, cluster: { ...scenario!.cluster, controlPlane: { ...scenario!.cluster.controlPlane, nodeMonitorGracePeriodMs: 40_000 } } };
  const evictedAt: number[] = [];
  const r = runScenario(s, {
    onCluster: (c) =>
      c.store.observe((ev, verb, actor) => {
        if (ev.object.kind === 'Pod' && verb === 'delete-graceful' && actor === 'taint-eviction-controller') evictedAt.push(c.sim.nowMs);
      }),
  });
  // 40s (the pre-1.32 default): now > 50s + 40s first holds on the 95s pass.
  t.same(evictedAt, [395_100]);
  t.ok(r.failures.every((f) => f.kind === 'expectation'), 'only timing expectations may move');
});
