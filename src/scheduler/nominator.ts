// Pods nominated to nodes by preemption (upstream PodNominator, in the scheduling queue):
// unbound pods whose status.nominatedNodeName is set, indexed by node.
import type { PodInfo } from './framework/types.js';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  get size(): number {
    return this.nodeOf.size;
  }

  /** Records (or moves, or drops with an empty name) a pod's nomination. */
  set(pod: PodInfo, nodeName: string | undefined): void {
    this.delete(pod.key);
    if (!nodeName) return;
    let m = this.byNode.get(nodeName);
    if (!m) this.byNode.set(nodeName, (m = new Map()));
    m.set(pod.key, pod);
    this.nodeOf.set(pod.key, nodeName);
  }

  delete(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const m = this.byNode.get(node)!;
    m.delete(key);
    if (m.size === 0) this.byNode.delete(node);
  }

  forNode(nodeName: string): readonly PodInfo[] {
    const m = this.byNode.get(nodeName);
    return m ? [...m.values()] : [];
  }
}
