// DefaultPreemption: when a pod fits nowhere, find nodes where evicting lower-priority pods
// would make room, pick one, preempt the victims and nominate the node for the pod.
// Follows pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
// pkg/scheduler/framework/preemption/preemption.go (v1.35): PodEligibleToPreemptOthers,
// findCandidates (nodes whose filter status is Unschedulable), DryRunPreemption from a random
// offset with a bounded candidate count, SelectVictimsOnNode (remove all lower-priority pods,
// reprieve PDB-violating then other victims by importance), pickOneNodeForPreemption,
// prepareCandidate, and upstream's messages.
// Deliberate differences: the offset is drawn from the scheduler's seeded stream; nodes are dry
// run in order (upstream: in parallel); ties left by pickOneNodeForPreemption go to the first
// candidate in dry-run order (upstream: Go map order); victims are deleted at once (upstream,
// with SchedulerAsyncPreemption, in a goroutine that blocks the pod in PreEnqueue meanwhile).
// Hence no PreEnqueue and no eventsToRegister: upstream registers Pod Delete (with the hint
// isPodSchedulableAfterPodDeletion) only for that PreEnqueue rejection.
import { disruptionsAllowed, pdbCovers } from '../../api/pdb.js';
import type { Pod, PodDisruptionBudget } from '../../api/types.js';
import { Code, type MaybeStatus, Status, asError } from '../framework/status.js';
import type { AnyPlugin, CycleState, Handle, NodeInfo, NodeToStatus, PodInfo, PostFilterResult } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.DefaultPreemption;
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

// pkg/scheduler/apis/config/v1/defaults.go SetDefaults_DefaultPreemptionArgs
export const DEFAULT_ARGS: DefaultPreemptionArgs = { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 };

export interface Candidate {
  name: string;
  /** Victims, most important first. */
  victims: Pod[];
  numPDBViolations: number;
}

export function podPriority(p: Pod): number {
  return p.spec.priority ?? 0;
}

/** util.GetPodStartTime: a pod that has not started counts as starting now. */
function startTime(p: Pod, nowMs: number): number {
  return p.status.startTime ?? nowMs;
}

/** util.MoreImportantPod: higher priority, then earlier start. */
export function moreImportantPod(a: Pod, b: Pod, nowMs: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a, nowMs) < startTime(b, nowMs);
}

function importanceOrder(nowMs: number): (a: Pod, b: Pod) => number {
  return (a, b) => (moreImportantPod(a, b, nowMs) ? -1 : moreImportantPod(b, a, nowMs) ? 1 : 0);
}

/** calculateNumCandidates. */
export function numCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  let n = Math.trunc((numNodes * args.minCandidateNodesPercentage) / 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  return Math.min(n, numNodes);
}

/** filterPodsWithPDBViolation: stable split into PDB-violating and non-violating pods. */
export function filterPodsWithPDBViolation(pods: readonly Pod[], pdbs: ReadonlyArray<{ pdb: PodDisruptionBudget; allowed: number }>): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.allowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    if (pod.metadata.labels && Object.keys(pod.metadata.labels).length > 0) {
      pdbs.forEach(({ pdb }, i) => {
        if (!pdbCovers(pdb, pod) || pdb.status?.disruptedPods?.[pod.metadata.name] !== undefined) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/** util.GetEarliestPodStartTime over the highest-priority victims. */
function earliestStartOfTopVictims(victims: readonly Pod[], nowMs: number): number {
  let maxPriority = podPriority(victims[0]!);
  let earliest = startTime(victims[0]!, nowMs);
  for (const p of victims) {
    const pr = podPriority(p);
    if (pr === maxPriority) earliest = Math.min(earliest, startTime(p, nowMs));
    else if (pr > maxPriority) {
      maxPriority = pr;
      earliest = startTime(p, nowMs);
    }
  }
  return earliest;
}

/** pickOneNodeForPreemption: fewest PDB violations, lowest top victim priority, smallest sum of
 *  (priority + 2^31), fewest victims, latest earliest start; then the first candidate. */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], nowMs: number): string | undefined {
  if (candidates.length === 0) return undefined;
  const scoreFuncs: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => -podPriority(c.victims[0]!),
    (c) => -c.victims.reduce((s, p) => s + podPriority(p) + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfTopVictims(c.victims, nowMs),
  ];
  let remaining = [...candidates];
  for (const f of scoreFuncs) {
    let max = -Infinity;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const s = f(c);
      if (s > max) {
        max = s;
        selected = [];
      }
      if (s === max) selected.push(c);
    }
    if (selected.length === 1) return selected[0]!.name;
    remaining = selected;
  }
  return remaining[0]!.name;
}

function podTerminatingByPreemption(p: Pod): boolean {
  if (p.metadata.deletionTimestamp === undefined) return false;
  const c = p.status.conditions?.find((x) => x.type === 'DisruptionTarget');
  return c !== undefined && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

export class DefaultPreemption implements AnyPlugin {
  readonly name = NAME;

  constructor(
    private readonly handle: Handle,
    private readonly args: DefaultPreemptionArgs,
  ) {}

  postFilter(state: CycleState, podInfo: PodInfo, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus } {
    const { result, status } = this.preempt(state, podInfo, statuses);
    if (status !== null && status.message() !== '') return { ...(result ? { result } : {}), status: new Status(status.code, `preemption: ${status.message()}`) };
    return { ...(result ? { result } : {}), status };
  }

  private preempt(state: CycleState, podInfo: PodInfo, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus } {
    const h = this.handle;
    const pod = (h.getObject('Pod', podInfo.pod.metadata.namespace, podInfo.pod.metadata.name) as Pod | undefined) ?? podInfo.pod;
    // NodeToStatus.Get: a node without an entry reads as UnschedulableAndUnresolvable.
    const nominatedStatus = statuses.get(pod.status.nominatedNodeName ?? '') ?? new Status(Code.UnschedulableAndUnresolvable);
    const eligible = this.podEligibleToPreemptOthers(pod, nominatedStatus);
    if (eligible !== null) return { status: new Status(Code.Unschedulable, eligible) };
    const allNodes = h.nodes.list();
    if (allNodes.length === 0) return { status: asError('no nodes available') };
    const { candidates, nodeStatuses, errors } = this.findCandidates(state, podInfo, allNodes, statuses);
    if (candidates.length === 0 && errors.length > 0) return { status: asError(errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`) };
    if (candidates.length === 0) {
      return { result: { nominatedNodeName: '' }, status: new Status(Code.Unschedulable, fitErrorText(allNodes.length, nodeStatuses)) };
    }
    const best = candidates.length === 1 ? candidates[0]!.name : pickOneNodeForPreemption(candidates, h.nowMs());
    const chosen = candidates.find((c) => c.name === best);
    if (!chosen) return { status: new Status(Code.Unschedulable, 'no candidate node for preemption') };
    const err = this.prepareCandidate(chosen, pod);
    if (err !== null) return { status: err };
    return { result: { nominatedNodeName: chosen.name }, status: null };
  }

  /** PodEligibleToPreemptOthers: null when eligible, else the reason. */
  private podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status | undefined): string | null {
    if (pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nom = pod.status.nominatedNodeName;
    if (!nom) return null;
    if (nominatedNodeStatus?.code === Code.UnschedulableAndUnresolvable) return null;
    const node = this.handle.nodes.get(nom);
    if (node && node.pods.some((p) => podPriority(p.pod) < podPriority(pod) && podTerminatingByPreemption(p.pod))) {
      return 'not eligible due to a terminating pod on the nominated node.';
    }
    return null;
  }

  private findCandidates(state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[], statuses: NodeToStatus): { candidates: Candidate[]; nodeStatuses: NodeToStatus; errors: string[] } {
    const nodeStatuses: NodeToStatus = new Map();
    const errors: string[] = [];
    // NodesForStatusCode(Unschedulable), in node-list order.
    const potential = allNodes.filter((n) => statuses.get(n.name)?.code === Code.Unschedulable);
    if (potential.length === 0) return { candidates: [], nodeStatuses, errors };
    const pdbs = (this.handle.listObjects('PodDisruptionBudget') as PodDisruptionBudget[]).map((pdb) => ({ pdb, allowed: this.pdbAllowed(pdb) }));
    const offset = this.handle.rng.intn(potential.length);
    const want = numCandidates(this.args, potential.length);
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    for (let i = 0; i < potential.length; i++) {
      const node = potential[(offset + i) % potential.length]!;
      const r = this.selectVictimsOnNode(state.clone(), pod, node.clone(), pdbs);
      if ('victims' in r && r.victims.length > 0) {
        const list = r.numPDBViolations === 0 ? nonViolating : violating;
        if (list.length < want) list.push({ name: node.name, victims: r.victims, numPDBViolations: r.numPDBViolations });
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= want) break;
        continue;
      }
      const status = 'status' in r ? r.status : asError(`expected at least one victim pod on node "${node.name}"`);
      if (status.code === Code.Error) errors.push(status.message());
      nodeStatuses.set(node.name, status);
    }
    return { candidates: [...nonViolating, ...violating], nodeStatuses, errors };
  }

  private pdbAllowed(pdb: PodDisruptionBudget): number {
    return disruptionsAllowed(pdb, this.handle.listObjects('Pod') as Pod[]);
  }

  /** SelectVictimsOnNode, on copies of the state and the node. */
  selectVictimsOnNode(
    state: CycleState,
    pod: PodInfo,
    node: NodeInfo,
    pdbs: ReadonlyArray<{ pdb: PodDisruptionBudget; allowed: number }>,
  ): { victims: Pod[]; numPDBViolations: number } | { status: Status } {
    const h = this.handle;
    const preemptorPriority = podPriority(pod.pod);
    const potential = node.pods.filter((p) => podPriority(p.pod) < preemptorPriority);
    const remove = (p: PodInfo): MaybeStatus => {
      node.removePod(p.key);
      return h.runPreFilterExtensionRemovePod(state, pod, p, node);
    };
    const add = (p: PodInfo): MaybeStatus => {
      node.addPod(p);
      return h.runPreFilterExtensionAddPod(state, pod, p, node);
    };
    for (const p of potential) {
      const s = remove(p);
      if (s !== null) return { status: s };
    }
    if (potential.length === 0) return { status: new Status(Code.UnschedulableAndUnresolvable, NO_VICTIMS) };
    const fits = h.runFilterWithNominatedPods(state, pod, node);
    if (fits !== null) return { status: fits };
    const now = h.nowMs();
    const byImportance = new Map(potential.map((p) => [p.pod, p]));
    const ordered = potential.map((p) => p.pod).sort(importanceOrder(now));
    const { violating, nonViolating } = filterPodsWithPDBViolation(ordered, pdbs);
    const victims: Pod[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: Pod): boolean | Status => {
      const info = byImportance.get(p)!;
      const s = add(info);
      if (s !== null) return s;
      if (h.runFilterWithNominatedPods(state, pod, node) === null) return true;
      const r = remove(info);
      if (r !== null) return r;
      victims.push(p);
      return false;
    };
    for (const p of violating) {
      const r = reprieve(p);
      if (r instanceof Status) return { status: r };
      if (!r) numPDBViolations++;
    }
    for (const p of nonViolating) {
      const r = reprieve(p);
      if (r instanceof Status) return { status: r };
    }
    if (violating.length > 0 && nonViolating.length > 0) victims.sort(importanceOrder(now));
    return { victims, numPDBViolations };
  }

  /** prepareCandidate: preempt the victims, then clear lower-priority nominations on the node. */
  private prepareCandidate(c: Candidate, preemptor: Pod): Status | null {
    for (const v of c.victims) {
      if (v.metadata.deletionTimestamp !== undefined) continue;
      const err = this.handle.preemptPod(preemptor, v, c.name);
      if (err !== null) return asError(err);
    }
    for (const p of this.handle.nominatedPodsForNode(c.name)) {
      if (podPriority(p.pod) < podPriority(preemptor)) this.handle.clearNominatedNodeName(p.pod);
    }
    return null;
  }
}

/** FitError.Error() for the dry run: nodes without a status are "not helpful". */
function fitErrorText(numAllNodes: number, statuses: NodeToStatus): string {
  const reasons = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  const absent = numAllNodes - statuses.size;
  if (absent > 0) reasons.set(NOT_HELPFUL, (reasons.get(NOT_HELPFUL) ?? 0) + absent);
  const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${numAllNodes} nodes are available:${parts.length ? ` ${parts.join(', ')}.` : ''}`;
}

/** ValidateDefaultPreemptionArgs (pkg/scheduler/apis/config/validation/validation_pluginargs.go). */
export function validateDefaultPreemptionArgs(args: unknown): string[] {
  const a = { ...DEFAULT_ARGS, ...((args ?? {}) as Partial<DefaultPreemptionArgs>) };
  const errs: string[] = [];
  if (!Number.isInteger(a.minCandidateNodesPercentage) || a.minCandidateNodesPercentage < 0 || a.minCandidateNodesPercentage > 100) {
    errs.push(`minCandidateNodesPercentage: Invalid value: ${a.minCandidateNodesPercentage}: not in valid range [0, 100]`);
  }
  if (!Number.isInteger(a.minCandidateNodesAbsolute) || a.minCandidateNodesAbsolute < 0) {
    errs.push(`minCandidateNodesAbsolute: Invalid value: ${a.minCandidateNodesAbsolute}: not in valid range [0, inf)`);
  }
  if (a.minCandidateNodesPercentage === 0 && a.minCandidateNodesAbsolute === 0) {
    errs.push('minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute');
  }
  return errs;
}

export const newDefaultPreemption = (args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin =>
  new DefaultPreemption(handle, { ...DEFAULT_ARGS, ...((args ?? {}) as Partial<DefaultPreemptionArgs>) });
