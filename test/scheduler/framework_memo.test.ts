// The framework's memos (score records per node, partial sums, the filter-chain memo of passing
// nodes) must give exactly what running every plugin on every node gives: the same totals (added
// in plugin order when a score is fractional), the same first error in plugin order, and a
// rejection re-evaluated every time.
import t from 'tap';
import { type ExpandedProfile, EXTENSION_POINTS, Framework } from '../../src/scheduler/framework/runtime.js';
import { type MaybeStatus, Status, Code, unschedulable } from '../../src/scheduler/framework/status.js';
import { type AnyPlugin, CycleState, MAX_NODE_SCORE, type NodeInfo, type NodeScore, PodInfo } from '../../src/scheduler/framework/types.js';
import { defaultNormalizeScore, defaultNormalizeScoreValues } from '../../src/scheduler/plugins/helper/normalize_score.js';
import { Prng } from '../../src/engine/prng.js';
import { SchedulerCache } from '../../src/scheduler/cache.js';
import { selectHost } from '../../src/scheduler/schedule_one.js';
import { makeNode, makePod, nodeInfo, podWithRequests } from './fixtures.js';

function framework(plugins: AnyPlugin[], weights: Record<string, number> = {}): Framework {
  const all: AnyPlugin[] = [{ name: 'sort', less: () => false }, { name: 'bind', bind: () => null }, ...plugins];
  const points = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, [] as string[]])) as ExpandedProfile['points'];
  points.queueSort.push('sort');
  points.bind.push('bind');
  for (const p of plugins) {
    if (p.filter) points.filter.push(p.name);
    if (p.score) points.score.push(p.name);
  }
  return new Framework({ schedulerName: 'memo-test', percentageOfNodesToScore: undefined, plugins: new Map(all.map((p) => [p.name, p])), points, weights: new Map(Object.entries(weights)) });
}

/** A signed score plugin: score = f(node), counting calls. */
function scorer(name: string, f: (n: NodeInfo) => number | Status, extra: Partial<AnyPlugin> = {}): AnyPlugin & { calls: number } {
  const p = {
    name,
    calls: 0,
    score(_s: CycleState, _p: PodInfo, n: NodeInfo) {
      p.calls++;
      return f(n);
    },
    scoreSignature: () => 'sig',
    ...extra,
  };
  return p;
}

/** Totals as the plain algorithm computes them: each plugin on each node, in plugin order. */
function reference(plugins: AnyPlugin[], weights: number[], nodes: NodeInfo[]): number[] | string {
  const totals = nodes.map(() => 0);
  const state = new CycleState();
  const pod = PodInfo.of(makePod('p'));
  for (let pi = 0; pi < plugins.length; pi++) {
    const p = plugins[pi]!;
    const scores: NodeScore[] = [];
    for (const n of nodes) {
      const r = p.score!(state, pod, n);
      if (typeof r !== 'number') return `running Score plugin "${p.name}": ${r.message()}`;
      scores.push({ name: n.name, score: r });
    }
    if (p.normalizeScore) p.normalizeScore(state, pod, scores);
    for (let i = 0; i < nodes.length; i++) {
      const v = scores[i]!.score;
      if (v > MAX_NODE_SCORE || v < 0) return `plugin "${p.name}" returns an invalid score ${v}, it should in the range of [0, 100] after normalizing`;
      totals[i]! += v * weights[pi]!;
    }
  }
  return totals;
}

function run(fwk: Framework, nodes: NodeInfo[]): number[] | string {
  const { totals, status } = fwk.runScore(new CycleState(), PodInfo.of(makePod('p')), nodes);
  return status === null ? totals : status.message();
}

const nodes = (n: number) => Array.from({ length: n }, (_, i) => nodeInfo(makeNode(`n${i}`, { cpu: '4', memory: '8Gi', pods: '10' })));

t.test('memoised scores equal the plain computation, across cycles and node changes', async (t) => {
  const ns = nodes(6);
  const podCount = (n: NodeInfo) => n.pods.length;
  const a = scorer('a', (n) => 10 * podCount(n));
  const b = scorer('b', (n) => (podCount(n) % 3) * 7, { normalizeScore: (_s: CycleState, _p: PodInfo, sc: NodeScore[]) => defaultNormalizeScore(MAX_NODE_SCORE, true, sc) });
  const c: AnyPlugin = { name: 'c', score: (_s, _p, n) => 50 - podCount(n) };
  const plugins = [a, b, c];
  const fwk = framework(plugins, { a: 2, b: 3, c: 1 });
  for (let cycle = 0; cycle < 8; cycle++) {
    t.same(run(fwk, ns), reference(plugins, [2, 3, 1], ns), `cycle ${cycle}`);
    ns[cycle % ns.length]!.addPod(PodInfo.of(podWithRequests(`q${cycle}`, { cpu: '1' })));
  }
  run(fwk, ns);
  const before = a.calls;
  run(fwk, ns);
  t.equal(a.calls - before, 0, 'unchanged nodes are not scored again');
  ns[0]!.addPod(PodInfo.of(podWithRequests('extra', { cpu: '1' })));
  run(fwk, ns);
  t.equal(a.calls - before, 1, 'a changed node is scored again');
});

t.test('fractional scores are summed in plugin order', async (t) => {
  const ns = nodes(4);
  const plugins = [scorer('i', () => 37), scorer('f', (n) => 33.333333333333336 + n.id * 1e-9), scorer('j', () => 99)];
  const fwk = framework(plugins, { i: 3, f: 7, j: 5 });
  for (let k = 0; k < 3; k++) t.same(run(fwk, ns), reference(plugins, [3, 7, 5], ns));
  const norm = [scorer('x', () => 41), scorer('y', (n) => n.id % 7, { normalizeScore: (_s: CycleState, _p: PodInfo, sc: NodeScore[]) => {
    for (const s of sc) s.score = s.score / 3;
    return null;
  } }), scorer('z', () => 2)];
  const fwk2 = framework(norm, { x: 1, y: 1, z: 1 });
  for (let k = 0; k < 3; k++) t.same(run(fwk2, ns), reference(norm, [1, 1, 1], ns), 'fractional normalised scores');
});

t.test('errors: the first failing plugin in plugin order, also from the memo', async (t) => {
  const ns = nodes(3);
  const failing = (name: string, at: string) => scorer(name, (n) => (n.name === at ? new Status(Code.Error, `${name} failed`) : 1));
  const unsigned: AnyPlugin = { name: 'u', score: (_s, _p, n) => (n.name === 'n2' ? new Status(Code.Error, 'u failed') : 1) };
  let plugins: AnyPlugin[] = [unsigned, failing('m', 'n0')];
  t.same(run(framework(plugins), ns), reference(plugins, [1, 1], ns));
  plugins = [failing('m1', 'n2'), failing('m2', 'n0')];
  t.same(run(framework(plugins), ns), reference(plugins, [1, 1], ns));
  plugins = [scorer('ok', () => 1), unsigned, scorer('out', () => 101)];
  t.same(run(framework(plugins), ns), reference(plugins, [1, 1, 1], ns));
  plugins = [scorer('ok', () => 1), scorer('out', () => 101), unsigned];
  const fwk = framework(plugins);
  for (let k = 0; k < 2; k++) t.same(run(fwk, ns), reference(plugins, [1, 1, 1], ns), 'out of range from a memoised record');
});

t.test('normalizeScoreValues equals DefaultNormalizeScore', async (t) => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let k = 0; k < 200; k++) {
    const n = 1 + (next() % 20);
    const raw = Array.from({ length: n }, () => (k % 5 === 0 ? 0 : next() % 1000));
    for (const reverse of [false, true]) {
      const objs = raw.map((score, i) => ({ name: `n${i}`, score }));
      defaultNormalizeScore(MAX_NODE_SCORE, reverse, objs);
      const arr = Float64Array.from([...raw, 12345]);
      defaultNormalizeScoreValues(MAX_NODE_SCORE, reverse, arr, n);
      t.same(Array.from(arr), [...objs.map((o) => o.score), 12345]);
    }
  }
});

t.test('filter chain memo: passes are reused while node and signatures stay, rejections always re-run', async (t) => {
  const ns = nodes(3);
  let calls = 0;
  let sig = 's1';
  const f: AnyPlugin = {
    name: 'f',
    filter: (_s, _p, n): MaybeStatus => {
      calls++;
      return n.pods.length >= 1 ? unschedulable('full') : null;
    },
    filterSignature: () => sig,
  };
  const fwk = framework([f]);
  const pod = PodInfo.of(makePod('p'));
  const cycle = (): string[] => {
    const state = new CycleState();
    const memo = fwk.filterChain(state, pod);
    t.not(memo, null);
    const out: string[] = [];
    for (const n of ns) {
      if (memo!.passed(n)) {
        out.push(n.name);
        continue;
      }
      if (fwk.runFilter(state, pod, n) === null) {
        memo!.pass(n);
        out.push(n.name);
      }
    }
    return out;
  };
  t.same(cycle(), ['n0', 'n1', 'n2']);
  t.equal(calls, 3);
  t.same(cycle(), ['n0', 'n1', 'n2']);
  t.equal(calls, 3, 'passes reused');
  ns[1]!.addPod(PodInfo.of(podWithRequests('x', { cpu: '1' })));
  t.same(cycle(), ['n0', 'n2']);
  t.equal(calls, 4, 'the changed node is filtered again');
  t.same(cycle(), ['n0', 'n2']);
  t.equal(calls, 5, 'a rejection is filtered again');
  sig = 's2';
  t.same(cycle(), ['n0', 'n2']);
  t.equal(calls, 8, 'another signature filters every node');
  const unsigned = framework([f, { name: 'g', filter: () => null }]);
  t.equal(unsigned.filterChain(new CycleState(), pod), null, 'no memo when a filter has no signature');
});

t.test('runScore with detail reports every plugin, memoised or not', async (t) => {
  const ns = nodes(3);
  const plugins = [scorer('a', (n) => n.id % 5), scorer('b', () => 7, { normalizeScore: (_s: CycleState, _p: PodInfo, sc: NodeScore[]) => defaultNormalizeScore(MAX_NODE_SCORE, false, sc) }), scorer('c', () => 9)];
  const fwk = framework(plugins, { a: 1, b: 2, c: 3 });
  run(fwk, ns);
  const { totals, detail, status } = fwk.runScore(new CycleState(), PodInfo.of(makePod('p')), ns, true);
  t.equal(status, null);
  t.same(totals, reference(plugins, [1, 2, 3], ns));
  t.same(detail.map((d) => d.plugin), ['a', 'b', 'c']);
  t.same(detail[1]!.raw, [7, 7, 7]);
  t.same(detail[1]!.normalized, [100, 100, 100]);
  t.same(detail[2]!.normalized, [9, 9, 9]);
});

t.test('selectHostMemoised picks the host scoring then selectHost picks, or declines without drawing', async (t) => {
  // Cycles over a scheduler cache's changing nodes, on a changing subset of them (the feasible
  // ones), with plugins that sometimes make the fast path decline: a normalising plugin whose raw
  // scores differ between nodes, a fractional score, an unsigned plugin.
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let taken = 0;
  let declined = 0;
  for (let round = 0; round < 60; round++) {
    const cache = new SchedulerCache();
    const count = 1 + (next() % 12);
    for (let i = 0; i < count; i++) cache.addOrUpdateNode(makeNode(`n${i}`, { cpu: '4', memory: '8Gi', pods: '10' }));
    const podCount = (n: NodeInfo) => n.pods.length;
    const varying = round % 4 === 1;
    const fractional = round % 6 === 2;
    const plugins: AnyPlugin[] = [
      scorer('a', (n) => (podCount(n) * 13) % 7),
      scorer('b', (n) => (varying ? n.id % 3 : 4), { normalizeScoreValues: (_s: CycleState, _p: PodInfo, sc: Float64Array, n: number) => defaultNormalizeScoreValues(MAX_NODE_SCORE, true, sc, n), normalizeScore: (_s: CycleState, _p: PodInfo, sc: NodeScore[]) => defaultNormalizeScore(MAX_NODE_SCORE, true, sc) }),
      scorer('c', () => (fractional ? 2.5 : 2)),
    ];
    if (round % 10 === 3) plugins.push({ name: 'u', score: () => 1 });
    const fwk = framework(plugins, { a: 2, b: 1, c: 3 });
    for (let cycle = 0; cycle < 8; cycle++) {
      const list = cache.list();
      const positions = Int32Array.from(list.keys()).filter((i) => cycle % 3 !== 1 || i % 2 === 0);
      const ns = Array.from(positions, (i) => list[i]!);
      const scan = { index: cache, list, positions };
      const s = next();
      const fast = new Prng(s, 'select');
      const slow = new Prng(s, 'select');
      const pod = PodInfo.of(makePod('p'));
      const host = fwk.selectHostMemoised(new CycleState(), pod, ns, scan, fast);
      const { totals, status } = fwk.scoreNodes(new CycleState(), pod, ns, null);
      t.equal(status, null);
      const expected = selectHost(ns, Array.from(totals.subarray(0, ns.length)), slow);
      if (host === undefined) {
        declined++;
        t.equal(fast.nextU32(), new Prng(s, 'select').nextU32(), 'declining draws nothing');
      } else {
        taken++;
        t.equal(host, expected, `round ${round} cycle ${cycle}`);
        t.equal(fast.nextU32(), slow.nextU32(), 'the same draws');
      }
      const pod2 = makePod(`q${round}-${cycle}`, { nodeName: `n${next() % count}`, containers: [{ name: 'c', image: 'img', resources: { requests: { cpu: '1' } } }] });
      cache.addPod(pod2);
    }
  }
  t.ok(taken > 150, `fast path taken (${taken})`);
  t.ok(declined > 30, `fast path declined (${declined})`);
});
