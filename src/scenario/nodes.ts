// Node shorthand (`cluster.nodes`, `addNode`) → Node objects, as a kubelet would register them.
// The well-known labels follow upstream: the kubelet sets kubernetes.io/hostname, kubernetes.io/os
// and kubernetes.io/arch on registration (pkg/kubelet/kubelet_node_status.go, initialNode), and
// topology.kubernetes.io/zone is the well-known zone label (staging/src/k8s.io/api/core/v1/well_known_labels.go).
import { parseQuantityValue } from '../api/quantity.js';
import type { ContainerImage, Node, Quantityish, ResourceList, Taint } from '../api/types.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
/** The kubelet's default --max-pods (pkg/kubelet/apis/config/v1beta1/defaults.go). */
export const DEFAULT_MAX_PODS = 110;
/** One shorthand entry may expand to at most this many nodes (keeps a typo from hanging the loader). */
export const MAX_NODES_PER_ENTRY = 10_000;

export type CachedImage = string | { name: string; size?: Quantityish };

/** A `cluster.nodes` entry (or `addNode` value), already validated against the schema. */
export interface NodeShorthand {
  name: string;
  count?: number;
  capacity: ResourceList;
  allocatable?: ResourceList;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: CachedImage[];
  podCIDR?: string;
  zone?: string;
}

export type NameExpansion = { ok: true; names: string[] } | { ok: false; message: string };

const INDEX_PLACEHOLDER = '{i}';
const BRACE_RANGE = /\{(\d+)\.\.(\d+)\}/;

/**
 * The node names of one shorthand entry: `worker-{1..3}` (a numeric range, as in a shell; several
 * ranges give their product; `{01..10}` pads to the width written), or `name: worker-{i}` with
 * `count: N` (i from 1 to N).
 */
export function expandNodeNames(name: string, count?: number): NameExpansion {
  const hasIndex = name.includes(INDEX_PLACEHOLDER);
  if (count !== undefined) {
    if (!hasIndex) return { ok: false, message: `with count, the name must contain {i} (e.g. "${name}-{i}")` };
    if (BRACE_RANGE.test(name)) return { ok: false, message: 'use either count with {i} or a {a..b} range in the name, not both' };
    if (count > MAX_NODES_PER_ENTRY) return tooMany(count);
    const names = Array.from({ length: count }, (_, k) => name.split(INDEX_PLACEHOLDER).join(String(k + 1)));
    return checkLeftoverBraces(names);
  }
  if (hasIndex) return { ok: false, message: 'the name uses {i} but count is not set' };
  const total = rangeProduct(name);
  if (total > MAX_NODES_PER_ENTRY) return tooMany(total);
  return checkLeftoverBraces(expandRanges(name));
}

function tooMany(n: number): NameExpansion {
  return { ok: false, message: `expands to ${n} nodes; at most ${MAX_NODES_PER_ENTRY} per entry` };
}

function checkLeftoverBraces(names: string[]): NameExpansion {
  const bad = names.find((n) => n.includes('{') || n.includes('}'));
  if (bad !== undefined) {
    return { ok: false, message: `unsupported brace expression in "${bad}" (use {a..b}, or {i} with count)` };
  }
  return { ok: true, names };
}

/** Number of names the ranges in `name` expand to (computed without expanding). */
function rangeProduct(name: string): number {
  let total = 1;
  for (const m of name.matchAll(new RegExp(BRACE_RANGE.source, 'g'))) {
    total *= Math.abs(Number(m[2]) - Number(m[1])) + 1;
    if (total > MAX_NODES_PER_ENTRY) return total;
  }
  return total;
}

function expandRanges(name: string): string[] {
  const m = BRACE_RANGE.exec(name);
  if (!m) return [name];
  const [whole, fromText, toText] = m as unknown as [string, string, string];
  const head = name.slice(0, m.index);
  const tails = expandRanges(name.slice(m.index + whole.length));
  const padded = (fromText.length > 1 && fromText.startsWith('0')) || (toText.length > 1 && toText.startsWith('0'));
  const width = padded ? Math.max(fromText.length, toText.length) : 0;
  const from = Number(fromText);
  const to = Number(toText);
  const step = from <= to ? 1 : -1;
  const names: string[] = [];
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) {
    const text = String(i).padStart(width, '0');
    for (const tail of tails) names.push(head + text + tail);
  }
  return names;
}

/** The Node objects of one validated shorthand entry, in expansion order. */
export function nodesFromShorthand(shorthand: NodeShorthand): Node[] {
  const expansion = expandNodeNames(shorthand.name, shorthand.count);
  if (!expansion.ok) throw new Error(`nodesFromShorthand on an invalid entry: ${expansion.message}`);
  return expansion.names.map((name) => nodeFromShorthand(name, shorthand));
}

function nodeFromShorthand(name: string, s: NodeShorthand): Node {
  const labels: Record<string, string> = { [LABEL_ARCH]: 'amd64', [LABEL_HOSTNAME]: name, [LABEL_OS]: 'linux', ...s.labels };
  if (s.zone !== undefined) labels[LABEL_ZONE] = s.zone;
  const capacity: ResourceList = { ...s.capacity, pods: s.capacity.pods ?? DEFAULT_MAX_PODS };
  const spec: Node['spec'] = {};
  if (s.unschedulable) spec.unschedulable = true;
  if (s.taints && s.taints.length > 0) spec.taints = s.taints.map((t) => ({ ...t }));
  if (s.podCIDR !== undefined) {
    spec.podCIDR = s.podCIDR;
    spec.podCIDRs = [s.podCIDR];
  }
  const status: Node['status'] = { capacity, allocatable: { ...capacity, ...s.allocatable } };
  if (s.images && s.images.length > 0) status.images = s.images.map(cachedImage);
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec, status };
}

function cachedImage(image: CachedImage): ContainerImage {
  if (typeof image === 'string') return { names: [image] };
  if (image.size === undefined) return { names: [image.name] };
  const size = parseQuantityValue(image.size);
  return size.ok ? { names: [image.name], sizeBytes: size.quantity.value() } : { names: [image.name] };
}
