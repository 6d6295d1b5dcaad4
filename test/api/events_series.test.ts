// events.k8s.io/v1 recording, transcribed from staging/src/k8s.io/client-go/tools/events
// eventseries_test.go (TestEventSeriesf, TestEventSeriesWithEventSinkImplRace, TestFinishSeries,
// TestRefreshExistingEventSeries), with the passes' timing from event_broadcaster.go
// (finishSeries every 6m, refreshExistingEventSeries every 30m, from the start).
import t from 'tap';
import { EventRecorder, FINISH_TIME_MS, REFRESH_TIME_MS, SeriesEventRecorder } from '../../src/api/events.js';
import { Store } from '../../src/api/store.js';
import type { Event, Pod } from '../../src/api/types.js';
import { Simulation } from '../../src/engine/sim.js';

function setup() {
  const sim = new Simulation(1, { keepTrace: false, digest: false });
  const store = new Store(sim, 0);
  const legacy = new EventRecorder(store, sim.stream('events/aggregator'));
  const recorder = new SeriesEventRecorder(legacy, store, sim, 'eventTest', 'host');
  const writes: string[] = [];
  store.observe((ev, verb) => {
    if (ev.object.kind === 'Event') writes.push(`${sim.nowMs} ${ev.type} ${(ev.object as Event).series?.count ?? '-'} ${verb}`);
  });
  const testPod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'foo', namespace: 'baz', uid: 'bar', resourceVersion: '7' }, spec: { containers: [] }, status: {} };
  const related: Pod = { ...testPod, metadata: { ...testPod.metadata, name: 'other', uid: 'other' } };
  const events = () => [...store.list<Event>('Event')];
  /** Runs the simulation to `ms`, with `fn` at that instant first. */
  const at = (ms: number, fn: () => void = () => {}) => {
    sim.at(ms, 'test', fn);
    sim.run({ untilMs: ms, maxSteps: 1e6 });
  };
  return { sim, store, legacy, recorder, writes, testPod, related, events, at };
}

t.test('TestEventSeriesf: an isomorphic event is patched as a series of 2; another action is a new Event', async (t) => {
  const { recorder, testPod, related, events, writes } = setup();
  recorder.eventf(testPod, related, 'Normal', 'test', 'started', 'some verbose message: 1', 'eventTest');
  t.same(writes, ['0 ADDED - event'], 'the first one is created');
  recorder.eventf(testPod, related, 'Normal', 'test', 'started', 'some verbose message: 1', 'eventTest');
  t.same(writes.slice(1), ['0 MODIFIED 2 event'], 'isomorphic: patched with series.count 2');
  recorder.eventf(testPod, related, 'Normal', 'test', 'stopped', 'some verbose message: 1', 'eventTest');
  t.same(writes.slice(2), ['0 ADDED - event'], 'non-isomorphic (action "stopped"): created, without series');
  const [first, second] = events();
  t.match(first, {
    metadata: { namespace: 'baz' },
    involvedObject: { kind: 'Pod', namespace: 'baz', name: 'foo', uid: 'bar', apiVersion: 'v1', resourceVersion: '7' },
    related: { name: 'other' },
    reason: 'test',
    message: 'some verbose message: 1',
    type: 'Normal',
    action: 'started',
    reportingComponent: 'eventTest',
    reportingInstance: 'eventTest-host',
    eventTime: 0,
    series: { count: 2, lastObservedTime: 0 },
    source: {},
  });
  t.ok(first!.metadata.name.startsWith('foo.'), 'named after the regarding object');
  t.equal(first!.count, undefined, 'no deprecated count');
  t.equal(first!.firstTimestamp, undefined, 'no deprecated timestamps');
  t.equal(second!.series, undefined);
  t.equal(second!.action, 'stopped');
});

t.test('TestEventSeriesWithEventSinkImplRace: two identical Eventf calls make one Event with a series', async (t) => {
  const { recorder, testPod, events } = setup();
  recorder.eventf(testPod, undefined, 'Normal', 'reason', 'action', '', 'test');
  recorder.eventf(testPod, undefined, 'Normal', 'reason', 'action', '', 'test');
  t.equal(events().length, 1);
  t.ok(events()[0]!.series !== undefined);
});

t.test('after the second occurrence a series only counts in memory; every occurrence is kept', async (t) => {
  const { recorder, legacy, testPod, events, writes, at } = setup();
  at(1_000, () => recorder.eventf(testPod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'a', 'default-scheduler'));
  at(2_000, () => recorder.eventf(testPod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'b', 'default-scheduler'));
  at(3_000, () => recorder.eventf(testPod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'c', 'default-scheduler'));
  t.same(writes, ['1000 ADDED - event', '2000 MODIFIED 2 event'], 'the third writes nothing');
  t.equal(events()[0]!.message, 'a', 'the note is not part of the key: the first one stays');
  t.same(events()[0]!.series, { count: 2, lastObservedTime: 2_000 });
  t.same(
    legacy.occurrences.map((o) => o.message),
    ['a', 'b', 'c'],
  );
});

t.test('the regarding object\'s resourceVersion is part of the key', async (t) => {
  const { recorder, testPod, events } = setup();
  recorder.eventf(testPod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'a', 'default-scheduler');
  recorder.eventf({ ...testPod, metadata: { ...testPod.metadata, resourceVersion: '8' } }, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'a', 'default-scheduler');
  t.equal(events().length, 2);
  t.same(
    events().map((e) => e.series),
    [undefined, undefined],
  );
});

t.test('TestFinishSeries: a series not seen for 6m is written with its final count and forgotten', async (t) => {
  const { recorder, testPod, events, writes, at } = setup();
  // A series last seen at 1m, and a singleton of another controller seen at 7m.
  at(60_000, () => {
    recorder.eventf(testPod, undefined, 'Normal', 'test', 'started', 'm', 'eventTest');
    recorder.eventf(testPod, undefined, 'Normal', 'test', 'started', 'm', 'eventTest');
    for (let i = 0; i < 8; i++) recorder.eventf(testPod, undefined, 'Normal', 'test', 'started', 'm', 'eventTest');
  });
  at(FINISH_TIME_MS);
  t.equal(recorder.cached, 1, 'at 6m the series was seen 5m ago: not finished');
  at(7 * 60_000, () => recorder.eventf(testPod, undefined, 'Normal', 'test', 'started', 'm', 'nonFinished-controller'));
  at(2 * FINISH_TIME_MS);
  t.same(writes, ['60000 ADDED - event', '60000 MODIFIED 2 event', '420000 ADDED - event', '720000 MODIFIED 10 event'], 'exactly one write at 12m: the final count');
  t.same(events()[0]!.series, { count: 10, lastObservedTime: 60_000 }, 'with the LastObservedTime it was last seen');
  t.equal(recorder.cached, 1, 'the finished series is forgotten; the singleton, seen 5m ago, stays');
});

t.test('finishSeries forgets a singleton seen more than 6m ago: its next occurrence is a new Event', async (t) => {
  const { recorder, testPod, events, at } = setup();
  at(1_000, () => recorder.eventf(testPod, undefined, 'Normal', 'Scheduled', 'Binding', 'x', 'default-scheduler'));
  at(FINISH_TIME_MS);
  t.equal(recorder.cached, 1, 'at 6m it was seen 5m59s ago');
  at(2 * FINISH_TIME_MS);
  t.equal(recorder.cached, 0, 'at 12m: forgotten, nothing written');
  t.equal(events().length, 1);
  at(2 * FINISH_TIME_MS + 1, () => recorder.eventf(testPod, undefined, 'Normal', 'Scheduled', 'Binding', 'x', 'default-scheduler'));
  t.equal(events().length, 2, 'a new Event, not a series');
  t.same(
    events().map((e) => e.series),
    [undefined, undefined],
  );
});

t.test('TestRefreshExistingEventSeries: every 30m a standing series is written again and stays cached', async (t) => {
  const { recorder, testPod, writes, at, events } = setup();
  // Seen every 5 minutes, so finishSeries never ends it. At 30m the pass (queued first) runs
  // before that instant's occurrence: it writes the six seen by 25m.
  for (let ms = 0; ms <= REFRESH_TIME_MS + 60_000; ms += 5 * 60_000) at(ms, () => recorder.eventf(testPod, undefined, 'Warning', 'BackOff', 'Pulling', 'n', 'kubelet'));
  t.same(writes, ['0 ADDED - event', '300000 MODIFIED 2 event', '1800000 MODIFIED 6 event'], 'the 30m refresh writes the count so far');
  t.equal(recorder.cached, 1);
  t.same(events()[0]!.series, { count: 6, lastObservedTime: 1_500_000 });
});

t.test('a series whose Event is gone is created again with its series', async (t) => {
  const { recorder, store, testPod, events } = setup();
  recorder.eventf(testPod, undefined, 'Normal', 'test', 'started', 'm', 'eventTest');
  const name = events()[0]!.metadata.name;
  store.delete('Event', 'baz', name, 'test');
  recorder.eventf(testPod, undefined, 'Normal', 'test', 'started', 'm', 'eventTest');
  t.equal(events().length, 1);
  t.equal(events()[0]!.metadata.name, name);
  t.same(events()[0]!.series, { count: 2, lastObservedTime: 0 });
});
