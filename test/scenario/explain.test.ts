// explainPod: one scheduling attempt taken apart, checked on the example scenarios and on small
// inline ones (ties, percentageOfNodesToScore sampling, PreFilter narrowing, nominated pods).
import t from 'tap';
import type { Pod } from '../../src/api/types.js';
import { type ExplainOutcome, type ExplainResult, explainPod } from '../../src/scenario/explain.js';
import { loadFile, loadText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import type { Scenario } from '../../src/scenario/types.js';

const root = new URL('../../', import.meta.url).pathname;

function scenario(file: string): Scenario {
  const r = loadFile(root + file);
  if (r.errors.length || r.scenarios.length !== 1) throw new Error(`cannot load ${file}: ${JSON.stringify(r.errors)}`);
  return r.scenarios[0]!;
}

function inline(text: string): Scenario {
  const r = loadText(text, root + 'inline.yaml');
  if (r.errors.length) throw new Error(JSON.stringify(r.errors));
  return r.scenarios[0]!;
}

function explained(r: ExplainOutcome): ExplainResult {
  if ('error' in r) throw new Error(r.error);
  return r;
}

/** The pods the scheduler attempted, in order of their first attempt, and where each ended up
 *  in a plain run (no explain hook). */
function plainRun(s: Scenario, seed?: number): { attempted: string[]; nodeOf: Map<string, string | undefined> } {
  const attempted: string[] = [];
  const nodeOf = new Map<string, string | undefined>();
  runScenario(s, {
    ...(seed !== undefined ? { seed } : {}),
    onCluster: (cluster) => {
      cluster.scheduler.observe((a) => {
        if (!attempted.includes(a.pod.key)) attempted.push(a.pod.key);
      });
      cluster.sim.onInstantEnd(() => {
        for (const p of cluster.store.list<Pod>('Pod')) nodeOf.set(`${p.metadata.namespace ?? 'default'}/${p.metadata.name}`, p.spec.nodeName);
      });
    },
  });
  return { attempted, nodeOf };
}

const SKIPPED_BY_PREFILTER = ['NodeAffinity', 'NodePorts', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity'];

t.test('pending-insufficient-cpu: every node fails, with its first failing filter and reason', async (t) => {
  const r = explained(explainPod(scenario('scenarios/pending-insufficient-cpu.yaml'), { pod: 'big' }));
  t.equal(r.pod, 'default/big');
  t.equal(r.timeMs, 0);
  t.equal(r.attempt, 1);
  t.equal(r.profile, 'default-scheduler');
  t.equal(r.nodeCount, 3);
  t.equal(r.evaluatedNodes, 3);
  t.equal(r.feasibleNodes, 0);
  t.same(r.preFilter.skippedFilters, SKIPPED_BY_PREFILTER);
  t.same(r.outcome, {
    kind: 'unschedulable',
    message: '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    unschedulablePlugins: ['NodeResourcesFit', 'TaintToleration'],
    postFilter: { plugins: ['DefaultPreemption'], message: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', victims: [] },
  });
  t.same(
    r.nodes.map((n) => [n.node, n.status, n.failure]),
    [
      ['small-1', 'infeasible', { plugin: 'NodeResourcesFit', code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] }],
      ['small-2', 'infeasible', { plugin: 'NodeResourcesFit', code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] }],
      ['gpu-1', 'infeasible', { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint(s)'] }],
    ],
  );
  const gpu = r.nodes.find((n) => n.node === 'gpu-1')!;
  t.same(gpu.filters, [
    { plugin: 'NodeUnschedulable', verdict: 'pass' },
    { plugin: 'NodeName', verdict: 'pass' },
    { plugin: 'TaintToleration', verdict: 'fail', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint(s)'], first: true },
    { plugin: 'NodeAffinity', verdict: 'skip' },
    { plugin: 'NodePorts', verdict: 'skip' },
    { plugin: 'NodeResourcesFit', verdict: 'pass' },
    { plugin: 'VolumeRestrictions', verdict: 'skip' },
    { plugin: 'NodeVolumeLimits', verdict: 'skip' },
    { plugin: 'VolumeBinding', verdict: 'skip' },
    { plugin: 'VolumeZone', verdict: 'skip' },
    { plugin: 'PodTopologySpread', verdict: 'skip' },
    { plugin: 'InterPodAffinity', verdict: 'skip' },
  ]);
  const small = r.nodes.find((n) => n.node === 'small-1')!;
  t.same(
    small.filters.map((f) => [f.plugin, f.verdict]),
    [
      ['NodeUnschedulable', 'pass'],
      ['NodeName', 'pass'],
      ['TaintToleration', 'pass'],
      ['NodeAffinity', 'skip'],
      ['NodePorts', 'skip'],
      ['NodeResourcesFit', 'fail'],
      ['VolumeRestrictions', 'skip'],
      ['NodeVolumeLimits', 'skip'],
      ['VolumeBinding', 'skip'],
      ['VolumeZone', 'skip'],
      ['PodTopologySpread', 'skip'],
      ['InterPodAffinity', 'skip'],
    ],
  );
  t.equal(r.scores, undefined, 'no scoring without feasible nodes');
  t.equal(r.decision, undefined);
  t.equal(r.notes, undefined);
});

t.test('pending-insufficient-cpu at 2m: the added node is the only feasible one once its not-ready taint is lifted', async (t) => {
  const joined = explained(explainPod(scenario('scenarios/pending-insufficient-cpu.yaml'), { pod: 'default/big', atMs: 120_000 }));
  t.equal(joined.timeMs, 120_000);
  t.equal(joined.attempt, 2, 'attempts counted from the start: at 0s, then when big-1 joins (its own status write does not requeue it)');
  t.equal(joined.outcome.kind, 'unschedulable', 'big-1 joins with the not-ready NoSchedule taint (TaintNodesByCondition)');
  t.same(
    joined.nodes.map((n) => [n.node, n.status]),
    [
      ['small-1', 'infeasible'],
      ['small-2', 'infeasible'],
      ['gpu-1', 'infeasible'],
      ['big-1', 'infeasible'],
    ],
  );
  const r = explained(explainPod(scenario('scenarios/pending-insufficient-cpu.yaml'), { pod: 'default/big', atMs: 120_000, attempt: 2 }));
  t.equal(r.timeMs, 120_000);
  t.equal(r.attempt, 3, 'the node controller lifting the taint (Node/UpdateNodeTaint) requeues it');
  t.equal(r.nodeCount, 4);
  t.same(r.outcome, { kind: 'scheduled', node: 'big-1', bound: true });
  t.same(r.decision, { kind: 'only-feasible', chosen: 'big-1' });
  t.same(
    r.nodes.map((n) => [n.node, n.status]),
    [
      ['small-1', 'infeasible'],
      ['small-2', 'infeasible'],
      ['gpu-1', 'infeasible'],
      ['big-1', 'feasible'],
    ],
  );
  t.equal(r.scores, undefined, 'one feasible node: the cycle does not score');
  // The N-th attempt at or after --at, and attempts counted from the start.
  const first = explained(explainPod(scenario('scenarios/pending-insufficient-cpu.yaml'), { pod: 'big', attempt: 1 }));
  t.equal(first.timeMs, 0);
  t.equal(first.outcome.kind, 'unschedulable');
  const second = explained(explainPod(scenario('scenarios/pending-insufficient-cpu.yaml'), { pod: 'big', attempt: 2 }));
  t.equal(second.attempt, 2);
  t.equal(second.timeMs, 120_000);
});

t.test('taints-and-tolerations: TaintToleration scores show why general-2 lost', async (t) => {
  const s = scenario('scenarios/taints-and-tolerations.yaml');
  const plain = plainRun(s);
  const web = plain.attempted.filter((k) => k.startsWith('default/web-'));
  t.equal(web.length, 2);
  const r = explained(explainPod(s, { pod: web[0]! }));
  t.same(r.outcome, { kind: 'scheduled', node: 'general-1', bound: true });
  t.equal(plain.nodeOf.get(web[0]!), 'general-1', 'the plain run bound it to the same node');
  t.same(
    r.nodes.map((n) => [n.node, n.status, n.failure?.plugin]),
    [
      ['db-1', 'infeasible', 'TaintToleration'],
      ['general-1', 'feasible', undefined],
      ['general-2', 'feasible', undefined],
    ],
  );
  const s1 = r.scores!;
  t.same(s1.nodes, ['general-1', 'general-2']);
  const row = (p: string) => s1.plugins.find((x) => x.plugin === p)!;
  t.same(row('TaintToleration'), { plugin: 'TaintToleration', weight: 3, skipped: false, raw: [0, 1], normalized: [100, 0], weighted: [300, 0] });
  t.same(row('NodeAffinity'), { plugin: 'NodeAffinity', weight: 2, skipped: true, raw: [], normalized: [], weighted: [] });
  t.same(row('InterPodAffinity').skipped, true);
  t.same(row('PodTopologySpread').weighted, [200, 200]);
  t.same(row('NodeResourcesFit').weight, 1);
  t.same(
    s1.plugins.map((p) => p.plugin),
    ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'ImageLocality'],
  );
  // The totals are the weighted sums.
  for (let i = 0; i < 2; i++) t.equal(s1.totals[i], s1.plugins.reduce((sum, p) => sum + (p.skipped ? 0 : p.weighted[i]!), 0));
  t.same(s1.totals, [692, 392]);
  t.same(r.decision, {
    kind: 'scored',
    chosen: 'general-1',
    topScore: 692,
    tiedAtTop: ['general-1'],
    losers: [{ node: 'general-2', total: 392, behindBy: 300, reason: 'lower-score', differences: [{ plugin: 'TaintToleration', chosen: 300, node: 0, diff: 300 }] }],
  });

  // The second web pod sees the first one on general-1: general-2 is ahead on spreading and
  // resources, and still loses on TaintToleration.
  const r2 = explained(explainPod(s, { pod: web[1]! }));
  const d2 = r2.decision!;
  t.equal(d2.chosen, 'general-1');
  t.equal(plain.nodeOf.get(web[1]!), 'general-1');
  if (d2.kind !== 'scored') throw new Error('expected a scored decision');
  const loser = d2.losers[0]!;
  t.equal(loser.node, 'general-2');
  t.equal(loser.reason, 'lower-score');
  t.equal(loser.differences[0]!.plugin, 'TaintToleration');
  t.equal(loser.differences[0]!.diff, 300);
  t.ok(loser.differences.some((d) => d.plugin === 'PodTopologySpread' && d.diff < 0), 'general-2 ahead on PodTopologySpread');
  t.equal(loser.behindBy, loser.differences.reduce((sum, d) => sum + d.diff, 0));
});

t.test('preemption: the PostFilter message, the nomination and the victim', async (t) => {
  const s = scenario('scenarios/preemption.yaml');
  const r = explained(explainPod(s, { pod: 'payments' }));
  t.equal(r.timeMs, 60_000);
  t.equal(r.priority, 1_000_000);
  t.equal(r.seed, 3);
  if (r.outcome.kind !== 'unschedulable') throw new Error(`unexpected outcome ${r.outcome.kind}`);
  t.equal(r.outcome.message, '0/2 nodes are available: 2 Insufficient cpu.');
  t.same(r.outcome.unschedulablePlugins, ['NodeResourcesFit']);
  const pf = r.outcome.postFilter!;
  t.same(pf.plugins, ['DefaultPreemption']);
  t.equal(pf.message, '', 'preemption succeeded: no PostFilter message');
  t.equal(pf.nominatedNodeName, 'node-1');
  t.equal(pf.victims.length, 1);
  t.match(pf.victims[0]!, { pod: /^default\/batch-[a-z0-9]{5}$/, node: 'node-1' });
  t.same(
    r.nodes.map((n) => [n.node, n.failure]),
    [
      ['node-1', { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
      ['node-2', { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
    ],
  );

  const next = explained(explainPod(s, { pod: 'payments', attempt: 2 }));
  t.same(next.outcome, { kind: 'scheduled', node: 'node-1', bound: true });
  t.same(next.decision, { kind: 'only-feasible', chosen: 'node-1' });

  // The victim's replacement is filtered with payments nominated to node-1, and cannot preempt.
  const victim = pf.victims[0]!.pod;
  const plain = plainRun(s);
  const replacement = plain.attempted.filter((k) => k.startsWith('default/batch-') && k !== victim).find((k) => plain.nodeOf.get(k) === undefined)!;
  t.ok(replacement, 'a pending replacement exists');
  const rep = explained(explainPod(s, { pod: replacement, atMs: 60_000 }));
  if (rep.outcome.kind !== 'unschedulable') throw new Error('expected unschedulable');
  t.match(rep.outcome.message, /preemption: 0\/2 nodes are available: 2 No preemption victims found for incoming pod\.$/);
  t.equal(rep.outcome.postFilter!.nominatedNodeName, undefined);
  const n1 = rep.nodes.find((n) => n.node === 'node-1')!;
  t.same(n1.nominatedPods, ['default/payments']);
  t.equal(n1.withNominatedPods, true);
  t.equal(n1.failure!.plugin, 'NodeResourcesFit');
});

const TIE = `name: tie
seed: 5
until: 1m
cluster:
  nodes:
    - name: n-{1..3}
      capacity: {cpu: "4", memory: 16Gi}
  objects:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
`;

t.test('a tie at the top score is lost to the seeded tie-break, and matches the real run', async (t) => {
  const s = inline(TIE);
  const winners = new Set<string>();
  for (const seed of [0, 1, 2, 3, 4, 5]) {
    const r = explained(explainPod(s, { pod: 'p', seed }));
    t.equal(r.seed, seed);
    const d = r.decision!;
    if (d.kind !== 'scored') throw new Error('expected a scored decision');
    t.same(d.tiedAtTop, ['n-1', 'n-2', 'n-3']);
    t.same(r.scores!.totals, [474, 474, 474]);
    t.equal(d.losers.length, 2);
    for (const l of d.losers) {
      t.equal(l.reason, 'tie-break');
      t.equal(l.behindBy, 0);
      t.same(l.differences, []);
    }
    t.equal(plainRun(s, seed).nodeOf.get('default/p'), d.chosen, `seed ${seed}: the plain run bound the pod to ${d.chosen}`);
    winners.add(d.chosen);
  }
  t.ok(winners.size > 1, `the seed decides the tie (winners: ${[...winners].join(', ')})`);
});

const MANY = `name: many
until: 1m
cluster:
  nodes:
    - name: node-{1..120}
      capacity: {cpu: "4", memory: 16Gi}
  objects:
    - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
    - {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
`;

t.test('percentageOfNodesToScore: nodes the scan never reached are "not evaluated"', async (t) => {
  const s = inline(MANY);
  const a = explained(explainPod(s, { pod: 'a' }));
  t.same(a.sampling, { percentage: 0, nodesToFind: 100, startIndex: 0 });
  t.same(
    a.nodes.filter((n) => n.status === 'not-evaluated').map((n) => n.node),
    Array.from({ length: 20 }, (_, i) => `node-${101 + i}`),
  );
  // The second pod's scan starts where the first stopped (index 100) and wraps around.
  const b = explained(explainPod(s, { pod: 'b' }));
  t.same(b.sampling, { percentage: 0, nodesToFind: 100, startIndex: 100 });
  t.equal(b.evaluatedNodes, 100);
  t.equal(b.feasibleNodes, 100);
  t.same(
    b.nodes.filter((n) => n.status === 'not-evaluated').map((n) => n.node),
    Array.from({ length: 20 }, (_, i) => `node-${81 + i}`),
  );
  t.same(b.nodes.find((n) => n.node === 'node-90')!.filters, [], 'no verdicts for a node the cycle did not evaluate');
  t.equal(b.scores!.nodes.length, 100);
  t.equal(b.scores!.nodes[0], 'node-101', 'scores in scan order');
  t.equal(b.nodes.find((n) => n.node === 'node-101')!.scanIndex, 0);
  t.equal(b.notes, undefined, 'the replay agrees with the cycle');
  const d = b.decision!;
  if (d.kind !== 'scored') throw new Error('expected a scored decision');
  t.ok(d.tiedAtTop.includes(d.chosen));
  t.equal(plainRun(s).nodeOf.get('default/b'), d.chosen);
});

const NARROW = `name: narrow
until: 1m
cluster:
  nodes:
    - name: n-{1..3}
      capacity: {cpu: "4", memory: 16Gi}
  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: pinned}
      spec:
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n-2]}]}]
        containers: [{name: c, image: busybox}]
`;

t.test('PreFilter narrowing: the other nodes are excluded with its reason', async (t) => {
  const r = explained(explainPod(inline(NARROW), { pod: 'pinned' }));
  t.same(r.preFilter.narrowedTo, { plugins: ['NodeAffinity'], nodes: ['n-2'] });
  t.same(
    r.nodes.map((n) => [n.node, n.status]),
    [
      ['n-1', 'excluded'],
      ['n-2', 'feasible'],
      ['n-3', 'excluded'],
    ],
  );
  t.same(r.nodes[0]!.failure, { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"] });
  t.same(r.nodes[0]!.filters, []);
  t.equal(r.evaluatedNodes, 1);
  t.same(r.outcome, { kind: 'scheduled', node: 'n-2', bound: true });
});

t.test('errors: unknown pod, no attempt at that time, malformed reference', async (t) => {
  const s = scenario('scenarios/pending-insufficient-cpu.yaml');
  const unknown = explainPod(s, { pod: 'nope' });
  t.match(unknown, { error: /^pod default\/nope was never attempted by the scheduler in scenario "pending-insufficient-cpu" \(run until 5m0s\); pods attempted: default\/big$/ });
  t.match(explainPod(s, { pod: 'kube-system/big' }), { error: /pod kube-system\/big was never attempted/ });
  t.match(explainPod(s, { pod: 'big', atMs: 4 * 60_000 }), { error: /^pod default\/big has no scheduling attempt at or after 4m0s; its \d+ attempt\(s\) were at 0s, / });
  t.match(explainPod(s, { pod: 'big', attempt: 99 }), { error: /^pod default\/big has \d+ scheduling attempt\(s\), not 99; / });
  t.match(explainPod(s, { pod: 'a/b/c' }), { error: /--pod must be/ });
  t.match(explainPod(s, { pod: 'big', attempt: 0 }), { error: /--attempt must be a positive integer/ });
});

t.test('explaining is deterministic and plain data', async (t) => {
  const s = scenario('scenarios/preemption.yaml');
  const a = explainPod(s, { pod: 'payments' });
  const b = explainPod(s, { pod: 'payments' });
  t.same(a, b);
  t.same(JSON.parse(JSON.stringify(a)), a, 'survives a JSON round trip');
});
