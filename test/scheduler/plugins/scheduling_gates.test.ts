// scheduling_gates_test.go Test_isSchedulableAfterUpdatePodSchedulingGatesEliminated (4 rows, all) is at the end.
import t from 'tap';
import type { Pod } from '../../../src/api/types.js';
import { Code } from '../../../src/scheduler/framework/status.js';
import { PodInfo } from '../../../src/scheduler/framework/types.js';
import { SchedulingGates, isSchedulableAfterUpdatePodSchedulingGatesEliminated, newSchedulingGates } from '../../../src/scheduler/plugins/scheduling_gates.js';
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

t.test('scheduling_gates_test.go Test_isSchedulableAfterUpdatePodSchedulingGatesEliminated', async (t) => {
  const withUID = (pod: Pod, uid: string): Pod => ({ ...pod, metadata: { ...pod.metadata, uid } });
  const rows: Array<{ name: string; pod: Pod; oldObj?: unknown; newObj?: unknown; want: 'Queue' | 'QueueSkip' | 'error' }> = [
    { name: 'backoff-wrong-old-object', pod: makePod('p'), oldObj: 'not-a-pod', want: 'error' },
    { name: 'backoff-wrong-new-object', pod: makePod('p'), newObj: 'not-a-pod', want: 'error' },
    { name: 'skip-queue-on-other-pod-updated', pod: withUID(gatedPod('p', ['foo', 'bar']), 'uid0'), oldObj: withUID(gatedPod('p1', ['foo', 'bar']), 'uid1'), newObj: withUID(gatedPod('p1', ['foo']), 'uid1'), want: 'QueueSkip' },
    { name: 'queue-on-the-unsched-pod-updated', pod: gatedPod('p', ['foo']), oldObj: gatedPod('p', ['foo']), newObj: gatedPod('p', []), want: 'Queue' },
  ];
  for (const row of rows) {
    const got = isSchedulableAfterUpdatePodSchedulingGatesEliminated(row.pod, row.oldObj, row.newObj);
    if (row.want === 'error') t.ok(got instanceof Error, row.name);
    else t.equal(got, row.want, row.name);
  }
});
