// selectHost (pkg/scheduler/schedule_one.go): the host is one of the nodes with the top total
// score, each of them equally likely; upstream draws with math/rand (reservoir sampling),
// kubedrill with one draw from the seeded stream.
import t from 'tap';
import { Prng } from '../../src/engine/prng.js';
import { NodeInfo } from '../../src/scheduler/framework/types.js';
import { selectHost } from '../../src/scheduler/schedule_one.js';
import { makeNode } from './fixtures.js';

const nodes = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => new NodeInfo(makeNode(n)));

t.test('a single top score wins, wherever it is', async (t) => {
  const rng = new Prng(1, 'test');
  t.equal(selectHost(nodes, [5, 1, 1, 1, 1, 1], rng), 'a');
  t.equal(selectHost(nodes, [1, 1, 1, 1, 1, 9], rng), 'f');
  t.equal(selectHost(nodes, [3, 7, 2, 6, 7.5, 0], rng), 'e');
});

t.test('ties: only top-scored nodes, each about equally often', async (t) => {
  const rng = new Prng(7, 'test');
  const totals = [10, 80, 30, 80, 80, 79];
  const seen = new Map<string, number>();
  const draws = 30_000;
  for (let i = 0; i < draws; i++) {
    const host = selectHost(nodes, totals, rng);
    seen.set(host, (seen.get(host) ?? 0) + 1);
  }
  t.same([...seen.keys()].sort(), ['b', 'd', 'e'], 'never a node below the top score');
  for (const [host, n] of seen) t.ok(Math.abs(n / draws - 1 / 3) < 0.02, `${host}: ${n} of ${draws}`);
});

t.test('the same seed gives the same choices', async (t) => {
  const choices = (seed: number) => {
    const rng = new Prng(seed, 'scheduler/select-host');
    return Array.from({ length: 50 }, () => selectHost(nodes, [1, 1, 1, 1, 1, 1], rng)).join('');
  };
  t.equal(choices(3), choices(3));
  t.not(choices(3), choices(4));
});
