// isPodUpdated (pkg/scheduler/backend/queue/scheduling_queue.go): an update to a pending pod
// moves it out of unschedulablePods only when something but its status changed.
import t from 'tap';
import type { Pod } from '../../src/api/types.js';
import { isPodUpdated } from '../../src/scheduler/scheduler.js';
import { makePod } from './fixtures.js';

t.test('isPodUpdated', async (t) => {
  const base: Pod = { ...makePod('p'), metadata: { ...makePod('p').metadata, resourceVersion: '5', generation: 1 } };
  const statusOnly: Pod = { ...base, metadata: { ...base.metadata, resourceVersion: '6' }, status: { ...base.status, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } };
  t.equal(isPodUpdated(base, statusOnly), false, 'the scheduler writing PodScheduled=False');
  t.equal(isPodUpdated(base, { ...base, metadata: { ...base.metadata, generation: 2 } }), false, 'generation alone');
  t.equal(isPodUpdated(base, { ...base, metadata: { ...base.metadata, labels: { app: 'x' } } }), true, 'a label');
  t.equal(isPodUpdated(base, { ...base, spec: { ...base.spec, tolerations: [{ key: 'k', operator: 'Exists' }] } }), true, 'a toleration');
  t.equal(isPodUpdated(base, { ...base, status: { ...base.status, resourceClaimStatuses: [{ name: 'c' }] } as Pod['status'] }), true, 'resourceClaimStatuses count');
});

t.test('isPodUpdated: shared parts are judged without serialising, the answer unchanged', async (t) => {
  const base: Pod = { ...makePod('p'), metadata: { ...makePod('p').metadata, resourceVersion: '5' } };
  const relabelled = { ...base, metadata: { ...base.metadata, resourceVersion: '6', labels: { ...base.metadata.labels, v: '2' } } };
  t.equal(isPodUpdated(base, relabelled), true, 'same spec object, a metadata value differs');
  const annotated = { ...base, metadata: { ...base.metadata, annotations: { a: 'b' } } };
  t.equal(isPodUpdated(base, annotated), true, 'a metadata key added');
  t.equal(isPodUpdated(annotated, base), true, 'a metadata key removed');
  const sameText = { ...base, spec: JSON.parse(JSON.stringify(base.spec)) as Pod['spec'] };
  t.equal(isPodUpdated(base, sameText), false, 'a copied but equal spec');
});
