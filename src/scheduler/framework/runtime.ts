// One scheduling profile's plugins at each extension point, and the code that runs them.
// Follows pkg/scheduler/framework/runtime/framework.go (v1.35): MultiPoint expansion, the order
// of extension points, first-failure Filter, Score → NormalizeScore → range check → × weight.
import type { Prng } from '../../engine/prng.js';
import { KeyInterner } from './intern.js';
import { CODE_NAMES, Code, type MaybeStatus, SKIP, Status, asError } from './status.js';
import {
  type AnyPlugin,
  type BindPlugin,
  type ClusterEventWithHint,
  type CycleState,
  type FilterPlugin,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type FeasibleScan,
  type NodeInfo,
  type NodeListIndex,
  type NodeScore,
  type NodeToStatus,
  type PermitPlugin,
  type PodInfo,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueueSortPlugin,
  type QueuedPodInfo,
  type ReservePlugin,
  type ScorePlugin,
} from './types.js';

export const EXTENSION_POINTS = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** The method a plugin must have to sit at an extension point. */
export const EXTENSION_METHOD: Record<ExtensionPoint, keyof AnyPlugin> = {
  preEnqueue: 'preEnqueue',
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  preBind: 'preBind',
  bind: 'bind',
  postBind: 'postBind',
};

/** A profile after MultiPoint expansion: plugin instances in order at each point. */
export interface ExpandedProfile {
  schedulerName: string;
  percentageOfNodesToScore: number | undefined;
  plugins: Map<string, AnyPlugin>;
  points: Record<ExtensionPoint, string[]>;
  /** Score weights by plugin name. */
  weights: Map<string, number>;
}

/** One plugin's scores for the nodes of a cycle (for explain). */
export interface PluginScores {
  plugin: string;
  weight: number;
  raw: number[];
  normalized: number[];
}

/**
 * Raw scores by node id for the score plugins that declare a signature, valid while the node's
 * generation and the cycle's combination of signatures match. One check per node serves every
 * memoised plugin. Per node id, a small "hot" record (generation, combination id, the weighted
 * sum of the memoised plugins without NormalizeScore or NaN when one of their scores is not an
 * integer in [MinNodeScore, MaxNodeScore], the raw score of the first memoised plugin with
 * NormalizeScore, and a number standing for all their raw scores) read every cycle, and a "cold" record of every plugin's raw score, read only
 * when the hot one is not enough. Small hot records keep the scan within few cache lines.
 */
/** pkg/scheduler/framework/runtime/framework.go maxTimeout: the longest a Permit plugin may hold a pod. */
export const MAX_PERMIT_TIMEOUT_MS = 15 * 60_000;

/** A hot record's fields: generation, combination, weighted sum, first rowed raw score, and the
 *  rowed plugins' raw scores as one number (equal numbers: equal raw scores). */
const HOT = 5;

class ScoreMemo {
  hot = new Float64Array(0);
  cold = new Float64Array(0);
  constructor(readonly plugins: number) {}

  /** Offset of node `id`'s hot record when it holds scores for this generation and combination, else -1. */
  find(id: number, generation: number, combo: number): number {
    const d = this.hot;
    const o = id * HOT;
    return o < d.length && d[o] === generation && d[o + 1] === combo ? o : -1;
  }

  /** Offset of node `id`'s hot record, (re)stamped with this generation and combination. */
  stamp(id: number, generation: number, combo: number): number {
    const o = id * HOT;
    if (o >= this.hot.length) this.grow(id + 1);
    const d = this.hot;
    d[o] = generation;
    d[o + 1] = combo;
    return o;
  }

  private grow(minIds: number): void {
    const n = Math.max(minIds, (this.hot.length / HOT) * 2, 64);
    const hot = new Float64Array(n * HOT).fill(NaN);
    hot.set(this.hot);
    this.hot = hot;
    const cold = new Float64Array(n * this.plugins).fill(NaN);
    cold.set(this.cold);
    this.cold = cold;
  }
}

/**
 * Nodes that passed every active Filter plugin, by node id: (generation, chain id) per node. A
 * record is current while the node's generation and the cycle's chain (the active filter plugins
 * and their signatures) match; only passes are kept, so a rejection always runs the plugins.
 */
export class FilterMemo {
  private data = new Float64Array(0);
  /** The current cycle's chain id (0: no memo this cycle). */
  chain = 0;

  passed(node: NodeInfo): boolean {
    return this.passedAt(node.id, node.generation);
  }

  /** passed() for the node with this id at this generation. */
  passedAt(id: number, generation: number): boolean {
    const o = id * 2;
    const d = this.data;
    return o < d.length && d[o] === generation && d[o + 1] === this.chain;
  }

  pass(node: NodeInfo): void {
    const o = node.id * 2;
    if (o >= this.data.length) {
      const b = new Float64Array(Math.max(o + 2, this.data.length * 2, 128)).fill(NaN);
      b.set(this.data);
      this.data = b;
    }
    this.data[o] = node.generation;
    this.data[o + 1] = this.chain;
  }
}

/**
 * What the memos say of each position of the holder's node list, for one filter chain or one
 * score combination, kept current through the holder's change log (NodeListIndex.changesSince)
 * instead of a generation check per node: a scan over hundreds of nodes then reads one small
 * typed array. A change of list or of key starts it afresh; so does a change log that ran over.
 */
abstract class PositionCache {
  private list: readonly NodeInfo[] | null = null;
  private key = -1;
  private seen = 0;
  /** List position by node id (-1: not in the list). */
  private positionOf = new Int32Array(0);

  /** Brings the cache to this list, key and the index's latest changes. */
  sync(list: readonly NodeInfo[], ids: Int32Array, key: number, index: NodeListIndex): void {
    if (list !== this.list || key !== this.key || !index.changesSince(this.seen, this.forgetId)) {
      this.list = list;
      this.key = key;
      let maxId = -1;
      for (let i = 0; i < ids.length; i++) if (ids[i]! > maxId) maxId = ids[i]!;
      if (this.positionOf.length < maxId + 1) this.positionOf = new Int32Array(Math.max(maxId + 1, this.positionOf.length * 2));
      this.positionOf.fill(-1);
      for (let i = 0; i < ids.length; i++) this.positionOf[ids[i]!] = i;
      this.reset(list.length);
    }
    this.seen = index.changeCount;
  }

  private readonly forgetId = (id: number): void => {
    const pos = id < this.positionOf.length ? this.positionOf[id]! : -1;
    if (pos >= 0) this.forget(pos);
  };

  /** Forget every position (the list has n nodes). */
  protected abstract reset(n: number): void;
  protected abstract forget(pos: number): void;
}

/** Positions whose node passed the chain's filters (1), as FilterMemo says. */
export class FilterPositions extends PositionCache {
  passed = new Uint8Array(0);

  protected reset(n: number): void {
    if (this.passed.length < n) this.passed = new Uint8Array(Math.max(n, this.passed.length * 2));
    else this.passed.fill(0);
  }

  protected forget(pos: number): void {
    this.passed[pos] = 0;
  }
}

/** Per position, the memoised weighted sum (NaN: not known) and rowed key of the combination. */
class ScorePositions extends PositionCache {
  sums = new Float64Array(0);
  keys = new Float64Array(0);

  protected reset(n: number): void {
    if (this.sums.length < n) {
      this.sums = new Float64Array(Math.max(n, this.sums.length * 2));
      this.keys = new Float64Array(this.sums.length);
    }
    this.sums.fill(NaN);
  }

  protected forget(pos: number): void {
    this.sums[pos] = NaN;
  }
}

/** A few position caches by key, the least recently made dropped first. */
class PositionCaches<C extends PositionCache> {
  private readonly byKey = new Map<number, C>();
  constructor(private readonly make: () => C) {}

  get(list: readonly NodeInfo[], ids: Int32Array, key: number, index: NodeListIndex): C {
    let c = this.byKey.get(key);
    if (c === undefined) {
      if (this.byKey.size >= POSITION_CACHES) this.byKey.delete(this.byKey.keys().next().value!);
      this.byKey.set(key, (c = this.make()));
    }
    c.sync(list, ids, key, index);
    return c;
  }
}

/** Position caches kept per framework and kind (chains or combinations used in turn). */
const POSITION_CACHES = 4;

export class Framework {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly preEnqueuePlugins: PreEnqueuePlugin[];
  readonly queueSort: QueueSortPlugin;
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly postFilterPlugins: PostFilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: ScorePlugin[];
  readonly scoreWeights: number[];
  /** The score plugins' raw scores by node id (see ScorePlugin.scoreSignature). */
  private readonly scoreMemo: ScoreMemo;
  /** Per score plugin: does it have a NormalizeScore? */
  private readonly normalizes: boolean[];
  readonly reservePlugins: ReservePlugin[];
  readonly permitPlugins: PermitPlugin[];
  readonly preBindPlugins: PreBindPlugin[];
  readonly bindPlugins: BindPlugin[];
  readonly postBindPlugins: PostBindPlugin[];
  readonly plugins: Map<string, AnyPlugin>;

  constructor(profile: ExpandedProfile) {
    this.schedulerName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.plugins = profile.plugins;
    const at = <T>(point: ExtensionPoint): T[] => profile.points[point].map((n) => profile.plugins.get(n) as T);
    this.preEnqueuePlugins = at('preEnqueue');
    const sorts = at<QueueSortPlugin>('queueSort');
    if (sorts.length !== 1) throw new Error(`profile ${profile.schedulerName}: exactly one queueSort plugin is required, got ${sorts.length}`);
    this.queueSort = sorts[0]!;
    this.preFilterPlugins = at('preFilter');
    this.filterPlugins = at('filter');
    this.postFilterPlugins = at('postFilter');
    this.preScorePlugins = at('preScore');
    this.scorePlugins = at('score');
    this.scoreWeights = profile.points.score.map((n) => profile.weights.get(n) ?? 1);
    this.scoreMemo = new ScoreMemo(this.scorePlugins.length);
    this.normalizes = this.scorePlugins.map((p) => p.normalizeScore !== undefined || p.normalizeScoreValues !== undefined);
    this.reservePlugins = at('reserve');
    this.permitPlugins = at('permit');
    this.preBindPlugins = at('preBind');
    this.bindPlugins = at('bind');
    if (this.bindPlugins.length === 0) throw new Error(`profile ${profile.schedulerName}: at least one bind plugin is required`);
    this.postBindPlugins = at('postBind');
  }

  /** Events each plugin registered, for moving unschedulable pods back (queueing). */
  eventsByPlugin(): Map<string, readonly ClusterEventWithHint[]> {
    const m = new Map<string, readonly ClusterEventWithHint[]>();
    for (const [name, p] of this.plugins) if (p.eventsToRegister) m.set(name, p.eventsToRegister());
    return m;
  }

  runPreEnqueue(pod: PodInfo): MaybeStatus {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue(pod);
      if (s !== null && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    return this.queueSort.less(a, b);
  }

  /**
   * RunPreFilterPlugins: the intersection of the plugins' node sets; a plugin returning Skip has
   * its Filter skipped; the first rejection ends the run.
   */
  runPreFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result: PreFilterResult; status: MaybeStatus; narrowedBy: string[] } {
    let nodeNames: Set<string> | undefined;
    const pluginsWithNodes: string[] = [];
    for (const p of this.preFilterPlugins) {
      const { result, status } = p.preFilter(state, pod, nodes);
      if (status !== null && status.code === Code.Skip) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status !== null && status.code !== Code.Success) {
        if (status.isRejected()) return { result: {}, status: status.withPlugin(p.name), narrowedBy: pluginsWithNodes };
        return { result: {}, status: asError(`running PreFilter plugin "${p.name}": ${status.message()}`).withPlugin(p.name), narrowedBy: pluginsWithNodes };
      }
      if (result?.nodeNames) {
        pluginsWithNodes.push(p.name);
        nodeNames = nodeNames === undefined ? new Set(result.nodeNames) : new Set([...nodeNames].filter((n) => result.nodeNames!.has(n)));
        if (nodeNames.size === 0) {
          const msg = `node(s) didn't satisfy plugin(s) [${pluginsWithNodes.join(' ')}] simultaneously`;
          return { result: {}, status: new Status(Code.UnschedulableAndUnresolvable, msg).withPlugin(pluginsWithNodes.join(',')), narrowedBy: pluginsWithNodes };
        }
      }
    }
    return { result: nodeNames ? { nodeNames } : {}, status: null, narrowedBy: pluginsWithNodes };
  }

  /** RunFilterPlugins: the first plugin that does not return Success decides. */
  runFilter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const plugins = this.activeFilters(state);
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      const s = p.filter(state, pod, node);
      if (s !== null && s.code !== Code.Success) {
        if (!s.isRejected()) return asError(`running "${p.name}" filter plugin: ${s.message()}`).withPlugin(p.name);
        return s.withPlugin(p.name);
      }
    }
    return null;
  }

  /**
   * RunFilterPluginsWithNominatedPods: when pods of equal or higher priority are nominated to the
   * node, filter once with them added (to state and node copies) and, if that passes, once
   * without them, so the pod fits both with and without them.
   */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo, nominated: readonly PodInfo[]): MaybeStatus {
    const priority = pod.pod.spec.priority ?? 0;
    const extra = nominated.filter((p) => p.key !== pod.key && (p.pod.spec.priority ?? 0) >= priority);
    if (extra.length === 0) return this.runFilter(state, pod, node);
    const stateWith = state.clone();
    const nodeWith = node.clone();
    for (const p of extra) {
      nodeWith.addPod(p);
      const s = this.runPreFilterAddPod(stateWith, pod, p, nodeWith);
      if (s !== null) return s;
    }
    const first = this.runFilter(stateWith, pod, nodeWith);
    if (first !== null) return first;
    return this.runFilter(state, pod, node);
  }

  runPreFilterAddPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): MaybeStatus {
    for (const p of this.preFilterPlugins) {
      if (!p.addPod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.addPod(state, pod, added, node);
      if (s !== null && s.code !== Code.Success) return asError(`running AddPod on PreFilter plugin "${p.name}": ${s.message()}`).withPlugin(p.name);
    }
    return null;
  }

  runPreFilterRemovePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): MaybeStatus {
    for (const p of this.preFilterPlugins) {
      if (!p.removePod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.removePod(state, pod, removed, node);
      if (s !== null && s.code !== Code.Success) return asError(`running RemovePod on PreFilter plugin "${p.name}": ${s.message()}`).withPlugin(p.name);
    }
    return null;
  }

  private readonly filterMemo = new FilterMemo();
  private readonly filterPositionCaches = new PositionCaches(() => new FilterPositions());
  private readonly scorePositionCaches = new PositionCaches(() => new ScorePositions());

  /** The list positions that passed this cycle's chain (after filterChain gave the memo). */
  filterPositions(list: readonly NodeInfo[], ids: Int32Array, index: NodeListIndex): FilterPositions {
    return this.filterPositionCaches.get(list, ids, this.filterMemo.chain, index);
  }
  private readonly chainIds = new Map<string, number>();

  /**
   * The memo of nodes that passed this cycle's filter chain, when every active Filter plugin
   * declares a signature (FilterPlugin.filterSignature); null otherwise. Only for the plain
   * RunFilterPlugins of a cycle (no nominated pods, the cycle's own state).
   */
  filterChain(state: CycleState, pod: PodInfo): FilterMemo | null {
    const plugins = this.activeFilters(state);
    const sigs = this.chainSigs;
    // The previous cycle's chain again (same plugins, same signatures): no key to build.
    const last = this.lastChainPlugins;
    let same = last.length === plugins.length;
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      const sig = p.filterSignature?.(state, pod);
      if (sig === undefined) {
        last.length = 0;
        return null;
      }
      if (same && (last[i] !== p || sigs[i] !== sig)) same = false;
      sigs[i] = sig;
    }
    if (!same || plugins.length === 0) {
      let key = '';
      for (let i = 0; i < plugins.length; i++) key += `${plugins[i]!.name}=${sigs[i]!}\n`;
      let id = this.chainIds.get(key);
      if (id === undefined) this.chainIds.set(key, (id = this.chainIds.size + 1));
      this.filterMemo.chain = id;
      last.length = plugins.length;
      for (let i = 0; i < plugins.length; i++) last[i] = plugins[i]!;
    }
    return this.filterMemo;
  }

  /** The previous cycle's chain: its plugins and their signatures (plugins empty: none). */
  private readonly chainSigs: string[] = [];
  private readonly lastChainPlugins: FilterPlugin[] = [];

  /** The filter plugins PreFilter did not skip, computed once per cycle. */
  private activeFilters(state: CycleState): readonly FilterPlugin[] {
    if (state.activeFilters === undefined) {
      const skip = state.skipFilterPlugins;
      state.activeFilters = skip.size === 0 ? this.filterPlugins : this.filterPlugins.filter((p) => !skip.has(p.name));
    }
    return state.activeFilters as readonly FilterPlugin[];
  }

  /** Every filter's verdict on a node, without stopping at the first failure (explain). */
  runAllFilters(state: CycleState, pod: PodInfo, node: NodeInfo): Array<{ plugin: string; status: MaybeStatus; skipped: boolean }> {
    return this.filterPlugins.map((p) => {
      if (state.skipFilterPlugins.has(p.name)) return { plugin: p.name, status: null, skipped: true };
      return { plugin: p.name, status: p.filter(state, pod, node), skipped: false };
    });
  }

  /** RunPostFilterPlugins: the first success wins; a nominatedNodeName of "" clears the pod's
   *  nomination (preemption found no candidate). */
  runPostFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { nominatedNodeName?: string; status: MaybeStatus } {
    const reasons: string[] = [];
    let nominated: string | undefined;
    let rejector = '';
    for (const p of this.postFilterPlugins) {
      const { result, status } = p.postFilter(state, pod, statuses);
      const nom = result?.nominatedNodeName;
      if (status === null || status.code === Code.Success) return { ...(nom !== undefined ? { nominatedNodeName: nom } : {}), status: null };
      if (status.code === Code.UnschedulableAndUnresolvable) return { ...(nom !== undefined ? { nominatedNodeName: nom } : {}), status: status.withPlugin(p.name) };
      if (!status.isRejected()) return { status: asError(`running PostFilter plugin "${p.name}": ${status.message()}`).withPlugin(p.name) };
      if (nom !== undefined) nominated = nom;
      reasons.push(...status.reasons);
      if (rejector === '') rejector = p.name;
    }
    return { ...(nominated !== undefined ? { nominatedNodeName: nominated } : {}), status: new Status(Code.Unschedulable, ...reasons).withPlugin(rejector) };
  }

  hasPostFilter(): boolean {
    return this.postFilterPlugins.length > 0;
  }

  runPreScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s === null || s.code === Code.Success) continue;
      if (s.code === Code.Skip) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      return asError(`running PreScore plugin "${p.name}": ${s.message()}`).withPlugin(p.name);
    }
    return null;
  }

  /**
   * RunScorePlugins: per plugin, raw scores for every node, then NormalizeScore, then the range
   * check and the weight. `totals[i]` is the weighted sum for nodes[i].
   */
  runScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], keepDetail = false): { totals: number[]; detail: PluginScores[]; status: MaybeStatus } {
    const detail: PluginScores[] = [];
    const buf = this.scoreNodes(state, pod, nodes, keepDetail ? detail : null);
    const totals = Array.from(buf.totals.subarray(0, nodes.length));
    return { totals, detail, status: buf.status };
  }

  private totalsBuf = new Float64Array(64);
  /** Per score plugin, the cycle's scores (raw, then normalised in place). */
  private rows: Float64Array[] = [];
  private readonly sigs: number[] = [];
  private readonly comboIds = new Map<string, number>();

  /**
   * runScore into reused buffers: `totals` (valid for nodes.length entries) is overwritten by the
   * next call. No allocation per node: scores go to typed arrays; NodeScore objects are filled
   * only for plugins that normalise without normalizeScoreValues.
   * Plugins with a signature are scored node by node from one memo record per node; a Score error
   * among them sends the cycle through the plugin-by-plugin path, so the error reported is the
   * one of the first failing plugin, in plugin order (as without the memo).
   */
  scoreNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], detail: PluginScores[] | null): { totals: Float64Array; status: MaybeStatus } {
    const n = nodes.length;
    const plugins = this.scorePlugins;
    const np = plugins.length;
    if (this.totalsBuf.length < n || this.rows.length !== np) {
      const size = Math.max(n, this.totalsBuf.length * 2);
      this.totalsBuf = new Float64Array(size);
      this.rows = plugins.map(() => new Float64Array(size));
    }
    const totals = this.totalsBuf;
    const rows = this.rows;
    totals.fill(0, 0, n);
    const sigs = this.sigs;
    const comboKey = this.signatures(state, pod);
    // 0: no memo; 1: memoised raw scores in the rows; 2: as 1, and the memoised plugins without
    // NormalizeScore already summed into totals (exact: every term is an integer).
    let memoMode = 0;
    if (comboKey !== '') {
      const combo = this.comboId(comboKey);
      // With detail wanted, every plugin's row is reported: no partial sums.
      memoMode = this.scoreMemoised(state, pod, nodes, combo, detail === null && !this.noPartialSums);
      if (memoMode === 3) return this.scoreNodesInOrder(state, pod, nodes, detail);
    }
    for (let pi = 0; pi < np; pi++) {
      const p = plugins[pi]!;
      const sig = sigs[pi]!;
      if (sig === -1) continue;
      if (memoMode === 2 && sig !== 0 && !this.normalizes[pi]) continue;
      const raw = rows[pi]!;
      if (sig === 0 || memoMode === 0) {
        for (let i = 0; i < n; i++) {
          const r = p.score(state, pod, nodes[i]!);
          if (typeof r !== 'number') return { totals, status: asError(`running Score plugin "${p.name}": ${r.message()}`).withPlugin(p.name) };
          raw[i] = r;
        }
      }
      const rawCopy = detail !== null ? Array.from(raw.subarray(0, n)) : [];
      if (p.normalizeScoreValues) {
        const s = p.normalizeScoreValues(state, pod, raw, n);
        if (s !== null && s.code !== Code.Success) return { totals, status: asError(`running Normalize on Score plugins: ${s.message()}`).withPlugin(p.name) };
      } else if (p.normalizeScore) {
        const scores = this.scratchScores(nodes, raw);
        const s = p.normalizeScore(state, pod, scores);
        if (s !== null && s.code !== Code.Success) return { totals, status: asError(`running Normalize on Score plugins: ${s.message()}`).withPlugin(p.name) };
        for (let i = 0; i < n; i++) raw[i] = scores[i]!.score;
      }
      const weight = this.scoreWeights[pi]!;
      for (let i = 0; i < n; i++) {
        const v = raw[i]!;
        if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) {
          return { totals, status: asError(`plugin "${p.name}" returns an invalid score ${v}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`).withPlugin(p.name) };
        }
        if (memoMode === 2 && (v | 0) !== v) {
          // A fractional score: the sums must be made in plugin order, as without the memo.
          return this.scoreNodesInOrder(state, pod, nodes, detail);
        }
        totals[i] += v * weight;
      }
      if (detail !== null) detail.push({ plugin: p.name, weight, raw: rawCopy, normalized: Array.from(raw.subarray(0, n)) });
    }
    return { totals, status: null };
  }

  /**
   * Each score plugin's signature id for this cycle into this.sigs (-1: skipped by PreScore; 0: no
   * signature), and the key of that combination ('' when no plugin has a signature).
   */
  private signatures(state: CycleState, pod: PodInfo): string {
    const plugins = this.scorePlugins;
    const skip = state.skipScorePlugins;
    const sigs = this.sigs;
    let memoised = false;
    for (let pi = 0; pi < plugins.length; pi++) {
      const p = plugins[pi]!;
      if (skip.size !== 0 && skip.has(p.name)) {
        sigs[pi] = -1;
        continue;
      }
      const sig = this.signatureId(pi, p.scoreSignature?.(state, pod));
      sigs[pi] = sig;
      if (sig !== 0) memoised = true;
    }
    return memoised ? this.comboKeys.key(sigs) : '';
  }

  private readonly comboKeys = new KeyInterner();

  private comboId(comboKey: string): number {
    let combo = this.comboIds.get(comboKey);
    if (combo === undefined) this.comboIds.set(comboKey, (combo = this.comboIds.size + 1));
    return combo;
  }

  /**
   * scoreNodes then selectHost, in one pass over the score memo that reads no NodeInfo (`scan`
   * places the nodes in the cache's list; their memoised sums are kept by list position), for the
   * common cycle that needs no score rows: every active score plugin is memoised, the weighted sum of those without NormalizeScore
   * is an exact integer on every node, and each plugin with NormalizeScore (through
   * normalizeScoreValues) gives every node the same raw score, which it normalises to one integer
   * in range. Every node's total is then its memoised sum plus one constant, so the top nodes,
   * their number and the draw among them are those of scoreNodes then selectHost.
   * Returns undefined, having drawn nothing, when the cycle is not such a cycle (or a plugin
   * returned an error): the caller then scores the general way.
   */
  selectHostMemoised(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scan: FeasibleScan, rng: Prng): string | undefined {
    const n = nodes.length;
    const plugins = this.scorePlugins;
    const np = plugins.length;
    if (n === 0 || np === 0) return undefined;
    const comboKey = this.signatures(state, pod);
    if (comboKey === '') return undefined;
    const sigs = this.sigs;
    for (let pi = 0; pi < np; pi++) if (sigs[pi] === 0) return undefined;
    const { active, rowed } = this.memoisedPlugins();
    for (const pi of rowed) if (plugins[pi]!.normalizeScoreValues === undefined) return undefined;
    const combo = this.comboId(comboKey);
    const memo = this.scoreMemo;
    const nr = rowed.length;
    const where = scan.positions;
    const ids = scan.index.idsOf(scan.list);
    if (ids === undefined) return undefined;
    const generations = scan.index.generations;
    const cache = this.scorePositionCaches.get(scan.list, ids, combo, scan.index);
    const sums = cache.sums;
    const keys = cache.keys;
    if (this.ties.length < n) this.ties = new Int32Array(Math.max(n, this.ties.length * 2));
    // The top-scored positions so far, in scan order.
    const ties = this.ties;
    let best = -Infinity;
    let count = 0;
    // The rowed plugins' raw scores (as one number) on the first node: every node must have the same.
    let rowedKey = NaN;
    for (let i = 0; i < n; i++) {
      const pos = where[i]!;
      let sum = sums[pos]!;
      if (sum !== sum) {
        const id = ids[pos]!;
        let o = memo.find(id, generations[id]!, combo);
        if (o < 0) o = this.memoise(state, pod, nodes[i]!, combo, active);
        if (o < 0) return undefined;
        sum = memo.hot[o + 2]!;
        // Not an exact integer sum: the general way.
        if (sum !== sum) return undefined;
        sums[pos] = sum;
        keys[pos] = memo.hot[o + 4]!;
      }
      if (nr > 0) {
        const key = keys[pos]!;
        if (i === 0) rowedKey = key;
        else if (key !== rowedKey) return undefined;
      }
      if (sum > best) {
        best = sum;
        count = 1;
        ties[0] = i;
      } else if (sum === best) ties[count++] = i;
    }
    // The constant each rowed plugin adds: its normalisation of n equal raw scores, as scoreNodes
    // would. The raw scores come from the first node's memo record (stamped again if another
    // combination has used it since).
    if (nr > 0) {
      if (this.normBuf.length < n) this.normBuf = new Float64Array(Math.max(n, this.normBuf.length * 2));
      const buf = this.normBuf;
      const id0 = ids[where[0]!]!;
      if (memo.find(id0, generations[id0]!, combo) < 0 && this.memoise(state, pod, nodes[0]!, combo, active) < 0) return undefined;
      const c = id0 * np;
      for (let k = 0; k < nr; k++) {
        buf.fill(memo.cold[c + rowed[k]!]!, 0, n);
        const s = plugins[rowed[k]!]!.normalizeScoreValues!(state, pod, buf, n);
        if (s !== null && s.code !== Code.Success) return undefined;
        const v = buf[0]!;
        if ((v | 0) !== v || v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) return undefined;
        for (let i = 1; i < n; i++) if (buf[i] !== v) return undefined;
      }
    }
    return nodes[ties[count === 1 ? 0 : rng.intn(count)]!]!.name;
  }

  /** This cycle's plugins with a signature (this.sigs > 0), in plugin order, and those of them
   *  with NormalizeScore (their scores go to rows). */
  private memoisedPlugins(): { active: number[]; rowed: number[] } {
    const active: number[] = [];
    const rowed: number[] = [];
    for (let pi = 0; pi < this.scorePlugins.length; pi++) {
      if (this.sigs[pi]! <= 0) continue;
      active.push(pi);
      if (this.normalizes[pi]) rowed.push(pi);
    }
    return { active, rowed };
  }

  private ties = new Int32Array(64);
  private normBuf = new Float64Array(64);

  /**
   * Scores `node` with the memoised plugins `active` (their sigs > 0) and stamps its memo record:
   * each raw score in the cold record; in the hot one the weighted sum of those without
   * NormalizeScore (NaN unless each is an integer in range) and the first rowed plugin's raw
   * score. Returns the hot record's offset, or -1 when a plugin returned an error.
   */
  private memoise(state: CycleState, pod: PodInfo, node: NodeInfo, combo: number, active: readonly number[]): number {
    const plugins = this.scorePlugins;
    const np = plugins.length;
    const normalizes = this.normalizes;
    const weights = this.scoreWeights;
    const memo = this.scoreMemo;
    const scratch = this.scoreScratch;
    for (let k = 0; k < active.length; k++) {
      const r = plugins[active[k]!]!.score(state, pod, node);
      if (typeof r !== 'number') return -1;
      scratch[k] = r;
    }
    const o = memo.stamp(node.id, node.generation, combo);
    const cold = memo.cold;
    const c = node.id * np;
    let sum = 0;
    let firstRowed = NaN;
    const rowedRaw = this.rowedScratch;
    rowedRaw.length = 0;
    for (let k = 0; k < active.length; k++) {
      const pi = active[k]!;
      const v = scratch[k]!;
      cold[c + pi] = v;
      if (!normalizes[pi]) sum = (v | 0) === v && v >= MIN_NODE_SCORE && v <= MAX_NODE_SCORE ? sum + v * weights[pi]! : NaN;
      else {
        if (rowedRaw.length === 0) firstRowed = v;
        rowedRaw.push(v);
      }
    }
    const hot = memo.hot;
    hot[o + 2] = sum;
    hot[o + 3] = firstRowed;
    hot[o + 4] = rowedRaw.length <= 1 ? firstRowed : this.rowedIds(this.rowedKeys.key(rowedRaw));
    return o;
  }

  private readonly scoreScratch: number[] = [];
  private readonly rowedScratch: number[] = [];
  private readonly rowedKeys = new KeyInterner();
  private readonly rowedKeyIds = new Map<string, number>();

  /** A number per distinct list of rowed raw scores. */
  private rowedIds(key: string): number {
    let id = this.rowedKeyIds.get(key);
    if (id === undefined) this.rowedKeyIds.set(key, (id = this.rowedKeyIds.size));
    return id;
  }

  /** scoreNodes without the partial sums: every plugin's weighted score added in plugin order. */
  private scoreNodesInOrder(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], detail: PluginScores[] | null): { totals: Float64Array; status: MaybeStatus } {
    this.noPartialSums = true;
    try {
      if (detail !== null) detail.length = 0;
      return this.scoreNodes(state, pod, nodes, detail);
    } finally {
      this.noPartialSums = false;
    }
  }

  private noPartialSums = false;

  /**
   * Raw scores of the plugins with a signature (this.sigs[pi] > 0), from the memo where it is
   * current. Returns 0 (nothing trusted) when a plugin returned an error; 1 when the rows hold
   * every memoised plugin's raw scores; 2 when, instead, the memoised plugins without
   * NormalizeScore are already weighted and summed into totals (only the others' rows are set);
   * 3 when partial sums were wanted but one is not exact (start again without them).
   */
  private scoreMemoised(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], combo: number, partial: boolean): number {
    const memo = this.scoreMemo;
    const plugins = this.scorePlugins;
    const np = plugins.length;
    const rows = this.rows;
    const totals = this.totalsBuf;
    const { active, rowed } = this.memoisedPlugins();
    const na = active.length;
    const nr = rowed.length;
    const row0 = nr > 0 ? rows[rowed[0]!]! : null;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const id = node.id;
      const generation = node.generation;
      let o = memo.find(id, generation, combo);
      if (o < 0) {
        o = this.memoise(state, pod, node, combo, active);
        if (o < 0) return 0;
      }
      const hot = memo.hot;
      if (partial) {
        const sum = hot[o + 2]!;
        // Not an exact integer sum: start again, without partial sums.
        if (sum !== sum) return 3;
        totals[i] = sum;
        if (nr === 0) continue;
        row0![i] = hot[o + 3]!;
        if (nr === 1) continue;
        const c = id * np;
        for (let k = 1; k < nr; k++) {
          const pi = rowed[k]!;
          rows[pi]![i] = memo.cold[c + pi]!;
        }
        continue;
      }
      const c = id * np;
      for (let k = 0; k < na; k++) {
        const pi = active[k]!;
        rows[pi]![i] = memo.cold[c + pi]!;
      }
    }
    return partial ? 2 : 1;
  }

  private readonly signatureIds: Array<Map<string, number>> = [];
  private readonly scratch: NodeScore[] = [];

  /** NodeScore objects reused from cycle to cycle (NormalizeScore works on them in place),
   *  holding the raw scores. */
  private scratchScores(nodes: readonly NodeInfo[], raw: Float64Array): NodeScore[] {
    const pool = this.scratch;
    while (pool.length < nodes.length) pool.push({ name: '', score: 0 });
    const out = pool.length === nodes.length ? pool : pool.slice(0, nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const o = out[i]!;
      o.name = nodes[i]!.name;
      o.score = raw[i]!;
    }
    return out;
  }

  /** Interns a score signature as a small positive number (0: no signature, no memo). */
  private signatureId(pluginIndex: number, sig: string | undefined): number {
    if (sig === undefined) return 0;
    let ids = this.signatureIds[pluginIndex];
    if (ids === undefined) this.signatureIds[pluginIndex] = ids = new Map();
    let id = ids.get(sig);
    if (id === undefined) ids.set(sig, (id = ids.size + 1));
    return id;
  }

  /** RunReservePluginsReserve: the first failure ends the run, a rejection as it is, anything
   *  else as an error ("running Reserve plugin ..."). */
  runReserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (s === null || s.code === Code.Success) continue;
      if (s.isRejected()) return s.withPlugin(p.name);
      return asError(`running Reserve plugin "${p.name}": ${s.message()}`).withPlugin(p.name);
    }
    return null;
  }

  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  /**
   * RunPermitPlugins: the first rejection ends the run (with the plugin's name), as does an error
   * ("running Permit plugin ..."); plugins that return Wait are collected with their timeouts,
   * capped at 15 minutes (maxTimeout). `waits` is empty when no plugin asked to wait.
   */
  runPermit(state: CycleState, pod: PodInfo, nodeName: string): { status: MaybeStatus; waits: Array<{ plugin: string; timeoutMs: number }> } {
    const waits: Array<{ plugin: string; timeoutMs: number }> = [];
    for (const p of this.permitPlugins) {
      const r = p.permit(state, pod, nodeName);
      const s = r !== null && !(r instanceof Status) ? r.status : r;
      if (s === null || s.code === Code.Success) continue;
      if (s.isRejected()) return { status: s.withPlugin(p.name), waits };
      if (s.code === Code.Wait) {
        const timeout = r !== null && !(r instanceof Status) ? r.timeoutMs : 0;
        waits.push({ plugin: p.name, timeoutMs: Math.min(Math.max(0, Number.isFinite(timeout) ? Math.trunc(timeout) : 0), MAX_PERMIT_TIMEOUT_MS) });
        continue;
      }
      return { status: asError(`running Permit plugin "${p.name}": ${s.message()}`).withPlugin(p.name), waits };
    }
    return { status: null, waits };
  }

  /**
   * RunPreBindPreFlights: null (Success) when some PreBind plugin will have work, SKIP when none
   * will (each that skips is left out of runPreBind), an error otherwise: a plugin's error
   * ("running PreBindPreFlight ...") or a status other than Success and Skip.
   */
  runPreBindPreFlights(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    let result: MaybeStatus = SKIP;
    for (const p of this.preBindPlugins) {
      const s = p.preBindPreFlight === undefined ? null : p.preBindPreFlight(state, pod, nodeName);
      if (s === null || s.code === Code.Success) result = null;
      else if (s.code === Code.Skip) state.skipPreBindPlugins.add(p.name);
      else if (s.code === Code.Error) return asError(`running PreBindPreFlight "${p.name}": ${s.message()}`).withPlugin(p.name);
      else return asError(`PreBindPreFlight ${p.name} returned "${CODE_NAMES[s.code]}", which is unsupported. It is supposed to return Success, Skip, or Error status`).withPlugin(p.name);
    }
    return result;
  }

  /** RunPreBindPlugins: the first failure ends the run, a rejection as it is, anything else as
   *  an error ("running PreBind plugin ..."). */
  runPreBind(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const p of this.preBindPlugins) {
      if (state.skipPreBindPlugins.size !== 0 && state.skipPreBindPlugins.has(p.name)) continue;
      const s = p.preBind(state, pod, nodeName);
      if (s === null || s.code === Code.Success || s.code === Code.Skip) continue;
      if (s.isRejected()) return s.withPlugin(p.name);
      return asError(`running PreBind plugin "${p.name}": ${s.message()}`).withPlugin(p.name);
    }
    return null;
  }

  /** RunBindPlugins: the first plugin that does not Skip binds; a rejection is returned as it is,
   *  an error as "running Bind plugin ...". */
  runBind(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const p of this.bindPlugins) {
      const s = p.bind(state, pod, nodeName);
      if (s !== null && s.code === Code.Skip) continue;
      if (s === null || s.code === Code.Success) return null;
      if (s.isRejected()) return s.withPlugin(p.name);
      return asError(`running Bind plugin "${p.name}": ${s.message()}`).withPlugin(p.name);
    }
    return asError('all bind plugins skipped');
  }

  runPostBind(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of this.postBindPlugins) p.postBind(state, pod, nodeName);
  }
}
