// Tests for the PodTopologySpread plugin (src/scheduler/plugins/pod_topology_spread.ts), tables
// transcribed from upstream (v1.35) pkg/scheduler/framework/plugins/podtopologyspread/
// filtering_test.go and scoring_test.go, and pkg/scheduler/apis/config/validation/
// validation_pluginargs_test.go. Pods and nodes are built as st.MakePod()/st.MakeNode() build them.
//
// The upstream tests run with feature.Features{} and switch NodeInclusionPolicy / MatchLabelKeys
// on per row; kubedrill models v1.35 with both on. Rows that run with a gate off are kept where
// the gate cannot change their outcome (no nodeAffinityPolicy / nodeTaintsPolicy /
// matchLabelKeys that the gate would drop) and left out otherwise.
//
// Rows kept per table: TestPreFilterState 32, TestPreFilterStateAddPod 16 (all),
// TestPreFilterStateRemovePod 9 (all), TestSingleConstraint 23 (all), TestMultipleConstraints 13
// (all), TestPreFilterDisabled (1), TestPreScoreSkip 2 (all), TestPreScoreStateEmptyNodes 12
// (all), TestPodTopologySpreadScore 26, TestValidatePodTopologySpreadArgs 11 (all).
// Left out (Go-only machinery or objects kubedrill does not model):
//   TestPreFilterState: "default constraints and a service", "default constraints and a service
//     that doesn't match", "default soft constraints and a service" (Services: not modelled);
//     "matchLabelKeys ignored when feature gate disabled" (the gate off changes the outcome).
//   TestPodTopologySpreadScore: "system defaulting, nodes don't have zone, pods match service"
//     (Services); "matchLabelKeys ignored when feature gate disabled" (gate off).
//   filtering_test.go TestPodTopoSignatures (SignPod: not modelled); the Benchmark* functions.
// plugin_test.go Test_isSchedulableAfterNodeChange (13 rows, all) and
// Test_isSchedulableAfterPodChange (20 rows, all) are at the end of this file.
import t, { type Test } from 'tap';
import type { LabelSelector } from '../../../src/api/selector.js';
import { NOTHING, type Selector, labelSelectorAsSelector } from '../../../src/api/selector.js';
import type { AnyObject, Node, Pod, Taint, TopologySpreadConstraint } from '../../../src/api/types.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, type NodeInfo, type NodeScore, PodInfo } from '../../../src/scheduler/framework/types.js';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  LABEL_HOSTNAME,
  LABEL_TOPOLOGY_ZONE,
  PRE_FILTER_STATE_KEY,
  PRE_SCORE_STATE_KEY,
  PodTopologySpread,
  type PodTopologySpreadArgs,
  type PreFilterState,
  type PreScoreState,
  type SpreadConstraint,
  goRound,
  newPodTopologySpread,
  topologyNormalizingWeight,
  validatePodTopologySpreadArgs,
} from '../../../src/scheduler/plugins/pod_topology_spread.js';
import { fakeHandle, makeNode, makePod, nodeInfo, registrations } from '../fixtures.js';

// ---------------------------------------------------------------------------------------------
// Builders (st.MakePod / st.MakeNode / st.MakeLabelSelector)

type Mode = TopologySpreadConstraint['whenUnsatisfiable'];
const DNS: Mode = 'DoNotSchedule';
const SA: Mode = 'ScheduleAnyway';
type Policy = 'Honor' | 'Ignore';

class PodW {
  private readonly p: Pod;
  constructor(name: string) {
    this.p = makePod(name);
    this.p.metadata.labels = {};
  }
  namespace(ns: string): this {
    this.p.metadata.namespace = ns;
    return this;
  }
  label(k: string, v: string): this {
    this.p.metadata.labels![k] = v;
    return this;
  }
  node(name: string): this {
    this.p.spec.nodeName = name;
    return this;
  }
  terminating(): this {
    this.p.metadata.deletionTimestamp = 0;
    return this;
  }
  nodeSelector(sel: Record<string, string>): this {
    this.p.spec.nodeSelector = sel;
    return this;
  }
  private nodeAffinity(key: string, operator: 'In' | 'NotIn', values: string[]): this {
    this.p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }] }] } } };
    return this;
  }
  nodeAffinityIn(key: string, values: string[]): this {
    return this.nodeAffinity(key, 'In', values);
  }
  nodeAffinityNotIn(key: string, values: string[]): this {
    return this.nodeAffinity(key, 'NotIn', values);
  }
  /** st's Toleration(key): operator Exists, effect NoSchedule. */
  toleration(key: string): this {
    (this.p.spec.tolerations ??= []).push({ key, operator: 'Exists', effect: 'NoSchedule' });
    return this;
  }
  ownerReference(name: string, kind: string, apiVersion = 'apps/v1'): this {
    this.p.metadata.ownerReferences = [{ apiVersion, kind, name, uid: `uid-${name}`, controller: true }];
    return this;
  }
  spread(
    maxSkew: number,
    topologyKey: string,
    whenUnsatisfiable: Mode,
    labelSelector: LabelSelector | null,
    minDomains: number | null = null,
    nodeAffinityPolicy: Policy | null = null,
    nodeTaintsPolicy: Policy | null = null,
    matchLabelKeys: string[] | null = null,
  ): this {
    const c: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable };
    if (labelSelector !== null) c.labelSelector = labelSelector;
    if (minDomains !== null) c.minDomains = minDomains;
    if (nodeAffinityPolicy !== null) c.nodeAffinityPolicy = nodeAffinityPolicy;
    if (nodeTaintsPolicy !== null) c.nodeTaintsPolicy = nodeTaintsPolicy;
    if (matchLabelKeys !== null) c.matchLabelKeys = matchLabelKeys;
    (this.p.spec.topologySpreadConstraints ??= []).push(c);
    return this;
  }
  obj(): Pod {
    return this.p;
  }
}
const P = (name: string): PodW => new PodW(name);

class NodeW {
  private readonly labels: Record<string, string> = {};
  private taintList: Taint[] | undefined;
  constructor(private readonly name: string) {}
  label(k: string, v: string): this {
    this.labels[k] = v;
    return this;
  }
  taints(list: Taint[]): this {
    this.taintList = list;
    return this;
  }
  obj(): Node {
    return makeNode(this.name, {}, { labels: this.labels, ...(this.taintList ? { taints: this.taintList } : {}) });
  }
}
const N = (name: string): NodeW => new NodeW(name);

const exists = (...keys: string[]): LabelSelector => ({ matchExpressions: keys.map((key) => ({ key, operator: 'Exists' as const })) });
const fooSelector = exists('foo');
const barSelector = exists('bar');
const taints: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];

function replicaSet(name: string, selector: LabelSelector, namespace = 'default'): AnyObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace },
    spec: { selector, template: { spec: { containers: [] } } },
    status: { replicas: 0 },
  } as AnyObject;
}

/** cache.NewSnapshot(existingPods, nodes): pods go to the node named by spec.nodeName. */
function snapshot(nodes: Node[], pods: Pod[] = []): NodeInfo[] {
  const infos = nodes.map((n) => nodeInfo(n));
  for (const p of pods) infos.find((ni) => ni.name === p.spec.nodeName)?.addPod(PodInfo.of(p));
  return infos;
}

function plugin(infos: NodeInfo[], args: PodTopologySpreadArgs = { defaultingType: 'List' }, objs: AnyObject[] = []): PodTopologySpread {
  return new PodTopologySpread(args, fakeHandle(infos, {}, objs));
}

// ---------------------------------------------------------------------------------------------
// State views (what cmp.Diff compares upstream)

/** A selector as upstream's test compares it: labels.Nothing() apart, else its String(). */
const selStr = (s: Selector): string => (s === NOTHING ? '<nothing>' : s.toString());

function mustSelector(ls: LabelSelector | null): string {
  const r = labelSelectorAsSelector(ls);
  if (!r.ok) throw new Error(r.message);
  return selStr(r.selector);
}

interface ConstraintView {
  maxSkew: number;
  topologyKey: string;
  selector: string;
  minDomains: number;
  nodeAffinityPolicy: Policy;
  nodeTaintsPolicy: Policy;
}
/** topologySpreadConstraint{...} of a want: MinDomains 1, Honor / Ignore unless given. */
function C(maxSkew: number, topologyKey: string, sel: LabelSelector | null, o: { minDomains?: number; aff?: Policy; taint?: Policy } = {}): ConstraintView {
  return { maxSkew, topologyKey, selector: mustSelector(sel), minDomains: o.minDomains ?? 1, nodeAffinityPolicy: o.aff ?? 'Honor', nodeTaintsPolicy: o.taint ?? 'Ignore' };
}
const viewConstraint = (c: SpreadConstraint): ConstraintView => ({
  maxSkew: c.maxSkew,
  topologyKey: c.topologyKey,
  selector: selStr(c.selector),
  minDomains: c.minDomains,
  nodeAffinityPolicy: c.nodeAffinityPolicy,
  nodeTaintsPolicy: c.nodeTaintsPolicy,
});

type PathView = [[string, number], [string, number]];
const MAX_INT32 = 2147483647;
const NEW_PATHS: PathView = [
  ['', MAX_INT32],
  ['', MAX_INT32],
];
/** criticalPaths.sort of the test: values tied on MatchNum in alphabetical order. */
function sortPaths(p: PathView): PathView {
  const [a, b] = p;
  if (a[1] === b[1] && a[0] > b[0]) return [[b[0], a[1]], [a[0], b[1]]];
  return [[a[0], a[1]], [b[0], b[1]]];
}

interface PreFilterView {
  constraints: ConstraintView[];
  criticalPaths: PathView[];
  tpValueToMatchNum: Array<Record<string, number>>;
}
function viewPreFilter(s: PreFilterState): PreFilterView {
  return {
    constraints: s.constraints.map(viewConstraint),
    criticalPaths: s.criticalPaths.map((p) => sortPaths([[p.paths[0].topologyValue, p.paths[0].matchNum], [p.paths[1].topologyValue, p.paths[1].matchNum]])),
    tpValueToMatchNum: s.tpValueToMatchNum.map((m) => Object.fromEntries(m)),
  };
}
const want = (constraints: ConstraintView[], criticalPaths: PathView[], tpValueToMatchNum: Array<Record<string, number>>): PreFilterView => ({
  constraints,
  criticalPaths: criticalPaths.map(sortPaths),
  tpValueToMatchNum,
});

function checkStatus(t: Test, got: MaybeStatus, wantStatus: { code: Code; reason?: string } | undefined, what: string): void {
  if (wantStatus === undefined) {
    t.equal(got, null, `${what} is success`);
    return;
  }
  t.equal(got?.code, wantStatus.code, `${what} code`);
  t.strictSame(got?.reasons, wantStatus.reason === undefined ? [] : [wantStatus.reason], `${what} reasons`);
}

// Nodes most rows share.
const nodesAX = (): Node[] => [
  N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
  N('node-b').label('zone', 'zone1').label('node', 'node-b').obj(),
  N('node-x').label('zone', 'zone2').label('node', 'node-x').obj(),
  N('node-y').label('zone', 'zone2').label('node', 'node-y').obj(),
];
const nodesABY = (): Node[] => [
  N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
  N('node-b').label('zone', 'zone1').label('node', 'node-b').obj(),
  N('node-y').label('zone', 'zone2').label('node', 'node-y').obj(),
];
const nodesABC = (): Node[] => [
  N('node-a').label('node', 'node-a').label('foo', '').obj(),
  N('node-b').label('node', 'node-b').label('foo', '').obj(),
  N('node-c').label('node', 'node-c').label('bar', '').obj(),
];
const nodesABCTainted = (): Node[] => [
  N('node-a').label('node', 'node-a').obj(),
  N('node-b').label('node', 'node-b').obj(),
  N('node-c').label('node', 'node-c').taints(taints).label('bar', '').obj(),
];
/** p-a1, p-a2, p-b1, p-y1, p-y2, all labelled foo. */
const podsFive = (value = ''): Pod[] => [
  P('p-a1').node('node-a').label('foo', value).obj(),
  P('p-a2').node('node-a').label('foo', value).obj(),
  P('p-b1').node('node-b').label('foo', value).obj(),
  P('p-y1').node('node-y').label('foo', value).obj(),
  P('p-y2').node('node-y').label('foo', value).obj(),
];
/** p-a1, p-a2, p-b1, p-y1..p-y4, all labelled foo. */
const podsSeven = (): Pod[] => [
  P('p-a1').node('node-a').label('foo', '').obj(),
  P('p-a2').node('node-a').label('foo', '').obj(),
  P('p-b1').node('node-b').label('foo', '').obj(),
  P('p-y1').node('node-y').label('foo', '').obj(),
  P('p-y2').node('node-y').label('foo', '').obj(),
  P('p-y3').node('node-y').label('foo', '').obj(),
  P('p-y4').node('node-y').label('foo', '').obj(),
];
/** p-a (bar) on node-a, p-b and p-c (bar) on node-b, p-d (no label) on node-c. */
const podsBarABC = (): Pod[] => [
  P('p-a').node('node-a').label('bar', '').obj(),
  P('p-b').node('node-b').label('bar', '').obj(),
  P('p-c').node('node-b').label('bar', '').obj(),
  P('p-d').node('node-c').obj(),
];

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestPreFilterState. The state is compared as cmp.Diff does upstream:
// constraints (selector by its String()), critical paths (ties sorted), counts per domain.

interface PreFilterStateRow {
  name: string;
  pod: Pod;
  nodes: Node[];
  existingPods?: Pod[];
  defaultConstraints?: TopologySpreadConstraint[];
  want?: PreFilterView;
  wantPreFilterStatus?: Code;
}

const preFilterStateRows: PreFilterStateRow[] = [
  {
    name: 'clean cluster with one spreadConstraint',
    pod: P('p').label('foo', '').spread(5, 'zone', DNS, { matchLabels: { foo: 'bar' } }).obj(),
    nodes: nodesAX(),
    want: want([C(5, 'zone', { matchLabels: { foo: 'bar' } })], [[['zone1', 0], ['zone2', 0]]], [{ zone1: 0, zone2: 0 }]),
  },
  {
    name: 'normal case with one spreadConstraint',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: podsFive(),
    want: want([C(1, 'zone', fooSelector)], [[['zone2', 2], ['zone1', 3]]], [{ zone1: 3, zone2: 2 }]),
  },
  {
    name: 'normal case with null label selector',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, null).obj(),
    nodes: nodesAX(),
    existingPods: podsFive(),
    want: want([C(1, 'zone', null)], [[['zone2', 0], ['zone1', 0]]], [{ zone1: 0, zone2: 0 }]),
  },
  {
    name: 'normal case with one spreadConstraint, on a 3-zone cluster',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).obj(),
    nodes: [...nodesAX(), N('node-o').label('zone', 'zone3').label('node', 'node-o').obj(), N('node-p').label('zone', 'zone3').label('node', 'node-p').obj()],
    existingPods: podsFive(),
    want: want([C(1, 'zone', fooSelector)], [[['zone3', 0], ['zone2', 2]]], [{ zone1: 3, zone2: 2, zone3: 0 }]),
  },
  {
    name: "namespace mismatch doesn't count",
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').namespace('ns1').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-y1').namespace('ns2').node('node-y').label('foo', '').obj(),
      P('p-y2').node('node-y').label('foo', '').obj(),
    ],
    want: want([C(1, 'zone', fooSelector)], [[['zone2', 1], ['zone1', 2]]], [{ zone1: 2, zone2: 1 }]),
  },
  {
    name: 'normal case with two spreadConstraints',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: podsSeven(),
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', fooSelector)],
      [
        [['zone1', 3], ['zone2', 4]],
        [['node-x', 0], ['node-b', 1]],
      ],
      [{ zone1: 3, zone2: 4 }, { 'node-a': 2, 'node-b': 1, 'node-x': 0, 'node-y': 4 }],
    ),
  },
  {
    name: 'soft spreadConstraints should be bypassed',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, fooSelector).spread(1, 'zone', DNS, fooSelector).spread(1, 'node', SA, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesABY(),
    existingPods: podsSeven(),
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', fooSelector)],
      [
        [['zone1', 3], ['zone2', 4]],
        [['node-b', 1], ['node-a', 2]],
      ],
      [{ zone1: 3, zone2: 4 }, { 'node-a': 2, 'node-b': 1, 'node-y': 4 }],
    ),
  },
  {
    name: 'different labelSelectors - simple version',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABY(),
    existingPods: [P('p-a').node('node-a').label('foo', '').obj(), P('p-b').node('node-b').label('bar', '').obj()],
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', barSelector)],
      [
        [['zone2', 0], ['zone1', 1]],
        [['node-a', 0], ['node-y', 0]],
      ],
      [{ zone1: 1, zone2: 0 }, { 'node-a': 0, 'node-b': 1, 'node-y': 0 }],
    ),
  },
  {
    name: 'different labelSelectors - complex pods',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABY(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').label('bar', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
      P('p-y2').node('node-y').label('foo', '').label('bar', '').obj(),
      P('p-y3').node('node-y').label('foo', '').obj(),
      P('p-y4').node('node-y').label('foo', '').label('bar', '').obj(),
    ],
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', barSelector)],
      [
        [['zone1', 3], ['zone2', 4]],
        [['node-b', 0], ['node-a', 1]],
      ],
      [{ zone1: 3, zone2: 4 }, { 'node-a': 1, 'node-b': 0, 'node-y': 2 }],
    ),
  },
  {
    name: 'two spreadConstraints, and with podAffinity',
    pod: P('p').label('foo', '').nodeAffinityNotIn('node', ['node-x']).spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: podsSeven(),
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', fooSelector)],
      [
        [['zone1', 3], ['zone2', 4]],
        [['node-b', 1], ['node-a', 2]],
      ],
      [{ zone1: 3, zone2: 4 }, { 'node-a': 2, 'node-b': 1, 'node-y': 4 }],
    ),
  },
  {
    // Upstream also lists a Service selecting foo=bar; it plays no part once the pod has constraints.
    name: 'default constraints and a service, but pod has constraints',
    pod: P('p')
      .label('foo', 'bar')
      .label('baz', 'tar')
      .spread(1, 'zone', DNS, { matchLabels: { baz: 'tar' } })
      .spread(2, 'planet', SA, { matchLabels: { fot: 'rok' } })
      .obj(),
    nodes: [],
    defaultConstraints: [{ maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: DNS }],
    want: want([C(1, 'zone', { matchLabels: { baz: 'tar' } })], [NEW_PATHS], [{}]),
  },
  {
    name: 'TpKeyToDomainsNum is calculated when MinDomains is enabled',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: podsSeven(),
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', fooSelector)],
      [
        [['zone1', 3], ['zone2', 4]],
        [['node-x', 0], ['node-b', 1]],
      ],
      [{ zone1: 3, zone2: 4 }, { 'node-a': 2, 'node-b': 1, 'node-x': 0, 'node-y': 4 }],
    ),
  },
  {
    // Gate off upstream; no policy is set, so the gate cannot change the outcome.
    name: 'feature gate disabled with NodeAffinityPolicy',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABC(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector)], [[['node-a', 1], ['node-b', 2]]], [{ 'node-a': 1, 'node-b': 2 }]),
  },
  {
    name: 'NodeAffinityPolicy honored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABC(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector)], [[['node-a', 1], ['node-b', 2]]], [{ 'node-a': 1, 'node-b': 2 }]),
  },
  {
    name: 'NodeAffinityPolicy ignored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', DNS, barSelector, null, 'Ignore').obj(),
    nodes: nodesABC(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector, { aff: 'Ignore' })], [[['node-c', 0], ['node-a', 1]]], [{ 'node-a': 1, 'node-b': 2, 'node-c': 0 }]),
  },
  {
    name: 'NodeAffinityPolicy honored with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABC(),
    existingPods: [
      P('p-a').node('node-a').label('bar', '').obj(),
      P('p-c').node('node-b').label('bar', '').obj(),
      P('p-d').node('node-b').label('bar', '').obj(),
      P('p-e').node('node-c').obj(),
    ],
    want: want([C(1, 'node', barSelector)], [[['node-a', 1], ['node-b', 2]]], [{ 'node-a': 1, 'node-b': 2 }]),
  },
  {
    name: 'NodeAffinityPolicy ignored with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'node', DNS, barSelector, null, 'Ignore').obj(),
    nodes: nodesABC(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector, { aff: 'Ignore' })], [[['node-c', 0], ['node-a', 1]]], [{ 'node-a': 1, 'node-b': 2, 'node-c': 0 }]),
  },
  {
    // Gate off upstream; no policy is set, so the gate cannot change the outcome.
    name: 'feature gate disabled with NodeTaintsPolicy',
    pod: P('p').label('foo', '').spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABCTainted(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector)], [[['node-c', 0], ['node-a', 1]]], [{ 'node-a': 1, 'node-b': 2, 'node-c': 0 }]),
  },
  {
    name: 'NodeTaintsPolicy ignored',
    pod: P('p').label('foo', '').spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesABCTainted(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector)], [[['node-c', 0], ['node-a', 1]]], [{ 'node-a': 1, 'node-b': 2, 'node-c': 0 }]),
  },
  {
    name: 'NodeTaintsPolicy honored',
    pod: P('p').label('foo', '').spread(1, 'node', DNS, barSelector, null, null, 'Honor').obj(),
    nodes: nodesABCTainted(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector, { taint: 'Honor' })], [[['node-a', 1], ['node-b', 2]]], [{ 'node-a': 1, 'node-b': 2 }]),
  },
  {
    name: 'NodeTaintsPolicy honored with tolerated taints',
    pod: P('p').label('foo', '').toleration('node.kubernetes.io/unschedulable').spread(1, 'node', DNS, barSelector, null, null, 'Honor').obj(),
    nodes: nodesABCTainted(),
    existingPods: podsBarABC(),
    want: want([C(1, 'node', barSelector, { taint: 'Honor' })], [[['node-c', 0], ['node-a', 1]]], [{ 'node-a': 1, 'node-b': 2, 'node-c': 0 }]),
  },
  {
    name: 'two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector, null, 'Ignore').obj(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').label('foo', '').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
    ],
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-x1').node('node-x').label('foo', '').obj()],
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', fooSelector, { aff: 'Ignore' })],
      [
        [['zone1', 0], ['zone2', 1]],
        [['node-a', 0], ['node-x', 1]],
      ],
      [{ zone1: 0, zone2: 1 }, { 'node-a': 0, 'node-b': 2, 'node-x': 1 }],
    ),
  },
  {
    name: 'two node inclusion Constraints, zone: honor/honor, node: honor/ignore',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector, null, null, 'Honor').spread(1, 'node', DNS, fooSelector).obj(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').label('foo', '').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').taints(taints).obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
    ],
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-x1').node('node-x').label('foo', '').obj()],
    want: want(
      [C(1, 'zone', fooSelector, { taint: 'Honor' }), C(1, 'node', fooSelector)],
      [
        [['zone1', 0], ['zone2', 1]],
        [['node-a', 0], ['node-x', 1]],
      ],
      [{ zone1: 0, zone2: 1 }, { 'node-a': 0, 'node-b': 2, 'node-x': 1 }],
    ),
  },
  {
    name: 'two node inclusion Constraints, zone: honor/ignore, node: honor/ignore',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').label('foo', '').taints(taints).obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
      N('node-y').label('zone', 'zone2').label('node', 'node-y').obj(),
    ],
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'node', fooSelector)],
      [
        [['zone1', 0], ['zone2', 1]],
        [['node-b', 0], ['node-x', 1]],
      ],
      [{ zone1: 0, zone2: 1 }, { 'node-b': 0, 'node-x': 1 }],
    ),
  },
  {
    name: 'two node inclusion Constraints, zone: ignore/ignore, node: honor/honor',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', DNS, fooSelector, null, 'Ignore').spread(1, 'node', DNS, fooSelector, null, null, 'Honor').obj(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').label('foo', '').taints(taints).obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
      N('node-y').label('zone', 'zone2').label('node', 'node-y').label('foo', '').obj(),
    ],
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-x2').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    want: want(
      [C(1, 'zone', fooSelector, { aff: 'Ignore' }), C(1, 'node', fooSelector, { taint: 'Honor' })],
      [
        [['zone1', 2], ['zone2', 3]],
        [['node-y', 1], ['node-x', 2]],
      ],
      [{ zone1: 2, zone2: 3 }, { 'node-x': 2, 'node-y': 1 }],
    ),
  },
  {
    name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
    pod: P('p').label('foo', '').label('bar', 'a').spread(1, 'zone', DNS, fooSelector, null, null, null, ['bar']).obj(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').label('bar', 'a').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').label('bar', 'a').obj(),
      P('p-y2').node('node-y').label('bar', '').obj(),
    ],
    want: want([C(1, 'zone', { matchLabels: { bar: 'a' }, matchExpressions: [{ key: 'foo', operator: 'Exists' }] })], [[['zone2', 1], ['zone1', 1]]], [{ zone1: 1, zone2: 1 }]),
  },
  {
    name: 'matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
    pod: P('p').label('foo', 'a').spread(1, 'zone', DNS, {}, null, null, null, ['foo']).obj(),
    nodes: nodesAX(),
    existingPods: podsFive('a'),
    want: want([C(1, 'zone', { matchLabels: { foo: 'a' } })], [[['zone2', 2], ['zone1', 3]]], [{ zone1: 3, zone2: 2 }]),
  },
  {
    name: 'key in matchLabelKeys is ignored when LabelSelector is nil when feature gate enabled',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, null, null, null, null, ['bar']).obj(),
    nodes: nodesAX(),
    existingPods: podsFive('a'),
    want: want([C(1, 'zone', null)], [[['zone2', 0], ['zone1', 0]]], [{ zone1: 0, zone2: 0 }]),
  },
  {
    // Gate off upstream; the pod has no "bar" label, so nothing would be merged with it on.
    name: 'no pod is matched when LabelSelector is nil when feature gate disabled',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, null, null, null, null, ['bar']).obj(),
    nodes: nodesAX(),
    existingPods: podsFive('a'),
    want: want([C(1, 'zone', null)], [[['zone2', 0], ['zone1', 0]]], [{ zone1: 0, zone2: 0 }]),
  },
  {
    name: "key in matchLabelKeys is ignored when it isn't exist in pod.labels",
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector, null, null, null, ['bar']).obj(),
    nodes: nodesAX(),
    existingPods: podsFive('a'),
    want: want([C(1, 'zone', fooSelector)], [[['zone2', 2], ['zone1', 3]]], [{ zone1: 3, zone2: 2 }]),
  },
  {
    name: 'two spreadConstraints with the same topologyKey',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'zone', DNS, barSelector).obj(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').label('bar', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-x1').node('node-x').label('bar', '').obj(),
      P('p-y1').node('node-y').label('foo', '').label('bar', '').obj(),
      P('p-y2').node('node-y').label('bar', '').obj(),
    ],
    want: want(
      [C(1, 'zone', fooSelector), C(1, 'zone', barSelector)],
      [
        [['zone2', 1], ['zone1', 2]],
        [['zone1', 1], ['zone2', 3]],
      ],
      [{ zone1: 2, zone2: 1 }, { zone1: 1, zone2: 3 }],
    ),
  },
  {
    name: 'skip if not specified',
    pod: P('p').label('foo', '').obj(),
    nodes: [N('node-a').label('zone', 'zone1').label('node', 'node-a').obj()],
    wantPreFilterStatus: Code.Skip,
  },
];

t.test('TestPreFilterState', async (t) => {
  for (const row of preFilterStateRows) {
    t.test(row.name, async (t) => {
      const infos = snapshot(row.nodes, row.existingPods);
      const pl = plugin(infos, { defaultingType: 'List', ...(row.defaultConstraints ? { defaultConstraints: row.defaultConstraints } : {}) });
      const cs = new CycleState();
      const { status } = pl.preFilter(cs, PodInfo.of(row.pod), infos);
      if (row.wantPreFilterStatus !== undefined) {
        t.equal(status?.code, row.wantPreFilterStatus, 'PreFilter status');
        t.equal(cs.read(PRE_FILTER_STATE_KEY), undefined, 'no state written');
        return;
      }
      t.equal(status, null, 'PreFilter succeeds');
      const got = cs.read<PreFilterState>(PRE_FILTER_STATE_KEY);
      t.ok(got, 'state written');
      t.strictSame(viewPreFilter(got!), row.want, 'preFilterState');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestPreFilterStateAddPod. Rows upstream runs with the NodeInclusionPolicy gate
// off set no policy, so they are kept: the gate cannot change them.

const nodeConstraint = C(1, 'node', fooSelector);
const zoneConstraint = C(1, 'zone', fooSelector);
const MAX_PATH: [string, number] = ['', MAX_INT32];
const nodesAB = (): Node[] => [N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(), N('node-b').label('zone', 'zone1').label('node', 'node-b').obj()];
const nodesAx = (): Node[] => [N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(), N('node-x').label('zone', 'zone2').label('node', 'node-x').obj()];
const nodesABx = (): Node[] => [
  N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
  N('node-b').label('zone', 'zone1').label('node', 'node-b').obj(),
  N('node-x').label('zone', 'zone2').label('node', 'node-x').obj(),
];
/** node-a (zone1, foo=bar) and node-b (zone2, foo=""), of the node-inclusion rows. */
const nodesFooBar = (): Node[] => [
  N('node-a').label('zone', 'zone1').label('node', 'node-a').label('foo', 'bar').obj(),
  N('node-b').label('zone', 'zone2').label('node', 'node-b').label('foo', '').obj(),
];
const nodesTaintedA = (): Node[] => [N('node-a').label('zone', 'zone1').label('node', 'node-a').taints(taints).obj(), N('node-b').label('zone', 'zone2').label('node', 'node-b').obj()];
const podZoneFoo = (): Pod => P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).obj();
const podNodeFoo = (): Pod => P('p').label('foo', '').spread(1, 'node', DNS, fooSelector).obj();
const podZoneNodeFoo = (): Pod => P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj();
const podZoneFooNodeBar = (): Pod => P('p').label('foo', '').label('bar', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, barSelector).obj();
const podNotInFooBar = (): Pod => P('p').label('foo', '').nodeAffinityNotIn('foo', ['bar']).spread(1, 'zone', DNS, fooSelector).obj();
const zoned = (name: string, node: string, zone: string, foo = true): Pod => (foo ? P(name).node(node).label('foo', '').label('zone', zone).obj() : P(name).node(node).label('zone', zone).obj());

interface AddPodRow {
  name: string;
  preemptor: Pod;
  addedPod: Pod;
  existingPods?: Pod[];
  nodeIdx: number;
  nodes: Node[];
  want: PreFilterView;
}

const addPodRows: AddPodRow[] = [
  {
    name: 'node a and b both impact current min match',
    preemptor: podNodeFoo(),
    addedPod: P('p-a1').node('node-a').label('foo', '').obj(),
    nodeIdx: 0,
    nodes: nodesAB(),
    want: want([nodeConstraint], [[['node-b', 0], ['node-a', 1]]], [{ 'node-a': 1, 'node-b': 0 }]),
  },
  {
    name: 'only node a impacts current min match',
    preemptor: podNodeFoo(),
    addedPod: P('p-a1').node('node-a').label('foo', '').obj(),
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj()],
    nodeIdx: 0,
    nodes: nodesAB(),
    want: want([nodeConstraint], [[['node-a', 1], ['node-b', 1]]], [{ 'node-a': 1, 'node-b': 1 }]),
  },
  {
    name: "add a pod in a different namespace doesn't change topologyKeyToMinPodsMap",
    preemptor: podNodeFoo(),
    addedPod: P('p-a1').namespace('ns1').node('node-a').label('foo', '').obj(),
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj()],
    nodeIdx: 0,
    nodes: nodesAB(),
    want: want([nodeConstraint], [[['node-a', 0], ['node-b', 1]]], [{ 'node-a': 0, 'node-b': 1 }]),
  },
  {
    name: "add pod on non-critical node won't trigger re-calculation",
    preemptor: podNodeFoo(),
    addedPod: P('p-b2').node('node-b').label('foo', '').obj(),
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj()],
    nodeIdx: 1,
    nodes: nodesAB(),
    want: want([nodeConstraint], [[['node-a', 0], ['node-b', 2]]], [{ 'node-a': 0, 'node-b': 2 }]),
  },
  {
    name: 'node a and x both impact topologyKeyToMinPodsMap on zone and node',
    preemptor: podZoneNodeFoo(),
    addedPod: P('p-a1').node('node-a').label('foo', '').obj(),
    nodeIdx: 0,
    nodes: nodesAx(),
    want: want(
      [zoneConstraint, nodeConstraint],
      [
        [['zone2', 0], ['zone1', 1]],
        [['node-x', 0], ['node-a', 1]],
      ],
      [{ zone1: 1, zone2: 0 }, { 'node-a': 1, 'node-x': 0 }],
    ),
  },
  {
    name: 'only node a impacts topologyKeyToMinPodsMap on zone and node',
    preemptor: podZoneNodeFoo(),
    addedPod: P('p-a1').node('node-a').label('foo', '').obj(),
    existingPods: [P('p-x1').node('node-x').label('foo', '').obj()],
    nodeIdx: 0,
    nodes: nodesAx(),
    want: want(
      [zoneConstraint, nodeConstraint],
      [
        [['zone1', 1], ['zone2', 1]],
        [['node-a', 1], ['node-x', 1]],
      ],
      [{ zone1: 1, zone2: 1 }, { 'node-a': 1, 'node-x': 1 }],
    ),
  },
  {
    name: 'node a impacts topologyKeyToMinPodsMap on node, node x impacts topologyKeyToMinPodsMap on zone',
    preemptor: podZoneNodeFoo(),
    addedPod: P('p-a1').node('node-a').label('foo', '').obj(),
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-x1').node('node-x').label('foo', '').obj()],
    nodeIdx: 0,
    nodes: nodesABx(),
    want: want(
      [zoneConstraint, nodeConstraint],
      [
        [['zone2', 1], ['zone1', 3]],
        [['node-a', 1], ['node-x', 1]],
      ],
      [{ zone1: 3, zone2: 1 }, { 'node-a': 1, 'node-b': 2, 'node-x': 1 }],
    ),
  },
  {
    name: 'Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on zone',
    preemptor: podZoneFooNodeBar(),
    addedPod: P('p-a1').node('node-a').label('foo', '').obj(),
    existingPods: [
      P('p-b1').node('node-b').label('foo', '').label('bar', '').obj(),
      P('p-x1').node('node-x').label('foo', '').label('bar', '').obj(),
      P('p-x2').node('node-x').label('bar', '').obj(),
    ],
    nodeIdx: 0,
    nodes: nodesABx(),
    want: want(
      [zoneConstraint, C(1, 'node', barSelector)],
      [
        [['zone2', 1], ['zone1', 2]],
        [['node-a', 0], ['node-b', 1]],
      ],
      [{ zone1: 2, zone2: 1 }, { 'node-a': 0, 'node-b': 1, 'node-x': 2 }],
    ),
  },
  {
    name: 'Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on both zone and node',
    preemptor: podZoneFooNodeBar(),
    addedPod: P('p-a1').node('node-a').label('foo', '').label('bar', '').obj(),
    existingPods: [P('p-b1').node('node-b').label('bar', '').obj(), P('p-x1').node('node-x').label('foo', '').label('bar', '').obj(), P('p-x2').node('node-x').label('bar', '').obj()],
    nodeIdx: 0,
    nodes: nodesABx(),
    want: want(
      [zoneConstraint, C(1, 'node', barSelector)],
      [
        [['zone1', 1], ['zone2', 1]],
        [['node-a', 1], ['node-b', 1]],
      ],
      [{ zone1: 1, zone2: 1 }, { 'node-a': 1, 'node-b': 1, 'node-x': 2 }],
    ),
  },
  {
    name: 'add a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy disabled',
    preemptor: podNotInFooBar(),
    nodeIdx: 0,
    addedPod: zoned('p-a1', 'node-a', 'zone1'),
    existingPods: [zoned('p-a2', 'node-a', 'zone1'), zoned('p-b1', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone2', 1], MAX_PATH]], [{ zone2: 1 }]),
  },
  {
    name: 'add a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled',
    preemptor: podNotInFooBar(),
    nodeIdx: 0,
    addedPod: zoned('p-a1', 'node-a', 'zone1'),
    existingPods: [zoned('p-a2', 'node-a', 'zone1'), zoned('p-b1', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone2', 1], MAX_PATH]], [{ zone2: 1 }]),
  },
  {
    name: 'add a pod when scheduling node affinity matched pod with NodeInclusionPolicy disabled',
    preemptor: podZoneFoo(),
    nodeIdx: 1,
    addedPod: zoned('p-b1', 'node-b', 'zone2'),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 2]]], [{ zone1: 1, zone2: 2 }]),
  },
  {
    name: 'add a pod when scheduling node affinity matched pod with NodeInclusionPolicy enabled',
    preemptor: podZoneFoo(),
    nodeIdx: 1,
    addedPod: zoned('p-b1', 'node-b', 'zone2'),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 2]]], [{ zone1: 1, zone2: 2 }]),
  },
  {
    name: 'add a label selector not matched pod when with NodeInclusionPolicy enabled',
    preemptor: podZoneFoo(),
    nodeIdx: 1,
    addedPod: zoned('p-b1', 'node-b', 'zone2', false),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 1]]], [{ zone1: 1, zone2: 1 }]),
  },
  {
    name: 'add a pod when scheduling taint untolerated pod with NodeInclusionPolicy disabled',
    preemptor: podZoneFoo(),
    nodeIdx: 1,
    addedPod: zoned('p-b1', 'node-b', 'zone2'),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesTaintedA(),
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 2]]], [{ zone2: 2, zone1: 1 }]),
  },
  {
    name: 'add a pod when scheduling taint tolerated pod with NodeInclusionPolicy enabled',
    preemptor: P('p').label('foo', '').toleration('node.kubernetes.io/unschedulable').spread(1, 'zone', DNS, fooSelector).obj(),
    nodeIdx: 1,
    addedPod: zoned('p-b1', 'node-b', 'zone2'),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesTaintedA(),
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 2]]], [{ zone2: 2, zone1: 1 }]),
  },
];

t.test('TestPreFilterStateAddPod', async (t) => {
  for (const row of addPodRows) {
    t.test(row.name, async (t) => {
      const infos = snapshot(row.nodes, row.existingPods);
      const pl = plugin(infos);
      const cs = new CycleState();
      const preemptor = PodInfo.of(row.preemptor);
      t.equal(pl.preFilter(cs, preemptor, infos).status, null, 'PreFilter succeeds');
      t.equal(pl.addPod(cs, preemptor, PodInfo.of(row.addedPod), infos[row.nodeIdx]!), null, 'AddPod succeeds');
      t.strictSame(viewPreFilter(cs.read<PreFilterState>(PRE_FILTER_STATE_KEY)!), row.want, 'preFilterState');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestPreFilterStateRemovePod. As upstream, the removed pod is
// existingPods[deletedPodIdx] whenever that index is in range (Go's zero value 0 included), else
// deletedPod; RemovePod is told the node nodes[nodeIdx].

interface RemovePodRow {
  name: string;
  preemptor: Pod;
  nodes: Node[];
  existingPods: Pod[];
  deletedPodIdx: number;
  deletedPod?: Pod;
  nodeIdx: number;
  want: PreFilterView;
}

const removePodRows: RemovePodRow[] = [
  {
    // A high priority pod may not be scheduled due to node taints or resource shortage. So
    // preemption is triggered.
    name: 'one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged',
    preemptor: podZoneFoo(),
    nodes: nodesABx(),
    existingPods: [P('p-a1').node('node-a').label('foo', '').obj(), P('p-b1').node('node-b').label('foo', '').obj(), P('p-x1').node('node-x').label('foo', '').obj()],
    deletedPodIdx: 0,
    nodeIdx: 0,
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 1]]], [{ zone1: 1, zone2: 1 }]),
  },
  {
    name: 'one spreadConstraint on node, topologyKeyToMinPodsMap changed',
    preemptor: podZoneFoo(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    deletedPodIdx: 0,
    nodeIdx: 0,
    want: want([zoneConstraint], [[['zone1', 1], ['zone2', 2]]], [{ zone1: 1, zone2: 2 }]),
  },
  {
    name: "delete an irrelevant pod won't help",
    preemptor: podZoneFoo(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a0').node('node-a').label('bar', '').obj(),
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    deletedPodIdx: 0,
    nodeIdx: 0,
    want: want([zoneConstraint], [[['zone1', 2], ['zone2', 2]]], [{ zone1: 2, zone2: 2 }]),
  },
  {
    name: "delete a non-existing pod won't help",
    preemptor: podZoneFoo(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    deletedPodIdx: -1,
    deletedPod: P('p-a0').node('node-a').label('bar', '').obj(),
    nodeIdx: 0,
    want: want([zoneConstraint], [[['zone1', 2], ['zone2', 2]]], [{ zone1: 2, zone2: 2 }]),
  },
  {
    name: 'two spreadConstraints',
    preemptor: podZoneNodeFoo(),
    nodes: nodesABx(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-x2').node('node-x').label('foo', '').obj(),
    ],
    deletedPodIdx: 3,
    nodeIdx: 2,
    want: want(
      [zoneConstraint, nodeConstraint],
      [
        [['zone2', 1], ['zone1', 3]],
        [['node-b', 1], ['node-x', 1]],
      ],
      [{ zone1: 3, zone2: 1 }, { 'node-a': 2, 'node-b': 1, 'node-x': 1 }],
    ),
  },
  {
    name: 'remove a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy disabled',
    preemptor: podNotInFooBar(),
    nodeIdx: 0,
    deletedPodIdx: 0,
    deletedPod: zoned('p-a1', 'node-a', 'zone1'),
    existingPods: [zoned('p-a2', 'node-a', 'zone1'), zoned('p-b1', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone2', 1], MAX_PATH]], [{ zone2: 1 }]),
  },
  {
    name: 'remove a pod when scheduling node affinity unmatched pod with NodeInclusionPolicy enabled',
    preemptor: podNotInFooBar(),
    nodeIdx: 0,
    deletedPodIdx: 0,
    deletedPod: zoned('p-a1', 'node-a', 'zone1'),
    existingPods: [zoned('p-a2', 'node-a', 'zone1'), zoned('p-b1', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone2', 1], MAX_PATH]], [{ zone2: 1 }]),
  },
  {
    name: 'remove a pod when scheduling node affinity matched pod with NodeInclusionPolicy disabled',
    preemptor: podZoneFoo(),
    nodeIdx: 1,
    deletedPodIdx: 0,
    deletedPod: zoned('p-b1', 'node-b', 'zone2'),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone2', 0], ['zone1', 1]]], [{ zone2: 0, zone1: 1 }]),
  },
  {
    name: 'remove a pod when scheduling node affinity matched pod with NodeInclusionPolicy enabled',
    preemptor: podZoneFoo(),
    nodeIdx: 1,
    deletedPodIdx: 0,
    deletedPod: zoned('p-b1', 'node-b', 'zone2'),
    existingPods: [zoned('p-a1', 'node-a', 'zone1'), zoned('p-b2', 'node-b', 'zone2')],
    nodes: nodesFooBar(),
    want: want([zoneConstraint], [[['zone2', 0], ['zone1', 1]]], [{ zone2: 0, zone1: 1 }]),
  },
];

t.test('TestPreFilterStateRemovePod', async (t) => {
  for (const row of removePodRows) {
    t.test(row.name, async (t) => {
      const infos = snapshot(row.nodes, row.existingPods);
      const pl = plugin(infos);
      const cs = new CycleState();
      const preemptor = PodInfo.of(row.preemptor);
      t.equal(pl.preFilter(cs, preemptor, infos).status, null, 'PreFilter succeeds');
      const inRange = row.deletedPodIdx >= 0 && row.deletedPodIdx < row.existingPods.length;
      const deleted = inRange ? row.existingPods[row.deletedPodIdx]! : row.deletedPod!;
      t.equal(pl.removePod(cs, preemptor, PodInfo.of(deleted), infos[row.nodeIdx]!), null, 'RemovePod succeeds');
      t.strictSame(viewPreFilter(cs.read<PreFilterState>(PRE_FILTER_STATE_KEY)!), row.want, 'preFilterState');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestSingleConstraint: PreFilter, then Filter on every node. Upstream compares
// the codes; the reasons are checked too (each code has one reason in this plugin).

const S = Code.Success;
const U = Code.Unschedulable;
const UR = Code.UnschedulableAndUnresolvable;

interface FilterRow {
  name: string;
  pod: Pod;
  nodes: Node[];
  existingPods?: Pod[];
  wantStatusCode: Record<string, Code>;
}

/** p-a1, p-a2, p-b1, p-y1..p-y3, all labelled foo: the 2/1/0/3 spread. */
const pods2103 = (): Pod[] => [
  P('p-a1').node('node-a').label('foo', '').obj(),
  P('p-a2').node('node-a').label('foo', '').obj(),
  P('p-b1').node('node-b').label('foo', '').obj(),
  P('p-y1').node('node-y').label('foo', '').obj(),
  P('p-y2').node('node-y').label('foo', '').obj(),
  P('p-y3').node('node-y').label('foo', '').obj(),
];
const nodesNodeABC = (): Node[] => [N('node-a').label('node', 'node-a').obj(), N('node-b').label('node', 'node-b').obj(), N('node-c').label('node', 'node-c').obj()];

const singleConstraintRows: FilterRow[] = [
  {
    name: 'no existing pods',
    pod: podZoneFoo(),
    nodes: nodesAX(),
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    name: "no existing pods, incoming pod doesn't match itself",
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, barSelector).obj(),
    nodes: nodesAX(),
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    name: 'existing pods in a different namespace do not count',
    pod: podZoneFoo(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').namespace('ns1').node('node-a').label('foo', '').obj(),
      P('p-b1').namespace('ns2').node('node-a').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    name: 'existing pods do not match null selector',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, null).obj(),
    nodes: nodesAX(),
    existingPods: [P('p-x1').node('node-x').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    name: 'pods spread across zones as 3/3, all nodes fit',
    pod: podZoneFoo(),
    nodes: nodesAX(),
    existingPods: pods2103(),
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    // TODO(Huang-Wei) upstream: maybe document this to remind users that typos on node labels can
    // cause unexpected behavior.
    name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
    pod: podZoneFoo(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
      N('node-b').label('zon', 'zone1').label('node', 'node-b').obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').obj(),
      N('node-y').label('zone', 'zone2').label('node', 'node-y').obj(),
    ],
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-x1').node('node-x').label('foo', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
    ],
    wantStatusCode: { 'node-a': S, 'node-b': UR, 'node-x': U, 'node-y': U },
  },
  {
    name: "pod cannot be scheduled as all nodes don't have label 'rack'",
    pod: P('p').label('foo', '').spread(1, 'rack', DNS, fooSelector).obj(),
    nodes: nodesAx(),
    wantStatusCode: { 'node-a': UR, 'node-x': UR },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, only node-x fits',
    pod: podNodeFoo(),
    nodes: nodesAX(),
    existingPods: pods2103(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit',
    pod: P('p').label('foo', '').spread(2, 'node', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: pods2103(),
    wantStatusCode: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    // Not a desired case, but it can happen: the incoming pod lacks label "foo", so placing it
    // does not change the distribution.
    name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
    pod: P('p').label('bar', '').spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: pods2103(),
    wantStatusCode: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    // Only node-a and node-y are considered, so pods spread as 2/~1~/~0~/3; NodeAffinity is not
    // run here, so node-b and node-x still fit (in a real cycle they would not).
    name: 'incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits',
    pod: P('p').label('foo', '').nodeAffinityIn('node', ['node-a', 'node-y']).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: pods2103(),
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    name: 'terminating Pods should be excluded',
    pod: podNodeFoo(),
    nodes: [N('node-a').label('node', 'node-a').obj(), N('node-b').label('node', 'node-b').obj()],
    existingPods: [P('p-a').node('node-a').label('foo', '').terminating().obj(), P('p-b').node('node-b').label('foo', '').obj()],
    wantStatusCode: { 'node-a': S, 'node-b': U },
  },
  {
    // NodeAffinity is not run here, so node-b still fits (in a real cycle it is Unschedulable).
    name: 'incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits',
    pod: P('p').label('foo', '').nodeAffinityNotIn('node', ['node-b']).spread(1, 'zone', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: [P('p-b1').node('node-b').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    name: 'pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits',
    pod: P('p').label('foo', '').spread(2, 'node', DNS, fooSelector, 4).obj(),
    nodes: nodesNodeABC(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-b2').node('node-b').label('foo', '').obj(),
      P('p-c1').node('node-c').label('foo', '').obj(),
    ],
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-c': S },
  },
  {
    name: 'pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit',
    pod: P('p').label('foo', '').spread(2, 'node', DNS, fooSelector, 2).obj(),
    nodes: nodesNodeABC(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').obj(),
      P('p-b2').node('node-b').label('foo', '').obj(),
      P('p-c1').node('node-c').label('foo', '').obj(),
    ],
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
  {
    name: 'pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit',
    pod: P('p').label('foo', '').spread(2, 'zone', DNS, fooSelector, 3).obj(),
    nodes: nodesAX(),
    existingPods: [P('p-b1').node('node-a').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
  },
  {
    name: 'pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit',
    pod: P('p').label('foo', '').spread(2, 'zone', DNS, fooSelector, 1).obj(),
    nodes: nodesAX(),
    existingPods: [P('p-b1').node('node-a').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    // Pods spread across node as 1/1/0/~0~. node-y passes here; NodeAffinity would reject it.
    name: 'NodeAffinityPolicy honored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesFooXY(),
    existingPods: pods11y(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
  },
  {
    // Pods spread across node as 1/1/0/~1~.
    name: 'NodeAffinityPolicy ignored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', DNS, fooSelector, null, 'Ignore').obj(),
    nodes: nodesFooXY(),
    existingPods: pods11y(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // Pods spread across node as 1/1/0/~0~.
    name: 'NodeAffinityPolicy honored with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesFooXY(),
    existingPods: pods11y(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
  },
  {
    // Pods spread across node as 1/1/0/~1~ (upstream names this row as the labelSelectors one).
    name: 'NodeAffinityPolicy ignored with labelSelectors',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'node', DNS, fooSelector, null, 'Ignore').obj(),
    nodes: nodesFooXY(),
    existingPods: pods11y(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // Pods spread across node as 1/1/0/~0~. node-y passes here; TaintToleration would reject it.
    name: 'NodeTaintsPolicy honored',
    pod: P('p').label('foo', '').spread(1, 'node', DNS, fooSelector, null, null, 'Honor').obj(),
    nodes: nodesFooXTaintedY(),
    existingPods: pods11y(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
  },
  {
    // Pods spread across node as 1/1/0/~1~.
    name: 'NodeTaintsPolicy ignored',
    pod: podNodeFoo(),
    nodes: nodesFooXTaintedY(),
    existingPods: pods11y(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
];

function nodesFooXY(): Node[] {
  return [
    N('node-a').label('node', 'node-a').label('foo', '').obj(),
    N('node-b').label('node', 'node-b').label('foo', '').obj(),
    N('node-x').label('node', 'node-x').label('foo', '').obj(),
    N('node-y').label('node', 'node-y').obj(),
  ];
}
function nodesFooXTaintedY(): Node[] {
  return [
    N('node-a').label('node', 'node-a').label('foo', '').obj(),
    N('node-b').label('node', 'node-b').label('foo', '').obj(),
    N('node-x').label('node', 'node-x').label('foo', '').obj(),
    N('node-y').label('node', 'node-y').taints(taints).obj(),
  ];
}
/** p-b1 on node-a, p-b2 on node-b, p-y1 on node-y, all labelled foo. */
function pods11y(): Pod[] {
  return [P('p-b1').node('node-a').label('foo', '').obj(), P('p-b2').node('node-b').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').obj()];
}

const REASON_OF: Partial<Record<Code, string>> = { [U]: ERR_REASON_CONSTRAINTS_NOT_MATCH, [UR]: ERR_REASON_NODE_LABEL_NOT_MATCH };

function runFilterRows(t: Test, rows: FilterRow[]): void {
  for (const row of rows) {
    t.test(row.name, async (t) => {
      const infos = snapshot(row.nodes, row.existingPods);
      const pl = plugin(infos);
      const state = new CycleState();
      const pod = PodInfo.of(row.pod);
      t.equal(pl.preFilter(state, pod, infos).status, null, 'PreFilter succeeds');
      for (const ni of infos) {
        const code = row.wantStatusCode[ni.name]!;
        checkStatus(t, pl.filter(state, pod, ni), code === S ? undefined : { code, reason: REASON_OF[code]! }, ni.name);
      }
    });
  }
}

t.test('TestSingleConstraint', async (t) => runFilterRows(t, singleConstraintRows));

// ---------------------------------------------------------------------------------------------
// filtering_test.go TestMultipleConstraints.

const multipleConstraintsRows: FilterRow[] = [
  {
    // 1. "zone": any zone (hence any node) fits; 2. "node": node-x fits; together: node-x.
    name: 'two Constraints on zone and node, spreads = [3/3, 2/1/0/3]',
    pod: podZoneNodeFoo(),
    nodes: nodesAX(),
    existingPods: pods2103(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // 1. "zone": zone1 (node-a or node-b); 2. "node": node-x; together: no node.
    name: 'two Constraints on zone and node, spreads = [3/4, 2/1/0/4]',
    pod: podZoneNodeFoo(),
    nodes: nodesAX(),
    existingPods: [...pods2103(), P('p-y4').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
  },
  {
    // 1. "zone": zone2 (node-x or node-y); 2. "node": node-a, node-b or node-x; together: node-x.
    name: 'Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]',
    pod: podZoneFooNodeBar(),
    nodes: nodesAX(),
    existingPods: [P('p-a1').node('node-a').label('foo', '').obj(), P('p-y1').node('node-y').label('bar', '').obj()],
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // 1. "zone": zone2 (node-x or node-y); 2. "node": node-a or node-b; together: no node.
    name: 'Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]',
    pod: podZoneFooNodeBar(),
    nodes: nodesAX(),
    existingPods: [P('p-a1').node('node-a').label('foo', '').obj(), P('p-x1').node('node-x').label('bar', '').obj(), P('p-y1').node('node-y').label('bar', '').obj()],
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
  },
  {
    // 1. "zone": zone1 (node-a or node-b); 2. "node": node-b or node-x; together: node-b.
    name: 'Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]',
    pod: podZoneFooNodeBar(),
    nodes: nodesAX(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-a2').node('node-a').label('foo', '').label('bar', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
      P('p-y2').node('node-y').label('foo', '').label('bar', '').obj(),
      P('p-y3').node('node-y').label('foo', '').obj(),
    ],
    wantStatusCode: { 'node-a': U, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    // 1. the pod does not match itself on "zone": any zone; 2. "node": node-a or node-b.
    name: "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
    pod: P('p').label('bar', '').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, barSelector).obj(),
    nodes: nodesAX(),
    existingPods: [P('p-a1').node('node-a').label('foo', '').obj(), P('p-x1').node('node-x').label('bar', '').obj(), P('p-y1').node('node-y').label('bar', '').obj()],
    wantStatusCode: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    // 1. "zone": any node; 2. "node": node-b (node-x lacks the label); together: node-b.
    name: "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
    pod: podZoneNodeFoo(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').obj(),
      N('node-x').label('zone', 'zone2').obj(),
      N('node-y').label('zone', 'zone2').label('node', 'node-y').obj(),
    ],
    existingPods: [P('p-a1').node('node-a').label('foo', '').obj(), P('p-y3').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': U, 'node-b': S, 'node-x': UR, 'node-y': U },
  },
  {
    // 1. "zone": pods spread as 2/~0~; 2. "node": 1/1/0/~1~; together: node-x.
    name: 'two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector, null, 'Ignore').obj(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').label('foo', '').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').label('foo', '').obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
      N('node-y').label('zone', 'zone2').label('node', 'node-y').obj(),
    ],
    existingPods: podsABy(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // 1. "zone": 2/0; 2. "node": 1/1/0/~1~; together: node-x.
    name: 'two node inclusion Constraints, zone: honor/honor, node: honor/ignore',
    pod: P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector, null, null, 'Honor').spread(1, 'node', DNS, fooSelector).obj(),
    nodes: [
      N('node-a').label('zone', 'zone1').label('node', 'node-a').label('foo', '').obj(),
      N('node-b').label('zone', 'zone1').label('node', 'node-b').label('foo', '').obj(),
      N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
      N('node-y').label('zone', 'zone2').label('node', 'node-y').taints(taints).obj(),
    ],
    existingPods: podsABy(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // 1. "zone": 1/~1~; 2. "node": 1/0/0/~1~; together: node-b and node-x.
    name: 'two node inclusion Constraints, zone: honor/ignore, node: honor/ignore',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    nodes: nodesMixedY(),
    existingPods: podsABy(),
    wantStatusCode: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    // 1. "zone": 1/0; 2. "node": 1/~1~/0/~1~; together: node-x.
    name: 'two node inclusion Constraints, zone: honor/honor, node: ignore/ignore',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', DNS, fooSelector, null, null, 'Honor').spread(1, 'node', DNS, fooSelector, null, 'Ignore').obj(),
    nodes: nodesMixedY(),
    existingPods: podsABy(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    // 1. first "zone" constraint: zone2 (node-x or node-y); 2. second: any zone; together: x, y.
    name: 'two Constraints on zone, spreads = [3/3, 2/1]',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', DNS, barSelector).spread(1, 'zone', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: podsFooBarZones(),
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': S },
  },
  {
    // 1. first "zone" constraint: zone2; 2. second: zone1; together: no node.
    name: 'two Constraints on zone, spreads = [3/4, 2/1]',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', DNS, barSelector).spread(1, 'zone', DNS, fooSelector).obj(),
    nodes: nodesAX(),
    existingPods: [...podsFooBarZones(), P('p-y4').node('node-y').label('foo', '').obj()],
    wantStatusCode: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
  },
];

/** p-a1 on node-a, p-b1 on node-b, p-y1 on node-y, all labelled foo. */
function podsABy(): Pod[] {
  return [P('p-a1').node('node-a').label('foo', '').obj(), P('p-b1').node('node-b').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').obj()];
}
function nodesMixedY(): Node[] {
  return [
    N('node-a').label('zone', 'zone1').label('node', 'node-a').label('foo', '').obj(),
    N('node-b').label('zone', 'zone1').label('node', 'node-b').obj(),
    N('node-x').label('zone', 'zone2').label('node', 'node-x').label('foo', '').obj(),
    N('node-y').label('zone', 'zone2').label('node', 'node-y').label('foo', '').taints(taints).obj(),
  ];
}
function podsFooBarZones(): Pod[] {
  return [
    P('p-a1').node('node-a').label('foo', '').label('bar', '').obj(),
    P('p-a2').node('node-a').label('foo', '').obj(),
    P('p-b1').node('node-b').label('foo', '').label('bar', '').obj(),
    P('p-y1').node('node-y').label('foo', '').obj(),
    P('p-y2').node('node-y').label('foo', '').label('bar', '').obj(),
    P('p-y3').node('node-y').label('foo', '').obj(),
  ];
}

t.test('TestMultipleConstraints', async (t) => runFilterRows(t, multipleConstraintsRows));

// filtering_test.go TestPreFilterDisabled: Filter without PreFilter state is an error
// (fwk.AsStatus wrapping fwk.ErrNotFound).
t.test('TestPreFilterDisabled', async (t) => {
  const ni = nodeInfo(makeNode(''));
  const pl = plugin([]);
  const got = pl.filter(new CycleState(), PodInfo.of(P('p').obj()), ni);
  t.equal(got?.code, Code.Error, 'code');
  t.strictSame(got?.reasons, ['reading "PreFilterPodTopologySpread" from cycleState: not found'], 'wraps ErrNotFound');
});

// ---------------------------------------------------------------------------------------------
// scoring_test.go TestPreScoreSkip: PreScore returns Skip.

const H = LABEL_HOSTNAME;

t.test('TestPreScoreSkip', async (t) => {
  const rows: Array<{ name: string; pod: Pod; nodes: Node[]; objs?: AnyObject[]; config: PodTopologySpreadArgs }> = [
    {
      name: "the pod doesn't have soft topology spread Constraints",
      pod: P('p').namespace('default').obj(),
      config: { defaultingType: 'List' },
      nodes: [N('node-a').label(H, 'node-a').obj(), N('node-b').label(H, 'node-b').obj()],
    },
    {
      name: "default constraints and a replicaset that doesn't match",
      pod: P('p').namespace('default').label('foo', 'bar').label('baz', 'sup').ownerReference('rs2', 'ReplicaSet').obj(),
      config: { defaultConstraints: [{ maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: SA }], defaultingType: 'List' },
      nodes: [N('node-a').label('planet', 'mars').obj()],
      objs: [replicaSet('rs1', exists('tar'))],
    },
  ];
  for (const row of rows) {
    t.test(row.name, async (t) => {
      const infos = snapshot(row.nodes);
      const pl = plugin(infos, row.config, row.objs);
      const cs = new CycleState();
      t.equal(pl.preScore(cs, PodInfo.of(row.pod), infos)?.code, Code.Skip, 'PreScore skips');
      t.equal(cs.read(PRE_SCORE_STATE_KEY), undefined, 'no state written');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// scoring_test.go TestPreScoreStateEmptyNodes: the PreScore state over nodes without pods.

interface PreScoreView {
  constraints: ConstraintView[];
  ignoredNodes: string[];
  topologyValueToPodCounts: Array<Record<string, number>>;
  topologyNormalizingWeight: number[];
}
function viewPreScore(s: PreScoreState): PreScoreView {
  return {
    constraints: s.constraints.map(viewConstraint),
    ignoredNodes: [...s.ignoredNodes].sort(),
    topologyValueToPodCounts: s.topologyValueToPodCounts.map((m) => Object.fromEntries(m)),
    topologyNormalizingWeight: s.topologyNormalizingWeight,
  };
}
const w = topologyNormalizingWeight;

interface PreScoreStateRow {
  name: string;
  pod: Pod;
  nodes: Node[];
  objs?: AnyObject[];
  config: PodTopologySpreadArgs;
  want: PreScoreView;
}

/** node-a, node-b in zone1 with label foo, node-x in zone2 (x optionally tainted). */
const nodesZoneFooHost = (taintX = false): Node[] => {
  const x = N('node-x').label('zone', 'zone2').label(H, 'node-x');
  if (taintX) x.taints(taints);
  return [N('node-a').label('zone', 'zone1').label('foo', '').label(H, 'node-a').obj(), N('node-b').label('zone', 'zone1').label('foo', '').label(H, 'node-b').obj(), x.obj()];
};
const nodesZoneHost = (): Node[] => [
  N('node-a').label('zone', 'zone1').label(H, 'node-a').obj(),
  N('node-b').label('zone', 'zone1').label(H, 'node-b').obj(),
  N('node-x').label('zone', 'zone2').label(H, 'node-x').obj(),
];
const LIST: PodTopologySpreadArgs = { defaultingType: 'List' };
const zones00 = { zone1: 0, zone2: 0 };

const preScoreStateRows: PreScoreStateRow[] = [
  {
    name: 'normal case',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, fooSelector).obj(),
    nodes: nodesZoneHost(),
    config: LIST,
    want: { constraints: [C(1, 'zone', fooSelector), C(1, H, fooSelector)], ignoredNodes: [], topologyValueToPodCounts: [zones00, {}], topologyNormalizingWeight: [w(2), w(3)] },
  },
  {
    name: 'null selector',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, null).obj(),
    nodes: nodesZoneHost(),
    config: LIST,
    want: { constraints: [C(1, 'zone', null)], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
  {
    name: "node-x doesn't have label zone",
    pod: P('p').label('foo', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, barSelector).obj(),
    nodes: [N('node-a').label('zone', 'zone1').label(H, 'node-a').obj(), N('node-b').label('zone', 'zone1').label(H, 'node-b').obj(), N('node-x').label(H, 'node-x').obj()],
    config: LIST,
    want: {
      constraints: [C(1, 'zone', fooSelector), C(1, H, barSelector)],
      ignoredNodes: ['node-x'],
      topologyValueToPodCounts: [{ zone1: 0 }, {}],
      topologyNormalizingWeight: [w(1), w(2)],
    },
  },
  {
    name: 'system default constraints and a replicaset',
    pod: P('p').namespace('default').label('foo', 'tar').label('baz', 'sup').ownerReference('rs1', 'ReplicaSet').obj(),
    config: { defaultingType: 'System' },
    nodes: [
      N('node-a').label(H, 'node-a').label(LABEL_TOPOLOGY_ZONE, 'mars').obj(),
      N('node-b').label(H, 'node-b').label(LABEL_TOPOLOGY_ZONE, 'mars').obj(),
      // Nodes with no zone are not excluded. They are considered a separate zone.
      N('node-c').label(H, 'node-c').obj(),
      N('node-d').label(H, 'node-d').obj(),
    ],
    objs: [replicaSet('rs1', fooSelector)],
    want: {
      constraints: [C(3, H, fooSelector), C(5, LABEL_TOPOLOGY_ZONE, fooSelector)],
      ignoredNodes: [],
      topologyValueToPodCounts: [{}, { mars: 0, '': 0 }],
      topologyNormalizingWeight: [w(4), w(2)],
    },
  },
  {
    name: 'default constraints and a replicaset',
    pod: P('p').namespace('default').label('foo', 'tar').label('baz', 'sup').ownerReference('rs1', 'ReplicaSet').obj(),
    config: {
      defaultConstraints: [
        { maxSkew: 1, topologyKey: H, whenUnsatisfiable: SA },
        { maxSkew: 2, topologyKey: 'rack', whenUnsatisfiable: DNS },
        { maxSkew: 2, topologyKey: 'planet', whenUnsatisfiable: SA },
      ],
      defaultingType: 'List',
    },
    nodes: [N('node-a').label('rack', 'rack1').label(H, 'node-a').label('planet', 'mars').obj()],
    objs: [replicaSet('rs1', fooSelector)],
    want: { constraints: [C(1, H, fooSelector), C(2, 'planet', fooSelector)], ignoredNodes: [], topologyValueToPodCounts: [{}, { mars: 0 }], topologyNormalizingWeight: [w(1), w(1)] },
  },
  {
    name: 'default constraints and a replicaset, but pod has constraints',
    pod: P('p')
      .namespace('default')
      .label('foo', 'bar')
      .label('baz', 'sup')
      .ownerReference('rs1', 'ReplicaSet')
      .spread(1, 'zone', DNS, barSelector)
      .spread(2, 'planet', SA, { matchLabels: { baz: 'sup' } })
      .obj(),
    config: { defaultConstraints: [{ maxSkew: 2, topologyKey: 'galaxy', whenUnsatisfiable: SA }], defaultingType: 'List' },
    nodes: [N('node-a').label('planet', 'mars').label('galaxy', 'andromeda').obj()],
    objs: [replicaSet('rs1', fooSelector)],
    want: { constraints: [C(2, 'planet', { matchLabels: { baz: 'sup' } })], ignoredNodes: [], topologyValueToPodCounts: [{ mars: 0 }], topologyNormalizingWeight: [w(1)] },
  },
  {
    name: 'NodeAffinityPolicy honored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', SA, barSelector).obj(),
    nodes: nodesZoneFooHost(),
    config: LIST,
    want: { constraints: [C(1, 'zone', barSelector)], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
  {
    name: 'NodeAffinityPolicy ignored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'zone', SA, barSelector, null, 'Ignore').obj(),
    nodes: nodesZoneFooHost(),
    config: LIST,
    want: { constraints: [C(1, 'zone', barSelector, { aff: 'Ignore' })], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
  {
    name: 'NodeAffinityPolicy honored with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'zone', SA, barSelector).obj(),
    nodes: nodesZoneFooHost(),
    config: LIST,
    want: { constraints: [C(1, 'zone', barSelector)], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
  {
    name: 'NodeAffinityPolicy ignored with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'zone', SA, barSelector, null, 'Ignore').obj(),
    nodes: nodesZoneFooHost(),
    config: LIST,
    want: { constraints: [C(1, 'zone', barSelector, { aff: 'Ignore' })], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
  {
    name: 'NodeTaintsPolicy honored',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, barSelector, null, null, 'Honor').obj(),
    nodes: nodesZoneFooHost(true),
    config: LIST,
    want: { constraints: [C(1, 'zone', barSelector, { taint: 'Honor' })], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
  {
    name: 'NodeTaintsPolicy ignored',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, barSelector).obj(),
    nodes: nodesZoneFooHost(true),
    config: LIST,
    want: { constraints: [C(1, 'zone', barSelector)], ignoredNodes: [], topologyValueToPodCounts: [zones00], topologyNormalizingWeight: [w(2)] },
  },
];

t.test('TestPreScoreStateEmptyNodes', async (t) => {
  for (const row of preScoreStateRows) {
    t.test(row.name, async (t) => {
      const infos = snapshot(row.nodes);
      const pl = plugin(infos, row.config, row.objs);
      const cs = new CycleState();
      t.equal(pl.preScore(cs, PodInfo.of(row.pod), infos), null, 'PreScore succeeds');
      t.strictSame(viewPreScore(cs.read<PreScoreState>(PRE_SCORE_STATE_KEY)!), row.want, 'preScoreState');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// scoring_test.go TestPodTopologySpreadScore: PreScore over the candidate nodes (`nodes`; the
// snapshot also holds `failedNodes`), Score on each candidate, then NormalizeScore.
// Legend: X/Y: X matching pods on the first node, Y on the second, both candidates; X/~Y~: the
// second is not a candidate; X/?Y?: both candidates, the second lacks a topology key.

interface ScoreRow {
  name: string;
  pod: Pod;
  existingPods?: Pod[];
  nodes: Node[];
  failedNodes?: Node[];
  objs?: AnyObject[];
  config?: PodTopologySpreadArgs;
  want: Array<[string, number]>;
}

/** `n` pods labelled foo (plus extra labels) on `node`, named p-<letter><i>. */
function podsOn(node: string, n: number, labels: Record<string, string> = {}): Pod[] {
  const letter = node.slice('node-'.length);
  return Array.from({ length: n }, (_, i) => {
    const p = P(`p-${letter}${i + 1}`).node(node).label('foo', '');
    for (const [k, v] of Object.entries(labels)) p.label(k, v);
    return p.obj();
  });
}
const hostNodes = (...names: string[]): Node[] => names.map((n) => N(n).label(H, n).obj());
const zoneHostNode = (name: string, zone: string): Node => N(name).label('zone', zone).label(H, name).obj();
const hostFoo = (maxSkew: number): Pod => P('p').label('foo', '').spread(maxSkew, H, SA, fooSelector).obj();
/** 2/1/0/3 on node-a..node-d. */
const pods2103d = (): Pod[] => [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-d', 3)];
/** 4/2/1/3 on node-a, node-b, node-x, node-y. */
const pods4213 = (): Pod[] => [...podsOn('node-a', 4), ...podsOn('node-b', 2), ...podsOn('node-x', 1), ...podsOn('node-y', 3)];

const scoreRows: ScoreRow[] = [
  {
    name: 'one constraint on node, no existing pods',
    pod: hostFoo(1),
    nodes: hostNodes('node-a', 'node-b'),
    want: [
      ['node-a', 100],
      ['node-b', 100],
    ],
  },
  {
    // If there is only one candidate node, it should be scored to 100.
    name: 'one constraint on node, only one node is candidate',
    pod: hostFoo(1),
    existingPods: [...podsOn('node-a', 2), ...podsOn('node-b', 1)],
    nodes: hostNodes('node-a'),
    failedNodes: hostNodes('node-b'),
    want: [['node-a', 100]],
  },
  {
    name: 'one constraint on node, all nodes have the same number of matching pods',
    pod: hostFoo(1),
    existingPods: [...podsOn('node-a', 1), ...podsOn('node-b', 1)],
    nodes: hostNodes('node-a', 'node-b'),
    want: [
      ['node-a', 100],
      ['node-b', 100],
    ],
  },
  {
    // Matching pods spread as 2/1/0/3.
    name: 'one constraint on node, all 4 nodes are candidates',
    pod: hostFoo(1),
    existingPods: pods2103d(),
    nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
    failedNodes: [],
    want: [
      ['node-a', 20],
      ['node-b', 60],
      ['node-c', 100],
      ['node-d', 0],
    ],
  },
  {
    name: 'one constraint on node, null selector',
    pod: P('p').label('foo', '').spread(1, H, SA, null).obj(),
    existingPods: pods2103d(),
    nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
    want: [
      ['node-a', 100],
      ['node-b', 100],
      ['node-c', 100],
      ['node-d', 100],
    ],
  },
  {
    // Matching pods spread as 2/1/0/3.
    name: 'one constraint on node, all 4 nodes are candidates, maxSkew=2',
    pod: hostFoo(2),
    existingPods: pods2103d(),
    nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
    failedNodes: [],
    want: [
      ['node-a', 33], // +13, compared to maxSkew=1
      ['node-b', 66], // +6, compared to maxSkew=1
      ['node-c', 100],
      ['node-d', 16], // +16, compared to maxSkew=1
    ],
  },
  {
    // Matching pods spread as 4/3/2/1.
    name: 'one constraint on node, all 4 nodes are candidates, maxSkew=3',
    pod: hostFoo(3),
    existingPods: [...podsOn('node-a', 4), ...podsOn('node-b', 3), ...podsOn('node-c', 2), ...podsOn('node-d', 1)],
    nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
    failedNodes: [],
    want: [
      ['node-a', 44], // +16 compared to maxSkew=1
      ['node-b', 66], // +9 compared to maxSkew=1
      ['node-c', 77], // +6 compared to maxSkew=1
      ['node-d', 100],
    ],
  },
  {
    // Matching pods spread as 4/2/1/~3~ (node-y is not a candidate).
    name: 'one constraint on node, 3 out of 4 nodes are candidates',
    pod: hostFoo(1),
    existingPods: pods4213(),
    nodes: hostNodes('node-a', 'node-b', 'node-x'),
    failedNodes: hostNodes('node-y'),
    want: [
      ['node-a', 33],
      ['node-b', 83],
      ['node-x', 100],
    ],
  },
  {
    // Matching pods spread as 4/?2?/1/~3~, total = 4+?+1 = 5 (as node-b is problematic).
    name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
    pod: hostFoo(1),
    existingPods: pods4213(),
    nodes: [N('node-a').label(H, 'node-a').obj(), N('node-b').label('n', 'node-b').obj(), N('node-x').label(H, 'node-x').obj()],
    failedNodes: hostNodes('node-y'),
    want: [
      ['node-a', 16],
      ['node-b', 0],
      ['node-x', 100],
    ],
  },
  {
    // Matching pods spread as 4/2/1/~3~.
    name: 'one constraint on zone, 3 out of 4 nodes are candidates',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, fooSelector).obj(),
    existingPods: pods4213(),
    nodes: [zoneHostNode('node-a', 'zone1'), zoneHostNode('node-b', 'zone1'), zoneHostNode('node-x', 'zone2')],
    failedNodes: [zoneHostNode('node-y', 'zone2')],
    want: [
      ['node-a', 75],
      ['node-b', 75],
      ['node-x', 100],
    ],
  },
  {
    // Matching pods spread as 2/~1~/2/~4~.
    name: 'two Constraints on zone and node, 2 out of 4 nodes are candidates',
    pod: P('p').label('foo', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, fooSelector).obj(),
    existingPods: [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-x', 2), ...podsOn('node-y', 4)],
    nodes: [zoneHostNode('node-a', 'zone1'), zoneHostNode('node-x', 'zone2')],
    failedNodes: [zoneHostNode('node-b', 'zone1'), zoneHostNode('node-y', 'zone2')],
    want: [
      ['node-a', 100],
      ['node-x', 63],
    ],
  },
  {
    name: 'two Constraints on zone, 2 out of 4 nodes are candidates',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', SA, fooSelector).spread(1, 'zone', SA, barSelector).obj(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').label('bar', '').obj(),
      P('p-a2').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').label('bar', '').obj(),
      P('p-y1').node('node-y').label('foo', '').obj(),
      P('p-y2').node('node-y').label('foo', '').label('bar', '').obj(),
      P('p-y3').node('node-y').label('foo', '').obj(),
    ],
    nodes: [N('node-a').label('zone', 'zone1').obj(), N('node-x').label('zone', 'zone2').obj()],
    failedNodes: [N('node-b').label('zone', 'zone1').obj(), N('node-y').label('zone', 'zone2').obj()],
    want: [
      ['node-a', 85],
      ['node-x', 100],
    ],
  },
  {
    // Constraints with different labelSelectors: zone1 = node-a P{foo}, node-b P{foo, bar};
    // zone2 = node-x (none), node-y P{foo} P{bar}. First constraint (zone): 2/2/1/1; second
    // (node): 0/1/0/1.
    name: 'two Constraints on zone and node, with different labelSelectors',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, barSelector).obj(),
    existingPods: podsDifferentSelectors(),
    nodes: [zoneHostNode('node-a', 'zone1'), zoneHostNode('node-b', 'zone1'), zoneHostNode('node-x', 'zone2'), zoneHostNode('node-y', 'zone2')],
    failedNodes: [],
    want: [
      ['node-a', 60],
      ['node-b', 20],
      ['node-x', 100],
      ['node-y', 60],
    ],
  },
  {
    // First constraint (zone): 0/0/2/2; second (node): 0/1/0/1.
    name: 'two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, barSelector).obj(),
    existingPods: [P('p-b1').node('node-b').label('bar', '').obj(), P('p-x1').node('node-x').label('foo', '').obj(), P('p-y1').node('node-y').label('foo', '').label('bar', '').obj()],
    nodes: [zoneHostNode('node-a', 'zone1'), zoneHostNode('node-b', 'zone1'), zoneHostNode('node-x', 'zone2'), zoneHostNode('node-y', 'zone2')],
    failedNodes: [],
    want: [
      ['node-a', 100],
      ['node-b', 60],
      ['node-x', 40],
      ['node-y', 0],
    ],
  },
  {
    // First constraint (zone): 2/2/1/~1~; second (node): 0/1/0/~1~.
    name: 'two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, barSelector).obj(),
    existingPods: podsDifferentSelectors(),
    nodes: [zoneHostNode('node-a', 'zone1'), zoneHostNode('node-b', 'zone1'), zoneHostNode('node-x', 'zone2')],
    failedNodes: [zoneHostNode('node-y', 'zone2')],
    want: [
      ['node-a', 50],
      ['node-b', 25],
      ['node-x', 100],
    ],
  },
  {
    name: 'existing pods in a different namespace do not count',
    pod: hostFoo(1),
    existingPods: [P('p-a1').namespace('ns1').node('node-a').label('foo', '').obj(), P('p-a2').node('node-a').label('foo', '').obj(), ...podsOn('node-b', 2)],
    nodes: hostNodes('node-a', 'node-b'),
    want: [
      ['node-a', 100],
      ['node-b', 33],
    ],
  },
  {
    name: 'terminating Pods should be excluded',
    pod: hostFoo(1),
    nodes: hostNodes('node-a', 'node-b'),
    existingPods: [P('p-a').node('node-a').label('foo', '').terminating().obj(), P('p-b').node('node-b').label('foo', '').obj()],
    want: [
      ['node-a', 100],
      ['node-b', 0],
    ],
  },
  {
    // Artificial: the API server rejects a non-default minDomains with ScheduleAnyway.
    name: 'minDomains has no effect when ScheduleAnyway',
    pod: P('p').label('foo', '').spread(2, 'node', SA, fooSelector, 10).obj(),
    nodes: nodesNodeABC(),
    existingPods: [...podsOn('node-a', 2), ...podsOn('node-b', 2), ...podsOn('node-c', 1)],
    want: [
      ['node-a', 75],
      ['node-b', 75],
      ['node-c', 100],
    ],
  },
  {
    name: 'NodeAffinityPolicy honoed with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', SA, fooSelector).obj(),
    nodes: nodesFooC(),
    existingPods: pods211(),
    want: [
      ['node-a', 0],
      ['node-b', 33],
      ['node-c', 100],
    ],
  },
  {
    name: 'NodeAffinityPolicy ignored with labelSelectors',
    pod: P('p').label('foo', '').nodeSelector({ foo: '' }).spread(1, 'node', SA, fooSelector, null, 'Ignore').obj(),
    nodes: nodesFooC(),
    existingPods: pods211(),
    want: [
      ['node-a', 66],
      ['node-b', 100],
      ['node-c', 100],
    ],
  },
  {
    name: 'NodeAffinityPolicy honoed with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'node', SA, fooSelector).obj(),
    nodes: nodesFooC(),
    existingPods: pods211(),
    want: [
      ['node-a', 0],
      ['node-b', 33],
      ['node-c', 100],
    ],
  },
  {
    name: 'NodeAffinityPolicy ignored with nodeAffinity',
    pod: P('p').label('foo', '').nodeAffinityIn('foo', ['']).spread(1, 'node', SA, fooSelector, null, 'Ignore').obj(),
    nodes: nodesFooC(),
    existingPods: pods211(),
    want: [
      ['node-a', 66],
      ['node-b', 100],
      ['node-c', 100],
    ],
  },
  {
    name: 'NodeTaintsPolicy honored',
    pod: P('p').label('foo', '').spread(1, 'node', SA, fooSelector, null, null, 'Honor').obj(),
    nodes: nodesTaintedC(),
    existingPods: pods211(),
    want: [
      ['node-a', 0],
      ['node-b', 33],
      ['node-c', 100],
    ],
  },
  {
    name: 'NodeTaintsPolicy ignored',
    pod: P('p').label('foo', '').spread(1, 'node', SA, fooSelector).obj(),
    nodes: nodesTaintedC(),
    existingPods: pods211(),
    want: [
      ['node-a', 66],
      ['node-b', 100],
      ['node-c', 100],
    ],
  },
  {
    name: 'matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
    pod: P('p').label('foo', '').label('bar', '').spread(1, 'zone', SA, {}, null, null, null, ['foo']).spread(1, H, SA, {}, null, null, null, ['bar']).obj(),
    existingPods: podsMatchLabelKeys(),
    nodes: nodesZoneHostABCD(),
    want: [
      ['node-a', 60],
      ['node-b', 20],
      ['node-c', 60],
      ['node-d', 100],
    ],
  },
  {
    name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
    pod: P('p').label('foo', '').label('bar', '').label('baz', '').spread(1, 'zone', SA, fooSelector).spread(1, H, SA, barSelector, null, null, null, ['baz']).obj(),
    existingPods: [
      P('p-a1').node('node-a').label('foo', '').obj(),
      P('p-b1').node('node-b').label('foo', '').label('bar', '').label('baz', '').obj(),
      P('p-c1').node('node-c').label('foo', '').obj(),
      P('p-c2').node('node-c').label('bar', '').obj(),
      P('p-d3').node('node-c').label('bar', '').label('baz', '').obj(),
    ],
    nodes: nodesZoneHostABCD(),
    want: [
      ['node-a', 60],
      ['node-b', 20],
      ['node-c', 60],
      ['node-d', 100],
    ],
  },
];

function podsDifferentSelectors(): Pod[] {
  return [
    P('p-a1').node('node-a').label('foo', '').obj(),
    P('p-b1').node('node-b').label('foo', '').label('bar', '').obj(),
    P('p-y1').node('node-y').label('foo', '').obj(),
    P('p-y2').node('node-y').label('bar', '').obj(),
  ];
}
function nodesFooC(): Node[] {
  return [N('node-a').label('node', 'node-a').label('foo', '').obj(), N('node-b').label('node', 'node-b').label('foo', '').obj(), N('node-c').label('node', 'node-c').obj()];
}
function nodesTaintedC(): Node[] {
  return [N('node-a').label('node', 'node-a').obj(), N('node-b').label('node', 'node-b').obj(), N('node-c').label('node', 'node-c').taints(taints).obj()];
}
/** 2/1/1 on node-a, node-b, node-c. */
function pods211(): Pod[] {
  return [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-c', 1)];
}
function podsMatchLabelKeys(): Pod[] {
  return [
    P('p-a1').node('node-a').label('foo', '').obj(),
    P('p-b1').node('node-b').label('foo', '').label('bar', '').obj(),
    P('p-y1').node('node-c').label('foo', '').obj(),
    P('p-y2').node('node-c').label('bar', '').obj(),
  ];
}
function nodesZoneHostABCD(): Node[] {
  return [zoneHostNode('node-a', 'zone1'), zoneHostNode('node-b', 'zone1'), zoneHostNode('node-c', 'zone2'), zoneHostNode('node-d', 'zone2')];
}

t.test('TestPodTopologySpreadScore', async (t) => {
  for (const row of scoreRows) {
    t.test(row.name, async (t) => {
      const all = snapshot([...row.nodes, ...(row.failedNodes ?? [])], row.existingPods);
      const candidates = all.slice(0, row.nodes.length);
      // Upstream sets up this table with DefaultingType System.
      const pl = plugin(all, row.config ?? { defaultingType: 'System' }, row.objs);
      const state = new CycleState();
      const pod = PodInfo.of(row.pod);
      t.equal(pl.preScore(state, pod, candidates), null, 'PreScore succeeds');
      const scores: NodeScore[] = [];
      for (const ni of candidates) {
        const s = pl.score(state, pod, ni);
        if (typeof s !== 'number') {
          t.fail(`Score(${ni.name}): ${s.toString()}`);
          return;
        }
        scores.push({ name: ni.name, score: s });
      }
      t.equal(pl.normalizeScore(state, pod, scores), null, 'NormalizeScore succeeds');
      t.strictSame(
        scores.map((s) => [s.name, s.score]),
        row.want,
        'normalized scores',
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------
// pkg/scheduler/apis/config/validation/validation_pluginargs_test.go
// TestValidatePodTopologySpreadArgs. Upstream compares the error types and fields
// (ignoreBadValueDetail); the whole messages are checked here.

t.test('TestValidatePodTopologySpreadArgs', async (t) => {
  const rows: Array<{ name: string; args: PodTopologySpreadArgs; wantErrs: string[] }> = [
    {
      name: 'valid config',
      args: {
        defaultConstraints: [
          { maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: DNS },
          { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: SA },
        ],
        defaultingType: 'List',
      },
      wantErrs: [],
    },
    {
      name: 'maxSkew less than zero',
      args: { defaultConstraints: [{ maxSkew: -1, topologyKey: 'node', whenUnsatisfiable: DNS }], defaultingType: 'List' },
      wantErrs: ['defaultConstraints[0].maxSkew: Invalid value: -1: not in valid range (0, inf)'],
    },
    {
      name: 'empty topology key',
      args: { defaultConstraints: [{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: DNS }], defaultingType: 'List' },
      wantErrs: ['defaultConstraints[0].topologyKey: Required value: can not be empty'],
    },
    {
      name: 'whenUnsatisfiable is empty',
      args: { defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: '' as Mode }], defaultingType: 'List' },
      wantErrs: ['defaultConstraints[0].whenUnsatisfiable: Required value: can not be empty'],
    },
    {
      name: 'whenUnsatisfiable contains unsupported action',
      args: { defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'unknown action' as Mode }], defaultingType: 'List' },
      wantErrs: ['defaultConstraints[0].whenUnsatisfiable: Unsupported value: "unknown action": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    },
    {
      name: 'duplicated constraints',
      args: {
        defaultConstraints: [
          { maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: DNS },
          { maxSkew: 2, topologyKey: 'node', whenUnsatisfiable: DNS },
        ],
        defaultingType: 'List',
      },
      wantErrs: ['defaultConstraints[1]: Duplicate value: "{node, DoNotSchedule}"'],
    },
    {
      name: 'label selector present',
      args: { defaultConstraints: [{ maxSkew: 1, topologyKey: 'key', whenUnsatisfiable: DNS, labelSelector: { matchLabels: { a: 'b' } } }], defaultingType: 'List' },
      wantErrs: ['defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod'],
    },
    { name: 'list default constraints, no constraints', args: { defaultingType: 'List' }, wantErrs: [] },
    { name: 'system default constraints', args: { defaultingType: 'System' }, wantErrs: [] },
    {
      name: 'wrong constraints',
      args: { defaultingType: 'unknown' },
      wantErrs: ['defaultingType: Unsupported value: "unknown": supported values: "System", "List"'],
    },
    {
      name: 'system default constraints, but has constraints',
      args: { defaultConstraints: [{ maxSkew: 1, topologyKey: 'key', whenUnsatisfiable: DNS }], defaultingType: 'System' },
      wantErrs: ['defaultingType: Invalid value: "System": when .defaultConstraints are not empty'],
    },
  ];
  for (const row of rows) {
    t.strictSame(validatePodTopologySpreadArgs(row.args), row.wantErrs, row.name);
  }
});

// ---------------------------------------------------------------------------------------------
// kubedrill's own checks (no upstream table): decoding and defaulting of the args, the factory,
// the events, system defaulting end to end, State cloning and Go's rounding.

t.test('args: v1 decoding and defaulting', async (t) => {
  t.strictSame(validatePodTopologySpreadArgs(undefined), [], 'no args: System defaulting, valid');
  t.strictSame(
    validatePodTopologySpreadArgs({ defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: DNS }] }),
    ['defaultingType: Invalid value: "System": when .defaultConstraints are not empty'],
    'an empty defaultingType defaults to System before validation',
  );
  t.strictSame(
    validatePodTopologySpreadArgs({ defaultConstraints: [{ maxSkew: 1, topologyKey: 'a/b/c', whenUnsatisfiable: DNS }], defaultingType: 'List' }, 'profiles[0].pluginConfig[0].args'),
    [
      "profiles[0].pluginConfig[0].args.defaultConstraints[0].topologyKey: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
    'topologyKey must be a label name (ValidateLabelName), under the given path',
  );
  t.strictSame(
    validatePodTopologySpreadArgs({ defaultConstraints: [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: '' }], defaultingType: 'List' }),
    [
      'defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)',
      'defaultConstraints[0].topologyKey: Required value: can not be empty',
      'defaultConstraints[0].whenUnsatisfiable: Required value: can not be empty',
    ],
    'every problem of a constraint is reported, in upstream order',
  );
  t.strictSame(validatePodTopologySpreadArgs('x'), ['json: cannot unmarshal string into Go value of type v1.PodTopologySpreadArgs'], 'args not an object');
  t.strictSame(
    validatePodTopologySpreadArgs({ defaultConstraints: [{ maxSkew: '1', topologyKey: 'node', whenUnsatisfiable: DNS }] }),
    ['json: cannot unmarshal string into Go struct field TopologySpreadConstraint.defaultConstraints.maxSkew of type int32'],
    'a field of the wrong type',
  );
  t.strictSame(validatePodTopologySpreadArgs({ defaultingType: 'List', extra: 1 }), ['strict decoding error: unknown field "extra"'], 'unknown field');
});

t.test('factory, defaults and events', async (t) => {
  const handle = fakeHandle([]);
  const sys = newPodTopologySpread(undefined, handle) as PodTopologySpread;
  t.equal(sys.name, 'PodTopologySpread', 'name');
  t.equal(sys.systemDefaulted, true, 'no args: System defaulting');
  t.strictSame(
    sys.defaultConstraints,
    [
      { topologyKey: H, whenUnsatisfiable: SA, maxSkew: 3 },
      { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: SA, maxSkew: 5 },
    ],
    'system default constraints',
  );
  const list = newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: DNS }] }, handle) as PodTopologySpread;
  t.equal(list.systemDefaulted, false, 'List defaulting');
  t.strictSame(list.defaultConstraints, [{ maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: DNS }], 'the listed constraints');
  t.throws(
    () => newPodTopologySpread({ defaultingType: 'unknown', defaultConstraints: [{ maxSkew: -1, topologyKey: 'rack', whenUnsatisfiable: DNS }] }, handle),
    { message: '[defaultingType: Unsupported value: "unknown": supported values: "System", "List", defaultConstraints[0].maxSkew: Invalid value: -1: not in valid range (0, inf)]' },
    'invalid args fail New with the aggregate',
  );
  t.strictSame(
    registrations(sys.eventsToRegister()),
    [
      { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'UpdatePodToleration', 'Delete'], hint: true },
      { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'], hint: true },
    ],
    'events (queueing hints on)',
  );
});

t.test('system defaulting: a ReplicaSet pod is spread softly, never filtered', async (t) => {
  const nodes = [
    N('node-a').label(H, 'node-a').label(LABEL_TOPOLOGY_ZONE, 'z1').obj(),
    N('node-b').label(H, 'node-b').label(LABEL_TOPOLOGY_ZONE, 'z1').obj(),
    N('node-c').label(H, 'node-c').obj(),
  ];
  const existing = [P('p-a1').node('node-a').label('app', 'web').obj(), P('p-a2').node('node-a').label('app', 'web').obj(), P('p-b1').node('node-b').label('app', 'web').obj()];
  const infos = snapshot(nodes, existing);
  const pl = plugin(infos, { defaultingType: 'System' }, [replicaSet('rs1', { matchLabels: { app: 'web' } })]);
  const pod = PodInfo.of(P('p').label('app', 'web').ownerReference('rs1', 'ReplicaSet').obj());
  t.equal(pl.preFilter(new CycleState(), pod, infos).status?.code, Code.Skip, 'no hard default constraint: PreFilter skips');
  const state = new CycleState();
  t.equal(pl.preScore(state, pod, infos), null, 'PreScore runs');
  const s = viewPreScore(state.read<PreScoreState>(PRE_SCORE_STATE_KEY)!);
  t.strictSame(s.constraints, [C(3, H, { matchLabels: { app: 'web' } }), C(5, LABEL_TOPOLOGY_ZONE, { matchLabels: { app: 'web' } })], 'selector of the ReplicaSet');
  t.strictSame(s.ignoredNodes, [], 'system defaulting does not require every key');
  t.strictSame(s.topologyValueToPodCounts, [{}, { z1: 3, '': 0 }], 'zone counts; a node without zone is its own domain');
  const scores = infos.map((ni) => ({ name: ni.name, score: pl.score(state, pod, ni) as number }));
  // Raw: host weight log(5), zone weight log(4); node-a 2*log5+2 + 3*log4+4 = 13.38 -> 13,
  // node-b 1*log5+2 + 3*log4+4 = 11.77 -> 12; node-c has no zone label, so only 0*log5+2 = 2.
  t.strictSame(
    scores.map((x) => x.score),
    [13, 12, 2],
    'raw scores',
  );
  pl.normalizeScore(state, pod, scores);
  t.strictSame(
    scores.map((x) => x.score),
    [15, 23, 100],
    'normalized: 100*(13+2-s)/13, truncated',
  );
  const other = PodInfo.of(P('q').label('app', 'web').ownerReference('rs9', 'ReplicaSet').obj());
  t.equal(pl.preScore(new CycleState(), other, infos)?.code, Code.Skip, 'unknown ReplicaSet: empty selector, PreScore skips');
  const bare = PodInfo.of(P('r').label('app', 'web').obj());
  t.equal(pl.preScore(new CycleState(), bare, infos)?.code, Code.Skip, 'no controller: PreScore skips');
});

t.test('PreFilterState.clone is independent of the original (preemption)', async (t) => {
  const infos = snapshot(nodesAB(), [P('p-b1').node('node-b').label('foo', '').obj()]);
  const pl = plugin(infos);
  const cs = new CycleState();
  const pod = PodInfo.of(podNodeFoo());
  pl.preFilter(cs, pod, infos);
  const original = cs.read<PreFilterState>(PRE_FILTER_STATE_KEY)!;
  const copy = new CycleState();
  copy.write(PRE_FILTER_STATE_KEY, original.clone());
  pl.addPod(copy, pod, PodInfo.of(P('p-a1').node('node-a').label('foo', '').obj()), infos[0]!);
  t.strictSame(viewPreFilter(original), want([nodeConstraint], [[['node-a', 0], ['node-b', 1]]], [{ 'node-a': 0, 'node-b': 1 }]), 'original unchanged');
  t.strictSame(viewPreFilter(copy.read<PreFilterState>(PRE_FILTER_STATE_KEY)!), want([nodeConstraint], [[['node-a', 1], ['node-b', 1]]], [{ 'node-a': 1, 'node-b': 1 }]), 'clone updated');
  t.equal(pl.addPod(new CycleState(), pod, pod, infos[0]!)?.code, Code.Error, 'AddPod without PreFilter state is an error');
});

t.test('goRound is Go math.Round (half away from zero)', async (t) => {
  t.strictSame([goRound(2.5), goRound(-2.5), goRound(0.49999999999999994), goRound(1.4999), goRound(-0.5), goRound(3)], [3, -3, 0, 1, -1, 3]);
});

t.test('invalid selectors and matchLabelKeys corner cases', async (t) => {
  const infos = snapshot(nodesAX(), podsFive('a'));
  const pl = plugin(infos);
  const bad: LabelSelector = { matchExpressions: [{ key: 'a/b/c', operator: 'Exists' }] };
  const parseError = (labelSelectorAsSelector(bad) as { message: string }).message;
  const hard = PodInfo.of(P('p').label('foo', 'a').spread(1, 'zone', DNS, bad).obj());
  const pf = pl.preFilter(new CycleState(), hard, infos).status;
  t.equal(pf?.code, Code.Error, 'PreFilter: an unparsable selector is an error');
  t.strictSame(pf?.reasons, [`get constraints from pod: obtaining pod's hard topology spread constraints: ${parseError}`], 'PreFilter message');
  const soft = PodInfo.of(P('p').label('foo', 'a').spread(1, 'zone', SA, bad).obj());
  const ps = pl.preScore(new CycleState(), soft, infos);
  t.equal(ps?.code, Code.Error, 'PreScore: an unparsable selector is an error');
  t.strictSame(ps?.reasons, [`calculating preScoreState: obtaining pod's soft topology spread constraints: ${parseError}`], 'PreScore message');

  // A matchLabelKeys key the selector also pins to another value: both requirements hold, so
  // nothing matches (upstream ANDs foo=a with foo=b).
  const conflict = PodInfo.of(P('p').label('foo', 'a').spread(1, 'zone', DNS, { matchLabels: { foo: 'b' } }, null, null, null, ['foo']).obj());
  const cs = new CycleState();
  pl.preFilter(cs, conflict, infos);
  t.strictSame(viewPreFilter(cs.read<PreFilterState>(PRE_FILTER_STATE_KEY)!).tpValueToMatchNum, [{ zone1: 0, zone2: 0 }], 'conflicting values match nothing');

  // A pod label value the label-selector parser rejects is still merged, as SelectorFromSet
  // does not validate.
  const odd = PodInfo.of(P('p').label('foo', 'a').label('v', 'not valid!').spread(1, 'zone', DNS, fooSelector, null, null, null, ['v']).obj());
  const cs2 = new CycleState();
  pl.preFilter(cs2, odd, [...infos, nodeInfo(makeNode('node-z', {}, { labels: { zone: 'zone3' } }), P('p-z1').label('foo', '').label('v', 'not valid!').obj())]);
  const view = viewPreFilter(cs2.read<PreFilterState>(PRE_FILTER_STATE_KEY)!);
  t.strictSame(view.constraints[0]!.selector, 'v=not valid!,foo', 'merged selector');
  t.strictSame(view.tpValueToMatchNum, [{ zone1: 0, zone2: 0, zone3: 1 }], 'only the pod with both labels counts');
});

t.test('an empty labelSelector counts no pods (countPodsMatchSelector) but matches the pod itself', async (t) => {
  const infos = snapshot(nodesAX(), podsFive());
  const pl = plugin(infos);
  const cs = new CycleState();
  const pod = PodInfo.of(P('p').label('foo', '').spread(1, 'zone', DNS, {}).obj());
  pl.preFilter(cs, pod, infos);
  t.strictSame(viewPreFilter(cs.read<PreFilterState>(PRE_FILTER_STATE_KEY)!).tpValueToMatchNum, [{ zone1: 0, zone2: 0 }], 'no pod counted');
  t.equal(cs.read<PreFilterState>(PRE_FILTER_STATE_KEY)!.selfMatchNum[0], 1, 'self-match');
});

// ---------------------------------------------------------------------------------------------
// Queueing hints: plugin_test.go Test_isSchedulableAfterNodeChange, all rows. The plugin is set
// up with ListDefaulting and no nodes, as upstream's test.

const hintNodeRows: Array<{ name: string; pod: Pod; oldNode?: Node; newNode?: Node; want: 'Queue' | 'QueueSkip' }> = [
  { name: 'node updates label which matches topologyKey', pod: P('p').spread(1, 'zone', DNS, fooSelector).obj(), oldNode: N('node-a').label('zone', 'zone1').obj(), newNode: N('node-a').label('zone', 'zone2').obj(), want: 'Queue' },
  { name: "node that doesn't match topologySpreadConstraints updates non-related label", pod: P('p').spread(1, 'zone', DNS, fooSelector).obj(), oldNode: N('node-a').label('foo', 'bar1').obj(), newNode: N('node-a').label('foo', 'bar2').obj(), want: 'QueueSkip' },
  {
    name: 'node that match topologySpreadConstraints adds non-related label',
    pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    oldNode: N('node-a').label('zone', 'zone1').label('node', 'node1').label('foo', 'bar').obj(),
    newNode: N('node-a').label('zone', 'zone1').label('node', 'node1').obj(),
    want: 'QueueSkip',
  },
  { name: 'create node with non-related labels', pod: P('p').spread(1, 'zone', DNS, fooSelector).obj(), newNode: N('node-a').label('foo', 'bar').obj(), want: 'QueueSkip' },
  { name: 'create node with related labels', pod: P('p').spread(1, 'zone', DNS, fooSelector).obj(), newNode: N('node-a').label('zone', 'zone1').obj(), want: 'Queue' },
  { name: 'delete node with non-related labels', pod: P('p').spread(1, 'zone', DNS, fooSelector).obj(), oldNode: N('node-a').label('foo', 'bar').obj(), want: 'QueueSkip' },
  { name: 'delete node with related labels', pod: P('p').spread(1, 'zone', DNS, fooSelector).obj(), oldNode: N('node-a').label('zone', 'zone1').obj(), want: 'Queue' },
  { name: 'add node with related labels that only match one of topologySpreadConstraints', pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(), newNode: N('node-a').label('zone', 'zone1').obj(), want: 'QueueSkip' },
  { name: 'add node with related labels that match all topologySpreadConstraints', pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(), newNode: N('node-a').label('zone', 'zone1').label('node', 'node1').obj(), want: 'Queue' },
  { name: 'update node with related labels that only match one of topologySpreadConstraints', pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(), oldNode: N('node-a').label('zone', 'zone1').obj(), newNode: N('node-a').label('zone', 'zone1').obj(), want: 'QueueSkip' },
  {
    name: 'update node with related labels that match all topologySpreadConstraints',
    pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    oldNode: N('node-a').label('zone', 'zone1').label('node', 'node1').obj(),
    newNode: N('node-a').label('zone', 'zone1').label('node', 'node2').obj(),
    want: 'Queue',
  },
  {
    name: 'update node with different taints that match all topologySpreadConstraints',
    pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    oldNode: N('node-a').label('zone', 'zone1').label('node', 'node1').taints([{ key: 'aaa', value: 'bbb', effect: 'NoSchedule' }]).obj(),
    newNode: N('node-a').label('zone', 'zone1').label('node', 'node1').taints([{ key: 'ccc', value: 'bbb', effect: 'NoSchedule' }]).obj(),
    want: 'Queue',
  },
  {
    name: 'update node with different taints that only match one of topologySpreadConstraints',
    pod: P('p').spread(1, 'zone', DNS, fooSelector).spread(1, 'node', DNS, fooSelector).obj(),
    oldNode: N('node-a').label('node', 'node1').taints([{ key: 'aaa', value: 'bbb', effect: 'NoSchedule' }]).obj(),
    newNode: N('node-a').label('node', 'node1').taints([{ key: 'ccc', value: 'bbb', effect: 'NoSchedule' }]).obj(),
    want: 'QueueSkip',
  },
];

t.test('plugin_test.go Test_isSchedulableAfterNodeChange', async (t) => {
  for (const row of hintNodeRows) {
    const pl = plugin(snapshot([]));
    t.equal(pl.isSchedulableAfterNodeChange(row.pod, row.oldNode, row.newNode), row.want, row.name);
  }
});

// plugin_test.go Test_isSchedulableAfterPodChange, all rows (st.MakePod().UID("p") is P('p'),
// whose uid is "uid-p"; the gate NodeInclusionPolicyInPodTopologySpread is on in v1.35).
const fooPod = (): PodW => P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector);
const fooBarPod = (taint: Policy | null = null): PodW => P('p').label('foo', '').spread(1, 'zone', DNS, fooSelector, null, null, taint).spread(1, 'node', DNS, barSelector);
const hintPodRows: Array<{ name: string; pod: Pod; oldPod?: Pod; newPod?: Pod; want: 'Queue' | 'QueueSkip' }> = [
  { name: 'add pod with labels match topologySpreadConstraints selector', pod: fooPod().obj(), newPod: P('p2').node('fake-node').label('foo', '').obj(), want: 'Queue' },
  { name: 'add un-scheduled pod', pod: fooPod().obj(), newPod: P('p2').label('foo', '').obj(), want: 'QueueSkip' },
  { name: 'update un-scheduled pod', pod: fooPod().obj(), newPod: P('p2').label('foo', '').obj(), oldPod: P('p2').label('bar', '').obj(), want: 'QueueSkip' },
  { name: 'delete un-scheduled pod', pod: fooPod().obj(), oldPod: P('p2').label('foo', '').obj(), want: 'QueueSkip' },
  { name: 'add pod with different namespace', pod: fooPod().obj(), newPod: P('p2').node('fake-node').namespace('fake-namespace').label('foo', '').obj(), want: 'QueueSkip' },
  { name: "add pod with labels don't match topologySpreadConstraints selector", pod: fooPod().obj(), newPod: P('p2').node('fake-node').label('bar', '').obj(), want: 'QueueSkip' },
  { name: 'delete pod with labels that match topologySpreadConstraints selector', pod: fooPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').obj(), want: 'Queue' },
  { name: "delete pod with labels that don't match topologySpreadConstraints selector", pod: fooPod().obj(), oldPod: P('p2').node('fake-node').label('bar', '').obj(), want: 'QueueSkip' },
  { name: "update pod's non-related label", pod: fooPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').label('bar', 'bar1').obj(), newPod: P('p2').node('fake-node').label('foo', '').label('bar', 'bar2').obj(), want: 'QueueSkip' },
  { name: "add pod's label that matches topologySpreadConstraints selector", pod: fooPod().obj(), oldPod: P('p2').node('fake-node').obj(), newPod: P('p2').node('fake-node').label('foo', '').obj(), want: 'Queue' },
  { name: 'delete pod label that matches topologySpreadConstraints selector', pod: fooPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').obj(), newPod: P('p2').node('fake-node').obj(), want: 'Queue' },
  { name: "change pod's label that matches topologySpreadConstraints selector", pod: fooPod().obj(), oldPod: P('p2').node('fake-node').label('foo', 'foo1').obj(), newPod: P('p2').node('fake-node').label('foo', 'foo2').obj(), want: 'QueueSkip' },
  { name: "change pod's label that doesn't match topologySpreadConstraints selector", pod: fooPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').label('bar', 'bar1').obj(), newPod: P('p2').node('fake-node').label('foo', '').label('bar', 'bar2').obj(), want: 'QueueSkip' },
  { name: "add pod's label that matches topologySpreadConstraints selector with multi topologySpreadConstraints", pod: fooBarPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').obj(), newPod: P('p2').node('fake-node').label('foo', '').label('bar', 'bar2').obj(), want: 'Queue' },
  { name: "change pod's label that doesn't match topologySpreadConstraints selector with multi topologySpreadConstraints", pod: fooBarPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').obj(), newPod: P('p2').node('fake-node').label('foo', '').label('baz', '').obj(), want: 'QueueSkip' },
  { name: "change pod's label that match topologySpreadConstraints selector with multi topologySpreadConstraints", pod: fooBarPod().obj(), oldPod: P('p2').node('fake-node').label('foo', '').label('bar', '').obj(), newPod: P('p2').node('fake-node').label('foo', '').label('bar', 'bar2').obj(), want: 'QueueSkip' },
  { name: 'the unschedulable Pod has topologySpreadConstraint with NodeTaintsPolicy:Honor and has got a new toleration', pod: fooBarPod('Honor').obj(), oldPod: P('p').label('foo', '').obj(), newPod: P('p').label('foo', '').toleration('node.kubernetes.io/unschedulable').obj(), want: 'Queue' },
  { name: 'the unschedulable Pod has topologySpreadConstraint without NodeTaintsPolicy:Honor and has got a new toleration', pod: fooBarPod('Ignore').obj(), oldPod: P('p').label('foo', '').obj(), newPod: P('p').label('foo', '').toleration('node.kubernetes.io/unschedulable').obj(), want: 'QueueSkip' },
  { name: 'the unschedulable Pod has topologySpreadConstraint and has got a new label matching the selector of the constraint', pod: fooBarPod('Ignore').obj(), oldPod: P('p').obj(), newPod: P('p').label('foo', '').obj(), want: 'Queue' },
  { name: 'the unschedulable Pod has topologySpreadConstraint and has got a new unrelated label', pod: fooBarPod('Ignore').obj(), oldPod: P('p').obj(), newPod: P('p').label('unrelated', '').obj(), want: 'QueueSkip' },
];

t.test('plugin_test.go Test_isSchedulableAfterPodChange', async (t) => {
  for (const row of hintPodRows) {
    const pl = plugin(snapshot([]));
    t.equal(pl.isSchedulableAfterPodChange(row.pod, row.oldPod, row.newPod), row.want, row.name);
  }
});

t.test('the hints queue on objects of the wrong kind (util.As error)', async (t) => {
  const pl = plugin(snapshot([]));
  t.ok(pl.isSchedulableAfterNodeChange(fooPod().obj(), undefined, fooPod().obj()) instanceof Error);
  t.ok(pl.isSchedulableAfterPodChange(fooPod().obj(), undefined, N('n').obj()) instanceof Error);
});
