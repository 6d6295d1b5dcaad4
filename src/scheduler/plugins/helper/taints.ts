// Toleration matching, after staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint)
// and component-helpers/scheduling/corev1/helpers.go (FindMatchingUntoleratedTaint).
import type { Taint, TaintEffect, Toleration } from '../../../api/types.js';

/** Does the toleration tolerate the taint? Empty effect matches every effect; an empty key with
 *  Exists matches every taint; operator defaults to Equal. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint, among those passing `filter`, that no toleration tolerates. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: (t: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

export function isEffect(effects: readonly TaintEffect[]): (t: Taint) => boolean {
  return (t) => effects.includes(t.effect);
}
