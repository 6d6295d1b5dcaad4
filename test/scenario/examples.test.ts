// Every scenario in scenarios/ loads without errors and passes, and runs the same twice.
import t from 'tap';
import { loadPaths } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';

const root = new URL('../../scenarios/', import.meta.url).pathname;
const loaded = loadPaths([root]);

t.same(loaded.errors, [], 'the examples load without errors');
t.ok(loaded.scenarios.length >= 6, `found ${loaded.scenarios.length} example scenarios`);

for (const s of loaded.scenarios) {
  t.test(s.name, async (t) => {
    const r = runScenario(s);
    t.same(r.failures, [], `${s.name} passes`);
    t.ok(r.passed);
    t.equal(runScenario(s).digest, r.digest, 'same seed, same digest');
  });
}
