// Shortcuts the scheduler's hot path takes in lower layers must answer exactly as the plain
// definitions: Prng.intn's remainders, the store's spec-change test, PodInfo.derive.
import t from 'tap';
import { Prng } from '../../src/engine/prng.js';
import { specJsonDiffers } from '../../src/api/store.js';
import { PodInfo } from '../../src/scheduler/framework/types.js';
import { podWithRequests } from './fixtures.js';

t.test('intn equals the modulo definition (rejection sampling, x % n)', async (t) => {
  const a = new Prng(11, 'intn');
  const b = new Prng(11, 'intn');
  const ref = (p: Prng, n: number): number => {
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = p.nextU32();
      if (x < limit) return x % n;
    }
  };
  const ns = [1, 2, 3, 5, 7, 100, 4999, 5000, 65537, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffb, 0xffffffff, 0x1_0000_0000, 3000000019];
  let bad = 0;
  for (let i = 0; i < 200_000; i++) {
    const n = i % 2 === 0 ? ns[(i / 2) % ns.length]! : 1 + ((i * 7919) % 1_000_003);
    if (a.intn(n) !== ref(b, n)) bad++;
  }
  t.equal(bad, 0);
});

t.test('specJsonDiffers is JSON.stringify inequality', async (t) => {
  const shared = { containers: [{ name: 'c' }] };
  const cases: Array<[unknown, unknown]> = [
    [shared, shared],
    [{ a: 'x' }, { a: 'x' }],
    [{ a: 'x' }, { a: 'y' }],
    [{ a: 'x' }, {}],
    [{ a: 'x', b: undefined }, { a: 'x' }],
    [{ a: 'x' }, { a: undefined }],
    [{ a: 'x', b: 1 }, { b: 1, a: 'x' }],
    [{ n: 1 }, { n: 1 }],
    [{ n: 0 }, { n: -0 }],
    [{ n: NaN }, { n: null }],
    [{ a: 'x' }, { a: ['x'] }],
    [{ a: 'x' }, { a: () => 'x' }],
    [{ ...shared, nodeName: 'n1' }, shared],
    [shared, { ...shared, nodeName: 'n1' }],
    [{ toJSON: () => 1, a: 'x' }, { toJSON: () => 1 }],
    [{ a: 'x' }, undefined],
    [undefined, undefined],
    [['x'], ['y']],
    ['x', 'x'],
  ];
  for (const [a, b] of cases) t.equal(specJsonDiffers(a, b), JSON.stringify(a) !== JSON.stringify(b), JSON.stringify([a, b]) ?? 'undefined');
});

t.test('PodInfo.derive shares requests only for the same containers', async (t) => {
  const pod = podWithRequests('p', { cpu: '250m', memory: '1Gi' });
  const info = PodInfo.of(pod);
  const copy = { ...pod, spec: { ...pod.spec, nodeName: 'n1' } };
  const derived = PodInfo.derive(copy, info);
  t.equal(derived.requests, info.requests);
  t.equal(PodInfo.of(copy), derived, 'cached for the copy');
  t.equal(derived.key, 'default/p');
  const changed = { ...pod, spec: { ...pod.spec, containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1' } } }] } };
  const other = PodInfo.derive(changed, info);
  t.not(other.requests, info.requests);
  t.equal(other.requests.milliCPU, 1000);
  t.equal(other.nonZeroMemory, 200 * 1024 * 1024);
});
