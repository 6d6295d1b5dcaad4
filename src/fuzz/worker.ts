// A fuzz worker thread (see parallel.ts): loads the policy the way the calling thread did, then
// runs each case it is handed and answers with what broke, judged against the baseline as
// fuzz.ts's Judge judges it.
import { type MessagePort, workerData } from 'node:worker_threads';
import type { SchedulerSetup } from '../cluster/cluster.js';
import { loadPolicyFile } from '../scenario/policy.js';
import { type CaseRunOptions, DEFAULT_SCHEDULER, runCase } from './fuzz.js';
import type { FromWorker, PolicySource, ToWorker, WorkerSetup } from './parallel.js';

const setup = workerData as WorkerSetup;
const counter = new Int32Array(setup.signal);

function send(port: MessagePort, message: FromWorker): void {
  port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

async function policyOf(source: PolicySource): Promise<SchedulerSetup> {
  if (source.kind === 'default') return DEFAULT_SCHEDULER;
  const r = await loadPolicyFile(source.path);
  if (!r.ok) throw new Error(`the policy ${source.path} did not load in a fuzz worker: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.setup;
}

async function main(): Promise<void> {
  const port = setup.port;
  try {
    const context: CaseRunOptions = { scheduler: await policyOf(setup.policy), invariants: setup.invariants, maxSteps: setup.maxSteps };
    const baseline = setup.baseline === undefined ? undefined : await policyOf(setup.baseline);
    port.on('message', (m: ToWorker) => {
      try {
        const failure = runCase(m.case, context);
        const shared = failure !== undefined && baseline !== undefined ? runCase(m.case, { ...context, scheduler: baseline }) : undefined;
        send(port, shared === undefined ? (failure === undefined ? { kind: 'result', index: m.index } : { kind: 'result', index: m.index, failure }) : { kind: 'result', index: m.index, shared });
      } catch (err) {
        send(port, { kind: 'error', message: `internal: a fuzz worker failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    });
    send(port, { kind: 'ready' });
  } catch (err) {
    send(port, { kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

void main();
