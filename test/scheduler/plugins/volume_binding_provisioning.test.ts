// Dynamic provisioning in the VolumeBinding plugin (src/scheduler/plugins/volume_binding.ts), rows
// transcribed from pkg/scheduler/framework/plugins/volumebinding/binder_test.go (the stored copy at
// f6ddee95f962, the v1.33+ test with DynamicProvision{PVC, NodeCapacity}; NodeCapacity is always
// nil in the rows taken), with that file's fixtures (makeTestPVC, makeTestPV, the four classes of
// newTestBinder, testNode "node1" labelled nodeKey=node1). Upstream calls the binder's methods on
// a fake client and informers; here the same steps go through the plugin: GetPodVolumeClaims is
// PreFilter, FindPodVolumes is `findPodVolumes` (and Filter for the status), AssumePodVolumes is
// Reserve (its PodVolumes input put into the cycle state by hand, as upstream passes it in),
// RevertAssumedPodVolumes is Unreserve, bindAPIUpdate is PreBind, the PV/PVC caches are read with
// `getPV` / `getPVC`, and the API objects are the fake handle's objects.
//
// Taken from:
//   - TestFindPodVolumesWithProvisioning: every row ("one-provisioned",
//     "two-unbound-pvcs,one-matched,one-provisioned", "one-bound,one-provisioned",
//     "one-binding,one-selected-node", "immediate-unbound-pvc", "one-immediate-bound,one-provisioned",
//     "invalid-provisioner", "volume-topology-unsatisfied"), in its "no CSIDriver" variant;
//   - TestFindPodVolumesWithoutProvisioning: the rows whose unmatched claims reach
//     checkVolumeProvisions (class waitClass, kubernetes.io/no-provisioner):
//     "unbound-pvc,pv-different-node", "two-unbound-pvcs,partial-match",
//     "one-bound,one-unbound,no-match";
//   - TestAssumePodVolumes: its provisioning rows "one-binding, one-pvc-provisioned" and
//     "one-binding, one-provision-tmpupdate-failed";
//   - TestRevertAssumedPodVolumes (its single scenario, one binding and one provisioning);
//   - TestBindAPIUpdate: its provisioning rows "one-provisioned-pvc", "provision-api-update-failed",
//     "binding-succeed, provision-api-update-failed".
// Left out (provisioning-related):
//   - TestFindPodVolumesWithProvisioning's "CSIDriver with capacity tracking" variant (the
//     needsCapacity rows expecting ErrReasonNotEnoughSpace and no provisions): needs CSIDriver and
//     CSIStorageCapacity, which kubedrill does not have; its "CSIDriver without capacity tracking"
//     variant needs a CSIDriver object (its expectations are those of the "no CSIDriver" rows here);
//   - TestCapacity (every row, both CSIDriver.StorageCapacity variants): needs CSIDriver and
//     CSIStorageCapacity objects;
//   - TestCheckBindings' provisioning rows ("provisioning-pvc-bound", "provisioning-pvc-unbound",
//     "provisioning-pvc-not-exists", "provisioning-pvc-annotations-nil",
//     "provisioning-pvc-selected-node-dropped", "provisioning-pvc-selected-node-wrong-node",
//     "binding-bound-provisioning-unbound", "tolerate-provisioning-pvc-bound-pv-not-found"): they
//     test checkBindings, the bind wait loop, which is not modelled (PreBind does not wait);
//   - TestCheckBindingsWithCSIMigration "provisioning-pvc-bound": the bind wait loop and in-tree
//     to CSI translation;
//   - TestBindPodVolumes "binding-dynamic-pv-succeeds-after-time" and
//     "node-affinity-fails-dynamic-provisioning": the bind wait loop;
//   - volume_binding_test.go: the stored copies read (645c553fcae9 and a later one with the
//     queueing-hint tables) have no TestVolumeBinding row with a class that provisions (their
//     classes have no provisioner); the StorageCapacityScoring rows of later versions were not
//     found in the store and would need CSIStorageCapacity anyway; the queueing-hint rows
//     (TestIsSchedulableAfterStorageClassChange's AllowedTopologies rows, ...CSIStorageCapacity...,
//     ...CSIDriver...) need the queueing hints, not modelled.
// Below the transcribed rows, kubedrill's own checks (not upstream rows): the selected-node fast
// path and precedence over matching volumes, the assumed claim seen by a later cycle, PreBind's
// revert of unwritten claims, a class deleted between PreFilter and Filter, and
// MatchTopologySelectorTerms.
import t from 'tap';
import type { AnyObject, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../../src/api/types.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, NOT_SUPPORTED_PROVISIONER as STORAGE_NOT_SUPPORTED } from '../../../src/api/storage.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, type NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  type BindingInfo,
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_UNBOUND_IMMEDIATE,
  NOT_SUPPORTED_PROVISIONER,
  type PodVolumes,
  STATE_KEY,
  type StateData,
  VolumeBinding,
  matchTopologySelectorTerms,
} from '../../../src/scheduler/plugins/volume_binding.js';
import { fakeHandle, makeNode, makePod, nodeInfo } from '../fixtures.js';

// ---- binder_test.go's fixtures --------------------------------------------------------------------

const provisioner = 'test-provisioner';
const waitClass = 'waitClass';
const immediateClass = 'immediateClass';
const waitClassWithProvisioner = 'waitClassWithProvisioner';
const topoMismatchClass = 'topoMismatchClass';
const nodeLabelKey = 'nodeKey';
const nodeLabelValue = 'node1';

/** newTestBinder's classes (immediateClass has no provisioner upstream: ""). */
function classes(): StorageClass[] {
  const sc = (name: string, mode: StorageClass['volumeBindingMode'], prov: string, allowedTopologies?: StorageClass['allowedTopologies']): StorageClass => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: prov,
    volumeBindingMode: mode,
    ...(allowedTopologies ? { allowedTopologies } : {}),
  });
  return [
    sc(waitClassWithProvisioner, 'WaitForFirstConsumer', provisioner, [{ matchLabelExpressions: [{ key: nodeLabelKey, values: [nodeLabelValue, 'reference-value'] }] }]),
    sc(immediateClass, 'Immediate', ''),
    sc(waitClass, 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner'),
    sc(topoMismatchClass, 'WaitForFirstConsumer', provisioner, [{ matchLabelExpressions: [{ key: nodeLabelKey, values: ['reference-value'] }] }]),
  ];
}

type PVCState = 'unbound' | 'prebound' | 'bound' | 'selectedNode';

/** makeTestPVC(name, size, node, pvcBoundState, pvName, resourceVersion, className). */
function makeTestPVC(name: string, size: string, node: string, state: PVCState, pvName: string, resourceVersion: string, className: string): PersistentVolumeClaim {
  const annotations: Record<string, string> = {};
  if (state === 'selectedNode') annotations[ANN_SELECTED_NODE] = node;
  if (state === 'bound') annotations[ANN_BIND_COMPLETED] = 'yes';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'testns', uid: 'pvc-uid', resourceVersion, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      resources: { requests: { storage: size } },
      storageClassName: className,
      volumeMode: 'Filesystem',
      ...(state === 'bound' || state === 'prebound' ? { volumeName: pvName } : {}),
    },
    status: {},
  };
}

/** makeTestPV(name, node, capacity, version, boundToPVC, className). */
function makeTestPV(name: string, node: string, capacity: string, version: string, boundToPVC: PersistentVolumeClaim | undefined, className: string): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, resourceVersion: version, ...(boundToPVC ? { annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' } } : {}) },
    spec: {
      capacity: { storage: capacity },
      storageClassName: className,
      volumeMode: 'Filesystem',
      ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: nodeLabelKey, operator: 'In' as const, values: [node] }] }] } } } : {}),
      ...(boundToPVC
        ? {
            claimRef: {
              kind: boundToPVC.kind,
              apiVersion: boundToPVC.apiVersion,
              resourceVersion: boundToPVC.metadata.resourceVersion!,
              name: boundToPVC.metadata.name,
              namespace: boundToPVC.metadata.namespace!,
              uid: boundToPVC.metadata.uid!,
            },
          }
        : {}),
    },
    status: { phase: 'Available' },
  };
}

/** A fresh set of binder_test.go's claims and volumes (tests never share objects). */
function fixtures() {
  const unboundPVC = makeTestPVC('unbound-pvc', '1G', '', 'unbound', '', '1', waitClass);
  const unboundPVC2 = makeTestPVC('unbound-pvc2', '5G', '', 'unbound', '', '1', waitClass);
  const boundPVC = makeTestPVC('bound-pvc', '1G', '', 'bound', 'pv-bound', '1', waitClass);
  const immediateBoundPVC = makeTestPVC('immediate-bound-pvc', '1G', '', 'bound', 'pv-bound-immediate', '1', immediateClass);
  return {
    unboundPVC,
    unboundPVC2,
    boundPVC,
    immediateUnboundPVC: makeTestPVC('immediate-unbound-pvc', '1G', '', 'unbound', '', '1', immediateClass),
    immediateBoundPVC,
    provisionedPVC: makeTestPVC('provisioned-pvc', '1Gi', '', 'unbound', '', '1', waitClassWithProvisioner),
    provisionedPVC2: makeTestPVC('provisioned-pvc2', '1Gi', '', 'unbound', '', '1', waitClassWithProvisioner),
    provisionedPVCHigherVersion: makeTestPVC('provisioned-pvc2', '1Gi', '', 'unbound', '', '2', waitClassWithProvisioner),
    noProvisionerPVC: makeTestPVC('no-provisioner-pvc', '1Gi', '', 'unbound', '', '1', waitClass),
    topoMismatchPVC: makeTestPVC('topo-mismatch-pvc', '1Gi', '', 'unbound', '', '1', topoMismatchClass),
    selectedNodePVC: makeTestPVC('provisioned-pvc', '1Gi', nodeLabelValue, 'selectedNode', '', '1', waitClassWithProvisioner),
    pvNode1a: makeTestPV('pv-node1a', 'node1', '5G', '1', undefined, waitClass),
    pvNode1b: makeTestPV('pv-node1b', 'node1', '10G', '1', undefined, waitClass),
    pvNode2: makeTestPV('pv-node2', 'node2', '1G', '1', undefined, waitClass),
    pvBound: makeTestPV('pv-bound', 'node1', '1G', '1', boundPVC, waitClass),
    pvNode1aBound: makeTestPV('pv-node1a', 'node1', '5G', '1', unboundPVC, waitClass),
    pvBoundImmediate: makeTestPV('pv-bound-immediate', 'node1', '1G', '1', immediateBoundPVC, immediateClass),
  };
}

/** addProvisionAnn: a copy with the selected node set to nodeLabelValue. */
const addProvisionAnn = (pvc: PersistentVolumeClaim): PersistentVolumeClaim => ({
  ...pvc,
  metadata: { ...pvc.metadata, annotations: { ...pvc.metadata.annotations, [ANN_SELECTED_NODE]: nodeLabelValue } },
});
const makeBinding = (pvc: PersistentVolumeClaim, pv: PersistentVolume): BindingInfo => ({ pvc, pv });

/** makePod("test-pod").withNamespace("testns").withNodeName("node1").withPVCSVolume(pvcs). */
const testPod = (pvcs: readonly PersistentVolumeClaim[]): Pod =>
  makePod('test-pod', { nodeName: 'node1', volumes: pvcs.map((c, i) => ({ name: `vol${i}`, persistentVolumeClaim: { claimName: c.metadata.name } })) }, { namespace: 'testns' });

/** testNode: node1 labelled nodeKey=node1 (binder_test.go's node2 for the two-node checks). */
const testNode = (name = 'node1'): NodeInfo => nodeInfo(makeNode(name, {}, { labels: { [nodeLabelKey]: name } }));

/** The plugin over the classes and the given objects (the fake client and informers). */
function newTestBinder(objs: AnyObject[], nodes: NodeInfo[] = [testNode()]) {
  const objects: AnyObject[] = [...classes(), ...objs];
  const handle = fakeHandle(nodes, {}, objects);
  return { objects, nodes, handle, p: new VolumeBinding(handle) };
}

/** Replaces a stored object (an API-side change the plugin did not make). */
function replaceStored(objects: AnyObject[], obj: AnyObject): void {
  const i = objects.findIndex((o) => o.kind === obj.kind && o.metadata.name === obj.metadata.name && o.metadata.namespace === obj.metadata.namespace);
  if (i < 0) throw new Error(`no stored ${obj.kind} ${obj.metadata.name}`);
  objects[i] = obj;
}

const plain = (s: MaybeStatus) => (s === null ? null : { code: s.code, reasons: [...s.reasons] });

// ---- TestFindPodVolumesWithProvisioning (and the checkVolumeProvisions rows of ...WithoutProvisioning) ----

interface FindRow {
  name: string;
  podPVCs: (f: ReturnType<typeof fixtures>) => PersistentVolumeClaim[];
  pvs?: (f: ReturnType<typeof fixtures>) => PersistentVolume[];
  expectedBindings?: (f: ReturnType<typeof fixtures>) => BindingInfo[];
  expectedProvisions?: (f: ReturnType<typeof fixtures>) => PersistentVolumeClaim[];
  reasons?: string[];
  /** findPodVolumes (upstream's test helper) errs: here PreFilter's status. */
  preFilterStatus?: { code: Code; reasons: string[] };
}

const findRows: Array<FindRow & { test: string }> = [
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'one-provisioned',
    podPVCs: (f) => [f.provisionedPVC],
    expectedProvisions: (f) => [f.provisionedPVC],
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'two-unbound-pvcs,one-matched,one-provisioned',
    podPVCs: (f) => [f.unboundPVC, f.provisionedPVC],
    pvs: (f) => [f.pvNode1a],
    expectedBindings: (f) => [makeBinding(f.unboundPVC, f.pvNode1a)],
    expectedProvisions: (f) => [f.provisionedPVC],
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'one-bound,one-provisioned',
    podPVCs: (f) => [f.boundPVC, f.provisionedPVC],
    pvs: (f) => [f.pvBound],
    expectedProvisions: (f) => [f.provisionedPVC],
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'one-binding,one-selected-node',
    podPVCs: (f) => [f.boundPVC, f.selectedNodePVC],
    pvs: (f) => [f.pvBound],
    expectedProvisions: (f) => [f.selectedNodePVC],
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'immediate-unbound-pvc',
    podPVCs: (f) => [f.immediateUnboundPVC],
    preFilterStatus: { code: Code.UnschedulableAndUnresolvable, reasons: [ERR_REASON_UNBOUND_IMMEDIATE] },
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'one-immediate-bound,one-provisioned',
    podPVCs: (f) => [f.immediateBoundPVC, f.provisionedPVC],
    pvs: (f) => [f.pvBoundImmediate],
    expectedProvisions: (f) => [f.provisionedPVC],
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'invalid-provisioner',
    podPVCs: (f) => [f.noProvisionerPVC],
    reasons: [ERR_REASON_BIND_CONFLICT],
  },
  {
    test: 'TestFindPodVolumesWithProvisioning',
    name: 'volume-topology-unsatisfied',
    podPVCs: (f) => [f.topoMismatchPVC],
    reasons: [ERR_REASON_BIND_CONFLICT],
  },
  {
    test: 'TestFindPodVolumesWithoutProvisioning',
    name: 'unbound-pvc,pv-different-node',
    podPVCs: (f) => [f.unboundPVC],
    pvs: (f) => [f.pvNode2],
    reasons: [ERR_REASON_BIND_CONFLICT],
  },
  {
    test: 'TestFindPodVolumesWithoutProvisioning',
    name: 'two-unbound-pvcs,partial-match',
    podPVCs: (f) => [f.unboundPVC, f.unboundPVC2],
    pvs: (f) => [f.pvNode1a],
    expectedBindings: (f) => [makeBinding(f.unboundPVC, f.pvNode1a)],
    reasons: [ERR_REASON_BIND_CONFLICT],
  },
  {
    test: 'TestFindPodVolumesWithoutProvisioning',
    name: 'one-bound,one-unbound,no-match',
    podPVCs: (f) => [f.unboundPVC, f.boundPVC],
    pvs: (f) => [f.pvBound, f.pvNode2],
    reasons: [ERR_REASON_BIND_CONFLICT],
  },
];

for (const row of findRows) {
  t.test(`${row.test}: ${row.name}`, async (t) => {
    const f = fixtures();
    const podPVCs = row.podPVCs(f);
    const { p, nodes } = newTestBinder([...podPVCs, ...(row.pvs?.(f) ?? [])]);
    const node = nodes[0]!;
    const state = new CycleState();
    const info = PodInfo.of(testPod(podPVCs));
    const pre = p.preFilter(state, info, nodes).status;
    if (row.preFilterStatus) {
      t.same(plain(pre), row.preFilterStatus, 'returned error (PreFilter: unbound immediate claims)');
      return;
    }
    t.equal(pre, null, 'PreFilter');
    const s = state.read<StateData>(STATE_KEY)!;
    const found = p.findPodVolumes(info, s.podVolumeClaims!, node);
    const wantReasons = row.reasons ?? [];
    t.strictSame(found.reasons, wantReasons, 'reasons');
    // validatePodCache (nil and empty alike: both undefined here).
    t.strictSame(found.podVolumes.staticBindings, row.expectedBindings?.(f), 'static bindings');
    t.strictSame(found.podVolumes.dynamicProvisions, row.expectedProvisions?.(f), 'dynamic provisions');
    // The plugin's Filter on the same node.
    const want = wantReasons.length > 0 ? { code: Code.UnschedulableAndUnresolvable, reasons: wantReasons } : null;
    t.same(plain(p.filter(state, info, node)), want, 'Filter');
    if (want === null) t.strictSame(s.podVolumesByNode.get(node.name)?.dynamicProvisions, row.expectedProvisions?.(f), 'Filter keeps the claims to provision for Reserve');
  });
}

// ---- TestAssumePodVolumes (provisioning rows), TestRevertAssumedPodVolumes ----------------------------

/** PreFilter, then the PodVolumes of the row put into the state for node1, then Reserve
 *  (AssumePodVolumes(pod, "node1", podVolumes)). */
function assumeWith(p: VolumeBinding, nodes: NodeInfo[], podPVCs: PersistentVolumeClaim[], podVolumes: PodVolumes) {
  const state = new CycleState();
  const info = PodInfo.of(testPod(podPVCs));
  const pre = p.preFilter(state, info, nodes).status;
  const s = state.read<StateData>(STATE_KEY)!;
  s.podVolumesByNode.set('node1', podVolumes);
  const status = p.reserve(state, info, 'node1');
  return { state, info, pre, s, status };
}

t.test('TestAssumePodVolumes: one-binding, one-pvc-provisioned', async (t) => {
  const f = fixtures();
  const podPVCs = [f.unboundPVC, f.provisionedPVC];
  const { p, nodes } = newTestBinder([...podPVCs, f.pvNode1a]);
  const podVolumes: PodVolumes = { staticBindings: [makeBinding(f.unboundPVC, f.pvNode1a)], dynamicProvisions: [f.provisionedPVC] };
  const { pre, s, status } = assumeWith(p, nodes, podPVCs, podVolumes);
  t.equal(pre, null);
  t.equal(status, null, 'no error');
  t.equal(s.allBound, false, 'expectedAllBound false');
  // validateAssume.
  const pv = p.getPV('pv-node1a')!;
  t.equal(pv.spec.claimRef?.name, 'unbound-pvc', 'PV.ClaimRef.Name');
  t.equal(pv.spec.claimRef?.namespace, 'testns', 'PV.ClaimRef.Namespace');
  t.equal(p.getPVC('testns', 'provisioned-pvc')?.metadata.annotations?.[ANN_SELECTED_NODE], nodeLabelValue, 'volume.AnnSelectedNode of the assumed claim');
  // validatePodCache.
  t.strictSame(podVolumes.staticBindings, [makeBinding(f.unboundPVC, f.pvNode1aBound)], 'expectedBindings');
  t.strictSame(podVolumes.dynamicProvisions, [f.selectedNodePVC], 'expectedProvisionings');
  // The input claim (the stored object) is not modified: the assumed one is a copy.
  t.equal(f.provisionedPVC.metadata.annotations, undefined, 'the stored claim is untouched');
});

t.test('TestAssumePodVolumes: one-binding, one-provision-tmpupdate-failed', async (t) => {
  const f = fixtures();
  // The PVC cache holds provisioned-pvc2 at resourceVersion 2; the claim to provision is at 1.
  const { p, nodes, objects } = newTestBinder([f.unboundPVC, f.provisionedPVCHigherVersion, f.pvNode1a]);
  const podVolumes: PodVolumes = { staticBindings: [makeBinding(f.unboundPVC, f.pvNode1a)], dynamicProvisions: [f.provisionedPVC2] };
  const { pre, s, status } = assumeWith(p, nodes, [f.unboundPVC, f.provisionedPVCHigherVersion], podVolumes);
  t.equal(pre, null);
  t.same(plain(status), { code: Code.Error, reasons: ['v1.PersistentVolumeClaim "testns/provisioned-pvc2" is out of sync (stored: 2, assume: 1)'] }, 'returned error');
  t.equal(s.allBound, false, 'expectedAllBound false');
  // validateCacheRestored: the PV is the API object again; the claim has no selected node.
  const apiPV = objects.find((o) => o.kind === 'PersistentVolume' && o.metadata.name === 'pv-node1a');
  t.equal(p.getPV('pv-node1a'), apiPV, 'PV pv-node1a not modified in cache');
  t.equal(p.getPVC('testns', 'provisioned-pvc2')?.metadata.annotations?.[ANN_SELECTED_NODE], undefined, 'AnnSelectedNode of the claim empty');
  // validatePodCache: the PodVolumes are left as they were.
  t.strictSame(podVolumes.staticBindings, [makeBinding(f.unboundPVC, f.pvNode1a)]);
  t.strictSame(podVolumes.dynamicProvisions, [f.provisionedPVC2]);
});

t.test('TestRevertAssumedPodVolumes', async (t) => {
  const f = fixtures();
  const podPVCs = [f.unboundPVC, f.provisionedPVC];
  const { p, nodes, objects } = newTestBinder([...podPVCs, f.pvNode1a]);
  const podVolumes: PodVolumes = { staticBindings: [makeBinding(f.unboundPVC, f.pvNode1a)], dynamicProvisions: [f.provisionedPVC] };
  const { state, info, status, s } = assumeWith(p, nodes, podPVCs, podVolumes);
  t.ok(status === null && s.allBound === false, 'volumes are assumed');
  // validateAssume with expectedBindings [unboundPVC→pvNode1aBound], expectedProvisionings [selectedNodePVC].
  t.equal(p.getPV('pv-node1a')?.spec.claimRef?.name, 'unbound-pvc');
  t.equal(p.getPVC('testns', 'provisioned-pvc')?.metadata.annotations?.[ANN_SELECTED_NODE], nodeLabelValue);
  p.unreserve(state, info, 'node1');
  // validateCacheRestored.
  t.equal(p.getPV('pv-node1a'), objects.find((o) => o.kind === 'PersistentVolume' && o.metadata.name === 'pv-node1a'), 'PV was restored in cache');
  t.equal(p.getPVC('testns', 'provisioned-pvc')?.metadata.annotations?.[ANN_SELECTED_NODE], undefined, 'AnnSelectedNode of pvc reverted');
});

// ---- TestBindAPIUpdate (provisioning rows) ---------------------------------------------------------------

/** The objects without resourceVersion (the cache/reactor checks ignore it). */
const noRV = <T extends AnyObject>(o: T | undefined): T | undefined => (o === undefined ? undefined : ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } } as T));
const stored = (objects: AnyObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

t.test('TestBindAPIUpdate: one-provisioned-pvc', async (t) => {
  const f = fixtures();
  const { p, nodes, objects } = newTestBinder([f.provisionedPVC]);
  // assumeVolumes(provisionedPVCs [addProvisionAnn(provisionedPVC)]): Reserve of the claim on node1.
  const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [f.provisionedPVC] };
  const { state, info, status, s } = assumeWith(p, nodes, [f.provisionedPVC], podVolumes);
  t.equal(status, null);
  t.equal(s.allBound, false, 'a claim to provision: not all bound');
  t.strictSame(podVolumes.dynamicProvisions, [addProvisionAnn(f.provisionedPVC)], 'the assumed claim');
  t.equal(p.preBind(state, info, 'node1'), null, 'no error');
  // validateProvision: the cache and the API hold addProvisionAnn(provisionedPVC).
  t.strictSame(noRV(p.getPVC('testns', 'provisioned-pvc')), noRV(addProvisionAnn(f.provisionedPVC)), 'cached PVC');
  t.strictSame(noRV(stored(objects, 'PersistentVolumeClaim', 'provisioned-pvc')), noRV(addProvisionAnn(f.provisionedPVC)), 'API PVC');
  t.equal(stored(objects, 'PersistentVolumeClaim', 'provisioned-pvc')?.metadata.resourceVersion, '2', 'written through the handle');
  t.equal(podVolumes.dynamicProvisions![0], stored(objects, 'PersistentVolumeClaim', 'provisioned-pvc'), 'the updated object is kept');
});

for (const name of ['provision-api-update-failed', 'binding-succeed, provision-api-update-failed']) {
  t.test(`TestBindAPIUpdate: ${name}`, async (t) => {
    const f = fixtures();
    const withBinding = name.startsWith('binding-succeed');
    const pvcs = [f.provisionedPVC, f.provisionedPVC2];
    const { p, nodes, objects } = newTestBinder([...pvcs, ...(withBinding ? [f.unboundPVC, f.pvNode1a] : [])]);
    const podVolumes: PodVolumes = { staticBindings: withBinding ? [makeBinding(f.unboundPVC, f.pvNode1a)] : [], dynamicProvisions: pvcs };
    const { state, info, status } = assumeWith(p, nodes, withBinding ? [f.unboundPVC, ...pvcs] : pvcs, podVolumes);
    t.equal(status, null);
    // apiPVCs [provisionedPVC, provisionedPVCHigherVersion]: the API's provisioned-pvc2 is newer
    // than the one assumed (upstream seeds the cache and the API apart before assuming; here the
    // API object changes after Reserve).
    replaceStored(objects, f.provisionedPVCHigherVersion);
    const s = p.preBind(state, info, 'node1');
    t.equal(s?.code, Code.Error, 'returned error');
    t.match(s?.message() ?? '', /provisioned-pvc2.*has been modified/, 'the update error');
    // validateProvision: expectedPVCs [addProvisionAnn(provisionedPVC), provisionedPVC2],
    // expectedAPIPVCs [addProvisionAnn(provisionedPVC), provisionedPVCHigherVersion].
    t.strictSame(noRV(p.getPVC('testns', 'provisioned-pvc')), noRV(addProvisionAnn(f.provisionedPVC)), 'cached provisioned-pvc');
    t.strictSame(noRV(p.getPVC('testns', 'provisioned-pvc2')), noRV(f.provisionedPVC2), 'cached provisioned-pvc2');
    t.strictSame(noRV(stored(objects, 'PersistentVolumeClaim', 'provisioned-pvc')), noRV(addProvisionAnn(f.provisionedPVC)), 'API provisioned-pvc');
    t.equal(stored(objects, 'PersistentVolumeClaim', 'provisioned-pvc2'), f.provisionedPVCHigherVersion, 'API provisioned-pvc2');
    if (withBinding) {
      // validateBind: expectedPVs [pvNode1aBound] in the cache and the API.
      t.strictSame(noRV(p.getPV('pv-node1a')), noRV(f.pvNode1aBound), 'cached PV');
      t.strictSame(noRV(stored(objects, 'PersistentVolume', 'pv-node1a')), noRV(f.pvNode1aBound), 'API PV');
    } else {
      t.equal(stored(objects, 'PersistentVolume', 'pv-node1a'), undefined, 'no volume involved');
    }
  });
}

// ---- kubedrill's own checks (not upstream rows) -------------------------------------------------------------

t.test('NOT_SUPPORTED_PROVISIONER is storage.ts\'s', async (t) => {
  t.equal(NOT_SUPPORTED_PROVISIONER, STORAGE_NOT_SUPPORTED);
  t.equal(NOT_SUPPORTED_PROVISIONER, 'kubernetes.io/no-provisioner');
});

t.test('a claim with a selected node: only that node fits, and it is provisioned even when a volume would match', async (t) => {
  const f = fixtures();
  // A volume of the claim's class on node1 that would match it.
  const pv = makeTestPV('pv-provisioner-class', 'node1', '5Gi', '1', undefined, waitClassWithProvisioner);
  const nodes = [testNode('node1'), testNode('node2')];
  const { p } = newTestBinder([f.selectedNodePVC, pv], nodes);
  const state = new CycleState();
  const info = PodInfo.of(testPod([f.selectedNodePVC]));
  t.equal(p.preFilter(state, info, nodes).status, null);
  const s = state.read<StateData>(STATE_KEY)!;
  t.same(plain(p.filter(state, info, nodes[1]!)), { code: Code.UnschedulableAndUnresolvable, reasons: [ERR_REASON_BIND_CONFLICT] }, 'another node: fast path, does not fit');
  t.same(p.findPodVolumes(info, s.podVolumeClaims!, nodes[1]!).podVolumes, { staticBindings: undefined, dynamicProvisions: undefined }, 'nothing found for the other node');
  t.equal(p.filter(state, info, nodes[0]!), null, 'the selected node fits');
  t.strictSame(s.podVolumesByNode.get('node1'), { staticBindings: undefined, dynamicProvisions: [f.selectedNodePVC] }, 'to provision, not bound to the matching volume');
});

t.test('Reserve assumes the claim with its selected node: a later cycle reads it; Unreserve reverts; PreBind writes it', async (t) => {
  // A class with no allowedTopologies: every node can be provisioned for.
  const anywhere: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'anywhere' }, provisioner, volumeBindingMode: 'WaitForFirstConsumer' };
  const claim = makeTestPVC('shared', '1Gi', '', 'unbound', '', '1', 'anywhere');
  const nodes = [testNode('node1'), testNode('node2')];
  const { p, objects } = newTestBinder([anywhere, claim], nodes);
  const cycle = (podName: string) => {
    const state = new CycleState();
    const info = PodInfo.of(makePod(podName, { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'shared' } }] }, { namespace: 'testns' }));
    t.equal(p.preFilter(state, info, nodes).status, null, `${podName}: PreFilter`);
    return { state, info, fits: nodes.filter((n) => p.filter(state, info, n) === null).map((n) => n.name) };
  };
  const a = cycle('pod-a');
  t.same(a.fits, ['node1', 'node2'], 'empty allowedTopologies: both nodes can be provisioned for');
  t.equal(p.reserve(a.state, a.info, 'node2'), null);
  t.equal(p.getPVC('testns', 'shared')?.metadata.annotations?.[ANN_SELECTED_NODE], 'node2', 'assumed with the selected node');
  t.equal((stored(objects, 'PersistentVolumeClaim', 'shared') as PersistentVolumeClaim).metadata.annotations, undefined, 'not written yet');
  t.same(cycle('pod-b').fits, ['node2'], 'a second pod sharing the claim sees the assumed claim: only node2');
  p.unreserve(a.state, a.info, 'node2');
  t.same(cycle('pod-c').fits, ['node1', 'node2'], 'after Unreserve the stored claim again');
  const d = cycle('pod-d');
  t.equal(p.reserve(d.state, d.info, 'node1'), null);
  t.equal(p.preBind(d.state, d.info, 'node1'), null);
  const written = stored(objects, 'PersistentVolumeClaim', 'shared') as PersistentVolumeClaim;
  t.equal(written.metadata.annotations?.[ANN_SELECTED_NODE], 'node1', 'PreBind wrote the selected node');
  t.equal(written.metadata.resourceVersion, '2');
  t.same(cycle('pod-e').fits, ['node1'], 'the written claim pins later pods to node1');
});

t.test('PreBind: a failing volume update reverts the claims not yet written', async (t) => {
  const f = fixtures();
  const podPVCs = [f.unboundPVC, f.provisionedPVC];
  const { p, nodes, objects } = newTestBinder([...podPVCs, f.pvNode1a]);
  const state = new CycleState();
  const info = PodInfo.of(testPod(podPVCs));
  t.equal(p.preFilter(state, info, nodes).status, null);
  t.equal(p.filter(state, info, nodes[0]!), null);
  t.equal(p.reserve(state, info, 'node1'), null);
  t.equal(p.getPVC('testns', 'provisioned-pvc')?.metadata.annotations?.[ANN_SELECTED_NODE], 'node1');
  // The volume changes in the API between Reserve and PreBind.
  replaceStored(objects, { ...f.pvNode1a, metadata: { ...f.pvNode1a.metadata, resourceVersion: '5' } });
  const s = p.preBind(state, info, 'node1');
  t.equal(s?.code, Code.Error);
  t.match(s?.message() ?? '', /pv-node1a.*has been modified/);
  t.equal(p.getPVC('testns', 'provisioned-pvc')?.metadata.annotations?.[ANN_SELECTED_NODE], undefined, 'the assumed claim is reverted');
  t.equal(stored(objects, 'PersistentVolumeClaim', 'provisioned-pvc'), f.provisionedPVC, 'and never written');
});

t.test('checkVolumeProvisions: the class deleted after PreFilter is an error', async (t) => {
  const f = fixtures();
  const { p, nodes, objects } = newTestBinder([f.provisionedPVC]);
  const state = new CycleState();
  const info = PodInfo.of(testPod([f.provisionedPVC]));
  t.equal(p.preFilter(state, info, nodes).status, null);
  objects.splice(objects.findIndex((o) => o.kind === 'StorageClass' && o.metadata.name === waitClassWithProvisioner), 1);
  t.same(plain(p.filter(state, info, nodes[0]!)), { code: Code.Error, reasons: [`failed to find storage class "${waitClassWithProvisioner}"`] });
});

t.test('MatchTopologySelectorTerms', async (t) => {
  const labels = { zone: 'a', rack: 'r1' };
  t.equal(matchTopologySelectorTerms(undefined, labels), true, 'no terms: every node');
  t.equal(matchTopologySelectorTerms([], labels), true, 'empty list: every node');
  t.equal(matchTopologySelectorTerms([{}], labels), false, 'a term without expressions matches nothing');
  t.equal(matchTopologySelectorTerms([{ matchLabelExpressions: [] }], labels), false, 'nor does an empty one');
  t.equal(matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'zone', values: [] }] }], labels), false, 'no values: not a valid requirement');
  t.equal(matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'zone', values: ['b', 'a'] }] }], labels), true, 'value among the values');
  t.equal(matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'region', values: ['a'] }] }], labels), false, 'label missing');
  t.equal(matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }, { key: 'rack', values: ['r2'] }] }], labels), false, 'expressions ANDed');
  t.equal(matchTopologySelectorTerms([{ matchLabelExpressions: [{ key: 'rack', values: ['r2'] }] }, { matchLabelExpressions: [{ key: 'rack', values: ['r1'] }] }], labels), true, 'terms ORed');
});
