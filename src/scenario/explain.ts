// `kubedrill explain`: one scheduling attempt of one pod, taken apart. Runs the scenario with an
// AttemptObserver on the scheduler and, at the chosen attempt, while the cycle's state and the
// scheduler cache are still those the cycle saw, computes every Filter plugin's verdict on every
// node, the Score plugins' raw / normalized / weighted scores over exactly the nodes the cycle
// scored, and why the chosen node won. What PostFilter (preemption) did is read right after the
// scheduler's step, from its events and the pod's status. The result is plain data; report/
// renders it.
import type { Pod } from '../api/types.js';
import type { Cluster, SchedulerSetup } from '../cluster/cluster.js';
import { formatDuration } from '../engine/time.js';
import type { Framework } from '../scheduler/framework/runtime.js';
import { CODE_NAMES, Code, type MaybeStatus, type Status } from '../scheduler/framework/status.js';
import { CycleState, type NodeInfo, type PodInfo } from '../scheduler/framework/types.js';
import { type Diagnosis, type ScheduleResult, fitErrorMessage, numFeasibleNodesToFind } from '../scheduler/schedule_one.js';
import { runScenario } from './run.js';
import type { Scenario } from './types.js';

export interface ExplainOptions {
  /** `namespace/name`, or `name` in the default namespace (as kubectl). */
  pod: string;
  /** Only attempts at or after this virtual time count (default 0). */
  atMs?: number;
  /** The N-th attempt (1-based) among those at or after `atMs` (default 1). */
  attempt?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** The scheduler set-up (default: the scenario's own, which must then have no plugin modules). */
  scheduler?: SchedulerSetup;
}

/** A plugin's non-success status, as plain data. */
export interface StatusInfo {
  plugin: string;
  /** Upstream's code name: Unschedulable, UnschedulableAndUnresolvable, Error, ... */
  code: string;
  reasons: string[];
}

export type FilterVerdict =
  | { plugin: string; verdict: 'pass' }
  /** PreFilter returned Skip, so the cycle did not run this Filter. */
  | { plugin: string; verdict: 'skip' }
  | { plugin: string; verdict: 'fail'; code: string; reasons: string[]; first: boolean };

export interface NodeRow {
  node: string;
  /**
   * feasible / infeasible: the cycle evaluated the node; not-evaluated: the cycle stopped
   * scanning before it (percentageOfNodesToScore sampling, or an Error on an earlier node);
   * excluded: PreFilter rejected the pod or narrowed the node set without this node.
   */
  status: 'feasible' | 'infeasible' | 'not-evaluated' | 'excluded';
  /** Every Filter plugin in profile order; empty for not-evaluated and excluded nodes. */
  filters: FilterVerdict[];
  /** The status the scheduler recorded for the node (its first failing filter, or PreFilter's). */
  failure?: StatusInfo;
  /** Pods nominated to the node with a priority at least the pod's: the cycle filters with them. */
  nominatedPods?: string[];
  /** The verdicts are those of the pass with the nominated pods added (that pass failed). */
  withNominatedPods?: boolean;
  /** Position in the cycle's scan (0-based), for evaluated nodes. */
  scanIndex?: number;
}

export interface PluginScoreRow {
  plugin: string;
  weight: number;
  /** PreScore returned Skip: the plugin did not score. */
  skipped: boolean;
  /** Per node of ScoreTable.nodes; empty when skipped. */
  raw: number[];
  normalized: number[];
  weighted: number[];
}

export interface ScoreTable {
  /** The feasible nodes the cycle scored, in scan order (the tie-break's order). */
  nodes: string[];
  plugins: PluginScoreRow[];
  totals: number[];
}

export interface PluginDifference {
  plugin: string;
  /** Weighted scores of the chosen node and of this node; diff = chosen − node. */
  chosen: number;
  node: number;
  diff: number;
}

export interface Loser {
  node: string;
  total: number;
  /** Chosen total − this total (0 for a lost tie-break). */
  behindBy: number;
  reason: 'lower-score' | 'tie-break';
  /** Plugins whose weighted scores differ, largest difference in the chosen node's favour first. */
  differences: PluginDifference[];
}

export type Decision =
  | { kind: 'only-feasible'; chosen: string }
  | { kind: 'scored'; chosen: string; topScore: number; tiedAtTop: string[]; losers: Loser[] };

export interface PostFilterInfo {
  plugins: string[];
  /** PostFilter's message ("" when it succeeded, e.g. preemption found a node). */
  message: string;
  /** The pod's nominatedNodeName after the attempt. */
  nominatedNodeName?: string;
  /** Pods preempted by this attempt. */
  victims: Array<{ pod: string; node: string }>;
}

export type Outcome =
  | { kind: 'scheduled'; node: string; bound: boolean; bindingError?: string }
  | { kind: 'unschedulable'; message: string; unschedulablePlugins: string[]; postFilter?: PostFilterInfo }
  | { kind: 'error'; message: string };

export interface ExplainResult {
  kind: 'explanation';
  scenario: string;
  file: string;
  seed: number;
  pod: string;
  priority: number;
  /** Virtual time of the attempt (ms). */
  timeMs: number;
  /** 1-based, among all the pod's attempts. */
  attempt: number;
  profile: string;
  nodeCount: number;
  /** Nodes the Filter scan reached, and those of them that passed. */
  evaluatedNodes: number;
  feasibleNodes: number;
  /** Set when the scan stopped early (percentageOfNodesToScore). */
  sampling?: { percentage: number; nodesToFind: number; startIndex: number };
  preFilter: {
    /** Filter plugins whose PreFilter returned Skip. */
    skippedFilters: string[];
    /** PreFilter restricted the nodes (e.g. NodeAffinity on metadata.name). */
    narrowedTo?: { plugins: string[]; nodes: string[] };
    rejected?: StatusInfo;
  };
  filterPlugins: string[];
  scorePlugins: string[];
  outcome: Outcome;
  /** Every node, in the scheduler cache's order. */
  nodes: NodeRow[];
  /** Present when the cycle scored (two or more feasible nodes). */
  scores?: ScoreTable;
  decision?: Decision;
  /** Disagreements between explain's replay and the cycle (there should be none). */
  notes?: string[];
}

export type ExplainOutcome = ExplainResult | { error: string };

/** `ns/name` or `name` (default namespace); undefined when malformed. */
export function parsePodRef(ref: string): string | undefined {
  const parts = ref.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) return undefined;
  return parts.length === 2 ? ref : `default/${ref}`;
}

export function explainPod(scenario: Scenario, options: ExplainOptions): ExplainOutcome {
  const key = parsePodRef(options.pod);
  if (key === undefined) return { error: `--pod must be <namespace>/<name> or <name>, got "${options.pod}"` };
  const atMs = options.atMs ?? 0;
  const wanted = options.attempt ?? 1;
  if (!Number.isSafeInteger(wanted) || wanted < 1) return { error: `--attempt must be a positive integer, got ${wanted}` };
  const seed = options.seed ?? scenario.seed;

  let explained: ExplainResult | undefined;
  let internal: unknown;
  const attemptTimes: number[] = [];
  const attemptedPods = new Set<string>();
  let counted = 0;

  runScenario(scenario, {
    seed,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    onCluster: (cluster) => {
      const scheduler = cluster.scheduler;
      // The scan start of the next cycle; read after every cycle (the cycle itself moves it).
      let startIndex = 0;
      scheduler.observe((a) => {
        const before = startIndex;
        startIndex = readStartIndex(cluster);
        if (explained !== undefined || internal !== undefined) return;
        attemptedPods.add(a.pod.key);
        if (a.pod.key !== key) return;
        attemptTimes.push(a.timeMs);
        if (a.timeMs < atMs || ++counted < wanted) return;
        try {
          const capture = analyse(cluster, a, before);
          const result: ExplainResult = {
            kind: 'explanation',
            scenario: scenario.name,
            file: scenario.file,
            seed,
            pod: key,
            priority: a.pod.pod.spec.priority ?? 0,
            timeMs: a.timeMs,
            attempt: attemptTimes.length,
            ...capture.result,
          };
          const eventsSeen = cluster.events.occurrences.length;
          // PostFilter, binding and the FailedScheduling event happen after the observer, in the
          // same step: read them in the very next queue entry, then end the run.
          cluster.sim.after(0, 'explain', () => {
            try {
              result.outcome = finishOutcome(cluster, a.pod.pod, a.fwk, a.result, eventsSeen, a.nodes.length);
              explained = result;
            } catch (e) {
              internal = e;
            }
            cluster.sim.stop('explained');
          });
        } catch (e) {
          internal = e;
          cluster.sim.stop('explain failed');
        }
      });
    },
  });
  if (internal !== undefined) throw internal;
  if (explained) return explained;
  return { error: notFoundMessage(scenario, key, atMs, wanted, attemptTimes, attemptedPods) };
}

/** The scheduler's rotating scan start (schedule_one.go nextStartNodeIndex). */
function readStartIndex(cluster: Cluster): number {
  return cluster.scheduler.nextStartNodeIndex;
}

function notFoundMessage(scenario: Scenario, key: string, atMs: number, wanted: number, times: number[], attempted: Set<string>): string {
  const until = formatDuration(scenario.untilMs + (scenario.settleMs ?? 0));
  if (times.length === 0) {
    const others = [...attempted].sort();
    const list = others.length === 0 ? 'the scheduler attempted no pod' : `pods attempted: ${others.slice(0, 10).join(', ')}${others.length > 10 ? `, and ${others.length - 10} more` : ''}`;
    return `pod ${key} was never attempted by the scheduler in scenario "${scenario.name}" (run until ${until}); ${list}`;
  }
  const shown = times.slice(0, 10).map(formatDuration).join(', ') + (times.length > 10 ? `, and ${times.length - 10} more` : '');
  const after = times.filter((t) => t >= atMs).length;
  const where = atMs > 0 ? ` at or after ${formatDuration(atMs)}` : '';
  if (after === 0) return `pod ${key} has no scheduling attempt${where}; its ${times.length} attempt(s) were at ${shown}`;
  return `pod ${key} has ${after} scheduling attempt(s)${where}, not ${wanted}; its ${times.length} attempt(s) were at ${shown}`;
}

function statusInfo(s: Status, plugin = s.plugin): StatusInfo {
  return { plugin, code: CODE_NAMES[s.code], reasons: [...s.reasons] };
}

function failed(s: MaybeStatus): s is Status {
  return s !== null && s.code !== Code.Success;
}

interface Attempt {
  timeMs: number;
  fwk: Framework;
  state: CycleState;
  pod: PodInfo;
  result: ScheduleResult;
  nodes: readonly NodeInfo[];
}

type Captured = Omit<ExplainResult, 'kind' | 'scenario' | 'file' | 'seed' | 'pod' | 'priority' | 'timeMs' | 'attempt'>;

/** Everything that must be read during the attempt. */
function analyse(cluster: Cluster, a: Attempt, startBefore: number): { result: Captured } {
  const { fwk, pod, nodes } = a;
  const filterPlugins = fwk.filterPlugins.map((p) => p.name);
  const rows = new Map<string, NodeRow>(nodes.map((n) => [n.name, { node: n.name, status: 'excluded', filters: [] }]));

  // PreFilter again, on a fresh state, for what the cycle does not keep: the node set it narrowed to.
  const pre = fwk.runPreFilter(new CycleState(), pod, nodes);
  const preFilter: Captured['preFilter'] = { skippedFilters: filterPlugins.filter((p) => a.state.skipFilterPlugins.has(p)) };
  let considered: readonly NodeInfo[] = nodes;
  if (failed(pre.status)) {
    preFilter.rejected = statusInfo(pre.status);
    for (const r of rows.values()) r.failure = preFilter.rejected;
    considered = [];
  } else if (pre.result.nodeNames !== undefined) {
    const only = pre.result.nodeNames;
    considered = nodes.filter((n) => only.has(n.name));
    preFilter.narrowedTo = { plugins: [...pre.narrowedBy], nodes: considered.map((n) => n.name) };
    const plugins = [...pre.narrowedBy].sort();
    const absent: StatusInfo = { plugin: plugins.join(','), code: CODE_NAMES[Code.UnschedulableAndUnresolvable], reasons: [`node(s) didn't satisfy plugin(s) [${plugins.join(' ')}]`] };
    for (const r of rows.values()) if (!only.has(r.node)) r.failure = absent;
  }

  // The Filter scan, as findNodesThatPassFilters runs it: from the rotating start index, until
  // enough feasible nodes are found; each node with every plugin's verdict.
  const diagnosis: Diagnosis | undefined = a.result.kind === 'fit-error' ? a.result.diagnosis : undefined;
  const percentage = fwk.percentageOfNodesToScore ?? cluster.options.scheduler.percentageOfNodesToScore;
  const numAll = considered.length;
  const toFind = numFeasibleNodesToFind(percentage, numAll);
  const start = numAll === 0 ? 0 : startBefore % numAll;
  const filterState = a.state.clone();
  const feasible: NodeInfo[] = [];
  let evaluated = 0;
  for (let i = 0; i < numAll && feasible.length < toFind; i++) {
    const node = considered[(start + i) % numAll]!;
    const row = rows.get(node.name)!;
    const v = filterVerdicts(cluster, fwk, filterState, pod, node);
    evaluated++;
    row.scanIndex = i;
    row.filters = v.verdicts;
    if (v.nominated.length > 0) row.nominatedPods = v.nominated;
    if (v.withNominated) row.withNominatedPods = true;
    // For a failed cycle the scheduler's own record of the node is authoritative.
    const recorded = diagnosis?.nodeToStatus.get(node.name);
    const failure = recorded ? statusInfo(recorded) : v.failure;
    if (failure === undefined) {
      row.status = 'feasible';
      feasible.push(node);
      continue;
    }
    row.status = 'infeasible';
    row.failure = failure;
    if (failure.code === CODE_NAMES[Code.Error]) break;
  }
  for (const r of rows.values()) if (r.status === 'excluded' && r.failure === undefined) r.status = 'not-evaluated';

  // The replay must agree with what the cycle reported; say so if it does not.
  const notes: string[] = [];
  if (a.result.kind === 'scheduled' && (a.result.evaluatedNodes !== evaluated || a.result.feasibleNodes !== feasible.length)) {
    notes.push(`explain's replay of the Filter scan found ${evaluated} evaluated and ${feasible.length} feasible node(s); the cycle reported ${a.result.evaluatedNodes} and ${a.result.feasibleNodes}`);
  }

  const captured: Captured = {
    profile: fwk.schedulerName,
    nodeCount: nodes.length,
    evaluatedNodes: evaluated,
    feasibleNodes: feasible.length,
    ...(evaluated < numAll && toFind < numAll ? { sampling: { percentage, nodesToFind: toFind, startIndex: start } } : {}),
    preFilter,
    filterPlugins,
    scorePlugins: fwk.scorePlugins.map((p) => p.name),
    outcome: provisionalOutcome(a.result),
    nodes: [...rows.values()].map(tidyRow),
  };

  if (a.result.kind === 'scheduled') {
    if (feasible.length === 1) captured.decision = { kind: 'only-feasible', chosen: a.result.host };
    else if (feasible.length > 1) {
      const scores = scoreNodes(fwk, a.state, pod, feasible);
      captured.scores = scores;
      const decision = decide(scores, a.result.host);
      captured.decision = decision;
      if (!decision.tiedAtTop.includes(a.result.host)) notes.push(`the cycle chose ${a.result.host}, which explain's replay of the scores does not rank at the top`);
    }
  }
  if (notes.length > 0) captured.notes = notes;
  return { result: captured };
}

/** The row's fields in reading order (for --json). */
function tidyRow(r: NodeRow): NodeRow {
  return {
    node: r.node,
    status: r.status,
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.scanIndex !== undefined ? { scanIndex: r.scanIndex } : {}),
    ...(r.nominatedPods ? { nominatedPods: r.nominatedPods } : {}),
    ...(r.withNominatedPods ? { withNominatedPods: true } : {}),
    filters: r.filters,
  };
}

/** Every filter's verdict on a node, with the nominated pods as RunFilterPluginsWithNominatedPods
 *  considers them: first with them added; if that passes, without them. */
function filterVerdicts(
  cluster: Cluster,
  fwk: Framework,
  state: CycleState,
  pod: PodInfo,
  node: NodeInfo,
): { verdicts: FilterVerdict[]; failure?: StatusInfo; nominated: string[]; withNominated: boolean } {
  const priority = pod.pod.spec.priority ?? 0;
  const extra = cluster.scheduler.nominator.forNode(node.name).filter((p) => p.key !== pod.key && (p.pod.spec.priority ?? 0) >= priority);
  const nominated = extra.map((p) => p.key);
  if (extra.length > 0) {
    const stateWith = state.clone();
    const nodeWith = node.clone();
    for (const p of extra) {
      nodeWith.addPod(p);
      const s = fwk.runPreFilterAddPod(stateWith, pod, p, nodeWith);
      if (s !== null) return { verdicts: [], failure: statusInfo(s), nominated, withNominated: true };
    }
    const withRun = verdictsOf(fwk.runAllFilters(stateWith, pod, nodeWith));
    if (withRun.failure) return { ...withRun, nominated, withNominated: true };
  }
  return { ...verdictsOf(fwk.runAllFilters(state, pod, node)), nominated, withNominated: false };
}

function verdictsOf(all: Array<{ plugin: string; status: MaybeStatus; skipped: boolean }>): { verdicts: FilterVerdict[]; failure?: StatusInfo } {
  let failure: StatusInfo | undefined;
  const verdicts = all.map((v): FilterVerdict => {
    if (v.skipped) return { plugin: v.plugin, verdict: 'skip' };
    if (!failed(v.status)) return { plugin: v.plugin, verdict: 'pass' };
    const s = v.status;
    // runFilter turns a status that is neither success nor a rejection into an Error.
    const info = s.isRejected() ? statusInfo(s, v.plugin) : { plugin: v.plugin, code: CODE_NAMES[Code.Error], reasons: [`running "${v.plugin}" filter plugin: ${s.message()}`] };
    const first = failure === undefined;
    if (first) failure = info;
    return { plugin: v.plugin, verdict: 'fail', code: info.code, reasons: info.reasons, first };
  });
  return failure ? { verdicts, failure } : { verdicts };
}

/** prioritizeNodes on a clone of the cycle's state, with every plugin's detail kept. */
function scoreNodes(fwk: Framework, state: CycleState, pod: PodInfo, feasible: NodeInfo[]): ScoreTable {
  const names = feasible.map((n) => n.name);
  if (fwk.scorePlugins.length === 0) return { nodes: names, plugins: [], totals: names.map(() => 1) };
  const s = state.clone();
  const pre = fwk.runPreScore(s, pod, feasible);
  if (pre !== null) throw new Error(`explain: PreScore failed when re-run: ${pre.message()}`);
  const { totals, detail, status } = fwk.runScore(s, pod, feasible, true);
  if (status !== null) throw new Error(`explain: Score failed when re-run: ${status.message()}`);
  const byPlugin = new Map(detail.map((d) => [d.plugin, d]));
  const plugins = fwk.scorePlugins.map((p, i): PluginScoreRow => {
    const d = byPlugin.get(p.name);
    const weight = fwk.scoreWeights[i]!;
    if (d === undefined) return { plugin: p.name, weight, skipped: true, raw: [], normalized: [], weighted: [] };
    return { plugin: p.name, weight, skipped: false, raw: d.raw, normalized: d.normalized, weighted: d.normalized.map((v) => v * weight) };
  });
  return { nodes: names, plugins, totals };
}

function decide(scores: ScoreTable, chosen: string): Extract<Decision, { kind: 'scored' }> {
  const ci = scores.nodes.indexOf(chosen);
  const top = Math.max(...scores.totals);
  const tiedAtTop = scores.nodes.filter((_, i) => scores.totals[i] === top);
  const losers: Loser[] = [];
  scores.nodes.forEach((node, i) => {
    if (i === ci) return;
    const differences: PluginDifference[] = [];
    for (const p of scores.plugins) {
      if (p.skipped) continue;
      const c = ci >= 0 ? p.weighted[ci]! : 0;
      const n = p.weighted[i]!;
      if (c !== n) differences.push({ plugin: p.plugin, chosen: c, node: n, diff: c - n });
    }
    differences.sort((x, y) => y.diff - x.diff);
    const total = scores.totals[i]!;
    const chosenTotal = ci >= 0 ? scores.totals[ci]! : top;
    losers.push({ node, total, behindBy: chosenTotal - total, reason: total === chosenTotal ? 'tie-break' : 'lower-score', differences });
  });
  // Closest competitors first; scan order among equals.
  losers.sort((x, y) => x.behindBy - y.behindBy);
  return { kind: 'scored', chosen, topScore: top, tiedAtTop, losers };
}

function provisionalOutcome(r: ScheduleResult): Outcome {
  if (r.kind === 'scheduled') return { kind: 'scheduled', node: r.host, bound: false };
  if (r.kind === 'error') return { kind: 'error', message: r.message };
  return { kind: 'unschedulable', message: '', unschedulablePlugins: [...r.diagnosis.unschedulablePlugins].sort() };
}

/** After the scheduler's step: the binding, the FailedScheduling message, PostFilter's work. */
function finishOutcome(cluster: Cluster, pod: Pod, fwk: Framework, r: ScheduleResult, eventsSeen: number, numAllNodes: number): Outcome {
  const ns = pod.metadata.namespace ?? 'default';
  const mine = cluster.events.occurrences.slice(eventsSeen);
  const about = (name: string, namespace: string | undefined) => name === pod.metadata.name && (namespace ?? 'default') === ns;
  const failedScheduling = mine.find((e) => e.reason === 'FailedScheduling' && about(e.involvedObject.name, e.involvedObject.namespace));
  const current = cluster.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
  if (r.kind === 'scheduled') {
    const bound = current !== undefined && current.metadata.uid === pod.metadata.uid && current.spec.nodeName === r.host;
    return { kind: 'scheduled', node: r.host, bound, ...(failedScheduling ? { bindingError: failedScheduling.message } : {}) };
  }
  if (r.kind === 'error') return { kind: 'error', message: failedScheduling?.message ?? r.message };
  const outcome: Outcome = {
    kind: 'unschedulable',
    message: failedScheduling?.message ?? fitErrorMessage(numAllNodes, r.diagnosis),
    unschedulablePlugins: [...r.diagnosis.unschedulablePlugins].sort(),
  };
  if (fwk.hasPostFilter()) {
    const victims: PostFilterInfo['victims'] = [];
    const marker = `Preempted by pod ${pod.metadata.uid} on node `;
    for (const e of mine) {
      if (e.reason !== 'Preempted' || !e.message.startsWith(marker)) continue;
      victims.push({ pod: `${e.involvedObject.namespace ?? 'default'}/${e.involvedObject.name}`, node: e.message.slice(marker.length) });
    }
    const nominated = current !== undefined && current.metadata.uid === pod.metadata.uid ? current.status.nominatedNodeName : undefined;
    outcome.postFilter = {
      plugins: fwk.postFilterPlugins.map((p) => p.name),
      message: r.diagnosis.postFilterMsg,
      ...(nominated ? { nominatedNodeName: nominated } : {}),
      victims,
    };
  }
  return outcome;
}
