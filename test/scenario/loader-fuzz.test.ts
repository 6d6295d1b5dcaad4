// Loader robustness: whatever the text, loadText returns (never throws, never hangs), every error
// is located at a positive line and column, and whatever loads respects the time bounds.
import fc from 'fast-check';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { loadText } from '../../src/scenario/load.js';
import type { LoadResult } from '../../src/scenario/types.js';

// A file in a folder that does not exist, so includes and scheduler paths resolve to nothing.
const FILE = '/nonexistent-kubedrill-fuzz/scenarios/fuzz.yaml';
const RUNS = 1000;

const VALID = `# yaml-language-server: $schema=../schemas/scenario.schema.json
name: deployment-survives-node-failure
seed: 7
until: 15m
cluster:
  scheduler: default
  nodes:
    - name: worker-{1..3}
      capacity: {cpu: "4", memory: 16Gi, pods: 110}
      labels: {topology.kubernetes.io/zone: zone-a}
    - {name: "pool-{i}", count: 2, capacity: {cpu: 2, memory: 8Gi}, taints: [{key: dedicated, effect: NoSchedule}]}
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: nginx
                image: nginx:1.27
                resources: {requests: {cpu: 500m, memory: 256Mi}}
  controlPlane: {nodeMonitorGracePeriod: 40s, watchLatency: 10ms}
events:
  - at: 1m
    failNode: worker-1
  - at: 2m
    scale: {kind: Deployment, name: web, replicas: 5}
  - at: 10m
    recoverNode: worker-1
expect:
  - at: 30s
    pods: {labels: {app: web}, phase: Running, count: 3}
  - eventually: {from: 1m, by: 3m}
    event: {reason: NodeNotReady, message: "/not ready/i", involvedObject: {kind: Node, name: worker-1}}
  - always: {from: 1m, until: 10m}
    pods: {labels: {app: web}, terminating: false, min: 2}
  - at: end
    object:
      apiVersion: v1
      kind: Node
      metadata: {name: worker-1}
      spec: {taints: [{key: node.kubernetes.io/unreachable}]}
    absent: true
`;

const TOKENS = [
  'name', 'until', 'seed', 'cluster', 'nodes', 'objects', 'include', 'scheduler', 'controlPlane', 'events', 'expect',
  'at', 'end', 'always', 'eventually', 'from', 'by', 'pods', 'object', 'event', 'absent', 'capacity', 'cpu', 'memory',
  'count', 'kind', 'Pod', 'Node', 'apiVersion', 'v1', 'metadata', 'spec', 'failNode', 'cordon', 'addNode', 'drain',
  ':', ': ', '- ', '-', '{', '}', '[', ']', ',', '\n', '\n  ', '\n    ', ' ', '"', "'", '&a ', '*a', '<<: ', '---\n',
  '# c', '|', '>', '? ', '!!str ', '0', '1', '-1', '1m', '30s', '1.5', '1e3', '500m', '16Gi', 'true', 'null', '~',
  'worker-{1..3}', '{i}', '/x(/', '*', '**', '\t', '%YAML 1.2\n', '\\', '\u00e9',
];

function check(result: LoadResult): boolean {
  for (const e of result.errors) {
    if (!Number.isInteger(e.line) || e.line < 1 || !Number.isInteger(e.column) || e.column < 1) return false;
    if (typeof e.message !== 'string' || e.message === '' || typeof e.path !== 'string' || e.file === '') return false;
  }
  for (const s of result.scenarios) {
    if (s.events.some((ev) => ev.atMs < 0 || ev.atMs > s.untilMs)) return false;
    for (const x of s.expect) {
      const w = x.when;
      const times = w.kind === 'at' ? [w.atMs] : w.kind === 'eventually' ? [w.fromMs, w.byMs] : [w.fromMs, w.untilMs];
      if (times.some((ms) => ms < 0 || ms > s.untilMs)) return false;
    }
  }
  return true;
}

/** loadText must return normally; the property fails (with the input) if it throws. */
function loadsSafely(text: string): boolean {
  return check(loadText(text, FILE));
}

t.test('random YAML-ish text', async (t) => {
  const text = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })), { maxLength: 80 }).map((parts) => parts.join(''));
  t.doesNotThrow(() => fc.assert(fc.property(text, loadsSafely), { numRuns: RUNS, seed: 20240601 }));
});

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), a: fc.nat() }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer M> ? M : never;

function applyTextMutation(text: string, m: TextMutation): string {
  if (m.kind === 'delete') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.length);
  }
  if (m.kind === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  const lines = text.split('\n');
  const a = m.a % lines.length;
  if (m.kind === 'duplicateLine') lines.splice(a, 0, lines[a]!);
  else [lines[a], lines[m.b % lines.length]] = [lines[m.b % lines.length]!, lines[a]!];
  return lines.join('\n');
}

t.test('text mutations of a valid scenario', async (t) => {
  t.same(loadText(VALID, FILE).errors, [], 'the seed scenario is valid');
  const mutated = fc.array(textMutation, { minLength: 1, maxLength: 5 }).map((ms) => ms.reduce(applyTextMutation, VALID));
  t.doesNotThrow(() => fc.assert(fc.property(mutated, loadsSafely), { numRuns: RUNS, seed: 20240602 }));
});

// Structural mutations keep the YAML well-formed, so they reach validation and building.
const leafValue = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1.5, 1e21, true, false, null, '', '1m', 'end', '5Gi', '/(/', 'worker-9', 'Pod', 'Service', '{1..3}', [], {}),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);
const jsonValue = fc.oneof(leafValue, fc.array(leafValue, { maxLength: 3 }), fc.dictionary(fc.constantFrom(...TOKENS.filter((k) => /^\w+$/.test(k))), leafValue, { maxKeys: 3 }));

const structuralMutation = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'rename', 'add'),
  value: jsonValue,
  key: fc.constantFrom(...TOKENS.filter((k) => /^\w+$/.test(k))),
});
type StructuralMutation = typeof structuralMutation extends fc.Arbitrary<infer M> ? M : never;

/** Every container (map or list) of the document with the keys in it, in a fixed order. */
function containers(root: unknown): Array<Record<string, unknown> | unknown[]> {
  const out: Array<Record<string, unknown> | unknown[]> = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    out.push(v as Record<string, unknown>);
    for (const child of Object.values(v)) walk(child);
  };
  walk(root);
  return out;
}

function applyStructuralMutation(doc: unknown, m: StructuralMutation): unknown {
  const all = containers(doc);
  const target = all[m.pick % all.length]!;
  const keys = Object.keys(target);
  const key = keys.length === 0 ? m.key : keys[m.pick % keys.length]!;
  const record = target as Record<string, unknown>;
  if (m.kind === 'replace') record[key] = structuredClone(m.value);
  else if (m.kind === 'delete') Array.isArray(target) ? target.splice(Number(key), 1) : delete record[key];
  else if (m.kind === 'rename' && !Array.isArray(target)) {
    record[m.key] = record[key];
    if (m.key !== key) delete record[key];
  } else if (Array.isArray(target)) target.push(structuredClone(m.value));
  else record[m.key] = structuredClone(m.value);
  return doc;
}

t.test('structural mutations of a valid scenario', async (t) => {
  const mutated = fc.array(structuralMutation, { minLength: 1, maxLength: 4 }).map((ms) => stringify(ms.reduce(applyStructuralMutation, parse(VALID) as unknown)));
  t.doesNotThrow(() => fc.assert(fc.property(mutated, loadsSafely), { numRuns: RUNS, seed: 20240603 }));
});
