// Expectation matchers: `pods`, `object` (partial manifests, with list elements matched
// one-to-one in any order, and Kubernetes defaults for omitted keys) and `event`.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { EventOccurrence } from '../api/events.js';
import { parseQuantityValue } from '../api/quantity.js';
import type { Store } from '../api/store.js';
import { type AnyObject, type Kind, type Pod, KINDS, isKind } from '../api/types.js';
import { formatDuration, parseDuration } from '../engine/time.js';
import type { EventMatcher, ObjectMatcher, PodsMatcher, TextMatcher } from './types.js';

export type MatchOutcome = { ok: true } | { ok: false; message: string; diff?: string };

// ---- pods ------------------------------------------------------------------------------------

export function podPasses(m: PodsMatcher, pod: Pod): boolean {
  if (m.namespace !== '*' && (pod.metadata.namespace ?? 'default') !== m.namespace) return false;
  if (m.labels) for (const [k, v] of Object.entries(m.labels)) if (pod.metadata.labels?.[k] !== v) return false;
  if (m.names && !m.names.includes(pod.metadata.name)) return false;
  if (m.phase !== undefined && (pod.status.phase ?? 'Pending') !== m.phase) return false;
  if (m.ready !== undefined && isReady(pod) !== m.ready) return false;
  if (m.terminating !== undefined && (pod.metadata.deletionTimestamp !== undefined) !== m.terminating) return false;
  const node = pod.spec.nodeName;
  if (m.on && (!node || !m.on.includes(node))) return false;
  if (m.notOn && node && m.notOn.includes(node)) return false;
  return true;
}

function isReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function matchPods(m: PodsMatcher, store: Store): MatchOutcome {
  const passing = [...store.list<Pod>('Pod')].filter((p) => podPasses(m, p));
  const n = passing.length;
  const bound = m.count !== undefined ? `exactly ${m.count}` : m.min !== undefined || m.max !== undefined ? [m.min !== undefined ? `at least ${m.min}` : '', m.max !== undefined ? `at most ${m.max}` : ''].filter(Boolean).join(' and ') : 'at least 1';
  const ok = m.count !== undefined ? n === m.count : m.min !== undefined || m.max !== undefined ? (m.min === undefined || n >= m.min) && (m.max === undefined || n <= m.max) : n >= 1;
  if (ok) return { ok: true };
  const listing = passing.slice(0, 10).map((p) => `${p.metadata.name} (${p.status.phase ?? 'Pending'}${p.spec.nodeName ? ' on ' + p.spec.nodeName : ', unbound'}${p.metadata.deletionTimestamp !== undefined ? ', terminating' : ''})`);
  return { ok: false, message: `expected ${bound} pod(s) matching ${describePods(m)}, found ${n}${listing.length ? ': ' + listing.join(', ') + (n > 10 ? ', ...' : '') : ''}` };
}

function describePods(m: PodsMatcher): string {
  const parts: string[] = [];
  if (m.namespace !== 'default') parts.push(`namespace=${m.namespace}`);
  if (m.labels) parts.push(`labels ${Object.entries(m.labels).map(([k, v]) => `${k}=${v}`).join(',')}`);
  if (m.names) parts.push(`names ${m.names.join(',')}`);
  if (m.phase) parts.push(`phase=${m.phase}`);
  if (m.ready !== undefined) parts.push(`ready=${m.ready}`);
  if (m.terminating !== undefined) parts.push(`terminating=${m.terminating}`);
  if (m.on) parts.push(`on ${m.on.join(',')}`);
  if (m.notOn) parts.push(`not on ${m.notOn.join(',')}`);
  return parts.length ? `{${parts.join('; ')}}` : '{}';
}

// ---- object ----------------------------------------------------------------------------------

export function matchObject(m: ObjectMatcher, store: Store): MatchOutcome {
  const kind = m.object.kind;
  if (!isKind(kind)) return { ok: false, message: `kind ${kind} is not supported` };
  const meta = (m.object['metadata'] ?? {}) as { name?: string; namespace?: string };
  const namespace = KINDS[kind as Kind].namespaced ? meta.namespace ?? 'default' : undefined;
  const candidates = [...store.list(kind as Kind)].filter((o) => (!meta.name || o.metadata.name === meta.name) && (namespace === undefined || o.metadata.namespace === namespace));
  const expected = withoutIdentity(m.object);
  const matching = candidates.filter((o) => subsetMatches(expected, o));
  const what = `${kind}${meta.name ? ' ' + (namespace ? namespace + '/' : '') + meta.name : ''}`;
  if (m.absent) {
    if (matching.length === 0) return { ok: true };
    return { ok: false, message: `expected no ${what} matching, found ${matching.map((o) => o.metadata.name).join(', ')}` };
  }
  if (matching.length > 0) return { ok: true };
  if (candidates.length === 0) return { ok: false, message: `expected a ${what} matching, but no such object exists` };
  const closest = closestObject(expected, candidates);
  return { ok: false, message: `expected a ${what} matching; the closest is ${closest.metadata.name} (diff: - expected, + actual)`, diff: objectDiff(expected, closest) };
}

function withoutIdentity(obj: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, ...rest } = obj;
  const meta = { ...((rest['metadata'] as Record<string, unknown>) ?? {}) };
  delete meta['namespace'];
  return Object.keys(meta).length ? { ...rest, metadata: meta } : (({ metadata: _m, ...r }) => r)(rest);
}

/** Does `actual` contain `expected`? Maps as subsets, lists one-to-one in any order. */
export function subsetMatches(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (Array.isArray(expected)) {
    const list = Array.isArray(actual) ? actual : [];
    if (expected.length === 0) return list.length === 0;
    return oneToOne(expected, list);
  }
  if (typeof expected === 'object') {
    if (actual === undefined || actual === null) return isDefaultValue(expected);
    if (typeof actual !== 'object' || Array.isArray(actual)) return false;
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      const a = (actual as Record<string, unknown>)[k];
      if (a === undefined) {
        if (!isDefaultValue(v)) return false;
      } else if (!subsetMatches(v, a)) return false;
    }
    return true;
  }
  if (actual === undefined) return isDefaultValue(expected);
  return scalarEquals(expected, actual);
}

/** Kubernetes leaves zero values out: false, 0, "", empty lists and maps match an absent key. */
function isDefaultValue(v: unknown): boolean {
  if (v === false || v === 0 || v === '' || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && v !== null) return Object.values(v).every(isDefaultValue);
  return false;
}

function scalarEquals(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof actual === 'number' && typeof expected === 'string') {
    const d = parseDuration(expected);
    if (d.ok && d.ms === actual) return true;
  }
  if ((typeof expected === 'string' || typeof expected === 'number') && (typeof actual === 'string' || typeof actual === 'number')) {
    const a = parseQuantityValue(expected);
    const b = parseQuantityValue(actual);
    if (a.ok && b.ok) return a.quantity.cmp(b.quantity) === 0;
    return String(expected) === String(actual);
  }
  return false;
}

/** A true one-to-one assignment (augmenting paths), so order and greed never matter. */
function oneToOne(expected: readonly unknown[], actual: readonly unknown[]): boolean {
  if (expected.length > actual.length) return false;
  const owner = new Array<number>(actual.length).fill(-1);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actual.length; j++) {
      if (seen[j] || !subsetMatches(expected[i], actual[j])) continue;
      seen[j] = true;
      if (owner[j] === -1 || tryAssign(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) if (!tryAssign(i, new Array<boolean>(actual.length).fill(false))) return false;
  return true;
}

const IDENTITY_KEYS = new Set(['name', 'type', 'key']);

/** Leaves of `expected` that `actual` matches: the measure of "closest". */
function matchingLeaves(expected: unknown, actual: unknown): number {
  if (Array.isArray(expected)) {
    const list = Array.isArray(actual) ? actual : [];
    return expected.reduce<number>((n, e) => n + Math.max(0, ...list.map((a) => matchingLeaves(e, a))), 0);
  }
  if (expected !== null && typeof expected === 'object') {
    let n = 0;
    const a = (actual ?? {}) as Record<string, unknown>;
    // Identity-like keys weigh more, so a list element is shown against its namesake.
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) n += matchingLeaves(v, a[k]) * (IDENTITY_KEYS.has(k) ? 2 : 1);
    return n;
  }
  return subsetMatches(expected, actual) ? 1 : 0;
}

function closestObject(expected: Record<string, unknown>, candidates: AnyObject[]): AnyObject {
  let best = candidates[0]!;
  let bestScore = -1;
  for (const c of candidates) {
    const s = matchingLeaves(expected, c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

/** The actual object projected onto the expected keys; in a list, each expected element is
 *  shown against the actual element closest to it. An expected empty list is shown against the
 *  whole actual one (its elements are what fails it). */
export function project(expected: unknown, actual: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return actual;
    const pool = [...actual];
    const out: unknown[] = [];
    for (const e of expected) {
      if (pool.length === 0) break;
      let best = 0;
      for (let i = 1; i < pool.length; i++) if (matchingLeaves(e, pool[i]) > matchingLeaves(e, pool[best])) best = i;
      out.push(project(e, pool.splice(best, 1)[0]));
    }
    return out;
  }
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return actual;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(expected as Record<string, unknown>)) {
    const a = (actual as Record<string, unknown>)[k];
    if (a !== undefined) out[k] = project((expected as Record<string, unknown>)[k], a);
  }
  return out;
}

export function objectDiff(expected: Record<string, unknown>, actual: AnyObject): string {
  const projected = project(expected, renderTimes(actual));
  const patch = createTwoFilesPatch('expected', 'actual', stringify(expected), stringify(projected), undefined, undefined, { context: 3 });
  return patch.split('\n').slice(1).join('\n').trimEnd();
}

/** Virtual timestamps shown as durations in diffs (the same form expectations use). */
function renderTimes(v: unknown, key = ''): unknown {
  if (typeof v === 'number' && /(Time|Timestamp|timeAdded|renewTime)$/.test(key)) return formatDuration(v);
  if (Array.isArray(v)) return v.map((x) => renderTimes(x));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderTimes(x, k)]));
  return v;
}

// ---- events ----------------------------------------------------------------------------------

export function textMatches(m: TextMatcher, text: string): boolean {
  return m.kind === 'substring' ? text.includes(m.text) : new RegExp(m.source, m.flags).test(text);
}

export function eventPasses(m: EventMatcher, e: EventOccurrence): boolean {
  if (e.reason !== m.reason) return false;
  if (m.type && e.type !== m.type) return false;
  if (m.message && !textMatches(m.message, e.message)) return false;
  const io = m.involvedObject;
  if (io) {
    if (io.kind && e.involvedObject.kind !== io.kind) return false;
    if (io.name && e.involvedObject.name !== io.name) return false;
    if (io.namespace && (e.involvedObject.namespace ?? '') !== io.namespace) return false;
  }
  return true;
}

export function matchEvents(m: EventMatcher, occurrences: readonly EventOccurrence[], fromMs: number, toMs: number): MatchOutcome {
  const inWindow = occurrences.filter((e) => e.timeMs >= fromMs && e.timeMs <= toMs);
  const found = inWindow.find((e) => eventPasses(m, e));
  if (m.absent) return found ? { ok: false, message: `expected no ${m.reason} event, found one at ${formatDuration(found.timeMs)}: ${found.message}` } : { ok: true };
  if (found) return { ok: true };
  const sameReason = inWindow.filter((e) => e.reason === m.reason).slice(-3);
  const hint = sameReason.length ? `; ${m.reason} events seen: ${sameReason.map((e) => `[${formatDuration(e.timeMs)} ${e.involvedObject.kind}/${e.involvedObject.name}] ${e.message}`).join(' | ')}` : '';
  return { ok: false, message: `expected a ${m.reason} event between ${formatDuration(fromMs)} and ${formatDuration(toMs)}${hint || ', none recorded'}` };
}
