// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
// Follows pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go (v1.35), with
// its queueing hints isSchedulableAfterNodeChange and isSchedulableAfterPodTolerationChange.
import { TAINT_NODE_UNSCHEDULABLE } from '../../api/admission.js';
import type { Node, Pod, Taint, Toleration } from '../../api/types.js';
import { type MaybeStatus, unresolvable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, CycleState, NodeInfo, PodInfo, QueueingHint } from '../framework/types.js';
import { asKind } from './helper/hints.js';
import { toleratesTaint } from './helper/taints.js';
import * as names from './names.js';

export const NAME = names.NodeUnschedulable;
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

function toleratesUnschedulable(pod: PodInfo): boolean {
  const tolerations = pod.pod.spec.tolerations;
  if (tolerations === undefined) return false;
  let tolerates = toleratesByList.get(tolerations);
  if (tolerates === undefined) {
    tolerates = tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT));
    toleratesByList.set(tolerations, tolerates);
  }
  return tolerates;
}

/** toleratesUnschedulable by tolerations list (a pod's versions share theirs). */
const toleratesByList = new WeakMap<readonly Toleration[], boolean>();

export class NodeUnschedulable implements AnyPlugin {
  readonly name = NAME;

  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'], queueingHintFn: isSchedulableAfterNodeChange },
      { resource: 'Pod', actions: ['UpdatePodToleration'], queueingHintFn: isSchedulableAfterPodTolerationChange },
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

/** isSchedulableAfterNodeChange: Queue for a node updated from unschedulable to schedulable, or
 *  a schedulable node added; else QueueSkip. */
export function isSchedulableAfterNodeChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Node>('Node', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const { oldObj: originalNode, newObj: modifiedNode } = objs;
  if (modifiedNode === undefined) return new Error('expected a node in the event');
  const nowSchedulable = !modifiedNode.spec.unschedulable;
  if ((originalNode !== undefined && originalNode.spec.unschedulable && nowSchedulable) || (originalNode === undefined && nowSchedulable)) return 'Queue';
  return 'QueueSkip';
}

/** isSchedulableAfterPodTolerationChange: Queue only when the updated pod is this pod and it now
 *  tolerates the node.kubernetes.io/unschedulable:NoSchedule taint. */
export function isSchedulableAfterPodTolerationChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint | Error {
  const objs = asKind<Pod>('Pod', oldObj, newObj);
  if (objs instanceof Error) return objs;
  const modifiedPod = objs.newObj;
  if (modifiedPod === undefined) return new Error('expected a pod in the event');
  if (pod.metadata.uid === modifiedPod.metadata.uid) return (modifiedPod.spec.tolerations ?? []).some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT)) ? 'Queue' : 'QueueSkip';
  return 'QueueSkip';
}

export const newNodeUnschedulable = (): AnyPlugin => new NodeUnschedulable();
