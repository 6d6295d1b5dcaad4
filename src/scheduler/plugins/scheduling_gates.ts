// SchedulingGates: a pod that carries spec.schedulingGates is kept out of the active queue
// (PreEnqueue rejects it) until every gate has been removed.
// Follows pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go (v1.35), with its
// queueing hint isSchedulableAfterUpdatePodSchedulingGatesEliminated (the pod's own update
// queues it). A gated pod waits in the queue's gated pool and is re-checked by PreEnqueue on each
// of its updates (the scheduler's update handler), which gives the same moves.
import type { Pod } from '../../api/types.js';
import { type MaybeStatus, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, PodInfo, QueueingHint } from '../framework/types.js';
import { asKind } from './helper/hints.js';
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
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [{ resource: 'Pod', actions: ['UpdatePodSchedulingGatesEliminated'], queueingHintFn: isSchedulableAfterUpdatePodSchedulingGatesEliminated }];
  }

  preEnqueue(pod: PodInfo): MaybeStatus {
    const gates = pod.pod.spec.schedulingGates;
    if (gates === undefined || gates.length === 0) return null;
    return unresolvable(gatesMessage(gates));
  }
}

/** isSchedulableAfterUpdatePodSchedulingGatesEliminated: Queue only for the pod's own update. */
export function isSchedulableAfterUpdatePodSchedulingGatesEliminated(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Pod>('Pod', oldObj, newObj);
  if (objs instanceof Error) return objs;
  if (objs.newObj === undefined) return new Error('expected a pod in the event');
  return objs.newObj.metadata.uid === pod.metadata.uid ? 'Queue' : 'QueueSkip';
}

export const newSchedulingGates = (): AnyPlugin => new SchedulingGates();
