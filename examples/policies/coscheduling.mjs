// Coscheduling: a gang-scheduling Permit plugin for kubedrill, after the idea of
// kubernetes-sigs/scheduler-plugins' Coscheduling (much simplified: no PodGroup objects).
//
// Pods labelled `scheduling.x-k8s.io/pod-group: <name>` form a gang. A gang's pods are held at
// Permit (assumed on their nodes, not bound) until `minMember` of them (pluginConfig args, by
// gang name) have a node: then all are allowed and bound together. A pod that waits longer than
// `permitWaitingTimeSeconds` (default 60) is rejected, and when one member is rejected (or fails
// Reserve or Permit) the others waiting are rejected too: a gang runs whole or not at all.
//
// The handle's waiting-pod API is upstream's framework.Handle: iterateOverWaitingPods(cb),
// getWaitingPod(uid), rejectWaitingPod(uid); a waiting pod has `pod`, pendingPlugins(),
// allow(pluginName) and reject(pluginName, message). Permit returns a status, or
// `{status, timeoutMs}` for upstream's (status, timeout) pair. docs/custom-plugins.md has the rest.

const NAME = 'Coscheduling';
const GROUP_LABEL = 'scheduling.x-k8s.io/pod-group';

function groupOf(pod) {
  return pod.metadata.labels?.[GROUP_LABEL];
}

export const plugins = {
  [NAME]: (args, handle) => {
    const minMember = args?.minMember ?? {};
    const timeoutMs = (args?.permitWaitingTimeSeconds ?? 60) * 1000;
    const sameGang = (a, b) => groupOf(a) === groupOf(b) && (a.metadata.namespace ?? 'default') === (b.metadata.namespace ?? 'default');
    const forEachWaitingMember = (pod, fn) =>
      handle.iterateOverWaitingPods((wp) => {
        if (sameGang(wp.pod, pod) && wp.pod.metadata.uid !== pod.metadata.uid) fn(wp);
      });

    return {
      name: NAME,

      // After a rejection the gang is tried again on any cluster event (as without this method),
      // and when a pod is added (a missing member arrives).
      eventsToRegister() {
        return [{ resource: 'Pod', actions: ['Add'] }, { resource: 'Node', actions: ['All'] }];
      },

      permit(_state, podInfo, _nodeName) {
        const pod = podInfo.pod;
        const group = groupOf(pod);
        if (group === undefined) return null;
        const need = minMember[group] ?? 1;
        let waiting = 0;
        forEachWaitingMember(pod, () => waiting++);
        const bound = handle
          .listObjects('Pod')
          .filter((p) => sameGang(p, pod) && p.spec.nodeName && p.metadata.deletionTimestamp === undefined && p.metadata.uid !== pod.metadata.uid).length;
        if (bound + waiting + 1 < need) return { status: { code: 'Wait' }, timeoutMs };
        forEachWaitingMember(pod, (wp) => wp.allow(NAME));
        return null;
      },

      reserve() {
        return null;
      },

      unreserve(_state, podInfo, _nodeName) {
        const pod = podInfo.pod;
        if (groupOf(pod) === undefined) return;
        forEachWaitingMember(pod, (wp) => wp.reject(NAME, `rejected with the rest of pod group ${groupOf(pod)}`));
      },
    };
  },
};
