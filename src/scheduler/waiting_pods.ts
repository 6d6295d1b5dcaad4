// Pods waiting at Permit, after pkg/scheduler/framework/runtime/waiting_pods_map.go (v1.35): one
// map for the scheduler (all profiles), a timer per plugin that asked to wait, and one signal per
// pod. As upstream's buffered channel, the first signal is the one the binding cycle receives:
// allowed (every pending plugin allowed it) or rejected (by a plugin, a timeout, preemption, or
// the pod's deletion); later ones are dropped.
import type { Pod } from '../api/types.js';
import type { QueueEntry } from '../engine/queue.js';
import type { Simulation } from '../engine/sim.js';
import { formatDuration } from '../engine/time.js';
import { Code, Status } from './framework/status.js';
import type { WaitingPod } from './framework/types.js';

class WaitingPodRecord implements WaitingPod {
  private readonly timers = new Map<string, QueueEntry>();
  /** undefined until the first signal; then null (allowed) or the rejection. */
  private signal: Status | null | undefined = undefined;

  constructor(
    readonly pod: Pod,
    private readonly sim: Simulation,
    private readonly component: string,
    private readonly onSignal: (status: Status | null) => void,
  ) {}

  /** newWaitingPod's timers: each plugin's timeout rejects the pod. */
  start(waits: ReadonlyArray<{ plugin: string; timeoutMs: number }>): void {
    for (const { plugin, timeoutMs } of waits) {
      const msg = `rejected due to timeout after waiting ${formatDuration(timeoutMs)} at plugin ${plugin}`;
      this.timers.set(plugin, this.sim.after(timeoutMs, this.component, () => this.reject(plugin, msg)));
    }
  }

  pendingPlugins(): string[] {
    return [...this.timers.keys()];
  }

  allow(pluginName: string): void {
    const timer = this.timers.get(pluginName);
    if (timer !== undefined) {
      this.sim.cancel(timer);
      this.timers.delete(pluginName);
    }
    if (this.timers.size !== 0) return;
    this.send(null);
  }

  reject(pluginName: string, msg: string): void {
    for (const timer of this.timers.values()) this.sim.cancel(timer);
    this.send(new Status(Code.Unschedulable, msg).withPlugin(pluginName));
  }

  private send(status: Status | null): void {
    if (this.signal !== undefined) return;
    this.signal = status;
    this.onSignal(status);
  }
}

export class WaitingPods {
  private readonly pods = new Map<string, WaitingPodRecord>();

  constructor(
    private readonly sim: Simulation,
    private readonly component: string,
  ) {}

  /** RunPermitPlugins' newWaitingPod and waitingPods.add; `onSignal` runs at the signal's instant,
   *  as a step of its own (the binding goroutine waking up). */
  add(pod: Pod, waits: ReadonlyArray<{ plugin: string; timeoutMs: number }>, onSignal: (status: Status | null) => void): void {
    const uid = pod.metadata.uid ?? '';
    const record = new WaitingPodRecord(pod, this.sim, this.component, (status) => this.sim.after(0, this.component, () => onSignal(status)));
    this.pods.set(uid, record);
    record.start(waits);
  }

  get(uid: string | undefined): WaitingPod | undefined {
    return uid === undefined ? undefined : this.pods.get(uid);
  }

  remove(uid: string | undefined): void {
    if (uid !== undefined) this.pods.delete(uid);
  }

  /** In the order the pods started waiting (upstream: Go map order). */
  forEach(callback: (pod: WaitingPod) => void): void {
    for (const p of [...this.pods.values()]) callback(p);
  }
}
