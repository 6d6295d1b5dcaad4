// NodeResourcesFit scoring with the MostAllocated strategy (src/scheduler/plugins/node_resources_fit.ts).
import t from 'tap';
import type { Pod, ResourceList } from '../../../src/api/types.js';
import { Code, type Status } from '../../../src/scheduler/framework/status.js';
import { CycleState, MIN_NODE_SCORE, NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import { NodeResourcesFit, type ResourceSpec } from '../../../src/scheduler/plugins/node_resources_fit.js';
import { makeNode, makePod } from '../fixtures.js';

let seq = 0;

/** st.MakePod(): each Req() is one container, each Container() one without requests; .Node() places it. */
function stPod(opts: { node?: string; req?: ResourceList[]; bareContainers?: number } = {}): Pod {
  const reqs = (opts.req ?? []).map((r, i) => ({ name: `c${i}`, image: 'img', resources: { requests: r } }));
  const bare = Array.from({ length: opts.bareContainers ?? 0 }, () => ({ name: 'container', image: 'img' }));
  return makePod(`pod-${seq++}`, { ...(opts.node ? { nodeName: opts.node } : {}), containers: [...reqs, ...bare] });
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

const mostAllocated = (resources: ResourceSpec[]) =>
  new NodeResourcesFit({ ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: { type: 'MostAllocated', resources } });

// noderesources/test_util.go
const defaultResources: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const extendedRes = 'abc.com/xyz';
const extendedResourceSet: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
  { name: extendedRes, weight: 1 },
];

interface Row {
  name: string;
  requestedPod: Pod;
  nodes: Array<{ name: string; capacity: ResourceList }>;
  existingPods?: Pod[];
  expectedScores?: number[];
  resources: ResourceSpec[];
  /** NewFit's error (validation of the internal args). */
  wantErr?: string;
  wantStatusCode?: Code;
}

const twoContainers = [
  { cpu: '1000', memory: '2000' },
  { cpu: '2000', memory: '3000' },
];

// pkg/scheduler/framework/plugins/noderesources/most_allocated_test.go TestMostAllocatedScoringStrategy.
const rows: Row[] = [
  {
    name: 'nothing scheduled, nothing requested',
    requestedPod: stPod(),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '4000', memory: '10000' })],
    expectedScores: [MIN_NODE_SCORE, MIN_NODE_SCORE],
    resources: defaultResources,
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000' })],
    expectedScores: [62, 50],
    resources: defaultResources,
  },
  {
    name: 'Resources not set, pods scheduled with error',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000' })],
    expectedScores: [MIN_NODE_SCORE, MIN_NODE_SCORE],
    resources: [],
    wantStatusCode: Code.Error,
  },
  {
    name: 'no resources requested, pods scheduled with resources',
    requestedPod: stPod(),
    nodes: [stNode('node1', { cpu: '10000', memory: '20000' }), stNode('node2', { cpu: '10000', memory: '20000' })],
    existingPods: [
      stPod({ node: 'node1', req: [{ cpu: '3000', memory: '0' }] }),
      stPod({ node: 'node1', req: [{ cpu: '3000', memory: '0' }] }),
      stPod({ node: 'node2', req: [{ cpu: '3000', memory: '0' }] }),
      stPod({ node: 'node2', req: [{ cpu: '3000', memory: '5000' }] }),
    ],
    expectedScores: [30, 42],
    resources: defaultResources,
  },
  {
    name: 'resources requested, pods scheduled with resources',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node1', { cpu: '10000', memory: '20000' }), stNode('node2', { cpu: '10000', memory: '20000' })],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '3000', memory: '0' }] }), stPod({ node: 'node2', req: [{ cpu: '3000', memory: '5000' }] })],
    expectedScores: [42, 55],
    resources: defaultResources,
  },
  {
    name: 'resources requested equal node capacity',
    requestedPod: stPod({ req: [{ cpu: '2000', memory: '4000' }, { cpu: '3000', memory: '5000' }] }),
    nodes: [stNode('node1', { cpu: '5000', memory: '10000' }), stNode('node2', { cpu: '10000', memory: '9000' })],
    expectedScores: [95, 75],
    resources: defaultResources,
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node1', { cpu: '4000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000' })],
    expectedScores: [58, 50],
    resources: [
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ],
  },
  {
    // Containers without requests count 100m cpu / 200Mi memory (NonZeroRequested).
    name: 'no resources requested, pods scheduled, nonzero request for resource',
    requestedPod: stPod({ bareContainers: 1 }),
    nodes: [stNode('node1', { cpu: '250m', memory: '1000Mi' }), stNode('node2', { cpu: '250m', memory: '1000Mi' })],
    existingPods: [stPod({ node: 'node1', bareContainers: 1 }), stPod({ node: 'node1', bareContainers: 1 })],
    expectedScores: [80, 30],
    resources: defaultResources,
  },
  {
    name: 'resource with negative weight',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node2', { cpu: '4000', memory: '10000' })],
    resources: [
      { name: 'memory', weight: -1 },
      { name: 'cpu', weight: 1 },
    ],
    wantErr: 'scoringStrategy.resources[0].weight: Invalid value: -1: resource weight of memory not in valid range (0, 100]',
  },
  {
    name: 'resource with zero weight',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node2', { cpu: '4000', memory: '10000' })],
    resources: [
      { name: 'memory', weight: 1 },
      { name: 'cpu', weight: 0 },
    ],
    wantErr: 'scoringStrategy.resources[1].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]',
  },
  {
    name: 'resource weight larger than MaxNodeScore',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node2', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 101 }],
    wantErr: 'scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of memory not in valid range (0, 100]',
  },
  {
    name: 'bypass extended resource if the pod does not request',
    requestedPod: stPod({ req: twoContainers }),
    nodes: [stNode('node1', { cpu: '6000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    expectedScores: [50, 50],
    resources: extendedResourceSet,
  },
  {
    name: 'honor extended resource if the pod request',
    requestedPod: stPod({ node: 'node1', req: [{ cpu: '3000', memory: '5000', [extendedRes]: '2' }] }),
    nodes: [stNode('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }), stNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' })],
    expectedScores: [50, 40],
    resources: extendedResourceSet,
  },
  {
    name: "if the node doesn't have a resource",
    requestedPod: stPod({ node: 'node1', req: [{ cpu: '3000', memory: '4000' }] }),
    nodes: [stNode('node1', { cpu: '6000', memory: '10000' }), stNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    expectedScores: [45, 45],
    resources: [
      { name: extendedRes, weight: 2 },
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
  },
];

t.test('TestMostAllocatedScoringStrategy', async (t) => {
  for (const row of rows) {
    t.test(row.name, async (t) => {
      if (row.wantErr !== undefined) {
        t.throws(() => mostAllocated(row.resources), { message: row.wantErr });
        return;
      }
      const got = scoreEach(mostAllocated(row.resources), row.requestedPod, snapshot(row.nodes, row.existingPods ?? []));
      const code = row.wantStatusCode ?? Code.Success;
      t.same(
        got.map((g) => [g.name, g.score, g.code]),
        row.expectedScores!.map((s, i) => [row.nodes[i]!.name, s, code]),
      );
    });
  }
});
