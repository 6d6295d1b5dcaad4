// PodDisruptionBudget arithmetic, as the disruption controller computes status
// (pkg/controller/disruption/disruption.go): expected pods are the non-terminal pods the
// selector matches in the PDB's namespace, healthy ones are Ready and not being deleted;
// disruptionsAllowed = healthy − desiredHealthy, never below 0. kubedrill computes it on
// demand instead of running the controller, so it is never stale.
import { labelSelectorAsSelector } from './selector.js';
import { type Pod, type PodDisruptionBudget, podIsTerminal } from './types.js';

/** A PDB covers a pod when it is in the same namespace and its non-empty selector matches. */
export function pdbCovers(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if ((pdb.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return false;
  const sel = labelSelectorAsSelector(pdb.spec.selector);
  return sel.ok && !sel.selector.empty() && sel.selector.matches(pod.metadata.labels);
}

export function disruptionsAllowed(pdb: PodDisruptionBudget, allPods: Iterable<Pod>): number {
  if (pdb.status?.disruptionsAllowed !== undefined && pdb.status.currentHealthy !== undefined) return pdb.status.disruptionsAllowed;
  const pods = [...allPods].filter((p) => !podIsTerminal(p) && pdbCovers(pdb, p));
  const healthy = pods.filter((p) => p.metadata.deletionTimestamp === undefined && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  const expected = pods.length;
  // intstr percentages round up for minAvailable and maxUnavailable (GetScaledValueFromIntOrPercent).
  const resolve = (v: number | string) => (typeof v === 'number' ? v : Math.ceil((expected * parseInt(v, 10)) / 100));
  let desired: number;
  if (pdb.spec.minAvailable !== undefined) desired = resolve(pdb.spec.minAvailable);
  else if (pdb.spec.maxUnavailable !== undefined) desired = Math.max(0, expected - resolve(pdb.spec.maxUnavailable));
  else desired = expected;
  return Math.max(0, healthy - desired);
}
