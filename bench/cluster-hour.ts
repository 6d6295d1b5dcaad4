// A user's long scenario on a whole cluster: 1,000 nodes in 5 zones with every component running
// (kubelets, node lifecycle, taint eviction, ReplicaSet, Deployment, garbage collector, PodGC,
// volume controllers, scheduler), 20 Deployments of 50 replicas spread across zones, and an hour
// of virtual time in which a node fails every 5 minutes and comes back 10 minutes later (its
// pods evicted after the 300s tolerations and rescheduled), one Deployment is scaled up and
// another rolled out. Loaded from YAML and run as `kubedrill run` runs it, with every safety
// invariant checked at every write. Prints the virtual time simulated per wall-clock second,
// the steps, peak memory and the trace digest.
import { performance } from 'node:perf_hooks';
import { loadText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/run.js';

const NODES = 1000;
const ZONES = 5;
const DEPLOYMENTS = 20;
const REPLICAS = 50;

function scenarioText(): string {
  const lines = ['name: cluster-hour', 'seed: 1', 'until: 1h', 'cluster:', '  nodes:'];
  for (let z = 1; z <= ZONES; z++) {
    lines.push(`    - {name: "zone-${z}-node-{i}", count: ${NODES / ZONES}, zone: zone-${z}, capacity: {cpu: "8", memory: 32Gi, pods: 110}}`);
  }
  lines.push('  objects:');
  for (let d = 1; d <= DEPLOYMENTS; d++) {
    lines.push(
      '    - apiVersion: apps/v1',
      '      kind: Deployment',
      `      metadata: {name: app-${d}}`,
      '      spec:',
      `        replicas: ${REPLICAS}`,
      `        selector: {matchLabels: {app: app-${d}}}`,
      '        template:',
      `          metadata: {labels: {app: app-${d}}}`,
      '          spec:',
      '            topologySpreadConstraints:',
      `              - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: app-${d}}}}`,
      `            containers: [{name: app, image: "app:${d}", resources: {requests: {cpu: 250m, memory: 512Mi}}}]`,
    );
  }
  lines.push('events:');
  for (let m = 5, k = 0; m < 60; m += 5, k++) {
    const node = `zone-${(k % ZONES) + 1}-node-${k + 1}`;
    lines.push(`  - {at: ${m}m, failNode: ${node}}`);
    if (m + 10 < 60) lines.push(`  - {at: ${m + 10}m, recoverNode: ${node}}`);
  }
  lines.push('  - {at: 20m, scale: {kind: Deployment, name: app-1, replicas: 80}}');
  lines.push('  - {at: 30m, patch: {kind: Deployment, name: app-2, patch: {spec: {template: {spec: {containers: [{name: app, image: "app:2-v2", resources: {requests: {cpu: 250m, memory: 512Mi}}}]}}}}}}');
  return `${lines.join('\n')}\n`;
}

export interface ClusterHourResult {
  virtualMs: number;
  nodes: number;
  pods: number;
  wallMs: number;
  steps: number;
  passed: boolean;
  digest: string;
}

export function clusterHour(now: () => number = () => performance.now()): ClusterHourResult {
  const loaded = loadText(scenarioText(), 'bench/cluster-hour.yaml');
  if (loaded.errors.length > 0) throw new Error(`cluster-hour did not load: ${loaded.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
  const scenario = loaded.scenarios[0]!;
  const t0 = now();
  const r = runScenario(scenario, { keepTrace: false });
  const wallMs = now() - t0;
  return { virtualMs: r.endMs, nodes: NODES, pods: DEPLOYMENTS * REPLICAS, wallMs, steps: r.steps, passed: r.passed, digest: r.digest };
}
