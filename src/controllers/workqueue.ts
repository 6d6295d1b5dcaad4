// The client-go workqueue shape controllers use (staging/src/k8s.io/client-go/util/workqueue):
// keys are de-duplicated while waiting, processed one at a time, and re-added with a per-item
// exponential backoff (5ms doubling to 1000s, DefaultTypedControllerRateLimiter's item limiter)
// when a reconcile asks for a retry. One queue entry in the simulation per processed key.
import type { Simulation } from '../engine/sim.js';

const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 1_000_000;

export type ReconcileResult = 'done' | 'retry';

export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly order: string[] = [];
  private scheduled = false;
  private readonly failures = new Map<string, number>();

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

  /** AddRateLimited: back after the item's backoff, which grows with each call until a reconcile
   *  of the item succeeds (Forget). */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS));
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
