// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
// Follows pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go (v1.35).
import { TAINT_NODE_UNSCHEDULABLE } from '../../api/admission.js';
import type { Taint } from '../../api/types.js';
import { type MaybeStatus, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEvent, CycleState, NodeInfo, PodInfo } from '../framework/types.js';
import { toleratesTaint } from './helper/taints.js';
import * as names from './names.js';

export const NAME = names.NodeUnschedulable;
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

function toleratesUnschedulable(pod: PodInfo): boolean {
  return (pod.pod.spec.tolerations ?? []).some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT));
}

export class NodeUnschedulable implements AnyPlugin {
  readonly name = NAME;

  eventsToRegister(): readonly ClusterEvent[] {
    return [
      { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] },
      { resource: 'Pod', actions: ['UpdatePodToleration'] },
    ];
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    if (!node.node.spec.unschedulable) return null;
    return toleratesUnschedulable(pod) ? null : unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  /** The verdict depends only on the node's spec.unschedulable and whether the pod tolerates it. */
  filterSignature(_state: CycleState, pod: PodInfo): string {
    return toleratesUnschedulable(pod) ? 'tolerated' : '';
  }
}

export const newNodeUnschedulable = (): AnyPlugin => new NodeUnschedulable();
