// Event recording (staging/src/k8s.io/client-go/tools/record/events_cache.go): an identical
// event bumps count and lastTimestamp on the Event the recorder remembers; the eventLogger
// remembers the last maxLruCacheEntries (4096) distinct events, a repeat making one the latest.
import t from 'tap';
import { EventRecorder, MAX_LRU_CACHE_ENTRIES } from '../../src/api/events.js';
import { Store } from '../../src/api/store.js';
import type { Event, Pod } from '../../src/api/types.js';
import { Simulation } from '../../src/engine/sim.js';

function setup() {
  const sim = new Simulation(1, { keepTrace: false, digest: false });
  const store = new Store(sim, 0);
  const recorder = new EventRecorder(store);
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [] }, status: {} };
  const say = (message: string) => recorder.record(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
  const counts = (message: string) => [...store.list<Event>('Event')].filter((e) => e.message === message).map((e) => e.count);
  return { store, recorder, say, counts };
}

t.test('an identical event bumps the count; a different message is another Event', async (t) => {
  const { store, recorder, say, counts } = setup();
  say('a');
  say('a');
  say('b');
  say('a');
  t.same(counts('a'), [3]);
  t.same(counts('b'), [1]);
  t.equal(store.count('Event'), 2);
  t.equal(recorder.occurrences.length, 4, 'every occurrence is kept');
});

t.test('the recorder remembers the last 4096 distinct events (LRU)', async (t) => {
  const { say, counts } = setup();
  say('first');
  say('kept');
  for (let i = 0; i < MAX_LRU_CACHE_ENTRIES - 2; i++) say(`filler ${i}`);
  say('kept'); // a repeat makes it the latest: it survives the next evictions
  say('one more');
  say('first'); // 4097 distinct events since it was last seen: forgotten, so a new Event
  t.same(counts('first'), [1, 1]);
  say('kept');
  t.same(counts('kept'), [3], 'remembered: its repeat moved it up');
});
