import t from 'tap';
import type { Pod } from '../../../src/api/types.js';
import { Code } from '../../../src/scheduler/framework/status.js';
import { PodInfo } from '../../../src/scheduler/framework/types.js';
import { SchedulingGates, newSchedulingGates } from '../../../src/scheduler/plugins/scheduling_gates.js';
import { makePod, registrations } from '../fixtures.js';

/** st.MakePod().Name(name).SchedulingGates(gates). */
const gatedPod = (name: string, gates: string[]): Pod => makePod(name, { schedulingGates: gates.map((g) => ({ name: g })) });

// pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates_test.go TestPreEnqueue.
const rows: Array<{ name: string; pod: Pod; want: { code: Code; reasons: string[] } | null }> = [
  { name: 'pod does not carry scheduling gates', pod: makePod('p'), want: null },
  {
    name: 'pod carries scheduling gates',
    pod: gatedPod('p', ['foo', 'bar']),
    want: { code: Code.UnschedulableAndUnresolvable, reasons: ['waiting for scheduling gates: [foo bar]'] },
  },
];

t.test('TestPreEnqueue', async (t) => {
  for (const row of rows) {
    t.test(row.name, async (t) => {
      const got = newSchedulingGates().preEnqueue!(PodInfo.of(row.pod));
      if (row.want === null) {
        t.equal(got, null);
      } else {
        t.equal(got?.code, row.want.code);
        t.same(got?.reasons, row.want.reasons);
      }
    });
  }
});

// Not transcribed from scheduling_gates_test.go: TestIsSchedulableAfterUpdatePodSchedulingGatesEliminated
// (queueing hint functions are not modelled; the queue uses the registered events only).

// Not upstream: an empty schedulingGates list gates nothing (len(...) == 0), and %v prints one gate bare.
t.test('empty list and single gate', async (t) => {
  const p = new SchedulingGates();
  t.equal(p.preEnqueue(PodInfo.of(gatedPod('empty', []))), null);
  t.same(p.preEnqueue(PodInfo.of(gatedPod('one', ['example.com/foo'])))?.reasons, ['waiting for scheduling gates: [example.com/foo]']);
});

t.test('eventsToRegister (queueing hints on)', async (t) => {
  t.strictSame(registrations(new SchedulingGates().eventsToRegister()), [{ resource: 'Pod', actions: ['UpdatePodSchedulingGatesEliminated'], hint: true }]);
});
