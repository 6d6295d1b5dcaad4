// Rows transcribed from pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
// TestNodeUnschedulable.
import t from 'tap';
import { Code } from '../../../src/scheduler/framework/status.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable } from '../../../src/scheduler/plugins/node_unschedulable.js';
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
