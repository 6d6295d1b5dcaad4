// InterPodAffinity: a pod may require (or prefer) to share a topology domain with pods matching a
// label selector (pod affinity), or to stay out of domains holding such pods (pod anti-affinity);
// existing pods' required anti-affinity is honoured symmetrically, and existing pods' affinity
// terms that the incoming pod matches attract it at scoring.
// Follows pkg/scheduler/framework/plugins/interpodaffinity/{plugin,filtering,scoring}.go (v1.35),
// pkg/scheduler/framework/types.go (AffinityTerm, GetAffinityTerms, getNamespacesFromPodAffinityTerm,
// PodInfo's four parsed term lists), SetDefaults_InterPodAffinityArgs and
// ValidateInterPodAffinityArgs (pkg/scheduler/apis/config/{v1/defaults.go,validation/validation_pluginargs.go}).
//
// matchLabelKeys / mismatchLabelKeys: upstream's kube-apiserver merges them into the term's
// labelSelector when the pod is created (pkg/registry/core/pod/strategy.go
// applyMatchLabelKeysAndMismatchLabelKeys: `key in (value)` / `key notin (value)` for each key the
// pod carries, only when the term has a labelSelector). kubedrill's API layer does not, so the
// terms are merged here when a pod's terms are compiled, with the pod's labels. Same result as
// long as those labels are unchanged since creation; merging twice would add duplicate,
// harmless, requirements.
//
// namespaceSelector of the incoming pod's terms: upstream unrolls it, per cycle, into the set of
// existing namespaces whose labels match (mergeAffinityTermNamespacesIfNotEmpty). Here the check
// is lazy with a per-cycle cache: an existing pod's namespace qualifies when it exists (handle
// namespaceLabels, or the Namespace object) and its labels match. An empty selector ({}) matches
// every namespace, a nil one none, as upstream.
//
// The queueing hints isSchedulableAfterPodChange / isSchedulableAfterNodeChange (plugin.go) are
// modelled; the events are those registered with SchedulerQueueingHints on (v1.35's default: no
// UpdateNodeTaint). Deviation risk: only the v1.31 plugin.go was readable; the v1.35 rules were
// completed from the v1.35 plugin_test.go tables (see the functions' comments).
//
// Not modelled:
//   - Go's parallelizer (the per-node partial maps are merged in a fixed order here; the sums are
//     order-independent anyway) and the SignPod (opportunistic batching) extension;
//   - Go's runtime.Object argument plumbing: args arrive as the decoded pluginConfig object.
import type { Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../api/types.js';
import { type LabelSelector, type Labels, NOTHING, type Selector, labelSelectorAsSelector } from '../../api/selector.js';
import { Code, type MaybeStatus, SKIP, Status, asError } from '../framework/status.js';
import {
  type AnyPlugin,
  type ClusterEventWithHint,
  type QueueingHint,
  type CycleState,
  type Handle,
  MAX_NODE_SCORE,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type PreFilterResult,
} from '../framework/types.js';
import { asKind } from './helper/hints.js';
import { Decoder, goQuote } from './node_resources_fit.js';
import * as names from './names.js';
import { jsonKind } from './helper/json.js';

export const NAME = names.InterPodAffinity;
/** ErrReasonExistingAntiAffinityRulesNotMatch. */
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
/** ErrReasonAffinityRulesNotMatch. */
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
/** ErrReasonAntiAffinityRulesNotMatch. */
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

/** v1.DefaultHardPodAffinitySymmetricWeight. */
export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;
const MIN_HARD_POD_AFFINITY_WEIGHT = 0;
const MAX_HARD_POD_AFFINITY_WEIGHT = 100;

/** config.InterPodAffinityArgs, defaulted. */
export interface InterPodAffinityArgs {
  /** Score weight of an existing pod's required affinity term that the incoming pod matches. */
  hardPodAffinityWeight: number;
  /** Skip PreScore/Score when the incoming pod has no preferred (anti-)affinity terms. */
  ignorePreferredTermsOfExistingPods: boolean;
}

// ---------------------------------------------------------------------------------------------
// Parsed terms (framework.AffinityTerm / WeightedAffinityTerm / PodInfo)

/** framework.AffinityTerm: a v1.PodAffinityTerm with its selectors parsed. */
export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  readonly selector: Selector;
  readonly topologyKey: string;
  /** NOTHING for a nil namespaceSelector, EVERYTHING for {}. */
  readonly namespaceSelector: Selector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** The four term lists upstream's PodInfo carries, and the aggregate of their parse errors. */
export interface PodTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  readonly parseError: string | undefined;
}

function podNamespace(pod: Pod): string {
  return pod.metadata.namespace ?? 'default';
}

/** node.Labels[key], guarded against inherited Object.prototype members. */
function labelOf(labels: Labels, key: string): string | undefined {
  if (labels == null) return undefined;
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

function hasLabels(labels: Labels): boolean {
  if (labels == null) return false;
  for (const k in labels) if (Object.hasOwn(labels, k)) return true;
  return false;
}

/** The apiserver's applyMatchLabelKeysAndMismatchLabelKeys (see the header). */
function mergedLabelSelector(term: PodAffinityTerm, podLabels: Labels): LabelSelector | undefined {
  const sel = term.labelSelector;
  const match = term.matchLabelKeys ?? [];
  const mismatch = term.mismatchLabelKeys ?? [];
  if ((match.length === 0 && mismatch.length === 0) || sel == null) return sel;
  const exprs = [...(sel.matchExpressions ?? [])];
  for (const key of match) {
    const v = labelOf(podLabels, key);
    if (v !== undefined) exprs.push({ key, operator: 'In', values: [v] });
  }
  for (const key of mismatch) {
    const v = labelOf(podLabels, key);
    if (v !== undefined) exprs.push({ key, operator: 'NotIn', values: [v] });
  }
  return { ...sel, matchExpressions: exprs };
}

/** getNamespacesFromPodAffinityTerm: no namespaces and no namespaceSelector mean the pod's own. */
function namespacesOf(pod: Pod, term: PodAffinityTerm): Set<string> {
  if ((term.namespaces?.length ?? 0) === 0 && term.namespaceSelector == null) return new Set([podNamespace(pod)]);
  return new Set(term.namespaces ?? []);
}

/** newAffinityTerm: the label selector first, then the namespace selector. */
function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm | string {
  const selector = labelSelectorAsSelector(mergedLabelSelector(term, pod.metadata.labels));
  if (!selector.ok) return selector.message;
  const namespaces = namespacesOf(pod, term);
  const nsSelector = labelSelectorAsSelector(term.namespaceSelector);
  if (!nsSelector.ok) return nsSelector.message;
  return { namespaces, selector: selector.selector, topologyKey: term.topologyKey, namespaceSelector: nsSelector.selector };
}

/** GetAffinityTerms: the first term that fails to parse fails the list (no terms). */
function getAffinityTerms(pod: Pod, terms: readonly PodAffinityTerm[] | undefined): { terms: AffinityTerm[]; error?: string } {
  const out: AffinityTerm[] = [];
  for (const term of terms ?? []) {
    const t = newAffinityTerm(pod, term);
    if (typeof t === 'string') return { terms: [], error: t };
    out.push(t);
  }
  return { terms: out };
}

function getWeightedAffinityTerms(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): { terms: WeightedAffinityTerm[]; error?: string } {
  const out: WeightedAffinityTerm[] = [];
  for (const wt of terms ?? []) {
    const t = newAffinityTerm(pod, wt.podAffinityTerm);
    if (typeof t === 'string') return { terms: [], error: t };
    out.push({ ...t, weight: wt.weight });
  }
  return { terms: out };
}

/** errors.NewAggregate(...).Error(): one message bare, several as "[a, b]" (duplicates dropped). */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** PodInfo.Update: the pod's four term lists, parsed once per pod object (PodInfo.memo). */
export function podTermsOf(info: PodInfo): PodTerms {
  let t = info.memo.get(NAME) as PodTerms | undefined;
  if (t !== undefined) return t;
  const pod = info.pod;
  const aff = pod.spec.affinity;
  const errs: string[] = [];
  const ra = getAffinityTerms(pod, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  if (ra.error !== undefined) errs.push(`requiredAffinityTerms: ${ra.error}`);
  const raa = getAffinityTerms(pod, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  if (raa.error !== undefined) errs.push(`requiredAntiAffinityTerms: ${raa.error}`);
  const pa = getWeightedAffinityTerms(pod, aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
  if (pa.error !== undefined) errs.push(`preferredAffinityTerms: ${pa.error}`);
  const paa = getWeightedAffinityTerms(pod, aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
  if (paa.error !== undefined) errs.push(`preferredAntiAffinityTerms: ${paa.error}`);
  t = {
    requiredAffinity: ra.terms,
    requiredAntiAffinity: raa.terms,
    preferredAffinity: pa.terms,
    preferredAntiAffinity: paa.terms,
    parseError: errs.length > 0 ? aggregate(errs) : undefined,
  };
  info.memo.set(NAME, t);
  return t;
}

/**
 * AffinityTerm.Matches for a term of an existing pod: the pod's namespace is listed, or the
 * namespace labels (those of the pod's namespace, as the caller looked them up) match the
 * namespaceSelector; then the label selector decides.
 */
function termMatches(t: AffinityTerm, pod: Pod, nsLabels: Labels): boolean {
  if (t.namespaces.has(podNamespace(pod)) || t.namespaceSelector.matches(nsLabels)) return t.selector.matches(pod.metadata.labels);
  return false;
}

/** Namespace lookups for one cycle (upstream's namespace lister), cached. */
export class NamespaceView {
  /** null: no such namespace. */
  private readonly cache = new Map<string, Labels | null>();
  constructor(private readonly handle: Handle) {}

  /** The namespace's labels, or null when it does not exist. */
  labels(ns: string): Labels | null {
    let l = this.cache.get(ns);
    if (l === undefined && !this.cache.has(ns)) {
      const labels = this.handle.namespaceLabels(ns);
      if (labels !== undefined) l = labels;
      else l = this.handle.getObject('Namespace', undefined, ns) !== undefined ? undefined : null;
      this.cache.set(ns, l);
    }
    return l as Labels | null;
  }

  /** GetNamespaceLabelsSnapshot: a missing namespace has no labels. */
  snapshot(ns: string): Labels {
    return this.labels(ns) ?? undefined;
  }
}

/**
 * AffinityTerm.Matches(pod, nil) for a term of the incoming pod after
 * mergeAffinityTermNamespacesIfNotEmpty: listed namespaces, every namespace for an empty
 * selector, none for a nil one, otherwise the existing namespaces whose labels match.
 */
function incomingTermMatches(t: AffinityTerm, pod: Pod, view: NamespaceView): boolean {
  const ns = podNamespace(pod);
  let nsOk = t.namespaces.has(ns);
  if (!nsOk) {
    const sel = t.namespaceSelector;
    if (sel === NOTHING) nsOk = false;
    else if (sel.empty()) nsOk = true;
    else {
      const labels = view.labels(ns);
      nsOk = labels !== null && sel.matches(labels);
    }
  }
  return nsOk && t.selector.matches(pod.metadata.labels);
}

/** podMatchesAllAffinityTerms for the incoming pod's terms: false for no terms. */
function podMatchesAllIncomingTerms(terms: readonly AffinityTerm[], pod: Pod, view: NamespaceView): boolean {
  if (terms.length === 0) return false;
  for (let i = 0; i < terms.length; i++) if (!incomingTermMatches(terms[i]!, pod, view)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Topology counts (topologyToMatchedTermCount)

/**
 * Counts by topology pair (key, value). Entries that reach 0 are removed, as upstream deletes
 * them; `size` is the number of pairs held (Go's len of the map). Lookups never allocate.
 */
export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  /** The topology keys seen, for allocation-free iteration. */
  private readonly keys: string[] = [];
  size = 0;

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  add(key: string, value: string, delta: number): void {
    let inner = this.byKey.get(key);
    if (inner === undefined) {
      inner = new Map();
      this.byKey.set(key, inner);
      this.keys.push(key);
    }
    const old = inner.get(value);
    const next = (old ?? 0) + delta;
    if (next === 0) {
      if (old !== undefined) {
        inner.delete(value);
        this.size--;
      }
    } else {
      if (old === undefined) this.size++;
      inner.set(value, next);
    }
  }

  /** update: counts the pair (tk, node's value for tk) if the node has the label. */
  update(node: Node, tk: string, delta: number): void {
    const v = labelOf(node.metadata.labels, tk);
    if (v !== undefined) this.add(tk, v, delta);
  }

  /** Whether some pair (k, labels[k]) has a positive count (satisfyExistingPodsAntiAffinity). */
  anyPositiveOn(labels: Labels): boolean {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = labelOf(labels, k);
      if (v !== undefined && (this.byKey.get(k)!.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const k of this.keys) for (const [v, n] of this.byKey.get(k)!) c.add(k, v, n);
    return c;
  }

  /** The pairs as "key=value" → count, sorted (for tests and explain output). */
  toRecord(): Record<string, number> {
    const entries: Array<[string, number]> = [];
    for (const k of this.keys) for (const [v, n] of this.byKey.get(k)!) entries.push([`${k}=${v}`, n]);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(entries);
  }
}

/** updateWithAffinityTerms: every term's pair, if the pod matches all the (incoming) terms. */
function updateWithAffinityTerms(m: TopologyCounts, terms: readonly AffinityTerm[], pod: Pod, node: Node, delta: number, view: NamespaceView): void {
  if (!podMatchesAllIncomingTerms(terms, pod, view)) return;
  for (const t of terms) m.update(node, t.topologyKey, delta);
}

/** updateWithAntiAffinityTerms for the incoming pod's terms (namespaces merged, nsLabels nil). */
function updateWithIncomingAntiAffinityTerms(m: TopologyCounts, terms: readonly AffinityTerm[], pod: Pod, node: Node, delta: number, view: NamespaceView): void {
  for (const t of terms) if (incomingTermMatches(t, pod, view)) m.update(node, t.topologyKey, delta);
}

/** updateWithAntiAffinityTerms for an existing pod's terms, matched against the incoming pod. */
function updateWithExistingAntiAffinityTerms(m: TopologyCounts, terms: readonly AffinityTerm[], pod: Pod, nsLabels: Labels, node: Node, delta: number): void {
  for (const t of terms) if (termMatches(t, pod, nsLabels)) m.update(node, t.topologyKey, delta);
}

// ---------------------------------------------------------------------------------------------
// PreFilter state

/** preFilterState. */
export class PreFilterState {
  constructor(
    /** Existing pods whose required anti-affinity terms match the incoming pod. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Existing pods matching all of the incoming pod's required affinity terms. */
    readonly affinityCounts: TopologyCounts,
    /** Existing pods matching the incoming pod's required anti-affinity terms. */
    readonly antiAffinityCounts: TopologyCounts,
    /** The incoming pod. */
    readonly pod: Pod,
    readonly terms: PodTerms,
    /** The incoming pod's namespace labels (GetNamespaceLabelsSnapshot). */
    readonly namespaceLabels: Labels,
    readonly view: NamespaceView,
    /** podMatchesAllAffinityTerms(own required affinity terms, the pod): the first-pod case. */
    readonly matchesOwnAffinityTerms: boolean,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
      this.pod,
      this.terms,
      this.namespaceLabels,
      this.view,
      this.matchesOwnAffinityTerms,
    );
  }

  /** updateWithPod: the counters as if `info` were added (+1) to / removed (-1) from `node`. */
  updateWithPod(info: PodInfo, node: Node, multiplier: number): void {
    updateWithExistingAntiAffinityTerms(this.existingAntiAffinityCounts, podTermsOf(info).requiredAntiAffinity, this.pod, this.namespaceLabels, node, multiplier);
    updateWithAffinityTerms(this.affinityCounts, this.terms.requiredAffinity, info.pod, node, multiplier, this.view);
    updateWithIncomingAntiAffinityTerms(this.antiAffinityCounts, this.terms.requiredAntiAffinity, info.pod, node, multiplier, this.view);
  }
}

// ---------------------------------------------------------------------------------------------
// PreScore state

/** scoreMap: topology key → value → summed weight. */
class ScoreMap {
  readonly byKey = new Map<string, Map<string, number>>();
  readonly keys: string[] = [];

  add(key: string, value: string, delta: number): void {
    let inner = this.byKey.get(key);
    if (inner === undefined) {
      inner = new Map();
      this.byKey.set(key, inner);
      this.keys.push(key);
    }
    inner.set(value, (inner.get(value) ?? 0) + delta);
  }
}

interface PreScoreState {
  readonly topologyScore: ScoreMap;
}

// Statuses Filter returns, shared so that a rejected node allocates nothing either.
function sharedStatus(code: Code, reason: string): Status {
  const s = new Status(code, reason);
  s.plugin = NAME;
  return s;
}
const AFFINITY_NOT_MATCH = sharedStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY_RULES_NOT_MATCH);
const ANTI_AFFINITY_NOT_MATCH = sharedStatus(Code.Unschedulable, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
const EXISTING_ANTI_AFFINITY_NOT_MATCH = sharedStatus(Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

function hasAffinity(pod: Pod): boolean {
  const a = pod.spec.affinity;
  return a != null && (a.podAffinity != null || a.podAntiAffinity != null);
}

// ---------------------------------------------------------------------------------------------
// The plugin

export class InterPodAffinity implements AnyPlugin {
  readonly name = NAME;
  readonly args: InterPodAffinityArgs;

  /** Throws on invalid args, as upstream New returns the validation error. */
  constructor(
    private readonly handle: Handle,
    args: Partial<InterPodAffinityArgs> = {},
  ) {
    this.args = {
      hardPodAffinityWeight: args.hardPodAffinityWeight ?? DEFAULT_HARD_POD_AFFINITY_WEIGHT,
      ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false,
    };
    const errs = validateArgs(this.args);
    if (errs.length > 0) throw new Error(aggregate(errs));
  }

  /** With queueing hints on (the v1.35 default): Pod Add|UpdatePodLabel|Delete, Node Add|UpdateNodeLabel. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Pod', actions: ['Add', 'UpdatePodLabel', 'Delete'], queueingHintFn: isSchedulableAfterPodChange },
      { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], queueingHintFn: isSchedulableAfterNodeChange },
    ];
  }

  // ---- PreFilter / Filter ----------------------------------------------------------------------

  /** getExistingAntiAffinityCounts: existing pods' required anti-affinity terms matching the pod. */
  private existingAntiAffinityCounts(pod: Pod, nsLabels: Labels): TopologyCounts {
    const counts = new TopologyCounts();
    for (const ni of this.handle.nodes.havePodsWithRequiredAntiAffinity()) {
      const node = ni.node;
      for (const existing of ni.pods) {
        const terms = podTermsOf(existing).requiredAntiAffinity;
        if (terms.length === 0) continue;
        updateWithExistingAntiAffinityTerms(counts, terms, pod, nsLabels, node, 1);
      }
    }
    return counts;
  }

  /**
   * getIncomingAffinityAntiAffinityCounts: existing pods matching all the incoming pod's required
   * affinity terms, and those matching each of its required anti-affinity terms.
   */
  incomingAffinityAntiAffinityCounts(pod: PodInfo, nodes: readonly NodeInfo[], view: NamespaceView = new NamespaceView(this.handle)): { affinity: TopologyCounts; antiAffinity: TopologyCounts } {
    const affinity = new TopologyCounts();
    const antiAffinity = new TopologyCounts();
    const terms = podTermsOf(pod);
    if (terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return { affinity, antiAffinity };
    for (const ni of nodes) {
      const node = ni.node;
      for (const existing of ni.pods) {
        updateWithAffinityTerms(affinity, terms.requiredAffinity, existing.pod, node, 1, view);
        updateWithIncomingAntiAffinityTerms(antiAffinity, terms.requiredAntiAffinity, existing.pod, node, 1, view);
      }
    }
    return { affinity, antiAffinity };
  }

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    const terms = podTermsOf(pod);
    if (terms.parseError !== undefined) return { status: new Status(Code.UnschedulableAndUnresolvable, `parsing pod: ${terms.parseError}`) };
    const view = new NamespaceView(this.handle);
    const nsLabels = view.snapshot(podNamespace(pod.pod));
    const existing = this.existingAntiAffinityCounts(pod.pod, nsLabels);
    const { affinity, antiAffinity } = this.incomingAffinityAntiAffinityCounts(pod, nodes, view);
    if (existing.size === 0 && terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return { status: SKIP };
    const self = podMatchesAllIncomingTerms(terms.requiredAffinity, pod.pod, view);
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(existing, affinity, antiAffinity, pod.pod, terms, nsLabels, view, self));
    return { status: null };
  }

  addPod(state: CycleState, _pod: PodInfo, added: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`error reading ${goQuote(PRE_FILTER_STATE_KEY)} from cycleState: not found`);
    s.updateWithPod(added, node.node, 1);
    return null;
  }

  removePod(state: CycleState, _pod: PodInfo, removed: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`error reading ${goQuote(PRE_FILTER_STATE_KEY)} from cycleState: not found`);
    s.updateWithPod(removed, node.node, -1);
    return null;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): MaybeStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (s === undefined) return asError(`error reading ${goQuote(PRE_FILTER_STATE_KEY)} from cycleState: not found`);
    const labels = node.labels;
    if (!satisfyPodAffinity(s, labels)) return AFFINITY_NOT_MATCH;
    if (!satisfyPodAntiAffinity(s, labels)) return ANTI_AFFINITY_NOT_MATCH;
    if (s.existingAntiAffinityCounts.size > 0 && s.existingAntiAffinityCounts.anyPositiveOn(labels)) return EXISTING_ANTI_AFFINITY_NOT_MATCH;
    return null;
  }

  // ---- PreScore / Score ------------------------------------------------------------------------

  preScore(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): MaybeStatus {
    const aff = pod.pod.spec.affinity;
    const hasPreferredAffinity = (aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    const hasPreferredAntiAffinity = (aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    const hasConstraints = hasPreferredAffinity || hasPreferredAntiAffinity;
    // Optionally ignore existing pods' preferences when the incoming pod has none.
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return SKIP;

    // Unless the pod has preferred terms, only nodes (and pods) with affinity matter.
    const allNodes = hasConstraints ? this.handle.nodes.list() : this.handle.nodes.havePodsWithAffinity();
    const terms = podTermsOf(pod);
    if (terms.parseError !== undefined) return asError(`failed to parse pod: ${terms.parseError}`);
    const view = new NamespaceView(this.handle);
    const nsLabels = view.snapshot(podNamespace(pod.pod));
    const incoming = pod.pod;
    const weight = this.args.hardPodAffinityWeight;

    const topologyScore = new ScoreMap();
    let any = false;
    const processTerm = (t: AffinityTerm, w: number, matches: boolean, node: Node, multiplier: number): void => {
      if (!matches) return;
      const v = labelOf(node.metadata.labels, t.topologyKey);
      if (v === undefined) return;
      topologyScore.add(t.topologyKey, v, w * multiplier);
      any = true;
    };

    for (const ni of allNodes) {
      const node = ni.node;
      // processExistingPod returns at once for a node without labels.
      if (!hasLabels(node.metadata.labels)) continue;
      for (const existingInfo of ni.pods) {
        const existing = existingInfo.pod;
        if (!hasConstraints && !hasAffinity(existing)) continue;
        // The incoming pod's preferred terms, matched against the existing pod.
        for (const t of terms.preferredAffinity) processTerm(t, t.weight, incomingTermMatches(t, existing, view), node, 1);
        for (const t of terms.preferredAntiAffinity) processTerm(t, t.weight, incomingTermMatches(t, existing, view), node, -1);
        const et = podTermsOf(existingInfo);
        // The existing pod's required affinity terms, matched by the incoming pod.
        if (weight > 0) for (const t of et.requiredAffinity) processTerm(t, weight, termMatches(t, incoming, nsLabels), node, 1);
        // The existing pod's preferred terms, matched by the incoming pod.
        for (const t of et.preferredAffinity) processTerm(t, t.weight, termMatches(t, incoming, nsLabels), node, 1);
        for (const t of et.preferredAntiAffinity) processTerm(t, t.weight, termMatches(t, incoming, nsLabels), node, -1);
      }
    }
    if (!any) return SKIP;
    state.write(PRE_SCORE_STATE_KEY, { topologyScore } satisfies PreScoreState);
    return null;
  }

  /** The summed weights of the topology pairs the node is in (positive: affinity, negative: anti). */
  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) return asError(`failed to read ${goQuote(PRE_SCORE_STATE_KEY)} from cycleState: not found`);
    const labels = node.labels;
    const ts = s.topologyScore;
    let score = 0;
    for (let i = 0; i < ts.keys.length; i++) {
      const k = ts.keys[i]!;
      const v = labelOf(labels, k);
      if (v !== undefined) score += ts.byKey.get(k)!.get(v) ?? 0;
    }
    return score;
  }

  /** Min-max to [0, MaxNodeScore], truncated; scores stay as they are without topology scores. */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): MaybeStatus {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) return asError(`failed to read ${goQuote(PRE_SCORE_STATE_KEY)} from cycleState: not found`);
    if (s.topologyScore.keys.length === 0) return null;
    let minCount = Infinity;
    let maxCount = -Infinity;
    for (let i = 0; i < scores.length; i++) {
      const v = scores[i]!.score;
      if (v > maxCount) maxCount = v;
      if (v < minCount) minCount = v;
    }
    const diff = maxCount - minCount;
    for (let i = 0; i < scores.length; i++) {
      let f = 0;
      if (diff > 0) f = MAX_NODE_SCORE * ((scores[i]!.score - minCount) / diff);
      scores[i]!.score = Math.trunc(f);
    }
    return null;
  }
}

/** satisfyPodAffinity: every term's topology key on the node, a matching pod in each domain,
 *  unless no pod anywhere matches and the pod matches its own terms (first pod of a group). */
function satisfyPodAffinity(s: PreFilterState, labels: Labels): boolean {
  const terms = s.terms.requiredAffinity;
  let podsExist = true;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const v = labelOf(labels, t.topologyKey);
    // All topology labels must exist on the node.
    if (v === undefined) return false;
    if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (!podsExist) return s.affinityCounts.size === 0 && s.matchesOwnAffinityTerms;
  return true;
}

/** satisfyPodAntiAffinity: no term's domain on the node holds a matching pod. */
function satisfyPodAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const terms = s.terms.requiredAntiAffinity;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const v = labelOf(labels, t.topologyKey);
    if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) return false;
  }
  return true;
}

/** The registry's factory: pluginConfig args are decoded, defaulted and validated first. */
// ---- Queueing hints (plugin.go) ---------------------------------------------------------------

/** podMatchesAllAffinityTerms: there is at least one term and the pod matches every one (the
 *  namespace labels are nil, as upstream passes them). */
function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, NO_LABELS)) return false;
  return true;
}

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The pod's required affinity and anti-affinity terms (GetAffinityTerms), or the parse error. */
function requiredTerms(pod: Pod): { terms: AffinityTerm[]; antiTerms: AffinityTerm[] } | Error {
  const aff = pod.spec.affinity;
  const terms = getAffinityTerms(pod, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  if (terms.error !== undefined) return new Error(terms.error);
  const antiTerms = getAffinityTerms(pod, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  if (antiTerms.error !== undefined) return new Error(antiTerms.error);
  return { terms: terms.terms, antiTerms: antiTerms.terms };
}

/**
 * isSchedulableAfterPodChange. The stored v1.35 plugin.go could not be read; the rules below are
 * those of the stored v1.35 plugin_test.go Test_isSchedulableAfterPodChange (every row holds) on
 * top of the v1.31 function: an update of the pod itself queues; other unbound pods never help;
 * an update queues when the pod starts matching all affinity terms or stops matching all
 * anti-affinity terms; an added pod queues when it matches all affinity terms; a deleted pod
 * queues when it matched all anti-affinity terms, or when one of its own required anti-affinity
 * terms matched this pod (it was blocking it).
 */
export function isSchedulableAfterPodChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Pod>('Pod', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const { oldObj: originalPod, newObj: modifiedPod } = objs;
  if (modifiedPod !== undefined && modifiedPod.metadata.uid === pod.metadata.uid) return 'Queue';
  if ((modifiedPod !== undefined && !modifiedPod.spec.nodeName) || (originalPod !== undefined && !originalPod.spec.nodeName)) return 'QueueSkip';
  const req = requiredTerms(pod);
  if (req instanceof Error) return req;
  const { terms, antiTerms } = req;
  if (modifiedPod !== undefined && originalPod !== undefined) {
    if (!podMatchesAllAffinityTerms(terms, originalPod) && podMatchesAllAffinityTerms(terms, modifiedPod)) return 'Queue';
    if (podMatchesAllAffinityTerms(antiTerms, originalPod) && !podMatchesAllAffinityTerms(antiTerms, modifiedPod)) return 'Queue';
    return 'QueueSkip';
  }
  if (modifiedPod !== undefined) return podMatchesAllAffinityTerms(terms, modifiedPod) ? 'Queue' : 'QueueSkip';
  if (originalPod === undefined) return new Error('expected a pod in the event');
  if (podMatchesAllAffinityTerms(antiTerms, originalPod)) return 'Queue';
  // The deleted pod's own required anti-affinity may have kept this pod out.
  const existing = requiredTerms(originalPod);
  if (existing instanceof Error) return existing;
  for (const t of existing.antiTerms) if (termMatches(t, pod, NO_LABELS)) return 'Queue';
  return 'QueueSkip';
}

/**
 * isSchedulableAfterNodeChange. As for the pod hint, the rules are those of the stored v1.35
 * plugin_test.go Test_isSchedulableAfterNodeChange: for an affinity term, the node (now) carries
 * the topology key with a value it did not have before (or is new and carries it); for an
 * anti-affinity term, an added node always queues, and an updated one queues when it had the key
 * and the value changed or went away.
 */
export function isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Node>('Node', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const { oldObj: originalNode, newObj: modifiedNode } = objs;
  if (modifiedNode === undefined) return new Error('expected a node in the event');
  const req = requiredTerms(pod);
  if (req instanceof Error) return req;
  const labels = modifiedNode.metadata.labels;
  const oldLabels = originalNode?.metadata.labels;
  for (const t of req.terms) {
    const v = labelOf(labels, t.topologyKey);
    if (v !== undefined && (originalNode === undefined || labelOf(oldLabels, t.topologyKey) !== v)) return 'Queue';
  }
  for (const t of req.antiTerms) {
    if (originalNode === undefined) return 'Queue';
    const was = labelOf(oldLabels, t.topologyKey);
    if (was !== undefined && labelOf(labels, t.topologyKey) !== was) return 'Queue';
  }
  return 'QueueSkip';
}

export function newInterPodAffinity(args: Record<string, unknown> | undefined, handle: Handle): AnyPlugin {
  const decoded = decodeInterPodAffinityArgs(args);
  if (decoded.errors.length > 0) throw new Error(decoded.errors.join('; '));
  return new InterPodAffinity(handle, decoded.args);
}

// ---------------------------------------------------------------------------------------------
// Arguments: decoding with the v1 defaults, then ValidateInterPodAffinityArgs

const ARG_FIELDS = ['hardPodAffinityWeight', 'ignorePreferredTermsOfExistingPods'];
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Reads pluginConfig args as the v1 API decodes them (strictly: unknown fields and wrong types are
 * errors, worded as Go's decoder words them) and applies SetDefaults_InterPodAffinityArgs: no
 * hardPodAffinityWeight means 1.
 */
export function decodeInterPodAffinityArgs(raw: unknown): { args: InterPodAffinityArgs; errors: string[] } {
  const errors: string[] = [];
  const d = new Decoder(errors);
  const obj = d.object(raw, '', 'InterPodAffinityArgs', 'v1.InterPodAffinityArgs', ARG_FIELDS);
  const args: InterPodAffinityArgs = { hardPodAffinityWeight: DEFAULT_HARD_POD_AFFINITY_WEIGHT, ignorePreferredTermsOfExistingPods: false };
  const w = obj?.['hardPodAffinityWeight'];
  if (typeof w === 'number' && Number.isInteger(w) && (w < INT32_MIN || w > INT32_MAX)) {
    errors.push(`json: cannot unmarshal number ${w} into Go struct field InterPodAffinityArgs.hardPodAffinityWeight of type int32`);
  } else {
    const weight = d.int(w, 'hardPodAffinityWeight', 'InterPodAffinityArgs', 'int32');
    if (weight !== undefined) args.hardPodAffinityWeight = weight;
  }
  const ignore = obj?.['ignorePreferredTermsOfExistingPods'];
  if (ignore !== undefined && ignore !== null) {
    if (typeof ignore !== 'boolean') {
      errors.push(`json: cannot unmarshal ${jsonKind(ignore)} into Go struct field InterPodAffinityArgs.ignorePreferredTermsOfExistingPods of type bool`);
    } else args.ignorePreferredTermsOfExistingPods = ignore;
  }
  return { args, errors };
}

/** ValidateInterPodAffinityArgs on defaulted args; `path` prefixes the field (e.g. "profiles[0].pluginConfig[1].args"). */
export function validateArgs(args: InterPodAffinityArgs, path = ''): string[] {
  const field = path === '' ? 'hardPodAffinityWeight' : `${path}.hardPodAffinityWeight`;
  const w = args.hardPodAffinityWeight;
  if (w < MIN_HARD_POD_AFFINITY_WEIGHT || w > MAX_HARD_POD_AFFINITY_WEIGHT) {
    return [`${field}: Invalid value: ${w}: not in valid range [${MIN_HARD_POD_AFFINITY_WEIGHT}, ${MAX_HARD_POD_AFFINITY_WEIGHT}]`];
  }
  return [];
}

/** The args' problems, [] when valid: decoding first, then upstream's validation of the defaulted args. */
export function validateInterPodAffinityArgs(args: unknown, path = ''): string[] {
  const decoded = decodeInterPodAffinityArgs(args);
  return decoded.errors.length > 0 ? decoded.errors : validateArgs(decoded.args, path);
}
