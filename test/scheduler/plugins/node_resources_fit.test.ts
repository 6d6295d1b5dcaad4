// NodeResourcesFit: Filter, the TestFitScore rows, events, args defaulting and validation, and the
// queueing hints: fit_test.go TestIsSchedulableAfterPodChange (12 rows; its 3 pod-level rows are
// in test/scheduler/pod_level_fit.test.ts; left out: "skip-queue-on-disable-inplace-pod-vertical-
// scaling", the gate is on in v1.35), Test_isSchedulableAfterNodeChange (9 rows, all), TestIsFit
// (3 rows; its 4 pod-level rows are in test/scheduler/pod_level_fit.test.ts) and TestHaveAnyRequestedResourcesIncreased (10 rows; the 3 DRA-extended-resource rows left
// out, DRAExtendedResource is off in v1.35 and not modelled).
import t, { type Test } from 'tap';
import type { Container, Node, Pod, ResourceList } from '../../../src/api/types.js';
import { Code, type MaybeStatus, type Status } from '../../../src/scheduler/framework/status.js';
import { CycleState, NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  ERR_REASON_INSUFFICIENT_CPU,
  ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE,
  ERR_REASON_INSUFFICIENT_MEMORY,
  ERR_REASON_TOO_MANY_PODS,
  NAME,
  type NodeResourcesFitArgs,
  NodeResourcesFit,
  decodeNodeResourcesFitArgs,
  goRound,
  haveAnyRequestedResourcesIncreased,
  isFit,
  isSchedulableAfterNodeChange,
  isSchedulableAfterPodEvent,
  insufficientReason,
  newNodeResourcesFit,
  scaleTo100,
  validateFitArgs,
  validateNodeResourcesFitArgs,
} from '../../../src/scheduler/plugins/node_resources_fit.js';
import { fakeHandle, makeNode, makePod, runFilter, registrations } from '../fixtures.js';

const extendedResourceA = 'example.com/aaa';
const extendedResourceB = 'example.com/bbb';
const kubernetesIOResourceA = 'kubernetes.io/something';
const kubernetesIOResourceB = 'subdomain.kubernetes.io/something';
const hugePageResourceA = 'hugepages-2Mi';
const extendedResourceDRA = 'extended.resource.dra.io/something';

// framework.Resource as fit_test.go's newResourcePod spells a container's requests.
interface Usage {
  milliCPU?: number;
  memory?: number;
  ephemeralStorage?: number;
  scalar?: Record<string, number>;
}

let seq = 0;

function requestList(u: Usage): ResourceList {
  const rl: ResourceList = { cpu: `${u.milliCPU ?? 0}m`, memory: `${u.memory ?? 0}`, pods: '0', 'ephemeral-storage': `${u.ephemeralStorage ?? 0}` };
  for (const [name, q] of Object.entries(u.scalar ?? {})) rl[name] = `${q}`;
  return rl;
}

const containers = (usage: Usage[]): Container[] => usage.map((u, i) => ({ name: `c${i}`, image: 'img', resources: { requests: requestList(u) } }));

/** newResourcePod: one container per usage; none for no usage (as &v1.Pod{} for none at all). */
function newResourcePod(...usage: Usage[]): Pod {
  return makePod(`pod-${seq++}`, { containers: containers(usage) });
}

function newResourceInitPod(pod: Pod, ...usage: Usage[]): Pod {
  pod.spec.initContainers = containers(usage);
  return pod;
}

function newResourceOverheadPod(pod: Pod, overhead: ResourceList): Pod {
  pod.spec.overhead = overhead;
  return pod;
}

/** makeAllocatableResources(milliCPU, memory, pods, extendedA, storage, hugePageA). */
function makeAllocatableResources(milliCPU: number, memory: number, pods: number, extendedA: number, storage: number, hugePageA: number): ResourceList {
  return {
    cpu: `${milliCPU}m`,
    memory: `${memory}`,
    pods: `${pods}`,
    [extendedResourceA]: `${extendedA}`,
    'ephemeral-storage': `${storage}`,
    [hugePageResourceA]: `${hugePageA}`,
  };
}

/** framework.NewNodeInfo(existing...) then SetNode(node with the given allocatable). */
function nodeInfoWith(allocatable: ResourceList, ...existing: Pod[]): NodeInfo {
  const ni = new NodeInfo(makeNode('node', allocatable));
  for (const p of existing) ni.addPod(PodInfo.of(p));
  return ni;
}

const defaultScoringStrategy = { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };

function fitPlugin(args: Partial<NodeResourcesFitArgs> = {}): NodeResourcesFit {
  return new NodeResourcesFit({ ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: defaultScoringStrategy, ...args });
}

const U = Code.Unschedulable;
const UU = Code.UnschedulableAndUnresolvable;

interface FilterRow {
  name: string;
  pod: Pod;
  nodeInfo: () => NodeInfo;
  args?: Partial<NodeResourcesFitArgs>;
  want: { code: Code; reasons: string[] } | null;
  /** Set when the row fails because of a gap outside this plugin (see the message). */
}

function checkFilter(t: Test, row: FilterRow): void {
  const ni = row.nodeInfo();
  const status: MaybeStatus = runFilter(fitPlugin(row.args), row.pod, ni);
  if (row.want === null) {
    t.equal(status, null, 'fits');
    return;
  }
  t.equal(status?.code, row.want.code, 'code');
  t.same(status?.reasons, row.want.reasons, 'reasons');
}


// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestEnoughRequests.
// Node: makeAllocatableResources(10, 20, 32, 5, 20, 5), with one existing pod.
// The pod-level resources rows ("both pod-level and container-level resources fit", "pod-level cpu
// resource not fit", "pod-level memory resource not fit", "pod-level hugepages resource fit",
// "both pod-level and container-level hugepages resource fit", "pod-level hugepages resource not
// fit", "one pod-level cpu resource fits and all init and non-init containers resources fit") are
// in test/scheduler/pod_level_resources.test.ts. Left out (not modelled): the
// DRAExtendedResource-enabled rows ("extended resource
// backed by device plugin", "extended resource backed by DRA", "extended resource backed by DRA,
// nil draManager", "extended resource NOT backed by DRA", "extended resource was backed by Device
// Plugin (Allocatable: 0)", "... global cache"). wantInsufficientResources (requested/used/capacity
// numbers) has no counterpart: only the Status is asserted.
const node32 = (...existing: Pod[]) => () => nodeInfoWith(makeAllocatableResources(10, 20, 32, 5, 20, 5), ...existing);
const enoughRequests: FilterRow[] = [
  { name: 'no resources requested always fits', pod: newResourcePod(), nodeInfo: node32(newResourcePod({ milliCPU: 10, memory: 20 })), want: null },
  {
    name: 'too many resources fails',
    pod: newResourcePod({ milliCPU: 1, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 10, memory: 20 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_CPU, ERR_REASON_INSUFFICIENT_MEMORY] },
  },
  {
    name: 'too many resources fails due to init container cpu',
    pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 3, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 8, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_CPU] },
  },
  {
    name: 'too many resources fails due to highest init container cpu',
    pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 3, memory: 1 }, { milliCPU: 2, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 8, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_CPU] },
  },
  {
    name: 'too many resources fails due to init container memory',
    pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 3 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 9, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_MEMORY] },
  },
  {
    name: 'too many resources fails due to highest init container memory',
    pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 3 }, { milliCPU: 1, memory: 2 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 9, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_MEMORY] },
  },
  {
    name: "init container fits because it's the max, not sum, of containers and init containers",
    pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 9, memory: 19 })),
    want: null,
  },
  {
    name: "multiple init containers fit because it's the max, not sum, of containers and init containers",
    pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 1 }, { milliCPU: 1, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 9, memory: 19 })),
    want: null,
  },
  { name: 'both resources fit', pod: newResourcePod({ milliCPU: 1, memory: 1 }), nodeInfo: node32(newResourcePod({ milliCPU: 5, memory: 5 })), want: null },
  {
    name: 'one resource memory fits',
    pod: newResourcePod({ milliCPU: 2, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 9, memory: 5 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_CPU] },
  },
  {
    name: 'one resource cpu fits',
    pod: newResourcePod({ milliCPU: 1, memory: 2 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 5, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_MEMORY] },
  },
  { name: 'equal edge case', pod: newResourcePod({ milliCPU: 5, memory: 1 }), nodeInfo: node32(newResourcePod({ milliCPU: 5, memory: 19 })), want: null },
  {
    name: 'equal edge case for init container',
    pod: newResourceInitPod(newResourcePod({ milliCPU: 4, memory: 1 }), { milliCPU: 5, memory: 1 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 5, memory: 19 })),
    want: null,
  },
  { name: 'extended resource fits', pod: newResourcePod({ scalar: { [extendedResourceA]: 1 } }), nodeInfo: node32(newResourcePod({})), want: null },
  {
    name: 'extended resource fits for init container',
    pod: newResourceInitPod(newResourcePod({}), { scalar: { [extendedResourceA]: 1 } }),
    nodeInfo: node32(newResourcePod({})),
    want: null,
  },
  {
    name: 'extended resource capacity enforced',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 10 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 0 } })),
    want: { code: UU, reasons: [insufficientReason(extendedResourceA)] },
  },
  {
    name: 'extended resource capacity enforced for init container',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 10 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 0 } })),
    want: { code: UU, reasons: [insufficientReason(extendedResourceA)] },
  },
  {
    name: 'extended resource allocatable enforced',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 1 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 5 } })),
    want: { code: U, reasons: [insufficientReason(extendedResourceA)] },
  },
  {
    name: 'extended resource allocatable enforced for init container',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 1 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 5 } })),
    want: { code: U, reasons: [insufficientReason(extendedResourceA)] },
  },
  {
    name: 'extended resource allocatable enforced for multiple containers',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 2 } })),
    want: { code: UU, reasons: [insufficientReason(extendedResourceA)] },
  },
  {
    name: 'extended resource allocatable admits multiple init containers',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 2 } })),
    want: null,
  },
  {
    name: 'extended resource allocatable enforced for multiple init containers',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 6 } }, { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 2 } })),
    want: { code: UU, reasons: [insufficientReason(extendedResourceA)] },
  },
  {
    name: 'extended resource allocatable enforced for unknown resource',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1 } }),
    nodeInfo: node32(newResourcePod({})),
    want: { code: UU, reasons: [insufficientReason(extendedResourceB)] },
  },
  {
    name: 'extended resource allocatable enforced for unknown resource for init container',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1 } }),
    nodeInfo: node32(newResourcePod({})),
    want: { code: UU, reasons: [insufficientReason(extendedResourceB)] },
  },
  {
    name: 'kubernetes.io resource capacity enforced',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [kubernetesIOResourceA]: 10 } }),
    nodeInfo: node32(newResourcePod({})),
    want: { code: UU, reasons: [insufficientReason(kubernetesIOResourceA)] },
  },
  {
    name: 'kubernetes.io resource capacity enforced for init container',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [kubernetesIOResourceB]: 10 } }),
    nodeInfo: node32(newResourcePod({})),
    want: { code: UU, reasons: [insufficientReason(kubernetesIOResourceB)] },
  },
  {
    name: 'hugepages resource capacity enforced',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 10 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [hugePageResourceA]: 0 } })),
    want: { code: UU, reasons: [insufficientReason(hugePageResourceA)] },
  },
  {
    name: 'hugepages resource capacity enforced for init container',
    pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 10 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [hugePageResourceA]: 0 } })),
    want: { code: UU, reasons: [insufficientReason(hugePageResourceA)] },
  },
  {
    name: 'hugepages resource allocatable enforced for multiple containers',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 3 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [hugePageResourceA]: 2 } })),
    want: { code: UU, reasons: [insufficientReason(hugePageResourceA)] },
  },
  {
    name: 'skip checking ignored extended resource',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1 } }),
    nodeInfo: node32(newResourcePod({})),
    args: { ignoredResources: ['example.com/bbb'] },
    want: null,
  },
  {
    name: 'resources + pod overhead fits',
    pod: newResourceOverheadPod(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '3m', memory: '13' }),
    nodeInfo: node32(newResourcePod({ milliCPU: 5, memory: 5 })),
    want: null,
  },
  {
    name: 'requests + overhead does not fit for memory',
    pod: newResourceOverheadPod(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '1m', memory: '15' }),
    nodeInfo: node32(newResourcePod({ milliCPU: 5, memory: 5 })),
    want: { code: U, reasons: [ERR_REASON_INSUFFICIENT_MEMORY] },
  },
  {
    name: 'skip checking ignored extended resource via resource groups',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1, [kubernetesIOResourceA]: 1 } }),
    nodeInfo: node32(newResourcePod({})),
    args: { ignoredResourceGroups: ['example.com'] },
    want: { code: UU, reasons: [insufficientReason(kubernetesIOResourceA)] },
  },
  {
    name: 'skip checking extended resource request with quantity zero via resource groups',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 0 } }),
    nodeInfo: node32(newResourcePod({ scalar: { [extendedResourceA]: 6 } })),
    want: null,
  },
  {
    // Upstream runs this row with PodLevelResources on; the pod has no pod-level resources.
    name: 'skip checking resource request with quantity zero',
    pod: newResourcePod({ scalar: { [extendedResourceA]: 1 } }),
    nodeInfo: node32(newResourcePod({ milliCPU: 20, memory: 30, scalar: { [extendedResourceA]: 1 } })),
    want: null,
  },
  {
    name: 'extended resource backed by DRA not enabled',
    pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceDRA]: 1 } }),
    nodeInfo: node32(newResourcePod({})),
    want: { code: UU, reasons: [insufficientReason(extendedResourceDRA)] },
  },
];

t.test('TestEnoughRequests', async (t) => {
  for (const row of enoughRequests) {
    t.test(row.name, async (t) => checkFilter(t, row));
  }
});

// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestNotEnoughRequests.
// Node: makeAllocatableResources(10, 20, 1, 0, 0, 0): room for one pod, which is taken.
const node1Pod = (...existing: Pod[]) => () => nodeInfoWith(makeAllocatableResources(10, 20, 1, 0, 0, 0), ...existing);
const notEnoughRequests: FilterRow[] = [
  {
    name: "even without specified resources, predicate fails when there's no space for additional pod",
    pod: newResourcePod(),
    nodeInfo: node1Pod(newResourcePod({ milliCPU: 10, memory: 20 })),
    want: { code: U, reasons: [ERR_REASON_TOO_MANY_PODS] },
  },
  {
    name: "even if both resources fit, predicate fails when there's no space for additional pod",
    pod: newResourcePod({ milliCPU: 1, memory: 1 }),
    nodeInfo: node1Pod(newResourcePod({ milliCPU: 5, memory: 5 })),
    want: { code: U, reasons: [ERR_REASON_TOO_MANY_PODS] },
  },
  {
    name: "even for equal edge case, predicate fails when there's no space for additional pod",
    pod: newResourcePod({ milliCPU: 5, memory: 1 }),
    nodeInfo: node1Pod(newResourcePod({ milliCPU: 5, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_TOO_MANY_PODS] },
  },
  {
    name: "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
    pod: newResourceInitPod(newResourcePod({ milliCPU: 5, memory: 1 }), { milliCPU: 5, memory: 1 }),
    nodeInfo: node1Pod(newResourcePod({ milliCPU: 5, memory: 19 })),
    want: { code: U, reasons: [ERR_REASON_TOO_MANY_PODS] },
  },
];

t.test('TestNotEnoughRequests', async (t) => {
  for (const row of notEnoughRequests) t.test(row.name, async (t) => checkFilter(t, row));
});

// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestStorageRequests.
const storageRequests: FilterRow[] = [
  { name: 'empty storage requested, and pod fits', pod: newResourcePod({ milliCPU: 1, memory: 1 }), nodeInfo: node32(newResourcePod({ milliCPU: 2, memory: 10 })), want: null },
  {
    name: 'storage ephemeral local storage request exceeds allocatable',
    pod: newResourcePod({ ephemeralStorage: 25 }),
    nodeInfo: node32(newResourcePod({ milliCPU: 2, memory: 2 })),
    want: { code: UU, reasons: [ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE] },
  },
  {
    name: 'ephemeral local storage is sufficient',
    pod: newResourceInitPod(newResourcePod({ ephemeralStorage: 5 })),
    nodeInfo: node32(newResourcePod({ milliCPU: 2, memory: 2, ephemeralStorage: 10 })),
    want: null,
  },
  { name: 'pod fits', pod: newResourcePod({ ephemeralStorage: 10 }), nodeInfo: node32(newResourcePod({ milliCPU: 2, memory: 2 })), want: null },
];

t.test('TestStorageRequests', async (t) => {
  for (const row of storageRequests) t.test(row.name, async (t) => checkFilter(t, row));
});

// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestRestartableInitContainers.
// Node: makeAllocatableResources(2, 0, 1, 0, 0, 0), no pods. SidecarContainers is locked on since
// v1.33: the row "not allow pod with restartable init containers if sidecar containers is
// disabled" (a PreFilter rejection with the gate off) is left out.
function sidecarPod(request?: ResourceList, sidecarRequest?: ResourceList): Pod {
  return makePod(`pod-${seq++}`, {
    containers: [{ name: 'regular', ...(request ? { resources: { requests: request } } : {}) }],
    initContainers: [{ name: 'restartable-init', restartPolicy: 'Always', ...(sidecarRequest ? { resources: { requests: sidecarRequest } } : {}) }],
  });
}
const sidecarNode = () => nodeInfoWith(makeAllocatableResources(2, 0, 1, 0, 0, 0));
const restartableInitContainers: FilterRow[] = [
  { name: 'allow pod without restartable init containers if sidecar containers is disabled', pod: makePod(`pod-${seq++}`, { containers: [{ name: 'regular' }] }), nodeInfo: sidecarNode, want: null },
  { name: 'allow pod without restartable init containers if sidecar containers is enabled', pod: makePod(`pod-${seq++}`, { containers: [{ name: 'regular' }] }), nodeInfo: sidecarNode, want: null },
  { name: 'allow pod with restartable init containers if sidecar containers is enabled', pod: sidecarPod(), nodeInfo: sidecarNode, want: null },
  { name: "allow pod if the total requested resources do not exceed the node's allocatable resources", pod: sidecarPod({ cpu: '1m' }, { cpu: '1m' }), nodeInfo: sidecarNode, want: null },
  {
    name: "not allow pod if the total requested resources do exceed the node's allocatable resources",
    pod: sidecarPod({ cpu: '1m' }, { cpu: '2m' }),
    nodeInfo: sidecarNode,
    want: { code: UU, reasons: [ERR_REASON_INSUFFICIENT_CPU] },
  },
];

t.test('TestRestartableInitContainers', async (t) => {
  for (const row of restartableInitContainers) t.test(row.name, async (t) => checkFilter(t, row));
});

// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestPreFilterDisabled.
t.test('TestPreFilterDisabled', async (t) => {
  const s = fitPlugin().filter(new CycleState(), PodInfo.of(makePod('p')), new NodeInfo(makeNode('n')));
  t.equal(s?.code, Code.Error);
  t.same(s?.reasons, ['error reading "PreFilterNodeResourcesFit" from cycleState: not found']);
});

// Several failures in one Status, in upstream's order, and a shared (frozen) Status per shape.
t.test('fitsRequest order and status reuse', async (t) => {
  const pod = newResourcePod({ milliCPU: 30, memory: 30, ephemeralStorage: 30, scalar: { [extendedResourceA]: 9, [hugePageResourceA]: 1 } });
  const node = () => nodeInfoWith(makeAllocatableResources(10, 20, 1, 5, 20, 5), newResourcePod({ scalar: { [hugePageResourceA]: 5 } }));
  const s = runFilter(fitPlugin(), pod, node());
  t.equal(s?.code, UU);
  t.same(s?.reasons, [
    ERR_REASON_TOO_MANY_PODS,
    ERR_REASON_INSUFFICIENT_CPU,
    ERR_REASON_INSUFFICIENT_MEMORY,
    ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE,
    insufficientReason(extendedResourceA),
    insufficientReason(hugePageResourceA),
  ]);
  const cpuOnly = newResourcePod({ milliCPU: 11 });
  const a = runFilter(fitPlugin(), cpuOnly, nodeInfoWith(makeAllocatableResources(10, 20, 32, 0, 0, 0)));
  const b = runFilter(fitPlugin(), cpuOnly, nodeInfoWith(makeAllocatableResources(10, 20, 32, 0, 0, 0)));
  t.equal(a, b, 'one Status object for the same failure');
  t.equal(a?.plugin, NAME);
  t.equal(a?.withPlugin(NAME), a, 'withPlugin needs no copy');
  t.ok(Object.isFrozen(a));
});

// ---------------------------------------------------------------------------------------------
// Score

/** st.MakePod(): each Req() is one container; .Node() places it; .SidecarReq() adds a sidecar. */
function stPod(opts: { node?: string; req?: ResourceList[]; sidecarReq?: ResourceList[] } = {}): Pod {
  return makePod(`pod-${seq++}`, {
    ...(opts.node ? { nodeName: opts.node } : {}),
    containers: (opts.req ?? []).map((r, i) => ({ name: `c${i}`, image: 'img', resources: { requests: r } })),
    ...(opts.sidecarReq ? { initContainers: opts.sidecarReq.map((r, i) => ({ name: `s${i}`, restartPolicy: 'Always', resources: { requests: r } })) } : {}),
  });
}

/** cache.NewSnapshot(existingPods, nodes): each pod on the node its spec names. */
function snapshot(nodes: Array<{ name: string; capacity: ResourceList }>, pods: Pod[]): NodeInfo[] {
  return nodes.map(({ name, capacity }) => {
    const ni = new NodeInfo(makeNode(name, capacity));
    for (const p of pods) if (p.spec.nodeName === name) ni.addPod(PodInfo.of(p));
    return ni;
  });
}

/** Score on every node with one CycleState, as upstream's loops do; 0 stands in for a Status. */
function scoreEach(plugin: NodeResourcesFit, pod: Pod, nodes: NodeInfo[], runPreScore: boolean): Array<{ name: string; score: number; code: Code }> {
  const state = new CycleState();
  const info = PodInfo.of(pod);
  if (runPreScore) plugin.preScore(state, info);
  return nodes.map((n) => {
    const r: number | Status = plugin.score(state, info, n);
    return typeof r === 'number' ? { name: n.name, score: r, code: Code.Success } : { name: n.name, score: 0, code: r.code };
  });
}

const defaultResources = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const node4000 = { name: 'node1', capacity: { cpu: '4000', memory: '10000' } };
const node6000 = { name: 'node2', capacity: { cpu: '6000', memory: '10000' } };
const rtcr = (shape: Array<[number, number]>) => ({
  type: 'RequestedToCapacityRatio',
  resources: defaultResources,
  requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) },
});

// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestFitScore.
// Left out: the two DRAExtendedResource rows ("... LeastAllocated with Extended resources" and
// "... if PreScore is not called").
const fitScoreRows = [
  {
    name: 'test case for ScoringStrategy RequestedToCapacityRatio case1',
    requestedPod: stPod({ req: [{ cpu: '3000', memory: '5000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [10, 32],
    scoringStrategy: rtcr([[0, 10], [100, 0]]),
    runPreScore: true,
  },
  {
    name: 'test case for ScoringStrategy RequestedToCapacityRatio case2',
    requestedPod: stPod({ req: [{ cpu: '3000', memory: '5000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [95, 68],
    scoringStrategy: rtcr([[0, 0], [100, 10]]),
    runPreScore: true,
  },
  {
    name: 'test case for ScoringStrategy MostAllocated',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [67, 36],
    scoringStrategy: { type: 'MostAllocated', resources: defaultResources },
    runPreScore: true,
  },
  {
    name: 'test case for ScoringStrategy LeastAllocated',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [32, 63],
    scoringStrategy: { type: 'LeastAllocated', resources: defaultResources },
    runPreScore: true,
  },
  {
    name: 'test case for ScoringStrategy RequestedToCapacityRatio case1 if PreScore is not called',
    requestedPod: stPod({ req: [{ cpu: '3000', memory: '5000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [10, 32],
    scoringStrategy: rtcr([[0, 10], [100, 0]]),
    runPreScore: false,
  },
  {
    name: 'test case for ScoringStrategy MostAllocated if PreScore is not called',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [67, 36],
    scoringStrategy: { type: 'MostAllocated', resources: defaultResources },
    runPreScore: false,
  },
  {
    name: 'test case for ScoringStrategy LeastAllocated if PreScore is not called',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }] }),
    nodes: [node4000, node6000],
    existingPods: [stPod({ node: 'node1', req: [{ cpu: '2000', memory: '4000' }] }), stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] })],
    expected: [32, 63],
    scoringStrategy: { type: 'LeastAllocated', resources: defaultResources },
    runPreScore: false,
  },
  {
    name: 'test case for ScoringStrategy MostAllocated with sidecar container',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }] }),
    nodes: [node4000, { name: 'node2', capacity: { cpu: '4000', memory: '10000' } }],
    existingPods: [
      stPod({ node: 'node1', req: [{ cpu: '1000', memory: '2000' }], sidecarReq: [{ cpu: '1000', memory: '2000' }] }),
      stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] }),
    ],
    expected: [67, 45],
    scoringStrategy: { type: 'MostAllocated', resources: defaultResources },
    runPreScore: true,
  },
  {
    name: 'test case for ScoringStrategy LeastAllocated with sidecar container',
    requestedPod: stPod({ req: [{ cpu: '1000', memory: '2000' }] }),
    nodes: [node4000, { name: 'node2', capacity: { cpu: '4000', memory: '10000' } }],
    existingPods: [
      stPod({ node: 'node1', req: [{ cpu: '1000', memory: '2000' }], sidecarReq: [{ cpu: '1000', memory: '2000' }] }),
      stPod({ node: 'node2', req: [{ cpu: '1000', memory: '2000' }] }),
    ],
    expected: [32, 55],
    scoringStrategy: { type: 'LeastAllocated', resources: defaultResources },
    runPreScore: true,
  },
];

t.test('TestFitScore', async (t) => {
  for (const row of fitScoreRows) {
    t.test(row.name, async (t) => {
      const plugin = fitPlugin({ scoringStrategy: row.scoringStrategy });
      const got = scoreEach(plugin, row.requestedPod, snapshot(row.nodes, row.existingPods), row.runPreScore);
      t.same(
        got.map((g) => [g.name, g.score, g.code]),
        row.expected.map((s, i) => [row.nodes[i]!.name, s, Code.Success]),
      );
    });
  }
});

// pkg/scheduler/framework/plugins/noderesources/fit_test.go TestEventsToRegister. Upstream's rows
// vary the gates one at a time; kubedrill follows the v1.35 defaults, where SchedulerQueueingHints
// and InPlacePodVerticalScaling are both on: Pod Delete|UpdatePodScaleDown, Node
// Add|UpdateNodeAllocatable (the QHint row's Node events plus the in-place row's Pod events).
t.test('TestEventsToRegister', async (t) => {
  t.strictSame(registrations(fitPlugin().eventsToRegister()), [
    { resource: 'Pod', actions: ['Delete', 'UpdatePodScaleDown'], hint: true },
    { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'], hint: true },
  ]);
});

// ---------------------------------------------------------------------------------------------
// Args

// pkg/scheduler/apis/config/v1/defaults.go SetDefaults_NodeResourcesFitArgs (the
// NodeResourcesFitArgs cases of defaults_test.go TestPluginArgsDefaults).
t.test('defaulting', async (t) => {
  t.same(decodeNodeResourcesFitArgs(undefined), {
    args: { ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: { type: 'LeastAllocated', resources: defaultResources } },
    errors: [],
  });
  t.same(decodeNodeResourcesFitArgs({ ignoredResources: ['foo', 'bar'] }).args, {
    ignoredResources: ['foo', 'bar'],
    ignoredResourceGroups: [],
    scoringStrategy: { type: 'LeastAllocated', resources: defaultResources },
  });
  t.same(decodeNodeResourcesFitArgs({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu' }, { name: 'memory', weight: 3 }] } }).args.scoringStrategy, {
    type: 'MostAllocated',
    resources: [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 3 },
    ],
  });
  t.same(decodeNodeResourcesFitArgs({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 10, score: 2 }] } } }).args.scoringStrategy, {
    type: 'RequestedToCapacityRatio',
    resources: defaultResources,
    requestedToCapacityRatio: { shape: [{ utilization: 10, score: 2 }] },
  });
  // A strategy without a type is not defaulted: validation rejects it, as upstream.
  t.same(validateNodeResourcesFitArgs({ scoringStrategy: {} }), [
    'scoringStrategy.type: Unsupported value: "": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
  ]);
  // v1 turns weight 0 into 1, so the internal-args error for weight 0 never reaches a v1 user.
  t.same(validateNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 0 }] } }), []);
});

t.test('decoding errors', async (t) => {
  t.same(validateNodeResourcesFitArgs({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 'x' }] }, foo: 1 }), [
    'strict decoding error: unknown field "foo"',
    'json: cannot unmarshal string into Go struct field ResourceSpec.scoringStrategy.resources.weight of type int64',
  ]);
  t.same(validateNodeResourcesFitArgs({ ignoredResources: 'cpu' }), ['json: cannot unmarshal string into Go struct field NodeResourcesFitArgs.ignoredResources of type []string']);
  t.same(validateNodeResourcesFitArgs({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 1.5, score: 1 }] } } }), [
    'json: cannot unmarshal number 1.5 into Go struct field UtilizationShapePoint.scoringStrategy.requestedToCapacityRatio.shape.utilization of type int32',
  ]);
  t.throws(() => newNodeResourcesFit({ scoringStrategy: { type: 'Nope' } }, fakeHandle([])), /Unsupported value: "Nope"/);
  t.ok(newNodeResourcesFit(undefined, fakeHandle([])).filter, 'defaults build a plugin');
});

const fitArgs = (scoringStrategy: NodeResourcesFitArgs['scoringStrategy'], rest: Partial<NodeResourcesFitArgs> = {}): NodeResourcesFitArgs => ({
  ignoredResources: [],
  ignoredResourceGroups: [],
  scoringStrategy,
  ...rest,
});

// pkg/scheduler/apis/config/validation/validation_pluginargs_test.go TestValidateFitArgs
// (upstream checks that the error contains `expect`; the full text is asserted here). The row
// "ScoringStrategy: field is required" has no counterpart: defaulting always sets a strategy.
const labelKeyRegex =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const validateFitArgsRows: Array<{ name: string; args: NodeResourcesFitArgs; want: string[] }> = [
  {
    name: 'IgnoredResources: too long value',
    args: fitArgs(defaultScoringStrategy, { ignoredResources: [`longvalue${'a'.repeat(64)}`] }),
    want: [`ignoredResources[0]: Invalid value: "longvalue${'a'.repeat(64)}": name part must be no more than 63 bytes`],
  },
  {
    name: 'IgnoredResources: name is empty',
    args: fitArgs(defaultScoringStrategy, { ignoredResources: ['example.com/'] }),
    want: ['ignoredResources[0]: Invalid value: "example.com/": name part must be non-empty', `ignoredResources[0]: Invalid value: "example.com/": name part ${labelKeyRegex}`],
  },
  {
    name: 'IgnoredResources: name has too many slash',
    args: fitArgs(defaultScoringStrategy, { ignoredResources: ['example.com/aaa/bbb'] }),
    want: [
      `ignoredResources[0]: Invalid value: "example.com/aaa/bbb": a valid label key ${labelKeyRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  },
  { name: 'IgnoredResources: valid args', args: fitArgs(defaultScoringStrategy, { ignoredResources: ['example.com'] }), want: [] },
  { name: 'IgnoredResourceGroups: valid args ', args: fitArgs(defaultScoringStrategy, { ignoredResourceGroups: ['example.com'] }), want: [] },
  {
    name: 'IgnoredResourceGroups: illegal args',
    args: fitArgs(defaultScoringStrategy, { ignoredResourceGroups: ['example.com/'] }),
    want: [
      `ignoredResourceGroups[0]: Invalid value: "example.com/": resource group name can't contain '/'`,
      'ignoredResourceGroups[0]: Invalid value: "example.com/": name part must be non-empty',
      `ignoredResourceGroups[0]: Invalid value: "example.com/": name part ${labelKeyRegex}`,
    ],
  },
  {
    name: 'IgnoredResourceGroups: name is too long',
    args: fitArgs(defaultScoringStrategy, { ignoredResourceGroups: ['a'.repeat(64)] }),
    want: [`ignoredResourceGroups[0]: Invalid value: "${'a'.repeat(64)}": name part must be no more than 63 bytes`],
  },
  {
    name: 'IgnoredResourceGroups: name cannot be contain slash',
    args: fitArgs(defaultScoringStrategy, { ignoredResourceGroups: ['example.com/aa'] }),
    want: [`ignoredResourceGroups[0]: Invalid value: "example.com/aa": resource group name can't contain '/'`],
  },
  {
    name: 'ScoringStrategy: type is unsupported',
    args: fitArgs({ type: 'Invalid', resources: [] }),
    want: ['scoringStrategy.type: Unsupported value: "Invalid": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"'],
  },
];

t.test('TestValidateFitArgs', async (t) => {
  for (const row of validateFitArgsRows) t.test(row.name, async (t) => t.same(validateFitArgs(row.args), row.want));
});

// validation_pluginargs_test.go TestValidateLeastAllocatedScoringStrategy and
// TestValidateMostAllocatedScoringStrategy (the same rows for both types).
const weightRows: Array<{ name: string; resources?: Array<{ name: string; weight: number }>; want: string[] }> = [
  { name: 'default config', want: [] },
  {
    name: 'multi valid resources',
    resources: [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 10 },
    ],
    want: [],
  },
  { name: 'weight less than min', resources: [{ name: 'cpu', weight: 0 }], want: ['scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]'] },
  { name: 'weight greater than max', resources: [{ name: 'cpu', weight: 101 }], want: ['scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]'] },
  {
    name: 'multi invalid resources',
    resources: [
      { name: 'cpu', weight: 0 },
      { name: 'memory', weight: 101 },
    ],
    want: [
      'scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]',
      'scoringStrategy.resources[1].weight: Invalid value: 101: resource weight of memory not in valid range (0, 100]',
    ],
  },
];

for (const type of ['LeastAllocated', 'MostAllocated']) {
  t.test(`TestValidate${type}ScoringStrategy`, async (t) => {
    for (const row of weightRows) t.test(row.name, async (t) => t.same(validateFitArgs(fitArgs({ type, resources: row.resources ?? [] })), row.want));
  });
}

// validation_pluginargs_test.go TestValidateRequestedToCapacityRatioScoringStrategy.
const defaultShape = [{ utilization: 30, score: 3 }];
const shapeRows: Array<{ name: string; resources?: Array<{ name: string; weight: number }>; shape: UtilizationShape; want: string[] }> = [
  { name: 'no shapes', shape: [], want: ['scoringStrategy.shape: Required value: at least one point must be specified'] },
  { name: 'weight greater than max', shape: defaultShape, resources: [{ name: 'cpu', weight: 101 }], want: ['scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]'] },
  { name: 'weight less than min', shape: defaultShape, resources: [{ name: 'cpu', weight: 0 }], want: ['scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]'] },
  { name: 'valid shapes', shape: defaultShape, want: [] },
  { name: 'utilization less than min', shape: [{ utilization: -1, score: 3 }], want: ['scoringStrategy.shape[0].utilization: Invalid value: -1: not in valid range [0, 100]'] },
  { name: 'utilization greater than max', shape: [{ utilization: 101, score: 3 }], want: ['scoringStrategy.shape[0].utilization: Invalid value: 101: not in valid range [0, 100]'] },
  {
    name: 'duplicated utilization values',
    shape: [
      { utilization: 10, score: 3 },
      { utilization: 10, score: 3 },
    ],
    want: ['scoringStrategy.shape[1].utilization: Invalid value: 10: values must be sorted in increasing order'],
  },
  {
    name: 'increasing utilization values',
    shape: [
      { utilization: 10, score: 3 },
      { utilization: 20, score: 3 },
      { utilization: 30, score: 3 },
    ],
    want: [],
  },
  {
    name: 'non-increasing utilization values',
    shape: [
      { utilization: 10, score: 3 },
      { utilization: 20, score: 3 },
      { utilization: 15, score: 3 },
    ],
    want: ['scoringStrategy.shape[2].utilization: Invalid value: 15: values must be sorted in increasing order'],
  },
  { name: 'score less than min', shape: [{ utilization: 10, score: -1 }], want: ['scoringStrategy.shape[0].score: Invalid value: -1: not in valid range [0, 10]'] },
  { name: 'score greater than max', shape: [{ utilization: 10, score: 11 }], want: ['scoringStrategy.shape[0].score: Invalid value: 11: not in valid range [0, 10]'] },
];
type UtilizationShape = Array<{ utilization: number; score: number }>;

t.test('TestValidateRequestedToCapacityRatioScoringStrategy', async (t) => {
  for (const row of shapeRows) {
    t.test(row.name, async (t) =>
      t.same(validateFitArgs(fitArgs({ type: 'RequestedToCapacityRatio', resources: row.resources ?? [], requestedToCapacityRatio: { shape: row.shape } })), row.want),
    );
  }
  // kubedrill: upstream's NewFit dereferences a nil requestedToCapacityRatio; here it is reported.
  t.same(validateFitArgs(fitArgs({ type: 'RequestedToCapacityRatio', resources: [] })), ['scoringStrategy.shape: Required value: at least one point must be specified']);
});

// Go arithmetic helpers the scorers rely on.
t.test('goRound and scaleTo100', async (t) => {
  t.same([goRound(2.5), goRound(-2.5), goRound(0.49999999999999994), goRound(-0.5), goRound(37.5), goRound(3.125)], [3, -3, 0, -1, 38, 3]);
  t.equal(scaleTo100(3, 8), 37);
  t.equal(scaleTo100(-3, 8), -37, 'truncates toward zero');
  // Near 2^60 bytes the product leaves the exact range of a double; the result stays exact.
  t.equal(scaleTo100(2 ** 60 - 1024, 2 ** 60), 99);
});

// ---------------------------------------------------------------------------------------------
// Queueing hints (fit_test.go)

/** st.MakePod().Name(n).UID(u).Req(req).Node(node): one container with the requests. */
function reqPod(name: string, uid: string, req: ResourceList, node?: string): Pod {
  return makePod(name, { containers: [{ name: 'c', image: 'img', resources: { requests: req } }], ...(node ? { nodeName: node } : {}) }, { uid });
}
/** st.MakeNode().Capacity(c): capacity and allocatable, with pods: 32 unless given. */
const capNode = (c: ResourceList): Node => makeNode('', { pods: '32', ...c });
type Hint = 'Queue' | 'QueueSkip' | 'error';
const checkHint = (t: Test, got: unknown, want: Hint, name: string) => (want === 'error' ? t.ok(got instanceof Error, name) : t.equal(got, want, name));

t.test('fit_test.go TestIsSchedulableAfterPodChange', async (t) => {
  const rows: Array<{ name: string; pod: Pod; oldObj?: unknown; newObj?: unknown; want: Hint }> = [
    { name: 'backoff-wrong-old-object', pod: makePod('p', {}, { uid: '' }), oldObj: 'not-a-pod', want: 'error' },
    { name: 'backoff-wrong-new-object', pod: makePod('p', {}, { uid: '' }), newObj: 'not-a-pod', want: 'error' },
    { name: 'queue-on-other-pod-deleted', pod: reqPod('pod1', '', { cpu: '1' }), oldObj: reqPod('pod2', '', { cpu: '1' }, 'fake'), want: 'Queue' },
    { name: 'skip-queue-on-unscheduled-pod-deleted', pod: makePod('p', {}, { uid: '' }), oldObj: makePod('q', {}, { uid: '' }), want: 'QueueSkip' },
    { name: 'skip-queue-on-other-unscheduled-pod', pod: reqPod('pod1', 'uid0', { cpu: '1' }), oldObj: reqPod('pod2', 'uid1', { cpu: '2' }), newObj: reqPod('pod2', 'uid1', { cpu: '1' }), want: 'QueueSkip' },
    { name: 'skip-queue-on-other-pod-unrelated-resource-scaled-down', pod: reqPod('pod1', 'pod1', { cpu: '1' }), oldObj: reqPod('pod2', 'pod2', { memory: '2' }, 'fake'), newObj: reqPod('pod2', 'pod2', { memory: '1' }, 'fake'), want: 'QueueSkip' },
    { name: 'queue-on-other-pod-some-resource-scale-down', pod: reqPod('pod1', 'pod1', { cpu: '1' }), oldObj: reqPod('pod2', 'pod2', { cpu: '2' }, 'fake'), newObj: reqPod('pod2', 'pod2', { cpu: '1' }, 'fake'), want: 'Queue' },
    { name: 'queue-on-target-pod-some-resource-scale-down', pod: reqPod('pod1', 'pod1', { cpu: '1' }), oldObj: reqPod('pod1', 'pod1', { cpu: '2' }), newObj: reqPod('pod1', 'pod1', { cpu: '1' }), want: 'Queue' },
  ];
  for (const row of rows) checkHint(t, isSchedulableAfterPodEvent(row.pod, row.oldObj, row.newObj), row.want, row.name);
});

t.test('fit_test.go Test_isSchedulableAfterNodeChange', async (t) => {
  const memA = () => newResourcePod({ memory: 2, scalar: { [extendedResourceA]: 1 } });
  const rows: Array<{ name: string; pod: Pod; oldObj?: unknown; newObj?: unknown; want: Hint }> = [
    { name: 'backoff-wrong-new-object', pod: newResourcePod(), newObj: 'not-a-node', want: 'error' },
    { name: 'backoff-wrong-old-object', pod: newResourcePod(), oldObj: 'not-a-node', newObj: makeNode(''), want: 'error' },
    { name: 'skip-queue-on-node-add-without-sufficient-resources', pod: newResourcePod({ memory: 2 }), newObj: capNode({ memory: '1' }), want: 'QueueSkip' },
    { name: 'skip-queue-on-node-add-without-required-resource-type', pod: newResourcePod({ scalar: { [extendedResourceA]: 1 } }), newObj: capNode({ [extendedResourceB]: '1' }), want: 'QueueSkip' },
    { name: 'queue-on-node-add-with-sufficient-resources', pod: memA(), newObj: capNode({ memory: '4', [extendedResourceA]: '2' }), want: 'Queue' },
    { name: 'skip-queue-on-node-unrelated-changes', pod: memA(), oldObj: capNode({ memory: '2', [extendedResourceA]: '2' }), newObj: capNode({ memory: '2', [extendedResourceA]: '1', [extendedResourceB]: '2' }), want: 'QueueSkip' },
    { name: 'queue-on-pod-requested-resources-increase', pod: memA(), oldObj: capNode({ memory: '2', [extendedResourceA]: '1' }), newObj: capNode({ memory: '2', [extendedResourceA]: '2' }), want: 'Queue' },
    { name: 'skip-queue-on-node-changes-from-suitable-to-unsuitable', pod: memA(), oldObj: capNode({ memory: '4', [extendedResourceA]: '2' }), newObj: capNode({ memory: '1', [extendedResourceA]: '2' }), want: 'QueueSkip' },
    { name: 'queue-on-node-changes-from-unsuitable-to-suitable', pod: memA(), oldObj: capNode({ memory: '1', [extendedResourceA]: '2' }), newObj: capNode({ memory: '4', [extendedResourceA]: '2' }), want: 'Queue' },
  ];
  for (const row of rows) checkHint(t, isSchedulableAfterNodeChange(row.pod, row.oldObj, row.newObj), row.want, row.name);
});

t.test('fit_test.go TestIsFit', async (t) => {
  t.equal(isFit(makePod('p'), undefined), false, 'nil node');
  t.equal(isFit(reqPod('p', '', { cpu: '2' }), capNode({ cpu: '1' })), false, 'insufficient resource');
  t.equal(isFit(reqPod('p', '', { cpu: '1' }), capNode({ cpu: '2' })), true, 'sufficient resource');
});

t.test('fit_test.go TestHaveAnyRequestedResourcesIncreased', async (t) => {
  const all = (pods: string, x: string, a: string): ResourceList => ({ pods, cpu: x, memory: x, 'ephemeral-storage': x, [extendedResourceA]: a });
  const big = () => newResourcePod({ milliCPU: 2, memory: 2, ephemeralStorage: 2, scalar: { [extendedResourceA]: 2 } });
  const cpuMem = () => newResourcePod({ milliCPU: 2, memory: 2 });
  const rows: Array<{ name: string; pod: Pod; original: ResourceList; modified: ResourceList; want: boolean }> = [
    { name: 'no-requested-resources', pod: newResourcePod({}), original: all('1', '1', '1'), modified: all('1', '2', '2'), want: false },
    { name: 'no-requested-resources-pods-increased', pod: newResourcePod({}), original: all('1', '1', '1'), modified: all('2', '1', '1'), want: true },
    { name: 'scalar-resources-not-in-node', pod: big(), original: { cpu: '1', memory: '2', 'ephemeral-storage': '3' }, modified: { cpu: '1', memory: '2', 'ephemeral-storage': '1' }, want: false },
    { name: 'requested-resources-decreased', pod: big(), original: { cpu: '1', memory: '2', 'ephemeral-storage': '3', [extendedResourceA]: '4' }, modified: { cpu: '1', memory: '2', 'ephemeral-storage': '1', [extendedResourceA]: '1' }, want: false },
    { name: 'requested-resources-increased', pod: big(), original: { cpu: '1', memory: '2', 'ephemeral-storage': '3', [extendedResourceA]: '4' }, modified: { cpu: '3', memory: '4', 'ephemeral-storage': '3', [extendedResourceA]: '4' }, want: true },
    { name: 'non-requested-resources-decreased', pod: cpuMem(), original: { cpu: '1', memory: '2', 'ephemeral-storage': '3', [extendedResourceA]: '4' }, modified: { cpu: '1', memory: '2', 'ephemeral-storage': '1', [extendedResourceA]: '1' }, want: false },
    { name: 'non-requested-resources-increased', pod: cpuMem(), original: { cpu: '1', memory: '2', 'ephemeral-storage': '3', [extendedResourceA]: '4' }, modified: { cpu: '1', memory: '2', 'ephemeral-storage': '5', [extendedResourceA]: '6' }, want: false },
  ];
  for (const row of rows) t.equal(haveAnyRequestedResourcesIncreased(row.pod, capNode(row.original), capNode(row.modified)), row.want, row.name);
});
