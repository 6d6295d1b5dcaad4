import { createHash } from 'node:crypto';
import t from 'tap';
import type { Node, PodSpec } from '../../../src/api/types.js';
import { CycleState, type NodeInfo, PodInfo } from '../../../src/scheduler/framework/types.js';
import { IMAGE_SPREAD_STATE_KEY, calculatePriority, newImageLocality, normalizedImageName } from '../../../src/scheduler/plugins/image_locality.js';
import { fakeHandle, makeNode, makePod, nodeInfo, runScore } from '../fixtures.js';

const mb = 1024 * 1024;
type Images = NonNullable<Node['status']['images']>;

const containers = (...images: string[]): PodSpec['containers'] => images.map((image, i) => ({ name: `c${i}`, image }));

// pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go TestImageLocalityPriority.
const test40250: Partial<PodSpec> = { containers: containers('gcr.io/40', 'gcr.io/250') };
const test40300: Partial<PodSpec> = { containers: containers('gcr.io/40', 'gcr.io/300') };
const testMinMax: Partial<PodSpec> = { containers: containers('gcr.io/10', 'gcr.io/4000') };
const test300600900: Partial<PodSpec> = { containers: containers('gcr.io/300', 'gcr.io/600', 'gcr.io/900') };
const test3040: Partial<PodSpec> = { containers: containers('gcr.io/30', 'gcr.io/40') };
const test30Init300: Partial<PodSpec> = { containers: containers('gcr.io/30'), initContainers: [{ name: 'i0', image: 'gcr.io/300' }] };

const node403002000: Images = [
  { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * mb },
  { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * mb },
  { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * mb },
];
const node25010: Images = [
  { names: ['gcr.io/250:latest'], sizeBytes: 250 * mb },
  { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * mb },
];
const node60040900: Images = [
  { names: ['gcr.io/600:latest'], sizeBytes: 600 * mb },
  { names: ['gcr.io/40:latest'], sizeBytes: 40 * mb },
  { names: ['gcr.io/900:latest'], sizeBytes: 900 * mb },
];
const node300600900: Images = [
  { names: ['gcr.io/300:latest'], sizeBytes: 300 * mb },
  { names: ['gcr.io/600:latest'], sizeBytes: 600 * mb },
  { names: ['gcr.io/900:latest'], sizeBytes: 900 * mb },
];
const node400030: Images = [
  { names: ['gcr.io/4000:latest'], sizeBytes: 4000 * mb },
  { names: ['gcr.io/30:latest'], sizeBytes: 30 * mb },
];
const node203040: Images = [
  { names: ['gcr.io/20:latest'], sizeBytes: 20 * mb },
  { names: ['gcr.io/30:latest'], sizeBytes: 30 * mb },
  { names: ['gcr.io/40:latest'], sizeBytes: 40 * mb },
];
const nodeWithNoImages: Images | undefined = undefined;

/** makeImageNode(name, status). */
const makeImageNode = (name: string, images: Images | undefined): NodeInfo => nodeInfo(makeNode(name, {}, images ? { images } : {}));

const rows: Array<{ name: string; pod: Partial<PodSpec>; nodes: Array<[string, Images | undefined]>; expected: Array<[string, number]> }> = [
  {
    // node2: 100 * (250M/2 - 23M) / (1000M * 2 - 23M) = 5
    name: 'two images spread on two nodes, prefer the larger image one',
    pod: test40250,
    nodes: [
      ['node1', node403002000],
      ['node2', node25010],
    ],
    expected: [
      ['node1', 0],
      ['node2', 5],
    ],
  },
  {
    // node1: 100 * ((40M + 300M)/2 - 23M) / (1000M * 2 - 23M) = 7
    name: 'two images on one node, prefer this node',
    pod: test40300,
    nodes: [
      ['node1', node403002000],
      ['node2', node25010],
    ],
    expected: [
      ['node1', 7],
      ['node2', 0],
    ],
  },
  {
    // node1: 4000M * 1/2 >= 1000M * 2, max-threshold
    name: 'if exceed limit, use limit',
    pod: testMinMax,
    nodes: [
      ['node1', node400030],
      ['node2', node25010],
    ],
    expected: [
      ['node1', 100],
      ['node2', 0],
    ],
  },
  {
    // node1: 100 * (4000M/3 - 23M) / (1000M * 2 - 23M) = 66
    name: 'if exceed limit, use limit (with node which has no images present)',
    pod: testMinMax,
    nodes: [
      ['node1', node400030],
      ['node2', node25010],
      ['node3', nodeWithNoImages],
    ],
    expected: [
      ['node1', 66],
      ['node2', 0],
      ['node3', 0],
    ],
  },
  {
    // node1: 100 * (600M * 2/3 + 900M * 2/3 - 23M) / (1000M * 3 - 23M) = 32
    // node2: 100 * (300M * 1/3 + 600M * 2/3 + 900M * 2/3 - 23M) / (1000M * 3 - 23M) = 36
    name: 'pod with multiple large images, node2 is preferred',
    pod: test300600900,
    nodes: [
      ['node1', node60040900],
      ['node2', node300600900],
      ['node3', nodeWithNoImages],
    ],
    expected: [
      ['node1', 32],
      ['node2', 36],
      ['node3', 0],
    ],
  },
  {
    // node1: 100 * (30M + 40M * 1/2 - 23M) / (1000M * 2 - 23M) = 1
    name: 'pod with multiple small images',
    pod: test3040,
    nodes: [
      ['node1', node203040],
      ['node2', node400030],
    ],
    expected: [
      ['node1', 1],
      ['node2', 0],
    ],
  },
  {
    // node1: 100 * (300M * 1/2 - 23M) / (1000M * 2 - 23M) = 6
    name: 'include InitContainers: two images spread on two nodes, prefer the larger image one',
    pod: test30Init300,
    nodes: [
      ['node1', node403002000],
      ['node2', node203040],
    ],
    expected: [
      ['node1', 6],
      ['node2', 0],
    ],
  },
];

t.test('TestImageLocalityPriority', async (t) => {
  for (const row of rows) {
    t.test(row.name, async (t) => {
      const nodes = row.nodes.map(([name, images]) => makeImageNode(name, images));
      const plugin = newImageLocality(undefined, fakeHandle(nodes));
      t.equal(plugin.normalizeScore, undefined, 'no NormalizeScore');
      const { scores, status } = runScore(plugin, makePod('p', row.pod), nodes);
      t.equal(status, null);
      t.same(
        scores.map((s) => [s.name, s.score]),
        row.expected,
      );
    });
  }
});

const fakeDigest = (content: string): string => 'sha256:' + createHash('sha256').update(content).digest('hex');

// pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go TestNormalizedImageName.
const nameRows = [
  { name: 'add :latest postfix 1', input: 'root', output: 'root:latest' },
  { name: 'add :latest postfix 2', input: 'gcr.io:5000/root', output: 'gcr.io:5000/root:latest' },
  { name: 'keep it as is 1', input: 'root:tag', output: 'root:tag' },
  { name: 'keep it as is 2', input: 'root@' + fakeDigest('root'), output: 'root@' + fakeDigest('root') },
];

t.test('TestNormalizedImageName', async (t) => {
  for (const row of nameRows) t.equal(normalizedImageName(row.input), row.output, row.name);
});

// Not upstream: calculatePriority's edges (Go int64 arithmetic).
t.test('calculatePriority edges', async (t) => {
  t.equal(Object.is(calculatePriority(0, 0), 0), true, 'no containers: 0, not -0');
  t.equal(calculatePriority(23 * mb, 1), 0, 'at minThreshold');
  t.equal(calculatePriority(1000 * mb, 1), 100, 'at maxThreshold');
  t.equal(calculatePriority(1000 * mb - 1, 1), 99, 'truncates');
});

// Not upstream: the per-cycle spread is cached in CycleState and recomputed when a node's images change.
t.test('spread follows node image changes across cycles', async (t) => {
  const n1 = makeImageNode('node1', [{ names: ['img:latest'], sizeBytes: 500 * mb }]);
  const n2 = makeImageNode('node2', undefined);
  const nodes = [n1, n2];
  const plugin = newImageLocality(undefined, fakeHandle(nodes));
  const pod = PodInfo.of(makePod('p', { containers: containers('img') }));
  const state = new CycleState();
  // 500M * 1/2: 100 * (250M - 23M) / (1000M - 23M) = 23
  t.equal(plugin.score!(state, pod, n1), 23);
  t.not(state.read(IMAGE_SPREAD_STATE_KEY), undefined, 'spread written to CycleState');
  t.equal(plugin.score!(new CycleState(), pod, n1), 23, 'next cycle, unchanged nodes');
  // node2 pulls the image: spread 2/2.
  n2.setNode(makeNode('node2', {}, { images: [{ names: ['img:latest'], sizeBytes: 500 * mb }] }));
  // 100 * (500M - 23M) / (1000M - 23M) = 48
  t.equal(plugin.score!(new CycleState(), pod, n1), 48);
  t.equal(plugin.score!(new CycleState(), pod, n2), 48);
});

// Not upstream: a node listing one name twice counts once in NumNodes (the cache keeps a set of node names).
t.test('a name listed twice on one node counts that node once', async (t) => {
  const n1 = makeImageNode('node1', [
    { names: ['img:latest', 'img:latest'], sizeBytes: 500 * mb },
    { names: ['img:latest'], sizeBytes: 500 * mb },
  ]);
  const n2 = makeImageNode('node2', undefined);
  const { scores } = runScore(newImageLocality(undefined, fakeHandle([n1, n2])), makePod('p', { containers: containers('img') }), [n1, n2]);
  // 500M * 1/2: 100 * (250M - 23M) / (1000M - 23M) = 23
  t.same(scores, [
    { name: 'node1', score: 23 },
    { name: 'node2', score: 0 },
  ]);
});
