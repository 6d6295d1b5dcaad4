// GpuDedicatedNodes: a custom Filter plugin for kubedrill that keeps pods which request no
// `nvidia.com/gpu` off the nodes labelled `gpu=true`, so GPU nodes stay free for GPU work.
//
// The plugin contract (docs/custom-plugins.md has all of it):
//   - A module exports `plugins`: an object mapping each plugin's name to a factory
//     `(args, handle) => plugin`; `args` is the plugin's pluginConfig args (or undefined).
//   - A plugin is a plain object with `name` and one method per extension point it implements.
//     A Filter plugin has `filter(state, pod, node)` returning `null` when the pod may run on the
//     node, or a status `{ code, reasons }`: code 2 (Unschedulable: preemption might help) or
//     3 (UnschedulableAndUnresolvable: it would not), reasons the texts the FailedScheduling
//     event counts per node ("0/3 nodes are available: 1 node(s) are dedicated to GPU workloads, ...").
//     Codes may also be written by name ('UnschedulableAndUnresolvable').
//   - `pod` is a PodInfo: `pod.pod` is the Pod manifest, `pod.requests.getScalar(name)` its request
//     of an extended resource (containers and init containers combined, as the scheduler counts).
//   - `node` is a NodeInfo: `node.node` is the Node, `node.name` and `node.labels` its name and labels.
//   - `eventsToRegister()` (optional) names the cluster events after which a pod this plugin
//     rejected is tried again; without it, every event does.
// A TypeScript module is transpiled on load (types are not checked) and must not import other
// local files: it is run from a temporary directory. Types are declared here, not imported.

interface ResourceLike {
  milliCPU: number;
  memory: number;
  getScalar(name: string): number;
}
interface PodInfoLike {
  pod: { metadata: { name: string; namespace?: string } };
  requests: ResourceLike;
}
interface NodeInfoLike {
  name: string;
  labels: Record<string, string> | undefined;
}
type StatusLike = null | { code: number | string; reasons: string[] };

const GPU = 'nvidia.com/gpu';
const UNSCHEDULABLE_AND_UNRESOLVABLE = 3;
export const ERR_REASON = 'node(s) are dedicated to GPU workloads';

export const plugins = {
  GpuDedicatedNodes: () => ({
    name: 'GpuDedicatedNodes',
    filter(_state: unknown, pod: PodInfoLike, node: NodeInfoLike): StatusLike {
      if (node.labels?.['gpu'] !== 'true') return null;
      if (pod.requests.getScalar(GPU) > 0) return null;
      return { code: UNSCHEDULABLE_AND_UNRESOLVABLE, reasons: [ERR_REASON] };
    },
    // A rejected pod is retried when a node is added or relabelled.
    eventsToRegister() {
      return [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }];
    },
  }),
};
