// Loading scenario files: YAML (with line/column) → validated documents → Scenario values with
// every time in milliseconds, node shorthand expanded, includes and the scheduler policy resolved.
// Nothing here throws on bad input: every problem is a LoadError located in its file.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { KINDS, isKind, type AnyObject, type Node } from '../api/types.js';
import { DEFAULT_CONTROL_PLANE, type ControlPlaneConfig } from '../cluster/config.js';
import { parseDuration } from '../engine/time.js';
import { fsMessage, loadIncludes, readInputFile, withDefaultNamespace } from './include.js';
import { nodesFromShorthand, type NodeShorthand } from './nodes.js';
import type {
  EventAction, Expectation, InvariantSelection, LoadError, LoadResult, Located, Matcher, ObjectRef, Scenario,
  ScenarioEvent, SchedulerSpec, SourceLocation, TimeQualifier,
} from './types.js';
import {
  EVENT_ACTIONS, checkNodeReferences, ownJsonDocument, parseJsonDocument, parseTextMatcher, parseYamlDocuments, validateScenarioData,
  type Locator, type NamedAt, type ParsedDocument, type PathSegment,
} from './validate.js';

export interface LoadOptions {
  /** Overrides every scenario's `seed` (the command line's `--seed`). */
  seed?: number;
}

/** `until` when a scenario does not say. */
export const DEFAULT_UNTIL_MS = 600_000;
const SCHEDULER_API_VERSION = 'kubescheduler.config.k8s.io/v1';
const SCHEDULER_KIND = 'KubeSchedulerConfiguration';

/** The scenario document after schema validation (the schema guarantees these shapes). */
interface RawScenario {
  name: string;
  description?: string;
  seed?: number;
  until?: string | number;
  settle?: string | number;
  cluster?: {
    scheduler?: string | Record<string, unknown>;
    nodes?: NodeShorthand[];
    objects?: AnyObject[];
    include?: string[];
    controlPlane?: Record<string, string | number>;
  };
  events?: Array<Record<string, unknown>>;
  expect?: Array<Record<string, unknown>>;
  invariants?: string | string[];
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Loads every scenario of one file. */
export function loadFile(path: string, options: LoadOptions = {}): LoadResult {
  const read = readInputFile(path);
  if (!read.ok) return { scenarios: [], errors: [fileError(path, read.message)] };
  return loadText(read.text, path, options);
}

/** Loads every scenario of a YAML text, as if read from `file` (includes resolve relative to it). */
export function loadText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  return loadScenarioText(text, file, options, false);
}

/** loadText for a text that is most likely one line of JSON (JSON.stringify's; the fuzzer's
 *  cases): the same result, without the YAML parser when the text is such JSON. */
export function loadJsonText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  return loadScenarioText(text, file, options, false, parseJsonDocument(text, file));
}

/**
 * loadJsonText(JSON.stringify(document), file) for a document kubedrill built itself (the
 * fuzzer's cases, thousands a second): the same scenario, without writing or parsing the text
 * (see ownJsonDocument) and without the schema validation, which such a document always passes
 * (test/fuzz checks that generated cases validate). Cross-reference errors are still reported.
 */
export function loadGeneratedDocument(document: Record<string, unknown>, file: string): LoadResult {
  return loadScenarioText('', file, {}, false, ownJsonDocument(document, file), false);
}

/**
 * Loads files and folders, in argument order; a folder contributes its `*.yaml`/`*.yml` files,
 * recursively, sorted by path (hidden entries skipped). In folders, files that hold only
 * Kubernetes manifests (documents with apiVersion and kind, such as included manifests or a
 * KubeSchedulerConfiguration) are not scenarios and are skipped.
 */
export function loadPaths(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { scenarios: [], errors: [] };
  const seen = new Set<string>();
  const add = (r: LoadResult): void => {
    result.scenarios.push(...r.scenarios);
    result.errors.push(...r.errors);
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (err) {
      result.errors.push(fileError(path, fsMessage(err)));
      continue;
    }
    const files = isDirectory ? findYamlFiles(path) : [path];
    for (const file of files) {
      if (seen.has(resolve(file))) continue;
      seen.add(resolve(file));
      if (!isDirectory) add(loadFile(file, options));
      else add(loadFolderFile(file, options));
    }
  }
  return result;
}

function loadFolderFile(file: string, options: LoadOptions): LoadResult {
  const read = readInputFile(file);
  if (!read.ok) return { scenarios: [], errors: [fileError(file, read.message)] };
  return loadScenarioText(read.text, file, options, true);
}

/** `*.yaml` and `*.yml` files under `dir`, sorted by path; hidden entries and symlinked folders are skipped. */
export function findYamlFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name) && (entry.isFile() || isFileTarget(path))) files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function fileError(file: string, message: string): LoadError {
  return { file, line: 1, column: 1, path: '', message };
}

// ---------------------------------------------------------------------------------------------
// One file

function looksLikeManifest(data: unknown): data is { kind: unknown } {
  return isRecord(data) && 'apiVersion' in data && 'kind' in data && !('name' in data);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loadScenarioText(text: string, file: string, options: LoadOptions, skipManifestFiles: boolean, parsed?: ReturnType<typeof parseYamlDocuments>, validate = true): LoadResult {
  const { documents, errors } = parsed ?? parseYamlDocuments(text, file);
  if (skipManifestFiles && errors.length === 0 && documents.length > 0 && documents.every((d) => looksLikeManifest(d.data))) {
    return { scenarios: [], errors: [] };
  }
  if (documents.length === 0 && errors.length === 0) return { scenarios: [], errors: [fileError(file, 'no scenario in this file')] };
  const scenarios: Scenario[] = [];
  const names = new Map<string, SourceLocation>();
  for (const doc of documents) {
    if (looksLikeManifest(doc.data)) {
      errors.push(doc.locator.error([], `this document is a Kubernetes manifest (kind ${String(doc.data.kind)}), not a scenario; list it under cluster.objects or cluster.include`));
      continue;
    }
    const loaded = loadScenarioDocument(doc, file, options, validate);
    errors.push(...loaded.errors);
    if (!loaded.scenario) continue;
    const earlier = names.get(loaded.scenario.name);
    if (earlier) {
      errors.push(doc.locator.error(['name'], `duplicate scenario name ${JSON.stringify(loaded.scenario.name)} (also used at line ${earlier.line})`));
      continue;
    }
    names.set(loaded.scenario.name, loaded.scenario.loc);
    scenarios.push(loaded.scenario);
  }
  return { scenarios, errors };
}

function loadScenarioDocument(doc: ParsedDocument, file: string, options: LoadOptions, validate = true): { scenario?: Scenario; errors: LoadError[] } {
  const errors = validate ? validateScenarioData(doc.data, doc.locator) : [];
  if (errors.length > 0) return { errors };
  return buildScenario(doc.data as RawScenario, doc, file, options);
}

// ---------------------------------------------------------------------------------------------
// Building a scenario from a valid document

/** Orchestrates the parts of one scenario; each part reports its own located errors. */
function buildScenario(raw: RawScenario, doc: ParsedDocument, file: string, options: LoadOptions): { scenario?: Scenario; errors: LoadError[] } {
  const locator = doc.locator;
  const untilMs = raw.until === undefined ? DEFAULT_UNTIL_MS : durationMs(raw.until);
  const cluster = raw.cluster ?? {};
  const scheduler = resolveScheduler(cluster.scheduler, file, locator);
  const nodes = clusterNodes(cluster.nodes ?? [], locator);
  const objects = (cluster.objects ?? []).map((object, i) => ({ value: withDefaultNamespace(object), loc: locator.locate(['cluster', 'objects', i]) }));
  const includeEntries = (cluster.include ?? []).map((pattern, i) => ({ pattern, loc: locator.locate(['cluster', 'include', i]) }));
  const included = loadIncludes(includeEntries, file);
  const events = (raw.events ?? []).map((event, i) => buildEvent(event, locator.locate(['events', i])));
  const expect = (raw.expect ?? []).map((x, i) => buildExpectation(x, untilMs, locator.locate(['expect', i])));
  const allObjects = [...objects, ...included.objects];
  const errors = [...scheduler.errors, ...included.errors, ...nodeReferenceErrors(nodes.names, allObjects, events, locator)];
  if (errors.length > 0) return { errors };
  const scenario: Scenario = {
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    file,
    documentIndex: doc.index,
    loc: locator.locate([]),
    seed: options.seed ?? raw.seed ?? 0,
    untilMs,
    ...(raw.settle !== undefined ? { settleMs: durationMs(raw.settle) } : {}),
    cluster: { scheduler: scheduler.spec, nodes: nodes.located, objects: allObjects, controlPlane: buildControlPlane(cluster.controlPlane) },
    events,
    expect,
    invariants: buildInvariants(raw.invariants),
  };
  return { scenario, errors: [] };
}

/** The Node objects of the shorthand entries, and their names located at each entry's `name`. */
function clusterNodes(entries: NodeShorthand[], locator: Locator): { located: Array<Located<Node>>; names: NamedAt[] } {
  const located: Array<Located<Node>> = [];
  const names: NamedAt[] = [];
  entries.forEach((entry, i) => {
    const loc = locator.locate(['cluster', 'nodes', i]);
    const nameLoc = locator.locate(['cluster', 'nodes', i, 'name']);
    for (const node of nodesFromShorthand(entry)) {
      located.push({ value: node, loc });
      names.push({ name: node.metadata.name, loc: nameLoc });
    }
  });
  return { located, names };
}

function durationMs(value: unknown): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new Error(`internal: a validated duration did not parse: ${parsed.message}`);
  return parsed.ms;
}

/** controlPlane keys are ControlPlaneConfig's field names without `Ms`; those fields take durations. */
function buildControlPlane(raw: Record<string, string | number> | undefined): ControlPlaneConfig {
  const config: ControlPlaneConfig = { ...DEFAULT_CONTROL_PLANE };
  const fields = config as unknown as Record<string, number>;
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (`${key}Ms` in fields) fields[`${key}Ms`] = durationMs(value);
    else if (key in fields && typeof value === 'number') fields[key] = value;
  }
  return config;
}

function buildInvariants(raw: string | string[] | undefined): InvariantSelection {
  if (raw === undefined || raw === 'all') return { kind: 'all' };
  if (raw === 'none') return { kind: 'none' };
  return { kind: 'list', names: [...(raw as string[])] };
}

// ---------------------------------------------------------------------------------------------
// Scheduler policy

function resolveScheduler(value: string | Record<string, unknown> | undefined, file: string, locator: Locator): { spec: SchedulerSpec; errors: LoadError[] } {
  if (value === undefined || value === 'default') return { spec: { kind: 'default' }, errors: [] };
  if (typeof value === 'object') {
    return { spec: { kind: 'config', config: structuredClone(value), loc: locator.locate(['cluster', 'scheduler']), baseDir: dirname(file) }, errors: [] };
  }
  const path = isAbsolute(value) ? value : join(dirname(file), value);
  if (isPluginModulePath(path)) return { spec: { kind: 'module', path, loc: locator.locate(['cluster', 'scheduler']) }, errors: [] };
  return loadSchedulerConfig(path, locator.locate(['cluster', 'scheduler']));
}

/** A custom plugin module (JavaScript or TypeScript) rather than a KubeSchedulerConfiguration. */
export function isPluginModulePath(path: string): boolean {
  return /\.(?:[cm]?js|m?ts)$/i.test(path);
}

/**
 * A KubeSchedulerConfiguration file (for `cluster.scheduler: path` and `--policy FILE`). Only its
 * apiVersion and kind are checked here; its contents are validated by the scheduler's loader.
 */
export function loadSchedulerConfig(path: string, referencedAt?: SourceLocation): { spec: SchedulerSpec; errors: LoadError[] } {
  const fallback: SchedulerSpec = { kind: 'default' };
  const read = readInputFile(path);
  if (!read.ok) {
    const at = referencedAt ?? { file: path, line: 1, column: 1, path: '' };
    return { spec: fallback, errors: [{ ...at, message: `scheduler configuration ${JSON.stringify(path)}: ${read.message}` }] };
  }
  const { documents, errors } = parseYamlDocuments(read.text, path);
  if (errors.length > 0) return { spec: fallback, errors };
  if (documents.length !== 1) {
    return { spec: fallback, errors: [fileError(path, `a scheduler configuration file must hold exactly one YAML document, found ${documents.length}`)] };
  }
  const doc = documents[0]!;
  const problems = schedulerConfigProblems(doc.data, doc.locator);
  if (problems.length > 0) return { spec: fallback, errors: problems };
  const config = doc.data as Record<string, unknown>;
  return { spec: { kind: 'config', config, loc: doc.locator.locate([]), baseDir: dirname(path) }, errors: [] };
}

function schedulerConfigProblems(data: unknown, locator: Locator): LoadError[] {
  if (!isRecord(data)) return [locator.error([], `a scheduler configuration must be a map with apiVersion ${SCHEDULER_API_VERSION} and kind ${SCHEDULER_KIND}`)];
  const problems: LoadError[] = [];
  for (const [field, expected] of [['apiVersion', SCHEDULER_API_VERSION], ['kind', SCHEDULER_KIND]] as const) {
    if (data[field] === undefined) problems.push(locator.error([field], `missing required field ${JSON.stringify(field)}`));
    else if (data[field] !== expected) problems.push(locator.error([field], `must be ${JSON.stringify(expected)} (got ${JSON.stringify(data[field])})`));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Events

type ActionName = (typeof EVENT_ACTIONS)[number];
const NODE_ACTIONS = ['removeNode', 'failNode', 'recoverNode', 'partitionNode', 'healNode', 'cordon', 'uncordon'] as const;
type NodeActionName = (typeof NODE_ACTIONS)[number];

function actionOf(raw: Record<string, unknown>): ActionName {
  return EVENT_ACTIONS.find((a) => a in raw)!;
}

function buildEvent(raw: Record<string, unknown>, loc: SourceLocation): ScenarioEvent {
  return { atMs: durationMs(raw.at), action: buildAction(actionOf(raw), raw[actionOf(raw)]), loc };
}

function buildAction(type: ActionName, value: unknown): EventAction {
  const v = value as Record<string, unknown>;
  const grace = (key: string): { gracePeriodMs?: number } => (v[key] === undefined ? {} : { gracePeriodMs: durationMs(v[key]) });
  switch (type) {
    case 'create':
    case 'apply':
      return { type, object: withDefaultNamespace(value as AnyObject) };
    case 'delete':
      return { type, ref: objectRef(v), ...grace('gracePeriod') };
    case 'patch':
      return { type, ref: objectRef(v), patch: structuredClone(v.patch as Record<string, unknown>) };
    case 'scale':
      return { type, ref: objectRef(v), replicas: v.replicas as number };
    case 'addNode':
      return { type, nodes: nodesFromShorthand(value as NodeShorthand) };
    case 'drain':
      return { type, node: v.node as string, ...grace('gracePeriod') };
    case 'crashContainer':
      return crashContainer(v);
    default:
      return { type: type satisfies NodeActionName, node: value as string };
  }
}

function crashContainer(v: Record<string, unknown>): EventAction {
  const action: EventAction = { type: 'crashContainer', pod: v.pod as string, namespace: (v.namespace as string | undefined) ?? 'default', exitCode: (v.exitCode as number | undefined) ?? 1 };
  if (v.container !== undefined) action.container = v.container as string;
  return action;
}

/** kind/name/namespace; the namespace defaults to "default" for namespaced kinds and is dropped for the others. */
function objectRef(v: Record<string, unknown>): ObjectRef {
  const kind = v.kind as string;
  const ref: ObjectRef = { kind, name: v.name as string };
  if (isKind(kind) && KINDS[kind].namespaced) ref.namespace = (v.namespace as string | undefined) ?? 'default';
  return ref;
}

// ---------------------------------------------------------------------------------------------
// Node references

function nodeReferenceErrors(shorthandNodes: NamedAt[], objects: Array<Located<AnyObject>>, events: ScenarioEvent[], locator: Locator): LoadError[] {
  const initial: NamedAt[] = [...shorthandNodes];
  for (const o of objects) if (o.value.kind === 'Node') initial.push({ name: o.value.metadata.name, loc: o.loc });
  const added: string[] = [];
  const references: NamedAt[] = [];
  events.forEach((event, i) => {
    const a = event.action;
    const at = (...rest: PathSegment[]): SourceLocation => locator.locate(['events', i, ...rest]);
    if (a.type === 'addNode') added.push(...a.nodes.map((n) => n.metadata.name));
    else if ((a.type === 'create' || a.type === 'apply') && a.object.kind === 'Node') added.push(a.object.metadata.name);
    else if (a.type === 'drain') references.push({ name: a.node, loc: at('drain', 'node') });
    else if ((NODE_ACTIONS as readonly string[]).includes(a.type)) references.push({ name: (a as { node: string }).node, loc: at(a.type) });
  });
  return checkNodeReferences(initial, added, references);
}

// ---------------------------------------------------------------------------------------------
// Expectations

function buildExpectation(raw: Record<string, unknown>, untilMs: number, loc: SourceLocation): Expectation {
  return { when: buildWhen(raw, untilMs), matcher: buildMatcher(raw), loc };
}

function buildWhen(raw: Record<string, unknown>, untilMs: number): TimeQualifier {
  if ('at' in raw) return raw.at === 'end' ? { kind: 'at', atMs: untilMs, end: true } : { kind: 'at', atMs: durationMs(raw.at), end: false };
  if ('eventually' in raw) {
    const w = raw.eventually as { from?: unknown; by: unknown };
    return { kind: 'eventually', fromMs: w.from === undefined ? 0 : durationMs(w.from), byMs: durationMs(w.by) };
  }
  const w = raw.always === true ? {} : (raw.always as { from?: unknown; until?: unknown });
  return { kind: 'always', fromMs: w.from === undefined ? 0 : durationMs(w.from), untilMs: w.until === undefined ? untilMs : durationMs(w.until) };
}

function buildMatcher(raw: Record<string, unknown>): Matcher {
  const absent = raw.absent === true;
  if ('pods' in raw) {
    const p = structuredClone(raw.pods as Record<string, unknown>);
    return { ...p, kind: 'pods', namespace: (p.namespace as string | undefined) ?? 'default' };
  }
  if ('object' in raw) return { kind: 'object', object: withDefaultNamespace(raw.object as Record<string, unknown> & { kind: string }), absent };
  const e = raw.event as { reason: string; type?: 'Normal' | 'Warning'; message?: string; involvedObject?: Record<string, string> };
  const matcher: Matcher = { kind: 'event', reason: e.reason, absent };
  if (e.type !== undefined) matcher.type = e.type;
  if (e.message !== undefined) matcher.message = parseTextMatcher(e.message);
  if (e.involvedObject !== undefined) matcher.involvedObject = { ...e.involvedObject };
  return matcher;
}
