// fast-check arbitraries for the fuzzer: one value is a whole case (cluster, workloads, faults),
// drawn from one seed, in the manner of TigerBeetle's VOPR (src/vopr.zig): the swarm
// configuration — which fault kinds and which workload features this run exercises — is drawn
// first, then everything else ("swarm testing", Groce et al. 2012: a run that enables a random
// subset of features finds bugs that an everything-at-once mix drowns out). Volumes are drawn
// last (their density and features are a swarm draw too), behind every draw that came before them,
// so a seed still draws the cluster, workloads and faults it drew before volumes existed.
//
// The raw draw is mapped to a FuzzCase: the effective, consistent case (names assigned, disabled
// features dropped, events on removed nodes dropped, pod totals capped). Shrinking works on the
// raw draw, so every simplification fast-check tries — a feature switched off, a node or an event
// removed, a request made smaller — still maps to a valid case. Everything shrinks toward the
// simple: fewer nodes, pods and events, no taints, the first (plainest) value of each choice.
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// Sizes

/** Bounds of one case. Nodes count the initial nodes; pods the most pods that can exist at once. */
export interface FuzzSize {
  maxNodes: number;
  maxPods: number;
  maxEvents: number;
  /** Fewest initial nodes (default 1). */
  minNodes?: number;
  /** The scenario's `until`, in seconds (default 300). */
  untilS?: number;
  /** The settle phase after `until` (no faults; liveness is judged at its end), in seconds
   *  (default 360: longer than the scheduler's 5m flush of unschedulable pods). */
  settleS?: number;
}

export type SizeName = 'small' | 'medium' | 'large';

export const SIZE_PRESETS: Readonly<Record<SizeName, Readonly<FuzzSize>>> = Object.freeze({
  small: { maxNodes: 5, maxPods: 10, maxEvents: 8, untilS: 300 },
  medium: { maxNodes: 20, maxPods: 60, maxEvents: 20, untilS: 600 },
  large: { maxNodes: 100, maxPods: 400, maxEvents: 60, untilS: 900 },
});

export function resolveSize(size: SizeName | FuzzSize): Required<FuzzSize> {
  const s = typeof size === 'string' ? SIZE_PRESETS[size] : size;
  if (!s) throw new Error(`unknown fuzz size ${JSON.stringify(size)} (small, medium or large)`);
  const maxNodes = Math.max(1, Math.floor(s.maxNodes));
  return {
    maxNodes,
    maxPods: Math.max(1, Math.floor(s.maxPods)),
    maxEvents: Math.max(0, Math.floor(s.maxEvents)),
    minNodes: Math.min(maxNodes, Math.max(1, Math.floor(s.minNodes ?? 1))),
    untilS: Math.max(60, Math.floor(s.untilS ?? 300)),
    settleS: Math.max(0, Math.floor(s.settleS ?? 360)),
  };
}

// ---------------------------------------------------------------------------------------------
// The effective case

/** Fault families; a family may expand to two events (a failure and its recovery). Ordered from
 *  the plainest, so that a shrunk choice lands on the first enabled one. */
export const FAULT_FAMILIES = ['cordon', 'failNode', 'drain', 'deletePod', 'scale', 'partitionNode', 'addNode', 'removeNode'] as const;
export type FaultFamily = (typeof FAULT_FAMILIES)[number];

/** Cluster and workload features a run may switch on. */
export const FEATURES = [
  'zones', 'nodeLabels', 'taints', 'podsCapacity', 'nodeSelector', 'nodeAffinity', 'tolerations',
  'podAntiAffinity', 'podAffinity', 'topologySpread', 'priorities', 'hostPorts', 'lateStart', 'fastEviction',
] as const;
export type Feature = (typeof FEATURES)[number];

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

export interface FuzzTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Taints a person would put on nodes: a dedicated pool, GPUs, spot capacity, maintenance. */
export const TAINTS: readonly FuzzTaint[] = [
  { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
  { key: 'gpu', effect: 'NoSchedule' },
  { key: 'spot', effect: 'PreferNoSchedule' },
  { key: 'maintenance', effect: 'NoExecute' },
];

export interface FuzzNode {
  name: string;
  cpu: string;
  memory: string;
  /** Pod capacity when it is not the default 110. */
  pods?: number;
  zone?: string;
  labels?: Record<string, string>;
  taints?: FuzzTaint[];
}

export interface FuzzToleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect: FuzzTaint['effect'];
}

/** A required or preferred pod (anti-)affinity term on the `app` label of some workload. */
export interface FuzzPodAffinity {
  app: string;
  topologyKey: string;
  required: boolean;
}

export interface FuzzNodeAffinity {
  required: boolean;
  key: string;
  operator: 'In' | 'NotIn';
  values: string[];
}

export interface FuzzSpread {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
}

export interface FuzzWorkload {
  kind: 'Deployment' | 'Pod';
  /** Also the `app` label and the container's name. */
  name: string;
  image: string;
  /** Deployments only. */
  replicas?: number;
  /** Created by an event at this time instead of at time 0. */
  startAtS?: number;
  cpu: string;
  memory: string;
  nodeSelector?: Record<string, string>;
  nodeAffinity?: FuzzNodeAffinity;
  tolerations?: FuzzToleration[];
  podAffinity?: FuzzPodAffinity;
  podAntiAffinity?: FuzzPodAffinity;
  spread?: FuzzSpread;
  priorityClassName?: 'high' | 'low';
  hostPort?: number;
  /** The PersistentVolumeClaim its pods mount (a Deployment's pods share it), or, when that
   *  claim is `ephemeral`, the template of each pod's own claim. */
  claim?: string;
  /** The requests are the pod's (spec.resources, PodLevelResources), not the container's. */
  podLevelResources?: boolean;
}

/** Storage features a run may switch on, drawn with the volume density after everything else. */
export const STORAGE_FEATURES = ['readWriteMany', 'storageClasses', 'unboundClaims', 'volumeNodeAffinity', 'waitForFirstConsumer'] as const;
/** The storage features, with dynamicProvisioning, which is drawn last of all (so cases drawn
 *  before it existed are unchanged): StorageClass `standard` provisions (the CSI driver) instead
 *  of holding pre-provisioned volumes only. */
export type StorageFeature = (typeof STORAGE_FEATURES)[number] | 'dynamicProvisioning';

/** The StorageClass of the classed claims: pre-provisioned volumes only (kubernetes.io/
 *  no-provisioner), or, with dynamicProvisioning, the CSI driver's provisioner. */
export const STORAGE_CLASS = { name: 'standard', provisioner: 'kubernetes.io/no-provisioner' } as const;
export const CSI_DRIVER = 'ebs.csi.aws.com';

export type FuzzAccessMode = 'ReadWriteOnce' | 'ReadWriteMany';

export interface FuzzClaim {
  /** `data-<workload>`. */
  name: string;
  accessMode: FuzzAccessMode;
  storage: string;
  /** `standard`, or none (`storageClassName: ""`). */
  storageClassName?: string;
  /** A generic ephemeral volume's claim template: no PersistentVolumeClaim object; the ephemeral
   *  volume controller creates one claim per pod (`<pod>-data`). */
  ephemeral?: boolean;
}

export interface FuzzVolume {
  /** `pv-1`, `pv-2`, … */
  name: string;
  capacity: string;
  accessMode: FuzzAccessMode;
  storageClassName?: string;
  /** csi: an attachable ReadWriteOnce disk; nfs: a ReadWriteMany share; local: a node's disk. */
  source: 'csi' | 'nfs' | 'local';
  /** Required node affinity: the volume is usable from these zones or hosts only. */
  nodeAffinity?: { key: string; values: string[] };
}

export type FuzzAction =
  | { type: 'failNode' | 'recoverNode' | 'partitionNode' | 'healNode' | 'cordon' | 'uncordon' | 'removeNode'; node: string }
  | { type: 'drain'; node: string }
  | { type: 'addNode'; node: FuzzNode }
  | { type: 'deletePod'; pod: string }
  | { type: 'scale'; deployment: string; replicas: number }
  | { type: 'create'; workload: string };

export interface FuzzEvent {
  atS: number;
  action: FuzzAction;
}

/** One fuzz case, consistent and ready to render as a scenario. */
export interface FuzzCase {
  /** The scenario's seed: the simulator's own random choices (scheduler tie-breaks, names). */
  seed: number;
  untilS: number;
  /** The settle phase after `until` (0: none). */
  settleS: number;
  /** The swarm configuration this case was drawn under (enabled fault families and features;
   *  volumes: 0 none, 1–3 about a third, two thirds, all of the workloads use a claim). */
  swarm: { faults: FaultFamily[]; features: Feature[]; volumes: number; storage: StorageFeature[] };
  /** Shorter default tolerations of not-ready/unreachable nodes (30s), so evictions happen in short runs. */
  fastEviction: boolean;
  nodes: FuzzNode[];
  /** PriorityClasses the workloads use. */
  priorityClasses: Array<'high' | 'low'>;
  workloads: FuzzWorkload[];
  events: FuzzEvent[];
  /** StorageClasses, pre-provisioned PersistentVolumes and the workloads' claims (created at
   *  time 0, in this order, before the workloads). A class binds WaitForFirstConsumer (the
   *  scheduler's VolumeBinding picks the volume) when the run's storage features say so,
   *  Immediate (the PV controller does) otherwise. */
  storageClasses: string[];
  volumes: FuzzVolume[];
  claims: FuzzClaim[];
}

export const PRIORITY_VALUES: Readonly<Record<'high' | 'low', number>> = { high: 1000, low: 100 };

/** Nodes, and the most pods that can exist at once (bare pods + each Deployment's peak replicas). */
export function caseSize(c: FuzzCase): { nodes: number; pods: number; events: number } {
  const added = c.events.filter((e) => e.action.type === 'addNode').length;
  const peaks = new Map<string, number>();
  for (const w of c.workloads) peaks.set(w.name, w.kind === 'Pod' ? 1 : w.replicas ?? 1);
  for (const e of c.events) if (e.action.type === 'scale') peaks.set(e.action.deployment, Math.max(peaks.get(e.action.deployment) ?? 0, e.action.replicas));
  let pods = 0;
  for (const n of peaks.values()) pods += n;
  return { nodes: c.nodes.length + added, pods, events: c.events.length };
}

// ---------------------------------------------------------------------------------------------
// The raw draw

const DEPLOYMENT_NAMES = ['web', 'api', 'cache', 'worker', 'search', 'auth', 'shop', 'feed'];
const NAME_SLOTS = DEPLOYMENT_NAMES.length;
const IMAGES: Record<string, string> = { web: 'nginx:1.27', db: 'postgres:17', cache: 'redis:7', api: 'api:1.4', worker: 'worker:2', search: 'opensearch:2' };
const CPU = ['100m', '250m', '500m', '1', '2'];
const MEMORY = ['128Mi', '256Mi', '512Mi', '1Gi', '2Gi', '4Gi'];

const rawNodeArb = fc.record({
  cpu: fc.constantFrom('4', '2', '8', '1'),
  memory: fc.constantFrom('8Gi', '4Gi', '16Gi', '2Gi'),
  pods: fc.constantFrom(8, 4, 16),
  zone: fc.nat(ZONES.length - 1),
  disk: fc.constantFrom('ssd', 'hdd'),
  taints: fc.uniqueArray(fc.nat(TAINTS.length - 1), { maxLength: 1 }),
});
type RawNode = typeof rawNodeArb extends fc.Arbitrary<infer T> ? T : never;

/** A term on the `app` label of the workload drawn with this name number (itself when none). */
const rawTermArb = fc.record({ other: fc.option(fc.nat(NAME_SLOTS - 1), { nil: undefined }), zone: fc.boolean(), preferred: fc.boolean() });

/** When its feature is on, a constraint that pins pods down (a selector, a host port, an
 *  affinity term, a spread constraint) is on half the workloads rather than fast-check's 5/6. */
const HALF = { nil: undefined, freq: 2 };

function rawWorkloadArb(maxReplicas: number, horizonS: number) {
  return fc.record({
    deployment: fc.boolean(),
    /** The name: web, api, ... for a Deployment; db, batch-1, ... for a pod. Drawn, not taken
     *  from the position, so removing one workload while shrinking renames no other. */
    name: fc.nat(NAME_SLOTS - 1),
    replicas: fc.integer({ min: 1, max: maxReplicas }),
    cpu: fc.nat(CPU.length - 1),
    memory: fc.nat(MEMORY.length - 1),
    nodeSelector: fc.option(fc.nat(2), HALF),
    nodeAffinity: fc.option(fc.record({ preferred: fc.boolean(), zoneRule: fc.boolean() }), { nil: undefined }),
    tolerations: fc.uniqueArray(fc.nat(TAINTS.length - 1), { maxLength: 2 }),
    podAffinity: fc.option(rawTermArb, HALF),
    podAntiAffinity: fc.option(rawTermArb, HALF),
    spread: fc.option(fc.record({ skew2: fc.boolean(), hostname: fc.boolean(), soft: fc.boolean() }), HALF),
    priority: fc.nat(2),
    hostPort: fc.option(fc.constantFrom(8080, 9090), HALF),
    startAtS: fc.option(fc.integer({ min: 1, max: horizonS }), { nil: undefined }),
  });
}
type RawWorkload = ReturnType<typeof rawWorkloadArb> extends fc.Arbitrary<infer T> ? T : never;

/** What a case holds when its draw has no node / no workload: the values everything shrinks to. */
const PLAIN_NODE: RawNode = { cpu: '4', memory: '8Gi', pods: 8, zone: 0, disk: 'ssd', taints: [] };
const PLAIN_WORKLOAD: RawWorkload = {
  deployment: false, name: 0, replicas: 1, cpu: 0, memory: 0, nodeSelector: undefined, nodeAffinity: undefined, tolerations: [],
  podAffinity: undefined, podAntiAffinity: undefined, spread: undefined, priority: 0, hostPort: undefined, startAtS: undefined,
};

function rawFaultArb(maxReplicas: number, horizonS: number) {
  return fc.record({
    /** Index into the enabled fault families (modulo their number). */
    pick: fc.nat(FAULT_FAMILIES.length - 1),
    atS: fc.integer({ min: 1, max: horizonS }),
    /** Node, pod or Deployment, modulo the candidates at that time. */
    target: fc.nat(31),
    /** A failure, partition, cordon or drain ends after this long; undefined: it lasts (a
     *  failure or partition until `until` when there is a settle phase). */
    forS: fc.option(fc.integer({ min: 10, max: 400 }), { nil: undefined }),
    replicas: fc.integer({ min: 0, max: maxReplicas }),
  });
}
type RawFault = ReturnType<typeof rawFaultArb> extends fc.Arbitrary<infer T> ? T : never;

/** Storage sizes: a claim asks for one of 1Gi–5Gi, its volume holds that or more (or, for a
 *  claim drawn unbound, the size below: too small to match). */
const STORAGE_SIZES = ['512Mi', '1Gi', '2Gi', '5Gi', '10Gi', '20Gi'];

/** The claim of the workloads drawn with one name slot (so removing another workload while
 *  shrinking changes no workload's claim). */
const rawClaimArb = fc.record({
  /** The slot's workloads use a claim when roll < the run's volume density. */
  roll: fc.nat(2),
  /** ReadWriteMany (an NFS share) rather than ReadWriteOnce, when readWriteMany is on. */
  rwx: fc.boolean(),
  /** Requested size: STORAGE_SIZES[1 + size]. */
  size: fc.nat(2),
  /** The volume's capacity is this many sizes larger. */
  spare: fc.nat(2),
  /** In StorageClass `standard`, when storageClasses is on. */
  classed: fc.boolean(),
  /** No volume matches (the one drawn for it is too small), when unboundClaims is on. */
  unbound: fc.boolean(),
  /** The volume is pinned to the zone of a node (a zonal CSI disk) or to the node itself (a
   *  local volume), when volumeNodeAffinity is on; ReadWriteOnce volumes only. */
  pin: fc.option(fc.record({ node: fc.nat(31), zonal: fc.boolean() }), { nil: undefined }),
});
type RawClaim = typeof rawClaimArb extends fc.Arbitrary<infer T> ? T : never;

/** The storage draw, last in the raw record (cases drawn before volumes existed keep every earlier
 *  draw). It is optional: none (a third of the runs, and what it shrinks to in one step) builds no
 *  storage at all, and leaves nothing storage-related to shrink. */
const rawStorageArb = fc.record({
  /** Swarm: how many workloads use a claim (1 about a third, 2 two thirds, 3 all). */
  density: fc.integer({ min: 1, max: 3 }),
  features: flagsOf(STORAGE_FEATURES),
  claims: fc.array(rawClaimArb, { minLength: NAME_SLOTS, maxLength: NAME_SLOTS }),
});
type RawStorage = typeof rawStorageArb extends fc.Arbitrary<infer T> ? T : never;

/** Pod features, drawn after storage (cases drawn before they existed keep every earlier draw),
 *  per name slot: requests at pod level (spec.resources), and a claim turned into a generic
 *  ephemeral volume. None (a third of the runs) changes nothing. */
const rawPodFeaturesArb = fc.array(fc.record({ podLevel: fc.boolean(), ephemeral: fc.boolean() }), { minLength: NAME_SLOTS, maxLength: NAME_SLOTS });
type RawPodFeatures = typeof rawPodFeaturesArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Up to `max` items, at least `min`; below that the case pads with the plainest item. The array
 * itself may be shorter than `min` (down to 0) because fast-check's array shrinker removes items
 * from the front, and from the tail only down to the array's minLength: with minLength 0 every
 * item, the last too, can be shrunk away. (With min > 1, shrinking is not the point: min holds.)
 */
function upTo<T>(item: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> {
  return fc.array(item, { minLength: min > 1 ? min : 0, maxLength: max });
}

/** One independent on/off flag per key (each shrinks to off). */
function flagsOf<K extends string>(keys: readonly K[]): fc.Arbitrary<Record<K, boolean>> {
  return fc.record(Object.fromEntries(keys.map((k) => [k, fc.boolean()]))) as unknown as fc.Arbitrary<Record<K, boolean>>;
}

export interface CaseOptions {
  /** Fault families a run may enable (default: all); the swarm draws a subset of these. */
  faults?: readonly FaultFamily[];
}

/** The arbitrary of whole cases of at most this size. */
export function fuzzCaseArbitrary(size: SizeName | FuzzSize, options: CaseOptions = {}): fc.Arbitrary<FuzzCase> {
  const s = resolveSize(size);
  const allowed = new Set(options.faults ?? FAULT_FAMILIES);
  const horizonS = s.untilS - 30;
  const maxReplicas = Math.max(1, Math.min(s.maxPods, Math.ceil(s.maxPods / 4)));
  const raw = fc.record({
    // Drawn first: the swarm configuration of this run.
    faults: flagsOf(FAULT_FAMILIES),
    features: flagsOf(FEATURES),
    seed: fc.nat(999),
    nodes: upTo(rawNodeArb, s.minNodes, s.maxNodes),
    workloads: upTo(rawWorkloadArb(maxReplicas, horizonS), 1, Math.max(1, Math.min(8, s.maxPods))),
    events: fc.array(rawFaultArb(maxReplicas, horizonS), { maxLength: s.maxEvents }),
    // Drawn last, after everything a case held before volumes were drawn: the same seed and run
    // still draw the same cluster, workloads and faults, and shrinking tries them first.
    storage: fc.option(rawStorageArb, { nil: undefined, freq: 3 }),
    pods: fc.option(rawPodFeaturesArb, { nil: undefined, freq: 3 }),
    // Drawn after the pod features: whether the classed claims' class provisions.
    provisioning: fc.boolean(),
  });
  return raw.map((r) => buildCase(r, s, allowed));
}

// ---------------------------------------------------------------------------------------------
// Raw draw → effective case

interface Raw {
  faults: Record<FaultFamily, boolean>;
  features: Record<Feature, boolean>;
  seed: number;
  nodes: RawNode[];
  workloads: RawWorkload[];
  events: RawFault[];
  storage: RawStorage | undefined;
  pods: RawPodFeatures | undefined;
  provisioning: boolean;
}

function buildCase(r: Raw, s: Required<FuzzSize>, allowed: ReadonlySet<FaultFamily>): FuzzCase {
  const on = (f: Feature) => r.features[f];
  const rawNodes = r.nodes.length >= s.minNodes ? r.nodes : [...r.nodes, ...Array.from({ length: s.minNodes - r.nodes.length }, () => PLAIN_NODE)];
  const nodes = rawNodes.map((n, i) => buildNode(n, `node-${i + 1}`, on));
  const rawWorkloads = r.workloads.length > 0 ? r.workloads : [PLAIN_WORKLOAD];
  const workloads = buildWorkloads(rawWorkloads, s.maxPods, on);
  const storage = buildStorage(r.storage, rawWorkloads, workloads, nodes);
  applyPodFeatures(r.pods, rawWorkloads, workloads, storage);
  const priorityClasses = (['high', 'low'] as const).filter((p) => workloads.some((w) => w.priorityClassName === p));
  const faults = FAULT_FAMILIES.filter((f) => r.faults[f] && allowed.has(f));
  const events = buildEvents(r.events, faults, nodes, workloads, s);
  return {
    seed: r.seed,
    untilS: s.untilS,
    settleS: s.settleS,
    swarm: { faults, features: FEATURES.filter(on), volumes: r.storage?.density ?? 0, storage: [...STORAGE_FEATURES.filter((f) => r.storage?.features[f]), ...(r.storage?.features.storageClasses && r.provisioning ? (['dynamicProvisioning'] as const) : [])] },
    fastEviction: on('fastEviction'),
    nodes,
    priorityClasses,
    workloads,
    events,
    ...storage,
  };
}

function buildNode(n: RawNode, name: string, on: (f: Feature) => boolean): FuzzNode {
  const node: FuzzNode = { name, cpu: n.cpu, memory: n.memory };
  if (on('podsCapacity')) node.pods = n.pods;
  if (on('zones')) node.zone = ZONES[n.zone]!;
  if (on('nodeLabels')) node.labels = { disk: n.disk };
  if (on('taints') && n.taints.length > 0) node.taints = n.taints.map((i) => ({ ...TAINTS[i]! }));
  return node;
}

/** Names drawn per workload (a taken name gets a -2, -3 suffix), and replicas capped so the
 *  initial pods stay within maxPods. */
function buildWorkloads(raws: RawWorkload[], maxPods: number, on: (f: Feature) => boolean): FuzzWorkload[] {
  const out: FuzzWorkload[] = [];
  const taken = new Set<string>();
  let pods = 0;
  for (const w of raws) {
    if (pods >= maxPods) break;
    const kind = w.deployment ? 'Deployment' : 'Pod';
    const name = uniqueName(kind, w.name, taken);
    const workload: FuzzWorkload = { kind, name, image: IMAGES[name] ?? `${name.replace(/-\d+$/, '')}:1`, cpu: CPU[w.cpu]!, memory: MEMORY[w.memory]! };
    if (kind === 'Deployment') workload.replicas = Math.min(w.replicas, maxPods - pods);
    pods += workload.replicas ?? 1;
    out.push(workload);
  }
  // Features second: terms name other workloads, which all have their names by now.
  raws.slice(0, out.length).forEach((w, i) => applyWorkloadFeatures(out[i]!, w, raws, out, on));
  return out;
}

function workloadName(kind: FuzzWorkload['kind'], slot: number): string {
  if (kind === 'Pod') return slot === 0 ? 'db' : `batch-${slot}`;
  const base = DEPLOYMENT_NAMES[slot % NAME_SLOTS]!;
  return slot < NAME_SLOTS ? base : `${base}-${Math.floor(slot / NAME_SLOTS) + 1}`;
}

/** The drawn name, or the next free one of the same family (batch-3, the next Deployment name). */
function uniqueName(kind: FuzzWorkload['kind'], slot: number, taken: Set<string>): string {
  let name = workloadName(kind, slot);
  for (let next = slot + 1; taken.has(name); next++) name = next < 4 * NAME_SLOTS ? workloadName(kind, next) : `${workloadName(kind, slot)}-${next}`;
  taken.add(name);
  return name;
}

function applyWorkloadFeatures(out: FuzzWorkload, w: RawWorkload, raws: RawWorkload[], all: FuzzWorkload[], on: (f: Feature) => boolean): void {
  const named = (slot: number | undefined): string => {
    const i = slot === undefined ? -1 : raws.findIndex((r, j) => j < all.length && r.name === slot);
    return i < 0 ? out.name : all[i]!.name;
  };
  // Selectors name labels the nodes have (a selector on a label no node carries only makes the
  // pod pend); the hostname label is always there.
  const selectors: Array<Record<string, string>> = [
    ...(on('nodeLabels') ? [{ disk: 'ssd' }] : []),
    ...(on('zones') ? [{ [LABEL_ZONE]: 'zone-a' }] : []),
    { [LABEL_HOSTNAME]: 'node-1' },
  ];
  if (on('nodeSelector') && w.nodeSelector !== undefined) out.nodeSelector = selectors[w.nodeSelector % selectors.length]!;
  if (on('nodeAffinity') && w.nodeAffinity) {
    const a = w.nodeAffinity;
    const required = !a.preferred;
    if (a.zoneRule && on('zones')) out.nodeAffinity = { required, key: LABEL_ZONE, operator: 'In', values: ['zone-a', 'zone-b'] };
    else if (on('nodeLabels')) out.nodeAffinity = { required, key: 'disk', operator: 'NotIn', values: ['hdd'] };
    else out.nodeAffinity = { required, key: LABEL_HOSTNAME, operator: 'NotIn', values: ['node-1'] };
  }
  if (on('tolerations') && w.tolerations.length > 0) out.tolerations = w.tolerations.map((i) => toleration(TAINTS[i]!));
  const term = (t: RawWorkload['podAffinity']): FuzzPodAffinity | undefined =>
    t && { app: named(t.other), topologyKey: t.zone ? LABEL_ZONE : LABEL_HOSTNAME, required: !t.preferred };
  if (on('podAffinity') && w.podAffinity) out.podAffinity = term(w.podAffinity)!;
  if (on('podAntiAffinity') && w.podAntiAffinity) out.podAntiAffinity = term(w.podAntiAffinity)!;
  if (on('topologySpread') && w.spread) {
    out.spread = { maxSkew: w.spread.skew2 ? 2 : 1, topologyKey: w.spread.hostname ? LABEL_HOSTNAME : LABEL_ZONE, whenUnsatisfiable: w.spread.soft ? 'ScheduleAnyway' : 'DoNotSchedule' };
  }
  if (on('priorities') && w.priority > 0) out.priorityClassName = w.priority === 1 ? 'high' : 'low';
  if (on('hostPorts') && w.hostPort !== undefined) out.hostPort = w.hostPort;
  if (on('lateStart') && w.startAtS !== undefined) out.startAtS = w.startAtS;
}

/** A toleration of exactly this taint: Equal when it has a value, Exists otherwise. */
function toleration(t: FuzzTaint): FuzzToleration {
  return t.value === undefined ? { key: t.key, operator: 'Exists', effect: t.effect } : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect };
}

// ---------------------------------------------------------------------------------------------
// Storage

/**
 * Claims for the workloads whose slot's roll is under the density, each with a pre-provisioned
 * volume the PV controller can bind it to (or, drawn unbound, one too small for it): `data-<name>`
 * and `pv-1`, `pv-2`, … in workload order. ReadWriteOnce volumes are CSI disks (attachable: the
 * Multi-Attach rule applies), ReadWriteMany ones NFS shares; a pinned volume is a zonal CSI disk
 * (when the nodes have zones) or a node's local disk. Sets each such workload's `claim`.
 */
function buildStorage(r: RawStorage | undefined, raws: RawWorkload[], workloads: FuzzWorkload[], nodes: FuzzNode[]): Pick<FuzzCase, 'storageClasses' | 'volumes' | 'claims'> {
  const out: Pick<FuzzCase, 'storageClasses' | 'volumes' | 'claims'> = { storageClasses: [], volumes: [], claims: [] };
  if (r === undefined) return out;
  const on = (f: (typeof STORAGE_FEATURES)[number]) => r.features[f];
  workloads.forEach((w, i) => {
    const c: RawClaim | undefined = r.claims[raws[i]!.name];
    if (!c || c.roll >= r.density) return;
    const accessMode: FuzzAccessMode = on('readWriteMany') && c.rwx ? 'ReadWriteMany' : 'ReadWriteOnce';
    const storageClassName = on('storageClasses') && c.classed ? STORAGE_CLASS.name : undefined;
    const request = 1 + c.size;
    const capacity = on('unboundClaims') && c.unbound ? request - 1 : request + c.spare;
    const claim: FuzzClaim = { name: `data-${w.name}`, accessMode, storage: STORAGE_SIZES[request]!, ...(storageClassName ? { storageClassName } : {}) };
    const volume: FuzzVolume = { name: `pv-${out.volumes.length + 1}`, capacity: STORAGE_SIZES[capacity]!, accessMode, ...(storageClassName ? { storageClassName } : {}), source: accessMode === 'ReadWriteMany' ? 'nfs' : 'csi' };
    if (on('volumeNodeAffinity') && c.pin && accessMode === 'ReadWriteOnce' && nodes.length > 0) {
      const node = nodes[c.pin.node % nodes.length]!;
      if (c.pin.zonal && node.zone !== undefined) volume.nodeAffinity = { key: LABEL_ZONE, values: [node.zone] };
      else Object.assign(volume, { source: 'local', nodeAffinity: { key: LABEL_HOSTNAME, values: [node.name] } });
    }
    w.claim = claim.name;
    out.claims.push(claim);
    out.volumes.push(volume);
    if (storageClassName && !out.storageClasses.includes(storageClassName)) out.storageClasses.push(storageClassName);
  });
  return out;
}

/**
 * Pod-level requests, and generic ephemeral volumes: a workload whose slot says so and that has a
 * claim mounts it as an ephemeral volume instead (its pods each get a claim from it), and the
 * claim's volume gets copies, appended after every other volume, so that each pod of the
 * workload, and one replacement, can find one (a pre-provisioned pool: kubedrill provisions none).
 */
function applyPodFeatures(r: RawPodFeatures | undefined, raws: RawWorkload[], workloads: FuzzWorkload[], storage: Pick<FuzzCase, 'volumes' | 'claims'>): void {
  if (r === undefined) return;
  const copies: FuzzVolume[] = [];
  workloads.forEach((w, i) => {
    const f = r[raws[i]!.name];
    if (!f) return;
    if (f.podLevel) w.podLevelResources = true;
    const k = f.ephemeral && w.claim !== undefined ? storage.claims.findIndex((c) => c.name === w.claim) : -1;
    if (k < 0) return;
    storage.claims[k] = { ...storage.claims[k]!, ephemeral: true };
    const volume = storage.volumes[k]!;
    const pods = w.kind === 'Pod' ? 1 : w.replicas ?? 1;
    for (let n = 0; n < pods; n++) copies.push({ ...volume, name: '' });
  });
  for (const v of copies) {
    v.name = `pv-${storage.volumes.length + 1}`;
    storage.volumes.push(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Faults → events

interface Timed {
  atS: number;
  order: number;
  action: FuzzAction;
}

const ENDING: Partial<Record<FaultFamily, 'recoverNode' | 'healNode' | 'uncordon'>> = { failNode: 'recoverNode', partitionNode: 'healNode', cordon: 'uncordon', drain: 'uncordon' };

/**
 * Expands the faults in time order against the cluster as it is at each instant: node faults
 * pick among the nodes that exist then, deletes among the bare pods that exist then, scales
 * among the Deployments. A fault with a duration also schedules its end (recoverNode, healNode,
 * uncordon). Events that would name a node removed by then are dropped, so every event of the
 * case is one the API accepts.
 */
function buildEvents(raws: RawFault[], families: FaultFamily[], nodes: FuzzNode[], workloads: FuzzWorkload[], s: Required<FuzzSize>): FuzzEvent[] {
  const lateStarts = workloads.filter((w) => w.startAtS !== undefined).map((w) => ({ atS: w.startAtS!, order: -1, action: { type: 'create', workload: w.name } as FuzzAction }));
  if (families.length === 0) return dropStale(lateStarts);
  const maxPods = s.maxPods;
  const primaries = raws.map((f, i) => ({ f, i, family: families[f.pick % families.length]! })).sort((a, b) => a.f.atS - b.f.atS || a.i - b.i);
  const live = nodes.map((n) => n.name);
  let nextNode = nodes.length + 1;
  const deletedPods = new Set<string>();
  const peaks = new Map(workloads.map((w) => [w.name, w.kind === 'Pod' ? 1 : w.replicas ?? 1]));
  let podsPeak = [...peaks.values()].reduce((a, b) => a + b, 0);
  const timed: Timed[] = [];
  const push = (atS: number, action: FuzzAction) => timed.push({ atS, order: timed.length, action });
  const started = (w: FuzzWorkload, atS: number) => w.startAtS === undefined || w.startAtS < atS;
  for (const { f, family } of primaries) {
    switch (family) {
      case 'addNode': {
        const shape = nodes[f.target % nodes.length]!;
        const node: FuzzNode = { ...shape, name: `node-${nextNode++}` };
        live.push(node.name);
        push(f.atS, { type: 'addNode', node });
        break;
      }
      case 'deletePod': {
        const pods = workloads.filter((w) => w.kind === 'Pod' && started(w, f.atS) && !deletedPods.has(w.name));
        if (pods.length === 0) break;
        const pod = pods[f.target % pods.length]!.name;
        deletedPods.add(pod);
        push(f.atS, { type: 'deletePod', pod });
        break;
      }
      case 'scale': {
        const deployments = workloads.filter((w) => w.kind === 'Deployment' && started(w, f.atS));
        if (deployments.length === 0) break;
        const name = deployments[f.target % deployments.length]!.name;
        const peak = peaks.get(name)!;
        const replicas = Math.min(f.replicas, peak + maxPods - podsPeak);
        podsPeak += Math.max(0, replicas - peak);
        peaks.set(name, Math.max(peak, replicas));
        push(f.atS, { type: 'scale', deployment: name, replicas });
        break;
      }
      default: {
        if (live.length === 0) break;
        const node = live[f.target % live.length]!;
        if (family === 'removeNode') live.splice(live.indexOf(node), 1);
        push(f.atS, family === 'drain' ? { type: 'drain', node } : { type: family, node });
        const end = ENDING[family];
        const endS = f.forS === undefined ? undefined : f.atS + f.forS;
        if (end && endS !== undefined && endS <= s.untilS) push(endS, { type: end, node });
        // Before a settle phase every machine fault ends (as VOPR heals the cluster before
        // judging liveness): liveness is about what the control plane does once faults stop.
        else if (s.settleS > 0 && (family === 'failNode' || family === 'partitionNode')) push(s.untilS, { type: ENDING[family]!, node });
      }
    }
  }
  for (const c of lateStarts) push(c.atS, c.action);
  return dropStale(timed);
}

/** Sorted by time (then generation order), without events on nodes removed before them. */
function dropStale(timed: Timed[]): FuzzEvent[] {
  timed.sort((a, b) => a.atS - b.atS || a.order - b.order);
  const removed = new Set<string>();
  const out: FuzzEvent[] = [];
  for (const t of timed) {
    const node = 'node' in t.action && typeof t.action.node === 'string' ? t.action.node : undefined;
    if (node !== undefined && removed.has(node)) continue;
    if (t.action.type === 'removeNode') removed.add(t.action.node);
    out.push({ atS: t.atS, action: t.action });
  }
  return out;
}
