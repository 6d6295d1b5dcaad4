// NodePorts: a pod fits a node only if none of the host ports it asks for is already taken there.
// Follows pkg/scheduler/framework/plugins/nodeports/node_ports.go (v1.35), with
// pkg/scheduler/util/utils.go GetHostPorts for the ports a pod holds and HostPortInfo.CheckConflict
// (pkg/scheduler/framework/types.go) for the conflict rule: 0.0.0.0 (or an empty hostIP)
// conflicts with the same protocol/port on any address, and a specific address conflicts with
// itself and with 0.0.0.0. The queueing hint isSchedulableAfterPodDeleted is modelled (Node Add
// has none upstream: nil means Queue). Not modelled:
//   - SignPod (opportunistic batching signatures).
// The ports a node already holds come from NodeInfo.usedPorts (kept by the cache; hostIP and
// protocol already defaulted to 0.0.0.0 / TCP there).
import type { ContainerPort, Pod } from '../../api/types.js';
import { type MaybeStatus, SKIP, asError, unschedulable } from '../framework/status.js';
import type { AnyPlugin, ClusterEventWithHint, CycleState, HostPort, NodeInfo, PodInfo, PreFilterResult, QueueingHint } from '../framework/types.js';
import { asKind } from './helper/hints.js';
import * as names from './names.js';

export const NAME = names.NodePorts;
/** ErrReason. */
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
/** Key in CycleState of the PreFilter data (upstream preFilterStateKey). */
export const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
/** framework.DefaultBindAllHostIP. */
export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';
const PROTOCOL_TCP = 'TCP';

const NO_PORTS: readonly HostPort[] = [];

/**
 * util.GetHostPorts: the host ports (hostPort > 0) of the pod's restartable (sidecar) init
 * containers, then of its containers; hostIP and protocol defaulted as HostPortInfo's sanitize does.
 */
export function getHostPorts(pod: Pod): readonly HostPort[] {
  let out: HostPort[] | undefined;
  const add = (ports: readonly ContainerPort[] | undefined) => {
    if (ports === undefined) return;
    for (const p of ports) {
      const hostPort = p.hostPort ?? 0;
      if (hostPort <= 0) continue;
      (out ??= []).push({ hostIP: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, protocol: p.protocol || PROTOCOL_TCP, port: hostPort });
    }
  };
  // Only init containers that run for the whole life of the pod (restartPolicy: Always).
  for (const c of pod.spec.initContainers ?? []) if (c.restartPolicy === 'Always') add(c.ports);
  for (const c of pod.spec.containers) add(c.ports);
  return out ?? NO_PORTS;
}

/** getHostPorts memoised per pod object (PodInfo.memo). */
export function hostPortsOf(pod: PodInfo): readonly HostPort[] {
  let ports = pod.memo.get(NAME) as readonly HostPort[] | undefined;
  if (ports === undefined) {
    ports = getHostPorts(pod.pod);
    pod.memo.set(NAME, ports);
  }
  return ports;
}

/**
 * HostPortInfo.CheckConflict over a node's used ports: whether (ip, protocol, port) conflicts.
 * A port <= 0 never conflicts; empty ip / protocol mean 0.0.0.0 / TCP.
 */
export function checkConflict(used: readonly HostPort[], ip: string, protocol: string, port: number): boolean {
  if (port <= 0) return false;
  if (ip === '') ip = DEFAULT_BIND_ALL_HOST_IP;
  if (protocol === '') protocol = PROTOCOL_TCP;
  const wildcard = ip === DEFAULT_BIND_ALL_HOST_IP;
  for (let i = 0; i < used.length; i++) {
    const u = used[i]!;
    if (u.port !== port || (u.protocol || PROTOCOL_TCP) !== protocol) continue;
    // 0.0.0.0 checks every address; any other address checks itself and 0.0.0.0.
    if (wildcard) return true;
    const uip = u.hostIP || DEFAULT_BIND_ALL_HOST_IP;
    if (uip === DEFAULT_BIND_ALL_HOST_IP || uip === ip) return true;
  }
  return false;
}

/** fitsPorts: no wanted port conflicts with the ports in use. */
export function fitsPorts(want: readonly HostPort[], used: readonly HostPort[]): boolean {
  if (used.length === 0) return true;
  for (let i = 0; i < want.length; i++) {
    const p = want[i]!;
    if (checkConflict(used, p.hostIP, p.protocol, p.port)) return false;
  }
  return true;
}

/** Fits: whether the pod's host ports are all free on the node. */
export function fits(pod: PodInfo, node: NodeInfo): boolean {
  return fitsPorts(hostPortsOf(pod), node.usedPorts);
}

export class NodePorts implements AnyPlugin {
  readonly name = NAME;

  /**
   * With queueing hints on (the v1.35 default): Pod Delete (pod updates cannot change
   * spec.containers[*].ports) and Node Add.
   */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { resource: 'Pod', actions: ['Delete'], queueingHintFn: isSchedulableAfterPodDeleted },
      { resource: 'Node', actions: ['Add'] },
    ];
  }

  preFilter(state: CycleState, pod: PodInfo, _nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: MaybeStatus } {
    const ports = hostPortsOf(pod);
    // Skip if the pod has no host ports.
    if (ports.length === 0) return { status: SKIP };
    state.write(PRE_FILTER_STATE_KEY, ports);
    return { status: null };
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): MaybeStatus {
    const want = state.read<readonly HostPort[]>(PRE_FILTER_STATE_KEY);
    // Upstream: fwk.AsStatus(fmt.Errorf("reading %q from cycleState: %w", preFilterStateKey, fwk.ErrNotFound)).
    if (want === undefined) return asError(`reading ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState: not found`);
    return fitsPorts(want, node.usedPorts) ? null : unschedulable(ERR_REASON);
  }
}

export const newNodePorts = (): AnyPlugin => new NodePorts();

/**
 * isSchedulableAfterPodDeleted: QueueSkip when the deleted pod was neither bound nor nominated,
 * held no host port, or held none that conflicts with the pod's; else Queue.
 */
export function isSchedulableAfterPodDeleted(pod: Pod, oldObj: unknown, _newObj: unknown): QueueingHint | Error {
  const objs = asKind<Pod>('Pod', oldObj, undefined);
  if (objs instanceof Error) return objs;
  const deletedPod = objs.oldObj;
  if (deletedPod === undefined) return new Error('expected the deleted pod in the event');
  // If the deleted pod is unscheduled, it doesn't make the target pod schedulable.
  if (!deletedPod.spec.nodeName && !deletedPod.status.nominatedNodeName) return 'QueueSkip';
  const ports = getHostPorts(deletedPod);
  if (ports.length === 0) return 'QueueSkip';
  // No common port: deleting that pod could not make `pod` schedulable.
  if (fitsPorts(getHostPorts(pod), ports)) return 'QueueSkip';
  return 'Queue';
}
