// NodeAffinity: a pod fits a node only if the node's labels satisfy the pod's spec.nodeSelector
// and its required node affinity (and the scheduler-enforced addedAffinity of the plugin args);
// nodes score by the summed weights of the preferred terms they match.
// Follows pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (v1.35), with
// pkg/scheduler/apis/config/validation/validation_pluginargs.go ValidateNodeAffinityArgs for the
// arguments, and the queueing hint isSchedulableAfterNodeChange. Not modelled:
//   - the hint's error for a pod whose required terms fail to parse (upstream queues; here such a
//     term never matches, as Filter reads it, so the hint says QueueSkip unless another term matches);
//   - Go's runtime.Object argument plumbing: args arrive as the decoded pluginConfig object.
import type { Affinity, Node, Pod } from '../../api/types.js';
import {
  type CompiledNodeSelector,
  type NodeSelector,
  type PreferredSchedulingTerm,
  RequiredNodeAffinity,
  compileNodeSelector,
  compilePreferredTerms,
} from '../../api/selector.js';
import { type MaybeStatus, SKIP, type Status, asError, unresolvable } from '../framework/status.js';
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
import { asKind, nodeLike } from './helper/hints.js';
import { defaultNormalizeScore, defaultNormalizeScoreValues } from './helper/normalize_score.js';
import * as names from './names.js';
import { jsonKind } from './helper/json.js';

export const NAME = names.NodeAffinity;
/** ErrReasonPod: the pod's own nodeSelector / required node affinity rejects the node. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** errReasonEnforced: the plugin's addedAffinity rejects the node. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** errReasonConflict: every required term pins metadata.name to an empty set. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;
/** metav1.ObjectNameField. */
const OBJECT_NAME_FIELD = 'metadata.name';

/** v1.NodeAffinity, as the API spells it. */
export type NodeAffinitySpec = NonNullable<Affinity['nodeAffinity']>;

/** config.NodeAffinityArgs. */
export interface NodeAffinityArgs {
  /** Applies to all pods, in addition to their own node affinity. */
  addedAffinity?: NodeAffinitySpec;
}

type PreferredTerms = ReturnType<typeof compilePreferredTerms>;

/** PreScore state (upstream preScoreState): the pod's compiled preferred terms, or null. */
interface PreScoreState {
  readonly preferredNodeAffinity: PreferredTerms | null;
}

/** What NodeAffinity derives from a pod, once per pod object (PodInfo.memo). */
interface PodMemo {
  preScore?: PreScoreState;
}

function memoOf(pod: PodInfo): PodMemo {
  let m = pod.memo.get(NAME) as PodMemo | undefined;
  if (m === undefined) {
    m = {};
    pod.memo.set(NAME, m);
  }
  return m;
}


/** getPodPreferredNodeAffinity, memoised per pod: null when the pod has no preferred list at all
 *  (an empty list still counts, as a non-nil Go slice does). */
function preScoreStateOf(pod: PodInfo): PreScoreState {
  const m = memoOf(pod);
  if (m.preScore === undefined) {
    const terms = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    m.preScore = { preferredNodeAffinity: terms == null ? null : compilePreferredTerms(terms) };
  }
  return m.preScore;
}

/**
 * The node names the required terms pin through matchFields metadata.name In (upstream PreFilter):
 * undefined when some term does not pin names (terms are ORed, so every node stays eligible);
 * otherwise the union over terms of the intersection within each term.
 */
export function requiredNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms == null || terms.length === 0) return undefined;
  let nodeNames: Set<string> | undefined;
  for (const term of terms) {
    let termNodeNames: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      // The requirements of one term are ANDed: intersect.
      const s = new Set(r.values ?? []);
      if (termNodeNames === undefined) termNodeNames = s;
      else for (const n of termNodeNames) if (!s.has(n)) termNodeNames.delete(n);
    }
    if (termNodeNames === undefined) return undefined;
    if (nodeNames === undefined) nodeNames = termNodeNames;
    else for (const n of termNodeNames) nodeNames.add(n);
  }
  return nodeNames;
}

export class NodeAffinity implements AnyPlugin {
  readonly name = NAME;
  private readonly addedNodeSelector: CompiledNodeSelector | null = null;
  private readonly addedPrefSchedTerms: PreferredTerms | null = null;

  /** Throws on invalid args, as upstream New returns the validation error. */
  constructor(args?: NodeAffinityArgs) {
    const errs = validateNodeAffinityArgs(args);
    if (errs.length > 0) throw new Error(aggregate(errs));
    const added = args?.addedAffinity;
    if (added == null) return;
    const ns = added.requiredDuringSchedulingIgnoredDuringExecution;
    if (ns != null) {
      const compiled = compileNodeSelector(ns);
      // Unreachable after validation; kept for parity with upstream New.
      if (!compiled.ok) throw new Error(`parsing addedAffinity.requiredDuringSchedulingIgnoredDuringExecution: ${compiled.message}`);
      this.addedNodeSelector = compiled.selector;
    }
    const terms = added.preferredDuringSchedulingIgnoredDuringExecution;
    if (terms != null && terms.length !== 0) this.addedPrefSchedTerms = compilePreferredTerms(terms);
  }

  /** With queueing hints on (the v1.35 default): Node Add|UpdateNodeLabel. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, oldObj, newObj) }];
  }

  /**
   * isSchedulableAfterNodeChange: QueueSkip when the node does not match the scheduler-enforced
   * affinity or the pod's required affinity; Queue for an added node that matches, or an updated
   * node that did not match before and does now.
   */
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
    const objs = asKind<Node>('Node', oldObj, newObj);
    if (objs instanceof Error) return objs;
    const { oldObj: originalNode, newObj: modifiedNode } = objs;
    if (modifiedNode === undefined) return new Error('expected a node in the event');
    const modified = nodeLike(modifiedNode);
    if (this.addedNodeSelector !== null && !this.addedNodeSelector.matches(modified)) return 'QueueSkip';
    const required = PodInfo.of(pod).requiredAffinity;
    if (!required.match(modified)) return 'QueueSkip';
    // An added node that matches the pod's affinity.
    if (originalNode === undefined) return 'Queue';
    // An update: only an unmatch → match change helps.
    if (required.match(nodeLike(originalNode))) return 'QueueSkip';
    return 'Queue';
  }

  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    const spec = pod.pod.spec;
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required == null && this.addedNodeSelector === null && spec.nodeSelector == null) {
      // NodeAffinity Filter has nothing to do with the pod.
      return { status: SKIP };
    }
    state.write(PRE_FILTER_STATE_KEY, pod.requiredAffinity);

    const nodeNames = requiredNodeNames(pod.pod);
    if (nodeNames === undefined) return { status: null };
    // Every term pins metadata.name, and the sets came out empty: no node can match.
    if (nodeNames.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
    return { result: { nodeNames }, status: null };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    if (this.addedNodeSelector !== null && !this.addedNodeSelector.matches(node)) return unresolvable(ERR_REASON_ENFORCED);
    // Without PreFilter state (PreFilter disabled), compute it here, as upstream falls back.
    const required = state.read<RequiredNodeAffinity>(PRE_FILTER_STATE_KEY) ?? pod.requiredAffinity;
    // Parse errors of the pod's terms are ignored (those terms never match), as upstream.
    return required.match(node) ? null : unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): MaybeStatus {
    const s = preScoreStateOf(pod);
    if (s.preferredNodeAffinity?.error !== undefined) return asError(s.preferredNodeAffinity.error);
    // NodeAffinity Score has nothing to do with the pod.
    if (s.preferredNodeAffinity === null && this.addedPrefSchedTerms === null) return SKIP;
    state.write(PRE_SCORE_STATE_KEY, s);
    return null;
  }

  /** The summed weights of the matching terms, the pod's and the plugin's added ones. */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number | Status {
    let count = 0;
    if (this.addedPrefSchedTerms !== null) count += this.addedPrefSchedTerms.score(node);
    let s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) {
      // Fallback when PreScore is disabled.
      s = preScoreStateOf(pod);
      if (s.preferredNodeAffinity?.error !== undefined) return asError(s.preferredNodeAffinity.error);
    }
    if (s.preferredNodeAffinity !== null) count += s.preferredNodeAffinity.score(node);
    return count;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): MaybeStatus {
    return defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }

  normalizeScoreValues(_state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): MaybeStatus {
    return defaultNormalizeScoreValues(MAX_NODE_SCORE, false, scores, n);
  }
}

export const newNodeAffinity = (args: Record<string, unknown> | undefined, _handle: Handle): AnyPlugin =>
  new NodeAffinity(args as NodeAffinityArgs | undefined);

// ---------------------------------------------------------------------------------------------
// Argument validation (ValidateNodeAffinityArgs)

/** errors.Aggregate printing: one message bare, several as "[a, b]" (duplicates dropped). */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

const child = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

/**
 * Splits the aggregate message the selector compiler returns back into its field errors
 * (upstream flattens them: errors.Flatten). Every item starts with the field path of a term's
 * requirement; the separator is ", " followed by such a path, which no detail text contains.
 */
function splitAggregate(message: string, itemPath: string): string[] {
  const start = new RegExp(`^\\[${itemPath}`);
  if (!start.test(message)) return [message];
  const body = message.slice(1, -1);
  return body.split(new RegExp(`, (?=${itemPath})`));
}
/** Item paths: "nodeSelectorTerms[i].matchExpressions[j]" / "[i].matchFields[j]". */
const REQUIRED_ITEM = 'nodeSelectorTerms\\[\\d+\\]\\.match(?:Expressions|Fields)\\[\\d+\\]';
const PREFERRED_ITEM = '\\[\\d+\\]\\.match(?:Expressions|Fields)\\[\\d+\\]';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shape checks the Go decoder does before validation (json.UnmarshalTypeError text). */
function shapeErrors(added: Record<string, unknown>): string[] {
  const errs: string[] = [];
  const bad = (v: unknown, field: string, type: string) =>
    errs.push(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type ${type}`);
  const req = added.requiredDuringSchedulingIgnoredDuringExecution;
  if (req != null) {
    if (!isObject(req)) bad(req, 'NodeAffinity.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution', 'v1.NodeSelector');
    else if (req.nodeSelectorTerms != null) {
      const terms = req.nodeSelectorTerms;
      if (!Array.isArray(terms)) bad(terms, 'NodeSelector.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', '[]v1.NodeSelectorTerm');
      else for (const t of terms) if (!isObject(t)) bad(t, 'NodeSelector.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', 'v1.NodeSelectorTerm');
    }
  }
  const pref = added.preferredDuringSchedulingIgnoredDuringExecution;
  if (pref != null) {
    if (!Array.isArray(pref)) bad(pref, 'NodeAffinity.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution', '[]v1.PreferredSchedulingTerm');
    else
      for (const t of pref) {
        if (!isObject(t)) bad(t, 'NodeAffinity.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution', 'v1.PreferredSchedulingTerm');
        else {
          if (t.weight != null && !Number.isInteger(t.weight)) bad(t.weight, 'PreferredSchedulingTerm.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight', 'int32');
          if (t.preference != null && !isObject(t.preference)) bad(t.preference, 'PreferredSchedulingTerm.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution.preference', 'v1.NodeSelectorTerm');
        }
      }
  }
  return errs;
}

/**
 * ValidateNodeAffinityArgs: the addedAffinity's required selector and preferred terms must parse.
 * Returns the flattened error messages (errors.Flatten), [] when valid. `path` is the field path
 * of the args ("" as the plugin's own New uses; the config validator passes
 * "profiles[i].pluginConfig[j].args"). Shape errors (a value of the wrong JSON type) are reported
 * as Go's decoder words them, and stop validation.
 */
export function validateNodeAffinityArgs(args: unknown, path = ''): string[] {
  if (args == null) return [];
  if (!isObject(args)) return [`json: cannot unmarshal ${jsonKind(args)} into Go value of type v1.NodeAffinityArgs`];
  const added = args.addedAffinity;
  if (added == null) return [];
  if (!isObject(added)) return [`json: cannot unmarshal ${jsonKind(added)} into Go struct field NodeAffinityArgs.addedAffinity of type v1.NodeAffinity`];
  const shape = shapeErrors(added);
  if (shape.length > 0) return shape;

  const errs: string[] = [];
  const base = child(path, 'addedAffinity');
  const ns = added.requiredDuringSchedulingIgnoredDuringExecution as NodeSelector | undefined;
  if (ns != null) {
    const compiled = compileNodeSelector(ns);
    if (!compiled.ok) {
      const prefix = child(base, 'requiredDuringSchedulingIgnoredDuringExecution');
      for (const m of splitAggregate(compiled.message, REQUIRED_ITEM)) errs.push(`${prefix}.${m}`);
    }
  }
  // TODO upstream: requiredDuringSchedulingRequiredDuringExecution once it is in the API.
  const terms = added.preferredDuringSchedulingIgnoredDuringExecution as PreferredSchedulingTerm[] | undefined;
  if (terms != null && terms.length !== 0) {
    const error = compilePreferredTerms(terms).error;
    if (error !== undefined) {
      const prefix = child(base, 'preferredDuringSchedulingIgnoredDuringExecution');
      for (const m of splitAggregate(error, PREFERRED_ITEM)) errs.push(`${prefix}${m}`);
    }
  }
  return errs;
}
