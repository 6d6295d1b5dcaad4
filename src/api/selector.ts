// Kubernetes label selectors and node selectors, following upstream (v1.35) kubernetes/kubernetes:
//   staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go         LabelSelectorAsSelector
//   staging/src/k8s.io/apimachinery/pkg/labels/selector.go              Requirement, NewRequirement,
//                                                                       Matches, String, SelectorFromSet
//   staging/src/k8s.io/apimachinery/pkg/api/validate/content/{kube,dns,errors}.go
//                                                                       label key / value validation text
//   staging/src/k8s.io/apimachinery/pkg/util/validation/field/{errors,path}.go and
//   staging/src/k8s.io/apimachinery/pkg/util/errors/errors.go           error message layout
//   staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
//                                                                       NodeSelector, LazyErrorNodeSelector,
//                                                                       PreferredSchedulingTerms,
//                                                                       GetRequiredNodeAffinity
//   staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go   MatchNodeSelectorTerms
//
// Everything is compiled once; matching walks plain arrays and never allocates (except Gt/Lt
// against a label value of 16+ digits, which falls back to BigInt).

// ---------------------------------------------------------------------------------------------
// API shapes (as in Kubernetes manifests)

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[];
}
export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}
export type Labels = Record<string, string> | undefined;

export interface Selector {
  matches(labels: Labels): boolean;
  empty(): boolean;
  toString(): string;
}
export interface NodeLike {
  name: string;
  labels: Labels;
}
export interface CompiledNodeSelector {
  matches(node: NodeLike): boolean;
}

// ---------------------------------------------------------------------------------------------
// Error text: field.Error / field.Path / errors.Aggregate, as upstream prints them

/** field.Path rendered as a string; '' is the nil path. */
type Path = string;
const child = (p: Path, name: string): Path => (p === '' ? name : `${p}.${name}`);
const index = (p: Path, i: number | string): Path => `${p}[${i}]`;

/** Go's %q (strconv.Quote); JSON escaping agrees for printable text. */
const goQuote = (s: string): string => JSON.stringify(s);

/** Go's %#v of a []string; undefined stands for a nil slice. */
function goStringSlice(values: readonly string[] | undefined): string {
  if (values == null) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

function invalid(field: Path, badValue: string, detail: string): string {
  return `${field}: Invalid value: ${badValue}: ${detail}`;
}

function notSupported(field: Path, value: string, valid: readonly string[]): string {
  return `${field}: Unsupported value: ${goQuote(value)}: supported values: ${valid.map(goQuote).join(', ')}`;
}

/** errors.NewAggregate(...).Error(): one error prints bare, several as "[a, b]". */
function aggregate(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Label key / value validation (content.IsLabelKey, content.IsLabelValue)

const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_KEY_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_MAX = 63;
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX = 63;
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX = 253;

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}
const maxLenError = (n: number): string => `must be no more than ${n} bytes`;
const EMPTY_ERROR = 'must be non-empty';
const KEY_REGEX_ERROR = regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc');

/** Go's len(): UTF-8 byte length. */
function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** Label keys and values already found valid (most are read again and again). */
const validLabelKeys = new Set<string>();
const validLabelValues = new Set<string>();
/** Beyond this many, a set starts again (values may be unbounded: one hostname per node). */
const VALID_SET_MAX = 1 << 16;
const NO_ERRORS: readonly string[] = Object.freeze([]);

function remember(set: Set<string>, value: string): readonly string[] {
  if (set.size >= VALID_SET_MAX) set.clear();
  set.add(value);
  return NO_ERRORS;
}

function labelKeyErrors(value: string): readonly string[] {
  if (validLabelKeys.has(value)) return NO_ERRORS;
  const errs = labelKeyProblems(value);
  return errs.length === 0 ? remember(validLabelKeys, value) : errs;
}

function labelValueErrors(value: string): readonly string[] {
  if (validLabelValues.has(value)) return NO_ERRORS;
  const errs = labelValueProblems(value);
  return errs.length === 0 ? remember(validLabelValues, value) : errs;
}

function labelKeyProblems(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      `a valid label key ${KEY_REGEX_ERROR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const errs: string[] = [];
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else for (const e of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${e}`);
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (byteLength(name) > LABEL_KEY_MAX) errs.push(`name part ${maxLenError(LABEL_KEY_MAX)}`);
  if (!LABEL_KEY_RE.test(name)) errs.push(`name part ${KEY_REGEX_ERROR}`);
  return errs;
}

function labelValueProblems(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Integers as strconv.ParseInt(s, 10, 64) reads them: optional sign, ASCII digits, int64 range

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Up to 15 digits a double holds exactly (10^15 < 2^53). */
const SHORT_DIGITS = 15;

function isDecimalInt(s: string): boolean {
  const start = s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45 ? 1 : 0; // '+' | '-'
  if (s.length <= start) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseInt64(s: string): bigint | undefined {
  if (!isDecimalInt(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** A short decimal integer as a double (exact), or NaN when s is not one. Allocation-free. */
function parseShortInt(s: string): number {
  const sign = s.charCodeAt(0);
  const start = sign === 43 || sign === 45 ? 1 : 0;
  if (s.length <= start) return NaN;
  let n = 0;
  for (let i = start; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return sign === 45 ? -n : n;
}

interface IntBound {
  readonly exact: bigint;
  /** Number(exact): exact within ±2^53, and beyond it still on the right side of any short int. */
  readonly approx: number;
}

/** Sign of (value - bound), or NaN when the label value is not an int64. */
function compareInt(value: string, bound: IntBound): number {
  const signed = value.charCodeAt(0) === 43 || value.charCodeAt(0) === 45;
  if (value.length - (signed ? 1 : 0) <= SHORT_DIGITS) return Math.sign(parseShortInt(value) - bound.approx);
  const n = parseInt64(value);
  if (n === undefined) return NaN;
  return n > bound.exact ? 1 : n < bound.exact ? -1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Requirement (labels.Requirement)

/** selection.Operator values, as upstream spells them. */
type SelectionOp = '=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

function lookup(labels: Labels, key: string): string | undefined {
  if (labels == null) return undefined;
  const v = labels[key];
  // typeof guards against inherited Object.prototype members ("constructor", "toString", ...).
  return typeof v === 'string' ? v : undefined;
}

class Requirement {
  private readonly valueSet: ReadonlySet<string> | null;

  constructor(
    readonly key: string,
    readonly op: SelectionOp,
    readonly values: readonly string[],
    private readonly bound: IntBound | null,
  ) {
    this.valueSet = values.length > 8 ? new Set(values) : null;
  }

  private has(value: string): boolean {
    if (this.valueSet !== null) return this.valueSet.has(value);
    const values = this.values;
    for (let i = 0; i < values.length; i++) if (values[i] === value) return true;
    return false;
  }

  /** Requirement.Matches: NotIn and DoesNotExist match when the key is absent. */
  matches(labels: Labels): boolean {
    const value = lookup(labels, this.key);
    switch (this.op) {
      case '=':
      case 'in':
        return value !== undefined && this.has(value);
      case 'notin':
        return value === undefined || !this.has(value);
      case 'exists':
        return value !== undefined;
      case '!':
        return value === undefined;
      case 'gt':
        return value !== undefined && compareInt(value, this.bound!) > 0;
      case 'lt':
        return value !== undefined && compareInt(value, this.bound!) < 0;
    }
  }

  /** Requirement.String: "!k", "k", "k=v", "k in (a,b)", "k notin (a)", "k>1", "k<1". */
  toString(): string {
    switch (this.op) {
      case '!':
        return `!${this.key}`;
      case 'exists':
        return this.key;
      case 'in':
      case 'notin':
        return `${this.key} ${this.op} (${this.valuesText()})`;
      case 'gt':
      case 'lt':
        return `${this.key}${this.op === 'gt' ? '>' : '<'}${this.valuesText()}`;
      case '=':
        return `${this.key}=${this.valuesText()}`;
    }
  }

  private valuesText(): string {
    // safeSort: ordered output without reordering the compiled values.
    return this.values.length === 1 ? this.values[0]! : [...this.values].sort(byteOrder).join(',');
  }
}

/** Go string order (bytewise); the same as UTF-16 order for the ASCII that labels allow. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function valueCountErrors(op: SelectionOp, vals: readonly string[] | undefined, path: Path): string[] {
  const n = vals?.length ?? 0;
  const values = child(path, 'values');
  switch (op) {
    case 'in':
    case 'notin':
      return n === 0 ? [invalid(values, goStringSlice(vals), "for 'in', 'notin' operators, values set can't be empty")] : [];
    case '=':
      return n === 1 ? [] : [invalid(values, goStringSlice(vals), 'exact-match compatibility requires one single value')];
    case 'exists':
    case '!':
      return n === 0 ? [] : [invalid(values, goStringSlice(vals), 'values set must be empty for exists and does not exist')];
    case 'gt':
    case 'lt':
      return intValueErrors(vals ?? [], values);
  }
}

function intValueErrors(vals: readonly string[], valuesPath: Path): string[] {
  const errs: string[] = [];
  if (vals.length !== 1) {
    errs.push(invalid(valuesPath, goStringSlice(vals), "for 'Gt', 'Lt' operators, exactly one value is required"));
  }
  vals.forEach((v, i) => {
    if (parseInt64(v) === undefined) {
      errs.push(invalid(index(valuesPath, i), goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
    }
  });
  return errs;
}

/**
 * labels.NewRequirement: key and values validated, value count checked per operator. The errors
 * are its ErrorList, duplicates dropped as ToAggregate does. vals undefined is a nil slice.
 */
function newRequirement(
  key: string,
  op: SelectionOp,
  vals: readonly string[] | undefined,
  path: Path,
): { requirement: Requirement } | { errors: string[] } {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) errs.push(invalid(child(path, 'key'), goQuote(key), keyErrs.join('; ')));
  errs.push(...valueCountErrors(op, vals, path));
  (vals ?? []).forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) {
      errs.push(invalid(index(index(child(path, 'values'), i), key), goQuote(v), valueErrs.join('; ')));
    }
  });
  if (errs.length > 0) return { errors: [...new Set(errs)] };
  const values = [...(vals ?? [])];
  const bound = op === 'gt' || op === 'lt' ? intBound(values[0]!) : null;
  return { requirement: new Requirement(key, op, values, bound) };
}

function intBound(value: string): IntBound {
  const exact = parseInt64(value)!;
  return { exact, approx: Number(exact) };
}

// ---------------------------------------------------------------------------------------------
// Selectors (labels.Selector)

class RequirementSelector implements Selector {
  private readonly requirements: readonly Requirement[];

  constructor(requirements: readonly Requirement[]) {
    // selector.Add sorts by key; a stable sort keeps equal keys in insertion order.
    this.requirements = [...requirements].sort((a, b) => byteOrder(a.key, b.key));
  }

  matches(labels: Labels): boolean {
    const reqs = this.requirements;
    for (let i = 0; i < reqs.length; i++) if (!reqs[i]!.matches(labels)) return false;
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.join(',');
  }
}

/** labels.Everything(): matches all label sets, including none. */
export const EVERYTHING: Selector = Object.freeze(new RequirementSelector([]));

/** labels.Nothing(): matches no label set; not empty(); prints as "". */
export const NOTHING: Selector = Object.freeze({
  matches: (_labels: Labels): boolean => false,
  empty: (): boolean => false,
  toString: (): string => '',
});

/** labels.SelectorFromSet (no validation, as upstream): key=value for each entry; empty set = everything. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  const keys = set == null ? [] : Object.keys(set);
  if (keys.length === 0) return EVERYTHING;
  return new RequirementSelector(keys.map((k) => new Requirement(k, '=', [set![k]!], null)));
}

function labelSelectorOp(op: string): SelectionOp | undefined {
  switch (op) {
    case 'In':
      return 'in';
    case 'NotIn':
      return 'notin';
    case 'Exists':
      return 'exists';
    case 'DoesNotExist':
      return '!';
    default:
      return undefined;
  }
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined matches nothing, {} matches everything; otherwise
 * matchLabels (as key=value) AND matchExpressions. The first invalid requirement is the error.
 */
export function labelSelectorAsSelector(sel: LabelSelector | null | undefined): SelectorResult {
  if (sel === null || sel === undefined) return NOTHING_RESULT;
  let r = converted.get(sel);
  if (r === undefined) converted.set(sel, (r = convertLabelSelector(sel)));
  return r;
}

type SelectorResult = { ok: true; selector: Selector } | { ok: false; message: string };
const NOTHING_RESULT: SelectorResult = Object.freeze({ ok: true, selector: NOTHING });

/** Each LabelSelector object's conversion, kept while the object lives. An API object is never
 *  changed once written (a write stores a new object), so its selector converts to the same
 *  result every time: the ReplicaSet and Deployment controllers, PDBs and the scheduler's
 *  plugins convert the same stored selectors again on every event. */
const converted = new WeakMap<LabelSelector, SelectorResult>();

function convertLabelSelector(sel: LabelSelector): SelectorResult {
  const matchLabels = sel.matchLabels ?? {};
  const keys = Object.keys(matchLabels).sort(byteOrder);
  const exprs = sel.matchExpressions ?? [];
  if (keys.length + exprs.length === 0) return { ok: true, selector: EVERYTHING };
  const reqs: Requirement[] = [];
  for (const key of keys) {
    const r = newRequirement(key, '=', [matchLabels[key]!], '');
    if ('errors' in r) return { ok: false, message: aggregate(r.errors) };
    reqs.push(r.requirement);
  }
  for (const expr of exprs) {
    const op = labelSelectorOp(expr.operator);
    if (op === undefined) return { ok: false, message: `${goQuote(expr.operator)} is not a valid pod selector operator` };
    // append([]string(nil), expr.Values...): an empty list becomes nil.
    const vals = (expr.values?.length ?? 0) > 0 ? expr.values : undefined;
    const r = newRequirement(expr.key, op, vals, '');
    if ('errors' in r) return { ok: false, message: aggregate(r.errors) };
    reqs.push(r.requirement);
  }
  return { ok: true, selector: new RequirementSelector(reqs) };
}

// ---------------------------------------------------------------------------------------------
// Node selector terms (nodeaffinity.nodeSelectorTerm)

const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const FIELD_SELECTOR_OPERATORS = ['In', 'NotIn'];

function nodeSelectorOp(op: string): SelectionOp | undefined {
  switch (op) {
    case 'Gt':
      return 'gt';
    case 'Lt':
      return 'lt';
    default:
      return labelSelectorOp(op);
  }
}

/** fields.OneTermEqualSelector / OneTermNotEqualSelector over the node's field set. */
interface FieldTerm {
  readonly key: string;
  readonly value: string;
  readonly negate: boolean;
}

interface CompiledTerm {
  readonly labels: RequirementSelector | null;
  readonly fields: readonly FieldTerm[] | null;
}

/** extractNodeFields holds only metadata.name; fields.Set.Get yields "" for anything else. */
function fieldValue(node: NodeLike, key: string): string {
  return key === 'metadata.name' ? node.name : '';
}

function matchFields(fields: readonly FieldTerm[], node: NodeLike): boolean {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if ((fieldValue(node, f.key) === f.value) === f.negate) return false;
  }
  return true;
}

/** nodeSelectorTerm.match: matchFields are skipped for a node with no name (empty field set). */
function matchTerm(term: CompiledTerm, node: NodeLike): boolean {
  if (term.labels !== null && !term.labels.matches(node.labels)) return false;
  if (term.fields !== null && node.name !== '' && !matchFields(term.fields, node)) return false;
  return true;
}

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

/** nodeSelectorRequirementsAsSelector: every invalid expression is reported. */
function parseMatchExpressions(exprs: readonly NodeSelectorRequirement[], path: Path, errs: string[]): RequirementSelector {
  const reqs: Requirement[] = [];
  exprs.forEach((expr, i) => {
    const p = index(path, i);
    const op = nodeSelectorOp(expr.operator);
    if (op === undefined) {
      errs.push(notSupported(child(p, 'operator'), expr.operator, NODE_SELECTOR_OPERATORS));
      return;
    }
    const r = newRequirement(expr.key, op, expr.values, p);
    if ('errors' in r) errs.push(...r.errors);
    else reqs.push(r.requirement);
  });
  return new RequirementSelector(reqs);
}

/** nodeSelectorRequirementsAsFieldSelector: In / NotIn with exactly one value. */
function parseMatchFields(exprs: readonly NodeSelectorRequirement[], path: Path, errs: string[]): FieldTerm[] {
  const fields: FieldTerm[] = [];
  exprs.forEach((expr, i) => {
    const p = index(path, i);
    if (expr.operator !== 'In' && expr.operator !== 'NotIn') {
      errs.push(notSupported(child(p, 'operator'), expr.operator, FIELD_SELECTOR_OPERATORS));
    } else if (expr.values?.length !== 1) {
      errs.push(invalid(child(p, 'values'), goStringSlice(expr.values), 'must have one element'));
    } else {
      fields.push({ key: expr.key, value: expr.values[0]!, negate: expr.operator === 'NotIn' });
    }
  });
  return fields;
}

/** newNodeSelectorTerm for a non-empty term: the compiled term, or every parse error. */
function parseTerm(term: NodeSelectorTerm, path: Path): { term: CompiledTerm; errors: string[] } {
  const errors: string[] = [];
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  const labels = exprs.length > 0 ? parseMatchExpressions(exprs, child(path, 'matchExpressions'), errors) : null;
  const fieldTerms = fields.length > 0 ? parseMatchFields(fields, child(path, 'matchFields'), errors) : null;
  return { term: { labels, fields: fieldTerms }, errors };
}

const NEVER = (_node: NodeLike): boolean => false;

/**
 * One NodeSelectorTerm: its expressions and fields ANDed. A term with neither matchExpressions
 * nor matchFields matches nothing; an invalid term is an error.
 */
export function compileNodeSelectorTerm(
  term: NodeSelectorTerm,
): { ok: true; matches: (node: NodeLike) => boolean } | { ok: false; message: string } {
  if (isEmptyTerm(term)) return { ok: true, matches: NEVER };
  const parsed = parseTerm(term, '');
  if (parsed.errors.length > 0) return { ok: false, message: aggregate(parsed.errors) };
  const compiled = parsed.term;
  return { ok: true, matches: (node) => matchTerm(compiled, node) };
}

/** Terms ORed; empty terms dropped (they match nothing). Parse errors are kept aside. */
class TermList implements CompiledNodeSelector {
  readonly terms: readonly CompiledTerm[];
  readonly errors: readonly string[];

  constructor(terms: readonly NodeSelectorTerm[], path: Path) {
    const compiled: CompiledTerm[] = [];
    const errors: string[] = [];
    terms.forEach((term, i) => {
      if (isEmptyTerm(term)) return;
      const parsed = parseTerm(term, index(path, i));
      if (parsed.errors.length > 0) errors.push(...parsed.errors);
      else compiled.push(parsed.term);
    });
    this.terms = compiled;
    this.errors = errors;
  }

  /** LazyErrorNodeSelector.Match, boolean part: invalid terms never match, valid ones still can. */
  matches(node: NodeLike): boolean {
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) if (matchTerm(terms[i]!, node)) return true;
    return false;
  }
}

/** nodeaffinity.NewNodeSelector: any invalid term makes the whole selector an error. */
export function compileNodeSelector(
  ns: NodeSelector,
): { ok: true; selector: CompiledNodeSelector } | { ok: false; message: string } {
  const list = new TermList(ns.nodeSelectorTerms ?? [], 'nodeSelectorTerms');
  if (list.errors.length > 0) return { ok: false, message: aggregate(list.errors) };
  return { ok: true, selector: list };
}

// ---------------------------------------------------------------------------------------------
// Pod-level helpers (nodeaffinity.GetRequiredNodeAffinity, PreferredSchedulingTerms)

interface PodForAffinity {
  spec?: {
    nodeSelector?: Record<string, string>;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector } };
  };
}

/** The pod's spec.nodeSelector AND its required node affinity, parsed once per pod. */
export class RequiredNodeAffinity {
  private constructor(
    private readonly labelSelector: Selector | null,
    private readonly nodeSelector: TermList | null,
  ) {}

  /** Conversions kept per pod spec and per NodeSelector object: an API object is never changed
   *  once written, and the scheduler, the PV controller and the invariants ask again and again. */
  private static readonly bySpec = new WeakMap<object, RequiredNodeAffinity>();
  private static readonly bySelector = new WeakMap<NodeSelector, RequiredNodeAffinity>();

  /** fromPod(pod), kept per pod spec object. */
  static ofPod(pod: PodForAffinity): RequiredNodeAffinity {
    const spec = pod.spec;
    if (spec == null) return RequiredNodeAffinity.fromPod(pod);
    let r = RequiredNodeAffinity.bySpec.get(spec);
    if (r === undefined) RequiredNodeAffinity.bySpec.set(spec, (r = RequiredNodeAffinity.fromPod(pod)));
    return r;
  }

  /** A NodeSelector's terms alone (a PersistentVolume's required node affinity), as fromPod reads
   *  a pod whose only constraint they are; kept per NodeSelector object. */
  static ofNodeSelector(required: NodeSelector): RequiredNodeAffinity {
    let r = RequiredNodeAffinity.bySelector.get(required);
    if (r === undefined) RequiredNodeAffinity.bySelector.set(required, (r = RequiredNodeAffinity.fromPod({ spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } } } })));
    return r;
  }

  static fromPod(pod: PodForAffinity): RequiredNodeAffinity {
    const nodeSelector = pod.spec?.nodeSelector;
    const labelSelector =
      nodeSelector != null && Object.keys(nodeSelector).length > 0 ? selectorFromSet(nodeSelector) : null;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    // GetRequiredNodeAffinity uses the lazy-error selector: a bad term fails alone.
    const terms = required == null ? null : new TermList(required.nodeSelectorTerms ?? [], 'nodeSelectorTerms');
    return new RequiredNodeAffinity(labelSelector, terms);
  }

  /** RequiredNodeAffinity.Match, boolean part (the scheduler ignores the lazy parse errors). */
  match(node: NodeLike): boolean {
    if (this.labelSelector !== null && !this.labelSelector.matches(node.labels)) return false;
    return this.nodeSelector === null || this.nodeSelector.matches(node);
  }
}

interface WeightedTerm {
  readonly weight: number;
  readonly term: CompiledTerm;
}

/**
 * nodeaffinity.NewPreferredSchedulingTerms + Score: the sum of the weights of matching terms.
 * Terms with weight 0 or no requirements are skipped unparsed. Invalid terms are left out of the
 * score; upstream also returns their aggregate error (here `error`), which the scheduler's
 * NodeAffinity PreScore turns into a failed status.
 */
export function compilePreferredTerms(terms: PreferredSchedulingTerm[] | undefined): {
  score(node: NodeLike): number;
  readonly error: string | undefined;
} {
  const weighted: WeightedTerm[] = [];
  const errors: string[] = [];
  (terms ?? []).forEach((t, i) => {
    if (t.weight === 0 || isEmptyTerm(t.preference)) return;
    const parsed = parseTerm(t.preference, index('', i));
    if (parsed.errors.length > 0) errors.push(...parsed.errors);
    else weighted.push({ weight: t.weight, term: parsed.term });
  });
  return {
    error: errors.length > 0 ? aggregate(errors) : undefined,
    score(node: NodeLike): number {
      let score = 0;
      for (let i = 0; i < weighted.length; i++) {
        const w = weighted[i]!;
        if (matchTerm(w.term, node)) score += w.weight;
      }
      return score;
    },
  };
}
