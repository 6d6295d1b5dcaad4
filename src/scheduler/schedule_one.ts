// One scheduling cycle's host selection, after pkg/scheduler/schedule_one.go (v1.35):
// findNodesThatFitPod (PreFilter, sampling with percentageOfNodesToScore from a rotating start
// index, first-failure Filter), prioritizeNodes, selectHost, and FitError's message.
// Deliberate difference: upstream filters nodes in parallel and breaks score ties with
// math/rand; kubedrill filters in order and draws the tie from the scheduler's seeded stream.
import type { Prng } from '../engine/prng.js';
import type { Framework } from './framework/runtime.js';
import { Code, Status } from './framework/status.js';
import type { CycleState, FeasibleScan, NodeInfo, NodeListIndex, NodeToStatus, PodInfo } from './framework/types.js';

// pkg/scheduler/schedule_one.go
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Status for nodes not in nodeToStatus (set when PreFilter rejects or narrows the node set). */
  absentNodesStatus: Status | null;
  unschedulablePlugins: Set<string>;
  /** Plugins whose rejection was Pending (upstream Diagnosis.PendingPlugins). */
  pendingPlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export type ScheduleResult =
  | { kind: 'scheduled'; host: string; evaluatedNodes: number; feasibleNodes: number }
  | { kind: 'fit-error'; numAllNodes: number; diagnosis: Diagnosis }
  | { kind: 'error'; message: string; plugins: Set<string> };

export interface HostSelector {
  /** Rotating start index for the node scan (sched.nextStartNodeIndex). */
  nextStartNodeIndex: number;
  percentageOfNodesToScore: number;
  rng: Prng;
  /** Pods nominated to a node; filtering takes those of higher or equal priority into account. */
  nominated: { readonly size: number; forNode(nodeName: string): readonly PodInfo[] };
  /** The node list's ids and generations in typed arrays (the cache), for the memo scans. */
  index?: NodeListIndex;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), absentNodesStatus: null, unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

export function addPluginStatus(d: Diagnosis, s: Status): void {
  if (s.plugin === '') return;
  if (s.isRejected()) addPlugins(d.unschedulablePlugins, s.plugin);
  // pkg/scheduler/framework/types.go Diagnosis.AddPluginStatus: Pending also goes to PendingPlugins.
  if (s.code === Code.Pending) addPlugins(d.pendingPlugins, s.plugin);
}

/** A status's plugin names (one, or several joined by commas) added to a set. */
function addPlugins(set: Set<string>, plugins: string): void {
  if (!plugins.includes(',')) set.add(plugins);
  else for (const p of plugins.split(',')) set.add(p);
}

/** numFeasibleNodesToFind: all nodes below 100; else the (adaptive) percentage, at least 100. */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (pct >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export function schedulePod(fwk: Framework, sel: HostSelector, state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[]): ScheduleResult {
  if (allNodes.length === 0) return { kind: 'error', message: ERR_NO_NODES_AVAILABLE, plugins: new Set() };
  const fit = findNodesThatFitPod(fwk, sel, state, pod, allNodes);
  if ('error' in fit) return { kind: 'error', message: fit.error, plugins: fit.plugins };
  const { feasible, diagnosis } = fit;
  if (feasible.length === 0) return { kind: 'fit-error', numAllNodes: allNodes.length, diagnosis };
  const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
  if (feasible.length === 1) return { kind: 'scheduled', host: feasible[0]!.name, evaluatedNodes, feasibleNodes: 1 };
  const scored = prioritizeNodes(fwk, state, pod, feasible, fit.scan === undefined ? undefined : { scan: fit.scan, rng: sel.rng });
  if ('error' in scored) return { kind: 'error', message: scored.error, plugins: new Set() };
  const host = 'host' in scored ? scored.host : selectHost(feasible, scored.totals, sel.rng);
  return { kind: 'scheduled', host, evaluatedNodes, feasibleNodes: feasible.length };
}

/** scan, when set, places the feasible nodes in the cache's list (in buffers the next cycle reuses). */
type FitResult = { feasible: NodeInfo[]; scan?: FeasibleScan; diagnosis: Diagnosis } | { error: string; plugins: Set<string> };

export function findNodesThatFitPod(fwk: Framework, sel: HostSelector, state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[]): FitResult {
  const diagnosis = newDiagnosis();
  const pre = fwk.runPreFilter(state, pod, allNodes);
  if (pre.status !== null) {
    if (!pre.status.isRejected()) return { error: pre.status.message(), plugins: new Set() };
    diagnosis.absentNodesStatus = pre.status;
    diagnosis.preFilterMsg = pre.status.message();
    addPluginStatus(diagnosis, pre.status);
    return { feasible: [], diagnosis };
  }
  let nodes = allNodes;
  const only = pre.result.nodeNames;
  if (only !== undefined) {
    nodes = allNodes.filter((n) => only.has(n.name));
    const plugins = [...pre.narrowedBy].sort().join(' ');
    diagnosis.absentNodesStatus = new Status(Code.UnschedulableAndUnresolvable, `node(s) didn't satisfy plugin(s) [${plugins}]`);
  }
  const passed = findNodesThatPassFilters(fwk, sel, state, pod, diagnosis, nodes);
  if ('error' in passed) return passed;
  const feasible = passed.nodes;
  const processed = feasible.length + diagnosis.nodeToStatus.size;
  sel.nextStartNodeIndex = (sel.nextStartNodeIndex + processed) % allNodes.length;
  return passed.scan === undefined ? { feasible, diagnosis } : { feasible, scan: passed.scan, diagnosis };
}

/** List positions of feasible nodes, reused from cycle to cycle. */
let feasiblePositionsBuffer = new Int32Array(1024);

function findNodesThatPassFilters(
  fwk: Framework,
  sel: HostSelector,
  state: CycleState,
  pod: PodInfo,
  diagnosis: Diagnosis,
  nodes: readonly NodeInfo[],
): { nodes: NodeInfo[]; scan: FeasibleScan | undefined } | { error: string; plugins: Set<string> } {
  const numAll = nodes.length;
  const toFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? sel.percentageOfNodesToScore, numAll);
  // Sized once for the nodes to find (growing it push by push was most of a cycle's garbage).
  const capacity = Math.min(toFind, numAll);
  const feasible: NodeInfo[] = capacity <= 65_536 ? new Array<NodeInfo>(capacity) : [];
  let found = 0;
  const start = numAll === 0 ? 0 : sel.nextStartNodeIndex % numAll;
  // Nodes that passed the same filter chain at the same generation pass again (see filterChain).
  const memo = sel.nominated.size === 0 ? fwk.filterChain(state, pod) : null;
  // Over the cache's own list, the memo's passes are kept by list position: a pass reads one byte.
  const index = sel.index;
  const ids = memo !== null && index !== undefined ? index.idsOf(nodes) : undefined;
  const passed = ids !== undefined ? fwk.filterPositions(nodes, ids, index!).passed : undefined;
  let where: Int32Array | undefined;
  if (passed !== undefined) {
    if (feasiblePositionsBuffer.length < capacity) feasiblePositionsBuffer = new Int32Array(Math.max(capacity, feasiblePositionsBuffer.length * 2));
    where = feasiblePositionsBuffer;
  }
  // idx = (start + i) % numAll, without a division per node.
  for (let i = 0, idx = start; i < numAll && found < toFind; i++, idx = idx + 1 === numAll ? 0 : idx + 1) {
    if (passed !== undefined && passed[idx] === 1) {
      where![found] = idx;
      feasible[found++] = nodes[idx]!;
      continue;
    }
    const node = nodes[idx]!;
    if (memo === null || !memo.passed(node)) {
      const s = sel.nominated.size === 0 ? fwk.runFilter(state, pod, node) : fwk.runFilterWithNominatedPods(state, pod, node, sel.nominated.forNode(node.name));
      if (s !== null) {
        if (s.code === Code.Error) return { error: s.message(), plugins: new Set([s.plugin]) };
        diagnosis.nodeToStatus.set(node.name, s);
        addPluginStatus(diagnosis, s);
        continue;
      }
      if (memo !== null) memo.pass(node);
    }
    if (passed !== undefined) {
      passed[idx] = 1;
      where![found] = idx;
    }
    feasible[found++] = node;
  }
  feasible.length = found;
  return { nodes: feasible, scan: where === undefined ? undefined : { index: index!, list: nodes, positions: where } };
}

/**
 * prioritizeNodes: every node scores 1 when the profile has no score plugins. Given where the
 * nodes are in the cache's list and the seeded stream, the common cycle gets its host straight from the
 * score memo: the one selectHost would pick from the totals (Framework.selectHostMemoised).
 */
export function prioritizeNodes(
  fwk: Framework,
  state: CycleState,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  memo?: { scan: FeasibleScan; rng: Prng },
): { totals: ArrayLike<number> } | { host: string } | { error: string } {
  if (fwk.scorePlugins.length === 0) return { totals: nodes.map(() => 1) };
  const pre = fwk.runPreScore(state, pod, nodes);
  if (pre !== null) return { error: pre.message() };
  if (memo !== undefined) {
    const host = fwk.selectHostMemoised(state, pod, nodes, memo.scan, memo.rng);
    if (host !== undefined) return { host };
  }
  // The totals live in the framework's reused buffer: valid until its next scoring run.
  const { totals, status } = fwk.scoreNodes(state, pod, nodes, null);
  if (status !== null) return { error: status.message() };
  return { totals };
}

/** selectHost: uniform among the top-scored nodes, with one draw from the seeded stream (the
 *  k-th top-scored node in node-scan order); upstream draws one math/rand number per tie
 *  (reservoir sampling), which gives the same distribution. */
export function selectHost(nodes: readonly NodeInfo[], totals: ArrayLike<number>, rng: Prng): string {
  const n = nodes.length;
  let bestScore = totals[0]!;
  let count = 1;
  let first = 0;
  for (let i = 1; i < n; i++) {
    const s = totals[i]!;
    if (s > bestScore) {
      bestScore = s;
      count = 1;
      first = i;
    } else if (s === bestScore) count++;
  }
  if (count === 1) return nodes[first]!.name;
  let k = rng.intn(count);
  for (let i = first; i < n; i++) {
    if (totals[i] === bestScore && k-- === 0) return nodes[i]!.name;
  }
  throw new Error('selectHost: unreachable');
}

/** FitError.Error(): "0/N nodes are available: <prefilter>. <sorted reason histogram>. <postfilter>" */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg !== '') msg += ` ${d.preFilterMsg}.`;
  else {
    const reasons = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.absentNodesStatus) for (const r of d.absentNodesStatus.reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent);
    const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort(goStringLess);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** Go's sort.Strings compares bytes; for the ASCII messages here that is UTF-16 code-unit order. */
function goStringLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
