// Liveness invariants: checked once, on the settled cluster at the end of a scenario's settle
// phase (`settle:` — a stretch of virtual time after `until` with no scenario events), never
// during the run. Where a safety invariant says "nothing bad happened", these say "what should
// have happened did": once faults stop, the scheduler places every pod that fits somewhere, and
// the workload controllers reach their replicas. Like the safety invariants, each judges the
// API state on its own terms (no scheduler plugin is called).
//
// This file also holds the catalog of every invariant, safety and liveness, with its kind.
import type { Node, Pod, ReplicaSet, Deployment } from '../api/types.js';
import { controllerRef, getCondition, isControlledBy, podIsTerminal } from '../api/types.js';
import { formatDuration } from '../engine/time.js';
import type { Cluster } from './cluster.js';
import {
  INVARIANTS,
  type InvariantInfo,
  type InvariantViolation,
  type ViolationReport,
  failingFilter,
  hasInterPodConstraints,
  insufficientResources,
  podAffinityFailure,
  podRef,
  topologySpreadFailure,
} from './invariants.js';

/** v1.DefaultSchedulerName: the schedulerName a pod without one gets. */
const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface LivenessInvariant extends InvariantInfo {
  kind: 'liveness';
  /** Called once on the settled cluster; one report per object that breaks the rule. */
  check(cluster: Cluster): ViolationReport[];
}

/** At most this many objects are spelt out in one violation's message. */
const LISTED_MAX = 5;

// ---------------------------------------------------------------------------------------------
// Where a pod could go

function isReady(node: Node): boolean {
  return getCondition(node.status.conditions, 'Ready')?.status === 'True';
}

/** A pod the scheduler still owes a placement: unbound, not terminal, not being deleted, not
 *  held by scheduling gates, and addressed to one of this cluster's scheduler profiles. */
function awaitingScheduler(pod: Pod, schedulerNames: ReadonlySet<string>): boolean {
  if (pod.spec.nodeName || podIsTerminal(pod) || pod.metadata.deletionTimestamp !== undefined) return false;
  if ((pod.spec.schedulingGates?.length ?? 0) > 0) return false;
  return schedulerNames.has(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
}

/**
 * The first live node (Ready) that would take the pod on its own, in store order: the node-local
 * filters (resources, nodeSelector / required node affinity, taints, unschedulable, host ports),
 * existing pods' required anti-affinity, and the pod's own required pod (anti-)affinity and
 * DoNotSchedule topology spread as if it were placed there now.
 */
export function nodeThatFits(pod: Pod, cluster: Cluster): Node | undefined {
  const store = cluster.store;
  for (const node of store.list<Node>('Node')) {
    if (!isReady(node)) continue;
    if (failingFilter(pod, node, store) !== undefined || insufficientResources(pod, node, store) !== undefined) continue;
    if (podAffinityFailure(pod, node, store) !== undefined) continue;
    if (topologySpreadFailure(pod, node, store) !== undefined) continue;
    return node;
  }
  return undefined;
}

function schedulerNames(cluster: Cluster): ReadonlySet<string> {
  return new Set(cluster.scheduler.frameworks.keys());
}

// ---------------------------------------------------------------------------------------------
// pending-pods-bound

export const pendingPodsBound: LivenessInvariant = {
  name: 'pending-pods-bound',
  kind: 'liveness',
  description:
    'at the end of the settle phase, no pod is still pending that fits some live Ready node on its own (resources, nodeSelector / node affinity, taints, unschedulable, host ports, existing pods\' anti-affinity); pods with required pod (anti-)affinity or DoNotSchedule spread constraints, gated pods and pods of other schedulers are not judged',
  upstream: 'pkg/scheduler/schedule_one.go and pkg/scheduler/backend/queue/scheduling_queue.go (unschedulable pods are retried on cluster events and flushed after podMaxInUnschedulablePodsDuration)',
  check(cluster) {
    const names = schedulerNames(cluster);
    const reports: ViolationReport[] = [];
    for (const pod of cluster.store.list<Pod>('Pod')) {
      if (!awaitingScheduler(pod, names) || hasInterPodConstraints(pod)) continue;
      const node = nodeThatFits(pod, cluster);
      if (node === undefined) continue;
      reports.push({
        objects: [podRef(pod), `Node/${node.metadata.name}`],
        message: `${podRef(pod)} is still pending at ${formatDuration(cluster.sim.nowMs)} although it fits node ${node.metadata.name} on its own`,
      });
    }
    return reports;
  },
};

// ---------------------------------------------------------------------------------------------
// workloads-reach-replicas

function replicaSetsOf(cluster: Cluster, d: Deployment): ReplicaSet[] {
  return [...cluster.store.list<ReplicaSet>('ReplicaSet')].filter((rs) => rs.metadata.namespace === d.metadata.namespace && isControlledBy(rs, d.metadata.uid!));
}

function podsControlledBy(cluster: Cluster, owners: ReadonlySet<string>): Pod[] {
  return [...cluster.store.list<Pod>('Pod')].filter((p) => {
    const ref = controllerRef(p);
    return ref !== undefined && owners.has(ref.uid);
  });
}

/**
 * Why a workload with `ready` of `want` replicas is short, or undefined when the shortfall is
 * bounded: each missing replica has a pending pod, and none of its pending pods fits any live
 * node (capacity, not the control plane, holds it back — pending-pods-bound's territory).
 */
function shortfall(cluster: Cluster, pods: readonly Pod[], ready: number, want: number): string | undefined {
  const pending = pods.filter((p) => !p.spec.nodeName && !podIsTerminal(p) && p.metadata.deletionTimestamp === undefined);
  for (const p of pending) {
    const node = nodeThatFits(p, cluster);
    if (node) return `its pending ${podRef(p)} fits node ${node.metadata.name}`;
  }
  if (ready > want) return 'more than desired';
  if (pending.length === 0) return 'none of its pods is pending';
  if (want - ready > pending.length) return `only ${pending.length} of its pods ${pending.length === 1 ? 'is' : 'are'} pending, none of which fits a node`;
  return undefined;
}

function workloadReport(cluster: Cluster, ref: string, want: number, ready: number, pods: readonly Pod[]): ViolationReport | undefined {
  if (ready === want) return undefined;
  const why = shortfall(cluster, pods, ready, want);
  if (why === undefined) return undefined;
  return { objects: [ref], message: `${ref} has ${ready} ready replicas of ${want} at ${formatDuration(cluster.sim.nowMs)}: ${why}` };
}

export const workloadsReachReplicas: LivenessInvariant = {
  name: 'workloads-reach-replicas',
  kind: 'liveness',
  description:
    'at the end of the settle phase, every Deployment and ReplicaSet has status.readyReplicas equal to spec.replicas, unless the shortfall is bounded: each missing replica has a pending pod and none of them fits any live Ready node (judged with its pod affinity and spread constraints too)',
  upstream: 'pkg/controller/deployment/sync.go and pkg/controller/replicaset/replica_set.go (status.readyReplicas; manageReplicas)',
  check(cluster) {
    const reports: ViolationReport[] = [];
    const reported = new Set<string>();
    for (const d of cluster.store.list<Deployment>('Deployment')) {
      const rss = replicaSetsOf(cluster, d);
      const pods = podsControlledBy(cluster, new Set(rss.map((rs) => rs.metadata.uid!)));
      const r = workloadReport(cluster, `Deployment/${d.metadata.namespace}/${d.metadata.name}`, d.spec.replicas ?? 1, d.status.readyReplicas ?? 0, pods);
      if (!r) continue;
      reports.push(r);
      reported.add(d.metadata.uid!);
    }
    for (const rs of cluster.store.list<ReplicaSet>('ReplicaSet')) {
      const owner = controllerRef(rs);
      if (owner !== undefined && reported.has(owner.uid)) continue;
      const pods = podsControlledBy(cluster, new Set([rs.metadata.uid!]));
      const r = workloadReport(cluster, `ReplicaSet/${rs.metadata.namespace}/${rs.metadata.name}`, rs.spec.replicas ?? 1, rs.status.readyReplicas ?? 0, pods);
      if (r) reports.push(r);
    }
    return reports;
  },
};

// ---------------------------------------------------------------------------------------------

export const LIVENESS_INVARIANTS: readonly LivenessInvariant[] = [pendingPodsBound, workloadsReachReplicas];

/** Every invariant, safety then liveness: name, kind, description, upstream rule. */
export const INVARIANT_CATALOG: readonly InvariantInfo[] = [...INVARIANTS, ...LIVENESS_INVARIANTS].map(({ name, kind, description, upstream }) => ({ name, kind, description, upstream }));

export function allInvariantNames(): string[] {
  return INVARIANT_CATALOG.map((i) => i.name);
}

/**
 * Runs liveness invariants on the settled cluster. One violation per invariant broken: the first
 * few offending objects are spelt out, every one is listed in `objects`.
 */
export function checkLiveness(cluster: Cluster, invariants: readonly LivenessInvariant[] = LIVENESS_INVARIANTS): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  for (const inv of invariants) {
    const reports = inv.check(cluster);
    if (reports.length === 0) continue;
    const shown = reports.slice(0, LISTED_MAX).map((r) => r.message);
    const more = reports.length > LISTED_MAX ? `; and ${reports.length - LISTED_MAX} more` : '';
    violations.push({
      invariant: inv.name,
      kind: 'liveness',
      timeMs: cluster.sim.nowMs,
      objects: [...new Set(reports.flatMap((r) => r.objects))],
      message: shown.join('; ') + more,
    });
  }
  return violations;
}
