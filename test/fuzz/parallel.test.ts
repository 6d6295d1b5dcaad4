// The fuzzer's search in worker threads (src/fuzz/parallel.ts) gives the report the calling
// thread alone gives: the same runs, the same first failing case, the same shrink, the same
// baseline counts — only faster on more cores.
import t from 'tap';
import { join } from 'node:path';
import type { SchedulerSetup } from '../../src/cluster/cluster.js';
import { type FuzzOptions, type FuzzReport, DEFAULT_SCHEDULER, runFuzz } from '../../src/fuzz/fuzz.js';
import { MIN_RUNS_PER_WORKER, workersFor } from '../../src/fuzz/parallel.js';
import { loadPolicyFile } from '../../src/scenario/policy.js';
import { formatLoadError } from '../../src/scenario/types.js';

t.setTimeout(180_000);

const POLICY_DIR = new URL('./broken-policies/', import.meta.url).pathname;

async function policy(name: string): Promise<{ scheduler: SchedulerSetup; policyPath: string }> {
  const policyPath = join(POLICY_DIR, `${name}.yaml`);
  const r = await loadPolicyFile(policyPath);
  if (!r.ok) throw new Error(r.errors.map(formatLoadError).join('\n'));
  return { scheduler: r.setup, policyPath };
}

/** A report (its clock stopped at 0) and the progress calls. */
function fuzz(o: Partial<FuzzOptions> & Pick<FuzzOptions, 'scheduler'>): FuzzReport & { progress: number[] } {
  const progress: number[] = [];
  const report = runFuzz({ runs: 300, seed: 20261128, size: 'small', now: () => 0, writeFile: () => false, onProgress: (done) => progress.push(done), ...o });
  return { ...report, progress };
}

t.test('a broken policy: the same failing case, shrink and file with 1 or 2 workers', async (t) => {
  const p = await policy('ignore-taints');
  const one = fuzz({ ...p, workers: 1 });
  const two = fuzz({ ...p, workers: 2 });
  t.equal(one.outcome, 'failed');
  t.same(two, one);
});

t.test('with a baseline: cases the baseline fails too are counted alike', async (t) => {
  const p = await policy('sticky-binder');
  const one = fuzz({ ...p, baseline: DEFAULT_SCHEDULER, invariants: ['no-double-binding'], workers: 1 });
  const three = fuzz({ ...p, baseline: DEFAULT_SCHEDULER, invariants: ['no-double-binding'], workers: 3 });
  t.equal(one.outcome, 'failed');
  t.same(three, one);
});

t.test('the default profile: every run passes, progress counted in order', async (t) => {
  const one = fuzz({ scheduler: DEFAULT_SCHEDULER, runs: 60, workers: 1 });
  const two = fuzz({ scheduler: DEFAULT_SCHEDULER, runs: 60, workers: 2 });
  t.equal(two.outcome, 'passed');
  t.equal(two.runsDone, 60);
  t.same(two.progress, Array.from({ length: 60 }, (_, i) => i + 1));
  t.same(two, one);
});

t.test('a policy a worker cannot rebuild (no file) runs on the calling thread', async (t) => {
  const p = await policy('ignore-taints');
  const inline = fuzz({ scheduler: p.scheduler, workers: 2 });
  const one = fuzz({ ...p, workers: 1 });
  t.equal(inline.outcome, 'failed');
  if (inline.outcome === 'failed' && one.outcome === 'failed') {
    t.equal(inline.path, one.path);
    t.same(inline.case, one.case);
  }
});

t.test('workers are used only where runs pay for their start', async (t) => {
  t.equal(workersFor(4, 1000), 4);
  t.equal(workersFor(4, 60), 2, 'one per MIN_RUNS_PER_WORKER runs');
  t.equal(workersFor(8, MIN_RUNS_PER_WORKER - 1), 0, 'too few runs: none');
  t.equal(workersFor(1, 1000), 1);
});

t.test('a worker that cannot load the policy ends the search with an error, not a hang', async (t) => {
  const p = await policy('ignore-taints');
  const r = fuzz({ scheduler: p.scheduler, policyPath: join(POLICY_DIR, 'no-such-policy.yaml'), workers: 2, runs: 100 });
  t.equal(r.outcome, 'error');
  if (r.outcome === 'error') {
    t.equal(r.reason, 'worker');
    t.match(r.message, /no-such-policy\.yaml did not load in a fuzz worker/);
  }
});
