// The ActionTypes a Node update raises in the scheduling queue, transcribed from
// pkg/scheduler/framework/events_test.go (v1.35): TestNodeSchedulingPropertiesChange,
// TestNodeConditionsChange and TestNodeTaintsChange (the condition and taint tables as one
// update each), plus the semantic-equality rules of extractNodeAllocatableChange.
import t from 'tap';
import type { Node, NodeCondition } from '../../src/api/types.js';
import { nodeUpdateActions, podUpdateActions } from '../../src/scheduler/scheduler.js';
import { makeNode, makePod } from './fixtures.js';

/** st.MakeNode(): a node with no labels, taints, conditions or capacity. */
function node(edit: (n: Node) => void = () => {}): Node {
  const n = makeNode('node');
  n.status = { ...n.status, conditions: [] };
  delete n.status.allocatable;
  edit(n);
  return n;
}

const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

t.test('TestNodeSchedulingPropertiesChange', async (t) => {
  const rows: Array<{ name: string; newNode: Node; oldNode: Node; want: string[] }> = [
    { name: 'no specific changed applied', newNode: node((n) => (n.spec.unschedulable = false)), oldNode: node((n) => (n.spec.unschedulable = false)), want: [] },
    { name: 'only node spec unavailable changed', newNode: node((n) => (n.spec.unschedulable = false)), oldNode: node((n) => (n.spec.unschedulable = true)), want: ['UpdateNodeTaint'] },
    // events.go extractNodeSpecUnschedulableChange: `!newNode.Spec.Unschedulable` — a cordon is no event.
    { name: '(kubedrill) node cordoned', newNode: node((n) => (n.spec.unschedulable = true)), oldNode: node((n) => (n.spec.unschedulable = false)), want: [] },
    {
      name: 'only node allocatable changed',
      newNode: node((n) => (n.status.allocatable = { cpu: '1000m', memory: '100m', 'example.com/foo': '1' })),
      oldNode: node((n) => (n.status.allocatable = { cpu: '1000m', memory: '100m', 'example.com/foo': '2' })),
      want: ['UpdateNodeAllocatable'],
    },
    { name: 'only node label changed', newNode: node((n) => (n.metadata.labels = { foo: 'bar' })), oldNode: node((n) => (n.metadata.labels = { foo: 'fuz' })), want: ['UpdateNodeLabel'] },
    {
      name: 'only node taint changed',
      newNode: node((n) => (n.spec.taints = [{ key: TAINT_UNSCHEDULABLE, value: '', effect: 'NoSchedule' }])),
      oldNode: node((n) => (n.spec.taints = [{ key: TAINT_UNSCHEDULABLE, value: 'foo', effect: 'NoSchedule' }])),
      want: ['UpdateNodeTaint'],
    },
    { name: 'only node annotation changed', newNode: node((n) => (n.metadata.annotations = { foo: 'bar' })), oldNode: node((n) => (n.metadata.annotations = { foo: 'fuz' })), want: ['UpdateNodeAnnotation'] },
    {
      name: 'only node condition changed',
      newNode: node(),
      oldNode: node((n) => (n.status.conditions = [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'Ready' }])),
      want: ['UpdateNodeCondition'],
    },
    {
      name: 'both node label and node taint changed',
      newNode: node((n) => {
        n.metadata.labels = { foo: 'bar' };
        n.spec.taints = [{ key: TAINT_UNSCHEDULABLE, value: '', effect: 'NoSchedule' }];
      }),
      oldNode: node((n) => (n.spec.taints = [{ key: TAINT_UNSCHEDULABLE, value: 'foo', effect: 'NoSchedule' }])),
      want: ['UpdateNodeLabel', 'UpdateNodeTaint'],
    },
  ];
  for (const r of rows) t.same(nodeUpdateActions(r.oldNode, r.newNode), r.want, r.name);
});

t.test('TestNodeConditionsChange', async (t) => {
  const rows: Array<{ name: string; changed: boolean; oldConditions: NodeCondition[]; newConditions: NodeCondition[] }> = [
    { name: 'no condition changed', changed: false, oldConditions: [{ type: 'DiskPressure', status: 'True' }], newConditions: [{ type: 'DiskPressure', status: 'True' }] },
    { name: 'only LastHeartbeatTime changed', changed: false, oldConditions: [{ type: 'DiskPressure', status: 'True', lastHeartbeatTime: 1000 }], newConditions: [{ type: 'DiskPressure', status: 'True', lastHeartbeatTime: 2000 }] },
    { name: 'new node has more healthy conditions', changed: true, oldConditions: [], newConditions: [{ type: 'Ready', status: 'True' }] },
    { name: 'new node has less unhealthy conditions', changed: true, oldConditions: [{ type: 'DiskPressure', status: 'True' }], newConditions: [] },
    { name: 'condition status changed', changed: true, oldConditions: [{ type: 'Ready', status: 'False' }], newConditions: [{ type: 'Ready', status: 'True' }] },
    // not upstream rows: the map comparison ignores order
    { name: 'conditions reordered', changed: false, oldConditions: [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'False' }], newConditions: [{ type: 'DiskPressure', status: 'False' }, { type: 'Ready', status: 'True' }] },
  ];
  for (const r of rows) {
    const actions = nodeUpdateActions(node((n) => (n.status.conditions = r.oldConditions)), node((n) => (n.status.conditions = r.newConditions)));
    t.equal(actions.includes('UpdateNodeCondition'), r.changed, r.name);
  }
});

t.test('TestNodeTaintsChange', async (t) => {
  const rows = [
    { name: 'no taint changed', changed: false, oldTaints: [{ key: 'key', value: 'value', effect: 'NoSchedule' as const }], newTaints: [{ key: 'key', value: 'value', effect: 'NoSchedule' as const }] },
    { name: 'taint value changed', changed: true, oldTaints: [{ key: 'key', value: 'value1', effect: 'NoSchedule' as const }], newTaints: [{ key: 'key', value: 'value2', effect: 'NoSchedule' as const }] },
  ];
  for (const r of rows) {
    const actions = nodeUpdateActions(node((n) => (n.spec.taints = r.oldTaints)), node((n) => (n.spec.taints = r.newTaints)));
    t.equal(actions.includes('UpdateNodeTaint'), r.changed, r.name);
  }
});

t.test('allocatable is compared by quantity value, and no list is an empty list', async (t) => {
  t.same(nodeUpdateActions(node((n) => (n.status.allocatable = { cpu: '1' })), node((n) => (n.status.allocatable = { cpu: '1000m' }))), []);
  t.same(nodeUpdateActions(node(), node((n) => (n.status.allocatable = {}))), []);
  t.same(nodeUpdateActions(node((n) => (n.status.allocatable = { cpu: '1' })), node((n) => (n.status.allocatable = { memory: '1' }))), ['UpdateNodeAllocatable']);
  t.same(nodeUpdateActions(node((n) => (n.spec.unschedulable = true)), node((n) => {
    n.spec.unschedulable = false;
    n.spec.taints = [{ key: 'k', effect: 'NoSchedule' }];
  })), ['UpdateNodeTaint', 'UpdateNodeTaint'], 'unschedulable and taints both changed: two events, as upstream');
});

// Pod updates: pkg/scheduler/framework/events.go PodSchedulingPropertiesChange (v1.35), rule by
// rule (no stored events_test.go table for it was found): labels, a request scaled down, all
// scheduling gates removed, a toleration count change, in that order; none → the general Update.
t.test('PodSchedulingPropertiesChange', async (t) => {
  const base = makePod('p', { containers: [{ name: 'c', image: 'img', resources: { requests: { cpu: '2', memory: '1Gi' } } }], schedulingGates: [{ name: 'g' }] }, { labels: { a: '1' } });
  const withReq = (cpu: string) => ({ ...base, spec: { ...base.spec, containers: [{ name: 'c', image: 'img', resources: { requests: { cpu, memory: '1Gi' } } }] } });
  t.same(podUpdateActions(base, { ...base, status: { phase: 'Pending' } }), ['updatePodOther'], 'a status change only');
  t.same(podUpdateActions(base, { ...base, metadata: { ...base.metadata, labels: { a: '2' } } }), ['UpdatePodLabel']);
  t.same(podUpdateActions({ ...base, metadata: { ...base.metadata, labels: {} } }, { ...base, metadata: { ...base.metadata, labels: undefined } }), ['updatePodOther'], 'nil and empty labels are equal');
  t.same(podUpdateActions(base, withReq('1')), ['UpdatePodScaleDown']);
  t.same(podUpdateActions(base, withReq('3')), ['updatePodOther'], 'a scale-up is no event');
  t.same(podUpdateActions(base, { ...base, spec: { ...base.spec, schedulingGates: [] } }), ['UpdatePodSchedulingGatesEliminated']);
  t.same(podUpdateActions(base, { ...base, spec: { ...base.spec, tolerations: [{ key: 'k', operator: 'Exists' }] } }), ['UpdatePodToleration']);
  const all = { ...withReq('1'), metadata: { ...base.metadata, labels: { b: '1' } } };
  all.spec = { ...all.spec, schedulingGates: [], tolerations: [{ key: 'k', operator: 'Exists' }] };
  t.same(podUpdateActions(base, all), ['UpdatePodLabel', 'UpdatePodScaleDown', 'UpdatePodSchedulingGatesEliminated', 'UpdatePodToleration'], "upstream's extractor order");
});
