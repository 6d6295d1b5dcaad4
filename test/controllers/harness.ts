// A small cluster for controller tests: a simulation, a store with defaulting admission, the
// event recorder, the controllers asked for, and an optional stand-in kubelet that "runs" pods
// (binds them to a node, marks them Running and Ready after a delay, and confirms graceful
// deletions after another) since no real kubelet runs in these tests.
import { defaulting } from '../../src/api/admission.js';
import { EventRecorder } from '../../src/api/events.js';
import { type AdmissionPlugin, Store } from '../../src/api/store.js';
import { type Deployment, type Pod, type PodTemplateSpec, type ReplicaSet, setCondition } from '../../src/api/types.js';
import { DeploymentController } from '../../src/controllers/deployment.js';
import { GarbageCollector } from '../../src/controllers/garbagecollector.js';
import { ReplicaSetController } from '../../src/controllers/replicaset.js';
import { Simulation } from '../../src/engine/sim.js';

export interface HarnessOptions {
  seed?: number;
  watchLatencyMs?: number;
  replicaSets?: boolean;
  deployments?: boolean;
  gc?: boolean;
  /** Stand-in kubelet: pods become Running+Ready this long after they appear. */
  kubeletReadyMs?: number;
  /** ...and terminating pods go this long after their deletion starts. */
  kubeletTerminateMs?: number;
  admission?: AdmissionPlugin[];
}

export interface Harness {
  sim: Simulation;
  store: Store;
  events: EventRecorder;
  run(untilMs: number): void;
  pods(): Pod[];
  activePods(): Pod[];
  replicaSets(): ReplicaSet[];
  eventMessages(reason?: string): string[];
}

export function harness(options: HarnessOptions = {}): Harness {
  const sim = new Simulation(options.seed ?? 1);
  const store = new Store(sim, options.watchLatencyMs ?? 0);
  store.addAdmission(defaulting);
  for (const plugin of options.admission ?? []) store.addAdmission(plugin);
  const events = new EventRecorder(store, sim.stream('events/aggregator'));
  if (options.replicaSets ?? true) new ReplicaSetController(sim, store, events).start();
  if (options.deployments ?? false) new DeploymentController(sim, store, events).start();
  if (options.gc ?? false) new GarbageCollector(sim, store).start();
  if (options.kubeletReadyMs !== undefined) fakeKubelet(sim, store, options.kubeletReadyMs, options.kubeletTerminateMs ?? 1000);
  return {
    sim,
    store,
    events,
    run: (untilMs) => {
      const outcome = sim.run({ untilMs, maxSteps: 1e6 });
      if (outcome.kind !== 'completed') throw new Error(`run ended: ${JSON.stringify(outcome)}`);
    },
    pods: () => [...store.list<Pod>('Pod')],
    activePods: () => [...store.list<Pod>('Pod')].filter((p) => p.metadata.deletionTimestamp === undefined),
    replicaSets: () => [...store.list<ReplicaSet>('ReplicaSet')],
    eventMessages: (reason) => events.occurrences.filter((e) => reason === undefined || e.reason === reason).map((e) => e.message),
  };
}

/** Running and Ready since now, bound to `node`. */
export function markRunningReady(store: Store, pod: Pod, nowMs: number, node = 'node-1'): Pod {
  const conditions = setCondition(pod.status.conditions, { type: 'Ready', status: 'True' }, nowMs);
  const next: Pod = { ...pod, spec: { ...pod.spec, nodeName: pod.spec.nodeName ?? node }, status: { ...pod.status, phase: 'Running', conditions } };
  const result = store.update(next, 'test', 'status');
  if (!result.ok) throw new Error(result.message);
  return result.object;
}

function fakeKubelet(sim: Simulation, store: Store, readyMs: number, terminateMs: number): void {
  store.watch<Pod>('Pod', 'test-kubelet', (ev) => {
    const { namespace, name, uid } = ev.object.metadata;
    const current = () => {
      const pod = store.get<Pod>('Pod', namespace, name);
      return pod?.metadata.uid === uid ? pod : undefined;
    };
    if (ev.type === 'ADDED') {
      sim.after(readyMs, 'test-kubelet', () => {
        const pod = current();
        if (pod && pod.metadata.deletionTimestamp === undefined) markRunningReady(store, pod, sim.nowMs);
      });
    } else if (ev.type === 'MODIFIED' && ev.object.metadata.deletionTimestamp !== undefined && ev.old?.metadata.deletionTimestamp === undefined) {
      sim.after(terminateMs, 'test-kubelet', () => {
        if (current()) store.delete('Pod', namespace, name, 'test-kubelet', { gracePeriodSeconds: 0 });
      });
    }
  });
}

export function template(labels: Record<string, string>, image = 'nginx:1'): PodTemplateSpec {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } };
}

export function makeReplicaSet(name: string, replicas: number, labels: Record<string, string>, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels), ...extra },
    status: { replicas: 0 },
  };
}

export function makeDeployment(name: string, replicas: number, labels: Record<string, string>, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels), ...extra },
    status: {},
  };
}

export function create<T extends Parameters<Store['create']>[0]>(store: Store, obj: T): T {
  const result = store.create(obj, 'test');
  if (!result.ok) throw new Error(result.message);
  return result.object as T;
}
