// TaintToleration: a pod fits a node only if it tolerates the node's NoSchedule and NoExecute
// taints; among the nodes that fit, those with fewer untolerated PreferNoSchedule taints score
// higher.
// Follows pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (v1.35). The stored
// upstream copy read while writing this is the v1.35 one (it already carries the fixed filter
// reason of PR #134740 and the TaintTolerationComparisonOperators gate), with the queueing
// hints isSchedulableAfterNodeChange and isSchedulableAfterPodTolerationChange. Not modelled:
//   - the TaintTolerationComparisonOperators feature gate (alpha, off by default in v1.35):
//     tolerations with operator Gt/Lt never tolerate, as upstream with the gate off;
//   - SignPod (opportunistic batching signatures).
import type { Node, Pod, Taint, Toleration } from '../../api/types.js';
import { type MaybeStatus, type Status, asError, unresolvable } from '../framework/status.js';
import { KeyInterner } from '../framework/intern.js';
import { asKind } from './helper/hints.js';
import { type AnyPlugin, type ClusterEventWithHint, type QueueingHint, type CycleState, MAX_NODE_SCORE, type NodeInfo, type NodeScore, type PodInfo } from '../framework/types.js';
import { findMatchingUntoleratedTaint, tolerationsTolerateTaint } from './helper/taints.js';
import { defaultNormalizeScore, defaultNormalizeScoreValues } from './helper/normalize_score.js';
import * as names from './names.js';

export const NAME = names.TaintToleration;
/** Filter reason. Since PR #134740 (v1.35) it is fixed text, without the taint's key and value. */
export const ERR_REASON_NOT_MATCH = 'node(s) had untolerated taint(s)';
/** Key in CycleState of the PreScore data (upstream preScoreStateKey). */
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

const NO_TOLERATIONS: readonly Toleration[] = [];

/** helper.DoNotScheduleTaintsFilterFunc: the filter looks at NoSchedule and NoExecute taints only. */
export function doNotScheduleTaint(t: Taint): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

/** The first NoSchedule/NoExecute taint of the node that the pod does not tolerate, if any. */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  return findMatchingUntoleratedTaint(taints, tolerations, doNotScheduleTaint);
}

/** getAllTolerationPreferNoSchedule: tolerations with an empty effect (all effects) or PreferNoSchedule. */
export function tolerationsPreferNoSchedule(tolerations: readonly Toleration[]): readonly Toleration[] {
  const out: Toleration[] = [];
  for (const t of tolerations) if (!t.effect || t.effect === 'PreferNoSchedule') out.push(t);
  return out.length === 0 ? NO_TOLERATIONS : out;
}

/** countIntolerableTaintsPreferNoSchedule: PreferNoSchedule taints none of the tolerations tolerates. */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let n = 0;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (taint.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) n++;
  }
  return n;
}

/** PreScore state: the pod's tolerations that can tolerate a PreferNoSchedule taint. */
interface PreScoreState {
  readonly tolerationsPreferNoSchedule: readonly Toleration[];
  /** The tolerations as a key for the framework's score memo. */
  readonly signature: string;
}

/** Per pod (PodInfo.memo), so repeated cycles of the same pod object reuse it. */
function preScoreStateOf(pod: PodInfo, keys: TolerationKeys): PreScoreState {
  let s = pod.memo.get(NAME) as PreScoreState | undefined;
  if (s === undefined) {
    const tolerations = tolerationsPreferNoSchedule(pod.pod.spec.tolerations ?? NO_TOLERATIONS);
    s = { tolerationsPreferNoSchedule: tolerations, signature: keys.key(tolerations) };
    pod.memo.set(NAME, s);
  }
  return s;
}

/**
 * A text per distinct list of tolerations (every field of each, in order), built once per list:
 * the plugin's signatures. Each pod has its own list (admission adds the default ones), so lists
 * are looked up field by field rather than printed.
 */
export class TolerationKeys {
  private readonly interner = new KeyInterner();
  private readonly byList = new WeakMap<readonly Toleration[], string>();

  key(tolerations: readonly Toleration[]): string {
    let key = this.byList.get(tolerations);
    if (key === undefined) {
      const parts: Array<string | number> = [];
      for (const t of tolerations) parts.push(t.key ?? '', t.operator ?? '', t.value ?? '', t.effect ?? '', t.tolerationSeconds ?? 'none');
      key = this.interner.key(parts);
      this.byList.set(tolerations, key);
    }
    return key;
  }
}

export class TaintToleration implements AnyPlugin {
  readonly name = NAME;

  /** With queueing hints on (the v1.35 default): Node Add|UpdateNodeTaint and Pod UpdatePodToleration. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'], queueingHintFn: isSchedulableAfterNodeChange },
      { resource: 'Pod', actions: ['UpdatePodToleration'], queueingHintFn: isSchedulableAfterPodTolerationChange },
    ];
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const taint = untoleratedTaint(node.taints, pod.pod.spec.tolerations ?? NO_TOLERATIONS);
    return taint === undefined ? null : unresolvable(ERR_REASON_NOT_MATCH);
  }

  /** The verdict depends only on the node's taints and the pod's tolerations. */
  filterSignature(_state: CycleState, pod: PodInfo): string {
    return this.tolerationKeys.key(pod.pod.spec.tolerations ?? NO_TOLERATIONS);
  }

  private readonly tolerationKeys = new TolerationKeys();

  preScore(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): MaybeStatus {
    state.write(PRE_SCORE_STATE_KEY, preScoreStateOf(pod, this.tolerationKeys));
    return null;
  }

  /** The raw score depends only on the node's taints and these tolerations. */
  scoreSignature(state: CycleState): string | undefined {
    return state.read<PreScoreState>(PRE_SCORE_STATE_KEY)?.signature;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    // Upstream: fwk.AsStatus(fmt.Errorf("failed to read %q from cycleState: %w", key, fwk.ErrNotFound)).
    if (s === undefined) return asError(`failed to read ${JSON.stringify(PRE_SCORE_STATE_KEY)} from cycleState: not found`);
    return countIntolerableTaintsPreferNoSchedule(node.taints, s.tolerationsPreferNoSchedule);
  }

  /** Fewer intolerable taints is better: reversed normalisation. */
  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): MaybeStatus {
    return defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }

  normalizeScoreValues(_state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): MaybeStatus {
    return defaultNormalizeScoreValues(MAX_NODE_SCORE, true, scores, n);
  }
}

export const newTaintToleration = (): AnyPlugin => new TaintToleration();

/** isSchedulableAfterNodeChange: Queue when the pod did not tolerate the node's NoSchedule /
 *  NoExecute taints before (or the node is new) and tolerates them now; else QueueSkip. */
export function isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Node>('Node', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const { oldObj: originalNode, newObj: modifiedNode } = objs;
  if (modifiedNode === undefined) return new Error('expected a node in the event');
  const tolerations = pod.spec.tolerations ?? NO_TOLERATIONS;
  const wasUntolerated = originalNode === undefined || untoleratedTaint(originalNode.spec.taints ?? [], tolerations) !== undefined;
  const isUntolerated = untoleratedTaint(modifiedNode.spec.taints ?? [], tolerations) !== undefined;
  return wasUntolerated && !isUntolerated ? 'Queue' : 'QueueSkip';
}

/** isSchedulableAfterPodTolerationChange: Queue when the updated pod is this pod. */
export function isSchedulableAfterPodTolerationChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Pod>('Pod', oldObj, newObj);
  if (objs instanceof Error) return objs;
  if (objs.newObj === undefined) return new Error('expected a pod in the event');
  return pod.metadata.uid === objs.newObj.metadata.uid ? 'Queue' : 'QueueSkip';
}
