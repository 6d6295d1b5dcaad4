// Rows transcribed from pkg/scheduler/framework/plugins/nodename/node_name_test.go TestNodeName.
import t from 'tap';
import { Code } from '../../../src/scheduler/framework/status.js';
import { ERR_REASON, NodeName } from '../../../src/scheduler/plugins/node_name.js';
import { makeNode, makePod, nodeInfo, runFilter } from '../fixtures.js';

const rows = [
  { name: 'no host specified', pod: makePod('p'), node: 'foo', wantCode: null },
  { name: 'host matches', pod: makePod('p', { nodeName: 'foo' }), node: 'foo', wantCode: null },
  { name: 'host doesn\'t match', pod: makePod('p', { nodeName: 'bar' }), node: 'foo', wantCode: Code.UnschedulableAndUnresolvable },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const status = runFilter(new NodeName(), row.pod, nodeInfo(makeNode(row.node)));
    t.equal(status?.code ?? null, row.wantCode);
    if (row.wantCode !== null) t.same(status?.reasons, [ERR_REASON]);
  });
}
