import t from 'tap';
import { Simulation } from '../../src/engine/sim.js';

t.test('instant-end hooks run once per instant, after entries created during it', async (t) => {
  const sim = new Simulation(0);
  const log: string[] = [];
  sim.at(10, 'a', () => {
    log.push('a@10');
    sim.after(0, 'b', () => log.push('b@10'));
  });
  sim.at(20, 'c', () => log.push('c@20'));
  sim.onInstantEnd((tm) => log.push(`end@${tm}`));
  const out = sim.run({ untilMs: 30, maxSteps: 100 });
  t.same(log, ['a@10', 'b@10', 'end@10', 'c@20', 'end@20', 'end@30']);
  t.same(out, { kind: 'completed', steps: 3, endMs: 30 });
});

t.test('entries after until do not run; cancelled entries are skipped', async (t) => {
  const sim = new Simulation(0);
  let ran = 0;
  const e = sim.at(5, 'x', () => ran++);
  sim.cancel(e);
  sim.at(50, 'y', () => ran++);
  sim.run({ untilMs: 40, maxSteps: 10 });
  t.equal(ran, 0);
});

t.test('step budget ends a run that would never stop, naming the busiest component', async (t) => {
  const sim = new Simulation(0);
  const loop = () => sim.after(0, 'spinner', loop);
  loop();
  const out = sim.run({ untilMs: 1000, maxSteps: 500 });
  t.equal(out.kind, 'budget');
  if (out.kind === 'budget') {
    t.equal(out.budget, 'steps');
    t.same(out.busiest[0], ['spinner', 500]);
  }
});

t.test('wall-clock budget is polled through the supplied callback', async (t) => {
  const sim = new Simulation(0);
  const loop = () => sim.after(1, 'busy', loop);
  loop();
  let polls = 0;
  const out = sim.run({ untilMs: 1e9, maxSteps: 1e9, wallClockExceeded: () => ++polls > 2 });
  t.equal(out.kind, 'budget');
  if (out.kind === 'budget') t.equal(out.budget, 'wall-clock');
});

t.test('stop() ends the run after the current step with its reason', async (t) => {
  const sim = new Simulation(0);
  sim.at(3, 'x', () => sim.stop('broken'));
  sim.at(4, 'y', () => t.fail('must not run'));
  t.same(sim.run({ untilMs: 10, maxSteps: 10 }), { kind: 'stopped', steps: 1, endMs: 3, reason: 'broken' });
});

t.test('trace digest depends on every record', async (t) => {
  const a = new Simulation(0);
  const b = new Simulation(0);
  a.record('c', 'act', 'Pod/default/x');
  b.record('c', 'act', 'Pod/default/y');
  t.not(a.trace.digest(), b.trace.digest());
  const c = new Simulation(0);
  c.record('c', 'act', 'Pod/default/x');
  t.equal(a.trace.digest(), c.trace.digest());
});
