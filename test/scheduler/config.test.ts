// KubeSchedulerConfiguration v1: validation (upstream's texts and field paths), NewFramework's
// refusals, and v1 defaulting. Rows transcribed from upstream (v1.35) name their test:
//   pkg/scheduler/apis/config/validation/validation_test.go  TestValidateKubeSchedulerConfigurationV1
//   pkg/scheduler/apis/config/v1/defaults_test.go            TestSchedulerDefaults
// Upstream builds the internal (defaulted) type directly; here the same configurations are written
// as a user writes v1 YAML, so values upstream sets that v1 defaulting would fill are noted.
import t from 'tap';
import { type ConfigError, formatConfigError, toSchedulerSetup, validateSchedulerConfig } from '../../src/scheduler/config.js';
import type { AnyPlugin, PluginFactory } from '../../src/scheduler/framework/types.js';
import { newInterPodAffinity } from '../../src/scheduler/plugins/inter_pod_affinity.js';
import { newPodTopologySpread } from '../../src/scheduler/plugins/pod_topology_spread.js';
import { inTreeRegistry } from '../../src/scheduler/plugins/registry.js';

const API = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };

const fake =
  (plugin: Omit<AnyPlugin, 'name'>, name: string): PluginFactory =>
  () => ({ name, ...plugin });

/** The in-tree registry, the plugins upstream's tests name (out-of-tree there), and two kubedrill may not register yet. */
const registry = new Map<string, PluginFactory>([
  ...inTreeRegistry(),
  ['PodTopologySpread', newPodTopologySpread],
  ['InterPodAffinity', newInterPodAffinity],
  ['CustomSort', fake({ less: () => false }, 'CustomSort')],
  ['AnotherSort', fake({ less: () => false }, 'AnotherSort')],
  ['CustomBind', fake({ bind: () => null }, 'CustomBind')],
  ['CustomScore', fake({ score: () => 0, filter: () => null }, 'CustomScore')],
]);

/** "Did you mean": the candidate with the longest common prefix, at least 3 letters (the scenario layer passes its own). */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestLength = 2;
  for (const c of candidates) {
    let n = 0;
    while (n < c.length && n < word.length && c[n] === word[n]) n++;
    if (n > bestLength) [best, bestLength] = [c, n];
  }
  return best;
}

const validate = (cfg: unknown): string[] => validateSchedulerConfig(cfg, registry, { suggest }).map(formatConfigError);

type Cfg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * TestValidateKubeSchedulerConfigurationV1's validConfig, as v1 YAML. Two changes, because
 * kubedrill also runs NewFramework's checks, which upstream's validation test does not: both
 * profiles disable the default queue sort (CustomSort plus the default PrioritySort would be two
 * queue sort plugins), and the extender is left out (kubedrill does not model extenders).
 */
function validConfig(): Cfg {
  return {
    ...API,
    parallelism: 8,
    clientConnection: { acceptContentTypes: 'application/json', contentType: 'application/json', qps: 10, burst: 10 },
    leaderElection: { resourceLock: 'leases', leaderElect: true, leaseDuration: '30s', renewDeadline: '15s', retryPeriod: '5s', resourceNamespace: 'name', resourceName: 'name' },
    podInitialBackoffSeconds: 1,
    podMaxBackoffSeconds: 1,
    profiles: [
      {
        schedulerName: 'me',
        percentageOfNodesToScore: 35,
        plugins: { queueSort: { enabled: [{ name: 'CustomSort' }], disabled: [{ name: '*' }] }, score: { disabled: [{ name: '*' }] } },
        pluginConfig: [{ name: 'DefaultPreemption', args: { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 } }],
      },
      {
        schedulerName: 'other',
        percentageOfNodesToScore: 35,
        plugins: { queueSort: { enabled: [{ name: 'CustomSort' }], disabled: [{ name: '*' }] }, bind: { enabled: [{ name: 'CustomBind' }] } },
      },
    ],
  };
}

const QUEUE_SORT = (name: string, disabled = '*'): string =>
  `config.PluginSet{Enabled:[]config.Plugin{config.Plugin{Name:${JSON.stringify(name)}, Weight:0}}, Disabled:[]config.Plugin{config.Plugin{Name:${JSON.stringify(disabled)}, Weight:0}}}`;

t.test('TestValidateKubeSchedulerConfigurationV1', async (t) => {
  const rows: Array<[string, (c: Cfg) => void, string[]]> = [
    ['good', () => {}, []],
    ['bad-parallelism-invalid-value', (c) => (c.parallelism = 0), ['parallelism: Invalid value: 0: should be an integer value greater than zero']],
    // Upstream sets the internal field to ""; in v1 an empty resourceName/resourceNamespace is defaulted.
    ['bad-resource-name-not-set', (c) => (c.leaderElection.resourceName = ''), []],
    ['bad-resource-namespace-not-set', (c) => (c.leaderElection.resourceNamespace = ''), []],
    ['bad-resource-lock-not-leases', (c) => (c.leaderElection.resourceLock = 'configmap'), ['leaderElection.resourceLock: Invalid value: "configmap": resourceLock value must be "leases"']],
    ['bad-percentage-of-nodes-to-score', (c) => (c.percentageOfNodesToScore = 101), ['percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]']],
    ['negative-percentage-of-nodes-to-score', (c) => (c.percentageOfNodesToScore = -1), ['percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]']],
    ['scheduler-name-not-set', (c) => (c.profiles[1].schedulerName = ''), ['profiles[1].schedulerName: Required value']],
    ['repeated-scheduler-name', (c) => (c.profiles[0].schedulerName = 'other'), ['profiles[1].schedulerName: Duplicate value: "other"']],
    ['greater-than-100-profile-percentage-of-nodes-to-score', (c) => (c.profiles[1].percentageOfNodesToScore = 101), ['profiles[1].percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]']],
    ['negative-profile-percentage-of-nodes-to-score', (c) => (c.profiles[1].percentageOfNodesToScore = -1), ['profiles[1].percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]']],
    ['different-queue-sort', (c) => (c.profiles[1].plugins.queueSort.enabled[0].name = 'AnotherSort'), [`profiles[1].plugins.queueSort: Invalid value: ${QUEUE_SORT('AnotherSort')}: must be the same for all profiles`]],
    ['one-empty-queue-sort', (c) => delete c.profiles[0].plugins, [`profiles[1].plugins.queueSort: Invalid value: ${QUEUE_SORT('CustomSort')}: must be the same for all profiles`]],
    // extender-negative-weight, extender-duplicate-managed-resources, extender-duplicate-bind:
    // kubedrill does not model extenders and refuses any.
    ['extenders (kubedrill)', (c) => (c.extenders = [{ prioritizeVerb: 'prioritize', weight: 1 }]), ['extenders: scheduler extenders are not modelled by kubedrill; write the extender as a plugin module (pluginModules)']],
    // invalid-node-percentage: DefaultPreemption's args are not validated (the plugin is not modelled).
    ['invalid-node-percentage', (c) => (c.profiles[0].pluginConfig = [{ name: 'DefaultPreemption', args: { minCandidateNodesPercentage: 200, minCandidateNodesAbsolute: 100 } }]), []],
    // invalid-plugin-args: args of another plugin's type. Upstream gives DefaultPreemption
    // InterPodAffinityArgs; the v1 decoder meets an unknown field. Same with a modelled plugin:
    [
      'invalid-plugin-args',
      (c) => (c.profiles[0].pluginConfig = [{ name: 'NodeResourcesFit', args: { hardPodAffinityWeight: 1 } }]),
      ['profiles[0].pluginConfig[0].args.hardPodAffinityWeight: strict decoding error: unknown field "hardPodAffinityWeight"'],
    ],
    [
      'duplicated-plugin-config',
      (c) => (c.profiles[0].pluginConfig = [{ name: 'config' }, { name: 'config' }]),
      [
        'profiles[0].pluginConfig[1]: Duplicate value: "config"',
        // kubedrill: a pluginConfig for a plugin that exists nowhere.
        'profiles[0].pluginConfig[0].name: plugin "config" does not exist',
        'profiles[0].pluginConfig[1].name: plugin "config" does not exist',
      ],
    ],
    [
      'mismatch-queue-sort',
      (c) => {
        c.profiles = [
          { schedulerName: 'me', plugins: { queueSort: { enabled: [{ name: 'PrioritySort' }] } }, pluginConfig: [{ name: 'PrioritySort' }] },
          // (PrioritySort disabled: CustomSort must be the only queue sort of its profile.)
          { schedulerName: 'other', plugins: { queueSort: { enabled: [{ name: 'CustomSort' }], disabled: [{ name: 'PrioritySort' }] } }, pluginConfig: [{ name: 'CustomSort' }] },
        ];
      },
      [`profiles[1].plugins.queueSort: Invalid value: ${QUEUE_SORT('CustomSort', 'PrioritySort')}: must be the same for all profiles`],
    ],
    ['valid-plugins', (c) => (c.profiles[0].plugins.score.enabled = [{ name: 'PodTopologySpread', weight: 2 }]), []],
  ];
  for (const [name, mutate, want] of rows) {
    const c = validConfig();
    mutate(c);
    t.same(validate(c), want, name);
  }
});

t.test('TestSchedulerDefaults (profiles and plugins)', async (t) => {
  t.same(toSchedulerSetup({ ...API }), { profiles: [{ schedulerName: 'default-scheduler' }], percentageOfNodesToScore: 0 }, 'empty config');
  t.same(toSchedulerSetup({ ...API, profiles: [{}] }), { profiles: [{ schedulerName: 'default-scheduler' }], percentageOfNodesToScore: 0 }, 'no scheduler name');
  const twoProfiles = {
    ...API,
    parallelism: 16,
    profiles: [
      { pluginConfig: [{ name: 'FooPlugin' }] },
      { schedulerName: 'custom-scheduler', plugins: { bind: { enabled: [{ name: 'BarPlugin' }], disabled: [{ name: 'DefaultBinder' }] } } },
    ],
  };
  t.same(
    toSchedulerSetup(twoProfiles),
    {
      profiles: [{ pluginConfig: [{ name: 'FooPlugin' }] }, { schedulerName: 'custom-scheduler', plugins: { bind: { enabled: [{ name: 'BarPlugin' }], disabled: [{ name: 'DefaultBinder' }] } } }],
      percentageOfNodesToScore: 0,
    },
    'two profiles: only a single profile gets the default name',
  );
  t.same(
    validate(twoProfiles),
    [
      'profiles[0].schedulerName: Required value',
      'profiles[0].pluginConfig[0].name: plugin "FooPlugin" does not exist',
      'profiles[1].plugins.bind.enabled[0].name: BindPlugin "BarPlugin" does not exist',
    ],
    'two profiles: which validation then refuses (and kubedrill knows no FooPlugin or BarPlugin)',
  );
  t.same(toSchedulerSetup({ ...API, parallelism: 16 }).profiles, [{ schedulerName: 'default-scheduler' }], 'Prallelism with no port');
  t.same(toSchedulerSetup({ ...API, parallelism: 8 }).profiles, [{ schedulerName: 'default-scheduler' }], 'set non default parallelism');
  t.same(toSchedulerSetup({ ...API, delayCacheUntilActive: true }).profiles, [{ schedulerName: 'default-scheduler' }], 'set non default delayCacheUntilActive');
  t.same(toSchedulerSetup({ ...API, percentageOfNodesToScore: 50 }), { profiles: [{ schedulerName: 'default-scheduler' }], percentageOfNodesToScore: 50 }, 'set non default global percentageOfNodesToScore');
  t.same(
    toSchedulerSetup({ ...API, profiles: [{ percentageOfNodesToScore: 50 }] }),
    { profiles: [{ schedulerName: 'default-scheduler', percentageOfNodesToScore: 50 }], percentageOfNodesToScore: 0 },
    'set non default profile percentageOfNodesToScore',
  );
  t.same(
    toSchedulerSetup({ ...API, percentageOfNodesToScore: 10, profiles: [{ percentageOfNodesToScore: 50 }] }),
    { profiles: [{ schedulerName: 'default-scheduler', percentageOfNodesToScore: 50 }], percentageOfNodesToScore: 10 },
    'set non default global and profile percentageOfNodesToScore',
  );
  for (const c of [{ ...API }, { ...API, parallelism: 8 }, { ...API, delayCacheUntilActive: true }, { ...API, percentageOfNodesToScore: 10, profiles: [{ percentageOfNodesToScore: 50 }] }]) {
    t.same(validate(c), [], `valid: ${JSON.stringify(c)}`);
  }
});

t.test('backoffs: defaults 1 and 10, returned only when set', async (t) => {
  t.same(toSchedulerSetup({ ...API, podInitialBackoffSeconds: 2, podMaxBackoffSeconds: 20 }), {
    profiles: [{ schedulerName: 'default-scheduler' }],
    percentageOfNodesToScore: 0,
    podInitialBackoffSeconds: 2,
    podMaxBackoffSeconds: 20,
  });
  t.same(validate({ ...API, podInitialBackoffSeconds: 0 }), ['podInitialBackoffSeconds: Invalid value: 0: must be greater than 0']);
  t.same(validate({ ...API, podInitialBackoffSeconds: 20 }), ['podMaxBackoffSeconds: Invalid value: 10: must be greater than or equal to PodInitialBackoffSeconds'], 'the default max is 10');
});

t.test('decoding: unknown fields with a suggestion, wrong types as Go words them', async (t) => {
  const errs = validateSchedulerConfig(
    { ...API, profile: [], parallelism: '8', profiles: [{ schedulerNam: 'x', plugins: { scor: {}, score: { enabled: [{ name: 'NodeName', weight: 1.5 }] } } }], podMaxBackoffSeconds: true },
    registry,
    { suggest },
  );
  t.same(
    errs.filter((e) => e.message.startsWith('unknown') || e.message.startsWith('json')),
    [
      { path: ['profile'], message: 'unknown field "profile" (did you mean "profiles"?)', target: 'key' },
      { path: ['parallelism'], message: 'json: cannot unmarshal string into Go struct field KubeSchedulerConfiguration.parallelism of type int32' },
      { path: ['profiles', 0, 'schedulerNam'], message: 'unknown field "schedulerNam" (did you mean "schedulerName"?)', target: 'key' },
      { path: ['profiles', 0, 'plugins', 'scor'], message: 'unknown field "scor" (did you mean "score"?)', target: 'key' },
      { path: ['profiles', 0, 'plugins', 'score', 'enabled', 0, 'weight'], message: 'json: cannot unmarshal number 1.5 into Go struct field Plugin.profiles.plugins.score.enabled.weight of type int32' },
      { path: ['podMaxBackoffSeconds'], message: 'json: cannot unmarshal bool into Go struct field KubeSchedulerConfiguration.podMaxBackoffSeconds of type int64' },
    ] satisfies ConfigError[],
  );
  t.same(validate([]), ['json: cannot unmarshal array into Go value of type v1.KubeSchedulerConfiguration']);
  t.same(validate({ apiVersion: 'kubescheduler.config.k8s.io/v1beta3', kind: 'KubeSchedulerConfiguration' }), ['apiVersion: must be "kubescheduler.config.k8s.io/v1" (got "kubescheduler.config.k8s.io/v1beta3")']);
  t.same(validateSchedulerConfig({ ...API, profilez: [] }, registry).map((e) => e.message), ['unknown field "profilez"'], 'no suggestion without a suggest function');
  t.same(validate({ ...API, pluginModules: ['', 'a.mjs'] }), ['pluginModules[0]: Required value: the path of a JavaScript or TypeScript plugin module']);
});

t.test('leaderElection and clientConnection (component-base validation)', async (t) => {
  t.same(validate({ ...API, leaderElection: { leaseDuration: '10s', renewDeadline: '10s' } }), ['leaderElection.leaseDuration: Invalid value: 10s: LeaseDuration must be greater than RenewDeadline']);
  t.same(validate({ ...API, leaderElection: { leaseDuration: '0s' } }), [], 'a zero duration is defaulted (15s)');
  t.same(validate({ ...API, leaderElection: { retryPeriod: 'soon' } }), ['leaderElection.retryPeriod: time: invalid duration "soon"']);
  t.same(validate({ ...API, leaderElection: { retryPeriod: '-2s' } }), ['leaderElection.retryPeriod: Invalid value: -2s: must be greater than zero']);
  t.same(validate({ ...API, leaderElection: { leaderElect: false, resourceLock: 'endpoints' } }), [], 'nothing is checked without leader election');
  t.same(validate({ ...API, clientConnection: { burst: -1 } }), ['clientConnection.burst: Invalid value: -1: must be non-negative']);
});

t.test('removed plugins (invalidPluginsByVersion)', async (t) => {
  t.same(validate({ ...API, profiles: [{ plugins: { filter: { enabled: [{ name: 'EBSLimits' }] } }, pluginConfig: [{ name: 'GCEPDLimits' }] }] }), [
    'profiles[0].plugins.filter.enabled[0]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
    'profiles[0].pluginConfig[0]: Invalid value: "GCEPDLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
  ]);
});

t.test('plugin args: upstream Validate*Args at the args path; TypeMeta accepted', async (t) => {
  const profile = (pluginConfig: unknown[]): Cfg => ({ ...API, profiles: [{ pluginConfig }] });
  t.same(validate(profile([{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'RequestedToCapacityRatio' } } }])), ['profiles[0].pluginConfig[0].args.scoringStrategy.shape: Required value: at least one point must be specified']);
  t.same(validate(profile([{ name: 'NodeResourcesBalancedAllocation', args: { resources: [{ name: 'cpu', weight: 2 }] } }])), ['profiles[0].pluginConfig[0].args.resources[0].weight: Invalid value: 2: must be 1']);
  t.same(validate(profile([{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: 101 } }])), ['profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]']);
  t.same(validate(profile([{ name: 'PodTopologySpread', args: { defaultingType: 'Sometimes' } }])), ['profiles[0].pluginConfig[0].args.defaultingType: Unsupported value: "Sometimes": supported values: "System", "List"']);
  t.same(validate(profile([{ name: 'NodeResourcesFit', args: 'MostAllocated' }])), ['profiles[0].pluginConfig[0].args: json: cannot unmarshal string into Go value of type v1.NodeResourcesFitArgs']);
  t.same(
    validate(profile([{ name: 'NodeResourcesFit', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesFitArgs', scoringStrategy: { type: 'MostAllocated' } } }])),
    [],
    'apiVersion/kind of the args type',
  );
  t.same(toSchedulerSetup(profile([{ name: 'NodeResourcesFit', args: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'NodeResourcesFitArgs', ignoredResources: [] } }])).profiles[0]!.pluginConfig, [
    { name: 'NodeResourcesFit', args: { ignoredResources: [] } },
  ]);
  t.same(validate(profile([{ name: 'NodeResourcesFit', args: { kind: 'NodeAffinityArgs' } }])), ['profiles[0].pluginConfig[0].args.kind: Invalid value: "NodeAffinityArgs": args for plugin NodeResourcesFit must be of kind NodeResourcesFitArgs']);
  t.same(validate(profile([{ name: 'CustomScore', args: [1] }])), ['profiles[0].pluginConfig[0].args: Invalid value: [1]: plugin args must be an object']);
  t.same(validate(profile([{ name: 'VolumeBinding', args: { bindTimeoutSeconds: 600 } }])), [], "VolumeBinding's args are accepted (its bind wait is not modelled)");
});

t.test("NewFramework's refusals, at the plugin reference", async (t) => {
  const plugins = (p: Cfg): string[] => validate({ ...API, profiles: [{ plugins: p }] });
  t.same(plugins({ score: { enabled: [{ name: 'NodeNam' }] } }), ['profiles[0].plugins.score.enabled[0].name: ScorePlugin "NodeNam" does not exist (did you mean "NodeName"?)']);
  t.same(plugins({ filter: { enabled: [{ name: 'DynamicResources' }] } }), ['profiles[0].plugins.filter.enabled[0].name: FilterPlugin "DynamicResources" does not exist (an in-tree plugin kubedrill does not model)']);
  t.same(plugins({ multiPoint: { enabled: [{ name: 'Nope' }] } }), ['profiles[0].plugins.multiPoint.enabled[0].name: plugin "Nope" does not exist']);
  t.same(plugins({ score: { enabled: [{ name: 'NodeName' }] } }), ['profiles[0].plugins.score.enabled[0].name: plugin "NodeName" does not extend ScorePlugin plugin']);
  t.same(plugins({ filter: { enabled: [{ name: 'CustomScore' }, { name: 'CustomScore' }] } }), ['profiles[0].plugins.filter.enabled[1].name: plugin "CustomScore" already registered as "FilterPlugin"']);
  t.same(
    plugins({ multiPoint: { enabled: [{ name: 'CustomScore' }, { name: 'CustomScore', weight: 2 }] } }),
    ['profiles[0].plugins.multiPoint.enabled[1].name: plugin "CustomScore" already registered as "FilterPlugin"'],
    'MultiPoint: the first point (in framework order) it registers twice at',
  );
  t.same(plugins({ multiPoint: { enabled: [{ name: 'CustomScore' }, { name: 'CustomScore' }] }, filter: { disabled: [{ name: 'CustomScore' }] } }), ['profiles[0].plugins.multiPoint.enabled[1].name: plugin "CustomScore" already registered as "ScorePlugin"']);
  t.same(plugins({ queueSort: { enabled: [{ name: 'CustomSort' }] } }), ['profiles[0].plugins.queueSort: only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 2']);
  t.same(plugins({ multiPoint: { disabled: [{ name: 'PrioritySort' }] } }), ['profiles[0].plugins: only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 0']);
  t.same(plugins({ multiPoint: { disabled: [{ name: '*' }] }, queueSort: { enabled: [{ name: 'PrioritySort' }] } }), ['profiles[0].plugins: at least one bind plugin is needed for profile with scheduler name "default-scheduler"']);
  t.same(plugins({ multiPoint: { disabled: [{ name: 'DefaultBinder' }] }, bind: { enabled: [{ name: 'CustomBind' }] } }), [], 'another binder');
  t.same(
    plugins({ multiPoint: { enabled: [{ name: 'CustomScore', weight: 5 }] }, score: { enabled: [{ name: 'NodeResourcesFit', weight: 3 }], disabled: [{ name: 'NodeResourcesBalancedAllocation' }] } }),
    [],
    'weights, re-enabled defaults, disabled defaults',
  );
  t.same(plugins({ score: { enabled: [{ name: 'CustomScore', weight: -3 }] } }), [], 'upstream v1 does not bound score weights (int32; 0 means 1)');
});
