import { describe, expect, it } from 'vitest';
import { linearFit } from './linear-fit.ts';

describe('a least-squares line', () => {
  it('recovers an exact line, with R² 1 and no error', () => {
    const fit = linearFit([
      [100, 30],
      [200, 50],
      [400, 90],
    ]);
    expect(fit?.intercept).toBeCloseTo(10, 9);
    expect(fit?.slope).toBeCloseTo(0.2, 9);
    expect(fit?.r2).toBeCloseTo(1, 9);
    expect(fit?.worstRelativeError).toBeCloseTo(0, 9);
  });

  it('says how far off the worst point is, and R² below 1 for scatter', () => {
    const fit = linearFit([
      [0, 0],
      [1, 2],
      [2, 2],
      [3, 6],
    ]);
    // Fitted: y = -0.2 + 1.8x; at x=2 it says 3.4 against 2 measured: 70% off.
    expect(fit?.slope).toBeCloseTo(1.8, 9);
    expect(fit?.intercept).toBeCloseTo(-0.2, 9);
    expect(fit?.worstRelativeError).toBeCloseTo(0.7, 9);
    expect(fit?.r2).toBeLessThan(1);
    // Residuals 0.2, 0.4, -1.4, 0.8 (2.8 squared) against a spread of 19.
    expect(fit?.r2).toBeCloseTo(1 - 2.8 / 19, 9);
  });

  it('is null with one point or no spread in x', () => {
    expect(linearFit([[1, 1]])).toBeNull();
    expect(
      linearFit([
        [1, 1],
        [1, 3],
      ]),
    ).toBeNull();
  });
});
