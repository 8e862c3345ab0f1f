/** A straight line fitted by least squares, and how well it fits. */
export interface LinearFit {
  readonly intercept: number;
  readonly slope: number;
  /** Coefficient of determination; 1 for two points or for data with no spread. */
  readonly r2: number;
  /** The largest |fitted - measured| / measured over the points (0 where measured is 0). */
  readonly worstRelativeError: number;
}

/**
 * Least-squares line through (x, y) points; null with fewer than two points or no spread in x.
 */
export function linearFit(points: readonly (readonly [number, number])[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  const mean = (f: (p: readonly [number, number]) => number) =>
    points.reduce((a, p) => a + f(p), 0) / n;
  const mx = mean(([x]) => x);
  const my = mean(([, y]) => y);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const fitted = (x: number) => intercept + slope * x;
  const ssRes = points.reduce((a, [x, y]) => a + (y - fitted(x)) ** 2, 0);
  const ssTot = points.reduce((a, [, y]) => a + (y - my) ** 2, 0);
  const worstRelativeError = Math.max(
    ...points.map(([x, y]) => (y === 0 ? 0 : Math.abs(fitted(x) - y) / Math.abs(y))),
  );
  return { intercept, slope, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot, worstRelativeError };
}
