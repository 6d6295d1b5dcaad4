// PodTopologySpread: a pod's topologySpreadConstraints bound how unevenly the pods its selector
// matches may spread over topology domains (zones, hosts, ...). DoNotSchedule constraints filter
// nodes by the skew rule; ScheduleAnyway constraints score nodes, fewer matching pods is better.
// Pods with no constraints of their own get the plugin's default constraints (the system ones:
// hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway), with a selector taken from the
// pod's controller.
// Follows pkg/scheduler/framework/plugins/podtopologyspread/{plugin,common,filtering,scoring}.go
// and pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector), v1.35, with
// SetDefaults_PodTopologySpreadArgs (pkg/scheduler/apis/config/v1/defaults.go) and
// ValidatePodTopologySpreadArgs (pkg/scheduler/apis/config/validation/validation_pluginargs.go).
// The v1.35 feature gates are on: NodeInclusionPolicyInPodTopologySpread (GA: nodeAffinityPolicy
// and nodeTaintsPolicy apply per constraint) and MatchLabelKeysInPodTopologySpread (matchLabelKeys
// are ANDed into the selector here, which is harmless when the API server already merged them).
// The global minimum is kept with upstream's two "critical paths" per constraint, so AddPod /
// RemovePod during preemption give the same (approximate after AddPod) minimum as upstream.
// The queueing hints isSchedulableAfterPodChange / isSchedulableAfterNodeChange (plugin.go) are
// modelled.
// Not modelled:
//   - Services, ReplicationControllers and StatefulSets in DefaultSelector: kubedrill has none of
//     those kinds; only a controlling ReplicaSet (apps/v1) yields the default selector;
//   - SignPod (opportunistic batching signatures);
//   - TaintTolerationComparisonOperators (alpha, off): Gt/Lt tolerations never tolerate;
//   - Go's map iteration order: where several domains tie for the minimum, the critical paths
//     keep the first ones in node order (upstream picks at random; the minimum is the same);
//   - FMA contraction of cnt*weight+skew on arm64 builds: scores round as on amd64.
import type { LabelSelector } from '../../api/selector.js';
import { EVERYTHING, NOTHING, type Labels, RequiredNodeAffinity, type Selector, labelSelectorAsSelector, selectorFromSet } from '../../api/selector.js';
import { type Node, type Pod, type Taint, type Toleration, type TopologySpreadConstraint, controllerRef } from '../../api/types.js';
import { type MaybeStatus, SKIP, Status, Code, asError } from '../framework/status.js';
import {
  type AnyPlugin,
  type ClusterEventWithHint,
  type CycleState,
  type Handle,
  MAX_NODE_SCORE,
  type NodeInfo,
  type NodeScore,
  PodInfo,
  type PreFilterResult,
  type QueueingHint,
} from '../framework/types.js';
import { asKind } from './helper/hints.js';
import { findMatchingUntoleratedTaint } from './helper/taints.js';
import { Decoder, goQuote } from './node_resources_fit.js';
import * as names from './names.js';

export const NAME = names.PodTopologySpread;
/** ErrReasonConstraintsNotMatch: the skew rule rejects the node (Unschedulable). */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** ErrReasonNodeLabelNotMatch: the node lacks a constraint's topology key (UnschedulableAndUnresolvable). */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

/** v1.LabelHostname and v1.LabelTopologyZone. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

/** systemDefaultConstraints (DefaultingType System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

export type DefaultingType = 'System' | 'List';
type Action = TopologySpreadConstraint['whenUnsatisfiable'];
type InclusionPolicy = 'Honor' | 'Ignore';

/** config.PodTopologySpreadArgs, as pluginConfig writes it. */
export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraint[];
  /** "" or absent defaults to System (SetDefaults_PodTopologySpreadArgs). */
  defaultingType?: string;
}

/** topologySpreadConstraint: the API constraint with its selector parsed and its defaults applied. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: InclusionPolicy;
  readonly nodeTaintsPolicy: InclusionPolicy;
}

// ---------------------------------------------------------------------------------------------
// Constraints (common.go)

/** A node label's value; undefined when absent (inherited Object members do not count). */
function labelValue(labels: Labels, key: string): string | undefined {
  if (labels == null) return undefined;
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

/** nodeLabelsMatchSpreadConstraints: the node carries ALL the constraints' topology keys. */
export function nodeLabelsMatchSpreadConstraints(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (let i = 0; i < constraints.length; i++) if (labelValue(labels, constraints[i]!.topologyKey) === undefined) return false;
  return true;
}

/** involvedInTopologySpreading: the incoming pod is the pod itself, or bound in its namespace. */
function involvedInTopologySpreading(incomingPod: Pod, podWithSpreading: Pod): boolean {
  return incomingPod.metadata.uid === podWithSpreading.metadata.uid || (!!incomingPod.spec.nodeName && (incomingPod.metadata.namespace ?? 'default') === (podWithSpreading.metadata.namespace ?? 'default'));
}

/** podLabelsMatchSpreadConstraints: some constraint's selector matches the labels. */
export function podLabelsMatchSpreadConstraints(constraints: readonly SpreadConstraint[], labels: Labels): boolean {
  for (const c of constraints) if (c.selector.matches(labels ?? {})) return true;
  return false;
}

/** checkTopologyKeyLabelsChanged: some constraint's topology key has another value (or presence). */
function checkTopologyKeyLabelsChanged(originalLabels: Labels, modifiedLabels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if ((labelValue(originalLabels, c.topologyKey) ?? '') !== (labelValue(modifiedLabels, c.topologyKey) ?? '')) return true;
  return false;
}

/** equality.Semantic.DeepEqual for plain API values (the callers map nil to empty first). */
function sameJSON(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Every key=value of `set` AND every requirement of `rest` (the merged selector's requirements). */
class AndSelector implements Selector {
  constructor(
    private readonly set: Selector,
    private readonly rest: Selector,
  ) {}
  matches(labels: Labels): boolean {
    return this.set.matches(labels) && this.rest.matches(labels);
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    const rest = this.rest.toString();
    return rest === '' ? this.set.toString() : `${this.set.toString()},${rest}`;
  }
}

/**
 * mergeLabelSetWithSelector: the pod's values for matchLabelKeys ANDed with the selector; a nil
 * selector (Nothing) has no requirements to merge and stays Nothing. The merge is rebuilt as one
 * LabelSelector so the result prints as upstream's (requirements sorted by key).
 */
function mergeLabelSetWithSelector(matchLabels: Record<string, string>, sel: LabelSelector | undefined, parsed: Selector): Selector {
  if (parsed === NOTHING || sel == null) return parsed;
  const merged: LabelSelector = { matchLabels: { ...matchLabels }, matchExpressions: [...(sel.matchExpressions ?? [])] };
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (k in merged.matchLabels!) merged.matchExpressions!.push({ key: k, operator: 'In', values: [v] });
    else merged.matchLabels![k] = v;
  }
  const r = labelSelectorAsSelector(merged);
  return r.ok ? r.selector : new AndSelector(selectorFromSet(matchLabels), parsed);
}

/**
 * filterTopologySpreadConstraints: the constraints with the given whenUnsatisfiable, parsed.
 * minDomains defaults to 1, nodeAffinityPolicy to Honor, nodeTaintsPolicy to Ignore.
 */
export function filterTopologySpreadConstraints(
  constraints: readonly TopologySpreadConstraint[],
  podLabels: Labels,
  action: Action,
): { ok: true; constraints: SpreadConstraint[] } | { ok: false; message: string } {
  const result: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    const parsed = labelSelectorAsSelector(c.labelSelector);
    if (!parsed.ok) return parsed;
    let selector = parsed.selector;
    if (c.matchLabelKeys != null && c.matchLabelKeys.length > 0) {
      const matchLabels: Record<string, string> = {};
      let n = 0;
      for (const key of c.matchLabelKeys) {
        const v = labelValue(podLabels, key);
        if (v !== undefined) {
          matchLabels[key] = v;
          n++;
        }
      }
      if (n > 0) selector = mergeLabelSetWithSelector(matchLabels, c.labelSelector, selector);
    }
    result.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return { ok: true, constraints: result };
}

const NO_TOLERATIONS: readonly Toleration[] = [];

/** helper.DoNotScheduleTaintsFilterFunc. */
const doNotScheduleTaint = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** matchNodeInclusionPolicies: does the node count for the constraint's domains? */
function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: NodeInfo, required: RequiredNodeAffinity): boolean {
  // Parse errors of the pod's node affinity are ignored (those terms never match), as upstream.
  if (c.nodeAffinityPolicy === 'Honor' && !required.match(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.taints, pod.spec.tolerations ?? NO_TOLERATIONS, doNotScheduleTaint) !== undefined) {
    return false;
  }
  return true;
}

const namespaceOf = (pod: Pod): string => pod.metadata.namespace ?? 'default';

/** countPodsMatchSelector: pods in `ns` the selector matches; terminating pods are skipped
 *  (#87621), and an empty selector counts nothing. */
export function countPodsMatchSelector(pods: readonly PodInfo[], selector: Selector, ns: string): number {
  if (selector.empty()) return 0;
  let count = 0;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!.pod;
    if (p.metadata.deletionTimestamp != null || namespaceOf(p) !== ns) continue;
    if (selector.matches(p.metadata.labels)) count++;
  }
  return count;
}

/**
 * helper.DefaultSelector, for what kubedrill has: the selector of the ReplicaSet (apps/v1) that
 * controls the pod. Without one (or with a nil or invalid ReplicaSet selector) it is the empty
 * selector, which turns the default constraints off for the pod.
 */
export function defaultSelector(pod: Pod, handle: Handle): Selector {
  const owner = controllerRef(pod);
  if (owner === undefined || owner.apiVersion !== 'apps/v1' || owner.kind !== 'ReplicaSet') return EVERYTHING;
  const rs = handle.getObject('ReplicaSet', pod.metadata.namespace, owner.name) as { spec?: { selector?: LabelSelector } } | undefined;
  if (rs === undefined) return EVERYTHING;
  const parsed = labelSelectorAsSelector(rs.spec?.selector);
  // A nil selector parses to Nothing, whose Requirements() are not ok: nothing is added.
  return parsed.ok && parsed.selector !== NOTHING ? parsed.selector : EVERYTHING;
}

// ---------------------------------------------------------------------------------------------
// PreFilter state (filtering.go)

/** One of the two domains with the fewest matching pods that a constraint tracks. */
export interface CriticalPath {
  topologyValue: string;
  matchNum: number;
}

/** Go's math.MaxInt32: the count of a path no domain has filled yet. */
const MAX_INT32 = 2147483647;

/**
 * criticalPaths: paths[0].matchNum is always the minimum; paths[1].matchNum is >= it but not
 * necessarily the second smallest. Exact under RemovePod, approximate under AddPod (the CAVEAT
 * upstream documents): kept as upstream has it.
 */
export class CriticalPaths {
  readonly paths: [CriticalPath, CriticalPath] = [
    { topologyValue: '', matchNum: MAX_INT32 },
    { topologyValue: '', matchNum: MAX_INT32 },
  ];

  update(tpVal: string, num: number): void {
    const p = this.paths;
    const i: number = tpVal === p[0].topologyValue ? 0 : tpVal === p[1].topologyValue ? 1 : -1;
    if (i >= 0) {
      p[i]!.matchNum = num;
      if (p[0].matchNum > p[1].matchNum) this.swap();
    } else if (num < p[0].matchNum) {
      p[1].topologyValue = p[0].topologyValue;
      p[1].matchNum = p[0].matchNum;
      p[0].topologyValue = tpVal;
      p[0].matchNum = num;
    } else if (num < p[1].matchNum) {
      p[1].topologyValue = tpVal;
      p[1].matchNum = num;
    }
  }

  private swap(): void {
    const first = this.paths[0];
    this.paths[0] = this.paths[1];
    this.paths[1] = first;
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.paths[0] = { ...this.paths[0] };
    c.paths[1] = { ...this.paths[1] };
    return c;
  }
}

/** preFilterState: per constraint, the matching pods per domain and the critical paths. */
export class PreFilterState {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    readonly tpValueToMatchNum: Map<string, number>[],
    /** Whether each constraint's selector matches the incoming pod itself (1 or 0). */
    readonly selfMatchNum: readonly number[],
  ) {}

  /** The global minimum for the skew: 0 while there are fewer eligible domains than minDomains. */
  minMatchNum(i: number, minDomains: number): number {
    if (this.tpValueToMatchNum[i]!.size < minDomains) return 0;
    return this.criticalPaths[i]!.paths[0].matchNum;
  }

  /** Clone: constraints are shared (they do not change), counts and paths are copied. */
  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
      this.selfMatchNum,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// PreScore state (scoring.go)

/** preScoreState. Counts of hostname constraints are left out: Score counts the node's pods. */
export class PreScoreState {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** Nodes missing some topology key; they score 0. */
    readonly ignoredNodes: Set<string>,
    readonly topologyValueToPodCounts: Map<string, number>[],
    readonly topologyNormalizingWeight: number[],
  ) {}
}

/** topologyNormalizingWeight: log(size + 2), size being the number of domains of the key. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** scoreForCount: cnt * weight + (maxSkew - 1). */
export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

/** Go's math.Round: half away from zero. */
export function goRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

const INVALID_SCORE = -1;

// ---------------------------------------------------------------------------------------------
// The plugin

type Parsed = { ok: true; constraints: SpreadConstraint[] } | { ok: false; message: string };

/** What the plugin derives from a pod object once (PodInfo.memo): its own constraints, parsed. */
interface PodMemo {
  hard?: Parsed;
  soft?: Parsed;
}

function memoOf(pod: PodInfo): PodMemo {
  let m = pod.memo.get(NAME) as PodMemo | undefined;
  if (m === undefined) {
    m = {};
    pod.memo.set(NAME, m);
  }
  return m;
}


function ownConstraints(pod: PodInfo, action: Action): Parsed {
  const m = memoOf(pod);
  const spec = pod.pod.spec.topologySpreadConstraints ?? [];
  if (action === 'DoNotSchedule') return (m.hard ??= filterTopologySpreadConstraints(spec, pod.pod.metadata.labels, action));
  return (m.soft ??= filterTopologySpreadConstraints(spec, pod.pod.metadata.labels, action));
}

const NOT_FOUND = 'not found';
// Shared rejection statuses: Filter allocates nothing per node, not even when it rejects.
const STATUS_LABEL_NOT_MATCH = new Status(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_LABEL_NOT_MATCH);
const STATUS_CONSTRAINTS_NOT_MATCH = new Status(Code.Unschedulable, ERR_REASON_CONSTRAINTS_NOT_MATCH);

export class PodTopologySpread implements AnyPlugin {
  readonly name = NAME;
  /** Whether the default constraints are the system ones (relaxes requireAllTopologies in scoring). */
  readonly systemDefaulted: boolean;
  readonly defaultConstraints: readonly TopologySpreadConstraint[];

  /** Throws on invalid args, as upstream New returns the validation error. */
  constructor(
    args: PodTopologySpreadArgs | undefined,
    private readonly handle: Handle,
  ) {
    const errs = validatePodTopologySpreadArgs(args);
    if (errs.length > 0) throw new Error(errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
    this.systemDefaulted = defaultingTypeOf(args) === 'System';
    this.defaultConstraints = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args?.defaultConstraints ?? []);
  }

  /** With queueing hints on (the v1.35 default): Pod Add|UpdatePodLabel|UpdatePodToleration|Delete
   *  and Node Add|Delete|UpdateNodeLabel|UpdateNodeTaint. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'UpdatePodToleration', 'Delete'], queueingHintFn: (pod, o, n) => this.isSchedulableAfterPodChange(pod, o, n) },
      { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'], queueingHintFn: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, o, n) },
    ];
  }

  /** getConstraints: the pod's hard constraints, or the default hard ones when it has none. */
  private hintConstraints(pod: Pod): SpreadConstraint[] | Error {
    const parsed = this.constraintsOf(PodInfo.of(pod), 'DoNotSchedule');
    if (!parsed.ok) return new Error(parsed.message);
    return parsed.constraints;
  }

  /**
   * isSchedulableAfterPodChange: only a pod involved in the spreading (this pod, or a bound pod of
   * its namespace) counts. An update queues on a new toleration when a constraint honours taints,
   * or when a label change flips a constraint's selector match; an added / deleted pod queues
   * when its labels match some constraint's selector.
   */
  isSchedulableAfterPodChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
    const objs = asKind<Pod>('Pod', oldObj, newObj);
    if (objs instanceof Error) return objs;
    const { oldObj: originalPod, newObj: modifiedPod } = objs;
    if ((modifiedPod !== undefined && !involvedInTopologySpreading(modifiedPod, pod)) || (originalPod !== undefined && !involvedInTopologySpreading(originalPod, pod))) return 'QueueSkip';
    const constraints = this.hintConstraints(pod);
    if (constraints instanceof Error) return constraints;
    if (modifiedPod !== undefined && originalPod !== undefined) {
      if (pod.metadata.uid === modifiedPod.metadata.uid && !sameJSON(modifiedPod.spec.tolerations ?? [], originalPod.spec.tolerations ?? []) && constraints.some((c) => c.nodeTaintsPolicy === 'Honor')) return 'Queue';
      if (sameJSON(modifiedPod.metadata.labels ?? {}, originalPod.metadata.labels ?? {})) return 'QueueSkip';
      for (const c of constraints) if (c.selector.matches(originalPod.metadata.labels ?? {}) !== c.selector.matches(modifiedPod.metadata.labels ?? {})) return 'Queue';
      return 'QueueSkip';
    }
    if (modifiedPod !== undefined) return podLabelsMatchSpreadConstraints(constraints, modifiedPod.metadata.labels) ? 'Queue' : 'QueueSkip';
    if (originalPod === undefined) return new Error('expected a pod in the event');
    return podLabelsMatchSpreadConstraints(constraints, originalPod.metadata.labels) ? 'Queue' : 'QueueSkip';
  }

  /**
   * isSchedulableAfterNodeChange: an update queues when the node starts or stops carrying all
   * topology keys, or carries them and a key's value or the taints changed; an added (deleted)
   * node queues when it carries (carried) all keys.
   */
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
    const objs = asKind<Node>('Node', oldObj, newObj);
    if (objs instanceof Error) return objs;
    const { oldObj: originalNode, newObj: modifiedNode } = objs;
    const constraints = this.hintConstraints(pod);
    if (constraints instanceof Error) return constraints;
    const originalMatching = originalNode !== undefined && nodeLabelsMatchSpreadConstraints(originalNode.metadata.labels, constraints);
    const modifiedMatching = modifiedNode !== undefined && nodeLabelsMatchSpreadConstraints(modifiedNode.metadata.labels, constraints);
    if (originalNode !== undefined && modifiedNode !== undefined) {
      if (originalMatching !== modifiedMatching) return 'Queue';
      if (modifiedMatching && (checkTopologyKeyLabelsChanged(originalNode.metadata.labels, modifiedNode.metadata.labels, constraints) || !sameJSON(originalNode.spec.taints ?? [], modifiedNode.spec.taints ?? []))) return 'Queue';
      return 'QueueSkip';
    }
    if (modifiedNode !== undefined) return modifiedMatching ? 'Queue' : 'QueueSkip';
    return originalMatching ? 'Queue' : 'QueueSkip';
  }

  /** buildDefaultConstraints: the default constraints of `action`, all with the pod's default
   *  selector; none when that selector is empty. */
  private buildDefaultConstraints(pod: PodInfo, action: Action): Parsed {
    const parsed = filterTopologySpreadConstraints(this.defaultConstraints, pod.pod.metadata.labels, action);
    if (!parsed.ok || parsed.constraints.length === 0) return parsed;
    const selector = defaultSelector(pod.pod, this.handle);
    if (selector.empty()) return { ok: true, constraints: [] };
    return { ok: true, constraints: parsed.constraints.map((c) => ({ ...c, selector })) };
  }

  /** The pod's constraints of `action`, or the default ones when it has none at all. */
  private constraintsOf(pod: PodInfo, action: Action): Parsed {
    if ((pod.pod.spec.topologySpreadConstraints?.length ?? 0) > 0) return ownConstraints(pod, action);
    return this.buildDefaultConstraints(pod, action);
  }

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    const parsed = this.constraintsOf(pod, 'DoNotSchedule');
    if (!parsed.ok) {
      const what = (pod.pod.spec.topologySpreadConstraints?.length ?? 0) > 0 ? "obtaining pod's hard topology spread constraints" : 'setting default hard topology spread constraints';
      return { status: asError(`get constraints from pod: ${what}: ${parsed.message}`) };
    }
    if (parsed.constraints.length === 0) return { status: SKIP };
    state.write(PRE_FILTER_STATE_KEY, calPreFilterState(parsed.constraints, pod, pod.requiredAffinity, nodes));
    return { status: null };
  }

  addPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): MaybeStatus {
    return this.updateWithPod(state, pod, added, node, 1);
  }

  removePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): MaybeStatus {
    return this.updateWithPod(state, pod, removed, node, -1);
  }

  private updateWithPod(state: CycleState, preemptor: PodInfo, updated: PodInfo, node: NodeInfo, delta: number): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`reading ${goQuote(PRE_FILTER_STATE_KEY)} from cycleState: ${NOT_FOUND}`);
    if (namespaceOf(updated.pod) !== namespaceOf(preemptor.pod)) return null;
    if (!nodeLabelsMatchSpreadConstraints(node.labels, s.constraints)) return null;
    const required = preemptor.requiredAffinity;
    const podLabels = updated.pod.metadata.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      if (!c.selector.matches(podLabels)) continue;
      if (!matchNodeInclusionPolicies(c, preemptor.pod, node, required)) continue;
      const v = labelValue(node.labels, c.topologyKey)!;
      const counts = s.tpValueToMatchNum[i]!;
      const num = (counts.get(v) ?? 0) + delta;
      counts.set(v, num);
      s.criticalPaths[i]!.update(v, num);
    }
    return null;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`reading ${goQuote(PRE_FILTER_STATE_KEY)} from cycleState: ${NOT_FOUND}`);
    const labels = node.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const tpVal = labelValue(labels, c.topologyKey);
      if (tpVal === undefined) return STATUS_LABEL_NOT_MATCH;
      // 'existing matching num' + 'if self-match (1 or 0)' - 'global minimum' <= 'maxSkew'
      const minMatchNum = s.minMatchNum(i, c.minDomains);
      const matchNum = s.tpValueToMatchNum[i]!.get(tpVal) ?? 0;
      if (matchNum + s.selfMatchNum[i]! - minMatchNum > c.maxSkew) return STATUS_CONSTRAINTS_NOT_MATCH;
    }
    return null;
  }

  preScore(state: CycleState, pod: PodInfo, filteredNodes: readonly NodeInfo[]): MaybeStatus {
    const allNodes = this.handle.nodes.list();
    if (allNodes.length === 0) return SKIP;
    const parsed = this.constraintsOf(pod, 'ScheduleAnyway');
    if (!parsed.ok) {
      const what = (pod.pod.spec.topologySpreadConstraints?.length ?? 0) > 0 ? "obtaining pod's soft topology spread constraints" : 'setting default soft topology spread constraints';
      return asError(`calculating preScoreState: ${what}: ${parsed.message}`);
    }
    if (parsed.constraints.length === 0) return SKIP;
    // Only non-system-default spreading requires every topology key on a node, so that nodes
    // without a zone label still get hostname spreading.
    const requireAllTopologies = (pod.pod.spec.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    const s = initPreScoreState(parsed.constraints, filteredNodes, requireAllTopologies);
    countDomainPods(s, pod, pod.requiredAffinity, allNodes, requireAllTopologies);
    state.write(PRE_SCORE_STATE_KEY, s);
    return null;
  }

  /** The weighted matching-pod counts of the node's domains (normalised later; fewer is better). */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) return asError(`error reading ${goQuote(PRE_SCORE_STATE_KEY)} from cycleState: ${NOT_FOUND}`);
    if (s.ignoredNodes.has(node.name)) return 0;
    const labels = node.labels;
    const ns = namespaceOf(pod.pod);
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const tpVal = labelValue(labels, c.topologyKey);
      if (tpVal === undefined) continue;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(node.pods, c.selector, ns) : s.topologyValueToPodCounts[i]!.get(tpVal)!;
      score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]!);
    }
    return goRound(score);
  }

  /** MaxNodeScore * (max + min - score) / max, in int64 arithmetic; ignored nodes get 0. */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): MaybeStatus {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) return asError(`error reading ${goQuote(PRE_SCORE_STATE_KEY)} from cycleState: ${NOT_FOUND}`);
    let minScore = Number.MAX_SAFE_INTEGER;
    let maxScore = 0;
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) {
        sc.score = INVALID_SCORE;
        continue;
      }
      if (sc.score < minScore) minScore = sc.score;
      if (sc.score > maxScore) maxScore = sc.score;
    }
    for (const sc of scores) {
      if (sc.score === INVALID_SCORE) sc.score = 0;
      else if (maxScore === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - sc.score)) / maxScore);
    }
    return null;
  }
}

/** calPreFilterState: the matching pods per domain over the nodes that count for each constraint. */
function calPreFilterState(constraints: readonly SpreadConstraint[], pod: PodInfo, required: RequiredNodeAffinity, allNodes: readonly NodeInfo[]): PreFilterState {
  const counts = constraints.map(() => new Map<string, number>());
  const ns = namespaceOf(pod.pod);
  for (const node of allNodes) {
    if (!nodeLabelsMatchSpreadConstraints(node.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!matchNodeInclusionPolicies(c, pod.pod, node, required)) continue;
      const value = labelValue(node.labels, c.topologyKey)!;
      counts[i]!.set(value, (counts[i]!.get(value) ?? 0) + countPodsMatchSelector(node.pods, c.selector, ns));
    }
  }
  const paths = counts.map((m) => {
    const p = new CriticalPaths();
    for (const [value, num] of m) p.update(value, num);
    return p;
  });
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.pod.metadata.labels) ? 1 : 0));
  return new PreFilterState(constraints, paths, counts, selfMatch);
}

/** initPreScoreState: ignored nodes, the domains among the filtered nodes and their weights. */
function initPreScoreState(constraints: readonly SpreadConstraint[], filteredNodes: readonly NodeInfo[], requireAllTopologies: boolean): PreScoreState {
  const s = new PreScoreState(constraints, new Set(), constraints.map(() => new Map()), []);
  const topoSize = constraints.map(() => 0);
  for (const node of filteredNodes) {
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.labels, constraints)) {
      s.ignoredNodes.add(node.name);
      continue;
    }
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      // Per-node counts are calculated during Score.
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      const value = labelValue(node.labels, c.topologyKey) ?? '';
      if (!s.topologyValueToPodCounts[i]!.has(value)) {
        s.topologyValueToPodCounts[i]!.set(value, 0);
        topoSize[i]!++;
      }
    }
  }
  constraints.forEach((c, i) => {
    const size = c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : topoSize[i]!;
    s.topologyNormalizingWeight.push(topologyNormalizingWeight(size));
  });
  return s;
}

/** PreScore's count over all nodes, into the domains the filtered nodes have. */
function countDomainPods(s: PreScoreState, pod: PodInfo, required: RequiredNodeAffinity, allNodes: readonly NodeInfo[], requireAllTopologies: boolean): void {
  const ns = namespaceOf(pod.pod);
  for (const node of allNodes) {
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.labels, s.constraints)) continue;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      if (!matchNodeInclusionPolicies(c, pod.pod, node, required)) continue;
      const value = labelValue(node.labels, c.topologyKey) ?? '';
      const counts = s.topologyValueToPodCounts[i]!;
      // Domains no candidate node is in are skipped, and so are hostname constraints.
      const cur = counts.get(value);
      if (cur === undefined) continue;
      counts.set(value, cur + countPodsMatchSelector(node.pods, c.selector, ns));
    }
  }
}

export const newPodTopologySpread = (args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin =>
  new PodTopologySpread(args as PodTopologySpreadArgs | undefined, handle);

// ---------------------------------------------------------------------------------------------
// Argument validation (ValidatePodTopologySpreadArgs, on the v1-defaulted args)

function defaultingTypeOf(args: PodTopologySpreadArgs | undefined): string {
  const t = args?.defaultingType;
  return t === undefined || t === null || t === '' ? 'System' : t;
}

const child = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

const CONSTRAINT_FIELDS = ['maxSkew', 'topologyKey', 'whenUnsatisfiable', 'labelSelector', 'minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy', 'matchLabelKeys'];

/** Shape checks the Go decoder does (json.UnmarshalTypeError / strict decoding texts). */
function decodeErrors(args: unknown): string[] {
  const errors: string[] = [];
  const d = new Decoder(errors);
  const obj = d.object(args, '', 'PodTopologySpreadArgs', 'v1.PodTopologySpreadArgs', ['defaultConstraints', 'defaultingType']);
  if (obj === undefined) return errors;
  d.string(obj['defaultingType'], 'defaultingType', 'PodTopologySpreadArgs', 'v1.PodTopologySpreadConstraintsDefaulting');
  d.array(obj['defaultConstraints'], 'defaultConstraints', 'PodTopologySpreadArgs', '[]v1.TopologySpreadConstraint').forEach((item, i) => {
    const field = `defaultConstraints[${i}]`;
    const c = d.object(item, field, 'PodTopologySpreadArgs', 'v1.TopologySpreadConstraint', CONSTRAINT_FIELDS);
    if (c === undefined) return;
    const s = 'TopologySpreadConstraint';
    d.int(c['maxSkew'], `${field}.maxSkew`, s, 'int32');
    d.string(c['topologyKey'], `${field}.topologyKey`, s);
    d.string(c['whenUnsatisfiable'], `${field}.whenUnsatisfiable`, s, 'v1.UnsatisfiableConstraintAction');
    d.object(c['labelSelector'], `${field}.labelSelector`, s, 'v1.LabelSelector', ['matchLabels', 'matchExpressions']);
    d.int(c['minDomains'], `${field}.minDomains`, s, 'int32');
    d.string(c['nodeAffinityPolicy'], `${field}.nodeAffinityPolicy`, s, 'v1.NodeInclusionPolicy');
    d.string(c['nodeTaintsPolicy'], `${field}.nodeTaintsPolicy`, s, 'v1.NodeInclusionPolicy');
    d.strings(c['matchLabelKeys'], `${field}.matchLabelKeys`, s);
  });
  return errors;
}

/**
 * metav1validation.ValidateLabelName: one "Invalid value" per problem of the key, with the label
 * key texts the selector parser already produces (it reports them joined by "; " on `key`).
 */
function labelNameErrors(value: string, path: string): string[] {
  const r = labelSelectorAsSelector({ matchExpressions: [{ key: value, operator: 'Exists' }] });
  if (r.ok) return [];
  const prefix = `key: Invalid value: ${goQuote(value)}: `;
  const detail = r.message.startsWith(prefix) ? r.message.slice(prefix.length) : r.message;
  return detail.split('; ').map((msg) => `${path}: Invalid value: ${goQuote(value)}: ${msg}`);
}

function constraintErrors(c: TopologySpreadConstraint, all: readonly TopologySpreadConstraint[], idx: number, listPath: string): string[] {
  const errs: string[] = [];
  const p = `${listPath}[${idx}]`;
  if (!((c.maxSkew ?? 0) > 0)) errs.push(`${p}.maxSkew: Invalid value: ${c.maxSkew ?? 0}: not in valid range (0, inf)`);
  const key = c.topologyKey ?? '';
  if (key.length === 0) errs.push(`${p}.topologyKey: Required value: can not be empty`);
  else errs.push(...labelNameErrors(key, `${p}.topologyKey`));
  const action = c.whenUnsatisfiable ?? '';
  if (action.length === 0) errs.push(`${p}.whenUnsatisfiable: Required value: can not be empty`);
  else if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway') {
    errs.push(`${p}.whenUnsatisfiable: Unsupported value: ${goQuote(action)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
  }
  if (c.labelSelector != null) errs.push(`${p}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
  // validateConstraintNotRepeat: a {topologyKey, whenUnsatisfiable} pair seen before.
  for (let i = 0; i < idx; i++) {
    const other = all[i]!;
    if ((other.topologyKey ?? '') === key && (other.whenUnsatisfiable ?? '') === action) {
      errs.push(`${listPath}[${idx}]: Duplicate value: ${goQuote(`{${key}, ${action}}`)}`);
      break;
    }
  }
  return errs;
}

/**
 * ValidatePodTopologySpreadArgs on the args as the v1 API decodes and defaults them (an empty
 * defaultingType is System). Returns the error messages (duplicates dropped, as ToAggregate
 * does), [] when valid. `path` is the field path of the args ("" as the plugin's New uses).
 */
export function validatePodTopologySpreadArgs(args: unknown, path = ''): string[] {
  const decoding = decodeErrors(args);
  if (decoding.length > 0) return decoding;
  const a = (args ?? {}) as PodTopologySpreadArgs;
  const errs: string[] = [];
  const defaultingType = defaultingTypeOf(a);
  const constraints = a.defaultConstraints ?? [];
  const typePath = child(path, 'defaultingType');
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    errs.push(`${typePath}: Unsupported value: ${goQuote(defaultingType)}: supported values: "System", "List"`);
  } else if (defaultingType === 'System' && constraints.length > 0) {
    errs.push(`${typePath}: Invalid value: ${goQuote(defaultingType)}: when .defaultConstraints are not empty`);
  }
  const listPath = child(path, 'defaultConstraints');
  constraints.forEach((c, i) => errs.push(...constraintErrors(c, constraints, i, listPath)));
  return [...new Set(errs)];
}
