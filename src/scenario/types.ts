// A scenario after loading: every value parsed (durations to milliseconds, node shorthand to
// Node objects, includes resolved), every piece carrying the place in the file it came from.
import type { AnyObject, Node } from '../api/types.js';
import type { ControlPlaneConfig } from '../cluster/config.js';

export type { ControlPlaneConfig };

/** A place in a scenario file: 1-based line and column, and the path in the document. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** Path in the YAML document, e.g. `cluster.nodes[0].capacity.cpu`. */
  path: string;
}

/** A load or validation error. Printed as `file:line:col: message (at path)`. */
export interface LoadError extends SourceLocation {
  message: string;
}

export function formatLoadError(e: LoadError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}${e.path ? ` (at ${e.path})` : ''}`;
}

export interface Located<T> {
  value: T;
  loc: SourceLocation;
}

/** The scheduling policy: the default profile, or a KubeSchedulerConfiguration object. */
export type SchedulerSpec =
  | { kind: 'default' }
  | { kind: 'config'; config: Record<string, unknown>; loc: SourceLocation; /** file the config came from (for resolving plugin modules) */ baseDir: string }
  /** `cluster.scheduler: plugins.ts`: a custom plugin module alone (its plugins added to the default profile). */
  | { kind: 'module'; path: string; loc: SourceLocation };

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export type EventAction =
  | { type: 'create'; object: AnyObject }
  | { type: 'apply'; object: AnyObject }
  | { type: 'delete'; ref: ObjectRef; gracePeriodMs?: number }
  | { type: 'patch'; ref: ObjectRef; patch: Record<string, unknown> }
  | { type: 'scale'; ref: ObjectRef; replicas: number }
  | { type: 'addNode'; nodes: Node[] }
  | { type: 'removeNode'; node: string }
  | { type: 'failNode'; node: string }
  | { type: 'recoverNode'; node: string }
  | { type: 'partitionNode'; node: string }
  | { type: 'healNode'; node: string }
  | { type: 'cordon'; node: string }
  | { type: 'uncordon'; node: string }
  | { type: 'drain'; node: string; gracePeriodMs?: number }
  | { type: 'crashContainer'; pod: string; namespace: string; container?: string; exitCode: number };

export interface ScenarioEvent {
  atMs: number;
  action: EventAction;
  loc: SourceLocation;
}

export type TimeQualifier =
  | { kind: 'at'; atMs: number; /** written `at: end` */ end: boolean }
  | { kind: 'eventually'; fromMs: number; byMs: number }
  | { kind: 'always'; fromMs: number; untilMs: number };

/** A regular expression or a substring, as written (`/.../flags` is a regex). */
export type TextMatcher = { kind: 'substring'; text: string } | { kind: 'regex'; source: string; flags: string };

export interface PodsMatcher {
  kind: 'pods';
  /** `*` means every namespace. */
  namespace: string;
  labels?: Record<string, string>;
  names?: string[];
  phase?: string;
  ready?: boolean;
  terminating?: boolean;
  on?: string[];
  notOn?: string[];
  count?: number;
  min?: number;
  max?: number;
}

export interface ObjectMatcher {
  kind: 'object';
  /** The expected partial manifest (apiVersion, kind and metadata at least partly given). */
  object: Record<string, unknown> & { kind: string };
  absent: boolean;
}

export interface EventMatcher {
  kind: 'event';
  reason: string;
  type?: 'Normal' | 'Warning';
  message?: TextMatcher;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  absent: boolean;
}

export type Matcher = PodsMatcher | ObjectMatcher | EventMatcher;

export interface Expectation {
  when: TimeQualifier;
  matcher: Matcher;
  loc: SourceLocation;
}

export type InvariantSelection = { kind: 'all' } | { kind: 'none' } | { kind: 'list'; names: string[] };

export interface Scenario {
  name: string;
  description?: string;
  file: string;
  /** Index of the YAML document in its file (0-based). */
  documentIndex: number;
  loc: SourceLocation;
  seed: number;
  untilMs: number;
  /** `settle`: how long the run goes on after `until` with no scenario events; liveness
   *  invariants are checked at its end, and only when it is given. */
  settleMs?: number;
  cluster: {
    scheduler: SchedulerSpec;
    /** Nodes from the shorthand, in file order, as Node objects a kubelet would register. */
    nodes: Array<Located<Node>>;
    /** `objects` then `include`d manifests, in order. Full `kind: Node` manifests stay here. */
    objects: Array<Located<AnyObject>>;
    controlPlane: ControlPlaneConfig;
  };
  events: ScenarioEvent[];
  expect: Expectation[];
  invariants: InvariantSelection;
}

/** What loading one file gives: the scenarios that loaded, and located errors for the rest. */
export interface LoadResult {
  scenarios: Scenario[];
  errors: LoadError[];
}
