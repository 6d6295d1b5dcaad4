// EagerPreemption: a PostFilter that, when a pod fits nowhere, takes the first node whose filter
// verdict is Unschedulable (resolvable), preempts every pod there whose priority is at most the
// pod's, and nominates the node. The bug is the "at most": upstream's SelectVictimsOnNode
// (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go) only removes pods of
// strictly lower priority. Used by eager-preemption.yaml, as a plugin module of
// docs/custom-plugins.md: no imports, types declared here.

interface PodLike {
  metadata: { deletionTimestamp?: number };
  spec: { priority?: number };
}
interface PodInfoLike {
  pod: PodLike;
}
interface NodeInfoLike {
  name: string;
  pods: PodInfoLike[];
}
interface HandleLike {
  nodes: { list(): readonly NodeInfoLike[] };
  preemptPod(preemptor: PodLike, victim: PodLike, nodeName: string): string | null;
}
/** Code 2: Unschedulable (preemption may help); 3: UnschedulableAndUnresolvable. */
const UNSCHEDULABLE = 2;

export const plugins = {
  EagerPreemption: (_args: unknown, handle: HandleLike) => ({
    postFilter(_state: unknown, pod: PodInfoLike, statuses: Map<string, { code: number }>) {
      const priority = pod.pod.spec.priority ?? 0;
      for (const node of handle.nodes.list()) {
        if (statuses.get(node.name)?.code !== UNSCHEDULABLE) continue;
        const victims = node.pods.map((p) => p.pod).filter((p) => (p.spec.priority ?? 0) <= priority && p.metadata.deletionTimestamp === undefined);
        if (victims.length === 0) continue;
        for (const victim of victims) handle.preemptPod(pod.pod, victim, node.name);
        return { result: { nominatedNodeName: node.name }, status: null };
      }
      return { status: { code: 'Unschedulable', reasons: ['no preemption victims found'] } };
    },
  }),
};
