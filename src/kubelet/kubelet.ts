// The kubelet, one per node: registers the node, heartbeats (node status every
// nodeStatusUpdateFrequency, written on change or every nodeStatusReportFrequency; the Lease
// renewed every leaseDuration × 0.25), admits pods bound to its node, starts their containers,
// kills them on deletion and confirms the delete. A failed machine stops all of this; a
// partitioned one keeps its containers running but cannot reach the API.
// Follows pkg/kubelet/kubelet_node_status.go, pkg/kubelet/nodelease, pkg/kubelet/lifecycle
// (predicate admission) and pkg/kubelet/status (v1.35), at the level of detail the README states.
import type { EventRecorder } from '../api/events.js';
import type { Store } from '../api/store.js';
import type { ContainerStatus, Lease, Node, NodeCondition, Pod, PodCondition } from '../api/types.js';
import { podIsTerminal } from '../api/types.js';
import type { QueueEntry } from '../engine/queue.js';
import type { Simulation } from '../engine/sim.js';
import { Resource, podRequests } from '../scheduler/framework/resource.js';
import { podVolumesReady } from './volumes.js';

export interface KubeletOptions {
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  nodeLeaseDurationSeconds: number;
  podStartupDelayMs: number;
  podTerminationDelayMs: number;
}

export const LEASE_NAMESPACE = 'kube-node-lease';
/** Annotations that script a pod's containers (kept valid Kubernetes). */
export const ANNOTATION_STARTUP_DELAY = 'kubedrill.io/startup-delay';
export const ANNOTATION_STOP_DELAY = 'kubedrill.io/stop-delay';
export const ANNOTATION_RUN_FOR = 'kubedrill.io/run-for';
export const ANNOTATION_EXIT_CODE = 'kubedrill.io/exit-code';

export type MachineState = 'running' | 'failed' | 'partitioned';

interface PodRuntime {
  uid: string;
  timers: QueueEntry[];
  restartCount: number;
  running: boolean;
  killing: boolean;
  /** Containers are due to start but the pod's volumes are not attached yet. */
  waitingForVolumes?: boolean;
}

export class Kubelet {
  readonly component: string;
  state: MachineState = 'running';
  /** When the kubelet last started: its status periods are counted from here. */
  private startedMs = 0;
  private statusTimer: QueueEntry | undefined;
  private lastReportedStatusMs = -Infinity;
  private readonly pods = new Map<string, PodRuntime>();
  private nextIp = 2;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
    readonly nodeName: string,
    private readonly options: KubeletOptions,
    private readonly parseDuration: (s: string) => number | undefined,
  ) {
    this.component = `kubelet/${nodeName}`;
  }

  get connected(): boolean {
    return this.state === 'running';
  }

  /** Starts (or restarts) the kubelet: node status and lease, and their schedules from now. */
  start(): void {
    this.state = 'running';
    this.startedMs = this.sim.nowMs;
    this.lastReportedStatusMs = -Infinity;
    this.syncNodeStatus(true);
    this.renewLease();
    // The Lease is renewed every leaseDuration × 0.25 (pkg/kubelet/nodelease: renewInterval); the
    // store applies each renewal as it is read (Store.renewEvery) until the kubelet stops.
    this.store.renewEvery(LEASE_NAMESPACE, this.nodeName, Math.trunc((this.options.nodeLeaseDurationSeconds * 1000) / 4));
    this.armStatusSync(this.nextReportPeriod());
    this.resyncPods();
    // Back from a partition, the kubelet's informers relist: an attachment it missed while cut off
    // is seen now (upstream's volume manager polls node.status.volumesAttached, so it never misses
    // one for good).
    this.volumesChanged();
  }

  /** The machine dies: every timer and container stops; the API keeps whatever it last saw. */
  fail(): void {
    this.stopHeartbeats();
    this.state = 'failed';
    for (const rt of this.pods.values()) {
      for (const t of rt.timers) this.sim.cancel(t);
      rt.running = false;
    }
    this.pods.clear();
  }

  partition(): void {
    this.stopHeartbeats();
    this.state = 'partitioned';
  }

  heal(): void {
    if (this.state === 'partitioned') this.start();
  }

  private stopHeartbeats(): void {
    if (this.state !== 'running') return;
    if (this.statusTimer !== undefined) this.sim.cancel(this.statusTimer);
    this.statusTimer = undefined;
    this.store.stopRenewing(LEASE_NAMESPACE, this.nodeName);
  }

  /** The first status period (start + k × nodeStatusUpdateFrequency, k ≥ 1) at or after `atMs`. */
  private statusPeriodAt(atMs: number): number {
    const every = Math.max(1, this.options.nodeStatusUpdateFrequencyMs);
    return this.startedMs + Math.max(1, Math.ceil((atMs - this.startedMs) / every)) * every;
  }

  /** The status period at which nodeStatusReportFrequency has passed since the last write. */
  private nextReportPeriod(): number {
    return this.statusPeriodAt(Math.max(this.lastReportedStatusMs + this.options.nodeStatusReportFrequencyMs, this.sim.nowMs + 1));
  }

  /**
   * The kubelet recomputes its node status every nodeStatusUpdateFrequency and writes it only when
   * a condition differs from the stored one or nodeStatusReportFrequency has passed
   * (kubelet_node_status.go tryUpdateNodeStatus). Its own conditions do not change while it runs,
   * so a period can only write at the next report, or after someone else changed the stored
   * conditions (nodeConditionsChanged): the kubelet wakes at those periods and no other.
   */
  private armStatusSync(atMs: number): void {
    if (this.statusTimer !== undefined) {
      if (this.statusTimer.timeMs <= atMs) return;
      this.sim.cancel(this.statusTimer);
    }
    this.statusTimer = this.sim.at(atMs, this.component, () => {
      this.statusTimer = undefined;
      this.syncNodeStatus(false);
      this.armStatusSync(this.nextReportPeriod());
    });
  }

  /** The stored Node's conditions now differ from the kubelet's (a watch event): its next status
   *  period writes them back. */
  nodeConditionsChanged(): void {
    if (this.connected) this.armStatusSync(this.statusPeriodAt(this.sim.nowMs));
  }

  // ---- node status and lease ---------------------------------------------------------------

  private node(): Node | undefined {
    return this.store.get<Node>('Node', undefined, this.nodeName);
  }

  /** tryUpdateNodeStatus: recompute every period; write when something but the heartbeat
   *  changed, or when nodeStatusReportFrequency has passed since the last write. */
  private syncNodeStatus(force: boolean): void {
    const node = this.node();
    if (!node) return;
    const now = this.sim.nowMs;
    const prev = node.status.conditions ?? [];
    // Checked first without building anything: most periods write nothing.
    if (!force && now - this.lastReportedStatusMs < this.options.nodeStatusReportFrequencyMs && !conditionsDiffer(prev)) return;
    const readyBefore = prev.find((c) => c.type === 'Ready');
    const conditions = kubeletConditions(prev, now);
    this.lastReportedStatusMs = now;
    const r = this.store.update<Node>({ ...node, status: { ...node.status, conditions } }, this.component, 'status');
    if (r.ok && readyBefore?.status !== 'True') {
      this.events.record(node, 'Normal', 'NodeReady', `Node ${this.nodeName} status is now: NodeReady`, 'kubelet');
    }
  }

  private renewLease(): void {
    const now = this.sim.nowMs;
    const existing = this.store.get<Lease>('Lease', LEASE_NAMESPACE, this.nodeName);
    const holderIdentity = this.nodeName;
    const leaseDurationSeconds = this.options.nodeLeaseDurationSeconds;
    if (existing) {
      const spec = { ...existing.spec };
      spec.holderIdentity = holderIdentity;
      spec.leaseDurationSeconds = leaseDurationSeconds;
      spec.renewTime = now;
      this.store.update<Lease>({ apiVersion: existing.apiVersion, kind: existing.kind, metadata: existing.metadata, spec }, this.component, 'renew');
    }
    else this.store.create<Lease>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.nodeName, namespace: LEASE_NAMESPACE }, spec: { holderIdentity, leaseDurationSeconds, renewTime: now, acquireTime: now } }, this.component, 'renew');
  }

  // ---- pods ------------------------------------------------------------------------------

  /** A watch event for a pod bound to this node (delivered only while connected). */
  onPod(pod: Pod | undefined, uid: string): void {
    if (!this.connected) return;
    if (pod === undefined) {
      this.forget(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) return this.kill(pod);
    if (podIsTerminal(pod)) return;
    if (!this.pods.has(pod.metadata.uid!)) this.admit(pod);
  }

  /** After a start or a heal: act on the current state of every pod bound here. */
  private resyncPods(): void {
    const mine = [...this.store.list<Pod>('Pod')].filter((p) => p.spec.nodeName === this.nodeName);
    for (const p of mine) {
      this.onPod(p, p.metadata.uid!);
      this.reportRunning(p);
    }
  }

  /** After a partition heals, the status manager posts what its containers really are: a pod
   *  the node controller marked not Ready while it kept running is Ready again. */
  private reportRunning(pod: Pod): void {
    const rt = this.pods.get(pod.metadata.uid!);
    if (!rt?.running || rt.killing || pod.metadata.deletionTimestamp !== undefined) return;
    if (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    this.writePodStatus(pod, { conditions: podConditions(pod.status.conditions, true, this.sim.nowMs) });
  }

  private admit(pod: Pod): void {
    const reject = this.admissionFailure(pod);
    const rt: PodRuntime = { uid: pod.metadata.uid!, timers: [], restartCount: 0, running: false, killing: false };
    this.pods.set(rt.uid, rt);
    if (reject) {
      this.writePodStatus(pod, { phase: 'Failed', reason: reject.reason, message: reject.message, startTime: this.sim.nowMs });
      this.events.record(pod, 'Warning', reject.reason, reject.message, 'kubelet');
      return;
    }
    const node = this.node();
    const wasRunning = pod.status.phase === 'Running';
    // Only a restarted machine finds a Running pod it does not know: its containers died with it.
    if (wasRunning) rt.restartCount = (pod.status.containerStatuses?.[0]?.restartCount ?? 0) + 1;
    this.writePodStatus(pod, {
      phase: wasRunning ? 'Running' : 'Pending',
      startTime: pod.status.startTime ?? this.sim.nowMs,
      hostIP: nodeIP(node),
      conditions: podConditions(pod.status.conditions, false, this.sim.nowMs),
    });
    const delay = this.annotationMs(pod, ANNOTATION_STARTUP_DELAY) ?? this.options.podStartupDelayMs;
    rt.timers.push(this.sim.after(delay, this.component, () => this.containersStarted(rt.uid, pod)));
  }

  /** Predicate admission (pkg/kubelet/lifecycle/predicate.go): the pod must fit allocatable. */
  private admissionFailure(pod: Pod): { reason: string; message: string } | undefined {
    const node = this.node();
    if (!node) return undefined;
    const alloc = Resource.fromList(node.status.allocatable ?? node.status.capacity);
    const used = new Resource();
    let count = 0;
    for (const p of this.store.list<Pod>('Pod')) {
      if (p.spec.nodeName !== this.nodeName || podIsTerminal(p) || p.metadata.uid === pod.metadata.uid || !this.pods.has(p.metadata.uid!)) continue;
      used.add(podRequests(p));
      count++;
    }
    const req = podRequests(pod);
    if (count + 1 > alloc.allowedPodNumber) return { reason: 'OutOfpods', message: `Node didn't have enough resource: pods, requested: 1, used: ${count}, capacity: ${alloc.allowedPodNumber}` };
    for (const [name, r, u, c] of [
      ['cpu', req.milliCPU, used.milliCPU, alloc.milliCPU],
      ['memory', req.memory, used.memory, alloc.memory],
    ] as const) {
      if (r > 0 && r > c - u) return { reason: `OutOf${name}`, message: `Pod was rejected: Node didn't have enough resource: ${name}, requested: ${r}, used: ${u}, capacity: ${c}` };
    }
    return undefined;
  }

  private containersStarted(uid: string, bound: Pod): void {
    const rt = this.pods.get(uid);
    const pod = this.store.get<Pod>('Pod', bound.metadata.namespace, bound.metadata.name);
    if (!rt || !pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp !== undefined) return;
    if (!podVolumesReady(this.store, pod, this.nodeName)) return this.waitForVolumes(rt, pod);
    rt.waitingForVolumes = false;
    rt.running = true;
    const node = this.node();
    const now = this.sim.nowMs;
    const containerStatuses: ContainerStatus[] = pod.spec.containers.map((c) => ({
      name: c.name,
      ready: true,
      started: true,
      restartCount: rt.restartCount,
      ...(c.image ? { image: c.image } : {}),
      state: { running: { startedAt: now } },
    }));
    this.writePodStatus(pod, {
      phase: 'Running',
      hostIP: nodeIP(node),
      podIP: pod.status.podIP ?? this.allocateIp(node),
      conditions: podConditions(pod.status.conditions, true, now),
      containerStatuses,
    });
    const runFor = this.annotationMs(pod, ANNOTATION_RUN_FOR);
    if (runFor !== undefined) rt.timers.push(this.sim.after(runFor, this.component, () => this.containersExited(uid, pod)));
  }

  /** The pod stays Pending, its containers waiting in ContainerCreating, until volumesChanged
   *  finds its volumes attached. */
  private waitForVolumes(rt: PodRuntime, pod: Pod): void {
    rt.waitingForVolumes = true;
    if (pod.status.containerStatuses?.every((c) => c.state?.waiting?.reason === 'ContainerCreating')) return;
    const containerStatuses: ContainerStatus[] = pod.spec.containers.map((c) => ({ name: c.name, ready: false, started: false, restartCount: rt.restartCount, ...(c.image ? { image: c.image } : {}), state: { waiting: { reason: 'ContainerCreating' } } }));
    this.writePodStatus(pod, { containerStatuses });
  }

  /** A claim or VolumeAttachment changed: pods waiting for their volumes may start now. */
  volumesChanged(): void {
    if (!this.connected) return;
    for (const rt of [...this.pods.values()]) {
      if (!rt.waitingForVolumes) continue;
      const pod = [...this.store.list<Pod>('Pod')].find((p) => p.metadata.uid === rt.uid);
      if (pod && podVolumesReady(this.store, pod, this.nodeName)) this.containersStarted(rt.uid, pod);
    }
  }

  /** A scripted container exit (`kubedrill.io/run-for`): restartPolicy decides what follows. */
  private containersExited(uid: string, bound: Pod): void {
    const pod = this.store.get<Pod>('Pod', bound.metadata.namespace, bound.metadata.name);
    const rt = this.pods.get(uid);
    if (!pod || !rt || pod.metadata.uid !== uid) return;
    const exitCode = Number(pod.metadata.annotations?.[ANNOTATION_EXIT_CODE] ?? '0');
    this.containerExit(pod, rt, exitCode);
  }

  /** crashContainer and scripted exits. */
  containerExit(pod: Pod, rt: PodRuntime | undefined, exitCode: number): void {
    const runtime = rt ?? this.pods.get(pod.metadata.uid!);
    if (!runtime || !this.connected) return;
    runtime.running = false;
    const policy = pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    const terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' };
    const statuses = (state: ContainerStatus['state']): ContainerStatus[] =>
      pod.spec.containers.map((c) => ({ name: c.name, ready: false, started: false, restartCount: runtime.restartCount, ...(c.image ? { image: c.image } : {}), state }));
    if (!restart) {
      this.writePodStatus(pod, { phase: exitCode === 0 ? 'Succeeded' : 'Failed', conditions: podConditions(pod.status.conditions, false, this.sim.nowMs), containerStatuses: statuses({ terminated }) });
      return;
    }
    // The restart count moves when the container starts again; meanwhile it waits in
    // CrashLoopBackOff: 10s doubling to 5m (pkg/kubelet/kubelet.go backOffPeriod / MaxContainerBackOff).
    const backoffMs = Math.min(10_000 * 2 ** runtime.restartCount, 300_000);
    this.writePodStatus(pod, { conditions: podConditions(pod.status.conditions, false, this.sim.nowMs), containerStatuses: statuses({ waiting: { reason: 'CrashLoopBackOff' } }) });
    runtime.restartCount++;
    runtime.timers.push(this.sim.after(backoffMs, this.component, () => this.containersStarted(runtime.uid, pod)));
  }

  /** The pod is being deleted: stop its containers, then confirm with a grace-0 delete. */
  private kill(pod: Pod): void {
    const uid = pod.metadata.uid!;
    const rt = this.pods.get(uid);
    if (rt?.killing) return;
    for (const t of rt?.timers ?? []) this.sim.cancel(t);
    const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    const stopMs = Math.min(this.annotationMs(pod, ANNOTATION_STOP_DELAY) ?? this.options.podTerminationDelayMs, graceMs);
    const entry = this.sim.after(stopMs, this.component, () => {
      this.pods.delete(uid);
      if (!this.connected) return;
      const cur = this.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
      if (cur && cur.metadata.uid === uid) this.store.delete('Pod', cur.metadata.namespace, cur.metadata.name, this.component, { gracePeriodSeconds: 0 });
    });
    const runtime = rt ?? { uid, timers: [], restartCount: 0, running: false, killing: true };
    runtime.killing = true;
    runtime.timers = [entry];
    this.pods.set(uid, runtime);
  }

  private forget(uid: string): void {
    const rt = this.pods.get(uid);
    if (!rt) return;
    for (const t of rt.timers) this.sim.cancel(t);
    this.pods.delete(uid);
  }

  private writePodStatus(pod: Pod, patch: Partial<Pod['status']>): void {
    const cur = this.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!cur || cur.metadata.uid !== pod.metadata.uid) return;
    this.store.update<Pod>({ ...cur, status: { ...cur.status, ...patch } }, this.component, 'status');
  }

  private annotationMs(pod: Pod, key: string): number | undefined {
    const v = pod.metadata.annotations?.[key];
    return v === undefined ? undefined : this.parseDuration(v);
  }

  private allocateIp(node: Node | undefined): string {
    const cidr = node?.spec.podCIDR ?? '10.244.0.0/24';
    const base = cidr.split('/')[0]!.split('.').map(Number);
    const n = this.nextIp++;
    return `${base[0]}.${base[1]}.${base[2]! + Math.floor(n / 256)}.${n % 256}`;
  }
}

function nodeIP(node: Node | undefined): string | undefined {
  return node?.status.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** The conditions a healthy kubelet posts (pkg/kubelet/nodestatus/setters.go): type, status, reason, message. */
const KUBELET_CONDITIONS: ReadonlyArray<readonly [string, NodeCondition['status'], string, string]> = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** The conditions a healthy kubelet posts (pkg/kubelet/nodestatus/setters.go). */
export function kubeletConditions(prev: readonly NodeCondition[], nowMs: number): NodeCondition[] {
  return KUBELET_CONDITIONS.map(([type, status, reason, message]) => {
    const old = prev.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status ? old.lastTransitionTime ?? nowMs : nowMs;
    return { type, status, lastHeartbeatTime: nowMs, lastTransitionTime, reason, message };
  });
}

/** Whether `prev` differs from what kubeletConditions(prev, t) returns in anything but the
 *  heartbeat and transition times: type, status, reason and message, in order. */
export function conditionsDiffer(prev: readonly NodeCondition[]): boolean {
  if (prev.length !== KUBELET_CONDITIONS.length) return true;
  for (let i = 0; i < prev.length; i++) {
    const c = prev[i]!;
    const w = KUBELET_CONDITIONS[i]!;
    if (c.type !== w[0] || c.status !== w[1] || c.reason !== w[2] || c.message !== w[3]) return true;
  }
  return false;
}

function podConditions(prev: readonly PodCondition[] | undefined, ready: boolean, nowMs: number): PodCondition[] {
  const set = (list: PodCondition[], type: string, status: PodCondition['status']) => {
    const i = list.findIndex((c) => c.type === type);
    const old = list[i];
    const c: PodCondition = { type, status, lastTransitionTime: old && old.status === status ? old.lastTransitionTime ?? nowMs : nowMs };
    if (i >= 0) list[i] = c;
    else list.push(c);
  };
  const list = [...(prev ?? [])];
  set(list, 'Initialized', 'True');
  set(list, 'Ready', ready ? 'True' : 'False');
  set(list, 'ContainersReady', ready ? 'True' : 'False');
  return list;
}
