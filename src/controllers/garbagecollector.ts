// The garbage collector, background propagation only: an object whose owners (ownerReferences,
// by uid) are all gone is deleted; one with some owners left loses the references to the gone
// ones. Follows (v1.35) pkg/controller/garbagecollector/graph_builder.go (the owner → dependents
// graph, built from watch events; an owner's deletion queues its dependents; a new reference to
// an absent owner queues the dependent) and garbagecollector.go attemptToDeleteItem
// (classifyReferences into solid and dangling, the patch that removes dangling references, the
// background delete; objects already being deleted are left alone).
// Not modelled: foreground deletion and orphaning (the foregroundDeletion / orphan finalizers and
// propagationPolicy), blockOwnerDeletion, cluster-scoped dependents of namespaced owners.
import type { Store, WatchEvent } from '../api/store.js';
import { type AnyObject, isKind, type Kind, KINDS, keyOf, type OwnerReference } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import { type ReconcileResult, WorkQueue } from './workqueue.js';

export const COMPONENT = 'garbage-collector';

interface ObjectRef {
  kind: Kind;
  namespace: string | undefined;
  name: string;
}

export type ReferenceClass = 'solid' | 'dangling';

/**
 * classifyReferences, one reference: solid if an object of that kind and name exists with that
 * uid (namespaced owners are looked up in the dependent's namespace). A kind the store does not
 * know cannot be resolved; upstream retries such items, so the reference counts as solid.
 */
export function classifyReference(store: Store, dependent: AnyObject, ref: OwnerReference): ReferenceClass {
  if (!isKind(ref.kind)) return 'solid';
  const namespace = KINDS[ref.kind].namespaced ? dependent.metadata.namespace : undefined;
  const owner = store.get(ref.kind, namespace, ref.name);
  return owner !== undefined && owner.metadata.uid === ref.uid ? 'solid' : 'dangling';
}

/**
 * Whether an event can change the owner graph: a deletion, or an object whose owner references
 * (by uid, in order) differ from its previous version's. The graph holds each object's last
 * delivered references, which are the previous version's, so the events left out (a Lease
 * renewed, a Node's status) are exactly those processGraphChanges finds no difference in.
 */
function changesGraph(ev: WatchEvent): boolean {
  if (ev.type === 'DELETED') return true;
  const now = ev.object.metadata.ownerReferences ?? [];
  const before = (ev.type === 'MODIFIED' ? ev.old?.metadata.ownerReferences : undefined) ?? [];
  return now.length !== before.length || now.some((r, i) => r.uid !== before[i]!.uid);
}

export class GarbageCollector {
  private readonly queue: WorkQueue;
  /** Owner uid → keys of the objects that reference it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Object key → the owner uids it references, and where to find it. */
  private readonly nodes = new Map<string, { ref: ObjectRef; owners: string[] }>();

  constructor(
    sim: Simulation,
    private readonly store: Store,
  ) {
    this.queue = new WorkQueue(sim, COMPONENT, (key) => this.attemptToDelete(key));
  }

  /** Watches every kind but Event: events never carry ownerReferences here and own nothing. */
  start(): void {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      if (kind === 'Event') continue;
      for (const obj of this.store.list(kind)) this.observe({ type: 'ADDED', object: obj });
      this.store.watch(kind, COMPONENT, (ev) => this.observe(ev), changesGraph);
    }
  }

  // ---- graph_builder.go processGraphChanges ----

  private observe(ev: WatchEvent): void {
    const key = keyOf(ev.object);
    if (ev.type === 'DELETED') {
      this.forget(key);
      this.queueDependents(ev.object.metadata.uid);
      return;
    }
    const refs = ev.object.metadata.ownerReferences;
    const known = this.nodes.get(key);
    // No owners before or now (a Lease, a Node): nothing changes (the comparison below says so).
    if (known === undefined && (refs ?? []).length === 0) return;
    const owners = (refs ?? []).map((r) => r.uid);
    const before = known?.owners ?? [];
    if (owners.length === before.length && owners.every((uid, i) => uid === before[i])) return;
    this.forget(key);
    if (owners.length === 0) return;
    const obj = ev.object;
    this.nodes.set(key, { ref: { kind: obj.kind as Kind, namespace: obj.metadata.namespace, name: obj.metadata.name }, owners });
    for (const uid of owners) {
      let set = this.dependents.get(uid);
      if (set === undefined) this.dependents.set(uid, (set = new Set()));
      set.add(key);
    }
    // A reference to an owner that is already gone: verify and collect (the "virtual node" path).
    const added = owners.filter((uid) => !before.includes(uid));
    if ((obj.metadata.ownerReferences ?? []).some((r) => added.includes(r.uid) && classifyReference(this.store, obj, r) === 'dangling')) this.queue.add(key);
  }

  private forget(key: string): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    this.nodes.delete(key);
    for (const uid of node.owners) {
      const set = this.dependents.get(uid);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(uid);
    }
  }

  private queueDependents(uid: string | undefined): void {
    if (uid === undefined) return;
    for (const key of this.dependents.get(uid) ?? []) this.queue.add(key);
  }

  // ---- garbagecollector.go attemptToDeleteItem ----

  private attemptToDelete(key: string): ReconcileResult {
    const node = this.nodes.get(key);
    if (node === undefined) return 'done';
    const { kind, namespace, name } = node.ref;
    const obj = this.store.get(kind, namespace, name);
    if (obj === undefined || obj.metadata.deletionTimestamp !== undefined) return 'done';
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return 'done';
    const dangling = refs.filter((r) => classifyReference(this.store, obj, r) === 'dangling');
    if (dangling.length === 0) return 'done';
    if (dangling.length < refs.length) return this.removeDangling(obj, dangling);
    const result = this.store.delete(kind, namespace, name, COMPONENT);
    return result.ok || result.reason === 'NotFound' ? 'done' : 'retry';
  }

  /** Some owners remain: drop the references to the gone ones (upstream's patch). */
  private removeDangling(obj: AnyObject, dangling: readonly OwnerReference[]): ReconcileResult {
    const gone = new Set(dangling.map((r) => r.uid));
    const ownerReferences = (obj.metadata.ownerReferences ?? []).filter((r) => !gone.has(r.uid));
    const result = this.store.update({ ...obj, metadata: { ...obj.metadata, ownerReferences } } as AnyObject, COMPONENT, 'patch');
    return result.ok || result.reason === 'NotFound' ? 'done' : 'retry';
  }
}
