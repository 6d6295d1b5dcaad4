// The LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go, on by default)
// and the defaulting of LimitRange objects (pkg/apis/core/v1/defaults.go
// SetDefaults_LimitRangeItem), as in v1.35.
//
// On a pod's create (not its updates, not a subresource write) every LimitRange of the pod's
// namespace first merges its Container-type `default` limits and `defaultRequest` requests into
// each container and init container that does not set them (the mutating phase, annotating the pod
// `kubernetes.io/limit-ranger`); then each LimitRange in turn checks its Container, Pod and their
// min / max / maxLimitRequestRatio (the validating phase): the first LimitRange with a violation
// makes the create Forbidden with all of that LimitRange's violations. A PersistentVolumeClaim's
// create and update are checked against PersistentVolumeClaim-type min and max of its storage
// request. Where upstream walks a Go map (a LimitRange's resource lists, the namespace's
// LimitRanges from the lister), kubedrill walks the object's own key order and creation order.
import { type Quantity, parseQuantityValue } from './quantity.js';
import { aggregateContainerResources, hasResource } from './resources.js';
import { AdmissionDenied, type AdmissionPlugin, type Store } from './store.js';
import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod, ResourceList } from './types.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

/** SetDefaults_LimitRangeItem: for a Container limit, `default` comes from `max` where unset, then
 *  `defaultRequest` from `default`, then from `min`. Other types are left alone. */
export function defaultLimitRangeItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== 'Container') return item;
  const def: ResourceList = { ...item.default };
  const defReq: ResourceList = { ...item.defaultRequest };
  for (const [k, v] of Object.entries(item.max ?? {})) if (!hasResource(def, k)) def[k] = v;
  for (const [k, v] of Object.entries(def)) if (!hasResource(defReq, k)) defReq[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {})) if (!hasResource(defReq, k)) defReq[k] = v;
  return { ...item, default: def, defaultRequest: defReq };
}

/** defaultContainerResourceRequirements: the Container items' defaultRequest (requests) and
 *  default (limits), a later item's value replacing an earlier one's. */
export function defaultContainerResourceRequirements(lr: LimitRange): { requests: ResourceList; limits: ResourceList } {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  for (const item of lr.spec.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest);
    Object.assign(limits, item.default);
  }
  return { requests, limits };
}

/** PodMutateLimitFunc (mergePodResourceRequirements): the defaults merged into every container
 *  and init container that does not set them; the pod is annotated with what was set. Returns
 *  the mutated copy. */
export function podMutateLimitFunc(lr: LimitRange, pod: Pod): Pod {
  const defaults = defaultContainerResourceRequirements(lr);
  const annotations: string[] = [];
  const containers = pod.spec.containers.map((c) => mergeContainerResources(c, defaults, 'container', annotations));
  const initContainers = pod.spec.initContainers?.map((c) => mergeContainerResources(c, defaults, 'init container', annotations));
  const spec = { ...pod.spec, containers };
  if (initContainers !== undefined) spec.initContainers = initContainers;
  const out: Pod = { ...pod, spec };
  if (annotations.length > 0) {
    out.metadata = { ...pod.metadata, annotations: { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${annotations.join('; ')}` } };
  }
  return out;
}

/** mergeContainerResources: the limits and requests the container lacks, from the defaults; adds
 *  "<names> request for <prefix> <name>" then "<names> limit for ..." (names sorted). */
function mergeContainerResources(c: Container, defaults: { requests: ResourceList; limits: ResourceList }, prefix: string, annotations: string[]): Container {
  const limits: ResourceList = { ...c.resources?.limits };
  const requests: ResourceList = { ...c.resources?.requests };
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) {
    if (hasResource(limits, k)) continue;
    limits[k] = v;
    setLimits.push(k);
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    if (hasResource(requests, k)) continue;
    requests[k] = v;
    setRequests.push(k);
  }
  if (setRequests.length > 0) annotations.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length > 0) annotations.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
  return { ...c, resources: { ...c.resources, requests, limits } };
}

/** PodValidateLimitFunc: every Container item's bounds on each container and init container, every
 *  Pod item's on the pod's aggregate requests and limits (podRequests / podLimits, pod-level
 *  cpu and memory replacing the containers' with PodLevelResources). The violations as Go's
 *  utilerrors.NewAggregate prints them, or undefined. */
export function podValidateLimitFunc(lr: LimitRange, pod: Pod): string | undefined {
  const errs: string[] = [];
  for (const item of lr.spec.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
        checkBounds(item, c.resources?.requests ?? {}, c.resources?.limits ?? {}, errs);
      }
    } else if (item.type === 'Pod') {
      checkBounds(item, podResources(pod, 'requests'), podResources(pod, 'limits'), errs);
    }
  }
  return aggregate(errs);
}

/** PersistentVolumeClaimValidateLimitFunc: a PersistentVolumeClaim item's min and max on the
 *  claim's requests (its limits are not user input). */
export function persistentVolumeClaimValidateLimitFunc(lr: LimitRange, pvc: PersistentVolumeClaim): string | undefined {
  const errs: string[] = [];
  const requests = pvc.spec.resources?.requests ?? {};
  for (const item of lr.spec.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(item.min ?? {})) pushError(errs, minConstraint(item.type, k, v, requests, {}));
    for (const [k, v] of Object.entries(item.max ?? {})) pushError(errs, maxRequestConstraint(item.type, k, v, requests));
  }
  return aggregate(errs);
}

/** The admission plugin: pods on create, claims on create and update; objects being deleted and
 *  subresource writes are left alone. */
export const limitRanger: AdmissionPlugin = (op, obj, old, store, subresource) => {
  if (subresource !== '') return obj;
  if (old?.metadata.deletionTimestamp !== undefined) return obj;
  if (obj.kind === 'Pod') {
    if (op !== 'CREATE') return obj;
    const ranges = limitRangesOf(store, obj.metadata.namespace);
    if (ranges.length === 0) return obj;
    let pod = obj;
    for (const lr of ranges) pod = podMutateLimitFunc(lr, pod);
    for (const lr of ranges) {
      const err = podValidateLimitFunc(lr, pod);
      if (err !== undefined) return new AdmissionDenied('Forbidden', `pods "${pod.metadata.name}" is forbidden: ${err}`);
    }
    return pod;
  }
  if (obj.kind === 'PersistentVolumeClaim') {
    for (const lr of limitRangesOf(store, obj.metadata.namespace)) {
      const err = persistentVolumeClaimValidateLimitFunc(lr, obj);
      if (err !== undefined) return new AdmissionDenied('Forbidden', `persistentvolumeclaims "${obj.metadata.name}" is forbidden: ${err}`);
    }
    return obj;
  }
  if (obj.kind === 'LimitRange') return { ...obj, spec: { ...obj.spec, limits: (obj.spec.limits ?? []).map(defaultLimitRangeItem) } };
  return obj;
};

function limitRangesOf(store: Store, namespace: string | undefined): LimitRange[] {
  const out: LimitRange[] = [];
  if (store.count('LimitRange') === 0) return out;
  for (const lr of store.list<LimitRange>('LimitRange')) if (lr.metadata.namespace === (namespace ?? 'default')) out.push(lr);
  return out;
}

function checkBounds(item: LimitRangeItem, requests: ResourceList, limits: ResourceList, errs: string[]): void {
  for (const [k, v] of Object.entries(item.min ?? {})) pushError(errs, minConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of Object.entries(item.max ?? {})) pushError(errs, maxConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) pushError(errs, limitRequestRatioConstraint(item.type, k, v, requests, limits));
}

function pushError(errs: string[], err: string | undefined): void {
  if (err !== undefined) errs.push(err);
}

/** utilerrors.NewAggregate(errs).Error(): one message as is; several (duplicates dropped) as
 *  "[a, b]". */
function aggregate(errs: readonly string[]): string | undefined {
  if (errs.length === 0) return undefined;
  const seen = [...new Set(errs)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/** A quantity of a list (undefined when absent or not a quantity). */
function quantityOf(list: ResourceList, name: string): Quantity | undefined {
  if (!hasResource(list, name)) return undefined;
  const r = parseQuantityValue(list[name]);
  return r.ok ? r.quantity : undefined;
}

function q(v: string | number): Quantity | undefined {
  const r = parseQuantityValue(v);
  return r.ok ? r.quantity : undefined;
}

// The constraints compare at milli precision (requestLimitEnforcedValues) — exactly, here: the two
// differ only for quantities beyond 2^63/1000.

/** minConstraint. */
function minConstraint(type: string, name: string, enforcedRaw: string | number, requests: ResourceList, limits: ResourceList): string | undefined {
  const enforced = q(enforcedRaw);
  if (enforced === undefined) return undefined;
  const req = quantityOf(requests, name);
  const lim = quantityOf(limits, name);
  if (req === undefined) return `minimum ${name} usage per ${type} is ${enforced.toString()}.  No request is specified`;
  if (req.cmp(enforced) < 0) return `minimum ${name} usage per ${type} is ${enforced.toString()}, but request is ${req.toString()}`;
  if (lim !== undefined && lim.cmp(enforced) < 0) return `minimum ${name} usage per ${type} is ${enforced.toString()}, but limit is ${lim.toString()}`;
  return undefined;
}

/** maxRequestConstraint: for claims, whose limits are not user input. */
function maxRequestConstraint(type: string, name: string, enforcedRaw: string | number, requests: ResourceList): string | undefined {
  const enforced = q(enforcedRaw);
  if (enforced === undefined) return undefined;
  const req = quantityOf(requests, name);
  if (req === undefined) return `maximum ${name} usage per ${type} is ${enforced.toString()}.  No request is specified`;
  if (req.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced.toString()}, but request is ${req.toString()}`;
  return undefined;
}

/** maxConstraint. */
function maxConstraint(type: string, name: string, enforcedRaw: string | number, requests: ResourceList, limits: ResourceList): string | undefined {
  const enforced = q(enforcedRaw);
  if (enforced === undefined) return undefined;
  const req = quantityOf(requests, name);
  const lim = quantityOf(limits, name);
  if (lim === undefined) return `maximum ${name} usage per ${type} is ${enforced.toString()}.  No limit is specified`;
  if (lim.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced.toString()}, but limit is ${lim.toString()}`;
  if (req !== undefined && req.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced.toString()}, but request is ${req.toString()}`;
  return undefined;
}

/** limitRequestRatioConstraint: limit / request at most the enforced ratio (the observed ratio
 *  printed with Go's %f). */
function limitRequestRatioConstraint(type: string, name: string, enforcedRaw: string | number, requests: ResourceList, limits: ResourceList): string | undefined {
  const enforced = q(enforcedRaw);
  if (enforced === undefined) return undefined;
  const req = quantityOf(requests, name);
  const lim = quantityOf(limits, name);
  if (req === undefined || req.isZero()) return `${name} max limit to request ratio per ${type} is ${enforced.toString()}, but no request is specified or request is 0`;
  if (lim === undefined || lim.isZero()) return `${name} max limit to request ratio per ${type} is ${enforced.toString()}, but no limit is specified or limit is 0`;
  // requestLimitEnforcedValues: milli-values when all three fit, else values.
  const values = integerValues([lim, req, enforced], -3) ?? integerValues([lim, req, enforced], 0);
  if (values === undefined) return undefined; // beyond 2^53 even as values: not checked
  const [limV, reqV, enforcedV] = values as [number, number, number];
  const observed = limV / reqV;
  // The ratio is compared ×1000 against the milli-value when the enforced value fits as one.
  const milliEnforced = integerValues([enforced], -3)?.[0];
  const exceeded = milliEnforced !== undefined ? observed * 1000 > milliEnforced : observed > enforcedV;
  if (exceeded) return `${name} max limit to request ratio per ${type} is ${enforced.toString()}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/** The quantities' values at a scale (-3: milli-values), when every one is a safe integer there. */
function integerValues(qs: readonly Quantity[], scale: number): number[] | undefined {
  try {
    return qs.map((x) => x.scaledValue(scale));
  } catch {
    return undefined;
  }
}

/** podRequests / podLimits of limitranger/admission.go: the containers' aggregate
 *  (AggregateContainerRequests / Limits); with PodLevelResources, the pod-level cpu and memory
 *  replace it. */
function podResources(pod: Pod, which: 'requests' | 'limits'): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of aggregateContainerResources(pod.spec, which)) out[k] = v.toString();
  const podLevel = pod.spec.resources?.[which];
  for (const k of Object.keys(podLevel ?? {})) if (k === 'cpu' || k === 'memory') out[k] = podLevel![k]!;
  return out;
}

