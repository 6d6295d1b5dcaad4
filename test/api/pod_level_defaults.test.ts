// PodLevelResources defaulting of a Pod's spec.resources, as SetDefaults_Pod runs it
// (pkg/apis/core/v1/defaults.go: defaultHugePagePodLimits, then defaultPodRequests, after
// container requests are defaulted from container limits).
//
// Rows transcribed from TestPodResourcesDefaults in pkg/apis/core/v1/defaults_test.go.
// Stored version read: MikeZappa87/kubernetes (a fork of kubernetes/kubernetes) at commit
// 50b500bcc862923961072fc8597251f8cc534abd; its defaults.go has defaultHugePagePodLimits and
// defaultPodRequests but no defaultPodLimits. The kubernetes/kubernetes versions of
// defaults_test.go reachable in the index (b0d609f0…, 013f049c…) predate PodLevelResources, and
// the ndixita/ and openshift/ copies predate the hugepage rows.
//
// Upstream runs SetDefaults_Pod on each row, with PodLevelResources turned on for the rows that
// set pod-level resources (the others have none, so the gate, on by default in v1.35, is moot).
// Upstream's loop only compares, by Cmp, each request the defaulted pod has against the
// expectation. Here each row is checked more strictly, by value (not spelling):
//   - spec.resources.requests: exactly the expected names and values; absent when upstream
//     expects nil. Upstream's `Requests: v1.ResourceList{}` (one row) also accepts an absent map:
//     with omitempty the two serialize alike, and defaultPodRequests leaves nil when it finds
//     nothing to set.
//   - spec.resources.limits, hugepages-* names: exactly upstream's expectation
//     (defaultHugePagePodLimits writes only these).
//   - spec.resources.limits, other names: left as given. Upstream's expected non-hugepage limits
//     are never asserted there and are wrong in two rows ("pod supported and unsupported resources
//     limits=set, ..." drops the given storage limit; "pod has cpu request with hugepages ..."
//     lists a cpu limit of 5m nothing sets), so they are not transcribed for these names.
//   - spec.resources stays absent when the row gives none.
//   - containers[i].resources.requests: exactly the expected ones; limits left as given.
// Deviations from upstream's data, each unchecked by upstream's own loop: in "pod requests=unset
// limits=set, container memory requests=set limits=unset" upstream's expected container requests
// also list cpu 2m / 1m that no input sets (only memory is kept here, see the row); in "pod
// requests=unset limits=set, container requests=set limits=unset" upstream's expected second
// container also lists limits (cpu 1m, memory 5Mi) the input lacks (container limits are checked
// against the input).
// `Requests: nil` (row "pod requests=nil limits=set, ...") and `Limits: nil` are written as an
// absent field: JSON has no other spelling of them.
//
// Rows skipped: none. No row of this table depends on pod-level cpu/memory limits being defaulted
// from container limits (defaultPodLimits, v1.36); the only limits defaulted here are hugepages
// (defaultHugePagePodLimits, v1.34+), which is in scope.
import t from 'tap';
import { defaulting } from '../../src/api/admission.js';
import { parseQuantity } from '../../src/api/quantity.js';
import { AdmissionDenied } from '../../src/api/store.js';
import type { Container, Pod, ResourceList } from '../../src/api/types.js';

type RL = Record<string, string>;
interface Res {
  requests?: RL;
  limits?: RL;
}
interface Row {
  name: string;
  /** Input: each container's resources (upstream's containers; names are made up here). */
  containers: Res[];
  /** Input: spec.resources (upstream's podResources); undefined is nil. */
  podResources?: Res;
  /** Upstream's expectedPodSpec.Resources; undefined is nil. */
  wantPod?: Res;
  /** Upstream's expectedPodSpec.Containers[i].Resources.Requests; undefined is nil. */
  wantContainerRequests: Array<RL | undefined>;
}

const HP2 = 'hugepages-2Mi'; // v1.ResourceHugePagesPrefix + "2Mi"
const HP1G = 'hugepages-1Gi'; // v1.ResourceHugePagesPrefix + "1Gi"
const isHugePages = (name: string): boolean => name.startsWith('hugepages-');

const rows: Row[] = [
  {
    name: 'pod resources=unset, container resources=unset',
    containers: [{}, {}],
    wantContainerRequests: [undefined, undefined],
  },
  {
    name: 'pod resources=unset, container requests=unset limits=set',
    containers: [{ limits: { cpu: '2m', memory: '1Mi' } }, { limits: { cpu: '1m', memory: '5Mi' } }],
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod resources=unset, container requests=set limits=unset',
    containers: [{ requests: { cpu: '2m', memory: '1Mi' } }, { requests: { cpu: '1m', memory: '5Mi' } }],
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod resources=unset, container requests=set limits=set',
    containers: [
      { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '2m', memory: '1Mi' } },
      { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '1m', memory: '5Mi' } },
    ],
    wantContainerRequests: [{ cpu: '1m', memory: '1Mi' }, { cpu: '1m', memory: '1Mi' }],
  },
  {
    name: 'pod requests=unset limits=set, container resources=unset',
    containers: [], // upstream: no containers at all
    podResources: { limits: { cpu: '2m', memory: '1Mi' } },
    wantPod: { requests: { cpu: '2m', memory: '1Mi' }, limits: { cpu: '2m', memory: '1Mi' } },
    wantContainerRequests: [],
  },
  {
    name: 'pod limits=nil, container requests=unset limits=set',
    containers: [{ limits: { cpu: '2m', memory: '1Mi' } }, { limits: { cpu: '1m', memory: '5Mi' } }],
    podResources: {}, // Limits: nil
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod limits=empty map, container requests=unset limits=set',
    containers: [{ limits: { cpu: '2m', memory: '1Mi' } }, { limits: { cpu: '1m', memory: '5Mi' } }],
    podResources: { limits: {} },
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod requests=empty map limits=set, container requests=unset limits=set',
    containers: [{ limits: { cpu: '2m', memory: '1Mi' } }, { limits: { cpu: '1m', memory: '5Mi' } }],
    podResources: { requests: {}, limits: { cpu: '5m', memory: '7Mi' } },
    wantPod: { requests: { cpu: '3m', memory: '6Mi' }, limits: { cpu: '5m', memory: '7Mi' } },
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod requests=nil limits=set, container requests=unset limits=set',
    containers: [{ limits: { cpu: '2m', memory: '1Mi' } }, { limits: { cpu: '1m', memory: '5Mi' } }],
    podResources: { limits: { cpu: '5m', memory: '7Mi' } }, // Requests: nil
    wantPod: { requests: { cpu: '3m', memory: '6Mi' }, limits: { cpu: '5m', memory: '7Mi' } },
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod requests=unset limits=set, container requests=unset limits=set',
    containers: [{ limits: { cpu: '2m', memory: '1Mi' } }, { limits: { cpu: '1m', memory: '5Mi' } }],
    podResources: { limits: { cpu: '5m', memory: '7Mi' } },
    wantPod: { requests: { cpu: '3m', memory: '6Mi' }, limits: { cpu: '5m', memory: '7Mi' } },
    wantContainerRequests: [{ cpu: '2m', memory: '1Mi' }, { cpu: '1m', memory: '5Mi' }],
  },
  {
    name: 'pod requests=unset limits=set, container requests=set limits=unset',
    podResources: { limits: { cpu: '4m', memory: '8Mi' } },
    containers: [{ requests: { cpu: '1m', memory: '1Mi' } }, { requests: { cpu: '1m', memory: '2Mi' } }],
    wantPod: { requests: { cpu: '2m', memory: '3Mi' }, limits: { cpu: '4m', memory: '8Mi' } },
    // Upstream's expected second container also has Limits {cpu: 1m, memory: 5Mi}: not in the input, never checked.
    wantContainerRequests: [{ cpu: '1m', memory: '1Mi' }, { cpu: '1m', memory: '2Mi' }],
  },
  {
    name: 'pod requests=unset cpu limits=set, container resources=unset',
    podResources: { limits: { cpu: '4m' } },
    containers: [{}, {}],
    wantPod: { requests: { cpu: '4m' }, limits: { cpu: '4m' } },
    wantContainerRequests: [undefined, undefined],
  },
  {
    name: 'pod requests=unset limits=set, container requests=set limits=set',
    podResources: { limits: { cpu: '4m', memory: '8Mi' } },
    containers: [
      { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '2m', memory: '1Mi' } },
      { requests: { cpu: '1m', memory: '2Mi' }, limits: { cpu: '1m', memory: '5Mi' } },
    ],
    wantPod: { requests: { cpu: '2m', memory: '3Mi' }, limits: { cpu: '4m', memory: '8Mi' } },
    wantContainerRequests: [{ cpu: '1m', memory: '1Mi' }, { cpu: '1m', memory: '2Mi' }],
  },
  {
    name: 'pod requests=unset limits=set, container memory requests=set limits=unset',
    podResources: { limits: { cpu: '4m', memory: '8Mi' } },
    containers: [{ requests: { memory: '1Mi' } }, { requests: { memory: '5Mi' } }],
    wantPod: { requests: { cpu: '4m', memory: '6Mi' }, limits: { cpu: '4m', memory: '8Mi' } },
    // Upstream writes {cpu: 2m, memory: 1Mi} and {cpu: 1m, memory: 5Mi}; its loop only looks at the
    // requests the pod has (memory), and nothing gives these containers a cpu request.
    wantContainerRequests: [{ memory: '1Mi' }, { memory: '5Mi' }],
  },
  {
    name: 'pod limits=set, container unsupported requests=set limits=set',
    podResources: { limits: { cpu: '2m', memory: '1Mi' } },
    containers: [{ limits: { storage: '1Mi' } }, { limits: { 'ephemeral-storage': '5Mi' } }],
    wantPod: { requests: { cpu: '2m', memory: '1Mi' }, limits: { cpu: '2m', memory: '1Mi' } },
    wantContainerRequests: [{ storage: '1Mi' }, { 'ephemeral-storage': '5Mi' }],
  },
  {
    name: 'pod unsupported resources limits=set, container unsupported requests=set limits=set',
    podResources: { limits: { storage: '1Mi' } },
    containers: [{ limits: { storage: '1Mi' } }, { limits: { 'ephemeral-storage': '5Mi' } }],
    wantPod: { requests: {}, limits: { storage: '1Mi' } },
    wantContainerRequests: [{ storage: '1Mi' }, { 'ephemeral-storage': '5Mi' }],
  },
  {
    name: 'pod supported and unsupported resources limits=set, container unsupported requests=set limits=set',
    podResources: { limits: { cpu: '2m', memory: '1Mi', storage: '1Mi' } },
    containers: [{ limits: { storage: '1Mi' } }, { limits: { 'ephemeral-storage': '5Mi' } }],
    wantPod: { requests: { cpu: '2m', memory: '1Mi' }, limits: { cpu: '2m', memory: '1Mi' } },
    wantContainerRequests: [{ storage: '1Mi' }, { 'ephemeral-storage': '5Mi' }],
  },
  {
    name: 'pod has cpu limit with hugepages requests=unset limits=unset, container hugepages requests=unset limits=set',
    podResources: { limits: { cpu: '5m' } },
    containers: [{ limits: { cpu: '2m', [HP2]: '4Mi' } }, { limits: { cpu: '1m', [HP2]: '2Mi' } }],
    wantPod: { requests: { cpu: '3m', [HP2]: '6Mi' }, limits: { cpu: '5m', [HP2]: '6Mi' } },
    wantContainerRequests: [{ cpu: '2m', [HP2]: '4Mi' }, { cpu: '1m', [HP2]: '2Mi' }],
  },
  {
    name: 'pod has cpu request with hugepages requests=unset limits=unset, container hugepages requests=unset limits=set',
    podResources: { requests: { cpu: '5m' } },
    containers: [{ limits: { cpu: '2m', [HP2]: '4Mi' } }, { limits: { cpu: '1m', [HP2]: '2Mi' } }],
    // Upstream's expected limits also list cpu: 5m (never checked there; nothing sets it, see the header).
    wantPod: { requests: { cpu: '5m', [HP2]: '6Mi' }, limits: { cpu: '5m', [HP2]: '6Mi' } },
    wantContainerRequests: [{ cpu: '2m', [HP2]: '4Mi' }, { cpu: '1m', [HP2]: '2Mi' }],
  },
  {
    name: 'pod hugepages requests=unset limits=set, container hugepages requests=unset limits=set',
    podResources: { limits: { cpu: '5m', [HP2]: '10Mi' } },
    containers: [{ limits: { cpu: '2m', [HP2]: '4Mi' } }, { limits: { cpu: '1m', [HP2]: '2Mi' } }],
    wantPod: { requests: { cpu: '3m', [HP2]: '10Mi' }, limits: { cpu: '5m', [HP2]: '10Mi' } },
    wantContainerRequests: [{ cpu: '2m', [HP2]: '4Mi' }, { cpu: '1m', [HP2]: '2Mi' }],
  },
  {
    name: 'pod hugepages requests=set limits=set, container hugepages requests=unset limits=set',
    podResources: { limits: { cpu: '5m', [HP2]: '10Mi' }, requests: { cpu: '5m', [HP2]: '10Mi' } },
    containers: [{ limits: { cpu: '2m', [HP2]: '4Mi' } }, { limits: { cpu: '1m', [HP2]: '2Mi' } }],
    wantPod: { requests: { cpu: '5m', [HP2]: '10Mi' }, limits: { cpu: '5m', [HP2]: '10Mi' } },
    wantContainerRequests: [{ cpu: '2m', [HP2]: '4Mi' }, { cpu: '1m', [HP2]: '2Mi' }],
  },
  {
    name: 'pod hugepages requests=set limits=set, container hugepages requests=unset limits=unset',
    podResources: { limits: { cpu: '5m', [HP2]: '10Mi' }, requests: { cpu: '5m', [HP2]: '10Mi' } },
    containers: [{}],
    wantPod: { requests: { cpu: '5m', [HP2]: '10Mi' }, limits: { cpu: '5m', [HP2]: '10Mi' } },
    wantContainerRequests: [undefined],
  },
  {
    name:
      'pod hugepages requests=unset limits=set, container hugepages requests=unset limits=set different hugepagesizes between pod and container level',
    podResources: { limits: { cpu: '5m', [HP2]: '10Mi' } },
    containers: [{ limits: { cpu: '2m', [HP1G]: '1Gi' } }, { limits: { cpu: '1m', [HP2]: '2Mi' } }],
    wantPod: {
      requests: { cpu: '3m', [HP2]: '10Mi', [HP1G]: '1Gi' },
      limits: { cpu: '5m', [HP2]: '10Mi', [HP1G]: '1Gi' },
    },
    wantContainerRequests: [{ cpu: '2m', [HP1G]: '1Gi' }, { cpu: '1m', [HP2]: '2Mi' }],
  },
];

/** The entries of `list` whose names pass `keep` (undefined stays undefined). */
function only(list: ResourceList | RL | undefined, keep: (name: string) => boolean): ResourceList | undefined {
  if (list === undefined) return undefined;
  return Object.fromEntries(Object.entries(list).filter(([name]) => keep(name)));
}

/**
 * Differences between a resource list and the expected one, compared by value: the same names,
 * each an equal quantity. `absentOk`: an absent list stands for an empty one.
 */
function listProblems(what: string, got: ResourceList | undefined, want: RL | undefined, absentOk: boolean): string[] {
  if (want === undefined) return got === undefined ? [] : [`${what}: want absent, got ${JSON.stringify(got)}`];
  if (got === undefined) {
    return absentOk && Object.keys(want).length === 0 ? [] : [`${what}: want ${JSON.stringify(want)}, got absent`];
  }
  const problems: string[] = [];
  const gotNames = Object.keys(got).sort();
  const wantNames = Object.keys(want).sort();
  if (JSON.stringify(gotNames) !== JSON.stringify(wantNames)) {
    problems.push(`${what}: want names ${JSON.stringify(wantNames)}, got ${JSON.stringify(gotNames)}`);
  }
  for (const name of wantNames) {
    const g = got[name];
    if (g === undefined) continue;
    const w = parseQuantity(want[name]!);
    if (!w.ok) throw new Error(`bad expected quantity ${want[name]}: ${w.message}`);
    const p = typeof g === 'string' ? parseQuantity(g) : undefined;
    if (p === undefined || !p.ok) {
      problems.push(`${what}[${name}]: want ${want[name]}, got ${JSON.stringify(g)} (not a quantity string)`);
    } else if (p.quantity.cmp(w.quantity) !== 0) {
      problems.push(`${what}[${name}]: want ${want[name]}, got ${g}`);
    }
  }
  return problems;
}

function podFor(row: Row, i: number): Pod {
  const containers: Container[] = row.containers.map((res, j) => ({ name: `c${j}`, image: 'x', resources: structuredClone(res) }));
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default' }, spec: { containers }, status: {} };
  if (row.podResources !== undefined) pod.spec.resources = structuredClone(row.podResources);
  return pod;
}

function rowProblems(row: Row, i: number): string[] {
  const result = defaulting('CREATE', podFor(row, i), undefined, undefined as never, '');
  if (result instanceof AdmissionDenied) return [`denied: ${result.reason}: ${result.message}`];
  const out = result as Pod;
  const problems: string[] = [];
  const res = out.spec.resources;
  if (row.podResources === undefined && res !== undefined) problems.push(`spec.resources: want absent, got ${JSON.stringify(res)}`);
  const wantRequests = row.wantPod?.requests;
  const emptyWanted = wantRequests !== undefined && Object.keys(wantRequests).length === 0;
  problems.push(...listProblems('spec.resources.requests', res?.requests, wantRequests, emptyWanted));
  const wantHugePageLimits = only(row.wantPod?.limits ?? {}, isHugePages) as RL;
  problems.push(...listProblems('spec.resources.limits (hugepages)', only(res?.limits ?? {}, isHugePages), wantHugePageLimits, false));
  const notHugePages = (name: string) => !isHugePages(name);
  const givenLimits = only(row.podResources?.limits ?? {}, notHugePages) as RL;
  problems.push(...listProblems('spec.resources.limits (other, as given)', only(res?.limits ?? {}, notHugePages), givenLimits, false));
  if (out.spec.containers.length !== row.containers.length) {
    problems.push(`containers: want ${row.containers.length}, got ${out.spec.containers.length}`);
    return problems;
  }
  out.spec.containers.forEach((c, j) => {
    problems.push(...listProblems(`containers[${j}].resources.requests`, c.resources?.requests, row.wantContainerRequests[j], false));
    problems.push(...listProblems(`containers[${j}].resources.limits (as given)`, c.resources?.limits, row.containers[j]!.limits, false));
  });
  return problems;
}

t.test('TestPodResourcesDefaults', async (t) => {
  rows.forEach((row, i) => {
    t.strictSame(rowProblems(row, i), [], row.name);
  });
});

// kubedrill's own shortcut: an update of a pod that defaulting would leave as it is comes back as
// the same object (so a status write keeps its spec, and the store sees at a glance that the
// generation stays). Every row, defaulted once, must come back as is; every row as written must
// be defaulted on an update exactly as on its create.
t.test('defaulting an update: a defaulted pod is left as is, any other is defaulted as on create', async (t) => {
  rows.forEach((row, i) => {
    const created = defaulting('CREATE', podFor(row, i), undefined, undefined as never, '') as Pod;
    t.equal(defaulting('UPDATE', created, created, undefined as never, ''), created, `${row.name}: defaulted`);
    // Everything defaulted but the pod-level resources, which are as written.
    const partly: Pod = { ...created, spec: { ...created.spec } };
    if (row.podResources === undefined) delete partly.spec.resources;
    else partly.spec.resources = structuredClone(row.podResources);
    t.same(defaulting('UPDATE', partly, partly, undefined as never, ''), created, `${row.name}: pod-level resources as written`);
  });
});
