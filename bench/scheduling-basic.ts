// scheduler_perf's SchedulingBasic shape (test/integration/scheduler_perf/config/performance-config.yaml):
// 5000 nodes (4 CPU, 32Gi, 110 pods), 5000 initial pods, then 50,000 measured pods (100m CPU,
// 500Mi), default profile, scheduler only (as scheduler_perf, no kubelets). Prints pods/s over
// the measured pods, peak memory and the trace digest.
import { Cluster } from '../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../src/cluster/config.js';
import type { Node, Pod } from '../src/api/types.js';

export interface SchedulingBasicOptions {
  nodes: number;
  initialPods: number;
  measuredPods: number;
  percentageOfNodesToScore: number;
}

function node(i: number): Node {
  const name = `node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { capacity: { cpu: '4', memory: '32Gi', pods: '110' }, allocatable: { cpu: '4', memory: '32Gi', pods: '110' } },
  };
}

function pod(prefix: string, i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${prefix}-${i}`, namespace: 'default' },
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
    status: {},
  };
}

export function schedulingBasic(o: SchedulingBasicOptions, now: () => number): { podsPerSecond: number; scheduled: number; digest: string; wallMs: number } {
  const cluster = new Cluster({
    seed: 1,
    controlPlane: DEFAULT_CONTROL_PLANE,
    scheduler: { profiles: [], percentageOfNodesToScore: o.percentageOfNodesToScore },
    invariants: [],
    keepTrace: false,
    components: 'scheduler-only',
  });
  for (let i = 0; i < o.nodes; i++) cluster.store.create(node(i), 'bench');
  for (let i = 0; i < o.initialPods; i++) cluster.store.create(pod('init', i), 'bench');
  cluster.run({ untilMs: 0, maxSteps: Number.MAX_SAFE_INTEGER });
  const before = cluster.scheduler.scheduledCount;
  const t0 = now();
  cluster.sim.at(1, 'bench', () => {
    for (let i = 0; i < o.measuredPods; i++) cluster.store.create(pod('measured', i), 'bench');
  });
  cluster.run({ untilMs: 1, maxSteps: Number.MAX_SAFE_INTEGER });
  const wallMs = now() - t0;
  const scheduled = cluster.scheduler.scheduledCount - before;
  return { podsPerSecond: (scheduled / wallMs) * 1000, scheduled, digest: cluster.sim.trace.digest(), wallMs };
}
