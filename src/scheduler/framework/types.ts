// The scheduler framework's data and plugin interfaces, after
// staging/src/k8s.io/kube-scheduler/framework/interface.go and pkg/scheduler/framework/types.go:
// PodInfo and NodeInfo (kept incrementally by the scheduler cache), CycleState, and one
// interface per extension point. A custom plugin implements the same interfaces.
import type { AnyObject, Node, Pod, Taint, Toleration } from '../../api/types.js';
import type { Prng } from '../../engine/prng.js';
import { RequiredNodeAffinity } from '../../api/selector.js';
import { Resource, podRequests } from './resource.js';
import type { MaybeStatus, Status } from './status.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** A pod with what every plugin would otherwise recompute (requests, ports), cached per object. */
export class PodInfo {
  readonly requests: Resource;
  /** cpu/memory with upstream's non-zero defaults for containers that omit them (scoring). */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  private memoMap: Map<string, unknown> | undefined = undefined;
  private keyValue: string | undefined = undefined;

  private constructor(
    readonly pod: Pod,
    from?: PodInfo,
  ) {
    if (from !== undefined) {
      this.requests = from.requests;
      this.nonZeroMilliCPU = from.nonZeroMilliCPU;
      this.nonZeroMemory = from.nonZeroMemory;
      return;
    }
    this.requests = podRequests(pod);
    const nz = podRequests(pod, true);
    this.nonZeroMilliCPU = nz.milliCPU;
    this.nonZeroMemory = nz.memory;
  }

  /** Plugins may memoise per-pod precomputations here (key: plugin name). */
  get memo(): Map<string, unknown> {
    return (this.memoMap ??= new Map());
  }

  private static readonly cache = new WeakMap<Pod, PodInfo>();
  static of(pod: Pod): PodInfo {
    let info = PodInfo.cache.get(pod);
    if (info === undefined) {
      info = new PodInfo(pod);
      PodInfo.cache.set(pod, info);
    }
    return info;
  }

  /**
   * PodInfo.of(pod) for a copy of `from.pod` (the scheduler's assumed and bound pods): the
   * requests are shared when the copy keeps the same containers, init containers, overhead and
   * pod-level resources (the only inputs of PodRequests), else computed.
   */
  static derive(pod: Pod, from: PodInfo): PodInfo {
    let info = PodInfo.cache.get(pod);
    if (info === undefined) {
      const a = pod.spec;
      const b = from.pod.spec;
      const same = a.containers === b.containers && a.initContainers === b.initContainers && a.overhead === b.overhead && a.resources === b.resources;
      info = new PodInfo(pod, same ? from : undefined);
      PodInfo.cache.set(pod, info);
    }
    return info;
  }

  /** A PodInfo for a copy of `from.pod` that only the scheduler's cache holds (the assumed pod):
   *  like derive(), but not registered for PodInfo.of. */
  static assumed(pod: Pod, from: PodInfo): PodInfo {
    const a = pod.spec;
    const b = from.pod.spec;
    const same = a.containers === b.containers && a.initContainers === b.initContainers && a.overhead === b.overhead && a.resources === b.resources;
    return new PodInfo(pod, same ? from : undefined);
  }

  get key(): string {
    return (this.keyValue ??= `${this.pod.metadata.namespace ?? 'default'}/${this.pod.metadata.name}`);
  }

  private required: RequiredNodeAffinity | undefined;

  /** nodeaffinity.GetRequiredNodeAffinity: nodeSelector and required node affinity, parsed once. */
  get requiredAffinity(): RequiredNodeAffinity {
    return (this.required ??= RequiredNodeAffinity.ofPod(this.pod));
  }
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

let generationCounter = 0;
let nextNodeId = 0;

export function nextGeneration(): number {
  return ++generationCounter;
}

/** Who holds NodeInfos and keeps their generations by id (the scheduler cache). */
export interface GenerationWatcher {
  generationChanged(id: number, generation: number): void;
}

/**
 * The node list of a cycle as typed arrays, so a scan over many nodes reads no NodeInfo: the
 * ids by list position, and each id's current generation (the scheduler cache keeps both).
 */
export interface NodeListIndex {
  /** ids[i] is nodes[i].id, when `nodes` is the holder's current list; else undefined. */
  idsOf(nodes: readonly NodeInfo[]): Int32Array | undefined;
  /** generations[id] is the generation of the node with that id (valid for the ids idsOf gives). */
  readonly generations: Float64Array;
  /** How many new generations the holder has seen so far (a cursor for changesSince). */
  readonly changeCount: number;
  /**
   * Calls visit(id) for the node of each new generation after the first `count` (ids repeat when
   * a node changed twice). Returns false, having visited nothing, when the holder no longer keeps
   * those changes: whoever kept anything per node must then forget all of it.
   */
  changesSince(count: number, visit: (id: number) => void): boolean;
}

/** A cycle's feasible nodes as positions in the holder's list (the memo scans' view of them). */
export interface FeasibleScan {
  readonly index: NodeListIndex;
  /** The holder's node list (index.idsOf gives its ids). */
  readonly list: readonly NodeInfo[];
  /** feasible[i] is list[positions[i]]. */
  readonly positions: Int32Array;
}

/** Per-node aggregate, updated incrementally as pods come and go (upstream NodeInfo). */
export class NodeInfo {
  node: Node;
  readonly pods: PodInfo[] = [];
  private readonly index = new Map<string, number>();
  readonly requested = new Resource();
  readonly nonZeroRequested = new Resource();
  allocatable: Resource;
  /** A number no other NodeInfo state ever had: set from a global counter on every change, as
   *  upstream's nextGeneration(), so a memo keyed by it is never fooled by a copy. */
  get generation(): number {
    return this.gen;
  }

  private gen = nextGeneration();
  /** Told of each new generation: the cache that holds this NodeInfo (copies have none). */
  watcher: GenerationWatcher | undefined = undefined;

  private bump(): void {
    this.gen = nextGeneration();
    if (this.watcher !== undefined) this.watcher.generationChanged(this.id, this.gen);
  }
  /** Stable per node (copies share it): the index of the frameworks' score memos. */
  id: number;
  readonly usedPorts: HostPort[] = [];
  /** PVCRefCounts: "namespace/claim" → how many of the node's pods use the claim; undefined
   *  until a pod with a persistentVolumeClaim volume comes (VolumeRestrictions reads it). */
  pvcRefCounts: Map<string, number> | undefined = undefined;
  /** Pods with any (anti-)affinity; pods with required anti-affinity (InterPodAffinity reads these). */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;

  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata.name;
    this.id = nextNodeId++;
    this.allocatable = Resource.fromList(node.status.allocatable ?? node.status.capacity);
  }

  /** The node's name (a node is never renamed). */
  readonly name: string;

  /** A copy whose pod list and sums can change without touching this one (upstream Snapshot()). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const p of this.pods) c.addPod(p);
    c.id = this.id;
    c.gen = this.gen;
    return c;
  }

  get labels(): Record<string, string> | undefined {
    return this.node.metadata.labels;
  }

  get taints(): readonly Taint[] {
    return this.node.spec.taints ?? NO_TAINTS;
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = Resource.fromList(node.status.allocatable ?? node.status.capacity);
    this.bump();
  }

  has(podKey: string): boolean {
    return this.index.has(podKey);
  }

  addPod(info: PodInfo): void {
    this.index.set(info.key, this.pods.length);
    this.pods.push(info);
    this.account(info, 1);
  }

  removePod(podKey: string): PodInfo | undefined {
    const i = this.index.get(podKey);
    if (i === undefined) return undefined;
    const info = this.pods[i]!;
    const last = this.pods.pop()!;
    if (last !== info) {
      this.pods[i] = last;
      this.index.set(last.key, i);
    }
    this.index.delete(podKey);
    this.account(info, -1);
    return info;
  }

  private account(info: PodInfo, sign: number): void {
    this.requested.add(info.requests, sign);
    this.nonZeroRequested.milliCPU += sign * info.nonZeroMilliCPU;
    this.nonZeroRequested.memory += sign * info.nonZeroMemory;
    const spec = info.pod.spec;
    const aff = spec.affinity;
    if (aff && (aff.podAffinity || aff.podAntiAffinity)) this.podsWithAffinity += sign;
    if (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) this.podsWithRequiredAntiAffinity += sign;
    // updatePVCRefCounts (pkg/scheduler/framework/types.go): claims by namespace/name.
    if (spec.volumes !== undefined) this.countClaims(info.pod, sign);
    // Host ports of containers and of sidecar (restartPolicy: Always) init containers; ports ≤ 0
    // are ignored (pkg/scheduler/framework/types.go NodeInfo.updateUsedPorts).
    const containers = spec.initContainers?.some((c) => c.restartPolicy === 'Always') ? [...spec.initContainers.filter((c) => c.restartPolicy === 'Always'), ...spec.containers] : spec.containers;
    for (const c of containers) {
      for (const p of c.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        const port = { hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort };
        if (sign > 0) this.usedPorts.push(port);
        else {
          const j = this.usedPorts.findIndex((u) => u.hostIP === port.hostIP && u.protocol === port.protocol && u.port === port.port);
          if (j >= 0) this.usedPorts.splice(j, 1);
        }
      }
    }
    this.bump();
  }

  private countClaims(pod: Pod, sign: number): void {
    const ns = pod.metadata.namespace ?? 'default';
    for (const v of pod.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim === undefined) continue;
      const key = `${ns}/${claim}`;
      const counts = (this.pvcRefCounts ??= new Map());
      const n = (counts.get(key) ?? 0) + sign;
      if (n <= 0) counts.delete(key);
      else counts.set(key, n);
    }
  }
}

const NO_TAINTS: readonly Taint[] = [];

/** Data plugins share within one scheduling cycle (upstream CycleState). */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreScore returned Skip / whose PreFilter returned Skip. */
  readonly skipFilterPlugins = new Set<string>();
  readonly skipScorePlugins = new Set<string>();
  /** PreBind plugins whose PreBindPreFlight returned Skip: their PreBind does not run. */
  readonly skipPreBindPlugins = new Set<string>();
  /** The framework's per-cycle list of filter plugins not skipped (set after PreFilter). */
  activeFilters: readonly Plugin[] | undefined = undefined;

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** A copy for preemption's dry runs (upstream CycleState.Clone): values with a `clone()`
   *  method are cloned; others are shared, so state a plugin mutates in AddPod/RemovePod must
   *  implement clone(). */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v !== null && typeof v === 'object' && typeof (v as { clone?: unknown }).clone === 'function' ? (v as { clone(): unknown }).clone() : v);
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    for (const p of this.skipPreBindPlugins) c.skipPreBindPlugins.add(p);
    c.activeFilters = this.activeFilters;
    return c;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/** The node list a cycle sees (upstream Snapshot's NodeInfoLister), in a stable order. */
export interface NodeLister {
  list(): readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes that hold at least one pod with (anti-)affinity / required anti-affinity. */
  havePodsWithAffinity(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /** Changes whenever a node is added, updated or removed (not when pods come and go). */
  readonly nodesVersion: number;
}

/** What plugins may use beyond their arguments (upstream framework.Handle). */
export interface Handle {
  readonly nodes: NodeLister;
  /** Binds a pod (the pods/binding subresource); returns an error message or null. */
  bind(pod: Pod, nodeName: string): string | null;
  /** The scheduler's seeded random stream. */
  readonly rng: Prng;
  /** Namespace labels, for namespaceSelector in affinity terms. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Reads an API object, as plugins read their informers' listers (e.g. a pod's ReplicaSet). */
  getObject(kind: string, namespace: string | undefined, name: string): AnyObject | undefined;
  /** Lists API objects of a kind (PodDisruptionBudgets for preemption, say). */
  listObjects(kind: string): readonly AnyObject[];
  /** Updates an API object as the scheduler's client does (VolumeBinding's PreBind writes
   *  PersistentVolumes): optimistic concurrency on metadata.resourceVersion. Returns the stored
   *  object, or the API error's message. */
  updateObject<T extends AnyObject>(obj: T): { ok: true; object: T } | { ok: false; message: string };
  /** Virtual time now, in milliseconds. */
  nowMs(): number;

  // ---- what preemption needs (upstream framework.Handle) ----
  /** RunFilterPluginsWithNominatedPods of this profile. */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): MaybeStatus;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): MaybeStatus;
  /** Pods nominated to run on a node (upstream PodNominator). */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
  /** Preempts a victim: DisruptionTarget condition, graceful delete, Preempted event. Returns an
   *  error message or null. */
  preemptPod(preemptor: Pod, victim: Pod, nodeName: string): string | null;
  /** Clears a pod's status.nominatedNodeName. */
  clearNominatedNodeName(pod: Pod): void;

  // ---- pods waiting at Permit (upstream framework.Handle) ----
  /** The waiting pod with this uid, if one waits. */
  getWaitingPod(uid: string): WaitingPod | undefined;
  /** Calls back with each waiting pod, in the order they started waiting. */
  iterateOverWaitingPods(callback: (pod: WaitingPod) => void): void;
  /** Rejects the waiting pod with this uid (plugin "", message "removed"); false if none waits. */
  rejectWaitingPod(uid: string): boolean;
  /** The scheduler name of the profile this handle belongs to. */
  readonly schedulerName: string;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterResult {
  /** A set of node names the pod may only go to; undefined means all nodes. */
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus };
  /** AddPod/RemovePod: update the PreFilter state as if a pod were added / removed (preemption). */
  addPod?(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): MaybeStatus;
  removePod?(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): MaybeStatus;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
  /**
   * Optional, called after PreFilter: a key such that Filter's verdict depends only on the node
   * (its generation) and this key. When every active Filter plugin has one, the framework skips
   * the plugins for a node that passed them all under the same keys and generation. Return
   * undefined when the verdict also depends on other nodes or on anything else.
   */
  filterSignature?(state: CycleState, pod: PodInfo): string | undefined;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
}

/** Per-node filter verdicts of a failed cycle. */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  /** The node's raw score; a Status for an error. */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number | Status;
  /**
   * Optional, called after PreScore: a key such that the raw score depends only on the node (its
   * generation) and this key. The framework then reuses a node's last raw score while neither
   * changed — the incremental work upstream gets from its generation-stamped snapshot. Return
   * undefined when the score also depends on other nodes.
   */
  scoreSignature?(state: CycleState, pod: PodInfo): string | undefined;
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): MaybeStatus;
  /**
   * Optional: NormalizeScore on the first `n` scores of a plain array, in place (the framework
   * prefers it to normalizeScore, which it must equal, when the names are not needed).
   */
  normalizeScoreValues?(state: CycleState, pod: PodInfo, scores: Float64Array, n: number): MaybeStatus;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Permit's (status, timeout) pair: a Wait status holds the pod at most `timeoutMs` (capped at
 *  15 minutes, upstream's maxTimeout). A bare status is a pair with timeout 0. */
export interface PermitResult {
  status: MaybeStatus;
  timeoutMs: number;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus | PermitResult;
}

/**
 * A pod held at Permit (upstream fwk.WaitingPod, pkg/scheduler/framework/runtime/waiting_pods_map.go):
 * assumed on its node, its binding waits until every plugin that asked it to wait allows it, one
 * rejects it, or a plugin's timeout passes.
 */
export interface WaitingPod {
  /** The assumed pod (spec.nodeName set to the node it waits for). */
  readonly pod: Pod;
  /** The plugins that have not allowed it yet. */
  pendingPlugins(): string[];
  /** The plugin allows the pod; once every pending plugin has, the binding goes on. */
  allow(pluginName: string): void;
  /** Rejects the pod: it is unreserved, forgotten and goes back to the queue as unschedulable. */
  reject(pluginName: string, msg: string): void;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
  /**
   * PreBindPreFlight, at the start of the binding cycle: Success (null) when PreBind will have
   * work for the pod (the scheduler then writes status.nominatedNodeName first), Skip when it will
   * not (its PreBind is then not run), or an error. A plugin without it counts as one with work.
   */
  preBindPreFlight?(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
}

export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** A pod waiting in the scheduling queue (upstream QueuedPodInfo). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When it was last added to activeQ (ms). */
  timestampMs: number;
  initialAttemptTimestampMs: number | undefined;
  attempts: number;
  /** Plugins that rejected it in its last attempt. */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending in its last attempt (upstream QueuedPodInfo.PendingPlugins):
   *  a Queue hint from one of them skips backoff. */
  pendingPlugins: Set<string>;
  /** Attempts that failed because of an internal error back off the same way. */
  backoffExpiryMs: number;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: PodInfo): MaybeStatus;
}

/** Cluster events that may make an unschedulable pod schedulable (upstream ClusterEvent). */
export type ClusterEventResource = 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Node' | 'Namespace' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | 'CSINode' | 'VolumeAttachment';
/** Upstream's ActionTypes; `updatePodOther` (unexported upstream) is a pod update none of the
 *  named ones covers: it matches only registrations for the whole of Update (or All). */
export type ActionType = 'Add' | 'Delete' | 'UpdateNodeAllocatable' | 'UpdateNodeLabel' | 'UpdateNodeTaint' | 'UpdateNodeCondition' | 'UpdateNodeAnnotation' | 'UpdatePodLabel' | 'UpdatePodScaleDown' | 'UpdatePodToleration' | 'UpdatePodSchedulingGatesEliminated' | 'updatePodOther' | 'Update' | 'All';
export interface ClusterEvent {
  resource: ClusterEventResource;
  actions: readonly ActionType[];
}

/**
 * A QueueingHint (upstream fwk.QueueingHint): whether a cluster event may make a pod that the
 * plugin rejected schedulable. QueueSkip keeps the pod in unschedulablePods.
 */
export type QueueingHint = 'Queue' | 'QueueSkip';

/**
 * A QueueingHintFn (upstream fwk.QueueingHintFn): called for a pod the plugin rejected, with the
 * event's old and new objects (old undefined for Add, new undefined for Delete). Returning an
 * Error, or throwing, means Queue, as upstream's (hint, err) with err != nil
 * (scheduling_queue.go isPodWorthRequeuing).
 */
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint | Error;

/**
 * An event registration (upstream fwk.ClusterEventWithHint). Without queueingHintFn the event
 * always queues the pod (upstream's nil QueueingHintFn: defaultQueueingHintFn returns Queue).
 */
export interface ClusterEventWithHint extends ClusterEvent {
  queueingHintFn?: QueueingHintFn;
}

export interface EnqueueExtensions {
  eventsToRegister(): readonly ClusterEventWithHint[];
}

export type AnyPlugin = Plugin &
  Partial<
    PreEnqueuePlugin &
      QueueSortPlugin &
      PreFilterPlugin &
      FilterPlugin &
      PostFilterPlugin &
      PreScorePlugin &
      ScorePlugin &
      ReservePlugin &
      PermitPlugin &
      PreBindPlugin &
      BindPlugin &
      PostBindPlugin &
      EnqueueExtensions
  >;

/** Builds a plugin from its pluginConfig args (already validated by the config loader). */
export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => AnyPlugin;

export function tolerationsOf(pod: Pod): readonly Toleration[] {
  return pod.spec.tolerations ?? [];
}
