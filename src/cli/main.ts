// The command line: parses arguments, loads scenarios, runs them, reports, and maps the outcome
// to the exit code (0 all passed, 1 a scenario failed, 2 invalid input or usage, 3 internal
// error). Only this layer reads the wall clock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { KUBERNETES_RELEASE, kubedrillVersion } from './version.js';
import type { SchedulerSetup } from '../cluster/cluster.js';
import { parseDuration } from '../engine/time.js';
import { FAULT_FAMILIES, type FaultFamily, type FuzzSize, SIZE_PRESETS, type SizeName } from '../fuzz/arbitraries.js';
import { comparePolicies, formatComparison, randomScenarios } from '../fuzz/compare.js';
import { DEFAULT_SCHEDULER, formatFuzzReport, runFuzz } from '../fuzz/fuzz.js';
import { defaultWorkers } from '../fuzz/parallel.js';
import { colorsEnabled, makeColors } from '../report/colors.js';
import { renderExplain } from '../report/explain.js';
import { PrettyReporter } from '../report/pretty.js';
import type { Reporter } from '../report/reporter.js';
import { TapReporter } from '../report/tap.js';
import { explainPod, parsePodRef } from '../scenario/explain.js';
import { loadFile, loadPaths } from '../scenario/load.js';
import { type PolicyResult, loadPolicyFile, resolvePolicy } from '../scenario/policy.js';
import { runScenario } from '../scenario/run.js';
import { type LoadError, type Scenario, formatLoadError } from '../scenario/types.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
export const EXIT_INTERNAL = 3;

const USAGE = `Usage:
  kubedrill run [paths...] [--policy FILE] [--seed N] [--grep PATTERN] [--reporter pretty|tap] [--timeout 60s] [--max-steps N]
  kubedrill validate [paths...] [--policy FILE]
  kubedrill explain <scenario-file> --pod <namespace/name | name> [--at DURATION] [--attempt N] [--seed N] [--scenario NAME] [--policy FILE] [--json]
  kubedrill fuzz [--policy FILE] [--runs 1000] [--seed N] [--size small|medium|large] [--max-nodes N]
                 [--max-pods N] [--max-events N] [--invariants a,b] [--faults a,b] [--baseline default|none]
                 [--out fuzz-out] [--replay PATH] [--jobs N]
  kubedrill compare --policy A --policy B [paths...] [--random N] [--seed N] [--size small|medium|large]
                    [--max-nodes N] [--max-pods N] [--max-events N]

  kubedrill --version | kubedrill <command> --help

Paths are scenario files or folders (searched for *.yaml / *.yml); default: scenarios/.
--policy is a KubeSchedulerConfiguration file or a custom plugin module (.js/.mjs/.cjs/.ts/.mts);
it replaces every scenario's cluster.scheduler. compare also takes "default" (kube-scheduler's
default profile).
explain replays the scenario and takes apart one scheduling attempt of the pod (a bare name is in
the default namespace): the N-th attempt (default 1) at or after --at (default 0s). --scenario
picks a scenario when the file holds several.
fuzz runs random clusters, workloads and faults under the policy (default: the default profile),
checks every invariant, and writes the shrunk failing case to --out as a scenario; --seed and
--replay rerun one case exactly (the report's last line says how). --jobs spreads the runs over N
worker threads (default: one per core); the report does not depend on it.
Exit codes: 0 all passed (explain: explained), 1 a scenario or a fuzz run failed, 2 invalid input
or usage (explain: also a pod with no such attempt), 3 internal error (fuzz: a case that does not
fail again when replayed).`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  nowMs: () => number;
  /** stderr is a terminal: fuzz draws its progress line there. */
  errIsTTY?: boolean;
  /** A seed for a fuzz run given no --seed (bin.ts draws it from the clock; it is printed first). */
  freshSeed?: () => number;
}

class UsageError extends Error {}

const COMMANDS = new Set(['run', 'validate', 'explain', 'fuzz', 'compare']);

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE + '\n');
      return command === undefined ? EXIT_INVALID : EXIT_OK;
    }
    if (command === '--version' || command === '-V' || command === 'version') {
      io.out(`kubedrill ${kubedrillVersion() || '(unknown version)'}, modelling Kubernetes ${KUBERNETES_RELEASE}\n`);
      return EXIT_OK;
    }
    // `kubedrill <command> --help`: the usage, not an unknown-option error (options after `--`
    // are positionals, so a scenario file named --help can still be given there).
    const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (COMMANDS.has(command) && (options.includes('--help') || options.includes('-h'))) {
      io.out(USAGE + '\n');
      return EXIT_OK;
    }
    if (command === 'run') return await runCommand(rest, io);
    if (command === 'validate') return await validateCommand(rest, io);
    if (command === 'explain') return await explainCommand(rest, io);
    if (command === 'fuzz') return await fuzzCommand(rest, io);
    if (command === 'compare') return await compareCommand(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`kubedrill: ${e.message}\n\n${USAGE}\n`);
      return EXIT_INVALID;
    }
    io.err(`kubedrill: internal error (please report it): ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

/** parseArgs as every command uses it: strict, with positionals. */
function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  return parseArgs({ args, allowPositionals: true, strict: true, options });
}

/** --max-nodes / --max-pods / --max-events: bounds over a --size preset (fuzz, compare). */
const SIZE_BOUND_OPTIONS = {
  'max-nodes': { type: 'string' },
  'max-pods': { type: 'string' },
  'max-events': { type: 'string' },
} as const;

async function runCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    policy: { type: 'string' },
    seed: { type: 'string' },
    grep: { type: 'string' },
    reporter: { type: 'string', default: 'pretty' },
    timeout: { type: 'string', default: '60s' },
    'max-steps': { type: 'string' },
  });
  const seed = values.seed === undefined ? undefined : parseInteger(values.seed, '--seed');
  const maxSteps = values['max-steps'] === undefined ? undefined : parseInteger(values['max-steps'], '--max-steps');
  const timeout = parseDuration(values.timeout);
  if (!timeout.ok) throw new UsageError(`--timeout: ${timeout.message}`);
  let grep: RegExp | undefined;
  try {
    grep = values.grep === undefined ? undefined : new RegExp(values.grep);
  } catch (e) {
    throw new UsageError(`--grep: ${(e as Error).message}`);
  }
  const reporter = makeReporter(values.reporter!, io);
  const policy = await policyOption(values.policy);
  if (policy && !policy.ok) return reportLoadErrors(policy.errors, io);
  const loaded = await loadWithPolicies(positionals, policy);
  const scenarios = loaded.scenarios.filter(({ scenario }) => !grep || grep.test(scenario.name));
  const started = io.nowMs();
  reporter.onCollected(scenarios.length);
  let passed = 0;
  let failed = 0;
  for (const { scenario: s, scheduler } of scenarios) {
    const t0 = io.nowMs();
    const result = runScenario(s, { scheduler, ...(seed !== undefined ? { seed } : {}), ...(maxSteps !== undefined ? { maxSteps } : {}), wallClockExceeded: () => io.nowMs() - t0 > timeout.ms });
    if (result.passed) passed++;
    else failed++;
    reporter.onResult(result, Math.round(io.nowMs() - t0));
  }
  if (loaded.errors.length) reporter.onLoadErrors(loaded.errors);
  reporter.onFinished({ passed, failed, invalid: loaded.errors.length, wallMs: Math.round(io.nowMs() - started) });
  if (loaded.errors.length > 0) return EXIT_INVALID;
  if (scenarios.length === 0) {
    io.err('kubedrill: no scenario found\n');
    return EXIT_INVALID;
  }
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

async function validateCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, { policy: { type: 'string' } });
  const policy = await policyOption(values.policy);
  if (policy && !policy.ok) return reportLoadErrors(policy.errors, io);
  const loaded = await loadWithPolicies(positionals, policy);
  for (const e of loaded.errors) io.err(formatLoadError(e) + '\n');
  io.out(`${loaded.scenarios.length} scenario(s) valid, ${loaded.errors.length} error(s)\n`);
  if (loaded.errors.length > 0) return EXIT_INVALID;
  return loaded.scenarios.length === 0 ? EXIT_INVALID : EXIT_OK;
}

async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    policy: { type: 'string' },
    pod: { type: 'string' },
    at: { type: 'string' },
    attempt: { type: 'string' },
    seed: { type: 'string' },
    scenario: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError(`explain takes exactly one scenario file, got ${positionals.length}`);
  if (values.pod === undefined) throw new UsageError('explain needs --pod <namespace/name | name>');
  if (parsePodRef(values.pod) === undefined) throw new UsageError(`--pod must be <namespace>/<name> or <name>, got "${values.pod}"`);
  let atMs = 0;
  if (values.at !== undefined) {
    const at = parseDuration(values.at);
    if (!at.ok) throw new UsageError(`--at: ${at.message}`);
    atMs = at.ms;
  }
  const attempt = values.attempt === undefined ? 1 : parseInteger(values.attempt, '--attempt');
  if (attempt < 1) throw new UsageError('--attempt counts from 1');
  const seed = values.seed === undefined ? undefined : parseInteger(values.seed, '--seed');
  const file = positionals[0]!;
  const loaded = loadFile(file);
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) io.err(formatLoadError(e) + '\n');
    return EXIT_INVALID;
  }
  const candidates = values.scenario === undefined ? loaded.scenarios : loaded.scenarios.filter((s) => s.name === values.scenario);
  if (candidates.length !== 1) {
    const list = loaded.scenarios.map((s) => s.name).join(', ');
    const why = loaded.scenarios.length === 0 ? `${file} holds no scenario` : values.scenario !== undefined ? `${file} has no scenario named "${values.scenario}" (it has: ${list})` : `${file} holds ${loaded.scenarios.length} scenarios (${list}); pick one with --scenario NAME`;
    io.err(`kubedrill: ${why}\n`);
    return EXIT_INVALID;
  }
  const policy = (await policyOption(values.policy)) ?? (await resolvePolicy(candidates[0]!.cluster.scheduler));
  if (!policy.ok) return reportLoadErrors(policy.errors, io);
  const result = explainPod(candidates[0]!, { pod: values.pod, atMs, attempt, scheduler: policy.setup, ...(seed !== undefined ? { seed } : {}) });
  if ('error' in result) {
    io.err(`kubedrill: ${result.error}\n`);
    return EXIT_INVALID;
  }
  io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : renderExplain(result, makeColors(colorsEnabled(io.env, io.isTTY))));
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------
// Policies

/** `--policy FILE`, loaded; undefined without the option. */
async function policyOption(path: string | undefined): Promise<PolicyResult | undefined> {
  return path === undefined ? undefined : loadPolicyFile(path);
}

interface Runnable {
  scenario: Scenario;
  scheduler: SchedulerSetup;
}

/** The scenarios at these paths (default scenarios/), each with its scheduler set-up: `--policy`'s
 *  for all, or each scenario's own cluster.scheduler resolved (plugin modules loaded). A scenario
 *  whose policy does not load is an error, reported with the load errors. */
async function loadWithPolicies(paths: string[], policy: PolicyResult | undefined): Promise<{ scenarios: Runnable[]; errors: LoadError[] }> {
  const loaded = loadPaths(paths.length ? paths : ['scenarios']);
  const errors = [...loaded.errors];
  const reported = new Set(errors.map(formatLoadError));
  const scenarios: Runnable[] = [];
  for (const scenario of loaded.scenarios) {
    const r = policy ?? (await resolvePolicy(scenario.cluster.scheduler));
    if (r.ok) {
      scenarios.push({ scenario, scheduler: r.setup });
      continue;
    }
    // Scenarios sharing one broken configuration file report its errors once.
    for (const e of r.errors) {
      const text = formatLoadError(e);
      if (reported.has(text)) continue;
      reported.add(text);
      errors.push(e);
    }
  }
  return { scenarios, errors };
}

function reportLoadErrors(errors: readonly LoadError[], io: Io): number {
  for (const e of errors) io.err(formatLoadError(e) + '\n');
  return EXIT_INVALID;
}

// ---------------------------------------------------------------------------------------------
// fuzz and compare

async function fuzzCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    policy: { type: 'string' },
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    size: { type: 'string', default: 'small' },
    ...SIZE_BOUND_OPTIONS,
    invariants: { type: 'string' },
    faults: { type: 'string' },
    baseline: { type: 'string' },
    out: { type: 'string', default: 'fuzz-out' },
    replay: { type: 'string' },
    jobs: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`fuzz takes no positional arguments, got "${positionals[0]}"`);
  const jobs = values.jobs === undefined ? defaultWorkers() : parseInteger(values.jobs, '--jobs');
  if (jobs < 1) throw new UsageError('--jobs must be at least 1');
  const runs = parseInteger(values.runs!, '--runs');
  if (runs < 1) throw new UsageError('--runs must be at least 1');
  if (values.replay !== undefined && values.seed === undefined) throw new UsageError('--replay needs the --seed of the run that found the case');
  const seed = values.seed === undefined ? (io.freshSeed?.() ?? 1) : parseInteger(values.seed, '--seed');
  const size = values.size!;
  const bounds = sizeBounds(size, values);
  const baselineName = values.baseline ?? (values.policy === undefined ? 'none' : 'default');
  if (baselineName !== 'default' && baselineName !== 'none') throw new UsageError(`--baseline must be default or none, got "${baselineName}"`);
  const invariants = values.invariants === undefined ? undefined : splitList(values.invariants);
  const faults = values.faults === undefined ? undefined : splitList(values.faults);
  const unknownFaults = (faults ?? []).filter((f) => !(FAULT_FAMILIES as readonly string[]).includes(f));
  if (unknownFaults.length) throw new UsageError(`--faults: unknown fault kind(s) ${unknownFaults.join(', ')} (known: ${FAULT_FAMILIES.join(', ')})`);
  if (values.replay !== undefined && !/^\d+(:\d+)*$/.test(values.replay)) throw new UsageError(`--replay must be a fast-check path such as 1:0:3, got "${values.replay}"`);

  let scheduler: SchedulerSetup = DEFAULT_SCHEDULER;
  if (values.policy !== undefined) {
    const policy = await loadPolicyFile(values.policy);
    if (!policy.ok) return reportLoadErrors(policy.errors, io);
    scheduler = policy.setup;
  }

  // The command that reruns these runs (or, with a path, one case): every option that shapes the cases.
  const replayCommand = (s: number, path?: string): string =>
    [
      'kubedrill fuzz',
      values.policy !== undefined ? `--policy ${shellWord(values.policy)}` : '',
      `--seed ${s}`,
      path === undefined ? `--runs ${runs}` : '',
      size !== 'small' ? `--size ${size}` : '',
      ...(['max-nodes', 'max-pods', 'max-events'] as const).map((k) => (values[k] !== undefined ? `--${k} ${values[k]}` : '')),
      invariants ? `--invariants ${invariants.join(',')}` : '',
      faults ? `--faults ${faults.join(',')}` : '',
      values.baseline !== undefined ? `--baseline ${baselineName}` : '',
      path !== undefined ? `--replay ${path}` : '',
    ]
      .filter(Boolean)
      .join(' ');

  io.out(`fuzz seed=${seed} runs=${values.replay === undefined ? runs : 1} size=${size}${describeBounds(size as SizeName, bounds)} policy=${values.policy ?? 'default'} baseline=${baselineName}\n`);
  const progress = io.errIsTTY === true;
  let lastDrawn = -1;
  const draw = (line: string, key: number): void => {
    if (!progress || key === lastDrawn) return;
    lastDrawn = key;
    io.err(`\r\x1b[K${line}`);
  };
  const report = runFuzz({
    scheduler,
    ...(values.policy !== undefined ? { policyPath: values.policy } : {}),
    runs,
    seed,
    size: bounds,
    ...(invariants ? { invariants } : {}),
    ...(faults ? { faults: faults as FaultFamily[] } : {}),
    ...(baselineName === 'default' ? { baseline: DEFAULT_SCHEDULER } : {}),
    outDir: values.out!,
    ...(values.replay !== undefined ? { replay: { seed, path: values.replay } } : {}),
    now: io.nowMs,
    onProgress: (done, total) => draw(`run ${done}/${total}`, Math.floor((done * 100) / total)),
    onShrink: (attempts, steps) => draw(`shrinking: ${steps} steps, ${attempts} runs`, 1000 + attempts),
    writeFile: writeNewFile,
    replayCommand,
    workers: jobs,
  });
  if (progress && lastDrawn >= 0) io.err('\r\x1b[K');
  const lines = formatFuzzReport(report, replayCommand);
  if (report.outcome === 'error') {
    io.err(`kubedrill: ${lines.join('\n')}\n`);
    return report.reason === 'invalid-options' ? EXIT_INVALID : EXIT_INTERNAL;
  }
  io.out(lines.join('\n') + '\n');
  return report.outcome === 'passed' ? EXIT_OK : EXIT_FAILED;
}

/** Writes a new file (creating its folder), never over an existing one; false if it exists. */
export function writeNewFile(path: string, text: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, text, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function compareCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    policy: { type: 'string', multiple: true },
    random: { type: 'string' },
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: 'medium' },
    ...SIZE_BOUND_OPTIONS,
  });
  const policies = values.policy ?? [];
  if (policies.length !== 2) throw new UsageError(`compare needs two policies (--policy A --policy B), got ${policies.length}`);
  const random = values.random === undefined ? 0 : parseInteger(values.random, '--random');
  const seed = parseInteger(values.seed!, '--seed');
  const bounds = sizeBounds(values.size!, values);
  const setups: SchedulerSetup[] = [];
  const errors: LoadError[] = [];
  for (const p of policies) {
    if (p === 'default') {
      setups.push(DEFAULT_SCHEDULER);
      continue;
    }
    const r = await loadPolicyFile(p);
    if (r.ok) setups.push(r.setup);
    else errors.push(...r.errors);
  }
  const loaded = positionals.length > 0 || random === 0 ? loadPaths(positionals.length ? positionals : ['scenarios']) : { scenarios: [], errors: [] };
  errors.push(...loaded.errors);
  if (errors.length > 0) return reportLoadErrors(errors, io);
  const scenarios = [...loaded.scenarios, ...randomScenarios(random, seed, bounds)];
  if (scenarios.length === 0) {
    io.err('kubedrill: no scenario found\n');
    return EXIT_INVALID;
  }
  const report = comparePolicies(setups[0]!, setups[1]!, scenarios, { names: [policies[0]!, policies[1]!] });
  io.out(formatComparison(report).join('\n') + '\n');
  return EXIT_OK;
}

/** The --size preset with --max-nodes / --max-pods / --max-events applied. */
function sizeBounds(size: string, values: { 'max-nodes'?: string | undefined; 'max-pods'?: string | undefined; 'max-events'?: string | undefined }): FuzzSize {
  if (!(size in SIZE_PRESETS)) throw new UsageError(`--size must be small, medium or large, got "${size}"`);
  const bounds: FuzzSize = { ...SIZE_PRESETS[size as SizeName] };
  const at = (flag: 'max-nodes' | 'max-pods' | 'max-events', min: number): number | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    const n = parseInteger(v, `--${flag}`);
    if (n < min) throw new UsageError(`--${flag} must be at least ${min}, got ${n}`);
    return n;
  };
  bounds.maxNodes = at('max-nodes', 1) ?? bounds.maxNodes;
  bounds.maxPods = at('max-pods', 1) ?? bounds.maxPods;
  bounds.maxEvents = at('max-events', 0) ?? bounds.maxEvents;
  return bounds;
}

function describeBounds(size: SizeName, b: FuzzSize): string {
  const p = SIZE_PRESETS[size];
  return p.maxNodes === b.maxNodes && p.maxPods === b.maxPods && p.maxEvents === b.maxEvents ? '' : ` (≤${b.maxNodes} nodes, ≤${b.maxPods} pods, ≤${b.maxEvents} events)`;
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** A path as a shell word (quoted when it holds anything but safe characters). */
function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function makeReporter(name: string, io: Io): Reporter {
  if (name === 'pretty') return new PrettyReporter(io.out, makeColors(colorsEnabled(io.env, io.isTTY)));
  if (name === 'tap') return new TapReporter(io.out);
  throw new UsageError(`--reporter must be pretty or tap, got "${name}"`);
}

function parseInteger(s: string, flag: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new UsageError(`${flag} must be a non-negative integer, got "${s}"`);
  return Number(s);
}
