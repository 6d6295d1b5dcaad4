// NodeName: a pod that names a node in spec.nodeName fits only that node.
// Follows pkg/scheduler/framework/plugins/nodename/node_name.go (v1.35).
import { type MaybeStatus, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEvent, CycleState, NodeInfo, PodInfo } from '../framework/types.js';
import * as names from './names.js';

export const NAME = names.NodeName;
export const ERR_REASON = "node(s) didn't match the requested node name";

export function fits(pod: PodInfo, node: NodeInfo): boolean {
  const want = pod.pod.spec.nodeName;
  return !want || want === node.name;
}

export class NodeName implements AnyPlugin {
  readonly name = NAME;

  eventsToRegister(): readonly ClusterEvent[] {
    return [{ resource: 'Node', actions: ['Add'] }];
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    return fits(pod, node) ? null : unresolvable(ERR_REASON);
  }

  /** The verdict depends only on the node's name and the pod's spec.nodeName. */
  filterSignature(_state: CycleState, pod: PodInfo): string {
    return pod.pod.spec.nodeName ?? '';
  }
}

export const newNodeName = (): AnyPlugin => new NodeName();
