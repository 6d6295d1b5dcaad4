// BinPacking: a custom Score plugin for kubedrill that prefers the node already most requested,
// by CPU and memory, as NodeResourcesFit's MostAllocated strategy does
// (pkg/scheduler/framework/plugins/noderesources/most_allocated.go): pods pack onto few nodes.
//
// The plugin contract (docs/custom-plugins.md has all of it):
//   - A module exports `plugins`: an object mapping each plugin's name to a factory
//     `(args, handle) => plugin`. `args` is the plugin's pluginConfig args (or undefined); the
//     factory runs once per scheduling profile, so keep per-run state in the plugin object.
//   - A plugin is a plain object with `name` and one method per extension point it implements.
//     A Score plugin has `score(state, pod, node)` returning an integer in [0, 100] (a higher
//     score is a better node); the framework multiplies it by the plugin's weight.
//   - `pod` is a PodInfo: `pod.pod` is the Pod manifest; `pod.nonZeroMilliCPU` and
//     `pod.nonZeroMemory` are its requests with the scheduler's defaults (100m, 200Mi) for
//     containers that request nothing, as the scoring plugins count them.
//   - `node` is a NodeInfo: `node.node` is the Node; `node.allocatable` and
//     `node.nonZeroRequested` have `milliCPU` and `memory` (bytes), the latter summed over the
//     pods already on the node.
//   - To fail, return a status `{ code: 1, reasons: ['...'] }` (1 = Error) instead of a number.

/** mostRequestedScore: the share of the capacity requested, 0..100 (requests past capacity count as full). */
function mostRequestedScore(requested, capacity) {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * 100) / capacity);
}

export const plugins = {
  BinPacking: () => ({
    name: 'BinPacking',
    score(_state, pod, node) {
      const resources = [
        [node.nonZeroRequested.milliCPU + pod.nonZeroMilliCPU, node.allocatable.milliCPU],
        [node.nonZeroRequested.memory + pod.nonZeroMemory, node.allocatable.memory],
      ].filter(([, capacity]) => capacity > 0); // a resource the node lacks is left out, as upstream
      if (resources.length === 0) return 0;
      const sum = resources.reduce((s, [requested, capacity]) => s + mostRequestedScore(requested, capacity), 0);
      return Math.trunc(sum / resources.length); // each resource weighs 1
    },
  }),
};
