// The API server's TTL on Events: kube-apiserver stores every Event with a TTL (`--event-ttl`,
// 1h; pkg/registry/core/event/storage/storage.go TTLFunc, applied on create and on every update),
// which the etcd3 store turns into an etcd lease (staging/src/k8s.io/apiserver/pkg/storage/etcd3/
// lease_manager.go): leases are shared, so a write reuses the previous lease while that one ends
// more than `ttl` and at most `ttl` + reuse (min(5% of ttl, 60s)) from now, for at most 1000
// objects; otherwise a new lease of `ttl` + reuse is granted. When a lease ends, etcd deletes
// every key still attached to it (a later write of a key attaches it to the lease of that write).

/** lease_manager.go defaults: NewDefaultLeaseManagerConfig (ReuseDurationSeconds 60,
 *  MaxObjectCount 1000) and newDefaultLeaseManager's 5%. */
export const LEASE_REUSE_DURATION_SECONDS = 60;
export const LEASE_REUSE_DURATION_PERCENT = 0.05;
export const LEASE_MAX_OBJECT_COUNT = 1000;

export interface Lease {
  id: number;
  expiresMs: number;
  /** The keys attached to it when written; a key written again has moved to that write's lease
   *  (leaseOf says where each key hangs now). */
  keys: string[];
}

/** leaseManager.GetLease, and which key hangs on which lease. */
export class LeaseManager {
  private prev: Lease | undefined;
  private attachedObjectCount = 0;
  private nextId = 1;
  private readonly leaseOf = new Map<string, Lease>();

  /** `onGrant` is told of each new lease (to end it at `expiresMs`). */
  constructor(private readonly onGrant: (lease: Lease) => void) {}

  /** A write of `key` with `ttlSeconds` at `nowMs`: attaches the key to the lease GetLease returns. */
  attach(key: string, nowMs: number, ttlSeconds: number): Lease {
    const lease = this.getLease(nowMs, ttlSeconds);
    if (this.leaseOf.get(key) !== lease) {
      lease.keys.push(key);
      this.leaseOf.set(key, lease);
    }
    return lease;
  }

  /** The key is gone (deleted): it no longer hangs on a lease. */
  detach(key: string): void {
    this.leaseOf.delete(key);
  }

  /** The lease ended: the keys still attached to it, now detached. */
  expire(lease: Lease): string[] {
    const keys: string[] = [];
    for (const k of lease.keys) {
      if (this.leaseOf.get(k) !== lease) continue;
      this.leaseOf.delete(k);
      keys.push(k);
    }
    lease.keys = [];
    return keys;
  }

  /** GetLease: reuse the previous lease if it ends within (ttl, ttl + reuse] from now and has
   *  room (every call counts, as upstream's leaseAttachedObjectCount); else grant ttl + reuse. */
  private getLease(nowMs: number, ttlSeconds: number): Lease {
    const reuseSeconds = Math.min(Math.trunc(LEASE_REUSE_DURATION_PERCENT * ttlSeconds), LEASE_REUSE_DURATION_SECONDS);
    this.attachedObjectCount++;
    const prev = this.prev;
    if (prev !== undefined) {
      const valid = nowMs + ttlSeconds * 1000 < prev.expiresMs;
      // `>=`: a write at the millisecond of the grant comes after it (upstream's clock has moved
      // on by some nanoseconds, and After holds).
      const sufficient = nowMs + (ttlSeconds + reuseSeconds) * 1000 >= prev.expiresMs;
      if (valid && sufficient && this.attachedObjectCount <= LEASE_MAX_OBJECT_COUNT) return prev;
    }
    const lease: Lease = { id: this.nextId++, expiresMs: nowMs + (ttlSeconds + reuseSeconds) * 1000, keys: [] };
    this.prev = lease;
    this.attachedObjectCount = 1;
    this.onGrant(lease);
    return lease;
  }
}
