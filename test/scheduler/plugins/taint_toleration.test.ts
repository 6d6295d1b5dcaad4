// Tests for the TaintToleration plugin (src/scheduler/plugins/taint_toleration.ts).
// taint_toleration_test.go TestIsSchedulableAfterNodeChange (6 rows, all) and the pod-toleration
// hint table (isSchedulableAfterPodTolerationChange; the stored table is the older
// Test_isSchedulableAfterPodChange: its rows "backoff-wrong-*", "skip-updates-other-pod" and
// "queue-on-toleration-added" are kept; "skip-updates-not-toleration" is left out, since v1.35's
// function registers only UpdatePodToleration and queues any update of the pod itself) are at the
// end. Left out: rows exercising the TaintTolerationComparisonOperators gate (alpha, off in v1.35).
import t from 'tap';
import type { Taint, Toleration } from '../../../src/api/types.js';
import { Code } from '../../../src/scheduler/framework/status.js';
import { CycleState, MAX_NODE_SCORE, PodInfo } from '../../../src/scheduler/framework/types.js';
import { ERR_REASON_NOT_MATCH, TaintToleration, isSchedulableAfterNodeChange, isSchedulableAfterPodTolerationChange, newTaintToleration } from '../../../src/scheduler/plugins/taint_toleration.js';
import { makeNode, makePod, nodeInfo, runFilter, runScore, registrations } from '../fixtures.js';

const nodeWithTaints = (name: string, taints: Taint[]) => nodeInfo(makeNode(name, {}, { taints }));
const podWithTolerations = (name: string, tolerations: Toleration[]) => makePod(name, { tolerations });

// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go TestTaintTolerationFilter.
// The stored upstream test predates PR #134740 and expects "node(s) had untolerated taint {key: value}";
// v1.35 returns the fixed reason ERR_REASON_NOT_MATCH for the same rows, which is what is asserted.
const filterRows: Array<{ name: string; pod: ReturnType<typeof makePod>; node: ReturnType<typeof nodeWithTaints>; wantCode: Code | null }> = [
  {
    name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
    pod: podWithTolerations('pod1', []),
    node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
    wantCode: Code.UnschedulableAndUnresolvable,
  },
  {
    name: 'A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
    pod: podWithTolerations('pod1', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
    node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
    wantCode: null,
  },
  {
    name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
    pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
    node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]),
    wantCode: Code.UnschedulableAndUnresolvable,
  },
  {
    name: 'A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
    pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }]),
    node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
    wantCode: null,
  },
  {
    name: 'A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
    pod: podWithTolerations('pod1', [
      { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
      { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
    ]),
    node: nodeWithTaints('nodeA', [
      { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
    ]),
    wantCode: null,
  },
  {
    name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
    pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
    node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
    wantCode: Code.UnschedulableAndUnresolvable,
  },
  {
    name: 'The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
    pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar' }]),
    node: nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]),
    wantCode: null,
  },
  {
    name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
    pod: podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]),
    node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }]),
    wantCode: null,
  },
  {
    name: 'The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node',
    pod: podWithTolerations('pod1', []),
    node: nodeWithTaints('nodeA', [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }]),
    wantCode: null,
  },
];

t.test('TestTaintTolerationFilter', async (t) => {
  for (const row of filterRows) {
    t.test(row.name, async (t) => {
      const status = runFilter(new TaintToleration(), row.pod, row.node);
      if (row.wantCode === null) {
        t.equal(status, null);
      } else {
        t.equal(status?.code, row.wantCode);
        t.strictSame(status?.reasons, [ERR_REASON_NOT_MATCH]);
      }
    });
  }
});

t.test('filter reason is the fixed v1.35 text', async (t) => {
  t.equal(ERR_REASON_NOT_MATCH, 'node(s) had untolerated taint(s)');
});

// Not an upstream row: NoExecute taints are filtered as NoSchedule ones are (DoNotScheduleTaintsFilterFunc).
t.test('an untolerated NoExecute taint rejects the node', async (t) => {
  const status = runFilter(new TaintToleration(), podWithTolerations('pod1', []), nodeWithTaints('nodeA', [{ key: 'k', effect: 'NoExecute' }]));
  t.equal(status?.code, Code.UnschedulableAndUnresolvable);
  t.strictSame(status?.reasons, [ERR_REASON_NOT_MATCH]);
});

// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go TestTaintTolerationScore.
const scoreRows: Array<{ name: string; pod: ReturnType<typeof makePod>; nodes: Array<ReturnType<typeof nodeWithTaints>>; expectedList: Array<{ name: string; score: number }> }> = [
  {
    name: 'node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
    pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
    nodes: [
      nodeWithTaints('nodeA', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }]),
      nodeWithTaints('nodeB', [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }]),
    ],
    expectedList: [
      { name: 'nodeA', score: MAX_NODE_SCORE },
      { name: 'nodeB', score: 0 },
    ],
  },
  {
    name: 'the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
    pod: podWithTolerations('pod1', [
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
      { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
    ]),
    nodes: [
      nodeWithTaints('nodeA', []),
      nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
      nodeWithTaints('nodeC', [
        { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
      ]),
    ],
    expectedList: [
      { name: 'nodeA', score: MAX_NODE_SCORE },
      { name: 'nodeB', score: MAX_NODE_SCORE },
      { name: 'nodeC', score: MAX_NODE_SCORE },
    ],
  },
  {
    name: 'the more intolerable taints a node has, the lower score it gets.',
    pod: podWithTolerations('pod1', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]),
    nodes: [
      nodeWithTaints('nodeA', []),
      nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
      nodeWithTaints('nodeC', [
        { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
      ]),
    ],
    expectedList: [
      { name: 'nodeA', score: MAX_NODE_SCORE },
      { name: 'nodeB', score: 50 },
      { name: 'nodeC', score: 0 },
    ],
  },
  {
    name: 'only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
    pod: podWithTolerations('pod1', [
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
      { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
    ]),
    nodes: [
      nodeWithTaints('nodeA', []),
      nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }]),
      nodeWithTaints('nodeC', [
        { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
      ]),
    ],
    expectedList: [
      { name: 'nodeA', score: MAX_NODE_SCORE },
      { name: 'nodeB', score: MAX_NODE_SCORE },
      { name: 'nodeC', score: 0 },
    ],
  },
  {
    name: 'Default behaviour No taints and tolerations, lands on node with no taints',
    pod: podWithTolerations('pod1', []),
    nodes: [nodeWithTaints('nodeA', []), nodeWithTaints('nodeB', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }])],
    expectedList: [
      { name: 'nodeA', score: MAX_NODE_SCORE },
      { name: 'nodeB', score: 0 },
    ],
  },
];

t.test('TestTaintTolerationScore', async (t) => {
  for (const row of scoreRows) {
    t.test(row.name, async (t) => {
      const { scores, status } = runScore(newTaintToleration(), row.pod, row.nodes);
      t.equal(status, null);
      t.strictSame(scores, row.expectedList);
    });
  }
});

// Not an upstream row: a toleration with an empty effect counts for PreferNoSchedule taints.
t.test('a toleration with empty effect tolerates PreferNoSchedule taints in scoring', async (t) => {
  const pod = podWithTolerations('pod1', [{ key: 'foo', operator: 'Exists' }]);
  const nodes = [nodeWithTaints('nodeA', [{ key: 'foo', value: 'x', effect: 'PreferNoSchedule' }]), nodeWithTaints('nodeB', [{ key: 'bar', effect: 'PreferNoSchedule' }])];
  const { scores, status } = runScore(newTaintToleration(), pod, nodes);
  t.equal(status, null);
  t.strictSame(scores, [
    { name: 'nodeA', score: MAX_NODE_SCORE },
    { name: 'nodeB', score: 0 },
  ]);
});

// Upstream Score reads the PreScore state and fails without it.
t.test('Score without PreScore is an Error', async (t) => {
  const r = new TaintToleration().score(new CycleState(), PodInfo.of(podWithTolerations('pod1', [])), nodeWithTaints('nodeA', []));
  t.not(typeof r, 'number');
  if (typeof r !== 'number') {
    t.equal(r.code, Code.Error);
    t.strictSame(r.reasons, ['failed to read "PreScoreTaintToleration" from cycleState: not found']);
  }
});

t.test('eventsToRegister', async (t) => {
  t.strictSame(registrations(new TaintToleration().eventsToRegister()), [
    { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'], hint: true },
    { resource: 'Pod', actions: ['UpdatePodToleration'], hint: true },
  ]);
});

t.test('taint_toleration_test.go TestIsSchedulableAfterNodeChange', async (t) => {
  const node = (taints: Taint[]) => makeNode('nodeA', {}, { taints });
  const user = (v: string): Taint => ({ key: 'dedicated', value: v, effect: 'NoSchedule' });
  const pod1 = () => podWithTolerations('pod1', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]);
  const rows: Array<{ name: string; pod: ReturnType<typeof makePod>; oldObj?: unknown; newObj: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'backoff-wrong-new-object', pod: makePod('p'), newObj: 'not-a-node', want: 'error' },
    { name: 'backoff-wrong-old-object', pod: makePod('p'), newObj: node([user('user1')]), oldObj: 'not-a-node', want: 'error' },
    { name: 'skip-queue-on-untoleratedtaint-node-added', pod: pod1(), newObj: node([user('user1')]), want: 'QueueSkip' },
    { name: 'queue-on-toleratedtaint-node-added', pod: pod1(), newObj: node([user('user2')]), want: 'Queue' },
    { name: 'skip-unrelated-change', pod: pod1(), newObj: node([user('user1'), user('user3')]), oldObj: node([user('user1')]), want: 'QueueSkip' },
    { name: 'queue-on-taint-change', pod: pod1(), newObj: node([user('user2')]), oldObj: node([user('user1')]), want: 'Queue' },
  ];
  for (const row of rows) {
    const got = isSchedulableAfterNodeChange(row.pod, row.oldObj, row.newObj);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
});

t.test('taint_toleration_test.go pod-toleration hint rows', async (t) => {
  const p = (name: string, uid: string, tolerations?: Toleration[]) => makePod(name, tolerations ? { tolerations } : {}, { namespace: 'ns-1', uid });
  const foo: Toleration[] = [{ key: 'foo', effect: 'NoSchedule' }];
  const rows: Array<{ name: string; pod: ReturnType<typeof makePod>; oldObj?: unknown; newObj: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'backoff-wrong-new-object', pod: makePod('p'), newObj: 'not-a-pod', want: 'error' },
    { name: 'backoff-wrong-old-object', pod: makePod('p'), oldObj: 'not-a-pod', newObj: makePod('p'), want: 'error' },
    { name: 'skip-updates-other-pod', pod: p('pod-1', 'uid0'), oldObj: p('pod-2', 'uid1'), newObj: p('pod-2', 'uid1', foo), want: 'QueueSkip' },
    { name: 'queue-on-toleration-added', pod: p('pod-1', ''), oldObj: p('pod-1', ''), newObj: p('pod-1', '', foo), want: 'Queue' },
  ];
  for (const row of rows) {
    const got = isSchedulableAfterPodTolerationChange(row.pod, row.oldObj, row.newObj);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
});
