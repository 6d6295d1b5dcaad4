// The invariant library: observers of every API write that never change the cluster. Each
// checks the scheduler's bindings on its own terms (not by calling the plugins), so a broken
// policy or plugin is caught. A violation names the instant, the objects and the rule.
import type { Store, WatchEvent } from '../api/store.js';
import { type Node, type Pod, podIsTerminal } from '../api/types.js';
import { RequiredNodeAffinity } from '../api/selector.js';
import { Resource, podRequests } from '../scheduler/framework/resource.js';
import { tolerationsTolerateTaint } from '../scheduler/plugins/helper/taints.js';

export interface InvariantViolation {
  invariant: string;
  timeMs: number;
  objects: string[];
  message: string;
}

export interface Invariant {
  name: string;
  description: string;
  /** Called for every write; returns a violation message, or undefined. */
  check(ev: WatchEvent, verb: string, store: Store): { objects: string[]; message: string } | undefined;
}

const SCHEDULER_BIND = 'bind';

function bound(ev: WatchEvent, verb: string): { pod: Pod; node: string } | undefined {
  if (verb !== SCHEDULER_BIND || ev.object.kind !== 'Pod') return undefined;
  const pod = ev.object as Pod;
  return pod.spec.nodeName ? { pod, node: pod.spec.nodeName } : undefined;
}

function podRef(p: Pod): string {
  return `Pod/${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

export const noNodeOverAllocatable: Invariant = {
  name: 'no-node-over-allocatable',
  description: 'after a scheduler binding, the non-terminal pods on the node request no more than its allocatable (every resource, and the pod count)',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    const node = store.get<Node>('Node', undefined, b.node);
    if (!node) return undefined;
    const alloc = Resource.fromList(node.status.allocatable ?? node.status.capacity);
    const used = new Resource();
    let count = 0;
    for (const p of store.list<Pod>('Pod')) {
      if (p.spec.nodeName !== b.node || podIsTerminal(p)) continue;
      used.add(podRequests(p));
      count++;
    }
    const over: string[] = [];
    if (count > alloc.allowedPodNumber) over.push(`pods ${count} > ${alloc.allowedPodNumber}`);
    if (used.milliCPU > alloc.milliCPU) over.push(`cpu ${used.milliCPU}m > ${alloc.milliCPU}m`);
    if (used.memory > alloc.memory) over.push(`memory ${used.memory} > ${alloc.memory}`);
    if (used.ephemeralStorage > alloc.ephemeralStorage && used.ephemeralStorage > 0) over.push(`ephemeral-storage ${used.ephemeralStorage} > ${alloc.ephemeralStorage}`);
    for (const [name, v] of used.scalar ?? []) if (v > alloc.getScalar(name)) over.push(`${name} ${v} > ${alloc.getScalar(name)}`);
    if (over.length === 0) return undefined;
    return { objects: [podRef(b.pod), `Node/${b.node}`], message: `binding ${podRef(b.pod)} put node ${b.node} over its allocatable: ${over.join(', ')}` };
  },
};

export const noBindToFailingNode: Invariant = {
  name: 'no-bind-to-failing-node',
  description: "the scheduler never binds a pod to a node that fails a required filter at bind time: nodeSelector and required node affinity, an untolerated NoSchedule/NoExecute taint, spec.unschedulable, a host port in use",
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    const node = store.get<Node>('Node', undefined, b.node);
    if (!node) return undefined;
    const why = failingFilter(b.pod, node, store);
    return why ? { objects: [podRef(b.pod), `Node/${b.node}`], message: `${podRef(b.pod)} was bound to node ${b.node}, which ${why}` } : undefined;
  },
};

function failingFilter(pod: Pod, node: Node, store: Store): string | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  if (!RequiredNodeAffinity.fromPod(pod).match({ name: node.metadata.name, labels: node.metadata.labels })) return "does not match the pod's nodeSelector / required node affinity";
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return `has the untolerated taint ${taint.key}${taint.value ? '=' + taint.value : ''}:${taint.effect}`;
  }
  if (node.spec.unschedulable && !tolerationsTolerateTaint(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return 'is unschedulable (cordoned)';
  const wanted = hostPorts(pod);
  if (wanted.length === 0) return undefined;
  for (const other of store.list<Pod>('Pod')) {
    if (other === pod || other.metadata.uid === pod.metadata.uid || other.spec.nodeName !== node.metadata.name || podIsTerminal(other)) continue;
    for (const w of wanted) for (const u of hostPorts(other)) if (portsConflict(w, u)) return `already has host port ${u.protocol}/${u.port} in use by Pod/${other.metadata.namespace}/${other.metadata.name}`;
  }
  return undefined;
}

interface HostPortUse {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: Pod): HostPortUse[] {
  const out: HostPortUse[] = [];
  for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) for (const p of c.ports ?? []) if (p.hostPort) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
  return out;
}

function portsConflict(a: HostPortUse, b: HostPortUse): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

export const noDoubleBinding: Invariant = {
  name: 'no-double-binding',
  description: 'a pod is bound at most once, and only to a node that exists',
  check(ev, verb, store) {
    const b = bound(ev, verb);
    if (!b) return undefined;
    if (ev.old && (ev.old as Pod).spec.nodeName) return { objects: [podRef(b.pod)], message: `${podRef(b.pod)} was bound to ${b.node} while already bound to ${(ev.old as Pod).spec.nodeName}` };
    if (!store.get<Node>('Node', undefined, b.node)) return { objects: [podRef(b.pod), `Node/${b.node}`], message: `${podRef(b.pod)} was bound to node ${b.node}, which does not exist` };
    return undefined;
  },
};

export const INVARIANTS: readonly Invariant[] = [noNodeOverAllocatable, noBindToFailingNode, noDoubleBinding];

export function invariantNames(): string[] {
  return INVARIANTS.map((i) => i.name);
}
