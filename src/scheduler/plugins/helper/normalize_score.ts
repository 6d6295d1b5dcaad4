// DefaultNormalizeScore, after pkg/scheduler/framework/plugins/helper/normalize_score.go (v1.35).
import type { MaybeStatus } from '../../framework/status.js';
import type { NodeScore } from '../../framework/types.js';

/**
 * Scales scores from [0, max(scores)] to [0, maxPriority] in place, with Go's int64 arithmetic
 * (the division truncates). With `reverse`, each result is subtracted from maxPriority. When every
 * score is 0, scores stay 0, or all become maxPriority if reversed. Scores are assumed
 * non-negative integers; maxPriority * score stays exact in a double up to 2^53.
 * Always succeeds (returns null), as upstream returns a nil Status.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): MaybeStatus {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!.score;
    if (s > maxCount) maxCount = s;
  }

  if (maxCount === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i]!.score = maxPriority;
    return null;
  }

  for (let i = 0; i < scores.length; i++) {
    let score = Math.trunc((maxPriority * scores[i]!.score) / maxCount);
    if (reverse) score = maxPriority - score;
    scores[i]!.score = score;
  }
  return null;
}

/** defaultNormalizeScore on the first `n` entries of a plain array of scores. */
export function defaultNormalizeScoreValues(maxPriority: number, reverse: boolean, scores: Float64Array, n: number): MaybeStatus {
  let maxCount = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s > maxCount) maxCount = s;
  }

  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority, 0, n);
    return null;
  }

  for (let i = 0; i < n; i++) {
    let score = Math.trunc((maxPriority * scores[i]!) / maxCount);
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
  return null;
}
