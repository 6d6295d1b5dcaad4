// kube-scheduler as a component: watches pods and nodes, keeps its cache and queue, runs one
// scheduling cycle per queue entry, binds, and reports failures as upstream does (a
// FailedScheduling event, the PodScheduled=False condition, nominatedNodeName).
// Follows pkg/scheduler/schedule_one.go and eventhandlers.go (v1.35). The binding cycle runs
// right after the scheduling cycle, at the same instant (upstream runs it asynchronously), unless
// a Permit plugin holds the pod: the binding cycle then goes on when the waiting pod is allowed
// or rejected (waiting_pods.ts).
import { type EventRecorder, SeriesEventRecorder } from '../api/events.js';
import type { Store, WatchEvent } from '../api/store.js';
import { parseQuantityValue } from '../api/quantity.js';
import { type AnyObject, type Namespace, type Node, type NodeCondition, type Pod, type PodCondition, isKind, podIsTerminal, sameLabels, setCondition } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import type { Framework } from './framework/runtime.js';
import { CycleState, type Handle, PodInfo, type PluginFactory, type QueuedPodInfo } from './framework/types.js';
import { Code, Status } from './framework/status.js';
import { DefaultPreemption } from './plugins/names.js';
import { WaitingPods } from './waiting_pods.js';
import { SchedulerCache } from './cache.js';
import { DEFAULT_SCHEDULER_NAME, type ProfileConfig, buildFramework } from './profile.js';
import { Nominator } from './nominator.js';
import { type EventsByPlugin, SchedulingQueue } from './queue.js';
import { type Diagnosis, type HostSelector, type ScheduleResult, addPluginStatus, fitErrorMessage, newDiagnosis, schedulePod } from './schedule_one.js';
import type { ActionType } from './framework/types.js';

export const COMPONENT = 'default-scheduler';
/** The host kube-scheduler runs on, in its events' reportingInstance (`<schedulerName>-<host>`). */
export const SCHEDULER_HOSTNAME = 'control-plane';

export interface SchedulerOptions {
  profiles: ProfileConfig[];
  registry: ReadonlyMap<string, PluginFactory>;
  /** KubeSchedulerConfiguration.percentageOfNodesToScore (0 = adaptive). */
  percentageOfNodesToScore: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxInUnschedulableMs: number;
}

/** What one scheduling attempt saw and decided; `explain` and tests read these. */
export interface AttemptObserver {
  (attempt: { timeMs: number; fwk: Framework; state: CycleState; pod: PodInfo; result: ScheduleResult; nodes: readonly import('./framework/types.js').NodeInfo[] }): void;
}

// pkg/api/v1/pod: v1.PodReasonUnschedulable, v1.PodReasonSchedulerError
const REASON_UNSCHEDULABLE = 'Unschedulable';
const REASON_SCHEDULER_ERROR = 'SchedulerError';
// staging/src/k8s.io/apimachinery/pkg/api/validation: NoteLengthLimit
const NOTE_LENGTH_LIMIT = 1024;

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly frameworks = new Map<string, Framework>();
  readonly queue: SchedulingQueue;
  readonly nominator = new Nominator();
  private readonly selector: HostSelector;
  private stepPending = false;
  private readonly observers: AttemptObserver[] = [];
  /** Bind counts, for the invariant library and reports. */
  scheduledCount = 0;
  failedAttempts = 0;
  /** Pods held at Permit, for every profile (upstream shares one waitingPodsMap). */
  private readonly waitingPods: WaitingPods;
  /** kube-scheduler's events.k8s.io/v1 broadcaster (cmd/kube-scheduler's
   *  NewEventBroadcasterAdapter); each profile records as its schedulerName. */
  readonly recorder: SeriesEventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    events: EventRecorder,
    options: SchedulerOptions,
  ) {
    this.waitingPods = new WaitingPods(sim, COMPONENT);
    this.recorder = new SeriesEventRecorder(events, store, sim, COMPONENT, SCHEDULER_HOSTNAME);
    const profiles = options.profiles.length ? options.profiles : [{ schedulerName: DEFAULT_SCHEDULER_NAME }];
    for (const p of profiles) {
      const name = p.schedulerName ?? DEFAULT_SCHEDULER_NAME;
      const ref: { fwk?: Framework } = {};
      ref.fwk = buildFramework(p, options.registry, this.makeHandle(name, () => ref.fwk!));
      this.frameworks.set(name, ref.fwk);
    }
    const first = this.frameworks.values().next().value as Framework;
    // buildQueueingHintMap: each profile's plugins' registrations with their hints.
    const eventsByProfile = new Map<string, EventsByPlugin>();
    for (const [name, f] of this.frameworks) eventsByProfile.set(name, f.eventsByPlugin());
    this.queue = new SchedulingQueue(
      (a, b) => first.less(a, b),
      { nowMs: () => sim.nowMs, at: (t, fn) => sim.at(t, COMPONENT, fn) },
      { initialBackoffMs: options.initialBackoffMs, maxBackoffMs: options.maxBackoffMs, maxInUnschedulableMs: options.maxInUnschedulableMs },
      eventsByProfile,
      DEFAULT_SCHEDULER_NAME,
    );
    this.queue.onActive = () => this.wake();
    this.selector = { nextStartNodeIndex: 0, percentageOfNodesToScore: options.percentageOfNodesToScore, rng: sim.stream('scheduler/select-host'), nominated: this.nominator, index: this.cache };
  }

  /** One profile's framework.Handle; `fwk` is bound once the profile's framework exists. */
  private makeHandle(schedulerName: string, fwk: () => Framework): Handle {
    const { sim, store } = this;
    return {
      schedulerName,
      nodes: this.cache,
      bind: (pod, nodeName) => this.bindPod(pod, nodeName),
      rng: sim.stream('scheduler/plugins'),
      namespaceLabels: (ns) => store.get<Namespace>('Namespace', undefined, ns)?.metadata.labels,
      getObject: (kind, ns, name) => (isKind(kind) ? store.get(kind, ns, name) : undefined),
      listObjects: (kind) => (isKind(kind) ? [...store.list(kind)] : []),
      updateObject: (obj) => {
        const r = store.update(obj, COMPONENT, 'update', obj.metadata.resourceVersion);
        return r.ok ? { ok: true, object: r.object } : { ok: false, message: r.message };
      },
      nowMs: () => sim.nowMs,
      runFilterWithNominatedPods: (state, pod, node) => fwk().runFilterWithNominatedPods(state, pod, node, this.nominator.forNode(node.name)),
      runPreFilterExtensionAddPod: (state, pod, added, node) => fwk().runPreFilterAddPod(state, pod, added, node),
      runPreFilterExtensionRemovePod: (state, pod, removed, node) => fwk().runPreFilterRemovePod(state, pod, removed, node),
      nominatedPodsForNode: (nodeName) => this.nominator.forNode(nodeName),
      preemptPod: (preemptor, victim, nodeName) => this.preemptPod(preemptor, victim, nodeName),
      clearNominatedNodeName: (pod) => this.clearNomination(pod),
      getWaitingPod: (uid) => this.waitingPods.get(uid),
      iterateOverWaitingPods: (callback) => this.waitingPods.forEach(callback),
      rejectWaitingPod: (uid) => this.rejectWaitingPod(uid),
    };
  }

  /** framework.go RejectWaitingPod: Reject("", "removed"). */
  private rejectWaitingPod(uid: string): boolean {
    const wp = this.waitingPods.get(uid);
    if (wp === undefined) return false;
    wp.reject('', 'removed');
    return true;
  }

  /** Evaluator.PreemptPod: a victim waiting at Permit is rejected ("preempted"), any other gets
   *  the DisruptionTarget condition and is deleted (gracefully); a Preempted event either way. */
  private preemptPod(preemptor: Pod, victim: Pod, nodeName: string): string | null {
    const waiting = this.waitingPods.get(victim.metadata.uid);
    if (waiting !== undefined) {
      waiting.reject(DefaultPreemption, 'preempted');
      this.recordPreempted(preemptor, victim, nodeName);
      return null;
    }
    const current = this.store.get<Pod>('Pod', victim.metadata.namespace, victim.metadata.name);
    if (!current || current.metadata.uid !== victim.metadata.uid) return null;
    const conditions = setCondition(current.status.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${preemptor.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod` }, this.sim.nowMs);
    const patched = this.store.update<Pod>({ ...current, status: { ...current.status, conditions } }, COMPONENT, 'status');
    const latest = patched.ok ? patched.object : current;
    const r = this.store.delete('Pod', latest.metadata.namespace, latest.metadata.name, COMPONENT);
    if (!r.ok && r.reason !== 'NotFound') return r.message;
    this.recordPreempted(preemptor, current, nodeName);
    return null;
  }

  /** preemption.go prepareCandidate: Eventf(victim, preemptor, Normal, "Preempted", "Preempting", ...). */
  private recordPreempted(preemptor: Pod, victim: Pod, nodeName: string): void {
    this.recorder.eventf(victim, preemptor, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.metadata.uid} on node ${nodeName}`, preemptor.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
  }

  private clearNomination(pod: Pod): void {
    const current = this.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    this.nominator.delete(PodInfo.of(pod).key);
    if (!current || !current.status.nominatedNodeName) return;
    const { nominatedNodeName: _n, ...status } = current.status;
    this.store.update<Pod>({ ...current, status }, COMPONENT, 'status');
  }

  start(): void {
    this.store.watch<Node>('Node', COMPONENT, (ev) => this.onNode(ev));
    this.store.watch<Pod>('Pod', COMPONENT, (ev) => this.onPod(ev));
    // The storage informers (eventhandlers.go addAllEventHandlers): their events only move pods
    // whose rejecting plugins registered for them, with the event's old and new objects for the
    // plugins' QueueingHints. Only NodeVolumeLimits registers for VolumeAttachments, and for their
    // deletion only, so the other VolumeAttachment events are not delivered.
    for (const kind of ['PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'CSINode', 'VolumeAttachment'] as const) {
      const relevant = kind === 'VolumeAttachment' ? (ev: WatchEvent<AnyObject>) => ev.type === 'DELETED' : undefined;
      this.store.watch<AnyObject>(
        kind,
        COMPONENT,
        (ev) => {
          if (ev.type === 'ADDED') this.queue.onClusterEvent(kind, 'Add', undefined, ev.object);
          else if (ev.type === 'DELETED') this.queue.onClusterEvent(kind, 'Delete', ev.object, undefined);
          else this.queue.onClusterEvent(kind, 'Update', ev.old, ev.object);
        },
        relevant,
      );
    }
  }

  /** Where the next cycle's node scan starts (schedule_one.go nextStartNodeIndex); explain reads it. */
  get nextStartNodeIndex(): number {
    return this.selector.nextStartNodeIndex;
  }

  observe(o: AttemptObserver): void {
    this.observers.push(o);
  }

  private wake(): void {
    if (this.stepPending) return;
    this.stepPending = true;
    this.sim.after(0, COMPONENT, () => {
      this.stepPending = false;
      this.scheduleOne();
      if (this.queue.poppable) this.wake();
    });
  }

  // ---- event handlers (pkg/scheduler/eventhandlers.go) -------------------------------------

  // The queue gets each event's old and new objects for the plugins' QueueingHints; with hints on
  // (the v1.35 default) no preCheck narrows node events (preCheckForNode returns nil) and assigned
  // pod events go to MoveAllToActiveOrBackoffQueue, not AssignedPodAdded/Updated.
  private onNode(ev: WatchEvent<Node>): void {
    if (ev.type === 'DELETED') {
      // deleteNodeFromCache: the queue hears of it before the cache forgets the node.
      this.queue.onClusterEvent('Node', 'Delete', ev.object, undefined);
      this.cache.removeNode(ev.object.metadata.name);
      return;
    }
    this.cache.addOrUpdateNode(ev.object);
    if (ev.type === 'ADDED') this.queue.onClusterEvent('Node', 'Add', undefined, ev.object);
    else for (const action of nodeUpdateActions(ev.old!, ev.object)) this.queue.onClusterEvent('Node', action, ev.old, ev.object);
  }

  private onPod(ev: WatchEvent<Pod>): void {
    const pod = ev.object;
    const info = PodInfo.of(pod);
    const wasAssigned = ev.old !== undefined && !!ev.old.spec.nodeName && !podIsTerminal(ev.old);
    // An assumed pod (the cache holds it, the API has it unbound: waiting at Permit, or in its
    // binding cycle's nominatedNodeName write): updatePodInSchedulingQueue skips its updates whole,
    // nomination included; deletePodFromSchedulingQueue rejects it if it waits (RejectWaitingPod),
    // and its binding cycle then forgets it.
    if (!wasAssigned && !pod.spec.nodeName && !podIsTerminal(pod) && this.cache.hasPod(info.key)) {
      if (ev.type !== 'DELETED' || this.rejectWaitingPod(pod.metadata.uid ?? '')) return;
    }
    const nominated = ev.type !== 'DELETED' && !pod.spec.nodeName && !podIsTerminal(pod) ? pod.status.nominatedNodeName : undefined;
    if (nominated) this.nominator.set(info, nominated);
    else this.nominator.delete(info.key);
    const assigned = !!pod.spec.nodeName && !podIsTerminal(pod) && ev.type !== 'DELETED';
    if (assigned) {
      this.queue.delete(info.key);
      this.cache.addPod(pod);
      if (!wasAssigned) this.queue.onClusterEvent('AssignedPod', 'Add', undefined, pod);
      else for (const action of podUpdateActions(ev.old!, pod)) this.queue.onClusterEvent('AssignedPod', action, ev.old, pod);
      return;
    }
    if (wasAssigned || this.cache.hasPod(info.key)) {
      this.cache.removePod(info.key);
      this.queue.onClusterEvent('AssignedPod', 'Delete', ev.type === 'DELETED' ? pod : (ev.old ?? pod), undefined);
      return;
    }
    if (ev.type === 'DELETED' || podIsTerminal(pod) || pod.spec.nodeName) {
      this.queue.delete(info.key);
      // deletePodFromSchedulingQueue: a deleted pod that had a nominated node may unblock pods of
      // lower or equal priority (they counted it as if assigned there).
      if (ev.type === 'DELETED' && pod.status.nominatedNodeName) this.queue.onClusterEvent('AssignedPod', 'Delete', pod, undefined, lowerOrEqualPriority(pod));
      return;
    }
    const fwk = this.frameworks.get(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    if (!fwk || pod.metadata.deletionTimestamp !== undefined) return;
    const gated = fwk.runPreEnqueue(info) !== null;
    if (ev.type === 'ADDED') this.queue.add(info, gated);
    else {
      const old = ev.old!;
      this.queue.update(info, gated, old, podUpdateActions(old, pod));
      // updatePodInSchedulingQueue: hasNominatedNodeNameChanged is treated as the pod's deletion
      // from its old nominated node, for pods of lower or equal priority.
      if (old.status.nominatedNodeName && old.status.nominatedNodeName !== pod.status.nominatedNodeName) this.queue.onClusterEvent('AssignedPod', 'Delete', old, undefined, lowerOrEqualPriority(old));
    }
  }

  // ---- the scheduling cycle ------------------------------------------------------------------

  private scheduleOne(): void {
    const q = this.queue.pop();
    if (q === undefined) return;
    const current = this.store.get<Pod>('Pod', q.podInfo.pod.metadata.namespace, q.podInfo.pod.metadata.name);
    // skipPodSchedule: deleted, being deleted, or already bound.
    if (!current || current.metadata.uid !== q.podInfo.pod.metadata.uid || current.metadata.deletionTimestamp !== undefined || current.spec.nodeName) return;
    const podInfo = PodInfo.of(current);
    q.podInfo = podInfo;
    const fwk = this.frameworks.get(current.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME)!;
    const state = new CycleState();
    const nodes = this.cache.list();
    const result = schedulePod(fwk, this.selector, state, podInfo, nodes);
    for (const o of this.observers) o({ timeMs: this.sim.nowMs, fwk, state, pod: podInfo, result, nodes });
    if (result.kind === 'scheduled') this.assumeAndBind(fwk, state, q, result.host);
    else if (result.kind === 'fit-error') this.handleFitError(fwk, state, q, result.numAllNodes, result.diagnosis);
    else this.handleFailure(q, REASON_SCHEDULER_ERROR, result.message, result.plugins, true, undefined);
  }

  private handleFitError(fwk: Framework, state: CycleState, q: QueuedPodInfo, numAllNodes: number, diagnosis: Diagnosis): void {
    let nominated: string | undefined;
    if (fwk.hasPostFilter()) {
      // PostFilter reads every node's status: nodes the cycle did not evaluate get the absent status.
      const statuses = new Map(diagnosis.nodeToStatus);
      if (diagnosis.absentNodesStatus) for (const n of this.cache.list()) if (!statuses.has(n.name)) statuses.set(n.name, diagnosis.absentNodesStatus);
      const pf = fwk.runPostFilter(state, q.podInfo, statuses);
      if (pf.status !== null) diagnosis.postFilterMsg = pf.status.message();
      nominated = pf.nominatedNodeName;
    }
    this.handleFailure(q, REASON_UNSCHEDULABLE, fitErrorMessage(numAllNodes, diagnosis), diagnosis.unschedulablePlugins, false, nominated, diagnosis.pendingPlugins);
  }

  /**
   * The end of the scheduling cycle (assume, Reserve, Permit) and the binding cycle. A Reserve or
   * Permit rejection is a FitError for the chosen node alone ("0/1 nodes are available: ...");
   * an error is a SchedulerError. When a Permit plugin asks to wait, the binding cycle goes on
   * once the waiting pod is allowed or rejected.
   */
  private assumeAndBind(fwk: Framework, state: CycleState, q: QueuedPodInfo, host: string): void {
    const pod = q.podInfo.pod;
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    this.cache.addPod(assumed, PodInfo.assumed(assumed, q.podInfo));
    const failCycle = (s: Status) => {
      fwk.runUnreserve(state, q.podInfo, host);
      this.cache.removePod(q.podInfo.key);
      this.handleCycleFailure(q, host, s);
    };
    const reserve = fwk.runReserve(state, q.podInfo, host);
    if (reserve !== null) return failCycle(reserve);
    const permit = fwk.runPermit(state, q.podInfo, host);
    if (permit.status !== null) return failCycle(permit.status);
    // The binding cycle begins (NominatedNodeNameForExpectation, v1.35 beta, on): when PreBind
    // will have work or the pod will wait at Permit, the pod's status.nominatedNodeName is set to
    // the node first, for whoever watches (the binding clears it).
    const preFlight = fwk.runPreBindPreFlights(state, q.podInfo, host);
    if (preFlight !== null && preFlight.code !== Code.Skip) return this.handleBindingCycleError(fwk, state, q, host, assumed, preFlight);
    if (preFlight === null || permit.waits.length > 0) this.nominateForBinding(pod, host);
    if (permit.waits.length > 0) {
      this.waitingPods.add(assumed, permit.waits, (signal) => {
        // WaitOnPermit returns: the pod leaves the map, and its binding cycle goes on or fails.
        this.waitingPods.remove(assumed.metadata.uid);
        if (signal === null) this.bindingCycle(fwk, state, q, host, assumed);
        else this.handleBindingCycleError(fwk, state, q, host, assumed, signal, true);
      });
      return;
    }
    this.bindingCycle(fwk, state, q, host, assumed);
  }

  /** updatePod with NominatingInfo{host, ModeOverride}: a status write when it changes anything. */
  private nominateForBinding(pod: Pod, host: string): void {
    const current = this.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid || current.status.nominatedNodeName === host) return;
    this.store.update<Pod>({ ...current, status: { ...current.status, nominatedNodeName: host } }, COMPONENT, 'status');
  }

  /** bindingCycle after WaitOnPermit: PreBind, Bind, the Scheduled event, PostBind. */
  private bindingCycle(fwk: Framework, state: CycleState, q: QueuedPodInfo, host: string, assumed: Pod): void {
    const pod = q.podInfo.pod;
    const preBind = fwk.runPreBind(state, q.podInfo, host);
    if (preBind !== null) return this.handleBindingCycleError(fwk, state, q, host, assumed, preBind);
    const bind = fwk.runBind(state, q.podInfo, host);
    if (bind !== null) return this.handleBindingCycleError(fwk, state, q, host, assumed, bind);
    this.scheduledCount++;
    const ns = pod.metadata.namespace ?? 'default';
    this.recorder.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${pod.metadata.name} to ${host}`, fwk.schedulerName);
    fwk.runPostBind(state, q.podInfo, host);
  }

  /**
   * handleBindingCycleError: Unreserve, forget the assumed pod, tell the queue an assigned pod
   * went (after the failure is handled, and not to the pod itself, when it was rejected), then
   * the failure. A rejection at WaitOnPermit is a FitError for the node; one at PreBind or Bind
   * is reported with its own message.
   */
  private handleBindingCycleError(fwk: Framework, state: CycleState, q: QueuedPodInfo, host: string, assumed: Pod, status: Status, fitError = false): void {
    fwk.runUnreserve(state, q.podInfo, host);
    this.cache.removePod(q.podInfo.key);
    const uid = assumed.metadata.uid;
    if (!status.isRejected()) this.queue.onClusterEvent('AssignedPod', 'Delete', assumed, undefined);
    this.handleCycleFailure(q, host, status, fitError);
    if (status.isRejected()) this.queue.onClusterEvent('AssignedPod', 'Delete', assumed, undefined, (p) => p.metadata.uid !== uid);
  }

  /**
   * A failure after the host was chosen (clearing the pod's nomination): a rejection is, with
   * `asFitError`, a FitError with the one node's status ("0/1 nodes are available: ..."), else
   * reported with its own message; anything else is a SchedulerError.
   */
  private handleCycleFailure(q: QueuedPodInfo, host: string, status: Status, asFitError = true): void {
    if (!status.isRejected()) return this.handleFailure(q, REASON_SCHEDULER_ERROR, status.message(), new Set([status.plugin]), true, '');
    const diagnosis = newDiagnosis();
    diagnosis.nodeToStatus.set(host, status);
    // Diagnosis.AddPluginStatus; a rejection by no plugin (rejectWaitingPod) names "", as upstream.
    if (asFitError) addPluginStatus(diagnosis, status);
    if (diagnosis.unschedulablePlugins.size === 0) diagnosis.unschedulablePlugins.add(status.plugin);
    const message = asFitError ? fitErrorMessage(1, diagnosis) : status.message();
    this.handleFailure(q, REASON_UNSCHEDULABLE, message, diagnosis.unschedulablePlugins, false, '', diagnosis.pendingPlugins);
  }

  /**
   * The pods/binding subresource (pkg/registry/core/pod/storage/storage.go setPodNodeAndMetadata):
   * refused for a pod being deleted, already assigned, or still gated; sets spec.nodeName and
   * PodScheduled=True, and clears status.nominatedNodeName (ClearingNominatedNodeNameAfterBinding,
   * beta and on in v1.35).
   */
  private bindPod(pod: Pod, nodeName: string): string | null {
    const current = this.store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return `pods "${pod.metadata.name}" not found`;
    if (current.metadata.deletionTimestamp !== undefined) return `pod ${pod.metadata.name} is being deleted, cannot be assigned to a host`;
    if (current.spec.nodeName) return `pod ${pod.metadata.name} is already assigned to node "${current.spec.nodeName}"`;
    if ((current.spec.schedulingGates?.length ?? 0) !== 0) return `pod ${pod.metadata.name} has non-empty .spec.schedulingGates`;
    const conditions = setCondition(current.status.conditions, { type: 'PodScheduled', status: 'True' }, this.sim.nowMs);
    const status = { ...current.status, conditions };
    if (status.nominatedNodeName !== undefined) delete status.nominatedNodeName;
    const bound: Pod = { ...current, spec: { ...current.spec, nodeName }, status };
    const r = this.store.update(bound, COMPONENT, 'bind');
    if (!r.ok) return r.message;
    // The stored pod reaches the cache through the watch: its PodInfo can share the requests.
    PodInfo.derive(r.object, PodInfo.of(pod));
    return null;
  }

  /** handleSchedulingFailure: event, condition, nomination, requeue. */
  private handleFailure(q: QueuedPodInfo, reason: string, message: string, plugins: Set<string>, isError: boolean, nominated: string | undefined, pendingPlugins?: Set<string>): void {
    this.failedAttempts++;
    const msg = truncateMessage(message);
    const current = this.store.get<Pod>('Pod', q.podInfo.pod.metadata.namespace, q.podInfo.pod.metadata.name);
    // A pod gone from the API, or bound meanwhile, is not queued again (a failure at the end of a
    // wait at Permit can find it so).
    if (!current || current.metadata.uid !== q.podInfo.pod.metadata.uid || current.spec.nodeName) return;
    if (nominated !== undefined) this.nominator.set(q.podInfo, nominated || undefined);
    this.queue.addUnschedulable(q, plugins, isError, pendingPlugins);
    this.recorder.eventf(current, undefined, 'Warning', 'FailedScheduling', 'Scheduling', msg, current.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    const cond: PodCondition = { type: 'PodScheduled', status: 'False', reason, message: msg };
    const prev = current.status.conditions?.find((c) => c.type === 'PodScheduled');
    const conditionChanged = !prev || prev.status !== cond.status || prev.reason !== cond.reason || prev.message !== cond.message;
    const nominationChanged = nominated !== undefined && nominated !== (current.status.nominatedNodeName ?? '');
    if (!conditionChanged && !nominationChanged) return;
    const status = { ...current.status, conditions: setCondition(current.status.conditions, cond, this.sim.nowMs) };
    if (nominated !== undefined) {
      if (nominated) status.nominatedNodeName = nominated;
      else delete status.nominatedNodeName;
    }
    this.store.update<Pod>({ ...current, status }, COMPONENT, 'status');
  }
}

function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** extractNodeConditionsChange: the conditions as a type → status map (order, heartbeat times
 *  and messages do not count; a later duplicate type wins; none and empty are alike). */
function sameConditionStatuses(a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean {
  if (a === b) return true;
  const strip = (conditions: readonly NodeCondition[] | undefined) => new Map((conditions ?? []).map((c) => [c.type, c.status]));
  const sa = strip(a);
  const sb = strip(b);
  if (sa.size !== sb.size) return false;
  for (const [type, status] of sa) if (sb.get(type) !== status) return false;
  return true;
}

/** extractNodeAllocatableChange: equality.Semantic.DeepEqual of two ResourceLists, which compares
 *  quantities by value ("1" and "1000m" are equal) and takes a nil map for an empty one
 *  (apimachinery third_party/forked/golang/reflect/deep_equal.go). */
function sameResourceList(x: Readonly<Record<string, unknown>> | undefined, y: Readonly<Record<string, unknown>> | undefined): boolean {
  if (x === y) return true;
  const a = x ?? {};
  const b = y ?? {};
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    const qx = parseQuantityValue(x);
    const qy = parseQuantityValue(y);
    if (!qx.ok || !qy.ok || !qx.quantity.equals(qy.quantity)) return false;
  }
  return true;
}

/** getLEPriorityPreCheck (pkg/scheduler/eventhandlers.go): pods of lower or equal priority. */
function lowerOrEqualPriority(pod: Pod): (p: Pod) => boolean {
  const priority = pod.spec.priority ?? 0;
  return (p) => (p.spec.priority ?? 0) <= priority;
}

/**
 * The pod update's ActionTypes (pkg/scheduler/framework/events.go PodSchedulingPropertiesChange,
 * v1.35), in upstream's extractor order: labels, scale-down of a request, scheduling gates all
 * removed, a toleration count change; none of them → the general Update. DRA's generated claim
 * statuses are not modelled.
 */
export function podUpdateActions(old: Pod, cur: Pod): ActionType[] {
  const out: ActionType[] = [];
  if (!sameLabels(old.metadata.labels, cur.metadata.labels)) out.push('UpdatePodLabel');
  if (podScaledDown(old, cur)) out.push('UpdatePodScaleDown');
  if ((cur.spec.schedulingGates?.length ?? 0) === 0 && (old.spec.schedulingGates?.length ?? 0) !== 0) out.push('UpdatePodSchedulingGatesEliminated');
  if ((cur.spec.tolerations?.length ?? 0) !== (old.spec.tolerations?.length ?? 0)) out.push('UpdatePodToleration');
  // No specific change: updatePodOther, which only a registration for every Update matches.
  if (out.length === 0) out.push('updatePodOther');
  return out;
}

/** extractPodScaleDown: some request of the old pod is lower (or gone) in the new one. The
 *  requests are PodInfo.requests (with pod-level requests); a resource absent from both reads 0. */
function podScaledDown(old: Pod, cur: Pod): boolean {
  if (old.spec.containers === cur.spec.containers && old.spec.initContainers === cur.spec.initContainers && old.spec.overhead === cur.spec.overhead && old.spec.resources === cur.spec.resources) return false;
  const a = PodInfo.of(old).requests;
  const b = PodInfo.of(cur).requests;
  if (a.milliCPU > b.milliCPU || a.memory > b.memory || a.ephemeralStorage > b.ephemeralStorage) return true;
  for (const [name, v] of a.scalar ?? []) if (v > b.getScalar(name)) return true;
  return false;
}

/** The node update's ActionTypes (pkg/scheduler/framework/events.go NodeSchedulingPropertiesChange, v1.35). */
export function nodeUpdateActions(old: Node, cur: Node): ActionType[] {
  const out: ActionType[] = [];
  // reflect.DeepEqual of labels, taints and annotations; unchanged parts are usually the same
  // objects (an update copies what it does not touch).
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  // nodeChangeExtracters, in upstream's order: spec.unschedulable, allocatable, labels, taints,
  // conditions, annotations (unschedulable and taints both give UpdateNodeTaint).
  // extractNodeSpecUnschedulableChange: only a node that became schedulable (uncordon).
  if ((old.spec.unschedulable ?? false) !== (cur.spec.unschedulable ?? false) && !cur.spec.unschedulable) out.push('UpdateNodeTaint');
  if (!sameResourceList(old.status.allocatable, cur.status.allocatable)) out.push('UpdateNodeAllocatable');
  if (!same(old.metadata.labels, cur.metadata.labels)) out.push('UpdateNodeLabel');
  if (!same(old.spec.taints, cur.spec.taints)) out.push('UpdateNodeTaint');
  if (!sameConditionStatuses(old.status.conditions, cur.status.conditions)) out.push('UpdateNodeCondition');
  if (!same(old.metadata.annotations, cur.metadata.annotations)) out.push('UpdateNodeAnnotation');
  return out;
}
