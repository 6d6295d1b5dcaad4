// Runs one scenario: builds the cluster, schedules the scenario's events, checks expectations at
// the instants they name (after the instant has settled), and returns a result that carries
// what is needed to replay it (seed, digest). With `settle`, the run goes on for that long after
// `until` with no scenario events, and the liveness invariants are checked at its end; safety
// invariants are checked throughout.
import type { Node } from '../api/types.js';
import { Cluster, type ClusterOptions, type SchedulerSetup } from '../cluster/cluster.js';
import { INVARIANTS, type Invariant, type InvariantViolation } from '../cluster/invariants.js';
import { LIVENESS_INVARIANTS, type LivenessInvariant, checkLiveness } from '../cluster/liveness.js';
import type { RunOutcome } from '../engine/sim.js';
import { formatDuration } from '../engine/time.js';
import { type MatchOutcome, matchEvents, matchObject, matchPods } from './match.js';
import { schedulerSetup } from './policy.js';
import type { EventAction, Expectation, Scenario, SourceLocation } from './types.js';

export const DEFAULT_MAX_STEPS = 20_000_000;

export type Failure =
  | { kind: 'expectation'; loc: SourceLocation; when: string; message: string; diff?: string }
  | { kind: 'invariant'; violation: InvariantViolation }
  | { kind: 'budget'; message: string }
  | { kind: 'action'; loc: SourceLocation; message: string };

export interface ScenarioResult {
  name: string;
  file: string;
  loc: SourceLocation;
  seed: number;
  digest: string;
  passed: boolean;
  failures: Failure[];
  steps: number;
  endMs: number;
  traceLength: number;
}

export interface RunOptions {
  seed?: number;
  scheduler?: SchedulerSetup;
  maxSteps?: number;
  wallClockExceeded?: () => boolean;
  keepTrace?: boolean;
  /** Compute the trace digest (default true); without it the result's digest is ''. */
  digest?: boolean;
  /** Called with the cluster before the run starts (explain hooks the scheduler here). */
  onCluster?: (cluster: Cluster) => void;
  /** Test-only: internal options of the attach/detach controller (a test plants a controller
   *  without the Multi-Attach rule here); production runs never set it. */
  attachDetach?: ClusterOptions['attachDetach'];
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const seed = options.seed ?? scenario.seed;
  const invariants = selectInvariants(scenario, INVARIANTS);
  const cluster = new Cluster({
    seed,
    controlPlane: scenario.cluster.controlPlane,
    scheduler: options.scheduler ?? schedulerSetup(scenario.cluster.scheduler),
    invariants,
    keepTrace: options.keepTrace ?? false,
    digest: options.digest ?? true,
    ...(options.attachDetach ? { attachDetach: options.attachDetach } : {}),
  });
  options.onCluster?.(cluster);
  const liveness = scenario.settleMs !== undefined ? selectInvariants(scenario, LIVENESS_INVARIANTS) : [];
  for (const inv of liveness) inv.watch?.(cluster);
  const failures: Failure[] = [];
  scheduleSetup(cluster, scenario, failures);
  const checker = new ExpectationChecker(cluster, scenario, failures);
  const endMs = scenario.untilMs + (scenario.settleMs ?? 0);
  const outcome = cluster.run({ untilMs: endMs, maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS, ...(options.wallClockExceeded ? { wallClockExceeded: options.wallClockExceeded } : {}) });
  for (const v of cluster.violations) failures.push({ kind: 'invariant', violation: v });
  if (outcome.kind === 'budget') failures.push({ kind: 'budget', message: budgetMessage(outcome) });
  if (outcome.kind === 'completed') {
    checker.finish();
    if (scenario.settleMs !== undefined) {
      for (const v of checkLiveness(cluster, liveness)) failures.push({ kind: 'invariant', violation: v });
    }
  }
  return {
    name: scenario.name,
    file: scenario.file,
    loc: scenario.loc,
    seed,
    digest: cluster.sim.trace.digest(),
    passed: failures.length === 0,
    failures,
    steps: outcome.steps,
    endMs: outcome.endMs,
    traceLength: cluster.sim.trace.length,
  };
}

function selectInvariants<I extends Invariant | LivenessInvariant>(s: Scenario, library: readonly I[]): readonly I[] {
  if (s.invariants.kind === 'none') return [];
  if (s.invariants.kind === 'all') return library;
  const names = new Set(s.invariants.names);
  return library.filter((i) => names.has(i.name));
}

function budgetMessage(o: Extract<RunOutcome, { kind: 'budget' }>): string {
  const busiest = o.busiest.map(([c, n]) => `${c} (${n})`).join(', ');
  return `${o.budget === 'steps' ? 'step' : 'wall-clock'} budget exhausted after ${o.steps} steps at ${formatDuration(o.endMs)}; busiest components: ${busiest}`;
}

/** Time 0: nodes, then objects (and includes) in order; then each event at its instant. All are
 *  queued before the run starts, so at any instant they run before the components' own work. */
function scheduleSetup(cluster: Cluster, scenario: Scenario, failures: Failure[]): void {
  const sim = cluster.sim;
  // The cluster as it stands when the scenario starts: its nodes were registered long ago.
  for (const { value, loc } of scenario.cluster.nodes) sim.at(0, 'scenario', () => report(failures, loc, cluster.addNode(value, true)));
  for (const { value, loc } of scenario.cluster.objects) sim.at(0, 'scenario', () => report(failures, loc, cluster.create(value, true)));
  for (const ev of scenario.events) sim.at(ev.atMs, 'scenario', () => applyAction(cluster, ev.action, ev.loc, failures));
}

function report(failures: Failure[], loc: SourceLocation, r: { ok: true } | { ok: false; message: string }): void {
  if (!r.ok) failures.push({ kind: 'action', loc, message: r.message });
}

function applyAction(cluster: Cluster, a: EventAction, loc: SourceLocation, failures: Failure[]): void {
  const done = (r: { ok: true } | { ok: false; message: string }) => report(failures, loc, r);
  const ok = { ok: true as const };
  const requireNode = (name: string) => (cluster.store.get<Node>('Node', undefined, name) ? ok : { ok: false as const, message: `node "${name}" does not exist` });
  switch (a.type) {
    case 'create':
      return done(cluster.create(a.object));
    case 'apply':
      return done(cluster.apply(a.object));
    case 'delete':
      return done(cluster.delete(a.ref.kind, a.ref.namespace, a.ref.name, a.gracePeriodMs === undefined ? undefined : Math.floor(a.gracePeriodMs / 1000)));
    case 'patch':
      return done(cluster.patch(a.ref.kind, a.ref.namespace, a.ref.name, a.patch));
    case 'scale':
      return done(cluster.scale(a.ref.kind, a.ref.namespace, a.ref.name, a.replicas));
    case 'addNode':
      for (const n of a.nodes) done(cluster.addNode(n));
      return;
    case 'removeNode':
      return done(cluster.removeNode(a.node));
    case 'failNode':
      done(requireNode(a.node));
      return cluster.failNode(a.node);
    case 'recoverNode':
      done(requireNode(a.node));
      return cluster.recoverNode(a.node);
    case 'partitionNode':
      done(requireNode(a.node));
      return cluster.partitionNode(a.node);
    case 'healNode':
      done(requireNode(a.node));
      return cluster.healNode(a.node);
    case 'cordon':
      return done(cluster.cordon(a.node, true));
    case 'uncordon':
      return done(cluster.cordon(a.node, false));
    case 'drain':
      done(requireNode(a.node));
      return cluster.drain(a.node, a.gracePeriodMs === undefined ? undefined : Math.floor(a.gracePeriodMs / 1000));
    case 'crashContainer':
      if (!cluster.crashContainer(a.namespace, a.pod, a.exitCode)) done({ ok: false, message: `pod ${a.namespace}/${a.pod} is not running on a live node` });
      return;
  }
}

/** Evaluates expectations at instant ends: `at` once, `eventually` until it first holds,
 *  `always` at every instant of its window. */
class ExpectationChecker {
  private readonly open = new Set<Expectation>();

  constructor(
    private readonly cluster: Cluster,
    scenario: Scenario,
    private readonly failures: Failure[],
  ) {
    for (const e of scenario.expect) {
      this.open.add(e);
      // Make sure the instants the expectation names exist in the run.
      const marks = e.when.kind === 'at' ? [e.when.atMs] : e.when.kind === 'eventually' ? [e.when.fromMs, e.when.byMs] : [e.when.fromMs, e.when.untilMs];
      for (const t of marks) cluster.sim.at(t, 'expect', () => {});
    }
    cluster.sim.onInstantEnd((t) => this.check(t));
  }

  private check(nowMs: number): void {
    for (const e of this.open) {
      const w = e.when;
      if (w.kind === 'at') {
        if (nowMs !== w.atMs) continue;
        this.settle(e, this.evaluate(e, 0, nowMs));
      } else if (w.kind === 'eventually') {
        if (nowMs < w.fromMs) continue;
        const r = this.evaluate(e, w.fromMs, nowMs);
        if (r.ok) this.open.delete(e);
        else if (nowMs >= w.byMs) this.settle(e, r);
      } else {
        if (nowMs < w.fromMs) continue;
        const r = this.evaluate(e, w.fromMs, nowMs);
        if (!r.ok) this.settle(e, { ...r, message: `at ${formatDuration(nowMs)}: ${r.message}` });
        else if (nowMs >= w.untilMs) this.open.delete(e);
      }
    }
  }

  private evaluate(e: Expectation, fromMs: number, toMs: number): MatchOutcome {
    const m = e.matcher;
    if (m.kind === 'pods') return matchPods(m, this.cluster.store);
    if (m.kind === 'object') return matchObject(m, this.cluster.store);
    return matchEvents(m, this.cluster.events.occurrences, fromMs, toMs);
  }

  private settle(e: Expectation, r: MatchOutcome): void {
    this.open.delete(e);
    if (r.ok) return;
    this.failures.push({ kind: 'expectation', loc: e.loc, when: describeWhen(e), message: r.message, ...(r.diff ? { diff: r.diff } : {}) });
  }

  /** At the end of a completed run every expectation has been decided; anything still open
   *  (an `always` window ending at `until`) has held. */
  finish(): void {
    this.open.clear();
  }
}

export function describeWhen(e: Expectation): string {
  const w = e.when;
  if (w.kind === 'at') return w.end ? 'at end' : `at ${formatDuration(w.atMs)}`;
  if (w.kind === 'eventually') return `eventually (${formatDuration(w.fromMs)}..${formatDuration(w.byMs)})`;
  return `always (${formatDuration(w.fromMs)}..${formatDuration(w.untilMs)})`;
}
