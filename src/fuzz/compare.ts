// Two scheduling policies over the same scenarios: what each leaves scheduled and pending, how
// long pods wait, how full the nodes it uses are, how much free CPU it strands, how often pods
// are evicted or preempted, and whether any invariant broke. Every figure is virtual time or a
// count from the run, so the same scenarios give the same report, byte for byte.
import fc from 'fast-check';
import type { Node, Pod } from '../api/types.js';
import { getCondition, podIsTerminal } from '../api/types.js';
import type { Cluster, SchedulerSetup } from '../cluster/cluster.js';
import { formatDuration } from '../engine/time.js';
import { Resource, podRequests } from '../scheduler/framework/resource.js';
import { runScenario } from '../scenario/run.js';
import type { Scenario } from '../scenario/types.js';
import { type FuzzSize, type SizeName, fuzzCaseArbitrary } from './arbitraries.js';
import { caseToScenario } from './scenario.js';

export interface PolicyStats {
  name: string;
  /** At the end of each run, summed over the scenarios: non-terminal pods bound to a node, and
   *  non-terminal pods not bound and not being deleted. */
  podsScheduled: number;
  podsPending: number;
  /** Pod creation → binding (PodScheduled=True), in virtual ms, over every binding of every run;
   *  null when nothing was bound. Nearest-rank percentiles. */
  timeToScheduleMsP50: number | null;
  timeToScheduleMsP99: number | null;
  /** At the end, over the nodes holding at least one non-terminal pod (pooled over scenarios):
   *  the mean of requested / allocatable cpu and memory, from 0 to 1. */
  cpuUtilisation: number;
  memoryUtilisation: number;
  /** Nodes holding at least one non-terminal pod at the end, summed over scenarios. */
  nodesUsed: number;
  /** See `fragmentation`. Pooled: stranded free cpu over all free cpu, over every scenario. */
  fragmentation: number;
  /** TaintManagerEviction "Marking for deletion" events and Preempted events. */
  evictions: number;
  preemptions: number;
  invariantViolations: number;
  /** The first few violations, to look at. */
  violations: Array<{ scenario: string; invariant: string; message: string }>;
}

export interface ComparisonReport {
  scenarios: number;
  policies: [PolicyStats, PolicyStats];
}

export interface CompareOptions {
  names?: [string, string];
  maxSteps?: number;
}

const VIOLATIONS_KEPT = 5;

export function comparePolicies(a: SchedulerSetup, b: SchedulerSetup, scenarios: readonly Scenario[], options: CompareOptions = {}): ComparisonReport {
  const [nameA, nameB] = options.names ?? ['A', 'B'];
  return { scenarios: scenarios.length, policies: [policyStats(nameA, a, scenarios, options.maxSteps), policyStats(nameB, b, scenarios, options.maxSteps)] };
}

/** `n` random scenarios of this size, drawn from `seed` (the fuzzer's arbitrary, faults and all). */
export function randomScenarios(n: number, seed: number, size: SizeName | FuzzSize): Scenario[] {
  if (n <= 0) return [];
  const cases = fc.sample(fuzzCaseArbitrary(size), { seed, numRuns: n });
  return cases.map((c, i) => caseToScenario(c, { name: `random-${seed}-${i + 1}` }, `random-${seed}-${i + 1}.yaml`));
}

// ---------------------------------------------------------------------------------------------
// One policy

interface Totals {
  scheduled: number;
  pending: number;
  waitsMs: number[];
  cpuUse: number[];
  memoryUse: number[];
  strandedMilliCPU: number;
  freeMilliCPU: number;
  evictions: number;
  preemptions: number;
  violations: PolicyStats['violations'];
  violationCount: number;
}

function policyStats(name: string, setup: SchedulerSetup, scenarios: readonly Scenario[], maxSteps: number | undefined): PolicyStats {
  const t: Totals = { scheduled: 0, pending: 0, waitsMs: [], cpuUse: [], memoryUse: [], strandedMilliCPU: 0, freeMilliCPU: 0, evictions: 0, preemptions: 0, violations: [], violationCount: 0 };
  for (const scenario of scenarios) runOne(scenario, setup, maxSteps, t);
  const waits = t.waitsMs.sort((x, y) => x - y);
  return {
    name,
    podsScheduled: t.scheduled,
    podsPending: t.pending,
    timeToScheduleMsP50: percentile(waits, 0.5),
    timeToScheduleMsP99: percentile(waits, 0.99),
    cpuUtilisation: mean(t.cpuUse),
    memoryUtilisation: mean(t.memoryUse),
    nodesUsed: t.cpuUse.length,
    fragmentation: t.freeMilliCPU > 0 ? t.strandedMilliCPU / t.freeMilliCPU : 0,
    evictions: t.evictions,
    preemptions: t.preemptions,
    invariantViolations: t.violationCount,
    violations: t.violations,
  };
}

function runOne(scenario: Scenario, setup: SchedulerSetup, maxSteps: number | undefined, t: Totals): void {
  let cluster: Cluster | undefined;
  const createdMs = new Map<string, number>();
  const result = runScenario(scenario, {
    scheduler: setup,
    ...(maxSteps !== undefined ? { maxSteps } : {}),
    onCluster: (c) => {
      cluster = c;
      c.store.observe((ev, verb) => {
        if (ev.object.kind !== 'Pod') return;
        const uid = ev.object.metadata.uid ?? ev.object.metadata.name;
        if (ev.type === 'ADDED') createdMs.set(uid, c.sim.nowMs);
        else if (verb === 'bind' && createdMs.has(uid)) t.waitsMs.push(c.sim.nowMs - createdMs.get(uid)!);
      });
    },
  });
  for (const f of result.failures) {
    if (f.kind !== 'invariant') continue;
    t.violationCount++;
    if (t.violations.length < VIOLATIONS_KEPT) t.violations.push({ scenario: scenario.name, invariant: f.violation.invariant, message: f.violation.message });
  }
  if (cluster) endState(cluster, t);
}

function endState(cluster: Cluster, t: Totals): void {
  const pods = [...cluster.store.list<Pod>('Pod')].filter((p) => !podIsTerminal(p));
  const byNode = new Map<string, Resource>();
  for (const p of pods) {
    if (!p.spec.nodeName) {
      if (p.metadata.deletionTimestamp === undefined) t.pending++;
      continue;
    }
    t.scheduled++;
    let used = byNode.get(p.spec.nodeName);
    if (used === undefined) byNode.set(p.spec.nodeName, (used = new Resource()));
    used.add(podRequests(p));
  }
  const nodes = [...cluster.store.list<Node>('Node')];
  for (const node of nodes) {
    const used = byNode.get(node.metadata.name);
    if (used === undefined) continue;
    const alloc = Resource.fromList(node.status.allocatable ?? node.status.capacity);
    if (alloc.milliCPU > 0) t.cpuUse.push(used.milliCPU / alloc.milliCPU);
    if (alloc.memory > 0) t.memoryUse.push(used.memory / alloc.memory);
  }
  const f = fragmentation(nodes, byNode, pods);
  t.strandedMilliCPU += f.strandedMilliCPU;
  t.freeMilliCPU += f.freeMilliCPU;
  for (const e of cluster.events.occurrences) {
    if (e.reason === 'TaintManagerEviction' && e.message.startsWith('Marking for deletion')) t.evictions++;
    else if (e.reason === 'Preempted') t.preemptions++;
  }
}

/**
 * Fragmentation: how much of the free CPU is stranded in pieces too small to be used.
 *
 * At the end of a run, take the reference request r: the median CPU request of the pods still
 * pending, or, when none is pending, the median CPU request of every non-terminal pod (the demand
 * the cluster has been serving). Over the nodes that could take a pod (Ready and not cordoned),
 * a node's free CPU is its allocatable minus the requests of its non-terminal pods; it is
 * stranded when it is more than 0 but less than r — room that a typical pod cannot use.
 * Fragmentation = stranded free CPU / all free CPU (0 when nothing is free). A packing policy
 * that leaves whole nodes empty scores low; one that leaves a sliver on every node scores high.
 */
function fragmentation(nodes: readonly Node[], used: ReadonlyMap<string, Resource>, pods: readonly Pod[]): { strandedMilliCPU: number; freeMilliCPU: number } {
  const pending = pods.filter((p) => !p.spec.nodeName && p.metadata.deletionTimestamp === undefined);
  const reference = median((pending.length > 0 ? pending : pods).map((p) => podRequests(p).milliCPU));
  let stranded = 0;
  let free = 0;
  for (const node of nodes) {
    if (node.spec.unschedulable || getCondition(node.status.conditions, 'Ready')?.status !== 'True') continue;
    const alloc = Resource.fromList(node.status.allocatable ?? node.status.capacity).milliCPU;
    const nodeFree = Math.max(0, alloc - (used.get(node.metadata.name)?.milliCPU ?? 0));
    free += nodeFree;
    if (reference !== null && nodeFree > 0 && nodeFree < reference) stranded += nodeFree;
  }
  return { strandedMilliCPU: stranded, freeMilliCPU: free };
}

// ---------------------------------------------------------------------------------------------
// Small statistics

function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function median(values: readonly number[]): number | null {
  return percentile([...values].sort((x, y) => x - y), 0.5);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

// ---------------------------------------------------------------------------------------------
// Text for the command line

/** The report as an aligned two-column table. */
export function formatComparison(r: ComparisonReport): string[] {
  const [a, b] = r.policies;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const ms = (x: number | null) => (x === null ? '-' : formatDuration(x));
  const rows: Array<[string, string, string]> = [
    ['pods scheduled / pending', `${a.podsScheduled} / ${a.podsPending}`, `${b.podsScheduled} / ${b.podsPending}`],
    ['time to schedule p50 / p99', `${ms(a.timeToScheduleMsP50)} / ${ms(a.timeToScheduleMsP99)}`, `${ms(b.timeToScheduleMsP50)} / ${ms(b.timeToScheduleMsP99)}`],
    ['cpu / memory use of used nodes', `${pct(a.cpuUtilisation)} / ${pct(a.memoryUtilisation)}`, `${pct(b.cpuUtilisation)} / ${pct(b.memoryUtilisation)}`],
    ['nodes used', String(a.nodesUsed), String(b.nodesUsed)],
    ['fragmentation (stranded cpu)', pct(a.fragmentation), pct(b.fragmentation)],
    ['evictions / preemptions', `${a.evictions} / ${a.preemptions}`, `${b.evictions} / ${b.preemptions}`],
    ['invariant violations', String(a.invariantViolations), String(b.invariantViolations)],
  ];
  const head: [string, string, string] = [`${r.scenarios} scenarios`, a.name, b.name];
  const w0 = Math.max(...[head, ...rows].map((x) => x[0].length));
  const w1 = Math.max(...[head, ...rows].map((x) => x[1].length));
  return [head, ...rows].map(([k, x, y]) => `${k.padEnd(w0)}  ${x.padEnd(w1)}  ${y}`.trimEnd());
}
