// NodeResourcesFit: a pod fits a node only if the node has room for its requests (and for one more
// pod); among the nodes that fit, the scoring strategy of the args ranks them.
// Follows pkg/scheduler/framework/plugins/noderesources/fit.go, resource_allocation.go,
// least_allocated.go, most_allocated.go and requested_to_capacity_ratio.go (v1.35), with the args'
// defaults of pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_NodeResourcesFitArgs) and the
// checks of pkg/scheduler/apis/config/validation/validation_pluginargs.go
// (ValidateNodeResourcesFitArgs).
// Since v1.34 a request larger than the node's whole allocatable is UnschedulableAndUnresolvable
// (InsufficientResource.Unresolvable: preemption cannot help), with the same "Insufficient <r>" text.
// The pod's requests are framework/resource.ts podRequests: pod-level requests (PodLevelResources,
// on by default since v1.34) replace the containers' sums for cpu, memory and hugepages.
// Not modelled:
//   - the DRAExtendedResource gate (alpha in v1.35, off): no extended resource is delegated to DRA;
//   - the SidecarContainers PreFilter rejection (the gate is locked on since v1.33);
//   - in-place resize (status resources of running pods): the queueing hints
//     (isSchedulableAfterPodEvent, isSchedulableAfterNodeChange, modelled; events as upstream
//     registers them with SchedulerQueueingHints and InPlacePodVerticalScaling on, their v1.35
//     defaults) read the pods' spec requests;
//   - SignPod (opportunistic batching signatures).
// Deviations: upstream's Filter walks the pod's extended resources in Go map order (random); here
// they go in the order the pod's containers name them. A RequestedToCapacityRatio strategy without
// requestedToCapacityRatio makes upstream's NewFit dereference nil; here validation rejects it.
import { isExtendedResourceName, isScalarResourceName, RESOURCE_CPU, RESOURCE_EPHEMERAL_STORAGE, RESOURCE_MEMORY } from '../framework/resource.js';
import { Code, type MaybeStatus, Status, asError } from '../framework/status.js';
import type { Node, Pod } from '../../api/types.js';
import { Resource } from '../framework/resource.js';
import { type AnyPlugin, type ClusterEventWithHint, type CycleState, type Handle, MAX_NODE_SCORE, type NodeInfo, PodInfo, type PreFilterResult, type QueueingHint } from '../framework/types.js';
import { KeyInterner } from '../framework/intern.js';
import { asKind } from './helper/hints.js';
import { buildBrokenLinearFunction } from './helper/shape_score.js';
import * as names from './names.js';
import { jsonKind } from './helper/json.js';

export const NAME = names.NodeResourcesFit;
/** Keys in CycleState (upstream preFilterStateKey / preScoreStateKey). */
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const ERR_REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const ERR_REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';
export const ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE = 'Insufficient ephemeral-storage';
/** The reason for any other resource (extended, hugepages): fmt.Sprintf("Insufficient %v", name). */
export const insufficientReason = (resource: string): string => `Insufficient ${resource}`;
/** resourceAllocationScorer.score with no resources configured. */
export const ERR_RESOURCES_NOT_FOUND = 'resources not found';

// pkg/scheduler/apis/config/types.go
export const LEAST_ALLOCATED = 'LeastAllocated';
export const MOST_ALLOCATED = 'MostAllocated';
export const REQUESTED_TO_CAPACITY_RATIO = 'RequestedToCapacityRatio';
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const SUPPORTED_SCORING_STRATEGY_TYPES = [LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO];
/** requested_to_capacity_ratio.go maxUtilization. */
const MAX_UTILIZATION = 100;

// ---------------------------------------------------------------------------------------------
// Arguments (config.NodeResourcesFitArgs after v1 defaulting)

export interface ResourceSpec {
  name: string;
  weight: number;
}

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface ScoringStrategy {
  type: string;
  resources: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy;
}

/** v1/defaults.go defaultResourceSpec. */
export function defaultResourceSpec(): ResourceSpec[] {
  return [
    { name: RESOURCE_CPU, weight: 1 },
    { name: RESOURCE_MEMORY, weight: 1 },
  ];
}

/**
 * Reads pluginConfig args as the v1 API decodes them (strictly: unknown fields and wrong types are
 * errors, worded as Go's decoder words them) and applies SetDefaults_NodeResourcesFitArgs: no
 * scoringStrategy means LeastAllocated over cpu and memory; no resources means cpu and memory;
 * a weight of 0 (or none) means 1. The strategy's type is not defaulted.
 */
export function decodeNodeResourcesFitArgs(raw: unknown): { args: NodeResourcesFitArgs; errors: string[] } {
  const errors: string[] = [];
  const d = new Decoder(errors);
  const obj = d.object(raw, '', 'NodeResourcesFitArgs', 'v1.NodeResourcesFitArgs', ['ignoredResources', 'ignoredResourceGroups', 'scoringStrategy']);
  const args: NodeResourcesFitArgs = {
    ignoredResources: d.strings(obj?.['ignoredResources'], 'ignoredResources', 'NodeResourcesFitArgs'),
    ignoredResourceGroups: d.strings(obj?.['ignoredResourceGroups'], 'ignoredResourceGroups', 'NodeResourcesFitArgs'),
    scoringStrategy: { type: LEAST_ALLOCATED, resources: [] },
  };
  const ss = d.object(obj?.['scoringStrategy'], 'scoringStrategy', 'NodeResourcesFitArgs', 'v1.ScoringStrategy', ['type', 'resources', 'requestedToCapacityRatio']);
  if (ss !== undefined) {
    args.scoringStrategy.type = d.string(ss['type'], 'scoringStrategy.type', 'ScoringStrategy', 'v1.ScoringStrategyType') ?? '';
    args.scoringStrategy.resources = decodeResources(d, ss['resources'], 'scoringStrategy.resources', 'ScoringStrategy');
    const rtcr = d.object(ss['requestedToCapacityRatio'], 'scoringStrategy.requestedToCapacityRatio', 'ScoringStrategy', 'v1.RequestedToCapacityRatioParam', ['shape']);
    if (rtcr !== undefined) args.scoringStrategy.requestedToCapacityRatio = { shape: decodeShape(d, rtcr['shape'], 'scoringStrategy.requestedToCapacityRatio.shape') };
  }
  if (args.scoringStrategy.resources.length === 0) args.scoringStrategy.resources = defaultResourceSpec();
  for (const r of args.scoringStrategy.resources) if (r.weight === 0) r.weight = 1;
  return { args, errors };
}

/** ValidateNodeResourcesFitArgs on defaulted args, with upstream's field paths and texts. */
export function validateFitArgs(args: NodeResourcesFitArgs): string[] {
  const errs: string[] = [];
  args.ignoredResources.forEach((res, i) => errs.push(...labelNameErrors(res, `ignoredResources[${i}]`)));
  args.ignoredResourceGroups.forEach((group, i) => {
    const path = `ignoredResourceGroups[${i}]`;
    if (group.includes('/')) errs.push(`${path}: Invalid value: ${goQuote(group)}: resource group name can't contain '/'`);
    errs.push(...labelNameErrors(group, path));
  });
  const ss = args.scoringStrategy;
  if (!SUPPORTED_SCORING_STRATEGY_TYPES.includes(ss.type)) {
    errs.push(`scoringStrategy.type: Unsupported value: ${goQuote(ss.type)}: supported values: ${SUPPORTED_SCORING_STRATEGY_TYPES.map(goQuote).join(', ')}`);
  }
  errs.push(...validateResources(ss.resources, 'scoringStrategy.resources'));
  if (ss.requestedToCapacityRatio !== undefined) errs.push(...validateFunctionShape(ss.requestedToCapacityRatio.shape, 'scoringStrategy.shape'));
  else if (ss.type === REQUESTED_TO_CAPACITY_RATIO) errs.push(...validateFunctionShape([], 'scoringStrategy.shape'));
  return errs;
}

/** The args' problems, [] when valid: decoding first, then upstream's validation of the defaulted args. */
export function validateNodeResourcesFitArgs(args: unknown): string[] {
  const decoded = decodeNodeResourcesFitArgs(args);
  return decoded.errors.length > 0 ? decoded.errors : validateFitArgs(decoded.args);
}

// validation_pluginargs.go validateResources
export function validateResources(resources: readonly ResourceSpec[], path: string): string[] {
  const errs: string[] = [];
  resources.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > 100) {
      errs.push(`${path}[${i}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} not in valid range (0, 100]`);
    }
  });
  return errs;
}

// validation_pluginargs.go validateFunctionShape
function validateFunctionShape(shape: readonly UtilizationShapePoint[], path: string): string[] {
  if (shape.length === 0) return [`${path}: Required value: at least one point must be specified`];
  const errs: string[] = [];
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1]!.utilization >= shape[i]!.utilization) {
      errs.push(`${path}[${i}].utilization: Invalid value: ${shape[i]!.utilization}: values must be sorted in increasing order`);
      break;
    }
  }
  shape.forEach((point, i) => {
    if (point.utilization < 0 || point.utilization > MAX_UTILIZATION) {
      errs.push(`${path}[${i}].utilization: Invalid value: ${point.utilization}: not in valid range [0, ${MAX_UTILIZATION}]`);
    }
    if (point.score < 0 || point.score > MAX_CUSTOM_PRIORITY_SCORE) {
      errs.push(`${path}[${i}].score: Invalid value: ${point.score}: not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`);
    }
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Filter

/** The pod's request as Filter checks it (preFilterState), with the per-resource work done once. */
export interface FitRequest {
  readonly milliCPU: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /** Non-zero scalar requests Filter checks (not ignored), their quantities and reasons. */
  readonly scalarNames: readonly string[];
  readonly scalarQuantities: readonly number[];
  readonly scalarReasons: readonly string[];
}

const NONE: readonly never[] = Object.freeze([]);

/** computePodResourceRequest, minus the extended resources the args say to ignore. */
export function computeFitRequest(pod: PodInfo, ignored: ReadonlySet<string>, ignoredGroups: ReadonlySet<string>): FitRequest {
  const r = pod.requests;
  let scalarNames: string[] | null = null;
  let scalarQuantities: number[] = [];
  let scalarReasons: string[] = [];
  if (r.scalar !== null) {
    for (const [name, quantity] of r.scalar) {
      if (quantity === 0) continue;
      if (isExtendedResourceName(name) && (ignored.has(name) || (ignoredGroups.size > 0 && ignoredGroups.has(name.slice(0, name.indexOf('/')))))) continue;
      if (scalarNames === null) scalarNames = [];
      scalarNames.push(name);
      scalarQuantities.push(quantity);
      scalarReasons.push(insufficientReason(name));
    }
  }
  if (scalarNames === null) return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalarNames: NONE, scalarQuantities: NONE, scalarReasons: NONE };
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalarNames, scalarQuantities, scalarReasons };
}

const NATIVE_REASONS = [ERR_REASON_TOO_MANY_PODS, ERR_REASON_INSUFFICIENT_CPU, ERR_REASON_INSUFFICIENT_MEMORY, ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE];
const TOO_MANY_PODS = 1;
const INSUFFICIENT_CPU = 2;
const INSUFFICIENT_MEMORY = 4;
const INSUFFICIENT_EPHEMERAL = 8;

/** Frozen, plugin-stamped statuses for each combination of native failures: a rejected node allocates nothing. */
const nativeStatuses: Array<Status | undefined> = new Array(32);

function frozenStatus(code: Code, reasons: string[]): Status {
  const s = new Status(code, ...reasons);
  s.plugin = NAME;
  Object.freeze(s.reasons);
  return Object.freeze(s);
}

function nativeStatus(mask: number, unresolvable: boolean): Status {
  const key = mask * 2 + (unresolvable ? 1 : 0);
  let s = nativeStatuses[key];
  if (s === undefined) {
    const reasons = NATIVE_REASONS.filter((_, i) => (mask & (1 << i)) !== 0);
    s = frozenStatus(unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, reasons);
    nativeStatuses[key] = s;
  }
  return s;
}

/**
 * fitsRequest + Filter: "Too many pods" first, then cpu, memory, ephemeral-storage, then the
 * scalar resources; every failure is a reason. UnschedulableAndUnresolvable when one request
 * exceeds the node's whole allocatable, Unschedulable otherwise. null when the pod fits.
 */
export function fitsRequest(req: FitRequest, node: NodeInfo): MaybeStatus {
  const alloc = node.allocatable;
  const used = node.requested;
  let mask = 0;
  let unresolvable = false;
  if (node.pods.length + 1 > alloc.allowedPodNumber) mask |= TOO_MANY_PODS;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    mask |= INSUFFICIENT_CPU;
    if (req.milliCPU > alloc.milliCPU) unresolvable = true;
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    mask |= INSUFFICIENT_MEMORY;
    if (req.memory > alloc.memory) unresolvable = true;
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    mask |= INSUFFICIENT_EPHEMERAL;
    if (req.ephemeralStorage > alloc.ephemeralStorage) unresolvable = true;
  }
  const names = req.scalarNames;
  let scalarReasons: string[] | null = null;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const q = req.scalarQuantities[i]!;
    const capacity = alloc.getScalar(name);
    if (q > capacity - used.getScalar(name)) {
      (scalarReasons ??= []).push(req.scalarReasons[i]!);
      if (q > capacity) unresolvable = true;
    }
  }
  if (scalarReasons === null) return mask === 0 ? null : nativeStatus(mask, unresolvable);
  const reasons = NATIVE_REASONS.filter((_, i) => (mask & (1 << i)) !== 0);
  for (const r of scalarReasons) reasons.push(r);
  return new Status(unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, ...reasons);
}

// ---------------------------------------------------------------------------------------------
// Score (resource_allocation.go and the three strategies)

/** How a configured resource name is looked up on a node (plain numbers: no const enum across files). */
export const ResourceKind = {
  Cpu: 0,
  Memory: 1,
  EphemeralStorage: 2,
  Scalar: 3,
  /** Anything else (pods, storage, ...): never in the scalar map, so never scored. */
  Other: 4,
} as const;
export type ResourceKind = (typeof ResourceKind)[keyof typeof ResourceKind];

export function resourceKind(name: string): ResourceKind {
  if (name === RESOURCE_CPU) return ResourceKind.Cpu;
  if (name === RESOURCE_MEMORY) return ResourceKind.Memory;
  if (name === RESOURCE_EPHEMERAL_STORAGE) return ResourceKind.EphemeralStorage;
  return isScalarResourceName(name) ? ResourceKind.Scalar : ResourceKind.Other;
}

/**
 * The node's allocatable for a configured resource, or undefined when the node has none of it
 * (a scalar it does not advertise, or a kind that is never scored).
 */
export function nodeAllocatable(kind: ResourceKind, name: string, node: NodeInfo): number | undefined {
  const alloc = node.allocatable;
  switch (kind) {
    case ResourceKind.Cpu:
      return alloc.milliCPU;
    case ResourceKind.Memory:
      return alloc.memory;
    case ResourceKind.EphemeralStorage:
      return alloc.ephemeralStorage;
    case ResourceKind.Scalar:
      return alloc.scalar?.get(name);
    default:
      return undefined;
  }
}

/** What the node's pods request of a resource: cpu and memory from NonZeroRequested when
 *  `nonZero` (the scorers' view, resource_allocation.go useRequested=false), else Requested. */
export function nodeRequested(kind: ResourceKind, name: string, node: NodeInfo, nonZero: boolean): number {
  switch (kind) {
    case ResourceKind.Cpu:
      return (nonZero ? node.nonZeroRequested : node.requested).milliCPU;
    case ResourceKind.Memory:
      return (nonZero ? node.nonZeroRequested : node.requested).memory;
    case ResourceKind.EphemeralStorage:
      return node.requested.ephemeralStorage;
    default:
      return node.requested.getScalar(name);
  }
}

/**
 * calculatePodResourceRequestList: the pod's request per configured resource. `nonZero` is the
 * scorers' view (!useRequested): containers without a cpu/memory request count 100m / 200Mi.
 */
export function podRequestList(pod: PodInfo, names: readonly string[], kinds: readonly ResourceKind[], nonZero: boolean): Float64Array {
  const out = new Float64Array(names.length);
  const r = pod.requests;
  for (let i = 0; i < names.length; i++) {
    switch (kinds[i]) {
      case ResourceKind.Cpu:
        out[i] = nonZero ? pod.nonZeroMilliCPU : r.milliCPU;
        break;
      case ResourceKind.Memory:
        out[i] = nonZero ? pod.nonZeroMemory : r.memory;
        break;
      default:
        out[i] = r.get(names[i]!);
    }
  }
  return out;
}

/** trunc(a * 100 / c) as Go's int64 arithmetic computes it, exact beyond 2^53 / 100 too. */
export function scaleTo100(a: number, c: number): number {
  if (a <= 90071992547409 && a >= -90071992547409) return Math.trunc((a * 100) / c);
  return Number((BigInt(a) * 100n) / BigInt(c));
}

/** Go's math.Round: half away from zero (JS Math.round rounds -2.5 to -2). */
export function goRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

// least_allocated.go leastRequestedScore
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return scaleTo100(capacity - requested, capacity);
}

// most_allocated.go mostRequestedScore
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  // `requested` might be greater than `capacity` because pods with no requests get minimum values.
  return scaleTo100(requested > capacity ? capacity : requested, capacity);
}

const Strategy = { Least: 0, Most: 1, RequestedToCapacityRatio: 2 } as const;
type Strategy = (typeof Strategy)[keyof typeof Strategy];

// ---------------------------------------------------------------------------------------------
// The plugin

export class NodeResourcesFit implements AnyPlugin {
  readonly name = NAME;
  private readonly ignored: ReadonlySet<string>;
  private readonly ignoredGroups: ReadonlySet<string>;
  private readonly strategy: Strategy;
  private readonly names: string[];
  private readonly kinds: ResourceKind[];
  private readonly weights: Float64Array;
  /** requestedToCapacityRatioScorer's shape, scores scaled by MaxNodeScore / MaxCustomPriorityScore. */
  private readonly rawScoringFunction: (p: number) => number;
  private readonly resourcesNotFound = asError(ERR_RESOURCES_NOT_FOUND);
  // The last state seen, so Filter/Score on each node skip CycleState's map.
  private filterState: CycleState | null = null;
  private filterRequest: FitRequest | null = null;
  private scoreState: CycleState | null = null;
  private scoreRequests: Float64Array | null = null;

  /** NewFit: `args` are the defaulted internal args; invalid args throw (upstream returns the error). */
  constructor(args: NodeResourcesFitArgs) {
    const errs = validateFitArgs(args);
    if (errs.length > 0) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    const ss = args.scoringStrategy;
    this.ignored = new Set(args.ignoredResources);
    this.ignoredGroups = new Set(args.ignoredResourceGroups);
    this.strategy = ss.type === MOST_ALLOCATED ? Strategy.Most : ss.type === REQUESTED_TO_CAPACITY_RATIO ? Strategy.RequestedToCapacityRatio : Strategy.Least;
    this.names = ss.resources.map((r) => r.name);
    this.kinds = this.names.map(resourceKind);
    this.weights = Float64Array.from(ss.resources, (r) => r.weight);
    const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
    const shape = (ss.requestedToCapacityRatio?.shape ?? []).map((p) => ({ utilization: p.utilization, score: p.score * scale }));
    this.rawScoringFunction = buildBrokenLinearFunction(shape);
  }

  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Pod', actions: ['Delete', 'UpdatePodScaleDown'], queueingHintFn: isSchedulableAfterPodEvent },
      { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'], queueingHintFn: isSchedulableAfterNodeChange },
    ];
  }

  preFilter(state: CycleState, pod: PodInfo): { result?: PreFilterResult; status: MaybeStatus } {
    const req = computeFitRequest(pod, this.ignored, this.ignoredGroups);
    state.write(PRE_FILTER_STATE_KEY, req);
    this.filterState = state;
    this.filterRequest = req;
    return { status: null };
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): MaybeStatus {
    let req = state === this.filterState ? this.filterRequest : null;
    if (req === null) {
      req = state.read<FitRequest>(PRE_FILTER_STATE_KEY) ?? null;
      if (req === null) return asError(`error reading ${goQuote(PRE_FILTER_STATE_KEY)} from cycleState: not found`);
      this.filterState = state;
      this.filterRequest = req;
    }
    return fitsRequest(req, node);
  }

  /** The verdict depends only on the node (allocatable, requested, pod count) and the request. */
  filterSignature(state: CycleState): string | undefined {
    const req = state === this.filterState ? this.filterRequest : (state.read<FitRequest>(PRE_FILTER_STATE_KEY) ?? null);
    if (req === null) return undefined;
    const parts: Array<number | string> = [req.milliCPU, req.memory, req.ephemeralStorage];
    for (let i = 0; i < req.scalarNames.length; i++) parts.push(req.scalarNames[i]!, req.scalarQuantities[i]!);
    return this.requestKeys.key(parts);
  }

  /** Signature texts of request lists, built once per distinct list. */
  private readonly requestKeys = new KeyInterner();

  preScore(state: CycleState, pod: PodInfo): MaybeStatus {
    const reqs = podRequestList(pod, this.names, this.kinds, true);
    state.write(PRE_SCORE_STATE_KEY, reqs);
    this.scoreState = state;
    this.scoreRequests = reqs;
    return null;
  }

  /** The raw score depends only on the node and the pod's requests for the scored resources. */
  scoreSignature(state: CycleState): string | undefined {
    const reqs = state === this.scoreState ? this.scoreRequests : state.read<Float64Array>(PRE_SCORE_STATE_KEY);
    return reqs ? this.requestKeys.key(reqs) : undefined;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number | Status {
    let reqs = state === this.scoreState ? this.scoreRequests : null;
    if (reqs === null) {
      // Without PreScore (upstream computes the list on the spot).
      reqs = state.read<Float64Array>(PRE_SCORE_STATE_KEY) ?? podRequestList(pod, this.names, this.kinds, true);
      this.scoreState = state;
      this.scoreRequests = reqs;
    }
    return this.scoreNode(reqs, node);
  }

  /** resourceAllocationScorer.score with this strategy's scorer, without allocating. */
  private scoreNode(podRequests: Float64Array, node: NodeInfo): number | Status {
    const n = this.kinds.length;
    if (n === 0) return this.resourcesNotFound;
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < n; i++) {
      const podRequest = podRequests[i]!;
      const kind = this.kinds[i]!;
      // An extended resource the pod does not request is left out of the score.
      if (kind === ResourceKind.Scalar && podRequest === 0) continue;
      const capacity = nodeAllocatable(kind, this.names[i]!, node);
      if (capacity === undefined || capacity === 0) continue;
      const requested = nodeRequested(kind, this.names[i]!, node, true) + podRequest;
      const weight = this.weights[i]!;
      switch (this.strategy) {
        case Strategy.Least:
          nodeScore += leastRequestedScore(requested, capacity) * weight;
          weightSum += weight;
          break;
        case Strategy.Most:
          nodeScore += mostRequestedScore(requested, capacity) * weight;
          weightSum += weight;
          break;
        default: {
          const utilization = requested > capacity ? MAX_UTILIZATION : scaleTo100(requested, capacity);
          const resourceScore = this.rawScoringFunction(utilization);
          // A resource scoring 0 counts neither in the sum nor in the weights.
          if (resourceScore > 0) {
            nodeScore += resourceScore * weight;
            weightSum += weight;
          }
        }
      }
    }
    if (weightSum === 0) return 0;
    return this.strategy === Strategy.RequestedToCapacityRatio ? goRound(nodeScore / weightSum) : Math.trunc(nodeScore / weightSum);
  }
}

/** The registry's factory: pluginConfig args are decoded, defaulted and validated first. */
// ---------------------------------------------------------------------------------------------
// Queueing hints (fit.go)

const NO_IGNORED: ReadonlySet<string> = new Set();

/**
 * isSchedulableAfterPodEvent: a deleted pod frees resources only if it was bound or nominated; a
 * scale-down helps when it is the pod's own, or a bound pod's request of a resource this pod asks
 * for went down (isSchedulableAfterPodScaleDown).
 */
export function isSchedulableAfterPodEvent(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Pod>('Pod', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const { oldObj: originalPod, newObj: modifiedPod } = objs;
  if (modifiedPod === undefined) {
    if (originalPod === undefined) return new Error('expected a pod in the event');
    if (!originalPod.spec.nodeName && !originalPod.status.nominatedNodeName) return 'QueueSkip';
    // Any deletion of a scheduled pod could make the unscheduled pod schedulable.
    return 'Queue';
  }
  if (originalPod === undefined) return new Error('expected the old pod in the event');
  // InPlacePodVerticalScaling is on (v1.35 default).
  return isSchedulableAfterPodScaleDown(pod, originalPod, modifiedPod) ? 'Queue' : 'QueueSkip';
}

function isSchedulableAfterPodScaleDown(targetPod: Pod, originalPod: Pod, modifiedPod: Pod): boolean {
  if (modifiedPod.metadata.uid === targetPod.metadata.uid) return true;
  if (!modifiedPod.spec.nodeName) return false;
  const original = PodInfo.of(originalPod).requests;
  const modified = PodInfo.of(modifiedPod).requests;
  const target = PodInfo.of(targetPod).requests;
  if (target.milliCPU !== 0 && original.milliCPU > modified.milliCPU) return true;
  if (target.memory !== 0 && original.memory > modified.memory) return true;
  if (target.ephemeralStorage !== 0 && original.ephemeralStorage > modified.ephemeralStorage) return true;
  for (const [name, q] of target.scalar ?? []) if (q !== 0 && original.getScalar(name) > modified.getScalar(name)) return true;
  return false;
}

/**
 * isSchedulableAfterNodeChange: QueueSkip when the pod would not fit the node even empty (isFit);
 * Queue for an added node it fits; for an update, Queue only when the pod count or an allocatable
 * resource the pod requests went up (haveAnyRequestedResourcesIncreased).
 */
export function isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Node>('Node', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const { oldObj: originalNode, newObj: modifiedNode } = objs;
  // Leaving in the queue, since the pod won't fit into the modified node anyway.
  if (!isFit(pod, modifiedNode)) return 'QueueSkip';
  if (originalNode === undefined) return 'Queue';
  return haveAnyRequestedResourcesIncreased(pod, originalNode, modifiedNode!) ? 'Queue' : 'QueueSkip';
}

/** isFit: whether the pod fits the node holding no pods (false without a node). */
export function isFit(pod: Pod, node: Node | undefined): boolean {
  if (node === undefined) return false;
  return fitsEmptyNode(computeFitRequest(PodInfo.of(pod), NO_IGNORED, NO_IGNORED), allocatableOf(node));
}

/** haveAnyRequestedResourcesIncreased: the pod count, or an allocatable resource the pod requests, went up. */
export function haveAnyRequestedResourcesIncreased(pod: Pod, originalNode: Node, modifiedNode: Node): boolean {
  return requestedResourcesIncreased(computeFitRequest(PodInfo.of(pod), NO_IGNORED, NO_IGNORED), allocatableOf(originalNode), allocatableOf(modifiedNode));
}

/** NodeInfo.SetNode's Allocatable: status.allocatable (as the cache reads it). */
function allocatableOf(node: Node): Resource {
  return Resource.fromList(node.status.allocatable ?? node.status.capacity);
}

/** Fits on a NodeInfo holding only the node (no pods, nothing requested). */
function fitsEmptyNode(req: FitRequest, alloc: Resource): boolean {
  if (1 > alloc.allowedPodNumber) return false;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalarNames.length === 0) return true;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU) return false;
  if (req.memory > 0 && req.memory > alloc.memory) return false;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage) return false;
  for (let i = 0; i < req.scalarNames.length; i++) if (req.scalarQuantities[i]! > alloc.getScalar(req.scalarNames[i]!)) return false;
  return true;
}

function requestedResourcesIncreased(req: FitRequest, original: Resource, modified: Resource): boolean {
  if (modified.allowedPodNumber > original.allowedPodNumber) return true;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalarNames.length === 0) return false;
  if ((req.milliCPU > 0 && modified.milliCPU > original.milliCPU) || (req.memory > 0 && modified.memory > original.memory) || (req.ephemeralStorage > 0 && modified.ephemeralStorage > original.ephemeralStorage)) return true;
  for (let i = 0; i < req.scalarNames.length; i++) {
    const name = req.scalarNames[i]!;
    if (modified.getScalar(name) > original.getScalar(name)) return true;
  }
  return false;
}

export function newNodeResourcesFit(args: Record<string, unknown> | undefined, _handle: Handle): AnyPlugin {
  const decoded = decodeNodeResourcesFitArgs(args);
  if (decoded.errors.length > 0) throw new Error(decoded.errors.join('; '));
  return new NodeResourcesFit(decoded.args);
}

// ---------------------------------------------------------------------------------------------
// Decoding and field errors, shared with NodeResourcesBalancedAllocation

/** Go's %q (strconv.Quote); JSON escaping agrees for printable text. */
export const goQuote = (s: string): string => JSON.stringify(s);

/** A strict JSON decoder into the v1 types; problems are pushed as Go's decoder words them. */
export class Decoder {
  constructor(private readonly errors: string[]) {}

  private typeError(v: unknown, field: string, struct: string, goType: string): void {
    const kind = typeof v === 'number' && goType.startsWith('int') ? `number ${v}` : jsonKind(v);
    this.errors.push(`json: cannot unmarshal ${kind} into Go struct field ${struct}.${field.replace(/\[\d+\]/g, '')} of type ${goType}`);
  }

  /** An object with only the known fields; undefined for null/absent (or after an error). */
  object(v: unknown, field: string, struct: string, goType: string, known: readonly string[]): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      if (field === '') this.errors.push(`json: cannot unmarshal ${jsonKind(v)} into Go value of type ${goType}`);
      else this.typeError(v, field, struct, goType);
      return undefined;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) this.errors.push(`strict decoding error: unknown field ${goQuote(field === '' ? k : `${field}.${k}`)}`);
    }
    return o;
  }

  string(v: unknown, field: string, struct: string, goType = 'string'): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.typeError(v, field, struct, goType);
      return undefined;
    }
    return v;
  }

  int(v: unknown, field: string, struct: string, goType: 'int32' | 'int64'): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.typeError(v, field, struct, goType);
      return undefined;
    }
    return v;
  }

  array(v: unknown, field: string, struct: string, goType: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.typeError(v, field, struct, goType);
      return [];
    }
    return v;
  }

  strings(v: unknown, field: string, struct: string): string[] {
    const out: string[] = [];
    for (const s of this.array(v, field, struct, '[]string')) {
      const str = this.string(s, field, struct);
      if (str !== undefined) out.push(str);
    }
    return out;
  }
}

/** []v1.ResourceSpec (weight is an int64; absent means 0, which defaulting turns into 1). */
export function decodeResources(d: Decoder, v: unknown, field: string, struct: string): ResourceSpec[] {
  return d.array(v, field, struct, '[]v1.ResourceSpec').map((item, i) => {
    const o = d.object(item, `${field}[${i}]`, struct, 'v1.ResourceSpec', ['name', 'weight']);
    return { name: d.string(o?.['name'], `${field}.name`, 'ResourceSpec') ?? '', weight: d.int(o?.['weight'], `${field}.weight`, 'ResourceSpec', 'int64') ?? 0 };
  });
}

function decodeShape(d: Decoder, v: unknown, field: string): UtilizationShapePoint[] {
  return d.array(v, field, 'RequestedToCapacityRatioParam', '[]v1.UtilizationShapePoint').map((item, i) => {
    const o = d.object(item, `${field}[${i}]`, 'RequestedToCapacityRatioParam', 'v1.UtilizationShapePoint', ['utilization', 'score']);
    return {
      utilization: d.int(o?.['utilization'], `${field}.utilization`, 'UtilizationShapePoint', 'int32') ?? 0,
      score: d.int(o?.['score'], `${field}.score`, 'UtilizationShapePoint', 'int32') ?? 0,
    };
  });
}

// metav1validation.ValidateLabelName (content.IsLabelKey): one "Invalid value" per problem.
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_KEY_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

function labelKeyProblems(value: string): string[] {
  const keyRegexError = regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc');
  const parts = value.split('/');
  if (parts.length > 2) return [`a valid label key ${keyRegexError} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (byteLength(prefix) > 253) errs.push('prefix part must be no more than 253 bytes');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) errs.push(`prefix part ${regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com')}`);
    }
  }
  const name = parts[parts.length - 1]!;
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push('name part must be no more than 63 bytes');
  if (!LABEL_KEY_RE.test(name)) errs.push(`name part ${keyRegexError}`);
  return errs;
}

function labelNameErrors(value: string, path: string): string[] {
  return labelKeyProblems(value).map((msg) => `${path}: Invalid value: ${goQuote(value)}: ${msg}`);
}
