// Process entry point: real stdout/stderr, the environment and the wall clock.
import { performance } from 'node:perf_hooks';
import { main } from './main.js';

const code = main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  nowMs: () => performance.now(),
});
process.exitCode = code;
