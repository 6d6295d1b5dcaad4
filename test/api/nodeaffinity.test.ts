// Node selectors and node affinity: rows transcribed from upstream kubernetes/kubernetes test
// tables, then rows derived from the upstream source (marked as such).
import t from 'tap';
import {
  RequiredNodeAffinity,
  compileNodeSelector,
  compileNodeSelectorTerm,
  compilePreferredTerms,
  type Labels,
  type NodeLike,
  type NodeSelector,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
  type PreferredSchedulingTerm,
} from '../../src/api/selector.js';

const node = (name: string, labels?: Record<string, string>): NodeLike => ({ name, labels });
const req = (key: string, operator: NodeSelectorRequirement['operator'], values?: string[]): NodeSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };
const podWithAffinity = (required: NodeSelector, nodeSelector?: Record<string, string>) => ({
  spec: { nodeSelector, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } } },
});
/** helpers.MatchNodeSelectorTerms: NewLazyErrorNodeSelector(ns).Match(node). */
const matchNodeSelectorTerms = (n: NodeLike, ns: NodeSelector): boolean =>
  RequiredNodeAffinity.fromPod(podWithAffinity(ns)).match(n);

const KEY_DETAIL =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go TestNodeSelectorMatch
// Upstream compares errors ignoring BadValue; here the whole message is compared.
t.test('TestNodeSelectorMatch', async (t) => {
  const rows: { name: string; nodeSelector: NodeSelector; node: NodeLike; wantErr?: string; wantMatch?: boolean }[] = [
    // Upstream passes a nil node; NodeLike is not nullable, so an empty node stands in.
    { name: 'nil node', nodeSelector: { nodeSelectorTerms: [] }, node: node(''), wantMatch: false },
    {
      name: 'invalid field selector and label selector',
      nodeSelector: {
        nodeSelectorTerms: [
          { matchFields: [req('metadata.name', 'In', ['host_1', 'host_2'])] },
          {
            matchExpressions: [req('label_1', 'In', ['label_1_val'])],
            matchFields: [req('metadata.name', 'In', ['host_1'])],
          },
          { matchExpressions: [req('invalid key', 'In', ['label_value'])] },
        ],
      },
      node: node(''),
      wantErr:
        '[nodeSelectorTerms[0].matchFields[0].values: Invalid value: []string{"host_1", "host_2"}: must have one element, ' +
        `nodeSelectorTerms[2].matchExpressions[0].key: Invalid value: "invalid key": ${KEY_DETAIL}]`,
    },
    {
      name: 'node matches field selector, but not labels',
      nodeSelector: {
        nodeSelectorTerms: [
          {
            matchExpressions: [req('label_1', 'In', ['label_1_val'])],
            matchFields: [req('metadata.name', 'In', ['host_1'])],
          },
        ],
      },
      node: node('host_1'),
      wantMatch: false,
    },
    {
      name: 'node matches field selector and label selector',
      nodeSelector: {
        nodeSelectorTerms: [
          {
            matchExpressions: [req('label_1', 'In', ['label_1_val'])],
            matchFields: [req('metadata.name', 'In', ['host_1'])],
          },
        ],
      },
      node: node('host_1', { label_1: 'label_1_val' }),
      wantMatch: true,
    },
    {
      name: 'second term matches',
      nodeSelector: {
        nodeSelectorTerms: [
          { matchExpressions: [req('label_1', 'In', ['label_1_val'])] },
          { matchFields: [req('metadata.name', 'In', ['host_1'])] },
        ],
      },
      node: node('host_1'),
      wantMatch: true,
    },
  ];
  for (const row of rows) {
    const r = compileNodeSelector(row.nodeSelector);
    t.equal(r.ok ? undefined : r.message, row.wantErr, `${row.name}: error`);
    if (r.ok) t.equal(r.selector.matches(row.node), row.wantMatch, `${row.name}: match`);
  }
});

// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go TestPreferredSchedulingTermsScore
// Upstream returns the error instead of a scorer; here it is the scorer's `error`.
t.test('TestPreferredSchedulingTermsScore', async (t) => {
  const rows: { name: string; terms: PreferredSchedulingTerm[]; node?: NodeLike; wantErr?: string; wantScore?: number }[] =
    [
      {
        name: 'invalid field selector and label selector',
        terms: [
          { weight: 1, preference: { matchFields: [req('metadata.name', 'In', ['host_1', 'host_2'])] } },
          {
            weight: 1,
            preference: {
              matchExpressions: [req('label_1', 'In', ['label_1_val'])],
              matchFields: [req('metadata.name', 'In', ['host_1'])],
            },
          },
          { weight: 1, preference: { matchExpressions: [req('invalid key', 'In', ['label_value'])] } },
        ],
        wantErr:
          '[[0].matchFields[0].values: Invalid value: []string{"host_1", "host_2"}: must have one element, ' +
          `[2].matchExpressions[0].key: Invalid value: "invalid key": ${KEY_DETAIL}]`,
      },
      {
        name: 'invalid field selector but no weight, error not reported',
        terms: [{ weight: 0, preference: { matchFields: [req('metadata.name', 'In', ['host_1', 'host_2'])] } }],
        node: node('host_1'),
        wantScore: 0,
      },
      {
        name: 'first and third term match',
        terms: [
          { weight: 5, preference: { matchFields: [req('metadata.name', 'In', ['host_1'])] } },
          { weight: 7, preference: { matchExpressions: [req('unknown_label', 'In', ['unknown_label_val'])] } },
          { weight: 11, preference: { matchExpressions: [req('label_1', 'In', ['label_1_val'])] } },
        ],
        node: node('host_1', { label_1: 'label_1_val' }),
        wantScore: 16,
      },
    ];
  for (const row of rows) {
    const scorer = compilePreferredTerms(row.terms);
    t.equal(scorer.error, row.wantErr, `${row.name}: error`);
    if (row.node !== undefined) t.equal(scorer.score(row.node), row.wantScore, `${row.name}: score`);
  }
});

// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go TestNodeSelectorRequirementsAsSelector
// The function is internal upstream; here it is reached through a one-term selector, and the
// expected labels.Selector is checked by probing labels. Error paths are relative to the term
// (upstream's test passes the path "root").
t.test('TestNodeSelectorRequirementsAsSelector', async (t) => {
  const rows: { in: NodeSelectorRequirement[] | undefined; probes?: [Labels, boolean][]; wantErr?: string }[] = [
    { in: undefined, probes: [[{}, false], [{ foo: 'bar' }, false]] }, // labels.Nothing()
    { in: [], probes: [[{}, false], [{ foo: 'bar' }, false]] }, // labels.Nothing()
    {
      in: [req('foo', 'In', ['bar', 'baz'])], // "foo in (baz,bar)"
      probes: [[{ foo: 'bar' }, true], [{ foo: 'baz' }, true], [{ foo: 'qux' }, false], [{}, false]],
    },
    {
      in: [req('foo', 'Exists', ['bar', 'baz'])],
      wantErr:
        'matchExpressions[0].values: Invalid value: []string{"bar", "baz"}: values set must be empty for exists and does not exist',
    },
    { in: [req('foo', 'Gt', ['1'])], probes: [[{ foo: '2' }, true], [{ foo: '1' }, false], [{}, false]] }, // "foo>1"
    { in: [req('bar', 'Lt', ['7'])], probes: [[{ bar: '6' }, true], [{ bar: '7' }, false], [{}, false]] }, // "bar<7"
  ];
  rows.forEach((row, i) => {
    const term: NodeSelectorTerm = row.in === undefined ? {} : { matchExpressions: row.in };
    const r = compileNodeSelectorTerm(term);
    t.equal(r.ok ? undefined : r.message, row.wantErr, `[${i}] error`);
    if (!r.ok) return;
    for (const [labels, want] of row.probes ?? []) {
      t.equal(r.matches(node('', labels)), want, `[${i}] ${JSON.stringify(labels)}`);
    }
  });
});

// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms
// (GetRequiredNodeAffinity(pod).Match(node))
t.test('TestPodMatchesNodeSelectorAndAffinityTerms', async (t) => {
  const nodeName = 'metadata.name';
  const rows: {
    name: string;
    pod: Parameters<typeof RequiredNodeAffinity.fromPod>[0];
    labels?: Record<string, string>;
    nodeName?: string;
    want: boolean;
  }[] = [
    { name: 'no selector', pod: {}, want: true },
    { name: 'missing labels', pod: { spec: { nodeSelector: { foo: 'bar' } } }, want: false },
    { name: 'same labels', pod: { spec: { nodeSelector: { foo: 'bar' } } }, labels: { foo: 'bar' }, want: true },
    {
      name: 'node labels are superset',
      pod: { spec: { nodeSelector: { foo: 'bar' } } },
      labels: { foo: 'bar', baz: 'blah' },
      want: true,
    },
    {
      name: 'node labels are subset',
      pod: { spec: { nodeSelector: { foo: 'bar', baz: 'blah' } } },
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: 'Pod with matchExpressions using In operator that matches the existing node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('foo', 'In', ['bar', 'value2'])] }] }),
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name: 'Pod with matchExpressions using Gt operator that matches the existing node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('kernel-version', 'Gt', ['0204'])] }] }),
      labels: { 'kernel-version': '0206' },
      want: true,
    },
    {
      name: 'Pod with matchExpressions using NotIn operator that matches the existing node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('mem-type', 'NotIn', ['DDR', 'DDR2'])] }] }),
      labels: { 'mem-type': 'DDR3' },
      want: true,
    },
    {
      name: 'Pod with matchExpressions using Exists operator that matches the existing node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('GPU', 'Exists')] }] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      want: true,
    },
    {
      name: "Pod with affinity that don't match node's labels won't schedule onto the node",
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('foo', 'In', ['value1', 'value2'])] }] }),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: "Pod with a nil []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the node",
      pod: podWithAffinity({} as NodeSelector), // nodeSelectorTerms: nil
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: "Pod with an empty []NodeSelectorTerm in affinity, can't match the node's labels and won't schedule onto the node",
      pod: podWithAffinity({ nodeSelectorTerms: [] }),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [] }] }),
      labels: { foo: 'bar' },
      want: false,
    },
    { name: 'Pod with no Affinity will schedule onto a node', pod: {}, labels: { foo: 'bar' }, want: true },
    {
      name: 'Pod with Affinity but nil NodeSelector will schedule onto a node',
      pod: { spec: { affinity: { nodeAffinity: {} } } },
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name: 'Pod with multiple matchExpressions ANDed that matches the existing node',
      pod: podWithAffinity({
        nodeSelectorTerms: [{ matchExpressions: [req('GPU', 'Exists'), req('GPU', 'NotIn', ['AMD', 'INTER'])] }],
      }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      want: true,
    },
    {
      name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
      pod: podWithAffinity({
        nodeSelectorTerms: [{ matchExpressions: [req('GPU', 'Exists'), req('GPU', 'In', ['AMD', 'INTER'])] }],
      }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      want: false,
    },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      pod: podWithAffinity({
        nodeSelectorTerms: [
          { matchExpressions: [req('foo', 'In', ['bar', 'value2'])] },
          { matchExpressions: [req('diffkey', 'In', ['wrong', 'value2'])] },
        ],
      }),
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name:
        'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) ' +
        'both are satisfied, will schedule onto the node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('foo', 'Exists')] }] }, { foo: 'bar' }),
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name:
        "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) " +
        "is not satisfied, won't schedule onto the node",
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchExpressions: [req('foo', 'Exists')] }] }, { foo: 'bar' }),
      labels: { foo: 'barrrrrr' },
      want: false,
    },
    {
      name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
      pod: podWithAffinity({
        nodeSelectorTerms: [{ matchExpressions: [req('foo', 'NotIn', ['invalid value: ___@#$%^'])] }],
      }),
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: 'Pod with matchFields using In operator that matches the existing node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchFields: [req(nodeName, 'In', ['node_1'])] }] }),
      nodeName: 'node_1',
      want: true,
    },
    {
      name: 'Pod with matchFields using In operator that does not match the existing node',
      pod: podWithAffinity({ nodeSelectorTerms: [{ matchFields: [req(nodeName, 'In', ['node_1'])] }] }),
      nodeName: 'node_2',
      want: false,
    },
    {
      name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
      pod: podWithAffinity({
        nodeSelectorTerms: [
          { matchFields: [req(nodeName, 'In', ['node_1'])] },
          { matchExpressions: [req('foo', 'In', ['bar'])] },
        ],
      }),
      nodeName: 'node_2',
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      pod: podWithAffinity({
        nodeSelectorTerms: [
          { matchFields: [req(nodeName, 'In', ['node_1'])], matchExpressions: [req('foo', 'In', ['bar'])] },
        ],
      }),
      nodeName: 'node_2',
      labels: { foo: 'bar' },
      want: false,
    },
    {
      name: 'Pod with one term: both matchFields and matchExpressions match',
      pod: podWithAffinity({
        nodeSelectorTerms: [
          { matchFields: [req(nodeName, 'In', ['node_1'])], matchExpressions: [req('foo', 'In', ['bar'])] },
        ],
      }),
      nodeName: 'node_1',
      labels: { foo: 'bar' },
      want: true,
    },
    {
      name: 'Pod with two terms: both matchFields and matchExpressions do not match',
      pod: podWithAffinity({
        nodeSelectorTerms: [
          { matchFields: [req(nodeName, 'In', ['node_1'])] },
          { matchExpressions: [req('foo', 'In', ['not-match-to-bar'])] },
        ],
      }),
      nodeName: 'node_2',
      labels: { foo: 'bar' },
      want: false,
    },
  ];
  for (const row of rows) {
    const got = RequiredNodeAffinity.fromPod(row.pod).match(node(row.nodeName ?? '', row.labels));
    t.equal(got, row.want, row.name);
  }
});

// staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go TestMatchNodeSelectorTerms
// Row "nil terms" passes a nil node, which NodeLike cannot express; it is left out.
t.test('TestMatchNodeSelectorTerms', async (t) => {
  const labelTerm: NodeSelectorTerm = { matchExpressions: [req('label_1', 'In', ['label_1_val'])] };
  const fieldTerm: NodeSelectorTerm = { matchFields: [req('metadata.name', 'In', ['host_1'])] };
  const bothTerm: NodeSelectorTerm = { ...labelTerm, ...fieldTerm };
  const rows: { name: string; nodeSelector: NodeSelector; node: NodeLike; want: boolean }[] = [
    {
      name: 'node label matches matchExpressions terms',
      nodeSelector: { nodeSelectorTerms: [labelTerm] },
      node: node('', { label_1: 'label_1_val' }),
      want: true,
    },
    {
      name: 'node field matches matchFields terms',
      nodeSelector: { nodeSelectorTerms: [fieldTerm] },
      node: node('host_1'),
      want: true,
    },
    {
      name: 'invalid node field requirement',
      nodeSelector: { nodeSelectorTerms: [{ matchFields: [req('metadata.name', 'In', ['host_1', 'host_2'])] }] },
      node: node('host_1'),
      want: false,
    },
    {
      name: 'fieldSelectorTerm with node labels',
      nodeSelector: { nodeSelectorTerms: [fieldTerm] },
      node: node('not_host_1', { 'metadata.name': 'host_1' }),
      want: false,
    },
    {
      name: 'labelSelectorTerm with node fields',
      nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [req('metadata.name', 'In', ['host_1'])] }] },
      node: node('host_1'),
      want: false,
    },
    {
      name: 'labelSelectorTerm and fieldSelectorTerm was set, but only node fields',
      nodeSelector: { nodeSelectorTerms: [bothTerm] },
      node: node('host_1'),
      want: false,
    },
    {
      name: 'labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (both matched)',
      nodeSelector: { nodeSelectorTerms: [bothTerm] },
      node: node('host_1', { label_1: 'label_1_val' }),
      want: true,
    },
    {
      name: 'labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (one mismatched)',
      nodeSelector: { nodeSelectorTerms: [bothTerm] },
      node: node('host_1', { label_1: 'label_1_val-failed' }),
      want: false,
    },
    {
      name: 'multi-selector was set, both node fields and labels (one mismatched)',
      nodeSelector: { nodeSelectorTerms: [labelTerm, fieldTerm] },
      node: node('host_1', { label_1: 'label_1_val-failed' }),
      want: true,
    },
  ];
  for (const row of rows) t.equal(matchNodeSelectorTerms(row.node, row.nodeSelector), row.want, row.name);
});

// staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go TestMatchNodeSelectorTermsStateless
// Matching must not reorder the selector's values. Row "nil terms" (nil selector) is left out.
t.test('TestMatchNodeSelectorTermsStateless', async (t) => {
  const exprs = (...values: string[]) => [req('label_1', 'In', values)];
  const fields = (...values: string[]) => [req('metadata.name', 'In', values)];
  const withLabel = node('host_1', { label_1: 'label_1_val' });
  const rows: { name: string; nodeSelector: NodeSelector; node: NodeLike }[] = [
    {
      name: 'nodeLabels: preordered matchExpressions and nil matchFields',
      nodeSelector: { nodeSelectorTerms: [{ matchExpressions: exprs('label_1_val', 'label_2_val') }] },
      node: node('', { label_1: 'label_1_val' }),
    },
    {
      name: 'nodeLabels: unordered matchExpressions and nil matchFields',
      nodeSelector: { nodeSelectorTerms: [{ matchExpressions: exprs('label_2_val', 'label_1_val') }] },
      node: node('', { label_1: 'label_1_val' }),
    },
    {
      name: 'nodeFields: nil matchExpressions and preordered matchFields',
      nodeSelector: { nodeSelectorTerms: [{ matchFields: fields('host_1', 'host_2') }] },
      node: node('host_1'),
    },
    {
      name: 'nodeFields: nil matchExpressions and unordered matchFields',
      nodeSelector: { nodeSelectorTerms: [{ matchFields: fields('host_2', 'host_1') }] },
      node: node('host_1'),
    },
    {
      name: 'nodeLabels and nodeFields: ordered matchExpressions and ordered matchFields',
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: exprs('label_1_val', 'label_2_val'), matchFields: fields('host_1', 'host_2') }],
      },
      node: withLabel,
    },
    {
      name: 'nodeLabels and nodeFields: ordered matchExpressions and unordered matchFields',
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: exprs('label_1_val', 'label_2_val'), matchFields: fields('host_2', 'host_1') }],
      },
      node: withLabel,
    },
    {
      name: 'nodeLabels and nodeFields: unordered matchExpressions and ordered matchFields',
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: exprs('label_2_val', 'label_1_val'), matchFields: fields('host_1', 'host_2') }],
      },
      node: withLabel,
    },
    {
      name: 'nodeLabels and nodeFields: unordered matchExpressions and unordered matchFields',
      nodeSelector: {
        nodeSelectorTerms: [{ matchExpressions: exprs('label_2_val', 'label_1_val'), matchFields: fields('host_2', 'host_1') }],
      },
      node: withLabel,
    },
  ];
  for (const row of rows) {
    const want = structuredClone(row.nodeSelector);
    matchNodeSelectorTerms(row.node, row.nodeSelector);
    compileNodeSelector(row.nodeSelector);
    t.same(row.nodeSelector, want, row.name);
  }
});

// Derived from staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
// (nodeSelectorTerm.match, extractNodeFields, LazyErrorNodeSelector, NewPreferredSchedulingTerms).
// Not upstream rows.
t.test('node selector terms (from source)', async (t) => {
  const byName = compileNodeSelectorTerm({ matchFields: [req('metadata.name', 'In', ['host_1'])] });
  if (!byName.ok) throw new Error(byName.message);
  t.equal(byName.matches(node('host_2')), false, 'matchFields: other name');
  t.equal(byName.matches(node('')), true, 'matchFields skipped for a node without a name (empty field set)');

  // Only metadata.name is in the node's field set; any other key reads as "" (fields.Set.Get).
  const otherField = (operator: 'In' | 'NotIn') =>
    compileNodeSelectorTerm({ matchFields: [req('metadata.namespace', operator, ['host_1'])] });
  const inOther = otherField('In');
  const notInOther = otherField('NotIn');
  if (!inOther.ok || !notInOther.ok) throw new Error('unexpected error');
  t.equal(inOther.matches(node('host_1')), false, 'other field reads as "": In [host_1] fails');
  t.equal(notInOther.matches(node('host_1')), true, 'other field reads as "": NotIn [host_1] holds');

  const lazy: NodeSelector = {
    nodeSelectorTerms: [
      { matchExpressions: [req('foo', 'Gt', ['1', '2'])] },
      { matchExpressions: [req('foo', 'In', ['bar'])] },
    ],
  };
  t.equal(matchNodeSelectorTerms(node('', { foo: 'bar' }), lazy), true, 'lazy: a valid term still matches');
  t.equal(matchNodeSelectorTerms(node('', { foo: '3' }), lazy), false, 'lazy: the invalid term never matches');
  const strict = compileNodeSelector(lazy);
  t.equal(
    strict.ok ? undefined : strict.message,
    'nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string{"1", "2"}: ' +
      "for 'Gt', 'Lt' operators, exactly one value is required",
    'NewNodeSelector: any invalid term is an error',
  );

  const errorOf = (term: NodeSelectorTerm) => {
    const r = compileNodeSelectorTerm(term);
    return r.ok ? undefined : r.message;
  };
  t.equal(
    errorOf({ matchFields: [req('metadata.name', 'Exists')] }),
    'matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"',
  );
  t.equal(
    errorOf({ matchExpressions: [req('foo', 'Equals' as 'In', ['x'])] }),
    'matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
  );
  t.equal(
    errorOf({ matchExpressions: [req('foo', 'Lt', ['-1'])] }),
    "matchExpressions[0].values[0][foo]: Invalid value: \"-1\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    'Gt/Lt values must also be valid label values',
  );
  t.equal(
    errorOf({ matchExpressions: [req('foo', 'Gt', ['9223372036854775808'])] }),
    'matchExpressions[0].values[0]: Invalid value: "9223372036854775808": ' +
      "for 'Gt', 'Lt' operators, the value must be an integer",
    'Gt value beyond int64',
  );

  const scorer = compilePreferredTerms([
    { weight: 1, preference: { matchFields: [req('metadata.name', 'In', ['host_1', 'host_2'])] } },
    { weight: 3, preference: { matchExpressions: [req('label_1', 'In', ['label_1_val'])] } },
    { weight: 9, preference: {} },
  ]);
  t.equal(scorer.score(node('host_1', { label_1: 'label_1_val' })), 3, 'invalid and empty preferred terms score 0');
  t.equal(compilePreferredTerms(undefined).score(node('host_1')), 0, 'no preferred terms');
});

// Derived from staging/src/k8s.io/apimachinery/pkg/labels/selector.go Requirement.Matches (Gt/Lt
// parse the label with strconv.ParseInt(v, 10, 64); a value that does not parse never matches).
t.test('Gt / Lt integer parsing (from source)', async (t) => {
  const rows: [string, 'Gt' | 'Lt', string, boolean][] = [
    ['+3', 'Gt', '2', true],
    ['0206', 'Gt', '0204', true],
    ['-5', 'Lt', '0', true],
    ['2', 'Gt', '2', false],
    ['2', 'Lt', '2', false],
    [' 3', 'Gt', '2', false],
    ['3.0', 'Gt', '2', false],
    ['1e3', 'Gt', '2', false],
    ['0x10', 'Gt', '2', false],
    ['1_000', 'Gt', '2', false],
    ['', 'Lt', '2', false],
    ['-', 'Lt', '2', false],
    ['9007199254740993', 'Gt', '9007199254740992', true],
    ['9007199254740992', 'Gt', '9007199254740993', false],
    ['9223372036854775807', 'Gt', '9223372036854775806', true],
    ['9223372036854775808', 'Gt', '1', false],
    ['-9223372036854775809', 'Lt', '1', false],
    ['-9223372036854775808', 'Lt', '1', true],
    ['0000000000000000000000003', 'Gt', '2', true],
  ];
  for (const [label, operator, bound, want] of rows) {
    const r = compileNodeSelectorTerm({ matchExpressions: [req('v', operator, [bound])] });
    if (!r.ok) throw new Error(r.message);
    t.equal(r.matches(node('', { v: label })), want, `${JSON.stringify(label)} ${operator} ${bound}`);
  }
});
