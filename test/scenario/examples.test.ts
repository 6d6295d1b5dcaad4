// Every scenario in scenarios/ loads without errors, its policy resolves (plugin modules loaded,
// as `kubedrill run` does), it passes, and it runs the same twice.
import t from 'tap';
import { loadPaths } from '../../src/scenario/load.js';
import { resolvePolicy } from '../../src/scenario/policy.js';
import { runScenario } from '../../src/scenario/run.js';
import { formatLoadError } from '../../src/scenario/types.js';

const root = new URL('../../scenarios/', import.meta.url).pathname;
const loaded = loadPaths([root]);

t.same(loaded.errors, [], 'the examples load without errors');
t.ok(loaded.scenarios.length >= 6, `found ${loaded.scenarios.length} example scenarios`);

for (const s of loaded.scenarios) {
  t.test(s.name, async (t) => {
    const policy = await resolvePolicy(s.cluster.scheduler);
    if (!policy.ok) return t.fail(policy.errors.map(formatLoadError).join('\n'));
    const r = runScenario(s, { scheduler: policy.setup });
    t.same(r.failures, [], `${s.name} passes`);
    t.ok(r.passed);
    t.equal(runScenario(s, { scheduler: policy.setup }).digest, r.digest, 'same seed, same digest');
  });
}

t.test('a custom policy changes placement: the same cluster under the default profile differs', async (t) => {
  const custom = loaded.scenarios.find((s) => s.name === 'custom-policy-gpu-bin-packing');
  const policy = custom && (await resolvePolicy(custom.cluster.scheduler));
  if (!custom || !policy?.ok) return t.fail('custom-policy-gpu-bin-packing does not load');
  t.equal(custom.cluster.scheduler.kind, 'config');
  t.same(runScenario(custom, { scheduler: policy.setup }).failures, []);
  const underDefault = runScenario(custom, { scheduler: { profiles: [], percentageOfNodesToScore: 0 } });
  t.notOk(underDefault.passed, 'its placement expectations fail under the default profile');
});
