// The Deployment controller: one ReplicaSet per pod template, rolled out by RollingUpdate
// (maxSurge / maxUnavailable) or Recreate, scaled proportionally when replicas change mid-rollout,
// old ReplicaSets beyond revisionHistoryLimit cleaned up once they are empty.
// Follows (v1.35) pkg/controller/deployment/deployment_controller.go (syncDeployment, the
// ReplicaSet and Pod handlers, getReplicaSetsForDeployment, getPodMapForDeployment), sync.go
// (sync, getNewReplicaSet, scale, scaleReplicaSet, cleanupDeployment, calculateStatus),
// rolling.go, recreate.go, util/deployment_util.go and pkg/controller/controller_utils.go
// (ComputeHash, ReplicaSetsByCreationTimestamp / BySizeOlder / BySizeNewer).
// Status conditions as sync.go calculateStatus (Available), getNewReplicaSet and progress.go
// syncRolloutStatus (Progressing, with progressDeadlineSeconds and requeueStuckDeployment; the
// ReplicaSets' ReplicaFailure) and deployment_controller.go checkPausedConditions set them.
// Not modelled (the types carry no such fields): rollbackTo, terminatingReplicas and the alpha
// podReplacementPolicy. Reads go to the store, so the resourceVersion conflicts upstream runs into
// when it writes from a stale cache (and retries) do not happen here.
import type { EventRecorder } from '../api/events.js';
import { labelSelectorAsSelector } from '../api/selector.js';
import type { LabelSelector } from '../api/selector.js';
import { type Store, type WatchEvent, jsonExact } from '../api/store.js';
import { controllerRef, type Deployment, type DeploymentCondition, type OwnerReference, type Pod, type PodTemplateSpec, type ReplicaSet, type ReplicaSetCondition, sameControllerRef, sameLabels } from '../api/types.js';
import type { Simulation } from '../engine/sim.js';
import { apiTimeMs, newControllerRef, PodsByController, replicasOf, splitKey } from './replicaset.js';
import { type ReconcileResult, WorkQueue } from './workqueue.js';

export const COMPONENT = 'deployment-controller';
/** apps.DefaultDeploymentUniqueLabelKey. */
export const HASH_LABEL = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** deployment_controller.go maxRevHistoryLengthInChars. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
/** Annotations never copied from a Deployment to its ReplicaSets (annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);
const MAX_INT32 = 2147483647;

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

// ---- maxSurge / maxUnavailable (intstr, ResolveFenceposts) ---------------------------------------

/** intstr.GetScaledValueFromIntOrPercent: an int, or "N%" of total rounded up or down. */
export function getScaledValueFromIntOrPercent(value: number | string, total: number, roundUp: boolean): Result<number> {
  if (typeof value === 'number') return ok(value);
  if (!value.endsWith('%')) return fail('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(digits)) return fail(`invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${digits}": invalid syntax`);
  const scaled = (Number(digits) * total) / 100;
  return ok(roundUp ? Math.ceil(scaled) : Math.floor(scaled));
}

/** deploymentutil.ResolveFenceposts: surge rounds up, unavailable down; both 0 → unavailable 1. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): Result<{ surge: number; unavailable: number }> {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  if (!surge.ok) return surge;
  const unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (!unavailable.ok) return unavailable;
  // Rounding down may resolve maxUnavailable to 0 (validation forbids both 0 explicitly); then
  // allow one unavailable pod, on the theory that surge might not work due to quota.
  return ok({ surge: surge.value, unavailable: surge.value === 0 && unavailable.value === 0 ? 1 : unavailable.value });
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === 'RollingUpdate';
}

/** deploymentutil.MaxSurge (a bad value was caught by validation upstream: 0 here). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const f = resolveFenceposts(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.strategy?.rollingUpdate?.maxUnavailable, replicasOf(d));
  return f.ok ? f.value.surge : 0;
}

/** deploymentutil.MaxUnavailable: never more than replicas. */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  const f = resolveFenceposts(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.strategy?.rollingUpdate?.maxUnavailable, replicasOf(d));
  return Math.min(f.ok ? f.value.unavailable : 0, replicasOf(d));
}

/** deploymentutil.MinAvailable. */
export function minAvailable(d: Deployment): number {
  return isRollingUpdate(d) ? replicasOf(d) - maxUnavailable(d) : 0;
}

// ---- pod-template-hash ---------------------------------------------------------------------------

/** canonicalJson(a) === canonicalJson(b), without the texts where the values are JSON-exact (a
 *  string, a boolean, a finite number or null: a status of counts) or plain objects and arrays of
 *  such (its conditions). */
export function sameRecord(a: object, b: object): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let n = 0;
  for (const k of Object.keys(ra)) {
    const x = ra[k];
    if (x === undefined) continue;
    const y = rb[k];
    const same = sameJsonValue(x, y);
    if (same === undefined) return canonicalJson(a) === canonicalJson(b);
    if (!same) return false;
    n++;
  }
  for (const k of Object.keys(rb)) if (rb[k] !== undefined) n--;
  return n === 0;
}

/** Whether two values have the same canonical JSON, when that is plain to see; else undefined. */
function sameJsonValue(x: unknown, y: unknown): boolean | undefined {
  if (jsonExact(x) && (y === undefined || jsonExact(y))) return x === y;
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x === y) return true;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const same = x[i] === undefined || y[i] === undefined ? undefined : sameJsonValue(x[i], y[i]);
      if (same !== true) return same;
    }
    return true;
  }
  if (isPlainObject(x) && isPlainObject(y)) return x === y || sameRecord(x, y);
  return undefined;
}

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** JSON with object keys sorted and undefined members dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** 32-bit FNV-1a (hash/fnv New32a). */
export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** rand.SafeEncodeString: each character mapped into the vowel-free alphabet by its code. */
export function safeEncodeString(s: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (const ch of s) out += alphabet[ch.codePointAt(0)! % alphabet.length];
  return out;
}

/**
 * controller.ComputeHash: FNV-1a over the template, then collisionCount as 8 little-endian bytes,
 * printed in decimal and safe-encoded. Upstream hashes a spew dump of the Go struct; this hashes
 * the canonical JSON of the template, so the suffix has the same shape but differs from a real
 * cluster's for the same template.
 */
export function computeHash(template: PodTemplateSpec, collisionCount: number | undefined): string {
  let h = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(bytes, h);
  }
  return safeEncodeString(String(h));
}

function withoutHashLabel(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[HASH_LABEL];
  const annotations = t.metadata?.annotations;
  const metadata = {
    ...(t.metadata ?? {}),
    labels: Object.keys(labels).length > 0 ? labels : undefined,
    annotations: annotations && Object.keys(annotations).length > 0 ? annotations : undefined,
  };
  return { ...t, metadata };
}

/** deploymentutil.EqualIgnoreHash: templates equal but for the pod-template-hash label (an empty
 *  map counts as none, as apiequality.Semantic does). */
export function equalIgnoreHash(t1: PodTemplateSpec, t2: PodTemplateSpec): boolean {
  return t1 === t2 || canonicalWithoutHash(t1) === canonicalWithoutHash(t2);
}

/** canonicalJson(withoutHashLabel(t)), kept per template object: stored objects are replaced on
 *  every write, never changed in place, so one template's text never changes (and a deployment
 *  compares its template with every ReplicaSet's on each sync). */
const canonicalTemplates = new WeakMap<PodTemplateSpec, string>();

function canonicalWithoutHash(t: PodTemplateSpec): string {
  if (typeof t !== 'object' || t === null) return canonicalJson(withoutHashLabel(t));
  let text = canonicalTemplates.get(t);
  if (text === undefined) canonicalTemplates.set(t, (text = canonicalJson(withoutHashLabel(t))));
  return text;
}

// ---- ReplicaSet lists --------------------------------------------------------------------------

/** controller.ReplicaSetsByCreationTimestamp (second precision, then name). */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const ta = apiTimeMs(a.metadata.creationTimestamp) ?? -Infinity;
  const tb = apiTimeMs(b.metadata.creationTimestamp) ?? -Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** controller.ReplicaSetsBySizeOlder: larger first, older first on a tie. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(a) !== replicasOf(b) ? replicasOf(b) - replicasOf(a) : byCreationTimestamp(a, b);
}

/** controller.ReplicaSetsBySizeNewer: larger first, newer first on a tie. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(a) !== replicasOf(b) ? replicasOf(b) - replicasOf(a) : byCreationTimestamp(b, a);
}

/** deploymentutil.Revision: 0 without the annotation, undefined if it is not an int64. */
export function revisionOf(rs: ReplicaSet): number | undefined {
  const v = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : undefined;
}

/** deploymentutil.ReplicaSetsByRevision: by revision, by creation when either fails to parse. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

/** deploymentutil.MaxRevision (unparseable revisions skipped). */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, revisionOf(rs) ?? 0);
  return max;
}

export function filterActiveReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && replicasOf(rs) > 0);
}

/** deploymentutil.FindNewReplicaSet: the oldest ReplicaSet whose template matches. */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** deploymentutil.FindOldReplicaSets: the non-new ReplicaSets, and those of them with replicas. */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { required: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const all = rsList.filter((rs) => newRS === undefined || rs.metadata.uid !== newRS.metadata.uid);
  return { required: all.filter((rs) => replicasOf(rs) !== 0), all };
}

/** deploymentutil.FindActiveOrLatest: the only active ReplicaSet, or the newest if none is. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

// ---- annotations ---------------------------------------------------------------------------------

/** getNonNegativeInt32FromAnnotation: strconv.ParseUint(v, 10, 32), at most MaxInt32. */
export function getNonNegativeInt32FromAnnotation(rs: ReplicaSet, key: string): { value: number; valid: boolean; error?: string } {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return { value: 0, valid: false };
  if (!/^[0-9]+$/.test(v)) return { value: 0, valid: false, error: `strconv.ParseUint: parsing "${v}": invalid syntax` };
  const n = Number(v);
  if (n > 0xffffffff) return { value: 0, valid: false, error: `strconv.ParseUint: parsing "${v}": value out of range` };
  if (n > MAX_INT32) return { value: 0, valid: false, error: `value ${n} is out of range (higher than ${MAX_INT32})` };
  return { value: n, valid: true };
}

/** deploymentutil.SetReplicasAnnotations on an annotation map; true if it changed. */
export function setReplicasAnnotations(annotations: Record<string, string>, desired: number, max: number): boolean {
  let updated = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    updated = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    updated = true;
  }
  return updated;
}

/** deploymentutil.ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return a === undefined || a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

function copyDeploymentAnnotations(d: Deployment, annotations: Record<string, string>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** The revision-history annotation keeps old revisions, dropping the oldest past the limit. */
function appendRevisionHistory(annotations: Record<string, string>, oldRevision: string, limitInChars: number): void {
  const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  const oldRevisions = history.split(',');
  if (oldRevisions[0]!.length === 0) {
    annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    return;
  }
  let totalLen = history.length + oldRevision.length + 1;
  let start = 0;
  while (totalLen > limitInChars && start < oldRevisions.length) totalLen -= oldRevisions[start++]!.length + 1;
  if (totalLen <= limitInChars) annotations[REVISION_HISTORY_ANNOTATION] = [...oldRevisions.slice(start), oldRevision].join(',');
}

/** deploymentutil.SetNewReplicaSetAnnotations on the new ReplicaSet's annotation map. */
export function setNewReplicaSetAnnotations(d: Deployment, annotations: Record<string, string>, newRevision: string, exists: boolean, limitInChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotations(d, annotations);
  const oldRevision = annotations[REVISION_ANNOTATION];
  const isInt = (s: string) => /^[+-]?[0-9]+$/.test(s);
  if (oldRevision !== undefined && oldRevision !== '' && !isInt(oldRevision)) return false;
  if (!isInt(newRevision)) return false;
  const older = Number(oldRevision || '0') < Number(newRevision);
  if (older) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  // A ReplicaSet that already had a revision and gets a newer one is a rollback to it.
  if (oldRevision !== undefined && older) appendRevisionHistory(annotations, oldRevision, limitInChars);
  if (!exists && setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

// ---- counts and status ---------------------------------------------------------------------------

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number) => rss.reduce((n, rs) => n + (rs === undefined ? 0 : f(rs)), 0);
/** GetReplicaCountForReplicaSets: spec.replicas summed. */
export const replicaCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, replicasOf);
/** GetActualReplicaCountForReplicaSets: status.replicas summed. */
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/** deploymentutil.NewRSNewReplicas: how far the new ReplicaSet may scale up now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): Result<number> {
  if (d.spec.strategy?.type === 'Recreate') return ok(replicasOf(d));
  if (!isRollingUpdate(d)) return fail(`deployment type ${d.spec.strategy?.type} isn't supported`);
  const surge = getScaledValueFromIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, replicasOf(d), true);
  if (!surge.ok) return surge;
  const maxTotalPods = replicasOf(d) + surge.value;
  const currentPodCount = replicaCount(allRSs);
  if (currentPodCount >= maxTotalPods) return ok(replicasOf(newRS));
  const scaleUpCount = Math.min(maxTotalPods - currentPodCount, replicasOf(d) - replicasOf(newRS));
  return ok(replicasOf(newRS) + scaleUpCount);
}

/** deploymentutil.IsSaturated: the new ReplicaSet has all replicas, all of them available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const desired = getNonNegativeInt32FromAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  if (!desired.valid) return false;
  return replicasOf(rs) === replicasOf(d) && desired.value === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** integer.RoundToInt32: half away from zero. */
function roundToInt32(x: number): number {
  return x < 0 ? Math.trunc(x - 0.5) : Math.trunc(x + 0.5);
}

/** deploymentutil.getReplicaSetFraction: this ReplicaSet's share of a resize, by the
 *  max-replicas annotation (or status.replicas when that is missing or 0). */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentMaxReplicas = replicasOf(d) + maxSurge(d);
  const annotated = getNonNegativeInt32FromAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  let before = annotated.valid ? annotated.value : 0;
  if (before === 0) before = d.status?.replicas ?? 0;
  if (before === 0) return 0;
  return roundToInt32((replicasOf(rs) * deploymentMaxReplicas) / before) - replicasOf(rs);
}

/** deploymentutil.GetReplicaSetProportion: the fraction, bounded by what is left to add. */
export function getReplicaSetProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (rs === undefined || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** deploymentutil.DeploymentComplete. */
export function deploymentComplete(d: Deployment, status: Deployment['status']): boolean {
  const want = replicasOf(d);
  return (status.updatedReplicas ?? 0) === want && (status.replicas ?? 0) === want && (status.availableReplicas ?? 0) === want && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** deploymentutil.SetDeploymentRevision: the Deployment with that revision annotation, or
 *  undefined when it has it already. */
function withRevision(d: Deployment, revision: string): Deployment | undefined {
  if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return undefined;
  const annotations = { ...(d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
  return { ...d, metadata: { ...d.metadata, annotations } };
}

/** sync.go calculateStatus: the counts, the conditions carried over, and Available —
 *  MinimumReplicasAvailable once at least replicas − maxUnavailable are available. */
export function calculateDeploymentStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): Deployment['status'] {
  const available = availableReplicaCount(allRSs);
  let status: Deployment['status'] = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions !== undefined ? { conditions: d.status.conditions } : {}),
  };
  const condition =
    available >= replicasOf(d) - maxUnavailable(d)
      ? newDeploymentCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs)
      : newDeploymentCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs);
  status = setDeploymentCondition(status, condition);
  return status;
}

// ---- conditions (util/deployment_util.go, progress.go) ------------------------------------------

// deploymentutil's condition reasons.
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';
/** math.MaxInt32: a progressDeadlineSeconds that means no deadline. */
const NO_DEADLINE = 2147483647;

/** NewDeploymentCondition: both times now. */
export function newDeploymentCondition(type: DeploymentCondition['type'], status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  return { type, status, lastUpdateTime: nowMs, lastTransitionTime: nowMs, reason, message };
}

/** GetDeploymentCondition. */
export function getDeploymentCondition(status: Deployment['status'] | undefined, type: DeploymentCondition['type']): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: nothing changes when the current condition of that type has the same
 *  status and reason; a same status keeps its lastTransitionTime; the condition goes last. */
export function setDeploymentCondition(status: Deployment['status'], condition: DeploymentCondition): Deployment['status'] {
  const current = getDeploymentCondition(status, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return status;
  const next = current !== undefined && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  return { ...status, conditions: [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next] };
}

/** RemoveDeploymentCondition. */
export function removeDeploymentCondition(status: Deployment['status'], type: DeploymentCondition['type']): Deployment['status'] {
  if (getDeploymentCondition(status, type) === undefined) return status;
  const rest = status.conditions!.filter((c) => c.type !== type);
  const { conditions: _dropped, ...out } = status;
  return rest.length === 0 ? out : { ...out, conditions: rest };
}

/** HasProgressDeadline: set, and not math.MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  return d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== NO_DEADLINE;
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than the
 *  Deployment's current status says. */
export function deploymentProgressing(d: Deployment, newStatus: Deployment['status']): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
  return (
    (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition last updated more than progressDeadlineSeconds
 *  ago (read, as upstream reads it from the API, at second precision). */
export function deploymentTimedOut(d: Deployment, newStatus: Deployment['status'], nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(newStatus, 'Progressing');
  if (condition === undefined) return false;
  if (condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  const from = apiTimeMs(condition.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds! * 1000 < nowMs;
}

/** ReplicaSetToDeploymentCondition. */
function replicaSetToDeploymentCondition(c: ReplicaSetCondition): DeploymentCondition {
  return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else the others'. */
function replicaFailures(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined) => (rs?.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(replicaSetToDeploymentCondition);
  const own = of(newRS);
  if (own.length > 0) return own;
  return allRSs.flatMap(of);
}

/**
 * progress.go syncRolloutStatus, the status it writes: calculateStatus, then (with a progress
 * deadline, and unless the rollout is already reported complete) Progressing — True
 * NewReplicaSetAvailable once complete, True ReplicaSetUpdated (keeping its transition time) on
 * any progress, False ProgressDeadlineExceeded once timed out — then the ReplicaSets'
 * ReplicaFailure carried over (or removed).
 */
export function syncRolloutStatusOf(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): Deployment['status'] {
  let status = calculateDeploymentStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) status = removeDeploymentCondition(status, 'Progressing');
  const current = getDeploymentCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current !== undefined && current.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS !== undefined ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      status = setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, status)) {
      let condition = newDeploymentCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, nowMs);
      if (current !== undefined) {
        if (current.status === 'True') condition = { ...condition, lastTransitionTime: current.lastTransitionTime };
        status = removeDeploymentCondition(status, 'Progressing');
      }
      status = setDeploymentCondition(status, condition);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      status = setDeploymentCondition(status, newDeploymentCondition('Progressing', 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, nowMs));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  status = failures.length > 0 ? setDeploymentCondition(status, failures[0]!) : removeDeploymentCondition(status, 'ReplicaFailure');
  return status;
}

/**
 * progress.go requeueStuckDeployment, for a status that did not change: -1 when there is nothing
 * to wait for (no deadline, no Progressing condition, complete, or already timed out); 0 when the
 * deadline is less than a second away (a rate-limited requeue now); else the time left before
 * the deadline (the Deployment is queued a second after it).
 */
export function requeueStuckDeploymentAfter(d: Deployment, newStatus: Deployment['status'], nowMs: number): number {
  const current = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || current === undefined) return -1;
  if (deploymentComplete(d, newStatus) || current.reason === TIMED_OUT_REASON) return -1;
  const after = (apiTimeMs(current.lastUpdateTime) ?? 0) + d.spec.progressDeadlineSeconds! * 1000 - nowMs;
  return after < 1000 ? 0 : after;
}

// ---- scaling decisions (rolling.go, recreate.go, sync.go scale) ---------------------------------

/** What scaleReplicaSet reports: whether the size changed, and the ReplicaSet as written. */
export type ScaleResult = { ok: true; scaled: boolean; rs: ReplicaSet } | { ok: false; error: string };
/** sync.go scaleReplicaSet: sets the size (and the replicas annotations), records the event. */
export type Scaler = (rs: ReplicaSet, newScale: number) => ScaleResult;

/** scaleReplicaSetAndRecordEvent: nothing to do when the size is already right. */
export function scaleAndRecord(scale: Scaler, rs: ReplicaSet, newScale: number): ScaleResult {
  return replicasOf(rs) === newScale ? { ok: true, scaled: false, rs } : scale(rs, newScale);
}

/** rolling.go reconcileNewReplicaSet: whether the new ReplicaSet was scaled. */
export function reconcileNewReplicaSet(allRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment, scale: Scaler): Result<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return ok(false);
  let target = replicasOf(d);
  if (replicasOf(newRS) < replicasOf(d)) {
    const n = newRSNewReplicas(d, allRSs, newRS);
    if (!n.ok) return n;
    target = n.value;
  }
  const r = scaleAndRecord(scale, newRS, target);
  return r.ok ? ok(r.scaled) : fail(r.error);
}

/** rolling.go cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable pods. */
export function cleanupUnhealthyReplicas(oldRSs: readonly ReplicaSet[], maxCleanupCount: number, scale: Scaler): Result<{ oldRSs: ReplicaSet[]; cleaned: number }> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < sorted.length && total < maxCleanupCount; i++) {
    const rs = sorted[i]!;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy === 0) continue;
    const count = Math.min(maxCleanupCount - total, unhealthy);
    if (count < 0) return fail(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicasOf(rs)} -> ${replicasOf(rs) - count}`);
    const r = scaleAndRecord(scale, rs, replicasOf(rs) - count);
    if (!r.ok) return r;
    total += count;
    sorted[i] = r.rs;
  }
  return ok({ oldRSs: sorted, cleaned: total });
}

/** rolling.go scaleDownOldReplicaSetsForRollingUpdate: down to minAvailable, oldest first. */
export function scaleDownOldReplicaSetsForRollingUpdate(allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], d: Deployment, scale: Scaler): Result<number> {
  const minAvail = replicasOf(d) - maxUnavailable(d);
  const availablePodCount = availableReplicaCount(allRSs);
  if (availablePodCount <= minAvail) return ok(0);
  const totalScaleDownCount = availablePodCount - minAvail;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= totalScaleDownCount) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), totalScaleDownCount - total);
    const r = scaleAndRecord(scale, rs, replicasOf(rs) - count);
    if (!r.ok) return r;
    total += count;
  }
  return ok(total);
}

/**
 * rolling.go reconcileOldReplicaSets: scale old ReplicaSets down as far as
 * allPods − minAvailable − (new ReplicaSet's unavailable pods) allows, unhealthy pods first.
 * Upstream swallows errors from the two scale-down steps (it reports "not scaled").
 */
export function reconcileOldReplicaSets(allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], newRS: ReplicaSet, d: Deployment, scale: Scaler): boolean {
  if (replicaCount(oldRSs) === 0) return false;
  const minAvail = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(allRSs) - minAvail - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(oldRSs, maxScaledDown, scale);
  if (!cleaned.ok) return false;
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate([...cleaned.value.oldRSs, newRS], cleaned.value.oldRSs, d, scale);
  if (!scaledDown.ok) return false;
  return cleaned.value.cleaned + scaledDown.value > 0;
}

/** Proportional sizes for a rolling Deployment resized mid-rollout (sync.go scale, last case). */
function proportionalSizes(d: Deployment, active: ReplicaSet[]): Map<ReplicaSet, number> {
  const allowedSize = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(active);
  // Larger ReplicaSets first; on a tie newer ones grow first and older ones shrink first.
  if (toAdd > 0) active.sort(bySizeNewer);
  else if (toAdd < 0) active.sort(bySizeOlder);
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of active) {
    const proportion = toAdd === 0 ? 0 : getReplicaSetProportion(rs, d, toAdd, added);
    sizes.set(rs, replicasOf(rs) + proportion);
    added += proportion;
  }
  if (toAdd !== 0 && active.length > 0) sizes.set(active[0]!, Math.max(0, sizes.get(active[0]!)! + toAdd - added));
  return sizes;
}

/** sync.go scale: one active ReplicaSet takes the whole size; a saturated new ReplicaSet empties
 *  the old ones; otherwise a rolling Deployment's ReplicaSets are resized proportionally. */
export function scaleDeployment(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], scale: Scaler): string | undefined {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest !== undefined) {
    const r = scaleAndRecord(scale, activeOrLatest, replicasOf(d));
    return r.ok ? undefined : r.error;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) {
      const r = scaleAndRecord(scale, old, 0);
      if (!r.ok) return r.error;
    }
    return undefined;
  }
  if (!isRollingUpdate(d)) return undefined;
  for (const [rs, size] of proportionalSizes(d, filterActiveReplicaSets([...oldRSs, newRS]))) {
    const r = scale(rs, size);
    if (!r.ok) return r.error;
  }
  return undefined;
}

/** recreate.go oldPodsRunning: old ReplicaSets report pods, or a non-terminal pod is not new. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== undefined && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')) return true;
  }
  return false;
}

// ---- the controller ------------------------------------------------------------------------------

/** The Deployment a sync works on; replaced by each write so later writes start from it. */
interface Run {
  d: Deployment;
}

function objectKeyOf(obj: { metadata: { namespace?: string; name: string } }): string {
  return `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
}

function selectsEverything(selector: LabelSelector | undefined): boolean {
  return selector !== undefined && selector.matchLabels === undefined && selector.matchExpressions === undefined;
}

function addToSelector(selector: LabelSelector, key: string, value: string): LabelSelector {
  return { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), [key]: value } };
}

export class DeploymentController {
  private readonly queue: WorkQueue;
  private pods: PodsByController | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly store: Store,
    private readonly events: EventRecorder,
  ) {
    this.queue = new WorkQueue(sim, COMPONENT, (key) => this.syncDeployment(key));
  }

  start(): void {
    this.pods = new PodsByController(this.store);
    this.store.watch<Deployment>('Deployment', COMPONENT, (ev) => this.queue.add(objectKeyOf(ev.object)));
    this.store.watch<ReplicaSet>('ReplicaSet', COMPONENT, (ev) => this.onReplicaSet(ev));
    this.store.watch<Pod>('Pod', COMPONENT, (ev) => {
      if (ev.type === 'DELETED') this.onPodDeleted(ev.object);
    });
    for (const d of this.store.list<Deployment>('Deployment')) this.queue.add(objectKeyOf(d));
  }

  // ---- event handlers ----

  private onReplicaSet(ev: WatchEvent<ReplicaSet>): void {
    const rs = ev.object;
    if (ev.type !== 'MODIFIED') {
      if (controllerRef(rs) !== undefined) this.enqueueOwner(rs);
      else if (ev.type === 'ADDED') this.enqueueMatching(rs);
      return;
    }
    const old = ev.old!;
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const curRef = controllerRef(rs);
    const oldRef = controllerRef(old);
    const refChanged = !sameControllerRef(curRef, oldRef);
    if (refChanged && oldRef !== undefined) this.enqueueOwner(old);
    if (curRef !== undefined) this.enqueueOwner(rs);
    else if (refChanged || !sameLabels(old.metadata.labels, rs.metadata.labels)) this.enqueueMatching(rs);
  }

  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference | undefined): Deployment | undefined {
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const d = this.store.get<Deployment>('Deployment', namespace, ref.name);
    return d !== undefined && d.metadata.uid === ref.uid ? d : undefined;
  }

  private enqueueOwner(rs: ReplicaSet): void {
    const d = this.resolveControllerRef(rs.metadata.namespace, controllerRef(rs));
    if (d !== undefined) this.queue.add(objectKeyOf(d));
  }

  /** getDeploymentsForReplicaSet: every Deployment in the namespace selecting the orphan. */
  private enqueueMatching(rs: ReplicaSet): void {
    if (Object.keys(rs.metadata.labels ?? {}).length === 0) return;
    for (const d of this.store.list<Deployment>('Deployment')) {
      if (d.metadata.namespace !== rs.metadata.namespace) continue;
      const parsed = labelSelectorAsSelector(d.spec.selector);
      if (parsed.ok && !parsed.selector.empty() && parsed.selector.matches(rs.metadata.labels)) this.queue.add(objectKeyOf(d));
    }
  }

  /** deletePod: a Recreate Deployment is synced once it has no pods left. */
  private onPodDeleted(pod: Pod): void {
    const ref = controllerRef(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return;
    const rs = this.store.get<ReplicaSet>('ReplicaSet', pod.metadata.namespace, ref.name);
    if (rs === undefined || rs.metadata.uid !== ref.uid) return;
    const d = this.resolveControllerRef(rs.metadata.namespace, controllerRef(rs));
    if (d === undefined || d.spec.strategy?.type !== 'Recreate') return;
    const owned = this.store.list<ReplicaSet>('ReplicaSet');
    const rsList = [...owned].filter((r) => r.metadata.namespace === d.metadata.namespace && controllerRef(r)?.uid === d.metadata.uid);
    let numPods = 0;
    for (const pods of this.podMap(d, rsList).values()) numPods += pods.length;
    if (numPods === 0) this.queue.add(objectKeyOf(d));
  }

  // ---- syncDeployment ----

  private syncDeployment(key: string): ReconcileResult {
    const [namespace, name] = splitKey(key);
    const found = this.store.get<Deployment>('Deployment', namespace, name);
    if (found === undefined) return 'done';
    const run: Run = { d: found };
    if (selectsEverything(found.spec.selector)) return this.selectingAll(run);
    const rsList = this.claimReplicaSets(run);
    const error = rsList.ok ? this.dispatch(run, rsList.value) : rsList.error;
    return error === undefined ? 'done' : 'retry';
  }

  private dispatch(run: Run, rsList: ReplicaSet[]): string | undefined {
    if (run.d.metadata.deletionTimestamp !== undefined) return this.syncStatusOnly(run, rsList);
    const pausedError = this.checkPausedConditions(run);
    if (pausedError !== undefined) return pausedError;
    if (run.d.spec.paused) return this.sync(run, rsList);
    const scaling = this.isScalingEvent(run, rsList);
    if (!scaling.ok) return scaling.error;
    if (scaling.value) return this.sync(run, rsList);
    const type = run.d.spec.strategy?.type;
    if (type === 'Recreate') return this.rolloutRecreate(run, rsList);
    if (type === 'RollingUpdate') return this.rolloutRolling(run, rsList);
    return `unexpected deployment strategy type: ${type}`;
  }

  /** An empty selector would select every pod: refuse, but say the generation was seen. */
  private selectingAll(run: Run): ReconcileResult {
    this.events.record(run.d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', COMPONENT);
    const generation = run.d.metadata.generation ?? 0;
    if ((run.d.status?.observedGeneration ?? 0) < generation) this.writeDeployment(run, { ...run.d, status: { ...run.d.status, observedGeneration: generation } });
    return 'done';
  }

  /** getReplicaSetsForDeployment / ClaimReplicaSets: owned matches, adopted orphans; owned
   *  ReplicaSets that stopped matching are released. */
  private claimReplicaSets(run: Run): Result<ReplicaSet[]> {
    const d = run.d;
    const parsed = labelSelectorAsSelector(d.spec.selector);
    if (!parsed.ok) return fail(`deployment ${objectKeyOf(d)} has invalid label selector: ${parsed.message}`);
    const claimed: ReplicaSet[] = [];
    let error: string | undefined;
    for (const rs of [...this.store.list<ReplicaSet>('ReplicaSet')]) {
      if (rs.metadata.namespace !== d.metadata.namespace) continue;
      const ref = controllerRef(rs);
      const matches = parsed.selector.matches(rs.metadata.labels);
      if (ref !== undefined && ref.uid !== d.metadata.uid) continue;
      if (ref !== undefined && matches) claimed.push(rs);
      else if (ref !== undefined) error ??= this.patchOwnerRefs(rs, d, false).error;
      else if (matches && rs.metadata.deletionTimestamp === undefined) {
        const adopted = this.patchOwnerRefs(rs, d, true);
        if (adopted.rs !== undefined) claimed.push(adopted.rs);
        error ??= adopted.error;
      }
    }
    return error === undefined ? ok(claimed) : fail(error);
  }

  private patchOwnerRefs(rs: ReplicaSet, d: Deployment, adopt: boolean): { rs?: ReplicaSet; error?: string } {
    const others = (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid);
    const ownerReferences = adopt ? [...others, newControllerRef(d)] : others;
    const result = this.store.update<ReplicaSet>({ ...rs, metadata: { ...rs.metadata, ownerReferences } }, COMPONENT, 'patch');
    if (result.ok) return { rs: result.object };
    return result.reason === 'NotFound' ? {} : { error: result.message };
  }

  /** getPodMapForDeployment: pods the Deployment selects, grouped by their ReplicaSet's uid. */
  private podMap(d: Deployment, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const parsed = labelSelectorAsSelector(d.spec.selector);
    const map = new Map<string, Pod[]>();
    for (const rs of rsList) {
      const uid = rs.metadata.uid ?? '';
      const pods = [...this.pods!.ownedBy(uid)].filter((p) => p.metadata.namespace === d.metadata.namespace && parsed.ok && parsed.selector.matches(p.metadata.labels));
      map.set(uid, pods);
    }
    return map;
  }

  /** The ReplicaSets as they are now (an earlier step of this sync may have written them). */
  private refresh(rsList: readonly ReplicaSet[]): ReplicaSet[] {
    const fresh: ReplicaSet[] = [];
    for (const rs of rsList) {
      const cur = this.store.get<ReplicaSet>('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
      if (cur !== undefined && cur.metadata.uid === rs.metadata.uid) fresh.push(cur);
    }
    return fresh;
  }

  /** sync.go getAllReplicaSetsAndSyncRevision. */
  private getAllReplicaSets(run: Run, rsList: readonly ReplicaSet[], create: boolean): Result<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const fresh = this.refresh(rsList);
    const oldRSs = findOldReplicaSets(run.d, fresh).all;
    const newRS = this.getNewReplicaSet(run, fresh, oldRSs, create);
    return newRS.ok ? ok({ newRS: newRS.value, oldRSs }) : newRS;
  }

  /** sync.go getNewReplicaSet: sync the existing new ReplicaSet's annotations, or create it. */
  private getNewReplicaSet(run: Run, rsList: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], create: boolean): Result<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(run.d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing !== undefined) return this.syncExistingNewReplicaSet(run, existing, newRevision);
    return create ? this.createNewReplicaSet(run, oldRSs, newRevision) : ok(undefined);
  }

  private syncExistingNewReplicaSet(run: Run, rs: ReplicaSet, newRevision: string): Result<ReplicaSet | undefined> {
    const annotations = { ...(rs.metadata.annotations ?? {}) };
    const annotationsUpdated = setNewReplicaSetAnnotations(run.d, annotations, newRevision, true);
    const minReadySeconds = run.d.spec.minReadySeconds ?? 0;
    if (annotationsUpdated || (rs.spec.minReadySeconds ?? 0) !== minReadySeconds) {
      const result = this.store.update<ReplicaSet>({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, minReadySeconds } }, COMPONENT);
      return result.ok ? ok(result.object) : fail(result.message);
    }
    // SetDeploymentRevision, and Progressing FoundNewReplicaSet if no Progressing condition is
    // recorded yet; one status write for both.
    const revised = withRevision(run.d, rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    let next = revised ?? run.d;
    if (hasProgressDeadline(next) && getDeploymentCondition(next.status, 'Progressing') === undefined) {
      next = { ...next, status: setDeploymentCondition(next.status ?? {}, newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${rs.metadata.name}"`, this.sim.nowMs)) };
    }
    const error = next === run.d ? undefined : this.writeDeployment(run, next);
    return error === undefined ? ok(rs) : fail(error);
  }

  /** The new ReplicaSet: <deployment>-<hash>, the hash label on its selector, template and labels. */
  private newReplicaSetDraft(d: Deployment): ReplicaSet {
    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
    const template: PodTemplateSpec = { ...d.spec.template, metadata: { ...(d.spec.template.metadata ?? {}), labels } };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [newControllerRef(d)], labels },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: addToSelector(d.spec.selector, HASH_LABEL, hash), template },
      status: { replicas: 0 },
    };
  }

  private createNewReplicaSet(run: Run, oldRSs: readonly ReplicaSet[], newRevision: string): Result<ReplicaSet | undefined> {
    const draft = this.newReplicaSetDraft(run.d);
    const count = newRSNewReplicas(run.d, [...oldRSs, draft], draft);
    if (!count.ok) return count;
    const annotations: Record<string, string> = {};
    setNewReplicaSetAnnotations(run.d, annotations, newRevision, false);
    const result = this.store.create<ReplicaSet>({ ...draft, metadata: { ...draft.metadata, annotations }, spec: { ...draft.spec, replicas: count.value } }, COMPONENT);
    let created: ReplicaSet;
    if (result.ok) {
      created = result.object;
      if (count.value > 0) this.events.record(run.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${count.value}`, COMPONENT);
    } else if (result.reason === 'AlreadyExists') {
      const mine = this.ownExistingReplicaSet(run, draft.metadata.name);
      if (!mine.ok) return mine;
      created = mine.value;
    } else {
      const message = `Failed to create new replica set "${draft.metadata.name}": ${result.message}`;
      if (hasProgressDeadline(run.d)) {
        this.writeDeployment(run, { ...run.d, status: setDeploymentCondition(run.d.status ?? {}, newDeploymentCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, message, this.sim.nowMs)) });
      }
      this.events.record(run.d, 'Warning', FAILED_RS_CREATE_REASON, message, COMPONENT);
      return fail(message);
    }
    // SetDeploymentRevision, and Progressing NewReplicaSetCreated for a ReplicaSet it created.
    let next = withRevision(run.d, newRevision) ?? run.d;
    if (result.ok && hasProgressDeadline(next)) {
      next = { ...next, status: setDeploymentCondition(next.status ?? {}, newDeploymentCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata.name}"`, this.sim.nowMs)) };
    }
    const error = next === run.d ? undefined : this.writeDeployment(run, next);
    return error === undefined ? ok(created) : fail(error);
  }

  /** A ReplicaSet of that name exists: ours (a slow cache upstream) or a hash collision, which
   *  bumps status.collisionCount so the next sync hashes differently. */
  private ownExistingReplicaSet(run: Run, name: string): Result<ReplicaSet> {
    const rs = this.store.get<ReplicaSet>('ReplicaSet', run.d.metadata.namespace, name);
    if (rs === undefined) return fail(`replicasets.apps "${name}" not found`);
    if (controllerRef(rs)?.uid === run.d.metadata.uid && equalIgnoreHash(run.d.spec.template, rs.spec.template)) return ok(rs);
    const collisionCount = (run.d.status?.collisionCount ?? 0) + 1;
    this.writeDeployment(run, { ...run.d, status: { ...run.d.status, collisionCount } });
    return fail(`replicasets.apps "${name}" already exists`);
  }

  private writeDeployment(run: Run, next: Deployment): string | undefined {
    const result = this.store.update<Deployment>(next, COMPONENT, 'status');
    if (!result.ok) return result.message;
    run.d = result.object;
    return undefined;
  }

  /** The scaleReplicaSet the decisions above call, bound to this sync's Deployment. */
  private scaler(run: Run): Scaler {
    return (rs, newScale) => {
      const cur = this.store.get<ReplicaSet>('ReplicaSet', rs.metadata.namespace, rs.metadata.name);
      if (cur === undefined || cur.metadata.uid !== rs.metadata.uid) return { ok: false, error: `replicasets.apps "${rs.metadata.name}" not found` };
      const desired = replicasOf(run.d);
      const oldScale = replicasOf(cur);
      const sizeNeedsUpdate = oldScale !== newScale;
      if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(cur, desired, desired + maxSurge(run.d))) return { ok: true, scaled: false, rs: cur };
      const annotations = { ...(cur.metadata.annotations ?? {}) };
      setReplicasAnnotations(annotations, desired, desired + maxSurge(run.d));
      const result = this.store.update<ReplicaSet>({ ...cur, metadata: { ...cur.metadata, annotations }, spec: { ...cur.spec, replicas: newScale } }, COMPONENT);
      if (!result.ok) return { ok: false, error: result.message };
      if (sizeNeedsUpdate) {
        const direction = oldScale < newScale ? 'up' : 'down';
        this.events.record(run.d, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${cur.metadata.name} from ${oldScale} to ${newScale}`, COMPONENT);
      }
      return { ok: true, scaled: sizeNeedsUpdate, rs: result.object };
    };
  }

  /** deployment_controller.go isScalingEvent: an active ReplicaSet was sized for other replicas. */
  private isScalingEvent(run: Run, rsList: readonly ReplicaSet[]): Result<boolean> {
    const all = this.getAllReplicaSets(run, rsList, false);
    if (!all.ok) return all;
    for (const rs of filterActiveReplicaSets([...all.value.oldRSs, all.value.newRS])) {
      const desired = getNonNegativeInt32FromAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      if (desired.valid && desired.value !== replicasOf(run.d)) return ok(true);
    }
    return ok(false);
  }

  /** sync.go syncStatusOnly (a Deployment being deleted). */
  private syncStatusOnly(run: Run, rsList: readonly ReplicaSet[]): string | undefined {
    const all = this.getAllReplicaSets(run, rsList, false);
    if (!all.ok) return all.error;
    return this.syncDeploymentStatus(run, [...all.value.oldRSs, all.value.newRS], all.value.newRS);
  }

  /** sync.go sync: scaling events and paused Deployments. */
  private sync(run: Run, rsList: readonly ReplicaSet[]): string | undefined {
    const all = this.getAllReplicaSets(run, rsList, false);
    if (!all.ok) return all.error;
    const { newRS, oldRSs } = all.value;
    const error = scaleDeployment(run.d, newRS, oldRSs, this.scaler(run)) ?? (run.d.spec.paused ? this.cleanupDeployment(run, oldRSs) : undefined);
    if (error !== undefined) return error;
    return this.syncDeploymentStatus(run, [...oldRSs, newRS], newRS);
  }

  /** rolling.go rolloutRolling: scale up if possible, else scale down, then clean up. */
  private rolloutRolling(run: Run, rsList: readonly ReplicaSet[]): string | undefined {
    const all = this.getAllReplicaSets(run, rsList, true);
    if (!all.ok) return all.error;
    const oldRSs = all.value.oldRSs;
    const newRS = all.value.newRS!;
    const allRSs = [...oldRSs, newRS];
    const scale = this.scaler(run);
    const scaledUp = reconcileNewReplicaSet(allRSs, newRS, run.d, scale);
    if (!scaledUp.ok) return scaledUp.error;
    if (scaledUp.value || reconcileOldReplicaSets(allRSs, filterActiveReplicaSets(oldRSs), newRS, run.d, scale)) return this.syncRolloutStatus(run, allRSs, newRS);
    if (deploymentComplete(run.d, run.d.status ?? {})) {
      const error = this.cleanupDeployment(run, oldRSs);
      if (error !== undefined) return error;
    }
    return this.syncRolloutStatus(run, allRSs, newRS);
  }

  /** recreate.go rolloutRecreate: old ReplicaSets to 0, wait for their pods to go, then scale up. */
  private rolloutRecreate(run: Run, rsList: readonly ReplicaSet[]): string | undefined {
    const all = this.getAllReplicaSets(run, rsList, false);
    if (!all.ok) return all.error;
    let { newRS, oldRSs } = all.value;
    const scale = this.scaler(run);
    let scaledDown = false;
    for (const rs of filterActiveReplicaSets(oldRSs)) {
      const r = scaleAndRecord(scale, rs, 0);
      if (!r.ok) return r.error;
      scaledDown ||= r.scaled;
    }
    if (scaledDown || oldPodsRunning(newRS, oldRSs, this.podMap(run.d, rsList))) return this.syncRolloutStatus(run, [...oldRSs, newRS], newRS);
    if (newRS === undefined) {
      const created = this.getAllReplicaSets(run, rsList, true);
      if (!created.ok) return created.error;
      ({ newRS, oldRSs } = created.value);
    }
    const up = scaleAndRecord(scale, newRS!, replicasOf(run.d));
    if (!up.ok) return up.error;
    if (deploymentComplete(run.d, run.d.status ?? {})) {
      const error = this.cleanupDeployment(run, oldRSs);
      if (error !== undefined) return error;
    }
    return this.syncRolloutStatus(run, [...oldRSs, newRS], newRS);
  }

  /** sync.go cleanupDeployment: delete the oldest empty old ReplicaSets past revisionHistoryLimit. */
  private cleanupDeployment(run: Run, oldRSs: readonly ReplicaSet[]): string | undefined {
    const limit = run.d.spec.revisionHistoryLimit;
    if (limit === undefined) return undefined;
    const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      const result = this.store.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name, COMPONENT);
      if (!result.ok && result.reason !== 'NotFound') return result.message;
    }
    return undefined;
  }

  /** sync.go syncDeploymentStatus (scaling, paused, deleted): calculateStatus only. */
  private syncDeploymentStatus(run: Run, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): string | undefined {
    const status = calculateDeploymentStatus(allRSs, newRS, run.d, this.sim.nowMs);
    if (sameRecord(status, run.d.status ?? {})) return undefined;
    return this.writeDeployment(run, { ...run.d, status });
  }

  /** progress.go syncRolloutStatus (after a rollout step): the status with its Progressing and
   *  ReplicaFailure conditions; when nothing changed, a stuck rollout is looked at again when its
   *  progress deadline passes (requeueStuckDeployment). */
  private syncRolloutStatus(run: Run, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): string | undefined {
    const status = syncRolloutStatusOf(allRSs, newRS, run.d, this.sim.nowMs);
    if (sameRecord(status, run.d.status ?? {})) {
      const after = requeueStuckDeploymentAfter(run.d, status, this.sim.nowMs);
      // Upstream requeues a Deployment that lost a replica after its rollout completed (Progressing
      // NewReplicaSetAvailable, not complete) as often as the rate limiter allows, 10 times a
      // second. Such a sync changes nothing: that condition never times out, and progress comes
      // with the ReplicaSet and pod events that sync the Deployment anyway. Not spent here.
      if (getDeploymentCondition(run.d.status, 'Progressing')?.reason === NEW_RS_AVAILABLE_REASON) return undefined;
      const key = objectKeyOf(run.d);
      if (after === 0) this.queue.addRateLimited(key);
      else if (after > 0) this.queue.addAfter(key, after + 1000);
      return undefined;
    }
    return this.writeDeployment(run, { ...run.d, status });
  }

  /** deployment_controller.go checkPausedConditions: Progressing Unknown DeploymentPaused while
   *  paused, DeploymentResumed once resumed (never over a reported timeout), so a paused rollout
   *  does not time out. */
  private checkPausedConditions(run: Run): string | undefined {
    const d = run.d;
    if (!hasProgressDeadline(d)) return undefined;
    const cond = getDeploymentCondition(d.status, 'Progressing');
    if (cond?.reason === TIMED_OUT_REASON) return undefined;
    const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
    let condition: DeploymentCondition | undefined;
    if (d.spec.paused && !pausedCondExists) condition = newDeploymentCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', this.sim.nowMs);
    else if (!d.spec.paused && pausedCondExists) condition = newDeploymentCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', this.sim.nowMs);
    if (condition === undefined) return undefined;
    return this.writeDeployment(run, { ...d, status: setDeploymentCondition(d.status ?? {}, condition) });
  }
}
