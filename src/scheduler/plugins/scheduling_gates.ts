// SchedulingGates: a pod that carries spec.schedulingGates is kept out of the active queue
// (PreEnqueue rejects it) until every gate has been removed.
// Follows pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go (v1.35). Not
// modelled: the queueing hint isSchedulableAfterUpdatePodSchedulingGatesEliminated (it queues the
// pod when the update is the pod's own); eventsToRegister lists the event, with queueing hints on
// (the v1.35 default; with them off upstream registers no event).
import { type MaybeStatus, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEvent, PodInfo } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.SchedulingGates;

/** The PreEnqueue message: Go's fmt %v of the gate names, "[a b]". */
export function gatesMessage(gates: readonly { name: string }[]): string {
  let s = 'waiting for scheduling gates: [';
  for (let i = 0; i < gates.length; i++) s += (i > 0 ? ' ' : '') + gates[i]!.name;
  return s + ']';
}

export class SchedulingGates implements AnyPlugin {
  readonly name = NAME;

  /** Pods can become schedulable once their gates are removed. */
  eventsToRegister(): readonly ClusterEvent[] {
    return [{ resource: 'Pod', actions: ['UpdatePodSchedulingGatesEliminated'] }];
  }

  preEnqueue(pod: PodInfo): MaybeStatus {
    const gates = pod.pod.spec.schedulingGates;
    if (gates === undefined || gates.length === 0) return null;
    return unresolvable(gatesMessage(gates));
  }
}

export const newSchedulingGates = (): AnyPlugin => new SchedulingGates();
