// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as users write it: decoding with
// upstream's field names (unknown fields and wrong types are errors), v1 defaulting, and
// validation with upstream's texts and field paths. Follows, for v1.35:
//   staging/src/k8s.io/kube-scheduler/config/v1/types.go        (fields)
//   pkg/scheduler/apis/config/v1/defaults.go                     (SetDefaults_KubeSchedulerConfiguration)
//   pkg/scheduler/apis/config/validation/validation.go           (ValidateKubeSchedulerConfiguration)
//   component-base/config/validation                             (leaderElection, clientConnection)
//   pkg/scheduler/framework/runtime/framework.go                 (NewFramework's errors: unknown
//                                                                 plugins, plugins that do not extend a
//                                                                 point, double registration, queue sort
//                                                                 and bind counts)
// Upstream reports the framework's errors only when the scheduler starts; kubedrill reports them
// with the configuration's, located at the field that causes them. kubedrill additions:
// `pluginModules` (custom plugin modules, loaded by src/scenario/policy.ts), pluginConfig for a
// plugin that exists nowhere, NodeResourcesFit args validated at load time (upstream's
// validatePluginConfig keys them as "NodeResourcesFitArgs" and so leaves them to the plugin's New),
// and extenders (not modelled) rejected.
import { formatDuration, parseDuration } from '../engine/time.js';
import { EXTENSION_METHOD, EXTENSION_POINTS, type ExtensionPoint } from './framework/runtime.js';
import type { AnyPlugin, Handle, PluginFactory } from './framework/types.js';
import { validateInterPodAffinityArgs } from './plugins/inter_pod_affinity.js';
import * as names from './plugins/names.js';
import { validateNodeAffinityArgs } from './plugins/node_affinity.js';
import { validateBalancedAllocationArgs } from './plugins/node_resources_balanced_allocation.js';
import { validateNodeResourcesFitArgs } from './plugins/node_resources_fit.js';
import { validatePodTopologySpreadArgs } from './plugins/pod_topology_spread.js';
import { DEFAULT_SCHEDULER_NAME, type PluginConfig, type PluginRef, type PluginSet, type Plugins, type ProfileConfig, buildFramework, defaultMultiPoint, mergePlugins } from './profile.js';
import { jsonKind } from './plugins/helper/json.js';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const SCHEDULER_CONFIG_KIND = 'KubeSchedulerConfiguration';

export type ConfigPathSegment = string | number;

/** One problem of a configuration: where (path in the document) and what (upstream's text after the field). */
export interface ConfigError {
  path: ConfigPathSegment[];
  message: string;
  /** 'key' for an unknown field: the key is what is wrong, not its value. */
  target?: 'key' | 'value';
}

export interface ValidateOptions {
  /** The closest candidate to a misspelt word, for "did you mean" (the scenario layer passes its own). */
  suggest?: (word: string, candidates: readonly string[]) => string | undefined;
}

/** What a configuration sets up, v1 defaults applied. Backoffs only when the configuration sets them. */
export interface SchedulerConfigSetup {
  profiles: ProfileConfig[];
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
}

/** Go's field.Path rendering: `profiles[0].plugins.score.enabled[1].name`. */
export function formatFieldPath(path: readonly ConfigPathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/** The error as upstream prints it: `profiles[1].schedulerName: Required value`. */
export function formatConfigError(e: ConfigError): string {
  return e.path.length ? `${formatFieldPath(e.path)}: ${e.message}` : e.message;
}

// ---------------------------------------------------------------------------------------------
// Fields (types.go) and strict decoding

type FieldType =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'int'; go: 'int32' | 'int64' }
  | { t: 'float'; go: 'float32' }
  | { t: 'struct'; s: StructSpec }
  | { t: 'list'; of: FieldType; go: string }
  | { t: 'any' };

interface StructSpec {
  /** Go type name as the decoder prints it (struct name in "Go struct field X.f"). */
  name: string;
  go: string;
  fields: Record<string, FieldType>;
}

const STRING: FieldType = { t: 'string' };
const BOOL: FieldType = { t: 'bool' };
const INT32: FieldType = { t: 'int', go: 'int32' };
const INT64: FieldType = { t: 'int', go: 'int64' };
const ANY: FieldType = { t: 'any' };

const PLUGIN: StructSpec = { name: 'Plugin', go: 'v1.Plugin', fields: { name: STRING, weight: INT32 } };
const PLUGIN_SET: StructSpec = {
  name: 'PluginSet',
  go: 'v1.PluginSet',
  fields: { enabled: { t: 'list', of: { t: 'struct', s: PLUGIN }, go: '[]v1.Plugin' }, disabled: { t: 'list', of: { t: 'struct', s: PLUGIN }, go: '[]v1.Plugin' } },
};
const PLUGIN_POINTS = [...EXTENSION_POINTS, 'multiPoint'] as const;
type PluginPoint = (typeof PLUGIN_POINTS)[number];
const PLUGINS: StructSpec = {
  name: 'Plugins',
  go: 'v1.Plugins',
  fields: Object.fromEntries(PLUGIN_POINTS.map((p) => [p, { t: 'struct', s: PLUGIN_SET } as FieldType])),
};
const PLUGIN_CONFIG: StructSpec = { name: 'PluginConfig', go: 'v1.PluginConfig', fields: { name: STRING, args: ANY } };
const PROFILE: StructSpec = {
  name: 'KubeSchedulerProfile',
  go: 'v1.KubeSchedulerProfile',
  fields: {
    schedulerName: STRING,
    percentageOfNodesToScore: INT32,
    plugins: { t: 'struct', s: PLUGINS },
    pluginConfig: { t: 'list', of: { t: 'struct', s: PLUGIN_CONFIG }, go: '[]v1.PluginConfig' },
  },
};
const LEADER_ELECTION: StructSpec = {
  name: 'LeaderElectionConfiguration',
  go: 'v1alpha1.LeaderElectionConfiguration',
  fields: { leaderElect: BOOL, leaseDuration: STRING, renewDeadline: STRING, retryPeriod: STRING, resourceLock: STRING, resourceName: STRING, resourceNamespace: STRING },
};
const CLIENT_CONNECTION: StructSpec = {
  name: 'ClientConnectionConfiguration',
  go: 'v1alpha1.ClientConnectionConfiguration',
  fields: { kubeconfig: STRING, acceptContentTypes: STRING, contentType: STRING, qps: { t: 'float', go: 'float32' }, burst: INT32 },
};
const EXTENDER: StructSpec = {
  name: 'Extender',
  go: 'v1.Extender',
  fields: {
    urlPrefix: STRING,
    filterVerb: STRING,
    preemptVerb: STRING,
    prioritizeVerb: STRING,
    weight: INT64,
    bindVerb: STRING,
    enableHTTPS: BOOL,
    tlsConfig: ANY,
    httpTimeout: STRING,
    nodeCacheCapable: BOOL,
    managedResources: ANY,
    ignorable: BOOL,
  },
};
const CONFIGURATION: StructSpec = {
  name: 'KubeSchedulerConfiguration',
  go: 'v1.KubeSchedulerConfiguration',
  fields: {
    apiVersion: STRING,
    kind: STRING,
    parallelism: INT32,
    leaderElection: { t: 'struct', s: LEADER_ELECTION },
    clientConnection: { t: 'struct', s: CLIENT_CONNECTION },
    enableProfiling: BOOL,
    enableContentionProfiling: BOOL,
    percentageOfNodesToScore: INT32,
    podInitialBackoffSeconds: INT64,
    podMaxBackoffSeconds: INT64,
    profiles: { t: 'list', of: { t: 'struct', s: PROFILE }, go: '[]v1.KubeSchedulerProfile' },
    extenders: { t: 'list', of: { t: 'struct', s: EXTENDER }, go: '[]v1.Extender' },
    delayCacheUntilActive: BOOL,
    // kubedrill: custom plugin modules (paths relative to the configuration's file).
    pluginModules: { t: 'list', of: STRING, go: '[]string' },
  },
};

const INT_RANGE = { int32: [-2147483648, 2147483647], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's decoder on the document: wrong types worded as encoding/json words them, unknown fields as errors. */
function decode(
  v: unknown,
  type: FieldType,
  path: ConfigPathSegment[],
  jsonPath: string[],
  struct: string,
  errs: ConfigError[],
  hint: (word: string, candidates: readonly string[]) => string,
): void {
  if (v === undefined || v === null || type.t === 'any') return;
  const typeError = (go: string): void => {
    const kind = typeof v === 'number' && go.startsWith('int') ? `number ${v}` : jsonKind(v);
    const message = jsonPath.length === 0 ? `json: cannot unmarshal ${kind} into Go value of type ${go}` : `json: cannot unmarshal ${kind} into Go struct field ${struct}.${jsonPath.join('.')} of type ${go}`;
    errs.push({ path, message });
  };
  switch (type.t) {
    case 'string':
      if (typeof v !== 'string') typeError('string');
      return;
    case 'bool':
      if (typeof v !== 'boolean') typeError('bool');
      return;
    case 'int': {
      const [min, max] = INT_RANGE[type.go];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) typeError(type.go);
      return;
    }
    case 'float':
      if (typeof v !== 'number') typeError(type.go);
      return;
    case 'list':
      if (!Array.isArray(v)) return typeError(type.go);
      v.forEach((item, i) => decode(item, type.of, [...path, i], jsonPath, struct, errs, hint));
      return;
    case 'struct': {
      if (!isRecord(v)) return typeError(type.s.go);
      const known = Object.keys(type.s.fields);
      for (const [key, value] of Object.entries(v)) {
        const ft = type.s.fields[key];
        if (ft === undefined) errs.push({ path: [...path, key], message: `unknown field ${JSON.stringify(key)}${hint(key, known)}`, target: 'key' });
        else decode(value, ft, [...path, key], [...jsonPath, key], type.s.name, errs, hint);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a (possibly malformed) document: values of the wrong type count as absent

const rec = (v: unknown): Record<string, unknown> | undefined => (isRecord(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function refsOf(v: unknown): PluginRef[] {
  const out: PluginRef[] = [];
  for (const item of list(v)) {
    const r = rec(item);
    if (!r) continue;
    const ref: PluginRef = { name: str(r['name']) ?? '' };
    const weight = int(r['weight']);
    if (weight !== undefined) ref.weight = weight;
    out.push(ref);
  }
  return out;
}

function pluginSetOf(v: unknown): PluginSet | undefined {
  const r = rec(v);
  if (!r) return undefined;
  const set: PluginSet = {};
  if (r['enabled'] != null) set.enabled = refsOf(r['enabled']);
  if (r['disabled'] != null) set.disabled = refsOf(r['disabled']);
  return set;
}

/** Plugins whose args have a registered v1 type upstream (`<Name>Args`): TypeMeta may be written in their args. */
const TYPED_ARGS = new Set([
  names.DefaultPreemption,
  names.DynamicResources,
  names.InterPodAffinity,
  names.NodeAffinity,
  names.NodeResourcesBalancedAllocation,
  names.NodeResourcesFit,
  names.PodTopologySpread,
  names.VolumeBinding,
]);

/** The args a plugin's factory receives: an in-tree plugin's `apiVersion`/`kind` (TypeMeta) removed. */
function argsForFactory(name: string, args: unknown): Record<string, unknown> | undefined {
  if (!isRecord(args)) return undefined;
  if (!TYPED_ARGS.has(name) || (!('apiVersion' in args) && !('kind' in args))) return args;
  const { apiVersion: _a, kind: _k, ...rest } = args;
  return rest;
}

function profileConfigOf(raw: Record<string, unknown>, single: boolean): ProfileConfig {
  const p: ProfileConfig = {};
  const name = str(raw['schedulerName']);
  if (name !== undefined) p.schedulerName = name;
  else if (single) p.schedulerName = DEFAULT_SCHEDULER_NAME;
  const pct = int(raw['percentageOfNodesToScore']);
  if (pct !== undefined) p.percentageOfNodesToScore = pct;
  const plugins = rec(raw['plugins']);
  if (plugins) {
    const out: Plugins = {};
    for (const point of PLUGIN_POINTS) {
      const set = pluginSetOf(plugins[point]);
      if (set) out[point] = set;
    }
    p.plugins = out;
  }
  if (Array.isArray(raw['pluginConfig'])) {
    p.pluginConfig = [];
    for (const item of raw['pluginConfig']) {
      const r = rec(item);
      if (!r) continue;
      const name = str(r['name']) ?? '';
      const entry: PluginConfig = { name };
      const args = argsForFactory(name, r['args']);
      if (args !== undefined) entry.args = args;
      p.pluginConfig.push(entry);
    }
  }
  return p;
}

/**
 * The set-up a (validated) configuration describes, with the v1 defaults: no profiles means one
 * default profile; a single profile without schedulerName is "default-scheduler";
 * percentageOfNodesToScore defaults to 0 (adaptive). Profiles keep the plugin sets as written:
 * buildFramework merges them into the default MultiPoint set. podInitialBackoffSeconds and
 * podMaxBackoffSeconds (upstream defaults 1 and 10) are returned only when the configuration sets
 * them, so they do not override the scenario's controlPlane values otherwise.
 */
export function toSchedulerSetup(cfg: unknown): SchedulerConfigSetup {
  const c = rec(cfg) ?? {};
  const raws = list(c['profiles']).filter(isRecord);
  const profiles = raws.length === 0 ? [{ schedulerName: DEFAULT_SCHEDULER_NAME }] : raws.map((r) => profileConfigOf(r, raws.length === 1));
  const out: SchedulerConfigSetup = { profiles, percentageOfNodesToScore: int(c['percentageOfNodesToScore']) ?? 0 };
  const initial = int(c['podInitialBackoffSeconds']);
  const max = int(c['podMaxBackoffSeconds']);
  if (initial !== undefined) out.podInitialBackoffSeconds = initial;
  if (max !== undefined) out.podMaxBackoffSeconds = max;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Plugins removed from the v1 API (validation.go invalidPluginsByVersion). */
const INVALID_PLUGINS = new Set(['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits']);

/** Upstream's in-tree plugin names: a pluginConfig or a disabled entry for one is not an error. */
const IN_TREE_NAMES = new Set<string>(Object.values(names));

/** The interface type each point's plugins implement, as framework.go names it. */
const POINT_TYPE: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueuePlugin',
  queueSort: 'QueueSortPlugin',
  preFilter: 'PreFilterPlugin',
  filter: 'FilterPlugin',
  postFilter: 'PostFilterPlugin',
  preScore: 'PreScorePlugin',
  score: 'ScorePlugin',
  reserve: 'ReservePlugin',
  permit: 'PermitPlugin',
  preBind: 'PreBindPlugin',
  bind: 'BindPlugin',
  postBind: 'PostBindPlugin',
};

/** framework.go getExtensionPoints order (MultiPoint expansion reports the first point that fails). */
const EXPANSION_ORDER: readonly ExtensionPoint[] = ['preFilter', 'filter', 'postFilter', 'reserve', 'preScore', 'score', 'preBind', 'bind', 'postBind', 'permit', 'preEnqueue', 'queueSort'];

/** validatePluginConfig's table: upstream's Validate*Args for in-tree plugins kubedrill models. */
const ARG_VALIDATORS: Record<string, (args: unknown) => string[]> = {
  [names.InterPodAffinity]: (a) => validateInterPodAffinityArgs(a),
  [names.NodeAffinity]: (a) => validateNodeAffinityArgs(a),
  [names.NodeResourcesBalancedAllocation]: (a) => validateBalancedAllocationArgs(a),
  [names.NodeResourcesFit]: (a) => validateNodeResourcesFitArgs(a),
  [names.PodTopologySpread]: (a) => validatePodTopologySpreadArgs(a),
};

const FIELD_PATH = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*): ([\s\S]+)$/;

function parseFieldPath(text: string): ConfigPathSegment[] {
  const out: ConfigPathSegment[] = [];
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

/** A plugin validator's "field: detail" message (field relative to the args) as a located error. */
function argsError(argsPath: ConfigPathSegment[], message: string): ConfigError {
  const strict = /^strict decoding error: unknown field "([^"]+)"$/.exec(message);
  if (strict) return { path: [...argsPath, ...parseFieldPath(strict[1]!)], message, target: 'key' };
  const m = message.startsWith('json: ') ? null : FIELD_PATH.exec(message);
  if (!m) return { path: argsPath, message };
  return { path: [...argsPath, ...parseFieldPath(m[1]!)], message: m[2]! };
}

/** field.Invalid's rendering of a bad value: numbers and booleans bare, strings quoted. */
function goValue(v: unknown): string {
  if (v === undefined || v === null) return '"null"';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** mergePluginSet with an empty default set (every point but MultiPoint), as the internal type. */
function mergedPointSet(v: unknown): { enabled: Array<{ name: string; weight: number }>; disabled: Array<{ name: string }> } {
  const set = rec(v);
  return {
    enabled: refsOf(set?.['enabled']).map((r) => ({ name: r.name, weight: r.weight ?? 0 })),
    disabled: refsOf(set?.['disabled']).map((r) => ({ name: r.name })),
  };
}

/** %#v of a config.PluginSet, as field.Invalid prints it. */
function goPluginSet(set: ReturnType<typeof mergedPointSet>): string {
  const plugins = (ps: Array<{ name: string; weight: number }>): string =>
    ps.length === 0 ? '[]config.Plugin(nil)' : `[]config.Plugin{${ps.map((p) => `config.Plugin{Name:${JSON.stringify(p.name)}, Weight:${p.weight}}`).join(', ')}}`;
  return `config.PluginSet{Enabled:${plugins(set.enabled)}, Disabled:${plugins(set.disabled.map((d) => ({ name: d.name, weight: 0 })))}}`;
}

function samePluginSet(a: ReturnType<typeof mergedPointSet>, b: ReturnType<typeof mergedPointSet>): boolean {
  return (
    a.enabled.length === b.enabled.length &&
    a.disabled.length === b.disabled.length &&
    a.enabled.every((p, i) => p.name === b.enabled[i]!.name && p.weight === b.enabled[i]!.weight) &&
    a.disabled.every((p, i) => p.name === b.disabled[i]!.name)
  );
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
  return true;
}

/** framework.Handle while a configuration is validated: plugins may keep it, not use it. */
const VALIDATION_HANDLE = new Proxy(
  {},
  {
    get(_target, prop) {
      if (prop === 'then') return undefined;
      return () => {
        throw new Error(`the scheduler's handle (${String(prop)}) is not available while the configuration is validated`);
      };
    },
  },
) as unknown as Handle;

const DEFAULT_LEASE_DURATION_MS = 15_000;
const DEFAULT_RENEW_DEADLINE_MS = 10_000;
const DEFAULT_RETRY_PERIOD_MS = 2_000;

/**
 * Every problem of a KubeSchedulerConfiguration (v1) against a plugin registry, [] when it is
 * valid: first what Go's strict decoder would refuse, then ValidateKubeSchedulerConfiguration
 * on the defaulted configuration (upstream's order), then what NewFramework would refuse for
 * each profile. Each error has the field's path and upstream's text after the field.
 */
export function validateSchedulerConfig(cfg: unknown, registry: ReadonlyMap<string, PluginFactory>, options: ValidateOptions = {}): ConfigError[] {
  const hint = (word: string, candidates: readonly string[]): string => {
    const s = options.suggest?.(word, candidates);
    return s === undefined ? '' : ` (did you mean ${JSON.stringify(s)}?)`;
  };
  const errs: ConfigError[] = [];
  decode(cfg, { t: 'struct', s: CONFIGURATION }, [], [], CONFIGURATION.name, errs, hint);
  const c = rec(cfg);
  if (!c) return errs;
  for (const [field, expected] of [
    ['apiVersion', SCHEDULER_CONFIG_API_VERSION],
    ['kind', SCHEDULER_CONFIG_KIND],
  ] as const) {
    if (c[field] === undefined) errs.push({ path: [field], message: `missing required field ${JSON.stringify(field)}` });
    else if (typeof c[field] === 'string' && c[field] !== expected) errs.push({ path: [field], message: `must be ${JSON.stringify(expected)} (got ${JSON.stringify(c[field])})` });
  }

  // componentbasevalidation.ValidateClientConnectionConfiguration / ValidateLeaderElectionConfiguration
  const burst = int(rec(c['clientConnection'])?.['burst']);
  if (burst !== undefined && burst < 0) errs.push({ path: ['clientConnection', 'burst'], message: `Invalid value: ${burst}: must be non-negative` });
  const le = rec(c['leaderElection']) ?? {};
  if (le['leaderElect'] !== false) {
    const duration = (field: string, dflt: number): number | undefined => {
      const v = le[field];
      if (typeof v !== 'string') return dflt;
      const negative = v.trim().startsWith('-');
      const r = parseDuration(negative ? v.trim().slice(1) : v);
      if (!r.ok) {
        errs.push({ path: ['leaderElection', field], message: `time: invalid duration ${JSON.stringify(v)}` });
        return undefined;
      }
      if (negative && r.ms > 0) {
        errs.push({ path: ['leaderElection', field], message: `Invalid value: -${formatDuration(r.ms)}: must be greater than zero` });
        return undefined;
      }
      return r.ms === 0 ? dflt : r.ms; // RecommendedDefaultLeaderElectionConfiguration fills zero durations
    };
    const lease = duration('leaseDuration', DEFAULT_LEASE_DURATION_MS);
    const renew = duration('renewDeadline', DEFAULT_RENEW_DEADLINE_MS);
    duration('retryPeriod', DEFAULT_RETRY_PERIOD_MS);
    if (lease !== undefined && renew !== undefined && lease <= renew) {
      errs.push({ path: ['leaderElection', 'leaseDuration'], message: `Invalid value: ${formatDuration(renew)}: LeaseDuration must be greater than RenewDeadline` });
    }
    const lock = str(le['resourceLock']) || 'leases';
    if (lock !== 'leases') errs.push({ path: ['leaderElection', 'resourceLock'], message: `Invalid value: ${JSON.stringify(lock)}: resourceLock value must be "leases"` });
  }

  const parallelism = int(c['parallelism']);
  if (parallelism !== undefined && parallelism <= 0) errs.push({ path: ['parallelism'], message: `Invalid value: ${parallelism}: should be an integer value greater than zero` });

  // Profiles (defaulting adds one when there is none, so "profiles: Required value" cannot happen).
  const rawProfiles = list(c['profiles']);
  const profiles = rawProfiles.map((p) => rec(p) ?? {});
  const badArgs = profiles.map(() => new Set<string>());
  const existing = new Map<string, number>();
  const apiVersion = str(c['apiVersion']) ?? SCHEDULER_CONFIG_API_VERSION;
  const hadErrors = profiles.map(() => false);
  profiles.forEach((p, i) => {
    const before = errs.length;
    const path: ConfigPathSegment[] = ['profiles', i];
    const rawName = p['schedulerName'];
    const name = typeof rawName === 'string' ? rawName : profiles.length === 1 && rawName == null ? DEFAULT_SCHEDULER_NAME : '';
    if (name === '') errs.push({ path: [...path, 'schedulerName'], message: 'Required value' });
    const pct = int(p['percentageOfNodesToScore']);
    if (pct !== undefined && (pct < 0 || pct > 100)) errs.push({ path: [...path, 'percentageOfNodesToScore'], message: `Invalid value: ${pct}: not in valid range [0-100]` });
    // validatePluginConfig: removed plugins in the plugin sets, then each pluginConfig entry.
    const plugins = rec(p['plugins']);
    if (plugins) {
      for (const point of EXTENSION_POINTS) {
        refsOf(rec(plugins[point])?.['enabled']).forEach((ref, j) => {
          if (INVALID_PLUGINS.has(ref.name)) errs.push({ path: [...path, 'plugins', point, 'enabled', j], message: invalidPluginMessage(ref.name, apiVersion) });
        });
      }
    }
    const seen = new Set<string>();
    list(p['pluginConfig']).forEach((item, j) => {
      const pc = rec(item);
      if (!pc) return;
      const pcPath: ConfigPathSegment[] = [...path, 'pluginConfig', j];
      const pcName = str(pc['name']) ?? '';
      if (seen.has(pcName)) errs.push({ path: pcPath, message: `Duplicate value: ${JSON.stringify(pcName)}` });
      else seen.add(pcName);
      if (INVALID_PLUGINS.has(pcName)) {
        errs.push({ path: pcPath, message: invalidPluginMessage(pcName, apiVersion) });
        return;
      }
      const problems = pluginArgsProblems(pcName, pc['args'], registry);
      if (problems.length > 0) badArgs[i]!.add(pcName);
      for (const m of problems) errs.push(argsError([...pcPath, 'args'], m));
    });
    hadErrors[i] = errs.length > before;
    const idx = existing.get(name);
    if (idx !== undefined) errs.push({ path: [...path, 'schedulerName'], message: `Duplicate value: ${JSON.stringify(name)}` });
    existing.set(name, i);
  });
  if (profiles.length > 0) errs.push(...commonQueueSortErrors(profiles));

  const pct = int(c['percentageOfNodesToScore']);
  if (pct !== undefined && (pct < 0 || pct > 100)) errs.push({ path: ['percentageOfNodesToScore'], message: `Invalid value: ${pct}: not in valid range [0-100]` });
  const initial = int(c['podInitialBackoffSeconds']) ?? 1;
  const max = int(c['podMaxBackoffSeconds']) ?? 10;
  if (initial <= 0) errs.push({ path: ['podInitialBackoffSeconds'], message: `Invalid value: ${initial}: must be greater than 0` });
  if (max < initial) errs.push({ path: ['podMaxBackoffSeconds'], message: `Invalid value: ${max}: must be greater than or equal to PodInitialBackoffSeconds` });

  // kubedrill: what the simulator does not model, and the custom modules' paths.
  if (list(c['extenders']).length > 0) {
    errs.push({ path: ['extenders'], message: 'scheduler extenders are not modelled by kubedrill; write the extender as a plugin module (pluginModules)' });
  }
  list(c['pluginModules']).forEach((m, j) => {
    if (m === '') errs.push({ path: ['pluginModules', j], message: 'Required value: the path of a JavaScript or TypeScript plugin module' });
  });

  // NewFramework, per profile.
  profiles.forEach((p, i) => {
    if (!isRecord(rawProfiles[i])) return;
    errs.push(...frameworkErrors(p, profileConfigOf(p, profiles.length === 1), i, registry, badArgs[i]!, hadErrors[i]!, hint));
  });
  return errs;
}

function invalidPluginMessage(name: string, apiVersion: string): string {
  return `Invalid value: ${JSON.stringify(name)}: was invalid in version ${JSON.stringify(SCHEDULER_CONFIG_API_VERSION)} (KubeSchedulerConfiguration is version ${JSON.stringify(apiVersion)})`;
}

/**
 * A pluginConfig entry's args: upstream's Validate*Args for the in-tree plugins kubedrill models
 * (after an optional TypeMeta naming the right kind); an object for any other plugin.
 */
function pluginArgsProblems(name: string, args: unknown, registry: ReadonlyMap<string, PluginFactory>): string[] {
  if (args == null) return [];
  if (isRecord(args) && TYPED_ARGS.has(name)) {
    const problems: string[] = [];
    if (args['kind'] !== undefined && args['kind'] !== `${name}Args`) problems.push(`kind: Invalid value: ${goValue(args['kind'])}: args for plugin ${name} must be of kind ${name}Args`);
    if (args['apiVersion'] !== undefined && args['apiVersion'] !== SCHEDULER_CONFIG_API_VERSION) {
      problems.push(`apiVersion: Invalid value: ${goValue(args['apiVersion'])}: args for plugin ${name} must be of apiVersion ${SCHEDULER_CONFIG_API_VERSION}`);
    }
    if (problems.length > 0) return problems;
  }
  const validator = ARG_VALIDATORS[name];
  if (validator) return validator(argsForFactory(name, args) ?? args);
  if (!isRecord(args) && (registry.has(name) || !IN_TREE_NAMES.has(name))) return [`Invalid value: ${goValue(args)}: plugin args must be an object`];
  return [];
}

/** validateCommonQueueSort: every profile's queueSort set (and its args) must be profile 0's. */
function commonQueueSortErrors(profiles: ReadonlyArray<Record<string, unknown>>): ConfigError[] {
  const errs: ConfigError[] = [];
  const queueSortOf = (p: Record<string, unknown>): ReturnType<typeof mergedPointSet> => mergedPointSet(rec(p['plugins'])?.['queueSort']);
  const canon = queueSortOf(profiles[0]!);
  const queueSortName = canon.enabled[0]?.name ?? '';
  if (canon.enabled.length > 1) {
    errs.push({ path: ['profiles', 0, 'plugins', 'queueSort', 'Enabled'], message: `Invalid value: ${canon.enabled.length}: only one queue sort plugin can be enabled` });
  }
  let queueSortArgs: unknown;
  for (const pc of list(profiles[0]!['pluginConfig'])) {
    if (queueSortName.length > 0 && str(rec(pc)?.['name']) === queueSortName) queueSortArgs = rec(pc)?.['args'];
  }
  for (let i = 1; i < profiles.length; i++) {
    const curr = queueSortOf(profiles[i]!);
    if (!samePluginSet(canon, curr)) errs.push({ path: ['profiles', i, 'plugins', 'queueSort'], message: `Invalid value: ${goPluginSet(curr)}: must be the same for all profiles` });
    for (const item of list(profiles[i]!['pluginConfig'])) {
      const pc = rec(item);
      if (pc && (str(pc['name']) ?? '') === queueSortName && !deepEqual(queueSortArgs, pc['args'])) {
        errs.push({ path: ['profiles', i, 'pluginConfig', 'args'], message: `Invalid value: ${goValue(pc['args'])}: queueSort must be the same for all profiles` });
      }
    }
  }
  return errs;
}

/** What NewFramework would refuse for profile i, located at the plugin reference that causes it. */
function frameworkErrors(
  raw: Record<string, unknown>,
  profile: ProfileConfig,
  i: number,
  registry: ReadonlyMap<string, PluginFactory>,
  badArgs: ReadonlySet<string>,
  /** The profile already has errors (upstream's validation): only the plugin references are checked. */
  hadErrors: boolean,
  hint: (word: string, candidates: readonly string[]) => string,
): ConfigError[] {
  const errs: ConfigError[] = [];
  const path: ConfigPathSegment[] = ['profiles', i];
  const known = [...registry.keys()];
  const unknownSuffix = (name: string): string => (IN_TREE_NAMES.has(name) ? ' (an in-tree plugin kubedrill does not model)' : hint(name, known));
  const schedulerName = profile.schedulerName ?? '';

  // A pluginConfig for a plugin that exists nowhere (upstream ignores it silently).
  const configIndex = new Map<string, number>();
  list(raw['pluginConfig']).forEach((item, j) => {
    const name = str(rec(item)?.['name']);
    if (name === undefined) return;
    if (!configIndex.has(name)) configIndex.set(name, j);
    if (!registry.has(name) && !IN_TREE_NAMES.has(name) && !INVALID_PLUGINS.has(name)) {
      errs.push({ path: [...path, 'pluginConfig', j, 'name'], message: `plugin ${JSON.stringify(name)} does not exist${hint(name, known)}` });
    }
  });

  const args = new Map((profile.pluginConfig ?? []).map((c) => [c.name, c.args]));
  const instances = new Map<string, AnyPlugin | undefined>();
  const instance = (name: string, at: ConfigPathSegment[]): AnyPlugin | undefined => {
    if (instances.has(name)) return instances.get(name);
    let p: AnyPlugin | undefined;
    const factory = registry.get(name);
    if (factory && !badArgs.has(name)) {
      try {
        p = factory(args.get(name), VALIDATION_HANDLE);
        if (typeof p !== 'object' || p === null) throw new Error(`the factory returned ${p === null ? 'null' : typeof p}, not a plugin`);
      } catch (err) {
        p = undefined;
        const j = configIndex.get(name);
        errs.push({ path: j === undefined ? at : [...path, 'pluginConfig', j, 'args'], message: `initializing plugin ${JSON.stringify(name)}: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    instances.set(name, p);
    return p;
  };

  const plugins = rec(raw['plugins']);
  const enabledAt = (point: PluginPoint): PluginRef[] => refsOf(rec(plugins?.[point])?.['enabled']);
  const disabledAt = (point: PluginPoint): Set<string> => new Set(refsOf(rec(plugins?.[point])?.['disabled']).map((r) => r.name));
  // updatePluginList, per extension point.
  for (const point of EXTENSION_POINTS) {
    const seen = new Set<string>();
    enabledAt(point).forEach((ref, j) => {
      const at: ConfigPathSegment[] = [...path, 'plugins', point, 'enabled', j, 'name'];
      if (INVALID_PLUGINS.has(ref.name)) return;
      if (!registry.has(ref.name)) errs.push({ path: at, message: `${POINT_TYPE[point]} ${JSON.stringify(ref.name)} does not exist${unknownSuffix(ref.name)}` });
      else {
        const p = instance(ref.name, at);
        if (p && typeof p[EXTENSION_METHOD[point]] !== 'function') errs.push({ path: at, message: `plugin ${JSON.stringify(ref.name)} does not extend ${POINT_TYPE[point]} plugin` });
        else if (seen.has(ref.name)) errs.push({ path: at, message: `plugin ${JSON.stringify(ref.name)} already registered as ${JSON.stringify(POINT_TYPE[point])}` });
      }
      seen.add(ref.name);
    });
  }
  // expandMultiPointPlugins: a name listed twice registers twice at the first point it extends.
  const multiSeen = new Set<string>();
  enabledAt('multiPoint').forEach((ref, j) => {
    const at: ConfigPathSegment[] = [...path, 'plugins', 'multiPoint', 'enabled', j, 'name'];
    if (INVALID_PLUGINS.has(ref.name)) return;
    if (!registry.has(ref.name)) {
      errs.push({ path: at, message: `plugin ${JSON.stringify(ref.name)} does not exist${unknownSuffix(ref.name)}` });
      return;
    }
    const p = instance(ref.name, at);
    if (p && multiSeen.has(ref.name)) {
      const point = EXPANSION_ORDER.find((pt) => {
        const disabled = disabledAt(pt);
        return typeof p[EXTENSION_METHOD[pt]] === 'function' && !disabled.has('*') && !disabled.has(ref.name) && !enabledAt(pt).some((r) => r.name === ref.name);
      });
      if (point) errs.push({ path: at, message: `plugin ${JSON.stringify(ref.name)} already registered as ${JSON.stringify(POINT_TYPE[point])}` });
    }
    multiSeen.add(ref.name);
  });
  if (errs.length > 0 || badArgs.size > 0 || hadErrors) return errs;

  // The expanded profile: exactly one QueueSort plugin, at least one Bind plugin.
  const merged = mergePlugins({ multiPoint: { enabled: defaultMultiPoint(registry) } }, profile.plugins);
  const expanded = (point: ExtensionPoint): string[] => {
    const set = merged[point] ?? {};
    const disabled = new Set((set.disabled ?? []).map((r) => r.name));
    const out = [...new Set((set.enabled ?? []).map((r) => r.name))];
    if (disabled.has('*')) return out;
    for (const ref of merged.multiPoint?.enabled ?? []) {
      if (disabled.has(ref.name) || out.includes(ref.name)) continue;
      const p = instance(ref.name, [...path, 'plugins', 'multiPoint']);
      if (p && typeof p[EXTENSION_METHOD[point]] === 'function') out.push(ref.name);
    }
    return out;
  };
  const pointPath = (point: PluginPoint): ConfigPathSegment[] => (rec(plugins?.[point]) ? [...path, 'plugins', point] : plugins ? [...path, 'plugins'] : path);
  const queueSorts = expanded('queueSort');
  if (errs.length > 0) return errs;
  if (queueSorts.length !== 1) {
    errs.push({ path: pointPath('queueSort'), message: `only one queue sort plugin required for profile with scheduler name ${JSON.stringify(schedulerName)}, but got ${queueSorts.length}` });
  }
  if (expanded('bind').length === 0) errs.push({ path: pointPath('bind'), message: `at least one bind plugin is needed for profile with scheduler name ${JSON.stringify(schedulerName)}` });
  if (errs.length > 0) return errs;
  // Anything else the framework itself refuses.
  try {
    buildFramework(profile, registry, VALIDATION_HANDLE);
  } catch (err) {
    errs.push({ path, message: err instanceof Error ? err.message : String(err) });
  }
  return errs;
}
