// The node lifecycle controller (kube-controller-manager): watches node heartbeats (Ready
// condition and Lease), marks a silent node's conditions Unknown after the grace period, taints
// NotReady/Unreachable nodes NoExecute through per-zone rate-limited queues, mirrors conditions
// into NoSchedule taints, and handles zone disruption.
// Follows pkg/controller/nodelifecycle/node_lifecycle_controller.go (v1.35): monitorNodeHealth
// every nodeMonitorPeriod, tryUpdateNodeHealth, processTaintBaseEviction,
// doNoExecuteTaintingPass every 100ms (NodeEvictionPeriod), doNoScheduleTaintingPass,
// ComputeZoneState and handleDisruption.
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE } from '../api/admission.js';
import type { EventRecorder } from '../api/events.js';
import { TokenBucket } from '../api/flowcontrol.js';
import type { Store, WatchEvent } from '../api/store.js';
import type { Node, NodeCondition, Pod, Taint } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import { WorkQueue } from './workqueue.js';

export const COMPONENT = 'node-controller';
const NODE_EVICTION_PERIOD_MS = 100;
const LEASE_NAMESPACE = 'kube-node-lease';
const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

export interface NodeLifecycleOptions {
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
}

type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

interface NodeHealth {
  probeTimestampMs: number;
  readyTransitionTimestampMs: number;
  /** The Ready condition's heartbeat the controller last saw, and the Lease renew time. */
  lastHeartbeatMs: number | undefined;
  lastLeaseRenewMs: number | undefined;
  /** The node as this controller last left it settled: Ready, not stale, none of the controller's
   *  NoExecute taints, in no tainter queue. While the stored node is still this object, a pass
   *  does for it only what the full pass would: notice a Lease renewal, check the grace period,
   *  and count it Ready in its zone. */
  settled?: Node;
  /** The zone it counts in, unless excluded from disruption (set with `settled`). */
  zone?: string;
  excluded?: boolean;
}

interface ZoneTainter {
  queue: string[];
  limiter: TokenBucket;
}

/** The NoSchedule taints a node's conditions imply (nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Array<[string, NodeCondition['status'], string]> = [
  ['Ready', 'False', TAINT_NODE_NOT_READY],
  ['Ready', 'Unknown', TAINT_NODE_UNREACHABLE],
  ['MemoryPressure', 'True', 'node.kubernetes.io/memory-pressure'],
  ['DiskPressure', 'True', 'node.kubernetes.io/disk-pressure'],
  ['NetworkUnavailable', 'True', 'node.kubernetes.io/network-unavailable'],
  ['PIDPressure', 'True', 'node.kubernetes.io/pid-pressure'],
];
const NO_SCHEDULE_KEYS = new Set([...CONDITION_TAINTS.map((c) => c[2]), TAINT_NODE_UNSCHEDULABLE]);

export class NodeLifecycleController {
  private readonly health = new Map<string, NodeHealth>();
  /** knownNodeSet: the nodes the monitor pass has seen, by name, in the order it saw them. */
  private readonly knownNodes = new Map<string, Node>();
  /** The Node membership version knownNodes reflects (nothing to classify while it stays). */
  private knownMembership = -1;
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, ZoneTainter>();
  private taintPassPending = false;
  private readonly noScheduleQueue: WorkQueue;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly options: NodeLifecycleOptions,
  ) {
    this.noScheduleQueue = new WorkQueue(sim, COMPONENT, (name) => this.doNoScheduleTaintingPass(name));
  }

  start(): void {
    this.store.watch<Node>('Node', COMPONENT, (ev: WatchEvent<Node>) => {
      if (ev.type === 'DELETED') {
        this.health.delete(ev.object.metadata.name);
        return;
      }
      this.noScheduleQueue.add(ev.object.metadata.name);
    });
    const tick = () => {
      this.monitorNodeHealth();
      this.sim.after(this.options.nodeMonitorPeriodMs, COMPONENT, tick);
    };
    this.sim.after(this.options.nodeMonitorPeriodMs, COMPONENT, tick);
  }

  // ---- health --------------------------------------------------------------------------------

  private monitorNodeHealth(): void {
    const now = this.sim.nowMs;
    this.observeAddedAndDeleted();
    const zoneCounts = new Map<string, { ready: number; notReady: number }>();
    // Zone states change only in handleDisruption, after the loop.
    const allZonesFullyDisrupted = this.allZonesFullyDisrupted();
    const count = (zone: string, ready: boolean) => {
      let c = zoneCounts.get(zone);
      if (c === undefined) zoneCounts.set(zone, (c = { ready: 0, notReady: 0 }));
      if (ready) c.ready++;
      else c.notReady++;
    };
    for (const node of this.store.list<Node>('Node')) {
      const name = node.metadata.name;
      const settled = this.health.get(name);
      if (settled !== undefined && settled.settled === node && this.stillFresh(settled, name, now)) {
        if (!settled.excluded) count(settled.zone!, true);
        continue;
      }
      const { observedReady, currentReady, current } = this.tryUpdateNodeHealth(node, now);
      const zone = zoneKey(node);
      if (!this.tainters.has(zone)) this.tainters.set(zone, { queue: [], limiter: new TokenBucket(this.options.nodeEvictionRate, 1) });
      const excluded = LABEL_EXCLUDE_DISRUPTION in (node.metadata.labels ?? {});
      if (!excluded) count(zone, currentReady?.status === 'True');
      const h = this.health.get(name)!;
      h.settled = undefined;
      if (currentReady === undefined) continue;
      if (allZonesFullyDisrupted) continue;
      this.processTaintBaseEviction(current, zone, currentReady.status);
      if (currentReady.status === 'True' && current === node && !(node.spec.taints ?? []).some(isControllerTaint)) Object.assign(h, { settled: node, zone, excluded });
      if (observedReady?.status === 'True' && currentReady.status !== 'True') {
        this.events.record(this.store.get<Node>('Node', undefined, name)!, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, COMPONENT);
        this.markPodsNotReady(name);
      }
    }
    this.handleDisruption(zoneCounts);
  }

  /** classifyNodes' added and deleted nodes: a node the pass has not seen before is
   *  "RegisteredNode", a known one gone from the API "RemovingNode" (RecordNodeEvent: "Node <name>
   *  event: <event>" about the Node by name and uid). */
  private observeAddedAndDeleted(): void {
    const membership = this.store.membershipVersion('Node');
    if (membership === this.knownMembership) return;
    this.knownMembership = membership;
    const present = new Set<string>();
    for (const node of [...this.store.list<Node>('Node')]) {
      const name = node.metadata.name;
      present.add(name);
      if (this.knownNodes.has(name)) continue;
      this.recordNodeEvent(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.knownNodes.set(name, node);
    }
    for (const [name, node] of this.knownNodes) {
      if (present.has(name)) continue;
      this.recordNodeEvent(node, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
    }
  }

  /** controller/util/node RecordNodeEvent: a Normal event about the node, by kind, name and uid. */
  private recordNodeEvent(node: Node, reason: string, event: string): void {
    const ref = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } } as Node;
    this.events.record(ref, 'Normal', reason, `Node ${node.metadata.name} event: ${event}`, COMPONENT);
  }

  /** For a settled node, the part of tryUpdateNodeHealth that can still change: a Lease renewal
   *  refreshes the probe timestamp; whether the grace period still holds. */
  private stillFresh(h: NodeHealth, name: string, now: number): boolean {
    observeLeaseRenewal(h, this.store.leaseRenewTime(LEASE_NAMESPACE, name), now);
    return !(now > h.probeTimestampMs + this.options.nodeMonitorGracePeriodMs);
  }

  /** tryUpdateNodeHealth: refresh the probe timestamp on a new heartbeat or Lease renewal;
   *  past the grace period, set the kubelet's conditions to Unknown. `current`: the node as it
   *  is now (the Unknown write's result, or the node read). */
  private tryUpdateNodeHealth(node: Node, now: number): { observedReady: NodeCondition | undefined; currentReady: NodeCondition | undefined; current: Node } {
    const name = node.metadata.name;
    const conds = node.status.conditions ?? [];
    const ready = conds.find((c) => c.type === 'Ready');
    const gracePeriod = ready ? this.options.nodeMonitorGracePeriodMs : this.options.nodeStartupGracePeriodMs;
    const leaseRenewTime = this.store.leaseRenewTime(LEASE_NAMESPACE, name);
    let h = this.health.get(name);
    if (h === undefined) {
      h = { probeTimestampMs: ready ? now : node.metadata.creationTimestamp ?? now, readyTransitionTimestampMs: now, lastHeartbeatMs: ready?.lastHeartbeatTime, lastLeaseRenewMs: leaseRenewTime };
      this.health.set(name, h);
    } else {
      if (ready?.lastHeartbeatTime !== h.lastHeartbeatMs) {
        h.probeTimestampMs = now;
        h.lastHeartbeatMs = ready?.lastHeartbeatTime;
      }
      observeLeaseRenewal(h, leaseRenewTime, now);
    }
    if (!(now > h.probeTimestampMs + gracePeriod)) return { observedReady: ready, currentReady: ready, current: node };
    const next = unknownConditions(node, now);
    if (next === undefined) return { observedReady: ready, currentReady: ready, current: node };
    const r = this.store.update<Node>({ ...node, status: { ...node.status, conditions: next } }, COMPONENT, 'status');
    const current = r.ok ? next.find((c) => c.type === 'Ready') : ready;
    if (current?.status !== ready?.status) h.readyTransitionTimestampMs = now;
    return { observedReady: ready, currentReady: current, current: r.ok ? r.object : node };
  }

  /** MarkPodsNotReady (controller/util/node): every pod on the node gets Ready=False, then a
   *  Warning "NodeNotReady" event ("Node is not ready") once the write went through. */
  private markPodsNotReady(nodeName: string): void {
    for (const pod of [...this.store.list<Pod>('Pod')]) {
      if (pod.spec.nodeName !== nodeName) continue;
      const conds = pod.status.conditions ?? [];
      if (!conds.some((c) => c.type === 'Ready' && c.status !== 'False')) continue;
      const conditions = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: this.sim.nowMs } : c));
      if (this.store.update<Pod>({ ...pod, status: { ...pod.status, conditions } }, COMPONENT, 'status').ok) this.events.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready', COMPONENT);
    }
  }

  // ---- NoExecute tainting --------------------------------------------------------------------

  /** processTaintBaseEviction: queue a NotReady/Unreachable node for its NoExecute taint, or
   *  clear both taints at once when it is Ready again. */
  private processTaintBaseEviction(node: Node, zone: string, ready: NodeCondition['status']): void {
    const name = node.metadata.name;
    if (ready === 'True') {
      this.removeFromTainter(zone, name);
      this.setNoExecuteTaint(node, undefined);
      return;
    }
    const want = ready === 'False' ? TAINT_NODE_NOT_READY : TAINT_NODE_UNREACHABLE;
    const has = (node.spec.taints ?? []).filter((t) => t.effect === 'NoExecute' && (t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE));
    if (has.length > 0 && !has.some((t) => t.key === want)) {
      this.setNoExecuteTaint(node, want); // SwapNodeControllerTaint: immediate
      return;
    }
    if (has.length > 0) return;
    const tainter = this.tainters.get(zone)!;
    if (!tainter.queue.includes(name)) tainter.queue.push(name);
    this.scheduleTaintPass();
  }

  private removeFromTainter(zone: string, name: string): void {
    const t = this.tainters.get(zone);
    if (t && t.queue.includes(name)) t.queue = t.queue.filter((n) => n !== name);
  }

  private scheduleTaintPass(): void {
    if (this.taintPassPending) return;
    this.taintPassPending = true;
    const next = (Math.floor(this.sim.nowMs / NODE_EVICTION_PERIOD_MS) + 1) * NODE_EVICTION_PERIOD_MS;
    this.sim.at(next, COMPONENT, () => {
      this.taintPassPending = false;
      this.doNoExecuteTaintingPass();
    });
  }

  /** doNoExecuteTaintingPass: per zone, take queued nodes as the zone's limiter allows. */
  private doNoExecuteTaintingPass(): void {
    const now = this.sim.nowMs;
    let waiting = false;
    for (const [, tainter] of [...this.tainters].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      while (tainter.queue.length > 0) {
        if (!tainter.limiter.tryAccept(now)) break;
        const name = tainter.queue.shift()!;
        const node = this.store.get<Node>('Node', undefined, name);
        const ready = node?.status.conditions?.find((c) => c.type === 'Ready');
        if (!node || !ready || ready.status === 'True') continue;
        this.setNoExecuteTaint(node, ready.status === 'False' ? TAINT_NODE_NOT_READY : TAINT_NODE_UNREACHABLE);
      }
      if (tainter.queue.length > 0 && tainter.limiter.qps > 0) waiting = true;
    }
    if (waiting) this.scheduleTaintPass();
  }

  /** Sets the node's controller NoExecute taint to `key` (or removes both when undefined). */
  private setNoExecuteTaint(node: Node, key: string | undefined): void {
    const taints = node.spec.taints ?? [];
    // Removing taints the node does not have: nothing to write (the check below says the same).
    if (key === undefined && !taints.some(isControllerTaint)) return;
    const kept = taints.filter((t) => !isControllerTaint(t));
    const next: Taint[] = key ? [...kept, { key, effect: 'NoExecute', timeAdded: this.sim.nowMs }] : kept;
    if (next.length === taints.length && next.every((t, i) => t.key === taints[i]!.key && t.effect === taints[i]!.effect)) return;
    this.store.update<Node>({ ...node, spec: { ...node.spec, taints: next } }, COMPONENT, 'taint');
  }

  // ---- NoSchedule tainting -------------------------------------------------------------------

  /** doNoScheduleTaintingPass: NoSchedule taints mirror the node's conditions and spec.unschedulable. */
  private doNoScheduleTaintingPass(name: string): 'done' {
    const node = this.store.get<Node>('Node', undefined, name);
    if (!node) return 'done';
    const conds = node.status.conditions ?? [];
    const want = new Set<string>();
    for (const [type, status, key] of CONDITION_TAINTS) if (conds.some((c) => c.type === type && c.status === status)) want.add(key);
    if (node.spec.unschedulable) want.add(TAINT_NODE_UNSCHEDULABLE);
    const taints = node.spec.taints ?? [];
    const have = new Set(taints.filter((t) => t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key)).map((t) => t.key));
    if (want.size === have.size && [...want].every((k) => have.has(k))) return 'done';
    const kept = taints.filter((t) => !(t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key) && !want.has(t.key)));
    const added: Taint[] = [...want].filter((k) => !have.has(k)).map((key) => ({ key, effect: 'NoSchedule', timeAdded: this.sim.nowMs }));
    this.store.update<Node>({ ...node, spec: { ...node.spec, taints: [...kept, ...added] } }, COMPONENT, 'taint');
    return 'done';
  }

  // ---- zone disruption -----------------------------------------------------------------------

  private allZonesFullyDisrupted(): boolean {
    if (this.zoneStates.size === 0) return false;
    for (const s of this.zoneStates.values()) if (s !== 'FullDisruption') return false;
    return true;
  }

  /** handleDisruption: per-zone limiter rates; in "all zones fully disrupted" mode stop
   *  tainting and lift every controller NoExecute taint; on leaving it reset probe times. */
  private handleDisruption(counts: Map<string, { ready: number; notReady: number }>): void {
    const newStates = new Map<string, ZoneState>();
    for (const [zone, c] of counts) newStates.set(zone, this.computeZoneState(c.ready, c.notReady));
    const allWasFull = this.allZonesFullyDisrupted();
    const allFull = newStates.size > 0 && [...newStates.values()].every((s) => s === 'FullDisruption');
    if (!allWasFull && allFull) {
      for (const node of [...this.store.list<Node>('Node')]) this.setNoExecuteTaint(node, undefined);
      for (const t of this.tainters.values()) {
        t.queue = [];
        t.limiter.setQps(0, this.sim.nowMs);
      }
    } else if (allWasFull && !allFull) {
      const now = this.sim.nowMs;
      for (const h of this.health.values()) {
        h.probeTimestampMs = now;
        h.readyTransitionTimestampMs = now;
      }
    }
    for (const [zone, state] of newStates) {
      if (!allFull) this.setLimiterInZone(zone, counts.get(zone)!, state);
      this.zoneStates.set(zone, state);
    }
  }

  /** ComputeZoneState. */
  private computeZoneState(ready: number, notReady: number): ZoneState {
    if (ready === 0 && notReady > 0) return 'FullDisruption';
    if (notReady > 2 && notReady / (notReady + ready) >= this.options.unhealthyZoneThreshold) return 'PartialDisruption';
    return 'Normal';
  }

  private setLimiterInZone(zone: string, c: { ready: number; notReady: number }, state: ZoneState): void {
    const t = this.tainters.get(zone);
    if (!t) return;
    const size = c.ready + c.notReady;
    const qps = state === 'PartialDisruption' ? (size > this.options.largeClusterSizeThreshold ? this.options.secondaryNodeEvictionRate : 0) : this.options.nodeEvictionRate;
    t.limiter.setQps(qps, this.sim.nowMs);
  }
}

/** A Lease renewed since the controller last looked refreshes the probe timestamp. */
function observeLeaseRenewal(h: NodeHealth, renewTime: number | undefined, now: number): void {
  if (renewTime === undefined || renewTime === h.lastLeaseRenewMs) return;
  h.probeTimestampMs = now;
  h.lastLeaseRenewMs = renewTime;
}

/** A NoExecute taint the controller manages (not-ready or unreachable). */
function isControllerTaint(t: Taint): boolean {
  return t.effect === 'NoExecute' && (t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE);
}

/** The kubelet-owned conditions set to Unknown, or undefined when nothing changes. */
function unknownConditions(node: Node, now: number): NodeCondition[] | undefined {
  const conds = node.status.conditions ?? [];
  const types = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
  let changed = false;
  const next = conds.map((c) => {
    if (!types.includes(c.type) || c.status === 'Unknown') return c;
    changed = true;
    return { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now };
  });
  for (const type of types) {
    if (conds.some((c) => c.type === type)) continue;
    changed = true;
    next.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp ?? 0, lastTransitionTime: now });
  }
  return changed ? next : undefined;
}

/** Zone keys by label map: a node's labels object is shared by its versions until they change. */
const zoneKeys = new WeakMap<object, string>();

/** utilnode.GetZoneKey (region ":\x00:" zone). */
function zoneKey(node: Node): string {
  const labels = node.metadata.labels;
  if (labels === undefined) return '';
  let key = zoneKeys.get(labels);
  if (key === undefined) zoneKeys.set(labels, (key = zoneKeyOf(labels)));
  return key;
}

function zoneKeyOf(l: Record<string, string>): string {
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  return zone === '' && region === '' ? '' : `${region}:\x00:${zone}`;
}
