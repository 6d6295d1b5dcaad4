// sameLabels is equality.Semantic.DeepEqual of two label maps (a nil map equals an empty one; key
// order does not matter), which the controllers' and the scheduler's update handlers use to tell
// a label change; sameControllerRef compares two controller references field by field.
import t from 'tap';
import { type OwnerReference, sameControllerRef, sameLabels } from '../../src/api/types.js';

t.test('sameLabels', async (t) => {
  const rows: Array<[string, Record<string, string> | undefined, Record<string, string> | undefined, boolean]> = [
    ['nil and nil', undefined, undefined, true],
    ['nil and empty', undefined, {}, true],
    ['same keys, other order', { a: '1', b: '2' }, { b: '2', a: '1' }, true],
    ['a value differs', { a: '1' }, { a: '2' }, false],
    ['one more key', { a: '1' }, { a: '1', b: '' }, false],
    ['an empty value is not an absent key', { a: '' }, { b: '' }, false],
    ['labels and nil', { a: '1' }, undefined, false],
  ];
  for (const [name, a, b, want] of rows) {
    t.equal(sameLabels(a, b), want, name);
    t.equal(sameLabels(b, a), want, `${name} (swapped)`);
  }
});

t.test('sameControllerRef', async (t) => {
  const ref: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
  t.ok(sameControllerRef(ref, ref));
  t.ok(sameControllerRef(ref, { ...ref }), 'an equal copy');
  t.ok(sameControllerRef(undefined, undefined));
  t.notOk(sameControllerRef(ref, { ...ref, uid: 'u2' }));
  t.notOk(sameControllerRef(ref, undefined));
});
