// The core/v1 recorder's EventCorrelator (staging/src/k8s.io/client-go/tools/record/
// events_cache.go): aggregation of similar events, counting of identical ones (the eventLogger,
// an LRU of maxLruCacheEntries), and the per-source-and-object spam filter. The tables are
// events_cache_test.go's TestEventAggregatorByReasonFunc, TestEventAggregatorByReasonMessageFunc,
// TestEventCorrelator and TestEventSpamFilter.
import t from 'tap';
import { AGGREGATE_INTERVAL_MS, AGGREGATE_MAX_EVENTS, AGGREGATE_MESSAGE_PREFIX, EventRecorder, MAX_LRU_CACHE_ENTRIES, SPAM_BURST } from '../../src/api/events.js';
import { Store, type WatchEvent } from '../../src/api/store.js';
import type { Event, Pod } from '../../src/api/types.js';
import { Simulation } from '../../src/engine/sim.js';

function makePod(name: string, namespace: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: 'C934D34AFB20242' }, spec: { containers: [] }, status: {} };
}

/** makeEvent: a reason and message about an object, from the kubelet. */
interface Ev {
  reason: string;
  message: string;
  obj: Pod;
}
const makeEvent = (reason: string, message: string, obj: Pod): Ev => ({ reason, message, obj });
const makeEvents = (num: number, template: Ev): Ev[] => Array.from({ length: num }, () => template);
const makeUniqueEvents = (num: number): Ev[] => Array.from({ length: num }, (_, i) => makeEvent(`reason-${i}`, `message-${i}`, makePod(`pod-${i}`, `ns-${i}`)));
const makeSimilarEvents = (num: number, template: Ev, messagePrefix: string): Ev[] => makeEvents(num, template).map((e, i) => ({ ...e, message: `${messagePrefix}-${i}-${e.message}` }));

function setup(options: { spamBurst?: number } = {}) {
  const sim = new Simulation(1, { keepTrace: false, digest: false });
  const store = new Store(sim, 0);
  const recorder = new EventRecorder(store, sim.stream('events/aggregator'), options);
  const writes: Array<WatchEvent> = [];
  store.observe((ev) => {
    if (ev.object.kind === 'Event') writes.push(ev);
  });
  /** Records each event, 3 × `intervalMs` apart (upstream's IntervalClock ticks three times per
   *  event: the test's timestamp, the aggregator, the spam filter); returns the Event the last
   *  one wrote, or undefined when it was skipped. */
  const play = (events: Ev[], intervalMs: number): Event | undefined => {
    let last: Event | undefined;
    events.forEach((e, i) => {
      sim.at(i * 3 * intervalMs, 'test', () => {
        const before = writes.length;
        recorder.record(e.obj, 'Normal', e.reason, e.message, 'kubelet');
        last = writes.length > before ? (writes[writes.length - 1]!.object as Event) : undefined;
      });
    });
    sim.run({ untilMs: events.length * 3 * intervalMs, maxSteps: 1e6 });
    return last;
  };
  return { sim, store, recorder, play, writes };
}

t.test('TestEventAggregatorByReasonFunc / MessageFunc: only the message differs → one group, "(combined from similar events): "', async (t) => {
  const { play } = setup();
  const pod1 = makePod('pod1', 'other');
  // Ten distinct messages of one reason aggregate; a tenth of another reason does not.
  const fun = makeSimilarEvents(AGGREGATE_MAX_EVENTS - 1, makeEvent('end-of-world', 'it was fun', pod1), 'x');
  t.equal(play([...fun, makeEvent('nevermind', 'it was a bug', pod1)], 1_000)!.message, 'it was a bug', 'another reason: another group');
  const { play: play2 } = setup();
  const last = play2([...fun, makeEvent('end-of-world', 'it was awful', pod1)], 1_000)!;
  t.ok(last.message.startsWith(AGGREGATE_MESSAGE_PREFIX));
  t.equal(last.message, '(combined from similar events): it was awful');
});

t.test('TestEventCorrelator', async (t) => {
  const myPod = makePod('my-pod', 'my-ns');
  const firstEvent = makeEvent('first', 'i am first', myPod);
  const duplicateEvent = makeEvent('duplicate', 'me again', myPod);
  const uniqueEvent = makeEvent('unique', 'snowflake', myPod);
  const similarEvent = makeEvent('similar', 'similar message', myPod);
  const aggregateMessage = AGGREGATE_MESSAGE_PREFIX + similarEvent.message;
  const rows: Array<{ name: string; previousEvents: Ev[]; newEvent: Ev; expected?: { reason: string; message: string; count: number }; intervalSeconds: number; expectedSkip?: boolean }> = [
    { name: 'create-a-single-event', previousEvents: [], newEvent: firstEvent, expected: { reason: 'first', message: 'i am first', count: 1 }, intervalSeconds: 5 },
    { name: 'the-same-event-should-just-count', previousEvents: makeEvents(1, duplicateEvent), newEvent: duplicateEvent, expected: { reason: 'duplicate', message: 'me again', count: 2 }, intervalSeconds: 5 },
    {
      name: 'the-same-event-should-just-count-even-if-more-than-aggregate',
      previousEvents: makeEvents(AGGREGATE_MAX_EVENTS, duplicateEvent),
      newEvent: duplicateEvent,
      expected: { reason: 'duplicate', message: 'me again', count: AGGREGATE_MAX_EVENTS + 1 },
      intervalSeconds: 30, // larger interval induces aggregation but not spam.
    },
    { name: 'the-same-event-is-spam-if-happens-too-frequently', previousEvents: makeEvents(SPAM_BURST + 1, duplicateEvent), newEvent: duplicateEvent, expectedSkip: true, intervalSeconds: 1 },
    { name: 'create-many-unique-events', previousEvents: makeUniqueEvents(30), newEvent: uniqueEvent, expected: { reason: 'unique', message: 'snowflake', count: 1 }, intervalSeconds: 5 },
    {
      name: 'similar-events-should-aggregate-event',
      previousEvents: makeSimilarEvents(AGGREGATE_MAX_EVENTS - 1, similarEvent, similarEvent.message),
      newEvent: similarEvent,
      expected: { reason: 'similar', message: aggregateMessage, count: 1 },
      intervalSeconds: 5,
    },
    {
      name: 'similar-events-many-times-should-count-the-aggregate',
      previousEvents: makeSimilarEvents(AGGREGATE_MAX_EVENTS, similarEvent, similarEvent.message),
      newEvent: similarEvent,
      expected: { reason: 'similar', message: aggregateMessage, count: 2 },
      intervalSeconds: 5,
    },
    // "events-from-different-containers-do-not-aggregate" is left out: it differs only in the
    // involvedObject's fieldPath, which kubedrill's references never have.
    {
      name: 'similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate',
      previousEvents: makeSimilarEvents(AGGREGATE_MAX_EVENTS - 1, similarEvent, similarEvent.message),
      newEvent: similarEvent,
      expected: { reason: 'similar', message: 'similar message', count: 1 },
      intervalSeconds: AGGREGATE_INTERVAL_MS / 1000,
    },
  ];
  for (const row of rows) {
    const { play } = setup();
    const got = play([...row.previousEvents, row.newEvent], row.intervalSeconds * 1000);
    if (row.expectedSkip) {
      t.equal(got, undefined, `${row.name}: skipped`);
      continue;
    }
    t.match(got, { reason: row.expected!.reason, message: row.expected!.message, count: row.expected!.count, type: 'Normal', source: { component: 'kubelet' }, involvedObject: { kind: 'Pod', name: row.newEvent.obj.metadata.name } }, row.name);
    // validateEvent: first and last timestamp differ exactly when the event was compressed.
    t.equal(got!.firstTimestamp !== got!.lastTimestamp, row.expected!.count > 1, `${row.name}: timestamps`);
    t.ok(got!.metadata.name.startsWith(`${row.newEvent.obj.metadata.name}.`), `${row.name}: name`);
  }
});

t.test('TestEventSpamFilter: the default spam key is the source and object, whatever the reason', async (t) => {
  const myPod = makePod('my-pod', 'my-ns');
  const { play } = setup({ spamBurst: 1 });
  t.equal(play([makeEvent('original', 'i am first', myPod), makeEvent('duplicate', 'me again', myPod)], 1_000), undefined, 'event should be reported as spam if object reference is the same for default spam filter');
  // The rows with a custom spamKeyFunc are left out: kubedrill has no way to set one.
});

t.test('the spam bucket refills one event per 300s', async (t) => {
  const { recorder, sim, writes } = setup();
  const pod = makePod('p', 'default');
  sim.at(0, 'test', () => {
    for (let i = 0; i < SPAM_BURST + 3; i++) recorder.record(pod, 'Normal', `r${i}`, 'm', 'kubelet');
  });
  sim.at(299_999, 'test', () => recorder.record(pod, 'Normal', 'late', 'm', 'kubelet'));
  sim.at(300_000, 'test', () => recorder.record(pod, 'Normal', 'later', 'm', 'kubelet'));
  sim.run({ untilMs: 300_000, maxSteps: 1e6 });
  t.equal(writes.length, SPAM_BURST + 1, 'the burst, then one more at 300s');
  t.equal((writes[writes.length - 1]!.object as Event).reason, 'later');
  t.equal(recorder.occurrences.length, SPAM_BURST + 1, 'skipped events are not occurrences');
});

t.test('an identical event bumps the count; a different message is another Event', async (t) => {
  const { store, recorder } = setup();
  const pod = makePod('p', 'default');
  const say = (message: string) => recorder.record(pod, 'Warning', 'FailedMount', message, 'kubelet');
  const counts = (message: string) => [...store.list<Event>('Event')].filter((e) => e.message === message).map((e) => e.count);
  say('a');
  say('a');
  say('b');
  say('a');
  t.same(counts('a'), [3]);
  t.same(counts('b'), [1]);
  t.equal(store.count('Event'), 2);
  t.equal(recorder.occurrences.length, 4, 'every occurrence is kept');
});

t.test('the eventLogger remembers the last 4096 distinct events (LRU)', async (t) => {
  const { store, recorder } = setup();
  // Distinct objects, so that no aggregation or spam filtering comes in.
  const say = (name: string) => recorder.record(makePod(name, 'default'), 'Warning', 'FailedMount', 'm', 'kubelet');
  const counts = (name: string) => [...store.list<Event>('Event')].filter((e) => e.involvedObject.name === name).map((e) => e.count);
  say('first');
  say('kept');
  for (let i = 0; i < MAX_LRU_CACHE_ENTRIES - 2; i++) say(`filler-${i}`);
  say('kept'); // a repeat makes it the latest: it survives the next evictions
  say('one-more');
  say('first'); // 4097 distinct events since it was last seen: forgotten, so a new Event
  t.same(counts('first'), [1, 1]);
  say('kept');
  t.same(counts('kept'), [3], 'remembered: its repeat moved it up');
});

t.test('a ReplicaSet\'s 30 SuccessfulCreate events: 9 Events, an aggregate counting on, then the spam filter', async (t) => {
  const { store, recorder } = setup();
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default', uid: 'rs' } } as unknown as Pod;
  for (let i = 0; i < 30; i++) recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-1-${i}`, 'replicaset-controller');
  const events = [...store.list<Event>('Event')];
  t.equal(events.length, AGGREGATE_MAX_EVENTS, 'nine single Events and one aggregate');
  t.same(
    events.slice(0, AGGREGATE_MAX_EVENTS - 1).map((e) => e.count),
    Array(AGGREGATE_MAX_EVENTS - 1).fill(1),
  );
  t.match(events[AGGREGATE_MAX_EVENTS - 1], { message: '(combined from similar events): Created pod: web-1-24', count: SPAM_BURST - (AGGREGATE_MAX_EVENTS - 1) });
  t.equal(recorder.occurrences.length, SPAM_BURST, 'events past the burst are dropped');
});
