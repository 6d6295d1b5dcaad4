// Label selectors: rows transcribed from upstream kubernetes/kubernetes test tables, then a few
// rows derived from the upstream source (marked as such) for behaviour the tables do not pin.
import t from 'tap';
import {
  EVERYTHING,
  NOTHING,
  compileNodeSelectorTerm,
  labelSelectorAsSelector,
  selectorFromSet,
  type LabelSelector,
  type LabelSelectorRequirement,
  type Labels,
  type NodeSelectorRequirement,
  type Selector,
} from '../../src/api/selector.js';

function compile(sel: LabelSelector | null | undefined): Selector {
  const r = labelSelectorAsSelector(sel);
  if (!r.ok) throw new Error(`unexpected selector error: ${r.message}`);
  return r.selector;
}

/** Gt / Lt exist only in node selectors, so rows using them go through a node selector term. */
function termMatches(exprs: NodeSelectorRequirement[], labels: Labels): boolean {
  const r = compileNodeSelectorTerm({ matchExpressions: exprs });
  if (!r.ok) throw new Error(`unexpected term error: ${r.message}`);
  return r.matches({ name: '', labels });
}

const expr = (key: string, operator: LabelSelectorRequirement['operator'], values?: string[]): LabelSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };

// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers_test.go TestLabelSelectorAsSelector
t.test('TestLabelSelectorAsSelector', async (t) => {
  const matchLabels = { foo: 'bar' };
  const matchExpressions = [expr('baz', 'In', ['qux', 'norf'])];
  const rows: { in: LabelSelector | null; out: string | Selector; expectErr?: boolean }[] = [
    { in: null, out: NOTHING },
    { in: {}, out: EVERYTHING },
    { in: { matchLabels }, out: 'foo=bar' },
    { in: { matchExpressions }, out: 'baz in (norf,qux)' },
    { in: { matchLabels, matchExpressions }, out: 'baz in (norf,qux),foo=bar' },
    { in: { matchExpressions: [expr('baz', 'Exists', ['qux', 'norf'])] }, out: '', expectErr: true },
  ];
  rows.forEach((row, i) => {
    const inCopy = structuredClone(row.in);
    const r = labelSelectorAsSelector(row.in);
    t.same(row.in, inCopy, `[${i}] input not modified`);
    t.equal(!r.ok, row.expectErr === true, `[${i}] error expected: ${row.expectErr === true}`);
    if (!r.ok) return;
    if (typeof row.out === 'string') t.equal(r.selector.toString(), row.out, `[${i}] String()`);
    else t.equal(r.selector, row.out, `[${i}] is ${row.out === NOTHING ? 'Nothing' : 'Everything'}`);
  });
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestEverything
t.test('TestEverything', async (t) => {
  t.equal(EVERYTHING.matches({ x: 'y' }), true, 'Everything matches');
  t.equal(EVERYTHING.empty(), true, 'Everything is empty');
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestSelectorMatches
// Upstream parses selector strings; each row gives the string and its LabelSelector equivalent
// ("x!=y" matches exactly as NotIn [y]; "x>1" / "x<1" need a node selector term).
t.test('TestSelectorMatches', async (t) => {
  const labelset = { foo: 'bar', baz: 'blah' };
  type Row = { upstream: string; labels: Record<string, string>; match: boolean } & (
    | { sel: LabelSelector }
    | { term: NodeSelectorRequirement[] }
  );
  const rows: Row[] = [
    { upstream: '', sel: {}, labels: { x: 'y' }, match: true },
    { upstream: 'x=y', sel: { matchLabels: { x: 'y' } }, labels: { x: 'y' }, match: true },
    { upstream: 'x=y,z=w', sel: { matchLabels: { x: 'y', z: 'w' } }, labels: { x: 'y', z: 'w' }, match: true },
    {
      upstream: 'x!=y,z!=w',
      sel: { matchExpressions: [expr('x', 'NotIn', ['y']), expr('z', 'NotIn', ['w'])] },
      labels: { x: 'z', z: 'a' },
      match: true,
    },
    { upstream: 'notin=in', sel: { matchLabels: { notin: 'in' } }, labels: { notin: 'in' }, match: true },
    { upstream: 'x', sel: { matchExpressions: [expr('x', 'Exists')] }, labels: { x: 'z' }, match: true },
    { upstream: '!x', sel: { matchExpressions: [expr('x', 'DoesNotExist')] }, labels: { y: 'z' }, match: true },
    { upstream: 'x>1', term: [{ key: 'x', operator: 'Gt', values: ['1'] }], labels: { x: '2' }, match: true },
    { upstream: 'x<1', term: [{ key: 'x', operator: 'Lt', values: ['1'] }], labels: { x: '0' }, match: true },
    { upstream: 'x=z', sel: { matchLabels: { x: 'z' } }, labels: {}, match: false },
    { upstream: 'x=y', sel: { matchLabels: { x: 'y' } }, labels: { x: 'z' }, match: false },
    { upstream: 'x=y,z=w', sel: { matchLabels: { x: 'y', z: 'w' } }, labels: { x: 'w', z: 'w' }, match: false },
    {
      upstream: 'x!=y,z!=w',
      sel: { matchExpressions: [expr('x', 'NotIn', ['y']), expr('z', 'NotIn', ['w'])] },
      labels: { x: 'z', z: 'w' },
      match: false,
    },
    { upstream: 'x', sel: { matchExpressions: [expr('x', 'Exists')] }, labels: { y: 'z' }, match: false },
    { upstream: '!x', sel: { matchExpressions: [expr('x', 'DoesNotExist')] }, labels: { x: 'z' }, match: false },
    { upstream: 'x>1', term: [{ key: 'x', operator: 'Gt', values: ['1'] }], labels: { x: '0' }, match: false },
    { upstream: 'x<1', term: [{ key: 'x', operator: 'Lt', values: ['1'] }], labels: { x: '2' }, match: false },
    { upstream: 'foo=bar', sel: { matchLabels: { foo: 'bar' } }, labels: labelset, match: true },
    { upstream: 'baz=blah', sel: { matchLabels: { baz: 'blah' } }, labels: labelset, match: true },
    { upstream: 'foo=bar,baz=blah', sel: { matchLabels: { foo: 'bar', baz: 'blah' } }, labels: labelset, match: true },
    { upstream: 'foo=blah', sel: { matchLabels: { foo: 'blah' } }, labels: labelset, match: false },
    { upstream: 'baz=bar', sel: { matchLabels: { baz: 'bar' } }, labels: labelset, match: false },
    {
      upstream: 'foo=bar,foobar=bar,baz=blah',
      sel: { matchLabels: { foo: 'bar', foobar: 'bar', baz: 'blah' } },
      labels: labelset,
      match: false,
    },
  ];
  for (const row of rows) {
    const got = 'sel' in row ? compile(row.sel).matches(row.labels) : termMatches(row.term, row.labels);
    t.equal(got, row.match, `${JSON.stringify(row.upstream)} vs ${JSON.stringify(row.labels)}`);
  }
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestSetMatches
t.test('TestSetMatches', async (t) => {
  const labelset = { foo: 'bar', baz: 'blah' };
  const rows: Record<string, string>[] = [{}, { foo: 'bar' }, { baz: 'blah' }, { foo: 'bar', baz: 'blah' }];
  for (const set of rows) t.equal(selectorFromSet(set).matches(labelset), true, `${JSON.stringify(set)} matches`);
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestNilMapIsValid, TestSetIsEmpty
t.test('TestNilMapIsValid / TestSetIsEmpty', async (t) => {
  t.equal(selectorFromSet(undefined).empty(), true, 'selector for nil set is empty');
  t.equal(selectorFromSet({}).empty(), true, 'selector for empty set is empty');
  t.equal(compile({}).empty(), true, 'empty LabelSelector is empty');
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestRequirementConstructor
// In/NotIn/Exists/DoesNotExist rows go through both a LabelSelector and a node selector term;
// Gt/Lt rows only through the term (LabelSelector has no Gt/Lt).
t.test('TestRequirementConstructor', async (t) => {
  const rows: [string, NodeSelectorRequirement['operator'], string[] | undefined, boolean][] = [
    ['x', 'In', undefined, false],
    ['x', 'NotIn', [], false],
    ['x', 'In', ['foo'], true],
    ['x', 'NotIn', ['foo'], true],
    ['x', 'Exists', undefined, true],
    ['x', 'DoesNotExist', undefined, true],
    ['1foo', 'In', ['bar'], true],
    ['1234', 'In', ['bar'], true],
    ['y', 'Gt', ['1'], true],
    ['z', 'Lt', ['6'], true],
    ['foo', 'Gt', ['bar'], false],
    ['barz', 'Lt', ['blah'], false],
    ['a'.repeat(254), 'Exists', undefined, false], // breaks DNS rule that len(key) <= 253
  ];
  for (const [key, operator, values, success] of rows) {
    const req: NodeSelectorRequirement = values === undefined ? { key, operator } : { key, operator, values };
    const name = `${key.slice(0, 12)} ${operator} ${JSON.stringify(values)}`;
    t.equal(compileNodeSelectorTerm({ matchExpressions: [req] }).ok, success, `term: ${name}`);
    if (operator === 'Gt' || operator === 'Lt') continue;
    const sel = labelSelectorAsSelector({ matchExpressions: [expr(key, operator, values)] });
    t.equal(sel.ok, success, `label selector: ${name}`);
  }
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestToString
// Rows 2, 3, 5 and 6 use "!=", "==", "=" mixed with a key repeat, a zero Requirement, or Gt/Lt,
// none of which a LabelSelector can express; rows 1 and 4 are transcribed.
t.test('TestToString', async (t) => {
  const rows: { in: LabelSelectorRequirement[]; out: string }[] = [
    {
      in: [expr('x', 'In', ['abc', 'def']), expr('y', 'NotIn', ['jkl']), expr('z', 'Exists')],
      out: 'x in (abc,def),y notin (jkl),z',
    },
    {
      in: [expr('x', 'NotIn', ['abc']), expr('y', 'In', ['jkl', 'mno']), expr('z', 'NotIn', [''])],
      out: 'x notin (abc),y in (jkl,mno),z notin ()',
    },
  ];
  for (const row of rows) t.equal(compile({ matchExpressions: row.in }).toString(), row.out, row.out);
});

// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go TestRequirementSelectorMatching
// Row 0 (a zero-value Requirement) cannot be built through the API and is left out.
t.test('TestRequirementSelectorMatching', async (t) => {
  type Row = { set: Record<string, string>; match: boolean } & (
    | { sel: LabelSelectorRequirement[] }
    | { term: NodeSelectorRequirement[] }
  );
  const rows: Row[] = [
    { set: { x: 'foo', y: 'baz' }, sel: [expr('x', 'In', ['foo']), expr('y', 'NotIn', ['alpha'])], match: true },
    { set: { x: 'foo', y: 'baz' }, sel: [expr('x', 'In', ['foo']), expr('y', 'In', ['alpha'])], match: false },
    { set: { y: '' }, sel: [expr('x', 'NotIn', ['']), expr('y', 'Exists')], match: true },
    { set: { y: '' }, sel: [expr('x', 'DoesNotExist'), expr('y', 'Exists')], match: true },
    { set: { y: '' }, sel: [expr('x', 'NotIn', ['']), expr('y', 'DoesNotExist')], match: false },
    { set: { y: 'baz' }, sel: [expr('x', 'In', [''])], match: false },
    { set: { z: '2' }, term: [{ key: 'z', operator: 'Gt', values: ['1'] }], match: true },
    { set: { z: 'v2' }, term: [{ key: 'z', operator: 'Gt', values: ['1'] }], match: false },
  ];
  rows.forEach((row, i) => {
    const got = 'sel' in row ? compile({ matchExpressions: row.sel }).matches(row.set) : termMatches(row.term, row.set);
    t.equal(got, row.match, `[${i + 1}] ${JSON.stringify(row.set)}`);
  });
});

// Derived from staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector
// and pkg/labels/selector.go NewRequirement (error text as field.Error prints it). Not upstream rows.
t.test('LabelSelectorAsSelector error messages (from source)', async (t) => {
  const keyErr =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const rows: { in: LabelSelector; message: string }[] = [
    {
      in: { matchExpressions: [expr('baz', 'Exists', ['qux', 'norf'])] },
      message: 'values: Invalid value: []string{"qux", "norf"}: values set must be empty for exists and does not exist',
    },
    {
      in: { matchExpressions: [expr('baz', 'In', [])] },
      message: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    },
    {
      in: { matchExpressions: [{ key: 'baz', operator: 'Gt' as 'In', values: ['1'] }] },
      message: '"Gt" is not a valid pod selector operator',
    },
    { in: { matchLabels: { 'invalid key': 'v' } }, message: `key: Invalid value: "invalid key": ${keyErr}` },
    { in: { matchLabels: { '/foo': 'v' } }, message: 'key: Invalid value: "/foo": prefix part must be non-empty' },
    {
      in: { matchLabels: { foo: 'bad value' } },
      message:
        "values[0][foo]: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    },
    {
      in: { matchLabels: { 'Example.com/foo': 'v' } },
      message:
        "key: Invalid value: \"Example.com/foo\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    },
    {
      in: { matchLabels: { 'a/b/c': 'v' } },
      message: `key: Invalid value: "a/b/c": a valid label key ${keyErr.slice('name part '.length)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    },
    {
      in: { matchLabels: { [`${'a'.repeat(254)}/b`]: 'v' } },
      message: `key: Invalid value: "${'a'.repeat(254)}/b": prefix part must be no more than 253 bytes`,
    },
    {
      in: { matchExpressions: [expr('bad key', 'NotIn', ['ok', 'not ok'])] },
      message: `[key: Invalid value: "bad key": ${keyErr}, values[1][bad key]: Invalid value: "not ok": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]`,
    },
  ];
  for (const row of rows) {
    const r = labelSelectorAsSelector(row.in);
    t.equal(r.ok ? '<no error>' : r.message, row.message, JSON.stringify(row.in));
  }
});

// Keys from the valid rows of staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go
// TestSetSelectorParser (that test is about the string parser; only the keys and values are reused).
t.test('prefixed keys and dotted values (from TestSetSelectorParser)', async (t) => {
  const rows: { sel: LabelSelector; match: Record<string, string>; miss: Record<string, string> }[] = [
    {
      sel: { matchExpressions: [expr('this-is-a-dns.domain.com/key-with-dash', 'Exists')] },
      match: { 'this-is-a-dns.domain.com/key-with-dash': '' },
      miss: { 'key-with-dash': '' },
    },
    {
      sel: { matchExpressions: [expr('this-is-another-dns.domain.com/key-with-dash', 'In', ['so', 'what'])] },
      match: { 'this-is-another-dns.domain.com/key-with-dash': 'what' },
      miss: { 'this-is-another-dns.domain.com/key-with-dash': 'so what' },
    },
    {
      sel: { matchExpressions: [expr('0.1.2.domain/99', 'NotIn', ['10.10.100.1', 'tick.tack.clock'])] },
      match: { '0.1.2.domain/99': '10.10.100.2' },
      miss: { '0.1.2.domain/99': 'tick.tack.clock' },
    },
  ];
  for (const row of rows) {
    const sel = compile(row.sel);
    t.equal(sel.matches(row.match), true, `${sel} matches ${JSON.stringify(row.match)}`);
    t.equal(sel.matches(row.miss), false, `${sel} misses ${JSON.stringify(row.miss)}`);
  }
});

// Derived from staging/src/k8s.io/apimachinery/pkg/labels/selector.go (Add sorts by key,
// String sorts values without mutating them; Set.Has looks at own keys only). Not upstream rows.
t.test('String() ordering and key lookup (from source)', async (t) => {
  const values = ['b', 'a'];
  const sel = compile({ matchLabels: { app: 'web' }, matchExpressions: [expr('tier', 'In', values)] });
  t.equal(sel.toString(), 'app=web,tier in (a,b)', 'requirements by key, values sorted');
  t.same(values, ['b', 'a'], 'values array not reordered');
  t.equal(compile({ matchExpressions: [expr('z', 'DoesNotExist'), expr('a', 'Exists')] }).toString(), 'a,!z');
  t.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2', 'SelectorFromSet sorted by key');
  t.equal(compile({ matchExpressions: [expr('constructor', 'Exists')] }).matches({}), false, 'inherited key absent');
  t.equal(compile({ matchExpressions: [expr('toString', 'DoesNotExist')] }).matches({}), true, 'inherited key absent');
  t.equal(compile({ matchLabels: { x: 'y' } }).matches(undefined), false, 'no labels: x=y fails');
  t.equal(compile({ matchExpressions: [expr('x', 'NotIn', ['y'])] }).matches(undefined), true, 'no labels: notin holds');
  const many = Array.from({ length: 10 }, (_, i) => `v${9 - i}`);
  const inMany = compile({ matchExpressions: [expr('k', 'In', many)] });
  t.equal(inMany.matches({ k: 'v0' }), true, 'In with 10 values: member');
  t.equal(inMany.matches({ k: 'v10' }), false, 'In with 10 values: non-member');
  t.equal(inMany.toString(), 'k in (v0,v1,v2,v3,v4,v5,v6,v7,v8,v9)', 'In with 10 values: String()');
  t.equal(compile({ matchExpressions: [expr('k', 'NotIn', many)] }).matches({ k: 'v5' }), false, 'NotIn with 10 values');
  t.equal(NOTHING.matches({}), false, 'Nothing matches nothing');
  t.equal(NOTHING.empty(), false, 'Nothing is not empty');
  t.equal(compile({ matchLabels: { x: 'y' } }).empty(), false, 'x=y is not empty');
});
