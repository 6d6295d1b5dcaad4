// MultiPoint expansion, transcribed from TestNewFrameworkMultiPointExpansion
// (pkg/scheduler/framework/runtime/framework_test.go): which plugins sit at which extension point,
// in which order, with which score weights. Upstream's PlacementGenerate/PlacementScore points
// (workload-aware scheduling, alpha) are not modelled and are left out of the expectations.
import t from 'tap';
import { Framework } from '../../src/scheduler/framework/runtime.js';
import type { AnyPlugin, Handle, PluginFactory } from '../../src/scheduler/framework/types.js';
import { type Plugins, ProfileError, buildFramework } from '../../src/scheduler/profile.js';
import { fakeHandle } from './fixtures.js';

const noop = () => null;
const testPlugin = 'test-plugin';
const scorePlugin1 = 'score-plugin-1';
const scorePlugin2 = 'score-plugin-2';
const scoreWithNormalizePlugin1 = 'score-with-normalize-plugin-1';
const queueSortPlugin = 'no-op-queue-sort-plugin';
const bindPlugin = 'bind-plugin';

// The upstream fixtures' shapes: TestPlugin implements every point but PreEnqueue; TestScorePlugin
// PreScore and Score; TestScoreWithNormalizePlugin Score with ScoreExtensions.
const everything = ['less', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'];
const shapes: Record<string, string[]> = {
  [testPlugin]: everything,
  [scorePlugin1]: ['preScore', 'score'],
  [scorePlugin2]: ['preScore', 'score'],
  [scoreWithNormalizePlugin1]: ['score', 'normalizeScore'],
  [queueSortPlugin]: ['less'],
  [bindPlugin]: ['bind'],
};
const registry = new Map<string, PluginFactory>(
  Object.entries(shapes).map(([name, methods]) => [name, () => Object.fromEntries([['name', name], ...methods.map((m) => [m, noop])]) as unknown as AnyPlugin]),
);

type Listed = Record<string, Array<string | [string, number]>>;

/** fw.ListPlugins(): each non-empty point's plugin names, score plugins with their weights. */
function listPlugins(fw: Framework): Listed {
  const names = (ps: Array<{ name: string }>) => ps.map((p) => p.name);
  const out: Listed = {
    queueSort: [fw.queueSort.name],
    preFilter: names(fw.preFilterPlugins),
    filter: names(fw.filterPlugins),
    postFilter: names(fw.postFilterPlugins),
    preScore: names(fw.preScorePlugins),
    score: fw.scorePlugins.map((p, i) => [p.name, fw.scoreWeights[i]!] as [string, number]),
    reserve: names(fw.reservePlugins),
    permit: names(fw.permitPlugins),
    preBind: names(fw.preBindPlugins),
    bind: names(fw.bindPlugins),
    postBind: names(fw.postBindPlugins),
  };
  for (const k of Object.keys(out)) if (out[k]!.length === 0) delete out[k];
  return out;
}

const allOfTestPlugin = (score: Array<[string, number]>, preScore = [testPlugin]): Listed => ({
  queueSort: [testPlugin],
  preFilter: [testPlugin],
  filter: [testPlugin],
  postFilter: [testPlugin],
  preScore,
  score,
  reserve: [testPlugin],
  permit: [testPlugin],
  preBind: [testPlugin],
  bind: [testPlugin],
  postBind: [testPlugin],
});

const rows: Array<{ name: string; plugins: Plugins; want?: Listed; wantErr?: string }> = [
  {
    name: 'plugin expansion',
    plugins: { multiPoint: { enabled: [{ name: testPlugin, weight: 5 }] } },
    want: allOfTestPlugin([[testPlugin, 5]]),
  },
  {
    name: 'disable MultiPoint plugin at some extension points',
    plugins: { multiPoint: { enabled: [{ name: testPlugin }] }, preScore: { disabled: [{ name: testPlugin }] }, score: { disabled: [{ name: testPlugin }] } },
    want: (() => {
      const w = allOfTestPlugin([]);
      delete w['preScore'];
      delete w['score'];
      return w;
    })(),
  },
  {
    name: 'Multiple MultiPoint plugins',
    plugins: { multiPoint: { enabled: [{ name: testPlugin }, { name: scorePlugin1 }] } },
    want: allOfTestPlugin([[testPlugin, 1], [scorePlugin1, 1]], [testPlugin, scorePlugin1]),
  },
  {
    name: 'disable MultiPoint extension',
    plugins: { multiPoint: { enabled: [{ name: testPlugin }, { name: scorePlugin1 }] }, preScore: { disabled: [{ name: '*' }] } },
    want: (() => {
      const w = allOfTestPlugin([[testPlugin, 1], [scorePlugin1, 1]]);
      delete w['preScore'];
      return w;
    })(),
  },
  {
    name: 'Reorder MultiPoint plugins (specified extension takes precedence)',
    plugins: {
      multiPoint: { enabled: [{ name: scoreWithNormalizePlugin1 }, { name: testPlugin }, { name: scorePlugin1 }] },
      score: { enabled: [{ name: scorePlugin1 }, { name: testPlugin }] },
    },
    want: allOfTestPlugin([[scorePlugin1, 1], [testPlugin, 1], [scoreWithNormalizePlugin1, 1]], [testPlugin, scorePlugin1]),
  },
  {
    name: 'Reorder MultiPoint plugins (specified extension only takes precedence when it exists in MultiPoint)',
    plugins: {
      multiPoint: { enabled: [{ name: testPlugin }, { name: scorePlugin1 }] },
      score: { enabled: [{ name: scoreWithNormalizePlugin1 }, { name: scorePlugin1 }, { name: testPlugin }] },
    },
    want: allOfTestPlugin([[scorePlugin1, 1], [testPlugin, 1], [scoreWithNormalizePlugin1, 1]], [testPlugin, scorePlugin1]),
  },
  {
    name: 'Override MultiPoint plugins weights',
    plugins: {
      multiPoint: { enabled: [{ name: testPlugin }, { name: scorePlugin1 }] },
      score: { enabled: [{ name: scorePlugin1, weight: 5 }, { name: testPlugin, weight: 3 }] },
    },
    want: allOfTestPlugin([[scorePlugin1, 5], [testPlugin, 3]], [testPlugin, scorePlugin1]),
  },
  {
    name: "disable and enable MultiPoint plugins with '*'",
    plugins: { multiPoint: { enabled: [{ name: queueSortPlugin }, { name: bindPlugin }, { name: scorePlugin1 }], disabled: [{ name: '*' }] } },
    want: { queueSort: [queueSortPlugin], preScore: [scorePlugin1], score: [[scorePlugin1, 1]], bind: [bindPlugin] },
  },
  {
    name: 'disable and enable MultiPoint plugin by name',
    plugins: { multiPoint: { enabled: [{ name: bindPlugin }, { name: queueSortPlugin }, { name: scorePlugin1 }], disabled: [{ name: scorePlugin1 }] } },
    want: { queueSort: [queueSortPlugin], preScore: [scorePlugin1], score: [[scorePlugin1, 1]], bind: [bindPlugin] },
  },
  {
    name: "Expect 'already registered' error",
    plugins: { multiPoint: { enabled: [{ name: testPlugin }, { name: testPlugin }] } },
    wantErr: 'already registered',
  },
  {
    name: 'Override MultiPoint plugins weights and avoid a plugin being loaded multiple times',
    plugins: {
      multiPoint: { enabled: [{ name: testPlugin }, { name: scorePlugin1 }] },
      score: { enabled: [{ name: scorePlugin1, weight: 5 }, { name: scorePlugin2, weight: 5 }, { name: testPlugin, weight: 3 }] },
    },
    want: allOfTestPlugin([[scorePlugin1, 5], [testPlugin, 3], [scorePlugin2, 5]], [testPlugin, scorePlugin1]),
  },
];

const handle: Handle = fakeHandle([]);

for (const row of rows) {
  t.test(row.name, async (t) => {
    // NewFramework with a bare profile: the v1 default MultiPoint set is merged in by
    // buildFramework, and none of this registry's plugins is a default one, so the row's
    // multiPoint set is the whole of it.
    let fw: Framework | undefined;
    try {
      fw = buildFramework({ plugins: row.plugins }, registry, handle);
    } catch (e) {
      if (!(e instanceof ProfileError) || row.wantErr === undefined) throw e;
      t.match(e.message, row.wantErr);
      return;
    }
    t.equal(row.wantErr, undefined, 'no error expected');
    t.same(listPlugins(fw), row.want);
  });
}

// The v1.35 default profile (pkg/scheduler/apis/config/v1/default_plugins.go getDefaultPlugins)
// with kubedrill's in-tree registry: the volume plugins sit after NodeResourcesFit in upstream's
// MultiPoint order (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone), at every
// point they implement; VolumeBinding has no score extension here (StorageCapacityScoring is off
// in v1.35, so upstream's PreScore skips it).
t.test('default profile: the volume plugins in upstream order', async (t) => {
  const { inTreeRegistry } = await import('../../src/scheduler/plugins/registry.js');
  const fw = buildFramework({}, inTreeRegistry(), handle);
  const l = listPlugins(fw);
  t.same(l.preFilter, ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity']);
  t.same(l.filter, [
    'NodeUnschedulable',
    'NodeName',
    'TaintToleration',
    'NodeAffinity',
    'NodePorts',
    'NodeResourcesFit',
    'VolumeRestrictions',
    'NodeVolumeLimits',
    'VolumeBinding',
    'VolumeZone',
    'PodTopologySpread',
    'InterPodAffinity',
  ]);
  t.same(l.reserve, ['VolumeBinding']);
  t.same(l.preBind, ['VolumeBinding']);
  t.notOk((l.score ?? []).some(([n]) => String(n).startsWith('Volume')), 'no volume plugin scores');
});
