// The API server and etcd, as one object store: objects by kind, a global resourceVersion,
// admission on create and update, graceful deletion of pods, and watches delivered to each
// component after the configured latency (one queue entry per write per watching component).
// Synchronous observers see every write at the step that made it (the invariant library and
// the trace use them; they never write).
import type { Simulation } from '../engine/sim.js';
import { type Lease as EtcdLease, LeaseManager } from './etcd_lease.js';
import { type AnyObject, type Kind, type KubeObject, type Lease, type Pod, KINDS, objectKey, podIsTerminal } from './types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent<T extends KubeObject = AnyObject> {
  type: WatchEventType;
  object: T;
  /** The previous state, for MODIFIED and DELETED. */
  old?: T;
}

export type ApiErrorReason = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden';
export type WriteResult<T> = { ok: true; object: T } | { ok: false; reason: ApiErrorReason; message: string };

/** What an admission plugin returns to reject a request. */
export class AdmissionDenied {
  constructor(
    readonly reason: ApiErrorReason,
    readonly message: string,
  ) {}
}

/** `subresource`: '' for the object itself, 'status' for a status write, 'binding' for the
 *  scheduler's pods/binding (the writes kubedrill's components make with verb 'status' and, for
 *  Pods, 'bind'). */
export type AdmissionPlugin = (op: 'CREATE' | 'UPDATE', obj: AnyObject, old: AnyObject | undefined, store: Store, subresource: string) => AnyObject | AdmissionDenied;

export type WriteObserver = (ev: WatchEvent, verb: string, actor: string) => void;
type WatchHandler = (ev: WatchEvent) => void;

interface Watcher {
  component: string;
  kinds: Set<Kind>;
  handlers: Map<Kind, WatchEntry[]>;
}

interface WatchEntry {
  handler: WatchHandler;
  relevant: ((ev: WatchEvent) => boolean) | undefined;
}

export interface DeleteOptions {
  /** Seconds; undefined means the object's own default (a pod's terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
}

/** One kind's objects by objectKey, in creation order, and the keys already built for it. */
interface KindTable {
  namespaced: boolean;
  objects: Map<string, AnyObject>;
  /** objectKey(kind, namespace, name) by namespace ('' for none) and name: reads build no
   *  string, and the key found is the one objectKey would build. */
  keys: Map<string, Map<string, string>>;
  /** Events: no key cache (each Event is written once or a few times, under a name of its own:
   *  caching their keys would only keep every name alive). */
  uncachedKeys: boolean;
  /** Moves whenever an object of the kind is created or deleted (not on updates). */
  membership: number;
  /** Leases only: the ones their holders keep renewing, by objectKey (see renewEvery). */
  renewals?: Map<string, Renewal>;
}

/** A Lease renewed at phaseMs + k × periodMs (k ≥ 1) until its holder stops. */
interface Renewal {
  phaseMs: number;
  periodMs: number;
  /** The first renewal the stored object does not have yet (reads before it change nothing). */
  nextMs: number;
}

export class Store {
  private readonly tables = new Map<string, KindTable>();
  private resourceVersion = 0;
  private uidCounter = 0;
  private readonly admission: AdmissionPlugin[] = [];
  private readonly observers: WriteObserver[] = [];
  private readonly watchers = new Map<string, Watcher>();
  /** Per kind, the watchers that watch it with their handlers, in watcher registration order
   *  (what emit walks); rebuilt lazily after a watch is added. */
  private watchersByKind = new Map<Kind, Array<{ component: string; handlers: WatchEntry[]; filtered: boolean }>>();
  /** Events' etcd leases (etcd_lease.ts), when Events have a TTL. */
  private readonly eventLeases: LeaseManager | undefined;
  private readonly eventTtlSeconds: number;

  /** `eventTtlSeconds`: kube-apiserver's `--event-ttl` (none: Events stay). */
  constructor(
    private readonly sim: Simulation,
    private readonly watchLatencyMs: number,
    options: { eventTtlSeconds?: number } = {},
  ) {
    this.eventTtlSeconds = options.eventTtlSeconds ?? 0;
    this.eventLeases = this.eventTtlSeconds > 0 ? new LeaseManager((lease) => sim.at(lease.expiresMs, ETCD, () => this.expireEventLease(lease))) : undefined;
    for (const kind of Object.keys(KINDS) as Kind[]) {
      this.tables.set(kind, { namespaced: KINDS[kind].namespaced, objects: new Map(), keys: new Map(), uncachedKeys: kind === 'Event', membership: 0, ...(kind === 'Lease' ? { renewals: new Map() } : {}) });
    }
  }

  get nowMs(): number {
    return this.sim.nowMs;
  }

  addAdmission(plugin: AdmissionPlugin): void {
    this.admission.push(plugin);
  }

  observe(observer: WriteObserver): void {
    this.observers.push(observer);
  }

  /**
   * Registers a component's watch on a kind; events arrive `watchLatencyMs` after the write.
   * `relevant`, a pure function of the event alone (never of the watcher's state), says which
   * events the handler would act on; the others are not delivered (no step is spent on them).
   */
  watch<T extends AnyObject>(kind: T['kind'], component: string, handler: (ev: WatchEvent<T>) => void, relevant?: (ev: WatchEvent<T>) => boolean): void {
    let w = this.watchers.get(component);
    if (w === undefined) {
      w = { component, kinds: new Set(), handlers: new Map() };
      this.watchers.set(component, w);
    }
    w.kinds.add(kind);
    const list = w.handlers.get(kind) ?? [];
    list.push({ handler: handler as WatchHandler, relevant: relevant as ((ev: WatchEvent) => boolean) | undefined });
    w.handlers.set(kind, list);
    this.watchersByKind = new Map();
  }

  get<T extends AnyObject>(kind: T['kind'], namespace: string | undefined, name: string): T | undefined {
    const t = this.tables.get(kind)!;
    return this.current(t, keyIn(t, kind, t.namespaced ? namespace ?? 'default' : undefined, name)) as T | undefined;
  }

  /** Objects of a kind in creation order (deterministic). */
  list<T extends AnyObject>(kind: T['kind']): IterableIterator<T> {
    const t = this.tables.get(kind)!;
    if (t.renewals !== undefined) for (const key of t.renewals.keys()) this.current(t, key);
    return t.objects.values() as IterableIterator<T>;
  }

  // ---- standing Lease renewals ----------------------------------------------------------------

  /**
   * The Lease `namespace/name` (just written by its holder) is renewed every `periodMs` from now
   * on, until stopRenewing: each renewal sets spec.renewTime to its instant, as the holder's Update
   * would. A running kubelet renews its node Lease every 10s, for hours; kubedrill does not spend
   * a step and a write on each. Instead a read (get, list, update, delete) sees the Lease as of
   * its latest renewal at or before the read. What this leaves out, and only this: a renewal
   * moves neither the resourceVersion nor the trace, and sends no watch event. Nothing watches a
   * Lease's renewTime: the node lifecycle controller reads it on its monitor pass, as upstream
   * reads it from its lister (pkg/controller/nodelifecycle/node_lifecycle_controller.go
   * tryUpdateNodeHealth).
   */
  renewEvery(namespace: string, name: string, periodMs: number): void {
    const t = this.tables.get('Lease')!;
    const key = keyIn(t, 'Lease', namespace, name);
    if (!t.objects.has(key)) throw new Error(`internal: renewEvery of a missing Lease ${key}`);
    const period = Math.max(1, periodMs);
    t.renewals!.set(key, { phaseMs: this.sim.nowMs, periodMs: period, nextMs: this.sim.nowMs + period });
  }

  /** The holder stops renewing: the Lease keeps its last renewal before now (one due now, at the
   *  instant the holder stops, does not happen). */
  stopRenewing(namespace: string, name: string): void {
    const t = this.tables.get('Lease')!;
    const key = keyIn(t, 'Lease', namespace, name);
    const r = t.renewals!.get(key);
    if (r === undefined) return;
    const obj = t.objects.get(key);
    if (obj !== undefined) this.renew(t, key, obj as Lease, lastRenewal(r, this.sim.nowMs - 1));
    t.renewals!.delete(key);
  }

  /** A Lease's spec.renewTime as a read now would see it, without building that Lease (the node
   *  lifecycle controller's monitor pass asks every few seconds, for every node). */
  leaseRenewTime(namespace: string, name: string): number | undefined {
    const t = this.tables.get('Lease')!;
    const key = keyIn(t, 'Lease', namespace, name);
    const lease = t.objects.get(key) as Lease | undefined;
    if (lease === undefined) return undefined;
    return this.dueRenewal(t, key) ?? lease.spec.renewTime;
  }

  /** The latest standing renewal of a Lease at or before now that its stored object does not
   *  have yet; undefined when there is none. */
  private dueRenewal(t: KindTable, key: string): number | undefined {
    const r = t.renewals!.get(key);
    return r === undefined || this.sim.nowMs < r.nextMs ? undefined : lastRenewal(r, this.sim.nowMs);
  }

  /** The stored object, with a standing Lease renewal brought up to now. */
  private current(t: KindTable, key: string): AnyObject | undefined {
    const obj = t.objects.get(key);
    if (t.renewals === undefined || obj === undefined) return obj;
    const at = this.dueRenewal(t, key);
    if (at === undefined) return obj;
    const r = t.renewals.get(key)!;
    r.nextMs = at + r.periodMs;
    return this.renew(t, key, obj as Lease, at);
  }

  private renew(t: KindTable, key: string, lease: Lease, atMs: number | undefined): Lease {
    if (atMs === undefined || lease.spec.renewTime === atMs) return lease;
    const spec = { ...lease.spec };
    spec.renewTime = atMs;
    const next: Lease = { apiVersion: lease.apiVersion, kind: lease.kind, metadata: lease.metadata, spec };
    t.objects.set(key, next);
    return next;
  }

  count(kind: Kind): number {
    return this.tables.get(kind)!.objects.size;
  }

  /** A number that moves whenever an object of `kind` is created or deleted: while it stays,
   *  the kind's set of objects is the same (their contents may have changed). */
  membershipVersion(kind: Kind): number {
    return this.tables.get(kind)!.membership;
  }

  /** `without`: one admission plugin this request skips (a scenario's time-0 nodes belong to a
   *  running cluster: the node controller lifted TaintNodesByCondition's taint long ago). */
  create<T extends AnyObject>(input: T, actor: string, verb = 'create', without?: AdmissionPlugin): WriteResult<T> {
    const kind = input.kind as Kind;
    const info = KINDS[kind];
    if (info === undefined) return { ok: false, reason: 'Invalid', message: `kind ${String(input.kind)} is not supported` };
    let obj = this.normalizeMeta(input, info.namespaced);
    if (!obj.metadata.name) return { ok: false, reason: 'Invalid', message: `${kind}: metadata.name or generateName is required` };
    const t = this.tables.get(kind)!;
    const table = t.objects;
    const key = this.keyOf(obj);
    if (table.has(key)) return { ok: false, reason: 'AlreadyExists', message: `${kindPlural(kind)} "${obj.metadata.name}" already exists` };
    const admitted = this.admit('CREATE', obj, undefined, '', without);
    if (admitted instanceof AdmissionDenied) return { ok: false, reason: admitted.reason, message: admitted.message };
    obj = admitted as T;
    obj = this.stamp(obj, { uid: this.nextUid(), creationTimestamp: this.sim.nowMs, generation: info.generation ? 1 : undefined });
    table.set(key, obj);
    t.membership++;
    if (kind === 'Event') this.eventLeases?.attach(key, this.sim.nowMs, this.eventTtlSeconds);
    this.emit({ type: 'ADDED', object: obj }, verb, actor);
    return { ok: true, object: obj };
  }

  /** Replaces an object. With `expectedResourceVersion`, fails with Conflict if it moved on. */
  update<T extends AnyObject>(input: T, actor: string, verb = 'update', expectedResourceVersion?: string): WriteResult<T> {
    const kind = input.kind as Kind;
    const t = this.tables.get(kind);
    if (t === undefined) return { ok: false, reason: 'Invalid', message: `kind ${String(input.kind)} is not supported` };
    const table = t.objects;
    const key = this.keyOf(input);
    const old = this.current(t, key) as T | undefined;
    if (old === undefined) return { ok: false, reason: 'NotFound', message: `${kindPlural(kind)} "${input.metadata.name}" not found` };
    if (expectedResourceVersion !== undefined && old.metadata.resourceVersion !== expectedResourceVersion) {
      return { ok: false, reason: 'Conflict', message: `Operation cannot be fulfilled on ${kindPlural(kind)} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again` };
    }
    const subresource = verb === 'status' ? 'status' : verb === 'bind' && kind === 'Pod' ? 'binding' : '';
    const admitted = this.admit('UPDATE', input, old, subresource);
    if (admitted instanceof AdmissionDenied) return { ok: false, reason: admitted.reason, message: admitted.message };
    const generation = old.metadata.generation;
    const obj = this.stamp(admitted as T, {
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      generation: generation === undefined ? undefined : specJsonDiffers((admitted as { spec?: unknown }).spec, (old as { spec?: unknown }).spec) ? generation + 1 : generation,
    });
    table.set(key, obj);
    if (kind === 'Event') this.eventLeases?.attach(key, this.sim.nowMs, this.eventTtlSeconds);
    this.emit({ type: 'MODIFIED', object: obj, old }, verb, actor);
    return { ok: true, object: obj };
  }

  /**
   * Deletes an object. A pod bound to a node and not terminal is deleted gracefully: it gets a
   * deletionTimestamp and stays until its kubelet confirms (delete with grace 0), as
   * pkg/registry/core/pod/strategy.go CheckGracefulDelete; other kinds go at once.
   */
  delete(kind: Kind, namespace: string | undefined, name: string, actor: string, options: DeleteOptions = {}): WriteResult<AnyObject> {
    const t = this.tables.get(kind)!;
    const table = t.objects;
    const key = keyIn(t, kind, t.namespaced ? namespace ?? 'default' : undefined, name);
    const old = this.current(t, key);
    if (old === undefined) return { ok: false, reason: 'NotFound', message: `${kindPlural(kind)} "${name}" not found` };
    if (old.kind === 'Pod') {
      const graceS = podGracePeriodSeconds(old, options.gracePeriodSeconds);
      if (graceS > 0) return this.markTerminating(old, graceS, actor);
    }
    table.delete(key);
    t.membership++;
    t.renewals?.delete(key);
    if (kind === 'Event') this.eventLeases?.detach(key);
    const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.resourceVersion) } } as AnyObject;
    this.emit({ type: 'DELETED', object: gone, old }, 'delete', actor);
    return { ok: true, object: gone };
  }

  /** An Event lease ended: etcd deletes the Events still on it (a DELETED watch event each). */
  private expireEventLease(lease: EtcdLease): void {
    const t = this.tables.get('Event')!;
    const table = t.objects;
    for (const key of this.eventLeases!.expire(lease)) {
      const old = table.get(key);
      if (old === undefined) continue;
      table.delete(key);
      t.membership++;
      const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.resourceVersion) } } as AnyObject;
      this.emit({ type: 'DELETED', object: gone, old }, 'expire', ETCD);
    }
  }

  private markTerminating(pod: Pod, graceS: number, actor: string): WriteResult<AnyObject> {
    const dueMs = this.sim.nowMs + graceS * 1000;
    const current = pod.metadata.deletionTimestamp;
    // A second delete may only shorten the grace period (registry/rest/delete.go BeforeDelete).
    if (current !== undefined && current <= dueMs) return { ok: true, object: pod };
    const next: Pod = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: dueMs, deletionGracePeriodSeconds: graceS } };
    return this.update(next, actor, 'delete-graceful');
  }

  private admit(op: 'CREATE' | 'UPDATE', obj: AnyObject, old: AnyObject | undefined, subresource: string, without?: AdmissionPlugin): AnyObject | AdmissionDenied {
    let cur = obj;
    for (const plugin of this.admission) {
      if (plugin === without) continue;
      const out = plugin(op, cur, old, this, subresource);
      if (out instanceof AdmissionDenied) return out;
      cur = out;
    }
    return cur;
  }

  private normalizeMeta<T extends AnyObject>(obj: T, namespaced: boolean): T {
    const meta = { ...obj.metadata };
    if (namespaced) meta.namespace = meta.namespace ?? 'default';
    else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.sim.stream('apiserver/names').nextU32().toString(36).slice(0, 5).padStart(5, '0');
    return { ...obj, metadata: meta };
  }

  private stamp<T extends AnyObject>(obj: T, fixed: { uid: string | undefined; creationTimestamp: number | undefined; generation: number | undefined }): T {
    // Copied, then set (not `{ ...m, resourceVersion }`): V8 clones a plain object faster than it
    // clones one while overriding a key the copy already has.
    const meta = { ...obj.metadata };
    meta.resourceVersion = String(++this.resourceVersion);
    if (fixed.uid !== undefined) meta.uid = fixed.uid;
    if (fixed.creationTimestamp !== undefined) meta.creationTimestamp = fixed.creationTimestamp;
    if (fixed.generation !== undefined) meta.generation = fixed.generation;
    else if ('generation' in meta) delete meta.generation;
    const out = { ...obj };
    out.metadata = meta;
    return out;
  }

  /** keyOf(obj), through the key cache. */
  private keyOf(obj: KubeObject): string {
    return keyIn(this.tables.get(obj.kind)!, obj.kind, obj.metadata.namespace, obj.metadata.name);
  }

  private nextUid(): string {
    const n = (++this.uidCounter).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  private emit(ev: WatchEvent, verb: string, actor: string): void {
    if (this.sim.trace.readsRecords) this.sim.record(actor, verb, this.keyOf(ev.object), traceDetail(ev));
    else this.sim.record(actor, verb, '');
    for (const o of this.observers) o(ev, verb, actor);
    const kind = ev.object.kind as Kind;
    for (const w of this.kindWatchers(kind)) {
      const handlers = w.handlers;
      if (!w.filtered) {
        this.sim.after(this.watchLatencyMs, w.component, () => {
          for (const h of handlers) h.handler(ev);
        });
        continue;
      }
      if (handlers.length === 1) {
        // One filtered handler (the usual case): no list to build.
        const h = handlers[0]!;
        if (h.relevant!(ev)) this.sim.after(this.watchLatencyMs, w.component, () => h.handler(ev));
        continue;
      }
      const wanted = handlers.filter((h) => h.relevant === undefined || h.relevant(ev));
      if (wanted.length === 0) continue;
      this.sim.after(this.watchLatencyMs, w.component, () => {
        for (const h of wanted) h.handler(ev);
      });
    }
  }

  private kindWatchers(kind: Kind): Array<{ component: string; handlers: WatchEntry[]; filtered: boolean }> {
    let list = this.watchersByKind.get(kind);
    if (list === undefined) {
      list = [];
      for (const w of this.watchers.values()) {
        const handlers = w.handlers.get(kind);
        if (handlers !== undefined) list.push({ component: w.component, handlers, filtered: handlers.some((h) => h.relevant !== undefined) });
      }
      this.watchersByKind.set(kind, list);
    }
    return list;
  }
}

/** The component that ends Event leases. */
const ETCD = 'etcd';

/** The latest renewal instant at or before `atMs`; undefined before the first (the Lease is
 *  then as its holder wrote it). */
function lastRenewal(r: Renewal, atMs: number): number | undefined {
  const k = Math.floor((atMs - r.phaseMs) / r.periodMs);
  return k >= 1 ? r.phaseMs + k * r.periodMs : undefined;
}

/** objectKey(kind, namespace, name) through the kind's key cache: built once per distinct key. */
function keyIn(t: KindTable, kind: string, namespace: string | undefined, name: string): string {
  if (t.uncachedKeys) return objectKey(kind, namespace, name);
  const ns = namespace ? namespace : '';
  let byName = t.keys.get(ns);
  if (byName === undefined) t.keys.set(ns, (byName = new Map()));
  let key = byName.get(name);
  if (key === undefined) byName.set(name, (key = objectKey(kind, namespace, name)));
  return key;
}

/**
 * JSON.stringify(a) !== JSON.stringify(b) (a spec changed: generation moves), without serialising
 * when the answer is plain: the same object (a status write passes the spec it read); two plain
 * objects with the same keys in the same order and only JSON-exact primitive values (a Lease's
 * spec), compared value by value; a top-level key whose value is a string in `a` and a different
 * string or absent in `b`, which puts different text at that key. Otherwise the texts are compared.
 */
export function specJsonDiffers(a: unknown, b: unknown): boolean {
  if (a === b) return false;
  if (isPlainRecord(a) && isPlainRecord(b) && a['toJSON'] === undefined && b['toJSON'] === undefined) {
    const flat = flatJsonDiffers(a, b);
    if (flat !== undefined) return flat;
    for (const k of Object.keys(a)) {
      const av = a[k];
      if (typeof av !== 'string') continue;
      const bv = Object.prototype.hasOwnProperty.call(b, k) ? b[k] : undefined;
      if (bv === undefined || (typeof bv === 'string' && bv !== av)) return true;
    }
  }
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** For the same keys in the same order and only JSON-exact values, whether a value differs;
 *  undefined when that cannot tell. */
function flatJsonDiffers(a: Record<string, unknown>, b: Record<string, unknown>): boolean | undefined {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return undefined;
  let differs = false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return undefined;
    const va = a[k];
    const vb = b[k];
    if (!jsonExact(va) || !jsonExact(vb)) return undefined;
    if (va !== vb) differs = true;
  }
  return differs;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** A value whose JSON text is equal for two values exactly when they are ===. */
export function jsonExact(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** What the trace keeps of a write: the resourceVersion, and for pods where they are and how. */
function traceDetail(ev: WatchEvent): string {
  const rv = ev.object.metadata.resourceVersion ?? '';
  if (ev.object.kind !== 'Pod') return rv;
  const p = ev.object;
  return `${rv} ${p.spec.nodeName ?? '-'} ${p.status?.phase ?? '-'}${p.metadata.deletionTimestamp !== undefined ? ' terminating' : ''}`;
}

/** The grace period a pod delete uses (pkg/registry/core/pod/strategy.go CheckGracefulDelete):
 *  0 for a pod that never reached a node or has finished; else the request's, or the pod's
 *  terminationGracePeriodSeconds (default 30). */
export function podGracePeriodSeconds(pod: Pod, requested: number | undefined): number {
  if (!pod.spec.nodeName || podIsTerminal(pod)) return 0;
  if (requested !== undefined) return Math.max(0, requested);
  return pod.spec.terminationGracePeriodSeconds ?? 30;
}

function kindPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return lower + 'es';
  if (lower.endsWith('y')) return lower.slice(0, -1) + 'ies';
  return lower + 's';
}
