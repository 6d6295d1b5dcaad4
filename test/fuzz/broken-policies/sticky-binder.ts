// StickyBinder: binds a ReplicaSet's pods next to their first sibling (a co-location cache keyed
// by the owner's uid) when that node still passes the profile's filters, else where the cycle
// chose. The bug is the nil check: a home node missing from the scheduler's snapshot — removed
// from the cluster — is not checked at all, so replacement pods are bound to a node that no
// longer exists. DefaultBinder (pkg/scheduler/framework/plugins/defaultbinder) binds to the node
// the cycle just filtered. Used by sticky-binder.yaml, as a plugin module of
// docs/custom-plugins.md: no imports, types declared here.

interface PodLike {
  metadata: { ownerReferences?: Array<{ uid: string; controller?: boolean }> };
}
interface PodInfoLike {
  pod: PodLike;
}
type StatusLike = null | { code: number | string; reasons?: string[] | readonly string[] };
interface HandleLike {
  nodes: { get(name: string): unknown };
  bind(pod: PodLike, nodeName: string): string | null;
  runFilterWithNominatedPods(state: unknown, pod: PodInfoLike, node: unknown): StatusLike;
}

export const plugins = {
  StickyBinder: (_args: unknown, handle: HandleLike) => {
    const home = new Map<string, string>();
    return {
      bind(state: unknown, pod: PodInfoLike, nodeName: string): StatusLike {
        const owner = pod.pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
        const sticky = owner === undefined ? undefined : home.get(owner);
        let target = nodeName;
        if (sticky !== undefined && sticky !== nodeName) {
          const info = handle.nodes.get(sticky);
          // The bug: `info === undefined` (the node is gone) should mean "not home any more".
          if (info === undefined || handle.runFilterWithNominatedPods(state, pod, info) === null) target = sticky;
        }
        if (owner !== undefined && sticky === undefined) home.set(owner, target);
        const err = handle.bind(pod.pod, target);
        return err === null ? null : { code: 'Error', reasons: [err] };
      },
    };
  },
};
