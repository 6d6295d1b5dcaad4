// `npm run bench`: runs the benchmarks and prints their figures. Never part of `npm test`.
import { performance } from 'node:perf_hooks';
import { fuzzBenchmarks } from './fuzz.js';
import { schedulingBasic } from './scheduling-basic.js';

const only = process.argv[2];

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MiB`;
}

function runSchedulingBasic(label: string, pct: number): void {
  const r = schedulingBasic({ nodes: 5000, initialPods: 5000, measuredPods: 50_000, percentageOfNodesToScore: pct }, () => performance.now());
  console.log(
    `SchedulingBasic/5000Nodes ${label}: ${r.scheduled} pods in ${(r.wallMs / 1000).toFixed(2)}s = ${r.podsPerSecond.toFixed(0)} pods/s; peak RSS ${mb(process.resourceUsage().maxRSS)}; digest ${r.digest.slice(0, 16)}`,
  );
}

if (!only || only === 'scheduling-basic') {
  runSchedulingBasic('percentageOfNodesToScore=0 (adaptive)', 0);
  runSchedulingBasic('percentageOfNodesToScore=100', 100);
}

if (!only || only === 'fuzz') fuzzBenchmarks(() => performance.now());
