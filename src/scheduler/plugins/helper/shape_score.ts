// BuildBrokenLinearFunction, after pkg/scheduler/framework/plugins/helper/shape_score.go (v1.35):
// a piecewise-linear function through the shape's points, in Go's int64 arithmetic (the division
// truncates toward zero, so a falling segment rounds up, not down).

/** One point of the function (upstream FunctionShapePoint). */
export interface FunctionShapePoint {
  /** Function argument (a utilization, 0..100 once validated). */
  readonly utilization: number;
  /** Function value. */
  readonly score: number;
}

/**
 * f(p) = shape[0].score for p <= shape[0].utilization, shape[n-1].score for p > the last
 * utilization, and linear in between. The shape must be sorted by strictly increasing utilization
 * (argument validation guarantees it); it is copied, so later changes to it do not leak in.
 */
export function buildBrokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  const n = shape.length;
  const utilization = new Float64Array(n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    utilization[i] = shape[i]!.utilization;
    score[i] = shape[i]!.score;
  }
  return (p: number): number => {
    for (let i = 0; i < n; i++) {
      if (p <= utilization[i]!) {
        if (i === 0) return score[0]!;
        const u0 = utilization[i - 1]!;
        const s0 = score[i - 1]!;
        return s0 + Math.trunc(((score[i]! - s0) * (p - u0)) / (utilization[i]! - u0));
      }
    }
    return score[n - 1]!;
  };
}
