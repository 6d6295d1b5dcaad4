// A harness for DefaultPreemption tests: a real Cluster running only the store and the scheduler
// (components: 'scheduler-only'), filled with nodes, bound pods, PodDisruptionBudgets and the
// PriorityClasses the pods' priorities need, so the plugin's handle reads everything (pods, PDBs,
// the scheduler cache, the nominator) from the same places it does in a scenario.
// The preemptor is never created in the store (the scheduler would otherwise try to schedule it
// and run preemption itself): the plugin falls back to the PodInfo it is given, as upstream's
// tests hand the pod to PostFilter directly.
import { Cluster } from '../../src/cluster/cluster.js';
import { DEFAULT_CONTROL_PLANE } from '../../src/cluster/config.js';
import type { Affinity, Node, Pod, PodCondition, PodDisruptionBudget, PriorityClass, ResourceList, TopologySpreadConstraint } from '../../src/api/types.js';
import type { Framework } from '../../src/scheduler/framework/runtime.js';
import { Code, type MaybeStatus, Status, asError } from '../../src/scheduler/framework/status.js';
import { CycleState, type NodeInfo, type NodeToStatus, PodInfo, type PluginFactory, type PostFilterResult } from '../../src/scheduler/framework/types.js';
import type { Candidate, DefaultPreemption, DefaultPreemptionArgs } from '../../src/scheduler/plugins/default_preemption.js';

/** The seed every harness cluster uses unless told otherwise. Its 'scheduler/plugins' stream (the
 *  handle's rng, which only DefaultPreemption draws from) yields intn(5) = 4, 1, 3 for its first
 *  three draws: exactly the offsets upstream's tests pin with getOffsetRand = rand.New(rand.NewSource(4)).Int31n
 *  ("cycle=0 => offset=4", "cycle=1 => offset=1", "cycle=2 => offset=3"). Its first intn(2),
 *  intn(3) and intn(4) draws are 0. The tests check these draws before relying on them. */
export const SEED = 104;

// ---- builders, after st.MakePod() / st.MakeNode() / st.MakePDB() ----------------------------

export interface PodOpts {
  ns?: string;
  node?: string;
  priority?: number;
  req?: ResourceList;
  labels?: Record<string, string>;
  /** status.startTime in ms (upstream's epochTimeN, N nanoseconds after the epoch, become N ms). */
  startTime?: number;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  nominatedNodeName?: string;
  /** st.MakePod().Terminating(): a deletionTimestamp. */
  terminating?: boolean;
  conditions?: PodCondition[];
  affinity?: Affinity;
  spread?: TopologySpreadConstraint[];
}

export function pod(name: string, o: PodOpts = {}): Pod {
  const spec: Pod['spec'] = { containers: [{ name: 'c', image: 'img', ...(o.req ? { resources: { requests: o.req } } : {}) }], schedulerName: 'default-scheduler' };
  if (o.node !== undefined) spec.nodeName = o.node;
  if (o.priority !== undefined) spec.priority = o.priority;
  if (o.preemptionPolicy !== undefined) spec.preemptionPolicy = o.preemptionPolicy;
  if (o.affinity !== undefined) spec.affinity = o.affinity;
  if (o.spread !== undefined) spec.topologySpreadConstraints = o.spread;
  const status: Pod['status'] = {};
  if (o.startTime !== undefined) status.startTime = o.startTime;
  if (o.nominatedNodeName !== undefined) status.nominatedNodeName = o.nominatedNodeName;
  if (o.conditions !== undefined) status.conditions = o.conditions;
  const metadata: Pod['metadata'] = { name, namespace: o.ns ?? 'default', uid: `uid-${name}` };
  if (o.labels !== undefined) metadata.labels = o.labels;
  if (o.terminating) metadata.deletionTimestamp = 1_000_000;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

/** st.MakeNode().Name(name).Capacity(res): capacity = allocatable, with pods defaulting to 32. */
export function node(name: string, capacity: ResourceList = {}, labels: Record<string, string> = {}): Node {
  const res: ResourceList = { pods: '32', ...capacity };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {}, status: { capacity: res, allocatable: res } };
}

/** A PDB whose status carries `disruptionsAllowed` as upstream's preemption reads it
 *  (pdb.Status.DisruptionsAllowed, 0 when unset); currentHealthy is set so kubedrill uses the
 *  status instead of recomputing it (src/api/pdb.ts disruptionsAllowed). */
export function pdb(name: string, matchLabels: Record<string, string>, o: { ns?: string; disruptionsAllowed?: number; disruptedPods?: string[]; minAvailable?: number | string } = {}): PodDisruptionBudget {
  const status: PodDisruptionBudget['status'] = { disruptionsAllowed: o.disruptionsAllowed ?? 0, currentHealthy: 0 };
  if (o.disruptedPods) status.disruptedPods = Object.fromEntries(o.disruptedPods.map((p) => [p, 0]));
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: o.ns ?? 'default' },
    spec: { selector: { matchLabels }, ...(o.minAvailable !== undefined ? { minAvailable: o.minAvailable } : {}) },
    status,
  };
}

// ---- plugins upstream's tables register -------------------------------------------------------

/** defaultpreemption's TestPlugin ("test-plugin"): PreFilter only; AddPod/RemovePod fail on nodes
 *  labelled error=true. */
export const newTestPlugin: PluginFactory = () => ({
  name: 'test-plugin',
  preFilter: () => ({ status: null }),
  addPod: (_s, pod, _a, node) => (node.labels?.['error'] === 'true' ? asError(`failed to add pod: ${pod.pod.metadata.name}`) : null),
  removePod: (_s, pod, _r, node) => (node.labels?.['error'] === 'true' ? asError(`failed to remove pod: ${pod.pod.metadata.name}`) : null),
});

/** tf.ErrReasonFake. */
export const ERR_REASON_FAKE = 'Nodes failed the fake plugin';

/** tf.FakeFilterPlugin: counts Filter calls; returns the code mapped to the node's name
 *  ("injecting failure for pod <name>"), which is a success for Code.Success. */
export function fakeFilter(codes: Record<string, Code>): { factory: PluginFactory; calls: () => number } {
  let n = 0;
  const factory: PluginFactory = () => ({
    name: 'FakeFilter',
    filter: (_s, pod, node): MaybeStatus => {
      n++;
      const code = codes[node.name];
      if (code === undefined || code === Code.Success) return null;
      return new Status(code, `injecting failure for pod ${pod.pod.metadata.name}`);
    },
  });
  return { factory, calls: () => n };
}

/** tf.NewFalseFilterPlugin / NewTrueFilterPlugin / NewMatchFilterPlugin. */
export const falseFilter: PluginFactory = () => ({ name: 'FalseFilter', filter: () => new Status(Code.Unschedulable, ERR_REASON_FAKE) });
export const trueFilter: PluginFactory = () => ({ name: 'TrueFilter', filter: () => null });
export const matchFilter: PluginFactory = () => ({
  name: 'MatchFilter',
  filter: (_s, pod, node) => (pod.pod.metadata.name === node.name ? null : new Status(Code.Unschedulable, ERR_REASON_FAKE)),
});

// ---- the harness ---------------------------------------------------------------------------------

export interface Setup {
  nodes: Node[];
  /** Bound pods (spec.nodeName set). */
  pods?: Pod[];
  pdbs?: PodDisruptionBudget[];
  /** The profile's plugins besides PrioritySort, DefaultPreemption and DefaultBinder, in order
   *  (upstream's registerPlugins; the order is the Filter order). */
  plugins: string[];
  /** Plugins not in the in-tree registry (test-plugin, FakeFilter, ...). */
  extra?: Record<string, PluginFactory>;
  args?: Partial<DefaultPreemptionArgs>;
  seed?: number;
}

const priorityClassName = (v: number) => `prio-${v < 0 ? `neg${-v}` : v}`;

export class Harness {
  readonly cluster: Cluster;
  readonly fwk: Framework;
  readonly plugin: DefaultPreemption;

  constructor(setup: Setup) {
    this.cluster = new Cluster({
      seed: setup.seed ?? SEED,
      controlPlane: DEFAULT_CONTROL_PLANE,
      scheduler: {
        profiles: [
          {
            schedulerName: 'default-scheduler',
            plugins: { multiPoint: { enabled: ['PrioritySort', ...setup.plugins, 'DefaultPreemption', 'DefaultBinder'].map((name) => ({ name })), disabled: [{ name: '*' }] } },
            pluginConfig: setup.args ? [{ name: 'DefaultPreemption', args: { ...setup.args } }] : [],
          },
        ],
        percentageOfNodesToScore: 0,
        plugins: new Map(Object.entries(setup.extra ?? {})),
      },
      invariants: [],
      keepTrace: false,
      components: 'scheduler-only',
    });
    const store = this.cluster.store;
    const priorities = new Set<number>();
    for (const p of setup.pods ?? []) if (p.spec.priority !== undefined) priorities.add(p.spec.priority);
    for (const v of priorities) {
      const pc: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: priorityClassName(v) }, value: v };
      must(store.create(pc, 'test'));
    }
    for (const n of setup.nodes) must(store.create(n, 'test'));
    for (const p of setup.pods ?? []) {
      // Priority admission computes spec.priority from the class (a literal priority is Forbidden).
      const { priority, ...spec } = p.spec;
      must(store.create({ ...p, spec: priority === undefined ? spec : { ...spec, priorityClassName: priorityClassName(priority) } }, 'test'));
    }
    for (const b of setup.pdbs ?? []) must(store.create(b, 'test'));
    this.settle();
    this.fwk = this.cluster.scheduler.frameworks.get('default-scheduler')!;
    this.plugin = this.fwk.plugins.get('DefaultPreemption') as DefaultPreemption;
  }

  /** Delivers pending watch events (the scheduler cache catches up); time stays at 0. */
  settle(): void {
    this.cluster.run({ untilMs: 0, maxSteps: 1e6 });
  }

  nodes(): readonly NodeInfo[] {
    return this.cluster.scheduler.cache.list();
  }

  /** A cycle's state for the preemptor, filled by the framework's PreFilter. */
  prepare(preemptor: Pod): { state: CycleState; info: PodInfo; preFilter: MaybeStatus } {
    const state = new CycleState();
    const info = PodInfo.of(preemptor);
    const { status } = this.fwk.runPreFilter(state, info, this.nodes());
    return { state, info, preFilter: status };
  }

  /** What the scheduler passes to PostFilter: every node's Filter verdict (feasible nodes absent). */
  filterStatuses(state: CycleState, info: PodInfo): NodeToStatus {
    const m: NodeToStatus = new Map();
    for (const n of this.nodes()) {
      const s = this.fwk.runFilter(state, info, n);
      if (s !== null) m.set(n.name, s);
    }
    return m;
  }

  postFilter(state: CycleState, info: PodInfo, statuses: NodeToStatus): { result?: PostFilterResult; status: MaybeStatus } {
    return this.plugin.postFilter(state, info, statuses);
  }

  /** findCandidates (nodesWherePreemptionMightHelp + DryRunPreemption), in dry-run order. */
  findCandidates(state: CycleState, info: PodInfo, statuses: NodeToStatus): { candidates: Candidate[]; nodeStatuses: NodeToStatus } {
    return this.plugin['findCandidates'](state, info, this.nodes(), statuses);
  }

  /** PodEligibleToPreemptOthers: null when eligible, else the reason. */
  eligible(preemptor: Pod, nominatedNodeStatus: Status | undefined): string | null {
    return this.plugin['podEligibleToPreemptOthers'](preemptor, nominatedNodeStatus);
  }

  /** Pods preempted so far, in the order the plugin preempted them (their Preempted events). */
  preempted(): string[] {
    return this.cluster.events.occurrences.filter((e) => e.reason === 'Preempted').map((e) => e.involvedObject.name);
  }

  storedPod(name: string, ns = 'default'): Pod | undefined {
    return this.cluster.store.get<Pod>('Pod', ns, name);
  }
}

/** A NodeToStatus with a bare status of the given code per node (upstream's NewNodeToStatus map). */
export function statuses(codes: Record<string, Code>): NodeToStatus {
  return new Map(Object.entries(codes).map(([n, c]) => [n, new Status(c)]));
}

function must(r: { ok: boolean; message?: string }): void {
  if (!r.ok) throw new Error(`store write failed: ${r.message}`);
}

/** Candidate → { name, victims, numPDBViolations } with victims by name, in the plugin's order. */
export function summarize(c: Candidate): { name: string; victims: string[]; numPDBViolations: number } {
  return { name: c.name, victims: c.victims.map((p) => p.metadata.name), numPDBViolations: c.numPDBViolations };
}

