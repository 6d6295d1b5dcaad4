// Tests for DefaultPreemption (src/scheduler/plugins/default_preemption.ts), transcribed from
// upstream's tables row by row. Every row builds a real Cluster (store + scheduler only, see
// test/scheduler/preemption-harness.ts): nodes, bound pods, PDBs and PriorityClasses live in the
// store, the plugin is the instance of the 'default-scheduler' profile, its CycleState comes from
// the framework's PreFilter.
//
// Upstream runs DryRunPreemption in parallel and breaks pickOneNodeForPreemption ties by Go map
// order; its tests sort candidates and victims by name before comparing. Here candidates are
// compared sorted by name as upstream does, and the victims of each candidate are also asserted
// in the plugin's own order (most important first), which upstream's algorithm produces too
// except where noted. Where an upstream row pins the random offset (getOffsetRand seeded with 4)
// the harness seed (SEED = 104) reproduces the same offsets; the draws are checked first.
//
// Left out (features kubedrill lacks):
//   - TestPostFilter "preemption result filtered out by extenders" (extenders);
//   - TestPostFilter's six "pod with SchedulingGroup ..." rows (pod groups, TopologyAwareWorkloadScheduling,
//     WorkloadAwarePreemption);
//   - TestPostFilter / TestPreempt run each row with async API calls on and off, TestPreempt also with
//     async preemption on and off: kubedrill has neither (victims are deleted at once), each row runs once;
//   - TestPreempt's four extender rows ("Scheduler extenders allow only node1, ...", "Scheduler extenders do
//     not allow any preemption", "One scheduler extender allows only node1, the other returns error but
//     ignorable...", "One scheduler extender allows only node1, but it is not interested in given pod...");
//   - TestCustomSelection / TestCustomOrdering (IsEligiblePod / MoreImportantPod overrides of newer
//     revisions), TestPreEnqueue (async preemption, pod groups);
//   - preemption_test.go's FakePostFilterPlugin internals (its two TestDryRunPreemption rows are mapped
//     onto the real SelectVictimsOnNode, see there).
// Upstream's epochTimeN (N nanoseconds after the epoch) becomes N ms here (kubedrill's clock is in ms).
// Rows whose expectations differ from kubedrill's behaviour are listed in default_preemption.bugs.md
// and left out of this file.
import t from 'tap';
import type { Pod } from '../../../src/api/types.js';
import { Prng } from '../../../src/engine/prng.js';
import { Code, Status } from '../../../src/scheduler/framework/status.js';
import type { NodeToStatus } from '../../../src/scheduler/framework/types.js';
import { type Candidate, moreImportantPod, pickOneNodeForPreemption } from '../../../src/scheduler/plugins/default_preemption.js';
import { ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH } from '../../../src/scheduler/plugins/inter_pod_affinity.js';
import { ERR_REASON_POD as NODE_AFFINITY_ERR_REASON_POD } from '../../../src/scheduler/plugins/node_affinity.js';
import { ERR_REASON as NODE_NAME_ERR_REASON } from '../../../src/scheduler/plugins/node_name.js';
import { ERR_REASON_UNSCHEDULABLE } from '../../../src/scheduler/plugins/node_unschedulable.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from '../../../src/scheduler/plugins/pod_topology_spread.js';
import { ERR_REASON_NOT_MATCH as TAINT_ERR_REASON_NOT_MATCH } from '../../../src/scheduler/plugins/taint_toleration.js';
import {
  Harness,
  SEED,
  type Setup,
  fakeFilter,
  falseFilter,
  matchFilter,
  newTestPlugin,
  node,
  pdb,
  pod,
  statuses,
  summarize,
  trueFilter,
} from '../preemption-harness.js';

const negPriority = -100;
const lowPriority = 0;
const midPriority = 100;
const highPriority = 1000;
const veryHighPriority = 10000;

const smallRes = { cpu: '100m', memory: '100' };
const mediumRes = { cpu: '200m', memory: '200' };
const largeRes = { cpu: '300m', memory: '300' };
const veryLargeRes = { cpu: '500m', memory: '500' };

const LabelKeyIsViolatingPDB = 'test.kubernetes.io/is-violating-pdb';
const LabelValueViolatingPDB = 'violating';
const LabelValueNonViolatingPDB = 'non-violating';

/** Upstream's nodes named "name/zone/region": node `name` labelled hostname, zone, region. */
function nodeFromPath(path: string, capacity = veryLargeRes) {
  const parts = path.split('/');
  const keys = ['hostname', 'zone', 'region'];
  return node(parts[0]!, capacity, Object.fromEntries(parts.map((v, i) => [keys[i]!, v])));
}

/** Every node Unschedulable: what upstream's TestPreempt builds, and what its TestDryRunPreemption /
 *  TestSelectBestCandidate amount to by handing all nodes to DryRunPreemption. */
function allUnschedulable(h: Harness): NodeToStatus {
  return statuses(Object.fromEntries(h.nodes().map((n) => [n.name, Code.Unschedulable])));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

t.test('the harness seed reproduces upstream offsets', async (t) => {
  // getOffsetRand = rand.New(rand.NewSource(4)).Int31n: offsets 4, 1, 3 over 5 nodes.
  const r = new Prng(SEED, 'scheduler/plugins');
  t.same([r.intn(5), r.intn(5), r.intn(5)], [4, 1, 3]);
  for (const n of [2, 3, 4]) t.equal(new Prng(SEED, 'scheduler/plugins').intn(n), 0, `first intn(${n}) draw`);
});

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestPostFilter
// Profile: NodeResourcesFit (PreFilter, Filter) and "test-plugin" (PreFilter). The row's
// filteredNodesStatuses are passed as given (nodes absent from it are absent from the map).
{
  const onePodRes = { pods: '1' };
  const nodeRes = { cpu: '200m', memory: '400' };
  interface Row {
    name: string;
    pod: Pod;
    pods: Pod[];
    pdbs?: ReturnType<typeof pdb>[];
    nodes: ReturnType<typeof node>[];
    statuses: Record<string, Code>;
    /** undefined: upstream's nil result. */
    wantResult: { nominatedNodeName: string } | undefined;
    /** null: Success. */
    wantStatus: { code: Code; message: string } | null;
    /** Pods preempted, in order (derived from upstream's algorithm; its table checks result and status). */
    wantPreempted: string[];
  }
  const p = (name: string, o: Parameters<typeof pod>[1] = {}) => pod(name, o);
  const rows: Row[] = [
    {
      name: 'pod with higher priority can be made schedulable',
      pod: p('p', { priority: highPriority }),
      pods: [p('p1', { node: 'node1' })],
      nodes: [node('node1', onePodRes)],
      statuses: { node1: Code.Unschedulable },
      wantResult: { nominatedNodeName: 'node1' },
      wantStatus: null,
      wantPreempted: ['p1'],
    },
    {
      name: 'pod with tied priority is still unschedulable',
      pod: p('p'),
      pods: [p('p1', { node: 'node1' })],
      nodes: [node('node1', onePodRes)],
      statuses: { node1: Code.Unschedulable },
      wantResult: { nominatedNodeName: '' },
      wantStatus: { code: Code.Unschedulable, message: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
      wantPreempted: [],
    },
    {
      name: 'preemption should respect filteredNodesStatuses',
      pod: p('p', { priority: highPriority }),
      pods: [p('p1', { node: 'node1' })],
      nodes: [node('node1', onePodRes)],
      statuses: { node1: Code.UnschedulableAndUnresolvable },
      wantResult: { nominatedNodeName: '' },
      wantStatus: { code: Code.Unschedulable, message: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' },
      wantPreempted: [],
    },
    {
      name: 'preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable',
      pod: p('p', { priority: highPriority }),
      pods: [p('p1', { node: 'node1' })],
      nodes: [node('node1', onePodRes)],
      statuses: {},
      wantResult: { nominatedNodeName: '' },
      wantStatus: { code: Code.Unschedulable, message: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' },
      wantPreempted: [],
    },
    {
      name: 'pod can be made schedulable on one node',
      pod: p('p', { priority: midPriority }),
      pods: [p('p1', { priority: highPriority, node: 'node1' }), p('p2', { priority: lowPriority, node: 'node2' })],
      nodes: [node('node1', onePodRes), node('node2', onePodRes)],
      statuses: { node1: Code.Unschedulable, node2: Code.Unschedulable },
      wantResult: { nominatedNodeName: 'node2' },
      wantStatus: null,
      wantPreempted: ['p2'],
    },
    {
      // node1 loses p1 and p2 (the preemptor needs the only pod slot; p2 violates its PDB), node2
      // loses p3 (violates its PDB): one violation each, node2's top victim has the lower priority.
      name: 'pod can be made schedulable on minHighestPriority node',
      pod: p('p', { priority: veryHighPriority }),
      pods: [
        p('p1', { labels: { [LabelKeyIsViolatingPDB]: LabelValueNonViolatingPDB }, priority: highPriority, node: 'node1' }),
        p('p2', { labels: { [LabelKeyIsViolatingPDB]: LabelValueViolatingPDB }, priority: lowPriority, node: 'node1' }),
        p('p3', { labels: { [LabelKeyIsViolatingPDB]: LabelValueViolatingPDB }, priority: midPriority, node: 'node2' }),
      ],
      pdbs: [
        pdb('violating-pdb', { [LabelKeyIsViolatingPDB]: LabelValueViolatingPDB }, { minAvailable: '100%' }),
        pdb('non-violating-pdb', { [LabelKeyIsViolatingPDB]: LabelValueNonViolatingPDB }, { minAvailable: 0, disruptionsAllowed: 2147483647 }),
      ],
      nodes: [node('node1', onePodRes), node('node2', onePodRes)],
      statuses: { node1: Code.Unschedulable, node2: Code.Unschedulable },
      wantResult: { nominatedNodeName: 'node2' },
      wantStatus: null,
      wantPreempted: ['p3'],
    },
    {
      name: 'no candidate nodes found, no enough resource after removing low priority pods',
      pod: p('p', { priority: highPriority, req: largeRes }),
      pods: [p('p1', { node: 'node1' }), p('p2', { node: 'node2' })],
      nodes: [node('node1', nodeRes), node('node2', nodeRes)],
      statuses: { node1: Code.Unschedulable, node2: Code.Unschedulable },
      wantResult: { nominatedNodeName: '' },
      wantStatus: { code: Code.Unschedulable, message: 'preemption: 0/2 nodes are available: 2 Insufficient cpu.' },
      wantPreempted: [],
    },
    {
      name: 'no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource',
      pod: p('p', { priority: highPriority, req: largeRes }),
      pods: [p('p1', { node: 'node1', priority: highPriority }), p('p2', { node: 'node2' }), p('p3', { node: 'node3', priority: highPriority })],
      nodes: [node('node1', onePodRes), node('node2', nodeRes), node('node3', onePodRes)],
      statuses: { node1: Code.Unschedulable, node2: Code.Unschedulable, node3: Code.Unschedulable },
      wantResult: { nominatedNodeName: '' },
      wantStatus: { code: Code.Unschedulable, message: 'preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.' },
      wantPreempted: [],
    },
    {
      name: "no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource",
      pod: p('p', { priority: highPriority, req: largeRes }),
      pods: [p('p1', { node: 'node1' }), p('p2', { node: 'node2' })],
      nodes: [node('node1', nodeRes), node('node2', nodeRes), node('node3', nodeRes), node('node4', nodeRes)],
      statuses: { node1: Code.Unschedulable, node2: Code.Unschedulable, node4: Code.UnschedulableAndUnresolvable },
      wantResult: { nominatedNodeName: '' },
      wantStatus: { code: Code.Unschedulable, message: 'preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.' },
      wantPreempted: [],
    },
    // "only one node but failed with TestPlugin": see default_preemption.bugs.md.
    {
      name: 'one failed with TestPlugin and the other pass',
      pod: p('p', { priority: highPriority, req: largeRes }),
      pods: [p('p1', { node: 'node1' }), p('p2', { node: 'node2', req: mediumRes })],
      nodes: [node('node1', largeRes, { error: 'true' }), node('node2', largeRes)],
      statuses: { node1: Code.Unschedulable, node2: Code.Unschedulable },
      wantResult: { nominatedNodeName: 'node2' },
      wantStatus: null,
      wantPreempted: ['p2'],
    },
  ];
  t.test('TestPostFilter', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const h = new Harness({ nodes: row.nodes, pods: row.pods, pdbs: row.pdbs ?? [], plugins: ['NodeResourcesFit', 'test-plugin'], extra: { 'test-plugin': newTestPlugin } });
        const { state, info, preFilter } = h.prepare(row.pod);
        t.equal(preFilter, null, 'PreFilter succeeds');
        const { result, status } = h.postFilter(state, info, statuses(row.statuses));
        t.same(result, row.wantResult, 'result');
        t.same(status === null ? null : { code: status.code, message: status.message() }, row.wantStatus, 'status');
        t.same(h.preempted(), row.wantPreempted, 'preempted pods');
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestDryRunPreemption
// Profile: FakeFilter (counts Filter calls; fakeFilterRC for every node), then the row's plugins.
// Nodes: capacity veryLargeRes, labels hostname/zone/region from "name/zone/region". Upstream hands
// every node to DryRunPreemption; here every node is Unschedulable in the map.
{
  interface Cand {
    name: string;
    /** Upstream's expectation, sorted by name as its test sorts them. */
    victims: string[];
    numPDBViolations?: number;
    /** The plugin's order (most important first), when it differs from `victims`. */
    order?: string[];
  }
  interface Row {
    name: string;
    args?: { minCandidateNodesPercentage: number; minCandidateNodesAbsolute: number };
    nodeNames: string[];
    testPods: Pod[];
    initPods: Pod[];
    plugins: string[];
    extra?: Setup['extra'];
    pdbs?: ReturnType<typeof pdb>[];
    fakeFilterRC?: Code;
    expected: Cand[][];
    expectedNumFilterCalled: number[];
  }
  const nodes12 = ['node1', 'node2'];
  const nodes1to5 = ['node1', 'node2', 'node3', 'node4', 'node5'];
  const antiFoo = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' as const }] }, topologyKey: 'hostname' }] } };
  const existsFoo = { matchExpressions: [{ key: 'foo', operator: 'Exists' as const }] };
  const rows: Row[] = [
    {
      name: 'a pod that does not fit on any node',
      plugins: ['FalseFilter'],
      extra: { FalseFilter: falseFilter },
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority })],
      initPods: [pod('p1', { node: 'node1', priority: midPriority }), pod('p2', { node: 'node2', priority: midPriority })],
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: 'a pod that fits with no preemption',
      plugins: ['TrueFilter'],
      extra: { TrueFilter: trueFilter },
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority })],
      initPods: [pod('p1', { node: 'node1', priority: midPriority }), pod('p2', { node: 'node2', priority: midPriority })],
      expected: [[]],
      fakeFilterRC: Code.Unschedulable,
      expectedNumFilterCalled: [2],
    },
    {
      name: 'a pod that fits on one node with no preemption',
      plugins: ['MatchFilter'],
      extra: { MatchFilter: matchFilter },
      nodeNames: nodes12,
      // Name the pod as "node1" to fit "MatchFilter" plugin.
      testPods: [pod('node1', { priority: highPriority })],
      initPods: [pod('p1', { node: 'node1', priority: midPriority }), pod('p2', { node: 'node2', priority: midPriority })],
      expected: [[]],
      fakeFilterRC: Code.Unschedulable,
      expectedNumFilterCalled: [2],
    },
    {
      name: 'a pod that fits on both nodes when lower priority pods are preempted',
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [pod('p1', { node: 'node1', priority: midPriority, req: largeRes }), pod('p2', { node: 'node2', priority: midPriority, req: largeRes })],
      expected: [[{ name: 'node1', victims: ['p1'] }, { name: 'node2', victims: ['p2'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen',
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes12,
      testPods: [pod('p', { priority: lowPriority, req: largeRes })],
      initPods: [pod('p1', { node: 'node1', priority: midPriority, req: largeRes }), pod('p2', { node: 'node2', priority: midPriority, req: largeRes })],
      expected: [[]],
      expectedNumFilterCalled: [0],
    },
    {
      name: 'medium priority pod is preempted, but lower priority one stays as it is small',
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [
        pod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: largeRes }),
        pod('p2', { node: 'node2', priority: midPriority, req: largeRes }),
      ],
      expected: [[{ name: 'node1', victims: ['p1.2'] }, { name: 'node2', victims: ['p2'] }]],
      expectedNumFilterCalled: [5],
    },
    {
      name: 'mixed priority pods are preempted',
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: smallRes }),
        pod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p1.3', { node: 'node1', priority: midPriority, req: mediumRes }),
        pod('p1.4', { node: 'node1', priority: highPriority, req: smallRes }),
        pod('p2', { node: 'node2', priority: highPriority, req: largeRes }),
      ],
      // p1.1 is reprieved whichever of p1.1/p1.3 (equal priority, not started) is tried first.
      expected: [[{ name: 'node1', victims: ['p1.2', 'p1.3'], order: ['p1.3', 'p1.2'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'mixed priority pods are preempted, pick later StartTime one when priorities are equal',
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [
        pod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes, startTime: 5 }),
        pod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes, startTime: 4 }),
        pod('p1.3', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 3 }),
        pod('p1.4', { node: 'node1', priority: highPriority, req: smallRes, startTime: 2 }),
        pod('p2', { node: 'node2', priority: highPriority, req: largeRes, startTime: 1 }),
      ],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.3'], order: ['p1.3', 'p1.1'] }]],
      expectedNumFilterCalled: [4], // no preemption would happen on node2 and no filter call is counted.
    },
    {
      name: 'pod with anti-affinity is preempted',
      plugins: ['NodeResourcesFit', 'InterPodAffinity'],
      nodeNames: nodes12,
      testPods: [pod('p', { labels: { foo: '' }, priority: highPriority, req: smallRes })],
      initPods: [
        pod('p1.1', { node: 'node1', labels: { foo: '' }, priority: lowPriority, req: smallRes, affinity: antiFoo }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: smallRes }),
        pod('p1.3', { node: 'node1', priority: highPriority, req: smallRes }),
        pod('p2', { node: 'node2', priority: highPriority, req: smallRes }),
      ],
      expected: [[{ name: 'node1', victims: ['p1.1'] }]],
      expectedNumFilterCalled: [3], // no preemption would happen on node2 and no filter call is counted.
    },
    {
      name: 'preemption to resolve pod topology spread filter failure',
      plugins: ['PodTopologySpread'],
      nodeNames: ['node-a/zone1', 'node-b/zone1', 'node-x/zone2'],
      testPods: [
        pod('p', {
          labels: { foo: '' },
          priority: highPriority,
          spread: [
            { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: existsFoo },
            { maxSkew: 1, topologyKey: 'hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: existsFoo },
          ],
        }),
      ],
      initPods: [
        pod('pod-a1', { node: 'node-a', labels: { foo: '' }, priority: midPriority }),
        pod('pod-a2', { node: 'node-a', labels: { foo: '' }, priority: lowPriority }),
        pod('pod-b1', { node: 'node-b', labels: { foo: '' }, priority: lowPriority }),
        pod('pod-x1', { node: 'node-x', labels: { foo: '' }, priority: highPriority }),
        pod('pod-x2', { node: 'node-x', labels: { foo: '' }, priority: highPriority }),
      ],
      expected: [[{ name: 'node-a', victims: ['pod-a2'] }, { name: 'node-b', victims: ['pod-b1'] }]],
      expectedNumFilterCalled: [5], // node-a (3), node-b (2), node-x (0)
    },
    {
      name: 'get Unschedulable in the preemption phase when the filter plugins filtering the nodes',
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes12,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [pod('p1', { node: 'node1', priority: midPriority, req: largeRes }), pod('p2', { node: 'node2', priority: midPriority, req: largeRes })],
      fakeFilterRC: Code.Unschedulable,
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      // p1.2 is the PDB-violating one (the budget of 1 goes to p1.1), tried first.
      name: 'preemption with violation of same pdb',
      plugins: ['NodeResourcesFit'],
      nodeNames: ['node1'],
      testPods: [pod('p', { priority: highPriority, req: veryLargeRes })],
      initPods: [pod('p1.1', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes }), pod('p1.2', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes })],
      pdbs: [pdb('pdb', { app: 'foo' }, { disruptionsAllowed: 1 })],
      // order: kubedrill's (unstarted pods count as started now, so p1.1 and p1.2 tie and the sort
      // keeps the reprieve order); upstream's final sort compares two time.Now() calls here.
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], numPDBViolations: 1, order: ['p1.2', 'p1.1'] }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim doesn't belong to DisruptedPods",
      plugins: ['NodeResourcesFit'],
      nodeNames: ['node1'],
      testPods: [pod('p', { priority: highPriority, req: veryLargeRes })],
      initPods: [pod('p1.1', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes }), pod('p1.2', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes })],
      pdbs: [pdb('pdb', { app: 'foo' }, { disruptionsAllowed: 1, disruptedPods: ['p2'] })],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], numPDBViolations: 1, order: ['p1.2', 'p1.1'] }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: 'preemption with violation of the pdb with pod whose eviction was processed, the victim belongs to DisruptedPods',
      plugins: ['NodeResourcesFit'],
      nodeNames: ['node1'],
      testPods: [pod('p', { priority: highPriority, req: veryLargeRes })],
      initPods: [pod('p1.1', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes }), pod('p1.2', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes })],
      pdbs: [pdb('pdb', { app: 'foo' }, { disruptionsAllowed: 1, disruptedPods: ['p1.2'] })],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim which belongs to DisruptedPods is treated as 'nonViolating'",
      plugins: ['NodeResourcesFit'],
      nodeNames: ['node1'],
      testPods: [pod('p', { priority: highPriority, req: veryLargeRes })],
      initPods: [
        pod('p1.1', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes }),
        pod('p1.2', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes }),
        pod('p1.3', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: mediumRes }),
      ],
      pdbs: [pdb('pdb', { app: 'foo' }, { disruptionsAllowed: 1, disruptedPods: ['p1.3'] })],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2', 'p1.3'], numPDBViolations: 1, order: ['p1.2', 'p1.1', 'p1.3'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'all nodes are possible candidates, but DefaultPreemptionArgs limits to 2',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes1to5,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: nodes1to5.map((n, i) => pod(`p${i + 1}`, { node: n, priority: midPriority, req: largeRes })),
      // cycle=0 => offset=4 => node5 (yes), node1 (yes)
      expected: [[{ name: 'node1', victims: ['p1'] }, { name: 'node5', victims: ['p5'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'some nodes are not possible candidates, DefaultPreemptionArgs limits to 2',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes1to5,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [
        pod('p1', { node: 'node1', priority: midPriority, req: largeRes }),
        pod('p2', { node: 'node2', priority: veryHighPriority, req: largeRes }),
        pod('p3', { node: 'node3', priority: midPriority, req: largeRes }),
        pod('p4', { node: 'node4', priority: midPriority, req: largeRes }),
        pod('p5', { node: 'node5', priority: veryHighPriority, req: largeRes }),
      ],
      // cycle=0 => offset=4 => node5 (no), node1 (yes), node2 (no), node3 (yes)
      expected: [[{ name: 'node1', victims: ['p1'] }, { name: 'node3', victims: ['p3'] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: 'preemption offset across multiple scheduling cycles and wrap around',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes1to5,
      testPods: ['tp1', 'tp2', 'tp3'].map((n) => pod(n, { priority: highPriority, req: largeRes })),
      initPods: nodes1to5.map((n, i) => pod(`p${i + 1}`, { node: n, priority: midPriority, req: largeRes })),
      expected: [
        // cycle=0 => offset=4 => node5 (yes), node1 (yes)
        [{ name: 'node1', victims: ['p1'] }, { name: 'node5', victims: ['p5'] }],
        // cycle=1 => offset=1 => node2 (yes), node3 (yes)
        [{ name: 'node2', victims: ['p2'] }, { name: 'node3', victims: ['p3'] }],
        // cycle=2 => offset=3 => node4 (yes), node5 (yes)
        [{ name: 'node4', victims: ['p4'] }, { name: 'node5', victims: ['p5'] }],
      ],
      expectedNumFilterCalled: [4, 4, 4],
    },
    {
      name: 'preemption looks past numCandidates until a non-PDB violating node is found',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 2 },
      plugins: ['NodeResourcesFit'],
      nodeNames: nodes1to5,
      testPods: [pod('p', { priority: highPriority, req: largeRes })],
      initPods: [
        pod('p1', { node: 'node1', labels: { app: 'foo' }, priority: midPriority, req: largeRes }),
        pod('p2', { node: 'node2', labels: { app: 'foo' }, priority: midPriority, req: largeRes }),
        pod('p3', { node: 'node3', priority: midPriority, req: largeRes }),
        pod('p4', { node: 'node4', priority: midPriority, req: largeRes }),
        pod('p5', { node: 'node5', labels: { app: 'foo' }, priority: midPriority, req: largeRes }),
      ],
      pdbs: [pdb('pdb', { app: 'foo' }, { disruptionsAllowed: 0 })],
      // cycle=0 => offset=4 => node5 (yes, pdb), node1 (yes, pdb), node2 (no, pdb), node3 (yes)
      expected: [
        [
          { name: 'node1', victims: ['p1'], numPDBViolations: 1 },
          { name: 'node3', victims: ['p3'] },
          { name: 'node5', victims: ['p5'], numPDBViolations: 1 },
        ],
      ],
      expectedNumFilterCalled: [8],
    },
  ];
  t.test('TestDryRunPreemption', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const fake = fakeFilter(Object.fromEntries(row.nodeNames.map((n) => [n, row.fakeFilterRC ?? Code.Success])));
        const h = new Harness({
          nodes: row.nodeNames.map((n) => nodeFromPath(n)),
          pods: row.initPods,
          pdbs: row.pdbs ?? [],
          plugins: ['FakeFilter', ...row.plugins],
          extra: { FakeFilter: fake.factory, ...row.extra },
          ...(row.args ? { args: row.args } : {}),
        });
        let prev = 0;
        row.testPods.forEach((testPod, cycle) => {
          const { state, info, preFilter } = h.prepare(testPod);
          t.equal(preFilter, null, `cycle ${cycle}: PreFilter succeeds`);
          const { candidates } = h.findCandidates(state, info, allUnschedulable(h));
          t.equal(fake.calls() - prev, row.expectedNumFilterCalled[cycle], `cycle ${cycle}: NumFilterCalled`);
          prev = fake.calls();
          const got = candidates.map(summarize).sort((a, b) => byName(a.name, b.name));
          const want = row.expected[cycle]!.map((c) => ({ name: c.name, victims: c.victims, numPDBViolations: c.numPDBViolations ?? 0 }));
          t.same(got.map((c) => ({ ...c, victims: [...c.victims].sort(byName) })), want, `cycle ${cycle}: candidates (victims sorted by name, as upstream)`);
          t.same(
            got.map((c) => c.victims),
            row.expected[cycle]!.map((c) => c.order ?? c.victims),
            `cycle ${cycle}: victims in the plugin's order`,
          );
        });
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/preemption/preemption_test.go TestDryRunPreemption
// Upstream drives DryRunPreemption with a FakePostFilterPlugin whose SelectVictimsOnNode returns the
// node's first pod and a fixed numViolatingVictim. Mapped onto the real plugin: each node holds one
// pod slot (so that pod is the victim) and, for numViolatingVictim 1, the victims are covered by a
// PDB allowing no disruption. No plugin but NodeResourcesFit (for the slot).
{
  const rows = [
    { name: 'no pdb violation', numViolatingVictim: 0 },
    { name: 'pdb violation on each node', numViolatingVictim: 1 },
  ];
  t.test('TestDryRunPreemption (preemption package)', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const labels = { app: 'x' };
        const h = new Harness({
          nodes: [node('node1', { ...veryLargeRes, pods: '1' }), node('node2', { ...veryLargeRes, pods: '1' })],
          pods: [pod('p1', { node: 'node1', priority: midPriority, labels }), pod('p2', { node: 'node2', priority: midPriority, labels })],
          pdbs: row.numViolatingVictim ? [pdb('pdb', labels, { disruptionsAllowed: 0 })] : [],
          plugins: ['NodeResourcesFit'],
        });
        const { state, info } = h.prepare(pod('p', { priority: highPriority }));
        const { candidates } = h.findCandidates(state, info, allUnschedulable(h));
        t.same(
          candidates.map(summarize).sort((a, b) => byName(a.name, b.name)),
          [
            { name: 'node1', victims: ['p1'], numPDBViolations: row.numViolatingVictim },
            { name: 'node2', victims: ['p2'], numPDBViolations: row.numViolatingVictim },
          ],
        );
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestSelectBestCandidate
// Profile: NodeResourcesFit. Nodes: capacity veryLargeRes. DryRunPreemption over every node, then
// SelectCandidate (pickOneNodeForPreemption).
{
  const rows: Array<{ name: string; nodeNames: string[]; pod: Pod; pods: Pod[]; expected: string; note?: string }> = [
    {
      name: 'a pod that fits on both nodes when lower priority pods are preempted',
      nodeNames: ['node1', 'node2'],
      pod: pod('p', { priority: highPriority, req: largeRes }),
      pods: [pod('p1', { node: 'node1', priority: midPriority, req: largeRes, startTime: 0 }), pod('p2', { node: 'node2', priority: midPriority, req: largeRes, startTime: 0 })],
      // Upstream accepts node1 or node2 (a full tie, broken by Go map order). kubedrill takes the
      // first candidate in dry-run order; SEED's first intn(2) draw is 0, so the dry run starts at
      // node1 and node1 is chosen.
      expected: 'node1',
    },
    {
      name: 'node with min highest priority pod is picked',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: largeRes, startTime: 0 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p2.2', { node: 'node2', priority: lowPriority, req: mediumRes, startTime: 0 }),
        pod('p3.1', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: 0 }),
        pod('p3.2', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: 0 }),
      ],
      expected: 'node3',
    },
    {
      name: 'when highest priorities are the same, minimum sum of priorities is picked',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: largeRes, startTime: 0 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: largeRes, startTime: 0 }),
        pod('p2.2', { node: 'node2', priority: lowPriority, req: mediumRes, startTime: 0 }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p3.2', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 0 }),
      ],
      expected: 'node2',
    },
    {
      name: 'when highest priority and sum are the same, minimum number of pods is picked',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: smallRes, startTime: 0 }),
        pod('p1.2', { node: 'node1', priority: negPriority, req: smallRes, startTime: 0 }),
        pod('p1.3', { node: 'node1', priority: midPriority, req: smallRes, startTime: 0 }),
        pod('p1.4', { node: 'node1', priority: negPriority, req: smallRes, startTime: 0 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: largeRes, startTime: 0 }),
        pod('p2.2', { node: 'node2', priority: negPriority, req: mediumRes, startTime: 0 }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p3.2', { node: 'node3', priority: negPriority, req: smallRes, startTime: 0 }),
        pod('p3.3', { node: 'node3', priority: lowPriority, req: smallRes, startTime: 0 }),
      ],
      expected: 'node2',
    },
    {
      // pickOneNodeForPreemption adjusts pod priorities when finding the sum of the victims. This
      // test ensures that the logic works correctly.
      name: 'sum of adjusted priorities is considered',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: smallRes, startTime: 0 }),
        pod('p1.2', { node: 'node1', priority: negPriority, req: smallRes, startTime: 0 }),
        pod('p1.3', { node: 'node1', priority: negPriority, req: smallRes, startTime: 0 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: largeRes, startTime: 0 }),
        pod('p2.2', { node: 'node2', priority: negPriority, req: mediumRes, startTime: 0 }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p3.2', { node: 'node3', priority: negPriority, req: smallRes, startTime: 0 }),
        pod('p3.3', { node: 'node3', priority: lowPriority, req: smallRes, startTime: 0 }),
      ],
      expected: 'node2',
    },
    {
      name: 'non-overlapping lowest high priority, sum priorities, and number of pods',
      nodeNames: ['node1', 'node2', 'node3', 'node4'],
      pod: pod('p', { priority: veryHighPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: smallRes, startTime: 0 }),
        pod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes, startTime: 0 }),
        pod('p1.3', { node: 'node1', priority: lowPriority, req: smallRes, startTime: 0 }),
        pod('p2.1', { node: 'node2', priority: highPriority, req: largeRes, startTime: 0 }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p3.2', { node: 'node3', priority: lowPriority, req: smallRes, startTime: 0 }),
        pod('p3.3', { node: 'node3', priority: lowPriority, req: smallRes, startTime: 0 }),
        pod('p3.4', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: 0 }),
        pod('p4.1', { node: 'node4', priority: midPriority, req: mediumRes, startTime: 0 }),
        pod('p4.2', { node: 'node4', priority: midPriority, req: smallRes, startTime: 0 }),
        pod('p4.3', { node: 'node4', priority: midPriority, req: smallRes, startTime: 0 }),
        pod('p4.4', { node: 'node4', priority: negPriority, req: smallRes, startTime: 0 }),
      ],
      expected: 'node1',
    },
    {
      name: "same priority, same number of victims, different start time for each node's pod",
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 2 }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 2 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: mediumRes, startTime: 3 }),
        pod('p2.2', { node: 'node2', priority: midPriority, req: mediumRes, startTime: 3 }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 1 }),
        pod('p3.2', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 1 }),
      ],
      expected: 'node2',
    },
    {
      name: 'same priority, same number of victims, different start time for all pods',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 4 }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 2 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: mediumRes, startTime: 5 }),
        pod('p2.2', { node: 'node2', priority: midPriority, req: mediumRes, startTime: 1 }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 3 }),
        pod('p3.2', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 6 }),
      ],
      expected: 'node3',
    },
    {
      name: 'different priority, same number of victims, different start time for all pods',
      nodeNames: ['node1', 'node2', 'node3'],
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: lowPriority, req: mediumRes, startTime: 4 }),
        pod('p1.2', { node: 'node1', priority: midPriority, req: mediumRes, startTime: 2 }),
        pod('p2.1', { node: 'node2', priority: midPriority, req: mediumRes, startTime: 6 }),
        pod('p2.2', { node: 'node2', priority: lowPriority, req: mediumRes, startTime: 1 }),
        pod('p3.1', { node: 'node3', priority: lowPriority, req: mediumRes, startTime: 3 }),
        pod('p3.2', { node: 'node3', priority: midPriority, req: mediumRes, startTime: 5 }),
      ],
      expected: 'node2',
    },
  ];
  t.test('TestSelectBestCandidate', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const h = new Harness({ nodes: row.nodeNames.map((n) => node(n, veryLargeRes)), pods: row.pods, plugins: ['NodeResourcesFit'] });
        const { state, info, preFilter } = h.prepare(row.pod);
        t.equal(preFilter, null, 'PreFilter succeeds');
        const { candidates } = h.findCandidates(state, info, allUnschedulable(h));
        t.equal(pickOneNodeForPreemption(candidates, h.cluster.sim.nowMs), row.expected);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestPodEligibleToPreemptOthers
// The reason is asserted too (upstream returns it next to the bool; PostFilter reports it as
// "preemption: <reason>").
{
  const terminatingByPreemption = [{ type: 'DisruptionTarget', status: 'True' as const, reason: 'PreemptionByScheduler' }];
  const rows: Array<{ name: string; pod: Pod; pods: Pod[]; nodes: string[]; nominatedNodeStatus: Status | undefined; expected: string | null }> = [
    {
      name: 'Pod with nominated node',
      pod: pod('p_with_nominated_node', { priority: highPriority, nominatedNodeName: 'node1' }),
      pods: [pod('p1', { priority: lowPriority, node: 'node1', terminating: true })],
      nodes: ['node1'],
      nominatedNodeStatus: new Status(Code.UnschedulableAndUnresolvable, TAINT_ERR_REASON_NOT_MATCH),
      expected: null,
    },
    {
      name: 'Pod without nominated node',
      pod: pod('p_without_nominated_node', { priority: highPriority }),
      pods: [],
      nodes: [],
      nominatedNodeStatus: undefined,
      expected: null,
    },
    {
      name: "Pod with 'PreemptNever' preemption policy",
      pod: pod('p_with_preempt_never_policy', { priority: highPriority, preemptionPolicy: 'Never' }),
      pods: [],
      nodes: [],
      nominatedNodeStatus: undefined,
      expected: 'not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition',
      pod: pod('p_with_nominated_node', { priority: highPriority, nominatedNodeName: 'node1' }),
      pods: [pod('p1', { priority: lowPriority, node: 'node1', terminating: true, conditions: terminatingByPreemption })],
      nodes: ['node1'],
      nominatedNodeStatus: undefined,
      expected: 'not eligible due to a terminating pod on the nominated node.',
    },
    {
      name: 'non-victim Pods terminating',
      pod: pod('p_with_nominated_node', { priority: highPriority, nominatedNodeName: 'node1' }),
      pods: [pod('p1', { priority: lowPriority, node: 'node1', terminating: true })],
      nodes: ['node1'],
      nominatedNodeStatus: undefined,
      expected: null,
    },
  ];
  t.test('TestPodEligibleToPreemptOthers', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const h = new Harness({ nodes: row.nodes.map((n) => node(n)), pods: row.pods, plugins: [] });
        t.equal(h.eligible(row.pod, row.nominatedNodeStatus), row.expected, 'eligibility');
        if (row.expected !== null) {
          // Through PostFilter: Unschedulable "preemption: <reason>", no result.
          const { state, info } = h.prepare(row.pod);
          // The scheduler gives PostFilter a status for every node; a row without one stands for a
          // node that failed as Unschedulable (a missing entry would read as unresolvable).
          const m: NodeToStatus = new Map();
          m.set(row.pod.status.nominatedNodeName!, row.nominatedNodeStatus ?? new Status(Code.Unschedulable));
          const { result, status } = h.postFilter(state, info, m);
          t.equal(result, undefined, 'no PostFilterResult');
          t.same(status && { code: status.code, message: status.message() }, { code: Code.Unschedulable, message: `preemption: ${row.expected}` });
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestPreempt
// Nodes: capacity veryLargeRes, labels hostname/zone/region from "name/zone/region". Upstream sets
// every node Unschedulable; here the map is what the scheduler would pass (runFilter on every node),
// checked first to be Unschedulable everywhere. Then, as upstream, Preempt runs again for the pod
// now nominated, with every node UnschedulableAndUnresolvable (upstream's NewDefaultNodeToStatus(),
// whose absent nodes read as UnschedulableAndUnresolvable), and must preempt nothing more.
{
  const rows: Array<{ name: string; pod: Pod; pods: Pod[]; nodeNames: string[]; plugin: string; want: string | undefined; expectedPods: string[] }> = [
    {
      name: 'basic preemption logic',
      pod: pod('p', { priority: highPriority, req: veryLargeRes, preemptionPolicy: 'PreemptLowerPriority' }),
      pods: [
        pod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p2.1', { node: 'node2', priority: highPriority, req: largeRes }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes }),
      ],
      nodeNames: ['node1', 'node2', 'node3'],
      plugin: 'NodeResourcesFit',
      want: 'node1',
      expectedPods: ['p1.1', 'p1.2'],
    },
    {
      name: 'preemption for topology spread constraints',
      pod: pod('p', {
        labels: { foo: '' },
        priority: highPriority,
        spread: [
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } },
          { maxSkew: 1, topologyKey: 'hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } },
        ],
      }),
      pods: [
        pod('p-a1', { node: 'node-a', labels: { foo: '' }, priority: highPriority }),
        pod('p-a2', { node: 'node-a', labels: { foo: '' }, priority: highPriority }),
        pod('p-b1', { node: 'node-b', labels: { foo: '' }, priority: lowPriority }),
        pod('p-x1', { node: 'node-x', labels: { foo: '' }, priority: highPriority }),
        pod('p-x2', { node: 'node-x', labels: { foo: '' }, priority: highPriority }),
      ],
      nodeNames: ['node-a/zone1', 'node-b/zone1', 'node-x/zone2'],
      plugin: 'PodTopologySpread',
      want: 'node-b',
      expectedPods: ['p-b1'],
    },
    {
      name: 'no preempting in pod',
      pod: pod('p', { priority: highPriority, req: veryLargeRes, preemptionPolicy: 'Never' }),
      pods: [
        pod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p2.1', { node: 'node2', priority: highPriority, req: largeRes }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes }),
      ],
      nodeNames: ['node1', 'node2', 'node3'],
      plugin: 'NodeResourcesFit',
      want: undefined,
      expectedPods: [],
    },
    {
      name: 'PreemptionPolicy is nil',
      pod: pod('p', { priority: highPriority, req: veryLargeRes }),
      pods: [
        pod('p1.1', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p1.2', { node: 'node1', priority: lowPriority, req: smallRes }),
        pod('p2.1', { node: 'node2', priority: highPriority, req: largeRes }),
        pod('p3.1', { node: 'node3', priority: midPriority, req: mediumRes }),
      ],
      nodeNames: ['node1', 'node2', 'node3'],
      plugin: 'NodeResourcesFit',
      want: 'node1',
      expectedPods: ['p1.1', 'p1.2'],
    },
  ];
  t.test('TestPreempt', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const h = new Harness({ nodes: row.nodeNames.map((n) => nodeFromPath(n)), pods: row.pods, plugins: [row.plugin] });
        const { state, info, preFilter } = h.prepare(row.pod);
        t.equal(preFilter, null, 'PreFilter succeeds');
        const m = h.filterStatuses(state, info);
        t.same(
          [...m].map(([n, s]) => [n, s.code]),
          h.nodes().map((n) => [n.name, Code.Unschedulable]),
          'the scheduler would pass every node as Unschedulable',
        );
        const { result, status } = h.postFilter(state, info, m);
        t.equal(result?.nominatedNodeName, row.want, 'nominated node');
        if (row.want === undefined) {
          t.same(status && { code: status.code, message: status.message() }, { code: Code.Unschedulable, message: 'preemption: not eligible due to preemptionPolicy=Never.' });
        } else t.equal(status, null, 'success');
        t.same(h.preempted(), row.expectedPods, 'preempted pods, in order');
        for (const name of row.expectedPods) {
          const v = h.storedPod(name)!;
          t.not(v.metadata.deletionTimestamp, undefined, `${name} is being deleted`);
          const c = v.status.conditions?.find((x) => x.type === 'DisruptionTarget');
          t.same(c && { status: c.status, reason: c.reason, message: c.message }, { status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }, `${name} DisruptionTarget condition`);
          const ev = h.cluster.events.occurrences.find((e) => e.reason === 'Preempted' && e.involvedObject.name === name);
          t.equal(ev?.message, `Preempted by pod ${row.pod.metadata.uid} on node ${row.want}`, `${name} Preempted event`);
        }
        // Call preempt again and make sure it doesn't preempt any more pods.
        h.settle();
        const again = row.want === undefined ? row.pod : { ...row.pod, status: { ...row.pod.status, nominatedNodeName: row.want } };
        const second = h.prepare(again);
        const none = statuses(Object.fromEntries(h.nodes().map((n) => [n.name, Code.UnschedulableAndUnresolvable])));
        const r2 = h.postFilter(second.state, second.info, none);
        if (row.want === undefined) {
          t.same(r2, { status: new Status(Code.Unschedulable, 'preemption: not eligible due to preemptionPolicy=Never.') }, 'still not eligible');
        } else {
          t.same(r2.result, { nominatedNodeName: '' }, 'no node nominated');
          t.same(
            r2.status && { code: r2.status.code, message: r2.status.message() },
            { code: Code.Unschedulable, message: `preemption: 0/${row.nodeNames.length} nodes are available: ${row.nodeNames.length} Preemption is not helpful for scheduling.` },
          );
        }
        t.same(h.preempted(), row.expectedPods, 'no more pods preempted');
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/preemption/preemption_test.go TestNodesWherePreemptionMightHelp
// The stored revision of this table predates NodeToStatus: a node missing from its map was tried.
// In v1.35 nodes missing from the map read as UnschedulableAndUnresolvable (NodesForStatusCode), so
// each row's missing nodes are given an explicit Unschedulable status here, keeping the expected
// sets. kubedrill filters inside findCandidates: every node holds one low-priority pod in its only
// pod slot, so each node tried becomes a candidate; the candidate set is the set of nodes tried.
{
  const U = Code.Unschedulable;
  const UU = Code.UnschedulableAndUnresolvable;
  const rows: Array<{ name: string; nodesStatuses: Record<string, [Code, string]>; expected: string[] }> = [
    {
      name: 'No node should be attempted',
      nodesStatuses: {
        node1: [UU, NODE_AFFINITY_ERR_REASON_POD],
        node2: [UU, NODE_NAME_ERR_REASON],
        node3: [UU, TAINT_ERR_REASON_NOT_MATCH],
        node4: [UU, ERR_REASON_AFFINITY_RULES_NOT_MATCH],
      },
      expected: [],
    },
    {
      name: 'ErrReasonAntiAffinityRulesNotMatch should be tried as it indicates that the pod is unschedulable due to inter-pod anti-affinity',
      nodesStatuses: {
        node1: [U, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH],
        node2: [UU, NODE_NAME_ERR_REASON],
        node3: [UU, ERR_REASON_UNSCHEDULABLE],
        node4: [U, ''],
      },
      expected: ['node1', 'node4'],
    },
    {
      name: 'ErrReasonAffinityRulesNotMatch should not be tried as it indicates that the pod is unschedulable due to inter-pod affinity, but ErrReasonAntiAffinityRulesNotMatch should be tried as it indicates that the pod is unschedulable due to inter-pod anti-affinity',
      nodesStatuses: {
        node1: [UU, ERR_REASON_AFFINITY_RULES_NOT_MATCH],
        node2: [U, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH],
        node3: [U, ''],
        node4: [U, ''],
      },
      expected: ['node2', 'node3', 'node4'],
    },
    {
      name: 'Mix of failed predicates works fine',
      nodesStatuses: {
        node1: [UU, 'node(s) had no available disk'], // volumerestrictions.ErrReasonDiskConflict
        node2: [U, 'Insufficient memory'],
        node3: [U, ''],
        node4: [U, ''],
      },
      expected: ['node2', 'node3', 'node4'],
    },
    {
      name: 'Node condition errors should be considered unresolvable',
      nodesStatuses: {
        node1: [UU, 'node(s) had unknown conditions'], // nodeunschedulable.ErrReasonUnknownCondition
        node2: [U, ''],
        node3: [U, ''],
        node4: [U, ''],
      },
      expected: ['node2', 'node3', 'node4'],
    },
    {
      name: 'ErrVolume... errors should not be tried as it indicates that the pod is unschedulable due to no matching volumes for pod on node',
      nodesStatuses: {
        node1: [UU, 'node(s) had no available volume zone'], // volumezone.ErrReasonConflict
        node2: [UU, "node(s) didn't match PersistentVolume's node affinity"], // volumebinding.ErrReasonNodeConflict
        node3: [UU, "node(s) didn't find available persistent volumes to bind"], // volumebinding.ErrReasonBindConflict
        node4: [U, ''],
      },
      expected: ['node4'],
    },
    {
      name: 'ErrReasonConstraintsNotMatch should be tried as it indicates that the pod is unschedulable due to topology spread constraints',
      nodesStatuses: {
        node1: [U, ERR_REASON_CONSTRAINTS_NOT_MATCH],
        node2: [UU, NODE_NAME_ERR_REASON],
        node3: [U, ERR_REASON_CONSTRAINTS_NOT_MATCH],
        node4: [U, ''],
      },
      expected: ['node1', 'node3', 'node4'],
    },
    {
      name: 'UnschedulableAndUnresolvable status should be skipped but Unschedulable should be tried',
      nodesStatuses: {
        node1: [U, ''],
        node2: [UU, ''],
        node3: [U, ''],
        node4: [UU, ''],
      },
      expected: ['node1', 'node3'],
    },
    {
      name: "ErrReasonNodeLabelNotMatch should not be tried as it indicates that the pod is unschedulable due to node doesn't have the required label",
      nodesStatuses: {
        node1: [U, ''],
        node2: [UU, ERR_REASON_NODE_LABEL_NOT_MATCH],
        node3: [U, ''],
        node4: [UU, ''],
      },
      expected: ['node1', 'node3'],
    },
  ];
  t.test('TestNodesWherePreemptionMightHelp', async (t) => {
    for (const row of rows) {
      t.test(row.name, async (t) => {
        const names = ['node1', 'node2', 'node3', 'node4'];
        const h = new Harness({
          nodes: names.map((n) => node(n, { pods: '1' })),
          pods: names.map((n, i) => pod(`p${i + 1}`, { node: n, priority: lowPriority })),
          plugins: ['NodeResourcesFit'],
        });
        const { state, info } = h.prepare(pod('p', { priority: highPriority }));
        const m: NodeToStatus = new Map(Object.entries(row.nodesStatuses).map(([n, [code, reason]]) => [n, reason === '' ? new Status(code, '') : new Status(code, reason)]));
        const { candidates, nodeStatuses } = h.findCandidates(state, info, m);
        t.same(candidates.map((c) => c.name).sort(byName), row.expected);
        if (row.expected.length === 0) t.equal(nodeStatuses.size, 0, 'nothing was dry-run');
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/util/utils_test.go TestMoreImportantPod
{
  const currentTime = 1_000_000;
  const withStart = (name: string, priority: number, startTime: number) => pod(name, { priority, startTime });
  const pod1 = withStart('pod1', 1, currentTime);
  const pod2 = withStart('pod2', 2, currentTime + 1000);
  const pod3 = withStart('pod3', 2, currentTime);
  const rows = [
    { name: 'Pod with higher priority', p1: pod1, p2: pod2, expected: false },
    { name: 'Pod with older created time', p1: pod2, p2: pod3, expected: false },
    { name: 'Pods with same start time', p1: pod3, p2: pod1, expected: true },
  ];
  t.test('TestMoreImportantPod', async (t) => {
    for (const row of rows) t.equal(moreImportantPod(row.p1, row.p2, currentTime + 5000), row.expected, row.name);
  });
}

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/util/utils_test.go TestGetEarliestPodStartTime
// GetEarliestPodStartTime is not exported here; it is pickOneNodeForPreemption's last criterion
// (latest earliest start of the highest-priority victims wins). Each case's victims are one
// candidate, raced against candidates tied on every earlier criterion (same priorities, same
// count, no PDB violation) whose earliest start is the expected time −1 ms and +1 ms: the first
// must lose and the second win, which pins the victims' earliest start to the expected time.
{
  const currentTime = 1_000_000;
  const second = 1000;
  const withStart = (name: string, priority: number, startTime: number) => pod(name, { priority, startTime });
  const cases = [
    {
      name: 'the earliest of the highest-priority victims (pod3)',
      victims: [withStart('pod1', 1, currentTime + second), withStart('pod2', 2, currentTime + second), withStart('pod3', 2, currentTime)],
      expected: currentTime,
    },
    {
      name: 'the earliest of equal-priority victims (pod1)',
      victims: [withStart('pod1', 2, currentTime), withStart('pod2', 2, currentTime + second), withStart('pod3', 2, currentTime + 2 * second)],
      expected: currentTime,
    },
  ];
  t.test('TestGetEarliestPodStartTime', async (t) => {
    for (const c of cases) {
      const cand: Candidate = { name: 'victims', victims: c.victims, numPDBViolations: 0 };
      const rival = (name: string, start: number): Candidate => ({ name, victims: c.victims.map((v) => ({ ...v, status: { ...v.status, startTime: start } })), numPDBViolations: 0 });
      t.equal(pickOneNodeForPreemption([rival('earlier', c.expected - 1), cand], currentTime), 'victims', `${c.name}: later than expected−1ms`);
      t.equal(pickOneNodeForPreemption([cand, rival('later', c.expected + 1)], currentTime), 'later', `${c.name}: earlier than expected+1ms`);
    }
  });
}

// pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go TestPostFilter,
// row "only one node but failed with TestPlugin": an Error from a dry run, with no candidate,
// is the PostFilter's answer (Evaluator.Preempt: `if err != nil && len(candidates) == 0`).
t.test('TestPostFilter: only one node but failed with TestPlugin', async (t) => {
  const h = new Harness({ nodes: [node('node1', largeRes, { error: 'true' })], pods: [pod('p1', { node: 'node1' })], plugins: ['NodeResourcesFit', 'test-plugin'], extra: { 'test-plugin': newTestPlugin } });
  const { state, info } = h.prepare(pod('p', { priority: highPriority, req: largeRes }));
  const { result, status } = h.postFilter(state, info, statuses({ node1: Code.Unschedulable }));
  t.equal(result, undefined);
  t.equal(status?.code, Code.Error);
  t.same(status?.reasons, ['preemption: running RemovePod on PreFilter plugin "test-plugin": failed to remove pod: p']);
});

// Same file, TestPreempt's second Preempt call with framework.NewDefaultNodeToStatus(): a node
// missing from the map reads as UnschedulableAndUnresolvable, so the pod is eligible again.
t.test('TestPreempt: a nominated node missing from the status map counts as unresolvable', async (t) => {
  const h = new Harness({ nodes: [node('node1', largeRes)], pods: [pod('p1', { node: 'node1' })], plugins: ['NodeResourcesFit'] });
  const preemptor = pod('p', { priority: highPriority, req: largeRes });
  const again = { ...preemptor, status: { nominatedNodeName: 'node1' } } as Pod;
  const { state, info } = h.prepare(again);
  const { result, status } = h.postFilter(state, info, new Map() as NodeToStatus);
  t.same(result, { nominatedNodeName: '' });
  t.same(status && [status.code, status.message()], [Code.Unschedulable, 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.']);
});
