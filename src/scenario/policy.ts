// cluster.scheduler / `--policy FILE` → the scheduler set-up: the default profile, or a
// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) validated and defaulted by
// src/scheduler/config.ts, with the custom plugin modules it lists in the kubedrill field
// `pluginModules` loaded and joined to the in-tree registry. Every problem becomes a LoadError at
// the place in the YAML that causes it. docs/custom-plugins.md describes the plugin contract.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SchedulerSetup } from '../cluster/cluster.js';
import { type ConfigError, SCHEDULER_CONFIG_API_VERSION, SCHEDULER_CONFIG_KIND, toSchedulerSetup, validateSchedulerConfig } from '../scheduler/config.js';
import { CODE_NAMES, Code, type MaybeStatus, Status, asError } from '../scheduler/framework/status.js';
import type { AnyPlugin, ClusterEvent, PermitResult, PluginFactory } from '../scheduler/framework/types.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { DEFAULT_SCHEDULER_NAME } from '../scheduler/profile.js';
import { isPluginModulePath, loadSchedulerConfig } from './load.js';
import { type LoadError, type SchedulerSpec, type SourceLocation, formatLoadError } from './types.js';
import { type Locator, type PathSegment, formatPath, parseYamlDocuments, suggestClosest } from './validate.js';

/** A scheduler set-up, with the backoffs when the configuration sets them (podInitialBackoffSeconds, podMaxBackoffSeconds). */
export type PolicySetup = SchedulerSetup;

export type PolicyResult = { ok: true; setup: PolicySetup } | { ok: false; errors: LoadError[] };

type ConfigSpec = Extract<SchedulerSpec, { kind: 'config' }>;

/** A scheduler configuration that does not validate; `errors` are located. */
export class PolicyError extends Error {
  constructor(readonly errors: LoadError[]) {
    super(`invalid scheduler configuration:\n${errors.map(formatLoadError).join('\n')}`);
    this.name = 'PolicyError';
  }
}

const DEFAULT_SETUP: PolicySetup = { profiles: [], percentageOfNodesToScore: 0 };

export { isPluginModulePath };

/** File types a plugin module may have. */
const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
const TS_EXTENSIONS = new Set(['.ts', '.mts']);

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * The set-up a scheduler spec describes: its plugin modules loaded (dynamic import; TypeScript
 * transpiled first), then the configuration validated against the in-tree registry plus the
 * modules' plugins. Never throws for a user's mistake: every problem is a located LoadError.
 */
export async function resolvePolicy(spec: SchedulerSpec): Promise<PolicyResult> {
  if (spec.kind === 'default') return { ok: true, setup: { ...DEFAULT_SETUP } };
  if (spec.kind === 'module') {
    // A module that is not there is the scenario's mistake, shown where it names the module.
    if (!existsSync(spec.path)) return { ok: false, errors: [{ ...spec.loc, message: `plugin module ${JSON.stringify(spec.path)} not found` }] };
    return loadPolicyFile(spec.path);
  }
  const raw = spec.config['pluginModules'];
  const modules = await loadModules(Array.isArray(raw) ? raw : [], spec.baseDir);
  return finish(spec.config, modules, () => yamlLocator(spec));
}

/** resolvePolicy for a configuration without plugin modules, synchronously. Throws if it lists modules. */
export function resolvePolicySync(spec: SchedulerSpec): PolicyResult {
  if (spec.kind === 'default') return { ok: true, setup: { ...DEFAULT_SETUP } };
  if (spec.kind === 'module') {
    const at = spec.loc;
    throw new Error(`${at.file}:${at.line}:${at.column}: the scheduler is a plugin module, which loads asynchronously: resolve it with resolvePolicy()`);
  }
  const raw = spec.config['pluginModules'];
  if (Array.isArray(raw) && raw.length > 0) {
    const at = spec.loc;
    throw new Error(`${at.file}:${at.line}:${at.column}: the scheduler configuration lists pluginModules, which load asynchronously: resolve it with resolvePolicy()`);
  }
  return finish(spec.config, { plugins: new Map(), errors: [] }, () => yamlLocator(spec));
}

/** The set-up of a spec without plugin modules (src/scenario/run.ts). Throws PolicyError when invalid. */
export function schedulerSetup(spec: SchedulerSpec): PolicySetup {
  const r = resolvePolicySync(spec);
  if (!r.ok) throw new PolicyError(r.errors);
  return r.setup;
}

/**
 * `kubedrill run --policy FILE`: a KubeSchedulerConfiguration YAML file, or a plugin module alone
 * (.js/.mjs/.cjs/.ts/.mts). A module alone means the default profile with each of the module's
 * plugins enabled in `multiPoint`, weighted by the module's optional `weights` export.
 */
export async function loadPolicyFile(path: string): Promise<PolicyResult> {
  if (!isPluginModulePath(path)) {
    const { spec, errors } = loadSchedulerConfig(path);
    if (errors.length > 0) return { ok: false, errors };
    return resolvePolicy(spec);
  }
  const abs = resolve(path);
  const at: SourceLocation = { file: abs, line: 1, column: 1, path: '' };
  const locate = (e: ConfigError): LoadError => ({ ...at, path: formatPath(e.path), message: e.message });
  const loaded = await loadModuleFile(abs, path);
  if (!loaded.ok) return { ok: false, errors: [{ ...at, message: loaded.message }] };
  const modules = registerModules([{ index: 0, written: path, module: loaded.module }]);
  if (modules.errors.length > 0) return { ok: false, errors: modules.errors.map((e) => ({ ...at, message: e.message })) };
  const weights = loaded.module.weights;
  const errors: LoadError[] = [];
  const enabled: Array<{ name: string; weight?: number }> = [];
  if (weights !== undefined && !isRecord(weights)) errors.push({ ...at, path: 'weights', message: `plugin module ${JSON.stringify(path)}: "weights" must map plugin names to score weights` });
  for (const [name, w] of Object.entries(isRecord(weights) ? weights : {})) {
    if (!modules.plugins.has(name)) errors.push({ ...at, path: `weights.${name}`, message: `plugin module ${JSON.stringify(path)}: weights names ${JSON.stringify(name)}, which is not one of its plugins` });
    else if (typeof w !== 'number' || !Number.isInteger(w) || w < -2147483648 || w > 2147483647) {
      errors.push({ ...at, path: `weights.${name}`, message: `plugin module ${JSON.stringify(path)}: the weight of ${JSON.stringify(name)} must be an integer, got ${JSON.stringify(w)}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  for (const name of modules.plugins.keys()) {
    const w = isRecord(weights) ? weights[name] : undefined;
    enabled.push(typeof w === 'number' ? { name, weight: w } : { name });
  }
  const config = {
    apiVersion: SCHEDULER_CONFIG_API_VERSION,
    kind: SCHEDULER_CONFIG_KIND,
    profiles: [{ schedulerName: DEFAULT_SCHEDULER_NAME, plugins: { multiPoint: { enabled } } }],
  };
  return finish(config, modules, () => locate);
}

// ---------------------------------------------------------------------------------------------
// Validation and locations

interface LoadedModules {
  /** Adapted factories of the modules' plugins, by name. */
  plugins: Map<string, PluginFactory>;
  errors: ConfigError[];
}

/** Validates and sets up; `locator` is asked for only when there are errors to place (for a
 *  configuration in a scenario it re-reads that file). */
function finish(config: Record<string, unknown>, modules: LoadedModules, locator: () => (e: ConfigError) => LoadError): PolicyResult {
  const registry = new Map<string, PluginFactory>([...inTreeRegistry(), ...modules.plugins]);
  const problems = [...modules.errors, ...validateSchedulerConfig(config, registry, { suggest: suggestClosest })];
  if (problems.length > 0) return { ok: false, errors: problems.map(locator()) };
  const { profiles, percentageOfNodesToScore, podInitialBackoffSeconds, podMaxBackoffSeconds } = toSchedulerSetup(config);
  const setup: PolicySetup = { profiles, percentageOfNodesToScore };
  if (modules.plugins.size > 0) setup.plugins = modules.plugins;
  if (podInitialBackoffSeconds !== undefined) setup.podInitialBackoffSeconds = podInitialBackoffSeconds;
  if (podMaxBackoffSeconds !== undefined) setup.podMaxBackoffSeconds = podMaxBackoffSeconds;
  return { ok: true, setup };
}

/** `cluster.scheduler` / `a[0]["b.c"]` back into segments. */
function parseLocPath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of text.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) out.push(JSON.parse(m[1]) as string);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]!);
  }
  return out;
}

/**
 * Locates a configuration's errors in the YAML it came from: the file is read again and the
 * document whose node at `spec.loc.path` sits at `spec.loc` is the one. Without it (the file
 * changed or is gone), errors sit at spec.loc with the full path.
 */
function yamlLocator(spec: ConfigSpec): (e: ConfigError) => LoadError {
  const prefix = parseLocPath(spec.loc.path);
  let locator: Locator | undefined;
  try {
    const { documents } = parseYamlDocuments(readFileSync(spec.loc.file, 'utf8'), spec.loc.file);
    locator = documents
      .map((d) => d.locator)
      .find((l) => {
        const at = l.locate(prefix);
        return at.line === spec.loc.line && at.column === spec.loc.column;
      });
  } catch {
    locator = undefined;
  }
  return (e) => {
    const path = [...prefix, ...e.path];
    return locator ? locator.error(path, e.message, e.target ?? 'value') : { ...spec.loc, path: formatPath(path), message: e.message };
  };
}

// ---------------------------------------------------------------------------------------------
// Plugin modules

interface PluginModule {
  plugins: Record<string, unknown>;
  weights?: unknown;
}

type ModuleLoad = { ok: true; module: PluginModule } | { ok: false; message: string };

const moduleCache = new Map<string, Promise<ModuleLoad>>();

async function loadModules(paths: readonly unknown[], baseDir: string): Promise<LoadedModules> {
  const loaded: Array<{ index: number; written: string; module: PluginModule }> = [];
  const errors: ConfigError[] = [];
  for (let i = 0; i < paths.length; i++) {
    const written = paths[i];
    if (typeof written !== 'string' || written === '') continue; // the configuration's validation reports it
    const abs = isAbsolute(written) ? written : resolve(baseDir, written);
    const r = await loadModuleFile(abs, written);
    if (r.ok) loaded.push({ index: i, written, module: r.module });
    else errors.push({ path: ['pluginModules', i], message: r.message });
  }
  const registered = registerModules(loaded);
  return { plugins: registered.plugins, errors: [...errors, ...registered.errors] };
}

/** The modules' plugins by name (adapted), refusing names that are in-tree or defined twice. */
function registerModules(loaded: ReadonlyArray<{ index: number; written: string; module: PluginModule }>): LoadedModules {
  const inTree = inTreeRegistry();
  const plugins = new Map<string, PluginFactory>();
  const owner = new Map<string, string>();
  const errors: ConfigError[] = [];
  for (const { index, written, module } of loaded) {
    for (const [name, factory] of Object.entries(module.plugins)) {
      const path = ['pluginModules', index];
      if (inTree.has(name)) errors.push({ path, message: `plugin module ${JSON.stringify(written)}: plugin ${JSON.stringify(name)} is an in-tree plugin; give the custom plugin another name` });
      else if (owner.has(name)) errors.push({ path, message: `plugin module ${JSON.stringify(written)}: plugin ${JSON.stringify(name)} is already defined by plugin module ${JSON.stringify(owner.get(name))}` });
      else {
        owner.set(name, written);
        plugins.set(name, adaptFactory(name, factory as CustomFactory));
      }
    }
  }
  return { plugins, errors };
}

/** One module file, loaded once per version of the file (path, modification time and size). */
function loadModuleFile(abs: string, written: string): Promise<ModuleLoad> {
  const label = `plugin module ${JSON.stringify(written)}`;
  const ext = extname(abs).toLowerCase();
  if (!JS_EXTENSIONS.has(ext) && !TS_EXTENSIONS.has(ext)) {
    return Promise.resolve({ ok: false, message: `${label}: unsupported file type ${JSON.stringify(ext || basename(abs))}; use .js, .mjs, .cjs, .ts or .mts` });
  }
  if (!existsSync(abs)) return Promise.resolve({ ok: false, message: `${label} not found (looked for ${abs})` });
  let key: string;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return Promise.resolve({ ok: false, message: `${label} is not a file (${abs})` });
    key = `${abs}\0${st.mtimeMs}\0${st.size}`;
  } catch (err) {
    return Promise.resolve({ ok: false, message: `${label}: ${describeError(err)}` });
  }
  let p = moduleCache.get(key);
  if (p === undefined) {
    p = importModule(abs, ext, label);
    moduleCache.set(key, p);
  }
  return p;
}

async function importModule(abs: string, ext: string, label: string): Promise<ModuleLoad> {
  let ns: Record<string, unknown>;
  if (TS_EXTENSIONS.has(ext)) {
    const js = await transpile(abs, label);
    if (!js.ok) return js;
    const dir = mkdtempSync(join(tmpdir(), 'kubedrill-plugin-'));
    try {
      const out = join(dir, `${basename(abs, extname(abs))}.mjs`);
      writeFileSync(out, js.code);
      ns = await importNamespace(out, label);
    } catch (err) {
      return { ok: false, message: err instanceof ModuleLoadError ? err.message : `${label} failed to load: ${describeError(err)}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    try {
      ns = await importNamespace(abs, label);
    } catch (err) {
      return { ok: false, message: err instanceof ModuleLoadError ? err.message : `${label} failed to load: ${describeError(err)}` };
    }
  }
  return moduleShape(ns, label);
}

class ModuleLoadError extends Error {}

async function importNamespace(file: string, label: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ModuleLoadError(`${label} failed to load: ${describeError(err)}`);
  }
}

/** ts.transpileModule to an ES2022 module; syntax errors are reported with their line and column. */
async function transpile(abs: string, label: string): Promise<{ ok: true; code: string } | { ok: false; message: string }> {
  let ts: typeof import('typescript');
  try {
    const mod = (await import('typescript')) as typeof import('typescript') & { default?: typeof import('typescript') };
    ts = mod.default ?? mod;
  } catch {
    return { ok: false, message: `${label}: loading a TypeScript module needs the "typescript" package; install it, or compile the module to .mjs` };
  }
  const source = readFileSync(abs, 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: false },
    fileName: abs,
    reportDiagnostics: true,
    transformers: { after: [specifierRewriter(ts, abs)] },
  });
  const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
  if (d) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return { ok: false, message: `${label} does not compile: ${abs}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ''}: ${text}` };
  }
  return { ok: true, code: out.outputText };
}

/**
 * The transpiled module runs from a temporary directory, so its import specifiers are made
 * absolute as seen from the source file: relative ones (`./helpers.mjs`) become file URLs, package
 * names are resolved from the source's folder when Node's resolution finds them; `node:` builtins
 * and anything unresolvable are left as written.
 */
function specifierRewriter(ts: typeof import('typescript'), abs: string): import('typescript').TransformerFactory<import('typescript').SourceFile> {
  const require = createRequire(abs);
  const rewrite = (spec: string): string => {
    if (spec.startsWith('./') || spec.startsWith('../')) return pathToFileURL(resolve(dirname(abs), spec)).href;
    if (spec.startsWith('node:') || spec.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(spec)) return spec;
    try {
      const found = require.resolve(spec);
      return isAbsolute(found) ? pathToFileURL(found).href : spec;
    } catch {
      return spec;
    }
  };
  return (ctx) => (sf) => {
    const f = ctx.factory;
    const visit = (node: import('typescript').Node): import('typescript').Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const next = rewrite(node.moduleSpecifier.text);
        if (next !== node.moduleSpecifier.text) return f.updateImportDeclaration(node, node.modifiers, node.importClause, f.createStringLiteral(next), node.attributes);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const next = rewrite(node.moduleSpecifier.text);
        if (next !== node.moduleSpecifier.text) return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, f.createStringLiteral(next), node.attributes);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        const next = rewrite(node.arguments[0].text);
        if (next !== node.arguments[0].text) return f.updateCallExpression(node, node.expression, node.typeArguments, [f.createStringLiteral(next), ...node.arguments.slice(1)]);
      }
      return ts.visitEachChild(node, visit, ctx);
    };
    return ts.visitNode(sf, visit) as import('typescript').SourceFile;
  };
}

/** `plugins` (and `weights`) as named exports, or a default export that is the plugins record or `{plugins, weights}`. */
function moduleShape(ns: Record<string, unknown>, label: string): ModuleLoad {
  let plugins: unknown;
  let weights: unknown;
  if (ns['plugins'] !== undefined) {
    plugins = ns['plugins'];
    weights = ns['weights'];
  } else if (isRecord(ns['default'])) {
    const d = ns['default'];
    if (isRecord(d['plugins'])) {
      plugins = d['plugins'];
      weights = d['weights'];
    } else plugins = d;
  }
  if (!isRecord(plugins)) {
    return { ok: false, message: `${label} must export "plugins": an object mapping plugin names to factory functions (args, handle) => plugin` };
  }
  const entries = Object.entries(plugins);
  if (entries.length === 0) return { ok: false, message: `${label} exports no plugins ("plugins" is empty)` };
  for (const [name, factory] of entries) {
    if (typeof factory !== 'function') {
      return { ok: false, message: `${label}: plugins.${name} must be a factory function (args, handle) => plugin, got ${describeValue(factory)}` };
    }
  }
  return { ok: true, module: weights === undefined ? { plugins } : { plugins, weights } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

// ---------------------------------------------------------------------------------------------
// The custom plugin contract (docs/custom-plugins.md): plain objects; statuses as null or
// `{code, reasons}`; exceptions become Error statuses.

type CustomFactory = (args: Record<string, unknown> | undefined, handle: unknown) => unknown;
type AnyFn = (...args: unknown[]) => unknown;

/** upstream framework.UnrollWildCardResource: what a plugin without eventsToRegister is woken by. */
const ALL_EVENTS: readonly ClusterEvent[] = Object.freeze(
  (['Pod', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'CSINode', 'StorageClass'] as const).map((resource) => ({ resource, actions: ['All'] as const })),
);

/** shouldHaveEnqueueExtensions: the plugins whose rejections are retried on cluster events. */
const ENQUEUE_METHODS = ['preEnqueue', 'preFilter', 'filter', 'reserve', 'permit'] as const;
const STATUS_METHODS = ['preEnqueue', 'filter', 'preScore', 'reserve', 'preBind', 'preBindPreFlight', 'bind', 'normalizeScore', 'addPod', 'removePod'] as const;
const PLAIN_METHODS = ['less', 'unreserve', 'postBind'] as const;

const CODE_BY_NAME = new Map<string, Code>(Object.entries(CODE_NAMES).map(([code, name]) => [name, Number(code) as Code]));

/**
 * A status as a plugin module may write it: null/undefined (Success), a Status, or a plain
 * `{code, reasons}` with a numeric code (0 Success … 6 Pending) or its name ("Unschedulable").
 */
export function toStatus(v: unknown, what: string): MaybeStatus {
  if (v === null || v === undefined) return null;
  if (v instanceof Status) return v.code === Code.Success ? null : v;
  if (isRecord(v)) {
    const raw = v['code'];
    const code = typeof raw === 'number' && raw in CODE_NAMES ? (raw as Code) : typeof raw === 'string' ? CODE_BY_NAME.get(raw) : undefined;
    if (code === undefined) return asError(`${what} returned a status with an invalid code ${JSON.stringify(raw)}`);
    if (code === Code.Success) return null;
    const reasons = v['reasons'];
    const list = Array.isArray(reasons) ? reasons.map(String) : typeof reasons === 'string' ? [reasons] : [];
    return new Status(code, ...list);
  }
  return asError(`${what} returned ${describeValue(v)}, not a status (null, or {code, reasons})`);
}

/** The registry factory for a module's plugin: builds the plugin and adapts it to the framework. */
export function adaptFactory(name: string, factory: CustomFactory): PluginFactory {
  return (args, handle) => adaptPlugin(name, factory(args, handle));
}

/**
 * The framework's view of a custom plugin: the registered name; results turned into Status
 * values; an exception turned into an Error status (a scheduling error for the pod, as upstream
 * treats a plugin's error) instead of a crash of the simulator.
 */
export function adaptPlugin(name: string, raw: unknown): AnyPlugin {
  if (!isRecord(raw)) throw new Error(`the factory of plugin ${JSON.stringify(name)} returned ${describeValue(raw)}, not a plugin object`);
  const p = raw;
  const fn = (method: string): AnyFn | undefined => (typeof p[method] === 'function' ? (p[method] as AnyFn) : undefined);
  const threw = (method: string, err: unknown): Status => asError(`${method} threw ${describeError(err)}`);
  /** The method's result, or the Error status of its throw. */
  const call = (method: string, f: AnyFn, a: unknown[]): { value: unknown } | { thrown: Status } => {
    try {
      return { value: f.apply(p, a) };
    } catch (err) {
      return { thrown: threw(method, err) };
    }
  };
  const out: Record<string, unknown> = { name };
  for (const method of STATUS_METHODS) {
    const f = fn(method);
    if (!f) continue;
    out[method] = (...a: unknown[]): MaybeStatus => {
      const c = call(method, f, a);
      return 'thrown' in c ? c.thrown : toStatus(c.value, method);
    };
  }
  const score = fn('score');
  if (score) {
    out['score'] = (...a: unknown[]): number | Status => {
      const c = call('score', score, a);
      if ('thrown' in c) return c.thrown;
      const r = c.value;
      if (typeof r === 'number') return Number.isInteger(r) ? r : asError(`score returned ${r}, not an integer (use Math.trunc)`);
      return toStatus(r, 'score') ?? asError('score returned a success status instead of a score');
    };
  }
  const permit = fn('permit');
  if (permit) {
    // A status, or upstream's (status, timeout) pair as {status, timeoutMs}.
    out['permit'] = (...a: unknown[]): MaybeStatus | PermitResult => {
      const c = call('permit', permit, a);
      if ('thrown' in c) return c.thrown;
      const r = c.value;
      if (!isRecord(r) || !('status' in r) || 'code' in r) return toStatus(r, 'permit');
      const timeoutMs = r['timeoutMs'] ?? 0;
      if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) return asError(`permit returned timeoutMs ${describeValue(timeoutMs)}, not a number of milliseconds`);
      return { status: toStatus(r['status'], 'permit'), timeoutMs };
    };
  }
  const preFilter = fn('preFilter');
  if (preFilter) {
    out['preFilter'] = (...a: unknown[]): { result?: { nodeNames?: Set<string> }; status: MaybeStatus } => {
      const c = call('preFilter', preFilter, a);
      if ('thrown' in c) return { status: c.thrown };
      const r = c.value;
      if (r === null || r === undefined) return { status: null };
      if (!isRecord(r) || !('status' in r || 'result' in r)) return { status: toStatus(r, 'preFilter') };
      const result = isRecord(r['result']) ? r['result'] : undefined;
      const nodes = result?.['nodeNames'];
      const status = toStatus(r['status'], 'preFilter');
      if (nodes instanceof Set || Array.isArray(nodes)) return { result: { nodeNames: new Set([...nodes].map(String)) }, status };
      return { status };
    };
  }
  const postFilter = fn('postFilter');
  if (postFilter) {
    out['postFilter'] = (...a: unknown[]): { result?: { nominatedNodeName?: string }; status: MaybeStatus } => {
      const c = call('postFilter', postFilter, a);
      if ('thrown' in c) return { status: c.thrown };
      const r = c.value;
      if (!isRecord(r) || !('status' in r || 'result' in r)) return { status: toStatus(r, 'postFilter') ?? asError('postFilter returned success without a result') };
      const nominated = isRecord(r['result']) ? r['result']['nominatedNodeName'] : undefined;
      const status = toStatus(r['status'], 'postFilter');
      return typeof nominated === 'string' ? { result: { nominatedNodeName: nominated }, status } : { status };
    };
  }
  for (const method of PLAIN_METHODS) {
    const f = fn(method);
    if (!f) continue;
    out[method] = (...a: unknown[]): unknown => {
      try {
        return f.apply(p, a);
      } catch (err) {
        throw new Error(`plugin ${JSON.stringify(name)}: ${method} threw ${describeError(err)}`);
      }
    };
  }
  const events = fn('eventsToRegister');
  if (events) out['eventsToRegister'] = (): readonly ClusterEvent[] => events.apply(p, []) as readonly ClusterEvent[];
  else if (ENQUEUE_METHODS.some((m) => fn(m))) out['eventsToRegister'] = (): readonly ClusterEvent[] => ALL_EVENTS;
  return out as unknown as AnyPlugin;
}
