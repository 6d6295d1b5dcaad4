// comparePolicies over the same random scenarios: MostAllocated packs the nodes it uses fuller
// than LeastAllocated, and the report is the same every time.
import t from 'tap';
import type { SchedulerSetup } from '../../src/cluster/cluster.js';
import { type ComparisonReport, comparePolicies, formatComparison, randomScenarios } from '../../src/fuzz/compare.js';
import { DEFAULT_SCHEDULER } from '../../src/fuzz/fuzz.js';
import { loadText } from '../../src/scenario/load.js';

t.setTimeout(120_000);

/** A bin-packing profile, as scenarios/most-allocated-packing.yaml writes it: NodeResourcesFit
 *  scores with MostAllocated, and the scores that spread (BalancedAllocation, the default
 *  topology spreading) are off. */
const MOST_ALLOCATED: SchedulerSetup = {
  profiles: [
    {
      plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }, { name: 'PodTopologySpread' }] } },
      pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } }],
    },
  ],
  percentageOfNodesToScore: 0,
};
// Random scenarios are mostly constraints and faults; 60 of them, with more pods than nodes, let
// the scoring strategy show through the noise.
const SIZE = { maxNodes: 6, maxPods: 30, maxEvents: 3 };
const N = 60;

t.test('MostAllocated uses the nodes it uses more than LeastAllocated; the numbers are deterministic', async (t) => {
  const scenarios = randomScenarios(N, 42, SIZE);
  t.equal(scenarios.length, N);
  const run = (): ComparisonReport => comparePolicies(DEFAULT_SCHEDULER, MOST_ALLOCATED, scenarios, { names: ['LeastAllocated', 'MostAllocated'] });
  const report = run();
  const [least, most] = report.policies;
  t.ok(most.cpuUtilisation > least.cpuUtilisation, `cpu on used nodes: MostAllocated ${most.cpuUtilisation.toFixed(3)} > LeastAllocated ${least.cpuUtilisation.toFixed(3)}`);
  t.ok(most.cpuUtilisation + most.memoryUtilisation > least.cpuUtilisation + least.memoryUtilisation, 'and cpu and memory together');
  t.equal(least.invariantViolations + most.invariantViolations, 0, 'both keep every invariant');
  t.ok(least.podsScheduled > 0 && most.podsScheduled > 0, 'pods were scheduled');
  t.ok(least.timeToScheduleMsP50 !== null && least.timeToScheduleMsP99! >= least.timeToScheduleMsP50!, 'p99 ≥ p50');
  t.ok(least.fragmentation >= 0 && least.fragmentation <= 1 && most.fragmentation >= 0 && most.fragmentation <= 1, 'fragmentation is a share');
  t.same(run(), report, 'the same scenarios give the same report');
  t.same(comparePolicies(DEFAULT_SCHEDULER, MOST_ALLOCATED, randomScenarios(N, 42, SIZE), { names: ['LeastAllocated', 'MostAllocated'] }), report, 'and the same seed the same scenarios');
  const table = formatComparison(report);
  t.match(table[0]!, /^60 scenarios\s+LeastAllocated\s+MostAllocated$/);
  t.ok(table.some((l) => l.startsWith('cpu / memory use of used nodes')));
});

t.test('a hand-written scenario: spreading strands the cpu a big pod needs, packing does not', async (t) => {
  const yaml = `
name: spread-or-pack
until: 1m
cluster:
  nodes:
    - name: node-{1..3}
      capacity: {cpu: "4", memory: 16Gi}
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: "1", memory: 1Gi}}}]
events:
  - at: 30s
    create:
      apiVersion: v1
      kind: Pod
      metadata: {name: big}
      spec:
        containers: [{name: big, image: big:1, resources: {requests: {cpu: 3500m, memory: 1Gi}}}]
`;
  const loaded = loadText(yaml, 'spread-or-pack.yaml');
  t.same(loaded.errors, []);
  const { policies } = comparePolicies(DEFAULT_SCHEDULER, MOST_ALLOCATED, loaded.scenarios, { names: ['LeastAllocated', 'MostAllocated'] });
  const [least, most] = policies;
  // LeastAllocated: one web pod per node, 3 cpu free on each; the big pod fits nowhere, so the
  // reference request is its 3.5 cpu and all 9 free cpu are stranded.
  t.same([least.podsScheduled, least.podsPending, least.nodesUsed], [3, 1, 3]);
  t.equal(least.cpuUtilisation, 0.25);
  t.equal(least.fragmentation, 1);
  // MostAllocated: the web pods share one node (1 cpu free), the big pod takes another (0.5 free);
  // nothing is pending, so the reference is the median request, 1 cpu: 0.5 of 5.5 free is stranded.
  t.same([most.podsScheduled, most.podsPending, most.nodesUsed], [4, 0, 2]);
  t.equal(most.cpuUtilisation, (3 / 4 + 3.5 / 4) / 2);
  t.equal(most.fragmentation, 0.5 / 5.5);
  t.same([least.timeToScheduleMsP50, most.timeToScheduleMsP99], [0, 0], 'bound at the instant they were created');
  t.same([least.evictions, least.preemptions, least.invariantViolations], [0, 0, 0]);
});
