// Event recording, in the two shapes client-go has.
//
// EventRecorder, after staging/src/k8s.io/client-go/tools/record (the core/v1 recorder the
// controllers and the kubelet use) and its EventCorrelator's aggregation: an identical event
// (same object, reason, message, source) bumps `count` and `lastTimestamp` on the existing Event
// instead of creating another, as long as the recorder still remembers it: events_cache.go's
// eventLogger keeps the last 4096 distinct events (maxLruCacheEntries, an LRU cache: a repeat
// makes an event the latest again).
//
// SeriesEventRecorder, after staging/src/k8s.io/client-go/tools/events (the events.k8s.io/v1
// broadcaster kube-scheduler uses when the API server serves events.k8s.io/v1, as every
// supported one does): see there.
//
// Every occurrence of either is also kept in order, so expectations can match "an event in a
// window".
import type { Prng } from '../engine/prng.js';
import { TokenBucket } from './flowcontrol.js';
import type { Simulation } from '../engine/sim.js';
import type { Store } from './store.js';
import type { Event, EventSeries, KubeObject, ObjectReference } from './types.js';

export interface EventOccurrence {
  timeMs: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  involvedObject: ObjectReference;
  source: string;
}

/** events_cache.go maxLruCacheEntries: the entries each of the EventCorrelator's caches keeps. */
export const MAX_LRU_CACHE_ENTRIES = 4096;
/** defaultAggregateMaxEvents / defaultAggregateIntervalInSeconds: similar events (differing only
 *  in message) seen with 10 distinct messages, each within 10 minutes of the last, aggregate. */
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
/** defaultSpamBurst / defaultSpamQPS: a source may send 25 events about an object at once, then
 *  one every 5 minutes (a token bucket; the qps is a float32 in client-go). */
export const SPAM_BURST = 25;
export const SPAM_QPS = 1 / 300;
/** EventAggregatorByReasonMessageFunc's prefix. */
export const AGGREGATE_MESSAGE_PREFIX = '(combined from similar events): ';

/** groupcache's lru.Cache: get and add make an entry the most recent; past `max` entries the
 *  least recent is dropped. A Map for lookups, a doubly linked list for the order (so a move
 *  touches no hash table). */
class Lru<V> {
  private readonly map = new Map<string, LruEntry<V>>();
  /** The most recent entry, and the least recent (the list runs from newest to oldest). */
  private newest: LruEntry<V> | undefined;
  private oldest: LruEntry<V> | undefined;
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.toFront(e);
    return e.value;
  }
  add(key: string, value: V): void {
    const e = this.map.get(key);
    if (e !== undefined) {
      e.value = value;
      this.toFront(e);
      return;
    }
    const n: LruEntry<V> = { key, value, newer: undefined, older: this.newest };
    if (this.newest !== undefined) this.newest.newer = n;
    this.newest = n;
    this.oldest ??= n;
    this.map.set(key, n);
    if (this.map.size > this.max) {
      const gone = this.oldest!;
      this.oldest = gone.newer;
      if (this.oldest !== undefined) this.oldest.older = undefined;
      this.map.delete(gone.key);
    }
  }
  private toFront(e: LruEntry<V>): void {
    if (e === this.newest) return;
    // Unlink (e has a newer entry, as it is not the newest).
    e.newer!.older = e.older;
    if (e.older !== undefined) e.older.newer = e.newer;
    else this.oldest = e.newer;
    // Relink as the newest.
    e.older = this.newest;
    e.newer = undefined;
    this.newest!.newer = e;
    this.newest = e;
  }
}

interface LruEntry<V> {
  key: string;
  value: V;
  newer: LruEntry<V> | undefined;
  older: LruEntry<V> | undefined;
}

/** eventLog: what the eventLogger remembers of an event it saw. */
interface EventLog {
  count: number;
  firstTimestamp: number;
  name: string;
}

/** aggregateRecord: the distinct messages of similar events, and when the last one came. */
interface AggregateRecord {
  localKeys: Set<string>;
  lastMs: number;
}

/**
 * The core/v1 recorder (record.EventRecorder with its EventBroadcaster's EventCorrelator,
 * events_cache.go EventCorrelate): each event is first aggregated (EventAggregate: an event
 * whose source, object, type and reason were seen with 10 distinct messages, each within 10m of
 * the previous, becomes the one aggregate Event of that group, `(combined from similar events):
 * <message>`), then counted (eventObserve: a repeat of a remembered event, or of the group's
 * aggregate, bumps `count` and `lastTimestamp` and takes the new message), then rate-limited per
 * source and object (EventSourceObjectSpamFilter: a burst of 25, then one per 5 minutes; a
 * skipped event is not written, though the count above has moved). Each of the three caches
 * keeps 4096 entries (LRU).
 */
export class EventRecorder {
  /** Events written (or counted) as the API server sees them, in order. */
  readonly occurrences: EventOccurrence[] = [];
  private readonly logger = new Lru<EventLog>(MAX_LRU_CACHE_ENTRIES);
  private readonly aggregates = new Lru<AggregateRecord>(MAX_LRU_CACHE_ENTRIES);
  private readonly spam = new Lru<TokenBucket>(MAX_LRU_CACHE_ENTRIES);
  private seq = 0;

  private readonly burst: number;

  /** `rng` picks the message an aggregate group forgets (sets.String PopAny: Go map order);
   *  `spamBurst` is CorrelatorOptions.BurstSize (for tests; default 25). */
  constructor(
    private readonly store: Store,
    private readonly rng: Prng,
    options: { spamBurst?: number } = {},
  ) {
    this.burst = options.spamBurst ?? SPAM_BURST;
  }

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: string): void {
    const involvedObject = objectReference(obj);
    const now = this.store.nowMs;
    // The keys' parts, as getEventKey, getSpamKey and EventAggregatorByReasonFunc join them
    // (no source host, field path or reporting controller: the model sets none).
    const objectPart = `${source}\n${involvedObject.kind}\n${involvedObject.namespace ?? ''}\n${involvedObject.name}\n${involvedObject.uid ?? ''}\n${involvedObject.apiVersion ?? ''}`;
    const aggregateKey = `${objectPart}\n${type}\n${reason}`;
    // EventAggregate.
    let record = this.aggregates.get(aggregateKey);
    if (record === undefined || now - record.lastMs > AGGREGATE_INTERVAL_MS) record = { localKeys: new Set(), lastMs: now };
    record.localKeys.add(message);
    record.lastMs = now;
    this.aggregates.add(aggregateKey, record);
    let key = `${aggregateKey}\n${message}`;
    let text = message;
    if (record.localKeys.size >= AGGREGATE_MAX_EVENTS) {
      this.popAny(record.localKeys);
      key = aggregateKey;
      text = AGGREGATE_MESSAGE_PREFIX + message;
    }
    // eventObserve.
    const last = this.logger.get(key);
    const observed: EventLog = last === undefined ? { count: 1, firstTimestamp: now, name: `${involvedObject.name}.${(++this.seq).toString(16).padStart(16, '0')}` } : { count: last.count + 1, firstTimestamp: last.firstTimestamp, name: last.name };
    this.logger.add(key, observed);
    // The spam filter.
    if (!this.tryAccept(objectPart, now)) return;
    this.occurrences.push({ timeMs: now, type, reason, message: text, involvedObject, source });
    const namespace = involvedObject.namespace || 'default';
    // recordEvent: a repeat patches count, lastTimestamp and message; a first (or a repeat of
    // an Event gone from the API) is created.
    const existing = observed.count > 1 ? this.store.get<Event>('Event', namespace, observed.name) : undefined;
    if (existing !== undefined) this.store.update<Event>({ ...existing, count: observed.count, lastTimestamp: now, message: text }, source, 'event');
    else {
      const ev: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: observed.name, namespace },
        involvedObject,
        reason,
        message: text,
        type,
        source: { component: source },
        count: observed.count,
        firstTimestamp: observed.firstTimestamp,
        lastTimestamp: now,
      };
      if (!this.store.create(ev, source, 'event').ok) return;
    }
    // UpdateState: the written event, under its own full key (for an aggregate, the key of its
    // combined message).
    if (key === aggregateKey) this.logger.add(`${aggregateKey}\n${text}`, observed);
  }

  /** sets.String PopAny: one element, Go's map order being random. */
  private popAny(keys: Set<string>): void {
    let i = this.rng.intn(keys.size);
    for (const k of keys) {
      if (i-- === 0) {
        keys.delete(k);
        return;
      }
    }
  }

  /** EventSourceObjectSpamFilter.Filter: TryAccept on the source and object's token bucket. */
  private tryAccept(spamKey: string, now: number): boolean {
    let bucket = this.spam.get(spamKey);
    if (bucket === undefined) bucket = new TokenBucket(SPAM_QPS, this.burst);
    this.spam.add(spamKey, bucket);
    return bucket.tryAccept(now);
  }
}

/** tools/reference GetReference: the object's kind, name, namespace, uid, apiVersion and
 *  resourceVersion (in this order; the empty ones left out). */
export function objectReference(obj: KubeObject): ObjectReference {
  const ref: ObjectReference = { kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.metadata.uid) ref.uid = obj.metadata.uid;
  ref.apiVersion = obj.apiVersion;
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
  return ref;
}

/** tools/events event_broadcaster.go finishTime: a series not seen for this long is written one
 *  last time and forgotten, as is an event seen once this long ago; also the period of that pass. */
export const FINISH_TIME_MS = 6 * 60_000;
/** refreshTime: every standing series is written again this often. */
export const REFRESH_TIME_MS = 30 * 60_000;

/**
 * events.k8s.io/v1 recording (client-go tools/events, event_broadcaster.go recordToSink): the
 * first event of its kind is created; an isomorphic one (same type, action, reason, reporting
 * controller and instance, regarding and related object, resourceVersion included; the note is
 * not part of the key) turns the cached event into a series: the second occurrence patches
 * `series: {count: 2, lastObservedTime}` onto the stored Event, later ones only count in memory.
 * Every 30m (refreshExistingEventSeries) each standing series is written again; every 6m
 * (finishSeries) a series not seen for 6m is written one last time and forgotten, and an event
 * seen once more than 6m ago is forgotten, so its next occurrence is a new Event. Both passes
 * run from the recorder's start (wait.Until), in cache order (upstream: Go map order).
 */
export class SeriesEventRecorder {
  /** The events the broadcaster remembers, by isomorphism key (its eventCache). */
  private readonly cache = new Map<string, Event>();
  private readonly startMs: number;
  private finishAt: number | undefined;
  private refreshAt: number | undefined;
  private seq = 0;
  private readonly instances = new Map<string, string>();

  /** `component` runs the periodic passes; `hostname` makes each reporting controller's
   *  reportingInstance (`<controller>-<hostname>`, as NewRecorder). */
  constructor(
    private readonly recorder: EventRecorder,
    private readonly store: Store,
    private readonly sim: Simulation,
    private readonly component: string,
    private readonly hostname: string,
  ) {
    this.startMs = sim.nowMs;
  }

  /** The events currently remembered (for tests and reports). */
  get cached(): number {
    return this.cache.size;
  }

  /** recorderImpl.Eventf(regarding, related, type, reason, action, note) of the recorder
   *  NewRecorder(reportingController) made. */
  eventf(regarding: KubeObject, related: KubeObject | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string, reportingController: string): void {
    const now = this.sim.nowMs;
    const regardingRef = objectReference(regarding);
    const relatedRef = related === undefined ? undefined : objectReference(related);
    this.recorder.occurrences.push({ timeMs: now, type, reason, message: note, involvedObject: regardingRef, source: reportingController });
    const reportingInstance = this.instanceOf(reportingController);
    // The instance follows from the controller (one host).
    const key = `${type}\n${action}\n${reason}\n${reportingController}\n${referenceKey(regardingRef)}\n${relatedRef === undefined ? '' : referenceKey(relatedRef)}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      if (cached.series !== undefined) {
        cached.series = { count: cached.series.count + 1, lastObservedTime: now };
        return;
      }
      cached.series = { count: 2, lastObservedTime: now };
      this.armRefresh();
      this.write(cached);
      return;
    }
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      // makeEvent names it <regarding>.<hex of the time in ns>; a counter keeps names unique
      // when one object has two events at one instant.
      metadata: { name: `${regardingRef.name}.${(++this.seq).toString(16).padStart(16, '0')}`, namespace: regardingRef.namespace || 'default' },
      involvedObject: regardingRef,
      reason,
      message: note,
      type,
      source: {},
      eventTime: now,
      action,
      reportingComponent: reportingController,
      reportingInstance,
    };
    if (relatedRef !== undefined) event.related = relatedRef;
    this.cache.set(key, event);
    this.armFinish();
    this.write(event);
  }

  /** NewRecorder's reportingInstance, `<controller>-<hostname>`. */
  private instanceOf(reportingController: string): string {
    let instance = this.instances.get(reportingController);
    if (instance === undefined) this.instances.set(reportingController, (instance = `${reportingController}-${this.hostname}`));
    return instance;
  }

  /** recordEvent: a series is patched onto the stored Event (created again if it is gone);
   *  anything else is created. */
  private write(event: Event): void {
    const series: EventSeries | undefined = event.series === undefined ? undefined : { ...event.series };
    const actor = event.reportingComponent!;
    if (series !== undefined) {
      const stored = this.store.get<Event>('Event', event.metadata.namespace, event.metadata.name);
      if (stored !== undefined) {
        this.store.update<Event>({ ...stored, series }, actor, 'event');
        return;
      }
    }
    this.store.create<Event>(series === undefined ? event : { ...event, series }, actor, 'event');
  }

  /** finishSeries. */
  private finishSeries(): void {
    this.finishAt = undefined;
    const cutoff = this.sim.nowMs - FINISH_TIME_MS;
    for (const [key, event] of this.cache) {
      if (event.series !== undefined) {
        if (event.series.lastObservedTime < cutoff) {
          this.write(event);
          this.cache.delete(key);
        }
      } else if (event.eventTime! < cutoff) this.cache.delete(key);
    }
    this.armFinish();
  }

  /** refreshExistingEventSeries. */
  private refreshSeries(): void {
    this.refreshAt = undefined;
    for (const event of this.cache.values()) if (event.series !== undefined) this.write(event);
    this.armRefresh();
  }

  // The passes run at start + k × period. A pass with nothing to do changes nothing, so one is
  // queued only while the cache holds something it would act on.

  private armFinish(): void {
    if (this.finishAt !== undefined || this.cache.size === 0) return;
    this.finishAt = nextTick(this.startMs, FINISH_TIME_MS, this.sim.nowMs);
    this.sim.at(this.finishAt, this.component, () => this.finishSeries());
  }

  private armRefresh(): void {
    if (this.refreshAt !== undefined) return;
    let any = false;
    for (const event of this.cache.values()) if (event.series !== undefined) any = true;
    if (!any) return;
    this.refreshAt = nextTick(this.startMs, REFRESH_TIME_MS, this.sim.nowMs);
    this.sim.at(this.refreshAt, this.component, () => this.refreshSeries());
  }
}

/** The first start + k × period (k ≥ 1) after `nowMs`. */
function nextTick(startMs: number, periodMs: number, nowMs: number): number {
  return startMs + (Math.floor((nowMs - startMs) / periodMs) + 1) * periodMs;
}

/** An ObjectReference as a key part: every field (eventKey compares the structs). */
function referenceKey(ref: ObjectReference): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}/${ref.uid ?? ''}/${ref.apiVersion ?? ''}/${ref.resourceVersion ?? ''}`;
}
