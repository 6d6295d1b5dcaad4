// Event recording, after staging/src/k8s.io/client-go/tools/record (EventRecorder and the
// EventCorrelator's aggregation): an identical event (same object, reason, message, source)
// bumps `count` and `lastTimestamp` on the existing Event instead of creating another, as long
// as the recorder still remembers it: events_cache.go's eventLogger keeps the last 4096 distinct
// events (maxLruCacheEntries, an LRU cache: a repeat makes an event the latest again).
// Every occurrence is also kept in order, so expectations can match "an event in a window".
import type { Store } from './store.js';
import type { Event, KubeObject, ObjectReference } from './types.js';

export interface EventOccurrence {
  timeMs: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  involvedObject: ObjectReference;
  source: string;
}

/** events_cache.go maxLruCacheEntries: the distinct events an EventCorrelator remembers. */
export const MAX_LRU_CACHE_ENTRIES = 4096;

export class EventRecorder {
  readonly occurrences: EventOccurrence[] = [];
  private readonly byKey = new Map<string, string>();
  private seq = 0;

  constructor(private readonly store: Store) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: string): void {
    // Fields in this order: kind, name, namespace (if any), uid (if any), apiVersion.
    const involvedObject: ObjectReference = { kind: obj.kind, name: obj.metadata.name };
    if (obj.metadata.namespace) involvedObject.namespace = obj.metadata.namespace;
    if (obj.metadata.uid) involvedObject.uid = obj.metadata.uid;
    involvedObject.apiVersion = obj.apiVersion;
    const now = this.store.nowMs;
    this.occurrences.push({ timeMs: now, type, reason, message, involvedObject, source });
    const namespace = obj.metadata.namespace ?? 'default';
    const key = `${involvedObject.kind}/${namespace}/${involvedObject.name}/${involvedObject.uid ?? ''}/${type}/${reason}/${message}/${source}`;
    const existingName = this.byKey.get(key);
    const existing = existingName ? this.store.get<Event>('Event', namespace, existingName) : undefined;
    if (existingName !== undefined) this.byKey.delete(key);
    if (existing) {
      this.byKey.set(key, existingName!);
      this.store.update<Event>({ ...existing, count: existing.count + 1, lastTimestamp: now }, source, 'event');
      return;
    }
    const name = `${involvedObject.name}.${(++this.seq).toString(16).padStart(16, '0')}`;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      type,
      source: { component: source },
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
    };
    const r = this.store.create(ev, source, 'event');
    if (!r.ok) return;
    this.byKey.set(key, name);
    // The least recently seen event is forgotten (a Map iterates in insertion order).
    if (this.byKey.size > MAX_LRU_CACHE_ENTRIES) this.byKey.delete(this.byKey.keys().next().value!);
  }
}
