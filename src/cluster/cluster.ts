// One simulated cluster: the engine, the API store with admission, and every component wired
// to it. Scenario events and the fuzzer act through the methods here, as kubectl and the
// machines would; invariants observe every write.
import { defaultTolerationSeconds, defaulting, priorityAdmission, taintNodesByCondition } from '../api/admission.js';
import { EventRecorder } from '../api/events.js';
import { limitRanger } from '../api/limitranger.js';
import { disruptionsAllowed, pdbCovers } from '../api/pdb.js';
import { storageDefaulting } from '../api/storage.js';
import { Store, type WriteResult } from '../api/store.js';
import { type AnyObject, type Kind, type Node, type Pod, type PodDisruptionBudget, KINDS, isKind, podIsTerminal } from '../api/types.js';
import { AttachDetachController } from '../controllers/attachdetach.js';
import { DeploymentController } from '../controllers/deployment.js';
import { GarbageCollector } from '../controllers/garbagecollector.js';
import { NodeLifecycleController } from '../controllers/nodelifecycle.js';
import { EphemeralVolumeController } from '../controllers/ephemeral.js';
import { ExternalProvisioner } from '../controllers/provisioner.js';
import { PersistentVolumeController } from '../controllers/persistentvolume.js';
import { PodGCController } from '../controllers/podgc.js';
import { ReplicaSetController } from '../controllers/replicaset.js';
import { TaintEvictionController } from '../controllers/tainteviction.js';
import { parseDuration } from '../engine/time.js';
import { type Budgets, type RunOutcome, Simulation } from '../engine/sim.js';
import { KubeletManager } from '../kubelet/manager.js';
import type { PluginFactory } from '../scheduler/framework/types.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import type { ProfileConfig } from '../scheduler/profile.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ControlPlaneConfig } from './config.js';
import { INVARIANTS, type Invariant, type InvariantViolation, watchInstantEnds } from './invariants.js';

export const KUBECTL = 'kubectl';

export interface SchedulerSetup {
  profiles: ProfileConfig[];
  percentageOfNodesToScore: number;
  /** Extra plugins (custom policies), merged over the in-tree registry. */
  plugins?: ReadonlyMap<string, PluginFactory>;
  /** KubeSchedulerConfiguration podInitialBackoffSeconds / podMaxBackoffSeconds, when set: they
   *  override the control plane's (upstream defaults 1s and 10s). */
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
}

export interface ClusterOptions {
  seed: number;
  controlPlane: ControlPlaneConfig;
  scheduler: SchedulerSetup;
  /** Invariants to check after every write. */
  invariants: readonly Invariant[];
  keepTrace?: boolean;
  /** Hash the trace (default true); false leaves the digest '' (fuzz runs never show it). */
  digest?: boolean;
  /** Internal options of the attach/detach controller (tests break its Multi-Attach rule). */
  attachDetach?: { multiAttachCheck?: boolean };
  /** Run kubelets and controllers (the benchmark runs the scheduler alone, as scheduler_perf). */
  components?: 'all' | 'scheduler-only';
}

export class Cluster {
  readonly sim: Simulation;
  readonly store: Store;
  readonly events: EventRecorder;
  readonly scheduler: Scheduler;
  readonly kubelets: KubeletManager | undefined;
  readonly violations: InvariantViolation[] = [];

  constructor(readonly options: ClusterOptions) {
    const cp = options.controlPlane;
    this.sim = new Simulation(options.seed, { keepTrace: options.keepTrace ?? true, digest: options.digest ?? true });
    this.store = new Store(this.sim, cp.watchLatencyMs, { eventTtlSeconds: Math.floor(cp.eventTTLMs / 1000) });
    this.store.addAdmission(defaulting);
    this.store.addAdmission(limitRanger);
    // Without the node lifecycle controller nothing would lift its taint: scheduler-only clusters
    // leave it out, as upstream's scheduler integration tests and scheduler_perf disable it
    // (test/integration/util/util.go: DisablePlugins "TaintNodesByCondition").
    if ((options.components ?? 'all') === 'all') this.store.addAdmission(taintNodesByCondition);
    this.store.addAdmission(priorityAdmission);
    this.store.addAdmission(defaultTolerationSeconds(cp.defaultNotReadyTolerationSeconds, cp.defaultUnreachableTolerationSeconds));
    this.store.addAdmission(storageDefaulting);
    this.events = new EventRecorder(this.store, this.sim.stream('events/aggregator'));
    this.watchInvariants(options.invariants);
    const registry = new Map([...inTreeRegistry(), ...(options.scheduler.plugins ?? [])]);
    this.scheduler = new Scheduler(this.sim, this.store, this.events, {
      profiles: options.scheduler.profiles,
      registry,
      percentageOfNodesToScore: options.scheduler.percentageOfNodesToScore,
      initialBackoffMs: (options.scheduler.podInitialBackoffSeconds ?? cp.podInitialBackoffSeconds) * 1000,
      maxBackoffMs: (options.scheduler.podMaxBackoffSeconds ?? cp.podMaxBackoffSeconds) * 1000,
      maxInUnschedulableMs: cp.podMaxInUnschedulablePodsDurationMs,
    });
    this.scheduler.start();
    if ((options.components ?? 'all') === 'all') {
      this.kubelets = new KubeletManager(this.sim, this.store, this.events, cp, (s) => {
        const r = parseDuration(s);
        return r.ok ? r.ms : undefined;
      });
      this.kubelets.start();
      new NodeLifecycleController(this.sim, this.store, this.events, cp).start();
      new TaintEvictionController(this.sim, this.store, this.events).start();
      new ReplicaSetController(this.sim, this.store, this.events).start();
      new DeploymentController(this.sim, this.store, this.events).start();
      new GarbageCollector(this.sim, this.store).start();
      new PodGCController(this.sim, this.store, cp.podGCOrphanQuarantineMs).start();
      new EphemeralVolumeController(this.sim, this.store, this.events).start();
      new PersistentVolumeController(this.sim, this.store, this.events, cp.pvClaimBinderSyncPeriodMs).start();
      new ExternalProvisioner(this.sim, this.store, this.events, cp.volumeProvisionDelayMs).start();
      new AttachDetachController(this.sim, this.store, this.events, { attachDelayMs: cp.volumeAttachDelayMs, ...options.attachDetach }).start();
    }
  }

  private watchInvariants(invariants: readonly Invariant[]): void {
    if (invariants.length === 0) return;
    watchInstantEnds(this.sim, this.store, invariants, this.violations);
    this.store.observe((ev, verb, actor) => {
      for (const inv of invariants) {
        const v = inv.check(ev, verb, this.store, actor);
        if (!v) continue;
        this.violations.push({ invariant: inv.name, timeMs: this.sim.nowMs, ...v });
        this.sim.stop(`invariant ${inv.name} broken: ${v.message}`);
      }
    });
  }

  run(budgets: Budgets): RunOutcome {
    return this.sim.run(budgets);
  }

  // ---- machines ------------------------------------------------------------------------------

  /**
   * A node joins: its Node object is registered and its kubelet starts. A joining node gets
   * TaintNodesByCondition's not-ready taint, lifted by the node lifecycle controller once it sees
   * the node Ready. `running`: the node is part of the cluster as the scenario starts (its
   * `cluster.nodes`), registered long ago: it has no such taint left.
   */
  addNode(node: Node, running = false): WriteResult<Node> {
    const r = this.store.create(node, `kubelet/${node.metadata.name}`, 'register', running ? taintNodesByCondition : undefined);
    if (r.ok) this.kubelets?.add(node.metadata.name);
    return r;
  }

  removeNode(name: string): WriteResult<AnyObject> {
    this.kubelets?.remove(name);
    return this.store.delete('Node', undefined, name, KUBECTL);
  }

  failNode(name: string): void {
    this.kubelets?.get(name)?.fail();
  }

  recoverNode(name: string): void {
    const k = this.kubelets?.get(name);
    if (k && k.state === 'failed') k.start();
  }

  partitionNode(name: string): void {
    this.kubelets?.get(name)?.partition();
  }

  healNode(name: string): void {
    this.kubelets?.get(name)?.heal();
  }

  crashContainer(namespace: string, name: string, exitCode: number): boolean {
    const pod = this.store.get<Pod>('Pod', namespace, name);
    const k = pod?.spec.nodeName ? this.kubelets?.get(pod.spec.nodeName) : undefined;
    if (!pod || !k) return false;
    k.containerExit(pod, undefined, exitCode);
    return true;
  }

  // ---- kubectl -------------------------------------------------------------------------------

  /** `running`: as addNode's, for a Node among the objects the scenario starts with. */
  create(obj: AnyObject, running = false): WriteResult<AnyObject> {
    if (obj.kind === 'Node') return this.addNode(obj, running);
    return this.store.create(obj, KUBECTL);
  }

  /** apply: create, or replace labels/annotations and spec, keeping status. */
  apply(obj: AnyObject): WriteResult<AnyObject> {
    const existing = this.store.get(obj.kind as Kind, obj.metadata.namespace, obj.metadata.name);
    if (!existing) return this.create(obj);
    const next = { ...existing, ...withoutStatus(obj), metadata: { ...existing.metadata, labels: obj.metadata.labels, annotations: obj.metadata.annotations } } as AnyObject;
    return this.store.update(next, KUBECTL, 'apply');
  }

  delete(kind: string, namespace: string | undefined, name: string, gracePeriodSeconds?: number): WriteResult<AnyObject> {
    if (!isKind(kind)) return { ok: false, reason: 'Invalid', message: `kind ${kind} is not supported` };
    if (kind === 'Node') return this.removeNode(name);
    return this.store.delete(kind, namespace, name, KUBECTL, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds });
  }

  /** A JSON merge patch (RFC 7386). */
  patch(kind: string, namespace: string | undefined, name: string, patch: Record<string, unknown>): WriteResult<AnyObject> {
    if (!isKind(kind)) return { ok: false, reason: 'Invalid', message: `kind ${kind} is not supported` };
    const existing = this.store.get(kind, namespace, name);
    if (!existing) return { ok: false, reason: 'NotFound', message: `${kind.toLowerCase()}s "${name}" not found` };
    return this.store.update(mergePatch(existing, patch) as AnyObject, KUBECTL, 'patch');
  }

  scale(kind: string, namespace: string | undefined, name: string, replicas: number): WriteResult<AnyObject> {
    return this.patch(kind, namespace, name, { spec: { replicas } });
  }

  cordon(name: string, unschedulable = true): WriteResult<AnyObject> {
    return this.patch('Node', undefined, name, { spec: { unschedulable: unschedulable ? true : null } });
  }

  /** kubectl drain: cordon, then evict every pod on the node through the eviction API, retrying
   *  every 5s while a PodDisruptionBudget forbids it (staging/src/k8s.io/kubectl/pkg/drain). */
  drain(name: string, gracePeriodSeconds?: number): void {
    this.cordon(name);
    const pending = [...this.store.list<Pod>('Pod')].filter((p) => p.spec.nodeName === name && !podIsTerminal(p) && p.metadata.deletionTimestamp === undefined);
    const attempt = (pods: Pod[]) => {
      const blocked = pods.filter((p) => !this.evict(p, gracePeriodSeconds));
      if (blocked.length > 0) this.sim.after(5_000, KUBECTL, () => attempt(blocked));
    };
    attempt(pending);
  }

  /** The eviction subresource: refused (429 TooManyRequests, "Cannot evict pod as it would
   *  violate the pod's disruption budget.", pkg/registry/core/pod/storage/eviction.go) when a
   *  matching PDB allows no disruption. The refusal writes nothing: no Event (kubectl drain only
   *  prints it and retries). */
  evict(pod: Pod, gracePeriodSeconds?: number): boolean {
    const current = this.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return true;
    for (const pdb of this.store.list<PodDisruptionBudget>('PodDisruptionBudget')) {
      if (!pdbCovers(pdb, current)) continue;
      if (disruptionsAllowed(pdb, this.store.list<Pod>('Pod')) <= 0) return false;
    }
    this.store.delete('Pod', current.metadata.namespace, current.metadata.name, KUBECTL, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds });
    return true;
  }
}

function withoutStatus(obj: AnyObject): Partial<AnyObject> {
  const { status: _status, metadata: _metadata, ...rest } = obj as AnyObject & { status?: unknown };
  return rest as Partial<AnyObject>;
}

/** RFC 7386 JSON merge patch: null deletes, objects merge, everything else (lists too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

export { INVARIANTS, KINDS };
