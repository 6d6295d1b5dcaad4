// NodeResourcesFit scoring with the RequestedToCapacityRatio strategy (src/scheduler/plugins/node_resources_fit.ts)
// and the broken-linear function (src/scheduler/plugins/helper/shape_score.ts).
import t, { type Test } from 'tap';
import type { Pod, ResourceList } from '../../../src/api/types.js';
import { Code, type Status } from '../../../src/scheduler/framework/status.js';
import { CycleState, MAX_NODE_SCORE, NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import { buildBrokenLinearFunction } from '../../../src/scheduler/plugins/helper/shape_score.js';
import { NodeResourcesFit, type ResourceSpec, type UtilizationShapePoint } from '../../../src/scheduler/plugins/node_resources_fit.js';
import { makeNode, makePod } from '../fixtures.js';

let seq = 0;

/** st.MakePod(): each Req() is one container; .Node() places it. */
function stPod(opts: { node?: string; req?: ResourceList[] } = {}): Pod {
  return makePod(`pod-${seq++}`, {
    ...(opts.node ? { nodeName: opts.node } : {}),
    containers: (opts.req ?? []).map((r, i) => ({ name: `c${i}`, image: 'img', resources: { requests: r } })),
  });
}

/** st.MakeNode().Name(name).Capacity(capacity): capacity and allocatable alike. */
const stNode = (name: string, capacity: ResourceList = {}) => ({ name, capacity });

/** cache.NewSnapshot(existingPods, nodes): each pod on the node its spec names. */
function snapshot(nodes: Array<{ name: string; capacity: ResourceList }>, pods: Pod[]): NodeInfo[] {
  return nodes.map(({ name, capacity }) => {
    const ni = new NodeInfo(makeNode(name, capacity));
    for (const p of pods) if (p.spec.nodeName === name) ni.addPod(PodInfo.of(p));
    return ni;
  });
}

/** PreScore, then Score on every node, with one CycleState; a Status scores 0, as upstream. */
function scoreEach(plugin: NodeResourcesFit, pod: Pod, nodes: NodeInfo[]): Array<{ name: string; score: number; code: Code }> {
  const state = new CycleState();
  const info = PodInfo.of(pod);
  const pre = plugin.preScore(state, info);
  if (pre !== null) throw new Error(`PreScore: ${pre.toString()}`);
  return nodes.map((n) => {
    const r: number | Status = plugin.score(state, info, n);
    return typeof r === 'number' ? { name: n.name, score: r, code: Code.Success } : { name: n.name, score: 0, code: r.code };
  });
}

const requestedToCapacityRatio = (resources: ResourceSpec[], shape: UtilizationShapePoint[]) =>
  new NodeResourcesFit({ ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: { type: 'RequestedToCapacityRatio', resources, requestedToCapacityRatio: { shape } } });

/** noderesources/test_util.go makeNode(name, milliCPU, memory, extendedResource). */
const makeNodeWith = (name: string, milliCPU: number, memory: number, extended: Record<string, number> = {}) => {
  const capacity: ResourceList = { cpu: `${milliCPU}m`, memory: `${memory}` };
  for (const [k, v] of Object.entries(extended)) capacity[k] = `${v}`;
  return { name, capacity };
};

function checkScores(t: Test, plugin: NodeResourcesFit, pod: Pod, nodes: Array<{ name: string; capacity: ResourceList }>, existing: Pod[], expected: number[]): void {
  const got = scoreEach(plugin, pod, snapshot(nodes, existing));
  t.same(
    got.map((g) => [g.name, g.score, g.code]),
    expected.map((s, i) => [nodes[i]!.name, s, Code.Success]),
  );
}

const defaultResources: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const shape: UtilizationShapePoint[] = [
  { utilization: 0, score: 10 },
  { utilization: 100, score: 0 },
];

// pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio_test.go
// TestRequestedToCapacityRatioScoringStrategy. Shape scores are 0-10 (MaxCustomPriorityScore),
// scaled by 10; a node's score is math.Round of the weighted mean.
const rtcrRows = [
  {
    name: 'nothing scheduled, nothing requested (default - least requested nodes have priority)',
    requestedPod: stPod(),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '4000', memory: '10000' })],
    existingPods: [stPod({ node: 'node1' }), stPod({ node: 'node1' })],
    expectedScores: [MAX_NODE_SCORE, MAX_NODE_SCORE],
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }] }),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000' })],
    existingPods: [stPod({ node: 'node1' }), stPod({ node: 'node1' })],
    expectedScores: [38, 50],
  },
  {
    name: 'no resources requested, pods scheduled with resources (default - least requested nodes have priority)',
    requestedPod: stPod(),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000' })],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '3000', memory: '5000' }] }), stPod({ node: 'node2', req: [{ cpu: '3000', memory: '5000' }] })],
    expectedScores: [38, 50],
  },
];

t.test('TestRequestedToCapacityRatioScoringStrategy', async (t) => {
  for (const row of rtcrRows) {
    t.test(row.name, async (t) => checkScores(t, requestedToCapacityRatio(defaultResources, shape), row.requestedPod, row.nodes, row.existingPods, row.expectedScores));
  }
});

// requested_to_capacity_ratio_test.go TestBrokenLinearFunction.
const brokenLinearCases: Array<{ points: UtilizationShapePoint[]; assertions: Array<[p: number, expected: number]> }> = [
  {
    points: [
      { utilization: 10, score: 1 },
      { utilization: 90, score: 9 },
    ],
    assertions: [
      [-10, 1],
      [0, 1],
      [9, 1],
      [10, 1],
      [15, 1],
      [19, 1],
      [20, 2],
      [89, 8],
      [90, 9],
      [99, 9],
      [100, 9],
      [110, 9],
    ],
  },
  {
    points: [
      { utilization: 0, score: 2 },
      { utilization: 40, score: 10 },
      { utilization: 100, score: 0 },
    ],
    assertions: [
      [-10, 2],
      [0, 2],
      [20, 6],
      [30, 8],
      [40, 10],
      [70, 5],
      [100, 0],
      [110, 0],
    ],
  },
  {
    points: [
      { utilization: 0, score: 2 },
      { utilization: 40, score: 2 },
      { utilization: 100, score: 2 },
    ],
    assertions: [
      [-10, 2],
      [0, 2],
      [20, 2],
      [30, 2],
      [40, 2],
      [70, 2],
      [100, 2],
      [110, 2],
    ],
  },
];

t.test('TestBrokenLinearFunction', async (t) => {
  brokenLinearCases.forEach((c, i) => {
    t.test(`case_${i}`, async (t) => {
      const f = buildBrokenLinearFunction(c.points);
      for (const [p, expected] of c.assertions) t.equal(f(p), expected, `p=${p}`);
    });
  });
  // Go's integer division truncates toward zero: on a falling segment the value rounds up.
  t.test('falling segment truncates toward zero', async (t) => {
    const f = buildBrokenLinearFunction([
      { utilization: 0, score: 10 },
      { utilization: 100, score: 0 },
    ]);
    t.equal(f(66), 4, '10 + trunc(-6.6)');
    t.equal(f(1), 10, '10 + trunc(-0.1)');
  });
});

const foo = 'intel.com/foo';
const bar = 'intel.com/bar';
const binPackingShape: UtilizationShapePoint[] = [
  { utilization: 0, score: 0 },
  { utilization: 100, score: 1 },
];

// requested_to_capacity_ratio_test.go TestResourceBinPackingSingleExtended.
// Pods without a node (the "pods" of some rows) are on no node and change nothing.
const single = [makeNodeWith('node1', 4000, 10000 * 1024 * 1024, { [foo]: 8 }), makeNodeWith('node2', 4000, 10000 * 1024 * 1024, { [foo]: 4 })];
const singleRows = [
  { name: 'nothing scheduled, nothing requested', pod: stPod(), pods: [] as Pod[], expected: [0, 0] },
  { name: 'resources requested, pods scheduled with less resources', pod: stPod({ req: [{ [foo]: '2' }] }), pods: [stPod()], expected: [2, 5] },
  {
    name: 'resources requested, pods scheduled with resources, on node with existing pod running ',
    pod: stPod({ req: [{ [foo]: '2' }] }),
    pods: [stPod({ node: 'node2', req: [{ [foo]: '2' }] })],
    expected: [2, 10],
  },
  { name: 'resources requested, pods scheduled with more resources', pod: stPod({ req: [{ [foo]: '4' }] }), pods: [stPod()], expected: [5, 10] },
];

t.test('TestResourceBinPackingSingleExtended', async (t) => {
  for (const row of singleRows) {
    t.test(row.name, async (t) => checkScores(t, requestedToCapacityRatio([{ name: foo, weight: 1 }], binPackingShape), row.pod, single, row.pods, row.expected));
  }
});

// requested_to_capacity_ratio_test.go TestResourceBinPackingMultipleExtended.
const multiple = [makeNodeWith('node1', 4000, 10000 * 1024 * 1024, { [foo]: 8, [bar]: 4 }), makeNodeWith('node2', 4000, 10000 * 1024 * 1024, { [foo]: 4, [bar]: 8 })];
const pod1 = { [foo]: '2', [bar]: '2' };
const pod2 = { [foo]: '4', [bar]: '2' };
const multipleRows = [
  { name: 'nothing scheduled, nothing requested', pod: stPod(), pods: [] as Pod[], expected: [0, 0] },
  { name: 'resources requested, pods scheduled with less resources', pod: stPod({ req: [pod1] }), pods: [stPod()], expected: [4, 3] },
  {
    name: 'resources requested, pods scheduled with resources, on node with existing pod running ',
    pod: stPod({ req: [pod1] }),
    pods: [stPod({ node: 'node2', req: [pod2] })],
    expected: [4, 7],
  },
  { name: 'resources requested, pods scheduled with more resources', pod: stPod({ req: [pod2] }), pods: [stPod()], expected: [5, 5] },
];

t.test('TestResourceBinPackingMultipleExtended', async (t) => {
  const resources = [
    { name: foo, weight: 3 },
    { name: bar, weight: 5 },
  ];
  for (const row of multipleRows) {
    t.test(row.name, async (t) => checkScores(t, requestedToCapacityRatio(resources, binPackingShape), row.pod, multiple, row.pods, row.expected));
  }
});
