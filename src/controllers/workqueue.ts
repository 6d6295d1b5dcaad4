// The client-go workqueue shape controllers use (staging/src/k8s.io/client-go/util/workqueue):
// keys are de-duplicated while waiting, processed one at a time, and re-added rate-limited when a
// reconcile asks for a retry, by DefaultTypedControllerRateLimiter (default_rate_limiters.go): the
// larger of a per-item exponential backoff (5ms doubling to 1000s, reset when the item's
// reconcile succeeds: Forget) and the queue's token bucket (10 qps, burst 100), which every
// rate-limited add draws on. One queue entry in the simulation per processed key.
import { TokenBucket } from '../api/flowcontrol.js';
import type { Simulation } from '../engine/sim.js';

const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 1_000_000;
const BUCKET_QPS = 10;
const BUCKET_BURST = 100;

export type ReconcileResult = 'done' | 'retry';

export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly order: string[] = [];
  private scheduled = false;
  private readonly failures = new Map<string, number>();
  private readonly bucket = new TokenBucket(BUCKET_QPS, BUCKET_BURST);

  constructor(
    private readonly sim: Simulation,
    private readonly component: string,
    private readonly reconcile: (key: string) => ReconcileResult,
  ) {}

  add(key: string): void {
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    this.order.push(key);
    if (!this.scheduled) {
      this.scheduled = true;
      this.sim.after(0, this.component, () => this.drainOne());
    }
  }

  addAfter(key: string, delayMs: number): void {
    this.sim.after(delayMs, this.component, () => this.add(key));
  }

  /** AddRateLimited: back after MaxOf(the item's backoff, which grows with each call until a
   *  reconcile of the item succeeds (Forget); the bucket's delay). */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const itemDelay = Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS);
    this.addAfter(key, Math.max(itemDelay, this.bucket.reserve(this.sim.nowMs)));
  }

  private drainOne(): void {
    this.scheduled = false;
    const key = this.order.shift();
    if (key === undefined) return;
    this.waiting.delete(key);
    const result = this.reconcile(key);
    if (result === 'retry') this.addRateLimited(key);
    else this.failures.delete(key);
    if (this.order.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.sim.after(0, this.component, () => this.drainOne());
    }
  }
}
