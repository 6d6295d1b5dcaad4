// NodeResourcesBalancedAllocation (src/scheduler/plugins/node_resources_balanced_allocation.ts).
import t from 'tap';
import type { Pod, PodSpec, ResourceList } from '../../../src/api/types.js';
import { Code } from '../../../src/scheduler/framework/status.js';
import { CycleState, MAX_NODE_SCORE, NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  NodeResourcesBalancedAllocation,
  decodeBalancedAllocationArgs,
  newNodeResourcesBalancedAllocation,
  validateBalancedAllocationArgs,
  validateBalancedArgs,
} from '../../../src/scheduler/plugins/node_resources_balanced_allocation.js';
import type { ResourceSpec } from '../../../src/scheduler/plugins/node_resources_fit.js';
import { fakeHandle, makeNode, makePod, runScore } from '../fixtures.js';

let seq = 0;
const podOf = (spec: Partial<PodSpec>): Pod => makePod(`pod-${seq++}`, structuredClone(spec));
const container = (requests: ResourceList) => ({ name: `c${seq++}`, image: 'img', resources: { requests } });

const cpuAndMemoryAndGPU: Partial<PodSpec> = {
  containers: [container({ cpu: '1000m', memory: '2000' }), container({ cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' })],
  nodeName: 'node1',
};
const cpuOnly: Partial<PodSpec> = {
  nodeName: 'node1',
  containers: [container({ cpu: '1000m', memory: '0' }), container({ cpu: '2000m', memory: '0' })],
};
const cpuAndMemory: Partial<PodSpec> = {
  nodeName: 'node2',
  containers: [container({ cpu: '1000m', memory: '2000' }), container({ cpu: '2000m', memory: '3000' })],
};

/** noderesources/test_util.go makeNode(name, milliCPU, memory, extendedResource). */
const makeNodeWith = (name: string, milliCPU: number, memory: number, extended: Record<string, number> = {}) => {
  const capacity: ResourceList = { cpu: `${milliCPU}m`, memory: `${memory}` };
  for (const [k, v] of Object.entries(extended)) capacity[k] = `${v}`;
  return { name, capacity };
};

/** cache.NewSnapshot(pods, nodes): each pod on the node its spec names. */
function snapshot(nodes: Array<{ name: string; capacity: ResourceList }>, pods: Pod[]): NodeInfo[] {
  return nodes.map(({ name, capacity }) => {
    const ni = new NodeInfo(makeNode(name, capacity));
    for (const p of pods) if (p.spec.nodeName === name) ni.addPod(PodInfo.of(p));
    return ni;
  });
}

const defaultResourceBalancedAllocationSet: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const withGPU: ResourceSpec[] = [...defaultResourceBalancedAllocationSet, { name: 'nvidia.com/gpu', weight: 1 }];
const scalarResource = { 'nvidia.com/gpu': 8 };

interface Row {
  name: string;
  pod: Pod;
  pods?: Pod[];
  nodes: Array<{ name: string; capacity: ResourceList }>;
  expectedList?: number[];
  resources: ResourceSpec[];
  runPreScore: boolean;
  wantPreScoreStatusCode?: Code;
}

// pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go
// TestNodeResourcesBalancedAllocation. Left out: the two DRAExtendedResource rows ("include DRA
// resource on a node for balanced resource allocation" and its "if PreScore not called" twin).
const rows: Row[] = [
  {
    name: 'nothing scheduled, nothing requested, skip in PreScore',
    pod: podOf({}),
    nodes: [makeNodeWith('node1', 4000, 10000), makeNodeWith('node2', 4000, 10000)],
    resources: defaultResourceBalancedAllocationSet,
    runPreScore: true,
    wantPreScoreStatusCode: Code.Skip,
  },
  {
    // node1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5, std 0.125 -> 87; node2: 0.5, 0.5 -> 100.
    name: 'nothing scheduled, resources requested, differently sized nodes',
    pod: podOf(cpuAndMemory),
    nodes: [makeNodeWith('node1', 4000, 10000), makeNodeWith('node2', 6000, 10000)],
    expectedList: [87, MAX_NODE_SCORE],
    resources: defaultResourceBalancedAllocationSet,
    runPreScore: true,
  },
  {
    name: 'resources requested, pods scheduled with resources',
    pod: podOf(cpuAndMemory),
    nodes: [makeNodeWith('node1', 10000, 20000), makeNodeWith('node2', 10000, 20000)],
    pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    expectedList: [82, 95],
    resources: defaultResourceBalancedAllocationSet,
    runPreScore: true,
  },
  {
    name: 'resources requested, pods scheduled with resources, differently sized nodes',
    pod: podOf(cpuAndMemory),
    nodes: [makeNodeWith('node1', 10000, 20000), makeNodeWith('node2', 10000, 50000)],
    pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    expectedList: [82, 80],
    resources: defaultResourceBalancedAllocationSet,
    runPreScore: true,
  },
  {
    // The cpu fraction is capped at 1.
    name: 'requested resources at node capacity',
    pod: podOf(cpuOnly),
    nodes: [makeNodeWith('node1', 6000, 10000), makeNodeWith('node2', 6000, 10000)],
    pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    expectedList: [50, 75],
    resources: defaultResourceBalancedAllocationSet,
    runPreScore: true,
  },
  {
    name: 'include scalar resource on a node for balanced resource allocation',
    pod: podOf({ containers: [container({ memory: '0', 'nvidia.com/gpu': '1' })] }),
    nodes: [makeNodeWith('node1', 3500, 40000, scalarResource), makeNodeWith('node2', 3500, 40000, scalarResource)],
    pods: [podOf(cpuAndMemory), podOf(cpuAndMemoryAndGPU)],
    expectedList: [70, 65],
    resources: withGPU,
    runPreScore: true,
  },
  {
    name: 'node without the scalar resource should skip the scalar resource',
    pod: podOf(cpuAndMemory),
    nodes: [makeNodeWith('node1', 3500, 40000, scalarResource), makeNodeWith('node2', 3500, 40000)],
    pods: [],
    expectedList: [63, 63],
    resources: withGPU,
    runPreScore: true,
  },
  {
    name: 'resources requested, pods scheduled with resources if PreScore not called',
    pod: podOf(cpuAndMemory),
    nodes: [makeNodeWith('node1', 10000, 20000), makeNodeWith('node2', 10000, 20000)],
    pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    expectedList: [82, 95],
    resources: defaultResourceBalancedAllocationSet,
    runPreScore: false,
  },
];

t.test('TestNodeResourcesBalancedAllocation', async (t) => {
  for (const row of rows) {
    t.test(row.name, async (t) => {
      const plugin = new NodeResourcesBalancedAllocation({ resources: row.resources });
      const state = new CycleState();
      const info = PodInfo.of(row.pod);
      if (row.runPreScore) {
        const status = plugin.preScore(state, info);
        t.equal(status?.code ?? Code.Success, row.wantPreScoreStatusCode ?? Code.Success, 'PreScore code');
        if (status?.code === Code.Skip) return;
      }
      const nodes = snapshot(row.nodes, row.pods ?? []);
      t.same(
        nodes.map((n) => plugin.score(state, info, n)),
        row.expectedList,
        'scores',
      );
    });
  }
});

// A best-effort pod scores 0 when PreScore did not run (upstream's fallback in Score); the
// framework never scores it, as PreScore's Skip leaves the plugin out.
t.test('best-effort pod without PreScore', async (t) => {
  const plugin = new NodeResourcesBalancedAllocation({ resources: defaultResourceBalancedAllocationSet });
  const nodes = snapshot([makeNodeWith('node1', 4000, 10000)], [podOf(cpuOnly)]);
  t.equal(plugin.score(new CycleState(), PodInfo.of(podOf({ containers: [container({})] })), nodes[0]!), 0);
  const { scores, status } = runScore(plugin, podOf({ containers: [container({})] }), nodes);
  t.equal(status?.code, Code.Skip);
  t.same(scores, []);
});

// Requested (not the non-zero view): a container without requests adds nothing; a pod asking
// for cpu only is not best-effort. More than two resources use the population std.
t.test('requested view and std over three fractions', async (t) => {
  const plugin = new NodeResourcesBalancedAllocation({ resources: withGPU });
  const nodes = snapshot([makeNodeWith('node1', 4000, 10000, { 'nvidia.com/gpu': 4 })], [podOf({ nodeName: 'node1', containers: [{ name: 'x', image: 'img' }] })]);
  // cpu 1000/4000 = 0.25, memory 0/10000 = 0, gpu 2/4 = 0.5: mean 0.25, std sqrt(0.125/3).
  const pod = podOf({ containers: [container({ cpu: '1000m', 'nvidia.com/gpu': '2' })] });
  const { scores, status } = runScore(plugin, pod, nodes);
  t.equal(status, null);
  t.same(scores, [{ name: 'node1', score: Math.trunc((1 - Math.sqrt(0.125 / 3)) * 100) }]);
  t.equal(scores[0]!.score, 79);
});

// A fraction above 1 (an overcommitted node) counts as 1: cpu 6000/4000 -> 1, memory 0.5 -> 75.
t.test('fraction capped at 1', async (t) => {
  const plugin = new NodeResourcesBalancedAllocation({ resources: defaultResourceBalancedAllocationSet });
  const nodes = snapshot([makeNodeWith('node1', 4000, 10000)], []);
  const { scores } = runScore(plugin, podOf({ containers: [container({ cpu: '6000m', memory: '5000' })] }), nodes);
  t.same(scores, [{ name: 'node1', score: 75 }]);
});

// pkg/scheduler/apis/config/validation/validation_pluginargs_test.go
// TestValidateNodeResourcesBalancedAllocationArgs.
const validationRows: Array<{ name: string; resources: ResourceSpec[]; want: string[] }> = [
  {
    name: 'valid config',
    resources: [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
    want: [],
  },
  {
    name: 'invalid config',
    resources: [
      { name: 'cpu', weight: 2 },
      { name: 'memory', weight: 1 },
    ],
    want: ['resources[0].weight: Invalid value: 2: must be 1'],
  },
  {
    name: 'repeated resources',
    resources: [
      { name: 'cpu', weight: 1 },
      { name: 'cpu', weight: 1 },
    ],
    want: ['resources[1].name: Duplicate value: "cpu"'],
  },
];

t.test('TestValidateNodeResourcesBalancedAllocationArgs', async (t) => {
  for (const row of validationRows) t.test(row.name, async (t) => t.same(validateBalancedArgs({ resources: row.resources }), row.want));
  t.throws(() => new NodeResourcesBalancedAllocation({ resources: [{ name: 'cpu', weight: 2 }] }), { message: 'resources[0].weight: Invalid value: 2: must be 1' });
});

// pkg/scheduler/apis/config/v1/defaults.go SetDefaults_NodeResourcesBalancedAllocationArgs.
t.test('defaulting and decoding', async (t) => {
  t.same(decodeBalancedAllocationArgs(undefined), { args: { resources: defaultResourceBalancedAllocationSet }, errors: [] });
  t.same(decodeBalancedAllocationArgs({ resources: [] }).args.resources, defaultResourceBalancedAllocationSet);
  t.same(decodeBalancedAllocationArgs({ resources: [{ name: 'nvidia.com/gpu' }, { name: 'cpu', weight: 0 }] }).args.resources, [
    { name: 'nvidia.com/gpu', weight: 1 },
    { name: 'cpu', weight: 1 },
  ]);
  t.same(validateBalancedAllocationArgs({ resources: [{ name: 'cpu', weight: 3 }] }), ['resources[0].weight: Invalid value: 3: must be 1']);
  t.same(validateBalancedAllocationArgs({ resources: [{ name: 'cpu', weight: 1 }], weights: 1 }), ['strict decoding error: unknown field "weights"']);
  t.same(validateBalancedAllocationArgs({ resources: { name: 'cpu' } }), [
    'json: cannot unmarshal object into Go struct field NodeResourcesBalancedAllocationArgs.resources of type []v1.ResourceSpec',
  ]);
  t.throws(() => newNodeResourcesBalancedAllocation({ resources: [{ name: 'cpu', weight: 'one' }] }, fakeHandle([])), /cannot unmarshal string/);
  t.ok(newNodeResourcesBalancedAllocation(undefined, fakeHandle([])).score, 'defaults build a plugin');
});
