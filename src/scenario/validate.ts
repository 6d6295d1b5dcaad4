// Validation of scenario documents and manifests: JSON Schema (draft-07, ajv, compiled once) for
// the shape, plus the semantic checks a schema cannot express. The checks run inside ajv through
// one custom keyword, `x-kubedrill-check`, placed in schemas/scenario.schema.json exactly where a
// value needs it (durations, quantities, names, selectors, ...), so they apply at every depth,
// through $ref, in included manifests and in partial manifests alike. Editors ignore the keyword.
//
// Every problem becomes a LoadError located in the YAML source (file, 1-based line and column, path
// in the document). Error texts follow upstream Kubernetes where a rule is upstream's (DNS-1123
// names: staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go; label selectors and
// quantities through src/api).
import { existsSync, readFileSync } from 'node:fs';
import AjvModule, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node as YamlNode } from 'yaml';
import { parseQuantityValue, type Quantity } from '../api/quantity.js';
import { compileNodeSelectorTerm, labelSelectorAsSelector, type LabelSelectorRequirement, type NodeSelectorTerm } from '../api/selector.js';
import { KINDS, isKind } from '../api/types.js';
import { allInvariantNames } from '../cluster/liveness.js';
import { parseDuration } from '../engine/time.js';
import { expandNodeNames } from './nodes.js';
import type { LoadError, SourceLocation } from './types.js';

// ---------------------------------------------------------------------------------------------
// Paths in a document

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `cluster.nodes[0].capacity.cpu`; keys that are not plain words are quoted: `labels["a.b/c"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function encodePointer(path: readonly PathSegment[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** An ajv instancePath as path segments; a segment is a number where the data holds a list. */
function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  let current: unknown = data;
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const text = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      const seg: PathSegment = Array.isArray(current) && /^\d+$/.test(text) ? Number(text) : text;
      current = isObjectLike(current) ? (current as Record<PathSegment, unknown>)[seg] : undefined;
      return seg;
    });
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const seg of path) current = isObjectLike(current) ? (current as Record<PathSegment, unknown>)[seg] : undefined;
  return current;
}

function isObjectLike(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// YAML documents and source locations

/** Maps paths in one document to file:line:column. */
export interface Locator {
  readonly file: string;
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): SourceLocation;
  error(path: readonly PathSegment[], message: string, target?: 'key' | 'value'): LoadError;
}

/** Maps paths in one YAML document to file:line:column. */
export class YamlLocator implements Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * Where `path` is written. A missing node resolves to its nearest existing ancestor. A map or list
   * value is located at its key (`capacity:`), a scalar at the value itself; `target: 'key'` locates
   * the key of the last segment (for unknown fields).
   */
  locate(path: readonly PathSegment[], target: 'key' | 'value' = 'value'): SourceLocation {
    const found = this.find(path);
    const complete = found.depth === path.length;
    let anchor: YamlNode | null = null;
    if (complete && target === 'key' && found.key) anchor = found.key;
    else if (found.key && (found.node === null || isMap(found.node) || isSeq(found.node))) anchor = found.key;
    else anchor = found.node ?? found.key;
    const offset = anchor?.range?.[0] ?? this.doc.range?.[0] ?? 0;
    const pos = this.lineCounter.linePos(offset);
    return { file: this.file, line: Math.max(1, pos.line), column: Math.max(1, pos.col), path: formatPath(path) };
  }

  error(path: readonly PathSegment[], message: string, target: 'key' | 'value' = 'value'): LoadError {
    return { ...this.locate(path, target), message };
  }

  private find(path: readonly PathSegment[]): { node: YamlNode | null; key: YamlNode | null; depth: number } {
    let node = this.doc.contents as YamlNode | null;
    let key: YamlNode | null = null;
    for (let depth = 0; depth < path.length; depth++) {
      const next = this.child(this.resolve(node), path[depth]!);
      if (!next) return { node, key, depth };
      ({ node, key } = next);
    }
    return { node, key, depth: path.length };
  }

  private resolve(node: YamlNode | null): YamlNode | null {
    for (let hops = 0; node && isAlias(node) && hops < 100; hops++) node = (node.resolve(this.doc) as YamlNode | undefined) ?? null;
    return node;
  }

  private child(parent: YamlNode | null, seg: PathSegment, mergeDepth = 0): { node: YamlNode | null; key: YamlNode | null } | undefined {
    if (isSeq(parent)) {
      const item = typeof seg === 'number' ? parent.items[seg] : undefined;
      return item === undefined ? undefined : { node: item as YamlNode | null, key: null };
    }
    if (!isMap(parent)) return undefined;
    for (const pair of parent.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(seg)) return { node: pair.value as YamlNode | null, key: pair.key };
    }
    if (mergeDepth > 10) return undefined;
    // A `<<: *base` merge key: the field may come from the merged map.
    for (const pair of parent.items) {
      if (!isScalar(pair.key) || pair.key.value !== '<<') continue;
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const hit = this.child(this.resolve(source as YamlNode | null), seg, mergeDepth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  }
}

export interface ParsedDocument {
  /** Position of the document in its file (0-based), counting empty documents. */
  index: number;
  data: unknown;
  locator: Locator;
}

/** Every non-empty document of a YAML stream, with a located error for each that does not parse. */
export function parseYamlDocuments(text: string, file: string): { documents: ParsedDocument[]; errors: LoadError[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true, logLevel: 'error' });
  const docs = Array.isArray(parsed) ? parsed : [];
  const documents: ParsedDocument[] = [];
  const errors: LoadError[] = [];
  docs.forEach((doc, index) => {
    const locator = new YamlLocator(file, doc, lineCounter);
    const syntaxError = doc.errors[0];
    if (syntaxError) {
      const pos = lineCounter.linePos(syntaxError.pos[0]);
      errors.push({ file, line: Math.max(1, pos.line), column: Math.max(1, pos.col), path: '', message: `invalid YAML: ${syntaxError.message}` });
      return;
    }
    const converted = documentData(doc);
    if ('message' in converted) errors.push({ ...locator.locate([]), ...unresolvedAliasPosition(doc, lineCounter), message: `invalid YAML: ${converted.message}` });
    else if (converted.data !== null && converted.data !== undefined) documents.push({ index, data: converted.data, locator });
  });
  return { documents, errors };
}

/**
 * A one-line JSON text (JSON.stringify's, which is YAML too) as parseYamlDocuments would give it:
 * the same data (JSON's scalars mean the same in YAML's core schema) and a locator that finds
 * the same positions (a map or list value at its key, a scalar or list item where it starts).
 * Undefined for any other text (a line break, a `<<` merge key, text JSON.parse rejects), which
 * then goes through the YAML parser, as does a text with a repeated key (JSON.parse takes the
 * last, YAML rejects it).
 */
export function parseJsonDocument(text: string, file: string): { documents: ParsedDocument[]; errors: LoadError[] } | undefined {
  if (/[\t\r\n\u2028\u2029]/.test(text) || text.includes('"<<"') || text.includes('"__proto__"')) return undefined;
  let data: unknown;
  let root: JsonNode;
  try {
    data = JSON.parse(text);
    root = new JsonScanner(text).document();
  } catch {
    return undefined;
  }
  return oneJsonDocument(data, new JsonLocator(file, text, root));
}

/**
 * parseJsonDocument(JSON.stringify(data), file) for a document kubedrill built, without
 * writing and parsing the text: the data is the document itself (which must be JSON data: no
 * undefined member, no -0, nothing JSON.stringify would drop or change), and the text is written
 * only when a location is read. Nothing may change the document afterwards.
 */
export function ownJsonDocument(data: unknown, file: string): { documents: ParsedDocument[]; errors: LoadError[] } {
  return oneJsonDocument(data, new JsonLocator(file, () => JSON.stringify(data), undefined));
}

/** The one document of a JSON text (none for null). */
function oneJsonDocument(data: unknown, locator: JsonLocator): { documents: ParsedDocument[]; errors: LoadError[] } {
  return { documents: data !== null && data !== undefined ? [{ index: 0, data, locator }] : [], errors: [] };
}

/** Where a JSON value starts; for maps, each key's start and value, in text order. */
type JsonNode =
  | { kind: 'scalar'; start: number }
  | { kind: 'seq'; start: number; items: JsonNode[] }
  | { kind: 'map'; start: number; entries: Array<{ key: string; keyStart: number; value: JsonNode }> };

/** The positions of a JSON text JSON.parse accepted (so no syntax checks here). */
class JsonScanner {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): JsonNode {
    const node = this.value();
    this.space();
    if (this.i !== this.text.length) throw new Error('trailing text');
    return node;
  }

  private space(): void {
    const t = this.text;
    while (this.i < t.length && t[this.i] === ' ') this.i++;
  }

  private value(): JsonNode {
    this.space();
    const t = this.text;
    const start = this.i;
    const c = t[start];
    if (c === '{') {
      this.i++;
      const entries: Array<{ key: string; keyStart: number; value: JsonNode }> = [];
      this.space();
      if (t[this.i] === '}') {
        this.i++;
        return { kind: 'map', start, entries };
      }
      for (;;) {
        this.space();
        const keyStart = this.i;
        const key = JSON.parse(t.slice(keyStart, this.stringEnd())) as string;
        // YAML rejects a repeated key where JSON.parse keeps the last: leave it to the YAML parser.
        if (entries.some((e) => e.key === key)) throw new Error('duplicate key');
        this.space();
        this.i++; // ':'
        entries.push({ key, keyStart, value: this.value() });
        this.space();
        if (t[this.i++] === '}') return { kind: 'map', start, entries };
      }
    }
    if (c === '[') {
      this.i++;
      const items: JsonNode[] = [];
      this.space();
      if (t[this.i] === ']') {
        this.i++;
        return { kind: 'seq', start, items };
      }
      for (;;) {
        items.push(this.value());
        this.space();
        if (t[this.i++] === ']') return { kind: 'seq', start, items };
      }
    }
    if (c === '"') this.i = this.stringEnd();
    else while (this.i < t.length && !' ,]}'.includes(t[this.i]!)) this.i++;
    return { kind: 'scalar', start };
  }

  /** From an opening quote at i, the index after the closing one. */
  private stringEnd(): number {
    const t = this.text;
    let j = this.i + 1;
    while (t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
    this.i = j + 1;
    return this.i;
  }
}

/**
 * YamlLocator's answers for a one-line JSON document (line 1; column = offset + 1). The loader
 * asks for a location per object and event as it builds a scenario, and most are never printed:
 * a location's column and path are worked out when read (and the text scanned for positions
 * then, if it was not before).
 */
class JsonLocator implements Locator {
  constructor(
    readonly file: string,
    /** The text, or how to write it (JSON.stringify of a document kubedrill built). */
    private readonly text: string | (() => string),
    private scanned: JsonNode | undefined,
  ) {}

  private get root(): JsonNode {
    return (this.scanned ??= new JsonScanner(typeof this.text === 'string' ? this.text : this.text()).document());
  }

  locate(path: readonly PathSegment[], target: 'key' | 'value' = 'value'): SourceLocation {
    const segments = [...path];
    let column: number | undefined;
    let text: string | undefined;
    const offsetOf = () => this.offset(segments, target);
    return {
      file: this.file,
      line: 1,
      get column(): number {
        return (column ??= Math.max(1, offsetOf() + 1));
      },
      get path(): string {
        return (text ??= formatPath(segments));
      },
    };
  }

  private offset(path: readonly PathSegment[], target: 'key' | 'value'): number {
    let node = this.root;
    let keyStart: number | undefined;
    let depth = 0;
    for (; depth < path.length; depth++) {
      const seg = path[depth]!;
      if (node.kind === 'seq') {
        const item = typeof seg === 'number' ? node.items[seg] : undefined;
        if (item === undefined) break;
        node = item;
        keyStart = undefined;
      } else if (node.kind === 'map') {
        const entry = node.entries.find((e) => e.key === String(seg));
        if (entry === undefined) break;
        node = entry.value;
        keyStart = entry.keyStart;
      } else break;
    }
    const complete = depth === path.length;
    if (complete && target === 'key' && keyStart !== undefined) return keyStart;
    if (keyStart !== undefined && node.kind !== 'scalar') return keyStart;
    return node.start;
  }

  error(path: readonly PathSegment[], message: string, target: 'key' | 'value' = 'value'): LoadError {
    return { ...this.locate(path, target), message };
  }
}

/** Line and column of the first alias whose anchor is not defined before it, if any. */
function unresolvedAliasPosition(doc: Document, lineCounter: LineCounter): { line: number; column: number } | Record<string, never> {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) !== undefined || !alias.range) return undefined;
      offset = alias.range[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return {};
  const pos = lineCounter.linePos(offset);
  return { line: Math.max(1, pos.line), column: Math.max(1, pos.col) };
}

function documentData(doc: Document): { data: unknown } | { message: string } {
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) };
  } catch (err) {
    return { message: err instanceof Error ? err.message : String(err) };
  }
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** The closest candidate within 2 edits, or within a third of the word's length; the first on ties. */
export function suggestClosest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 200) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && distance < word.length && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ?? containing(word, candidates);
}

/** A candidate that holds the word whole, or that the word holds (`leaseDuration` for
 *  `nodeLeaseDuration`, `schedulerNameX` for `schedulerName`), the nearest in length first; only
 *  for words and candidates of 4 letters or more. */
function containing(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 4) return undefined;
  let best: string | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c.length < 4 || !(c.includes(w) || w.includes(c))) continue;
    if (best === undefined || Math.abs(candidate.length - word.length) < Math.abs(best.length - word.length)) best = candidate;
  }
  return best;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const suggestion = suggestClosest(word, candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}

// ---------------------------------------------------------------------------------------------
// Names (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go)

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS_RULES = {
  label: {
    re: new RegExp(`^${DNS1123_LABEL_FMT}$`),
    max: 63,
    error: regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'),
  },
  subdomain: {
    re: new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`),
    max: 253,
    error: regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'),
  },
};
const PERCENT_ERROR = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');

/** validation.RegexError: upstream's layout, double space included. */
function regexError(message: string, format: string, ...examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`;
}

/** The upstream messages for a name that is not a DNS-1123 label / subdomain, or undefined. */
export function dnsNameError(value: string, rule: 'label' | 'subdomain'): string | undefined {
  const { re, max, error } = DNS_RULES[rule];
  const problems: string[] = [];
  if (Buffer.byteLength(value) > max) problems.push(`must be no more than ${max} bytes`);
  if (!re.test(value)) problems.push(error);
  return problems.length === 0 ? undefined : problems.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Semantic checks (the `x-kubedrill-check` keyword)

const CHECK_KEYWORD = 'x-kubedrill-check';

/** A problem found by a check, relative to the checked value. */
interface Finding {
  at?: PathSegment[];
  message: string;
  target?: 'key' | 'value';
}
type Check = (data: unknown) => Finding[];

/** The scenario's `until`, for the duration of one validation (ajv keywords see one value at a time). */
let currentUntil: { ms: number; text: string } = { ms: 600_000, text: '10m0s, the default' };

const ok: Finding[] = [];

function durationFindings(v: unknown): Finding[] {
  if (typeof v !== 'string' && typeof v !== 'number') return ok;
  const parsed = parseDuration(v);
  return parsed.ok ? ok : [{ message: parsed.message }];
}

function timeFindings(v: unknown): Finding[] {
  if (typeof v !== 'string' && typeof v !== 'number') return ok;
  const parsed = parseDuration(v);
  if (!parsed.ok) return [{ message: parsed.message }];
  if (parsed.ms > currentUntil.ms) return [{ message: `time ${String(v)} is after until (${currentUntil.text})` }];
  return ok;
}

function untilFindings(v: unknown): Finding[] {
  if (typeof v !== 'string' && typeof v !== 'number') return ok;
  const parsed = parseDuration(v);
  if (!parsed.ok) return [{ message: parsed.message }];
  return parsed.ms > 0 ? ok : [{ message: 'until must be greater than 0' }];
}

/** `eventually: {from, by}` and `always: {from, until}`: a window must not end before it starts. */
function windowFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const endKey = 'by' in v ? 'by' : 'until';
  if (v.from === undefined || v[endKey] === undefined) return ok;
  const from = parseDuration(v.from);
  const end = parseDuration(v[endKey]);
  if (!from.ok || !end.ok || from.ms <= end.ms) return ok;
  return [{ at: ['from'], message: `from (${String(v.from)}) is after ${endKey} (${String(v[endKey])})` }];
}

function quantityFindings(v: unknown): Finding[] {
  if (typeof v !== 'string' && typeof v !== 'number') return ok;
  const parsed = parseQuantityValue(v);
  if (!parsed.ok) return [{ message: `invalid quantity ${JSON.stringify(v)}: ${parsed.message}` }];
  return parsed.quantity.sign() < 0 ? [{ message: `invalid quantity ${JSON.stringify(v)}: must be greater than or equal to 0` }] : ok;
}

function intOrPercentFindings(v: unknown): Finding[] {
  if (typeof v === 'number') return v < 0 ? [{ message: 'must be greater than or equal to 0' }] : ok;
  if (typeof v === 'string' && !/^[0-9]+%$/.test(v)) return [{ message: `invalid value ${JSON.stringify(v)}: ${PERCENT_ERROR}` }];
  return ok;
}

/** The detail of an upstream field error, without its `field: Invalid value: "x": ` prefix. */
function errorDetail(message: string): string {
  return message.replace(/^[^:]*: Invalid value: (?:"(?:[^"\\]|\\.)*"|\S+): /, '');
}

function labelKeyError(key: string): string | undefined {
  const r = labelSelectorAsSelector({ matchLabels: { [key]: 'v' } });
  return r.ok ? undefined : errorDetail(r.message);
}

function labelValueError(value: string): string | undefined {
  const r = labelSelectorAsSelector({ matchLabels: { k: value } });
  return r.ok ? undefined : errorDetail(r.message);
}

function labelsFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(v)) {
    const keyError = labelKeyError(key);
    if (keyError) findings.push({ at: [key], target: 'key', message: `invalid label key ${JSON.stringify(key)}: ${keyError}` });
    const valueError = typeof value === 'string' ? labelValueError(value) : undefined;
    if (valueError) findings.push({ at: [key], message: `invalid label value ${JSON.stringify(value)}: ${valueError}` });
  }
  return findings;
}

const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function isRequirementShape(v: unknown): v is LabelSelectorRequirement {
  if (!isRecord(v) || typeof v.key !== 'string' || typeof v.operator !== 'string') return false;
  return v.values === undefined || (Array.isArray(v.values) && v.values.every((x) => typeof x === 'string'));
}

function labelSelectorFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const findings = labelsFindings(v.matchLabels).map((f) => ({ ...f, at: ['matchLabels', ...(f.at ?? [])] }));
  const expressions = Array.isArray(v.matchExpressions) ? v.matchExpressions : [];
  expressions.forEach((expr, i) => {
    if (!isRequirementShape(expr)) return;
    const r = labelSelectorAsSelector({ matchExpressions: [expr] });
    if (r.ok) return;
    const badOperator = !LABEL_SELECTOR_OPERATORS.includes(expr.operator);
    findings.push({ at: badOperator ? ['matchExpressions', i, 'operator'] : ['matchExpressions', i], message: r.message });
  });
  return findings;
}

function nodeSelectorTermFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const lists = [v.matchExpressions ?? [], v.matchFields ?? []];
  if (!lists.every((l) => Array.isArray(l) && l.every(isRequirementShape))) return ok;
  const r = compileNodeSelectorTerm(v as NodeSelectorTerm);
  return r.ok ? ok : [{ message: r.message }];
}

function dnsLabelFindings(v: unknown, what: 'name' | 'namespace'): Finding[] {
  if (typeof v !== 'string') return ok;
  const error = dnsNameError(v, 'label');
  return error ? [{ message: `invalid ${what} ${JSON.stringify(v)}: ${error}` }] : ok;
}

const REGEX_LITERAL = /^\/(.*)\/([A-Za-z]*)$/s;

/** A `/.../flags` text is a JavaScript regular expression; anything else is a substring. */
export function parseTextMatcher(text: string): { kind: 'substring'; text: string } | { kind: 'regex'; source: string; flags: string } {
  const m = REGEX_LITERAL.exec(text);
  return m ? { kind: 'regex', source: m[1]!, flags: m[2]! } : { kind: 'substring', text };
}

function textMatcherFindings(v: unknown): Finding[] {
  if (typeof v !== 'string') return ok;
  const matcher = parseTextMatcher(v);
  if (matcher.kind === 'substring') return ok;
  try {
    new RegExp(matcher.source, matcher.flags);
    return ok;
  } catch (err) {
    return [{ message: err instanceof Error ? err.message : String(err) }];
  }
}

export const SUPPORTED_KINDS: readonly string[] = Object.keys(KINDS);

const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A kebab-case name that no invariant has (other spellings are the schema pattern's to report). */
function invariantNameFindings(v: unknown): Finding[] {
  if (typeof v !== 'string' || !KEBAB_CASE.test(v)) return ok;
  const names = allInvariantNames();
  if (names.includes(v)) return ok;
  return [{ message: `unknown invariant ${JSON.stringify(v)}${didYouMean(v, names)}; invariants: ${names.join(', ')}` }];
}

export function unsupportedKindMessage(kind: string): string {
  return `unsupported kind ${JSON.stringify(kind)}${didYouMean(kind, SUPPORTED_KINDS)}; supported kinds: ${SUPPORTED_KINDS.join(', ')}`;
}

function kindFindings(v: unknown): Finding[] {
  return typeof v === 'string' && !isKind(v) ? [{ message: unsupportedKindMessage(v) }] : ok;
}

function manifestNameFindings(v: unknown, partial: boolean): Finding[] {
  if (!isRecord(v) || !isRecord(v.metadata)) return ok;
  const { name, generateName } = v.metadata;
  if (name === undefined || name === '') {
    return partial || typeof generateName === 'string' ? ok : [{ at: ['metadata', 'name'], message: 'name or generateName is required' }];
  }
  if (typeof name !== 'string') return ok;
  const error = dnsNameError(name, v.kind === 'Namespace' ? 'label' : 'subdomain');
  return error ? [{ at: ['metadata', 'name'], message: `invalid name ${JSON.stringify(name)}: ${error}` }] : ok;
}

const CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const NODE_RESOURCES = ['cpu', 'memory', 'pods', 'ephemeral-storage'];

/** Resource names: the standard ones, hugepages-<size>, or a fully qualified extended resource. */
function resourceNameFindings(v: unknown, standard: readonly string[]): Finding[] {
  if (!isRecord(v)) return ok;
  const findings: Finding[] = [];
  for (const name of Object.keys(v)) {
    if (standard.includes(name) || name.startsWith('hugepages-') || name.includes('/')) continue;
    const known = `${standard.join(', ')}, hugepages-<size>`;
    findings.push({
      at: [name],
      target: 'key',
      message: `unknown resource ${JSON.stringify(name)}${didYouMean(name, standard)}; use ${known}, or a fully qualified extended resource such as example.com/gpu`,
    });
  }
  return findings;
}

function nodeShorthandFindings(v: unknown): Finding[] {
  if (!isRecord(v) || typeof v.name !== 'string') return ok;
  const count = typeof v.count === 'number' && Number.isInteger(v.count) ? v.count : undefined;
  if (v.count !== undefined && count === undefined) return ok;
  const expansion = expandNodeNames(v.name, count);
  if (!expansion.ok) return [{ at: ['name'], message: expansion.message }];
  for (const name of expansion.names) {
    const error = dnsNameError(name, 'subdomain');
    if (error) return [{ at: ['name'], message: `invalid node name ${JSON.stringify(name)}: ${error}` }];
  }
  if (typeof v.zone === 'string') {
    const error = labelValueError(v.zone);
    if (error) return [{ at: ['zone'], message: `invalid zone ${JSON.stringify(v.zone)}: ${error}` }];
  }
  return imageSizeFindings(v.images);
}

function imageSizeFindings(images: unknown): Finding[] {
  if (!Array.isArray(images)) return ok;
  const findings: Finding[] = [];
  images.forEach((image, i) => {
    if (!isRecord(image) || image.size === undefined) return;
    const size = parseQuantityValue(image.size);
    if (size.ok && !isSafeByteCount(size.quantity)) {
      findings.push({ at: ['images', i, 'size'], message: `image size ${JSON.stringify(image.size)} is too large` });
    }
  });
  return findings;
}

/** Quantity.value() refuses (throws) values that are not safe integers. */
function isSafeByteCount(q: Quantity): boolean {
  try {
    return Number.isSafeInteger(q.value());
  } catch {
    return false;
  }
}

export const EVENT_ACTIONS = [
  'create', 'apply', 'delete', 'patch', 'scale', 'addNode', 'removeNode', 'failNode', 'recoverNode',
  'partitionNode', 'healNode', 'cordon', 'uncordon', 'drain', 'crashContainer',
] as const;

function eventFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const actions = Object.keys(v).filter((k) => (EVENT_ACTIONS as readonly string[]).includes(k));
  if (actions.length === 1) return ok;
  if (actions.length === 0) return [{ message: `an event needs exactly one action, one of: ${EVENT_ACTIONS.join(', ')}` }];
  return [{ at: [actions[1]!], target: 'key', message: `an event takes exactly one action, but this one has ${actions.length}: ${actions.join(', ')}` }];
}

const TIME_QUALIFIERS = ['at', 'eventually', 'always'];
const MATCHERS = ['pods', 'object', 'event'];

function exactlyOne(v: Record<string, unknown>, names: readonly string[], what: string): Finding[] {
  const present = Object.keys(v).filter((k) => names.includes(k));
  if (present.length === 1) return ok;
  const choices = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  if (present.length === 0) return [{ message: `an expectation needs a ${what}: ${choices}` }];
  return [{ at: [present[1]!], target: 'key', message: `an expectation takes exactly one ${what}, but this one has ${present.join(' and ')}` }];
}

function expectationFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const findings = [...exactlyOne(v, TIME_QUALIFIERS, 'time qualifier'), ...exactlyOne(v, MATCHERS, 'matcher')];
  if ('event' in v && 'always' in v) {
    findings.push({ at: ['event'], target: 'key', message: 'event cannot be checked under always: an Event stays recorded once it happened; to check that one never happens, use "at: end" with "absent: true"' });
  }
  if ('absent' in v && 'pods' in v) {
    findings.push({ at: ['absent'], target: 'key', message: 'absent applies to the object and event matchers; for pods, use count: 0' });
  }
  return findings;
}

function podsFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const findings: Finding[] = [];
  if (v.count !== undefined && (v.min !== undefined || v.max !== undefined)) {
    findings.push({ at: ['count'], target: 'key', message: 'count cannot be combined with min or max' });
  }
  if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max) {
    findings.push({ at: ['min'], message: `min (${v.min}) is greater than max (${v.max})` });
  }
  if (typeof v.namespace === 'string' && v.namespace !== '*') findings.push(...withPrefix(['namespace'], dnsLabelFindings(v.namespace, 'namespace')));
  return findings;
}

function schedulerFindings(v: unknown): Finding[] {
  return v === '' ? [{ message: 'must be "default", a path to a KubeSchedulerConfiguration file, or an inline KubeSchedulerConfiguration' }] : ok;
}

function partialManifestFindings(v: unknown): Finding[] {
  if (!isRecord(v)) return ok;
  const issues = runSchema(validators().partialManifest, v);
  return issues.map((i) => ({ at: i.path, message: i.message, target: i.target }));
}

function withPrefix(prefix: PathSegment[], findings: Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, at: [...prefix, ...(f.at ?? [])] }));
}

const CHECKS: Record<string, Check> = {
  duration: durationFindings,
  time: timeFindings,
  at: (v) => (v === 'end' ? ok : timeFindings(v)),
  until: untilFindings,
  window: windowFindings,
  quantity: quantityFindings,
  'int-or-percent': intOrPercentFindings,
  labels: labelsFindings,
  'label-selector': labelSelectorFindings,
  'node-selector-term': nodeSelectorTermFindings,
  'dns-label': (v) => dnsLabelFindings(v, 'name'),
  namespace: (v) => dnsLabelFindings(v, 'namespace'),
  'text-matcher': textMatcherFindings,
  kind: kindFindings,
  'manifest-names': (v) => manifestNameFindings(v, false),
  'manifest-names-partial': (v) => manifestNameFindings(v, true),
  'container-resources': (v) => resourceNameFindings(v, CONTAINER_RESOURCES),
  'node-resources': (v) => resourceNameFindings(v, NODE_RESOURCES),
  'node-shorthand': nodeShorthandFindings,
  event: eventFindings,
  expectation: expectationFindings,
  'pods-count': podsFindings,
  scheduler: schedulerFindings,
  'partial-manifest': partialManifestFindings,
  'invariant-name': invariantNameFindings,
};

/** The names a schema may use as `x-kubedrill-check` values. */
export const CHECK_NAMES: readonly string[] = Object.keys(CHECKS);

const runCheck: SchemaValidateFunction = (schema: unknown, data: unknown, _parentSchema, dataCxt) => {
  const check = CHECKS[String(schema)];
  if (!check) throw new Error(`schema names an unknown ${CHECK_KEYWORD}: ${String(schema)}`);
  const findings = check(data);
  if (findings.length === 0) return true;
  const base = dataCxt?.instancePath ?? '';
  runCheck.errors = findings.map((f) => ({
    keyword: CHECK_KEYWORD,
    instancePath: base + encodePointer(f.at ?? []),
    message: f.message,
    params: { target: f.target ?? 'value' },
  }));
  return false;
};

// ---------------------------------------------------------------------------------------------
// ajv: the schema, compiled once

export const SCHEMA_ID = 'https://kubedrill.dev/schemas/scenario.schema.json';
const PARTIAL_ID = 'https://kubedrill.dev/schemas/partial-manifest.schema.json';
/** schemas/ at the package root: two levels up from src/scenario/, three from dist/src/scenario/. */
const SCHEMA_URL = [new URL('../../schemas/scenario.schema.json', import.meta.url), new URL('../../../schemas/scenario.schema.json', import.meta.url)].find((u) => existsSync(u))!;

type AjvInstance = InstanceType<typeof AjvModule.default>;
interface Validators {
  ajv: AjvInstance;
  /** Each anyOf/oneOf array of the schemas → its JSON pointer (errors carry the array, not a usable path). */
  alternatives: WeakMap<object, string>;
  scenario: ValidateFunction;
  manifest: ValidateFunction;
  partialManifest: ValidateFunction;
}
let compiled: Validators | undefined;

/** The scenario schema as JSON (read from schemas/scenario.schema.json). */
export function scenarioSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

function validators(): Validators {
  if (compiled) return compiled;
  const Ajv = AjvModule.default;
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strictNumbers: true });
  ajv.addKeyword({ keyword: CHECK_KEYWORD, schemaType: 'string', validate: runCheck, errors: true });
  const schema = scenarioSchema();
  const partial = partialSchema(schema);
  ajv.addSchema(schema);
  ajv.addSchema(partial);
  const alternatives = new WeakMap<object, string>();
  indexAlternatives(schema, `${SCHEMA_ID}#`, alternatives);
  indexAlternatives(partial, `${PARTIAL_ID}#`, alternatives);
  // Each validator is compiled on first use: loading a scenario needs only the scenario's (the
  // fuzzer never needs the others).
  let scenario: ValidateFunction | undefined;
  let manifest: ValidateFunction | undefined;
  let partialManifest: ValidateFunction | undefined;
  compiled = {
    ajv,
    alternatives,
    get scenario() {
      return (scenario ??= ajv.getSchema(SCHEMA_ID)!);
    },
    get manifest() {
      return (manifest ??= ajv.getSchema(`${SCHEMA_ID}#/definitions/manifest`)!);
    },
    get partialManifest() {
      return (partialManifest ??= ajv.getSchema(PARTIAL_ID)!);
    },
  };
  return compiled;
}

function indexAlternatives(node: unknown, pointer: string, index: WeakMap<object, string>): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => indexAlternatives(item, `${pointer}/${i}`, index));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) index.set(value, child);
    indexAlternatives(value, child, index);
  }
}

/**
 * The manifest schema with every `required` dropped (except in `if` conditions, which pick the
 * kind): what an `object` expectation may say, so a typo there is an error too.
 */
function partialSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const strip = (node: unknown, key: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => strip(item, ''));
    if (!isRecord(node)) return node;
    if (key === 'if') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'required' && Array.isArray(v)) continue;
      out[k] = k === CHECK_KEYWORD && v === 'manifest-names' ? 'manifest-names-partial' : strip(v, k);
    }
    return out;
  };
  const definitions = strip(schema.definitions, 'definitions');
  return { $id: PARTIAL_ID, $ref: '#/definitions/manifest', definitions };
}

// ---------------------------------------------------------------------------------------------
// ajv errors → issues

interface Issue {
  path: PathSegment[];
  message: string;
  target: 'key' | 'value';
  origin: 'check' | 'schema';
  keyword: string;
  /** For an unknown field: the allowed field it was probably meant to be. */
  suggestion?: string;
}

function runSchema(validate: ValidateFunction, data: unknown): Issue[] {
  validate(data);
  const errors = collapseAlternatives(validate.errors ?? [], data);
  return preferChecks(errors.map((e) => toIssue(e, data)));
}

function isInside(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(parent + '/');
}

/**
 * ajv reports every failing branch of an anyOf/oneOf, then the anyOf itself. Replace that cascade
 * with the errors of the branch the value was evidently meant for (one whose type fits, fewest
 * errors), or with one "must be A or B" message when no branch fits. Relies on the schema keeping
 * each anyOf alone in its subschema (no sibling keywords that report inside the same value).
 */
function collapseAlternatives(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const alternatives = errors
    .filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && Array.isArray(e.schema) && !('passingSchemas' in e.params && e.params.passingSchemas))
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  let result = errors;
  for (const alt of alternatives) {
    if (!result.includes(alt)) continue;
    result = result.filter((e) => !isInside(e.instancePath, alt.instancePath));
    result.push(...bestBranch(alt, data));
  }
  return result;
}

function bestBranch(alt: ErrorObject, data: unknown): ErrorObject[] {
  const value = valueAt(data, pointerToPath(alt.instancePath, data));
  const { ajv, alternatives } = validators();
  const pointer = alternatives.get(alt.schema as object);
  const branches = (alt.schema as unknown[]).map((_, i) => {
    const validate = pointer === undefined ? undefined : ajv.getSchema(`${pointer}/${i}`);
    if (!validate || validate(value)) return [];
    const errors = collapseAlternatives(validate.errors ?? [], value);
    return errors.map((e) => ({ ...e, instancePath: alt.instancePath + e.instancePath }));
  });
  const fits = branches.filter((errs) => errs.length > 0 && !errs.some((e) => e.instancePath === alt.instancePath && ['type', 'const', 'enum'].includes(e.keyword)));
  if (fits.length > 0) return fits.reduce((best, errs) => (errs.length < best.length ? errs : best));
  const expected = (alt.schema as unknown[]).map(describeSchema).join(' or ');
  return [{ ...alt, message: `must be ${expected} (got ${describeValue(value)})`, keyword: 'alternatives' }];
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', object: 'a map', array: 'a list', null: 'null',
};

function describeSchema(schema: unknown): string {
  if (!isRecord(schema)) return 'a value';
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' or ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  return types.length === 0 ? 'a value' : types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  return String(v);
}

function toIssue(e: ErrorObject, data: unknown): Issue {
  const path = pointerToPath(e.instancePath, data);
  const issue = (message: string, extra: Partial<Issue> = {}): Issue => ({ path, message, target: 'value', origin: 'schema', keyword: e.keyword, ...extra });
  const p = e.params as Record<string, unknown>;
  const got = describeValue(valueAt(data, path));
  switch (e.keyword) {
    case CHECK_KEYWORD:
      return issue(e.message ?? 'invalid value', { origin: 'check', target: p.target === 'key' ? 'key' : 'value' });
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const suggestion = suggestClosest(field, allowed);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      return issue(`unknown field ${JSON.stringify(field)}${hint}`, { path: [...path, field], target: 'key', ...(suggestion ? { suggestion } : {}) });
    }
    case 'required':
      return issue(`missing required field ${JSON.stringify(String(p.missingProperty))}`, { path: [...path, String(p.missingProperty)] });
    case 'type':
      return issue(`must be ${String(p.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ')} (got ${got})`);
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const value = valueAt(data, path);
      const suggestion = typeof value === 'string' ? suggestClosest(value, allowed) : undefined;
      const hint = suggestion === undefined ? '' : `, did you mean "${suggestion}"?`;
      return issue(`must be one of ${allowed.join(', ')} (got ${got}${hint})`);
    }
    case 'const':
      return issue(`must be ${JSON.stringify(p.allowedValue)} (got ${got})`);
    default:
      return issue(otherMessage(e, p));
  }
}

function otherMessage(e: ErrorObject, p: Record<string, unknown>): string {
  switch (e.keyword) {
    case 'minimum':
    case 'maximum':
      return `must be ${e.keyword === 'minimum' ? 'greater' : 'less'} than or equal to ${String(p.limit)}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'minItems':
      return p.limit === 1 ? 'must not be an empty list' : `must have at least ${String(p.limit)} items`;
    case 'pattern':
      return `must match the pattern ${String(p.pattern)}`;
    default:
      return e.message ?? `failed ${e.keyword}`;
  }
}

/**
 * A check's message is more precise than the schema's at the same place (e.g. "invalid duration"
 * over "must be a string"): drop schema issues where a check reported, keeping missing and unknown
 * fields. A missing field that an unknown field was probably meant to be (`capcity` for `capacity`)
 * is said once, by the unknown field. Exact duplicates and ajv's `if` wrappers go too.
 */
function preferChecks(issues: Issue[]): Issue[] {
  const checked = new Set(issues.filter((i) => i.origin === 'check').map((i) => formatPath(i.path)));
  const misspelt = new Set(issues.filter((i) => i.suggestion !== undefined).map((i) => formatPath([...i.path.slice(0, -1), i.suggestion!])));
  const seen = new Set<string>();
  return issues.filter((i) => {
    if (i.keyword === 'if') return false;
    if (i.keyword === 'required' && misspelt.has(formatPath(i.path))) return false;
    if (i.origin === 'schema' && checked.has(formatPath(i.path)) && i.keyword !== 'required' && i.keyword !== 'additionalProperties') return false;
    const key = `${formatPath(i.path)}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Public entry points

function untilContext(data: unknown): { ms: number; text: string } {
  const until = isRecord(data) ? data.until : undefined;
  if (until === undefined) return { ms: 600_000, text: '10m0s, the default' };
  const parsed = parseDuration(until);
  return parsed.ok ? { ms: parsed.ms, text: String(until) } : { ms: Number.MAX_SAFE_INTEGER, text: String(until) };
}

/** Located errors in document order (ajv reports them in schema order). */
function locateAll(issues: Issue[], locator: Locator, basePath: readonly PathSegment[]): LoadError[] {
  const errors = issues.map((i) => locator.error([...basePath, ...i.path], i.message, i.target));
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Schema and semantic errors of one scenario document. */
export function validateScenarioData(data: unknown, locator: Locator): LoadError[] {
  const saved = currentUntil;
  currentUntil = untilContext(data);
  try {
    return locateAll(runSchema(validators().scenario, data), locator, []);
  } finally {
    currentUntil = saved;
  }
}

/** Schema and semantic errors of one manifest, at `basePath` in its document. */
export function validateManifestData(data: unknown, locator: Locator, basePath: readonly PathSegment[] = []): LoadError[] {
  return locateAll(runSchema(validators().manifest, data), locator, basePath);
}

// ---------------------------------------------------------------------------------------------
// Cross-references between nodes and events

export interface NamedAt {
  name: string;
  loc: SourceLocation;
}

/**
 * Node names must be unique among the nodes present at time 0, and every event that names a node
 * must name one that exists at some point of the scenario.
 */
export function checkNodeReferences(initial: readonly NamedAt[], added: readonly string[], references: readonly NamedAt[]): LoadError[] {
  const errors: LoadError[] = [];
  const first = new Map<string, SourceLocation>();
  for (const node of initial) {
    const earlier = first.get(node.name);
    const where = earlier && (earlier.file === node.loc.file ? `line ${earlier.line}` : `${earlier.file}:${earlier.line}:${earlier.column}`);
    if (earlier) errors.push({ ...node.loc, message: `duplicate node name ${JSON.stringify(node.name)} (also defined at ${where})` });
    else first.set(node.name, node.loc);
  }
  const known = [...first.keys(), ...added.filter((n) => !first.has(n))];
  const knownSet = new Set(known);
  for (const ref of references) {
    if (knownSet.has(ref.name)) continue;
    const hint = didYouMean(ref.name, known);
    errors.push({ ...ref.loc, message: `unknown node ${JSON.stringify(ref.name)}${hint}: no node of this scenario has that name` });
  }
  return errors;
}
