// PrioritySort: activeQ order: higher spec.priority first, then earlier queue timestamp.
// Follows pkg/scheduler/framework/plugins/queuesort/priority_sort.go (v1.35).
import type { AnyPlugin, QueuedPodInfo } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.PrioritySort;

export function podPriority(pod: { spec: { priority?: number } }): number {
  return pod.spec.priority ?? 0;
}

export class PrioritySort implements AnyPlugin {
  readonly name = NAME;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = podPriority(a.podInfo.pod);
    const p2 = podPriority(b.podInfo.pod);
    return p1 > p2 || (p1 === p2 && a.timestampMs < b.timestampMs);
  }
}

export const newPrioritySort = (): AnyPlugin => new PrioritySort();
