// LimitRanger admission (plugin/pkg/admission/limitranger/admission.go): container defaults, and
// min / max / maxLimitRequestRatio for containers, pods and claims.
//
// Rows transcribed from plugin/pkg/admission/limitranger/admission_test.go (kubernetes/kubernetes):
// TestDefaultContainerResourceRequirements, TestMergePodResourceRequirements, TestPodLimitFunc
// (successCases, errorCases), TestPodLimitFuncApplyDefault, TestPersistentVolumeClaimLimitFunc
// (successCases, errorCases). Stored version read: index file id 278900150 (the index gives no
// commit for it). It is the newest version stored: createLimitRange returns a corev1.LimitRange,
// pods have init containers and a restartable (sidecar) init container row
// (withRestartableInitContainer), the pod tests call PodMutateLimitFunc then PodValidateLimitFunc,
// claims use VolumeResourceRequirements. It has no pod-level-resources rows and no update/resize
// (oldPod) rows. The other stored versions are older: commit 6a4d5cd7cc58e28c20ca133dab7b0e9e56192fe3
// (id 23676506, internal api.LimitRange, one PodLimitFunc) and commit 0061479890ddf827bd55570ccbf8bd59352543c3
// (id 7052975633, 2016).
//
// How upstream's calls map here:
//   - upstream's createLimitRange / validLimitRange convert an internal LimitRange to v1 with
//     Convert_core_LimitRange_To_v1_LimitRange, which does NOT run SetDefaults_LimitRangeItem, so the
//     helpers below do not call defaultLimitRangeItem either (e.g. "ctr-max-cpu-no-request-limit"
//     must fail: with defaulting, default := max would give the container a limit).
//   - PodMutateLimitFunc(&lr, &pod) mutates in place and returns nil; podMutateLimitFunc returns the
//     mutated copy, which is what is then validated. mergePodResourceRequirements(&pod,
//     defaultContainerResourceRequirements(&lr)) is exactly PodMutateLimitFunc's body, so
//     TestMergePodResourceRequirements calls podMutateLimitFunc(validLimitRange(), pod).
//   - upstream's errorCases and PVC tests only check err != nil: here `typeof result === 'string'`.
//   - api.ResourceList{} / an empty getXxxResourceList("") are written as an absent field (what the
//     v1 JSON, with omitempty, carries). Resource lists the code produces are compared by value
//     (parseQuantity, Cmp), absent == empty, as apiequality.Semantic.DeepEqual compares quantities.
//
// Deviations from upstream's literal expectations, both caused by Go map aliasing in upstream's
// fixtures (validPod / validPodInit give every container the SAME Requests/Limits maps, and
// mergeContainerResources writes into those maps):
//   - TestMergePodResourceRequirements [0]: upstream's `expected` is the very maps merged into, so its
//     DeepEqual is vacuous. Asserted here is what its comment states (and its annotation shows): the
//     container gets the default requests (cpu 50m, memory 5Mi) and limits (cpu 75m, memory 10Mi).
//   - TestMergePodResourceRequirements [1]: the container and init container share one Requests map and
//     one Limits map, so after the container is defaulted the init container looks complete and upstream
//     expects the annotation "LimitRanger plugin set: cpu request for container foo-0; cpu, memory limit
//     for container foo-0". Here (as in any pod decoded from JSON) each container has its own maps, so the
//     init container is defaulted too (upstream's expected resources for it are the same) and
//     mergePodResourceRequirements appends "; cpu request for init container foo-0; cpu, memory limit for
//     init container foo-0".
//
// Rows skipped: none. No row is feature-gated: sidecar (restartable) init containers are GA, and
// InPlacePodVerticalScaling only changes podRequests through container statuses, which no row has.
import t from 'tap';
import {
  defaultContainerResourceRequirements,
  persistentVolumeClaimValidateLimitFunc,
  podMutateLimitFunc,
  podValidateLimitFunc,
} from '../../src/api/limitranger.js';
import { parseQuantity, parseQuantityValue } from '../../src/api/quantity.js';
import type { Container, LimitRange, LimitType, PersistentVolumeClaim, Pod, ResourceList } from '../../src/api/types.js';

type RL = Record<string, string>;
interface Req {
  requests?: RL;
  limits?: RL;
}

const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

// ---- helpers mirroring upstream's ----------------------------------------------------------

function getComputeResourceList(cpu: string, memory: string): RL {
  const res: RL = {};
  if (cpu !== '') res.cpu = cpu;
  if (memory !== '') res.memory = memory;
  return res;
}

function getStorageResourceList(storage: string): RL {
  const res: RL = {};
  if (storage !== '') res.storage = storage;
  return res;
}

function getLocalStorageResourceList(ephemeralStorage: string): RL {
  const res: RL = {};
  if (ephemeralStorage !== '') res['ephemeral-storage'] = ephemeralStorage;
  return res;
}

/** An empty list is left out (omitempty). Returns fresh maps, never the arguments. */
function getResourceRequirements(requests: RL, limits: RL): Req {
  const res: Req = {};
  if (Object.keys(requests).length > 0) res.requests = { ...requests };
  if (Object.keys(limits).length > 0) res.limits = { ...limits };
  return res;
}

function copyReq(r: Req): Req {
  return getResourceRequirements(r.requests ?? {}, r.limits ?? {});
}

/** createLimitRange: one item; no defaulting (see the header). Empty lists are left out. */
function createLimitRange(limitType: LimitType, min: RL, max: RL, defaultLimit: RL, defaultRequest: RL, maxLimitRequestRatio: RL): LimitRange {
  const item: LimitRange['spec']['limits'][number] = { type: limitType };
  if (Object.keys(min).length > 0) item.min = { ...min };
  if (Object.keys(max).length > 0) item.max = { ...max };
  if (Object.keys(defaultLimit).length > 0) item.default = { ...defaultLimit };
  if (Object.keys(defaultRequest).length > 0) item.defaultRequest = { ...defaultRequest };
  if (Object.keys(maxLimitRequestRatio).length > 0) item.maxLimitRequestRatio = { ...maxLimitRequestRatio };
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'abc', namespace: 'test' }, spec: { limits: [item] } };
}

function validLimitRange(): LimitRange {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'abc', namespace: 'test' },
    spec: {
      limits: [
        { type: 'Pod', max: getComputeResourceList('200m', '4Gi'), min: getComputeResourceList('50m', '2Mi') },
        {
          type: 'Container',
          max: getComputeResourceList('100m', '2Gi'),
          min: getComputeResourceList('25m', '1Mi'),
          default: getComputeResourceList('75m', '10Mi'),
          defaultRequest: getComputeResourceList('50m', '5Mi'),
        },
      ],
    },
  };
}

function container(i: number, resources: Req): Container {
  return { name: `foo-${i}`, image: `foo:V${i}`, resources: copyReq(resources) };
}

/** validPod: numContainers containers foo-0..foo-n-1, each with its own copy of `resources`. */
function validPod(name: string, numContainers: number, resources: Req): Pod {
  const containers: Container[] = [];
  for (let i = 0; i < numContainers; i++) containers.push(container(i, resources));
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'test' }, spec: { containers }, status: {} };
}

/** validPodInit: appends one init container per `resources`, named foo-<index in resources>. */
function validPodInit(pod: Pod, ...resources: Req[]): Pod {
  const initContainers = [...(pod.spec.initContainers ?? [])];
  for (let i = 0; i < resources.length; i++) initContainers.push(container(i, resources[i]!));
  return { ...pod, spec: { ...pod.spec, initContainers } };
}

/** withRestartableInitContainer: appends a sidecar (restartPolicy Always) named foo-<count of init containers>. */
function withRestartableInitContainer(requests: RL, limits: RL, pod: Pod): Pod {
  const initContainers = [...(pod.spec.initContainers ?? [])];
  const n = initContainers.length;
  initContainers.push({ name: `foo-${n}`, image: `foo:V${n}`, restartPolicy: 'Always', resources: getResourceRequirements(requests, limits) });
  return { ...pod, spec: { ...pod.spec, initContainers } };
}

function validPersistentVolumeClaim(name: string, resources: Req): PersistentVolumeClaim {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'test' }, spec: { resources: copyReq(resources) }, status: {} };
}

// Short names for the tables.
const C = getComputeResourceList;
const L = getLocalStorageResourceList;
const S = getStorageResourceList;
const R = getResourceRequirements;
const none: RL = {};

// ---- comparison helpers ------------------------------------------------------------------

/** undefined when `actual` holds exactly `expected`'s names with equal quantities; else a description. */
function listDiff(actual: ResourceList | undefined, expected: RL | undefined): string | undefined {
  const a = actual ?? {};
  const e = expected ?? {};
  const names = [...new Set([...Object.keys(a), ...Object.keys(e)])].sort();
  const diffs: string[] = [];
  for (const name of names) {
    const av = a[name];
    const ev = e[name];
    if (av === undefined || ev === undefined) {
      diffs.push(`${name}: got ${String(av)}, want ${String(ev)}`);
      continue;
    }
    const ap = parseQuantityValue(av);
    const ep = parseQuantity(ev);
    if (!ap.ok || !ep.ok || ap.quantity.cmp(ep.quantity) !== 0) diffs.push(`${name}: got ${String(av)}, want ${ev}`);
  }
  return diffs.length === 0 ? undefined : diffs.join('; ');
}

/** Go's ResourceList.Memory().String() / .CPU().String(): the canonical quantity, "0" when absent. */
function quantityString(list: ResourceList | undefined, name: string): string {
  const v = list?.[name];
  if (v === undefined) return '0';
  const p = parseQuantityValue(v);
  return p.ok ? p.quantity.toString() : `unparseable ${String(v)}`;
}

// ---- TestDefaultContainerResourceRequirements --------------------------------------------

t.test('TestDefaultContainerResourceRequirements', async (t) => {
  const expected = { requests: C('50m', '5Mi'), limits: C('75m', '10Mi') };
  const actual = defaultContainerResourceRequirements(validLimitRange());
  t.equal(listDiff(actual.requests, expected.requests), undefined, 'validLimitRange: requests');
  t.equal(listDiff(actual.limits, expected.limits), undefined, 'validLimitRange: limits');
});

// ---- TestMergePodResourceRequirements ----------------------------------------------------

t.test('TestMergePodResourceRequirements', async (t) => {
  // defaultContainerResourceRequirements(validLimitRange()), as TestDefaultContainerResourceRequirements asserts it.
  const defaults = { requests: C('50m', '5Mi'), limits: C('75m', '10Mi') };
  interface MergeRow {
    name: string;
    pod: Pod;
    wantContainers: Req;
    wantInitContainers: Req[];
    /** undefined: no annotation (expectNoAnnotation). */
    wantAnnotation: string | undefined;
  }
  const limitMemory = R(C('', '512Mi'), C('', ''));
  const limitMemoryMerged: Req = { requests: { cpu: defaults.requests.cpu!, memory: '512Mi' }, limits: defaults.limits };
  const allInput = R(C('100m', '512Mi'), C('200m', '1G'));
  const allInitInputs = [R(C('200m', '1G'), C('400m', '2G'))];
  const rows: MergeRow[] = [
    {
      name: '[0] pod with no resources enumerated should get each resource from default request (empty-resources)',
      pod: validPod('empty-resources', 1, R(C('', ''), C('', ''))),
      wantContainers: defaults, // see the header: upstream's own check here is vacuous (aliased maps)
      wantInitContainers: [],
      wantAnnotation: 'LimitRanger plugin set: cpu, memory request for container foo-0; cpu, memory limit for container foo-0',
    },
    {
      name: '[1] pod with some resources enumerated should only merge empty (limit-memory)',
      pod: validPodInit(validPod('limit-memory', 1, limitMemory), limitMemory),
      wantContainers: limitMemoryMerged,
      wantInitContainers: [limitMemoryMerged],
      // upstream: '...; cpu, memory limit for container foo-0' only (aliased maps, see the header)
      wantAnnotation:
        'LimitRanger plugin set: cpu request for container foo-0; cpu, memory limit for container foo-0; ' +
        'cpu request for init container foo-0; cpu, memory limit for init container foo-0',
    },
    {
      name: '[2] pod with all resources enumerated should not merge anything (limit-memory)',
      pod: validPodInit(validPod('limit-memory', 1, allInput), ...allInitInputs),
      wantContainers: allInput,
      wantInitContainers: allInitInputs,
      wantAnnotation: undefined,
    },
  ];
  for (const row of rows) {
    const pod = podMutateLimitFunc(validLimitRange(), row.pod);
    t.equal(pod.spec.containers.length, row.pod.spec.containers.length, `${row.name}: containers kept`);
    pod.spec.containers.forEach((c, i) => {
      t.equal(listDiff(c.resources?.requests, row.wantContainers.requests), undefined, `${row.name}: containers[${i}] requests`);
      t.equal(listDiff(c.resources?.limits, row.wantContainers.limits), undefined, `${row.name}: containers[${i}] limits`);
    });
    const inits = pod.spec.initContainers ?? [];
    t.equal(inits.length, row.wantInitContainers.length, `${row.name}: init containers kept`);
    inits.forEach((c, i) => {
      const want = row.wantInitContainers[i];
      t.equal(listDiff(c.resources?.requests, want?.requests), undefined, `${row.name}: initContainers[${i}] requests`);
      t.equal(listDiff(c.resources?.limits, want?.limits), undefined, `${row.name}: initContainers[${i}] limits`);
    });
    const annotations = pod.metadata.annotations ?? {};
    t.equal(Object.hasOwn(annotations, LIMIT_RANGER_ANNOTATION), row.wantAnnotation !== undefined, `${row.name}: annotation present`);
    t.equal(annotations[LIMIT_RANGER_ANNOTATION], row.wantAnnotation, `${row.name}: annotation`);
  }
});

// ---- TestPodLimitFunc ----------------------------------------------------------------------

interface PodRow {
  pod: Pod;
  limitRange: LimitRange;
}
const lr = createLimitRange;

t.test('TestPodLimitFunc', async (t) => {
  const successCases: PodRow[] = [
    { pod: validPod('ctr-min-cpu-request', 1, R(C('100m', ''), C('', ''))), limitRange: lr('Container', C('50m', ''), none, none, none, none) },
    { pod: validPod('ctr-min-cpu-request-limit', 1, R(C('100m', ''), C('200m', ''))), limitRange: lr('Container', C('50m', ''), none, none, none, none) },
    { pod: validPod('ctr-min-memory-request', 1, R(C('', '60Mi'), C('', ''))), limitRange: lr('Container', C('', '50Mi'), none, none, none, none) },
    {
      pod: validPod('ctr-min-memory-request-limit', 1, R(C('', '60Mi'), C('', '100Mi'))),
      limitRange: lr('Container', C('', '50Mi'), none, none, none, none),
    },
    { pod: validPod('ctr-max-cpu-request-limit', 1, R(C('500m', ''), C('1', ''))), limitRange: lr('Container', none, C('2', ''), none, none, none) },
    { pod: validPod('ctr-max-cpu-limit', 1, R(C('', ''), C('1', ''))), limitRange: lr('Container', none, C('2', ''), none, none, none) },
    { pod: validPod('ctr-max-mem-request-limit', 1, R(C('', '250Mi'), C('', '500Mi'))), limitRange: lr('Container', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('ctr-max-cpu-ratio', 1, R(C('500m', ''), C('750m', ''))), limitRange: lr('Container', none, none, none, none, C('1.5', '')) },
    { pod: validPod('ctr-max-mem-limit', 1, R(C('', ''), C('', '500Mi'))), limitRange: lr('Container', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('pod-min-cpu-request', 2, R(C('75m', ''), C('', ''))), limitRange: lr('Pod', C('100m', ''), none, none, none, none) },
    { pod: validPod('pod-min-cpu-request-limit', 2, R(C('75m', ''), C('200m', ''))), limitRange: lr('Pod', C('100m', ''), none, none, none, none) },
    { pod: validPod('pod-min-memory-request', 2, R(C('', '60Mi'), C('', ''))), limitRange: lr('Pod', C('', '100Mi'), none, none, none, none) },
    { pod: validPod('pod-min-memory-request-limit', 2, R(C('', '60Mi'), C('', '100Mi'))), limitRange: lr('Pod', C('', '100Mi'), none, none, none, none) },
    {
      pod: validPodInit(validPod('pod-init-min-memory-request', 2, R(C('', '60Mi'), C('', ''))), R(C('', '100Mi'), C('', ''))),
      limitRange: lr('Pod', C('', '100Mi'), none, none, none, none),
    },
    {
      pod: validPodInit(validPod('pod-init-min-memory-request-limit', 2, R(C('', '60Mi'), C('', '100Mi'))), R(C('', '80Mi'), C('', '100Mi'))),
      limitRange: lr('Pod', C('', '100Mi'), none, none, none, none),
    },
    { pod: validPod('pod-max-cpu-request-limit', 2, R(C('500m', ''), C('1', ''))), limitRange: lr('Pod', none, C('2', ''), none, none, none) },
    { pod: validPod('pod-max-cpu-limit', 2, R(C('', ''), C('1', ''))), limitRange: lr('Pod', none, C('2', ''), none, none, none) },
    {
      pod: validPodInit(
        validPod('pod-init-max-cpu-request-limit', 2, R(C('500m', ''), C('1', ''))),
        R(C('1', ''), C('2', '')),
        R(C('1', ''), C('1', '')),
      ),
      limitRange: lr('Pod', none, C('2', ''), none, none, none),
    },
    {
      pod: validPodInit(validPod('pod-init-max-cpu-limit', 2, R(C('', ''), C('1', ''))), R(C('', ''), C('2', '')), R(C('', ''), C('2', ''))),
      limitRange: lr('Pod', none, C('2', ''), none, none, none),
    },
    { pod: validPod('pod-max-mem-request-limit', 2, R(C('', '250Mi'), C('', '500Mi'))), limitRange: lr('Pod', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('pod-max-mem-limit', 2, R(C('', ''), C('', '500Mi'))), limitRange: lr('Pod', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('pod-max-mem-ratio', 3, R(C('', '300Mi'), C('', '450Mi'))), limitRange: lr('Pod', none, C('', '2Gi'), none, none, C('', '1.5')) },
    { pod: validPod('ctr-1-min-local-ephemeral-storage-request', 1, R(L('60Mi'), L(''))), limitRange: lr('Container', L('50Mi'), none, none, none, none) },
    {
      pod: validPod('ctr-1-min-local-ephemeral-storage-request-limit', 1, R(L('60Mi'), L('100Mi'))),
      limitRange: lr('Container', L('50Mi'), none, none, none, none),
    },
    {
      pod: validPod('ctr-1-max-local-ephemeral-storage-request-limit', 1, R(L('250Mi'), L('500Mi'))),
      limitRange: lr('Container', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('ctr-1-max-local-ephemeral-storage-limit', 1, R(L(''), L('500Mi'))), limitRange: lr('Container', none, L('1Gi'), none, none, none) },
    { pod: validPod('ctr-2-min-local-ephemeral-storage-request', 2, R(L('60Mi'), L(''))), limitRange: lr('Container', L('50Mi'), none, none, none, none) },
    {
      pod: validPod('ctr-2-min-local-ephemeral-storage-request-limit', 2, R(L('60Mi'), L('100Mi'))),
      limitRange: lr('Container', L('50Mi'), none, none, none, none),
    },
    {
      pod: validPod('ctr-2-max-local-ephemeral-storage-request-limit', 2, R(L('250Mi'), L('500Mi'))),
      limitRange: lr('Container', none, L('600Mi'), none, none, none),
    },
    { pod: validPod('ctr-2-max-local-ephemeral-storage-limit', 2, R(L(''), L('500Mi'))), limitRange: lr('Container', none, L('600Mi'), none, none, none) },
    { pod: validPod('pod-min-local-ephemeral-storage-request', 2, R(L('60Mi'), L(''))), limitRange: lr('Pod', L('100Mi'), none, none, none, none) },
    {
      pod: validPod('pod-min-local-ephemeral-storage-request-limit', 2, R(L('60Mi'), L('100Mi'))),
      limitRange: lr('Pod', L('100Mi'), none, none, none, none),
    },
    {
      pod: validPodInit(validPod('pod-init-min-local-ephemeral-storage-request', 2, R(L('60Mi'), L(''))), R(L('100Mi'), L(''))),
      limitRange: lr('Pod', L('100Mi'), none, none, none, none),
    },
    {
      pod: validPodInit(validPod('pod-init-min-local-ephemeral-storage-request-limit', 2, R(L('60Mi'), L('100Mi'))), R(L('80Mi'), L('100Mi'))),
      limitRange: lr('Pod', L('100Mi'), none, none, none, none),
    },
    {
      pod: validPod('pod-max-local-ephemeral-storage-request-limit', 2, R(L('250Mi'), L('500Mi'))),
      limitRange: lr('Pod', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('pod-max-local-ephemeral-storage-limit', 2, R(L(''), L('500Mi'))), limitRange: lr('Pod', none, L('1Gi'), none, none, none) },
    {
      pod: validPod('pod-max-local-ephemeral-storage-ratio', 3, R(L('300Mi'), L('450Mi'))),
      limitRange: lr('Pod', none, L('2Gi'), none, none, L('1.5')),
    },
  ];
  t.equal(successCases.length, 37, 'successCases: upstream has 37 rows');
  for (const [i, row] of successCases.entries()) {
    const name = `successCases[${i}] ${row.pod.metadata.name}`;
    const mutated = podMutateLimitFunc(row.limitRange, row.pod);
    t.equal(podValidateLimitFunc(row.limitRange, mutated), undefined, name);
  }

  const errorCases: PodRow[] = [
    { pod: validPod('ctr-min-cpu-request', 1, R(C('40m', ''), C('', ''))), limitRange: lr('Container', C('50m', ''), none, none, none, none) },
    { pod: validPod('ctr-min-cpu-request-limit', 1, R(C('40m', ''), C('200m', ''))), limitRange: lr('Container', C('50m', ''), none, none, none, none) },
    { pod: validPod('ctr-min-cpu-no-request-limit', 1, R(C('', ''), C('', ''))), limitRange: lr('Container', C('50m', ''), none, none, none, none) },
    { pod: validPod('ctr-min-memory-request', 1, R(C('', '40Mi'), C('', ''))), limitRange: lr('Container', C('', '50Mi'), none, none, none, none) },
    {
      pod: validPod('ctr-min-memory-request-limit', 1, R(C('', '40Mi'), C('', '100Mi'))),
      limitRange: lr('Container', C('', '50Mi'), none, none, none, none),
    },
    { pod: validPod('ctr-min-memory-no-request-limit', 1, R(C('', ''), C('', ''))), limitRange: lr('Container', C('', '50Mi'), none, none, none, none) },
    { pod: validPod('ctr-max-cpu-request-limit', 1, R(C('500m', ''), C('2500m', ''))), limitRange: lr('Container', none, C('2', ''), none, none, none) },
    { pod: validPod('ctr-max-cpu-limit', 1, R(C('', ''), C('2500m', ''))), limitRange: lr('Container', none, C('2', ''), none, none, none) },
    { pod: validPod('ctr-max-cpu-no-request-limit', 1, R(C('', ''), C('', ''))), limitRange: lr('Container', none, C('2', ''), none, none, none) },
    { pod: validPod('ctr-max-cpu-ratio', 1, R(C('1250m', ''), C('2500m', ''))), limitRange: lr('Container', none, none, none, none, C('1', '')) },
    { pod: validPod('ctr-max-mem-request-limit', 1, R(C('', '250Mi'), C('', '2Gi'))), limitRange: lr('Container', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('ctr-max-mem-limit', 1, R(C('', ''), C('', '2Gi'))), limitRange: lr('Container', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('ctr-max-mem-no-request-limit', 1, R(C('', ''), C('', ''))), limitRange: lr('Container', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('pod-min-cpu-request', 1, R(C('75m', ''), C('', ''))), limitRange: lr('Pod', C('100m', ''), none, none, none, none) },
    { pod: validPod('pod-min-cpu-request-limit', 1, R(C('75m', ''), C('200m', ''))), limitRange: lr('Pod', C('100m', ''), none, none, none, none) },
    { pod: validPod('pod-min-memory-request', 1, R(C('', '60Mi'), C('', ''))), limitRange: lr('Pod', C('', '100Mi'), none, none, none, none) },
    { pod: validPod('pod-min-memory-request-limit', 1, R(C('', '60Mi'), C('', '100Mi'))), limitRange: lr('Pod', C('', '100Mi'), none, none, none, none) },
    { pod: validPod('pod-max-cpu-request-limit', 3, R(C('500m', ''), C('1', ''))), limitRange: lr('Pod', none, C('2', ''), none, none, none) },
    { pod: validPod('pod-max-cpu-limit', 3, R(C('', ''), C('1', ''))), limitRange: lr('Pod', none, C('2', ''), none, none, none) },
    { pod: validPod('pod-max-mem-request-limit', 3, R(C('', '250Mi'), C('', '500Mi'))), limitRange: lr('Pod', none, C('', '1Gi'), none, none, none) },
    { pod: validPod('pod-max-mem-limit', 3, R(C('', ''), C('', '500Mi'))), limitRange: lr('Pod', none, C('', '1Gi'), none, none, none) },
    {
      pod: validPodInit(validPod('pod-init-max-mem-limit', 1, R(C('', ''), C('', '500Mi'))), R(C('', ''), C('', '1.5Gi'))),
      limitRange: lr('Pod', none, C('', '1Gi'), none, none, none),
    },
    { pod: validPod('pod-max-mem-ratio', 3, R(C('', '250Mi'), C('', '500Mi'))), limitRange: lr('Pod', none, C('', '2Gi'), none, none, C('', '1.5')) },
    { pod: validPod('ctr-1-min-local-ephemeral-storage-request', 1, R(L('40Mi'), L(''))), limitRange: lr('Container', L('50Mi'), none, none, none, none) },
    {
      pod: validPod('ctr-1-min-local-ephemeral-storage-request-limit', 1, R(L('40Mi'), L('100Mi'))),
      limitRange: lr('Container', L('50Mi'), none, none, none, none),
    },
    {
      pod: validPod('ctr-1-min-local-ephemeral-storage-no-request-limit', 1, R(L(''), L(''))),
      limitRange: lr('Container', L('50Mi'), none, none, none, none),
    },
    {
      pod: validPod('ctr-1-max-local-ephemeral-storage-request-limit', 1, R(L('250Mi'), L('2Gi'))),
      limitRange: lr('Container', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('ctr-1-max-local-ephemeral-storage-limit', 1, R(L(''), L('2Gi'))), limitRange: lr('Container', none, L('1Gi'), none, none, none) },
    {
      pod: validPod('ctr-1-max-local-ephemeral-storage-no-request-limit', 1, R(L(''), L(''))),
      limitRange: lr('Container', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('ctr-2-min-local-ephemeral-storage-request', 2, R(L('40Mi'), L(''))), limitRange: lr('Container', L('50Mi'), none, none, none, none) },
    {
      pod: validPod('ctr-2-min-local-ephemeral-storage-request-limit', 2, R(L('40Mi'), L('100Mi'))),
      limitRange: lr('Container', L('50Mi'), none, none, none, none),
    },
    {
      pod: validPod('ctr-2-min-local-ephemeral-storage-no-request-limit', 2, R(L(''), L(''))),
      limitRange: lr('Container', L('50Mi'), none, none, none, none),
    },
    {
      pod: validPod('ctr-2-max-local-ephemeral-storage-request-limit', 2, R(L('250Mi'), L('2Gi'))),
      limitRange: lr('Container', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('ctr-2-max-local-ephemeral-storage-limit', 2, R(L(''), L('2Gi'))), limitRange: lr('Container', none, L('1Gi'), none, none, none) },
    {
      pod: validPod('ctr-2-max-local-ephemeral-storage-no-request-limit', 2, R(L(''), L(''))),
      limitRange: lr('Container', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('pod-min-local-ephemeral-storage-request', 1, R(L('60Mi'), L(''))), limitRange: lr('Pod', L('100Mi'), none, none, none, none) },
    {
      pod: validPod('pod-min-local-ephemeral-storage-request-limit', 1, R(L('60Mi'), L('100Mi'))),
      limitRange: lr('Pod', L('100Mi'), none, none, none, none),
    },
    {
      pod: validPod('pod-max-local-ephemeral-storage-request-limit', 3, R(L('250Mi'), L('500Mi'))),
      limitRange: lr('Pod', none, L('1Gi'), none, none, none),
    },
    { pod: validPod('pod-max-local-ephemeral-storage-limit', 3, R(L(''), L('500Mi'))), limitRange: lr('Pod', none, L('1Gi'), none, none, none) },
    {
      pod: validPodInit(validPod('pod-init-max-local-ephemeral-storage-limit', 1, R(L(''), L('500Mi'))), R(L(''), L('1.5Gi'))),
      limitRange: lr('Pod', none, L('1Gi'), none, none, none),
    },
    {
      pod: validPod('pod-max-local-ephemeral-storage-ratio', 3, R(L('250Mi'), L('500Mi'))),
      limitRange: lr('Pod', none, L('2Gi'), none, none, L('1.5')),
    },
    {
      pod: withRestartableInitContainer(
        C('1500m', ''),
        none,
        validPod('ctr-max-cpu-limit-restartable-init-container', 1, R(C('1000m', ''), C('1500m', ''))),
      ),
      limitRange: lr('Pod', none, C('2', ''), none, none, none),
    },
  ];
  t.equal(errorCases.length, 42, 'errorCases: upstream has 42 rows');
  for (const [i, row] of errorCases.entries()) {
    const name = `errorCases[${i}] ${row.pod.metadata.name}`;
    const mutated = podMutateLimitFunc(row.limitRange, row.pod);
    const err = podValidateLimitFunc(row.limitRange, mutated);
    t.equal(typeof err, 'string', name);
  }
});

// ---- TestPodLimitFuncApplyDefault ----------------------------------------------------------

t.test('TestPodLimitFuncApplyDefault', async (t) => {
  const limitRange = validLimitRange();
  const testPod = validPodInit(validPod('foo', 1, R(none, none)), R(none, none));
  const pod = podMutateLimitFunc(limitRange, testPod);
  t.equal(pod.spec.containers.length, 1, 'foo: containers kept');
  t.equal(pod.spec.initContainers?.length, 1, 'foo: init containers kept');
  const all: Array<[string, Container]> = [
    ...pod.spec.containers.map((c, i): [string, Container] => [`containers[${i}]`, c]),
    ...(pod.spec.initContainers ?? []).map((c, i): [string, Container] => [`initContainers[${i}]`, c]),
  ];
  for (const [where, c] of all) {
    t.equal(quantityString(c.resources?.limits, 'memory'), '10Mi', `foo ${where}: limit memory`);
    t.equal(quantityString(c.resources?.limits, 'cpu'), '75m', `foo ${where}: limit cpu`);
    t.equal(quantityString(c.resources?.requests, 'memory'), '5Mi', `foo ${where}: request memory`);
    t.equal(quantityString(c.resources?.requests, 'cpu'), '50m', `foo ${where}: request cpu`);
  }
});

// ---- TestPersistentVolumeClaimLimitFunc ------------------------------------------------------

t.test('TestPersistentVolumeClaimLimitFunc', async (t) => {
  interface PVCRow {
    pvc: PersistentVolumeClaim;
    limitRange: LimitRange;
  }
  const pvc = validPersistentVolumeClaim;
  const successCases: PVCRow[] = [
    { pvc: pvc('pvc-is-min-storage-request', R(S('1Gi'), S(''))), limitRange: lr('PersistentVolumeClaim', S('1Gi'), none, none, none, none) },
    { pvc: pvc('pvc-is-max-storage-request', R(S('1Gi'), S(''))), limitRange: lr('PersistentVolumeClaim', none, S('1Gi'), none, none, none) },
    { pvc: pvc('pvc-no-minmax-storage-request', R(S('100Gi'), S(''))), limitRange: lr('PersistentVolumeClaim', S(''), S(''), none, none, none) },
    {
      pvc: pvc('pvc-within-minmax-storage-request', R(S('5Gi'), S(''))),
      limitRange: lr('PersistentVolumeClaim', S('1Gi'), S('10Gi'), none, none, none),
    },
  ];
  t.equal(successCases.length, 4, 'successCases: upstream has 4 rows');
  for (const [i, row] of successCases.entries()) {
    t.equal(persistentVolumeClaimValidateLimitFunc(row.limitRange, row.pvc), undefined, `successCases[${i}] ${row.pvc.metadata.name}`);
  }

  const errorCases: PVCRow[] = [
    { pvc: pvc('pvc-below-min-storage-request', R(S('500Mi'), S(''))), limitRange: lr('PersistentVolumeClaim', S('1Gi'), none, none, none, none) },
    {
      pvc: pvc('pvc-exceeds-max-storage-request', R(S('100Gi'), S(''))),
      limitRange: lr('PersistentVolumeClaim', S('1Gi'), S('1Gi'), none, none, none),
    },
  ];
  t.equal(errorCases.length, 2, 'errorCases: upstream has 2 rows');
  for (const [i, row] of errorCases.entries()) {
    t.equal(typeof persistentVolumeClaimValidateLimitFunc(row.limitRange, row.pvc), 'string', `errorCases[${i}] ${row.pvc.metadata.name}`);
  }
});
