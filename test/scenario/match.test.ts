// The expectation matcher (src/scenario/match.ts): what an `object:` expectation accepts, and the
// diff a failed one shows.
import t from 'tap';
import type { AnyObject } from '../../src/api/types.js';
import { objectDiff, subsetMatches } from '../../src/scenario/match.js';

const node = (taints?: unknown[]): AnyObject =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: taints === undefined ? {} : { taints }, status: {} }) as AnyObject;
const gpu = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

t.test('subsetMatches: maps as subsets, lists one-to-one in any order, an empty list only an empty or absent one', async (t) => {
  const rows: Array<[string, unknown, unknown, boolean]> = [
    ['empty list vs absent', { spec: { taints: [] } }, node(), true],
    ['empty list vs empty', { spec: { taints: [] } }, node([]), true],
    ['empty list vs one taint', { spec: { taints: [] } }, node([gpu]), false],
    ['one element among two, any order', { spec: { taints: [{ key: 'nvidia.com/gpu' }] } }, node([notReady, gpu]), true],
    ['two expected, one actual', { spec: { taints: [{ key: 'nvidia.com/gpu' }, notReady] } }, node([gpu]), false],
    ['the same element cannot count twice', { spec: { taints: [{ effect: 'NoSchedule' }, { effect: 'NoSchedule' }] } }, node([gpu]), false],
    ['quantities compare by value', { capacity: { cpu: '1000m' } }, { capacity: { cpu: '1' } }, true],
    ['zero values match an absent key', { spec: { unschedulable: false } }, node(), true],
    ['a set value does not', { spec: { unschedulable: true } }, node(), false],
  ];
  for (const [name, expected, actual, want] of rows) t.equal(subsetMatches(expected, actual), want, name);
});

t.test('objectDiff shows the actual elements an expected empty list rejects', async (t) => {
  const diff = objectDiff({ spec: { taints: [] } }, node([gpu]));
  t.match(diff, /^-\s+taints: \[\]$/m);
  t.match(diff, /^\+\s+taints:$/m);
  t.match(diff, /^\+\s+- key: nvidia\.com\/gpu$/m);
});

t.test('objectDiff shows each expected list element against its closest actual one', async (t) => {
  const diff = objectDiff({ spec: { taints: [{ key: 'nvidia.com/gpu', effect: 'NoExecute' }] } }, node([notReady, gpu]));
  t.match(diff, /^-\s+effect: NoExecute$/m);
  t.match(diff, /^\+\s+effect: NoSchedule$/m);
  t.notMatch(diff, /not-ready/);
});
