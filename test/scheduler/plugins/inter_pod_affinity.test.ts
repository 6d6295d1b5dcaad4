// Tests for the InterPodAffinity plugin (src/scheduler/plugins/inter_pod_affinity.ts).
//
// Left out (Go-only machinery, not modelled):
//   - filtering_test.go TestPreFilterStateClone (Go's Clone/DeepEqual of the state struct; clone()
//     is exercised by the AddRemovePod rows instead);
//   - TestPreFilterStateAddRemovePod's comparison of the whole Go structs (podInfo pointer,
//     namespaceLabels): the rows compare the three count maps, which is what the struct holds.
// plugin_test.go Test_isSchedulableAfterPodChange (17 rows) and Test_isSchedulableAfterNodeChange
// (12 rows) are transcribed at the end, all rows.
// Upstream's tests build pods without names in namespace "" (defaultNamespace); here each pod gets
// a unique name (NodeInfo indexes pods by namespace/name) and namespace "" is kept.
// A pod upstream puts on a node missing from its snapshot (TestRequiredAffinitySingleNode, "pod
// matches its own Label ...") sits here on a label-less node2, which contributes nothing either.
import t, { type Test } from 'tap';
import type { Affinity, Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../../src/api/types.js';
import type { LabelSelectorRequirement } from '../../../src/api/selector.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, type NodeInfo, type NodeScore, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  InterPodAffinity,
  type InterPodAffinityArgs,
  PRE_FILTER_STATE_KEY,
  PreFilterState,
  decodeInterPodAffinityArgs,
  newInterPodAffinity,
  validateArgs,
  validateInterPodAffinityArgs,
  isSchedulableAfterNodeChange,
  isSchedulableAfterPodChange,
} from '../../../src/scheduler/plugins/inter_pod_affinity.js';
import { fakeHandle, makeNode, makePod, nodeInfo, registrations } from '../fixtures.js';

// ---------------------------------------------------------------------------------------------
// Builders, after st.MakePod() and the literal v1.Pod / v1.Node of the Go tables

/** upstream's defaultNamespace. */
const NS = '';
let seq = 0;
interface PodOpts {
  name?: string;
  ns?: string;
  labels?: Record<string, string>;
  node?: string;
  affinity?: Affinity;
}
function pod(o: PodOpts = {}): Pod {
  const spec: Partial<Pod['spec']> = {};
  if (o.node !== undefined) spec.nodeName = o.node;
  if (o.affinity !== undefined) spec.affinity = o.affinity;
  const meta: Partial<Pod['metadata']> = { namespace: o.ns ?? NS };
  if (o.labels !== undefined) meta.labels = o.labels;
  return makePod(o.name ?? `pod-${seq++}`, spec, meta);
}

const expr = (key: string, operator: LabelSelectorRequirement['operator'], values?: string[]): LabelSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };
const term = (topologyKey: string, ...exprs: LabelSelectorRequirement[]): PodAffinityTerm => ({ labelSelector: { matchExpressions: exprs }, topologyKey });
const inTerm = (key: string, tk: string, values: string[]) => term(tk, expr(key, 'In', values));
const notInTerm = (key: string, tk: string, values: string[]) => term(tk, expr(key, 'NotIn', values));
const existsTerm = (key: string, tk: string) => term(tk, expr(key, 'Exists'));
const weighted = (weight: number, podAffinityTerm: PodAffinityTerm): WeightedPodAffinityTerm => ({ weight, podAffinityTerm });

/** st.PodAffinity*(…, PodAffinityWithRequiredReq) / PodAntiAffinity*(…, PodAntiAffinityWithRequiredReq). */
function required(affinity: PodAffinityTerm[] | null, anti: PodAffinityTerm[] | null = null): Affinity {
  const a: Affinity = {};
  if (affinity !== null) a.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: affinity };
  if (anti !== null) a.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: anti };
  return a;
}
/** createPodWithAffinityTerms: both PodAffinity and PodAntiAffinity set, their lists possibly nil. */
function createPodWithAffinityTerms(ns: string, labels: Record<string, string>, affinity?: PodAffinityTerm[], anti?: PodAffinityTerm[]): Pod {
  const a: Affinity = { podAffinity: {}, podAntiAffinity: {} };
  if (affinity) a.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution = affinity;
  if (anti) a.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution = anti;
  return pod({ ns, labels, affinity: a });
}

interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
}
/** cache.NewSnapshot(pods, nodes): NodeInfos in node order, pods placed by spec.nodeName. */
function snapshot(pods: Pod[], nodes: NodeSpec[]): NodeInfo[] {
  return nodes.map((n) => nodeInfo(makeNode(n.name, {}, n.labels ? { labels: n.labels } : {}), ...pods.filter((p) => p.spec.nodeName === n.name)));
}

// upstream's `namespaces` (scoring_test.go), used by SetupPluginWithInformers in most tables.
const nsLabelT1 = { team: 'team1' };
const nsLabelT2 = { team: 'team2' };
const NAMESPACES: Record<string, Record<string, string>> = {
  'subteam1.team1': nsLabelT1,
  'subteam2.team1': nsLabelT1,
  'subteam1.team2': nsLabelT2,
  'subteam2.team2': nsLabelT2,
};

function plugin(nodes: NodeInfo[], namespaces: Record<string, Record<string, string>> = NAMESPACES, args: Partial<InterPodAffinityArgs> = {}): InterPodAffinity {
  return new InterPodAffinity(fakeHandle(nodes, namespaces), args);
}

interface WantStatus {
  code: Code;
  reasons?: string[];
}
function checkStatus(t: Test, got: MaybeStatus, want: WantStatus | undefined, what: string): void {
  if (want === undefined) {
    t.equal(got, null, `${what}: success`);
    return;
  }
  t.equal(got?.code, want.code, `${what}: code`);
  t.same(got?.reasons, want.reasons ?? [], `${what}: reasons`);
}
const affinityFail: WantStatus = { code: Code.UnschedulableAndUnresolvable, reasons: [ERR_REASON_AFFINITY_RULES_NOT_MATCH] };
const antiFail: WantStatus = { code: Code.Unschedulable, reasons: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH] };
const existingFail: WantStatus = { code: Code.Unschedulable, reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH] };
const skip: WantStatus = { code: Code.Skip };

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go TestRequiredAffinitySingleNode

const podLabel = { service: 'securityscan' };
const podLabel2 = { security: 'S1' };
const labels1 = { region: 'r1', zone: 'z11' };
const singleNode: NodeSpec = { name: 'node1', labels: labels1 };
/** st.MakePod().Labels(podLabel).Node("node1"), shared by many rows (one object per row here). */
const existingPod = () => pod({ labels: podLabel, node: 'node1' });
const teamNsSelector = { matchExpressions: [expr('team', 'In', ['team1'])] };
const serviceIn = { matchExpressions: [expr('service', 'In', ['securityscan', 'value2'])] };
const badValue = '{{.bad-value.}}';
const badValueMessage =
  `parsing pod: requiredAffinityTerms: values[0][service]: Invalid value: "${badValue}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;

interface SingleNodeRow {
  name: string;
  pod: Pod;
  pods?: Pod[];
  /** Extra nodes holding pods upstream places on nodes outside the snapshot. */
  extraNodes?: NodeSpec[];
  wantPreFilterStatus?: WantStatus;
  wantFilterStatus?: WantStatus;
}

const singleNodeRows: SingleNodeRow[] = [
  {
    name: 'A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods',
    pod: pod(),
    wantPreFilterStatus: skip,
  },
  {
    name: 'satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod',
    pod: pod({ labels: podLabel2, affinity: required([inTerm('service', 'region', ['securityscan', 'value2'])]) }),
    pods: [existingPod()],
  },
  {
    name: 'satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod',
    pod: pod({ labels: podLabel2, affinity: required([notInTerm('service', 'region', ['securityscan3', 'value3'])]) }),
    pods: [existingPod()],
  },
  {
    name: 'Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
    pod: createPodWithAffinityTerms(NS, podLabel2, [{ labelSelector: serviceIn, namespaces: ['DiffNameSpace'], topologyKey: '' }]),
    pods: [pod({ ns: 'ns', labels: { service: 'securityscan' }, node: 'node1' })],
    wantFilterStatus: affinityFail,
  },
  {
    name: "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
    pod: pod({ labels: podLabel, affinity: required([inTerm('service', '', ['antivirusscan', 'value2'])]) }),
    pods: [existingPod()],
    wantFilterStatus: affinityFail,
  },
  {
    name: 'satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ',
    pod: createPodWithAffinityTerms(NS, podLabel2, [
      term('region', expr('service', 'Exists'), expr('wrongkey', 'DoesNotExist')),
      term('region', expr('service', 'In', ['securityscan']), expr('service', 'NotIn', ['WrongValue'])),
    ]),
    pods: [existingPod()],
  },
  {
    name: "The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
    pod: createPodWithAffinityTerms(NS, podLabel2, [
      term('region', expr('service', 'Exists'), expr('wrongkey', 'DoesNotExist')),
      term('region', expr('service', 'In', ['securityscan2']), expr('service', 'NotIn', ['WrongValue'])),
    ]),
    pods: [existingPod()],
    wantFilterStatus: affinityFail,
  },
  {
    name: 'satisfies the PodAffinity and PodAntiAffinity with the existing pod',
    pod: pod({
      labels: podLabel2,
      affinity: required([inTerm('service', 'region', ['securityscan', 'value2'])], [inTerm('service', 'node', ['antivirusscan', 'value2'])]),
    }),
    pods: [existingPod()],
  },
  {
    name: 'satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod',
    pod: pod({
      labels: podLabel2,
      affinity: required([inTerm('service', 'region', ['securityscan', 'value2'])], [inTerm('service', 'node', ['antivirusscan', 'value2'])]),
    }),
    pods: [pod({ node: 'node1', labels: podLabel, affinity: required(null, [inTerm('service', 'node', ['antivirusscan', 'value2'])]) })],
  },
  {
    name: "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
    pod: pod({
      labels: podLabel2,
      affinity: required([inTerm('service', 'region', ['securityscan', 'value2'])], [inTerm('service', 'zone', ['securityscan', 'value2'])]),
    }),
    pods: [existingPod()],
    wantFilterStatus: antiFail,
  },
  {
    name: "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
    pod: pod({
      labels: podLabel,
      affinity: required([inTerm('service', 'region', ['securityscan', 'value2'])], [inTerm('service', 'node', ['antivirusscan', 'value2'])]),
    }),
    pods: [pod({ labels: podLabel, node: 'node1', affinity: required(null, [inTerm('service', 'zone', ['securityscan', 'value2'])]) })],
    wantFilterStatus: existingFail,
  },
  {
    name: 'pod matches its own Label in PodAffinity and that matches the existing pod Labels',
    pod: pod({ labels: podLabel, affinity: required([notInTerm('service', 'region', ['securityscan', 'value2'])]) }),
    pods: [pod({ labels: { service: 'securityscan' }, node: 'node2' })],
    extraNodes: [{ name: 'node2' }],
    wantFilterStatus: affinityFail,
  },
  {
    name: "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
    pod: pod({ labels: podLabel }),
    pods: [pod({ node: 'node1', labels: podLabel, affinity: required(null, [inTerm('service', 'zone', ['securityscan', 'value2'])]) })],
    wantFilterStatus: existingFail,
  },
  {
    name: 'verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod',
    pod: pod({ labels: podLabel }),
    pods: [pod({ node: 'node1', labels: podLabel, affinity: required(null, [notInTerm('service', 'zone', ['securityscan', 'value2'])]) })],
    wantPreFilterStatus: skip,
  },
  {
    name: "satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
    pod: pod({ labels: podLabel, affinity: required(null, [existsTerm('service', 'region'), existsTerm('security', 'region')]) }),
    pods: [pod({ node: 'node1', labels: podLabel2, affinity: required(null, [existsTerm('security', 'zone')]) })],
    wantFilterStatus: antiFail,
  },
  {
    name: 'PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms',
    pod: pod({ labels: podLabel, affinity: required(null, [existsTerm('service', 'zone'), existsTerm('security', 'zone')]) }),
    pods: [pod({ node: 'node1', labels: podLabel2, affinity: required(null, [existsTerm('security', 'zone')]) })],
    wantFilterStatus: antiFail,
  },
  {
    name: 'PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms',
    pod: pod({ labels: podLabel2, affinity: required(null, [existsTerm('security', 'zone')]) }),
    pods: [pod({ node: 'node1', labels: podLabel, affinity: required(null, [existsTerm('service', 'zone'), existsTerm('security', 'zone')]) })],
    wantFilterStatus: existingFail,
  },
  {
    name: 'PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms',
    pod: pod({ labels: { abc: '', xyz: '' }, affinity: required(null, [existsTerm('abc', 'zone'), existsTerm('def', 'zone')]) }),
    pods: [pod({ node: 'node1', labels: { def: '', xyz: '' }, affinity: required(null, [existsTerm('abc', 'zone'), existsTerm('def', 'zone')]) })],
    wantFilterStatus: antiFail,
  },
  {
    name: 'PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms',
    pod: pod({ labels: { def: '', xyz: '' }, affinity: required(null, [existsTerm('abc', 'zone'), existsTerm('def', 'zone')]) }),
    pods: [pod({ node: 'node1', labels: { abc: '', xyz: '' }, affinity: required(null, [existsTerm('abc', 'zone'), existsTerm('def', 'zone')]) })],
    wantFilterStatus: antiFail,
  },
  {
    name: 'PodAffinity fails PreFilter with an invalid affinity label syntax',
    pod: pod({ labels: podLabel, affinity: required([inTerm('service', 'region', [badValue]), inTerm('service', 'node', ['antivirusscan', 'value2'])]) }),
    wantPreFilterStatus: { code: Code.UnschedulableAndUnresolvable, reasons: [badValueMessage] },
  },
  {
    name: 'PodAntiAffinity fails PreFilter with an invalid antiaffinity label syntax',
    pod: pod({ labels: podLabel, affinity: required([inTerm('service', 'region', ['foo']), inTerm('service', 'node', [badValue])]) }),
    wantPreFilterStatus: { code: Code.UnschedulableAndUnresolvable, reasons: [badValueMessage] },
  },
  {
    name: 'affinity with NamespaceSelector',
    pod: createPodWithAffinityTerms(NS, podLabel2, [{ labelSelector: serviceIn, namespaceSelector: teamNsSelector, topologyKey: 'region' }]),
    pods: [pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabel })],
  },
  {
    name: 'affinity with non-matching NamespaceSelector',
    pod: createPodWithAffinityTerms(NS, podLabel2, [{ labelSelector: serviceIn, namespaceSelector: teamNsSelector, topologyKey: 'region' }]),
    pods: [pod({ node: 'node1', ns: 'subteam1.team2', labels: podLabel })],
    wantFilterStatus: affinityFail,
  },
  {
    name: 'anti-affinity with matching NamespaceSelector',
    pod: createPodWithAffinityTerms('subteam1.team1', podLabel2, undefined, [{ labelSelector: serviceIn, namespaceSelector: teamNsSelector, topologyKey: 'zone' }]),
    pods: [pod({ node: 'node1', ns: 'subteam2.team1', labels: podLabel })],
    wantFilterStatus: antiFail,
  },
  {
    name: 'anti-affinity with matching all NamespaceSelector',
    pod: createPodWithAffinityTerms('subteam1.team1', podLabel2, undefined, [{ labelSelector: serviceIn, namespaceSelector: {}, topologyKey: 'zone' }]),
    pods: [pod({ node: 'node1', ns: 'subteam2.team1', labels: podLabel })],
    wantFilterStatus: antiFail,
  },
  {
    name: 'anti-affinity with non-matching NamespaceSelector',
    pod: createPodWithAffinityTerms('subteam1.team1', podLabel2, undefined, [{ labelSelector: serviceIn, namespaceSelector: teamNsSelector, topologyKey: 'zone' }]),
    pods: [pod({ node: 'node1', ns: 'subteam1.team2', labels: podLabel })],
  },
];

t.test('TestRequiredAffinitySingleNode', async (t) => {
  t.equal(singleNodeRows.length, 26, 'all upstream rows');
  for (const row of singleNodeRows) {
    t.test(row.name, async (t) => {
      const nodes = snapshot(row.pods ?? [], [singleNode, ...(row.extraNodes ?? [])]);
      const p = plugin(nodes);
      const state = new CycleState();
      const info = PodInfo.of(row.pod);
      const { status } = p.preFilter(state, info, nodes);
      checkStatus(t, status, row.wantPreFilterStatus, 'PreFilter');
      if (status !== null) return;
      checkStatus(t, p.filter(state, info, nodes[0]!), row.wantFilterStatus, 'Filter');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestRequiredAffinityMultipleNodes

const labelRgChina = { region: 'China' };
const labelRgChinaAzAz1 = { region: 'China', az: 'az1' };
const labelRgIndia = { region: 'India' };
const hostNodes = (...zones: Array<[string, string, string]>): NodeSpec[] =>
  zones.map(([name, region, zone]) => ({ name, labels: { region, zone, hostname: name } }));

interface MultiNodeRow {
  name: string;
  pod: Pod;
  pods: Pod[];
  nodes: NodeSpec[];
  wantFilterStatuses: Array<WantStatus | undefined>;
  wantPreFilterStatus?: WantStatus;
}

const multiNodeRows: MultiNodeRow[] = [
  {
    name: 'A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules',
    pod: pod({ affinity: required([inTerm('foo', 'region', ['bar'])]) }),
    pods: [pod({ name: 'p1', node: 'node1', labels: { foo: 'bar' } })],
    nodes: [
      { name: 'node1', labels: labelRgChina },
      { name: 'node2', labels: labelRgChinaAzAz1 },
      { name: 'node3', labels: labelRgIndia },
    ],
    wantFilterStatuses: [undefined, undefined, affinityFail],
  },
  {
    name:
      'The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection ' +
      "should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
    pod: pod({ labels: { foo: 'bar', service: 'securityscan' }, affinity: required([inTerm('foo', 'zone', ['bar']), inTerm('service', 'zone', ['securityscan'])]) }),
    pods: [pod({ name: 'p1', node: 'nodeA', labels: { foo: 'bar' } })],
    nodes: [
      { name: 'nodeA', labels: { zone: 'az1', hostname: 'h1' } },
      { name: 'nodeB', labels: { zone: 'az2', hostname: 'h2' } },
    ],
    wantFilterStatuses: [undefined, undefined],
  },
  {
    name: 'The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys',
    pod: pod({ labels: { foo: 'bar', service: 'securityscan' }, affinity: required([inTerm('foo', 'zone', ['bar']), inTerm('service', 'zone', ['securityscan'])]) }),
    pods: [pod({ name: 'p1', node: 'nodeA', labels: { foo: 'bar' } })],
    nodes: [
      { name: 'nodeA', labels: { zoneLabel: 'az1', hostname: 'h1' } },
      { name: 'nodeB', labels: { zoneLabel: 'az2', hostname: 'h2' } },
    ],
    wantFilterStatuses: [affinityFail, affinityFail],
  },
  {
    name: 'NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.',
    pod: pod({ affinity: required(null, [inTerm('foo', 'region', ['abc'])]) }),
    pods: [pod({ node: 'nodeA', labels: { foo: 'abc' } })],
    nodes: [
      { name: 'nodeA', labels: { region: 'r1', hostname: 'nodeA' } },
      { name: 'nodeB', labels: { region: 'r1', hostname: 'nodeB' } },
    ],
    wantFilterStatuses: [antiFail, antiFail],
  },
  {
    name: 'This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.',
    pod: pod({ affinity: required(null, [inTerm('foo', 'region', ['abc']), inTerm('service', 'zone', ['securityscan'])]) }),
    pods: [pod({ node: 'nodeA', labels: { foo: 'abc', service: 'securityscan' } })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [antiFail, antiFail],
  },
  {
    name: 'NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC',
    pod: pod({ affinity: required(null, [inTerm('foo', 'region', ['abc'])]) }),
    pods: [pod({ node: 'nodeA', labels: { foo: 'abc' } })],
    nodes: [
      { name: 'nodeA', labels: labelRgChina },
      { name: 'nodeB', labels: labelRgChinaAzAz1 },
      { name: 'nodeC', labels: labelRgIndia },
    ],
    wantFilterStatuses: [antiFail, antiFail, undefined],
  },
  {
    name: 'NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)',
    pod: pod({ ns: 'NS1', labels: { foo: '123' }, affinity: required(null, [inTerm('foo', 'region', ['bar'])]) }),
    pods: [
      pod({ node: 'nodeA', ns: 'NS1', labels: { foo: 'bar' } }),
      pod({ node: 'nodeC', ns: 'NS2', affinity: required(null, [inTerm('foo', 'region', ['123'])]) }),
    ],
    nodes: [
      { name: 'nodeA', labels: labelRgChina },
      { name: 'nodeB', labels: labelRgChinaAzAz1 },
      { name: 'nodeC', labels: labelRgIndia },
    ],
    wantFilterStatuses: [antiFail, antiFail, undefined],
  },
  {
    name: "Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked",
    pod: pod({ labels: { foo: '' } }),
    pods: [pod({ node: 'nodeA', affinity: required(null, [existsTerm('foo', 'invalid-node-label')]) })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z1']),
    wantPreFilterStatus: skip,
    wantFilterStatuses: [undefined, undefined],
  },
  {
    name: "Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
    pod: pod({ node: 'nodeA', affinity: required(null, [existsTerm('foo', 'invalid-node-label')]) }),
    pods: [pod({ node: 'nodeA', labels: { foo: '' } })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z1']),
    wantFilterStatuses: [undefined, undefined],
  },
  {
    name: "Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes",
    pod: pod({ labels: { foo: '', bar: '' } }),
    pods: [
      pod({ node: 'nodeA', affinity: required(null, [existsTerm('foo', 'zone')]) }),
      pod({ node: 'nodeA', affinity: required(null, [existsTerm('bar', 'region')]) }),
    ],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [existingFail, existingFail],
  },
  {
    name: "Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod",
    pod: pod({ affinity: required(null, [existsTerm('foo', 'zone'), existsTerm('bar', 'region')]) }),
    pods: [pod({ node: 'nodeA', labels: { foo: '' } }), pod({ node: 'nodeB', labels: { bar: '' } })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [antiFail, antiFail],
  },
  {
    name: "Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
    pod: pod({ labels: { foo: '', bar: '' } }),
    pods: [pod({ node: 'nodeA', affinity: required(null, [existsTerm('foo', 'invalid-node-label'), existsTerm('bar', 'zone')]) })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [existingFail, undefined],
  },
  {
    name: "Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
    pod: pod({ affinity: required(null, [existsTerm('foo', 'invalid-node-label'), existsTerm('bar', 'zone')]) }),
    pods: [pod({ name: 'podA', node: 'nodeA', labels: { foo: '', bar: '' } })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [antiFail, undefined],
  },
  {
    name: "Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
    pod: pod({ labels: { foo: '', bar: '' } }),
    pods: [pod({ node: 'nodeA', affinity: required(null, [existsTerm('foo', 'region'), existsTerm('bar', 'zone')]) })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [existingFail, existingFail],
  },
  {
    name: "Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
    pod: pod({ affinity: required(null, [existsTerm('foo', 'region'), existsTerm('bar', 'zone')]) }),
    pods: [pod({ node: 'nodeA', labels: { foo: '', bar: '' } })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [antiFail, antiFail],
  },
  {
    name: "Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC",
    pod: pod({ labels: { foo: '', bar: '' } }),
    pods: [
      pod({ node: 'nodeA', affinity: required(null, [existsTerm('foo', 'zone'), existsTerm('labelA', 'zone')]) }),
      pod({ node: 'nodeB', affinity: required(null, [existsTerm('bar', 'zone'), existsTerm('labelB', 'zone')]) }),
    ],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2'], ['nodeC', 'r1', 'z3']),
    wantFilterStatuses: [existingFail, existingFail, undefined],
  },
  {
    name: "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match",
    pod: pod({ affinity: required([existsTerm('foo', 'region'), existsTerm('bar', 'zone')]) }),
    pods: [pod({ name: 'pod1', labels: { foo: '', bar: '' }, node: 'nodeA' })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z1']),
    wantFilterStatuses: [undefined, undefined],
  },
  {
    name: "Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod",
    pod: pod({ affinity: required([existsTerm('foo', 'region'), existsTerm('bar', 'zone')]) }),
    pods: [pod({ node: 'nodeA', name: 'pod1', labels: { foo: '' } }), pod({ node: 'nodeB', name: 'pod2', labels: { bar: '' } })],
    nodes: hostNodes(['nodeA', 'r1', 'z1'], ['nodeB', 'r1', 'z2']),
    wantFilterStatuses: [affinityFail, affinityFail],
  },
];

t.test('TestRequiredAffinityMultipleNodes', async (t) => {
  t.equal(multiNodeRows.length, 18, 'all upstream rows');
  for (const row of multiNodeRows) {
    t.test(row.name, async (t) => {
      const nodes = snapshot(row.pods, row.nodes);
      // SetupPluginWithInformers(..., []runtime.Object{&v1.Namespace{Name: "NS1"}})
      const p = plugin(nodes, { NS1: {} });
      const state = new CycleState();
      const info = PodInfo.of(row.pod);
      const { status } = p.preFilter(state, info, nodes);
      checkStatus(t, status, row.wantPreFilterStatus, 'PreFilter');
      if (status?.code === Code.Skip) return;
      nodes.forEach((n, i) => checkStatus(t, p.filter(state, info, n), row.wantFilterStatuses[i], `Filter on ${n.name}`));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestPreFilterDisabled

t.test('TestPreFilterDisabled', async (t) => {
  const ni = nodeInfo(makeNode(''));
  const p = plugin([]);
  const got = p.filter(new CycleState(), PodInfo.of(pod()), ni);
  t.equal(got?.code, Code.Error);
  t.same(got?.reasons, [`error reading "PreFilterInterPodAffinity" from cycleState: not found`]);
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestPreFilterStateAddRemovePod

const label1 = { region: 'r1', zone: 'z11' };
const label2 = { region: 'r1', zone: 'z12' };
const label3 = { region: 'r2', zone: 'z21' };
const selector1 = { foo: 'bar' };
const antiAffinityFooBar = [inTerm('foo', 'region', ['bar'])];
const antiAffinityComplex = [inTerm('foo', 'region', ['bar', 'buzz']), notInTerm('service', 'zone', ['bar', 'security', 'test'])];
const affinityComplex = [inTerm('foo', 'region', ['bar', 'buzz']), notInTerm('service', 'zone', ['bar', 'security', 'test'])];
const addRemoveNodes: NodeSpec[] = [
  { name: 'nodeA', labels: label1 },
  { name: 'nodeB', labels: label2 },
  { name: 'nodeC', labels: label3 },
];

interface AddRemoveRow {
  name: string;
  pendingPod: Pod;
  addedPod: Pod;
  existingPods: Pod[];
  expectedAntiAffinity: Record<string, number>;
  expectedAffinity: Record<string, number>;
}

const addRemoveRows: AddRemoveRow[] = [
  {
    name: 'preFilterState anti-affinity terms are updated correctly after adding and removing a pod',
    pendingPod: pod({ name: 'pending', labels: selector1, affinity: required(null, antiAffinityFooBar) }),
    existingPods: [pod({ name: 'p1', labels: selector1, node: 'nodeA' }), pod({ name: 'p2', node: 'nodeC', affinity: required(null, antiAffinityFooBar) })],
    addedPod: pod({ name: 'addedPod', labels: selector1, node: 'nodeB', affinity: required(null, antiAffinityFooBar) }),
    expectedAntiAffinity: { 'region=r1': 2 },
    expectedAffinity: {},
  },
  {
    name: 'preFilterState anti-affinity terms are updated correctly after adding and removing a pod (complex)',
    pendingPod: pod({ name: 'pending', labels: selector1, affinity: required(null, antiAffinityComplex) }),
    existingPods: [pod({ name: 'p1', labels: selector1, node: 'nodeA' }), pod({ name: 'p2', node: 'nodeC', affinity: required(null, antiAffinityFooBar) })],
    addedPod: pod({ name: 'addedPod', labels: selector1, node: 'nodeA', affinity: required(null, antiAffinityComplex) }),
    expectedAntiAffinity: { 'region=r1': 2, 'zone=z11': 2, 'zone=z21': 1 },
    expectedAffinity: {},
  },
  {
    name: 'preFilterState matching pod affinity and anti-affinity are updated correctly after adding and removing a pod',
    pendingPod: pod({ name: 'pending', labels: selector1, affinity: required(affinityComplex) }),
    existingPods: [pod({ name: 'p1', labels: selector1, node: 'nodeA' }), pod({ name: 'p2', node: 'nodeC', affinity: required(affinityComplex, antiAffinityFooBar) })],
    addedPod: pod({ name: 'addedPod', labels: selector1, node: 'nodeA', affinity: required(null, antiAffinityComplex) }),
    expectedAntiAffinity: {},
    expectedAffinity: { 'region=r1': 2, 'zone=z11': 2 },
  },
];

function countsOf(s: PreFilterState) {
  return { existing: s.existingAntiAffinityCounts.toRecord(), affinity: s.affinityCounts.toRecord(), anti: s.antiAffinityCounts.toRecord() };
}

t.test('TestPreFilterStateAddRemovePod', async (t) => {
  for (const row of addRemoveRows) {
    t.test(row.name, async (t) => {
      const getState = (pods: Pod[]) => {
        const nodes = snapshot(pods, addRemoveNodes);
        const p = plugin(nodes, {});
        const cycleState = new CycleState();
        const { status } = p.preFilter(cycleState, PodInfo.of(row.pendingPod), nodes);
        t.equal(status, null, 'PreFilter succeeds');
        const state = cycleState.read<PreFilterState>(PRE_FILTER_STATE_KEY);
        t.ok(state instanceof PreFilterState, 'PreFilter wrote its state');
        return { p, cycleState, state: state!, nodes };
      };
      // allPodsState: PreFilter with test.addedPod among the existing pods.
      const allPodsState = getState([...row.existingPods, row.addedPod]).state;
      const { p, cycleState, state, nodes } = getState(row.existingPods);
      const originalState = state.clone();
      const node = nodes.find((n) => n.name === row.addedPod.spec.nodeName)!;
      t.equal(p.addPod(cycleState, PodInfo.of(row.pendingPod), PodInfo.of(row.addedPod), node), null, 'AddPod succeeds');
      t.same(state.antiAffinityCounts.toRecord(), row.expectedAntiAffinity, 'antiAffinityCounts after AddPod');
      t.same(state.affinityCounts.toRecord(), row.expectedAffinity, 'affinityCounts after AddPod');
      t.same(countsOf(state), countsOf(allPodsState), 'AddPod yields the state PreFilter computes with the pod present');
      t.equal(p.removePod(cycleState, PodInfo.of(row.pendingPod), PodInfo.of(row.addedPod), node), null, 'RemovePod succeeds');
      t.same(countsOf(state), countsOf(originalState), 'RemovePod restores the state');
      t.not(state.existingAntiAffinityCounts, originalState.existingAntiAffinityCounts, 'clone copies the counts');
    });
  }
  t.test('AddPod / RemovePod without PreFilter state is an error', async (t) => {
    const nodes = snapshot([], addRemoveNodes);
    const p = plugin(nodes, {});
    const msg = [`error reading "PreFilterInterPodAffinity" from cycleState: not found`];
    t.same(p.addPod(new CycleState(), PodInfo.of(pod()), PodInfo.of(pod()), nodes[0]!)?.reasons, msg);
    t.same(p.removePod(new CycleState(), PodInfo.of(pod()), PodInfo.of(pod()), nodes[0]!)?.reasons, msg);
  });
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestGetTPMapMatchingIncomingAffinityAntiAffinity

const normalPod = (...labels: string[]) => pod({ name: 'normal', node: 'nodeA', labels: Object.fromEntries(labels.map((l) => [l, ''])) });
interface IncomingRow {
  name: string;
  existingPods: Pod[];
  pod: Pod;
  wantAffinityPodsMap: Record<string, number>;
  wantAntiAffinityPodsMap: Record<string, number>;
}
const incomingRows: IncomingRow[] = [
  { name: 'nil test', existingPods: [], pod: pod({ name: 'aaa-normal' }), wantAffinityPodsMap: {}, wantAntiAffinityPodsMap: {} },
  { name: 'incoming pod without affinity/anti-affinity causes a no-op', existingPods: [normalPod('aaa')], pod: pod({ name: 'aaa-normal' }), wantAffinityPodsMap: {}, wantAntiAffinityPodsMap: {} },
  {
    name: "no pod has label that violates incoming pod's affinity and anti-affinity",
    existingPods: [normalPod('bbb')],
    pod: pod({ name: 'aaa-anti', affinity: required([existsTerm('aaa', 'hostname')], [existsTerm('aaa', 'hostname')]) }),
    wantAffinityPodsMap: {},
    wantAntiAffinityPodsMap: {},
  },
  {
    name: "existing pod matches incoming pod's affinity and anti-affinity - single term case",
    existingPods: [normalPod('aaa')],
    pod: pod({ name: 'affi-antiaffi', affinity: required([existsTerm('aaa', 'hostname')], [existsTerm('aaa', 'hostname')]) }),
    wantAffinityPodsMap: { 'hostname=nodeA': 1 },
    wantAntiAffinityPodsMap: { 'hostname=nodeA': 1 },
  },
  {
    name: "existing pod matches incoming pod's affinity and anti-affinity - multiple terms case",
    existingPods: [normalPod('aaa', 'bbb')],
    pod: pod({ name: 'affi-antiaffi', affinity: required([existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')], [existsTerm('aaa', 'hostname')]) }),
    wantAffinityPodsMap: { 'hostname=nodeA': 2 },
    wantAntiAffinityPodsMap: { 'hostname=nodeA': 1 },
  },
  {
    name: "existing pod not match incoming pod's affinity but matches anti-affinity",
    existingPods: [normalPod('aaa')],
    pod: pod({
      name: 'affi-antiaffi',
      affinity: required([existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')], [existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')]),
    }),
    wantAffinityPodsMap: {},
    wantAntiAffinityPodsMap: { 'hostname=nodeA': 1 },
  },
  {
    name: "incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 1",
    existingPods: [normalPod('aaa', 'bbb')],
    pod: pod({
      name: 'anaffi-antiaffiti',
      affinity: required([existsTerm('aaa', 'hostname'), existsTerm('ccc', 'hostname')], [existsTerm('aaa', 'hostname'), existsTerm('ccc', 'hostname')]),
    }),
    wantAffinityPodsMap: {},
    wantAntiAffinityPodsMap: { 'hostname=nodeA': 1 },
  },
  {
    name: "incoming pod's anti-affinity has more than one term - existing pod violates partial term - case 2",
    existingPods: [normalPod('bbb')],
    pod: pod({
      name: 'affi-antiaffi',
      affinity: required([existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')], [existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')]),
    }),
    wantAffinityPodsMap: {},
    wantAntiAffinityPodsMap: { 'hostname=nodeA': 1 },
  },
];

t.test('TestGetTPMapMatchingIncomingAffinityAntiAffinity', async (t) => {
  for (const row of incomingRows) {
    t.test(row.name, async (t) => {
      const nodes = snapshot(row.existingPods, [{ name: 'nodeA', labels: { hostname: 'nodeA' } }]);
      const got = plugin(nodes, {}).incomingAffinityAntiAffinityCounts(PodInfo.of(row.pod), nodes);
      t.same(got.affinity.toRecord(), row.wantAffinityPodsMap, 'affinity counts');
      t.same(got.antiAffinity.toRecord(), row.wantAntiAffinityPodsMap, 'anti-affinity counts');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go TestPreferredAffinity

const labelAzAz1 = { az: 'az1' };
const labelAzAz2 = { az: 'az2' };
const podLabelSecurityS1 = { security: 'S1' };
const podLabelSecurityS2 = { security: 'S2' };
const preferredAffinity = (...terms: WeightedPodAffinityTerm[]): Affinity => ({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } });
const preferredAntiAffinity = (...terms: WeightedPodAffinityTerm[]): Affinity => ({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } });
const stayWithS1InRegion = preferredAffinity(weighted(5, inTerm('security', 'region', ['S1'])));
const stayWithS2InRegion = preferredAffinity(weighted(6, inTerm('security', 'region', ['S2'])));
const affinity3 = preferredAffinity(
  weighted(8, term('region', expr('security', 'NotIn', ['S1']), expr('security', 'In', ['S2']))),
  weighted(2, term('region', expr('security', 'Exists'), expr('wrongkey', 'DoesNotExist'))),
);
const hardAffinity = required([inTerm('security', 'region', ['S1', 'value2']), term('region', expr('security', 'Exists'), expr('wrongkey', 'DoesNotExist'))]);
const awayFromS1InAz = preferredAntiAffinity(weighted(5, inTerm('security', 'az', ['S1'])));
const awayFromS2InAz = preferredAntiAffinity(weighted(5, inTerm('security', 'az', ['S2'])));
const stayWithS1InRegionAwayFromS2InAz: Affinity = { ...preferredAffinity(weighted(8, inTerm('security', 'region', ['S1']))), ...preferredAntiAffinity(weighted(5, inTerm('security', 'az', ['S2']))) };
const nsSelectorTerm: PodAffinityTerm = { ...inTerm('security', 'region', ['S1']), namespaces: ['subteam2.team2'], namespaceSelector: teamNsSelector };
const affinityNamespaceSelector = preferredAffinity(weighted(5, nsSelectorTerm));
const antiAffinityNamespaceSelector = preferredAntiAffinity(weighted(5, nsSelectorTerm));
const invalidAffinityLabels = preferredAffinity(weighted(8, inTerm('security', 'region', [badValue])));
const invalidAntiAffinityLabels = preferredAntiAffinity(weighted(5, inTerm('security', 'az', [badValue])));

interface ScoreRow {
  name: string;
  pod: Pod;
  pods?: Pod[];
  nodes: NodeSpec[];
  expectedList?: NodeScore[];
  ignorePreferredTermsOfExistingPods?: boolean;
  /** PreScore's status; the message is matched as a substring, as upstream does. */
  wantStatus?: { code: Code; message?: string };
}

const scores = (...s: Array<[string, number]>): NodeScore[] => s.map(([name, score]) => ({ name, score }));
const n = (name: string, labels: Record<string, string>): NodeSpec => ({ name, labels });
const three = [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelAzAz1)];

const preferredRows: ScoreRow[] = [
  {
    name: 'all nodes are same priority as Affinity is nil',
    pod: pod({ labels: podLabelSecurityS1 }),
    nodes: three,
    wantStatus: { code: Code.Skip },
  },
  {
    name: 'Affinity: pod that matches topology key & pods in nodes will get high score comparing to otherswhich doesn\'t match either pods in nodes or in topology key',
    pod: pod({ affinity: stayWithS1InRegion, labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', labels: podLabelSecurityS2 }), pod({ node: 'node3', labels: podLabelSecurityS1 })],
    nodes: three,
    expectedList: scores(['node1', 100], ['node2', 0], ['node3', 0]),
  },
  {
    name: 'All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score',
    pod: pod({ affinity: stayWithS1InRegion }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 })],
    nodes: [n('node1', labelRgChina), n('node2', labelRgChinaAzAz1), n('node3', labelRgIndia)],
    expectedList: scores(['node1', 100], ['node2', 100], ['node3', 0]),
  },
  {
    name: 'Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score',
    pod: pod({ affinity: stayWithS2InRegion, labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', labels: podLabelSecurityS2 }),
      pod({ node: 'node1', labels: podLabelSecurityS2 }),
      pod({ node: 'node2', labels: podLabelSecurityS2 }),
      pod({ node: 'node3', labels: podLabelSecurityS2 }),
      pod({ node: 'node4', labels: podLabelSecurityS2 }),
      pod({ node: 'node5', labels: podLabelSecurityS2 }),
    ],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia), n('node3', labelRgChina), n('node4', labelRgChina), n('node5', labelRgIndia)],
    expectedList: scores(['node1', 100], ['node2', 0], ['node3', 100], ['node4', 100], ['node5', 0]),
  },
  {
    name: 'Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ',
    pod: pod({ affinity: affinity3, labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', labels: podLabelSecurityS2 }), pod({ node: 'node3', labels: podLabelSecurityS1 })],
    nodes: three,
    expectedList: scores(['node1', 20], ['node2', 100], ['node3', 0]),
  },
  {
    name: 'Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
    pod: pod({ labels: podLabelSecurityS2 }),
    pods: [pod({ node: 'node1', affinity: stayWithS1InRegion, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: stayWithS2InRegion, labels: podLabelSecurityS2 })],
    nodes: three,
    expectedList: scores(['node1', 0], ['node2', 100], ['node3', 0]),
  },
  {
    name: 'Affinity symmetry with namespace selector',
    pod: pod({ ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', affinity: affinityNamespaceSelector, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: stayWithS2InRegion, labels: podLabelSecurityS2 })],
    nodes: three,
    expectedList: scores(['node1', 100], ['node2', 0], ['node3', 0]),
  },
  {
    name: 'AntiAffinity symmetry with namespace selector',
    pod: pod({ ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', affinity: antiAffinityNamespaceSelector, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: stayWithS2InRegion, labels: podLabelSecurityS2 })],
    nodes: three,
    expectedList: scores(['node1', 0], ['node2', 100], ['node3', 100]),
  },
  {
    name: 'Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
    pod: pod({ labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', affinity: hardAffinity, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: hardAffinity, labels: podLabelSecurityS2 })],
    nodes: three,
    expectedList: scores(['node1', 100], ['node2', 100], ['node3', 0]),
  },
  {
    name: 'Anti Affinity: pod that does not match existing pods in node will get high score ',
    pod: pod({ affinity: awayFromS1InAz, labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', labels: podLabelSecurityS2 })],
    nodes: [n('node1', labelAzAz1), n('node2', labelRgChina)],
    expectedList: scores(['node1', 0], ['node2', 100]),
  },
  {
    name: 'Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ',
    pod: pod({ affinity: awayFromS1InAz, labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', labels: podLabelSecurityS1 })],
    nodes: [n('node1', labelAzAz1), n('node2', labelRgChina)],
    expectedList: scores(['node1', 0], ['node2', 100]),
  },
  {
    name: 'Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score',
    pod: pod({ affinity: awayFromS1InAz, labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', labels: podLabelSecurityS2 })],
    nodes: [n('node1', labelAzAz1), n('node2', labelRgIndia)],
    expectedList: scores(['node1', 0], ['node2', 100]),
  },
  {
    name: 'Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
    pod: pod({ labels: podLabelSecurityS2 }),
    pods: [pod({ node: 'node1', affinity: awayFromS2InAz, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: awayFromS1InAz, labels: podLabelSecurityS2 })],
    nodes: [n('node1', labelAzAz1), n('node2', labelAzAz2)],
    expectedList: scores(['node1', 0], ['node2', 100]),
  },
  {
    name: 'Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity',
    pod: pod({ affinity: stayWithS1InRegionAwayFromS2InAz, labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', labels: podLabelSecurityS1 })],
    nodes: [n('node1', labelRgChina), n('node2', labelAzAz1)],
    expectedList: scores(['node1', 100], ['node2', 0]),
  },
  {
    name: 'Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
    pod: pod({ affinity: stayWithS1InRegionAwayFromS2InAz, labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', labels: podLabelSecurityS1 }),
      pod({ node: 'node2', labels: podLabelSecurityS1 }),
      pod({ node: 'node3', labels: podLabelSecurityS1 }),
      pod({ node: 'node3', labels: podLabelSecurityS1 }),
      pod({ node: 'node4', labels: podLabelSecurityS1 }),
      pod({ node: 'node5', labels: podLabelSecurityS1 }),
    ],
    nodes: [n('node1', labelRgChinaAzAz1), n('node2', labelRgIndia), n('node3', labelRgChina), n('node4', labelRgChina), n('node5', labelRgIndia)],
    expectedList: scores(['node1', 100], ['node2', 0], ['node3', 100], ['node4', 100], ['node5', 0]),
  },
  {
    name: 'Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry',
    pod: pod({ affinity: stayWithS1InRegionAwayFromS2InAz, labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', labels: podLabelSecurityS1 }),
      pod({ node: 'node2', labels: podLabelSecurityS2 }),
      pod({ node: 'node3', affinity: stayWithS1InRegionAwayFromS2InAz }),
      pod({ node: 'node4', affinity: awayFromS1InAz }),
    ],
    nodes: [n('node1', labelRgChina), n('node2', labelAzAz1), n('node3', labelRgIndia), n('node4', labelAzAz2)],
    expectedList: scores(['node1', 100], ['node2', 0], ['node3', 100], ['node4', 0]),
  },
  {
    name: "Avoid panic when partial nodes in a topology don't have pods with affinity",
    pod: pod({ labels: podLabelSecurityS1 }),
    pods: [pod({ node: 'node1', labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: stayWithS1InRegionAwayFromS2InAz })],
    nodes: [n('node1', labelRgChina), n('node2', labelRgChina)],
    expectedList: scores(['node1', 0], ['node2', 0]),
  },
  {
    name: 'invalid Affinity fails PreScore',
    pod: pod({ affinity: invalidAffinityLabels }),
    nodes: [n('node1', labelRgChina), n('node2', labelRgChina)],
    wantStatus: { code: Code.Error, message: `Invalid value: "${badValue}"` },
  },
  {
    name: 'invalid AntiAffinity fails PreScore',
    pod: pod({ affinity: invalidAntiAffinityLabels }),
    nodes: [n('node1', labelRgChina), n('node2', labelRgChina)],
    wantStatus: { code: Code.Error, message: `Invalid value: "${badValue}"` },
  },
  {
    name: 'Affinity with pods matching NamespaceSelector',
    pod: pod({ affinity: affinityNamespaceSelector, ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam1.team2', labels: podLabelSecurityS1 }),
      pod({ node: 'node2', ns: 'subteam2.team1', labels: podLabelSecurityS1 }),
    ],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
    expectedList: scores(['node1', 100], ['node2', 0]),
  },
  {
    name: 'Affinity with pods matching both NamespaceSelector and Namespaces fields',
    pod: pod({ affinity: affinityNamespaceSelector, ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam2.team2', labels: podLabelSecurityS1 }),
      pod({ node: 'node2', ns: 'subteam2.team1', labels: podLabelSecurityS1 }),
    ],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
    expectedList: scores(['node1', 100], ['node2', 0]),
  },
  {
    name: 'Affinity with pods matching NamespaceSelector (anti-affinity)',
    pod: pod({ affinity: antiAffinityNamespaceSelector, ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam1.team2', labels: podLabelSecurityS1 }),
      pod({ node: 'node2', ns: 'subteam2.team1', labels: podLabelSecurityS1 }),
    ],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
    expectedList: scores(['node1', 0], ['node2', 100]),
  },
  {
    name: 'Affinity with pods matching both NamespaceSelector and Namespaces fields (anti-affinity)',
    pod: pod({ affinity: antiAffinityNamespaceSelector, ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
    pods: [
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam1.team1', labels: podLabelSecurityS1 }),
      pod({ node: 'node1', ns: 'subteam2.team2', labels: podLabelSecurityS1 }),
      pod({ node: 'node2', ns: 'subteam2.team1', labels: podLabelSecurityS1 }),
    ],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
    expectedList: scores(['node1', 0], ['node2', 100]),
  },
  {
    name: 'Ignore preferred terms of existing pods',
    pod: pod({ labels: podLabelSecurityS2 }),
    pods: [pod({ node: 'node1', affinity: stayWithS1InRegionAwayFromS2InAz, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: stayWithS2InRegion, labels: podLabelSecurityS2 })],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
    wantStatus: { code: Code.Skip },
    ignorePreferredTermsOfExistingPods: true,
  },
  {
    name: 'Do not ignore preferred terms of existing pods',
    pod: pod({ labels: podLabelSecurityS2 }),
    pods: [pod({ node: 'node1', affinity: stayWithS1InRegionAwayFromS2InAz, labels: podLabelSecurityS1 }), pod({ node: 'node2', affinity: stayWithS2InRegion, labels: podLabelSecurityS2 })],
    nodes: [n('node1', labelRgChina), n('node2', labelRgIndia)],
    expectedList: scores(['node1', 0], ['node2', 100]),
    ignorePreferredTermsOfExistingPods: false,
  },
  {
    name: 'No nodes to score',
    pod: pod({ labels: podLabelSecurityS2 }),
    pods: [],
    nodes: [],
    wantStatus: { code: Code.Skip },
  },
];

function runScoreRow(t: Test, row: ScoreRow, args: Partial<InterPodAffinityArgs>): void {
  const nodes = snapshot(row.pods ?? [], row.nodes);
  const p = plugin(nodes, NAMESPACES, args);
  const state = new CycleState();
  const info = PodInfo.of(row.pod);
  const status = p.preScore(state, info, nodes);
  if (row.wantStatus !== undefined) {
    t.equal(status?.code, row.wantStatus.code, 'PreScore code');
    if (row.wantStatus.message !== undefined) t.match(status?.message() ?? '', row.wantStatus.message, 'PreScore message');
    return;
  }
  t.equal(status, null, 'PreScore succeeds');
  const got: NodeScore[] = [];
  for (const ni of nodes) {
    const s = p.score(state, info, ni);
    if (typeof s !== 'number') {
      t.fail(`Score: ${s.toString()}`);
      return;
    }
    got.push({ name: ni.name, score: s });
  }
  t.equal(p.normalizeScore(state, info, got), null, 'NormalizeScore succeeds');
  t.same(got, row.expectedList, 'normalized scores');
}

t.test('TestPreferredAffinity', async (t) => {
  t.equal(preferredRows.length, 26, 'all upstream rows');
  for (const row of preferredRows) {
    t.test(row.name, async (t) => runScoreRow(t, row, { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: row.ignorePreferredTermsOfExistingPods ?? false }));
  }
});

// ---------------------------------------------------------------------------------------------
// scoring_test.go TestPreferredAffinityWithHardPodAffinitySymmetricWeight

const podLabelServiceS1 = { service: 'S1' };
const hardPodAffinity = required([{ ...inTerm('service', 'region', ['S1']), namespaces: ['', 'subteam2.team2'], namespaceSelector: teamNsSelector }]);

const hardRows: Array<ScoreRow & { hardPodAffinityWeight: number }> = [
  {
    name: 'with default weight',
    pod: pod({ labels: podLabelServiceS1 }),
    pods: [pod({ node: 'node1', affinity: hardPodAffinity }), pod({ node: 'node2', affinity: hardPodAffinity })],
    nodes: three,
    hardPodAffinityWeight: 1,
    expectedList: scores(['node1', 100], ['node2', 100], ['node3', 0]),
  },
  {
    name: 'with zero weight',
    pod: pod({ labels: podLabelServiceS1 }),
    pods: [pod({ node: 'node1', affinity: hardPodAffinity }), pod({ node: 'node2', affinity: hardPodAffinity })],
    nodes: three,
    hardPodAffinityWeight: 0,
    wantStatus: { code: Code.Skip },
  },
  {
    name: 'with no matching namespace',
    pod: pod({ ns: 'subteam1.team2', labels: podLabelServiceS1 }),
    pods: [pod({ node: 'node1', affinity: hardPodAffinity }), pod({ node: 'node2', affinity: hardPodAffinity })],
    nodes: three,
    hardPodAffinityWeight: 1,
    wantStatus: { code: Code.Skip },
  },
  {
    name: 'with matching NamespaceSelector',
    pod: pod({ ns: 'subteam1.team1', labels: podLabelServiceS1 }),
    pods: [pod({ node: 'node1', affinity: hardPodAffinity }), pod({ node: 'node2', affinity: hardPodAffinity })],
    nodes: three,
    hardPodAffinityWeight: 1,
    expectedList: scores(['node1', 100], ['node2', 100], ['node3', 0]),
  },
  {
    name: 'with matching Namespaces',
    pod: pod({ ns: 'subteam2.team2', labels: podLabelServiceS1 }),
    pods: [pod({ node: 'node1', affinity: hardPodAffinity }), pod({ node: 'node2', affinity: hardPodAffinity })],
    nodes: three,
    hardPodAffinityWeight: 1,
    expectedList: scores(['node1', 100], ['node2', 100], ['node3', 0]),
  },
];

t.test('TestPreferredAffinityWithHardPodAffinitySymmetricWeight', async (t) => {
  t.equal(hardRows.length, 5, 'all upstream rows');
  for (const row of hardRows) {
    t.test(row.name, async (t) => runScoreRow(t, row, { hardPodAffinityWeight: row.hardPodAffinityWeight }));
  }
});

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/apis/config/validation/validation_pluginargs_test.go TestValidateInterPodAffinityArgs
// (upstream compares type and field only; the detail is the source's "not in valid range [0, 100]")

const validationRows: Array<{ name: string; args: InterPodAffinityArgs; wantErr: string[] }> = [
  { name: 'valid args', args: { hardPodAffinityWeight: 10, ignorePreferredTermsOfExistingPods: false }, wantErr: [] },
  {
    name: 'hardPodAffinityWeight less than min',
    args: { hardPodAffinityWeight: -1, ignorePreferredTermsOfExistingPods: false },
    wantErr: ['hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]'],
  },
  {
    name: 'hardPodAffinityWeight more than max',
    args: { hardPodAffinityWeight: 101, ignorePreferredTermsOfExistingPods: false },
    wantErr: ['hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]'],
  },
];

t.test('TestValidateInterPodAffinityArgs', async (t) => {
  for (const row of validationRows) {
    t.test(row.name, async (t) => {
      t.same(validateArgs(row.args), row.wantErr);
      t.same(validateInterPodAffinityArgs(row.args), row.wantErr, 'through the decoder');
    });
  }
  t.test('field path prefix', async (t) => {
    t.same(validateInterPodAffinityArgs({ hardPodAffinityWeight: 101 }, 'profiles[0].pluginConfig[2].args'), [
      'profiles[0].pluginConfig[2].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// kubedrill rows (not upstream tables): defaults, decoding, factory, events, matchLabelKeys

t.test('args: v1 defaults and decoding', async (t) => {
  t.same(decodeInterPodAffinityArgs(undefined), { args: { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false }, errors: [] }, 'SetDefaults: hardPodAffinityWeight 1');
  t.same(decodeInterPodAffinityArgs({ hardPodAffinityWeight: 0 }).args.hardPodAffinityWeight, 0, 'an explicit 0 stays (pointer field)');
  t.same(decodeInterPodAffinityArgs({ ignorePreferredTermsOfExistingPods: true }).args.ignorePreferredTermsOfExistingPods, true);
  t.same(decodeInterPodAffinityArgs({ hardPodAffinityWeight: 'x' }).errors, [
    'json: cannot unmarshal string into Go struct field InterPodAffinityArgs.hardPodAffinityWeight of type int32',
  ]);
  t.same(decodeInterPodAffinityArgs({ hardPodAffinityWeight: 3000000000 }).errors, [
    'json: cannot unmarshal number 3000000000 into Go struct field InterPodAffinityArgs.hardPodAffinityWeight of type int32',
  ]);
  t.same(decodeInterPodAffinityArgs({ ignorePreferredTermsOfExistingPods: 'yes' }).errors, [
    'json: cannot unmarshal string into Go struct field InterPodAffinityArgs.ignorePreferredTermsOfExistingPods of type bool',
  ]);
  t.same(decodeInterPodAffinityArgs({ hardPodAfinityWeight: 2 }).errors, ['strict decoding error: unknown field "hardPodAfinityWeight"']);
});

t.test('factory: newInterPodAffinity validates its args', async (t) => {
  const handle = fakeHandle([]);
  const p = newInterPodAffinity({ hardPodAffinityWeight: 7 }, handle) as InterPodAffinity;
  t.equal(p.name, 'InterPodAffinity');
  t.equal(p.args.hardPodAffinityWeight, 7);
  t.throws(() => newInterPodAffinity({ hardPodAffinityWeight: 101 }, handle), /hardPodAffinityWeight: Invalid value: 101: not in valid range \[0, 100\]/);
  t.throws(() => newInterPodAffinity({ bogus: 1 }, handle), /unknown field "bogus"/);
});

t.test('eventsToRegister (queueing hints on)', async (t) => {
  t.strictSame(registrations(plugin([]).eventsToRegister()), [
    { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'Delete'], hint: true },
    { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], hint: true },
  ]);
});

t.test('Filter reuses its statuses (no allocation per rejected node)', async (t) => {
  const nodes = snapshot([pod({ node: 'a', labels: { app: 'x' } })], [n('a', { zone: 'z1' }), n('b', { zone: 'z1' })]);
  const p = plugin(nodes, {});
  const state = new CycleState();
  const info = PodInfo.of(pod({ affinity: required(null, [existsTerm('app', 'zone')]) }));
  t.equal(p.preFilter(state, info, nodes).status, null);
  const s1 = p.filter(state, info, nodes[0]!);
  const s2 = p.filter(state, info, nodes[1]!);
  t.equal(s1?.code, Code.Unschedulable);
  t.equal(s1, s2, 'the same Status object');
  t.equal(s1?.withPlugin('InterPodAffinity'), s1, 'already tagged with the plugin name');
});

t.test('matchLabelKeys / mismatchLabelKeys are merged into the selector (apiserver semantics)', async (t) => {
  const nodes = snapshot(
    [pod({ node: 'a', labels: { app: 'web', rev: '1' } }), pod({ node: 'b', labels: { app: 'web', rev: '2' } })],
    [n('a', { zone: 'z1' }), n('b', { zone: 'z2' }), n('c', { zone: 'z3' })],
  );
  const p = plugin(nodes, {});
  const affinityPod = (t0: Partial<PodAffinityTerm>) =>
    pod({ labels: { app: 'web', rev: '2' }, affinity: required([{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone', ...t0 }]) });
  const verdicts = (q: Pod) => {
    const state = new CycleState();
    const info = PodInfo.of(q);
    t.equal(p.preFilter(state, info, nodes).status, null);
    return nodes.map((ni) => p.filter(state, info, ni)?.code ?? 'ok');
  };
  t.same(verdicts(affinityPod({})), ['ok', 'ok', Code.UnschedulableAndUnresolvable], 'plain selector: both revisions attract');
  t.same(verdicts(affinityPod({ matchLabelKeys: ['rev'] })), [Code.UnschedulableAndUnresolvable, 'ok', Code.UnschedulableAndUnresolvable], 'matchLabelKeys: rev in (2)');
  t.same(verdicts(affinityPod({ mismatchLabelKeys: ['rev'] })), ['ok', Code.UnschedulableAndUnresolvable, Code.UnschedulableAndUnresolvable], 'mismatchLabelKeys: rev notin (2)');
  t.same(verdicts(affinityPod({ matchLabelKeys: ['absent'] })), ['ok', 'ok', Code.UnschedulableAndUnresolvable], 'a key the pod lacks adds nothing');
});

t.test('namespaceSelector of the incoming pod: only existing namespaces qualify', async (t) => {
  // DoesNotExist matches an empty label set; upstream lists namespaces, so a pod in a namespace
  // that does not exist never qualifies.
  const nodes = snapshot([pod({ node: 'a', ns: 'ghost', labels: { app: 'x' } }), pod({ node: 'b', ns: 'plain', labels: { app: 'x' } })], [n('a', { zone: 'z1' }), n('b', { zone: 'z2' })]);
  const p = plugin(nodes, { plain: {} });
  const q = pod({ ns: 'other', affinity: required(null, [{ labelSelector: { matchLabels: { app: 'x' } }, namespaceSelector: { matchExpressions: [expr('team', 'DoesNotExist')] }, topologyKey: 'zone' }]) });
  const state = new CycleState();
  const info = PodInfo.of(q);
  t.equal(p.preFilter(state, info, nodes).status, null);
  t.equal(p.filter(state, info, nodes[0]!), null, 'pod in a missing namespace does not repel');
  t.equal(p.filter(state, info, nodes[1]!)?.code, Code.Unschedulable, 'pod in an existing label-less namespace repels');
});

t.test('Score / NormalizeScore without PreScore state are errors', async (t) => {
  const nodes = snapshot([], [n('a', { zone: 'z1' })]);
  const p = plugin(nodes, {});
  const info = PodInfo.of(pod());
  const s = p.score(new CycleState(), info, nodes[0]!);
  t.equal(typeof s === 'number' ? s : s.code, Code.Error);
  t.same(typeof s === 'number' ? [] : s.reasons, ['failed to read "PreScoreInterPodAffinity" from cycleState: not found']);
  t.equal(p.normalizeScore(new CycleState(), info, [])?.code, Code.Error);
});

// ---------------------------------------------------------------------------------------------
// Queueing hints: plugin_test.go (v1.35) Test_isSchedulableAfterPodChange, all rows.
// st.MakePod().UID("p") is pod({ name: 'p' }) (uid "uid-p"); pods without a UID get their own name.

const svcIn = () => inTerm('service', 'region', ['securityscan', 'value2']);
const hintPodRows: Array<{ name: string; pod: Pod; oldPod?: Pod; newPod?: Pod; want: 'Queue' | 'QueueSkip' }> = [
  { name: 'add a pod which matches the pod affinity', pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), want: 'Queue' },
  { name: 'add an un-scheduled pod', pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', labels: { service: 'securityscan' } }), want: 'QueueSkip' },
  { name: "add a pod which doesn't match the pod affinity", pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: 'a' } }), want: 'QueueSkip' },
  { name: 'update a pod from non-match to match pod affinity', pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: 'a' } }), want: 'Queue' },
  { name: "the updating pod matches target pod's affinity both before and after label changes", pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'value2' } }), want: 'QueueSkip' },
  { name: 'update an un-scheduled pod', pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', labels: { service: 'securityscan' } }), oldPod: pod({ name: 'other', labels: { aaa: 'a' } }), want: 'QueueSkip' },
  { name: 'update a pod from match to non-match the pod affinity', pod: pod({ name: 'p', affinity: required([svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: 'a' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), want: 'QueueSkip' },
  { name: "update a pod from match to non-match pod's affinity - multiple terms case", pod: pod({ name: 'p', affinity: required([existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: 'a' } }), want: 'QueueSkip' },
  { name: "update a pod from non-match to match pod's affinity - multiple terms case", pod: pod({ name: 'p', affinity: required([existsTerm('aaa', 'hostname'), existsTerm('bbb', 'hostname')]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: '', bbb: '' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: 'a' } }), want: 'Queue' },
  { name: 'updated pod is the target pod', pod: pod({ name: 'p', labels: { foo: 'baz' } }), newPod: pod({ name: 'p', labels: { foo: 'baz' } }), oldPod: pod({ name: 'p', labels: { foo: 'bar' } }), want: 'Queue' },
  { name: 'modify pod label to change it from satisfying pod anti-affinity to not satisfying anti-affinity', pod: pod({ name: 'p', affinity: required(null, [svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'aaaa' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), want: 'Queue' },
  { name: 'modify pod label to change it from not satisfying pod anti-affinity to satisfying anti-affinity', pod: pod({ name: 'p', affinity: required(null, [svcIn()]) }), newPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'bbb' } }), want: 'QueueSkip' },
  { name: "delete a pod which doesn't match pod's anti-affinity", pod: pod({ name: 'p', affinity: required(null, [svcIn()]) }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { aaa: 'a' } }), want: 'QueueSkip' },
  { name: "delete a pod which matches pod's anti-affinity", pod: pod({ name: 'p', affinity: required(null, [svcIn()]) }), oldPod: pod({ name: 'other', node: 'fake-node', labels: { service: 'securityscan' } }), want: 'Queue' },
  { name: 'delete a pod with anti-affinity that matches pending pod', pod: pod({ name: 'p', labels: { service: 'securityscan' } }), oldPod: pod({ node: 'fake-node', affinity: required(null, [svcIn()]) }), want: 'Queue' },
  { name: "delete a pod with anti-affinity that doesn't match pending pod", pod: pod({ name: 'p', labels: { service: 'foo' } }), oldPod: pod({ node: 'fake-node', affinity: required(null, [svcIn()]) }), want: 'QueueSkip' },
  {
    name: "delete a pod which doesn't match pending pod's anti-affinity and has anti-affinity that doesn't match pending pod",
    pod: pod({ name: 'p', affinity: required(null, [svcIn()]), labels: { service: 'foo' } }),
    oldPod: pod({ node: 'fake-node', affinity: required(null, [svcIn()]), labels: { service: 'foo' } }),
    want: 'QueueSkip',
  },
];

t.test('plugin_test.go Test_isSchedulableAfterPodChange', async (t) => {
  for (const row of hintPodRows) t.equal(isSchedulableAfterPodChange(row.pod, row.oldPod, row.newPod), row.want, row.name);
});

// plugin_test.go (v1.35) Test_isSchedulableAfterNodeChange, all rows.
const nodeL = (labels: Record<string, string>): Node => makeNode('node-a', {}, { labels });
const zoneIn = () => required([inTerm('service', 'zone', ['securityscan', 'value2'])]);
const antiZone = () => required(null, [{ labelSelector: { matchLabels: { another: 'label' } }, topologyKey: 'zone' }]);
const hintNodeRows: Array<{ name: string; pod: Pod; oldNode?: Node; newNode: Node; want: 'Queue' | 'QueueSkip' }> = [
  { name: 'add a new node with matched pod affinity topologyKey', pod: pod({ name: 'p', affinity: zoneIn() }), newNode: nodeL({ zone: 'zone1' }), want: 'Queue' },
  { name: 'add a new node without matched topologyKey', pod: pod({ name: 'p', affinity: required([svcIn()]) }), newNode: nodeL({ zone: 'zone1' }), want: 'QueueSkip' },
  { name: 'update node label but not topologyKey', pod: pod({ name: 'p', affinity: zoneIn() }), oldNode: nodeL({ aaa: 'a' }), newNode: nodeL({ aaa: 'b' }), want: 'QueueSkip' },
  { name: "update node label that isn't related to the pod affinity", pod: pod({ name: 'p', affinity: zoneIn() }), oldNode: nodeL({ zone: 'zone1' }), newNode: nodeL({ zone: 'zone1', 'unrelated-label': 'unrelated' }), want: 'QueueSkip' },
  { name: 'update node with different affinity topologyKey value', pod: pod({ name: 'p', affinity: zoneIn() }), oldNode: nodeL({ zone: 'zone1' }), newNode: nodeL({ zone: 'zone2' }), want: 'Queue' },
  { name: 'update node to have the affinity topology label', pod: pod({ name: 'p', affinity: zoneIn() }), oldNode: nodeL({ aaa: 'a' }), newNode: nodeL({ zone: 'zone1' }), want: 'Queue' },
  { name: 'add a new node with matched pod anti-affinity topologyKey', pod: pod({ name: 'p', affinity: antiZone() }), newNode: nodeL({ zone: 'zone1' }), want: 'Queue' },
  { name: 'add a new node without matched pod anti-affinity topologyKey', pod: pod({ name: 'p', affinity: antiZone() }), newNode: nodeL({}), want: 'Queue' },
  { name: "update node label that isn't related to the pod anti-affinity", pod: pod({ name: 'p', affinity: antiZone() }), oldNode: nodeL({ zone: 'zone1' }), newNode: nodeL({ zone: 'zone1', 'unrelated-label': 'unrelated' }), want: 'QueueSkip' },
  { name: 'update node with different anti-affinity topologyKey value', pod: pod({ name: 'p', affinity: antiZone() }), oldNode: nodeL({ zone: 'zone1' }), newNode: nodeL({ zone: 'zone2' }), want: 'Queue' },
  { name: 'update node to have the anti-affinity topology label', pod: pod({ name: 'p', affinity: antiZone() }), oldNode: nodeL({ aaa: 'a' }), newNode: nodeL({ zone: 'zone1' }), want: 'QueueSkip' },
  { name: 'update node label not to have anti-affinity topology label', pod: pod({ name: 'p', affinity: antiZone() }), oldNode: nodeL({ zone: 'zone1' }), newNode: nodeL({ aaa: 'a' }), want: 'Queue' },
];

t.test('plugin_test.go Test_isSchedulableAfterNodeChange', async (t) => {
  for (const row of hintNodeRows) t.equal(isSchedulableAfterNodeChange(row.pod, row.oldNode, row.newNode), row.want, row.name);
});
