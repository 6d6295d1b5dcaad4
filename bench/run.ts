// `npm run bench [-- NAME]`: runs the benchmarks and prints their figures. Never part of `npm test`.
// Each benchmark runs in a process of its own, so none inherits another's heap (and its garbage
// collection) and each peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { clusterHour } from './cluster-hour.js';
import { fuzzBenchmarks } from './fuzz.js';
import { schedulingBasic } from './scheduling-basic.js';

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MiB`;
}

function runSchedulingBasic(label: string, pct: number): void {
  const r = schedulingBasic({ nodes: 5000, initialPods: 5000, measuredPods: 50_000, percentageOfNodesToScore: pct }, () => performance.now());
  console.log(
    `SchedulingBasic/5000Nodes ${label}: ${r.scheduled} pods in ${(r.wallMs / 1000).toFixed(2)}s = ${r.podsPerSecond.toFixed(0)} pods/s; peak RSS ${mb(process.resourceUsage().maxRSS)}; digest ${r.digest.slice(0, 16)}`,
  );
}

function runClusterHour(): void {
  const r = clusterHour(() => performance.now());
  const speed = r.virtualMs / r.wallMs;
  console.log(
    `ClusterHour/${r.nodes}Nodes: 1h of virtual time (${r.pods} replicas, node failures every 5m, all components, every invariant) in ${(r.wallMs / 1000).toFixed(2)}s = ${speed.toFixed(0)}x real time; ${r.steps} steps; peak RSS ${mb(process.resourceUsage().maxRSS)}; ${r.passed ? 'passed' : 'FAILED'}; digest ${r.digest.slice(0, 16)}`,
  );
}

const BENCHMARKS: Record<string, () => void> = {
  'scheduling-basic-adaptive': () => runSchedulingBasic('percentageOfNodesToScore=0 (adaptive)', 0),
  'scheduling-basic-100': () => runSchedulingBasic('percentageOfNodesToScore=100', 100),
  fuzz: () => void fuzzBenchmarks(() => performance.now()),
  'cluster-hour': runClusterHour,
};
const GROUPS: Record<string, string[]> = { 'scheduling-basic': ['scheduling-basic-adaptive', 'scheduling-basic-100'] };

const asked = process.argv[2];
const one = asked === undefined ? undefined : BENCHMARKS[asked];
if (one) {
  one();
} else {
  const names = asked === undefined ? Object.keys(BENCHMARKS) : GROUPS[asked];
  if (names === undefined) {
    console.error(`unknown benchmark "${asked}"; known: ${[...Object.keys(GROUPS), ...Object.keys(BENCHMARKS)].join(', ')}`);
    process.exitCode = 2;
  } else {
    for (const name of names) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
      if (r.status !== 0) process.exitCode = r.status ?? 1;
    }
  }
}
