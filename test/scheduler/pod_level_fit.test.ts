// Pod-level resources (PodLevelResources, beta and on by default in v1.35) in NodeResourcesFit's
// queueing-hint helpers: the pod-level rows of two upstream tests, transcribed row by row with
// upstream's row names and expected values. (The other rows of both tests are in
// test/scheduler/plugins/node_resources_fit.test.ts; the pod-level PodRequests, TestEnoughRequests
// and TestPodInfoCalculateResources rows are in test/scheduler/pod_level_resources.test.ts.)
//
// Source: kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources/fit_test.go, the
// newest stored version that has these rows: reference-index file id 789199930 (97,182
// characters; a v1.35-era file: it imports testing/synctest and k8s.io/api/resource/v1 and has
// TestFitSignPod and Test_isSchedulableAfterDeviceClassChange). The index does not report that
// version's commit; the only commits it names for this path (24fbb13e, 007f7ae7) are older
// versions without any pod-level rows. A second stored version (index id 269242856, 74,493
// characters, also commit not reported) has the same four TestIsFit rows, identical, but not
// the pod-change rows.
//  1. TestIsFit: the four rows with podLevelResourcesEnabled: true. The pod is
//     st.MakePod().Resources(v1.ResourceRequirements{Requests: ...}).Obj(): spec.resources set,
//     no containers. The node is st.MakeNode().Capacity(...): capacity and allocatable both the
//     given list plus pods: 32. Upstream calls isFit(pod, node, nil, ResourceRequestsOptions{
//     EnablePodLevelResources: true}); here isFit(pod, node) (kubedrill's gate is always on and
//     it has no DRA manager). Each row checks isFit against `expected`. It also runs PreFilter +
//     Filter on a NodeInfo that holds only the node: upstream isFit builds exactly that NodeInfo
//     and calls Fits, which is fitsRequest on computePodResourceRequest, the same check Filter
//     makes. So Filter must return nil (fits) when expected is true and a non-nil status when it
//     is false.
//  2. The pod-change hint test. In this stored version it is named
//     Test_isSchedulableAfterPodChange (the brief calls it TestIsSchedulableAfterPodChange). It
//     has three pod-level rows, all with enableInPlacePodVerticalScaling: true (kubedrill models
//     that gate as on, its v1.35 default). Pods are st.MakePod().Name(n).UID(u)
//     .PodLevelResourceRequests(map).[Node("fake")].Obj(). The stored wrappers.go versions predate
//     PodLevelResourceRequests. The stored pkg/scheduler/testing guide (index id 70117799075)
//     describes it as "Configures pod-level requests (.spec.resources.requests)", so here it is
//     spec.resources = {requests: map} and no containers. Each row checks
//     isSchedulableAfterPodEvent(pod, oldObj, newObj) against expectedHint. Upstream
//     (fit.go isSchedulableAfterPodScaleDown) computes all three pods' requests with
//     resource.PodRequests without SkipPodLevelResources, so the pod-level requests count. Each
//     row also has a premise check: the target pod's requests as kubedrill computes them
//     (PodInfo.requests) must be the pod-level ones. Without that, a QueueSkip row would also
//     pass if pod-level requests were ignored.
//
// Left out, and why:
//  - TestIsFit "nil node", "insufficient resource", "sufficient resource" and the pod-change
//    test's container-level rows: not pod-level; they are in
//    test/scheduler/plugins/node_resources_fit.test.ts (except
//    "skip-queue-on-disable-inplace-pod-vertical-scaling", left out there: it needs
//    InPlacePodVerticalScaling off, and the gate is on in v1.35).
//  - None of the pod-level rows of these two tests is left out: none needs DRA or in-place
//    resize status.
import t, { type Test } from 'tap';
import type { Node, Pod, ResourceList } from '../../src/api/types.js';
import { NodeInfo, PodInfo } from '../../src/scheduler/framework/types.js';
import { NodeResourcesFit, isFit, isSchedulableAfterPodEvent } from '../../src/scheduler/plugins/node_resources_fit.js';
import { makeNode, makePod, runFilter } from './fixtures.js';

const hugePageResourceA = 'hugepages-2Mi';
const Mi = 1024 * 1024;

const defaultScoringStrategy = { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };

/** st.MakeNode().Capacity(c): capacity and allocatable both c plus pods: 32. */
const capNode = (c: ResourceList): Node => makeNode('', { pods: '32', ...c });

let seq = 0;

/** st.MakePod().Resources(v1.ResourceRequirements{Requests: req}).Obj(): no name, no uid, no containers. */
function podLevelPod(req: ResourceList): Pod {
  return makePod(`plr-fit-${seq++}`, { resources: { requests: req } }, { uid: '' });
}

/** The pod's requests for a resource as kubedrill computes them (cpu in millicores). */
function requestOf(pod: Pod, resource: string): number {
  return PodInfo.of(pod).requests.get(resource);
}

// ---------------------------------------------------------------------------------------------
// 1. fit_test.go TestIsFit (podLevelResourcesEnabled rows)

interface IsFitRow {
  name: string;
  pod: Pod;
  node: Node;
  expected: boolean;
  /** Premise: the pod's request for this resource as kubedrill computes it. */
  premise: { resource: string; value: number };
}

const isFitRows: IsFitRow[] = [
  {
    name: 'insufficient pod-level resource',
    pod: podLevelPod({ cpu: '2' }),
    node: capNode({ cpu: '1' }),
    expected: false,
    premise: { resource: 'cpu', value: 2000 },
  },
  {
    name: 'sufficient pod-level resource',
    pod: podLevelPod({ cpu: '2' }),
    node: capNode({ cpu: '2' }),
    expected: true,
    premise: { resource: 'cpu', value: 2000 },
  },
  {
    name: 'sufficient pod-level resource hugepages',
    pod: podLevelPod({ [hugePageResourceA]: '2Mi' }),
    node: capNode({ [hugePageResourceA]: '2Mi' }),
    expected: true,
    premise: { resource: hugePageResourceA, value: 2 * Mi },
  },
  {
    name: 'insufficient pod-level resource hugepages',
    pod: podLevelPod({ [hugePageResourceA]: '4Mi' }),
    node: capNode({ [hugePageResourceA]: '2Mi' }),
    expected: false,
    premise: { resource: hugePageResourceA, value: 4 * Mi },
  },
];

t.test('fit_test.go TestIsFit (podLevelResourcesEnabled rows)', async (t) => {
  for (const row of isFitRows) {
    t.test(row.name, async (t) => {
      t.equal(requestOf(row.pod, row.premise.resource), row.premise.value, `premise: pod-level ${row.premise.resource} request`);
      t.equal(isFit(row.pod, row.node), row.expected, 'isFit');
      // Fits on NodeInfo{} + SetNode(node): PreFilter + Filter on a NodeInfo holding only the node.
      const plugin = new NodeResourcesFit({ ignoredResources: [], ignoredResourceGroups: [], scoringStrategy: defaultScoringStrategy });
      const status = runFilter(plugin, row.pod, new NodeInfo(row.node));
      if (row.expected) t.equal(status, null, 'Filter on the empty node: fits');
      else t.not(status, null, 'Filter on the empty node: rejects');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 2. fit_test.go Test_isSchedulableAfterPodChange (pod-level rows)

/** st.MakePod().Name(name).UID(uid).PodLevelResourceRequests(req)[.Node(node)].Obj(). */
function podLevelReqPod(name: string, uid: string, req: ResourceList, node?: string): Pod {
  return makePod(name, { resources: { requests: req }, ...(node ? { nodeName: node } : {}) }, { uid });
}

type Hint = 'Queue' | 'QueueSkip';

interface PodChangeRow {
  name: string;
  pod: Pod;
  oldObj: Pod;
  newObj: Pod;
  expectedHint: Hint;
  /** Premise: the target pod's pod-level request as kubedrill computes it. */
  premise: { resource: string; value: number };
}

const podChangeRows: PodChangeRow[] = [
  {
    name: 'skip-queue-on-other-pod-unrelated-pod-level-resource-scaled-down',
    pod: podLevelReqPod('pod1', 'pod1', { cpu: '1' }),
    oldObj: podLevelReqPod('pod2', 'pod2', { memory: '2' }, 'fake'),
    newObj: podLevelReqPod('pod2', 'pod2', { memory: '1' }, 'fake'),
    expectedHint: 'QueueSkip',
    premise: { resource: 'cpu', value: 1000 },
  },
  {
    name: 'queue-on-other-pod-some-pod-level-resource-scale-down',
    pod: podLevelReqPod('pod1', 'pod1', { cpu: '1' }),
    oldObj: podLevelReqPod('pod2', 'pod2', { cpu: '2' }, 'fake'),
    newObj: podLevelReqPod('pod2', 'pod2', { cpu: '1' }, 'fake'),
    expectedHint: 'Queue',
    premise: { resource: 'cpu', value: 1000 },
  },
  {
    name: 'queue-on-target-pod-some-pod-level-resource-scale-down',
    pod: podLevelReqPod('pod1', 'pod1', { cpu: '1' }),
    oldObj: podLevelReqPod('pod1', 'pod1', { cpu: '2' }),
    newObj: podLevelReqPod('pod1', 'pod1', { cpu: '1' }),
    expectedHint: 'Queue',
    premise: { resource: 'cpu', value: 1000 },
  },
];

function checkHint(t: Test, row: PodChangeRow): void {
  const got = isSchedulableAfterPodEvent(row.pod, row.oldObj, row.newObj);
  t.notOk(got instanceof Error, 'no error');
  t.equal(got, row.expectedHint, 'hint');
}

t.test('fit_test.go Test_isSchedulableAfterPodChange (pod-level rows)', async (t) => {
  for (const row of podChangeRows) {
    t.test(row.name, async (t) => {
      t.equal(requestOf(row.pod, row.premise.resource), row.premise.value, `premise: target pod's pod-level ${row.premise.resource} request`);
      checkHint(t, row);
    });
  }
});
