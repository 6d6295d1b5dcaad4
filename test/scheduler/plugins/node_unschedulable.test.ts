// Rows transcribed from pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
// TestNodeUnschedulable, TestIsSchedulableAfterNodeChange (7 rows, all) and
// TestIsSchedulableAfterPodTolerationChange (5 rows, all). The wrong-object rows pass a string, as
// upstream; the hint returns an Error (the queue treats it as Queue).
import t from 'tap';
import { Code } from '../../../src/scheduler/framework/status.js';
import type { Node, Pod } from '../../../src/api/types.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable, isSchedulableAfterNodeChange, isSchedulableAfterPodTolerationChange } from '../../../src/scheduler/plugins/node_unschedulable.js';
import { makeNode, makePod, nodeInfo, runFilter } from '../fixtures.js';

const tolerating = makePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
const rows = [
  { name: 'Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', pod: makePod('p'), unschedulable: true, wantCode: Code.UnschedulableAndUnresolvable },
  { name: 'Schedule pod to normal node', pod: makePod('p'), unschedulable: false, wantCode: null },
  { name: 'Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)', pod: tolerating, unschedulable: true, wantCode: null },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const status = runFilter(new NodeUnschedulable(), row.pod, nodeInfo(makeNode('n', {}, { unschedulable: row.unschedulable })));
    t.equal(status?.code ?? null, row.wantCode);
    if (row.wantCode !== null) t.same(status?.reasons, [ERR_REASON_UNSCHEDULABLE]);
  });
}

const bareNode = (spec: Node['spec'] = {}): Node => ({ ...makeNode(''), spec });
const notReady = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' as const }];

t.test('node_unschedulable_test.go TestIsSchedulableAfterNodeChange', async (t) => {
  const rows: Array<{ name: string; oldObj?: unknown; newObj?: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'error-wrong-new-object', newObj: 'not-a-node', want: 'error' },
    { name: 'error-wrong-old-object', newObj: bareNode({ unschedulable: true }), oldObj: 'not-a-node', want: 'error' },
    { name: 'skip-queue-on-unschedulable-node-added', newObj: bareNode({ unschedulable: true }), want: 'QueueSkip' },
    { name: 'queue-on-schedulable-node-added', newObj: bareNode({ unschedulable: false }), want: 'Queue' },
    { name: 'skip-unrelated-change-unschedulable-true', newObj: bareNode({ unschedulable: true, taints: notReady }), oldObj: bareNode({ unschedulable: true }), want: 'QueueSkip' },
    { name: 'skip-unrelated-change-unschedulable-false', newObj: bareNode({ unschedulable: false, taints: notReady }), oldObj: bareNode({ unschedulable: false }), want: 'QueueSkip' },
    { name: 'queue-on-unschedulable-field-change', newObj: bareNode({ unschedulable: false }), oldObj: bareNode({ unschedulable: true }), want: 'Queue' },
  ];
  for (const row of rows) {
    const got = isSchedulableAfterNodeChange(makePod('p'), row.oldObj, row.newObj);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
  t.equal(new NodeUnschedulable().eventsToRegister()[0]!.queueingHintFn, isSchedulableAfterNodeChange, 'registered for Node Add|UpdateNodeTaint');
});

t.test('node_unschedulable_test.go TestIsSchedulableAfterPodTolerationChange', async (t) => {
  const withUID = (uid: string, tolerationKey?: string): Pod => makePod(uid, tolerationKey ? { tolerations: [{ key: tolerationKey, operator: 'Exists', effect: 'NoSchedule' }] } : {}, { uid });
  const rows: Array<{ name: string; pod: Pod; oldObj?: unknown; newObj?: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'error-wrong-new-object', pod: makePod('p'), newObj: 'not-a-pod', want: 'error' },
    { name: 'error-wrong-old-object', pod: makePod('p'), newObj: makePod('q'), oldObj: 'not-a-pod', want: 'error' },
    { name: 'skip-different-pod-update', pod: withUID('uid'), newObj: withUID('different-uid', 'node.kubernetes.io/unschedulable'), oldObj: withUID('different-uid'), want: 'QueueSkip' },
    { name: 'queue-when-the-unsched-pod-gets-toleration', pod: withUID('uid'), newObj: withUID('uid', 'node.kubernetes.io/unschedulable'), oldObj: withUID('uid'), want: 'Queue' },
    { name: 'skip-when-the-unsched-pod-gets-unrelated-toleration', pod: withUID('uid'), newObj: withUID('uid', 'unrelated-key'), oldObj: withUID('uid'), want: 'QueueSkip' },
  ];
  for (const row of rows) {
    const got = isSchedulableAfterPodTolerationChange(row.pod, row.oldObj, row.newObj);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
});
