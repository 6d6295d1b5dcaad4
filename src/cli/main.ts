// The command line: parses arguments, loads scenarios, runs them, reports, and maps the outcome
// to the exit code (0 all passed, 1 a scenario failed, 2 invalid input or usage, 3 internal
// error). Only this layer reads the wall clock.
import { parseArgs } from 'node:util';
import { parseDuration } from '../engine/time.js';
import { colorsEnabled, makeColors } from '../report/colors.js';
import { PrettyReporter } from '../report/pretty.js';
import type { Reporter } from '../report/reporter.js';
import { TapReporter } from '../report/tap.js';
import { loadPaths } from '../scenario/load.js';
import { runScenario } from '../scenario/run.js';
import { formatLoadError } from '../scenario/types.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
export const EXIT_INTERNAL = 3;

const USAGE = `Usage:
  kubedrill run [paths...] [--seed N] [--grep PATTERN] [--reporter pretty|tap] [--timeout 60s] [--max-steps N]
  kubedrill validate [paths...]

Paths are scenario files or folders (searched for *.yaml / *.yml); default: scenarios/.
Exit codes: 0 all passed, 1 a scenario failed, 2 invalid input or usage, 3 internal error.`;

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

function makeReporter(name: string, io: Io): Reporter {
  if (name === 'pretty') return new PrettyReporter(io.out, makeColors(colorsEnabled(io.env, io.isTTY)));
  if (name === 'tap') return new TapReporter(io.out);
  throw new UsageError(`--reporter must be pretty or tap, got "${name}"`);
}

function parseInteger(s: string, flag: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new UsageError(`${flag} must be a non-negative integer, got "${s}"`);
  return Number(s);
}
