// The fuzzer's search on several cores. Fuzz runs are independent of one another, so the search
// for a first failing case spreads them over worker threads; everything else (drawing the cases,
// counting, shrinking, writing the scenario) stays on the calling thread.
//
// The outcome does not depend on the number of workers: cases are drawn on the calling thread in
// fast-check's own order (fc.sample over the same seed, resumed at a path), every result is
// taken in case order, and the search stops at the first case, in that order, that fails. The
// caller then hands that case's index to fast-check as a path (`seed` + `path` is fast-check's
// replay), which shrinks exactly as an uninterrupted fc.check would have.
//
// The calling thread stays synchronous: it blocks on a shared counter (Atomics.wait) that a
// worker bumps after each message, and reads messages with receiveMessageOnPort.
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import fc from 'fast-check';
import type { FaultFamily, FuzzCase, FuzzSize } from './arbitraries.js';
import { fuzzCaseArbitrary } from './arbitraries.js';
import type { CaseFailure } from './fuzz.js';

/** Where a worker gets the policy from: the default profile, or the file the caller loaded. */
export type PolicySource = { kind: 'default' } | { kind: 'file'; path: string };

/** What a worker is started with (workerData). */
export interface WorkerSetup {
  policy: PolicySource;
  /** The differential baseline, if any (see FuzzOptions.baseline). */
  baseline: PolicySource | undefined;
  invariants: string[] | undefined;
  maxSteps: number;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export type ToWorker = { kind: 'run'; index: number; case: FuzzCase };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'error'; message: string }
  /** `failure`: the case fails and the baseline (if any) does not; `shared`: both fail. */
  | { kind: 'result'; index: number; failure?: CaseFailure; shared?: CaseFailure };

export interface SearchOptions {
  workers: number;
  policy: PolicySource;
  baseline: PolicySource | undefined;
  seed: number;
  runs: number;
  size: Required<FuzzSize>;
  faults: FaultFamily[] | undefined;
  invariants: string[] | undefined;
  maxSteps: number;
  onProgress?: (done: number, total: number) => void;
}

export type SearchResult =
  | {
      kind: 'done';
      /** Runs before the first failing case (all runs when none failed). */
      runsBefore: number;
      /** The first failing case's index (fast-check's run index), if one failed. */
      failingIndex: number | undefined;
      /** Cases before it that failed under the baseline too. */
      shared: { count: number; first?: CaseFailure };
    }
  | { kind: 'error'; message: string };

/** Cases in flight per worker: one running, one waiting, so a worker never idles on a round trip. */
const IN_FLIGHT_PER_WORKER = 2;
/** Cases drawn at a time (fc.sample resumed at a path: drawing resumes without redrawing). */
const DRAW_CHUNK = 256;
/** A worker that says nothing for this long has died (a run is bounded by its step budget). */
const SILENCE_LIMIT_MS = 600_000;

/** Runs that pay for a worker's start (loading the modules and the policy, ~0.2s): fewer runs
 *  per worker than this and the search uses fewer workers, or none. */
export const MIN_RUNS_PER_WORKER = 25;

/** How many workers a search of `runs` runs uses when `asked` are allowed (≤ 1: none). */
export function workersFor(asked: number, runs: number): number {
  return Math.min(asked, Math.floor(runs / MIN_RUNS_PER_WORKER));
}

/** The worker count to use by default: one per core, at most 16. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(16, availableParallelism()));
}

/** The worker module next to this one (TypeScript under the test runner, JavaScript once built). */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

export function searchInWorkers(o: SearchOptions): SearchResult {
  const signal = new SharedArrayBuffer(4);
  const counter = new Int32Array(signal);
  const pool: Array<{ worker: Worker; port: MessagePort; inFlight: number }> = [];
  const count = Math.max(1, o.workers);
  try {
    for (let i = 0; i < count; i++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = { policy: o.policy, baseline: o.baseline, invariants: o.invariants, maxSteps: o.maxSteps, port: port2, signal };
      const worker = new Worker(workerUrl(), { workerData: setup, transferList: [port2] });
      worker.unref();
      pool.push({ worker, port: port1, inFlight: 0 });
    }
    return search(o, pool, counter);
  } finally {
    for (const w of pool) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}

function search(o: SearchOptions, pool: Array<{ worker: Worker; port: MessagePort; inFlight: number }>, counter: Int32Array): SearchResult {
  const arbitrary = fuzzCaseArbitrary(o.size, o.faults ? { faults: o.faults } : {});
  let drawn: FuzzCase[] = [];
  let drawnFrom = 0;
  const caseAt = (index: number): FuzzCase => {
    if (index >= drawnFrom + drawn.length) {
      drawnFrom = index;
      const n = Math.min(DRAW_CHUNK, o.runs - index);
      drawn = fc.sample(arbitrary, index === 0 ? { seed: o.seed, numRuns: n } : { seed: o.seed, numRuns: n, path: String(index) });
    }
    return drawn[index - drawnFrom]!;
  };

  let ready = 0;
  let next = 0;
  /** Results not yet taken in order. */
  const results = new Map<number, FromWorker & { kind: 'result' }>();
  let taken = 0;
  let firstFailing = Number.POSITIVE_INFINITY;
  const shared: { count: number; first?: CaseFailure } = { count: 0 };

  for (;;) {
    // Take results in case order.
    while (results.has(taken)) {
      const r = results.get(taken)!;
      results.delete(taken);
      if (r.failure !== undefined) return { kind: 'done', runsBefore: taken, failingIndex: taken, shared };
      if (r.shared !== undefined) {
        shared.count++;
        shared.first ??= r.shared;
      }
      taken++;
      o.onProgress?.(taken, o.runs);
    }
    if (taken >= o.runs) return { kind: 'done', runsBefore: taken, failingIndex: undefined, shared };
    // Hand out cases up to the first failure seen so far (earlier ones may still fail first).
    if (ready === pool.length) {
      for (const w of pool) {
        while (w.inFlight < IN_FLIGHT_PER_WORKER && next < o.runs && next < firstFailing) {
          const message: ToWorker = { kind: 'run', index: next, case: caseAt(next) };
          w.port.postMessage(message);
          w.inFlight++;
          next++;
        }
      }
    }
    // Wait for the next message from any worker.
    const seen = Atomics.load(counter, 0);
    let got = false;
    for (const w of pool) {
      for (let m = receiveMessageOnPort(w.port); m !== undefined; m = receiveMessageOnPort(w.port)) {
        got = true;
        const msg = m.message as FromWorker;
        if (msg.kind === 'error') return { kind: 'error', message: msg.message };
        if (msg.kind === 'ready') {
          ready++;
          continue;
        }
        w.inFlight--;
        results.set(msg.index, msg);
        if (msg.failure !== undefined && msg.index < firstFailing) firstFailing = msg.index;
      }
    }
    if (!got && Atomics.wait(counter, 0, seen, SILENCE_LIMIT_MS) === 'timed-out') {
      return { kind: 'error', message: `internal: no fuzz worker answered for ${SILENCE_LIMIT_MS / 1000}s` };
    }
  }
}
