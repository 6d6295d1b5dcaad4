// Scheduler resource arithmetic, after pkg/scheduler/framework/types.go (Resource) and
// staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests): integer milli-CPU and
// integer bytes, exactly as upstream's Quantity.MilliValue()/Value().
import { parseQuantityValue } from '../../api/quantity.js';
import { type Pod, type ResourceList, isSupportedPodLevelResource } from '../../api/types.js';

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';
export const RESOURCE_PODS = 'pods';

// pkg/scheduler/util/pod_resources.go
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended and hugepages resources (upstream ScalarResources), or null when none. */
  scalar: Map<string, number> | null = null;

  static fromList(rl: ResourceList | undefined): Resource {
    const r = new Resource();
    if (rl) r.addList(rl);
    return r;
  }

  addList(rl: ResourceList): void {
    for (const name of Object.keys(rl)) this.addNamed(name, rl[name]!, 1);
  }

  /** Adds `sign ×` the quantity to the named resource. */
  addNamed(name: string, q: string | number, sign: number): void {
    switch (name) {
      case RESOURCE_CPU:
        this.milliCPU += sign * milliValue(q);
        return;
      case RESOURCE_MEMORY:
        this.memory += sign * value(q);
        return;
      case RESOURCE_EPHEMERAL_STORAGE:
        this.ephemeralStorage += sign * value(q);
        return;
      case RESOURCE_PODS:
        this.allowedPodNumber += sign * value(q);
        return;
      default:
        if (isScalarResourceName(name)) this.setScalar(name, this.getScalar(name) + sign * value(q));
    }
  }

  getScalar(name: string): number {
    return this.scalar?.get(name) ?? 0;
  }

  setScalar(name: string, v: number): void {
    if (this.scalar === null) this.scalar = new Map();
    this.scalar.set(name, v);
  }

  add(other: Resource, sign = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    this.allowedPodNumber += sign * other.allowedPodNumber;
    if (other.scalar) for (const [k, v] of other.scalar) this.setScalar(k, this.getScalar(k) + sign * v);
  }

  setMax(other: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, other.milliCPU);
    this.memory = Math.max(this.memory, other.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, other.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, other.allowedPodNumber);
    if (other.scalar) for (const [k, v] of other.scalar) this.setScalar(k, Math.max(this.getScalar(k), v));
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  isZero(): boolean {
    if (this.milliCPU !== 0 || this.memory !== 0 || this.ephemeralStorage !== 0) return false;
    if (this.scalar) for (const v of this.scalar.values()) if (v !== 0) return false;
    return true;
  }

  /** The named resource's amount, in the unit upstream compares it in. */
  get(name: string): number {
    switch (name) {
      case RESOURCE_CPU:
        return this.milliCPU;
      case RESOURCE_MEMORY:
        return this.memory;
      case RESOURCE_EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case RESOURCE_PODS:
        return this.allowedPodNumber;
      default:
        return this.getScalar(name);
    }
  }
}

// pkg/scheduler/util/utils.go IsScalarResourceName: extended, hugepages, prefixed native
// (kubernetes.io/...) and attachable-volumes resources (pkg/apis/core/v1/helper/helpers.go).
export function isScalarResourceName(name: string): boolean {
  return isExtendedResourceName(name) || name.startsWith('hugepages-') || isPrefixedNativeResource(name) || name.startsWith('attachable-volumes-');
}

/** IsNativeResource: no domain, or a kubernetes.io/ domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

export function isPrefixedNativeResource(name: string): boolean {
  return name.includes('/') && isNativeResource(name);
}

export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}

const milliCache = new Map<string | number, number>();
const valueCache = new Map<string | number, number>();

/** Quantity.MilliValue() (rounded up), memoised: the same few strings recur on every pod. */
export function milliValue(q: string | number): number {
  let v = milliCache.get(q);
  if (v === undefined) {
    const r = parseQuantityValue(q);
    if (!r.ok) throw new Error(`invalid quantity ${JSON.stringify(q)}: ${r.message}`);
    v = r.quantity.milliValue();
    milliCache.set(q, v);
  }
  return v;
}

/** Quantity.Value() (rounded up), memoised. */
export function value(q: string | number): number {
  let v = valueCache.get(q);
  if (v === undefined) {
    const r = parseQuantityValue(q);
    if (!r.ok) throw new Error(`invalid quantity ${JSON.stringify(q)}: ${r.message}`);
    v = r.quantity.value();
    valueCache.set(q, v);
  }
  return v;
}

/**
 * PodRequests (component-helpers/resource/helpers.go, AggregateContainerRequests): the sum of
 * the app containers and restartable (sidecar) init containers, raised to the largest init
 * container (plus the sidecars started before it); then, with PodLevelResources (beta, on by
 * default since v1.34), the pod-level requests of the resources pods may set (cpu, memory,
 * hugepages-*) replace those sums (applyPodLevelResources); plus pod overhead. With `nonMissing`,
 * a container that omits its cpu or memory request counts as 100m / 200Mi (the scoring view).
 */
export function podRequests(pod: Pod, nonMissing = false): Resource {
  const reqs = new Resource();
  for (const c of pod.spec.containers ?? []) reqs.add(containerRequests(c.resources?.requests, nonMissing));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec.initContainers ?? []) {
    const cr = containerRequests(c.resources?.requests, nonMissing);
    if (c.restartPolicy === 'Always') {
      reqs.add(cr);
      sidecars.add(cr);
      initMax.setMax(sidecars);
    } else {
      cr.add(sidecars);
      initMax.setMax(cr);
    }
  }
  reqs.setMax(initMax);
  const podLevel = pod.spec.resources?.requests;
  if (podLevel !== undefined) applyPodLevelRequests(reqs, podLevel);
  if (pod.spec.overhead) reqs.addList(pod.spec.overhead);
  return reqs;
}

/** applyPodLevelResources: each supported pod-level request replaces the containers' sum. */
function applyPodLevelRequests(reqs: Resource, podLevel: ResourceList): void {
  for (const name of Object.keys(podLevel)) {
    if (!isSupportedPodLevelResource(name)) continue;
    const q = podLevel[name]!;
    if (name === RESOURCE_CPU) reqs.milliCPU = milliValue(q);
    else if (name === RESOURCE_MEMORY) reqs.memory = value(q);
    else reqs.setScalar(name, value(q));
  }
}

function containerRequests(requests: ResourceList | undefined, nonMissing: boolean): Resource {
  const r = Resource.fromList(requests);
  if (nonMissing) {
    if (requests?.[RESOURCE_CPU] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests?.[RESOURCE_MEMORY] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}
