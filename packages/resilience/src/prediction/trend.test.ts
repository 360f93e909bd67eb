import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { leastSquares, SlidingWindow, type TrendPoint, theilSen, valueAt } from './trend.js';

const line = (slope: number, intercept: number, n: number, t0 = 1_700_000_000_000): TrendPoint[] =>
  Array.from({ length: n }, (_, i) => ({ t: t0 + i * 1_000, v: intercept + slope * i * 1_000 }));

describe('trend fits', () => {
  it('fit an exact line with R² 1 at epoch-sized times', () => {
    const points = line(0.5, 100, 20);
    for (const fit of [leastSquares(points), theilSen(points)]) {
      expect(fit?.slope).toBeCloseTo(0.5, 9);
      expect(fit?.r2).toBeCloseTo(1, 9);
      expect(fit?.n).toBe(20);
      expect(fit?.spanMs).toBe(19_000);
      expect(valueAt(fit as NonNullable<typeof fit>, 1_700_000_010_000)).toBeCloseTo(5_100, 6);
    }
    expect(theilSen(points)?.tau).toBe(1);
  });

  it('return undefined without two distinct times', () => {
    expect(leastSquares([])).toBeUndefined();
    expect(theilSen([{ t: 1, v: 1 }])).toBeUndefined();
    expect(
      theilSen([
        { t: 1, v: 1 },
        { t: 1, v: 2 },
      ]),
    ).toBeUndefined();
  });

  it('handle a flat series (R² 1) and repeated times', () => {
    const flat = [0, 1, 2, 3].map((t) => ({ t, v: 7 }));
    expect(leastSquares(flat)).toMatchObject({ slope: 0, r2: 1 });
    expect(theilSen([...flat, { t: 3, v: 7 }])).toMatchObject({ slope: 0, r2: 1, tau: 0 });
    const noisyFlat = [0, 1, 2, 3, 4, 5].map((t) => ({ t, v: t === 5 ? 9 : 1 }));
    expect(theilSen(noisyFlat)?.slope).toBe(0);
  });

  it('Theil–Sen shrugs off outliers that drag least squares', () => {
    const points = line(1, 0, 30).map((p, i) => (i % 10 === 9 ? { ...p, v: p.v + 1e6 } : p));
    expect(theilSen(points)?.slope).toBeCloseTo(1, 6);
    expect(Math.abs((leastSquares(points)?.slope ?? 0) - 1)).toBeGreaterThan(1);
  });

  it('property: both estimators recover the slope of any exact line', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: 40 }),
        (slope, intercept, n) => {
          const points = line(slope, intercept, n);
          const tolerance = 1e-6 * (1 + Math.abs(slope) + Math.abs(intercept) / 1e3);
          expect(Math.abs((leastSquares(points)?.slope ?? Number.NaN) - slope)).toBeLessThan(tolerance);
          expect(Math.abs((theilSen(points)?.slope ?? Number.NaN) - slope)).toBeLessThan(tolerance);
        },
      ),
      { seed: 4_242, numRuns: 200 },
    );
  });
});

describe('SlidingWindow', () => {
  it('drops points by age and by count', () => {
    const window = new SlidingWindow({ maxAgeMs: 10, maxPoints: 3 });
    for (const t of [0, 5, 8, 9]) window.push({ t, v: t });
    expect(window.points().map((p) => p.t)).toEqual([5, 8, 9]);
    window.push({ t: 18, v: 0 });
    expect(window.points().map((p) => p.t)).toEqual([8, 9, 18]);
    window.prune(30);
    expect(window.size).toBe(0);
    window.push({ t: 1, v: 1 });
    window.clear();
    expect(window.size).toBe(0);
    expect(new SlidingWindow({ maxAgeMs: 1 }).size).toBe(0);
  });
});
