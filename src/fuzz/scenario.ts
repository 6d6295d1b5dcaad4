// A fuzz case as a scenario: the same YAML a person would write, loaded by the same loader, so a
// case run by the fuzzer and the file it emits are one and the same thing (as fast-check's
// commands print themselves as code: here, a shrunk failure *is* a scenario file).
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { formatDuration } from '../engine/time.js';
import { loadGeneratedDocument, loadJsonText, loadText } from '../scenario/load.js';
import { formatLoadError, type LoadResult, type Scenario } from '../scenario/types.js';
import { type FuzzAction, type FuzzCase, type FuzzClaim, caseSize, CSI_DRIVER, type FuzzNode, type FuzzPodAffinity, type FuzzVolume, type FuzzWorkload, PRIORITY_VALUES, STORAGE_CLASS } from './arbitraries.js';

/** What broke, for the emitted file's description. */
export interface FailureSummary {
  /** An invariant name, `step-budget` (the run never ended) or `crash` (kubedrill or a plugin threw). */
  invariant: string;
  /** A liveness invariant, judged at the end of the settle phase. */
  liveness?: boolean;
  timeMs: number;
  objects: string[];
  message: string;
}

export interface EmitMeta {
  /** Scenario name (default `fuzz-<invariant>-<seed>`, or `fuzz-case`). */
  name?: string;
  failure?: FailureSummary;
  /** How the fuzzer found it: its seed, the counterexample's path, runs and shrink steps. */
  found?: { seed: number; path: string; runs: number; shrinkSteps: number; replayCommand?: string };
  /** Whether the same scenario keeps the invariants under kube-scheduler's default profile. */
  passesUnderDefault?: boolean;
  /** `default`, a path to a KubeSchedulerConfiguration (relative to the file), or one inline. */
  scheduler?: string | Record<string, unknown>;
  /** Invariants to check; omitted means all. */
  invariants?: string[];
  /** `$schema` of the modeline, relative to the file; omitted: no modeline. */
  schemaPath?: string;
  /** Write the case's settle phase (default true; a failure before `until` does not need it). */
  settle?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Case → plain scenario data

/** Go-style duration text without zero parts: 45s, 1m, 1m30s, 1h5m. */
export function durationText(seconds: number): string {
  if (seconds === 0) return '0s';
  return formatDuration(seconds * 1000).replace(/(\D)0s$/, '$1').replace(/(\D)0m$/, '$1');
}

/** The scenario document of a case, as plain data (key order is the file's order). */
export function caseDocument(c: FuzzCase, meta: EmitMeta = {}): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: meta.name ?? defaultName(meta) };
  const description = describe(c, meta);
  if (description) doc.description = description;
  doc.seed = c.seed;
  doc.until = durationText(c.untilS);
  if (c.settleS > 0 && meta.settle !== false) doc.settle = durationText(c.settleS);
  const cluster: Record<string, unknown> = {};
  if (meta.scheduler !== undefined) cluster.scheduler = meta.scheduler;
  if (c.fastEviction) cluster.controlPlane = { defaultNotReadyTolerationSeconds: 30, defaultUnreachableTolerationSeconds: 30 };
  cluster.nodes = nodeShorthands(c.nodes);
  const objects = [
    ...c.priorityClasses.map(priorityClass),
    // Volumes before claims, so the PV controller has made them Available when it first syncs the
    // claims (at the same instant), as an administrator's pre-provisioned volumes would be.
    ...c.storageClasses.map((name) => storageClass(name, c.swarm.storage.includes('waitForFirstConsumer'), c.swarm.storage.includes('dynamicProvisioning'))),
    ...c.volumes.map(persistentVolume),
    ...c.claims.filter((k) => !k.ephemeral).map(claim),
    ...c.workloads.filter((w) => w.startAtS === undefined).map((w) => manifest(w, c)),
  ];
  if (objects.length > 0) cluster.objects = objects;
  doc.cluster = cluster;
  if (c.events.length > 0) doc.events = c.events.map((e) => ({ at: durationText(e.atS), ...eventAction(e.action, c) }));
  if (meta.invariants !== undefined) doc.invariants = meta.invariants;
  return doc;
}

function defaultName(meta: EmitMeta): string {
  if (!meta.failure) return 'fuzz-case';
  return meta.found ? `fuzz-${meta.failure.invariant}-${meta.found.seed}` : `fuzz-${meta.failure.invariant}`;
}

/** Shorthand entries; consecutive nodes that differ only by their number share one `{a..b}` entry. */
function nodeShorthands(nodes: FuzzNode[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let i = 0;
  while (i < nodes.length) {
    const shape = JSON.stringify(nodeShape(nodes[i]!));
    let j = i + 1;
    while (j < nodes.length && JSON.stringify(nodeShape(nodes[j]!)) === shape && numbered(nodes[j]!.name) === numbered(nodes[j - 1]!.name)! + 1) j++;
    const first = numbered(nodes[i]!.name);
    const name = j - i > 1 && first !== undefined ? `node-{${first}..${first + j - i - 1}}` : nodes[i]!.name;
    out.push(nodeShorthand(nodes[i]!, name));
    i = j;
  }
  return out;
}

function numbered(name: string): number | undefined {
  const m = /^node-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function nodeShape(n: FuzzNode): Record<string, unknown> {
  const { name: _name, ...shape } = n;
  return shape;
}

function nodeShorthand(n: FuzzNode, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name };
  if (n.zone !== undefined) out.zone = n.zone;
  out.capacity = { cpu: n.cpu, memory: n.memory, ...(n.pods !== undefined ? { pods: n.pods } : {}) };
  if (n.labels) out.labels = { ...n.labels };
  if (n.taints) out.taints = n.taints.map((t) => ({ ...t }));
  return out;
}

function priorityClass(name: 'high' | 'low'): Record<string, unknown> {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: PRIORITY_VALUES[name] };
}

function storageClass(name: string, waitForFirstConsumer: boolean, provisions: boolean): Record<string, unknown> {
  const provisioner = name === STORAGE_CLASS.name && provisions ? CSI_DRIVER : STORAGE_CLASS.provisioner;
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...(waitForFirstConsumer ? { volumeBindingMode: 'WaitForFirstConsumer' } : {}) };
}

function persistentVolume(v: FuzzVolume): Record<string, unknown> {
  const spec: Record<string, unknown> = { capacity: { storage: v.capacity }, accessModes: [v.accessMode] };
  if (v.storageClassName !== undefined) spec.storageClassName = v.storageClassName;
  if (v.source === 'csi') spec.csi = { driver: CSI_DRIVER, volumeHandle: `vol-${v.name.replace(/^pv-/, '')}` };
  else if (v.source === 'nfs') spec.nfs = { server: 'nfs.example', path: `/export/${v.name}` };
  else spec.local = { path: `/mnt/disks/${v.name}` };
  if (v.nodeAffinity) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: v.nodeAffinity.key, operator: 'In', values: [...v.nodeAffinity.values] }] }] } };
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: v.name }, spec };
}

function claimSpec(c: FuzzClaim): Record<string, unknown> {
  // No class is written as "" (not left out), so a default StorageClass could never adopt it.
  return { accessModes: [c.accessMode], storageClassName: c.storageClassName ?? '', resources: { requests: { storage: c.storage } } };
}

function claim(c: FuzzClaim): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: c.name }, spec: claimSpec(c) };
}

function manifest(w: FuzzWorkload, c: FuzzCase): Record<string, unknown> {
  const labels = { app: w.name };
  if (w.kind === 'Pod') return { apiVersion: 'v1', kind: 'Pod', metadata: { name: w.name, labels }, spec: podSpec(w, c) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name },
    spec: { replicas: w.replicas ?? 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(w, c) } },
  };
}

function podSpec(w: FuzzWorkload, c: FuzzCase): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (w.priorityClassName) spec.priorityClassName = w.priorityClassName;
  if (w.nodeSelector) spec.nodeSelector = { ...w.nodeSelector };
  if (w.tolerations) spec.tolerations = w.tolerations.map((t) => ({ ...t }));
  const affinity = affinityOf(w);
  if (affinity) spec.affinity = affinity;
  if (w.spread) spec.topologySpreadConstraints = [{ ...w.spread, labelSelector: { matchLabels: { app: w.name } } }];
  const requests = { requests: { cpu: w.cpu, memory: w.memory } };
  if (w.podLevelResources) spec.resources = requests;
  const container: Record<string, unknown> = { name: w.name.replace(/-\d+$/, ''), image: w.image, ...(w.podLevelResources ? {} : { resources: requests }) };
  if (w.hostPort !== undefined) container.ports = [{ containerPort: w.hostPort, hostPort: w.hostPort }];
  if (w.claim !== undefined) container.volumeMounts = [{ name: 'data', mountPath: '/data' }];
  spec.containers = [container];
  const claim = w.claim === undefined ? undefined : c.claims.find((k) => k.name === w.claim);
  if (claim?.ephemeral) spec.volumes = [{ name: 'data', ephemeral: { volumeClaimTemplate: { spec: claimSpec(claim) } } }];
  else if (w.claim !== undefined) spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: w.claim } }];
  return spec;
}

function affinityOf(w: FuzzWorkload): Record<string, unknown> | undefined {
  const affinity: Record<string, unknown> = {};
  const a = w.nodeAffinity;
  if (a) {
    const term = { matchExpressions: [{ key: a.key, operator: a.operator, values: [...a.values] }] };
    affinity.nodeAffinity = a.required
      ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } }
      : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: term }] };
  }
  if (w.podAffinity) affinity.podAffinity = podAffinityOf(w.podAffinity);
  if (w.podAntiAffinity) affinity.podAntiAffinity = podAffinityOf(w.podAntiAffinity);
  return Object.keys(affinity).length > 0 ? affinity : undefined;
}

function podAffinityOf(t: FuzzPodAffinity): Record<string, unknown> {
  const term = { labelSelector: { matchLabels: { app: t.app } }, topologyKey: t.topologyKey };
  return t.required ? { requiredDuringSchedulingIgnoredDuringExecution: [term] } : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

function eventAction(a: FuzzAction, c: FuzzCase): Record<string, unknown> {
  switch (a.type) {
    case 'drain':
      return { drain: { node: a.node } };
    case 'addNode':
      return { addNode: nodeShorthand(a.node, a.node.name) };
    case 'deletePod':
      return { delete: { kind: 'Pod', name: a.pod } };
    case 'scale':
      return { scale: { kind: 'Deployment', name: a.deployment, replicas: a.replicas } };
    case 'create':
      return { create: manifest(c.workloads.find((w) => w.name === a.workload)!, c) };
    default:
      return { [a.type]: a.node };
  }
}

// ---------------------------------------------------------------------------------------------
// The description: what broke, where, and how it was found

function describe(c: FuzzCase, meta: EmitMeta): string | undefined {
  const f = meta.failure;
  if (!f) return undefined;
  const parts: string[] = [];
  const what = f.invariant === 'step-budget' ? 'the run never settled' : f.invariant === 'crash' ? 'the run crashed' : `the ${f.liveness ? 'liveness' : 'safety'} invariant ${f.invariant} broke`;
  parts.push(`At ${formatDuration(f.timeMs)} ${what}: ${f.message.replace(/\s+/g, ' ').trim()}${/[.!?]$/.test(f.message.trim()) ? '' : '.'}`);
  if (f.objects.length > 0) parts.push(`Objects: ${f.objects.join(', ')}.`);
  const size = caseSize(c);
  parts.push(`The case: ${plural(size.nodes, 'node')}, ${plural(size.pods, 'pod')}, ${plural(size.events, 'event')}${size.events ? ` (${[...new Set(c.events.map((e) => e.action.type))].join(', ')})` : ''}.`);
  if (meta.passesUnderDefault !== undefined) {
    parts.push(meta.passesUnderDefault ? "Under kube-scheduler's default profile the same scenario keeps every invariant, so the policy under test is at fault." : "It fails under kube-scheduler's default profile as well.");
  }
  if (meta.found) parts.push(`Found by kubedrill fuzz with seed ${meta.found.seed} at run ${meta.found.runs}, shrunk in ${plural(meta.found.shrinkSteps, 'step')}.`);
  return parts.join(' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Comment lines after the modeline: where the case came from and how to replay the fuzz run. */
function headerComments(meta: EmitMeta): string[] {
  const found = meta.found;
  if (!found) return [];
  const lines = [`kubedrill fuzz, seed ${found.seed}: broken at run ${found.runs}, shrunk in ${plural(found.shrinkSteps, 'step')} (fast-check path ${found.path}).`];
  if (found.replayCommand) lines.push('Replay the fuzz case:', `  ${found.replayCommand}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The case as a scenario file: modeline, then the document with short collections in flow style. */
export function emitScenarioYaml(c: FuzzCase, meta: EmitMeta = {}): string {
  const doc = new Document(caseDocument(c, meta), { aliasDuplicateObjects: false });
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'description' && isScalar(pair.value)) pair.value.type = 'BLOCK_FOLDED';
      if (key === 'invariants' && isSeq(pair.value)) pair.value.flow = true;
      else if (isMap(pair.value) || isSeq(pair.value)) flowShort(pair.value, 2, false, key === 'cluster' ? 'lists' : 'items');
    }
  }
  const text = doc.toString({ lineWidth: WIDTH, flowCollectionPadding: false });
  const header = [...(meta.schemaPath !== undefined ? [`yaml-language-server: $schema=${meta.schemaPath}`] : []), ...headerComments(meta)];
  return header.map((l) => `# ${l}\n`).join('') + text;
}

const WIDTH = 100;

/**
 * Flow style for collections that fit on their line (`capacity: {cpu: "4", memory: 8Gi}`,
 * `- {at: 1m, failNode: node-1}`), as the example scenarios are written; manifests (maps with
 * apiVersion) and the scenario's own lists (nodes, objects, events) stay in block style, as
 * people write them. `indent` is the column of the node's block content, `startColumn` where it
 * would begin in flow style (after its key or dash); `keep` says which levels stay in block.
 */
function flowShort(node: unknown, indent: number, startColumn: number | false, keep: 'lists' | 'items' | 'none' = 'none'): void {
  if (!isMap(node) && !isSeq(node)) return;
  const isManifest = isMap(node) && node.items.some((p) => isScalar(p.key) && p.key.value === 'apiVersion');
  if (startColumn !== false && keep === 'none' && !isManifest && startColumn + flowLength(node.toJSON()) <= WIDTH) {
    node.flow = true;
    return;
  }
  if (isSeq(node)) for (const item of node.items) flowShort(item, indent + 2, indent + 2);
  else for (const pair of node.items) flowShort(pair.value, indent + 2, indent + (isScalar(pair.key) ? String(pair.key.value).length : 0) + 2, keep === 'lists' ? 'items' : 'none');
}

/** Length of a value written in flow style, near enough (quotes counted for strings that need them). */
function flowLength(v: unknown): number {
  if (Array.isArray(v)) return 2 + v.reduce<number>((n, x, i) => n + flowLength(x) + (i > 0 ? 2 : 0), 0);
  if (v !== null && typeof v === 'object') return 2 + Object.entries(v).reduce<number>((n, [k, x], i) => n + k.length + 2 + flowLength(x) + (i > 0 ? 2 : 0), 0);
  const s = String(v);
  return typeof v === 'string' && /^[\d.]+$|[{}[\],:#&*!|>'"%@`]/.test(s) ? s.length + 2 : s.length;
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * The case as the loader sees it; throws if the loader rejects it (a fuzzer bug, never the
 * policy's). The text is the document in JSON, which is YAML too (and quicker to write and parse
 * than block style): the same loader and defaults as a user's file. loadJsonText reads it with
 * JSON.parse instead of the YAML parser, with the same data and source positions. With
 * `validated: false` (each fuzz run's case) the loader takes the document itself, with no text
 * written or parsed, and leaves out the schema validation, which every generated case passes
 * (test/fuzz/arbitraries.test.ts checks that they pass it; test/fuzz/fuzz.test.ts that both
 * ways give the same scenario).
 */
export function caseToScenario(c: FuzzCase, meta: EmitMeta = {}, file = 'fuzz-case.yaml', validated = true): Scenario {
  const doc = caseDocument(c, meta);
  if (validated) return loadScenarioText(JSON.stringify(doc), file, loadJsonText);
  return theScenario(loadGeneratedDocument(doc, file), () => JSON.stringify(doc));
}

export function loadScenarioText(text: string, file: string, load: typeof loadText = loadText): Scenario {
  return theScenario(load(text, file), () => text);
}

function theScenario(loaded: LoadResult, text: () => string): Scenario {
  if (loaded.errors.length > 0 || loaded.scenarios.length !== 1) {
    throw new Error(`internal: a generated scenario did not load:\n${loaded.errors.map(formatLoadError).join('\n')}\n---\n${text()}`);
  }
  return loaded.scenarios[0]!;
}

