// Process entry point: real stdout/stderr, the environment and the wall clock.
import { performance } from 'node:perf_hooks';
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  errIsTTY: process.stderr.isTTY === true,
  nowMs: () => performance.now(),
  // A fuzz run given no --seed draws one from the clock; the run prints it first, so it replays.
  freshSeed: () => Date.now() % 2_147_483_647,
});
process.exitCode = code;
