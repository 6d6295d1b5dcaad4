// The command line: parses arguments, loads scenarios, runs them, reports, and maps the outcome
// to the exit code (0 all passed, 1 a scenario failed, 2 invalid input or usage, 3 internal
// error). Only this layer reads the wall clock.
import { parseArgs } from 'node:util';
import { parseDuration } from '../engine/time.js';
import { colorsEnabled, makeColors } from '../report/colors.js';
import { renderExplain } from '../report/explain.js';
import { PrettyReporter } from '../report/pretty.js';
import type { Reporter } from '../report/reporter.js';
import { TapReporter } from '../report/tap.js';
import { explainPod, parsePodRef } from '../scenario/explain.js';
import { loadFile, loadPaths } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { formatLoadError } from '../scenario/types.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
export const EXIT_INTERNAL = 3;

const USAGE = `Usage:
  kubedrill run [paths...] [--seed N] [--grep PATTERN] [--reporter pretty|tap] [--timeout 60s] [--max-steps N]
  kubedrill validate [paths...]
  kubedrill explain <scenario-file> --pod <namespace/name | name> [--at DURATION] [--attempt N] [--seed N] [--scenario NAME] [--json]

Paths are scenario files or folders (searched for *.yaml / *.yml); default: scenarios/.
explain replays the scenario and takes apart one scheduling attempt of the pod (a bare name is in
the default namespace): the N-th attempt (default 1) at or after --at (default 0s). --scenario
picks a scenario when the file holds several.
Exit codes: 0 all passed (explain: explained), 1 a scenario failed, 2 invalid input or usage (explain:
also a pod with no such attempt), 3 internal error.`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  nowMs: () => number;
}

class UsageError extends Error {}

export function main(argv: string[], io: Io): number {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE + '\n');
      return command === undefined ? EXIT_INVALID : EXIT_OK;
    }
    if (command === 'run') return runCommand(rest, io);
    if (command === 'validate') return validateCommand(rest, io);
    if (command === 'explain') return explainCommand(rest, io);
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

function runCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: 'string' },
      grep: { type: 'string' },
      reporter: { type: 'string', default: 'pretty' },
      timeout: { type: 'string', default: '60s' },
      'max-steps': { type: 'string' },
    },
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
  const loaded = loadPaths(positionals.length ? positionals : ['scenarios']);
  const scenarios = loaded.scenarios.filter((s) => !grep || grep.test(s.name));
  const started = io.nowMs();
  reporter.onCollected(scenarios.length);
  let passed = 0;
  let failed = 0;
  for (const s of scenarios) {
    const t0 = io.nowMs();
    const result = runScenario(s, { ...(seed !== undefined ? { seed } : {}), ...(maxSteps !== undefined ? { maxSteps } : {}), wallClockExceeded: () => io.nowMs() - t0 > timeout.ms });
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

function validateCommand(args: string[], io: Io): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const loaded = loadPaths(positionals.length ? positionals : ['scenarios']);
  for (const e of loaded.errors) io.err(formatLoadError(e) + '\n');
  io.out(`${loaded.scenarios.length} scenario(s) valid, ${loaded.errors.length} error(s)\n`);
  if (loaded.errors.length > 0) return EXIT_INVALID;
  return loaded.scenarios.length === 0 ? EXIT_INVALID : EXIT_OK;
}

function explainCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      pod: { type: 'string' },
      at: { type: 'string' },
      attempt: { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
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
  const result = explainPod(candidates[0]!, { pod: values.pod, atMs, attempt, ...(seed !== undefined ? { seed } : {}) });
  if ('error' in result) {
    io.err(`kubedrill: ${result.error}\n`);
    return EXIT_INVALID;
  }
  io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : renderExplain(result, makeColors(colorsEnabled(io.env, io.isTTY))));
  return EXIT_OK;
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
