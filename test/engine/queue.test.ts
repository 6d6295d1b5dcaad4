import t from 'tap';
import fc from 'fast-check';
import { EventQueue } from '../../src/engine/queue.js';

t.test('orders by time, then insertion order', async (t) => {
  const q = new EventQueue();
  const seen: string[] = [];
  q.push(10, 'a', () => seen.push('a10'));
  q.push(5, 'b', () => seen.push('b5'));
  q.push(10, 'c', () => seen.push('c10'));
  q.push(5, 'd', () => seen.push('d5'));
  q.push(0, 'e', () => seen.push('e0'));
  for (let e = q.pop(); e; e = q.pop()) e.run();
  t.same(seen, ['e0', 'b5', 'd5', 'a10', 'c10']);
});

t.test('property: pops are sorted by (time, seq) for any pushes', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
      const q = new EventQueue();
      times.forEach((tm) => q.push(tm, 'x', () => {}));
      let prev: { timeMs: number; seq: number } | undefined;
      let n = 0;
      for (let e = q.pop(); e; e = q.pop()) {
        if (prev && (e.timeMs < prev.timeMs || (e.timeMs === prev.timeMs && e.seq < prev.seq))) return false;
        prev = e;
        n++;
      }
      return n === times.length;
    }),
    { seed: 42, numRuns: 300 },
  );
  t.pass('sorted');
});
