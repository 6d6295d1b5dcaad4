// The discrete-event kernel: one (timeMs, seq) queue and a loop that pops it (SimPy's shape).
// It knows nothing of Kubernetes. Components schedule closures; the loop runs them in order,
// calls instant-end hooks once every entry of an instant (including ones created during it) has
// run, and stops at `untilMs` or when a budget is exhausted.
import { EventQueue, type QueueEntry } from './queue.js';
import { PrngStreams, type Prng } from './prng.js';
import { Trace } from './trace.js';

export interface Budgets {
  /** The run ends normally after the last entry at this instant. */
  untilMs: number;
  /** Maximum number of queue entries to run. */
  maxSteps: number;
  /** Polled every 4096 steps; returning true ends the run as a wall-clock budget failure. The
   *  engine never reads a clock itself: the CLI supplies this. */
  wallClockExceeded?: () => boolean;
}

export type RunOutcome =
  | { kind: 'completed'; steps: number; endMs: number }
  | { kind: 'stopped'; steps: number; endMs: number; reason: string }
  | { kind: 'budget'; budget: 'steps' | 'wall-clock'; steps: number; endMs: number; busiest: Array<[string, number]> };

export type InstantHook = (timeMs: number) => void;

export class Simulation {
  nowMs = 0;
  readonly rng: PrngStreams;
  readonly trace: Trace;
  private readonly queue = new EventQueue();
  private readonly instantHooks: InstantHook[] = [];
  private stopReason: string | undefined;
  /** Steps run per component (a counter per component, so a step is one map lookup). */
  private readonly stepsByComponent = new Map<string, { steps: number }>();

  constructor(seed: number, options: { keepTrace?: boolean; digest?: boolean } = {}) {
    this.rng = new PrngStreams(seed);
    this.trace = new Trace(options.keepTrace ?? true, options.digest ?? true);
  }

  /** Schedules `run` at an absolute instant (never in the past). */
  at(timeMs: number, component: string, run: () => void): QueueEntry {
    if (!Number.isSafeInteger(timeMs)) throw new RangeError(`time ${timeMs} is not an integer millisecond`);
    return this.queue.push(timeMs < this.nowMs ? this.nowMs : timeMs, component, run);
  }

  after(delayMs: number, component: string, run: () => void): QueueEntry {
    return this.at(this.nowMs + delayMs, component, run);
  }

  cancel(entry: QueueEntry | undefined): void {
    if (entry) entry.cancelled = true;
  }

  stream(name: string): Prng {
    return this.rng.stream(name);
  }

  record(component: string, action: string, object: string, detail?: string): void {
    this.trace.record(this.nowMs, component, action, object, detail);
  }

  /** Hooks run when an instant has settled: every entry at that instant has run. */
  onInstantEnd(hook: InstantHook): void {
    this.instantHooks.push(hook);
  }

  /** Ends the run after the current step (an invariant broke, say). */
  stop(reason: string): void {
    if (this.stopReason === undefined) this.stopReason = reason;
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  run(budgets: Budgets): RunOutcome {
    let steps = 0;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.timeMs > budgets.untilMs) break;
      this.queue.pop();
      if (next.cancelled) continue;
      this.nowMs = next.timeMs;
      if (steps >= budgets.maxSteps) return this.budgetOutcome('steps', steps);
      if ((steps & 4095) === 4095 && budgets.wallClockExceeded?.()) return this.budgetOutcome('wall-clock', steps);
      steps++;
      const counter = this.stepsByComponent.get(next.component);
      if (counter === undefined) this.stepsByComponent.set(next.component, { steps: 1 });
      else counter.steps++;
      next.run();
      if (this.stopReason !== undefined) return { kind: 'stopped', steps, endMs: this.nowMs, reason: this.stopReason };
      const after = this.queue.peek();
      if (after === undefined || after.timeMs !== this.nowMs) {
        this.settle();
        if (this.stopReason !== undefined) return { kind: 'stopped', steps, endMs: this.nowMs, reason: this.stopReason };
      }
    }
    if (this.nowMs !== budgets.untilMs) {
      this.nowMs = budgets.untilMs;
      this.settle();
      if (this.stopReason !== undefined) return { kind: 'stopped', steps, endMs: this.nowMs, reason: this.stopReason };
    }
    return { kind: 'completed', steps, endMs: this.nowMs };
  }

  private settle(): void {
    for (const hook of this.instantHooks) hook(this.nowMs);
  }

  private budgetOutcome(budget: 'steps' | 'wall-clock', steps: number): RunOutcome {
    const busiest = [...this.stepsByComponent].map(([c, n]): [string, number] => [c, n.steps]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    return { kind: 'budget', budget, steps, endMs: this.nowMs, busiest };
  }
}
