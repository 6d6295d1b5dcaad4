// StickyCordon: a filter with a stale cache. It remembers every node it ever saw cordoned and
// keeps rejecting it after the node is uncordoned; NodeUnschedulable
// (pkg/scheduler/framework/plugins/nodeunschedulable) reads spec.unschedulable afresh each cycle.
// Nothing unsafe is ever bound, but pods that fit stay pending for ever: a liveness bug, caught
// at the end of the settle phase. Used by sticky-cordon.yaml, as a plugin module of
// docs/custom-plugins.md: no imports, types declared here.

interface NodeInfoLike {
  name: string;
  node: { spec: { unschedulable?: boolean } };
}

export const plugins = {
  StickyCordon: () => {
    const cordoned = new Set<string>();
    return {
      filter(_state: unknown, _pod: unknown, node: NodeInfoLike) {
        if (node.node.spec.unschedulable) cordoned.add(node.name);
        return cordoned.has(node.name) ? { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were cordoned once'] } : null;
      },
      eventsToRegister() {
        return [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }];
      },
    };
  },
};
