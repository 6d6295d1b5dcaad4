// NodeResourcesBalancedAllocation: among the nodes that fit, prefer those whose resources would be
// used in similar fractions once the pod is placed (score = (1 - std of the fractions) * 100).
// Follows pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go and
// resource_allocation.go (v1.35), with SetDefaults_NodeResourcesBalancedAllocationArgs
// (pkg/scheduler/apis/config/v1/defaults.go) and ValidateNodeResourcesBalancedAllocationArgs
// (pkg/scheduler/apis/config/validation/validation_pluginargs.go).
// Fractions use the node's Requested (not the non-zero view) plus the pod's actual requests, capped
// at 1. Best-effort pods (no request for any configured resource) are skipped at PreScore, as
// upstream does since issue #129138. There is no NormalizeScore; weights play no part.
// Pod-level requests count as framework/resource.ts podRequests applies them.
// Not modelled: DRA-backed extended resources (DRAExtendedResource gate, off
// in v1.35), in-place resize, SignPod.
import { type MaybeStatus, SKIP, type Status, asError } from '../framework/status.js';
import { type AnyPlugin, type CycleState, type Handle, MAX_NODE_SCORE, type NodeInfo, type PodInfo } from '../framework/types.js';
import { Decoder, ERR_RESOURCES_NOT_FOUND, ResourceKind, type ResourceSpec, decodeResources, defaultResourceSpec, goQuote, nodeAllocatable, nodeRequested, podRequestList, resourceKind } from './node_resources_fit.js';
import { KeyInterner } from '../framework/intern.js';
import * as names from './names.js';

export const NAME = names.NodeResourcesBalancedAllocation;
/** Key in CycleState of the PreScore data (upstream balancedAllocationPreScoreStateKey). */
export const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

/**
 * Reads pluginConfig args as the v1 API decodes them and applies the v1 defaults: no resources
 * means cpu and memory; a weight of 0 (or none) means 1.
 */
export function decodeBalancedAllocationArgs(raw: unknown): { args: NodeResourcesBalancedAllocationArgs; errors: string[] } {
  const errors: string[] = [];
  const d = new Decoder(errors);
  const obj = d.object(raw, '', 'NodeResourcesBalancedAllocationArgs', 'v1.NodeResourcesBalancedAllocationArgs', ['resources']);
  let resources = decodeResources(d, obj?.['resources'], 'resources', 'NodeResourcesBalancedAllocationArgs');
  if (resources.length === 0) resources = defaultResourceSpec();
  else for (const r of resources) if (r.weight === 0) r.weight = 1;
  return { args: { resources }, errors };
}

/** ValidateNodeResourcesBalancedAllocationArgs on defaulted args: unique names, every weight 1. */
export function validateBalancedArgs(args: NodeResourcesBalancedAllocationArgs): string[] {
  const errs: string[] = [];
  const seen = new Set<string>();
  args.resources.forEach((r, i) => {
    if (seen.has(r.name)) errs.push(`resources[${i}].name: Duplicate value: ${goQuote(r.name)}`);
    else seen.add(r.name);
    if (r.weight !== 1) errs.push(`resources[${i}].weight: Invalid value: ${r.weight}: must be 1`);
  });
  return errs;
}

/** The args' problems, [] when valid: decoding first, then upstream's validation of the defaulted args. */
export function validateBalancedAllocationArgs(args: unknown): string[] {
  const decoded = decodeBalancedAllocationArgs(args);
  return decoded.errors.length > 0 ? decoded.errors : validateBalancedArgs(decoded.args);
}

/** resourceAllocationScorer.isBestEffortPod: no request for any configured resource. */
function isBestEffort(podRequests: Float64Array): boolean {
  for (let i = 0; i < podRequests.length; i++) if (podRequests[i] !== 0) return false;
  return true;
}

/**
 * balancedResourceScorer over the first `n` fractions: with two, std = |f0 - f1| / 2; with more,
 * the population standard deviation; with fewer, 0. int64((1 - std) * MaxNodeScore).
 */
export function balancedScore(fractions: Float64Array, n: number, totalFraction: number): number {
  let std = 0;
  if (n === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (n > 2) {
    const mean = totalFraction / n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum = sum + (fractions[i]! - mean) * (fractions[i]! - mean);
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements AnyPlugin {
  readonly name = NAME;
  private readonly names: string[];
  private readonly kinds: ResourceKind[];
  /** Scratch space for one node's fractions (the scheduler scores one node at a time). */
  private readonly fractions: Float64Array;
  private readonly resourcesNotFound = asError(ERR_RESOURCES_NOT_FOUND);
  private scoreState: CycleState | null = null;
  private scoreRequests: Float64Array | null = null;

  /** NewBalancedAllocation: `args` are the defaulted internal args; invalid args throw. */
  constructor(args: NodeResourcesBalancedAllocationArgs) {
    const errs = validateBalancedArgs(args);
    if (errs.length > 0) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    this.names = args.resources.map((r) => r.name);
    this.kinds = this.names.map(resourceKind);
    this.fractions = new Float64Array(this.names.length);
  }

  preScore(state: CycleState, pod: PodInfo): MaybeStatus {
    const reqs = podRequestList(pod, this.names, this.kinds, false);
    // Skip best-effort pods, or they would all pile onto the same node (issue #129138).
    if (isBestEffort(reqs)) {
      this.scoreState = null;
      return SKIP;
    }
    state.write(PRE_SCORE_STATE_KEY, reqs);
    this.scoreState = state;
    this.scoreRequests = reqs;
    return null;
  }

  /** Signature texts of request lists, built once per distinct list. */
  private readonly requestKeys = new KeyInterner();

  /** The raw score depends only on the node and the pod's requests for the balanced resources. */
  scoreSignature(state: CycleState): string | undefined {
    const reqs = state === this.scoreState ? this.scoreRequests : state.read<Float64Array>(PRE_SCORE_STATE_KEY);
    return reqs ? this.requestKeys.key(reqs) : undefined;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number | Status {
    let reqs = state === this.scoreState ? this.scoreRequests : null;
    if (reqs === null) {
      // Without PreScore (upstream computes the list on the spot, and scores best-effort pods 0).
      reqs = state.read<Float64Array>(PRE_SCORE_STATE_KEY) ?? podRequestList(pod, this.names, this.kinds, false);
      if (isBestEffort(reqs)) return 0;
      this.scoreState = state;
      this.scoreRequests = reqs;
    }
    return this.scoreNode(reqs, node);
  }

  private scoreNode(podRequests: Float64Array, node: NodeInfo): number | Status {
    const n = this.kinds.length;
    if (n === 0) return this.resourcesNotFound;
    const fractions = this.fractions;
    let count = 0;
    let totalFraction = 0;
    for (let i = 0; i < n; i++) {
      const podRequest = podRequests[i]!;
      const kind = this.kinds[i]!;
      // An extended resource the pod does not request is left out.
      if (kind === ResourceKind.Scalar && podRequest === 0) continue;
      const capacity = nodeAllocatable(kind, this.names[i]!, node);
      if (capacity === undefined) continue;
      const requested = nodeRequested(kind, this.names[i]!, node, false) + podRequest;
      if (capacity === 0) continue;
      let fraction = requested / capacity;
      if (fraction > 1) fraction = 1;
      totalFraction += fraction;
      fractions[count++] = fraction;
    }
    return balancedScore(fractions, count, totalFraction);
  }
}

/** The registry's factory: pluginConfig args are decoded, defaulted and validated first. */
export function newNodeResourcesBalancedAllocation(args: Record<string, unknown> | undefined, _handle: Handle): AnyPlugin {
  const decoded = decodeBalancedAllocationArgs(args);
  if (decoded.errors.length > 0) throw new Error(decoded.errors.join('; '));
  return new NodeResourcesBalancedAllocation(decoded.args);
}
