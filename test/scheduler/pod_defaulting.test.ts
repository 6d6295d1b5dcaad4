// Pods are scheduled as the API server defaulted them (pkg/apis/core/v1/defaults.go
// SetDefaults_Pod), as on a real cluster: NodeResourcesFit, NodePorts, the kubelet's admission
// and the invariants all read the stored, defaulted pod. A pod that sets only limits requests
// them; a pod on the host network holds its container ports as host ports; a pod with pod-level
// limits requests its containers' requests, or those limits (PodLevelResources).
import t, { type Test } from 'tap';
import { loadText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';

/**
 * One 2-CPU node, a pod `big` whose defaulted requests (3 CPU) do not fit it and a pod `fits`
 * whose do: `fits` runs, `big` stays Pending on Insufficient cpu, and each stored pod reads as
 * `bigSpec` / `fitsSpec` say (YAML flow maps of the expected spec).
 */
function twoPods(name: string, big: string, fits: string, bigSpec: string, fitsSpec?: string): string {
  const object = (pod: string, spec: string) => `
  - at: 30s
    object:
      apiVersion: v1
      kind: Pod
      metadata: {name: ${pod}}
      spec: ${spec}`;
  return `
name: ${name}
until: 1m
cluster:
  nodes:
    - name: node-1
      capacity: {cpu: "2", memory: 8Gi}
  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: big}
      spec: ${big}
    - apiVersion: v1
      kind: Pod
      metadata: {name: fits}
      spec: ${fits}
expect:
  - at: 30s
    pods: {names: [fits], phase: Running, count: 1}
  - at: 30s
    pods: {names: [big], phase: Pending, count: 1}
  - at: 30s
    event: {reason: FailedScheduling, message: "Insufficient cpu"}${object('big', bigSpec)}${fitsSpec === undefined ? '' : object('fits', fitsSpec)}
`;
}

const scenario = twoPods(
  'limits-only',
  '{containers: [{name: c, image: app, resources: {limits: {cpu: "3", memory: 1Gi}}}]}',
  '{containers: [{name: c, image: app, resources: {limits: {cpu: "1500m"}}}]}',
  '{containers: [{name: c, resources: {requests: {cpu: "3", memory: 1Gi}, limits: {cpu: "3", memory: 1Gi}}}]}',
);

/** Loads and runs one inline scenario; every expectation must hold. */
function passes(t: Test, yaml: string, what: string): void {
  const loaded = loadText(yaml, 'inline.yaml');
  t.same(loaded.errors, []);
  t.same(runScenario(loaded.scenarios[0]!).failures, [], what);
}

t.test('limits without requests: the pod needs its limits', async (t) => {
  passes(t, scenario, 'big (3 CPU by its limit) stays Pending on a 2-CPU node; fits (1.5 CPU) runs');
});

const hostNetwork = `
name: host-network
until: 1m
cluster:
  nodes:
    - name: node-1
      capacity: {cpu: "4", memory: 8Gi}
  objects:${['a', 'b'].map(
  (x) => `
    - apiVersion: v1
      kind: Pod
      metadata: {name: agent-${x}}
      spec:
        hostNetwork: true
        containers: [{name: c, image: agent, ports: [{containerPort: 9100}]}]`,
).join('')}
expect:
  - at: 30s
    pods: {names: [agent-a], phase: Running, count: 1}
  - at: 30s
    pods: {names: [agent-b], phase: Pending, count: 1}
  - at: 30s
    event: {reason: FailedScheduling, message: "didn't have free ports for the requested pod ports"}
`;

t.test('host network: a container port is a host port, so two such pods do not share a node', async (t) => {
  passes(t, hostNetwork, 'agent-b stays Pending: node-1 has no free port 9100');
});

const podLevel = twoPods(
  'pod-level-limits',
  '{resources: {limits: {cpu: "3", memory: 1Gi}}, containers: [{name: a, image: app}, {name: b, image: app}]}',
  '{resources: {limits: {cpu: "4", memory: 2Gi}}, containers: [{name: a, image: app, resources: {requests: {cpu: 500m}}}, {name: b, image: app, resources: {requests: {cpu: "1"}}}]}',
  '{resources: {requests: {cpu: "3", memory: 1Gi}, limits: {cpu: "3", memory: 1Gi}}}',
  '{resources: {requests: {cpu: 1500m, memory: 2Gi}, limits: {cpu: "4", memory: 2Gi}}}',
);

t.test('pod-level limits without requests: the pod requests them, or what its containers request (PodLevelResources)', async (t) => {
  passes(t, podLevel, 'big (3 CPU by its pod-level limit) stays Pending on a 2-CPU node; fits requests its containers\' 1.5 CPU and runs');
});
