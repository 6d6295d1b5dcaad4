// Determinism: a random small scenario run twice with the same seed gives the same trace digest;
// a different seed may change the digest but never breaks the run.
import t from 'tap';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';

const nodeArb = fc.record({
  cpu: fc.constantFrom('1', '2', '4', '8'),
  memory: fc.constantFrom('2Gi', '8Gi', '16Gi'),
  zone: fc.constantFrom('zone-a', 'zone-b', 'zone-c'),
  tainted: fc.boolean(),
});

const eventArb = fc.record({
  atS: fc.integer({ min: 1, max: 170 }),
  kind: fc.constantFrom('failNode', 'recoverNode', 'cordon', 'uncordon', 'scale'),
  node: fc.integer({ min: 1, max: 4 }),
  replicas: fc.integer({ min: 0, max: 6 }),
});

const scenarioArb = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 4 }),
  replicas: fc.integer({ min: 1, max: 6 }),
  cpu: fc.constantFrom('100m', '500m', '1', '3'),
  events: fc.array(eventArb, { maxLength: 5 }),
});

type RandomScenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function toYaml(s: RandomScenario): string {
  const nodes = s.nodes.map((n, i) => ({
    name: `node-${i + 1}`,
    zone: n.zone,
    capacity: { cpu: n.cpu, memory: n.memory },
    ...(n.tainted ? { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } : {}),
  }));
  const events = [...s.events]
    .sort((a, b) => a.atS - b.atS)
    .filter((e) => e.kind === 'scale' || e.node <= s.nodes.length)
    .map((e) => (e.kind === 'scale' ? { at: `${e.atS}s`, scale: { kind: 'Deployment', name: 'app', replicas: e.replicas } } : { at: `${e.atS}s`, [e.kind]: `node-${e.node}` }));
  return stringify({
    name: 'random',
    seed: s.seed,
    until: '3m',
    cluster: {
      nodes,
      objects: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'app' },
          spec: {
            replicas: s.replicas,
            selector: { matchLabels: { app: 'app' } },
            template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu: s.cpu, memory: '256Mi' } } }] } },
          },
        },
      ],
    },
    events,
  });
}

t.test('same seed, same trace digest', async (t) => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      const loaded = loadText(toYaml(s), 'random.yaml');
      if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('; '));
      const [scenario] = loaded.scenarios;
      const a = runScenario(scenario!);
      const b = runScenario(scenario!);
      return a.digest === b.digest && a.steps === b.steps && a.traceLength > 0;
    }),
    { seed: 20261128, numRuns: 60 },
  );
  t.pass('every random scenario replayed identically');
});

t.test('the seed reaches the trace: two seeds give two digests for a tie-heavy scenario', async (t) => {
  const yaml = toYaml({ seed: 0, nodes: Array.from({ length: 4 }, () => ({ cpu: '4', memory: '8Gi', zone: 'zone-a', tainted: false })), replicas: 5, cpu: '100m', events: [] });
  const [scenario] = loadText(yaml, 'ties.yaml').scenarios;
  const digests = new Set([0, 1, 2, 3].map((seed) => runScenario(scenario!, { seed }).digest));
  t.ok(digests.size > 1, 'seeded choices show in the trace');
});
