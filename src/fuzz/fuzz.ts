// The fuzzer: random clusters, workloads and faults thrown at a scheduling policy, every run
// checked by the invariant library; the first broken invariant is shrunk by fast-check to a
// small case and handed back as a scenario file that reproduces it.
//
// A report is a replay recipe, as fast-check's and TigerBeetle's VOPR's are: `{seed, path}`
// (fast-check's counterexample path) reruns exactly the failing case, and the same seed always
// draws the same cases, so the same report. The wall clock comes in as `now()` (only cli/
// reads it), files go out through `writeFile` (which never overwrites).
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Cluster, type SchedulerSetup } from '../cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../cluster/config.js';
import { allInvariantNames } from '../cluster/liveness.js';
import { formatDuration } from '../engine/time.js';
import { type RunOptions, type ScenarioResult, runScenario } from '../scenario/run.js';
import type { Scenario } from '../scenario/types.js';
import { FAULT_FAMILIES, type FaultFamily, type FuzzCase, type FuzzSize, SIZE_PRESETS, type SizeName, caseSize, fuzzCaseArbitrary, resolveSize } from './arbitraries.js';
import { type PolicySource, searchInWorkers, workersFor } from './parallel.js';
import { type EmitMeta, type FailureSummary, caseToScenario, emitScenarioYaml, loadScenarioText } from './scenario.js';

/** kube-scheduler's default profile. */
export const DEFAULT_SCHEDULER: SchedulerSetup = Object.freeze({ profiles: [], percentageOfNodesToScore: 0 });

/** Steps one fuzz run may take, per node of the size's maximum, before it counts as never
 *  ending (a livelock: small random runs take a few thousand steps, 40x less). */
export const FUZZ_STEPS_PER_NODE = 20_000;

export const DEFAULT_SHRINK_RUNS_MAX = 2_000;

export interface FuzzOptions {
  /** The policy under test. */
  scheduler: SchedulerSetup;
  /** The file it came from, named (relative to the output folder) by the emitted scenario. */
  policyPath?: string;
  runs: number;
  seed: number;
  size: SizeName | FuzzSize;
  /** Invariants to check (default: the whole library). */
  invariants?: string[];
  /** Fault families the runs may use (default: all of FAULT_FAMILIES). */
  faults?: FaultFamily[];
  /**
   * Differential fuzzing: a case counts as a failure only if it keeps every checked invariant
   * under this policy (typically DEFAULT_SCHEDULER). Failures the baseline shares — a race the
   * model allows, a bug of kubedrill's own — are counted apart and not shrunk, so the scenario
   * handed back shows what the policy under test does differently.
   */
  baseline?: SchedulerSetup;
  /** Where the shrunk scenario is written; without it nothing is written (the report still holds the YAML). */
  outDir?: string;
  /** Reruns exactly one case: the one at this fast-check path under this seed. */
  replay?: { seed: number; path: string };
  now: () => number;
  onProgress?: (done: number, total: number) => void;
  /** Called after each shrink attempt once a failure has been found, with the attempts so far
   *  and the successful ones (shrink steps). */
  onShrink?: (attempts: number, steps: number) => void;
  /** Writes a new file; returns false (and writes nothing) if the path exists. */
  writeFile: (path: string, text: string) => boolean;
  /**
   * Worker threads for the search (default 1: all on the calling thread). More spread the runs
   * over cores (at most one per MIN_RUNS_PER_WORKER runs); the report is the same for any
   * number. Workers rebuild the policy themselves, so
   * they are used only when `scheduler` is DEFAULT_SCHEDULER or was loaded from `policyPath`, and
   * `baseline` (if any) is DEFAULT_SCHEDULER; otherwise the search runs on the calling thread.
   */
  workers?: number;
  /** Step budget of one run (default FUZZ_STEPS_PER_NODE × the size's maxNodes). */
  maxSteps?: number;
  /** Shrink attempts after which the smallest failing case so far is kept (default 2,000). */
  shrinkRunsMax?: number;
  /** The command line that reruns these runs (without a path) or replays one case (with one);
   *  quoted in the emitted file (default: a generic one). */
  replayCommand?: (seed: number, path?: string) => string;
  /** Test-only: internal options of the attach/detach controller for every run (a test plants a
   *  controller without its Multi-Attach rule); the command line never sets it. */
  attachDetach?: RunOptions['attachDetach'];
}

/** What broke in one run: a safety invariant (during the run), a liveness invariant (at the end
 *  of the settle phase), the step budget (the run never ended), or a crash (an exception). */
export interface CaseFailure extends FailureSummary {
  kind: 'safety' | 'liveness' | 'budget' | 'crash';
}

export interface Verification {
  /** The emitted file loaded with no errors. */
  loads: boolean;
  /** Loaded errors, formatted, if it did not. */
  errors: string[];
  /** Run under the policy, it breaks the same invariant. */
  reproduces: boolean;
  /** Run under kube-scheduler's default profile, it keeps every invariant. */
  passesUnderDefault: boolean;
}

interface ReportBase {
  seed: number;
  size: Required<FuzzSize>;
  /** Runs asked for, and runs done before the first failure (or all of them). */
  runs: number;
  runsDone: number;
  wallMs: number;
  /** With a baseline: runs (shrink attempts included) that failed under the baseline too, and the first such failure. */
  baselineFailures: { count: number; first?: CaseFailure };
}

export type FuzzReport =
  | (ReportBase & { outcome: 'passed'; replayed?: { path: string } })
  | (ReportBase & {
      outcome: 'failed';
      /** fast-check's counterexample path: with the seed, it replays the shrunk case. */
      path: string;
      invariant: string;
      /** The failure's sentence (also in `failure`, with its time, objects and kind). */
      message: string;
      failure: CaseFailure;
      shrinkSteps: number;
      /** Shrink attempts (runs) after the first failure. */
      shrinkRuns: number;
      case: FuzzCase;
      caseSize: { nodes: number; pods: number; events: number };
      yaml: string;
      /** Where it was written (undefined without outDir). */
      file?: string;
      /** The case was replayed (`replay`), not found and shrunk. */
      replayed?: boolean;
      verification: Verification;
    })
  /** `invalid-options`: bad options or a policy that does not load (usage, exit 2);
   *  `nondeterministic`: the shrunk case did not fail again (a kubedrill bug, exit 3);
   *  `worker`: a worker thread could not load the policy or failed (exit 3). */
  | (ReportBase & { outcome: 'error'; reason: 'invalid-options' | 'nondeterministic' | 'worker'; message: string });

export function runFuzz(options: FuzzOptions): FuzzReport {
  const startMs = options.now();
  const seed = options.replay?.seed ?? options.seed;
  const problem = optionProblem(options);
  const size = resolveSize(problem && typeof options.size === 'string' && !(options.size in SIZE_PRESETS) ? 'small' : options.size);
  const maxSteps = options.maxSteps ?? FUZZ_STEPS_PER_NODE * size.maxNodes;
  const judge = new Judge(options, { scheduler: options.scheduler, invariants: options.invariants, maxSteps, ...(options.attachDetach ? { attachDetach: options.attachDetach } : {}) });
  const base = (): ReportBase => ({ seed, size, runs: options.replay ? 1 : options.runs, runsDone: judge.runs, wallMs: options.now() - startMs, baselineFailures: judge.shared });
  if (problem) return { ...base(), outcome: 'error', reason: 'invalid-options', message: problem };

  const arbitrary = fuzzCaseArbitrary(size, options.faults ? { faults: options.faults } : {});
  let parameters: fc.Parameters<[FuzzCase]> = options.replay ? { seed, path: options.replay.path, numRuns: 1, endOnFailure: true } : { seed, numRuns: options.runs };
  const sources = options.replay ? undefined : workerSources(options);
  if (sources !== undefined) {
    // The search in worker threads; fast-check then resumes at the failing case (if any) and shrinks it.
    const found = searchInWorkers({ ...sources, seed, runs: options.runs, size, faults: options.faults, invariants: options.invariants, maxSteps, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    if (found.kind === 'error') return { ...base(), outcome: 'error', reason: 'worker', message: found.message };
    judge.resumeAt(found.runsBefore, found.shared);
    if (found.failingIndex === undefined) return { ...base(), outcome: 'passed' };
    parameters = { seed, path: String(found.failingIndex), numRuns: options.runs };
  }
  const details = fc.check(fc.property(arbitrary, (c) => judge.holds(c)), parameters);
  if (!details.failed || !details.counterexample) return options.replay ? { ...base(), outcome: 'passed', replayed: { path: options.replay.path } } : { ...base(), outcome: 'passed' };

  const shrunk = details.counterexample[0];
  const path = details.counterexamplePath ?? '';
  const failure = runCase(shrunk, judge.context);
  if (!failure) return { ...base(), outcome: 'error', reason: 'nondeterministic', message: `internal: the shrunk case (path ${path}) did not fail when run again: the run is not deterministic` };
  const found = { seed, path, runs: judge.runs, shrinkSteps: details.numShrinks };
  const emitted = emitFailure(options, shrunk, failure, found, maxSteps);
  return { ...base(), outcome: 'failed', path, invariant: failure.invariant, message: failure.message, failure, shrinkSteps: details.numShrinks, shrinkRuns: judge.shrinkRuns, case: shrunk, caseSize: caseSize(shrunk), ...emitted, ...(options.replay ? { replayed: true } : {}) };
}

/**
 * The property: runs each case fast-check draws and says whether it held, counting runs before
 * the first failure and shrink attempts after it, and setting aside failures the baseline shares.
 */
class Judge {
  runs = 0;
  shrinkRuns = 0;
  private shrinkSteps = 0;
  readonly shared: ReportBase['baselineFailures'] = { count: 0 };
  private failed = false;
  private readonly shrinkRunsMax: number;

  constructor(
    private readonly options: FuzzOptions,
    readonly context: CaseRunOptions,
  ) {
    this.shrinkRunsMax = options.shrinkRunsMax ?? DEFAULT_SHRINK_RUNS_MAX;
  }

  /** The search before the first failure ran elsewhere (in workers): take its counts. */
  resumeAt(runsBefore: number, shared: ReportBase['baselineFailures']): void {
    this.runs = runsBefore;
    this.shared.count = shared.count;
    if (shared.first !== undefined) this.shared.first = shared.first;
  }

  holds(c: FuzzCase): boolean {
    // A replayed shrink path is the first case fast-check evaluates; if it passes, fast-check
    // would walk on to its siblings in the shrink tree, which are not the case asked for.
    if (this.options.replay && this.runs > 0) return true;
    // Past the shrink budget every candidate "holds", so fast-check keeps the last failing one.
    if (this.failed && this.shrinkRuns >= this.shrinkRunsMax) return true;
    const failure = this.attributable(runCase(c, this.context), c);
    if (this.failed) {
      this.shrinkRuns++;
      if (failure) this.shrinkSteps++;
      this.options.onShrink?.(this.shrinkRuns, this.shrinkSteps);
    } else {
      this.runs++;
      this.failed = failure !== undefined;
      this.options.onProgress?.(this.runs, this.options.replay ? 1 : this.options.runs);
    }
    return failure === undefined;
  }

  /** A failure the baseline shares is not the policy's: the case holds. */
  private attributable(f: CaseFailure | undefined, c: FuzzCase): CaseFailure | undefined {
    const baseline = this.options.baseline;
    if (f === undefined || baseline === undefined) return f;
    const underBaseline = runCase(c, { ...this.context, scheduler: baseline });
    if (underBaseline === undefined) return f;
    this.shared.count++;
    this.shared.first ??= underBaseline;
    return undefined;
  }
}

/** Where workers get the policy and the baseline from; undefined when the search stays on this
 *  thread (one worker, or a policy a worker cannot rebuild). */
function workerSources(o: FuzzOptions): { workers: number; policy: PolicySource; baseline: PolicySource | undefined } | undefined {
  const workers = workersFor(o.workers ?? 1, o.runs);
  // The attach/detach test hook lives in this thread only.
  if (workers <= 1 || o.attachDetach !== undefined) return undefined;
  const policy: PolicySource | undefined = o.scheduler === DEFAULT_SCHEDULER ? { kind: 'default' } : o.policyPath !== undefined ? { kind: 'file', path: o.policyPath } : undefined;
  if (policy === undefined || (o.baseline !== undefined && o.baseline !== DEFAULT_SCHEDULER)) return undefined;
  return { workers, policy, baseline: o.baseline === undefined ? undefined : { kind: 'default' } };
}

function optionProblem(o: FuzzOptions): string | undefined {
  if (typeof o.size === 'string' && !(o.size in SIZE_PRESETS)) return `unknown size ${JSON.stringify(o.size)} (small, medium or large)`;
  if (typeof o.size === 'object' && !(o.size.maxNodes >= 1 && o.size.maxPods >= 1 && o.size.maxEvents >= 0)) return 'a size needs maxNodes ≥ 1, maxPods ≥ 1 and maxEvents ≥ 0';
  if (!Number.isSafeInteger(o.seed) || (o.replay && !Number.isSafeInteger(o.replay.seed))) return 'the seed must be an integer';
  if (!o.replay && (!Number.isSafeInteger(o.runs) || o.runs < 1)) return 'runs must be a positive integer';
  if (o.replay && !/^\d+(:\d+)*$/.test(o.replay.path)) return `invalid replay path ${JSON.stringify(o.replay.path)} (expected numbers separated by colons, as fast-check prints them)`;
  const known = allInvariantNames();
  const unknown = (o.invariants ?? []).filter((n) => !known.includes(n));
  if (unknown.length > 0) return `unknown invariant(s) ${unknown.join(', ')}; known: ${known.join(', ')}`;
  const badFaults = (o.faults ?? []).filter((f) => !(FAULT_FAMILIES as readonly string[]).includes(f));
  if (badFaults.length > 0) return `unknown fault kind(s) ${badFaults.join(', ')}; known: ${FAULT_FAMILIES.join(', ')}`;
  try {
    new Cluster({ seed: 0, controlPlane: DEFAULT_CONTROL_PLANE, scheduler: o.scheduler, invariants: [], keepTrace: false, components: 'scheduler-only' });
  } catch (err) {
    return `the scheduling policy does not load: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// One run

export interface CaseRunOptions {
  scheduler: SchedulerSetup;
  /** Invariants checked (undefined: all). */
  invariants: string[] | undefined;
  maxSteps: number;
  /** Test-only (FuzzOptions.attachDetach). */
  attachDetach?: RunOptions['attachDetach'];
}

/** Runs a case; returns what broke, or undefined when every invariant held. */
export function runCase(c: FuzzCase, context: CaseRunOptions): CaseFailure | undefined {
  // The schema validation is left out here (thousands of runs): every generated case passes it.
  const scenario = caseToScenario(c, context.invariants ? { invariants: context.invariants } : {}, undefined, false);
  return runFailure(scenario, context.scheduler, context.maxSteps, context.attachDetach);
}

function runFailure(scenario: Scenario, scheduler: SchedulerSetup, maxSteps: number, attachDetach?: RunOptions['attachDetach']): CaseFailure | undefined {
  let result: ScenarioResult;
  try {
    result = runScenario(scenario, { scheduler, maxSteps, digest: false, ...(attachDetach ? { attachDetach } : {}) });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'crash', invariant: 'crash', timeMs: 0, objects: [], message: `the run threw: ${message.split('\n')[0]}` };
  }
  return failureOf(result);
}

/** The run's first broken invariant; else a budget failure; expectations and refused actions do not count. */
export function failureOf(result: ScenarioResult): CaseFailure | undefined {
  for (const f of result.failures) {
    if (f.kind !== 'invariant') continue;
    const { kind, ...violation } = f.violation;
    return kind === 'liveness' ? { ...violation, kind: 'liveness', liveness: true } : { ...violation, kind: 'safety' };
  }
  for (const f of result.failures) if (f.kind === 'budget') return { kind: 'budget', invariant: 'step-budget', timeMs: result.endMs, objects: [], message: f.message };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The emitted scenario

function emitFailure(o: FuzzOptions, c: FuzzCase, failure: CaseFailure, found: { seed: number; path: string; runs: number; shrinkSteps: number }, maxSteps: number): { yaml: string; file?: string; verification: Verification } {
  const underDefault = runFailure(caseToScenario(c), DEFAULT_SCHEDULER, maxSteps, o.attachDetach);
  const dir = o.outDir ?? '.';
  const meta: EmitMeta = {
    failure,
    found: { ...found, replayCommand: (o.replayCommand ?? defaultReplayCommand)(found.seed, found.path) },
    passesUnderDefault: underDefault === undefined,
    scheduler: schedulerReference(o, dir),
    schemaPath: schemaReference(dir),
    ...(failure.kind === 'safety' || failure.kind === 'liveness' ? { invariants: [failure.invariant] } : o.invariants ? { invariants: o.invariants } : {}),
    // A safety failure before `until` does not need the settle phase to show.
    settle: failure.kind !== 'safety' || failure.timeMs > c.untilS * 1000,
  };
  const baseName = `fuzz-${failure.invariant}-${found.seed}`;
  let file: string | undefined;
  let yaml = emitScenarioYaml(c, { ...meta, name: baseName });
  if (o.outDir !== undefined) {
    for (let n = 1; n <= 10_000 && file === undefined; n++) {
      const name = n === 1 ? baseName : `${baseName}-${n}`;
      const text = emitScenarioYaml(c, { ...meta, name });
      if (o.writeFile(join(o.outDir, `${name}.yaml`), text)) {
        file = join(o.outDir, `${name}.yaml`);
        yaml = text;
      }
    }
  }
  return { yaml, ...(file !== undefined ? { file } : {}), verification: verify(yaml, file ?? join(dir, `${baseName}.yaml`), o.scheduler, failure, maxSteps, o.attachDetach) };
}

/** Loads the emitted text as a user's file would load, and runs it under the policy and the default. */
function verify(yaml: string, file: string, scheduler: SchedulerSetup, failure: CaseFailure, maxSteps: number, attachDetach?: RunOptions['attachDetach']): Verification {
  let scenario: Scenario;
  try {
    scenario = loadScenarioText(yaml, file);
  } catch (err) {
    return { loads: false, errors: [err instanceof Error ? err.message : String(err)], reproduces: false, passesUnderDefault: false };
  }
  const again = runFailure(scenario, scheduler, maxSteps, attachDetach);
  const underDefault = runFailure(scenario, DEFAULT_SCHEDULER, maxSteps, attachDetach);
  return { loads: true, errors: [], reproduces: again?.invariant === failure.invariant, passesUnderDefault: underDefault === undefined };
}

function defaultReplayCommand(seed: number, path?: string): string {
  return `kubedrill fuzz --seed ${seed}${path === undefined ? '' : ` --replay ${path}`}`;
}

/** The policy as the file names it: its path relative to the output folder, inline profiles, or `default`. */
function schedulerReference(o: FuzzOptions, dir: string): string | Record<string, unknown> {
  if (o.policyPath !== undefined) return relative(resolve(dir), resolve(o.policyPath)).split('\\').join('/');
  if (o.scheduler.profiles.length === 0 && !o.scheduler.percentageOfNodesToScore) return 'default';
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    ...(o.scheduler.percentageOfNodesToScore ? { percentageOfNodesToScore: o.scheduler.percentageOfNodesToScore } : {}),
    profiles: structuredClone(o.scheduler.profiles),
  };
}

const SCHEMA_FILE = [new URL('../../schemas/scenario.schema.json', import.meta.url), new URL('../../../schemas/scenario.schema.json', import.meta.url)].map((u) => fileURLToPath(u)).find((p) => existsSync(p));

function schemaReference(dir: string): string | undefined {
  return SCHEMA_FILE === undefined ? undefined : relative(resolve(dir), SCHEMA_FILE).split('\\').join('/');
}

// ---------------------------------------------------------------------------------------------
// Text for the command line

/** The report as lines: the outcome, what broke, the file, and last the replay line (for a run
 *  that held, the command that reruns the same cases). */
export function formatFuzzReport(r: FuzzReport, replayCommand: (seed: number, path?: string) => string = defaultReplayCommand): string[] {
  const rate = r.wallMs > 0 ? ` (${((r.runsDone / r.wallMs) * 1000).toFixed(0)} runs/s)` : '';
  if (r.outcome === 'error') return [`fuzz: ${r.message}`];
  const shared = r.baselineFailures.first ? [`  ${r.baselineFailures.count} case(s) also failed under the baseline and were set aside, first: ${r.baselineFailures.first.invariant}: ${r.baselineFailures.first.message}`] : [];
  if (r.outcome === 'passed') {
    const held = r.replayed ? `✓ replayed case ${r.replayed.path} (seed ${r.seed}) keeps every invariant` : `✓ ${r.runsDone} runs, every invariant held; ${(r.wallMs / 1000).toFixed(1)}s${rate}`;
    return [held, ...shared, `replay: ${replayCommand(r.seed, r.replayed?.path)}`];
  }
  const f = r.failure;
  const shape = `${r.caseSize.nodes} node(s), ${r.caseSize.pods} pod(s), ${r.caseSize.events} event(s); ${(r.wallMs / 1000).toFixed(1)}s`;
  const lines = r.replayed
    ? [`✗ replayed case ${r.path} (seed ${r.seed}): ${f.invariant} broken at ${formatDuration(f.timeMs)} virtual: ${f.message}`, `  ${shape}`]
    : [`✗ ${f.invariant} broken at run ${r.runsDone}, at ${formatDuration(f.timeMs)} virtual: ${f.message}`, `  shrunk in ${r.shrinkSteps} steps (${r.shrinkRuns} runs) to ${shape}`];
  if (r.file) lines.push(`  scenario: ${r.file}${r.verification.reproduces ? '' : ' (WARNING: it does not reproduce the failure when loaded)'}`);
  lines.push(...shared);
  lines.push(r.verification.passesUnderDefault ? "  under kube-scheduler's default profile the scenario keeps every invariant" : "  the scenario fails under kube-scheduler's default profile too");
  lines.push(`replay: ${replayCommand(r.seed, r.path)}`);
  return lines;
}
