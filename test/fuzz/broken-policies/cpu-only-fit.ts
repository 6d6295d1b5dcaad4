// CpuOnlyFit: a resource filter that checks cpu and the pod count, and forgets memory — the bug
// of a hand-written replacement for NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go,
// whose fitsRequest checks every requested resource). Used by cpu-only-fit.yaml, as a plugin module
// of docs/custom-plugins.md: no imports, types declared here, statuses as plain {code, reasons}.

interface ResourceLike {
  milliCPU: number;
  memory: number;
  allowedPodNumber: number;
}
interface PodInfoLike {
  requests: ResourceLike;
}
interface NodeInfoLike {
  pods: unknown[];
  allocatable: ResourceLike;
  requested: ResourceLike;
}
type StatusLike = null | { code: 'Unschedulable'; reasons: string[] };

export const plugins = {
  CpuOnlyFit: () => ({
    filter(_state: unknown, pod: PodInfoLike, node: NodeInfoLike): StatusLike {
      if (node.pods.length + 1 > node.allocatable.allowedPodNumber) return { code: 'Unschedulable', reasons: ['Too many pods'] };
      if (pod.requests.milliCPU > node.allocatable.milliCPU - node.requested.milliCPU) return { code: 'Unschedulable', reasons: ['Insufficient cpu'] };
      // The bug: no memory (or ephemeral-storage, or extended resource) check.
      return null;
    },
    eventsToRegister() {
      return [
        { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'] },
        { resource: 'AssignedPod', actions: ['Delete'] },
      ];
    },
  }),
};
