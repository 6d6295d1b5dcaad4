// Fuzzing benchmarks: how many random runs per second the fuzzer does on 20-node clusters
// (size medium, every node count at its maximum), and how long it takes to find and shrink a
// planted bug that only shows after a sequence of faults.
//
// The planted bug, FlakyNodeTrust, replaces TaintToleration's filter. It means well: a node that
// has gone NotReady at least twice is "known flaky", and its node-condition taints
// (node.kubernetes.io/not-ready, unreachable, unschedulable) are taken for noise and ignored.
// Upstream's filter (pkg/scheduler/framework/plugins/tainttoleration) ignores no NoSchedule
// taint. To see the bug, a run needs, in order and with the right gaps:
//   1. a workload, 2. failNode (noticed after the 50s grace period), 3. recoverNode,
//   4. failNode again on the same node (noticed: the second NodeNotReady), and
//   5. a new pod (a create or a scale-up) while that node is still down,
// which the policy then binds to the dead node (no-bind-to-failing-node). No single fault, and no
// pair, shows it: the fuzzer has to draw the whole sequence, and shrinking has to keep it.
import { performance } from 'node:perf_hooks';
import type { SchedulerSetup } from '../src/cluster/cluster.js';
import { SIZE_PRESETS } from '../src/fuzz/arbitraries.js';
import { DEFAULT_SCHEDULER, formatFuzzReport, runFuzz } from '../src/fuzz/fuzz.js';
import { defaultWorkers } from '../src/fuzz/parallel.js';
import type { Event } from '../src/api/types.js';
import { type MaybeStatus, unresolvable } from '../src/scheduler/framework/status.js';
import type { AnyPlugin, ClusterEvent, CycleState, Handle, NodeInfo, PodInfo } from '../src/scheduler/framework/types.js';
import { untoleratedTaint } from '../src/scheduler/plugins/taint_toleration.js';

const CONDITION_TAINT_PREFIX = 'node.kubernetes.io/';

/** The planted bug (see the header). */
class FlakyNodeTrust implements AnyPlugin {
  readonly name = 'FlakyNodeTrust';

  constructor(private readonly handle: Handle) {}

  eventsToRegister(): readonly ClusterEvent[] {
    return [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }];
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const flaky = this.notReadyCount(node.name) >= 2;
    const taints = flaky ? node.taints.filter((t) => !t.key.startsWith(CONDITION_TAINT_PREFIX)) : node.taints;
    return untoleratedTaint(taints, pod.pod.spec.tolerations ?? []) === undefined ? null : unresolvable('node(s) had untolerated taint(s)');
  }

  private notReadyCount(node: string): number {
    let n = 0;
    for (const e of this.handle.listObjects('Event') as Event[]) if (e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Node' && e.involvedObject.name === node) n += e.count ?? 0;
    return n;
  }
}

export const FLAKY_NODE_TRUST: SchedulerSetup = {
  profiles: [{ plugins: { filter: { disabled: [{ name: 'TaintToleration' }], enabled: [{ name: 'FlakyNodeTrust' }] } } }],
  percentageOfNodesToScore: 0,
  plugins: new Map([['FlakyNodeTrust', (_args: unknown, handle: Handle) => new FlakyNodeTrust(handle)]]),
};

/** `kubedrill fuzz`'s default --runs. */
const FUZZ_RUNS = 1000;

export interface FuzzBenchResult {
  throughput: { runs: number; wallMs: number; runsPerSecond: number; outcome: string };
  planted: { outcome: string; runsToFind: number; shrinkSteps: number; shrinkRuns: number; wallMs: number; caseSize?: { nodes: number; pods: number; events: number }; events?: string[] };
}

export function fuzzBenchmarks(now: () => number = () => performance.now()): FuzzBenchResult {
  const medium = { ...SIZE_PRESETS.medium, minNodes: SIZE_PRESETS.medium.maxNodes };
  // A search as `kubedrill fuzz` runs one by default (1,000 runs), on one thread, then on one
  // worker thread per core (the default). Each figure includes the start: loading the schema
  // validator, and the JIT warm-up that makes a fresh thread's first ~50 runs 2-4x slower.
  let throughput: FuzzBenchResult['throughput'] | undefined;
  for (const workers of [1, defaultWorkers()]) {
    const cpu0 = process.cpuUsage();
    const t = runFuzz({ scheduler: DEFAULT_SCHEDULER, runs: FUZZ_RUNS, seed: 1, size: medium, now, writeFile: () => false, workers });
    // CPU time of every thread of the process (the workers', V8's compiler and GC threads too).
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    throughput = { runs: t.runsDone, wallMs: t.wallMs, runsPerSecond: (t.runsDone / t.wallMs) * 1000, outcome: t.outcome };
    console.log(
      `fuzz throughput, 20-node random scenarios (size medium, 10m + 6m settle), ${workers} worker(s): ${t.runsDone} runs in ${(t.wallMs / 1000).toFixed(1)}s = ${throughput.runsPerSecond.toFixed(1)} runs/s (${t.outcome}); CPU ${(cpuMs / 1000).toFixed(1)}s = ${(cpuMs / t.runsDone).toFixed(1)} ms/run on ${(cpuMs / t.wallMs).toFixed(2)} cores`,
    );
    if (workers === defaultWorkers()) break;
  }

  const p = runFuzz({ scheduler: FLAKY_NODE_TRUST, baseline: DEFAULT_SCHEDULER, runs: 20_000, seed: 1, size: 'small', now, writeFile: () => false });
  const planted: FuzzBenchResult['planted'] = { outcome: p.outcome, runsToFind: p.runsDone, shrinkSteps: 0, shrinkRuns: 0, wallMs: p.wallMs };
  if (p.outcome === 'failed') {
    Object.assign(planted, { shrinkSteps: p.shrinkSteps, shrinkRuns: p.shrinkRuns, caseSize: p.caseSize, events: p.case.events.map((e) => `${e.atS}s ${e.action.type}`) });
    console.log(`fuzz planted bug (FlakyNodeTrust, 5 steps): found at run ${p.runsDone}, shrunk in ${p.shrinkSteps} steps (${p.shrinkRuns} runs) to ${p.caseSize.nodes} node(s), ${p.caseSize.pods} pod(s), events [${planted.events!.join(', ')}]; ${(p.wallMs / 1000).toFixed(1)}s in all`);
  } else {
    console.log(`fuzz planted bug (FlakyNodeTrust): not found in ${p.runsDone} runs (${(p.wallMs / 1000).toFixed(1)}s)`);
    for (const line of formatFuzzReport(p)) console.log(`  ${line}`);
  }
  return { throughput: throughput!, planted };
}
