// Tests for the NodeAffinity plugin (src/scheduler/plugins/node_affinity.ts).
// node_affinity_test.go Test_isSchedulableAfterNodeChange is transcribed at the end (all 10 rows,
// the wrong-object-type ones as objects of another kind). No row of the transcribed tables was
// dropped.
import t, { type Test } from 'tap';
import type { Affinity, Pod } from '../../../src/api/types.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../../src/api/selector.js';
import { Code, type MaybeStatus } from '../../../src/scheduler/framework/status.js';
import { CycleState, MAX_NODE_SCORE, type NodeInfo, type NodeScore, PodInfo, type PreFilterResult } from '../../../src/scheduler/framework/types.js';
import {
  ERR_REASON_CONFLICT,
  ERR_REASON_ENFORCED,
  ERR_REASON_POD,
  NodeAffinity,
  type NodeAffinityArgs,
  newNodeAffinity,
  validateNodeAffinityArgs,
} from '../../../src/scheduler/plugins/node_affinity.js';
import { fakeHandle, makeNode, makePod, nodeInfo, registrations } from '../fixtures.js';

// Upstream builds pods as &v1.Pod{Spec: ...}; each row gets its own pod object (PodInfo is cached
// per object), named after the row.
let podSeq = 0;
const pod = (spec: Partial<Pod['spec']> = {}): Pod => makePod(`pod-${podSeq++}`, spec);
const required = (...nodeSelectorTerms: NodeSelectorTerm[]): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } },
});
const expr = (key: string, operator: NodeSelectorRequirement['operator'], values?: string[]): NodeSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };
const nameIn = (...values: string[]): NodeSelectorRequirement => ({ key: 'metadata.name', operator: 'In', values });

interface FilterRow {
  name: string;
  pod: Pod;
  labels?: Record<string, string>;
  nodeName?: string;
  wantStatus?: { code: Code; reason: string };
  wantPreFilterStatus?: { code: Code; reason?: string };
  wantPreFilterResult?: string[];
  args?: NodeAffinityArgs;
  runPreFilter: boolean;
}

const podStatus = { code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_POD };

// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go TestNodeAffinity: filter rows,
// the PreFilter status / result rows and the addedAffinity rows.
const filterRows: FilterRow[] = [
  { name: 'missing labels', pod: pod({ nodeSelector: { foo: 'bar' } }), wantStatus: podStatus, runPreFilter: true },
  { name: 'same labels', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar' }, runPreFilter: true },
  { name: 'node labels are superset', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar', baz: 'blah' }, runPreFilter: true },
  { name: 'node labels are subset', pod: pod({ nodeSelector: { foo: 'bar', baz: 'blah' } }), labels: { foo: 'bar' }, wantStatus: podStatus, runPreFilter: true },
  {
    name: 'Pod with matchExpressions using In operator that matches the existing node',
    pod: pod({ affinity: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }) }),
    labels: { foo: 'bar' },
    runPreFilter: true,
  },
  {
    name: 'Pod with matchExpressions using Gt operator that matches the existing node',
    pod: pod({ affinity: required({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }) }),
    // We use two digit to denote major version and two digit for minor version.
    labels: { 'kernel-version': '0206' },
    runPreFilter: true,
  },
  {
    name: 'Pod with matchExpressions using NotIn operator that matches the existing node',
    pod: pod({ affinity: required({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }) }),
    labels: { 'mem-type': 'DDR3' },
    runPreFilter: true,
  },
  {
    name: 'Pod with matchExpressions using Exists operator that matches the existing node',
    pod: pod({ affinity: required({ matchExpressions: [expr('GPU', 'Exists')] }) }),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    runPreFilter: true,
  },
  {
    name: "Pod with affinity that don't match node's labels won't schedule onto the node",
    pod: pod({ affinity: required({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }) }),
    labels: { foo: 'bar' },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
    pod: pod({ affinity: required({ matchExpressions: [] }) }),
    labels: { foo: 'bar' },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: 'Pod with no Affinity will schedule onto a node',
    pod: pod(),
    labels: { foo: 'bar' },
    wantPreFilterStatus: { code: Code.Skip },
    runPreFilter: true,
  },
  {
    name: 'Pod with Affinity but nil NodeSelector will schedule onto a node',
    pod: pod({ affinity: { nodeAffinity: {} } }),
    labels: { foo: 'bar' },
    wantPreFilterStatus: { code: Code.Skip },
    runPreFilter: true,
  },
  {
    name: 'Pod with multiple matchExpressions ANDed that matches the existing node',
    pod: pod({ affinity: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }) }),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    runPreFilter: true,
  },
  {
    name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
    pod: pod({ affinity: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }) }),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
    pod: pod({
      affinity: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }),
    }),
    labels: { foo: 'bar' },
    runPreFilter: true,
  },
  {
    name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
    pod: pod({ nodeSelector: { foo: 'bar' }, affinity: required({ matchExpressions: [expr('foo', 'Exists')] }) }),
    labels: { foo: 'bar' },
    runPreFilter: true,
  },
  {
    name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
    pod: pod({ nodeSelector: { foo: 'bar' }, affinity: required({ matchExpressions: [expr('foo', 'Exists')] }) }),
    labels: { foo: 'barrrrrr' },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
    pod: pod({ affinity: required({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }) }),
    labels: { foo: 'bar' },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: 'Pod with matchFields using In operator that matches the existing node',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1')] }) }),
    nodeName: 'node1',
    wantPreFilterResult: ['node1'],
    runPreFilter: true,
  },
  {
    name: 'Pod with matchFields using In operator that does not match the existing node',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1')] }) }),
    nodeName: 'node2',
    wantStatus: podStatus,
    wantPreFilterResult: ['node1'],
    runPreFilter: true,
  },
  {
    name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1'), nameIn('node2')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }) }),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    runPreFilter: true,
  },
  {
    name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }) }),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    wantPreFilterResult: ['node1'],
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: 'Pod with one term: both matchFields and matchExpressions match',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }) }),
    nodeName: 'node1',
    labels: { foo: 'bar' },
    wantPreFilterResult: ['node1'],
    runPreFilter: true,
  },
  {
    name: 'Pod with two terms: both matchFields and matchExpressions do not match',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1')] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }) }),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: 'Pod with two terms of node.Name affinity',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1')] }, { matchFields: [nameIn('node2')] }) }),
    nodeName: 'node2',
    wantPreFilterResult: ['node1', 'node2'],
    runPreFilter: true,
  },
  {
    name: 'Pod with two conflicting mach field requirements',
    pod: pod({ affinity: required({ matchFields: [nameIn('node1'), nameIn('node2')] }) }),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    wantPreFilterStatus: { code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_CONFLICT },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: "Matches added affinity and Pod's node affinity",
    pod: pod({ affinity: required({ matchExpressions: [expr('zone', 'In', ['foo'])] }) }),
    nodeName: 'node2',
    labels: { zone: 'foo' },
    args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn('node2')] }] } } },
    runPreFilter: true,
  },
  {
    name: "Matches added affinity but not Pod's node affinity",
    pod: pod({ affinity: required({ matchExpressions: [expr('zone', 'In', ['bar'])] }) }),
    nodeName: 'node2',
    labels: { zone: 'foo' },
    args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [nameIn('node2')] }] } } },
    wantStatus: podStatus,
    runPreFilter: true,
  },
  {
    name: "Doesn't match added affinity",
    pod: pod(),
    nodeName: 'node2',
    labels: { zone: 'foo' },
    args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['bar'])] }] } } },
    wantStatus: { code: Code.UnschedulableAndUnresolvable, reason: ERR_REASON_ENFORCED },
    runPreFilter: true,
  },
  {
    name: 'Matches node selector correctly even if PreFilter is not called',
    pod: pod({ nodeSelector: { foo: 'bar' } }),
    labels: { foo: 'bar', baz: 'blah' },
    runPreFilter: false,
  },
  {
    name: 'Matches node affinity correctly even if PreFilter is not called',
    pod: pod({ affinity: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }) }),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    runPreFilter: false,
  },
];

function checkStatus(t: Test, got: MaybeStatus, want: { code: Code; reason?: string } | undefined, what: string): void {
  if (want === undefined) {
    t.equal(got, null, `${what} is success`);
    return;
  }
  t.equal(got?.code, want.code, `${what} code`);
  t.strictSame(got?.reasons, want.reason === undefined ? [] : [want.reason], `${what} reasons`);
}

t.test('TestNodeAffinity', async (t) => {
  for (const row of filterRows) {
    t.test(row.name, async (t) => {
      const node = nodeInfo(makeNode(row.nodeName ?? '', {}, { labels: row.labels ?? {} }));
      const p = new NodeAffinity(row.args);
      const state = new CycleState();
      const info = PodInfo.of(row.pod);
      if (row.runPreFilter) {
        const { result, status } = p.preFilter(state, info, [node]);
        checkStatus(t, status, row.wantPreFilterStatus, 'PreFilter status');
        const want: PreFilterResult | undefined = row.wantPreFilterResult && { nodeNames: new Set(row.wantPreFilterResult) };
        t.strictSame(result, want, 'PreFilter result');
      }
      // As upstream: Filter runs with the PreFilter's state even after a rejecting PreFilter.
      checkStatus(t, p.filter(state, info, node), row.wantStatus, 'Filter status');
    });
  }
});

// TestNodeAffinityPriority.
const label1 = { foo: 'bar' };
const label2 = { key: 'value' };
const label3 = { az: 'az1' };
const label4 = { abc: 'az11', def: 'az22' };
const label5 = { foo: 'bar', key: 'value', az: 'az1' };

const affinity1: Affinity = {
  nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }] },
};
const affinity2: Affinity = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
      { weight: 4, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
      { weight: 5, preference: { matchExpressions: [expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1'])] } },
    ],
  },
};

interface ScoreRow {
  name: string;
  pod: Pod;
  nodes: Array<[string, Record<string, string>]>;
  expectedList?: NodeScore[];
  args?: NodeAffinityArgs;
  runPreScore: boolean;
  wantPreScoreStatus?: { code: Code; reason?: string };
}

// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go TestNodeAffinityPriority.
const scoreRows: ScoreRow[] = [
  {
    name: 'all nodes are same priority as NodeAffinity is nil',
    pod: makePod('score-0', {}, { annotations: {} }),
    nodes: [['node1', label1], ['node2', label2], ['node3', label3]],
    expectedList: [{ name: 'node1', score: 0 }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }],
    runPreScore: false,
  },
  {
    // PreScore returns Skip.
    name: 'Skip is returned in PreScore when NodeAffinity is nil',
    pod: makePod('score-1', {}, { annotations: {} }),
    nodes: [['node1', label1]],
    runPreScore: true,
    wantPreScoreStatus: { code: Code.Skip },
  },
  {
    name: 'PreScore returns error when an incoming Pod has a broken affinity',
    pod: makePod(
      'score-2',
      { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: { matchExpressions: [expr('invalid key', 'In', ['bar'])] } }] } } },
      { annotations: {} },
    ),
    nodes: [['node1', label1]],
    runPreScore: true,
    wantPreScoreStatus: {
      code: Code.Error,
      reason: `[0].matchExpressions[0].key: Invalid value: "invalid key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    },
  },
  {
    name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
    pod: makePod('score-3', { affinity: affinity1 }),
    nodes: [['node1', label4], ['node2', label2], ['node3', label3]],
    expectedList: [{ name: 'node1', score: 0 }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }],
    runPreScore: true,
  },
  {
    name: 'only node1 matches the preferred scheduling requirements of pod',
    pod: makePod('score-4', { affinity: affinity1 }),
    nodes: [['node1', label1], ['node2', label2], ['node3', label3]],
    expectedList: [{ name: 'node1', score: MAX_NODE_SCORE }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }],
    runPreScore: true,
  },
  {
    name: 'all nodes matches the preferred scheduling requirements of pod but with different priorities ',
    pod: makePod('score-5', { affinity: affinity2 }),
    nodes: [['node1', label1], ['node5', label5], ['node2', label2]],
    expectedList: [{ name: 'node1', score: 18 }, { name: 'node5', score: MAX_NODE_SCORE }, { name: 'node2', score: 36 }],
    runPreScore: true,
  },
  {
    name: 'added affinity',
    pod: makePod('score-6'),
    nodes: [['node1', label1], ['node2', label2]],
    expectedList: [{ name: 'node1', score: MAX_NODE_SCORE }, { name: 'node2', score: 0 }],
    args: { addedAffinity: affinity1.nodeAffinity! },
    runPreScore: true,
  },
  {
    name: 'added affinity and pod has default affinity',
    pod: makePod('score-7', { affinity: affinity1 }),
    nodes: [['node1', label1], ['node2', label2], ['node3', label5]],
    expectedList: [{ name: 'node1', score: 40 }, { name: 'node2', score: 60 }, { name: 'node3', score: MAX_NODE_SCORE }],
    args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [expr('key', 'In', ['value'])] } }] } },
    runPreScore: true,
  },
  {
    // Upstream's row runs PreScore despite its name; transcribed as is. The variant below skips it.
    name: 'calculate the priorities correctly even if PreScore is not called',
    pod: makePod('score-8', { affinity: affinity2 }),
    nodes: [['node1', label1], ['node5', label5], ['node2', label2]],
    expectedList: [{ name: 'node1', score: 18 }, { name: 'node5', score: MAX_NODE_SCORE }, { name: 'node2', score: 36 }],
    runPreScore: true,
  },
  {
    // Not an upstream row: the previous one with PreScore really not called (Score's fallback).
    name: 'calculate the priorities correctly when PreScore is really not called',
    pod: makePod('score-9', { affinity: affinity2 }),
    nodes: [['node1', label1], ['node5', label5], ['node2', label2]],
    expectedList: [{ name: 'node1', score: 18 }, { name: 'node5', score: MAX_NODE_SCORE }, { name: 'node2', score: 36 }],
    runPreScore: false,
  },
];

t.test('TestNodeAffinityPriority', async (t) => {
  for (const row of scoreRows) {
    t.test(row.name, async (t) => {
      const nodes: NodeInfo[] = row.nodes.map(([name, labels]) => nodeInfo(makeNode(name, {}, { labels })));
      const p = newNodeAffinity(row.args as Record<string, unknown> | undefined, fakeHandle(nodes));
      const state = new CycleState();
      const info = PodInfo.of(row.pod);
      if (row.runPreScore) {
        const status = p.preScore!(state, info, nodes);
        checkStatus(t, status, row.wantPreScoreStatus, 'PreScore status');
        if (status !== null) return;
      }
      const gotList: NodeScore[] = [];
      for (const n of nodes) {
        const score = p.score!(state, info, n);
        t.type(score, 'number', `Score of ${n.name} succeeds`);
        gotList.push({ name: n.name, score: score as number });
      }
      t.equal(p.normalizeScore!(state, info, gotList), null, 'NormalizeScore succeeds');
      t.strictSame(gotList, row.expectedList);
    });
  }
});

// Not upstream rows: an empty preferred list is not "no preferred terms" (a non-nil Go slice), so
// PreScore does not Skip; with neither the pod's nor added preferred terms it does.
t.test('PreScore Skip only without any preferred terms', async (t) => {
  const empty = makePod('empty-pref', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } });
  t.equal(new NodeAffinity().preScore(new CycleState(), PodInfo.of(empty), []), null);
  const none = makePod('no-pref');
  t.equal(new NodeAffinity().preScore(new CycleState(), PodInfo.of(none), [])?.code, Code.Skip);
  const added = new NodeAffinity({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [expr('a', 'Exists')] } }] } });
  t.equal(added.preScore(new CycleState(), PodInfo.of(none), []), null);
  // Only required added affinity: still Skip for scoring.
  const addedRequired = new NodeAffinity({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('a', 'Exists')] }] } } });
  t.equal(addedRequired.preScore(new CycleState(), PodInfo.of(none), [])?.code, Code.Skip);
});

t.test('eventsToRegister', async (t) => {
  t.strictSame(registrations(new NodeAffinity().eventsToRegister()), [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], hint: true }]);
});

// pkg/scheduler/apis/config/validation/validation_pluginargs_test.go TestValidateNodeAffinityArgs.
// Upstream compares error type and field only (ignoreBadValueDetail); so do these rows.
const validationRows: Array<{ name: string; args: NodeAffinityArgs; wantErrs: string[] }> = [
  { name: 'empty', args: {}, wantErrs: [] },
  {
    name: 'valid added affinity',
    args: {
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('label-1', 'In', ['label-1-val'])] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] } }],
      },
    },
    wantErrs: [],
  },
  {
    name: 'invalid added affinity',
    args: {
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('invalid/label/key', 'In', ['label-1-val'])] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1', 'node-2'] }] } }],
      },
    },
    wantErrs: [
      'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: ',
      'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].matchFields[0].values: Invalid value: ',
    ],
  },
];

t.test('TestValidateNodeAffinityArgs', async (t) => {
  for (const row of validationRows) {
    t.test(row.name, async (t) => {
      const errs = validateNodeAffinityArgs(row.args);
      t.equal(errs.length, row.wantErrs.length, 'error count');
      row.wantErrs.forEach((prefix, i) => t.ok(errs[i]?.startsWith(prefix), `error ${i} is ${prefix}…: got ${errs[i]}`));
    });
  }
});

// Not upstream rows: flattening (one message per field error, in order) and the exact text.
t.test('validation messages are flattened, exact and path-prefixed', async (t) => {
  const args: NodeAffinityArgs = {
    addedAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [expr('a', 'Foo' as 'In', ['x']), expr('b', 'In', [])] }, { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 0, preference: { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] } },
        { weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] } },
      ],
    },
  };
  t.strictSame(validateNodeAffinityArgs(args, 'profiles[0].pluginConfig[1].args'), [
    'profiles[0].pluginConfig[1].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Foo": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    `profiles[0].pluginConfig[1].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`,
    'profiles[0].pluginConfig[1].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"',
    'profiles[0].pluginConfig[1].args.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].matchFields[0].values: Invalid value: []string{"a", "b"}: must have one element',
  ]);
  t.strictSame(validateNodeAffinityArgs(undefined), []);
  t.strictSame(validateNodeAffinityArgs({ addedAffinity: 'x' }), [
    'json: cannot unmarshal string into Go struct field NodeAffinityArgs.addedAffinity of type v1.NodeAffinity',
  ]);
  t.throws(() => new NodeAffinity(args), { message: /^\[addedAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.operator: / });
});

// ---------------------------------------------------------------------------------------------
// node_affinity_test.go Test_isSchedulableAfterNodeChange, all rows. st.MakeNode() is a node with
// no name; podWithNodeAffinity is NodeAffinityIn("foo", ["bar"]) (matchExpressions).
t.test('node_affinity_test.go Test_isSchedulableAfterNodeChange', async (t) => {
  const podWithNodeAffinity = (): Pod => pod({ affinity: required({ matchExpressions: [expr('foo', 'In', ['bar'])] }) });
  const node = (labels: Record<string, string> = {}) => makeNode('', {}, { labels });
  const enforced: NodeAffinityArgs = { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'In', ['bar'])] }] } } };
  const rows: Array<{ name: string; args: NodeAffinityArgs; oldObj?: unknown; newObj?: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'backoff-wrong-new-object', args: {}, newObj: 'not-a-node', want: 'error' },
    { name: 'backoff-wrong-old-object', args: {}, oldObj: 'not-a-node', newObj: node(), want: 'error' },
    { name: 'skip-queue-on-add', args: {}, newObj: node(), want: 'QueueSkip' },
    { name: 'queue-on-add', args: {}, newObj: node({ foo: 'bar' }), want: 'Queue' },
    { name: 'skip-unrelated-changes', args: {}, oldObj: node(), newObj: node(), want: 'QueueSkip' },
    { name: 'skip-unrelated-changes-on-labels', args: {}, oldObj: node(), newObj: node({ k: 'v' }), want: 'QueueSkip' },
    { name: 'skip-labels-changes-on-node-from-suitable-to-unsuitable', args: {}, oldObj: node({ foo: 'bar' }), newObj: node({ k: 'v' }), want: 'QueueSkip' },
    { name: 'queue-on-labels-change-makes-pod-schedulable', args: {}, oldObj: node(), newObj: node({ foo: 'bar' }), want: 'Queue' },
    { name: 'skip-queue-on-add-scheduler-enforced-node-affinity', args: enforced, newObj: node(), want: 'QueueSkip' },
    { name: 'queue-on-add-scheduler-enforced-node-affinity', args: enforced, newObj: node({ foo: 'bar' }), want: 'Queue' },
  ];
  for (const row of rows) {
    const got = new NodeAffinity(row.args).isSchedulableAfterNodeChange(podWithNodeAffinity(), row.oldObj, row.newObj);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
});
