import t from 'tap';
import { Prng, PrngStreams } from '../../src/engine/prng.js';

t.test('same seed and stream, same draws', async (t) => {
  const a = new Prng(7, 'scheduler');
  const b = new Prng(7, 'scheduler');
  const da = Array.from({ length: 20 }, () => a.nextU32());
  const db = Array.from({ length: 20 }, () => b.nextU32());
  t.same(da, db);
});

t.test('streams are independent: drawing from one never shifts another', async (t) => {
  const s1 = new PrngStreams(3);
  const s2 = new PrngStreams(3);
  for (let i = 0; i < 100; i++) s1.stream('noise').nextU32();
  t.same(
    Array.from({ length: 10 }, () => s1.stream('replicaset').intn(1000)),
    Array.from({ length: 10 }, () => s2.stream('replicaset').intn(1000)),
  );
});

t.test('different seeds and names differ', async (t) => {
  t.not(new Prng(1, 'a').nextU32(), new Prng(2, 'a').nextU32());
  t.not(new Prng(1, 'a').nextU32(), new Prng(1, 'b').nextU32());
});

t.test('intn is in range and roughly uniform', async (t) => {
  const r = new Prng(11, 'u');
  const counts = new Array<number>(6).fill(0);
  for (let i = 0; i < 60_000; i++) counts[r.intn(6)]!++;
  for (const c of counts) t.ok(c > 9_000 && c < 11_000, `bucket ${c}`);
  t.throws(() => r.intn(0));
});
